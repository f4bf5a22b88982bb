//! Open-banking webhooks: the `lean-signature` check and typed events.
//!
//! Lean signs each webhook with HMAC-SHA512 over the raw request body, keyed
//! with the application's webhook secret (not the client secret), and sends
//! `lean-signature: sha512=<digest>`. The documents do not say whether the
//! digest is hex or base64, so both are accepted: 128 hex digits, or 88
//! base64 characters (standard or URL-safe alphabet, padding optional).
//! The MAC is computed over the body exactly as received, compared in
//! constant time against every configured secret (for rotation), and
//! checked before the body is parsed at all.
//!
//! **Receivers must answer HTTP 200** to every webhook they accept: Lean
//! counts anything else, or no answer within 10 seconds, as a failure,
//! retries after 1, 2, 5, 10, 60 and 180 minutes ([`RETRY_SCHEDULE`]), and
//! delays later webhooks meanwhile. Retries mean duplicates: de-duplicate on
//! [`WebhookEvent::event_id`].

use std::time::Duration;

use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::Sha512;

use super::entity::Entity;
use crate::error::{Error, SignatureProblem};
use crate::secret::WebhookSecret;
use crate::wire::wire_enum;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "lean-signature";

/// The prefix of the header's value, naming the algorithm.
pub const SIGNATURE_PREFIX: &str = "sha512=";

/// The status a receiver must answer to acknowledge a webhook.
pub const ACKNOWLEDGE_STATUS: u16 = 200;

/// When Lean retries an unacknowledged webhook, after the first attempt.
pub const RETRY_SCHEDULE: [Duration; 6] = [
    Duration::from_secs(60),
    Duration::from_secs(2 * 60),
    Duration::from_secs(5 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(180 * 60),
];

const DIGEST_LEN: usize = 64;

const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

const BASE64_URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn keyed(secret: &WebhookSecret) -> Hmac<Sha512> {
    <Hmac<Sha512> as KeyInit>::new_from_slice(secret.expose())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

/// The header value Lean would send for `payload`, `sha512=<hex digest>`,
/// signed with `secret`. For tests and emulators.
pub fn sign(secret: &WebhookSecret, payload: &[u8]) -> String {
    let mut mac = keyed(secret);
    mac.update(payload);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(SIGNATURE_PREFIX.len() + 2 * DIGEST_LEN);
    out.push_str(SIGNATURE_PREFIX);
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Verifies open-banking webhooks against one or more secrets. Build it
/// once and reuse it: each secret's key schedule is computed here, once.
#[derive(Clone)]
pub struct WebhookVerifier {
    keys: Vec<Hmac<Sha512>>,
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
    /// A verifier for these secrets: at least one, none empty (an empty key
    /// would accept signatures anyone can make).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a WebhookSecret>) -> Result<Self, Error> {
        let mut keys = Vec::new();
        for secret in secrets {
            if secret.expose().is_empty() {
                return Err(Error::Configuration {
                    message: "a webhook secret is empty: pass the webhook secret from the Lean developer portal (not the client secret)".to_owned(),
                });
            }
            keys.push(keyed(secret));
        }
        if keys.is_empty() {
            return Err(Error::Configuration {
                message: "no webhook secret given: pass at least one".to_owned(),
            });
        }
        Ok(Self { keys })
    }

    /// Checks `signature` (the `lean-signature` value, `None` when the
    /// header is absent) against the raw `payload` exactly as received.
    pub fn verify(&self, payload: &[u8], signature: Option<&str>) -> Result<(), Error> {
        let value = signature.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
            signature_error(
                SignatureProblem::MissingHeader,
                "the lean-signature header is missing or empty: the request did not come from Lean, or a proxy dropped the header",
            )
        })?;
        let digest = decode(value).ok_or_else(|| {
            signature_error(
                SignatureProblem::MalformedHeader,
                "the lean-signature header is not \"sha512=\" followed by an HMAC-SHA512 digest in hex (128 digits) or base64",
            )
        })?;
        // Every key is tried, so the time does not depend on which matched;
        // `verify_slice` compares in constant time.
        let mut matched = false;
        for key in &self.keys {
            let mut mac = key.clone();
            mac.update(payload);
            matched |= mac.verify_slice(&digest).is_ok();
        }
        if matched {
            Ok(())
        } else {
            Err(signature_error(
                SignatureProblem::Mismatch,
                "the webhook signature does not match: check the webhook secret, and verify the raw request body exactly as received (not a re-serialised JSON object)",
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

/// The 64 digest bytes of a header value, or `None` when malformed.
fn decode(value: &str) -> Option<[u8; DIGEST_LEN]> {
    let (prefix, digest) = value.split_at_checked(SIGNATURE_PREFIX.len())?;
    if !prefix.eq_ignore_ascii_case(SIGNATURE_PREFIX) {
        return None;
    }
    let digest = digest.trim();
    let mut out = [0u8; DIGEST_LEN];
    if digest.len() == 2 * DIGEST_LEN && digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        for (i, pair) in digest.as_bytes().chunks_exact(2).enumerate() {
            let hex = std::str::from_utf8(pair).ok()?;
            out[i] = u8::from_str_radix(hex, 16).ok()?;
        }
        return Some(out);
    }
    let mut buffer = [0u8; DIGEST_LEN + 3];
    for engine in [&BASE64, &BASE64_URL] {
        if let Ok(DIGEST_LEN) = engine.decode_slice(digest, &mut buffer) {
            out.copy_from_slice(&buffer[..DIGEST_LEN]);
            return Some(out);
        }
    }
    None
}

fn signature_error(problem: SignatureProblem, message: &str) -> Error {
    Error::WebhookSignature {
        problem,
        message: message.to_owned(),
    }
}

/// One-off [`WebhookVerifier::construct_event`]; servers should reuse a
/// verifier.
pub fn construct_event(
    secrets: &[WebhookSecret],
    payload: &[u8],
    signature: Option<&str>,
) -> Result<WebhookEvent, Error> {
    WebhookVerifier::new(secrets)?.construct_event(payload, signature)
}

wire_enum! {
    /// The `type` of a webhook. Lean documents more types than these; any
    /// other is kept as `Unknown` with its payload as JSON.
    EventType {
        /// Asynchronous data is ready: fetch `payload.id` with
        /// `getDataResults`.
        ResultsReady = "results.ready",
        /// A customer connected a bank.
        EntityCreated = "entity.created",
        /// A payment was made against an intent.
        PaymentCreated = "payment.created",
        /// A payment changed status.
        PaymentUpdated = "payment.updated",
    }
}

/// The payload of `results.ready`.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct ResultsReady {
    /// The results id, for `getDataResults`.
    pub id: String,
    /// Fields this SDK version does not know.
    #[serde(flatten)]
    #[cfg_attr(feature = "tsify", tsify(type = "Record<string, unknown>"))]
    pub extra: Map<String, Value>,
}

/// A webhook's payload, typed where the documents give its shape.
#[derive(Clone, Debug, PartialEq)]
pub enum EventPayload {
    /// For `results.ready`.
    ResultsReady(ResultsReady),
    /// For `entity.*`.
    Entity(Entity),
    /// Anything else, as sent.
    Other(Value),
}

/// A verified open-banking webhook.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
    /// What happened (`results.ready`).
    pub event_type: EventType,
    /// What it happened to.
    pub payload: EventPayload,
    /// Lean's description.
    pub message: Option<String>,
    /// When it happened, as sent.
    pub timestamp: Option<String>,
    /// Lean's unique id of the event: the same on every retry, so store it
    /// and ignore an event already seen.
    pub event_id: Option<String>,
    /// Envelope fields this SDK version does not know.
    pub extra: Map<String, Value>,
}

impl WebhookEvent {
    /// The event in the envelope's own JSON shape, with the payload
    /// normalised like a response value.
    pub fn to_json(&self) -> Value {
        let mut out = self.extra.clone();
        out.insert("type".to_owned(), self.event_type.as_str().into());
        let payload = match &self.payload {
            EventPayload::ResultsReady(r) => serde_json::to_value(r),
            EventPayload::Entity(e) => serde_json::to_value(e),
            EventPayload::Other(v) => Ok(v.clone()),
        }
        .unwrap_or(Value::Null);
        out.insert("payload".to_owned(), payload);
        for (key, value) in [
            ("message", &self.message),
            ("timestamp", &self.timestamp),
            ("event_id", &self.event_id),
        ] {
            if let Some(v) = value {
                out.insert(key.to_owned(), v.clone().into());
            }
        }
        Value::Object(out)
    }
}

/// Parses a webhook body **without verifying it**: only for bodies already
/// verified, or tests. Known types need a payload of their shape; unknown
/// types are kept with their payload as JSON, never refused.
pub fn parse_event(payload: &[u8]) -> Result<WebhookEvent, Error> {
    let error = |message: String| Error::WebhookPayload { message };
    let envelope: Value = serde_json::from_slice(payload)
        .map_err(|e| error(format!("the webhook body is not JSON: {e}")))?;
    let Value::Object(mut map) = envelope else {
        return Err(error("the webhook body is not a JSON object".to_owned()));
    };
    let event_type = match map.remove("type") {
        Some(Value::String(t)) if !t.trim().is_empty() => EventType::parse(t.trim()),
        _ => return Err(error("the webhook body has no \"type\"".to_owned())),
    };
    // Text fields that arrive as anything else (an epoch number) stay in
    // `extra`, exactly as sent, rather than failing the event.
    let mut text = |key: &str| -> Option<String> {
        match map.get(key) {
            Some(Value::String(_)) => match map.remove(key) {
                Some(Value::String(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    };
    let message = text("message");
    let timestamp = text("timestamp");
    let event_id = text("event_id");
    let raw = map.remove("payload").unwrap_or(Value::Null);
    let typed = match &event_type {
        EventType::ResultsReady => Some(
            serde_json::from_value(raw.clone())
                .map(EventPayload::ResultsReady)
                .map_err(|e| e.to_string()),
        ),
        EventType::EntityCreated => Some(
            serde_json::from_value(raw.clone())
                .map(EventPayload::Entity)
                .map_err(|e| e.to_string()),
        ),
        _ => None,
    };
    let payload = match typed {
        Some(Ok(p)) => p,
        Some(Err(e)) => {
            return Err(error(format!(
                "the payload of a {event_type} webhook is not of its documented shape: {e}"
            )))
        }
        None => EventPayload::Other(raw),
    };
    Ok(WebhookEvent {
        event_type,
        payload,
        message,
        timestamp,
        event_id,
        extra: map,
    })
}
