//! Open-banking webhooks: `lean-signature: sha512=<digest>` (HMAC-SHA512
//! over the raw body, hex or base64), verified in constant time against
//! every current secret before anything is parsed (the core's rules).

use std::sync::Arc;

use lean_core::openbanking::webhooks::{self as obw, EventPayload};

use crate::error::{guard, Result};
use crate::models::DecimalAmount;

fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// The payload of `payment_intent.created`.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObPaymentIntentCreated {
    /// Lean's id of the intent (`paymentIntentId` of API answers).
    pub intent_id: String,
    /// The amount, exact.
    pub amount: Option<DecimalAmount>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// `INTENT_CREATED`, as sent.
    pub status: Option<String>,
    /// The reason given for the payment.
    pub reason: Option<String>,
    /// The paying customer, when sent.
    pub customer_id: Option<String>,
    /// The application's metadata, as JSON text.
    pub metadata_json: Option<String>,
    /// The whole payload in the API's shape.
    pub json: String,
}

/// The payload of `payment_source.created` and
/// `payment_source.beneficiary.created`: the account payments come from.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObPaymentSource {
    /// Lean's id of the payment source.
    pub id: String,
    /// Its status, as sent.
    pub status: Option<String>,
    /// The customer it belongs to.
    pub customer_id: Option<String>,
    /// The end user, when Lean knows one.
    pub end_user_id: Option<String>,
    /// Lean's code of the bank.
    pub bank_identifier: Option<String>,
    /// The bank's name for display.
    pub bank_name: Option<String>,
    /// The whole payload in the API's shape.
    pub json: String,
}

/// What a data refresh could read for one account: each `OK` or
/// `UNSUPPORTED`, as sent.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObAccountDataStatus {
    /// The account.
    pub account_id: Option<String>,
    /// Balances.
    pub balance: Option<String>,
    /// The holder's identity.
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
    /// The period of transactions the bank gave, as JSON text
    /// (`{"start", "end", "complete_months"}`).
    pub transaction_availability_json: Option<String>,
}

/// The payload of `entity.data.refresh.updated`.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObDataRefresh {
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
    /// Accounts list: `OK` or `UNSUPPORTED`.
    pub accounts: Option<String>,
    /// Identity: `OK` or `UNSUPPORTED`.
    pub identity: Option<String>,
    /// Per account.
    pub account_data: Vec<ObAccountDataStatus>,
    /// The whole payload in the API's shape.
    pub json: String,
}

/// Payments and data, each on or off (`None` when not sent).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObServices {
    /// Payments.
    pub payments: Option<bool>,
    /// Data.
    pub data: Option<bool>,
}

/// The payload of `bank.availability.updated` (KSA).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObBankAvailability {
    /// Lean's code of the bank.
    pub identifier: String,
    /// What works now.
    pub active: Option<ObServices>,
    /// What is turned on for the application.
    pub enabled: Option<ObServices>,
    /// The whole payload in the API's shape.
    pub json: String,
}

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
    pub payment_intent: Option<ObPaymentIntentCreated>,
    /// For `payment_source.created` and `payment_source.beneficiary.created`.
    pub payment_source: Option<ObPaymentSource>,
    /// For `entity.data.refresh.updated`.
    pub data_refresh: Option<ObDataRefresh>,
    /// For `bank.availability.updated`.
    pub bank_availability: Option<ObBankAvailability>,
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
            let mut out = ObWebhookEvent {
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
                EventPayload::PaymentIntent(p) => out.payment_intent = Some(p.into()),
                EventPayload::PaymentSource(p) => out.payment_source = Some(p.into()),
                EventPayload::DataRefresh(r) => out.data_refresh = Some(r.into()),
                EventPayload::BankAvailability(b) => out.bank_availability = Some(b.into()),
                EventPayload::Other(_) => {}
            }
            Ok(out)
        })
    }
}

/// The `lean-signature` value Lean would send for `payload` under
/// `secret` (hex digest), for tests of webhook receivers.
#[uniffi::export]
pub fn ob_sign_webhook(secret: Vec<u8>, payload: Vec<u8>) -> Result<String> {
    guard(|| Ok(obw::sign(&lean_core::WebhookSecret::new(secret), &payload)))
}

// The conversions name every field of the core's structs, so a field the
// core adds fails to build here until its record has it.

impl From<&obw::PaymentIntentCreated> for ObPaymentIntentCreated {
    fn from(p: &obw::PaymentIntentCreated) -> Self {
        let obw::PaymentIntentCreated {
            intent_id,
            amount,
            currency,
            status,
            reason,
            customer_id,
            metadata,
            extra: _,
        } = p;
        Self {
            intent_id: intent_id.clone(),
            amount: DecimalAmount::of(*amount),
            currency: currency.clone(),
            status: status.clone(),
            reason: reason.clone(),
            customer_id: customer_id.clone(),
            metadata_json: metadata.as_ref().map(json_text),
            json: json_text(p),
        }
    }
}

impl From<&obw::PaymentSource> for ObPaymentSource {
    fn from(p: &obw::PaymentSource) -> Self {
        let obw::PaymentSource {
            id,
            status,
            customer_id,
            end_user_id,
            bank_identifier,
            bank_name,
            extra: _,
        } = p;
        Self {
            id: id.clone(),
            status: status.clone(),
            customer_id: customer_id.clone(),
            end_user_id: end_user_id.clone(),
            bank_identifier: bank_identifier.clone(),
            bank_name: bank_name.clone(),
            json: json_text(p),
        }
    }
}

impl From<&obw::AccountDataStatus> for ObAccountDataStatus {
    fn from(a: &obw::AccountDataStatus) -> Self {
        let obw::AccountDataStatus {
            account_id,
            balance,
            identity,
            transactions,
            beneficiaries,
            direct_debits,
            standing_orders,
            scheduled_payments,
            transaction_availability,
            extra: _,
        } = a;
        Self {
            account_id: account_id.clone(),
            balance: balance.clone(),
            identity: identity.clone(),
            transactions: transactions.clone(),
            beneficiaries: beneficiaries.clone(),
            direct_debits: direct_debits.clone(),
            standing_orders: standing_orders.clone(),
            scheduled_payments: scheduled_payments.clone(),
            transaction_availability_json: transaction_availability.as_ref().map(json_text),
        }
    }
}

impl From<&obw::DataRefresh> for ObDataRefresh {
    fn from(r: &obw::DataRefresh) -> Self {
        let obw::DataRefresh {
            refresh_id,
            entity_id,
            status,
            customer_id,
            app_user_id,
            data_status,
            extra: _,
        } = r;
        let (accounts, identity, account_data) = match data_status {
            Some(d) => (
                d.accounts.clone(),
                d.identity.clone(),
                d.account_data.iter().map(Into::into).collect(),
            ),
            None => (None, None, Vec::new()),
        };
        Self {
            refresh_id: refresh_id.clone(),
            entity_id: entity_id.clone(),
            status: status.clone(),
            customer_id: customer_id.clone(),
            app_user_id: app_user_id.clone(),
            accounts,
            identity,
            account_data,
            json: json_text(r),
        }
    }
}

impl From<&obw::Services> for ObServices {
    fn from(s: &obw::Services) -> Self {
        let obw::Services {
            payments,
            data,
            extra: _,
        } = s;
        Self {
            payments: *payments,
            data: *data,
        }
    }
}

impl From<&obw::BankAvailability> for ObBankAvailability {
    fn from(b: &obw::BankAvailability) -> Self {
        let availability = b.availability.as_ref();
        Self {
            identifier: b.identifier.clone(),
            active: availability.and_then(|a| a.active.as_ref()).map(Into::into),
            enabled: availability
                .and_then(|a| a.enabled.as_ref())
                .map(Into::into),
            json: json_text(b),
        }
    }
}
