//! What the Python client loops see of a core call, for both APIs: the
//! payouts `Call` and the open-banking `ObCall` are driven by the same
//! loop (`lean_sdk/_engine.py`), so the steps they hand out and the
//! reports they take have one shape, written once here.

use lean_core::{HttpRequest, Step};
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

/// A call class's `#[pymethods]`: its own items (constructor, `poll`,
/// `idempotency_key`) and the reports every call takes in the same shape,
/// written once for both APIs' calls (`self.inner` implements `lean_core::Drive`).
macro_rules! call_methods {
    ($class:ty { $($own:tt)* }) => {
        #[pymethods]
        impl $class {
            $($own)*

            /// Reports the answer to the last `send`.
            fn on_response(
                &mut self,
                py: Python<'_>,
                status: u16,
                headers: Vec<(String, String)>,
                body: &Bound<'_, pyo3::types::PyBytes>,
            ) -> PyResult<()> {
                $crate::errors::guard(py, || {
                    let answer = lean_core::HttpResponse::new(status, headers, body.as_bytes());
                    lean_core::Drive::on_response(&mut self.inner, answer);
                    Ok(())
                })
            }

            /// `kind` is `"connect"` (nothing reached the API), `"timeout"`
            /// or `"other"` (the request may have been applied).
            fn on_transport_error(&mut self, py: Python<'_>, kind: &str, message: &str) -> PyResult<()> {
                $crate::errors::guard(py, || {
                    let error = lean_core::TransportError::from_kind_name(kind, message);
                    lean_core::Drive::on_transport_error(&mut self.inner, error);
                    Ok(())
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
