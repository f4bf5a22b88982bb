//! What both wasm modules of the npm package `lean-sdk` share at the JS
//! boundary: the call driver and its step format ([`start_call`] and the
//! exports of `calls`), the panic hook (`panic`), errors thrown as the
//! core's JSON ([`throw`]), the reading of the options both clients
//! take alike ([`Options`]), and the webhook `Verifier` class both modules
//! export ([`webhook_verifier!`]).
//!
//! Each module (`lean-sdk-wasm`, `lean-sdk-wasm-openbanking`) links this
//! crate, so its exports (`poll`, `onResponse`, `finish`, the panic hook's)
//! are in both `.wasm` files, and the JS layer (`npm/src/wasm.js`,
//! `npm/src/transport.js`) drives either the same way.

mod calls;
#[cfg(test)]
mod calls_tests;
#[cfg(feature = "declarations")]
pub mod declarations;
mod panic;

use std::time::Duration;

use lean_core::{Error, PartnerSecret, RetryPolicy};
use serde_json::Value;
use wasm_bindgen::JsValue;

pub use calls::{header_pairs, send_text, start_call, OutcomeJson, Slots};

/// The value thrown to JavaScript for a core error: its JSON text, which
/// the JS layer parses into the matching `LeanError` subclass.
pub fn throw(error: &Error) -> JsValue {
    JsValue::from_str(&error.to_json().to_string())
}

/// An `internal` error: a bug of the JS layer, never the caller's fault.
pub fn internal(message: &str) -> Error {
    Error::from_panic(&message.to_owned())
}

/// Reads a call the JS layer wrote as JSON text, with its API's reader
/// (`Operation::from_json`).
pub fn parse_call<T>(call: &str, read: fn(&Value) -> Result<T, Error>) -> Result<T, Error> {
    let value = serde_json::from_slice(call.as_bytes())
        .map_err(|e| internal(&format!("call JSON from the JS layer: {e}")))?;
    read(&value)
}

/// What a module's `checkCall` answers: `None` when the call is valid, or
/// the error JSON (`fieldErrors` lists every failing field).
pub fn check_call<T>(call: &str, read: fn(&Value) -> Result<T, Error>) -> Option<String> {
    parse_call(call, read)
        .err()
        .map(|e| e.to_json().to_string())
}

/// The 32 random bytes of a call (`crypto.getRandomValues`, drawn by the JS
/// layer in batches): the idempotency key and jitter.
pub fn call_entropy(bytes: &[u8]) -> Result<[u8; 32], JsValue> {
    <[u8; 32]>::try_from(bytes).map_err(|_| throw(&internal("entropy must be 32 bytes")))
}

/// Declares the webhook `Verifier` class a module exports, around the
/// core's verifier type `$core` of its API (`new(secrets)`, `verify` and
/// `construct_event` on raw bytes): `new Verifier(secrets)`, `verify(body,
/// signature?)`, which throws the signature error, and `constructEvent(body,
/// signature?)`, the event's JSON text. A module adds calls of its own in
/// another `#[wasm_bindgen] impl Verifier` block, through the core verifier
/// in the private field `inner`.
#[macro_export]
macro_rules! webhook_verifier {
    ($core:ty) => {
        /// Verifies webhooks against one or more secrets (several during a
        /// rotation), keeping the HMAC key state of each, so that a server
        /// pays the key schedule once.
        #[wasm_bindgen::prelude::wasm_bindgen]
        pub struct Verifier {
            inner: $core,
        }

        #[wasm_bindgen::prelude::wasm_bindgen]
        impl Verifier {
            /// A verifier for these secrets; throws a `configuration` error
            /// when there is none or one is empty.
            #[wasm_bindgen(constructor)]
            pub fn new(secrets: Vec<String>) -> Result<Verifier, wasm_bindgen::JsValue> {
                let secrets: Vec<lean_core::WebhookSecret> = secrets
                    .into_iter()
                    .map(lean_core::WebhookSecret::from)
                    .collect();
                <$core>::new(&secrets)
                    .map(|inner| Verifier { inner })
                    .map_err(|e| $crate::throw(&e))
            }

            /// Throws the signature error unless `signature` (the header
            /// value, absent when `undefined`) is Lean's signature of the
            /// raw `body`.
            pub fn verify(
                &self,
                body: &[u8],
                signature: Option<String>,
            ) -> Result<(), wasm_bindgen::JsValue> {
                self.inner
                    .verify(body, signature.as_deref())
                    .map_err(|e| $crate::throw(&e))
            }

            /// Verifies, then parses the event: its JSON text.
            #[wasm_bindgen(js_name = constructEvent)]
            pub fn construct_event(
                &self,
                body: &[u8],
                signature: Option<String>,
            ) -> Result<String, wasm_bindgen::JsValue> {
                self.inner
                    .construct_event(body, signature.as_deref())
                    .map(|event| event.to_json().to_string())
                    .map_err(|e| $crate::throw(&e))
            }
        }
    };
}

/// A client's options, as JSON text written by the JS layer.
pub struct Options(Value);

impl Options {
    /// Reads the options text. Through `from_slice`, as the core reads
    /// response and webhook bodies: one copy of serde_json's parser in the
    /// wasm instead of two (`from_str` is a second instantiation of it).
    pub fn parse(text: &str) -> Result<Self, Error> {
        serde_json::from_slice(text.as_bytes())
            .map(Self)
            .map_err(|e| internal(&format!("options JSON from the JS layer: {e}")))
    }

    /// A text option.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    /// A true/false option.
    pub fn flag(&self, key: &str) -> Option<bool> {
        self.0.get(key).and_then(Value::as_bool)
    }

    /// A duration option, in milliseconds.
    pub fn millis(&self, key: &str) -> Option<Duration> {
        self.0
            .get(key)
            .and_then(Value::as_u64)
            .map(Duration::from_millis)
    }

    /// Refuses a client holding `secret` in a web page (`inPage`, as the JS
    /// layer sees its globals) unless the caller passed
    /// `dangerouslyAllowBrowser: true`: whoever opens the page can read it.
    pub fn refuse_in_page(&self, secret: PartnerSecret) -> Result<(), Error> {
        let allowed = self.flag("dangerouslyAllowBrowser") == Some(true);
        if self.flag("inPage") == Some(true) && !allowed {
            return Err(secret.refusal("{ dangerouslyAllowBrowser: true }"));
        }
        Ok(())
    }

    /// The retry policy from `maxRetries`, `initialBackoffMs` and
    /// `maxBackoffMs` (the core's defaults for those absent).
    pub fn retry(&self) -> RetryPolicy {
        let mut retry = RetryPolicy::default();
        if let Some(n) = self.0.get("maxRetries").and_then(Value::as_u64) {
            retry.max_retries = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(wait) = self.millis("initialBackoffMs") {
            retry.initial_backoff = wait;
            retry.max_backoff = retry.max_backoff.max(wait);
        }
        if let Some(wait) = self.millis("maxBackoffMs") {
            retry.max_backoff = wait;
        }
        retry
    }
}
