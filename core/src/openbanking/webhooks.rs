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
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha512;

use super::data::exact_numbers;
use super::entity::Entity;
use super::payment::{optional_amount, Payment};
use super::response_model::response_model;
use crate::error::{Error, SignatureProblem};
use crate::money::Amount;
use crate::secret::WebhookSecret;
use crate::signature::{header_value, refused, Keys};
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
#[derive(Clone, Debug)]
pub struct WebhookVerifier(Keys<Hmac<Sha512>>);

impl WebhookVerifier {
    /// A verifier for these secrets: at least one, none empty (an empty key
    /// would accept signatures anyone can make).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a WebhookSecret>) -> Result<Self, Error> {
        let keys = Keys::new(
            secrets,
            "a webhook secret is empty: pass the webhook secret from the Lean developer portal (not the client secret)",
            keyed,
        )?;
        Ok(Self(keys))
    }

    /// Checks `signature` (the `lean-signature` value, `None` when the
    /// header is absent) against the raw `payload` exactly as received.
    pub fn verify(&self, payload: &[u8], signature: Option<&str>) -> Result<(), Error> {
        let value = header_value(
            signature,
            "the lean-signature header is missing or empty: the request did not come from Lean, or a proxy dropped the header",
        )?;
        let digest = decode(value).ok_or_else(|| {
            refused(
                SignatureProblem::MalformedHeader,
                "the lean-signature header is not \"sha512=\" followed by an HMAC-SHA512 digest in hex (128 digits) or base64",
            )
        })?;
        // `verify_slice` compares in constant time.
        self.0.check(|key| {
            let mut mac = key.clone();
            mac.update(payload);
            mac.verify_slice(&digest).is_ok()
        })
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
    EventType as ObEventType {
        /// Asynchronous data is ready: fetch `payload.id` with
        /// `getDataResults`.
        ResultsReady = "results.ready",
        /// A customer connected a bank.
        EntityCreated = "entity.created",
        /// A payment was made against an intent.
        PaymentCreated = "payment.created",
        /// A payment changed status.
        PaymentUpdated = "payment.updated",
        /// A payment intent was created.
        PaymentIntentCreated = "payment_intent.created",
        /// A customer connected a bank account to pay from.
        PaymentSourceCreated = "payment_source.created",
        /// A beneficiary was added to a payment source.
        PaymentSourceBeneficiaryCreated = "payment_source.beneficiary.created",
        /// A refresh of an entity's data progressed or finished.
        EntityDataRefreshUpdated = "entity.data.refresh.updated",
        /// A bank's payments or data became available or unavailable
        /// (KSA).
        BankAvailabilityUpdated = "bank.availability.updated",
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

response_model! {
    /// The payload of `payment_intent.created`. Not the API's
    /// [`super::PaymentIntent`]: the webhook names the id `intent_id` and adds
    /// the status, so it is kept in its own shape.
    pub struct PaymentIntentCreated as "ObPaymentIntentCreated" {
        /// Lean's id of the intent (`payment_intent_id` in API answers).
        pub intent_id: String,
        /// The amount, exact (sent as a JSON number, never read as a float).
        #[serde(default, deserialize_with = "optional_amount")]
        #[cfg_attr(feature = "tsify", tsify(type = "string"))]
        pub amount: Option<Amount>,
        /// The currency, as sent.
        pub currency: Option<String>,
        /// `INTENT_CREATED`, or a status Lean adds later, as sent.
        pub status: Option<String>,
        /// The reason given for the payment, as sent.
        pub reason: Option<String>,
        /// The paying customer, when sent.
        pub customer_id: Option<String>,
        /// The application's metadata, as sent.
        #[cfg_attr(feature = "tsify", tsify(type = "Record<string, unknown>"))]
        // The hosts name JSON text fields `...Json`.
        #[cfg_attr(feature = "uniffi", uniffi(name = "metadata_json"))]
        pub metadata: Option<Map<String, Value>>,
    }
}

response_model! {
    /// The payload of `payment_source.created` and
    /// `payment_source.beneficiary.created`: a customer's bank account that
    /// payments are made from.
    pub struct PaymentSource as "ObPaymentSource" {
        /// Lean's id of the payment source.
        pub id: String,
        /// Its status, as sent.
        pub status: Option<String>,
        /// The customer it belongs to.
        pub customer_id: Option<String>,
        /// The end user, when Lean knows one (often `null`).
        pub end_user_id: Option<String>,
        /// Lean's code of the bank.
        pub bank_identifier: Option<String>,
        /// The bank's name for display.
        pub bank_name: Option<String>,
    }
}

response_model! {
    /// The payload of `entity.data.refresh.updated`: how far a refresh of an
    /// entity's data got, per kind of data and per account.
    pub struct DataRefresh as "ObDataRefresh" {
        /// Lean's id of the refresh.
        pub refresh_id: String,
        /// The entity refreshed.
        pub entity_id: String,
        /// The refresh's status, as sent.
        pub status: Option<String>,
        /// The customer.
        pub customer_id: Option<String>,
        /// The application's own id of the user.
        pub app_user_id: Option<String>,
        /// What could be refreshed.
        pub data_status: Option<DataRefreshStatus>,
    }
}

response_model! {
    /// What a data refresh could read: each kind `OK` or `UNSUPPORTED` (as
    /// sent, so a value Lean adds later still reads).
    pub struct DataRefreshStatus as "ObDataRefreshStatus" {
        /// The account list.
        pub accounts: Option<String>,
        /// Identity data.
        pub identity: Option<String>,
        /// Per account.
        #[serde(
            default,
            deserialize_with = "null_as_empty",
            skip_serializing_if = "Vec::is_empty"
        )]
        pub account_data: Vec<AccountDataStatus>,
    }
}

response_model! {
    /// What a data refresh could read for one account.
    pub struct AccountDataStatus as "ObAccountDataStatus" {
        /// The account.
        pub account_id: Option<String>,
        /// Balances.
        pub balance: Option<String>,
        /// The account holder's identity.
        pub identity: Option<String>,
        /// Transactions.
        pub transactions: Option<String>,
        /// Beneficiaries.
        pub beneficiaries: Option<String>,
        /// Direct debits.
        pub direct_debits: Option<String>,
        /// Standing orders.
        pub standing_orders: Option<String>,
        /// Scheduled payments.
        pub scheduled_payments: Option<String>,
        /// Which period of transactions the bank gave.
        pub transaction_availability: Option<TransactionAvailability>,
    }
}

response_model! {
    /// The period of transactions a bank gave for an account.
    pub struct TransactionAvailability as "ObTransactionAvailability" {
        /// The first day, as sent.
        pub start: Option<String>,
        /// The last day, as sent.
        pub end: Option<String>,
        /// How many whole months that covers.
        pub complete_months: Option<u32>,
    }
}

response_model! {
    /// The payload of `bank.availability.updated` (KSA): whether a bank's
    /// payments and data are turned on (`enabled`) and working (`active`).
    pub struct BankAvailability as "ObBankAvailability" {
        /// Lean's code of the bank, as in [`super::Bank::identifier`].
        pub identifier: String,
        /// What works now.
        pub availability: Option<Availability>,
    }
}

response_model! {
    /// A bank's services, as turned on and as working.
    pub struct Availability as "ObAvailability" {
        /// Working now.
        pub active: Option<Services>,
        /// Turned on for the application.
        pub enabled: Option<Services>,
    }
}

response_model! {
    /// Payments and data, each on or off (`None` when not sent).
    pub struct Services as "ObServices" {
        /// Payments.
        pub payments: Option<bool>,
        /// Data.
        pub data: Option<bool>,
    }
}

/// `null` reads as an empty list, as an absent field does.
fn null_as_empty<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A webhook's payload, typed where the documents give its shape.
#[derive(Clone, Debug, PartialEq)]
pub enum EventPayload {
    /// For `results.ready`.
    ResultsReady(ResultsReady),
    /// For `entity.created`.
    Entity(Entity),
    /// For `payment.created` and `payment.updated`.
    Payment(Payment),
    /// For `payment_intent.created`.
    PaymentIntent(PaymentIntentCreated),
    /// For `payment_source.created` and
    /// `payment_source.beneficiary.created`.
    PaymentSource(PaymentSource),
    /// For `entity.data.refresh.updated`.
    DataRefresh(DataRefresh),
    /// For `bank.availability.updated`.
    BankAvailability(BankAvailability),
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
            EventPayload::Payment(p) => serde_json::to_value(p),
            EventPayload::PaymentIntent(p) => serde_json::to_value(p),
            EventPayload::PaymentSource(p) => serde_json::to_value(p),
            EventPayload::DataRefresh(r) => serde_json::to_value(r),
            EventPayload::BankAvailability(b) => serde_json::to_value(b),
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
/// verified, or tests.
///
/// Unknown types are kept with their payload as JSON, never refused. A
/// known type whose payload is not of its documented shape (no `id`, an
/// amount with three decimals, text where a flag belongs) is refused with
/// [`Error::WebhookPayload`] naming the field (`payload.amount`), so the
/// receiver does not answer 200 and Lean delivers the event again rather
/// than it being half-read; unknown fields are kept, never refused. The
/// numbers of a typed payload are read as their exact text, so an amount
/// (`12.34`) never passes through a binary float.
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
        EventType::ResultsReady => Some(typed(payload, EventPayload::ResultsReady)),
        EventType::EntityCreated => Some(typed(payload, EventPayload::Entity)),
        EventType::PaymentCreated | EventType::PaymentUpdated => {
            Some(typed(payload, EventPayload::Payment))
        }
        EventType::PaymentIntentCreated => Some(typed(payload, EventPayload::PaymentIntent)),
        EventType::PaymentSourceCreated | EventType::PaymentSourceBeneficiaryCreated => {
            Some(typed(payload, EventPayload::PaymentSource))
        }
        EventType::EntityDataRefreshUpdated => Some(typed(payload, EventPayload::DataRefresh)),
        EventType::BankAvailabilityUpdated => Some(typed(payload, EventPayload::BankAvailability)),
        EventType::Unknown(_) => None,
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

/// Reads the `payload` of the (valid JSON) `body` as `T`, its numbers as
/// their exact text; a failure names the field at fault.
fn typed<T: DeserializeOwned>(
    body: &[u8],
    wrap: impl FnOnce(T) -> EventPayload,
) -> Result<EventPayload, String> {
    let mut envelope: Value = serde_json::from_slice(&exact_numbers(body))
        .map_err(|e| format!("the webhook body is not JSON: {e}"))?;
    let mut raw = envelope
        .get_mut("payload")
        .map(Value::take)
        .unwrap_or(Value::Null);
    match serde_json::from_value::<T>(raw.clone()) {
        Ok(value) => Ok(wrap(value)),
        Err(e) if e.to_string().starts_with("missing field") => Err(format!("payload: {e}")),
        Err(e) => match blame::<T>(&mut raw) {
            Some(path) => Err(format!("payload.{path}: {e}")),
            None => Err(format!("payload: {e}")),
        },
    }
}

/// The path (`amount`, `data_status.account_data[0].balance`) of the value
/// that keeps `value` from reading as `T`: the deepest one whose removal
/// lets it read, or turns the error into its own "missing field". Only on
/// the error path, so its cost does not matter.
fn blame<T: DeserializeOwned>(value: &mut Value) -> Option<String> {
    fn child<'a>(value: &'a mut Value, path: &[PathStep]) -> &'a mut Value {
        path.iter().fold(value, |v, step| match step {
            PathStep::Key(k) => &mut v[k.as_str()],
            PathStep::Index(i) => &mut v[*i],
        })
    }
    let mut path: Vec<PathStep> = Vec::new();
    loop {
        let steps: Vec<PathStep> = match child(value, &path) {
            Value::Object(map) => map.keys().cloned().map(PathStep::Key).collect(),
            Value::Array(items) => (0..items.len()).map(PathStep::Index).collect(),
            _ => break,
        };
        let mut found = None;
        for step in steps {
            let parent = child(value, &path).clone();
            let mut without = parent.clone();
            match (&mut without, &step) {
                (Value::Object(map), PathStep::Key(k)) => {
                    map.remove(k);
                }
                (Value::Array(items), PathStep::Index(i)) => {
                    items.remove(*i);
                }
                _ => continue,
            }
            *child(value, &path) = without;
            let outcome = serde_json::from_value::<T>(value.clone());
            *child(value, &path) = parent;
            let culprit = match (outcome, &step) {
                (Ok(_), _) => true,
                (Err(e), PathStep::Key(k)) => {
                    e.to_string().starts_with(&format!("missing field `{k}`"))
                }
                (Err(_), PathStep::Index(_)) => false,
            };
            if culprit {
                found = Some(step);
                break;
            }
        }
        match found {
            Some(step) => path.push(step),
            None => break,
        }
    }
    if path.is_empty() {
        return None;
    }
    let mut out = String::new();
    for step in path {
        match step {
            PathStep::Key(k) if out.is_empty() => out.push_str(&k),
            PathStep::Key(k) => {
                out.push('.');
                out.push_str(&k);
            }
            PathStep::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    Some(out)
}

enum PathStep {
    Key(String),
    Index(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(body: &str) -> String {
        match parse_event(body.as_bytes()) {
            Err(Error::WebhookPayload { message }) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn an_entity_created_names_the_applications_user() {
        let body = r#"{"type":"entity.created","payload":{"id":"e-1","app_user_id":"user-1042","permissions":["identity"]}}"#;
        let EventPayload::Entity(entity) = parse_event(body.as_bytes()).unwrap().payload else {
            panic!("not an entity");
        };
        assert_eq!(entity.app_user_id.as_deref(), Some("user-1042"));
        assert!(entity.extra.is_empty());
    }

    #[test]
    fn a_refusal_names_the_field_at_fault() {
        let message = refused(r#"{"type":"payment.created","payload":{"id":"p","amount":1.005}}"#);
        assert!(message.contains("payload.amount:"), "{message}");
        let message = refused(r#"{"type":"payment.updated","payload":{"amount":1}}"#);
        assert!(message.contains("missing field `id`"), "{message}");
        let message = refused(
            r#"{"type":"entity.data.refresh.updated","payload":{"refresh_id":"r","entity_id":"e","data_status":{"account_data":[{"balance":"OK"},{"balance":true}]}}}"#,
        );
        assert!(
            message.contains("payload.data_status.account_data[1].balance:"),
            "{message}"
        );
        let message = refused(r#"{"type":"bank.availability.updated","payload":null}"#);
        assert!(message.contains("payload:"), "{message}");
    }

    #[test]
    fn amounts_are_read_from_their_exact_text() {
        // Values a float would alter, and the largest amount, read exactly.
        for (sent, read) in [("0.3", "0.30"), ("999999999999.99", "999999999999.99")] {
            let body = format!(
                r#"{{"type":"payment_intent.created","payload":{{"intent_id":"i","amount":{sent}}}}}"#
            );
            let event = parse_event(body.as_bytes()).unwrap();
            let EventPayload::PaymentIntent(intent) = &event.payload else {
                panic!("{event:?}")
            };
            assert_eq!(intent.amount.unwrap().to_string(), read);
            assert_eq!(event.to_json()["payload"]["amount"], read);
        }
    }

    #[test]
    fn unknown_types_keep_their_numbers_as_sent() {
        let event =
            parse_event(br#"{"type":"payment.reconciliation.updated","payload":{"rate":1.5}}"#)
                .unwrap();
        assert_eq!(
            event.payload,
            EventPayload::Other(serde_json::json!({"rate": 1.5}))
        );
    }
}
