//! Open-banking webhook signatures (`lean-signature: sha512=...`): the
//! core's `openbanking::webhooks::WebhookVerifier`, reading the payload
//! as the payouts verifier does.

use lean_core::openbanking::webhooks as ob;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;

use crate::errors::{guard, to_pyerr};
use crate::webhooks::{check_body, payload, read_secrets, secret};

/// The header value Lean would send for `payload`: `sha512=<hex>`.
#[pyfunction]
pub fn ob_sign(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
) -> PyResult<String> {
    guard(py, || {
        let body = self::payload(payload)?;
        Ok(ob::sign(&self::secret(secret)?, &body))
    })
}

/// Verifies open-banking webhooks against one or more secrets (several
/// during a rotation), hex or base64 digests. Build one at start-up.
#[pyclass(
    module = "lean_sdk._native",
    name = "ObWebhookVerifier",
    frozen,
    subclass
)]
pub struct ObWebhookVerifier {
    inner: ob::WebhookVerifier,
}

impl ObWebhookVerifier {
    fn check(&self, py: Python<'_>, body: &[u8], signature: Option<&str>) -> PyResult<()> {
        check_body(py, body, |body| self.inner.verify(body, signature))
    }
}

#[pymethods]
impl ObWebhookVerifier {
    /// Computes each secret's HMAC key state once, here.
    #[new]
    fn new(py: Python<'_>, secrets: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let secrets = read_secrets(secrets)?;
            let inner = ob::WebhookVerifier::new(&secrets).map_err(|e| to_pyerr(py, &e))?;
            Ok(Self { inner })
        })
    }

    /// Raises `WebhookSignatureError` unless `signature` (the
    /// `lean-signature` header, `None` when absent) matches `payload`.
    #[pyo3(signature = (payload, signature))]
    fn verify(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        signature: Option<PyBackedStr>,
    ) -> PyResult<()> {
        guard(py, || {
            self.check(py, &self::payload(payload)?, signature.as_deref())
        })
    }

    /// Verifies, then parses the `{type, payload, ...}` envelope; returns
    /// it as JSON text (read with `decimal.Decimal` for fractions).
    #[pyo3(signature = (payload, signature))]
    fn construct_event_json(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        signature: Option<PyBackedStr>,
    ) -> PyResult<String> {
        guard(py, || {
            let body = self::payload(payload)?;
            self.check(py, &body, signature.as_deref())?;
            let event = ob::parse_event(&body).map_err(|e| to_pyerr(py, &e))?;
            Ok(event.to_json().to_string())
        })
    }

    /// The number of secrets, never a secret.
    fn __repr__(&self) -> String {
        format!("{:?}", self.inner)
    }
}
