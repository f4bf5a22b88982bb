//! The call engine: one operation driven to its end, without I/O. The
//! contract is documented on [`Call`].

mod backoff;
mod reconcile;

use std::time::Duration;

use crate::config::Config;
use crate::error::{ApiErrorKind, Error};
use crate::http::{HttpRequest, HttpResponse};
use crate::models::{Customer, Gig};
use crate::operation::{Operation, OperationKind};
use crate::response::{api_error, parse_body, parse_response, Outcome};

/// What the host must do next. (`Done` is larger than the other variants;
/// a step is handed over once per attempt, so boxing would buy nothing.)
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Step {
    /// Send this request, then report with [`Call::on_response`] or
    /// [`Call::on_transport_error`].
    Send(HttpRequest),
    /// Sleep this long, then poll again.
    Wait(Duration),
    /// The call is over.
    Done(Result<Outcome, Error>),
}

/// How an attempt failed below HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransportErrorKind {
    /// The connection could not be opened: nothing reached the API.
    Connect,
    /// No answer in time: the API may have applied the request.
    Timeout,
    /// Anything else (reset, broken body): the API may have applied it.
    Other,
}

/// A failure of the host's transport, reported to the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    /// Whether the request may have reached the API.
    pub kind: TransportErrorKind,
    /// The host's own description, kept for the final error.
    pub message: String,
}

impl TransportError {
    /// The connection was refused or could not be opened.
    pub fn connect(message: impl Into<String>) -> Self {
        Self {
            kind: TransportErrorKind::Connect,
            message: message.into(),
        }
    }

    /// The attempt timed out.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self {
            kind: TransportErrorKind::Timeout,
            message: message.into(),
        }
    }

    /// Any other failure; the safe default when a host cannot tell.
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            kind: TransportErrorKind::Other,
            message: message.into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Performing the operation itself.
    Operation,
    /// Looking up what an uncertain create made.
    Lookup,
}

#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
enum State {
    Ready(Phase),
    Sent(Phase),
    Backoff(Phase, Duration),
    Finished(Result<Outcome, Error>),
}

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
/// have been applied is looked up by its own id before the call reports
/// anything, so the caller learns "created once" or "not created" rather
/// than "unknown" whenever the API can be reached at all.
#[derive(Clone, Debug)]
pub struct Call {
    config: Config,
    operation: Operation,
    request: HttpRequest,
    lookup: Option<HttpRequest>,
    state: State,
    phase_attempts: u32,
    total_attempts: u32,
    may_have_applied: bool,
    /// What to report if the lookup finds nothing.
    pending_error: Option<Error>,
    rng: fastrand::Rng,
    idempotency_key: Option<String>,
}

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
        let lookup = operation
            .lookup()
            .map(|op| op.request(config))
            .transpose()?;
        let mut seed = [0u8; 8];
        seed.copy_from_slice(&entropy[16..24]);
        Ok(Self {
            config: config.clone(),
            operation,
            request,
            lookup,
            state: State::Ready(Phase::Operation),
            phase_attempts: 0,
            total_attempts: 0,
            may_have_applied: false,
            pending_error: None,
            rng: fastrand::Rng::with_seed(u64::from_le_bytes(seed)),
            idempotency_key,
        })
    }

    /// The `Idempotency-Key` every attempt of a special payment carries
    /// (the caller's, or the generated one). Log it: it identifies the
    /// payment for a later safe retry.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// How many requests were handed to the host so far.
    pub fn attempts(&self) -> u32 {
        self.total_attempts
    }

    /// What to do next. After [`Step::Done`], every poll returns the same
    /// result again.
    pub fn poll(&mut self) -> Step {
        match std::mem::replace(&mut self.state, State::Ready(Phase::Operation)) {
            State::Ready(phase) => {
                let request = match phase {
                    Phase::Operation => self.request.clone(),
                    Phase::Lookup => match &self.lookup {
                        Some(lookup) => lookup.clone(),
                        None => return self.finish(Err(Error::internal("lookup without a request"))),
                    },
                };
                self.phase_attempts = self.phase_attempts.saturating_add(1);
                self.total_attempts = self.total_attempts.saturating_add(1);
                self.state = State::Sent(phase);
                Step::Send(request)
            }
            State::Backoff(phase, delay) => {
                self.state = State::Ready(phase);
                Step::Wait(delay)
            }
            State::Sent(_) => self.finish(Err(Error::internal(
                "the call was polled while a request was in flight; report its response or transport error first",
            ))),
            State::Finished(result) => self.finish(result),
        }
    }

    /// Reports the answer to the last [`Step::Send`].
    pub fn on_response(&mut self, response: HttpResponse) {
        match self.state {
            State::Sent(Phase::Operation) => self.operation_response(response),
            State::Sent(Phase::Lookup) => self.lookup_response(response),
            _ => self.unexpected_report(),
        }
    }

    /// Reports that the last [`Step::Send`] failed below HTTP.
    pub fn on_transport_error(&mut self, error: TransportError) {
        let phase = match self.state {
            State::Sent(phase) => phase,
            _ => return self.unexpected_report(),
        };
        if phase == Phase::Operation && error.kind != TransportErrorKind::Connect {
            self.may_have_applied = true;
        }
        if self.retry(phase, None) {
            return;
        }
        match phase {
            Phase::Operation => {
                let failure = self.transport_failure(&error.message, false);
                self.give_up(failure);
            }
            Phase::Lookup => self.end_lookup_unsure(),
        }
    }

    fn operation_response(&mut self, response: HttpResponse) {
        if response.is_success() {
            let result = parse_response(self.operation.kind(), &response);
            self.state = State::Finished(result);
            return;
        }
        let error = api_error(&response);
        if backoff::may_have_applied(response.status) {
            self.may_have_applied = true;
        }
        if backoff::is_retryable(response.status) {
            match error.retry_after {
                Some(wait) if wait > self.config.retry.max_retry_after => {}
                wait => {
                    if self.retry(Phase::Operation, wait) {
                        return;
                    }
                }
            }
            return self.give_up(Error::Api(error));
        }
        if error.kind == ApiErrorKind::BadRequest && self.lookup.is_some() {
            // The id may already exist: created by an earlier attempt of
            // this call, or by an earlier run of the caller's script.
            return self.start_lookup(Error::Api(error));
        }
        self.state = State::Finished(Err(Error::Api(error)));
    }

    fn lookup_response(&mut self, response: HttpResponse) {
        if response.is_success() {
            let result = self.reconcile(&response);
            self.state = State::Finished(result);
            return;
        }
        if response.status == 404 {
            // Nothing was created: the pending error is the whole story.
            let error = match self.pending_error.take() {
                Some(Error::Transport { message, .. }) => Error::Transport {
                    message: format!("{message} (a lookup confirmed that nothing was created)"),
                    outcome_unknown: false,
                },
                Some(other) => other,
                None => Error::internal("lookup finished without an error to report"),
            };
            self.state = State::Finished(Err(error));
            return;
        }
        if backoff::is_retryable(response.status) {
            let wait = crate::response::retry_after(&response)
                .filter(|w| *w <= self.config.retry.max_retry_after);
            if self.retry(Phase::Lookup, wait) {
                return;
            }
        }
        self.end_lookup_unsure();
    }

    /// Compares the record found with what was sent.
    fn reconcile(&mut self, response: &HttpResponse) -> Result<Outcome, Error> {
        let (differences, outcome, what) = if let Some(sent) = self.operation.gig() {
            let found: Gig = parse_body(response)?;
            (
                reconcile::gig_differences(sent, &found),
                Outcome::Gig(found),
                "gig",
            )
        } else if let Some(sent) = self.operation.customer() {
            let found: Customer = parse_body(response)?;
            (
                reconcile::customer_differences(sent, &found),
                Outcome::Customer(found),
                "customer",
            )
        } else {
            return Err(Error::internal(
                "reconciliation of an operation without a lookup",
            ));
        };
        if differences.is_empty() {
            return Ok(outcome);
        }
        Err(Error::Conflict {
            message: format!(
                "a {what} with this id already exists with a different {}; nothing new was created. Use a new id for a different {what}",
                differences.join(", ")
            ),
        })
    }

    /// Schedules another attempt of `phase` if the budget allows.
    fn retry(&mut self, phase: Phase, wait: Option<Duration>) -> bool {
        if self.phase_attempts > self.config.retry.max_retries {
            return false;
        }
        let delay = wait.unwrap_or_else(|| {
            backoff::backoff(&self.config.retry, self.phase_attempts, &mut self.rng)
        });
        self.state = State::Backoff(phase, delay);
        true
    }

    /// The operation's retries are spent. A create that may have been
    /// applied is looked up first, so the caller gets a definite answer;
    /// where no lookup exists (special payments), the error says the outcome
    /// is unknown and how to settle it.
    fn give_up(&mut self, error: Error) {
        if !self.may_have_applied || self.operation.kind().is_read() {
            self.state = State::Finished(Err(error));
        } else if self.lookup.is_some() {
            self.start_lookup(error);
        } else {
            self.state = State::Finished(Err(self.unknown_outcome(&error)));
        }
    }

    fn start_lookup(&mut self, error: Error) {
        self.pending_error = Some(error);
        self.phase_attempts = 0;
        self.state = State::Ready(Phase::Lookup);
    }

    /// The lookup could not complete: if an attempt may have been applied,
    /// the outcome is unknown; otherwise the operation's own answer stands.
    fn end_lookup_unsure(&mut self) {
        let error = match self.pending_error.take() {
            Some(error) if self.may_have_applied => self.unknown_outcome(&error),
            Some(error) => error,
            None => Error::internal("lookup finished without an error to report"),
        };
        self.state = State::Finished(Err(error));
    }

    /// The error for a create that may have been applied: always a
    /// `transport` error with `outcome_unknown`, whatever the last answer
    /// was, so callers have one flag to check.
    fn unknown_outcome(&self, last: &Error) -> Error {
        let last = match last {
            Error::Transport { message, .. } => message.clone(),
            other => format!("last answer: {other}"),
        };
        self.transport_failure(&last, true)
    }

    fn transport_failure(&self, message: &str, outcome_unknown: bool) -> Error {
        let attempts = self.total_attempts;
        let advice = match (&self.idempotency_key, outcome_unknown) {
            (Some(key), true) => format!(
                "; the payment may have been made: retry with idempotency key {key} within 24 hours to finish it safely"
            ),
            (None, true) => "; the request may have been applied: look it up before repeating it".to_owned(),
            (_, false) => String::new(),
        };
        Error::Transport {
            message: format!(
                "the Lean API call failed after {attempts} attempt(s): {message}{advice}"
            ),
            outcome_unknown,
        }
    }

    fn unexpected_report(&mut self) {
        self.state = State::Finished(Err(Error::internal(
            "a response or transport error was reported when no request was in flight",
        )));
    }

    fn finish(&mut self, result: Result<Outcome, Error>) -> Step {
        self.state = State::Finished(result.clone());
        Step::Done(result)
    }
}

#[cfg(test)]
mod tests;
