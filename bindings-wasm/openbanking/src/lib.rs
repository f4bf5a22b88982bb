//! The open-banking half of the npm package `lean-sdk` (`lean-sdk/openbanking`):
//! the core's open-banking operations, call engine and `lean-signature`
//! webhooks for JavaScript. It is a wasm module of its own so that payouts
//! and webhook handlers never download or instantiate it.
