//! Refusals, in the body shape the core reads back
//! (`lean_core::api_error`): `{"message", "errors": [{"field", "code",
//! "message"}]}`.

use lean_core::{FieldError, FieldErrorCode, ValidationError};
use serde_json::{json, Value};

/// A non-2xx answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// HTTP status.
    pub status: u16,
    /// For a person.
    pub message: String,
    /// The refused fields, for 400s.
    pub errors: Vec<FieldError>,
}

impl Failure {
    /// 400 from the core's own validation.
    pub fn invalid(error: ValidationError) -> Self {
        Self {
            status: 400,
            message: error.to_string(),
            errors: error.errors,
        }
    }

    /// 400 naming one field.
    pub fn field(field: &str, code: FieldErrorCode, message: impl Into<String>) -> Self {
        Self::invalid(ValidationError {
            errors: vec![FieldError::new(field, code, message)],
        })
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: 404,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// Any other status with a message.
    pub fn status(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// A database failure: a 500 that says so (never seen in normal use).
    pub fn storage(error: rusqlite::Error) -> Self {
        Self::status(500, format!("sandbox storage error: {error}"))
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        json!({ "message": self.message, "errors": self.errors })
    }
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Self::storage(e)
    }
}
