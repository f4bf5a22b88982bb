//! Lean open banking (bank data and payments) for Kotlin and Swift, beside
//! the payouts layer of this crate and in the same shape: objects that hold
//! the core's values, run by the same [`crate::NativeCall`]
//! (`NativeCall::open_banking`). Every function converts only: validation, requests, retries, token renewal rules and
//! webhook signatures are the core's (`lean_core::openbanking`).

#[path = "openbanking_auth.rs"]
mod auth;
#[path = "openbanking_models.rs"]
mod models;
#[path = "openbanking_webhooks.rs"]
mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use lean_core::openbanking as ob;

use crate::error::{guard, FfiError, Result};

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
pub struct NativeObConfig(pub(crate) ob::Config);

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
pub struct NativeObOperation(pub(crate) ob::Operation);

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::test_support::{answer, next_request};
    use crate::{NativeOutcome, NativeStep};

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
        let call = config.start(auth, op, vec![3; 32]).unwrap();
        let request = next_request(&call);
        assert_eq!(request.url, "http://127.0.0.1:9/customers/v1/c-1");
        assert!(!format!("{request:?}").contains("app-secret-token"));
        answer(&call, 200, br#"{"customer_id":"c-1","app_user_id":"u"}"#);
        let NativeStep::Done {
            outcome:
                NativeOutcome::OpenBanking {
                    outcome: ob::Outcome::Customer(value),
                    json,
                },
        } = call.poll().unwrap()
        else {
            panic!("expected a customer")
        };
        assert_eq!(value.customer_id, "c-1");
        assert!(json.contains("\"app_user_id\":\"u\""));
    }

    fn run_once(call: &str, status: u16, body: &str) -> Result<ob::Outcome> {
        let env = NativeObEnvironment::custom("http://127.0.0.1:9".into()).unwrap();
        let config = NativeObConfig::new(env, Some(0), None, "test".into()).unwrap();
        let auth = NativeObAuth::app_token("app-token".into()).unwrap();
        let op = NativeObOperation::from_json(call.into()).unwrap();
        let call = config.start(auth, op, vec![3; 32]).unwrap();
        next_request(&call);
        answer(&call, status, body.as_bytes());
        match call.poll()? {
            NativeStep::Done {
                outcome: NativeOutcome::OpenBanking { outcome, .. },
            } => Ok(outcome),
            other => panic!("expected an open-banking result, got {other:?}"),
        }
    }

    #[test]
    fn a_data_page_keeps_each_record_exact() {
        let outcome = run_once(
            r#"{"operation":"listAccountBalances","entityId":"e1","accountId":"a1","pageSize":2}"#,
            200,
            r#"{"status":"OK","data":[{"balance":12450.75},{"balance":1}],"page":{"number":0}}"#,
        )
        .unwrap();
        let ob::Outcome::DataPage(value) = outcome else {
            panic!("expected a data page, got {outcome:?}")
        };
        assert_eq!(value.status.as_ref().map(|s| s.as_str()), Some("OK"));
        assert_eq!(
            models::ob_data_records(value.clone()).unwrap(),
            vec![r#"{"balance":"12450.75"}"#, r#"{"balance":1}"#]
        );
        let json = models::ob_json(ob::Outcome::DataPage(value)).unwrap();
        assert!(json.contains(r#""page":{"number":0}"#), "{json}");
    }

    #[test]
    fn a_failed_data_answer_carries_its_granular_status_code() {
        let Err(FfiError::Failed { details }) = run_once(
            r#"{"operation":"listAccounts","entityId":"e1"}"#,
            200,
            r#"{"status":"FAILED","granular_status_code":"CONSENT_EXPIRED","message":"m"}"#,
        ) else {
            panic!("expected an error")
        };
        assert_eq!(details.api_code.as_deref(), Some("FAILED"));
        assert_eq!(
            details.granular_status_code.as_deref(),
            Some("CONSENT_EXPIRED")
        );
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
