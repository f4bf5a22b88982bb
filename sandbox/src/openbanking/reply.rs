//! Open-banking answers and refusals in the API's documented shape: error
//! bodies carry `status` (the code, `CUSTOMER_ALREADY_EXISTS`) and
//! `message`; refusals of the core's validation also list the fields in
//! `errors: [{field, code, message}]`, which the core reads back into its
//! field errors.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use lean_core::openbanking::ErrorCode;
use lean_core::{Error, FieldError, FieldErrorCode, ValidationError};
use serde_json::{json, Value};

use crate::clock::{iso, now_ms};

/// A refused open-banking request.
#[derive(Clone, Debug, PartialEq)]
pub struct ObFailure {
    /// HTTP status.
    pub status: u16,
    /// The documented code (`INVALID_PARAMETERS`), or the sandbox's own
    /// where the documents name none (`NOT_FOUND`, `UNAUTHORIZED`).
    pub code: String,
    /// For a person.
    pub message: String,
    /// The refused fields, for 400s from the core's validation.
    pub errors: Vec<FieldError>,
}

/// The code of a 404 for an unknown record: the documents give none
/// (`INVALID_URL` is for unknown endpoints).
pub const NOT_FOUND: &str = "NOT_FOUND";

/// The code of a 404 for an account its entity does not have.
pub const ACCOUNT_NOT_FOUND: &str = "ACCOUNT_NOT_FOUND";

/// The code of a 401 for a missing, unknown or expired credential: the
/// documents give none (`CERTIFICATE_TOKEN_MISMATCH` is about certificates).
pub const UNAUTHORIZED: &str = "UNAUTHORIZED";

impl ObFailure {
    /// A refusal with a documented code and its documented status.
    pub fn code(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status: code.documented_status().unwrap_or(400),
            code: code.as_str().to_owned(),
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// A refusal with any status and code.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            errors: Vec::new(),
        }
    }

    /// 404 for an unknown record.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, NOT_FOUND, message)
    }

    /// 403: the token may not reach this record or call.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::code(ErrorCode::InsufficientAccessLevel, message)
    }

    /// 400 from the core's validation: `MISSING_PARAMETERS` when every
    /// problem is a missing field, `INVALID_PARAMETERS` otherwise.
    pub fn invalid(error: ValidationError) -> Self {
        let missing = !error.errors.is_empty()
            && error
                .errors
                .iter()
                .all(|e| e.code == FieldErrorCode::Required);
        let code = if missing {
            ErrorCode::MissingParameters
        } else {
            ErrorCode::InvalidParameters
        };
        Self {
            errors: error.errors.clone(),
            ..Self::code(code, error.to_string())
        }
    }

    /// 400 naming one field.
    pub fn field(field: &str, code: FieldErrorCode, message: impl Into<String>) -> Self {
        Self::invalid(ValidationError {
            errors: vec![FieldError::new(field, code, message)],
        })
    }

    /// A core error met while reading a request: validation becomes 400,
    /// anything else (an unknown operation name cannot happen here) 500.
    pub fn from_core(error: Error) -> Self {
        match error {
            Error::Validation(v) => Self::invalid(v),
            other => Self::code(ErrorCode::InternalServerError, other.to_string()),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "status": self.code,
            "message": self.message,
            "timestamp": iso(now_ms()),
        });
        if !self.errors.is_empty() {
            body["errors"] = json!(self.errors);
        }
        body
    }
}

impl From<rusqlite::Error> for ObFailure {
    fn from(e: rusqlite::Error) -> Self {
        Self::code(
            ErrorCode::InternalServerError,
            format!("sandbox storage error: {e}"),
        )
    }
}

/// An answer with a JSON body given as text.
pub fn text(status: u16, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The answer to a refused request. A 401 names the accepted schemes.
pub fn failure(f: &ObFailure) -> Response {
    let mut response = text(f.status, f.body().to_string());
    if f.status == 401 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"lean-sandbox\""),
        );
    }
    response
}
