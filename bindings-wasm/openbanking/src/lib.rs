//! The open-banking half of the npm package `lean-sdk` (`lean-sdk/openbanking`):
//! the core's open-banking operations, call engine, OAuth token manager and
//! `lean-signature` webhooks for JavaScript.
//!
//! It is a wasm module of its own so that payouts and webhook handlers,
//! which import `lean-sdk`, never download or instantiate it. Like the
//! payouts module it is a thin layer: values cross as the core's
//! host-neutral JSON (`Operation::from_json`, `Outcome::to_json`,
//! `Error::to_json`), and the idiomatic API (`OpenBankingClient`,
//! `webhooks`, the Node mTLS transport) is JavaScript on top of it, in
//! `npm/src/openbanking/`. Errors are thrown as the core's error JSON and
//! become the package's `LeanError` classes there.

mod client;
/// The payouts module's panic hook, compiled into this module too: the JS
/// boundary that reads it (`npm/src/wasm.js`) is shared by both.
#[path = "../../src/panic.rs"]
mod panic;
mod webhooks;
/// The step format of the shared JS transport loop, from the payouts module.
#[path = "../../src/wire.rs"]
mod wire;

pub use client::Client;
pub use webhooks::Verifier;

use wasm_bindgen::JsValue;

/// The value thrown to JavaScript for a core error: its JSON text.
pub(crate) fn throw(error: &lean_core::Error) -> JsValue {
    JsValue::from_str(&error.to_json().to_string())
}

/// The error for JSON the JS layer itself wrote: a bug of the package, so
/// `internal`, never the caller's fault.
pub(crate) fn from_js_layer(what: &str, error: &serde_json::Error) -> lean_core::Error {
    lean_core::Error::from_panic(&format!("{what} JSON from the JS layer: {error}"))
}
