//! Shared set-up of the open-banking tests: a sandbox process, the core's
//! environment and credentials pointed at it, and a client that builds
//! requests and reads answers with the core.

use lean_core::openbanking::errors::error_code;
use std::time::Duration;

use lean_core::openbanking::webhooks::{EventPayload, WebhookVerifier, SIGNATURE_HEADER};
use lean_core::openbanking::{
    AppToken, Auth, DataKind, DataRequest, Environment, ErrorCode, NewCustomer, Operation, Outcome,
};
use lean_core::{Error, HttpResponse, WebhookSecret};
use lean_sandbox::harness::{agent, send, SandboxProcess, WebhookReceiver};
use lean_sandbox::settings::{DEFAULT_APP_TOKEN, DEFAULT_OB_WEBHOOK_SECRET};
use serde_json::Value;

use super::binary;

pub fn start(extra: &[&str]) -> SandboxProcess {
    let mut args = vec![
        "--port",
        "0",
        "--api-key",
        "sk_test_ob",
        "--ob-results-delay",
        "50ms",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    SandboxProcess::start(binary(), &args).expect("the sandbox starts")
}

/// A webhook receiver registered for `sandbox`'s open-banking events.
pub fn receiver(sandbox: &SandboxProcess) -> WebhookReceiver {
    let receiver = WebhookReceiver::start().expect("a receiver starts");
    sandbox
        .register_openbanking_webhook(receiver.url())
        .expect("the receiver is registered");
    receiver
}

/// The sandbox as a custom environment, its own token host too.
pub fn environment(sandbox: &SandboxProcess) -> Environment {
    Environment::custom(sandbox.url())
        .and_then(|e| e.with_token_base_url(sandbox.url()))
        .expect("a loopback URL is a valid custom environment")
}

pub fn app_token() -> Auth {
    Auth::AppToken(AppToken::new(DEFAULT_APP_TOKEN).unwrap())
}

/// Sends `operation`'s request and reads the answer, both with the core.
pub struct Client {
    pub agent: ureq::Agent,
    pub env: Environment,
    pub auth: Auth,
}

impl Client {
    pub fn new(sandbox: &SandboxProcess, auth: Auth) -> Self {
        Self {
            agent: agent(),
            env: environment(sandbox),
            auth,
        }
    }

    pub fn raw(&self, operation: &Operation) -> HttpResponse {
        send(&self.agent, &operation.request(&self.env, &self.auth)).expect("the sandbox answers")
    }

    pub fn call(&self, operation: &Operation) -> Result<Outcome, Error> {
        operation.parse_response(&self.raw(operation))
    }

    pub fn ok(&self, operation: &Operation) -> Outcome {
        self.call(operation)
            .unwrap_or_else(|e| panic!("{:?} failed: {e:?}", operation.kind()))
    }

    pub fn customer(&self, app_user_id: &str) -> String {
        match self.ok(&Operation::create_customer(&NewCustomer::new(app_user_id)).unwrap()) {
            Outcome::Customer(c) => c.customer_id,
            other => panic!("not a customer: {other:?}"),
        }
    }
}

pub fn api_status(result: Result<Outcome, Error>) -> (u16, Option<ErrorCode>, Error) {
    match result {
        Err(e @ Error::Api(_)) => {
            let Error::Api(api) = &e else { unreachable!() };
            (api.status, error_code(&e), e.clone())
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

pub fn data(kind: DataKind, entity: &str, account: Option<&str>, asynchronous: bool) -> Operation {
    Operation::get_data(DataRequest::new(kind, entity, account, asynchronous).unwrap())
}

pub fn payload(outcome: Outcome) -> Value {
    match outcome {
        Outcome::Data(d) => {
            assert_eq!(d.status.as_str(), "OK", "{d:?}");
            d.payload.expect("an OK answer has a payload")
        }
        other => panic!("not data: {other:?}"),
    }
}

pub fn verifier() -> WebhookVerifier {
    WebhookVerifier::new([&WebhookSecret::from(DEFAULT_OB_WEBHOOK_SECRET)]).unwrap()
}

/// Whether `receiver` gets a signed `results.ready` for `results_id`
/// within ten seconds.
pub fn results_ready(receiver: &WebhookReceiver, results_id: &str) -> bool {
    receiver.wait_until(Duration::from_secs(10), |deliveries| {
        deliveries.iter().any(|d| {
            verifier()
                .construct_event(&d.body, d.header(SIGNATURE_HEADER))
                .is_ok_and(
                    |e| matches!(&e.payload, EventPayload::ResultsReady(r) if r.id == results_id),
                )
        })
    })
}
