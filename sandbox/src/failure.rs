//! Answers of the payouts API and of the admin routes, and their refusals
//! in the body shape the core reads back (`lean_core::api_error`):
//! `{"message", "errors": [{"field", "code", "message"}]}`.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
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

/// An answer with a JSON body.
pub fn reply(status: u16, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A 200 with `value` as its body.
pub fn ok(value: &Value) -> Response {
    reply(200, Body::from(value.to_string()))
}

/// The answer to a refused request. A 401 names the Basic scheme.
pub fn failure(f: &Failure) -> Response {
    let mut response = reply(f.status, Body::from(f.body().to_string()));
    if f.status == 401 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"lean-sandbox\""),
        );
    }
    response
}

/// The answer to an operation's result.
pub fn answer(result: Result<Value, Failure>) -> Response {
    match result {
        Ok(v) => ok(&v),
        Err(f) => failure(&f),
    }
}
