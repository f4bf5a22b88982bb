//! Client configuration and the sans-I/O call engine, for a host transport.
//!
//! One call object serves both APIs, so each host has one driver. The host
//! loops on [`NativeCall::poll`]: it sends each [`NativeStep::Send`] request
//! with its own HTTP stack (`HttpURLConnection`, `URLSession`), sleeps on
//! [`NativeStep::Wait`], and reports back with [`NativeCall::on_response`] or
//! [`NativeCall::on_transport_error`] (or their `_timed` forms, with how long
//! the attempt took by the host's clock). Retries, idempotency keys and
//! reconciliation are the core's; this file only converts. A host with a
//! logger turns [`NativeCall::record_events`] on and drains
//! [`NativeCall::take_events`] after each step; the attempts come with every
//! error and from [`NativeCall::attempts`] after success (`trace.rs`).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use lean_core::engine::Event;
use lean_core::openbanking as ob;
use lean_core::Drive;

use crate::config::NativeConfig;
use crate::error::{guard, ErrorDetails, FfiError, Result};
use crate::http::{transport_error, NativeRequest, NativeResponse, TransportErrorKind};
use crate::openbanking::{NativeObAuth, NativeObConfig, NativeObOperation};
use crate::operation::NativeOperation;
use crate::trace::{self, NativeAttempt, NativeEvent};

#[uniffi::export]
impl NativeConfig {
    /// Starts a payouts call. A method of the configuration rather than a
    /// constructor taking it, so that a closed configuration is refused by
    /// the generated layer instead of being read after it was freed.
    pub fn start(
        &self,
        operation: Arc<NativeOperation>,
        entropy: Vec<u8>,
    ) -> Result<Arc<NativeCall>> {
        guard(|| {
            let call = lean_core::Call::new(&self.0, operation.0.clone(), self::entropy(entropy)?)?;
            Ok(NativeCall::start(Engine::Payouts(call)))
        })
    }
}

/// A call's result: the payouts or open-banking typed value.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum NativeOutcome {
    /// A payouts call's result.
    Payouts {
        /// The typed result.
        outcome: lean_core::Outcome,
    },
    /// An open-banking call's result.
    OpenBanking {
        /// The typed result.
        outcome: ob::Outcome,
        /// The result in the API's JSON shape (`Outcome::to_json`).
        json: String,
    },
}

/// What the host must do next, in a call of either API.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum NativeStep {
    /// Send this request, then report its answer or failure.
    Send {
        /// The request.
        request: NativeRequest,
    },
    /// Sleep this long, then poll again.
    Wait {
        /// Milliseconds.
        millis: u64,
    },
    /// The call succeeded with this result (a failure is thrown by `poll`).
    Done {
        /// The typed result.
        outcome: NativeOutcome,
    },
}

/// The engine of one call: the core's for either API, driven alike.
#[derive(Debug)]
enum Engine {
    Payouts(lean_core::Call),
    OpenBanking(ob::Call),
}

impl Engine {
    /// The core's call, as the trait both kinds implement.
    fn drive(&mut self) -> &mut dyn DriveAny {
        match self {
            Self::Payouts(call) => call,
            Self::OpenBanking(call) => call,
        }
    }

    fn attempt_log(&self) -> &[lean_core::engine::Attempt] {
        match self {
            Self::Payouts(call) => call.attempt_log(),
            Self::OpenBanking(call) => call.attempt_log(),
        }
    }
}

/// The methods of [`Drive`] that do not depend on its outcome type, so one
/// `match` serves both kinds of call.
trait DriveAny {
    fn on_response(&mut self, response: lean_core::HttpResponse, elapsed: Option<Duration>);
    fn on_transport_error(&mut self, error: lean_core::TransportError, elapsed: Option<Duration>);
    fn interrupt(&mut self, reason: &str) -> lean_core::Error;
    fn record_events(&mut self, on: bool);
    fn take_events(&mut self) -> Vec<Event>;
}

impl<D: Drive> DriveAny for D {
    fn on_response(&mut self, response: lean_core::HttpResponse, elapsed: Option<Duration>) {
        match elapsed {
            Some(elapsed) => self.on_response_timed(response, elapsed),
            None => Drive::on_response(self, response),
        }
    }

    fn on_transport_error(&mut self, error: lean_core::TransportError, elapsed: Option<Duration>) {
        match elapsed {
            Some(elapsed) => self.on_transport_error_timed(error, elapsed),
            None => Drive::on_transport_error(self, error),
        }
    }

    fn interrupt(&mut self, reason: &str) -> lean_core::Error {
        Drive::interrupt(self, reason)
    }

    fn record_events(&mut self, on: bool) {
        Drive::record_events(self, on)
    }

    fn take_events(&mut self) -> Vec<Event> {
        Drive::take_events(self)
    }
}

/// One operation of either API driven to its end by the host's transport:
/// the one driver each host has.
#[derive(Debug, uniffi::Object)]
pub struct NativeCall(Mutex<Engine>);

impl NativeCall {
    fn engine(&self) -> MutexGuard<'_, Engine> {
        // A panic while locked is already reported as an error; the state
        // machine itself stays consistent, so keep using it.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn start(engine: Engine) -> Arc<Self> {
        Arc::new(Self(Mutex::new(engine)))
    }
}

/// The 32 random bytes a call takes from the platform (`SecureRandom`,
/// `SystemRandomNumberGenerator`): the core has no randomness of its own
/// for idempotency keys and jitter.
fn entropy(bytes: Vec<u8>) -> Result<[u8; 32]> {
    bytes.as_slice().try_into().map_err(|_| {
        FfiError::from(lean_core::Error::Internal {
            message: format!("a call needs 32 random bytes, got {}", bytes.len()),
        })
    })
}

/// Open-banking calls start here, beside the payouts' `NativeConfig::start`,
/// so that the configuration's module needs nothing of the driver's.
#[uniffi::export]
impl NativeObConfig {
    /// Starts an open-banking call with these credentials (a method, as
    /// `NativeConfig::start` is, so a closed configuration is refused).
    pub fn start(
        &self,
        auth: Arc<NativeObAuth>,
        operation: Arc<NativeObOperation>,
        entropy: Vec<u8>,
    ) -> Result<Arc<NativeCall>> {
        guard(|| {
            let call = ob::Call::new(
                &self.0,
                &auth.0,
                operation.0.clone(),
                self::entropy(entropy)?,
            );
            Ok(NativeCall::start(Engine::OpenBanking(call)))
        })
    }
}

#[uniffi::export]
impl NativeCall {
    /// What to do next; throws the call's error when it ends in failure.
    pub fn poll(&self) -> Result<NativeStep> {
        guard(|| match &mut *self.engine() {
            Engine::Payouts(call) => {
                step(call.poll(), |outcome| NativeOutcome::Payouts { outcome })
            }
            Engine::OpenBanking(call) => step(call.poll(), |outcome| NativeOutcome::OpenBanking {
                json: outcome.to_json().to_string(),
                outcome,
            }),
        })
    }

    /// Reports the answer to the last `Send`.
    pub fn on_response(&self, response: NativeResponse) -> Result<()> {
        guard(|| {
            self.engine().drive().on_response(response.into(), None);
            Ok(())
        })
    }

    /// Reports the answer to the last `Send`, received `elapsed_ms` after
    /// the request was handed to the transport (the host's clock): the
    /// attempt and its event carry it.
    pub fn on_response_timed(&self, response: NativeResponse, elapsed_ms: u64) -> Result<()> {
        guard(|| {
            let elapsed = Duration::from_millis(elapsed_ms);
            self.engine()
                .drive()
                .on_response(response.into(), Some(elapsed));
            Ok(())
        })
    }

    /// Reports that the last `Send` failed below HTTP.
    pub fn on_transport_error(&self, kind: TransportErrorKind, message: String) -> Result<()> {
        guard(|| {
            self.engine()
                .drive()
                .on_transport_error(transport_error(kind, message), None);
            Ok(())
        })
    }

    /// Reports that the last `Send` failed below HTTP after `elapsed_ms`.
    pub fn on_transport_error_timed(
        &self,
        kind: TransportErrorKind,
        message: String,
        elapsed_ms: u64,
    ) -> Result<()> {
        guard(|| {
            let elapsed = Duration::from_millis(elapsed_ms);
            self.engine()
                .drive()
                .on_transport_error(transport_error(kind, message), Some(elapsed));
            Ok(())
        })
    }

    /// Records the call's events from now on (off by default: a host
    /// without a logger pays nothing for them).
    pub fn record_events(&self, on: bool) {
        self.engine().drive().record_events(on);
    }

    /// The events recorded since the last call, in order: a host that logs
    /// drains them after each step and hands them to its logging.
    pub fn take_events(&self) -> Vec<NativeEvent> {
        trace::events(self.engine().drive().take_events())
    }

    /// Every attempt so far, in order; after `Done`, the result's (an
    /// error carries its own in `ErrorDetails::attempts`).
    pub fn attempts(&self) -> Vec<NativeAttempt> {
        trace::attempts(self.engine().attempt_log())
    }

    /// The `Idempotency-Key` of a special payment (the caller's or the
    /// generated one): log it to finish an uncertain payment safely later.
    pub fn idempotency_key(&self) -> Option<String> {
        match &*self.engine() {
            Engine::Payouts(call) => call.idempotency_key().map(str::to_owned),
            Engine::OpenBanking(_) => None,
        }
    }

    /// Ends a call the host stopped mid-flight (a cancelled task, a custom
    /// transport that threw something other than a transport failure) and
    /// returns the error to report with the cancellation: whether an
    /// attempt may have been applied, and the key and ids it carried.
    pub fn interrupt(&self, reason: String) -> ErrorDetails {
        let error = self.engine().drive().interrupt(&reason);
        let FfiError::Failed { details } = error.into();
        details
    }
}

/// The step the host sees: a request, a wait, or the typed result; a
/// failed call is the error.
fn step<T>(step: lean_core::Step<T>, done: impl FnOnce(T) -> NativeOutcome) -> Result<NativeStep> {
    match step {
        lean_core::Step::Send(request) => Ok(NativeStep::Send {
            request: request.into(),
        }),
        lean_core::Step::Wait(delay) => Ok(NativeStep::Wait {
            millis: delay.as_millis().min(u128::from(u64::MAX)) as u64,
        }),
        lean_core::Step::Done(Ok(outcome)) => Ok(NativeStep::Done {
            outcome: done(outcome),
        }),
        lean_core::Step::Done(Err(error)) => Err(error.into()),
    }
}

/// What both APIs' call tests do to a call: take the request it sends and
/// answer it.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{NativeCall, NativeStep};
    use crate::http::{NativeRequest, NativeResponse};

    /// The request the call sends next; panics when it wants anything else.
    pub(crate) fn next_request(call: &NativeCall) -> NativeRequest {
        let NativeStep::Send { request } = call.poll().unwrap() else {
            panic!("expected a request")
        };
        request
    }

    /// Answers the call's request with `status` and `body`, no headers.
    pub(crate) fn answer(call: &NativeCall, status: u16, body: &[u8]) {
        call.on_response(NativeResponse {
            status,
            headers: vec![],
            body: body.to_vec(),
        })
        .unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{answer, next_request};
    use super::*;
    use crate::http::NativeHeader;

    /// A payouts call of `operation` in the sandbox, retrying up to
    /// `retries` times.
    fn start(operation: Arc<NativeOperation>, retries: u32) -> Arc<NativeCall> {
        let config = NativeConfig::new(
            "k".into(),
            "sandbox".into(),
            None,
            Some(retries),
            "test".into(),
        )
        .unwrap();
        config.start(operation, vec![1; 32]).unwrap()
    }

    #[test]
    fn a_call_runs_to_a_typed_result() {
        let call = start(NativeOperation::list_gigs().unwrap(), 0);
        let request = next_request(&call);
        assert_eq!(request.method, "GET");
        assert!(!format!("{request:?}").contains("Basic"));
        answer(&call, 200, br#"[{"gigId":"g1","totalAmount":"1.5"}]"#);
        let NativeStep::Done {
            outcome:
                NativeOutcome::Payouts {
                    outcome: lean_core::Outcome::Gigs(values),
                },
        } = call.poll().unwrap()
        else {
            panic!("expected gigs")
        };
        assert_eq!(
            values[0].total_amount.map(|a| a.to_string()).as_deref(),
            Some("1.50")
        );
    }

    #[test]
    fn a_logged_call_reports_its_events_and_timed_attempts() {
        let call = start(NativeOperation::get_gig("g1".into()).unwrap(), 1);
        call.record_events(true);
        let answer = |status: u16, id: &str| NativeResponse {
            status,
            headers: vec![NativeHeader {
                name: "X-Request-Id".into(),
                value: id.into(),
            }],
            body: br#"{"gigId":"g1"}"#.to_vec(),
        };
        assert!(matches!(call.poll().unwrap(), NativeStep::Send { .. }));
        call.on_response_timed(answer(503, "req-1"), 12).unwrap();
        assert!(matches!(call.poll().unwrap(), NativeStep::Wait { .. }));
        assert!(matches!(call.poll().unwrap(), NativeStep::Send { .. }));
        call.on_response_timed(answer(200, "req-2"), 5).unwrap();
        assert!(matches!(call.poll().unwrap(), NativeStep::Done { .. }));
        let names: Vec<String> = call.take_events().into_iter().map(|e| e.name).collect();
        assert_eq!(
            names,
            [
                "attempt_sent",
                "answer_received",
                "retry_scheduled",
                "attempt_sent",
                "answer_received",
                "call_finished"
            ]
        );
        assert!(call.take_events().is_empty(), "drained");
        let attempts = call.attempts();
        assert_eq!(attempts.len(), 2);
        assert_eq!(attempts[0].status, Some(503));
        assert_eq!(attempts[0].elapsed_ms, Some(12));
        assert_eq!(attempts[1].request_id.as_deref(), Some("req-2"));
    }

    #[test]
    fn an_error_carries_its_attempts() {
        let call = start(NativeOperation::get_gig("g1".into()).unwrap(), 0);
        call.poll().unwrap();
        call.on_transport_error_timed(TransportErrorKind::Connect, "refused".into(), 3)
            .unwrap();
        let Err(FfiError::Failed { details }) = call.poll() else {
            panic!("expected an error")
        };
        assert_eq!(details.attempts.len(), 1);
        assert_eq!(
            details.attempts[0].transport_error,
            Some(TransportErrorKind::Connect)
        );
        assert!(
            call.take_events().is_empty(),
            "nothing recorded unless asked"
        );
    }

    #[test]
    fn panics_become_internal_errors() {
        let Err(FfiError::Failed { details }) = crate::panic_for_tests("boom".into()) else {
            panic!("expected an error")
        };
        assert_eq!(details.code, "internal");
        assert!(details.message.contains("boom"));
    }
}
