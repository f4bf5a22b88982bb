//! What a call reports while it runs, as records the hosts read: the
//! core's events (for each host's own logging) and its attempts (for the
//! result and every error, with the request ids support asks for).
//!
//! An event crosses with its level, name, message and the core's whole JSON,
//! so that no host keeps a list of event names or writes a message itself.

use lean_core::engine::{Attempt, Event, Phase};

use crate::http::TransportErrorKind;

/// One event of a call or of the token policy, as the core words it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NativeEvent {
    /// `debug` (every request and answer) or `info` (decisions and
    /// outcomes); hosts map it to their logging levels.
    pub level: String,
    /// The event's stable name (`attempt_sent`, `retry_scheduled`...).
    pub name: String,
    /// The log line: short, and free of credentials and bodies.
    pub message: String,
    /// The core's JSON of the event (`Event::to_json`): `event`, `level`,
    /// `message` and the event's fields in camelCase, for structured logs.
    pub json: String,
}

impl From<&Event> for NativeEvent {
    fn from(event: &Event) -> Self {
        Self {
            level: event.level().as_str().to_owned(),
            name: event.name().to_owned(),
            message: event.to_string(),
            json: event.to_json().to_string(),
        }
    }
}

/// The events as records, in order.
pub(crate) fn events(events: Vec<Event>) -> Vec<NativeEvent> {
    events.iter().map(NativeEvent::from).collect()
}

/// Which request of a call an attempt sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum AttemptPhase {
    /// The operation itself.
    Operation,
    /// The lookup of what an uncertain create made.
    Lookup,
}

/// One request a call sent and how it ended: what a user quotes to Lean's
/// support (the request id and status).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NativeAttempt {
    /// 1 for the call's first request, lookups counted.
    pub number: u32,
    /// The operation, or the lookup after an uncertain create.
    pub phase: AttemptPhase,
    /// The answer's status; `None` when no answer came.
    pub status: Option<u16>,
    /// The answer's request id header, when it had one.
    pub request_id: Option<String>,
    /// How the attempt failed below HTTP, when it did.
    pub transport_error: Option<TransportErrorKind>,
    /// How long it took by the host's clock, when the host measured it.
    pub elapsed_ms: Option<u64>,
}

impl From<&Attempt> for NativeAttempt {
    fn from(attempt: &Attempt) -> Self {
        Self {
            number: attempt.number,
            phase: match attempt.phase {
                Phase::Operation => AttemptPhase::Operation,
                Phase::Lookup => AttemptPhase::Lookup,
            },
            status: attempt.status,
            request_id: attempt.request_id.clone(),
            transport_error: attempt.transport_error.map(|kind| match kind {
                lean_core::TransportErrorKind::Connect => TransportErrorKind::Connect,
                lean_core::TransportErrorKind::Timeout => TransportErrorKind::Timeout,
                lean_core::TransportErrorKind::Other => TransportErrorKind::Other,
            }),
            elapsed_ms: attempt
                .elapsed
                .map(|d| d.as_millis().min(u128::from(u64::MAX)) as u64),
        }
    }
}

/// The attempts as records, in order.
pub(crate) fn attempts(attempts: &[Attempt]) -> Vec<NativeAttempt> {
    attempts.iter().map(NativeAttempt::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn an_attempt_keeps_every_field() {
        let attempt = Attempt {
            number: 2,
            phase: Phase::Lookup,
            status: Some(200),
            request_id: Some("req-2".into()),
            transport_error: None,
            elapsed: Some(Duration::from_micros(7_900)),
        };
        assert_eq!(
            NativeAttempt::from(&attempt),
            NativeAttempt {
                number: 2,
                phase: AttemptPhase::Lookup,
                status: Some(200),
                request_id: Some("req-2".into()),
                transport_error: None,
                elapsed_ms: Some(7),
            }
        );
    }
}
