//! The OAuth token policy of an open-banking client, without I/O: one
//! shared token fetch for however many calls need it, renewal a margin
//! before expiry, and after a 401 one renewal and one retry. Every host
//! follows it through [`TokenPolicy`] instead of writing it again.

use std::time::{Duration, SystemTime};

use super::auth::{Auth, ClientCredentials, Token, TokenScope, DEFAULT_RENEWAL_MARGIN};
use super::environment::Environment;
use crate::engine::{Event, TokenFetchReason, TransportError};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};

/// Names one token fetch, so that callers waiting for it can tell it apart
/// from a later one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FetchId(u64);

/// What one caller must do next to authenticate its API call.
#[derive(Debug)]
pub enum TokenStep {
    /// Call the API with this authentication. If the API answers 401,
    /// report it with [`TokenPolicy::on_unauthorized`].
    Use(Auth),
    /// This caller fetches the token for everyone: send this request, then
    /// report its answer with [`TokenPolicy::on_token_response`] or its
    /// failure with [`TokenPolicy::on_token_transport_error`] (or
    /// [`TokenPolicy::on_token_failed`]), and poll again.
    Fetch(FetchId, HttpRequest),
    /// Another caller's fetch is under way: wait until that caller has
    /// reported it (the host's own shared future, promise or condition),
    /// then poll again with the same ticket.
    Wait(FetchId),
}

/// What a caller does after its API call was answered 401.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterUnauthorized {
    /// The token is forgotten: poll again with the same ticket (which
    /// renews it), then send the call once more.
    RenewAndRetry,
    /// The call was already retried once: raise the API's 401 error.
    Fail,
}

/// One API call's part in the token policy: which token it used, the
/// fetch it sends or waits for, and whether it was retried after a 401.
/// The host keeps one per call and passes it to every method; a ticket is
/// never shared between calls.
#[derive(Clone, Debug, Default)]
pub struct TokenTicket {
    used: Option<u64>,
    fetching: Option<FetchId>,
    waiting: Option<FetchId>,
    retried: bool,
}

impl TokenTicket {
    /// A ticket for a new call.
    pub fn new() -> Self {
        Self::default()
    }
}

/// OAuth client credentials as a policy shared by all the calls of one
/// client, driven without I/O like [`super::Call`].
///
/// The host keeps one `TokenPolicy` per client (behind its lock, if calls
/// run concurrently) and one [`TokenTicket`] per call, and before each API
/// call loops on [`TokenPolicy::poll`] with the current time:
///
/// - [`TokenStep::Use`]: call the API with this authentication;
/// - [`TokenStep::Fetch`]: send the token request and report the outcome
///   (answer, transport failure, or the caller's own cancellation) whatever
///   happens: callers are waiting for it;
/// - [`TokenStep::Wait`]: another call's fetch is under way; wait for it to
///   be reported, then poll again.
///
/// The rules: no token yet, or one within its renewal margin of expiry,
/// means one fetch, by the first caller; callers that arrive meanwhile wait
/// for it, except that a token not yet expired is still used while its
/// renewal is under way. A failed fetch fails the caller that sent it and
/// the callers that waited for it, with the same error; the next poll
/// after that starts a new fetch. After a 401 the host reports it
/// ([`TokenPolicy::on_unauthorized`]): the token that call used is
/// forgotten (unless another call has already replaced it) and the call is
/// renewed and retried once; a second 401 is the call's error.
///
/// The core reads no clock: `now` is always the host's.
///
/// ```
/// # use std::time::SystemTime;
/// # use lean_core::openbanking::*;
/// # use lean_core::HttpResponse;
/// # fn send(_: &lean_core::HttpRequest) -> HttpResponse {
/// #     HttpResponse::new(200, vec![], r#"{"access_token":"t0k3n","expires_in":3599}"#)
/// # }
/// # fn main() -> Result<(), lean_core::Error> {
/// let credentials = ClientCredentials::new("my-app-id", "my-client-secret")?;
/// let mut policy = TokenPolicy::new(credentials, Environment::uae_production(), TokenScope::Api)?;
/// // One ticket per API call; the policy is shared by all of them.
/// let mut ticket = TokenTicket::new();
/// let auth = loop {
///     match policy.poll(&mut ticket, SystemTime::now())? {
///         TokenStep::Use(auth) => break auth,
///         TokenStep::Fetch(_, request) => {
///             policy.on_token_response(&mut ticket, &send(&request), SystemTime::now())?;
///         }
///         TokenStep::Wait(_) => unreachable!("no other call runs here"),
///     }
/// };
/// // Send the call with `auth`; on a 401, `policy.on_unauthorized(&mut ticket)`
/// // says whether to poll again and send it once more.
/// # let _ = auth;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct TokenPolicy {
    credentials: ClientCredentials,
    environment: Environment,
    scope: TokenScope,
    margin: Duration,
    token: Option<Token>,
    /// How many tokens were accepted so far: the current token's number.
    generation: u64,
    in_flight: Option<FetchId>,
    fetches: u64,
    last_failure: Option<(FetchId, Error)>,
    /// Whether events are recorded (only when the host asked).
    record: bool,
    /// Events not yet taken by the host.
    events: Vec<Event>,
}

impl TokenPolicy {
    /// A policy with no token yet. Fails when the environment's token host
    /// is unknown, so that a wrong setup shows at start-up.
    pub fn new(
        credentials: ClientCredentials,
        environment: Environment,
        scope: TokenScope,
    ) -> Result<Self, Error> {
        environment.token_url()?;
        Ok(Self {
            credentials,
            environment,
            scope,
            margin: DEFAULT_RENEWAL_MARGIN,
            token: None,
            generation: 0,
            in_flight: None,
            fetches: 0,
            last_failure: None,
            record: false,
            events: Vec::new(),
        })
    }

    /// Renews tokens `margin` before they expire (see [`Token::renew_at`]).
    pub fn with_renewal_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The current token, for status displays (it prints redacted).
    pub fn token(&self) -> Option<&Token> {
        self.token.as_ref()
    }

    /// Records events from now on, for [`Self::take_events`]; off by
    /// default, like a call's.
    pub fn record_events(&mut self, on: bool) {
        self.record = on;
    }

    /// The policy's events recorded since the last call of this method, in
    /// order: fetches started, tokens fetched, fetches failed, tokens the
    /// API refused (see [`crate::engine::Event`]). None holds a token or
    /// the client secret. Hosts that log drain them after each report, like
    /// a call's.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    fn emit(&mut self, event: Event) {
        if self.record {
            self.events.push(event);
        }
    }

    /// What the caller holding `ticket` does next, at `now`. An error is
    /// the failure of the fetch the caller waited for, or a wrong setup.
    pub fn poll(&mut self, ticket: &mut TokenTicket, now: SystemTime) -> Result<TokenStep, Error> {
        if let Some(fetch) = ticket.fetching {
            if self.in_flight == Some(fetch) {
                return Err(Error::internal(
                    "a token fetch was polled before its answer was reported",
                ));
            }
            ticket.fetching = None;
        }
        if let Some(waited) = ticket.waiting.take() {
            if self.in_flight == Some(waited) {
                ticket.waiting = Some(waited);
                return Ok(TokenStep::Wait(waited));
            }
            if let Some((failed, error)) = &self.last_failure {
                if *failed == waited {
                    return Err(error.clone());
                }
            }
        }
        if let Some(token) = &self.token {
            let usable =
                !token.needs_renewal(now) || (self.in_flight.is_some() && now < token.expires_at());
            if usable {
                ticket.used = Some(self.generation);
                return Ok(TokenStep::Use(token.auth()));
            }
        }
        if let Some(fetch) = self.in_flight {
            ticket.waiting = Some(fetch);
            return Ok(TokenStep::Wait(fetch));
        }
        let request = self
            .credentials
            .token_request(&self.environment, &self.scope)?;
        self.fetches += 1;
        let fetch = FetchId(self.fetches);
        self.in_flight = Some(fetch);
        ticket.fetching = Some(fetch);
        self.emit(Event::TokenFetchStarted {
            fetch: fetch.0,
            reason: if self.token.is_some() {
                TokenFetchReason::Renewal
            } else {
                TokenFetchReason::NoToken
            },
        });
        Ok(TokenStep::Fetch(fetch, request))
    }

    /// Reports the token endpoint's answer to this caller's fetch, received
    /// at `now`. An error (a refusal, or an answer without a token) is this
    /// caller's and that of every caller waiting for the fetch.
    pub fn on_token_response(
        &mut self,
        ticket: &mut TokenTicket,
        response: &HttpResponse,
        now: SystemTime,
    ) -> Result<(), Error> {
        let fetch = self.own_fetch(ticket)?;
        match Token::parse(response, now) {
            Ok(token) => {
                self.emit(Event::TokenFetched {
                    fetch: fetch.0,
                    expires_in: token.expires_at().duration_since(now).unwrap_or_default(),
                });
                self.token = Some(token.with_renewal_margin(self.margin));
                self.generation += 1;
                self.in_flight = None;
                Ok(())
            }
            Err(error) => Err(self.fail(fetch, error)),
        }
    }

    /// Reports that this caller's token request failed below HTTP; returns
    /// the error to raise, which the waiting callers get too.
    pub fn on_token_transport_error(
        &mut self,
        ticket: &mut TokenTicket,
        error: TransportError,
    ) -> Error {
        let url = self.environment.token_url().unwrap_or_default();
        self.on_token_failed(
            ticket,
            Error::transport(format!(
                "the OAuth token request to {url} failed: {}",
                error.message
            )),
        )
    }

    /// Reports that this caller's fetch ended with `error` (for example the
    /// caller was cancelled): the waiting callers get the same error, and
    /// the next poll starts a new fetch. Returns the error.
    pub fn on_token_failed(&mut self, ticket: &mut TokenTicket, error: Error) -> Error {
        match self.own_fetch(ticket) {
            Ok(fetch) => self.fail(fetch, error),
            Err(misuse) => misuse,
        }
    }

    /// Reports that the API answered 401 to the call holding `ticket`.
    pub fn on_unauthorized(&mut self, ticket: &mut TokenTicket) -> AfterUnauthorized {
        self.emit(Event::TokenRejected {
            retry: !ticket.retried,
        });
        if ticket.retried {
            return AfterUnauthorized::Fail;
        }
        ticket.retried = true;
        if ticket.used.take() == Some(self.generation) {
            self.token = None;
        }
        AfterUnauthorized::RenewAndRetry
    }

    fn own_fetch(&self, ticket: &mut TokenTicket) -> Result<FetchId, Error> {
        match ticket.fetching.take() {
            Some(fetch) if self.in_flight == Some(fetch) => Ok(fetch),
            _ => Err(Error::internal(
                "a token answer was reported by a caller that was not fetching",
            )),
        }
    }

    fn fail(&mut self, fetch: FetchId, error: Error) -> Error {
        self.emit(Event::TokenFetchFailed {
            fetch: fetch.0,
            error_code: error.code(),
        });
        self.in_flight = None;
        self.last_failure = Some((fetch, error.clone()));
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openbanking::Environment;

    fn policy() -> TokenPolicy {
        let credentials = ClientCredentials::new("app", "s3cr3t-value").unwrap();
        let environment = Environment::parse("ksa-sandbox").unwrap();
        TokenPolicy::new(credentials, environment, TokenScope::Api).unwrap()
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn token_answer(token: &str, expires_in: u64) -> HttpResponse {
        let body = format!(
            r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#
        );
        HttpResponse::new(200, Vec::new(), body.into_bytes())
    }

    fn bearer(step: TokenStep) -> String {
        match step {
            TokenStep::Use(Auth::Bearer(token)) => token.expose().to_owned(),
            other => panic!("expected a token to use, got {other:?}"),
        }
    }

    #[test]
    fn an_environment_without_a_token_host_fails_at_start_up() {
        let credentials = ClientCredentials::new("app", "s3cr3t-value").unwrap();
        let error =
            TokenPolicy::new(credentials, Environment::uae_sandbox(), TokenScope::Api).unwrap_err();
        assert_eq!(error.code(), "configuration");
    }

    #[test]
    fn concurrent_callers_share_one_fetch() {
        let mut policy = policy();
        let (mut a, mut b) = (TokenTicket::new(), TokenTicket::new());
        assert!(matches!(
            policy.poll(&mut a, at(0)),
            Ok(TokenStep::Fetch(..))
        ));
        assert!(matches!(policy.poll(&mut b, at(0)), Ok(TokenStep::Wait(_))));
        assert!(matches!(policy.poll(&mut b, at(0)), Ok(TokenStep::Wait(_))));
        policy
            .on_token_response(&mut a, &token_answer("t1", 3600), at(1))
            .unwrap();
        assert_eq!(bearer(policy.poll(&mut b, at(1)).unwrap()), "t1");
        assert_eq!(bearer(policy.poll(&mut a, at(1)).unwrap()), "t1");
    }

    #[test]
    fn a_failed_fetch_fails_its_waiters_once() {
        let mut policy = policy();
        let (mut a, mut b) = (TokenTicket::new(), TokenTicket::new());
        policy.poll(&mut a, at(0)).unwrap();
        policy.poll(&mut b, at(0)).unwrap();
        let error = policy.on_token_transport_error(&mut a, TransportError::timeout("slow"));
        assert_eq!(error.code(), "transport");
        assert_eq!(policy.poll(&mut b, at(1)).unwrap_err(), error);
        assert!(matches!(
            policy.poll(&mut b, at(2)),
            Ok(TokenStep::Fetch(..))
        ));
    }

    #[test]
    fn renewal_keeps_the_old_token_for_others_until_it_expires() {
        let mut policy = policy().with_renewal_margin(Duration::from_secs(60));
        let (mut a, mut b) = (TokenTicket::new(), TokenTicket::new());
        policy.poll(&mut a, at(0)).unwrap();
        policy
            .on_token_response(&mut a, &token_answer("t1", 600), at(0))
            .unwrap();
        assert_eq!(bearer(policy.poll(&mut a, at(539)).unwrap()), "t1");
        assert!(matches!(
            policy.poll(&mut a, at(540)),
            Ok(TokenStep::Fetch(..))
        ));
        assert_eq!(bearer(policy.poll(&mut b, at(599)).unwrap()), "t1");
        assert!(matches!(
            policy.poll(&mut b, at(600)),
            Ok(TokenStep::Wait(_))
        ));
    }

    #[test]
    fn a_401_renews_and_retries_once() {
        let mut policy = policy();
        let mut a = TokenTicket::new();
        policy.poll(&mut a, at(0)).unwrap();
        policy
            .on_token_response(&mut a, &token_answer("t1", 3600), at(0))
            .unwrap();
        policy.poll(&mut a, at(1)).unwrap();
        assert_eq!(
            policy.on_unauthorized(&mut a),
            AfterUnauthorized::RenewAndRetry
        );
        assert!(matches!(
            policy.poll(&mut a, at(1)),
            Ok(TokenStep::Fetch(..))
        ));
        policy
            .on_token_response(&mut a, &token_answer("t2", 3600), at(2))
            .unwrap();
        assert_eq!(bearer(policy.poll(&mut a, at(2)).unwrap()), "t2");
        assert_eq!(policy.on_unauthorized(&mut a), AfterUnauthorized::Fail);
    }

    #[test]
    fn events_tell_a_first_fetch_from_a_renewal_once_asked_for() {
        let mut policy = policy().with_renewal_margin(Duration::from_secs(60));
        let mut a = TokenTicket::new();
        policy.poll(&mut a, at(0)).unwrap();
        assert!(policy.take_events().is_empty(), "off by default");
        policy.record_events(true);
        policy
            .on_token_response(&mut a, &token_answer("t1", 600), at(0))
            .unwrap();
        policy.poll(&mut a, at(540)).unwrap();
        let events: Vec<Event> = policy.take_events();
        assert_eq!(
            events,
            [
                Event::TokenFetched {
                    fetch: 1,
                    expires_in: Duration::from_secs(600)
                },
                Event::TokenFetchStarted {
                    fetch: 2,
                    reason: TokenFetchReason::Renewal
                },
            ]
        );
    }

    #[test]
    fn printing_a_policy_or_its_steps_shows_no_secret() {
        let mut policy = policy();
        let mut a = TokenTicket::new();
        let fetch = policy.poll(&mut a, at(0)).unwrap();
        policy
            .on_token_response(&mut a, &token_answer("t0k3n", 3600), at(0))
            .unwrap();
        let used = policy.poll(&mut a, at(1)).unwrap();
        let shown = format!("{policy:?} {fetch:?} {used:?} {a:?}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(!shown.contains("t0k3n"), "{shown}");
    }

    #[test]
    fn misreported_fetches_are_internal_errors() {
        let mut policy = policy();
        let mut a = TokenTicket::new();
        let answer = token_answer("t1", 3600);
        let error = policy
            .on_token_response(&mut a, &answer, at(0))
            .unwrap_err();
        assert_eq!(error.code(), "internal");
        policy.poll(&mut a, at(0)).unwrap();
        assert_eq!(policy.poll(&mut a, at(0)).unwrap_err().code(), "internal");
    }
}
