//! The open-banking API (`lean_core::openbanking`) for the Python package
//! `lean_sdk.openbanking`: the environment, the call configuration, the
//! credentials, the call engine and the OAuth token policy, each a small
//! class the Python clients drive with their own transport and clock.
//!
//! As for payouts, inputs cross as the core's JSON form
//! (`Operation::from_json`) and results come back as the JSON text of
//! `Outcome::to_json`, which Python reads with `decimal.Decimal` for every
//! fractional number, so no amount ever passes through a binary float.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lean_core::openbanking::{self as ob, AfterUnauthorized, Operation, TokenScope, TokenStep};
use lean_core::{Error, HttpResponse, TransportError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::call::{config_methods, operation, retry_policy, seconds};
use crate::drive;
use crate::errors::{configuration, guard, to_pyerr};

/// Where open-banking requests go: a documented environment by name, or a
/// custom base URL (the local sandbox). Its fields configure the transport
/// (mTLS) and the token host.
#[pyclass(
    module = "lean_sdk.openbanking",
    name = "Environment",
    frozen,
    eq,
    skip_from_py_object
)]
#[derive(Clone, PartialEq)]
pub struct Environment {
    pub(crate) inner: ob::Environment,
}

#[pymethods]
impl Environment {
    /// `uae-sandbox` (the default), `uae-sandbox-mtls`, `uae-production`,
    /// `ksa-sandbox` or `ksa-production` (any case, `_` for `-`).
    #[new]
    #[pyo3(signature = (name = "uae-sandbox"))]
    fn new(py: Python<'_>, name: &str) -> PyResult<Self> {
        guard(py, || {
            ob::Environment::parse(name)
                .map(|inner| Self { inner })
                .map_err(|e| to_pyerr(py, &e))
        })
    }

    /// A custom base URL (https, or http on a loopback address), with an
    /// optional OAuth token host and whether it demands mTLS.
    #[staticmethod]
    #[pyo3(signature = (base_url, token_base_url = None, mtls = false))]
    fn custom(
        py: Python<'_>,
        base_url: &str,
        token_base_url: Option<&str>,
        mtls: bool,
    ) -> PyResult<Self> {
        guard(py, || {
            let mut inner = ob::Environment::custom(base_url).map_err(|e| to_pyerr(py, &e))?;
            if let Some(token) = token_base_url {
                inner = inner
                    .with_token_base_url(token)
                    .map_err(|e| to_pyerr(py, &e))?;
            }
            Ok(Self {
                inner: inner.with_mtls(mtls),
            })
        })
    }

    /// The same environment with another OAuth token host (the UAE
    /// sandbox documents none).
    fn with_token_base_url(&self, py: Python<'_>, token_base_url: &str) -> PyResult<Self> {
        guard(py, || {
            self.inner
                .clone()
                .with_token_base_url(token_base_url)
                .map(|inner| Self { inner })
                .map_err(|e| to_pyerr(py, &e))
        })
    }

    /// `uae-production`, ..., or `custom`.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The API base URL, without a trailing `/`.
    #[getter]
    fn api_base_url(&self) -> &str {
        self.inner.api_base_url()
    }

    /// The OAuth token host, when documented or configured.
    #[getter]
    fn token_base_url(&self) -> Option<&str> {
        self.inner.token_base_url()
    }

    /// True when the host refuses connections without a client
    /// certificate.
    #[getter]
    fn requires_mtls(&self) -> bool {
        self.inner.requires_mtls()
    }

    /// `{token host}/oauth2/token`; raises `ConfigurationError` saying how
    /// to set the host when it is unknown.
    fn token_url(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.token_url().map_err(|e| to_pyerr(py, &e))
    }

    fn __repr__(&self) -> String {
        let text = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
        format!(
            "Environment(name={}, api_base_url={}, token_base_url={}, requires_mtls={})",
            text(self.inner.name()),
            text(self.inner.api_base_url()),
            self.inner.token_base_url().map_or("None".to_owned(), text),
            if self.inner.requires_mtls() {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// The core's open-banking `Config`: environment, retries, timeout. It
/// holds no credential.
#[pyclass(module = "lean_sdk._native", name = "ObConfig", frozen)]
pub struct ObConfig {
    inner: ob::Config,
}

config_methods!(ObConfig {
    #[new]
    #[pyo3(signature = (environment, max_retries = 2, timeout = None, initial_backoff = 0.5, max_backoff = 5.0, max_retry_after = 60.0, host = "python"))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        environment: &Environment,
        max_retries: u32,
        timeout: Option<f64>,
        initial_backoff: f64,
        max_backoff: f64,
        max_retry_after: f64,
        host: &str,
    ) -> PyResult<Self> {
        guard(py, || {
            let mut inner = ob::Config::new(environment.inner.clone())
                .with_host(host)
                .with_retry(retry_policy(
                    py,
                    max_retries,
                    initial_backoff,
                    max_backoff,
                    max_retry_after,
                )?);
            if let Some(timeout) = timeout {
                inner.timeout = seconds(py, "timeout", timeout)?;
            }
            Ok(Self { inner })
        })
    }

    /// Where calls go.
    #[getter]
    fn environment(&self) -> Environment {
        Environment {
            inner: self.inner.environment().clone(),
        }
    }
});

/// How calls authenticate: the application token or an OAuth bearer
/// token. Its `repr()` never shows either.
#[pyclass(
    module = "lean_sdk._native",
    name = "ObAuth",
    frozen,
    skip_from_py_object
)]
#[derive(Clone)]
pub struct ObAuth {
    inner: ob::Auth,
}

#[pymethods]
impl ObAuth {
    /// `lean-app-token: <token>`.
    #[staticmethod]
    fn app_token(py: Python<'_>, token: &Bound<'_, PyString>) -> PyResult<Self> {
        Self::checked(py, token, |t| ob::AppToken::new(t).map(ob::Auth::AppToken))
    }

    /// `Authorization: Bearer <token>`, for a token obtained elsewhere.
    #[staticmethod]
    fn bearer(py: Python<'_>, token: &Bound<'_, PyString>) -> PyResult<Self> {
        Self::checked(py, token, |t| ob::AccessToken::new(t).map(ob::Auth::Bearer))
    }

    /// `"app_token"` or `"bearer"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner {
            ob::Auth::AppToken(_) => "app_token",
            ob::Auth::Bearer(_) => "bearer",
        }
    }

    fn __repr__(&self) -> String {
        format!("ObAuth({}=<redacted>)", self.kind())
    }
}

impl ObAuth {
    /// The credential `make` builds from the token text (refusing a
    /// malformed one).
    fn checked(
        py: Python<'_>,
        token: &Bound<'_, PyString>,
        make: impl FnOnce(&str) -> Result<ob::Auth, Error>,
    ) -> PyResult<Self> {
        guard(py, || {
            let inner = make(&token.to_cow()?).map_err(|e| to_pyerr(py, &e))?;
            Ok(Self { inner })
        })
    }
}

/// Validates an open-banking call's input as the client would and returns
/// the JSON body it would send (`None` for operations without a body).
#[pyfunction]
pub fn ob_validate(py: Python<'_>, call: &Bound<'_, PyDict>) -> PyResult<Option<String>> {
    static AUTH: OnceLock<Option<ob::Auth>> = OnceLock::new();
    guard(py, || {
        let auth = AUTH
            .get_or_init(|| ob::AppToken::new("validate").ok().map(ob::Auth::AppToken))
            .as_ref()
            .ok_or_else(|| configuration(py, "no credential to validate with"))?;
        let op = operation(call, Operation::from_json).map_err(|e| to_pyerr(py, &e))?;
        Ok(op.request(&ob::Environment::uae_sandbox(), auth).body)
    })
}

/// One open-banking operation driven by the core's call engine, exactly
/// as the payouts `Call`; `("done", text)` carries the result as JSON
/// text.
#[pyclass(module = "lean_sdk._native", name = "ObCall")]
pub struct ObCall {
    inner: ob::Call,
}

drive::call_methods!(ObCall, |_py, outcome| Ok(outcome.to_json().to_string()), {
    /// Validates the call's input (every bad field at once) and starts it.
    #[new]
    fn new(
        py: Python<'_>,
        config: &ObConfig,
        auth: &ObAuth,
        call: &Bound<'_, PyDict>,
        entropy: &Bound<'_, PyBytes>,
    ) -> PyResult<Self> {
        drive::start(py, entropy, |entropy| {
            let operation = operation(call, Operation::from_json)?;
            Ok(ob::Call::new(
                &config.inner,
                &auth.inner,
                operation,
                entropy,
            ))
        })
        .map(|inner| Self { inner })
    }

    /// Always `None`: open-banking creates carry no idempotency key (the
    /// same engine loop serves both APIs).
    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        None
    }
});

/// A host time in seconds since the epoch (`time.time()`).
fn instant(py: Python<'_>, now: f64) -> PyResult<SystemTime> {
    Duration::try_from_secs_f64(now)
        .ok()
        .and_then(|d| UNIX_EPOCH.checked_add(d))
        .ok_or_else(|| {
            configuration(
                py,
                format!("a time must be seconds since 1970 (time.time()), got {now}"),
            )
        })
}

fn epoch_seconds(at: SystemTime) -> f64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// One API call's part in the token policy (the core's `TokenTicket`):
/// the client makes one per call and passes it to every `TokenPolicy`
/// method for that call.
#[pyclass(module = "lean_sdk._native", name = "TokenTicket")]
#[derive(Default)]
pub struct TokenTicket {
    inner: ob::TokenTicket,
}

#[pymethods]
impl TokenTicket {
    #[new]
    fn new() -> Self {
        Self::default()
    }
}

/// OAuth client credentials as the core's `TokenPolicy`: one shared token
/// fetch, renewal before expiry, one renewal and retry after a 401. The
/// client only sends the token request and waits; every decision is the
/// core's.
#[pyclass(module = "lean_sdk._native", name = "TokenPolicy")]
pub struct TokenPolicy {
    inner: ob::TokenPolicy,
    /// The fetch under way (at most one at a time) and its number, counted
    /// from 1: what `poll` names fetches by.
    fetch: Option<(ob::FetchId, u64)>,
    fetches: u64,
    /// For tokens of another scope (`customer_token_request`); its `Debug`
    /// redacts the secret.
    credentials: ob::ClientCredentials,
    environment: ob::Environment,
}

#[pymethods]
impl TokenPolicy {
    /// Fails (`ConfigurationError`) for empty credentials or an
    /// environment without a known token host, so a wrong setup shows when
    /// the client is made.
    #[new]
    #[pyo3(signature = (client_id, client_secret, environment, customer_scope = None, renewal_margin = 60.0))]
    fn new(
        py: Python<'_>,
        client_id: &Bound<'_, PyString>,
        client_secret: &Bound<'_, PyString>,
        environment: &Environment,
        customer_scope: Option<&str>,
        renewal_margin: f64,
    ) -> PyResult<Self> {
        guard(py, || {
            let fail = |e: Error| to_pyerr(py, &e);
            let credentials =
                ob::ClientCredentials::new(&client_id.to_cow()?, &client_secret.to_cow()?)
                    .map_err(fail)?;
            let scope = match customer_scope {
                Some(id) => TokenScope::customer(id).map_err(fail)?,
                None => TokenScope::Api,
            };
            let inner = ob::TokenPolicy::new(credentials.clone(), environment.inner.clone(), scope)
                .map_err(fail)?
                .with_renewal_margin(seconds(py, "token_renewal_margin", renewal_margin)?);
            Ok(Self {
                inner,
                fetch: None,
                fetches: 0,
                credentials,
                environment: environment.inner.clone(),
            })
        })
    }

    /// What the call holding `ticket` does next, at `now` (`time.time()`):
    /// `("use", ObAuth)`; `("send", method, url, headers, body, fetch)`:
    /// send the token request for every caller and report its outcome
    /// (answer, failure or cancellation) whatever happens; `("wait",
    /// fetch)`: another caller's fetch is under way. Raises the error of a
    /// fetch the caller waited for.
    fn poll<'py>(
        &mut self,
        py: Python<'py>,
        ticket: &mut TokenTicket,
        now: f64,
    ) -> PyResult<Bound<'py, PyTuple>> {
        guard(py, || {
            let step = self
                .inner
                .poll(&mut ticket.inner, instant(py, now)?)
                .map_err(|e| to_pyerr(py, &e))?;
            match step {
                TokenStep::Use(auth) => ("use", ObAuth { inner: auth }).into_pyobject(py),
                TokenStep::Fetch(id, request) => {
                    self.fetches += 1;
                    self.fetch = Some((id, self.fetches));
                    let mut send: Vec<Bound<'py, PyAny>> =
                        drive::send_tuple(py, request)?.iter().collect();
                    send.push(self.fetches.into_pyobject(py)?.into_any());
                    PyTuple::new(py, send)
                }
                TokenStep::Wait(id) => ("wait", self.number(id)).into_pyobject(py),
            }
        })
    }

    /// Reports the token endpoint's answer to this caller's fetch,
    /// received at `now`; raises the API's error (which the callers that
    /// waited for the fetch get too).
    fn on_token_response(
        &mut self,
        py: Python<'_>,
        ticket: &mut TokenTicket,
        status: u16,
        headers: Vec<(String, String)>,
        body: &Bound<'_, PyBytes>,
        now: f64,
    ) -> PyResult<()> {
        guard(py, || {
            let answer = HttpResponse::new(status, headers, body.as_bytes());
            self.inner
                .on_token_response(&mut ticket.inner, &answer, instant(py, now)?)
                .map_err(|e| to_pyerr(py, &e))
        })
    }

    /// Reports that this caller's token request failed below HTTP (`kind`
    /// as for a call); returns the error to raise, which the waiting callers
    /// get too.
    fn on_token_transport_error(
        &mut self,
        py: Python<'_>,
        ticket: &mut TokenTicket,
        kind: &str,
        message: &str,
    ) -> Py<PyAny> {
        let error = TransportError::from_kind_name(kind, message);
        let error = self
            .inner
            .on_token_transport_error(&mut ticket.inner, error);
        to_pyerr(py, &error).into_value(py).into_any()
    }

    /// Reports that this caller's fetch ended otherwise (`reason`: what
    /// interrupted it), so that the callers waiting for it stop waiting.
    fn on_token_failed(&mut self, ticket: &mut TokenTicket, reason: &str) {
        let error = Error::transport(format!("the OAuth token request was interrupted: {reason}"));
        self.inner.on_token_failed(&mut ticket.inner, error);
    }

    /// Reports that the API answered 401 to the call holding `ticket`:
    /// `True` when the token is to be renewed and the call sent once more,
    /// `False` when the 401 is the call's error.
    fn on_unauthorized(&mut self, ticket: &mut TokenTicket) -> bool {
        self.inner.on_unauthorized(&mut ticket.inner) == AfterUnauthorized::RenewAndRetry
    }

    /// Turns the policy's events on (token fetches, renewals, refusals);
    /// off by default, like a call's.
    fn record_events(&mut self, on: bool) {
        self.inner.record_events(on)
    }

    /// The policy's events recorded since the last drain, each the core's
    /// JSON form as a dict; none holds a token or the client secret.
    fn take_events<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guard(py, || {
            let events = self.inner.take_events();
            drive::json_list(py, events.iter().map(|e| e.to_json()))
        })
    }

    /// `("send", method, url, headers, body)`: the request of a token
    /// limited to one customer (scope `customer.<id>`), for the Link SDK on
    /// that customer's device. The policy's own token is not touched.
    fn customer_token_request<'py>(
        &self,
        py: Python<'py>,
        customer_id: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        guard(py, || {
            let scope = TokenScope::customer(customer_id).map_err(|e| to_pyerr(py, &e))?;
            let request = self
                .credentials
                .token_request(&self.environment, &scope)
                .map_err(|e| to_pyerr(py, &e))?;
            drive::send_tuple(py, request)
        })
    }

    fn __repr__(&self) -> String {
        "TokenPolicy(client_secret=<redacted>)".to_owned()
    }
}

impl TokenPolicy {
    /// The number of the fetch under way (0 for one this binding did not
    /// hand out, which the core never asks to wait for).
    fn number(&self, id: ob::FetchId) -> u64 {
        self.fetch.filter(|(f, _)| *f == id).map_or(0, |(_, n)| n)
    }
}

/// An OAuth access token and when it expires, read from the token
/// endpoint's answer. Its `repr()` never shows the token.
#[pyclass(module = "lean_sdk.openbanking", name = "Token", frozen)]
pub struct Token {
    inner: ob::auth::Token,
}

#[pymethods]
impl Token {
    /// Reads `{"access_token", "token_type", "expires_in", "scope"}`
    /// received at `received_at` (seconds since the epoch, the host's
    /// clock); renewal is due `renewal_margin` seconds before expiry, never
    /// more than half the lifetime.
    #[staticmethod]
    #[pyo3(signature = (status, headers, body, received_at, renewal_margin = 60.0))]
    fn parse(
        py: Python<'_>,
        status: u16,
        headers: Vec<(String, String)>,
        body: &Bound<'_, PyBytes>,
        received_at: f64,
        renewal_margin: f64,
    ) -> PyResult<Self> {
        guard(py, || {
            let answer = HttpResponse::new(status, headers, body.as_bytes());
            let inner = ob::auth::Token::parse(&answer, instant(py, received_at)?)
                .map_err(|e| to_pyerr(py, &e))?
                .with_renewal_margin(seconds(py, "renewal_margin", renewal_margin)?);
            Ok(Self { inner })
        })
    }

    /// The token itself, for `Authorization: Bearer` or for the Link SDK
    /// (a customer-scoped token). Keep it out of logs.
    #[getter]
    fn access_token(&self) -> &str {
        self.inner.access_token().expose()
    }

    /// Seconds since the epoch when it expires, by the host's clock.
    #[getter]
    fn expires_at(&self) -> f64 {
        epoch_seconds(self.inner.expires_at())
    }

    /// Seconds since the epoch from which it should be renewed.
    #[getter]
    fn renew_at(&self) -> f64 {
        epoch_seconds(self.inner.renew_at())
    }

    /// The scope the server granted, if it said.
    #[getter]
    fn scope(&self) -> Option<&str> {
        self.inner.scope()
    }

    /// True when a new token should be fetched before calling at `now`.
    fn needs_renewal(&self, py: Python<'_>, now: f64) -> PyResult<bool> {
        Ok(self.inner.needs_renewal(instant(py, now)?))
    }

    fn __repr__(&self) -> String {
        let scope = self.inner.scope().map_or("None".to_owned(), |s| {
            format!("'{}'", s.replace('\'', "\\'"))
        });
        format!(
            "Token(access_token=<redacted>, expires_at={}, scope={scope})",
            self.expires_at()
        )
    }
}
