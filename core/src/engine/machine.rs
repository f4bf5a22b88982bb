//! The retry, backoff and reconciliation state machine shared by both APIs.
//!
//! An API plugs in through [`Plan`]: how to read an answer, what an error
//! answer is, whether a refusal may mean "it exists already", which ids the
//! caller chose, and how to look up and compare what an uncertain create
//! made. Everything else (attempt budgets, `Retry-After`, jitter, when an
//! attempt may be sent again, when an outcome is unknown and what the
//! caller is told) is decided here, once, for both. The rules themselves
//! are documented on the engine module.

use std::time::Duration;

use super::backoff;
use super::event::{url_path, Attempt, Event, LookupReason, LookupVerdict, Phase, RetryReason};
use super::reconcile::Verdict;
use super::{Step, TransportError, TransportErrorKind};
use crate::config::RetryPolicy;
use crate::error::{ApiError, Error};
use crate::http::{HttpRequest, HttpResponse};

/// What the machine needs to know about one operation of one API.
pub(crate) trait Plan: super::Api {
    /// The operation's name in events (`createGig`, `getBalance`).
    fn operation_name(&self) -> &'static str;

    /// True when the operation changes nothing: a 2xx of anything else
    /// means it was applied.
    fn is_read(&self) -> bool;

    /// True when sending the request twice can change nothing more than
    /// sending it once: reads, and updates that set fields to given values.
    /// Creates are never repeatable this way; they are repeated only with
    /// an idempotency key, or after a lookup found nothing.
    fn is_repeatable(&self) -> bool {
        self.is_read()
    }

    /// Reads a 2xx answer (which may still be an error, such as an open-
    /// banking `FAILED` body).
    fn parse(&self, response: &HttpResponse) -> Result<Self::Outcome, Error>;

    /// The error of a non-2xx answer.
    fn api_error(&self, response: &HttpResponse) -> ApiError;

    /// True when this refusal may mean that the record exists already
    /// (made by a lost attempt, or by an earlier run of the caller), so a
    /// lookup decides. Only asked of plans that have a lookup.
    fn may_exist_already(&self, error: &ApiError) -> bool;

    /// True when the record an uncertain create made can be looked up by
    /// an id the caller chose.
    fn has_lookup(&self) -> bool;

    /// The lookup request; built only when a lookup is needed.
    fn lookup_request(&self) -> Result<HttpRequest, Error>;

    /// The caller-chosen id that identifies what the operation creates or
    /// changes, by wire name (`gigId`, `partnerUserId`, `app_user_id`):
    /// reported with every error that leaves the outcome to the caller.
    fn sent_ids(&self) -> Vec<(String, String)>;

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

    /// Compares the record a lookup found with what was sent. `Err` when
    /// the lookup's answer cannot be read.
    fn reconcile(&self, found: &HttpResponse) -> Result<Verdict<Self::Outcome>, Error>;
}

#[derive(Clone, Debug)]
enum State<T> {
    Ready(Phase),
    Sent(Phase),
    Backoff(Phase, Duration),
    Finished(Result<T, Error>),
}

/// When an attempt that may have been applied may be sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repeat {
    /// Always (within the budget): a read, a repeatable update, or a
    /// request carrying an idempotency key.
    Freely,
    /// Only after a lookup of the caller's id found nothing.
    AfterLookup,
    /// Never: the call ends with the outcome unknown.
    Never,
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
    /// Attempts of the operation itself.
    operation_attempts: u32,
    /// Attempts of the lookup under way.
    lookup_attempts: u32,
    total_attempts: u32,
    /// An attempt of the operation may have been applied, and no lookup
    /// has shown since that nothing was made.
    may_have_applied: bool,
    /// The lookup under way follows an attempt that may have been applied
    /// (so a 404 allows sending the operation again), not a refusal.
    lookup_after_uncertain_attempt: bool,
    /// What to report if the lookup settles nothing.
    pending_error: Option<Error>,
    rng: fastrand::Rng,
    idempotency_key: Option<String>,
    /// Every attempt so far, for the result and every error.
    made: Vec<Attempt>,
    /// Whether events are recorded: only when the host asked, so that a
    /// host that logs nothing pays nothing for them.
    record: bool,
    /// Events not yet taken by the host.
    events: Vec<Event>,
}

impl<P: Plan> Machine<P> {
    /// A machine that will send `request`. `idempotency_key` is the key the
    /// request carries, if any (it makes the request safe to repeat, and
    /// goes into every error that leaves the outcome open); `seed` drives
    /// the jitter.
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
            operation_attempts: 0,
            lookup_attempts: 0,
            total_attempts: 0,
            may_have_applied: false,
            lookup_after_uncertain_attempt: false,
            pending_error: None,
            rng: fastrand::Rng::with_seed(u64::from_le_bytes(seed)),
            idempotency_key,
            made: Vec::new(),
            record: false,
            events: Vec::new(),
        }
    }

    /// Starts (or stops) recording events.
    pub(crate) fn record_events(&mut self, on: bool) {
        self.record = on;
    }

    /// Records the event `make` builds, if events are recorded.
    // Inlined so that, with recording off, no event is ever built.
    #[inline]
    fn emit(&mut self, make: impl FnOnce(&Self) -> Event) {
        if self.record {
            let event = make(self);
            self.events.push(event);
        }
    }

    /// Every attempt so far, in order.
    pub(crate) fn attempt_log(&self) -> &[Attempt] {
        &self.made
    }

    /// The events since the last call, in order.
    pub(crate) fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
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
                *self.attempts_of(phase) = self.attempts_of(phase).saturating_add(1);
                self.total_attempts = self.total_attempts.saturating_add(1);
                self.made.push(Attempt {
                    number: self.total_attempts,
                    phase,
                    status: None,
                    request_id: None,
                    transport_error: None,
                    elapsed: None,
                });
                self.emit(|m| Event::AttemptSent {
                    operation: m.plan.operation_name(),
                    phase,
                    method: request.method.as_str(),
                    path: url_path(&request.url),
                    attempt: m.total_attempts,
                });
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
            State::Finished(result) => {
                self.state = State::Finished(result.clone());
                Step::Done(result)
            }
        }
    }

    /// Reports the answer to the attempt in flight; `elapsed` is how long
    /// it took by the host's clock, if the host measured it.
    pub(crate) fn on_response(&mut self, response: HttpResponse, elapsed: Option<Duration>) {
        let State::Sent(phase) = self.state else {
            return self.unexpected_report();
        };
        if let Some(attempt) = self.made.last_mut() {
            attempt.status = Some(response.status);
            attempt.request_id = crate::response::request_id(&response);
            attempt.elapsed = elapsed;
        }
        self.emit(|m| Event::AnswerReceived {
            attempt: m.total_attempts,
            status: response.status,
            request_id: m.made.last().and_then(|a| a.request_id.clone()),
            elapsed,
        });
        match phase {
            Phase::Operation => self.operation_response(response),
            Phase::Lookup => self.lookup_response(response),
        }
    }

    /// Reports that the attempt in flight failed below HTTP.
    pub(crate) fn on_transport_error(&mut self, error: TransportError, elapsed: Option<Duration>) {
        let phase = match self.state {
            State::Sent(phase) => phase,
            _ => return self.unexpected_report(),
        };
        if let Some(attempt) = self.made.last_mut() {
            attempt.transport_error = Some(error.kind);
            attempt.elapsed = elapsed;
        }
        self.emit(|m| Event::TransportFailed {
            attempt: m.total_attempts,
            kind: error.kind,
            elapsed,
        });
        let failure = self.transport_failure(&error.message);
        match phase {
            Phase::Lookup => {
                if !self.retry(Phase::Lookup, None, RetryReason::Transport(error.kind)) {
                    self.end_lookup_unsure();
                }
            }
            Phase::Operation if error.kind == TransportErrorKind::Connect => {
                // Nothing reached the API: any operation may be sent again.
                if !self.retry(Phase::Operation, None, RetryReason::Transport(error.kind)) {
                    self.exhausted(failure);
                }
            }
            Phase::Operation => self.after_uncertain_attempt(
                failure,
                None,
                false,
                RetryReason::Transport(error.kind),
            ),
        }
    }

    /// Ends the call because the host cannot finish the attempt in flight
    /// (the call was cancelled, or a custom transport threw), and returns
    /// the error saying what may have been sent.
    pub(crate) fn interrupt(&mut self, reason: &str) -> Error {
        let error = match std::mem::replace(&mut self.state, State::Ready(Phase::Operation)) {
            State::Finished(Err(error)) => {
                // Already over: the same error again, reported once.
                self.state = State::Finished(Err(error.clone()));
                return error;
            }
            State::Finished(Ok(outcome)) => {
                // Nothing to interrupt: the call is over and succeeded.
                self.state = State::Finished(Ok(outcome));
                return Error::internal(format!(
                    "the call was interrupted ({reason}) after it had already succeeded; use its result"
                ));
            }
            State::Sent(Phase::Operation) if !self.plan.is_read() => {
                self.may_have_applied = true;
                self.unknown_outcome(&format!(
                    "the call was interrupted ({reason}) while its request was in flight"
                ))
            }
            State::Sent(phase) => {
                let what = match phase {
                    Phase::Operation => "its request",
                    Phase::Lookup => "the lookup of what an earlier attempt made",
                };
                self.interrupted(&format!(
                    "the call was interrupted ({reason}) while {what} was in flight"
                ))
            }
            State::Ready(_) | State::Backoff(..) => self.interrupted(&format!(
                "the call was interrupted ({reason}) while no request was in flight"
            )),
        };
        match self.finish(Err(error)) {
            Step::Done(Err(error)) => error,
            _ => Error::internal("an interrupted call did not end with its error"),
        }
    }

    /// The error of an interruption that may not be of an attempt that
    /// applied the operation: unknown if an earlier attempt may have been.
    fn interrupted(&self, message: &str) -> Error {
        if self.may_have_applied && !self.plan.is_read() {
            return self.unknown_outcome(message);
        }
        let sent = if self.total_attempts == 0 {
            "; nothing was sent"
        } else {
            "; no attempt was applied"
        };
        self.with_sent(format!("{message}{sent}"), false)
    }

    // One caller: inlined into it, as the machine's steps read best apart
    // but cost least together.
    #[inline]
    fn operation_response(&mut self, response: HttpResponse) {
        if let Some(redirect) = crate::response::redirect(&response) {
            return self.end(Err(redirect));
        }
        if response.is_success() {
            let result = match self.plan.parse(&response) {
                Err(error @ Error::InvalidResponse { .. }) if !self.plan.is_read() => {
                    Err(self.applied(error))
                }
                other => other,
            };
            return self.end(result);
        }
        let reason = RetryReason::Status(response.status);
        let error = self.plan.api_error(&response);
        let wait = error
            .retry_after
            .filter(|wait| *wait <= self.retry.max_retry_after);
        let waits_too_long = error.retry_after.is_some() && wait.is_none();
        if backoff::may_have_applied(response.status) && !self.plan.is_read() {
            return self.after_uncertain_attempt(Error::from(error), wait, waits_too_long, reason);
        }
        if backoff::is_retryable(response.status) {
            if !waits_too_long && self.retry(Phase::Operation, wait, reason) {
                return;
            }
            return self.exhausted(Error::from(error));
        }
        if self.plan.has_lookup() && self.plan.may_exist_already(&error) {
            // The id may already exist: created by an earlier attempt of
            // this call, or by an earlier run of the caller's script.
            return self.start_lookup(Error::from(error), false);
        }
        self.refused(Error::from(error));
    }

    /// A definite refusal (400, 401, 404, ...) ends the call. It stands
    /// as the answer, unless it came after an attempt that may have been
    /// applied without an idempotency key (a repeated update): then it may
    /// be refusing the repeat of what the first attempt did.
    fn refused(&mut self, error: Error) {
        if self.idempotency_key.is_some() {
            // The API answers a repeated key with the original's result.
            self.end(Err(error));
        } else {
            self.exhausted(error);
        }
    }

    /// An attempt of the operation may have been applied: send it again
    /// only where that is safe by construction. `wait` is the server's
    /// `Retry-After`, if usable; `waits_too_long` when it asked for more
    /// than the policy allows, which ends the retries; `reason` is what
    /// went wrong, for the event of a retry.
    fn after_uncertain_attempt(
        &mut self,
        error: Error,
        wait: Option<Duration>,
        waits_too_long: bool,
        reason: RetryReason,
    ) {
        let repeat = if self.plan.is_read() {
            Repeat::Freely
        } else {
            self.may_have_applied = true;
            self.repeat()
        };
        match repeat {
            Repeat::Freely => {
                if waits_too_long || !self.retry(Phase::Operation, wait, reason) {
                    self.exhausted(error);
                }
            }
            Repeat::AfterLookup => self.start_lookup(error, true),
            Repeat::Never => {
                let last = self.describe(&error);
                let error = self.unknown_outcome(&last);
                self.end(Err(error));
            }
        }
    }

    fn repeat(&self) -> Repeat {
        if self.plan.is_repeatable() || self.idempotency_key.is_some() {
            Repeat::Freely
        } else if self.plan.has_lookup() {
            Repeat::AfterLookup
        } else {
            Repeat::Never
        }
    }

    // One caller: inlined into it, as the machine's steps read best apart
    // but cost least together.
    #[inline]
    fn lookup_response(&mut self, response: HttpResponse) {
        if let Some(redirect) = crate::response::redirect(&response) {
            self.lookup_finished(LookupVerdict::Unavailable);
            return self.end(Err(redirect));
        }
        if response.is_success() {
            match self.plan.reconcile(&response) {
                Ok(Verdict::Same(outcome)) => {
                    self.lookup_finished(LookupVerdict::Same);
                    self.end(Ok(outcome));
                }
                Ok(Verdict::Differs { what, fields }) => {
                    let message = format!(
                        "a {what} with this id already exists with a different {}; nothing new was created. Use a new id for a different {what}",
                        fields.join(", ")
                    );
                    self.lookup_finished(LookupVerdict::Differs(fields));
                    self.end(Err(Error::Conflict {
                        message,
                        attempts: Box::default(),
                    }));
                }
                Ok(Verdict::Missing { what, fields }) => {
                    let message = format!(
                        "a {what} with this id exists, but the lookup did not show its {}, so it cannot be told apart from another {what} with the same id",
                        fields.join(", ")
                    );
                    self.lookup_finished(LookupVerdict::Missing(fields));
                    self.may_have_applied = true;
                    let error = self.unknown_outcome(&message);
                    self.end(Err(error));
                }
                Err(_) => self.end_lookup_unsure(),
            }
            return;
        }
        if response.status == 404 {
            return self.nothing_was_made();
        }
        if backoff::is_retryable(response.status) {
            let wait = crate::response::retry_after(&response)
                .filter(|w| *w <= self.retry.max_retry_after);
            if self.retry(Phase::Lookup, wait, RetryReason::Status(response.status)) {
                return;
            }
        }
        self.end_lookup_unsure();
    }

    fn lookup_finished(&mut self, verdict: LookupVerdict) {
        self.emit(|_| Event::LookupFinished { verdict });
    }

    /// The lookup found nothing under the caller's id. After an uncertain
    /// attempt, the operation is sent again if the budget allows; after a
    /// refusal, the refusal stands.
    // One caller: inlined into it, as the machine's steps read best apart
    // but cost least together.
    #[inline]
    fn nothing_was_made(&mut self) {
        self.lookup_finished(LookupVerdict::NotFound);
        let pending = self.pending_error.take();
        if !self.lookup_after_uncertain_attempt {
            return self.end(Err(pending.unwrap_or_else(|| {
                Error::internal("lookup finished without an error to report")
            })));
        }
        self.may_have_applied = false;
        if self.retry(Phase::Operation, None, RetryReason::NothingCreated) {
            return;
        }
        let error = match pending {
            Some(Error::Transport { message, .. }) => self.with_sent(
                format!("{message}; a lookup confirmed that nothing was created, so sending it again is safe"),
                false,
            ),
            Some(other) => other,
            None => Error::internal("lookup finished without an error to report"),
        };
        self.end(Err(error));
    }

    /// Schedules another attempt of `phase` if its budget allows; `reason`
    /// says why, for the event.
    fn retry(&mut self, phase: Phase, wait: Option<Duration>, reason: RetryReason) -> bool {
        let attempts = *self.attempts_of(phase);
        if attempts > self.retry.max_retries {
            return false;
        }
        let delay =
            wait.unwrap_or_else(|| backoff::backoff(&self.retry, attempts.max(1), &mut self.rng));
        self.emit(|_| Event::RetryScheduled {
            phase,
            reason,
            delay,
            retry_after: wait.is_some(),
        });
        self.state = State::Backoff(phase, delay);
        true
    }

    fn attempts_of(&mut self, phase: Phase) -> &mut u32 {
        match phase {
            Phase::Operation => &mut self.operation_attempts,
            Phase::Lookup => &mut self.lookup_attempts,
        }
    }

    /// The operation may not be sent again: its last error stands, unless
    /// an earlier attempt may have been applied, which makes the outcome
    /// unknown.
    fn exhausted(&mut self, error: Error) {
        let error = if self.may_have_applied && !self.plan.is_read() {
            self.unknown_outcome(&self.describe(&error))
        } else if let Error::Transport { message, .. } = error {
            self.with_sent(
                format!("{message}; nothing was applied, so the call is safe to repeat once the API can be reached"),
                false,
            )
        } else {
            error
        };
        self.end(Err(error));
    }

    fn start_lookup(&mut self, error: Error, after_uncertain_attempt: bool) {
        if self.lookup.is_none() {
            match self.plan.lookup_request() {
                Ok(request) => self.lookup = Some(request),
                Err(e) => return self.end(Err(e)),
            }
        }
        self.emit(|m| Event::LookupStarted {
            reason: if after_uncertain_attempt {
                LookupReason::OutcomeUnknown
            } else {
                LookupReason::Refused
            },
            ids: m.plan.sent_ids(),
        });
        self.pending_error = Some(error);
        self.lookup_after_uncertain_attempt = after_uncertain_attempt;
        self.lookup_attempts = 0;
        self.state = State::Ready(Phase::Lookup);
    }

    /// The lookup could not complete: if an attempt may have been applied,
    /// the outcome is unknown; otherwise the operation's own answer stands.
    fn end_lookup_unsure(&mut self) {
        self.lookup_finished(LookupVerdict::Unavailable);
        let error = match self.pending_error.take() {
            Some(error) if self.may_have_applied => self.unknown_outcome(&format!(
                "{}, and the lookup of what it made could not complete",
                self.describe(&error)
            )),
            Some(error) => error,
            None => Error::internal("lookup finished without an error to report"),
        };
        self.end(Err(error));
    }

    /// A 2xx of an operation that is not a read, whose body could not be
    /// read: the API applied it, so the error says so, with what was sent.
    fn applied(&self, error: Error) -> Error {
        match error {
            Error::InvalidResponse {
                message,
                status,
                body,
                ..
            } => Error::InvalidResponse {
                message,
                status,
                body,
                applied: true,
                idempotency_key: self.idempotency_key.clone(),
                sent_ids: self.plan.sent_ids(),
                attempts: Box::default(),
            },
            other => other,
        }
    }

    /// The error for an operation that may have been applied: always a
    /// `transport` error with `outcome_unknown`, whatever the last answer
    /// was, so callers have one flag to check, and advice that depends on
    /// what makes the operation safe to settle.
    fn unknown_outcome(&self, last: &str) -> Error {
        let ids = self.plan.sent_ids();
        let advice = match (&self.idempotency_key, ids.as_slice()) {
            (Some(key), _) => format!(
                "the request may have been applied: send it again with the same idempotency key {key} within 24 hours to finish it at most once (a new key could apply it twice)"
            ),
            (None, ids) if !ids.is_empty() && self.plan.has_lookup() => format!(
                "the request may have been applied: look up {} before sending it again; if nothing is found, sending it again is safe",
                describe_ids(ids)
            ),
            (None, []) => "the request may have been applied, and it carries no id or key that would make sending it again safe, so the SDK did not: check whether it was made (list or look up what it creates) before repeating it".to_owned(),
            (None, ids) => format!(
                "the request for {} may have been applied, and it carries no key that would make sending it again safe, so the SDK did not: check its state before repeating it",
                describe_ids(ids)
            ),
        };
        Error::Transport {
            message: format!("{last}; {advice}"),
            outcome_unknown: true,
            idempotency_key: self.idempotency_key.clone(),
            sent_ids: ids,
            attempts: Box::default(),
        }
    }

    /// A transport failure of the last attempt, before the machine decides
    /// what it means.
    fn transport_failure(&self, message: &str) -> Error {
        let attempts = self.total_attempts;
        self.with_sent(
            format!("the Lean API call failed after {attempts} attempt(s): {message}"),
            false,
        )
    }

    /// A `transport` error carrying what a non-read operation sent.
    fn with_sent(&self, message: String, outcome_unknown: bool) -> Error {
        let read = self.plan.is_read();
        Error::Transport {
            message,
            outcome_unknown,
            idempotency_key: self.idempotency_key.clone().filter(|_| !read),
            sent_ids: if read {
                Vec::new()
            } else {
                self.plan.sent_ids()
            },
            attempts: Box::default(),
        }
    }

    /// The last error, as the first clause of an unknown-outcome message.
    fn describe(&self, error: &Error) -> String {
        match error {
            Error::Transport { message, .. } => message.clone(),
            other => format!(
                "the Lean API call ended after {} attempt(s), the last answered: {other}",
                self.total_attempts
            ),
        }
    }

    fn unexpected_report(&mut self) {
        self.end(Err(Error::internal(
            "a response or transport error was reported when no request was in flight",
        )));
    }

    /// Ends the call with `result`: its error gets every attempt, and the
    /// host is told how it ended.
    fn end(&mut self, mut result: Result<P::Outcome, Error>) {
        let (error_code, outcome_unknown) = match &mut result {
            Ok(_) => (None, false),
            Err(error) => {
                error.set_attempts(&self.made);
                let unknown = matches!(
                    error,
                    Error::Transport {
                        outcome_unknown: true,
                        ..
                    }
                );
                (Some(error.code()), unknown)
            }
        };
        self.emit(|m| Event::CallFinished {
            operation: m.plan.operation_name(),
            error_code,
            outcome_unknown,
            attempts: m.made.clone(),
        });
        self.state = State::Finished(result);
    }

    /// Ends the call with `result` and hands it over.
    fn finish(&mut self, result: Result<P::Outcome, Error>) -> Step<P::Outcome> {
        self.end(result);
        match &self.state {
            State::Finished(result) => Step::Done(result.clone()),
            _ => Step::Done(Err(Error::internal("a finished call is not over"))),
        }
    }
}

/// `gigId "g1"`, for messages.
fn describe_ids(ids: &[(String, String)]) -> String {
    ids.iter()
        .map(|(name, id)| format!("{name} {id:?}"))
        .collect::<Vec<_>>()
        .join(" and ")
}
