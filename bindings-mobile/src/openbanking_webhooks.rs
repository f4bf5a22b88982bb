//! Open-banking webhooks: `lean-signature: sha512=<digest>` (HMAC-SHA512
//! over the raw body, hex or base64), verified in constant time against
//! every current secret before anything is parsed (the core's rules). The
//! payloads are the core's own models (`Ob...` in Kotlin and Swift).

use lean_core::openbanking::webhooks::{
    self as obw, BankAvailability, DataRefresh, EventPayload, PaymentIntentCreated, PaymentSource,
};

use super::models::json_text;
use crate::error::{guard, Result};

/// A verified open-banking webhook. Answer it with HTTP 200 and ignore an
/// `event_id` already seen: Lean retries what is not answered 200.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
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
    /// For `entity.created`: the entity.
    pub entity: Option<lean_core::openbanking::Entity>,
    /// For `payment.created` and `payment.updated`: the payment.
    pub payment: Option<lean_core::openbanking::Payment>,
    /// For `payment_intent.created`: the intent.
    pub payment_intent: Option<PaymentIntentCreated>,
    /// For `payment_source.created` and `payment_source.beneficiary.created`.
    pub payment_source: Option<PaymentSource>,
    /// For `entity.data.refresh.updated`.
    pub data_refresh: Option<DataRefresh>,
    /// For `bank.availability.updated`.
    pub bank_availability: Option<BankAvailability>,
    /// The payload as JSON text.
    pub payload_json: String,
    /// The whole event in the envelope's JSON shape.
    pub json: String,
}

/// Verifies open-banking webhooks (the `lean-signature` header) against one
/// or more secrets (several during a rotation). Build it once: the HMAC
/// keys are prepared here.
#[derive(Debug, uniffi::Object)]
pub struct NativeObWebhookVerifier(obw::WebhookVerifier);

crate::webhooks::webhook_verifier!(NativeObWebhookVerifier(obw::WebhookVerifier) -> ObWebhookEvent);

impl From<&obw::WebhookEvent> for ObWebhookEvent {
    fn from(event: &obw::WebhookEvent) -> Self {
        let json = event.to_json();
        let mut out = Self {
            event_type: event.event_type.as_str().to_owned(),
            event_id: event.event_id.clone(),
            message: event.message.clone(),
            timestamp: event.timestamp.clone(),
            results_id: None,
            entity: None,
            payment: None,
            payment_intent: None,
            payment_source: None,
            data_refresh: None,
            bank_availability: None,
            payload_json: json["payload"].to_string(),
            json: json.to_string(),
        };
        match &event.payload {
            EventPayload::ResultsReady(r) => out.results_id = Some(r.id.clone()),
            EventPayload::Entity(e) => out.entity = Some(e.clone()),
            EventPayload::Payment(p) => out.payment = Some(p.clone()),
            EventPayload::PaymentIntent(p) => out.payment_intent = Some(p.clone()),
            EventPayload::PaymentSource(p) => out.payment_source = Some(p.clone()),
            EventPayload::DataRefresh(r) => out.data_refresh = Some(r.clone()),
            EventPayload::BankAvailability(b) => out.bank_availability = Some(b.clone()),
            EventPayload::Other(_) => {}
        }
        out
    }
}

/// The `lean-signature` value Lean would send for `payload` under
/// `secret` (hex digest), for tests of webhook receivers.
#[uniffi::export]
pub fn ob_sign_webhook(secret: Vec<u8>, payload: Vec<u8>) -> Result<String> {
    guard(|| Ok(obw::sign(&lean_core::WebhookSecret::new(secret), &payload)))
}

/// A webhook payload that no call returns, for [`ob_payload_json`].
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
#[allow(missing_docs)]
pub enum ObWebhookPayload {
    PaymentIntent { value: PaymentIntentCreated },
    PaymentSource { value: PaymentSource },
    BankAvailability { value: BankAvailability },
}

/// A webhook payload in the API's JSON shape, unknown fields included, as
/// the core writes it: each host's `json` of a payload comes from here.
#[uniffi::export]
pub fn ob_payload_json(payload: ObWebhookPayload) -> Result<String> {
    guard(|| match &payload {
        ObWebhookPayload::PaymentIntent { value } => json_text(value),
        ObWebhookPayload::PaymentSource { value } => json_text(value),
        ObWebhookPayload::BankAvailability { value } => json_text(value),
    })
}
