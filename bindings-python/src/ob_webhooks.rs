//! Open-banking webhook signatures (`lean-signature: sha512=...`): the
//! core's `openbanking::webhooks::WebhookVerifier`, reading the payload
//! as the payouts verifier does.

use lean_core::openbanking::webhooks as ob;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::webhooks::webhook_entry_points;

webhook_entry_points!(
    /// The header value Lean would send for `payload`: `sha512=<hex>`.
    fn ob_sign = ob::sign;
    /// Verifies open-banking webhooks against one or more secrets (several
    /// during a rotation), hex or base64 digests. Build one at start-up;
    /// `construct_event_json` returns the `{type, payload, ...}` envelope
    /// as JSON text (read with `decimal.Decimal` for fractions).
    class ObWebhookVerifier(
        "ObWebhookVerifier",
        ob::WebhookVerifier,
        ob::parse_event,
        |py, json| Ok(PyString::new(py, &json.to_string()).into_any())
    );
);
