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
use hmac::digest::CtOutput;
use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha1::{Digest, Sha1};

use crate::error::{Error, SignatureProblem};
use crate::models::{wire_enum, Customer, Gig, SpecialPayment};
use crate::secret::WebhookSecret;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-lean-signature";

/// Length of an HMAC-SHA1 digest.
pub const DIGEST_LEN: usize = 20;

/// SHA-1's block size: the length of an HMAC key block (RFC 2104).
pub const KEY_BLOCK_LEN: usize = 64;

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
    keys: Vec<Key>,
}

/// One secret's HMAC-SHA1 key, kept whole for [`WebhookVerifier::verify`]
/// and split at the body (RFC 2104) for
/// [`WebhookVerifier::verify_inner_digests`].
#[derive(Clone)]
struct Key {
    /// The HMAC with its key schedule done.
    mac: Hmac<Sha1>,
    /// The key block XOR `0x36`: what goes before the body in the inner
    /// hash.
    inner_pad: [u8; KEY_BLOCK_LEN],
    /// SHA-1 fed with the key block XOR `0x5c`: the outer hash, waiting
    /// for the inner digest.
    outer: Sha1,
}

impl Key {
    fn new(secret: &WebhookSecret) -> Self {
        // The key block as HMAC defines it: keys longer than a block are
        // hashed first, shorter ones padded with zeros.
        let mut block = [0u8; KEY_BLOCK_LEN];
        let key = secret.expose();
        if key.len() > KEY_BLOCK_LEN {
            block[..DIGEST_LEN].copy_from_slice(&Sha1::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let inner_pad = block.map(|b| b ^ 0x36);
        let mut outer = Sha1::new();
        outer.update(block.map(|b| b ^ 0x5c));
        Self {
            mac: keyed(secret),
            inner_pad,
            outer,
        }
    }
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
            keys.push(Key::new(secret));
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
        let expected = expected_digest(signature)?;
        // Every key is tried, so the time taken does not depend on which
        // one matched.
        let mut matched = false;
        for key in &self.keys {
            let mut mac = key.mac.clone();
            mac.update(payload);
            matched |= same_digest(mac.finalize().into_bytes().into(), &expected);
        }
        matched_or_error(matched)
    }

    /// Each secret's HMAC inner key block (the key block XOR `0x36`, RFC
    /// 2104), in the order the secrets were given, for hosts that hash the
    /// body with their own SHA-1: Node's `node:crypto` uses the CPU's SHA
    /// instructions, which WebAssembly lacks, and runs 2x to 3x faster on
    /// large bodies. Secret material: never log or show it.
    pub fn inner_pads(&self) -> impl ExactSizeIterator<Item = &[u8; KEY_BLOCK_LEN]> {
        self.keys.iter().map(|key| &key.inner_pad)
    }

    /// [`Self::verify`] for a body the host hashed itself: `inner_digests`
    /// holds SHA-1(inner pad ‖ body) for each secret, in the order of
    /// [`Self::inner_pads`]. Reading the header, finishing each HMAC, trying
    /// every secret and the constant-time comparison are the same as in
    /// `verify`, and so are the errors. A count that is not one digest per
    /// secret is a `configuration` error.
    pub fn verify_inner_digests(
        &self,
        inner_digests: &[[u8; DIGEST_LEN]],
        signature: Option<&str>,
    ) -> Result<(), Error> {
        let expected = expected_digest(signature)?;
        if inner_digests.len() != self.keys.len() {
            return Err(Error::configuration(
                "one inner digest per webhook secret is needed",
            ));
        }
        let mut matched = false;
        for (key, inner) in self.keys.iter().zip(inner_digests) {
            let mut outer = key.outer.clone();
            outer.update(inner);
            matched |= same_digest(outer.finalize().into(), &expected);
        }
        matched_or_error(matched)
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

/// The digest the `x-lean-signature` header carries: standard base64 of 20
/// bytes, padding optional, surrounding white space ignored.
fn expected_digest(signature: Option<&str>) -> Result<[u8; DIGEST_LEN], Error> {
    let signature = signature.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
        signature_error(
            SignatureProblem::MissingHeader,
            "the x-lean-signature header is missing or empty: the request did not come from Lean, or a proxy dropped the header",
        )
    })?;
    let mut digest = [0u8; DIGEST_LEN + 3];
    match BASE64.decode_slice(signature, &mut digest) {
        Ok(n) if n == DIGEST_LEN => {
            let mut expected = [0u8; DIGEST_LEN];
            expected.copy_from_slice(&digest[..DIGEST_LEN]);
            Ok(expected)
        }
        _ => Err(signature_error(
            SignatureProblem::MalformedHeader,
            "the x-lean-signature header is not a base64 HMAC-SHA1 digest (28 characters such as \"2jmj7l5rSw0yVb/vlWAYkK/YBwk=\")",
        )),
    }
}

/// Compares two digests in constant time (`subtle`, through `digest`'s
/// `CtOutput`), so that the time taken says nothing about how many leading
/// bytes of a forged signature were right.
fn same_digest(computed: [u8; DIGEST_LEN], expected: &[u8; DIGEST_LEN]) -> bool {
    CtOutput::<Sha1>::new(computed.into()) == CtOutput::<Sha1>::new((*expected).into())
}

fn matched_or_error(matched: bool) -> Result<(), Error> {
    if matched {
        Ok(())
    } else {
        Err(signature_error(
            SignatureProblem::Mismatch,
            "the webhook signature does not match: check the secret, and verify the raw request body exactly as received (not a re-serialised JSON object)",
        ))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a host hashing the body itself computes per secret.
    fn inner_digests(verifier: &WebhookVerifier, payload: &[u8]) -> Vec<[u8; DIGEST_LEN]> {
        verifier
            .inner_pads()
            .map(|pad| {
                Sha1::new()
                    .chain_update(pad)
                    .chain_update(payload)
                    .finalize()
                    .into()
            })
            .collect()
    }

    #[test]
    fn inner_digests_give_the_same_answers_as_verify() {
        // Keys shorter than, as long as and longer than a block (hashed first).
        let secrets: Vec<WebhookSecret> = [1, 22, 63, 64, 65, 200]
            .iter()
            .map(|&n| WebhookSecret::new((0..n).map(|i| (i * 7 + n) as u8).collect::<Vec<_>>()))
            .collect();
        let bodies: [&[u8]; 4] = [
            b"",
            b"{\"event\":\"gig.completed\",\"data\":{}}",
            &[0xff; 55],
            &[b'x'; 5000],
        ];
        for (i, secret) in secrets.iter().enumerate() {
            // Alone, and as the second of two during a rotation.
            let other = WebhookSecret::from("whsec_other");
            for verifier in [
                WebhookVerifier::new([secret]).unwrap(),
                WebhookVerifier::new([&other, secret]).unwrap(),
            ] {
                for body in bodies {
                    let good = sign(secret, body);
                    let wrong = sign(&secrets[(i + 1) % secrets.len()], body);
                    let digests = inner_digests(&verifier, body);
                    for header in [
                        Some(good.as_str()),
                        Some(good.trim_end_matches('=')),
                        Some(wrong.as_str()),
                        None,
                        Some(" "),
                        Some("bm90IGEgZGlnZXN0"),
                    ] {
                        let whole = verifier.verify(body, header).map_err(|e| e.to_json());
                        let split = verifier
                            .verify_inner_digests(&digests, header)
                            .map_err(|e| e.to_json());
                        assert_eq!(
                            whole,
                            split,
                            "key of {} bytes, header {header:?}",
                            secret.expose().len()
                        );
                    }
                    assert!(verifier.verify_inner_digests(&digests, Some(&good)).is_ok());
                    assert!(verifier
                        .verify_inner_digests(&digests[1..], Some(&good))
                        .is_err());
                }
            }
        }
    }
}
