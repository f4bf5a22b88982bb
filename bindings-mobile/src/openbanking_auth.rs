//! OAuth 2.0 client credentials without I/O, for the hosts' clients: the
//! core's `TokenManager` says when to fetch a token, the host sends the
//! request with its own transport and clock, and hands the answer back.
//! Secrets stay inside Rust and print redacted.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lean_core::openbanking as ob;

use super::{NativeObAuth, NativeObEnvironment};
use crate::call::{NativeRequest, NativeResponse};
use crate::error::{guard, Result};

/// The host's clock (milliseconds since the Unix epoch) as the core takes it.
fn at(unix_ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(unix_ms)
}

fn unix_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis().min(u128::from(u64::MAX)) as u64)
        .unwrap_or(0)
}

fn scope(customer_id: Option<String>) -> Result<ob::TokenScope> {
    Ok(match customer_id {
        Some(id) => ob::TokenScope::customer(&id)?,
        None => ob::TokenScope::Api,
    })
}

/// What the client must do before its next call.
#[derive(Debug, uniffi::Enum)]
pub enum NativeTokenStep {
    /// Send this token request, then pass the answer to `accept`.
    Fetch {
        /// `POST {token host}/oauth2/token` (the body holds the secret).
        request: NativeRequest,
    },
    /// Call the API with this authentication.
    Ready {
        /// `Authorization: Bearer` with the current token.
        auth: Arc<NativeObAuth>,
    },
}

/// One application's tokens for one scope over a client's life.
#[derive(Debug, uniffi::Object)]
pub struct NativeTokenManager(Mutex<ob::TokenManager>);

impl NativeTokenManager {
    fn manager(&self) -> MutexGuard<'_, ob::TokenManager> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[uniffi::export]
impl NativeTokenManager {
    /// `customer_id` asks for `customer.<id>` tokens instead of `api`;
    /// `renewal_margin_ms` replaces the default of 60 s. Fails at once when
    /// the environment has no token host.
    #[uniffi::constructor]
    pub fn new(
        client_id: String,
        client_secret: String,
        environment: Arc<NativeObEnvironment>,
        customer_id: Option<String>,
        renewal_margin_ms: Option<u64>,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let credentials = ob::ClientCredentials::new(&client_id, &client_secret)?;
            let mut manager =
                ob::TokenManager::new(credentials, environment.0.clone(), scope(customer_id)?)?;
            if let Some(ms) = renewal_margin_ms {
                manager = manager.with_renewal_margin(Duration::from_millis(ms));
            }
            Ok(Arc::new(Self(Mutex::new(manager))))
        })
    }

    /// What to do at `now_ms` (the host's clock): fetch a token (none yet,
    /// or due for renewal), or call with the current one.
    pub fn next(&self, now_ms: u64) -> Result<NativeTokenStep> {
        guard(|| {
            Ok(match self.manager().next(at(now_ms))? {
                ob::NextStep::FetchToken(request) => NativeTokenStep::Fetch {
                    request: request.into(),
                },
                ob::NextStep::Ready(auth) => NativeTokenStep::Ready {
                    auth: Arc::new(NativeObAuth(auth)),
                },
            })
        })
    }

    /// Reads the token endpoint's answer, received at `now_ms`, and keeps
    /// the token; a refusal is thrown as an API error.
    pub fn accept(&self, response: NativeResponse, now_ms: u64) -> Result<Arc<NativeObAuth>> {
        guard(|| {
            let response = response.into();
            let auth = self.manager().accept(&response, at(now_ms))?;
            Ok(Arc::new(NativeObAuth(auth)))
        })
    }

    /// Forgets the token, after the API answered 401 with it.
    pub fn invalidate(&self) {
        self.manager().invalidate()
    }

    /// The manager with its secrets redacted, for `toString()`.
    pub fn describe(&self) -> String {
        format!("{:?}", self.manager())
    }
}

/// The token request for these credentials, for a host that mints tokens
/// itself (a `customer.<id>` token for the Link SDK, say).
#[uniffi::export]
pub fn ob_token_request(
    client_id: String,
    client_secret: String,
    environment: Arc<NativeObEnvironment>,
    customer_id: Option<String>,
) -> Result<NativeRequest> {
    guard(|| {
        let credentials = ob::ClientCredentials::new(&client_id, &client_secret)?;
        Ok(credentials
            .token_request(&environment.0, &scope(customer_id)?)?
            .into())
    })
}

/// An access token read from the token endpoint's answer.
#[derive(Debug, uniffi::Object)]
pub struct NativeObToken(ob::Token);

#[uniffi::export]
impl NativeObToken {
    /// Reads the answer received at `received_at_ms` (the host's clock);
    /// `renewal_margin_ms` replaces the default of 60 s.
    #[uniffi::constructor]
    pub fn parse(
        response: NativeResponse,
        received_at_ms: u64,
        renewal_margin_ms: Option<u64>,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let response = response.into();
            let mut token = ob::Token::parse(&response, at(received_at_ms))?;
            if let Some(ms) = renewal_margin_ms {
                token = token.with_renewal_margin(Duration::from_millis(ms));
            }
            Ok(Arc::new(Self(token)))
        })
    }

    /// When the token expires, in milliseconds since the Unix epoch.
    pub fn expires_at_ms(&self) -> u64 {
        unix_ms(self.0.expires_at())
    }

    /// The scope the server granted, if it said.
    pub fn scope(&self) -> Option<String> {
        self.0.scope().map(str::to_owned)
    }

    /// True when a new token should be fetched before a call at `now_ms`.
    pub fn needs_renewal(&self, now_ms: u64) -> bool {
        self.0.needs_renewal(at(now_ms))
    }

    /// The authentication to call with.
    pub fn auth(&self) -> Arc<NativeObAuth> {
        Arc::new(NativeObAuth(self.0.auth()))
    }

    /// The token redacted, for `toString()`.
    pub fn describe(&self) -> String {
        format!("{:?}", self.0)
    }
}
