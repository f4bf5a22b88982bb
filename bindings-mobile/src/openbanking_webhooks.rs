//! Open-banking webhooks: `lean-signature: sha512=<digest>` (HMAC-SHA512
//! over the raw body, hex or base64), verified in constant time against
//! every current secret before anything is parsed (the core's rules).

use std::sync::Arc;

use lean_core::openbanking::webhooks::{self as obw, EventPayload};

use super::models::ObEntity;
use crate::error::{guard, Result};

/// A verified open-banking webhook. Answer it with HTTP 200 and ignore an
/// `event_id` already seen: Lean retries what is not answered 200.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObWebhookEvent {
    /// What happened (`results.ready`, `entity.created`, or a type this SDK
    /// does not know, as sent).
    pub event_type: String,
    /// Lean's id of the event, the same on every retry: de-duplicate on it.
    pub event_id: Option<String>,
    /// Lean's description.
    pub message: Option<String>,
    /// When it happened, as sent.
    pub timestamp: Option<String>,
    /// For `results.ready`: the id to pass to `getDataResults`.
    pub results_id: Option<String>,
    /// For `entity.*`: the entity.
    pub entity: Option<ObEntity>,
    /// The payload as JSON text.
    pub payload_json: String,
    /// The whole event in the envelope's JSON shape.
    pub json: String,
}

/// Verifies open-banking webhooks against one or more secrets (several
/// during a rotation). Build it once: the HMAC keys are prepared here.
#[derive(Debug, uniffi::Object)]
pub struct NativeObWebhookVerifier(obw::WebhookVerifier);

#[uniffi::export]
impl NativeObWebhookVerifier {
    /// A verifier for these secrets (at least one, none empty).
    #[uniffi::constructor]
    pub fn new(secrets: Vec<Vec<u8>>) -> Result<Arc<Self>> {
        guard(|| {
            Ok(Arc::new(Self(obw::WebhookVerifier::new(
                &crate::webhooks::webhook_secrets(secrets),
            )?)))
        })
    }

    /// Checks the `lean-signature` header value (`None` when absent)
    /// against the raw body; throws a `signature_*` error otherwise.
    pub fn verify(&self, payload: Vec<u8>, signature: Option<String>) -> Result<()> {
        guard(|| Ok(self.0.verify(&payload, signature.as_deref())?))
    }

    /// Verifies, then parses the body into a typed event (unknown types
    /// kept).
    pub fn construct_event(
        &self,
        payload: Vec<u8>,
        signature: Option<String>,
    ) -> Result<ObWebhookEvent> {
        guard(|| {
            let event = self.0.construct_event(&payload, signature.as_deref())?;
            let json = event.to_json();
            let (results_id, entity) = match &event.payload {
                EventPayload::ResultsReady(r) => (Some(r.id.clone()), None),
                EventPayload::Entity(e) => (None, Some(e.into())),
                EventPayload::Other(_) => (None, None),
            };
            Ok(ObWebhookEvent {
                event_type: event.event_type.as_str().to_owned(),
                event_id: event.event_id.clone(),
                message: event.message.clone(),
                timestamp: event.timestamp.clone(),
                results_id,
                entity,
                payload_json: json["payload"].to_string(),
                json: json.to_string(),
            })
        })
    }
}

/// The `lean-signature` value Lean would send for `payload` under
/// `secret` (hex digest), for tests of webhook receivers.
#[uniffi::export]
pub fn ob_sign_webhook(secret: Vec<u8>, payload: Vec<u8>) -> Result<String> {
    guard(|| Ok(obw::sign(&lean_core::WebhookSecret::new(secret), &payload)))
}
