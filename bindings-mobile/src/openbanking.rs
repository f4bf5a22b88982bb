//! Lean open banking (bank data and payments) for Kotlin and Swift, beside
//! the payouts layer of this crate and in the same shape: objects that hold
//! the core's values, and a sans-I/O [`NativeObCall`] that the host's own
//! transport drives exactly as it drives a payouts `NativeCall` (the same
//! [`NativeRequest`], [`NativeResponse`] and [`TransportErrorKind`]).
//!
//! Open-banking calls wait on the network for far longer than a uniffi call
//! costs, so they use the generated bindings throughout. Every function
//! converts only: validation, requests, retries, token renewal rules and
//! webhook signatures are the core's (`lean_core::openbanking`).

#[path = "openbanking_auth.rs"]
mod auth;
#[path = "openbanking_models.rs"]
mod models;
#[path = "openbanking_webhooks.rs"]
mod webhooks;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use lean_core::openbanking as ob;

use crate::call::{NativeHeader, NativeRequest, NativeResponse, TransportErrorKind};
use crate::error::{guard, FfiError, Result};
pub use models::ObOutcome;

/// Where open-banking calls go: a documented deployment or a custom host,
/// its OAuth token host, and whether it demands a client certificate.
#[derive(Debug, uniffi::Object)]
pub struct NativeObEnvironment(pub(crate) ob::Environment);

#[uniffi::export]
impl NativeObEnvironment {
    /// `uae-sandbox`, `uae-sandbox-mtls`, `uae-production`, `ksa-sandbox` or
    /// `ksa-production` (any case, `_` for `-`); a `configuration` error
    /// lists them otherwise.
    #[uniffi::constructor]
    pub fn parse(name: String) -> Result<Arc<Self>> {
        guard(|| Ok(Arc::new(Self(ob::Environment::parse(&name)?))))
    }

    /// Another host (the local sandbox, a proxy): `https://`, or `http://`
    /// on loopback.
    #[uniffi::constructor]
    pub fn custom(api_base_url: String) -> Result<Arc<Self>> {
        guard(|| Ok(Arc::new(Self(ob::Environment::custom(&api_base_url)?))))
    }

    /// The same environment with another OAuth token host (required for
    /// OAuth in the UAE sandbox and on custom hosts).
    pub fn with_token_base_url(&self, token_base_url: String) -> Result<Arc<Self>> {
        guard(|| {
            Ok(Arc::new(Self(
                self.0.clone().with_token_base_url(&token_base_url)?,
            )))
        })
    }

    /// The same environment with mTLS required or not (custom hosts).
    pub fn with_mtls(&self, required: bool) -> Arc<Self> {
        Arc::new(Self(self.0.clone().with_mtls(required)))
    }

    /// `uae-production`, ..., or `custom`.
    pub fn name(&self) -> String {
        self.0.name().to_owned()
    }

    /// The API base URL, without a trailing `/`.
    pub fn api_base_url(&self) -> String {
        self.0.api_base_url().to_owned()
    }

    /// The OAuth token endpoint; a `configuration` error says how to set
    /// the token host when it is not documented.
    pub fn token_url(&self) -> Result<String> {
        guard(|| Ok(self.0.token_url()?))
    }

    /// True when the API refuses connections without the application's
    /// client certificate: the host's transport must present one.
    pub fn requires_mtls(&self) -> bool {
        self.0.requires_mtls()
    }
}

/// How calls authenticate: the application token, or an OAuth access
/// token. Kept inside Rust; `describe` shows no secret.
#[derive(Debug, uniffi::Object)]
pub struct NativeObAuth(pub(crate) ob::Auth);

#[uniffi::export]
impl NativeObAuth {
    /// `lean-app-token: <token>` on every call (legacy authentication).
    #[uniffi::constructor]
    pub fn app_token(token: String) -> Result<Arc<Self>> {
        guard(|| {
            Ok(Arc::new(Self(ob::Auth::AppToken(ob::AppToken::new(
                &token,
            )?))))
        })
    }

    /// `Authorization: Bearer <token>` with a token obtained elsewhere.
    #[uniffi::constructor]
    pub fn bearer(token: String) -> Result<Arc<Self>> {
        guard(|| {
            Ok(Arc::new(Self(ob::Auth::Bearer(ob::AccessToken::new(
                &token,
            )?))))
        })
    }

    /// The authentication with its token redacted, for `toString()`.
    pub fn describe(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// An environment plus the engine's settings: everything a call needs
/// besides its input and credentials.
#[derive(Debug, uniffi::Object)]
pub struct NativeObConfig(ob::Config);

#[uniffi::export]
impl NativeObConfig {
    /// `max_retries` replaces the default of 2; `initial_backoff_ms` the
    /// first wait between attempts (tests shorten it); `host` names the
    /// platform in the `User-Agent` (`"kotlin/2.1.0"`).
    #[uniffi::constructor]
    pub fn new(
        environment: Arc<NativeObEnvironment>,
        max_retries: Option<u32>,
        initial_backoff_ms: Option<u64>,
        host: String,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let mut config = ob::Config::new(environment.0.clone()).with_host(&host);
            if let Some(max_retries) = max_retries {
                config.retry.max_retries = max_retries;
            }
            if let Some(ms) = initial_backoff_ms {
                config.retry.initial_backoff = Duration::from_millis(ms);
                config.retry.max_backoff =
                    config.retry.max_backoff.max(config.retry.initial_backoff);
            }
            Ok(Arc::new(Self(config)))
        })
    }

    /// How long one attempt may take before the host reports a timeout.
    pub fn timeout_ms(&self) -> u64 {
        self.0.timeout.as_millis().min(u128::from(u64::MAX)) as u64
    }
}

/// One validated open-banking operation.
#[derive(Debug, uniffi::Object)]
pub struct NativeObOperation(ob::Operation);

#[uniffi::export]
impl NativeObOperation {
    /// An operation in the host-neutral JSON form of the shared vectors:
    /// `{"operation": "getBalance", "input": {...}, "customerId": ...}`.
    /// Throws `validation` with every failing field.
    #[uniffi::constructor]
    pub fn from_json(call: String) -> Result<Arc<Self>> {
        guard(|| {
            let value: serde_json::Value = serde_json::from_str(&call).map_err(|e| {
                FfiError::from(lean_core::Error::Internal {
                    message: format!("the SDK wrote an operation that is not JSON: {e}"),
                })
            })?;
            Ok(Arc::new(Self(ob::Operation::from_json(&value)?)))
        })
    }

    /// The operation's name (`getBalance`).
    pub fn name(&self) -> String {
        self.0.kind().name().to_owned()
    }
}

/// What the host must do next in an open-banking call.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum NativeObStep {
    /// Send this request, then report its answer or failure.
    Send {
        /// The request.
        request: NativeRequest,
    },
    /// Sleep this long, then poll again.
    Wait {
        /// Milliseconds.
        millis: u64,
    },
    /// The call succeeded (a failure is thrown by `poll`).
    Done {
        /// The typed result.
        outcome: ObOutcome,
        /// The result in the API's JSON shape (`Outcome::to_json`).
        json: String,
    },
}

/// One open-banking operation driven to its end by the host's transport.
#[derive(Debug, uniffi::Object)]
pub struct NativeObCall(Mutex<ob::Call>);

impl NativeObCall {
    fn engine(&self) -> MutexGuard<'_, ob::Call> {
        // A panic while locked was already reported as an error; the state
        // machine stays consistent, so keep using it.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[uniffi::export]
impl NativeObCall {
    /// Starts a call with these credentials. `entropy` is 32 random bytes
    /// from the platform: they seed the retry jitter.
    #[uniffi::constructor]
    pub fn new(
        config: Arc<NativeObConfig>,
        auth: Arc<NativeObAuth>,
        operation: Arc<NativeObOperation>,
        entropy: Vec<u8>,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let entropy: [u8; 32] = entropy.as_slice().try_into().map_err(|_| {
                FfiError::from(lean_core::Error::Internal {
                    message: format!("a call needs 32 random bytes, got {}", entropy.len()),
                })
            })?;
            let call = ob::Call::new(&config.0, &auth.0, operation.0.clone(), entropy);
            Ok(Arc::new(Self(Mutex::new(call))))
        })
    }

    /// What to do next; throws the call's error when it ends in failure.
    pub fn poll(&self) -> Result<NativeObStep> {
        guard(|| match self.engine().poll() {
            lean_core::Step::Send(request) => Ok(NativeObStep::Send {
                request: request.into(),
            }),
            lean_core::Step::Wait(delay) => Ok(NativeObStep::Wait {
                millis: delay.as_millis().min(u128::from(u64::MAX)) as u64,
            }),
            lean_core::Step::Done(Ok(outcome)) => Ok(NativeObStep::Done {
                json: outcome.to_json().to_string(),
                outcome: (&outcome).into(),
            }),
            lean_core::Step::Done(Err(error)) => Err(error.into()),
        })
    }

    /// Reports the answer to the last `Send`.
    pub fn on_response(&self, response: NativeResponse) -> Result<()> {
        guard(|| {
            self.engine().on_response(response_to_core(response));
            Ok(())
        })
    }

    /// Reports that the last `Send` failed below HTTP.
    pub fn on_transport_error(&self, kind: TransportErrorKind, message: String) -> Result<()> {
        guard(|| {
            let error = match kind {
                TransportErrorKind::Connect => lean_core::TransportError::connect(message),
                TransportErrorKind::Timeout => lean_core::TransportError::timeout(message),
                TransportErrorKind::Other => lean_core::TransportError::other(message),
            };
            self.engine().on_transport_error(error);
            Ok(())
        })
    }

    /// Ends a call the host stopped mid-flight (see `NativeCall::interrupt`).
    pub fn interrupt(&self, reason: String) -> crate::error::ErrorDetails {
        let error = crate::call::interrupt(&mut *self.engine(), reason);
        let FfiError::Failed { details } = error.into();
        details
    }
}

/// The HTTP status a webhook receiver must answer every accepted webhook
/// with; Lean retries anything else.
#[uniffi::export]
pub fn ob_webhook_acknowledge_status() -> u16 {
    ob::webhooks::ACKNOWLEDGE_STATUS
}

/// Minutes after which Lean retries a webhook that was not answered 200.
#[uniffi::export]
pub fn ob_webhook_retry_minutes() -> Vec<u64> {
    ob::webhooks::RETRY_SCHEDULE
        .iter()
        .map(|d| d.as_secs() / 60)
        .collect()
}

/// The host's answer, as the core takes it.
pub(crate) fn response_to_core(response: NativeResponse) -> lean_core::HttpResponse {
    let headers = response
        .headers
        .into_iter()
        .map(|NativeHeader { name, value }| (name, value))
        .collect();
    lean_core::HttpResponse::new(response.status, headers, response.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_runs_to_a_typed_result_and_json() {
        let env = NativeObEnvironment::custom("http://127.0.0.1:9".into()).unwrap();
        let config = NativeObConfig::new(env, Some(0), None, "test".into()).unwrap();
        let auth = NativeObAuth::app_token("app-secret-token".into()).unwrap();
        assert!(!auth.describe().contains("app-secret-token"));
        let op = NativeObOperation::from_json(
            r#"{"operation":"getCustomer","customerId":"c-1"}"#.into(),
        )
        .unwrap();
        let call = NativeObCall::new(config, auth, op, vec![3; 32]).unwrap();
        let NativeObStep::Send { request } = call.poll().unwrap() else {
            panic!("expected a request")
        };
        assert_eq!(request.url, "http://127.0.0.1:9/customers/v1/c-1");
        assert!(!format!("{request:?}").contains("app-secret-token"));
        call.on_response(NativeResponse {
            status: 200,
            headers: vec![],
            body: br#"{"customer_id":"c-1","app_user_id":"u"}"#.to_vec(),
        })
        .unwrap();
        let NativeObStep::Done {
            outcome: ObOutcome::Customer { value },
            json,
        } = call.poll().unwrap()
        else {
            panic!("expected a customer")
        };
        assert_eq!(value.customer_id, "c-1");
        assert!(json.contains("\"app_user_id\":\"u\""));
    }

    #[test]
    fn invalid_input_names_the_field() {
        let Err(FfiError::Failed { details }) =
            NativeObOperation::from_json(r#"{"operation":"createCustomer","input":{}}"#.into())
        else {
            panic!("expected a validation error")
        };
        assert_eq!(details.code, "validation");
        assert_eq!(details.field_errors[0].field, "app_user_id");
    }
}
