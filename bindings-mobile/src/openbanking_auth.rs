//! OAuth 2.0 client credentials without I/O, for the hosts' clients: the
//! core's `TokenPolicy` says when to fetch a token and when to wait for
//! another call's fetch; the host sends the request with its own transport
//! and clock, and hands the answer back. Secrets stay inside Rust and print
//! redacted.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lean_core::openbanking as ob;

use super::{NativeObAuth, NativeObEnvironment};
use crate::error::{guard, ErrorDetails, FfiError, Result};
use crate::http::{NativeRequest, NativeResponse, TransportErrorKind};

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

/// What one call must do next to authenticate (the core's `TokenStep`).
#[derive(Debug, uniffi::Enum)]
pub enum NativeTokenStep {
    /// Call the API with this authentication; report a 401 to
    /// `on_unauthorized`.
    Use {
        /// `Authorization: Bearer` with the current token.
        auth: Arc<NativeObAuth>,
    },
    /// This call fetches the token for every call: send this request, report
    /// its answer (`on_token_response`) or failure (`on_token_transport_error`,
    /// `on_token_failed`) whatever happens, then poll again.
    Fetch {
        /// `POST {token host}/oauth2/token` (the body holds the secret).
        request: NativeRequest,
    },
    /// Another call's fetch is under way: wait until it is reported, then
    /// poll again.
    Wait,
}

/// One API call's part in the token policy (the core's `TokenTicket`):
/// one per call, never shared.
#[derive(Debug, Default, uniffi::Object)]
pub struct NativeTokenTicket(Mutex<ob::TokenTicket>);

#[uniffi::export]
impl NativeTokenTicket {
    /// A ticket for a new call.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::default()
    }
}

/// The OAuth token policy of one client (the core's `TokenPolicy`): one
/// shared fetch, renewal before expiry, one renewal and retry after a 401.
/// The host only sends the token request it names and waits when told.
#[derive(Debug, uniffi::Object)]
pub struct NativeTokenPolicy {
    policy: Mutex<ob::TokenPolicy>,
    /// The credentials and environment again, for customer tokens minted
    /// apart from the policy's own ([`Self::customer_token_request`]).
    credentials: ob::ClientCredentials,
    environment: ob::Environment,
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while locked was already reported as an error; the state
    // machine stays consistent, so keep using it.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[uniffi::export]
impl NativeTokenPolicy {
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
            let mut policy = ob::TokenPolicy::new(
                credentials.clone(),
                environment.0.clone(),
                scope(customer_id)?,
            )?;
            if let Some(ms) = renewal_margin_ms {
                policy = policy.with_renewal_margin(Duration::from_millis(ms));
            }
            Ok(Arc::new(Self {
                policy: Mutex::new(policy),
                credentials,
                environment: environment.0.clone(),
            }))
        })
    }

    /// What the call holding `ticket` does next, at `now_ms` (the host's
    /// clock); throws the failure of the fetch it waited for.
    pub fn poll(&self, ticket: Arc<NativeTokenTicket>, now_ms: u64) -> Result<NativeTokenStep> {
        guard(|| {
            let step = locked(&self.policy).poll(&mut locked(&ticket.0), at(now_ms))?;
            Ok(match step {
                ob::TokenStep::Use(auth) => NativeTokenStep::Use {
                    auth: Arc::new(NativeObAuth(auth)),
                },
                ob::TokenStep::Fetch(_, request) => NativeTokenStep::Fetch {
                    request: request.into(),
                },
                ob::TokenStep::Wait(_) => NativeTokenStep::Wait,
            })
        })
    }

    /// Reports the token endpoint's answer to this call's fetch, received
    /// at `now_ms`; a refusal is thrown (and is the waiting calls' error).
    pub fn on_token_response(
        &self,
        ticket: Arc<NativeTokenTicket>,
        response: NativeResponse,
        now_ms: u64,
    ) -> Result<()> {
        guard(|| {
            let response = response.into();
            let mut ticket = locked(&ticket.0);
            Ok(locked(&self.policy).on_token_response(&mut ticket, &response, at(now_ms))?)
        })
    }

    /// Reports that this call's token request failed below HTTP; returns
    /// the error to throw, which the waiting calls get too.
    pub fn on_token_transport_error(
        &self,
        ticket: Arc<NativeTokenTicket>,
        kind: TransportErrorKind,
        message: String,
    ) -> ErrorDetails {
        let error = crate::http::transport_error(kind, message);
        let error = locked(&self.policy).on_token_transport_error(&mut locked(&ticket.0), error);
        let FfiError::Failed { details } = error.into();
        details
    }

    /// Reports that this call's fetch ended otherwise (the call was
    /// cancelled): the waiting calls fail with a transport error naming
    /// `reason`, and the next poll starts a new fetch.
    pub fn on_token_failed(&self, ticket: Arc<NativeTokenTicket>, reason: String) {
        let error = lean_core::Error::transport(format!("the OAuth token fetch ended: {reason}"));
        locked(&self.policy).on_token_failed(&mut locked(&ticket.0), error);
    }

    /// Reports that the API answered 401 to the call holding `ticket`:
    /// true when the call polls again (renewing the token) and is sent once
    /// more, false when it has been retried already and fails.
    pub fn on_unauthorized(&self, ticket: Arc<NativeTokenTicket>) -> bool {
        let after = locked(&self.policy).on_unauthorized(&mut locked(&ticket.0));
        after == ob::AfterUnauthorized::RenewAndRetry
    }

    /// The request of a token limited to one customer (scope
    /// `customer.<id>`), with these client credentials: the backend half
    /// of the Link SDK flow. The host sends it once and reads the answer
    /// with [`NativeObToken::parse`]; the policy's own token is not
    /// touched. The body holds the client secret.
    pub fn customer_token_request(&self, customer_id: String) -> Result<NativeRequest> {
        guard(|| {
            let scope = ob::TokenScope::customer(&customer_id)?;
            Ok(self
                .credentials
                .token_request(&self.environment, &scope)?
                .into())
        })
    }

    /// Records the policy's events from now on (off by default).
    pub fn record_events(&self, on: bool) {
        locked(&self.policy).record_events(on);
    }

    /// The policy's events since the last call (fetches started, tokens
    /// fetched, fetches failed, tokens refused), in order; none holds a
    /// token or the secret.
    pub fn take_events(&self) -> Vec<crate::trace::NativeEvent> {
        crate::trace::events(locked(&self.policy).take_events())
    }

    /// The policy with its secrets redacted, for `toString()`.
    pub fn describe(&self) -> String {
        format!("{:?}", locked(&self.policy))
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

    /// The token itself, for `Authorization: Bearer` or for the Link SDK
    /// on a customer's device. Keep it out of logs.
    pub fn access_token(&self) -> String {
        self.0.access_token().expose().to_owned()
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
