//! The client configuration and the call engine, for a `fetch` transport.
//!
//! [`Client`] holds a validated `Config` and its calls in progress;
//! [`Client::start`] turns the host-neutral call JSON into a call of the
//! core's engine, which the JS loop drives by number through the steps of
//! `wire` (`{"send": ...}`, `{"wait": ms}`, `{"done": ...}`).

use std::time::Duration;

use lean_core::{Config, Environment, Error, Operation, Outcome, RetryPolicy};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::throw;
use crate::wire::{call_stepping_exports, Calls, OutcomeJson};

/// A validated client configuration and its calls in progress. Its `Debug`
/// (and so anything the JS layer shows) never contains the API key.
#[wasm_bindgen]
pub struct Client {
    config: Config,
    calls: Calls<lean_core::Call>,
}

#[wasm_bindgen]
impl Client {
    /// Reads `{apiKey, environment?, baseUrl?, maxRetries?,
    /// initialBackoffMs?, maxBackoffMs?, timeoutMs?, host?}`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<Client, JsValue> {
        config(options)
            .map(|config| Client {
                config,
                calls: Calls::default(),
            })
            .map_err(|e| throw(&e))
    }

    /// Validates one call (`{"operation": "createGig", "input": {...}}`),
    /// starts it and returns its first step, which names the call. Throws
    /// the validation error before any request. `entropy` is 32 bytes from
    /// `crypto.getRandomValues` (the JS layer draws them in batches): they
    /// make the idempotency key and jitter.
    pub fn start(&mut self, call: &str, entropy: &[u8]) -> Result<String, JsValue> {
        let entropy = <[u8; 32]>::try_from(entropy)
            .map_err(|_| throw(&Error::from_panic(&"entropy must be 32 bytes")))?;
        let operation = parse_call(call).map_err(|e| throw(&e))?;
        let call = lean_core::Call::new(&self.config, operation, entropy).map_err(|e| throw(&e))?;
        Ok(self.calls.start(call))
    }

    /// The per-attempt timeout the JS transport applies, in milliseconds.
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.config.timeout.as_millis() as f64
    }
}

/// Checks a call's input with the server's rules without sending anything:
/// returns `null` when it is valid, or the error JSON (`fieldErrors` lists
/// every failing field). Browsers use it to validate forms as users type.
#[wasm_bindgen(js_name = checkCall)]
pub fn check_call(call: &str) -> Option<String> {
    parse_call(call).err().map(|e| e.to_json().to_string())
}

/// Reads JSON text from the JS layer. Through `from_slice`, as the core
/// reads response and webhook bodies: one copy of serde_json's parser in the
/// wasm instead of two (`from_str` is a second instantiation of it).
fn json(text: &str) -> serde_json::Result<Value> {
    serde_json::from_slice(text.as_bytes())
}

/// Reads the call straight from its text: the shape the JS layer writes
/// needs no `Value` tree (the core parses any other shape itself).
fn parse_call(call: &str) -> Result<Operation, Error> {
    Operation::from_json_text(call)
        .map_err(|e| Error::from_panic(&format!("call JSON from the JS layer: {e}")))?
}

fn config(options: &str) -> Result<Config, Error> {
    let options: Value = json(options)
        .map_err(|e| Error::from_panic(&format!("options JSON from the JS layer: {e}")))?;
    let text = |key: &str| options.get(key).and_then(Value::as_str);
    let millis = |key: &str| {
        options
            .get(key)
            .and_then(Value::as_u64)
            .map(Duration::from_millis)
    };
    let environment = Environment::parse(text("environment").unwrap_or("sandbox"))?;
    let mut config = Config::new(text("apiKey").unwrap_or_default(), environment)?
        .with_host(text("host").unwrap_or("js"));
    if let Some(url) = text("baseUrl") {
        config = config.with_base_url(url)?;
    }
    let mut retry = RetryPolicy::default();
    if let Some(n) = options.get("maxRetries").and_then(Value::as_u64) {
        retry.max_retries = u32::try_from(n).unwrap_or(u32::MAX);
    }
    if let Some(wait) = millis("initialBackoffMs") {
        retry.initial_backoff = wait;
        retry.max_backoff = retry.max_backoff.max(wait);
    }
    if let Some(wait) = millis("maxBackoffMs") {
        retry.max_backoff = wait;
    }
    config = config.with_retry(retry);
    if let Some(timeout) = millis("timeoutMs") {
        config.timeout = timeout;
    }
    Ok(config)
}

call_stepping_exports!();

impl OutcomeJson for Outcome {
    fn to_json(&self) -> Value {
        Outcome::to_json(self)
    }
}
