//! Webhook signatures for JavaScript payloads.
//!
//! A [`Verifier`] keeps the HMAC key state of its secrets, so a server pays
//! the key schedule once, not per request. Bytes (`Uint8Array`, `Buffer`)
//! and strings have separate entry points so that a string is encoded to
//! UTF-8 straight into wasm memory, with no intermediate `Uint8Array`.

use lean_core::webhooks::{self, WebhookVerifier};
use lean_core::WebhookSecret;
use wasm_bindgen::prelude::*;

use crate::throw;

/// Verifies webhooks against one or more secrets (several during a
/// rotation).
#[wasm_bindgen]
pub struct Verifier {
    inner: WebhookVerifier,
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier for these secrets; throws a `configuration` error when
    /// there is none or one is empty.
    #[wasm_bindgen(constructor)]
    pub fn new(secrets: Vec<String>) -> Result<Verifier, JsValue> {
        let secrets: Vec<WebhookSecret> = secrets.into_iter().map(WebhookSecret::from).collect();
        WebhookVerifier::new(&secrets)
            .map(|inner| Verifier { inner })
            .map_err(|e| throw(&e))
    }

    /// Verifies raw body bytes against the `x-lean-signature` value.
    #[wasm_bindgen(js_name = verifyBytes)]
    pub fn verify_bytes(&self, payload: &[u8], signature: Option<String>) -> Result<(), JsValue> {
        self.inner
            .verify(payload, signature.as_deref())
            .map_err(|e| throw(&e))
    }

    /// Verifies a body held as a string (its UTF-8 bytes are what was signed).
    #[wasm_bindgen(js_name = verifyString)]
    pub fn verify_string(&self, payload: &str, signature: Option<String>) -> Result<(), JsValue> {
        self.verify_bytes(payload.as_bytes(), signature)
    }

    /// Verifies, then parses the event; returns its JSON text.
    #[wasm_bindgen(js_name = constructEventBytes)]
    pub fn construct_event_bytes(
        &self,
        payload: &[u8],
        signature: Option<String>,
    ) -> Result<String, JsValue> {
        self.inner
            .construct_event(payload, signature.as_deref())
            .map(|event| event.to_json().to_string())
            .map_err(|e| throw(&e))
    }

    /// [`Verifier::construct_event_bytes`] for a string body.
    #[wasm_bindgen(js_name = constructEventString)]
    pub fn construct_event_string(
        &self,
        payload: &str,
        signature: Option<String>,
    ) -> Result<String, JsValue> {
        self.construct_event_bytes(payload.as_bytes(), signature)
    }
}

/// The signature Lean would send for these body bytes (for tests and for
/// simulating webhooks).
#[wasm_bindgen(js_name = signBytes)]
pub fn sign_bytes(secret: &str, payload: &[u8]) -> String {
    webhooks::sign(&WebhookSecret::from(secret), payload)
}

/// [`sign_bytes`] for a string body.
#[wasm_bindgen(js_name = signString)]
pub fn sign_string(secret: &str, payload: &str) -> String {
    webhooks::sign(&WebhookSecret::from(secret), payload.as_bytes())
}
