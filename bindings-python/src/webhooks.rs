//! Webhook signatures: the core's `WebhookVerifier`, holding each secret's
//! precomputed HMAC key state, reading the payload without copying it.

use std::borrow::Cow;
use std::ops::Deref;

use lean_core::WebhookSecret;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use crate::convert::json_to_py;
use crate::errors::to_pyerr;

/// Payloads from this size on are verified without holding the GIL.
pub(crate) const LARGE: usize = 64 * 1024;

/// The raw body, read once: `bytes` and `str` in place, a `bytearray` or
/// `memoryview` (which the caller may change at any time) copied once into
/// an immutable snapshot that is then both verified and parsed.
pub(crate) enum Body<'a, 'py> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>),
    Snapshot(Bound<'py, PyBytes>),
}

impl Deref for Body<'_, '_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Self::Borrowed(bytes) => bytes,
            Self::Owned(bytes) => bytes,
            Self::Snapshot(bytes) => bytes.as_bytes(),
        }
    }
}

pub(crate) fn payload<'a, 'py>(value: &'a Bound<'py, PyAny>) -> PyResult<Body<'a, 'py>> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(Body::Borrowed(bytes.as_bytes()));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(match text.to_cow()? {
            Cow::Borrowed(s) => Body::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Body::Owned(s.into_bytes()),
        });
    }
    if let Ok(array) = value.cast::<PyByteArray>() {
        return Ok(Body::Owned(array.to_vec()));
    }
    if let Ok(view) = value.cast::<pyo3::types::PyMemoryView>() {
        let bytes = view.py().get_type::<PyBytes>().call1((view,))?;
        return Ok(Body::Snapshot(bytes.cast_into::<PyBytes>()?));
    }
    Err(PyTypeError::new_err(
        "the webhook payload must be the raw request body as bytes (or str), exactly as received",
    ))
}

pub(crate) fn secret(value: &Bound<'_, PyAny>) -> PyResult<WebhookSecret> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(WebhookSecret::from(text.to_cow()?.as_ref()));
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(WebhookSecret::new(bytes.as_bytes()));
    }
    Err(PyTypeError::new_err(
        "a webhook secret must be str or bytes",
    ))
}

/// One secret (`str` or `bytes`) or a list of them, as both products'
/// verifiers take them.
pub(crate) fn read_secrets(value: &Bound<'_, PyAny>) -> PyResult<Vec<WebhookSecret>> {
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Ok(vec![secret(value)?]);
    }
    value
        .try_iter()
        .map_err(|_| PyTypeError::new_err("secrets must be a str, bytes, or a list of them"))?
        .map(|s| secret(&s?))
        .collect()
}

/// Runs `verify` over the raw body, without the GIL for large bodies, and
/// raises the core's error as its Python exception.
pub(crate) fn check_body(
    py: Python<'_>,
    body: &[u8],
    verify: impl Fn(&[u8]) -> Result<(), lean_core::Error> + Send + Sync,
) -> PyResult<()> {
    let result = if body.len() >= LARGE {
        py.detach(|| verify(body))
    } else {
        verify(body)
    };
    result.map_err(|e| to_pyerr(py, &e))
}

/// The webhook entry points of either API, written once: a `sign`
/// function over the core's `$core_sign`, and a verifier class over the
/// core's verifier (`$inner`, with `$parse` reading its event envelope),
/// each secret's HMAC key state computed once; `$to_py` hands the parsed
/// event's JSON to Python.
macro_rules! webhook_entry_points {
    (
        $(#[$sign_doc:meta])* fn $sign:ident = $core_sign:path;
        $(#[$doc:meta])* class $class:ident($name:literal, $inner:ty, $parse:path, $to_py:expr);
    ) => {
        $(#[$sign_doc])*
        #[pyfunction]
        pub fn $sign(
            py: Python<'_>,
            payload: &Bound<'_, PyAny>,
            secret: &Bound<'_, PyAny>,
        ) -> PyResult<String> {
            $crate::errors::guard(py, || {
                let body = $crate::webhooks::payload(payload)?;
                Ok($core_sign(&$crate::webhooks::secret(secret)?, &body))
            })
        }

        $(#[$doc])*
        #[pyclass(module = "lean_sdk._native", name = $name, frozen, subclass)]
        pub struct $class {
            inner: $inner,
        }

        impl $class {
            fn check(&self, py: Python<'_>, body: &[u8], signature: Option<&str>) -> PyResult<()> {
                $crate::webhooks::check_body(py, body, |body| self.inner.verify(body, signature))
            }
        }

        #[pymethods]
        impl $class {
            /// Computes each secret's HMAC key state once, here.
            #[new]
            fn new(py: Python<'_>, secrets: &Bound<'_, PyAny>) -> PyResult<Self> {
                $crate::errors::guard(py, || {
                    let secrets = $crate::webhooks::read_secrets(secrets)?;
                    let inner = <$inner>::new(&secrets).map_err(|e| $crate::errors::to_pyerr(py, &e))?;
                    Ok(Self { inner })
                })
            }

            /// Raises `WebhookSignatureError` unless `signature` (the
            /// signature header, `None` when absent) matches `payload`.
            #[pyo3(signature = (payload, signature))]
            fn verify(
                &self,
                py: Python<'_>,
                payload: &Bound<'_, PyAny>,
                signature: Option<pyo3::pybacked::PyBackedStr>,
            ) -> PyResult<()> {
                $crate::errors::guard(py, || {
                    self.check(py, &$crate::webhooks::payload(payload)?, signature.as_deref())
                })
            }

            /// Verifies, then parses the event envelope.
            #[pyo3(signature = (payload, signature))]
            fn construct_event_json<'py>(
                &self,
                py: Python<'py>,
                payload: &Bound<'py, PyAny>,
                signature: Option<pyo3::pybacked::PyBackedStr>,
            ) -> PyResult<Bound<'py, PyAny>> {
                $crate::errors::guard(py, || {
                    let body = $crate::webhooks::payload(payload)?;
                    self.check(py, &body, signature.as_deref())?;
                    let event = $parse(&body).map_err(|e| $crate::errors::to_pyerr(py, &e))?;
                    let to_py: fn(Python<'py>, &serde_json::Value) -> PyResult<Bound<'py, PyAny>> = $to_py;
                    to_py(py, &event.to_json())
                })
            }

            /// The number of secrets, never a secret.
            fn __repr__(&self) -> String {
                format!("{:?}", self.inner)
            }
        }
    };
}
pub(crate) use webhook_entry_points;

webhook_entry_points!(
    /// Signs `payload` as Lean does: base64 of HMAC-SHA1 under `secret`.
    fn sign = lean_core::webhooks::sign;
    /// Verifies payouts webhooks (`x-lean-signature`) against one or more
    /// secrets (several during a rotation). Build one at start-up and
    /// reuse it; `construct_event_json` returns the `{"event", "data"}`
    /// envelope as a dict (data in the API's JSON shape).
    class WebhookVerifier(
        "WebhookVerifier",
        lean_core::WebhookVerifier,
        lean_core::webhooks::parse_event,
        json_to_py
    );
);
