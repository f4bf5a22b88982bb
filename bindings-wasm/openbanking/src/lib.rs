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
//! become the package's `LeanError` classes there. The call driver, the
//! panic hook and the error crossing are `lean-sdk-wasm-boundary`'s, the
//! same as in the payouts module.

mod client;
mod webhooks;

pub use client::Client;
pub use webhooks::Verifier;
