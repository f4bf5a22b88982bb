//! Payouts webhook events (reference, *Webhooks*), read once their
//! signature has been checked.
//!
//! **Payouts webhooks carry no id and no timestamp**: a repeated delivery
//! cannot be told from a new one by anything Lean sends. Each event
//! therefore has [`WebhookEvent::dedup_key`] (`dedupKey` in its JSON): the
//! event name, the object's id and its status. A handler that records the
//! keys it has processed can skip repeats; two deliveries with the same key
//! report the same change, so acting on one of them is enough.

use serde_json::Value;

use crate::error::Error;
use crate::payouts::models::{Customer, Gig, SpecialPayment};
use crate::wire::wire_enum;

wire_enum! {
    /// The event a webhook reports. Canonical spelling is lower case.
    EventType {
        /// A customer finished onboarding and can be paid.
        CustomerActive = "customer.active",
        /// A customer can no longer be paid.
        CustomerInactive = "customer.inactive",
        /// A gig's money arrived.
        GigCompleted = "gig.completed",
        /// A gig's payout failed for good.
        GigFailed = "gig.failed",
        /// A special payment's money arrived.
        SpecialPaymentCompleted = "specialpayment.completed",
        /// A special payment failed for good.
        SpecialPaymentFailed = "specialpayment.failed",
    }
}

/// The object an event is about.
#[derive(Clone, Debug, PartialEq)]
pub enum EventData {
    /// For `customer.*` events.
    Customer(Customer),
    /// For `gig.*` events.
    Gig(Gig),
    /// For `specialpayment.*` events.
    SpecialPayment(SpecialPayment),
    /// For events of objects this SDK version does not know.
    Other(Value),
}

/// A verified webhook.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
    /// What happened.
    pub event: EventType,
    /// The object it happened to, typed.
    pub data: EventData,
}

impl WebhookEvent {
    /// A key that is the same for every delivery of the same change, for
    /// skipping repeated deliveries (payouts webhooks carry no id):
    /// `event:objectId:status`, e.g. `gig.completed:g1:SUCCESS`. The object
    /// id is a gig's `gigId`, a customer's `partnerUserId`, a special
    /// payment's `id` (for an unknown object, the first of those its data
    /// holds); the status is the object's, in canonical spelling. A part
    /// the event lacks is empty; `:` and `%` inside a part are escaped
    /// (`%3A`, `%25`), so different events never share a key.
    pub fn dedup_key(&self) -> String {
        let text = |value: &Value, key: &str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let (id, status) = match &self.data {
            EventData::Customer(c) => (
                c.partner_user_id.clone(),
                c.status.as_ref().map(|s| s.as_str().to_owned()),
            ),
            EventData::Gig(g) => (
                g.gig_id.clone(),
                g.status.as_ref().map(|s| s.as_str().to_owned()),
            ),
            EventData::SpecialPayment(p) => (
                p.id.clone(),
                p.status.as_ref().map(|s| s.as_str().to_owned()),
            ),
            EventData::Other(data) => (
                ["gigId", "partnerUserId", "id"]
                    .iter()
                    .map(|key| text(data, key))
                    .find(|id| !id.is_empty())
                    .unwrap_or_default(),
                Some(text(data, "status")),
            ),
        };
        let part = |text: &str| text.replace('%', "%25").replace(':', "%3A");
        format!(
            "{}:{}:{}",
            part(self.event.as_str()),
            part(&id),
            part(status.as_deref().unwrap_or_default())
        )
    }

    /// The event in the envelope's JSON shape, with `data` normalised like
    /// [`crate::Outcome::to_json`], plus `dedupKey` ([`WebhookEvent::dedup_key`]).
    pub fn to_json(&self) -> Value {
        let data = match &self.data {
            EventData::Customer(c) => c.to_json(),
            EventData::Gig(g) => g.to_json(),
            EventData::SpecialPayment(p) => p.to_json(),
            EventData::Other(v) => v.clone(),
        };
        let mut out = serde_json::Map::new();
        out.insert("event".to_owned(), self.event.as_str().into());
        out.insert("data".to_owned(), data);
        out.insert("dedupKey".to_owned(), self.dedup_key().into());
        Value::Object(out)
    }
}

/// Parses a webhook body **without verifying it**. Only for bodies already
/// verified (or in tests); servers use [`super::WebhookVerifier::construct_event`].
///
/// The envelope is `{"event": "<object>.<event>", "data": {...}}`. Known
/// events need `data` of their object's shape; unknown events of a known
/// object (`gig.refunded`) are typed when their data fits, and anything
/// else is kept as raw JSON, never refused.
pub fn parse_event(payload: &[u8]) -> Result<WebhookEvent, Error> {
    let payload_error = |message: String| Error::WebhookPayload { message };
    let envelope: Value = serde_json::from_slice(payload)
        .map_err(|e| payload_error(format!("the webhook body is not JSON: {e}")))?;
    let name = envelope
        .get("event")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| payload_error("the webhook body has no \"event\" name".to_owned()))?;
    let raw = envelope.get("data").cloned().unwrap_or(Value::Null);
    let event = EventType::parse(name);
    let object = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let typed = |raw: &Value| -> Option<Result<EventData, String>> {
        // Each model's own reader, as response bodies are read.
        let raw = raw.clone();
        match object.as_str() {
            "customer" => Some(Customer::from_json(raw).map(EventData::Customer)),
            "gig" => Some(Gig::from_json(raw).map(EventData::Gig)),
            "specialpayment" => Some(SpecialPayment::from_json(raw).map(EventData::SpecialPayment)),
            _ => None,
        }
    };
    let data = match (typed(&raw), &event) {
        (Some(Ok(data)), _) => data,
        (Some(Err(e)), known) if !matches!(known, EventType::Unknown(_)) => {
            return Err(payload_error(format!(
                "the data of a {known} webhook is not a valid {object}: {e}"
            )))
        }
        // Unknown objects, and unknown events whose data does not fit.
        _ => EventData::Other(raw),
    };
    Ok(WebhookEvent { event, data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_deliveries_share_a_dedup_key_and_changes_do_not() {
        let completed = br#"{"event":"gig.completed","data":{"gigId":"g1","status":"success"}}"#;
        let again = br#"{"data":{"status":"SUCCESS","gigId":"g1"},"event":"GIG.COMPLETED"}"#;
        let failed = br#"{"event":"gig.failed","data":{"gigId":"g1","status":"FAILED"}}"#;
        let key = |body: &[u8]| parse_event(body).unwrap().dedup_key();
        assert_eq!(key(completed), "gig.completed:g1:SUCCESS");
        assert_eq!(key(completed), key(again));
        assert_ne!(key(completed), key(failed));
        let event = parse_event(completed).unwrap();
        assert_eq!(event.to_json()["dedupKey"], "gig.completed:g1:SUCCESS");
        let payment =
            br#"{"event":"specialpayment.completed","data":{"id":"sp:1","status":"SUCCESS"}}"#;
        assert_eq!(key(payment), "specialpayment.completed:sp%3A1:SUCCESS");
    }
}
