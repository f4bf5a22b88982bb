//! The one error type that crosses the boundary, and the panic guard.
//!
//! The error carries the core's stable `code` and its details; each host
//! builds its own idiomatic hierarchy from the code (Kotlin exception
//! subclasses, a Swift `Error`), so no host invents a code of its own.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// One refused input field, with the API's own wire name.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct FieldError {
    /// Wire name of the field (`firstName`), or `$` for the whole input.
    pub field: String,
    /// Stable reason: `required`, `too_long`, `invalid_format`...
    pub code: String,
    /// What is wrong and how to fix it, for a person.
    pub message: String,
}

/// Everything a host needs to rebuild the core's error as its own type.
/// Fields that do not belong to the error's kind are empty or `None`.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ErrorDetails {
    /// The stable machine code (`validation`, `not_found`, `transport`...).
    pub code: String,
    /// A message a person can act on.
    pub message: String,
    /// Validation failures, or the field errors an API 400 listed.
    pub field_errors: Vec<FieldError>,
    /// The HTTP status, for API errors and invalid responses.
    pub status: Option<u16>,
    /// The raw response body, for API errors and invalid responses.
    pub body: Option<String>,
    /// The API's own message, for API errors.
    pub api_message: Option<String>,
    /// The API's own error code (`CUSTOMER_ALREADY_EXISTS`, `FAILED`), for
    /// API errors whose body carried one.
    pub api_code: Option<String>,
    /// Open banking: why the bank could not provide the data, on a `FAILED`
    /// data answer (`granular_status_code`), to tell a consent to renew
    /// from a bank that is down.
    pub granular_status_code: Option<String>,
    /// The answer's request id, for support tickets.
    pub request_id: Option<String>,
    /// How long the API asked to wait (`Retry-After`), in milliseconds.
    pub retry_after_ms: Option<u64>,
    /// For transport errors: an attempt may have reached the API.
    pub outcome_unknown: bool,
    /// The `Idempotency-Key` the call sent, on `transport` and
    /// `invalid_response` errors: retry with it, never with a fresh one.
    pub idempotency_key: Option<String>,
    /// The caller-chosen ids the call sent, by wire name (`gigId`,
    /// `app_user_id`), on `transport` and `invalid_response` errors: look
    /// the record up by them before creating it again.
    pub sent_ids: std::collections::HashMap<String, String>,
    /// For `invalid_response`: the API answered 2xx to an operation that is
    /// not a read, so it applied it even though the body was unreadable.
    pub applied: bool,
    /// For `redirect`: the answer's `Location` header, if it had one.
    pub location: Option<String>,
    /// Every attempt of the call that ended with this error, in order
    /// (empty when nothing was sent): statuses and request ids to quote.
    pub attempts: Vec<crate::trace::NativeAttempt>,
}

/// Every failure, as one throwable type with the core's details.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Error)]
pub enum FfiError {
    /// The SDK refused or failed the call; `details.code` says why.
    Failed {
        /// The code, message and kind-specific details.
        details: ErrorDetails,
    },
}

impl std::fmt::Display for FfiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self::Failed { details } = self;
        write!(f, "{}: {}", details.code, details.message)
    }
}

impl std::error::Error for FfiError {}

impl From<lean_core::Error> for FfiError {
    fn from(error: lean_core::Error) -> Self {
        let field_errors = error
            .field_errors()
            .iter()
            .map(|e| FieldError {
                field: e.field.clone(),
                code: e.code.as_str().to_owned(),
                message: e.message.clone(),
            })
            .collect();
        let mut details = ErrorDetails {
            code: error.code().to_owned(),
            message: error.to_string(),
            field_errors,
            status: None,
            body: None,
            api_message: None,
            api_code: None,
            granular_status_code: None,
            request_id: None,
            retry_after_ms: None,
            outcome_unknown: false,
            idempotency_key: None,
            sent_ids: Default::default(),
            applied: false,
            location: None,
            attempts: crate::trace::attempts(error.attempts()),
        };
        report_what_was_sent(&error, &mut details);
        match &error {
            lean_core::Error::Api(api) => {
                details.status = Some(api.status);
                details.body = Some(api.body.clone());
                details.api_message = Some(api.message.clone());
                details.api_code = api.api_code.clone();
                details.granular_status_code = api.granular_status_code.clone();
                details.request_id = api.request_id.clone();
                details.retry_after_ms = api
                    .retry_after
                    .map(|d| d.as_millis().min(u128::from(u64::MAX)) as u64);
            }
            lean_core::Error::InvalidResponse { status, body, .. } => {
                details.status = Some(*status);
                details.body = Some(body.clone());
            }
            lean_core::Error::Transport {
                outcome_unknown, ..
            } => details.outcome_unknown = *outcome_unknown,
            _ => {}
        }
        Self::Failed { details }
    }
}

/// Copies the keys of the core's error JSON that report what a call sent
/// and where a redirect pointed (`idempotencyKey`, `sentIds`, `applied`,
/// `location`, and a redirect's `status`). Read from `to_json` rather than
/// matched on variants, so that the core stays the one place that decides
/// which error carries them.
fn report_what_was_sent(error: &lean_core::Error, details: &mut ErrorDetails) {
    let serde_json::Value::Object(json) = error.to_json() else {
        return;
    };
    let text = |key: &str| json.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    details.idempotency_key = text("idempotencyKey");
    details.location = text("location");
    details.applied = json.get("applied").and_then(|v| v.as_bool()) == Some(true);
    if let Some(serde_json::Value::Object(ids)) = json.get("sentIds") {
        details.sent_ids = ids
            .iter()
            .filter_map(|(name, id)| Some((name.clone(), id.as_str()?.to_owned())))
            .collect();
    }
    if details.status.is_none() {
        details.status = json
            .get("status")
            .and_then(|v| v.as_u64())
            .and_then(|s| u16::try_from(s).ok());
    }
}

/// Runs `f`, turning a panic into an `internal` error. Every exported
/// function goes through this.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, FfiError>) -> Result<T, FfiError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(lean_core::Error::from_panic(payload.as_ref()).into()))
}

/// Shorthand for fallible core calls inside [`guard`].
pub(crate) type Result<T, E = FfiError> = std::result::Result<T, E>;
