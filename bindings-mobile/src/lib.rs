//! The Lean SDK for Kotlin and Swift, through uniffi.
//!
//! This crate is the thin layer between `lean-core` and the generated
//! Kotlin and Swift code: records and enums that cross the boundary as
//! native types, a [`NativeOperation`] built from typed input or JSON, the
//! sans-I/O [`NativeCall`] that the host's own HTTP stack drives, and webhook
//! verification. No logic lives here; every function only converts.
//!
//! Every exported function returns a `Result` and runs inside
//! `error::guard`, so a panic becomes a catchable `internal` error in
//! both languages (a panic in a non-throwing function aborts a Swift app).
//!
//! Both hosts cross the boundary only through the generated layer, once
//! per step of a call: a network exchange costs far more than the crossing.

// Values crossing the boundary are serialised by uniffi, never moved as
// Rust values by the hosts, so their in-memory size does not matter here;
// and uniffi records and errors cannot be boxed.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

mod call;
mod config;
mod device;
mod error;
mod http;
mod models;
mod openbanking;
mod operation;
mod trace;
mod webhooks;

pub use call::{NativeCall, NativeOutcome, NativeStep};
pub use config::NativeConfig;
pub use device::{refuse_secret_on_device, PartnerSecret};
pub use error::{ErrorDetails, FfiError, FieldError};
pub use http::{NativeHeader, NativeRequest, NativeResponse, TransportErrorKind};
pub use operation::NativeOperation;
pub use trace::{AttemptPhase, NativeAttempt, NativeEvent};
pub use webhooks::{sign_webhook, EventData, NativeWebhookVerifier, WebhookEvent};

uniffi::setup_scaffolding!();
// The core's records (its feature `uniffi`) are exported from this library
// too: the Kotlin and Swift bindings of both crates load this one library.
lean_core::uniffi_reexport_scaffolding!();

/// The version of the SDK, as sent in the `User-Agent`.
#[uniffi::export]
pub fn sdk_version() -> String {
    lean_core::SDK_VERSION.to_owned()
}

/// The canonical name (`sandbox`, `production`) of an environment given
/// as text, as configuration files and environment variables hold it;
/// a `configuration` error names the accepted values otherwise.
#[uniffi::export]
pub fn parse_environment(name: String) -> Result<String, FfiError> {
    error::guard(|| Ok(lean_core::Environment::parse(&name)?.as_str().to_owned()))
}

/// Every error code the core reports (`lean_core::Error::CODES`): the hosts'
/// tests hold their error types to it, so a new code cannot go unhandled.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    lean_core::Error::CODES.map(str::to_owned).to_vec()
}

/// Returns the length of `payload` and does nothing else, on purpose: the
/// benchmarks time it to measure what crossing the boundary costs.
#[uniffi::export]
pub fn boundary_probe(payload: Vec<u8>) -> u64 {
    payload.len() as u64
}

/// Panics on purpose inside the boundary guard. It exists so that each
/// host's tests can prove a Rust panic reaches them as an ordinary,
/// catchable `internal` error rather than a crash.
#[uniffi::export]
pub fn panic_for_tests(message: String) -> Result<(), FfiError> {
    error::guard(|| -> Result<(), FfiError> { panic!("{message}") })
}
