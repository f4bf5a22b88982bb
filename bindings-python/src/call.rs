//! The client configuration and the call engine, as two small classes the
//! Python clients drive with their own transport and clock.

use std::sync::OnceLock;
use std::time::Duration;

use lean_core::{Environment, Error, Operation, RetryPolicy};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use serde_json::{Map, Value};

use crate::convert::{explain_floats, json_to_py, to_json};
use crate::drive;
use crate::errors::{configuration, guard, to_pyerr};

/// The core's `Config`: key, environment or base URL, retries, timeout.
/// Its `repr()` never shows the key.
#[pyclass(module = "lean_sdk._native", name = "Config", frozen)]
pub struct Config {
    inner: lean_core::Config,
}

pub(crate) fn seconds(py: Python<'_>, name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero() || name != "timeout")
        .ok_or_else(|| {
            configuration(
                py,
                format!("{name} must be a finite number of seconds, 0 or more (a timeout above 0), got {value}"),
            )
        })
}

/// The retry settings of either API's configuration, each pause checked.
pub(crate) fn retry_policy(
    py: Python<'_>,
    max_retries: u32,
    initial_backoff: f64,
    max_backoff: f64,
    max_retry_after: f64,
) -> PyResult<RetryPolicy> {
    Ok(RetryPolicy {
        max_retries,
        initial_backoff: seconds(py, "initial_backoff", initial_backoff)?,
        max_backoff: seconds(py, "max_backoff", max_backoff)?,
        max_retry_after: seconds(py, "max_retry_after", max_retry_after)?,
    })
}

/// A configuration class's `#[pymethods]`: its own items, then the
/// getters both APIs' configurations share, written once
/// (`self.inner` is the core's payouts or open-banking `Config`).
macro_rules! config_methods {
    ($class:ty { $($own:tt)* }) => {
        #[pymethods]
        impl $class {
            $($own)*

            /// Retries after the first attempt.
            #[getter]
            fn max_retries(&self) -> u32 {
                self.inner.retry.max_retries
            }

            /// Seconds a transport waits for one attempt.
            #[getter]
            fn timeout(&self) -> f64 {
                self.inner.timeout.as_secs_f64()
            }

            /// The `User-Agent` sent.
            #[getter]
            fn user_agent(&self) -> &str {
                self.inner.user_agent()
            }
        }
    };
}
pub(crate) use config_methods;

config_methods!(Config {
    /// Checks everything up front, so that a bad key or URL fails when the
    /// client is made, not at its first call.
    #[new]
    #[pyo3(signature = (api_key, environment = "sandbox", base_url = None, max_retries = 2, timeout = 30.0, initial_backoff = 0.5, max_backoff = 5.0, max_retry_after = 60.0, host = "python"))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: &Bound<'_, PyString>,
        environment: &str,
        base_url: Option<&str>,
        max_retries: u32,
        timeout: f64,
        initial_backoff: f64,
        max_backoff: f64,
        max_retry_after: f64,
        host: &str,
    ) -> PyResult<Self> {
        guard(py, || {
            let key = api_key.to_cow()?.into_owned();
            let fail = |e: Error| to_pyerr(py, &e);
            let environment = Environment::parse(environment).map_err(fail)?;
            let mut inner = lean_core::Config::new(key, environment).map_err(fail)?;
            if let Some(url) = base_url {
                inner = inner.with_base_url(url).map_err(fail)?;
            }
            inner = inner.with_host(host).with_retry(retry_policy(
                py,
                max_retries,
                initial_backoff,
                max_backoff,
                max_retry_after,
            )?);
            inner.timeout = seconds(py, "timeout", timeout)?;
            Ok(Self { inner })
        })
    }

    /// `"sandbox"` or `"production"`.
    #[getter]
    fn environment(&self) -> &'static str {
        self.inner.environment().as_str()
    }

    /// Where requests go, without a trailing `/`.
    #[getter]
    fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// Everything but the key.
    fn __repr__(&self) -> String {
        format!(
            "Config(api_key=<redacted>, environment={:?}, base_url={:?}, max_retries={}, timeout={})",
            self.environment(),
            self.base_url(),
            self.max_retries(),
            self.timeout()
        )
    }
});

/// Converts the Python form of a call (`{"operation": ..., "input": {...},
/// "gigId": ...}`) into the core's JSON form.
pub(crate) fn call_json(call: &Bound<'_, PyDict>) -> Result<Value, Error> {
    let mut map = Map::new();
    for (key, value) in call.iter() {
        let key: String = key.extract().map_err(|_| Error::Internal {
            message: "call keys must be text".to_owned(),
        })?;
        let value =
            to_json(&value, if key == "input" { "$" } else { &key }).map_err(|u| u.into_error())?;
        map.insert(key, value);
    }
    Ok(Value::Object(map))
}

/// Reads a call of either API (`from_json`: that API's
/// `Operation::from_json`), naming a float amount's fields in its error.
pub(crate) fn operation<O>(
    call: &Bound<'_, PyDict>,
    from_json: impl FnOnce(&Value) -> Result<O, Error>,
) -> Result<O, Error> {
    let input = call.get_item("input").ok().flatten();
    from_json(&call_json(call)?).map_err(|e| explain_floats(e, input.as_ref()))
}

/// Validates a call's input as the client would and returns the JSON body
/// it would send (`None` for operations without a body).
#[pyfunction]
pub fn validate(py: Python<'_>, call: &Bound<'_, PyDict>) -> PyResult<Option<String>> {
    static CONFIG: OnceLock<Option<lean_core::Config>> = OnceLock::new();
    guard(py, || {
        let config = CONFIG
            .get_or_init(|| lean_core::Config::new("validate", Environment::Sandbox).ok())
            .as_ref()
            .ok_or_else(|| configuration(py, "no configuration to validate with"))?;
        let request = operation(call, Operation::from_json)
            .and_then(|op| op.request(config))
            .map_err(|e| to_pyerr(py, &e))?;
        Ok(request.body)
    })
}

/// One operation driven to its end by the core's call engine. The client
/// loops on `poll()`: `("send", method, url, headers, body)` asks it to send
/// a request and report with `on_response` or `on_transport_error`,
/// `("wait", seconds)` to sleep, `("done", value)` ends the call; a failed
/// call raises its `LeanError` from `poll()`.
#[pyclass(module = "lean_sdk._native", name = "Call")]
pub struct Call {
    inner: lean_core::Call,
}

drive::call_methods!(Call, |py, outcome| json_to_py(py, &outcome.to_json()), {
    /// Validates the call's input (every bad field at once) and starts it.
    #[new]
    fn new(
        py: Python<'_>,
        config: &Config,
        call: &Bound<'_, PyDict>,
        entropy: &Bound<'_, PyBytes>,
    ) -> PyResult<Self> {
        drive::start(py, entropy, |entropy| {
            let operation = operation(call, Operation::from_json)?;
            lean_core::Call::new(&config.inner, operation, entropy)
        })
        .map(|inner| Self { inner })
    }

    /// The `Idempotency-Key` of a special payment (the caller's or the
    /// generated one); `None` for other operations.
    #[getter]
    fn idempotency_key(&self) -> Option<&str> {
        self.inner.idempotency_key()
    }
});
