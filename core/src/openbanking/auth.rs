//! Authentication without I/O: the `lean-app-token` header and OAuth 2.0
//! client credentials.
//!
//! OAuth here is three pure steps: [`ClientCredentials::token_request`]
//! builds the `POST {auth host}/oauth2/token` request, [`Token::parse`]
//! reads the answer, and [`Token::needs_renewal`] says, for a time the host
//! supplies, whether to fetch a new one first. The core never reads a clock.
//! Every secret (client secret, application token, access token) prints as
//! `<redacted>`.

use std::fmt;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::environment::Environment;
use super::errors;
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::secret::REDACTED;
use crate::url::query_value;

/// The header that carries the application token.
pub const APP_TOKEN_HEADER: &str = "lean-app-token";

/// How long before its expiry a token is renewed by default: long enough
/// for a slow request to finish while the token is still valid.
pub const DEFAULT_RENEWAL_MARGIN: Duration = Duration::from_secs(60);

macro_rules! secret_text {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// The value itself, for the one place that must send it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        crate::secret::redacted!($name);
    };
}

secret_text! {
    /// The application token sent as `lean-app-token` on every call (legacy
    /// authentication). It identifies the application, so it is kept out of
    /// logs like a key.
    AppToken
}

secret_text! {
    /// The OAuth client secret issued with the application id.
    ClientSecret
}

secret_text! {
    /// An OAuth access token, sent as `Authorization: Bearer`.
    AccessToken
}

/// Header values must be one line of visible ASCII: anything else would
/// either be refused by the transport or split the header.
fn check_credential(what: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() {
        return Err(Error::Configuration {
            message: format!("the {what} is empty: pass the value from the Lean developer portal"),
        });
    }
    if !value.chars().all(|c| c.is_ascii_graphic()) {
        return Err(Error::Configuration {
            message: format!(
                "the {what} contains white space or a non-ASCII character; check that it was copied whole and alone"
            ),
        });
    }
    Ok(value.to_owned())
}

impl AppToken {
    /// Wraps a token: non-empty visible ASCII (it travels in a header).
    pub fn new(token: &str) -> Result<Self, Error> {
        check_credential("application token", token).map(Self)
    }
}

impl ClientSecret {
    /// Wraps a client secret: non-empty visible ASCII.
    pub fn new(secret: &str) -> Result<Self, Error> {
        check_credential("client secret", secret).map(Self)
    }
}

impl AccessToken {
    /// Wraps a token obtained elsewhere (for example on the host's backend).
    pub fn new(token: &str) -> Result<Self, Error> {
        check_credential("access token", token).map(Self)
    }
}

/// What a token may do: `api` for backend calls, or `customer.<id>` for the
/// Link SDK on one customer's device.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TokenScope {
    /// `scope=api`: backend calls.
    Api,
    /// `scope=customer.<customer_id>`: a device token limited to one
    /// customer, still minted on the backend.
    Customer(String),
}

impl TokenScope {
    /// A customer scope; the id must be a non-empty identifier of visible
    /// ASCII, since it becomes part of the scope string.
    pub fn customer(customer_id: &str) -> Result<Self, Error> {
        if customer_id.is_empty() || !customer_id.chars().all(|c| c.is_ascii_graphic()) {
            return Err(crate::validate::field_error(
                "customer_id",
                crate::validate::Problem::new(
                    crate::FieldErrorCode::InvalidFormat,
                    "must be a customer id of visible ASCII characters, such as a UUID",
                ),
            ));
        }
        Ok(Self::Customer(customer_id.to_owned()))
    }

    /// The wire form: `api` or `customer.<id>`.
    pub fn as_string(&self) -> String {
        match self {
            Self::Api => "api".to_owned(),
            Self::Customer(id) => format!("customer.{id}"),
        }
    }
}

/// The application id (`client_id`) and client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: ClientSecret,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

impl ClientCredentials {
    /// The application id is the `client_id`.
    pub fn new(client_id: &str, client_secret: &str) -> Result<Self, Error> {
        Ok(Self {
            client_id: check_credential("client id (application id)", client_id)?,
            client_secret: ClientSecret::new(client_secret)?,
        })
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// `POST {token host}/oauth2/token`, form-urlencoded `client_id`,
    /// `client_secret`, `grant_type=client_credentials` and `scope`. Fails
    /// only when the environment's token host is unknown.
    ///
    /// The body holds the client secret; the request's `Debug` redacts
    /// form bodies, so logging it is safe.
    pub fn token_request(
        &self,
        environment: &Environment,
        scope: &TokenScope,
    ) -> Result<HttpRequest, Error> {
        let body = format!(
            "client_id={}&client_secret={}&grant_type=client_credentials&scope={}",
            query_value(&self.client_id),
            query_value(self.client_secret.expose()),
            query_value(&scope.as_string()),
        );
        Ok(HttpRequest {
            method: Method::Post,
            url: environment.token_url()?,
            headers: vec![
                ("accept".to_owned(), "application/json".to_owned()),
                (
                    "content-type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned(),
                ),
                ("user-agent".to_owned(), user_agent()),
            ],
            body: Some(body),
        })
    }
}

/// The default `User-Agent` of open-banking requests; a [`super::Config`]
/// names the host instead.
pub(crate) fn user_agent() -> String {
    crate::config::user_agent("rust; open-banking")
}

/// An access token and when it expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    access_token: AccessToken,
    expires_at: SystemTime,
    lifetime: Duration,
    scope: Option<String>,
    margin: Duration,
}

impl Token {
    /// Reads the token endpoint's answer: `{"access_token", "token_type":
    /// "Bearer", "expires_in", "scope"}`. `received_at` is when the host
    /// received it (its clock, not the server's): expiry counts from there,
    /// which errs on the early side. A non-2xx answer is an API error.
    pub fn parse(response: &HttpResponse, received_at: SystemTime) -> Result<Self, Error> {
        if let Some(redirect) = crate::response::redirect(response) {
            return Err(redirect);
        }
        if !response.is_success() {
            return Err(errors::api_error(response).into());
        }
        let invalid = |message: &str| {
            Error::invalid_response(
                format!("token answer: {message}"),
                response.status,
                // The body holds the token: never keep it in an error.
                REDACTED.to_owned(),
            )
        };
        let json: Value =
            serde_json::from_slice(&response.body).map_err(|_| invalid("not a JSON object"))?;
        let access_token = json
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("no access_token"))
            .and_then(|t| {
                AccessToken::new(t).map_err(|_| invalid("the access_token is not a header value"))
            })?;
        match json.get("token_type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("bearer") => {}
            None => {}
            Some(_) => return Err(invalid("token_type is not Bearer")),
        }
        let lifetime = json
            .get("expires_in")
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            })
            .map(Duration::from_secs)
            .ok_or_else(|| invalid("no expires_in (seconds)"))?;
        let expires_at = received_at
            .checked_add(lifetime)
            .ok_or_else(|| invalid("expires_in is out of range"))?;
        Ok(Self {
            access_token,
            expires_at,
            lifetime,
            scope: json.get("scope").and_then(Value::as_str).map(str::to_owned),
            margin: DEFAULT_RENEWAL_MARGIN,
        })
    }

    /// The same token renewed `margin` before expiry instead of the
    /// default [`DEFAULT_RENEWAL_MARGIN`].
    pub fn with_renewal_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The token, for `Authorization: Bearer`.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// When the token expires, by the host's clock.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// The scope the server granted, if it said.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// When to renew: the margin before expiry, but never more than half
    /// the token's lifetime, so a short-lived token is still used.
    pub fn renew_at(&self) -> SystemTime {
        let margin = self.margin.min(self.lifetime / 2);
        self.expires_at
            .checked_sub(margin)
            .unwrap_or(self.expires_at)
    }

    /// True when the host should fetch a new token before the next call.
    pub fn needs_renewal(&self, now: SystemTime) -> bool {
        now >= self.renew_at()
    }

    /// The authentication to use for calls with this token.
    pub fn auth(&self) -> Auth {
        Auth::Bearer(self.access_token.clone())
    }
}

/// How calls authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `lean-app-token: <token>` (legacy).
    AppToken(AppToken),
    /// `Authorization: Bearer <token>` (OAuth).
    Bearer(AccessToken),
}

impl Auth {
    /// Sets this authentication's header on `request`, replacing any
    /// earlier credential header.
    pub fn apply(&self, request: &mut HttpRequest) {
        request.headers.retain(|(name, _)| {
            !name.eq_ignore_ascii_case("authorization")
                && !name.eq_ignore_ascii_case(APP_TOKEN_HEADER)
        });
        request.headers.push(match self {
            Self::AppToken(t) => (APP_TOKEN_HEADER.to_owned(), t.expose().to_owned()),
            Self::Bearer(t) => ("authorization".to_owned(), format!("Bearer {}", t.expose())),
        });
    }
}
