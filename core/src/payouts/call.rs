//! The payouts [`Call`]: the shared machine with the payouts API's rules
//! (idempotency keys for special payments, lookups of gigs and customers by
//! the partner's own id).

use std::time::Duration;

use crate::engine::machine::{Machine, Plan};
use crate::engine::reconcile::Verdict;
use crate::engine::{Attempt, Event, Step, TransportError};
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
/// next ([`Step::Send`] a request, [`Step::Wait`] a while, or
/// [`Step::Done`]); the host does it with its own transport and clock and
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
#[derive(Clone, Debug)]
pub struct Call(Machine<CallPlan>);

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
        Ok(Self(Machine::new(
            plan,
            request,
            config.retry,
            idempotency_key,
            seed,
        )))
    }

    /// The `Idempotency-Key` every attempt of a special payment carries
    /// (the caller's, or the generated one). Log it: it identifies the
    /// payment for a later safe retry.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.0.idempotency_key()
    }

    /// How many requests were handed to the host so far.
    pub fn attempts(&self) -> u32 {
        self.0.attempts()
    }

    /// What to do next. After [`Step::Done`], every poll returns the same
    /// result again.
    pub fn poll(&mut self) -> Step<Outcome> {
        self.0.poll()
    }

    /// Reports the answer to the last [`Step::Send`].
    pub fn on_response(&mut self, response: HttpResponse) {
        self.0.on_response(response, None)
    }

    /// Reports the answer to the last [`Step::Send`] and how long it took
    /// by the host's clock, which the events and the attempt list show.
    pub fn on_response_timed(&mut self, response: HttpResponse, elapsed: Duration) {
        self.0.on_response(response, Some(elapsed))
    }

    /// Reports that the last [`Step::Send`] failed below HTTP.
    pub fn on_transport_error(&mut self, error: TransportError) {
        self.0.on_transport_error(error, None)
    }

    /// Reports that the last [`Step::Send`] failed below HTTP after
    /// `elapsed`.
    pub fn on_transport_error_timed(&mut self, error: TransportError, elapsed: Duration) {
        self.0.on_transport_error(error, Some(elapsed))
    }

    /// Records events from now on, for [`Self::take_events`]. Off by
    /// default, so that a host whose logging is off pays nothing for them
    /// (the attempt list is always kept).
    pub fn record_events(&mut self, on: bool) {
        self.0.record_events(on)
    }

    /// The events recorded since the last call of this method, in order:
    /// what the call sent, what it was answered, and what it decided (see
    /// [`crate::engine::Event`]). Hosts that log turn recording on
    /// ([`Self::record_events`]), drain the events after each step and
    /// write them to their logging; none holds a credential or a body.
    pub fn take_events(&mut self) -> Vec<Event> {
        self.0.take_events()
    }

    /// Every attempt so far, in order, with its status and request id:
    /// after [`Step::Done`], the attempts of the result (an error carries
    /// the same list, [`Error::attempts`]).
    pub fn attempt_log(&self) -> &[Attempt] {
        self.0.attempt_log()
    }

    /// Ends the call when the host cannot go on with it: the caller
    /// cancelled it, or a custom transport threw instead of answering.
    /// Returns the error to raise: `transport`, with `outcome_unknown` and
    /// the idempotency key and ids that were sent when a request was in
    /// flight (it may have been applied), or saying that nothing was sent
    /// or applied when none was. Later polls return the same error.
    pub fn interrupt(&mut self, reason: &str) -> Error {
        self.0.interrupt(reason)
    }
}

impl crate::engine::Drive for Call {
    type Outcome = Outcome;

    fn poll(&mut self) -> Step<Outcome> {
        Call::poll(self)
    }

    fn on_response(&mut self, response: HttpResponse) {
        Call::on_response(self, response)
    }

    fn on_transport_error(&mut self, error: TransportError) {
        Call::on_transport_error(self, error)
    }

    fn interrupt(&mut self, reason: &str) -> Error {
        Call::interrupt(self, reason)
    }

    fn on_response_timed(&mut self, response: HttpResponse, elapsed: Duration) {
        Call::on_response_timed(self, response, elapsed)
    }

    fn on_transport_error_timed(&mut self, error: TransportError, elapsed: Duration) {
        Call::on_transport_error_timed(self, error, elapsed)
    }

    fn record_events(&mut self, on: bool) {
        Call::record_events(self, on)
    }

    fn take_events(&mut self) -> Vec<Event> {
        Call::take_events(self)
    }

    fn attempt_log(&self) -> &[Attempt] {
        Call::attempt_log(self)
    }
}

/// The payouts API's side of the machine.
#[derive(Clone, Debug)]
pub(crate) struct CallPlan {
    config: Config,
    operation: Operation,
}

impl Plan for CallPlan {
    type Outcome = Outcome;

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
