//! Input models declared from one table each ([`input_model!`]).

use serde_json::Value;

use crate::error::{FieldError, FieldErrorCode};
use crate::validate::{Checker, Problem, Rule};

/// Checks a field of an update (kind `change`): absent passes, and given
/// text, blank or not, must pass `rule`, since sending it would change the
/// field. Not generic, so every such field shares this one copy.
pub(crate) fn check_change(
    c: &mut Checker,
    field: &str,
    value: &Option<String>,
    rule: fn(&str) -> Rule<String>,
) -> Option<String> {
    value.as_deref().and_then(|text| c.check(field, rule(text)))
}

/// A field of an input model whose value is more than text: a nested
/// object, a list of them (kind `nested` of [`input_model!`]).
pub(crate) trait Nested: Sized {
    /// Reads the field's value (`None`: absent or `null`), recording what
    /// does not fit under `field` in `errors`.
    fn read(value: Option<&Value>, field: &str, errors: &mut Vec<FieldError>) -> Self;

    /// Checks the value, recording problems under `field` (or its parts'
    /// names), and returns it normalised.
    fn checked(&self, c: &mut Checker, field: &str) -> Self;
}

/// An optional JSON object kept as given (`userdata`): `null` is the same
/// as absent, anything else is refused.
impl Nested for Option<Value> {
    fn read(value: Option<&Value>, field: &str, errors: &mut Vec<FieldError>) -> Self {
        json_object(value).unwrap_or_else(|problem| {
            errors.push(FieldError::new(field, problem.code, problem.message));
            None
        })
    }

    fn checked(&self, c: &mut Checker, field: &str) -> Self {
        c.check(field, json_object(self.as_ref())).flatten()
    }
}

fn json_object(value: Option<&Value>) -> Rule<Option<Value>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(object @ Value::Object(_)) => Ok(Some(object.clone())),
        Some(other) => Err(Problem::new(
            FieldErrorCode::InvalidType,
            format!("must be a JSON object, found {}", super::json_type(other)),
        )),
    }
}

/// Declares an input model from one table: the struct, `FIELDS` (the wire
/// names in order), `from_json` (read with [`JsonInput`](super::JsonInput), every problem
/// reported), `validate`, and the private `check` both go through.
///
/// Why one table: written by hand, each field stands four times (in the
/// struct, `FIELDS`, the reading and the checking) and once more where the
/// checked values are put back together, and these can drift apart: a
/// field read but never checked, a wire name spelled two ways, a rule
/// applied to the wrong field. Here each field is one row, and its Rust
/// name, wire name, type, reading, rule, TypeScript name and documentation
/// all come from that row. The expansion is the code that would be written
/// by hand, so the WebAssembly does not grow.
///
/// ```text
/// input_model! {
///     /// A customer to register.
///     pub record NewCustomer as "a customer" {
///         /// Given name, at most 40 characters.
///         first_name: required(validate::person_name) = "firstName",
///         /// Middle name, if any.
///         middle_name: optional(validate::person_name) = "middleName",
///     }
///     impl {
///         /// The wire names of the fields, in the reference's order.
///         const FIELDS;
///         /// Reads and validates the API's JSON shape.
///         fn from_json;
///         /// Checks every field and returns the normalised customer.
///         fn validate;
///     }
/// }
/// ```
///
/// `record` makes the struct a record for Kotlin and Swift (feature
/// `uniffi`), whose optional fields default to `None`; `struct` is for an
/// input those hosts take as JSON. `as "a customer"` names the object in
/// the errors for a body that is not one and for unknown fields. Each row
/// is the field's doc comment (and any other attribute), then `rust_name:
/// kind(rule) = "wireName"`; the rule is one of [`crate::validate`]'s, or
/// any function or closure from `&str` to a `Rule<String>` (for `change`,
/// one that captures nothing), and the kind gives the Rust type, how the
/// field is read and how it is checked:
///
/// | kind | Rust type | absent or `null` | blank text |
/// | --- | --- | --- | --- |
/// | `required` | `String` | read as blank | checked (the rules answer `required`) |
/// | `optional` | `Option<String>` | passes | passes, as not given |
/// | `change` | `Option<String>` | passes | checked (an update would send it) |
/// | `amount` | [`AmountText`](crate::money::AmountText) | read as blank | checked, as `required` |
/// | `nested(Type)` | `Type` | as `Type`'s [`Nested`] reads and checks it | - |
///
/// An `amount` is read from text or a JSON integer
/// ([`JsonInput::amount`](super::JsonInput::amount)), its rule gives a
/// `Rule<Amount>`, and the checked amount is put back in the API's form
/// (`15` as `"15.00"`); TypeScript sees it as a `string`.
///
/// Fields are checked in the rows' order, which is the order of `FIELDS`
/// and of the errors; those found while reading come first, text fields
/// before nested ones. The `impl` block gives the generated items their doc
/// comments (they say what differs between models: "every field", "the
/// fields given") and may end with the model's own rules across fields,
/// run after the fields' rules on the input as given:
///
/// ```text
///     impl {
///         ...
///         /// At least one field must be given.
///         fn rules(&self, c: &mut Checker) { ... }
///     }
/// ```
///
/// The struct derives `Clone`, `Debug`, `Default`, `PartialEq`, `Eq` and
/// serde both ways, absent fields left out; each field's serde and
/// TypeScript name is its wire name. Under the feature `tsify` it has a
/// TypeScript declaration.
macro_rules! input_model {
    (
        $(#[$meta:meta])*
        pub $form:ident $name:ident as $what:literal {
            $(
                $(#[$field_meta:meta])*
                $field:ident: $kind:ident($($arg:tt)+) = $wire:literal
            ),+ $(,)?
        }
        impl {
            $(#[$fields_meta:meta])*
            const FIELDS;
            $(#[$from_json_meta:meta])*
            fn from_json;
            $(#[$validate_meta:meta])*
            fn validate;
            $($rules:tt)*
        }
    ) => {
        $crate::input::input_model!(@struct
            [$form $(#[$meta])* $name]
            []
            $([$(#[$field_meta])*] $field $kind($($arg)+) = $wire;)+
        );

        impl $name {
            $(#[$fields_meta])*
            pub const FIELDS: &'static [&'static str] = &[$($wire),+];

            $(#[$from_json_meta])*
            pub fn from_json(value: &serde_json::Value) -> Result<Self, $crate::error::ValidationError> {
                let mut input = $crate::input::JsonInput::new(value, $what, Self::FIELDS)?;
                $($crate::input::input_model!(@read input $field $kind $wire);)+
                $($crate::input::input_model!(@read_nested input $field $kind $wire);)+
                let read = Self { $($field),+ };
                read.check($crate::validate::Checker::with_errors(input.into_errors()))
            }

            $(#[$validate_meta])*
            pub fn validate(&self) -> Result<Self, $crate::error::ValidationError> {
                self.check($crate::validate::Checker::new())
            }

            fn check(
                &self,
                mut c: $crate::validate::Checker,
            ) -> Result<Self, $crate::error::ValidationError> {
                $crate::input::input_model!(@check_all self c [] [] [] []
                    $($kind($($arg)+) $field = $wire,)+)
            }

            $crate::input::input_model!(@rules $($rules)*);
        }
    };
    // The struct, once every row has been turned into a field.
    (@struct [record $(#[$meta:meta])* $name:ident] $fields:tt) => {
        $crate::input::input_model!(@struct [struct
            $(#[$meta])*
            #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
            $name
        ] $fields);
    };
    (@struct [struct $(#[$meta:meta])* $name:ident] [$($fields:tt)*]) => {
        #[serde_with::skip_serializing_none]
        #[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
        $(#[$meta])*
        pub struct $name {
            $($fields)*
        }
    };
    // The first row left into a field: its Rust type and attributes, by
    // kind.
    (@struct $head:tt $done:tt $attr:tt $field:ident required($($rule:tt)+) = $wire:literal; $($rest:tt)*) => {
        $crate::input::input_model!(@push $head $done $attr $field: [String] = $wire; $($rest)*);
    };
    (@struct $head:tt $done:tt [$($attr:tt)*] $field:ident amount($($rule:tt)+) = $wire:literal; $($rest:tt)*) => {
        $crate::input::input_model!(@push $head $done
            [$($attr)* #[cfg_attr(feature = "tsify", tsify(type = "string"))]]
            $field: [$crate::money::AmountText] = $wire; $($rest)*);
    };
    (@struct $head:tt $done:tt $attr:tt $field:ident nested($($type:tt)+) = $wire:literal; $($rest:tt)*) => {
        $crate::input::input_model!(@push $head $done $attr $field: [$($type)+] = $wire; $($rest)*);
    };
    (@struct [record $($head:tt)*] $done:tt [$($attr:tt)*] $field:ident $kind:ident $rule:tt = $wire:literal; $($rest:tt)*) => {
        $crate::input::input_model!(@push [record $($head)*] $done
            [$($attr)* #[cfg_attr(feature = "uniffi", uniffi(default = None))]]
            $field: [Option<String>] = $wire; $($rest)*);
    };
    (@struct $head:tt $done:tt $attr:tt $field:ident $kind:ident $rule:tt = $wire:literal; $($rest:tt)*) => {
        $crate::input::input_model!(@push $head $done $attr $field: [Option<String>] = $wire; $($rest)*);
    };
    // The field added to those done; on to the next row.
    (@push $head:tt [$($done:tt)*] [$($attr:tt)*]
        $field:ident: [$($type:tt)*] = $wire:literal; $($rest:tt)*
    ) => {
        $crate::input::input_model!(@struct $head
            [
                $($done)*
                $($attr)*
                #[serde(rename = $wire)]
                pub $field: $($type)*,
            ]
            $($rest)*
        );
    };
    // Reading a field, by kind: text first, nested values after it.
    (@read $input:ident $field:ident required $wire:literal) => {
        let $field = $input.text($wire);
    };
    (@read $input:ident $field:ident amount $wire:literal) => {
        let $field = $crate::money::AmountText::from($input.amount($wire));
    };
    (@read $input:ident $field:ident nested $wire:literal) => {};
    (@read $input:ident $field:ident $kind:ident $wire:literal) => {
        let $field = $input.optional_text($wire);
    };
    (@read_nested $input:ident $field:ident nested $wire:literal) => {
        let $field = $input.nested($wire);
    };
    (@read_nested $input:ident $field:ident $kind:ident $wire:literal) => {};
    // Checking a field, by kind: its normalised value, or `None` with the
    // problem recorded.
    (@check $c:ident required($rule:expr) $wire:literal, $value:expr) => {
        $c.check($wire, ($rule)($value.as_str()))
    };
    (@check $c:ident amount($rule:expr) $wire:literal, $value:expr) => {
        $c.check($wire, ($rule)($value.as_str()))
    };
    (@check $c:ident optional($rule:expr) $wire:literal, $value:expr) => {
        $c.check_optional($wire, $value.as_deref(), $rule)
    };
    (@check $c:ident change($rule:expr) $wire:literal, $value:expr) => {
        $crate::input::check_change(&mut $c, $wire, &$value, $rule)
    };
    (@check $c:ident nested($($type:tt)+) $wire:literal, $value:expr) => {
        $crate::input::Nested::checked(&$value, &mut $c, $wire)
    };
    // The body of `check`, row by row: each field checked, in order, into
    // a `let` put back into the model once all are (`lets`, `fields`: a
    // required field's absence means a problem was recorded, hence `?`),
    // or straight into the model (`direct`); `[required]` once there is a
    // required field.
    (@check_all $s:tt $c:ident $required:tt $lets:tt $fields:tt $direct:tt
        required $arg:tt $field:ident = $wire:literal, $($rest:tt)*
    ) => {
        $crate::input::input_model!(@check_row $s $c [required] $lets $fields $direct
            required $arg $field = $wire, $($rest)*)
    };
    (@check_all $s:tt $c:ident $required:tt $lets:tt $fields:tt $direct:tt
        amount $arg:tt $field:ident = $wire:literal, $($rest:tt)*
    ) => {
        $crate::input::input_model!(@check_row $s $c [required] $lets $fields $direct
            amount $arg $field = $wire, $($rest)*)
    };
    (@check_all $s:tt $c:ident $required:tt $lets:tt $fields:tt $direct:tt
        $kind:ident $arg:tt $field:ident = $wire:literal, $($rest:tt)*
    ) => {
        $crate::input::input_model!(@check_row $s $c $required $lets $fields $direct
            $kind $arg $field = $wire, $($rest)*)
    };
    (@check_row $s:tt $c:ident $required:tt [$($lets:tt)*] [$($fields:tt)*] [$($direct:tt)*]
        $kind:ident $arg:tt $field:ident = $wire:literal, $($rest:tt)*
    ) => {
        $crate::input::input_model!(@check_all $s $c $required
            [$($lets)* let $field = $crate::input::input_model!(@check $c $kind $arg $wire, $s.$field);]
            [$($fields)* $field: $crate::input::input_model!(@finish $kind $field),]
            [$($direct)* $field: $crate::input::input_model!(@check $c $kind $arg $wire, $s.$field),]
            $($rest)*)
    };
    // With a required field the model is put together only when every one
    // is there; without, straight from the rules' answers, as one value
    // (each field in a `let` of its own, to be moved and dropped one by
    // one, makes a larger WebAssembly).
    (@check_all $s:tt $c:ident [required] [$($lets:tt)*] [$($fields:tt)*] $direct:tt) => {{
        $($lets)*
        $s.rules(&mut $c);
        $c.finish(|| Some(Self { $($fields)* }))
    }};
    (@check_all $s:tt $c:ident [] $lets:tt $fields:tt [$($direct:tt)*]) => {{
        let checked = Self { $($direct)* };
        $s.rules(&mut $c);
        $c.finish(|| Some(checked))
    }};
    (@finish required $field:ident) => { $field? };
    (@finish amount $field:ident) => { $field?.into() };
    (@finish $kind:ident $field:ident) => { $field };
    // The model's rules across fields, or none.
    (@rules) => {
        fn rules(&self, _: &mut $crate::validate::Checker) {}
    };
    (@rules $(#[$meta:meta])* fn rules $params:tt $body:block) => {
        $(#[$meta])*
        fn rules $params $body
    };
}
pub(crate) use input_model;

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::error::FieldErrorCode::{
        self, Inconsistent, InvalidFormat, InvalidType, OutOfRange, Required,
    };
    use crate::openbanking::NewDestination;
    use crate::payouts::models::{CustomerUpdate, NewCustomer, NewGig, NewSpecialPayment};

    fn problems<T>(outcome: Result<T, crate::ValidationError>) -> Vec<(String, FieldErrorCode)> {
        match outcome {
            Ok(_) => Vec::new(),
            Err(e) => e.errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn expected(pairs: &[(&str, FieldErrorCode)]) -> Vec<(String, FieldErrorCode)> {
        pairs.iter().map(|(f, c)| (f.to_string(), *c)).collect()
    }

    #[test]
    fn kinds_read_and_check_as_their_table_says() {
        let mut customer = json!({
            "firstName": "Jane", "lastName": "Doe", "birthday": "1980-12-31",
            "phoneNumber": "4085550100", "email": "jane@example.com",
            "street": "700 Treehouse Drive", "city": "San Jose", "state": "ca",
            "postalCode": "95101", "partnerUserId": "uid_1",
            "registrationDate": "2020-01-01", "middleName": " ",
        });
        // `optional`: blank text is not given, and not sent.
        let read = NewCustomer::from_json(&customer).unwrap();
        assert_eq!((read.middle_name, read.state.as_str()), (None, "CA"));
        // `required`: absent reads as blank; problems come in the rows'
        // order, a wrong JSON type once, under its field.
        let map = customer.as_object_mut().unwrap();
        map.remove("lastName");
        map.insert("firstName".into(), Value::Bool(true));
        assert_eq!(
            problems(NewCustomer::from_json(&customer)),
            expected(&[("firstName", InvalidType), ("lastName", Required)])
        );
        // `change`: blank text would be sent, so it is checked.
        assert_eq!(
            problems(CustomerUpdate::from_json(&json!({"street2": " "}))),
            expected(&[("street2", Required)])
        );
        // The model's rules run after the fields': a field of the wrong
        // type changes nothing.
        assert_eq!(
            problems(CustomerUpdate::from_json(&json!({"city": 5}))),
            expected(&[("city", InvalidType), ("$", Required)])
        );
        // `nested`: read after the text fields, checked in the rows' order.
        let destination = json!({
            "display_name": "Rent", "name": "Acme", "iban": "AE070331234567890123456",
            "government_identifier": "784", "account_number": 5,
        });
        assert_eq!(
            problems(NewDestination::from_json(&destination)),
            expected(&[
                ("account_number", InvalidType),
                ("government_identifier", InvalidType)
            ])
        );
        let destination = json!({
            "display_name": "Rent", "name": "Acme", "iban": "AE070331234567890123457",
            "government_identifier": {"type": "EMIRATES_ID", "value": "1"}, "swift_code": "x",
        });
        assert_eq!(
            problems(NewDestination::from_json(&destination)),
            expected(&[
                ("iban", InvalidFormat),
                ("government_identifier.value", InvalidFormat),
                ("swift_code", InvalidFormat),
            ])
        );
        // A model's rule across fields compares only those that passed
        // their own: tips of -1 fail, so the total is not compared.
        let gig = json!({
            "partnerUserId": "uid_1", "totalAmount": "1", "tips": "-1", "expenses": 5,
            "description": "Delivery", "gigId": "g_1",
            "startTime": "2021-03-01T21:04:04", "endTime": "2021-03-01T20:00:00",
        });
        assert_eq!(
            problems(NewGig::from_json(&gig)),
            expected(&[("tips", OutOfRange), ("endTime", Inconsistent)])
        );
        // `amount`: text or a JSON integer, put back in the API's form; a
        // number with a fraction is refused while reading. `nested` of an
        // optional JSON object: an object or nothing, both ways in.
        let payment = json!({"partnerUserId": "uid_1", "amount": 15, "type": "BONUS"});
        let read = NewSpecialPayment::from_json(&payment).unwrap();
        assert_eq!(
            (read.amount.as_str(), read.payment_type.as_str()),
            ("15.00", "bonus")
        );
        let payment = json!({"partnerUserId": "uid_1", "amount": 1.5, "userdata": [1]});
        assert_eq!(
            problems(NewSpecialPayment::from_json(&payment)),
            expected(&[
                ("amount", InvalidType),
                ("userdata", InvalidType),
                ("type", Required)
            ])
        );
        let payment = NewSpecialPayment {
            userdata: Some(json!("text")),
            ..read
        };
        assert_eq!(
            problems(payment.validate()),
            expected(&[("userdata", InvalidType)])
        );
        assert_eq!(
            CustomerUpdate::from_json(&json!({"state": "ny"})).unwrap(),
            CustomerUpdate {
                state: Some("NY".into()),
                ..CustomerUpdate::default()
            }
        );
    }
}
