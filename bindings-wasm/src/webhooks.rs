//! Webhook signatures for JavaScript payloads.
//!
//! A [`Verifier`] keeps the HMAC key state of its secrets, so a server pays
//! the key schedule once, not per request. Bodies go through a scratch
//! buffer in wasm memory: the JS layer copies bytes into it and encodes
//! strings with `TextEncoder.encodeInto` straight into it (the glue's own
//! string passing walks ASCII strings one character at a time, which costs
//! more than the HMAC on large bodies).
//!
//! `verify` is the hot call of a webhook handler, so its fast path crosses
//! the boundary with numbers only: the body and the signature header both
//! sit in the scratch buffer (the JS layer keeps its view of it between
//! calls), and the result is a status, the error being fetched only on
//! failure. Each string or `Result` the glue passes costs an allocation or
//! a memory read on the JS side per call.

use std::cell::RefCell;

use lean_core::webhooks::{self, WebhookVerifier};
use lean_core::WebhookSecret;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Where string bodies are encoded; it only grows, to the largest body.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The error JSON of the last failed [`Verifier::check_scratch`].
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// [`Verifier::check_scratch`]'s status when the signature matches.
const VERIFIED: u32 = 0;
/// [`Verifier::check_scratch`]'s status when it does not: the error is
/// waiting in [`take_error`].
const REFUSED: u32 = 1;

/// Where the scratch buffer starts in wasm memory, with room for `len`
/// bytes: the JS layer encodes a body there (a view of [`wasm_memory`]'s
/// buffer) before calling a `...Scratch` method. The buffer moves only
/// here, when it grows; a view of it dies (length 0) when wasm memory
/// grows, which is how the JS layer knows to ask again.
#[wasm_bindgen(js_name = scratchAt)]
pub fn scratch_at(len: usize) -> usize {
    SCRATCH.with(|cell| {
        let mut buffer = cell.borrow_mut();
        if buffer.len() < len {
            buffer.resize(len, 0);
        }
        buffer.as_ptr() as usize
    })
}

/// This instance's `WebAssembly.Memory`, for the JS layer's view of the
/// scratch buffer ([`scratch_at`]).
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

fn with_scratch<T>(len: usize, f: impl FnOnce(&[u8]) -> T) -> T {
    SCRATCH.with(|cell| {
        let buffer = cell.borrow();
        f(buffer.get(..len).unwrap_or_default())
    })
}

lean_sdk_wasm_boundary::webhook_verifier!(WebhookVerifier);

/// The scratch-buffer calls, on top of the bytes calls every `Verifier` has.
#[wasm_bindgen]
impl Verifier {
    /// Verifies the first `len` scratch bytes against the signature header
    /// in the `signature_len` bytes after them (`-1`: no header). Returns
    /// `0` when it matches; otherwise `1`, the error waiting in
    /// `take_error`. Numbers only cross the boundary on success.
    #[wasm_bindgen(js_name = checkScratch)]
    pub fn check_scratch(&self, len: usize, signature_len: i32) -> u32 {
        let outcome = SCRATCH.with(|cell| {
            let buffer = cell.borrow();
            let payload = buffer.get(..len).unwrap_or_default();
            let signature = header_at(&buffer, len, signature_len);
            self.inner.verify(payload, signature.as_deref())
        });
        status(outcome)
    }

    /// [`Verifier::construct_event`] of the first `len` scratch bytes.
    #[wasm_bindgen(js_name = constructEventScratch)]
    pub fn construct_event_scratch(
        &self,
        len: usize,
        signature: Option<String>,
    ) -> Result<String, JsValue> {
        with_scratch(len, |payload| self.construct_event(payload, signature))
    }
}

/// The signature header's `len` bytes at `at` in the scratch buffer (`len`
/// -1: no header).
fn header_at(buffer: &[u8], at: usize, len: i32) -> Option<std::borrow::Cow<'_, str>> {
    usize::try_from(len).ok().map(|n| {
        let bytes = buffer.get(at..at.saturating_add(n)).unwrap_or_default();
        // The JS layer writes UTF-8 (`TextEncoder`), so this never replaces
        // anything; if it did, the header stays malformed.
        match std::str::from_utf8(bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(bytes),
        }
    })
}

/// A verification's status for the JS layer, the error kept for
/// [`take_error`].
fn status(outcome: Result<(), lean_core::Error>) -> u32 {
    match outcome {
        Ok(()) => VERIFIED,
        Err(error) => {
            LAST_ERROR.with(|cell| *cell.borrow_mut() = error.to_json().to_string());
            REFUSED
        }
    }
}

/// The error JSON of the last refused [`Verifier::check_scratch`].
#[wasm_bindgen(js_name = takeError)]
pub fn take_error() -> String {
    LAST_ERROR.with(|cell| std::mem::take(&mut *cell.borrow_mut()))
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
