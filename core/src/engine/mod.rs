//! The call engine: one operation driven to its end, without I/O. The
//! contract is documented on [`Call`]. One state machine (`machine`)
//! drives the operations of both APIs: the payouts [`Call`] here, and
//! [`crate::openbanking::Call`].

mod backoff;
pub(crate) mod machine;
mod payouts;
pub(crate) mod reconcile;

use std::time::Duration;

use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::response::Outcome;

pub use payouts::Call;

/// What a host's transport loop needs of a call, whichever API the call
/// belongs to, so that one loop (send, sleep, report) serves both the
/// payouts [`Call`] and [`crate::openbanking::Call`]. Both also have these
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
}

/// What the host must do next; `T` is the API's result type (the payouts
/// [`Outcome`] unless said otherwise). (`Done` is larger than the other
/// variants; a step is handed over once per attempt, so boxing would buy
/// nothing.)
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Step<T = Outcome> {
    /// Send this request, then report with [`Call::on_response`] or
    /// [`Call::on_transport_error`].
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

#[cfg(test)]
mod tests;
