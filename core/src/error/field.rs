//! The errors of one input field, and of an input as a whole: what every
//! host shows next to a form.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why one input field was refused. The string forms (`required`,
/// `too_long`, ...) are part of the public contract and never change;
/// [`FieldErrorCode::as_str`] is the one place they are spelled, and serde
/// reads and writes them through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldErrorCode {
    /// The field is missing, `null` or blank.
    Required,
    /// The field has the wrong JSON type (a number where text is expected,
    /// or a binary float where an exact amount is expected).
    InvalidType,
    /// The field is not part of this operation's input (often a typo).
    UnknownField,
    /// The text is longer than the API accepts.
    TooLong,
    /// The text contains characters the API does not accept.
    InvalidCharacters,
    /// The text does not have the required shape (email, ZIP code, time...).
    InvalidFormat,
    /// The value is not one of the accepted values (state code, payment type).
    InvalidValue,
    /// The text looks like a date but is not a real calendar date.
    InvalidDate,
    /// An amount has more than two decimal places; nothing is rounded.
    TooManyDecimals,
    /// A number is outside its allowed range (negative, zero, too large).
    OutOfRange,
    /// The value contradicts another field (tips + expenses above the total,
    /// an end before its start).
    Inconsistent,
}

impl FieldErrorCode {
    /// The stable wire form of the code, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::InvalidType => "invalid_type",
            Self::UnknownField => "unknown_field",
            Self::TooLong => "too_long",
            Self::InvalidCharacters => "invalid_characters",
            Self::InvalidFormat => "invalid_format",
            Self::InvalidValue => "invalid_value",
            Self::InvalidDate => "invalid_date",
            Self::TooManyDecimals => "too_many_decimals",
            Self::OutOfRange => "out_of_range",
            Self::Inconsistent => "inconsistent",
        }
    }

    /// Every code, in declaration order: what a host, a schema or a test
    /// enumerates, so that the list is written once.
    pub const ALL: [Self; 11] = [
        Self::Required,
        Self::InvalidType,
        Self::UnknownField,
        Self::TooLong,
        Self::InvalidCharacters,
        Self::InvalidFormat,
        Self::InvalidValue,
        Self::InvalidDate,
        Self::TooManyDecimals,
        Self::OutOfRange,
        Self::Inconsistent,
    ];

    /// The code of a wire form ([`FieldErrorCode::as_str`]), if it is one.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == text)
    }
}

impl Serialize for FieldErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FieldErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a field error code")))
    }
}

impl fmt::Display for FieldErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One refused input field. `field` is the API's own wire name
/// (`firstName`, not `first_name`) so that every host reports the same name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct FieldError {
    /// Wire name of the field, or `$` for the input as a whole.
    pub field: String,
    /// Machine-readable reason.
    #[cfg_attr(feature = "tsify", tsify(type = "FieldErrorCode"))]
    pub code: FieldErrorCode,
    /// What is wrong and how to fix it, for a person.
    pub message: String,
}

impl FieldError {
    /// Builds a field error; used by validation and by the sandbox.
    pub fn new(field: impl Into<String>, code: FieldErrorCode, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

impl FieldError {
    /// `{"field", "code", "message"}`, as its `Serialize` writes it.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        out.insert("field".to_owned(), self.field.clone().into());
        out.insert("code".to_owned(), self.code.as_str().into());
        out.insert("message".to_owned(), self.message.clone().into());
        serde_json::Value::Object(out)
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Every invalid field of one input, reported at once so that a form can
/// show all its problems in one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The failing fields, in the order the operation declares them.
    pub errors: Vec<FieldError>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.as_slice() {
            [one] => write!(f, "invalid input: {one}"),
            many => {
                write!(f, "invalid input ({} fields): ", many.len())?;
                for (i, e) in many.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FieldErrorCode::{self, *};

    #[test]
    fn field_error_codes_read_and_write_their_wire_form() {
        let mut seen = std::collections::HashSet::new();
        for code in FieldErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} is listed twice");
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<FieldErrorCode>(&json).unwrap(), code);
            assert_eq!(FieldErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(
            serde_json::to_string(&TooManyDecimals).unwrap(),
            "\"too_many_decimals\""
        );
        let wrong = serde_json::from_str::<FieldErrorCode>("\"Required\"").unwrap_err();
        assert!(
            wrong
                .to_string()
                .contains("`Required` is not a field error code"),
            "{wrong}"
        );
    }
}
