//! The response models' JSON form, read and written field by field.
//!
//! Each response model has one non-generic reader over the `Map` of an
//! already parsed body and one writer into a `Map`. A serde derive with
//! `#[serde(flatten)]` (to keep unknown fields) buffers every field in
//! serde's `Content` and is compiled once per deserializer: that design
//! was a large share of the npm package's WebAssembly. The models'
//! `Serialize` and `Deserialize` impls go through these same readers and
//! writers ([`serde_via_json`]), so each shape is defined once.

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
    pub(crate) fn value(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    /// A text field that must be there.
    pub(crate) fn required_text(&mut self, key: &str) -> Result<String, String> {
        self.text(key)?
            .ok_or_else(|| format!("missing field `{key}`"))
    }

    /// An optional text field.
    pub(crate) fn text(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(format!("`{key}` must be text, found {}", json_type(&other))),
        }
    }

    /// An optional text field read by a wire enum's `parse` (any letter
    /// case; unknown values kept).
    pub(crate) fn wire<T>(&mut self, key: &str, parse: fn(&str) -> T) -> Result<Option<T>, String> {
        Ok(self.text(key)?.map(|text| parse(&text)))
    }

    /// An optional amount (see [`Amount::from_json`]).
    pub(crate) fn amount(&mut self, key: &str) -> Result<Option<Amount>, String> {
        self.value(key)
            .map(|value| Amount::from_json(&value).map_err(|e| format!("`{key}`: {e}")))
            .transpose()
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
    pub(crate) fn value(&mut self, key: &str, value: Option<Value>) -> &mut Self {
        if let Some(value) = value {
            self.map.insert(key.to_owned(), value);
        }
        self
    }

    /// Writes a text field when there is one.
    pub(crate) fn text(&mut self, key: &str, text: Option<&str>) -> &mut Self {
        self.value(key, text.map(|t| Value::String(t.to_owned())))
    }

    /// Writes an amount in its two-decimal string form.
    pub(crate) fn amount(&mut self, key: &str, amount: Option<Amount>) -> &mut Self {
        self.value(key, amount.map(|a| Value::String(a.to_string())))
    }

    /// The object, with the unknown fields kept as they came.
    pub(crate) fn finish(&mut self, extra: &Map<String, Value>) -> Value {
        let mut map = std::mem::take(&mut self.map);
        map.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        Value::Object(map)
    }
}

/// Implements `Serialize` and `Deserialize` for response models through
/// their `to_json` and `from_json`, so serde users see exactly the shape
/// the hosts see.
macro_rules! serde_via_json {
    ($($model:ty),+) => {$(
        impl serde::Serialize for $model {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.to_json().serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $model {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <Value as serde::Deserialize>::deserialize(d)?;
                Self::from_json(value).map_err(serde::de::Error::custom)
            }
        }
    )+};
}

serde_via_json!(
    super::Customer,
    super::Application,
    super::Gig,
    super::SpecialPayment
);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{Customer, Gig, PaymentStatus, SpecialPayment};
    use crate::money::Amount;

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
