//! The retry, backoff and reconciliation state machine shared by both APIs.
//!
//! An API plugs in through [`Plan`]: how to read an answer, what an error
//! answer is, whether a refusal may mean "it exists already", and how to
//! look up and compare what an uncertain create made. Everything else
//! (attempt budgets, `Retry-After`, jitter, when an outcome is unknown and
//! what the caller is told) is decided here, once, for both.

use std::time::Duration;

use super::backoff;
use super::{Step, TransportError, TransportErrorKind};
use crate::config::RetryPolicy;
use crate::error::{ApiError, Error};
use crate::http::{HttpRequest, HttpResponse};

/// What the machine needs to know about one operation of one API.
pub(crate) trait Plan {
    /// The typed result of a successful operation.
    type Outcome: Clone + std::fmt::Debug;

    /// True when retrying can never apply anything twice.
    fn is_read(&self) -> bool;

    /// Reads a 2xx answer (which may still be an error, such as an open-
    /// banking `FAILED` body).
    fn parse(&self, response: &HttpResponse) -> Result<Self::Outcome, Error>;

    /// The error of a non-2xx answer.
    fn api_error(&self, response: &HttpResponse) -> ApiError;

    /// True when this refusal may mean that the record exists already
    /// (made by a lost attempt, or by an earlier run of the caller), so a
    /// lookup decides. Only asked of plans that have a lookup.
    fn may_exist_already(&self, error: &ApiError) -> bool;

    /// True when the record an uncertain create made can be looked up.
    fn has_lookup(&self) -> bool;

    /// The lookup request; built only when a lookup is needed.
    fn lookup_request(&self) -> Result<HttpRequest, Error>;

    /// True when [`Plan::request`] builds the operation's request again:
    /// the machine then hands its one copy over on the first attempt (no
    /// clone on the hot path) and builds another only for a retry.
    const REBUILDS_REQUEST: bool = false;

    /// The operation's request again, with `idempotency_key`, for a retry.
    /// Asked only when [`Plan::REBUILDS_REQUEST`] is true.
    fn request(&self, _idempotency_key: Option<&str>) -> Result<HttpRequest, Error> {
        Err(Error::internal(
            "this operation's request cannot be rebuilt",
        ))
    }

    /// Compares the record a lookup found with what was sent: the outcome
    /// when they match, [`Error::Conflict`] when they do not.
    fn reconcile(&self, found: &HttpResponse) -> Result<Self::Outcome, Error>;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Performing the operation itself.
    Operation,
    /// Looking up what an uncertain create made.
    Lookup,
}

#[derive(Clone, Debug)]
enum State<T> {
    Ready(Phase),
    Sent(Phase),
    Backoff(Phase, Duration),
    Finished(Result<T, Error>),
}

/// One operation in progress; the public `Call` types wrap it.
#[derive(Clone, Debug)]
pub(crate) struct Machine<P: Plan> {
    plan: P,
    retry: RetryPolicy,
    /// The operation's request; `None` once handed over, when the plan
    /// rebuilds it for retries.
    request: Option<HttpRequest>,
    lookup: Option<HttpRequest>,
    state: State<P::Outcome>,
    phase_attempts: u32,
    total_attempts: u32,
    may_have_applied: bool,
    /// What to report if the lookup finds nothing.
    pending_error: Option<Error>,
    rng: fastrand::Rng,
    idempotency_key: Option<String>,
}

impl<P: Plan> Machine<P> {
    /// A machine that will send `request`. `idempotency_key` is the key the
    /// request carries, if any (it goes into the advice of an unknown
    /// outcome); `seed` drives the jitter.
    pub(crate) fn new(
        plan: P,
        request: HttpRequest,
        retry: RetryPolicy,
        idempotency_key: Option<String>,
        seed: [u8; 8],
    ) -> Self {
        Self {
            plan,
            retry,
            request: Some(request),
            lookup: None,
            state: State::Ready(Phase::Operation),
            phase_attempts: 0,
            total_attempts: 0,
            may_have_applied: false,
            pending_error: None,
            rng: fastrand::Rng::with_seed(u64::from_le_bytes(seed)),
            idempotency_key,
        }
    }

    pub(crate) fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.total_attempts
    }

    pub(crate) fn poll(&mut self) -> Step<P::Outcome> {
        match std::mem::replace(&mut self.state, State::Ready(Phase::Operation)) {
            State::Ready(phase) => {
                let request = match phase {
                    Phase::Operation => match self.request.take() {
                        Some(request) if P::REBUILDS_REQUEST => request,
                        Some(request) => self.request.insert(request).clone(),
                        None => match self.plan.request(self.idempotency_key.as_deref()) {
                            Ok(request) => request,
                            Err(e) => return self.finish(Err(e)),
                        },
                    },
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

    pub(crate) fn on_response(&mut self, response: HttpResponse) {
        match self.state {
            State::Sent(Phase::Operation) => self.operation_response(response),
            State::Sent(Phase::Lookup) => self.lookup_response(response),
            _ => self.unexpected_report(),
        }
    }

    pub(crate) fn on_transport_error(&mut self, error: TransportError) {
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
            self.state = State::Finished(self.plan.parse(&response));
            return;
        }
        let error = self.plan.api_error(&response);
        if backoff::may_have_applied(response.status) {
            self.may_have_applied = true;
        }
        if backoff::is_retryable(response.status) {
            match error.retry_after {
                Some(wait) if wait > self.retry.max_retry_after => {}
                wait => {
                    if self.retry(Phase::Operation, wait) {
                        return;
                    }
                }
            }
            return self.give_up(Error::from(error));
        }
        if self.plan.has_lookup() && self.plan.may_exist_already(&error) {
            // The id may already exist: created by an earlier attempt of
            // this call, or by an earlier run of the caller's script.
            return self.start_lookup(Error::from(error));
        }
        self.state = State::Finished(Err(Error::from(error)));
    }

    fn lookup_response(&mut self, response: HttpResponse) {
        if response.is_success() {
            self.state = State::Finished(self.plan.reconcile(&response));
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
                .filter(|w| *w <= self.retry.max_retry_after);
            if self.retry(Phase::Lookup, wait) {
                return;
            }
        }
        self.end_lookup_unsure();
    }

    /// Schedules another attempt of `phase` if the budget allows.
    fn retry(&mut self, phase: Phase, wait: Option<Duration>) -> bool {
        if self.phase_attempts > self.retry.max_retries {
            return false;
        }
        let delay = wait
            .unwrap_or_else(|| backoff::backoff(&self.retry, self.phase_attempts, &mut self.rng));
        self.state = State::Backoff(phase, delay);
        true
    }

    /// The operation's retries are spent. A create that may have been
    /// applied is looked up first, so the caller gets a definite answer;
    /// where no lookup exists (special payments, payment intents), the error
    /// says the outcome is unknown and how to settle it.
    fn give_up(&mut self, error: Error) {
        if !self.may_have_applied || self.plan.is_read() {
            self.state = State::Finished(Err(error));
        } else if self.plan.has_lookup() {
            self.start_lookup(error);
        } else {
            self.state = State::Finished(Err(self.unknown_outcome(&error)));
        }
    }

    fn start_lookup(&mut self, error: Error) {
        if self.lookup.is_none() {
            match self.plan.lookup_request() {
                Ok(request) => self.lookup = Some(request),
                Err(e) => {
                    self.state = State::Finished(Err(e));
                    return;
                }
            }
        }
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

    fn finish(&mut self, result: Result<P::Outcome, Error>) -> Step<P::Outcome> {
        self.state = State::Finished(result.clone());
        Step::Done(result)
    }
}
