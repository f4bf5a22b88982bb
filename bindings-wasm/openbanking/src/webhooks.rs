//! `lean-signature` webhooks for JavaScript payloads.
//!
//! A [`Verifier`] (the class both modules declare alike) keeps the
//! HMAC-SHA512 key state of each secret (several during a rotation), so a
//! server pays the key schedule once. Open-banking
//! webhooks are few (one per data result or payment), so bodies simply
//! cross as bytes; the payouts module's scratch-buffer fast path is not
//! worth its code here.

use lean_core::openbanking::webhooks::{self, WebhookVerifier};
use lean_core::WebhookSecret;
use wasm_bindgen::prelude::*;

lean_sdk_wasm_boundary::webhook_verifier!(WebhookVerifier);

/// The header value Lean would send for `body` (`sha512=<hex>`), for tests
/// and simulations of Lean.
#[wasm_bindgen]
pub fn sign(secret: &str, body: &[u8]) -> String {
    webhooks::sign(&WebhookSecret::new(secret), body)
}
