//! The open-banking client configuration, its credentials, and the call
//! engine, for a `fetch` transport.
//!
//! [`Client`] holds the core's `Config` and the caller's credentials: an
//! application token, a bearer token obtained elsewhere, or OAuth client
//! credentials under the core's [`TokenPolicy`] (one shared token fetch,
//! renewal before expiry, one renewal and retry after a 401). With OAuth
//! each API call holds a ticket of the policy, by number: the JS layer
//! polls it ([`Client::token_poll`]), sends the token request or waits for
//! another call's, and reports what happened; the policy decides the rest.
//!
//! Calls are driven by number through the call driver both modules share
//! (`lean-sdk-wasm-boundary`), one step format for both APIs.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lean_core::openbanking::{
    AccessToken, AfterUnauthorized, AppToken, Auth, ClientCredentials, Config, Environment,
    FetchId, Operation, Token, TokenPolicy, TokenScope, TokenStep, TokenTicket,
};
use lean_core::{Error, HttpResponse, TransportError};
use lean_sdk_wasm_boundary::{
    call_entropy, header_pairs, internal, parse_call, send_text, start_call, throw, Options, Slots,
};
use serde_json::json;
use wasm_bindgen::prelude::*;

/// A validated open-banking configuration with its credentials. Nothing it
/// holds is ever shown: its `Debug` redacts every token and secret.
#[wasm_bindgen]
pub struct Client {
    config: Config,
    credentials: Credentials,
    /// Whether calls and the token policy record the core's events: only
    /// for a client with a logger, so that the others pay nothing for
    /// them.
    events: bool,
}

/// How a client authenticates its calls.
enum Credentials {
    /// An application token or a bearer token: the same for every call.
    Fixed(Auth),
    /// OAuth client credentials, under the core's token policy.
    OAuth(Box<OAuth>),
}

/// The token policy of an OAuth client and the tickets of its calls.
struct OAuth {
    policy: TokenPolicy,
    /// The credentials and environment again, for customer tokens minted
    /// apart from the policy's own (`customerTokenRequest`).
    credentials: ClientCredentials,
    environment: Environment,
    /// Each call's ticket, and the authentication the policy last gave it.
    tickets: Slots<(TokenTicket, Option<Auth>)>,
    /// The last fetch the policy started, and how many it started: the
    /// steps number fetches from 1 (a call only ever waits for the last).
    last_fetch: Option<FetchId>,
    fetches: u64,
}

impl OAuth {
    /// The policy, ticket `id` and the authentication it was last given.
    #[allow(clippy::type_complexity)]
    fn ticket(
        &mut self,
        id: u32,
    ) -> Result<(&mut TokenPolicy, &mut TokenTicket, &mut Option<Auth>), Error> {
        match self.tickets.get(id) {
            Some((ticket, auth)) => Ok((&mut self.policy, ticket, auth)),
            None => Err(internal(&format!("token ticket {id} is not open"))),
        }
    }

    fn fetch_number(&mut self, fetch: FetchId) -> u64 {
        if self.last_fetch != Some(fetch) {
            self.last_fetch = Some(fetch);
            self.fetches += 1;
        }
        self.fetches
    }
}

#[wasm_bindgen]
impl Client {
    /// Reads `{environment?, baseUrl?, tokenBaseUrl?, requireMtls?,
    /// appToken? | accessToken? | clientId + clientSecret + customerId?,
    /// maxRetries?, initialBackoffMs?, maxBackoffMs?, timeoutMs?,
    /// tokenRenewalMarginMs?, host?, events?}` (`events`: the JS layer
    /// has a logger for the calls' and the token policy's events).
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
        matches!(self.credentials, Credentials::OAuth(_))
    }

    /// Opens a ticket of the token policy for one API call (OAuth only);
    /// [`Client::close_ticket`] ends it.
    #[wasm_bindgen(js_name = openTicket)]
    pub fn open_ticket(&mut self) -> Result<u32, JsValue> {
        let oauth = self.oauth().map_err(|e| throw(&e))?;
        Ok(oauth.tickets.insert((TokenTicket::new(), None)))
    }

    /// Forgets a ticket: the JS layer closes every ticket it opens.
    #[wasm_bindgen(js_name = closeTicket)]
    pub fn close_ticket(&mut self, ticket: u32) {
        if let Credentials::OAuth(oauth) = &mut self.credentials {
            oauth.tickets.remove(ticket);
        }
    }

    /// What the call holding `ticket` does next, at `now_ms` (the host's
    /// clock, ms since the epoch): `{"use":true}` (start the call),
    /// `{"fetch":n,"send":...}` (send token request `n`, then report its
    /// outcome) or `{"waitFor":n}` (another call sends token request `n`:
    /// poll again once it is reported). Throws the error of a failed fetch
    /// the call waited for.
    #[wasm_bindgen(js_name = tokenPoll)]
    pub fn token_poll(&mut self, ticket: u32, now_ms: f64) -> Result<String, JsValue> {
        let oauth = self.oauth().map_err(|e| throw(&e))?;
        let (policy, token_ticket, auth) = oauth.ticket(ticket).map_err(|e| throw(&e))?;
        let step = policy
            .poll(token_ticket, at(now_ms))
            .map_err(|e| throw(&e))?;
        Ok(match step {
            TokenStep::Use(given) => {
                *auth = Some(given);
                String::from("{\"use\":true}")
            }
            TokenStep::Fetch(fetch, request) => {
                let head = format!("\"fetch\":{},", oauth.fetch_number(fetch));
                send_text(&head, &request)
            }
            TokenStep::Wait(fetch) => format!("{{\"waitFor\":{}}}", oauth.fetch_number(fetch)),
        })
    }

    /// Reports the token endpoint's answer to the ticket's fetch, received
    /// at `now_ms`. Throws the error of a refusal, which the calls waiting
    /// for the fetch get too.
    #[wasm_bindgen(js_name = tokenResponse)]
    pub fn token_response(
        &mut self,
        ticket: u32,
        status: u16,
        headers: Vec<String>,
        body: Vec<u8>,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let response = HttpResponse::new(status, header_pairs(headers), body);
        let oauth = self.oauth().map_err(|e| throw(&e))?;
        let (policy, token_ticket, _) = oauth.ticket(ticket).map_err(|e| throw(&e))?;
        policy
            .on_token_response(token_ticket, &response, at(now_ms))
            .map_err(|e| throw(&e))
    }

    /// Reports that the ticket's token request got no answer: `kind` is a
    /// transport failure (`"connect"`, `"timeout"`, `"other"`, with
    /// `message`) or `"redirect"` (a browser hid a redirect). Returns the
    /// error JSON to throw; the calls waiting for the fetch get it too.
    #[wasm_bindgen(js_name = tokenFailed)]
    pub fn token_failed(&mut self, ticket: u32, kind: &str, message: &str) -> String {
        let failed = self.oauth().and_then(|oauth| {
            let (policy, token_ticket, _) = oauth.ticket(ticket)?;
            Ok(match kind {
                "redirect" => policy.on_token_failed(
                    token_ticket,
                    Error::Redirect {
                        status: 0,
                        location: None,
                        attempts: Box::default(),
                    },
                ),
                _ => policy.on_token_transport_error(
                    token_ticket,
                    TransportError::from_kind_name(kind, message),
                ),
            })
        });
        failed.unwrap_or_else(|e| e).to_json().to_string()
    }

    /// Reports that the API answered 401 to the ticket's call: `true` when
    /// the call is to be renewed (poll again) and sent once more.
    #[wasm_bindgen(js_name = onUnauthorized)]
    pub fn on_unauthorized(&mut self, ticket: u32) -> bool {
        let Credentials::OAuth(oauth) = &mut self.credentials else {
            return false;
        };
        match oauth.tickets.get(ticket) {
            Some((token_ticket, _)) => {
                oauth.policy.on_unauthorized(token_ticket) == AfterUnauthorized::RenewAndRetry
            }
            None => false,
        }
    }

    /// `{expiresAtMs, renewAtMs, scope?}` of the current OAuth token, or
    /// `undefined`: never the token itself.
    #[wasm_bindgen(js_name = tokenStatus)]
    pub fn token_status(&self) -> Option<String> {
        let Credentials::OAuth(oauth) = &self.credentials else {
            return None;
        };
        let token = oauth.policy.token()?;
        Some(
            json!({
                "expiresAtMs": millis(token.expires_at()),
                "renewAtMs": millis(token.renew_at()),
                "scope": token.scope(),
            })
            .to_string(),
        )
    }

    /// The request of a token limited to one customer (scope
    /// `customer.<id>`), as a `{"send":...}` step: the backend half of the
    /// Link SDK flow, whose access token the backend hands to that
    /// customer's device. The policy's own token is not touched. Throws a
    /// validation error for an unusable id, and a configuration error for
    /// a client without client credentials (nothing to mint with).
    #[wasm_bindgen(js_name = customerTokenRequest)]
    pub fn customer_token_request(&self, customer_id: &str) -> Result<String, JsValue> {
        let Credentials::OAuth(oauth) = &self.credentials else {
            return Err(throw(&configuration(
                "customerToken needs OAuth client credentials: build the client with { clientId, clientSecret }",
            )));
        };
        let request = TokenScope::customer(customer_id)
            .and_then(|scope| oauth.credentials.token_request(&oauth.environment, &scope))
            .map_err(|e| throw(&e))?;
        Ok(send_text("", &request))
    }

    /// The token policy's events since the last drain, as a JSON array of
    /// the core's `Event::to_json()` (`[]` without OAuth or events): the JS
    /// layer drains them after each token step, for its logger.
    #[wasm_bindgen(js_name = takeEvents)]
    pub fn take_events(&mut self) -> String {
        let events = match &mut self.credentials {
            Credentials::OAuth(oauth) => oauth.policy.take_events(),
            Credentials::Fixed(_) => Vec::new(),
        };
        serde_json::Value::Array(events.iter().map(|e| e.to_json()).collect()).to_string()
    }

    /// Validates one call (`{"operation": "getBalance", "input": {...}}`),
    /// starts it with the client's credentials (with OAuth, the token the
    /// policy last gave `ticket`) and returns its first step, which names
    /// the call. Throws the validation error before any request. `entropy`
    /// is 32 random bytes (retry jitter).
    pub fn start(
        &mut self,
        call: &str,
        entropy: &[u8],
        ticket: Option<u32>,
    ) -> Result<String, JsValue> {
        let entropy = call_entropy(entropy)?;
        let operation = parse_call(call, Operation::from_json).map_err(|e| throw(&e))?;
        let auth = match (&mut self.credentials, ticket) {
            (Credentials::Fixed(auth), _) => auth.clone(),
            (Credentials::OAuth(oauth), Some(ticket)) => oauth
                .ticket(ticket)
                .ok()
                .and_then(|(_, _, auth)| auth.clone())
                .ok_or_else(|| throw(&internal("a call started before its token")))?,
            (Credentials::OAuth(_), None) => {
                return Err(throw(&internal("an OAuth call without a ticket")))
            }
        };
        let call = lean_core::openbanking::Call::new(&self.config, &auth, operation, entropy);
        Ok(start_call(call, self.events))
    }
}

impl Client {
    fn oauth(&mut self) -> Result<&mut OAuth, Error> {
        match &mut self.credentials {
            Credentials::OAuth(oauth) => Ok(oauth),
            Credentials::Fixed(_) => Err(internal("a token step of a client without OAuth")),
        }
    }
}

/// Reads the token endpoint's answer received at `now_ms` (the core's
/// `Token::parse`) as `{accessToken, expiresAtMs, scope}`; throws the
/// error of a refusal or of an answer without a token (never holding it).
#[wasm_bindgen(js_name = parseToken)]
pub fn parse_token(
    status: u16,
    headers: Vec<String>,
    body: Vec<u8>,
    now_ms: f64,
) -> Result<String, JsValue> {
    let response = HttpResponse::new(status, header_pairs(headers), body);
    let token = Token::parse(&response, at(now_ms)).map_err(|e| throw(&e))?;
    Ok(json!({
        "accessToken": token.access_token().expose(),
        "expiresAtMs": millis(token.expires_at()),
        "scope": token.scope(),
    })
    .to_string())
}

/// Checks a call's input with the API's rules without sending anything:
/// `undefined` when valid, or the error JSON.
#[wasm_bindgen(js_name = checkCall)]
pub fn check_call(call: &str) -> Option<String> {
    lean_sdk_wasm_boundary::check_call(call, Operation::from_json)
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

/// A time as JS milliseconds since the epoch.
fn millis(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

fn configuration(message: &str) -> Error {
    Error::Configuration {
        message: message.to_owned(),
    }
}

fn build(options: &str) -> Result<Client, Error> {
    let options = Options::parse(options)?;
    let events = options.flag("events").unwrap_or(false);
    let text = |key: &str| options.text(key);
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
    if let Some(required) = options.flag("requireMtls") {
        if text("baseUrl").is_none() {
            return Err(configuration(
                "requireMtls is for a custom baseUrl: the documented environments know whether they require mTLS",
            ));
        }
        let required = required || environment.requires_mtls();
        environment = environment.with_mtls(required);
    }
    let mut config = Config::new(environment.clone())
        .with_host(text("host").unwrap_or("js"))
        .with_retry(options.retry());
    if let Some(timeout) = options.millis("timeoutMs") {
        config.timeout = timeout;
    }
    let credentials = match (text("appToken"), text("accessToken"), text("clientId")) {
        (Some(token), None, None) => Credentials::Fixed(Auth::AppToken(AppToken::new(token)?)),
        (None, Some(token), None) => Credentials::Fixed(Auth::Bearer(AccessToken::new(token)?)),
        (None, None, Some(client_id)) => {
            options.refuse_in_page(lean_core::PartnerSecret::ClientSecret)?;
            let credentials =
                ClientCredentials::new(client_id, text("clientSecret").unwrap_or_default())?;
            let scope = match text("customerId") {
                Some(id) => TokenScope::customer(id)?,
                None => TokenScope::Api,
            };
            let mut policy = TokenPolicy::new(credentials.clone(), environment.clone(), scope)?;
            policy.record_events(events);
            if let Some(margin) = options.millis("tokenRenewalMarginMs") {
                policy = policy.with_renewal_margin(margin);
            }
            Credentials::OAuth(Box::new(OAuth {
                policy,
                credentials,
                environment,
                tickets: Slots::default(),
                last_fetch: None,
                fetches: 0,
            }))
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
        credentials,
        events,
    })
}
