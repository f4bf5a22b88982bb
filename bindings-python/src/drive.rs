//! What the Python client loops see of a core call, for both APIs: the
//! payouts `Call` and the open-banking `ObCall` are driven by the same
//! loop (`lean_sdk/_transport.py`), so the steps they hand out and the
//! reports they take have one shape, written once here.

use lean_core::{Drive, HttpRequest, HttpResponse, Step, TransportError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

use crate::errors::{configuration, to_pyerr};

/// The 32 random bytes a call derives its idempotency key and jitter from.
pub(crate) fn entropy(py: Python<'_>, entropy: &Bound<'_, PyBytes>) -> PyResult<[u8; 32]> {
    entropy.as_bytes().try_into().map_err(|_| {
        configuration(
            py,
            "a call needs exactly 32 bytes of entropy (os.urandom(32))",
        )
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

/// Reports the answer to the call's last `send`.
pub(crate) fn report_response(
    call: &mut impl Drive,
    status: u16,
    headers: Vec<(String, String)>,
    body: &Bound<'_, PyBytes>,
) {
    call.on_response(HttpResponse::new(status, headers, body.as_bytes()));
}

/// Ends a call interrupted mid-flight (a cancellation, a custom transport's
/// exception) and returns the exception that reports what was sent, for
/// the client to attach to the interruption it re-raises.
pub(crate) fn interrupt(py: Python<'_>, call: &mut impl Drive, reason: &str) -> Py<PyAny> {
    to_pyerr(py, &call.interrupt(reason))
        .into_value(py)
        .into_any()
}

/// Reports that the call's last `send` failed below HTTP: `kind` is
/// `"connect"` (nothing reached the API), `"timeout"` or `"other"` (the
/// request may have been applied).
pub(crate) fn report_transport_error(call: &mut impl Drive, kind: &str, message: &str) {
    call.on_transport_error(TransportError::from_kind_name(kind, message));
}
