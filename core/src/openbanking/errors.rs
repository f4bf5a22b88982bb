//! The open-banking API's documented error codes, in the crate's one error
//! shape.
//!
//! Lean's error bodies carry `status` (the code, `CUSTOMER_ALREADY_EXISTS`)
//! and `message`. A non-2xx answer becomes [`Error::Api`] exactly as for
//! payouts (same kinds, retries and `to_json`), with the body's code in
//! [`ApiError::api_code`] (`apiCode` in the JSON every host exposes);
//! [`error_code`] reads it as an [`ErrorCode`]. A data call that answers
//! HTTP 200 with `status: "FAILED"` is an [`Error::Api`] too, with status
//! 200 and code `FAILED`.

use serde_json::Value;

use crate::error::{ApiError, ApiErrorKind, Error};
use crate::http::HttpResponse;
use crate::wire::wire_enum;

wire_enum! {
    /// A code of the API's error bodies (reference, *General errors*, and
    /// `FAILED` from the data endpoints).
    ErrorCode {
        /// 400: a required parameter is missing.
        MissingParameters = "MISSING_PARAMETERS",
        /// 400: a parameter is invalid.
        InvalidParameters = "INVALID_PARAMETERS",
        /// 401: the certificate does not belong to the application token.
        CertificateTokenMismatch = "CERTIFICATE_TOKEN_MISMATCH",
        /// 403: the client certificate was refused.
        InvalidCertificate = "INVALID_CERTIFICATE",
        /// 403: the token's access level does not allow this call.
        IncorrectAccessLevel = "INCORRECT_ACCESS_LEVEL",
        /// 403: the token's access level is too low for this call.
        InsufficientAccessLevel = "INSUFFICIENT_ACCESS_LEVEL",
        /// 404: no such endpoint.
        InvalidUrl = "INVALID_URL",
        /// 405: the endpoint does not take this method.
        InvalidHttpMethod = "INVALID_HTTP_METHOD",
        /// 409: a customer with this `app_user_id` exists; look it up with
        /// `getCustomerByAppUserId` instead of creating it again.
        CustomerAlreadyExists = "CUSTOMER_ALREADY_EXISTS",
        /// 429: too many requests.
        RateLimitExceeded = "RATE_LIMIT_EXCEEDED",
        /// 500: Lean failed.
        InternalServerError = "INTERNAL_SERVER_ERROR",
        /// HTTP 200 with `status: "FAILED"`: the bank could not provide the
        /// data (see `granular_status_code`).
        Failed = "FAILED",
    }
}

impl ErrorCode {
    /// The HTTP status the documents give for this code.
    pub fn documented_status(&self) -> Option<u16> {
        Some(match self {
            Self::MissingParameters | Self::InvalidParameters => 400,
            Self::CertificateTokenMismatch => 401,
            Self::InvalidCertificate
            | Self::IncorrectAccessLevel
            | Self::InsufficientAccessLevel => 403,
            Self::InvalidUrl => 404,
            Self::InvalidHttpMethod => 405,
            Self::CustomerAlreadyExists => 409,
            Self::RateLimitExceeded => 429,
            Self::InternalServerError => 500,
            Self::Failed => 200,
            Self::Unknown(_) => return None,
        })
    }
}

/// The error of a non-2xx answer: the payouts [`ApiError`] (kind from the
/// status, request id, `Retry-After`, raw body), with the body's code.
pub fn api_error(response: &HttpResponse) -> ApiError {
    let mut api = crate::response::api_error(response);
    api.api_code = body_code(&response.body);
    api
}

/// The error of a 2xx body with `status: "FAILED"`.
pub(crate) fn failed(response: &HttpResponse, json: &Value) -> Error {
    let text = |key: &str| {
        json.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let mut message = text("message")
        .unwrap_or("the bank could not provide the data")
        .to_owned();
    let granular_status_code = text("granular_status_code").map(str::to_owned);
    if let Some(granular) = &granular_status_code {
        message.push_str(&format!(" ({granular})"));
    }
    Error::from(ApiError {
        status: response.status,
        kind: ApiErrorKind::Other,
        message,
        api_code: Some(ErrorCode::Failed.as_str().to_owned()),
        granular_status_code,
        body: response.body_text(),
        request_id: crate::response::request_id(response),
        field_errors: Vec::new(),
        retry_after: None,
        attempts: Box::default(),
    })
}

fn body_code(body: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(body).ok()?;
    let code = json.get("status")?.as_str()?.trim();
    let plausible = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    plausible.then(|| code.to_owned())
}

/// The documented code of an open-banking API error, read from its body;
/// `None` for other errors or bodies without a code.
pub fn error_code(error: &Error) -> Option<ErrorCode> {
    match error {
        Error::Api(api) => api.api_code.as_deref().map(ErrorCode::parse),
        _ => None,
    }
}

/// The `granular_status_code` of a `FAILED` data answer, if it has one.
pub fn granular_status_code(error: &Error) -> Option<String> {
    match error {
        Error::Api(api) => api.granular_status_code.clone(),
        _ => None,
    }
}
