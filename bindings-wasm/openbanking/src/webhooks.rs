//! `lean-signature` webhooks for JavaScript payloads.
//!
//! A [`Verifier`] keeps the HMAC-SHA512 key state of each secret (several
//! during a rotation), so a server pays the key schedule once. Open-banking
//! webhooks are few (one per data result or payment), so bodies simply
//! cross as bytes; the payouts module's scratch-buffer fast path is not
//! worth its code here.

use lean_core::openbanking::webhooks::{self, WebhookVerifier};
use lean_core::WebhookSecret;
use wasm_bindgen::prelude::*;

use lean_sdk_wasm_boundary::throw;

/// Verifies `lean-signature` headers against one or more webhook secrets.
/// Its `Debug` shows how many secrets it holds, never them.
#[wasm_bindgen]
pub struct Verifier {
    inner: WebhookVerifier,
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier for these secrets (at least one, none empty).
    #[wasm_bindgen(constructor)]
    pub fn new(secrets: Vec<String>) -> Result<Verifier, JsValue> {
        let secrets: Vec<WebhookSecret> = secrets.into_iter().map(WebhookSecret::new).collect();
        WebhookVerifier::new(&secrets)
            .map(|inner| Verifier { inner })
            .map_err(|e| throw(&e))
    }

    /// Throws the signature error unless `signature` (the header value,
    /// absent when `undefined`) is Lean's signature of the raw `body`.
    pub fn verify(&self, body: &[u8], signature: Option<String>) -> Result<(), JsValue> {
        self.inner
            .verify(body, signature.as_deref())
            .map_err(|e| throw(&e))
    }

    /// Verifies, then parses the event: its JSON text (`{type, payload,
    /// message?, timestamp?, event_id?, ...}`).
    #[wasm_bindgen(js_name = constructEvent)]
    pub fn construct_event(
        &self,
        body: &[u8],
        signature: Option<String>,
    ) -> Result<String, JsValue> {
        self.inner
            .construct_event(body, signature.as_deref())
            .map(|event| event.to_json().to_string())
            .map_err(|e| throw(&e))
    }
}

/// The header value Lean would send for `body` (`sha512=<hex>`), for tests
/// and simulations of Lean.
#[wasm_bindgen]
pub fn sign(secret: &str, body: &[u8]) -> String {
    webhooks::sign(&WebhookSecret::new(secret), body)
}
