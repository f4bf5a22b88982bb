//! Open-banking calls driven by the same engine as payouts: the same
//! retries, backoff, `Retry-After` handling and unknown-outcome reporting,
//! with this API's rules plugged in.
//!
//! What differs from payouts: data calls are `POST`s that only read, so
//! they are retried freely; a `createCustomer` that may have been applied,
//! or that answers 409 `CUSTOMER_ALREADY_EXISTS`, is looked up by its
//! `app_user_id` before it is ever sent again (sent again only when the
//! lookup answers 404), which makes creating a customer idempotent; payment
//! intents and destinations carry no id of the caller's and no key, so an
//! uncertain create of one ends after that one attempt as `transport` with
//! `outcome_unknown` and the advice to look it up before repeating it.

use std::time::Duration;

use super::auth::Auth;
use super::environment::Environment;
use super::errors::{self, ErrorCode};
use super::operation::Operation;
use super::response::Outcome;
use super::Customer;
use crate::config::RetryPolicy;
use crate::engine::machine::{Machine, Plan};
use crate::engine::reconcile::{Comparison, Verdict};
use crate::error::{ApiError, Error};
use crate::http::{HttpRequest, HttpResponse};

/// Everything an open-banking call needs besides its input and its
/// credentials. Credentials are passed per call because an OAuth token is
/// renewed over a client's life (see [`super::TokenPolicy`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    environment: Environment,
    user_agent: String,
    /// Retry behaviour of the call engine.
    pub retry: RetryPolicy,
    /// How long a host transport should wait for one attempt before
    /// reporting a timeout (the core has no clock; hosts apply it).
    pub timeout: Duration,
}

/// The default per-attempt timeout. Lean may hold a synchronous data call
/// for up to 50 s before answering `PENDING` (the bank is slow; the results
/// follow by webhook). A shorter timeout would give up first and retry,
/// starting the bank fetch again, where waiting returns the `PENDING`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(65);

impl Config {
    /// A configuration for `environment`, with the default retries and
    /// [`DEFAULT_TIMEOUT`].
    pub fn new(environment: Environment) -> Self {
        Self {
            environment,
            user_agent: super::auth::user_agent(),
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Names the host language and runtime in the `User-Agent`, e.g.
    /// `"node/20.11.0"`.
    pub fn with_host(mut self, host: &str) -> Self {
        self.user_agent = crate::config::user_agent(&format!("{host}; open-banking"));
        self
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The environment calls go to.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The `User-Agent` header value.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
}

/// One open-banking operation in progress, driven to its end without I/O,
/// exactly as the payouts [`crate::Call`]: the host loops on
/// [`Call::poll`], sends each [`Step::Send`](crate::engine::Step::Send), sleeps each [`Step::Wait`](crate::engine::Step::Wait),
/// and reports with [`Call::on_response`] or [`Call::on_transport_error`].
///
/// ```
/// use lean_core::openbanking::{AppToken, Auth, Call, Config, Environment, Operation, Outcome};
/// use lean_core::{HttpResponse, Step};
///
/// # fn main() -> Result<(), lean_core::Error> {
/// let config = Config::new(Environment::uae_sandbox());
/// let auth = Auth::AppToken(AppToken::new("my-app-token")?);
/// let mut call = Call::new(&config, &auth, Operation::get_customer("c-1")?, [7; 32]);
/// let Step::Send(request) = call.poll() else { unreachable!() };
/// assert_eq!(request.url, "https://sandbox.leantech.me/customers/v1/c-1");
/// call.on_response(HttpResponse::new(200, vec![], r#"{"customer_id":"c-1"}"#));
/// let Step::Done(Ok(Outcome::Customer(customer))) = call.poll() else { unreachable!() };
/// assert_eq!(customer.customer_id, "c-1");
/// # Ok(())
/// # }
/// ```
/// (`Debug` shows no credential: tokens print redacted.)
pub type Call = crate::engine::Call<CallPlan>;

crate::engine::call::drive_by_inherent_methods!(Call, Outcome);

impl Call {
    /// Starts a call. `entropy` must be 32 random bytes from the host: they
    /// seed the retry jitter, since the core has no randomness of its own.
    pub fn new(config: &Config, auth: &Auth, operation: Operation, entropy: [u8; 32]) -> Self {
        let request = operation.request_as(&config.environment, auth, &config.user_agent);
        let mut seed = [0u8; 8];
        seed.copy_from_slice(&entropy[16..24]);
        let plan = CallPlan {
            config: config.clone(),
            auth: auth.clone(),
            operation,
        };
        Self::from_machine(Machine::new(plan, request, config.retry, None, seed))
    }
}

/// The open-banking API's rules for one call, which the shared machine
/// follows: how answers read, when a create is looked up. It is the type
/// parameter of [`Call`]; only [`Call::new`] makes one.
#[derive(Clone, Debug)]
pub struct CallPlan {
    config: Config,
    auth: Auth,
    operation: Operation,
}

impl crate::engine::Api for CallPlan {
    type Outcome = Outcome;
}

impl Plan for CallPlan {
    fn operation_name(&self) -> &'static str {
        self.operation.kind().name()
    }

    fn is_read(&self) -> bool {
        self.operation.is_read()
    }

    fn parse(&self, response: &HttpResponse) -> Result<Outcome, Error> {
        self.operation.parse_response(response)
    }

    fn api_error(&self, response: &HttpResponse) -> ApiError {
        errors::api_error(response)
    }

    fn may_exist_already(&self, error: &ApiError) -> bool {
        error.api_code.as_deref() == Some(ErrorCode::CustomerAlreadyExists.as_str())
    }

    fn has_lookup(&self) -> bool {
        self.operation.lookup().is_some()
    }

    fn lookup_request(&self) -> Result<HttpRequest, Error> {
        match self.operation.lookup() {
            Some(lookup) => Ok(lookup.request_as(
                &self.config.environment,
                &self.auth,
                &self.config.user_agent,
            )),
            None => Err(Error::internal("a lookup of an operation without one")),
        }
    }

    fn sent_ids(&self) -> Vec<(String, String)> {
        self.operation
            .new_customer()
            .map(|c| vec![("app_user_id".to_owned(), c.app_user_id.clone())])
            .unwrap_or_default()
    }

    /// The found customer must show the `app_user_id` sent and, when
    /// government identifiers were sent, the same identifiers.
    fn reconcile(&self, found: &HttpResponse) -> Result<Verdict<Outcome>, Error> {
        let (Some(lookup), Some(sent)) = (self.operation.lookup(), self.operation.new_customer())
        else {
            return Err(Error::internal(
                "reconciliation of an operation without a lookup",
            ));
        };
        let customer: Customer = match lookup.parse_response(found)? {
            Outcome::Customer(customer) => customer,
            _ => return Err(Error::internal("a customer lookup answered something else")),
        };
        let mut c = Comparison::new("customer");
        c.field("app_user_id", customer.app_user_id.as_ref(), |id| {
            *id == sent.app_user_id
        });
        if !sent.government_identifiers.is_empty() {
            let want = serde_json::to_value(&sent.government_identifiers).ok();
            c.field(
                "government_identifiers",
                customer.extra.get("government_identifiers"),
                |ids| Some(ids) == want.as_ref(),
            );
        }
        Ok(c.verdict(Outcome::Customer(customer)))
    }
}
