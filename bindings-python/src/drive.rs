//! What the Python client loops see of a core call, for both APIs: the
//! payouts `Call` and the open-banking `ObCall` are driven by the same
//! loop (`lean_sdk/_engine.py`), so the steps they hand out and the
//! reports they take have one shape, written once here.

use std::time::Duration;

use lean_core::{Error, HttpRequest, Step};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use serde_json::Value;

use crate::convert::json_to_py;
use crate::errors::{configuration, guard, to_pyerr};

/// How long an attempt took, as the host reported it in seconds; a value
/// no `Duration` holds (negative, not finite) is left out rather than
/// failing the call over a clock reading.
pub(crate) fn elapsed(seconds: Option<f64>) -> Option<Duration> {
    seconds.and_then(|s| Duration::try_from_secs_f64(s).ok())
}

/// JSON values (events, attempts) as a Python list of dicts.
pub(crate) fn json_list<'py>(
    py: Python<'py>,
    values: impl Iterator<Item = Value>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for value in values {
        list.append(json_to_py(py, &value)?)?;
    }
    Ok(list)
}

/// The 32 random bytes a call derives its idempotency key and jitter from.
pub(crate) fn entropy(py: Python<'_>, entropy: &Bound<'_, PyBytes>) -> PyResult<[u8; 32]> {
    entropy.as_bytes().try_into().map_err(|_| {
        configuration(
            py,
            "a call needs exactly 32 bytes of entropy (os.urandom(32))",
        )
    })
}

/// Starts a call of either API with the checked entropy: `start` reads
/// its input (every bad field at once) and makes the core's call.
pub(crate) fn start<C>(
    py: Python<'_>,
    entropy: &Bound<'_, PyBytes>,
    start: impl FnOnce([u8; 32]) -> Result<C, Error>,
) -> PyResult<C> {
    guard(py, || {
        let entropy = self::entropy(py, entropy)?;
        start(entropy).map_err(|e| to_pyerr(py, &e))
    })
}

/// A step as a tuple: `("send", method, url, headers, body)`,
/// `("wait", seconds)` or `("done", value)`, where `done` turns the call's
/// result into the value Python reads; a failed call raises its error.
pub(crate) fn step_tuple<'py, T, V>(
    py: Python<'py>,
    step: Step<T>,
    done: impl FnOnce(T) -> PyResult<V>,
) -> PyResult<Bound<'py, PyTuple>>
where
    V: IntoPyObject<'py>,
{
    match step {
        Step::Send(request) => send_tuple(py, request),
        Step::Wait(delay) => ("wait", delay.as_secs_f64()).into_pyobject(py),
        Step::Done(Ok(outcome)) => ("done", done(outcome)?).into_pyobject(py),
        Step::Done(Err(error)) => Err(to_pyerr(py, &error)),
    }
}

/// A request to send: `("send", method, url, headers, body)`; the token
/// manager hands out its token requests in the same shape.
pub(crate) fn send_tuple<'py>(
    py: Python<'py>,
    request: HttpRequest,
) -> PyResult<Bound<'py, PyTuple>> {
    let body = request
        .body
        .as_deref()
        .map(|b| PyBytes::new(py, b.as_bytes()));
    (
        "send",
        request.method.as_str(),
        request.url,
        request.headers,
        body,
    )
        .into_pyobject(py)
}

/// A call class's `#[pymethods]`: its own items (constructor,
/// `idempotency_key`), then `poll`, whose `("done", value)` carries
/// `$done` of the call's outcome, and the reports every call takes in the same
/// shape, written once for both APIs' calls (`self.inner` implements
/// `lean_core::Drive`).
macro_rules! call_methods {
    ($class:ty, |$py:ident, $outcome:ident| $done:expr, { $($own:tt)* }) => {
        #[pymethods]
        impl $class {
            $($own)*

            /// The next step; raises the call's error when it failed.
            fn poll<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
                $crate::errors::guard(py, || {
                    $crate::drive::step_tuple(py, self.inner.poll(), |$outcome| {
                        let $py = py;
                        $done
                    })
                })
            }

            /// Reports the answer to the last `send`; `elapsed` is how long
            /// the attempt took (seconds, by the host's monotonic clock),
            /// kept in the attempt list and the events.
            #[pyo3(signature = (status, headers, body, elapsed = None))]
            fn on_response(
                &mut self,
                py: Python<'_>,
                status: u16,
                headers: Vec<(String, String)>,
                body: &Bound<'_, pyo3::types::PyBytes>,
                elapsed: Option<f64>,
            ) -> PyResult<()> {
                $crate::errors::guard(py, || {
                    let answer = lean_core::HttpResponse::new(status, headers, body.as_bytes());
                    match $crate::drive::elapsed(elapsed) {
                        Some(took) => lean_core::Drive::on_response_timed(&mut self.inner, answer, took),
                        None => lean_core::Drive::on_response(&mut self.inner, answer),
                    }
                    Ok(())
                })
            }

            /// `kind` is `"connect"` (nothing reached the API), `"timeout"`
            /// or `"other"` (the request may have been applied); `elapsed`
            /// as for `on_response`.
            #[pyo3(signature = (kind, message, elapsed = None))]
            fn on_transport_error(
                &mut self,
                py: Python<'_>,
                kind: &str,
                message: &str,
                elapsed: Option<f64>,
            ) -> PyResult<()> {
                $crate::errors::guard(py, || {
                    let error = lean_core::TransportError::from_kind_name(kind, message);
                    match $crate::drive::elapsed(elapsed) {
                        Some(took) => lean_core::Drive::on_transport_error_timed(&mut self.inner, error, took),
                        None => lean_core::Drive::on_transport_error(&mut self.inner, error),
                    }
                    Ok(())
                })
            }

            /// Turns the call's events on (off by default, so that a host
            /// whose logging is off pays nothing for them).
            fn record_events(&mut self, on: bool) {
                lean_core::Drive::record_events(&mut self.inner, on)
            }

            /// The events recorded since the last drain, in order, each the
            /// core's JSON form as a dict (`event`, `level`, `message`...).
            fn take_events<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyList>> {
                $crate::errors::guard(py, || {
                    let events = lean_core::Drive::take_events(&mut self.inner);
                    $crate::drive::json_list(py, events.iter().map(|e| e.to_json()))
                })
            }

            /// Every attempt so far as the core's JSON form (`attempt`,
            /// `phase`, `status`?, `requestId`?, `transportError`?,
            /// `elapsedMs`?): after `done`, those of the result.
            #[getter]
            fn attempt_log<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyList>> {
                $crate::errors::guard(py, || {
                    let attempts = lean_core::Drive::attempt_log(&self.inner);
                    $crate::drive::json_list(py, attempts.iter().map(|a| a.to_json()))
                })
            }

            /// Ends the call interrupted mid-flight (`reason`: what
            /// interrupted it); returns the `TransportError` that says what
            /// was sent, for the client to attach to the interruption.
            fn interrupt(&mut self, py: Python<'_>, reason: &str) -> PyResult<Py<PyAny>> {
                $crate::errors::guard(py, || {
                    let error = lean_core::Drive::interrupt(&mut self.inner, reason);
                    Ok($crate::errors::to_pyerr(py, &error).into_value(py).into_any())
                })
            }

            /// Requests handed out so far.
            #[getter]
            fn attempts(&self) -> u32 {
                self.inner.attempts()
            }
        }
    };
}
pub(crate) use call_methods;
