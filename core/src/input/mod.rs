//! Reading operation inputs from JSON, the form every host passes them in.
//!
//! A typed `serde` derive would stop at the first wrong field; partners
//! filling a form want all of them. This reader takes each field on its
//! own, records wrong JSON types and unknown fields as [`FieldError`]s, and
//! hands the rest to the validation rules, which then skip the fields
//! already reported.

use serde_json::{Map, Value};

use crate::error::{FieldError, FieldErrorCode, ValidationError};
use crate::operation_kind::OperationName;

/// One JSON object being read field by field.
pub(crate) struct JsonInput<'a> {
    map: &'a Map<String, Value>,
    errors: Vec<FieldError>,
}

impl<'a> JsonInput<'a> {
    /// Starts reading `value`, which must be an object whose keys are all in
    /// `fields` (the operation's wire names).
    pub(crate) fn new(
        value: &'a Value,
        what: &str,
        fields: &[&str],
    ) -> Result<Self, ValidationError> {
        let Value::Object(map) = value else {
            return Err(ValidationError {
                errors: vec![FieldError::new(
                    "$",
                    FieldErrorCode::InvalidType,
                    format!("{what} must be a JSON object, found {}", json_type(value)),
                )],
            });
        };
        let errors = map
            .keys()
            .filter(|key| !fields.contains(&key.as_str()))
            .map(|key| unknown_field(key, what, fields))
            .collect();
        Ok(Self { map, errors })
    }

    /// A text field. Missing and `null` read as empty text, which the rules
    /// report as `required`.
    pub(crate) fn text(&mut self, field: &str) -> String {
        match self.map.get(field) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                self.wrong_type(field, "text", other);
                String::new()
            }
        }
    }

    /// An optional text field; `null` is the same as absent.
    pub(crate) fn optional_text(&mut self, field: &str) -> Option<String> {
        match self.map.get(field)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong_type(field, "text", other);
                None
            }
        }
    }

    /// An amount: a string, or a JSON integer (exact). A number with a
    /// fraction is refused: it has been a binary float on its way here and
    /// may no longer be the amount the caller meant.
    pub(crate) fn amount(&mut self, field: &str) -> String {
        match self.map.get(field) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(Value::Number(n)) => {
                self.errors.push(FieldError::new(
                    field,
                    FieldErrorCode::InvalidType,
                    format!(
                        "must be a string such as \"{n}\", not a number: binary floating point cannot hold every amount exactly"
                    ),
                ));
                String::new()
            }
            Some(other) => {
                self.wrong_type(field, "an amount string like \"15.00\"", other);
                String::new()
            }
        }
    }

    /// A value of more than text (kind `nested` of [`input_model!`]), read
    /// by its type once the text fields are.
    pub(crate) fn nested<T: Nested>(&mut self, field: &str) -> T {
        let value = self.map.get(field).filter(|value| !value.is_null());
        T::read(value, field, &mut self.errors)
    }

    /// The problems found while reading.
    pub(crate) fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    fn wrong_type(&mut self, field: &str, expected: &str, found: &Value) {
        self.errors.push(FieldError::new(
            field,
            FieldErrorCode::InvalidType,
            format!("must be {expected}, found {}", json_type(found)),
        ));
    }
}

fn unknown_field(key: &str, what: &str, fields: &[&str]) -> FieldError {
    let squash = |s: &str| s.replace(['_', '-'], "").to_ascii_lowercase();
    let message = match fields.iter().find(|f| squash(f) == squash(key)) {
        Some(known) => format!("is not a field of {what}; did you mean \"{known}\"?"),
        None => format!(
            "is not a field of {what}; expected one of: {}",
            fields.join(", ")
        ),
    };
    FieldError::new(key, FieldErrorCode::UnknownField, message)
}

/// A text argument of a call in its host-neutral JSON form (`"gigId"`,
/// `"idempotencyKey"`): absent and `null` read as empty text, which the
/// identifier rules report as `required`; any other JSON type is refused.
pub(crate) fn call_text(call: &Value, field: &str) -> Result<String, crate::Error> {
    match call.get(field) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(crate::validate::field_error(
            field,
            crate::validate::Problem::new(
                FieldErrorCode::InvalidType,
                format!("must be text, found {}", json_type(other)),
            ),
        )),
    }
}

/// The operation a call in its host-neutral JSON form names
/// (`"operation"`) and the call's `input` (`null` when absent). An unknown
/// name is refused with the API's names; `api` qualifies "operation" in
/// that error ("open-banking ").
pub(crate) fn call_operation<'a, K: OperationName>(
    call: &'a Value,
    api: &str,
) -> Result<(K, &'a Value), crate::Error> {
    let name = call
        .get("operation")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind = K::KINDS
        .iter()
        .copied()
        .find(|k| k.wire_name() == name)
        .ok_or_else(|| {
            crate::Error::configuration(format!(
                "unknown {api}operation {name:?}; expected one of: {}",
                K::all_names()
            ))
        })?;
    Ok((kind, call.get("input").unwrap_or(&Value::Null)))
}

/// The JSON type of a value, for messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

mod model;

pub(crate) use model::{check_change, input_model, Nested};
