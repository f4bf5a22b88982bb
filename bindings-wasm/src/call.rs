//! The client configuration and the call engine, for a `fetch` transport.
//!
//! [`Client`] holds a validated `Config`; [`Client::start`] turns the
//! host-neutral call JSON into a call of the core's engine, which the JS
//! loop drives by number through the shared call driver
//! (`lean-sdk-wasm-boundary`).

use lean_core::{Config, Environment, Error, Operation};
use lean_sdk_wasm_boundary::{call_entropy, parse_call, start_call, throw, Options};
use wasm_bindgen::prelude::*;

/// A validated client configuration. Its `Debug` (and so anything the JS
/// layer shows) never contains the API key.
#[wasm_bindgen]
pub struct Client {
    config: Config,
    /// Whether calls record the core's events: only for a client with a
    /// logger, so that the others pay nothing for them.
    events: bool,
}

#[wasm_bindgen]
impl Client {
    /// Reads `{apiKey, environment?, baseUrl?, maxRetries?,
    /// initialBackoffMs?, maxBackoffMs?, timeoutMs?, host?, events?}`
    /// (`events`: the JS layer has a logger for the calls' events).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<Client, JsValue> {
        let options = Options::parse(options).map_err(|e| throw(&e))?;
        options
            .refuse_in_page(lean_core::PartnerSecret::ApiKey)
            .map_err(|e| throw(&e))?;
        config(&options)
            .map(|config| Client {
                config,
                events: options.flag("events").unwrap_or(false),
            })
            .map_err(|e| throw(&e))
    }

    /// Validates one call (`{"operation": "createGig", "input": {...}}`),
    /// starts it and returns its first step, which names the call. Throws
    /// the validation error before any request. `entropy` is 32 bytes from
    /// `crypto.getRandomValues` (the JS layer draws them in batches): they
    /// make the idempotency key and jitter.
    pub fn start(&self, call: &str, entropy: &[u8]) -> Result<String, JsValue> {
        let entropy = call_entropy(entropy)?;
        let operation = parse_call(call, Operation::from_json).map_err(|e| throw(&e))?;
        let call = lean_core::Call::new(&self.config, operation, entropy).map_err(|e| throw(&e))?;
        Ok(start_call(call, self.events))
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
    lean_sdk_wasm_boundary::check_call(call, Operation::from_json)
}

fn config(options: &Options) -> Result<Config, Error> {
    let environment = Environment::parse(options.text("environment").unwrap_or("sandbox"))?;
    let mut config = Config::new(options.text("apiKey").unwrap_or_default(), environment)?
        .with_host(options.text("host").unwrap_or("js"))
        .with_retry(options.retry());
    if let Some(url) = options.text("baseUrl") {
        config = config.with_base_url(url)?;
    }
    if let Some(timeout) = options.millis("timeoutMs") {
        config.timeout = timeout;
    }
    Ok(config)
}
