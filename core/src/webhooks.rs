//! Webhook signatures and events (reference, *Webhooks*).
//!
//! Lean signs each webhook with HMAC-SHA1 over the request body, keyed with
//! the partner's secret, and sends the base64 digest in `x-lean-signature`.
//! The reference's own Node example gets this wrong (it never feeds the body
//! to the HMAC and compares with `==`); this module is the correct version:
//! the MAC is computed over the raw body bytes exactly as received, compared
//! in constant time, and checked before the body is parsed at all.

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha1::Sha1;

use crate::error::{Error, SignatureProblem};
use crate::models::{wire_enum, Customer, Gig, SpecialPayment};
use crate::secret::WebhookSecret;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-lean-signature";

/// Length of an HMAC-SHA1 digest.
const DIGEST_LEN: usize = 20;

/// Standard base64, padding optional: senders differ on it, the digest
/// does not.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The signature Lean would send for `payload`: base64 of its HMAC-SHA1
/// under `secret`. For tests and for the sandbox, which signs what it sends.
pub fn sign(secret: &WebhookSecret, payload: &[u8]) -> String {
    let mut mac = keyed(secret);
    mac.update(payload);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn keyed(secret: &WebhookSecret) -> Hmac<Sha1> {
    // HMAC accepts keys of any length, so this cannot fail.
    <Hmac<Sha1> as KeyInit>::new_from_slice(secret.expose())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

/// Verifies webhooks against one or more secrets. Build it once at start-up
/// and reuse it: each secret's HMAC key schedule is computed here, once,
/// instead of on every request. Several secrets are accepted at the same
/// time so that a secret can be rotated without dropping webhooks.
#[derive(Clone)]
pub struct WebhookVerifier {
    keys: Vec<Hmac<Sha1>>,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "WebhookVerifier({} secret(s), <redacted>)",
            self.keys.len()
        )
    }
}

impl WebhookVerifier {
    /// A verifier for these secrets. At least one is needed, and none may be
    /// empty (an empty key would accept signatures anyone can make).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a WebhookSecret>) -> Result<Self, Error> {
        let mut keys = Vec::new();
        for secret in secrets {
            if secret.expose().is_empty() {
                return Err(Error::configuration(
                    "a webhook secret is empty: pass the secret of the webhook endpoint (or the API key, for older integrations)",
                ));
            }
            keys.push(keyed(secret));
        }
        if keys.is_empty() {
            return Err(Error::configuration(
                "no webhook secret given: pass at least one",
            ));
        }
        Ok(Self { keys })
    }

    /// Checks `signature` (the `x-lean-signature` header value, `None` when
    /// the header is absent) against the raw `payload`, exactly as received:
    /// parse nothing before this, and never re-serialise the body.
    pub fn verify(&self, payload: &[u8], signature: Option<&str>) -> Result<(), Error> {
        let signature = signature.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
            signature_error(
                SignatureProblem::MissingHeader,
                "the x-lean-signature header is missing or empty: the request did not come from Lean, or a proxy dropped the header",
            )
        })?;
        let mut digest = [0u8; DIGEST_LEN + 3];
        let decoded = match BASE64.decode_slice(signature, &mut digest) {
            Ok(n) if n == DIGEST_LEN => &digest[..DIGEST_LEN],
            _ => {
                return Err(signature_error(
                    SignatureProblem::MalformedHeader,
                    "the x-lean-signature header is not a base64 HMAC-SHA1 digest (28 characters such as \"2jmj7l5rSw0yVb/vlWAYkK/YBwk=\")",
                ))
            }
        };
        // `verify_slice` compares in constant time. Every key is tried, so
        // the time taken does not depend on which one matched.
        let mut matched = false;
        for key in &self.keys {
            let mut mac = key.clone();
            mac.update(payload);
            matched |= mac.verify_slice(decoded).is_ok();
        }
        if matched {
            Ok(())
        } else {
            Err(signature_error(
                SignatureProblem::Mismatch,
                "the webhook signature does not match: check the secret, and verify the raw request body exactly as received (not a re-serialised JSON object)",
            ))
        }
    }

    /// Verifies, then parses the body into a [`WebhookEvent`].
    pub fn construct_event(
        &self,
        payload: &[u8],
        signature: Option<&str>,
    ) -> Result<WebhookEvent, Error> {
        self.verify(payload, signature)?;
        parse_event(payload)
    }
}

/// One-off [`WebhookVerifier::verify`]; prefer a reused verifier in servers.
pub fn verify(
    secrets: &[WebhookSecret],
    payload: &[u8],
    signature: Option<&str>,
) -> Result<(), Error> {
    WebhookVerifier::new(secrets)?.verify(payload, signature)
}

/// One-off [`WebhookVerifier::construct_event`].
pub fn construct_event(
    secrets: &[WebhookSecret],
    payload: &[u8],
    signature: Option<&str>,
) -> Result<WebhookEvent, Error> {
    WebhookVerifier::new(secrets)?.construct_event(payload, signature)
}

fn signature_error(problem: SignatureProblem, message: &str) -> Error {
    Error::WebhookSignature {
        problem,
        message: message.to_owned(),
    }
}

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
    /// The event in the envelope's JSON shape, with `data` normalised like
    /// [`crate::Outcome::to_json`].
    pub fn to_json(&self) -> Value {
        let data = match &self.data {
            EventData::Customer(c) => serde_json::to_value(c),
            EventData::Gig(g) => serde_json::to_value(g),
            EventData::SpecialPayment(p) => serde_json::to_value(p),
            EventData::Other(v) => Ok(v.clone()),
        }
        .unwrap_or(Value::Null);
        serde_json::json!({ "event": self.event.as_str(), "data": data })
    }
}

/// Parses a webhook body **without verifying it**. Only for bodies already
/// verified (or in tests); servers use [`WebhookVerifier::construct_event`].
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
        fn as_type<T: DeserializeOwned>(
            raw: &Value,
            wrap: fn(T) -> EventData,
        ) -> Result<EventData, String> {
            T::deserialize(raw).map(wrap).map_err(|e| e.to_string())
        }
        match object.as_str() {
            "customer" => Some(as_type(raw, EventData::Customer)),
            "gig" => Some(as_type(raw, EventData::Gig)),
            "specialpayment" => Some(as_type(raw, EventData::SpecialPayment)),
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
