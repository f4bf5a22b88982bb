//! The call engine: one operation driven to its end, without I/O. The
//! contract is documented on the payouts [`crate::Call`]. One state machine
//! (`machine`) drives the operations of both APIs: each API's module gives
//! it a plan (`machine::Plan`) with that API's rules, in
//! [`crate::payouts::Call`] and [`crate::openbanking::Call`].
//!
//! # When a request is sent again
//!
//! Money moves once. An attempt **may have been applied** when the
//! transport failed after the request left (anything but a refused
//! connection: a timeout, a reset, a lost answer), or when the API answered
//! 408 or 5xx. Such an attempt is sent again only when the operation is
//! safe to repeat by construction:
//!
//! - **reads** (`get*`, `list*`, and the open-banking data calls, `POST`s
//!   that only read): retried within the budget;
//! - **requests carrying an idempotency key** (payouts special payments;
//!   the same key on every attempt, so the API applies it once, and its
//!   answer to a repeat, a refusal included, is the original's result);
//! - **creates with an id the caller chose** (payouts `createGig` by
//!   `gigId`, payouts `createCustomer` by `partnerUserId`, open-banking
//!   `createCustomer` by `app_user_id`): **looked up first**. A record that
//!   shows every field sent, each equal, is the result (created once); one
//!   that shows another value is a `conflict`; one that does not show a
//!   field that was sent proves nothing, so the outcome is unknown; a 404
//!   means nothing was made, and only then is the create sent again
//!   (within the budget);
//! - payouts **`updateCustomer`**: it sets the fields it is given to the
//!   values given, so sending it twice leaves the customer as sending it
//!   once (and moves no money): repeated like a read. A refusal of such a
//!   repeat may be refusing what the first attempt already did, so it
//!   leaves the outcome unknown.
//!
//! Everything else ends after its first uncertain attempt as `transport`
//! with `outcome_unknown: true`, the ids and key that were sent, and what
//! to do next; it is never sent again:
//!
//! - open-banking **payment intents** and **payment destinations** carry no
//!   id of the caller's and no key (the vendor's collections send an
//!   `Idempotency-Key` only on account-on-file payments);
//! - payouts **`submitApplication`** has no key and no lookup that tells
//!   whether this request was applied (watch the customer's status, or the
//!   `customer.active` webhook).
//!
//! A refused connection reached nothing, so any operation is tried again.
//! A 2xx of an operation that is not a read was applied, even when its body
//! cannot be read: that is `invalid_response` with `applied: true`, the key
//! and the ids, never a retry. A 3xx is an answer, never followed or
//! retried: [`crate::Error::Redirect`], so credentials stay on the
//! configured origin.
//!
//! # 429 and 503
//!
//! A **429** is taken to mean "not processed": a rate limiter refuses a
//! request before it is handled (the open-banking API documents it as the
//! refusal `RATE_LIMIT_EXCEEDED`; the payouts API documents no rate limit),
//! so every operation is retried after it, honouring `Retry-After`.
//! A **503** is not: the payouts reference lists it only as "Service is
//! unavailable" and neither API says that nothing was done, while a proxy
//! can answer 503 after the service committed. It is treated like any other
//! 5xx: retried for reads and keyed requests, a lookup for creates with an
//! id, an unknown outcome for the rest.
//!
//! # Interrupted calls
//!
//! A host whose call is cancelled, or whose custom transport throws instead
//! of answering, ends the call with [`Drive::interrupt`] (or the `Call`
//! types' own `interrupt`) and raises the error it returns: it reports the
//! key and ids that were sent, and whether the attempt in flight may have
//! been applied.
//!
//! # Events and attempts: seeing what a call did
//!
//! A call records every request it hands over as an [`Attempt`]: its
//! number (1 for the first request, lookups counted), its phase
//! (`operation` or `lookup`), and how it ended: the answer's status and
//! request id, or the transport failure's kind, and how long it took when
//! the host reports it with `on_response_timed` /
//! `on_transport_error_timed` (the core has no clock). The list is the
//! call's `attempt_log()`, and every error that ends a call after it sent
//! something carries it ([`crate::Error::attempts`], and `attempts` in its
//! `to_json`), so a user can quote each request id to Lean's support.
//!
//! A call also reports what it decides as [`Event`]s, in order, once the
//! host turns them on with `record_events(true)` (off by default, so a host
//! that logs nothing pays nothing for them); the host drains them with
//! `take_events()` after each step and writes them to its own
//! logging ([`Event::level`], the line [`Event`]'s `Display` writes, and
//! [`Event::to_json`] for structured fields). Every event's JSON has
//! `event`, `level` and `message`, then:
//!
//! | `event` | level | fields |
//! | --- | --- | --- |
//! | `attempt_sent` | debug | `operation`, `phase`, `method`, `path` (no origin, no query), `attempt` |
//! | `answer_received` | debug | `attempt`, `status`, `requestId`?, `elapsedMs`? |
//! | `transport_failed` | debug | `attempt`, `kind` (`connect`, `timeout`, `other`), `elapsedMs`? |
//! | `retry_scheduled` | info | `phase`, `reason` (`status` with `status`, `connect`, `timeout`, `other`, `nothing_created`), `delayMs`, `retryAfter` |
//! | `lookup_started` | info | `reason` (`outcome_unknown`, `refused`), `ids` (the caller's ids by wire name) |
//! | `lookup_finished` | info | `verdict` (`same`, `differs`, `missing`, `not_found`, `unavailable`), `fields`? |
//! | `call_finished` | info | `operation`, `ok`, `code`?, `outcomeUnknown`?, `attempts` |
//! | `token_fetch_started` | debug | `fetch`, `reason` (`no_token`, `renewal`) |
//! | `token_fetched` | info | `fetch`, `expiresInMs` |
//! | `token_fetch_failed` | info | `fetch`, `code` |
//! | `token_rejected` | info | `retry` |
//!
//! The last four come from the open-banking
//! [`crate::openbanking::TokenPolicy`] (its own `record_events` and
//! `take_events()`). No event
//! holds a credential, a token, a webhook secret, a request or response
//! body or a query string: only names, paths, statuses, request ids,
//! error codes, the caller's own ids and wire names of fields.

mod backoff;
pub(crate) mod call;
pub(crate) mod event;
pub(crate) mod machine;
pub(crate) mod reconcile;

pub use call::{Api, Call};
pub use event::{
    Attempt, Event, Level, LookupReason, LookupVerdict, Phase, RetryReason, TokenFetchReason,
};

use std::time::Duration;

use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};

/// What a host's transport loop needs of a call, whichever API the call
/// belongs to, so that one loop (send, sleep, report) serves both the
/// payouts [`crate::Call`] and [`crate::openbanking::Call`]. Both also have these
/// methods of their own, so code driving one kind needs no import.
pub trait Drive {
    /// The call's typed result.
    type Outcome;

    /// What to do next.
    fn poll(&mut self) -> Step<Self::Outcome>;

    /// Reports the answer to the last [`Step::Send`].
    fn on_response(&mut self, response: HttpResponse);

    /// Reports that the last [`Step::Send`] failed below HTTP.
    fn on_transport_error(&mut self, error: TransportError);

    /// Ends the call when the host cannot go on with it (cancelled, or a
    /// custom transport threw), returning the error that says what may have
    /// been sent.
    fn interrupt(&mut self, reason: &str) -> Error;

    /// [`Drive::on_response`], with how long the attempt took by the
    /// host's clock (from handing the request to its transport to having
    /// the answer), for the events and the attempt list.
    fn on_response_timed(&mut self, response: HttpResponse, elapsed: Duration) {
        let _ = elapsed;
        self.on_response(response)
    }

    /// [`Drive::on_transport_error`], with how long the attempt took.
    fn on_transport_error_timed(&mut self, error: TransportError, elapsed: Duration) {
        let _ = elapsed;
        self.on_transport_error(error)
    }

    /// Records events from now on (off by default, so that a host that
    /// logs nothing pays nothing for them).
    fn record_events(&mut self, on: bool) {
        let _ = on;
    }

    /// The events recorded since the last call of this method, in order
    /// (see the module documentation). A host that logs turns recording
    /// on, drains them after each step it performs and writes them to its
    /// logging.
    fn take_events(&mut self) -> Vec<Event> {
        Vec::new()
    }

    /// Every attempt so far, in order: after [`Step::Done`], those of the
    /// result (an error carries them too, in [`Error::attempts`]).
    fn attempt_log(&self) -> &[Attempt] {
        &[]
    }
}

/// What the host must do next; `T` is the API's result type (the crate's
/// root exports it as `Step`, meaning the payouts [`crate::Outcome`] unless
/// said otherwise). (`Done` is larger than the other
/// variants; a step is handed over once per attempt, so boxing would buy
/// nothing.)
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Step<T> {
    /// Send this request, then report with [`Drive::on_response`] or
    /// [`Drive::on_transport_error`].
    Send(HttpRequest),
    /// Sleep this long, then poll again.
    Wait(Duration),
    /// The call is over.
    Done(Result<T, Error>),
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

    /// The form bindings receive from their host layer: `kind` is
    /// `"connect"`, `"timeout"` or anything else, which reads as
    /// [`TransportErrorKind::Other`] (the request may have been applied),
    /// the safe default.
    pub fn from_kind_name(kind: &str, message: impl Into<String>) -> Self {
        match kind {
            "connect" => Self::connect(message),
            "timeout" => Self::timeout(message),
            _ => Self::other(message),
        }
    }
}
