//! The open-banking client configuration, its credentials, and the call
//! engine, for a `fetch` transport.
//!
//! [`Client`] holds the core's `Config` and the caller's credentials: an
//! application token, a bearer token obtained elsewhere, or OAuth client
//! credentials driven through the core's `TokenManager`. The JS layer asks
//! [`Client::token_step`] before each call whether a token must be fetched
//! (the core decides; the JS side supplies the time and sends the request),
//! then [`Client::start`]s the call with the current credentials.
//!
//! Calls in progress live in the client and are driven by number through
//! the steps of the payouts module's `wire`, one format for both modules.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lean_core::openbanking::auth::Token;
use lean_core::openbanking::{
    AccessToken, AppToken, Auth, ClientCredentials, Config, Environment, NextStep, Operation,
    TokenManager, TokenScope,
};
use lean_core::{Error, HttpResponse, RetryPolicy};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::wire::{call_stepping_exports, header_pairs, send_text, Calls, OutcomeJson};
use crate::{from_js_layer, throw};

/// A validated open-banking configuration with its credentials. Nothing it
/// holds is ever shown: its `Debug` redacts every token and secret.
#[wasm_bindgen]
pub struct Client {
    config: Config,
    /// The credentials of the next call: the application token, the given
    /// bearer token, or the last token the manager accepted.
    auth: Option<Auth>,
    tokens: Option<TokenManager>,
    /// When the current OAuth token expires, and its granted scope, for
    /// [`Client::token_status`].
    token: Option<Token>,
    margin: Option<Duration>,
    calls: Calls<lean_core::openbanking::Call>,
}

#[wasm_bindgen]
impl Client {
    /// Reads `{environment?, baseUrl?, tokenBaseUrl?, requireMtls?,
    /// appToken? | accessToken? | clientId + clientSecret + customerId?,
    /// maxRetries?, initialBackoffMs?, maxBackoffMs?, timeoutMs?,
    /// tokenRenewalMarginMs?, host?}`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<Client, JsValue> {
        build(options).map_err(|e| throw(&e))
    }

    /// The environment as `{name, apiBaseUrl, tokenUrl, requiresMtls}`
    /// (`tokenUrl` null when the token host is unknown).
    pub fn environment(&self) -> String {
        let env = self.config.environment();
        json!({
            "name": env.name(),
            "apiBaseUrl": env.api_base_url(),
            "tokenUrl": env.token_url().ok(),
            "requiresMtls": env.requires_mtls(),
        })
        .to_string()
    }

    /// The per-attempt timeout the JS transport applies, in milliseconds.
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.config.timeout.as_millis() as f64
    }

    /// True when the client authenticates with OAuth client credentials.
    #[wasm_bindgen(getter, js_name = usesOAuth)]
    pub fn uses_oauth(&self) -> bool {
        self.tokens.is_some()
    }

    /// Before a call at `now_ms` (the host's clock, ms since the epoch):
    /// `undefined` when the current credentials are good, or the token
    /// request to send (`{"send": ...}`) when the manager has no token or
    /// the token is due for renewal.
    #[wasm_bindgen(js_name = tokenStep)]
    pub fn token_step(&mut self, now_ms: f64) -> Result<Option<String>, JsValue> {
        let Some(tokens) = &self.tokens else {
            return Ok(None);
        };
        match tokens.next(at(now_ms)).map_err(|e| throw(&e))? {
            NextStep::Ready(auth) => {
                self.auth = Some(auth);
                Ok(None)
            }
            NextStep::FetchToken(request) => Ok(Some(send_text(&request))),
        }
    }

    /// Hands the token endpoint's answer, received at `now_ms`, to the
    /// manager. Throws the API error of a refusal (the previous token, if
    /// any, is kept).
    #[wasm_bindgen(js_name = acceptToken)]
    pub fn accept_token(
        &mut self,
        status: u16,
        headers: Vec<String>,
        body: Vec<u8>,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let Some(tokens) = &mut self.tokens else {
            return Err(throw(&Error::from_panic(
                &"a token for a client without OAuth",
            )));
        };
        let response = HttpResponse::new(status, header_pairs(headers), body);
        let auth = tokens
            .accept(&response, at(now_ms))
            .map_err(|e| throw(&e))?;
        // The manager keeps its token private; read the same answer again
        // for the expiry and scope the client reports.
        self.token = Token::parse(&response, at(now_ms))
            .ok()
            .map(|t| match self.margin {
                Some(margin) => t.with_renewal_margin(margin),
                None => t,
            });
        self.auth = Some(auth);
        Ok(())
    }

    /// Forgets the OAuth token, after the API answered 401 with it.
    #[wasm_bindgen(js_name = invalidateToken)]
    pub fn invalidate_token(&mut self) {
        if let Some(tokens) = &mut self.tokens {
            tokens.invalidate();
            self.auth = None;
            self.token = None;
        }
    }

    /// `{expiresAtMs, renewAtMs, scope?}` of the current OAuth token, or
    /// `undefined`: never the token itself.
    #[wasm_bindgen(js_name = tokenStatus)]
    pub fn token_status(&self) -> Option<String> {
        let token = self.token.as_ref()?;
        let millis = |t: SystemTime| {
            t.duration_since(UNIX_EPOCH)
                .map_or(0.0, |d| d.as_millis() as f64)
        };
        Some(
            json!({
                "expiresAtMs": millis(token.expires_at()),
                "renewAtMs": millis(token.renew_at()),
                "scope": token.scope(),
            })
            .to_string(),
        )
    }

    /// The error of a token request that failed below HTTP, as JSON text
    /// (`transport`; nothing was created, so nothing is unknown).
    #[wasm_bindgen(js_name = tokenTransportError)]
    pub fn token_transport_error(&self, message: &str) -> String {
        let url = self.config.environment().token_url().unwrap_or_default();
        Error::transport(format!(
            "the OAuth token request to {url} failed: {message}"
        ))
        .to_json()
        .to_string()
    }

    /// Validates one call (`{"operation": "getBalance", "input": {...}}`),
    /// starts it with the current credentials and returns its first step,
    /// which names the call. Throws the validation error before any
    /// request. `entropy` is 32 random bytes (retry jitter).
    pub fn start(&mut self, call: &str, entropy: &[u8]) -> Result<String, JsValue> {
        let entropy = <[u8; 32]>::try_from(entropy)
            .map_err(|_| throw(&Error::from_panic(&"entropy must be 32 bytes")))?;
        let operation = parse_call(call).map_err(|e| throw(&e))?;
        let auth = self.auth.as_ref().ok_or_else(|| {
            throw(&Error::from_panic(
                &"a call started before the OAuth token was fetched",
            ))
        })?;
        let call = lean_core::openbanking::Call::new(&self.config, auth, operation, entropy);
        Ok(self.calls.start(call))
    }
}

/// Checks a call's input with the API's rules without sending anything:
/// `undefined` when valid, or the error JSON.
#[wasm_bindgen(js_name = checkCall)]
pub fn check_call(call: &str) -> Option<String> {
    parse_call(call).err().map(|e| e.to_json().to_string())
}

fn parse_call(call: &str) -> Result<Operation, Error> {
    let value: Value = serde_json::from_str(call).map_err(|e| from_js_layer("call", &e))?;
    Operation::from_json(&value)
}

fn at(now_ms: f64) -> SystemTime {
    // The JS clock is finite and after 1970; anything else is read as the
    // epoch, which only makes a token look due for renewal.
    let millis = if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    };
    UNIX_EPOCH + Duration::from_millis(millis)
}

fn configuration(message: &str) -> Error {
    Error::Configuration {
        message: message.to_owned(),
    }
}

fn build(options: &str) -> Result<Client, Error> {
    let options: Value = serde_json::from_str(options).map_err(|e| from_js_layer("options", &e))?;
    let text = |key: &str| options.get(key).and_then(Value::as_str);
    let millis = |key: &str| {
        options
            .get(key)
            .and_then(Value::as_u64)
            .map(Duration::from_millis)
    };
    let named = text("environment").map(Environment::parse).transpose()?;
    let mut environment = match (text("baseUrl"), named) {
        // Another host in front of a named environment (a proxy) keeps
        // that environment's mTLS requirement.
        (Some(url), Some(named)) => Environment::custom(url)?.with_mtls(named.requires_mtls()),
        (Some(url), None) => Environment::custom(url)?,
        (None, named) => named.unwrap_or_else(Environment::uae_sandbox),
    };
    if let Some(url) = text("tokenBaseUrl") {
        environment = environment.with_token_base_url(url)?;
    }
    if let Some(required) = options.get("requireMtls").and_then(Value::as_bool) {
        if text("baseUrl").is_none() {
            return Err(configuration(
                "requireMtls is for a custom baseUrl: the documented environments know whether they require mTLS",
            ));
        }
        let required = required || environment.requires_mtls();
        environment = environment.with_mtls(required);
    }
    let mut config = Config::new(environment.clone()).with_host(text("host").unwrap_or("js"));
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
    let margin = millis("tokenRenewalMarginMs");
    let (auth, tokens) = match (text("appToken"), text("accessToken"), text("clientId")) {
        (Some(token), None, None) => (Some(Auth::AppToken(AppToken::new(token)?)), None),
        (None, Some(token), None) => (Some(Auth::Bearer(AccessToken::new(token)?)), None),
        (None, None, Some(client_id)) => {
            let credentials =
                ClientCredentials::new(client_id, text("clientSecret").unwrap_or_default())?;
            let scope = match text("customerId") {
                Some(id) => TokenScope::customer(id)?,
                None => TokenScope::Api,
            };
            let mut manager = TokenManager::new(credentials, environment, scope)?;
            if let Some(margin) = margin {
                manager = manager.with_renewal_margin(margin);
            }
            (None, Some(manager))
        }
        (None, None, None) => return Err(configuration(
            "no credentials: pass { appToken } (the application token), or { clientId, clientSecret } for OAuth",
        )),
        _ => return Err(configuration(
            "pass one kind of credentials: { appToken }, { accessToken } or { clientId, clientSecret }",
        )),
    };
    Ok(Client {
        config,
        auth,
        tokens,
        token: None,
        margin,
        calls: Calls::default(),
    })
}

call_stepping_exports!();

impl OutcomeJson for lean_core::openbanking::Outcome {
    fn to_json(&self) -> Value {
        lean_core::openbanking::Outcome::to_json(self)
    }
}
