//! The public face of the machine: one `Call` type serves both APIs, each
//! giving it its own plan ([`crate::payouts::CallPlan`],
//! [`crate::openbanking::CallPlan`]) and its own constructor. Users name
//! [`crate::Call`] and [`crate::openbanking::Call`], aliases of this type.

use std::time::Duration;

use super::machine::{Machine, Plan};
use super::{Attempt, Event, Step, TransportError};
use crate::error::Error;
use crate::http::HttpResponse;

/// An API the engine drives calls of, as far as a host sees it: the type
/// of its results. Implemented by the two APIs' plans
/// ([`crate::payouts::CallPlan`], [`crate::openbanking::CallPlan`]); a
/// [`Call`] also needs the crate's own rules, so no other type drives one.
pub trait Api {
    /// The typed result of a successful operation.
    type Outcome: Clone + std::fmt::Debug;
}

/// One operation in progress, driven to its end without I/O. The contract
/// (what the host does with each [`Step`]) is documented on the payouts
/// [`crate::Call`]; the rules on the engine module.
// The plan's trait stays crate-private on purpose: only the two APIs of
// this crate plug into the machine.
#[allow(private_bounds)]
#[derive(Clone, Debug)]
pub struct Call<P: Plan>(Machine<P>);

#[allow(private_bounds)]
impl<P: Plan> Call<P> {
    pub(crate) fn from_machine(machine: Machine<P>) -> Self {
        Self(machine)
    }

    /// The `Idempotency-Key` every attempt carries, if the operation has
    /// one (a payouts special payment: the caller's, or the generated
    /// one). Log it: it identifies the payment for a later safe retry.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.0.idempotency_key()
    }

    /// How many requests were handed to the host so far.
    pub fn attempts(&self) -> u32 {
        self.0.attempts()
    }

    /// What to do next. After [`Step::Done`], every poll returns the same
    /// result again.
    pub fn poll(&mut self) -> Step<P::Outcome> {
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

/// Implements [`Drive`] for one API's `Call` by its inherent methods. Each
/// API invokes it in its own module rather than the engine implementing it
/// for every plan at once: the machine's code is then compiled with the
/// API's, which keeps the npm package's WebAssembly as small as it was.
macro_rules! drive_by_inherent_methods {
    ($call:ty, $outcome:ty) => {
        impl $crate::engine::Drive for $call {
            type Outcome = $outcome;

            fn poll(&mut self) -> $crate::engine::Step<Self::Outcome> {
                <$call>::poll(self)
            }

            fn on_response(&mut self, response: $crate::HttpResponse) {
                <$call>::on_response(self, response)
            }

            fn on_transport_error(&mut self, error: $crate::engine::TransportError) {
                <$call>::on_transport_error(self, error)
            }

            fn interrupt(&mut self, reason: &str) -> $crate::Error {
                <$call>::interrupt(self, reason)
            }

            fn on_response_timed(
                &mut self,
                response: $crate::HttpResponse,
                elapsed: std::time::Duration,
            ) {
                <$call>::on_response_timed(self, response, elapsed)
            }

            fn on_transport_error_timed(
                &mut self,
                error: $crate::engine::TransportError,
                elapsed: std::time::Duration,
            ) {
                <$call>::on_transport_error_timed(self, error, elapsed)
            }

            fn record_events(&mut self, on: bool) {
                <$call>::record_events(self, on)
            }

            fn take_events(&mut self) -> Vec<$crate::engine::Event> {
                <$call>::take_events(self)
            }

            fn attempt_log(&self) -> &[$crate::engine::Attempt] {
                <$call>::attempt_log(self)
            }
        }
    };
}
pub(crate) use drive_by_inherent_methods;
