//! The response models' JSON form, read and written field by field, and
//! the one table each model is declared from ([`response_model!`]).
//!
//! Each response model has one non-generic reader over the `Map` of an
//! already parsed body and one writer into a `Map`. A serde derive with
//! `#[serde(flatten)]` (to keep unknown fields) buffers every field in
//! serde's `Content` and is compiled once per deserializer: that design
//! was a large share of the npm package's WebAssembly. The models'
//! `Serialize` and `Deserialize` impls go through these same readers and
//! writers, so each shape is defined once.

use serde_json::{Map, Value};

use crate::input::json_type;
use crate::money::Amount;

/// A response object taken apart field by field; what is left at the end
/// is the fields this SDK version does not know, kept as sent.
pub(crate) struct Reader {
    map: Map<String, Value>,
}

impl Reader {
    /// Starts reading `value`, which must be an object (`what` names it in
    /// the error: "a gig").
    pub(crate) fn new(value: Value, what: &str) -> Result<Self, String> {
        match value {
            Value::Object(map) => Ok(Self { map }),
            other => Err(format!(
                "expected {what} as a JSON object, found {}",
                json_type(&other)
            )),
        }
    }

    /// A field's value; `null` is the same as absent.
    fn value(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    /// A text field that must be there (kind `required`).
    pub(crate) fn required(&mut self, key: &str) -> Result<String, String> {
        self.text(key)?
            .ok_or_else(|| format!("missing field `{key}`"))
    }

    /// An optional text field (kind `text`).
    pub(crate) fn text(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(format!("`{key}` must be text, found {}", json_type(&other))),
        }
    }

    /// An optional text field read by a wire enum's `parse` (kind `wire`:
    /// any letter case; unknown values kept).
    pub(crate) fn wire<T>(&mut self, key: &str, parse: fn(&str) -> T) -> Result<Option<T>, String> {
        Ok(self.text(key)?.map(|text| parse(&text)))
    }

    /// An optional amount (kind `amount`, see [`Amount::from_json`]).
    pub(crate) fn amount(&mut self, key: &str) -> Result<Option<Amount>, String> {
        self.value(key)
            .map(|value| Amount::from_json(&value).map_err(|e| format!("`{key}`: {e}")))
            .transpose()
    }

    /// An optional JSON value of any type, kept as sent (kind `json`).
    pub(crate) fn json(&mut self, key: &str) -> Result<Option<Value>, String> {
        Ok(self.value(key))
    }

    /// The fields not taken.
    pub(crate) fn rest(self) -> Map<String, Value> {
        self.map
    }
}

/// A response object being written: absent fields are left out, unknown
/// ones added last (as the derive's `flatten` did).
#[derive(Default)]
pub(crate) struct Writer {
    map: Map<String, Value>,
}

impl Writer {
    /// Writes `value` under `key` when there is one.
    fn value(&mut self, key: &str, value: Option<Value>) -> &mut Self {
        if let Some(value) = value {
            self.map.insert(key.to_owned(), value);
        }
        self
    }

    /// Writes text under `key` when there is some.
    fn string(&mut self, key: &str, text: Option<&str>) -> &mut Self {
        self.value(key, text.map(|t| Value::String(t.to_owned())))
    }

    /// Writes a text field that is always there (kind `required`).
    pub(crate) fn required(&mut self, key: &str, text: &str) -> &mut Self {
        self.string(key, Some(text))
    }

    /// Writes a text field when there is one (kind `text`).
    pub(crate) fn text(&mut self, key: &str, text: &Option<String>) -> &mut Self {
        self.string(key, text.as_deref())
    }

    /// Writes a wire enum in its canonical spelling (kind `wire`).
    pub(crate) fn wire<T>(
        &mut self,
        key: &str,
        value: &Option<T>,
        as_str: fn(&T) -> &str,
    ) -> &mut Self {
        self.string(key, value.as_ref().map(as_str))
    }

    /// Writes an amount in its two-decimal string form (kind `amount`).
    pub(crate) fn amount(&mut self, key: &str, amount: &Option<Amount>) -> &mut Self {
        self.value(key, amount.map(|a| Value::String(a.to_string())))
    }

    /// Writes a JSON value as it is (kind `json`).
    pub(crate) fn json(&mut self, key: &str, value: &Option<Value>) -> &mut Self {
        self.value(key, value.clone())
    }

    /// The object, with the unknown fields kept as they came.
    pub(crate) fn finish(&mut self, extra: &Map<String, Value>) -> Value {
        let mut map = std::mem::take(&mut self.map);
        map.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        Value::Object(map)
    }
}

/// Declares a response model from one table: the struct, its reader
/// (`from_json`), its writer (`to_json`), `Serialize` and `Deserialize`
/// through them, and `FIELDS`, the wire names in order.
///
/// Why one table: written by hand, each field stands three times (in the
/// struct, the reader and the writer), and the three can drift apart: a
/// field read but never written, a wire name spelled two ways, a TypeScript
/// name that is not the wire name. Here each field is one row, and its Rust
/// name, wire name, type, reading, writing, TypeScript name and
/// documentation all come from that row. The expansion is the code that
/// would be written by hand: one non-generic reader and writer per model.
///
/// ```text
/// response_model! {
///     /// A gig as the API returns it.
///     pub struct Gig as "a gig" {
///         /// The partner's id for the gig.
///         gig_id: required = "gigId",
///         /// Tips part.
///         tips: amount = "tips",
///         /// Whether the money arrived.
///         status: wire(PaymentStatus) = "status",
///     }
/// }
/// ```
///
/// `as "a gig"` names the object in the error for a body that is not one.
/// Each row is the field's doc comment (and any other attribute), then
/// `rust_name: kind = "wireName"`; the kind gives the Rust type, and the
/// method of [`Reader`] and of [`Writer`] of the same name reads and writes
/// it:
///
/// | kind | Rust type | JSON |
/// | --- | --- | --- |
/// | `required` | `String` | text; its absence is an error |
/// | `text` | `Option<String>` | text |
/// | `amount` | `Option<Amount>` | a number or decimal text, written as two-decimal text |
/// | `wire(Enum)` | `Option<Enum>` | text, read by a `wire_enum!`'s `parse`, written canonical |
/// | `json` | `Option<Value>` | any value, as sent |
///
/// Adding a field is adding a row where the reference puts it: the rows'
/// order is the order the fields are written in, and that of `FIELDS`. A
/// new kind is an arm of `@struct` below (its Rust type) and a method of
/// that name on both [`Reader`] and [`Writer`]. Every model also gets
/// `extra`, the fields this SDK version does not know, kept as sent and
/// written after the known ones.
///
/// Under the feature `tsify` each field's TypeScript name is its wire name,
/// and an optional field is optional there (`skip_serializing_none`); under
/// `uniffi` the struct is a record for Kotlin and Swift.
macro_rules! response_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident as $what:literal {
            $(
                $(#[$field_meta:meta])*
                $field:ident: $kind:ident $(($enum:ident))? = $wire:literal
            ),+ $(,)?
        }
    ) => {
        $crate::payouts::models::json::response_model!(@struct
            [$(#[$meta])* $name]
            []
            $([$(#[$field_meta])*] $field $kind $(($enum))? = $wire;)+
        );

        impl $name {
            /// The wire names of the fields, in the order they are written.
            pub const FIELDS: &'static [&'static str] = &[$($wire),+];

            /// Reads the API's JSON object (see the module `models::json`).
            pub(crate) fn from_json(value: serde_json::Value) -> Result<Self, String> {
                let mut r = $crate::payouts::models::json::Reader::new(value, $what)?;
                Ok(Self {
                    $($field: r.$kind($wire $(, $enum::parse)?)?,)+
                    extra: r.rest(),
                })
            }

            /// The API's JSON object: amounts as two-decimal strings, enums
            /// in canonical spelling, absent fields left out, unknown fields
            /// kept.
            pub(crate) fn to_json(&self) -> serde_json::Value {
                $crate::payouts::models::json::Writer::default()
                    $(.$kind($wire, &self.$field $(, $enum::as_str)?))+
                    .finish(&self.extra)
            }
        }

        // serde users see exactly the shape the hosts see.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.to_json().serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                Self::from_json(value).map_err(serde::de::Error::custom)
            }
        }
    };
    // The struct, once every row has been turned into a field.
    (@struct [$(#[$meta:meta])* $name:ident] [$($fields:tt)*]) => {
        $(#[$meta])*
        #[cfg_attr(feature = "tsify", serde_with::skip_serializing_none)]
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        pub struct $name {
            $($fields)*
            /// Fields this SDK version does not know, kept as sent.
            #[cfg_attr(
                feature = "tsify",
                serde(flatten),
                tsify(type = "Record<string, unknown>")
            )]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
    // The first row left into a field: its Rust type, and the TypeScript
    // type where the Rust one does not say it, by kind.
    (@struct $head:tt $done:tt $attr:tt $field:ident required = $wire:literal; $($rest:tt)*) => {
        $crate::payouts::models::json::response_model!(@push $head $done $attr
            $field: [String] = $wire; $($rest)*);
    };
    (@struct $head:tt $done:tt $attr:tt $field:ident text = $wire:literal; $($rest:tt)*) => {
        $crate::payouts::models::json::response_model!(@push $head $done $attr
            $field: [Option<String>] = $wire; $($rest)*);
    };
    (@struct $head:tt $done:tt [$($attr:tt)*] $field:ident amount = $wire:literal; $($rest:tt)*) => {
        $crate::payouts::models::json::response_model!(@push $head $done
            [$($attr)* #[cfg_attr(feature = "tsify", tsify(type = "string"))]]
            $field: [Option<$crate::money::Amount>] = $wire; $($rest)*);
    };
    (@struct $head:tt $done:tt $attr:tt $field:ident wire($enum:ident) = $wire:literal; $($rest:tt)*) => {
        $crate::payouts::models::json::response_model!(@push $head $done $attr
            $field: [Option<$enum>] = $wire; $($rest)*);
    };
    (@struct $head:tt $done:tt [$($attr:tt)*] $field:ident json = $wire:literal; $($rest:tt)*) => {
        $crate::payouts::models::json::response_model!(@push $head $done
            [$($attr)* #[cfg_attr(feature = "tsify", tsify(type = "unknown"))]]
            $field: [Option<serde_json::Value>] = $wire; $($rest)*);
    };
    // The field added to those done; on to the next row.
    (@push $head:tt [$($done:tt)*] [$($attr:tt)*]
        $field:ident: [$($type:tt)*] = $wire:literal; $($rest:tt)*
    ) => {
        $crate::payouts::models::json::response_model!(@struct $head
            [
                $($done)*
                $($attr)*
                #[cfg_attr(feature = "tsify", serde(rename = $wire))]
                pub $field: $($type)*,
            ]
            $($rest)*
        );
    };
}
pub(crate) use response_model;

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use super::super::{Application, Customer, Gig, PaymentStatus, SpecialPayment};
    use crate::money::Amount;

    #[test]
    fn fields_are_the_wire_names_read_and_written() {
        // Each model read from an object with every one of its `FIELDS`
        // (as text, which every kind takes) and written back: each must be
        // read into its field, none left over as unknown, and each written
        // again.
        macro_rules! check {
            ($($model:ident),+) => {$({
                let sent = $model::FIELDS.iter().map(|f| (f.to_string(), json!("1")));
                let model = $model::from_json(Value::Object(sent.collect())).unwrap();
                assert_eq!(model.extra, Map::new(), "{}", stringify!($model));
                let mut written: Vec<String> = match model.to_json() {
                    Value::Object(map) => map.into_iter().map(|(key, _)| key).collect(),
                    other => panic!("{other}"),
                };
                let mut expected = $model::FIELDS.to_vec();
                written.sort_unstable();
                expected.sort_unstable();
                assert_eq!(written, expected, "{}", stringify!($model));
            })+};
        }
        check!(Customer, Application, Gig, SpecialPayment);
        // In the order written.
        assert_eq!(Application::FIELDS, ["partnerUserId", "status"]);
    }

    #[test]
    fn reads_canonicalises_and_keeps_unknown_fields() {
        let sent = json!({
            "gigId": "g1", "id": null, "tips": 3, "expenses": "2.5", "totalAmount": "15",
            "status": "success", "newField": {"nested": [1, 2.5]}
        });
        let gig = Gig::from_json(sent.clone()).unwrap();
        assert_eq!(gig.id, None);
        assert_eq!(gig.tips, Some(Amount::from_whole(3).unwrap()));
        assert_eq!(gig.status, Some(PaymentStatus::Success));
        assert_eq!(
            gig.to_json(),
            json!({
                "gigId": "g1", "tips": "3.00", "expenses": "2.50", "totalAmount": "15.00",
                "status": "SUCCESS", "newField": {"nested": [1, 2.5]}
            })
        );
        // serde users see the same shape, both ways.
        assert_eq!(serde_json::to_value(&gig).unwrap(), gig.to_json());
        assert_eq!(serde_json::from_value::<Gig>(sent).unwrap(), gig);
        let payment = json!({"id": "p1", "type": "Wait Time", "userdata": {"n": 0.1}});
        let read = SpecialPayment::from_json(payment).unwrap();
        assert_eq!(
            read.to_json(),
            json!({"id": "p1", "type": "wait time", "userdata": {"n": 0.1}})
        );
    }

    #[test]
    fn refuses_what_the_api_does_not_document() {
        let error = |value| Gig::from_json(value).unwrap_err();
        assert_eq!(error(json!({"id": "x"})), "missing field `gigId`");
        assert_eq!(
            error(json!({"gigId": 5})),
            "`gigId` must be text, found a number"
        );
        assert!(error(json!({"gigId": "g", "tips": 1.5})).starts_with("`tips`: "));
        assert_eq!(
            error(json!({"gigId": "g", "status": 1})),
            "`status` must be text, found a number"
        );
        assert_eq!(
            error(json!([])),
            "expected a gig as a JSON object, found an array"
        );
        assert!(Customer::from_json(json!({"partnerUserId": "u", "email": false})).is_err());
        assert!(serde_json::from_str::<Gig>(r#"{"gigId": 5}"#).is_err());
    }
}
