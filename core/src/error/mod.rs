//! The one public error shape shared by every host.
//!
//! Every failure the SDK reports is an [`Error`] with a stable machine
//! [`Error::code`], a message a person can act on, and the details of its
//! kind. Hosts map the variants onto their own idiom (JS `Error` subclasses,
//! Python exception classes, Kotlin exceptions, Swift `Error` enums) without
//! inventing codes of their own, so a code means the same thing everywhere.

use std::fmt;
use std::time::Duration;

use crate::engine::event::Attempt;

mod field;

pub use field::{FieldError, FieldErrorCode, ValidationError};

/// The class of a non-2xx answer from the API, which decides retries and the
/// host exception type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiErrorKind {
    /// 400: the API refused the input; never retried.
    BadRequest,
    /// 401: the API key was refused; never retried.
    Unauthorized,
    /// 404: no such customer, gig or payment; never retried.
    NotFound,
    /// 429: too many requests; retried after `Retry-After`.
    RateLimited,
    /// 503: the service is down for a moment; retried.
    ServiceUnavailable,
    /// Any other 5xx; retried.
    Server,
    /// Any other status; not retried.
    Other,
}

impl ApiErrorKind {
    /// Classifies an HTTP status.
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            404 => Self::NotFound,
            429 => Self::RateLimited,
            503 => Self::ServiceUnavailable,
            500..=599 => Self::Server,
            _ => Self::Other,
        }
    }

    /// Every kind, in declaration order: what a host enumerates (its error
    /// classes, its declarations), so that the list is written once.
    pub const ALL: [Self; 7] = [
        Self::BadRequest,
        Self::Unauthorized,
        Self::NotFound,
        Self::RateLimited,
        Self::ServiceUnavailable,
        Self::Server,
        Self::Other,
    ];

    /// The stable error code of this kind.
    pub fn code(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::NotFound => "not_found",
            Self::RateLimited => "rate_limited",
            Self::ServiceUnavailable => "service_unavailable",
            Self::Server => "server_error",
            Self::Other => "api_error",
        }
    }
}

/// A non-2xx answer from the API, with everything needed to act on it or to
/// report it to Lean support.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The class of the status.
    pub kind: ApiErrorKind,
    /// The API's own message when the body carries one, else a description
    /// of the status.
    pub message: String,
    /// The API's own error code when the body carries one (open banking:
    /// `CUSTOMER_ALREADY_EXISTS`, `INVALID_PARAMETERS`, `FAILED`, ...); the
    /// SDK's code is [`Error::code`].
    pub api_code: Option<String>,
    /// Open banking: why the bank could not provide the data, on a
    /// `FAILED` data answer (`granular_status_code`), so that a program can
    /// tell a consent to renew from a bank that is down.
    pub granular_status_code: Option<String>,
    /// The raw response body as text (lossy UTF-8), always kept.
    pub body: String,
    /// The request id header of the answer, for support tickets.
    pub request_id: Option<String>,
    /// Field errors the API listed in its body, when it listed any.
    pub field_errors: Vec<FieldError>,
    /// How long the API asked the client to wait (`Retry-After`), if it did.
    pub retry_after: Option<Duration>,
    /// Every attempt of the call that ended with this answer, in order
    /// (empty when no call reported it): their request ids are what
    /// Lean's support asks for.
    pub attempts: Box<[Attempt]>,
}

/// What exactly is wrong with a webhook signature. Each problem has its own
/// error code because each has a different fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureProblem {
    /// No `x-lean-signature` header (or an empty one): the request did not
    /// come from Lean, or a proxy dropped the header.
    MissingHeader,
    /// The header is not the base64 form of an HMAC-SHA1 (20 bytes).
    MalformedHeader,
    /// The header is well formed but matches none of the secrets: a wrong
    /// secret, or a body altered (often re-serialised JSON) before checking.
    Mismatch,
}

impl SignatureProblem {
    /// Every problem, in declaration order (see [`ApiErrorKind::ALL`]).
    pub const ALL: [Self; 3] = [Self::MissingHeader, Self::MalformedHeader, Self::Mismatch];

    /// The stable error code of this problem.
    pub fn code(self) -> &'static str {
        match self {
            Self::MissingHeader => "signature_missing",
            Self::MalformedHeader => "signature_malformed",
            Self::Mismatch => "signature_mismatch",
        }
    }
}

/// Every failure the SDK reports. Match on the variant in Rust; use
/// [`Error::code`] across languages.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input was refused before anything was sent.
    Validation(ValidationError),
    /// The client is set up wrongly (bad key, base URL, or an operation the
    /// environment does not offer).
    Configuration {
        /// What to change.
        message: String,
    },
    /// The API answered with a non-2xx status (after any retries). Boxed:
    /// it is the largest variant, and errors travel through every `Result`.
    Api(Box<ApiError>),
    /// The call ended without an answer from the API: the transport failed
    /// on every attempt it was allowed, an attempt that may have been
    /// applied could not safely be repeated, or the host interrupted the
    /// call. The message says what to do next.
    Transport {
        /// What happened, and what to do next.
        message: String,
        /// True when an attempt may have reached the API: for a payout this
        /// means "look it up before paying again".
        outcome_unknown: bool,
        /// The `Idempotency-Key` the request carried, if any: retrying with
        /// it (within 24 hours) finishes the payment at most once.
        idempotency_key: Option<String>,
        /// The caller-chosen ids that were sent, by wire name (`gigId`,
        /// `partnerUserId`, `app_user_id`): what to look the record up by.
        sent_ids: Vec<(String, String)>,
        /// Every attempt of the call, in order (empty outside a call).
        attempts: Box<[Attempt]>,
    },
    /// A 2xx answer whose body is not what the API documents.
    InvalidResponse {
        /// What could not be parsed.
        message: String,
        /// The HTTP status of the answer.
        status: u16,
        /// The raw body as text (lossy UTF-8).
        body: String,
        /// True when the operation is not a read: a 2xx says the API applied
        /// it, so repeating it (with a fresh key) would apply it twice.
        applied: bool,
        /// The `Idempotency-Key` the request carried, if any.
        idempotency_key: Option<String>,
        /// The caller-chosen ids that were sent, by wire name.
        sent_ids: Vec<(String, String)>,
        /// Every attempt of the call, in order (empty outside a call).
        attempts: Box<[Attempt]>,
    },
    /// The API answered with a redirect (3xx). The SDK never follows one, so
    /// that credentials only ever go to the configured origin; nothing is
    /// retried.
    Redirect {
        /// The HTTP status of the answer.
        status: u16,
        /// The `Location` header, if the answer had one.
        location: Option<String>,
        /// Every attempt of the call, in order (empty outside a call).
        attempts: Box<[Attempt]>,
    },
    /// A retried create found an existing record with the same identifier
    /// but different content: the identifier was reused for another payout.
    Conflict {
        /// Which fields differ.
        message: String,
        /// Every attempt of the call, in order (empty outside a call).
        attempts: Box<[Attempt]>,
    },
    /// A webhook signature did not verify.
    WebhookSignature {
        /// Which check failed.
        problem: SignatureProblem,
        /// What to check.
        message: String,
    },
    /// A verified webhook body is not a valid `{"event", "data"}` envelope.
    WebhookPayload {
        /// What is wrong with the body.
        message: String,
    },
    /// A bug in the SDK (a caught panic, or the call engine used out of
    /// order). Never the caller's input.
    Internal {
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// Every code [`Error::code`] returns, in declaration order: what a host
    /// enumerates (its declarations, its error classes), so that the list
    /// is written once.
    pub const CODES: [&'static str; 18] = [
        "validation",
        "configuration",
        "bad_request",
        "unauthorized",
        "not_found",
        "rate_limited",
        "service_unavailable",
        "server_error",
        "api_error",
        "transport",
        "invalid_response",
        "conflict",
        "redirect",
        "signature_missing",
        "signature_malformed",
        "signature_mismatch",
        "invalid_payload",
        "internal",
    ];

    /// The stable machine code: `validation`, `configuration`, the API codes
    /// of [`ApiErrorKind::code`], `transport`, `invalid_response`,
    /// `conflict`, `redirect`, the signature codes of [`SignatureProblem::code`],
    /// `invalid_payload` or `internal`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation",
            Self::Configuration { .. } => "configuration",
            Self::Api(api) => api.kind.code(),
            Self::Transport { .. } => "transport",
            Self::InvalidResponse { .. } => "invalid_response",
            Self::Conflict { .. } => "conflict",
            Self::Redirect { .. } => "redirect",
            Self::WebhookSignature { problem, .. } => problem.code(),
            Self::WebhookPayload { .. } => "invalid_payload",
            Self::Internal { .. } => "internal",
        }
    }

    /// The field errors of a validation error, or those the API listed in a
    /// 400 body; empty otherwise.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Validation(v) => &v.errors,
            Self::Api(api) => &api.field_errors,
            _ => &[],
        }
    }

    /// Every attempt of the call that ended with this error, in order, with
    /// its status and request id: empty for errors raised before anything
    /// was sent (validation, configuration) or outside a call.
    pub fn attempts(&self) -> &[Attempt] {
        match self {
            Self::Api(api) => &api.attempts,
            Self::Transport { attempts, .. }
            | Self::InvalidResponse { attempts, .. }
            | Self::Redirect { attempts, .. }
            | Self::Conflict { attempts, .. } => attempts,
            _ => &[],
        }
    }

    /// Records the attempts of the call that ends with this error. Kinds
    /// that no call ends with after sending (validation, configuration,
    /// internal, webhook errors) keep none.
    pub(crate) fn set_attempts(&mut self, made: &[Attempt]) {
        match self {
            Self::Api(api) => api.attempts = made.into(),
            Self::Transport { attempts, .. }
            | Self::InvalidResponse { attempts, .. }
            | Self::Redirect { attempts, .. }
            | Self::Conflict { attempts, .. } => *attempts = made.into(),
            _ => {}
        }
    }

    /// The error as one JSON object, the shape every host exposes:
    /// `{"code", "message"}` plus, by kind, `fieldErrors`, `status`, `body`,
    /// `apiMessage`, `apiCode`, `granularStatusCode`, `requestId`, `retryAfterMs`; on `transport`
    /// `outcomeUnknown`, `sentIds` (an object, possibly empty) and
    /// `idempotencyKey` (when one was sent); on `invalid_response` also
    /// `applied`, `sentIds` and `idempotencyKey`; on `redirect` `status` and
    /// `location` (when the answer had one); and `attempts` (see
    /// [`Attempt::to_json`]) on any error that ended a call after it sent
    /// something. Bindings build their native error objects from this, so
    /// no host re-derives the details.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Map, Value};
        // Built field by field (no `json!` and `Serialize` round trip):
        // every host throws errors through here, and the npm package's
        // wasm pays for each serde path it links.
        fn field_errors(errors: &[FieldError]) -> Value {
            Value::Array(errors.iter().map(FieldError::to_json).collect())
        }
        fn ids(sent: &[(String, String)]) -> Value {
            Value::Object(
                sent.iter()
                    .map(|(name, id)| (name.clone(), Value::String(id.clone())))
                    .collect(),
            )
        }
        let mut out = Map::new();
        let mut put = |key: &str, value: Value| {
            out.insert(key.to_owned(), value);
        };
        put("code", self.code().into());
        put("message", self.to_string().into());
        match self {
            Self::Validation(v) => put("fieldErrors", field_errors(&v.errors)),
            Self::Api(api) => {
                put("status", api.status.into());
                put("body", api.body.clone().into());
                put("apiMessage", api.message.clone().into());
                if let Some(code) = &api.api_code {
                    put("apiCode", code.clone().into());
                }
                if let Some(code) = &api.granular_status_code {
                    put("granularStatusCode", code.clone().into());
                }
                if let Some(id) = &api.request_id {
                    put("requestId", id.clone().into());
                }
                if let Some(wait) = api.retry_after {
                    put(
                        "retryAfterMs",
                        (wait.as_millis().min(u64::MAX as u128) as u64).into(),
                    );
                }
                if !api.field_errors.is_empty() {
                    put("fieldErrors", field_errors(&api.field_errors));
                }
            }
            Self::Transport {
                outcome_unknown,
                idempotency_key,
                sent_ids,
                ..
            } => {
                put("outcomeUnknown", (*outcome_unknown).into());
                if let Some(key) = idempotency_key {
                    put("idempotencyKey", key.clone().into());
                }
                put("sentIds", ids(sent_ids));
            }
            Self::InvalidResponse {
                status,
                body,
                applied,
                idempotency_key,
                sent_ids,
                ..
            } => {
                put("status", (*status).into());
                put("body", body.clone().into());
                put("applied", (*applied).into());
                if let Some(key) = idempotency_key {
                    put("idempotencyKey", key.clone().into());
                }
                put("sentIds", ids(sent_ids));
            }
            Self::Redirect {
                status, location, ..
            } => {
                put("status", (*status).into());
                if let Some(location) = location {
                    put("location", location.clone().into());
                }
            }
            _ => {}
        }
        if !self.attempts().is_empty() {
            out.insert("attempts".to_owned(), Attempt::list_json(self.attempts()));
        }
        Value::Object(out)
    }

    pub(crate) fn configuration(message: impl Into<String>) -> Self {
        Self::Configuration {
            message: message.into(),
        }
    }

    /// A `transport` error that reached nothing: no outcome is unknown and
    /// nothing was sent that needs reporting (a token request that failed,
    /// no randomness from the operating system).
    pub fn transport(message: impl Into<String>) -> Self {
        Self::Transport {
            message: message.into(),
            outcome_unknown: false,
            idempotency_key: None,
            sent_ids: Vec::new(),
            attempts: Box::default(),
        }
    }

    /// An unreadable 2xx of a read (nothing applied), before the call
    /// engine adds what was sent.
    pub(crate) fn invalid_response(message: impl Into<String>, status: u16, body: String) -> Self {
        Self::InvalidResponse {
            message: message.into(),
            status,
            body,
            applied: false,
            idempotency_key: None,
            sent_ids: Vec::new(),
            attempts: Box::default(),
        }
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::Internal {
            message: message.into(),
        }
    }

    /// Wraps a panic payload caught by a host binding, so that it becomes an
    /// ordinary, catchable error with code `internal`.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Self::internal(format!(
            "internal error in lean-sdk (please report it): {detail}"
        ))
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Self::Validation(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Validation(v) => v.fmt(f),
            Self::Api(api) => match &api.api_code {
                Some(code) => write!(
                    f,
                    "Lean API answered {} {code}: {}",
                    api.status, api.message
                ),
                None => write!(f, "Lean API answered {}: {}", api.status, api.message),
            },
            Self::InvalidResponse {
                message,
                status,
                applied: true,
                idempotency_key,
                sent_ids,
                ..
            } => {
                write!(
                    f,
                    "the Lean API answered {status}, so it applied the request, but its answer could not be read: {message}. Do not repeat the request"
                )?;
                match (idempotency_key, sent_ids.as_slice()) {
                    (Some(key), _) => write!(
                        f,
                        " with a new idempotency key; its key was {key}: retry with that key to read the result safely"
                    ),
                    (None, []) => f.write_str("; look up what it made instead"),
                    (None, ids) => {
                        f.write_str("; look up ")?;
                        for (i, (name, id)) in ids.iter().enumerate() {
                            if i > 0 {
                                f.write_str(" and ")?;
                            }
                            write!(f, "{name} {id:?}")?;
                        }
                        f.write_str(" instead")
                    }
                }
            }
            Self::InvalidResponse {
                message, status, ..
            } => write!(
                f,
                "unexpected response from the Lean API (status {status}): {message}"
            ),
            Self::Redirect {
                status, location, ..
            } => match location {
                Some(location) => write!(
                    f,
                    "the Lean API answered {status}, a redirect to {}; the SDK never follows redirects, so that credentials stay on the configured origin: check the configured base URL",
                    shown_location(location)
                ),
                None => write!(
                    f,
                    "the Lean API answered {status}, a redirect without a Location; the SDK never follows redirects, so that credentials stay on the configured origin: check the configured base URL"
                ),
            },
            Self::Configuration { message }
            | Self::Transport { message, .. }
            | Self::Conflict { message, .. }
            | Self::WebhookSignature { message, .. }
            | Self::WebhookPayload { message }
            | Self::Internal { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// A `Location` as shown in a message: quoted, cut short if it is long (a
/// hostile server chooses it).
fn shown_location(location: &str) -> String {
    const MAX: usize = 512;
    match location.char_indices().nth(MAX) {
        Some((end, _)) => format!("{:?}...", &location[..end]),
        None => format!("{location:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{ApiErrorKind, Error, SignatureProblem, ValidationError};
    use serde_json::json;

    #[test]
    fn codes_lists_every_code_once() {
        let text = || "m".to_owned();
        let mut seen: Vec<&str> = [400, 401, 404, 418, 429, 500, 503]
            .map(|status| ApiErrorKind::from_status(status).code())
            .to_vec();
        let samples = [
            Error::Validation(ValidationError { errors: vec![] }),
            Error::Configuration { message: text() },
            Error::transport("m"),
            Error::InvalidResponse {
                message: text(),
                status: 200,
                body: text(),
                applied: false,
                idempotency_key: None,
                sent_ids: vec![],
                attempts: Box::default(),
            },
            Error::Redirect {
                status: 302,
                location: None,
                attempts: Box::default(),
            },
            Error::Conflict {
                message: text(),
                attempts: Box::default(),
            },
            Error::WebhookPayload { message: text() },
            Error::Internal { message: text() },
        ];
        for error in &samples {
            // Names every variant: a new one fails to build here until it
            // has a sample (and its code a place in `CODES`).
            match error {
                Error::Validation(_)
                | Error::Configuration { .. }
                | Error::Api(_)
                | Error::Transport { .. }
                | Error::InvalidResponse { .. }
                | Error::Redirect { .. }
                | Error::Conflict { .. }
                | Error::WebhookSignature { .. }
                | Error::WebhookPayload { .. }
                | Error::Internal { .. } => seen.push(error.code()),
            }
        }
        for problem in [
            SignatureProblem::MissingHeader,
            SignatureProblem::MalformedHeader,
            SignatureProblem::Mismatch,
        ] {
            seen.push(problem.code());
        }
        seen.sort_unstable();
        let mut listed = Error::CODES.to_vec();
        listed.sort_unstable();
        assert_eq!(seen, listed);
    }

    #[test]
    fn the_json_of_a_transport_error_says_what_was_sent() {
        let error = Error::Transport {
            message: "lost".into(),
            outcome_unknown: true,
            idempotency_key: Some("key-1".into()),
            sent_ids: vec![("gigId".into(), "g1".into())],
            attempts: Box::default(),
        };
        let json = error.to_json();
        assert_eq!(json["code"], "transport");
        assert_eq!(json["outcomeUnknown"], true);
        assert_eq!(json["idempotencyKey"], "key-1");
        assert_eq!(json["sentIds"], json!({"gigId": "g1"}));
        let plain = Error::transport("refused").to_json();
        assert_eq!(plain["sentIds"], json!({}));
        assert!(plain.get("idempotencyKey").is_none());
    }

    #[test]
    fn the_json_of_an_applied_invalid_response_and_of_a_redirect() {
        let error = Error::InvalidResponse {
            message: "amount is not an amount".into(),
            status: 200,
            body: "{}".into(),
            applied: true,
            idempotency_key: None,
            sent_ids: vec![("app_user_id".into(), "u1".into())],
            attempts: Box::default(),
        };
        let json = error.to_json();
        assert_eq!(json["applied"], true);
        assert_eq!(json["sentIds"], json!({"app_user_id": "u1"}));
        assert_eq!(json["body"], "{}");
        assert!(error.to_string().contains("applied"), "{error}");
        let redirect = Error::Redirect {
            status: 307,
            location: Some("https://elsewhere.example/x".into()),
            attempts: Box::default(),
        };
        let json = redirect.to_json();
        assert_eq!(
            (&json["code"], &json["status"], &json["location"]),
            (
                &json!("redirect"),
                &json!(307),
                &json!("https://elsewhere.example/x")
            )
        );
        let bare = Error::Redirect {
            status: 302,
            location: None,
            attempts: Box::default(),
        };
        assert!(bare.to_json().get("location").is_none());
        let long = Error::Redirect {
            status: 301,
            location: Some("x".repeat(10_000)),
            attempts: Box::default(),
        };
        assert!(
            long.to_string().len() < 1_000,
            "a long Location is cut short"
        );
        assert_eq!(SignatureProblem::Mismatch.code(), "signature_mismatch");
    }
}
