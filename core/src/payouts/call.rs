//! The payouts [`Call`]: the shared machine with the payouts API's rules
//! (idempotency keys for special payments, lookups of gigs and customers by
//! the partner's own id).

use crate::engine::machine::{Machine, Plan};
use crate::engine::reconcile::Verdict;
use crate::error::{ApiError, ApiErrorKind, Error};
use crate::http::{HttpRequest, HttpResponse};
use crate::payouts::config::Config;
use crate::payouts::models::{Customer, Gig};
use crate::payouts::operation::{Operation, OperationKind};
use crate::response::api_error;

use super::reconcile;
use super::response::{parse_one, parse_response, Outcome};

/// One operation in progress, driven to its end without I/O.
///
/// A host creates a [`Call`], then loops: [`Call::poll`] says what to do
/// next ([`Step::Send`](crate::engine::Step::Send) a request, [`Step::Wait`](crate::engine::Step::Wait) a while, or
/// [`Step::Done`](crate::engine::Step::Done)); the host does it with its own transport and clock and
/// reports back with [`Call::on_response`] or [`Call::on_transport_error`].
/// Every retry, backoff, idempotency and reconciliation decision lives
/// here, once, so every host behaves the same:
///
/// ```no_run
/// # use lean_core::{Call, Config, Environment, Operation, Step, HttpResponse};
/// # fn send(_: &lean_core::HttpRequest) -> Result<HttpResponse, String> { unimplemented!() }
/// # let config = Config::new("key", Environment::Sandbox)?;
/// let mut call = Call::new(&config, Operation::list_gigs(), [7; 32])?;
/// let outcome = loop {
///     match call.poll() {
///         Step::Send(request) => match send(&request) {
///             Ok(response) => call.on_response(response),
///             Err(e) => call.on_transport_error(lean_core::TransportError::other(e)),
///         },
///         Step::Wait(delay) => std::thread::sleep(delay),
///         Step::Done(result) => break result,
///     }
/// };
/// # Ok::<(), lean_core::Error>(())
/// ```
///
/// Guarantees, for payouts: a special payment carries the same
/// `Idempotency-Key` on every attempt; a gig (or customer) whose create may
/// have been applied is looked up by its own id before it is ever sent
/// again, so the caller learns "created once" or "not created" rather than
/// "unknown" whenever the API can be reached and shows what was sent; an
/// application whose outcome is uncertain is never sent again. The rules
/// are those of the call engine module (`engine/mod.rs`), listed in the
/// README under "What the SDK guarantees".
pub type Call = crate::engine::Call<CallPlan>;

crate::engine::call::drive_by_inherent_methods!(Call, Outcome);

impl Call {
    /// Starts a call. `entropy` must be 32 random bytes from the host
    /// (`crypto.getRandomValues`, `os.urandom`, `SecureRandom`): they make
    /// the generated idempotency key (a UUID v4) and the retry jitter, since
    /// the core has no randomness of its own.
    pub fn new(config: &Config, operation: Operation, entropy: [u8; 32]) -> Result<Self, Error> {
        let idempotency_key = match operation.kind() {
            OperationKind::CreateSpecialPayment => Some(match operation.idempotency_key() {
                Some(key) => key.to_owned(),
                None => {
                    let mut bytes = [0u8; 16];
                    bytes.copy_from_slice(&entropy[..16]);
                    uuid::Builder::from_random_bytes(bytes)
                        .into_uuid()
                        .hyphenated()
                        .to_string()
                }
            }),
            _ => None,
        };
        let request = operation.request_with_key(config, idempotency_key.as_deref())?;
        let mut seed = [0u8; 8];
        seed.copy_from_slice(&entropy[16..24]);
        let plan = CallPlan {
            config: config.clone(),
            operation,
        };
        Ok(Self::from_machine(Machine::new(
            plan,
            request,
            config.retry,
            idempotency_key,
            seed,
        )))
    }
}

/// The payouts API's rules for one call, which the shared machine follows:
/// how answers read, when a create is looked up, which key it carries. It
/// is the type parameter of [`Call`]; only [`Call::new`] makes one.
#[derive(Clone, Debug)]
pub struct CallPlan {
    config: Config,
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
        self.operation.kind().is_read()
    }

    /// `updateCustomer` sets the fields it is given to the values given:
    /// sending it twice leaves the customer as sending it once, and moves
    /// no money, so it is repeated like a read.
    fn is_repeatable(&self) -> bool {
        let kind = self.operation.kind();
        kind.is_read() || kind == OperationKind::UpdateCustomer
    }

    fn sent_ids(&self) -> Vec<(String, String)> {
        self.operation
            .sent_id()
            .map(|(name, id)| vec![(name.to_owned(), id.to_owned())])
            .unwrap_or_default()
    }

    fn parse(&self, response: &HttpResponse) -> Result<Outcome, Error> {
        parse_response(self.operation.kind(), response)
    }

    fn api_error(&self, response: &HttpResponse) -> ApiError {
        api_error(response)
    }

    /// The payouts API answers 400 to a create whose id is taken.
    fn may_exist_already(&self, error: &ApiError) -> bool {
        error.kind == ApiErrorKind::BadRequest
    }

    fn has_lookup(&self) -> bool {
        self.operation.lookup().is_some()
    }

    const REBUILDS_REQUEST: bool = true;

    fn request(&self, idempotency_key: Option<&str>) -> Result<HttpRequest, Error> {
        self.operation
            .request_with_key(&self.config, idempotency_key)
    }

    fn lookup_request(&self) -> Result<HttpRequest, Error> {
        match self.operation.lookup() {
            Some(lookup) => lookup.request(&self.config),
            None => Err(Error::internal("a lookup of an operation without one")),
        }
    }

    fn reconcile(&self, response: &HttpResponse) -> Result<Verdict<Outcome>, Error> {
        if let Some(sent) = self.operation.gig() {
            let found = parse_one(response, Gig::from_json)?;
            Ok(reconcile::gig(sent, found).map(Outcome::Gig))
        } else if let Some(sent) = self.operation.customer() {
            let found = parse_one(response, Customer::from_json)?;
            Ok(reconcile::customer(sent, found).map(Outcome::Customer))
        } else {
            Err(Error::internal(
                "reconciliation of an operation without a lookup",
            ))
        }
    }
}
