//! The Lean SDK for JavaScript, through wasm-bindgen.
//!
//! This crate is the thin layer between `lean-core` and the npm package
//! `lean-sdk` (in `npm/`): a [`Client`] that starts calls, which the JS
//! side drives with `fetch`, and a [`Verifier`] for webhooks. Values cross
//! the boundary as JSON text or raw bytes, in the core's own host-neutral
//! shapes (`Operation::from_json`, `Outcome::to_json`, `Error::to_json`), so
//! no rule is re-derived here. The idiomatic API (`LeanClient`, `webhooks`,
//! error classes) is written in JavaScript on top of these exports.
//!
//! Errors are thrown as the core's error JSON (a string) and turned into
//! `LeanError` subclasses by the JS layer. The call driver, the panic hook
//! and the error crossing are `lean-sdk-wasm-boundary`'s, shared with the
//! open-banking module.

mod call;
mod webhooks;

pub use call::Client;
pub use webhooks::{sign_bytes, sign_string, Verifier};
