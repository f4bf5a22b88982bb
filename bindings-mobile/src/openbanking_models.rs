//! The open-banking API's results as records, every field of the core's
//! structs (the conversions name each one, as in `models.rs`, so a field
//! the core adds fails to build here until its record has it), plus `json`,
//! the object in the API's own shape, so fields newer than this SDK are
//! never lost. Amounts are `DecimalAmount`s (`BigDecimal`, `Decimal`).

use lean_core::openbanking as ob;
use serde_json::Value;

use super::webhooks::ObDataRefresh;
use crate::models::DecimalAmount;

fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// A customer (`customers/v1`).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObCustomer {
    /// Lean's id of the customer.
    pub customer_id: String,
    /// Your own id of the user, unique per application.
    pub app_user_id: Option<String>,
    /// The whole object in the API's shape.
    pub json: String,
}

/// What an entity lets the application read.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObPermissions {
    /// Identity data.
    pub identity: Option<bool>,
    /// The account list.
    pub accounts: Option<bool>,
    /// Balances.
    pub balance: Option<bool>,
    /// Transactions.
    pub transactions: Option<bool>,
}

/// A customer's connection to one bank.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObEntity {
    /// The entity id, for data calls.
    pub id: String,
    /// The customer it belongs to.
    pub customer_id: Option<String>,
    /// The bank.
    pub bank_identifier: Option<String>,
    /// What the customer granted.
    pub permissions: Option<ObPermissions>,
    /// The whole object in the API's shape.
    pub json: String,
}

/// A data answer: the data (`OK`), or `PENDING` with the id to fetch the
/// results with after the `results.ready` webhook.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObDataResult {
    /// `OK` or `PENDING` (a `FAILED` answer is thrown as an error).
    pub status: String,
    /// The data as JSON text when `OK`; its shape depends on the call.
    pub payload_json: Option<String>,
    /// The id for `getDataResults`, when `PENDING`.
    pub results_id: Option<String>,
    /// Lean's explanation.
    pub message: Option<String>,
    /// When Lean answered, as sent.
    pub timestamp: Option<String>,
    /// The whole answer in the API's shape.
    pub json: String,
}

/// A saved payment destination (beneficiary account).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObDestination {
    /// Lean's id of the destination.
    pub id: Option<String>,
    /// The name shown to the customer.
    pub display_name: Option<String>,
    /// The account holder's name.
    pub name: Option<String>,
    /// The bank.
    pub bank_identifier: Option<String>,
    /// The IBAN.
    pub iban: Option<String>,
    /// The kind of account (`RETAIL`, `CORPORATE`), when sent.
    pub bank_type: Option<String>,
    /// The account holder's government identifier, when sent.
    pub government_identifier: Option<ObGovernmentIdentifier>,
    /// The whole object in the API's shape.
    pub json: String,
}

/// A government identifier (`{"type", "value"}` on the wire).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObGovernmentIdentifier {
    /// What the number is (`EMIRATES_ID`), the wire's `type`.
    pub kind: String,
    /// The number, as printed on the document.
    pub value: String,
}

/// One page of a data v2 read (`listAccounts`, `listAccountTransactions`,
/// ...): what Lean holds for an entity, read without asking the bank.
/// Lean does not document the records' fields, so they stay JSON, every
/// number a binary float could alter written as the string of its exact
/// text.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObDataPage {
    /// The page's `data` as JSON text (usually an array of records).
    pub data_json: String,
    /// Each record of `data` as JSON text, when `data` is an array.
    pub records_json: Vec<String>,
    /// `OK` when Lean sent a status (a `FAILED` answer is thrown instead).
    pub status: Option<String>,
    /// The whole page in the API's shape, paging fields included.
    pub json: String,
}

/// A payment intent: what the customer is asked to pay.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObPaymentIntent {
    /// Lean's id of the intent.
    pub payment_intent_id: String,
    /// The paying customer.
    pub customer_id: Option<String>,
    /// The amount, exact.
    pub amount: Option<DecimalAmount>,
    /// ISO 4217 code (`AED`, `SAR`).
    pub currency: Option<String>,
    /// The description shown to the customer.
    pub description: Option<String>,
    /// Where the money goes, when the answer says.
    pub payment_destination: Option<ObDestination>,
    /// The payment attempts, as JSON text each.
    pub payments_json: Vec<String>,
    /// The whole object in the API's shape.
    pub json: String,
}

/// A bank Lean supports (`listBanks`), for an application's own bank
/// picker.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObBank {
    /// Lean's code of the bank, the `bank_identifier` of entities.
    pub identifier: String,
    /// The bank's name for display.
    pub name: Option<String>,
    /// The address of its logo.
    pub logo: Option<String>,
    /// Its brand colour (`#1a1a1a`).
    pub main_color: Option<String>,
    /// The background to show the logo on.
    pub background_color: Option<String>,
    /// `RETAIL`, `CORPORATE`... as sent.
    pub bank_type: Option<String>,
    /// `PERSONAL`, `BUSINESS`... as sent.
    pub account_type: Option<String>,
    /// Whether payments and data work now, as JSON text
    /// (`{"active": {"payments", "data"}, "enabled": {...}}`).
    pub availability_json: Option<String>,
    /// The whole object in the API's shape.
    pub json: String,
}

/// A payment made against an intent (`getPayment`), as the
/// `payment.created` and `payment.updated` webhooks carry it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ObPayment {
    /// Lean's id of the payment.
    pub id: String,
    /// The amount, exact.
    pub amount: Option<DecimalAmount>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// `PENDING_WITH_BANK`, `ACCEPTED_BY_BANK`, `FAILED`... as sent.
    pub status: Option<String>,
    /// The intent it pays.
    pub intent_id: Option<String>,
    /// The paying customer.
    pub customer_id: Option<String>,
    /// Where the money went.
    pub payment_destination_id: Option<String>,
    /// The bank's reference, for reconciliation.
    pub bank_transaction_reference: Option<String>,
    /// Why it failed, when it did.
    pub reason: Option<String>,
    /// The application's metadata, as JSON text.
    pub metadata_json: Option<String>,
    /// The whole object in the API's shape.
    pub json: String,
}

/// The typed result of an open-banking call, by operation.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
#[allow(missing_docs)]
pub enum ObOutcome {
    Customer { value: ObCustomer },
    Customers { values: Vec<ObCustomer> },
    Entity { value: ObEntity },
    Entities { values: Vec<ObEntity> },
    Data { value: ObDataResult },
    PaymentIntent { value: ObPaymentIntent },
    Destination { value: ObDestination },
    Destinations { values: Vec<ObDestination> },
    Banks { values: Vec<ObBank> },
    Payment { value: ObPayment },
    PaymentIntents { values: Vec<ObPaymentIntent> },
    DataPage { value: ObDataPage },
    DataRefresh { value: ObDataRefresh },
    DataRefreshes { values: Vec<ObDataRefresh> },
}

impl From<&ob::Customer> for ObCustomer {
    fn from(c: &ob::Customer) -> Self {
        let ob::Customer {
            customer_id,
            app_user_id,
            extra: _,
        } = c;
        Self {
            customer_id: customer_id.clone(),
            app_user_id: app_user_id.clone(),
            json: json_text(c),
        }
    }
}

impl From<&ob::Permissions> for ObPermissions {
    fn from(p: &ob::Permissions) -> Self {
        let ob::Permissions {
            identity,
            accounts,
            balance,
            transactions,
            extra: _,
        } = p;
        Self {
            identity: *identity,
            accounts: *accounts,
            balance: *balance,
            transactions: *transactions,
        }
    }
}

impl From<&ob::Entity> for ObEntity {
    fn from(e: &ob::Entity) -> Self {
        let ob::Entity {
            id,
            customer_id,
            bank_identifier,
            permissions,
            extra: _,
        } = e;
        Self {
            id: id.clone(),
            customer_id: customer_id.clone(),
            bank_identifier: bank_identifier.clone(),
            permissions: permissions.as_ref().map(Into::into),
            json: json_text(e),
        }
    }
}

impl From<&ob::DataResult> for ObDataResult {
    fn from(d: &ob::DataResult) -> Self {
        let ob::DataResult {
            status,
            payload,
            results_id,
            message,
            timestamp,
            extra: _,
        } = d;
        Self {
            status: status.as_str().to_owned(),
            payload_json: payload.as_ref().map(Value::to_string),
            results_id: results_id.clone(),
            message: message.clone(),
            timestamp: timestamp.clone(),
            json: json_text(d),
        }
    }
}

impl From<&ob::Destination> for ObDestination {
    fn from(d: &ob::Destination) -> Self {
        let ob::Destination {
            id,
            display_name,
            name,
            bank_identifier,
            iban,
            bank_type,
            government_identifier,
            extra: _,
        } = d;
        Self {
            id: id.clone(),
            display_name: display_name.clone(),
            name: name.clone(),
            bank_identifier: bank_identifier.clone(),
            iban: iban.clone(),
            bank_type: bank_type.clone(),
            government_identifier: government_identifier.as_ref().map(Into::into),
            json: json_text(d),
        }
    }
}

impl From<&ob::GovernmentIdentifier> for ObGovernmentIdentifier {
    fn from(g: &ob::GovernmentIdentifier) -> Self {
        let ob::GovernmentIdentifier { kind, value } = g;
        Self {
            kind: kind.as_str().to_owned(),
            value: value.clone(),
        }
    }
}

impl From<&ob::DataPage> for ObDataPage {
    fn from(p: &ob::DataPage) -> Self {
        let ob::DataPage {
            data,
            status,
            extra: _,
        } = p;
        Self {
            data_json: data.to_string(),
            records_json: match data {
                Value::Array(items) => items.iter().map(Value::to_string).collect(),
                _ => Vec::new(),
            },
            status: status.as_ref().map(|s| s.as_str().to_owned()),
            json: json_text(p),
        }
    }
}

impl From<&ob::PaymentIntent> for ObPaymentIntent {
    fn from(p: &ob::PaymentIntent) -> Self {
        let ob::PaymentIntent {
            payment_intent_id,
            customer_id,
            amount,
            currency,
            description,
            payments,
            payment_destination,
            extra: _,
        } = p;
        Self {
            payment_intent_id: payment_intent_id.clone(),
            customer_id: customer_id.clone(),
            amount: DecimalAmount::of(*amount),
            currency: currency.clone(),
            description: description.clone(),
            payment_destination: payment_destination.as_ref().map(Into::into),
            payments_json: payments.iter().map(Value::to_string).collect(),
            json: json_text(p),
        }
    }
}

impl From<&ob::Bank> for ObBank {
    fn from(b: &ob::Bank) -> Self {
        let ob::Bank {
            identifier,
            name,
            logo,
            main_color,
            background_color,
            bank_type,
            account_type,
            availability,
            extra: _,
        } = b;
        Self {
            identifier: identifier.clone(),
            name: name.clone(),
            logo: logo.clone(),
            main_color: main_color.clone(),
            background_color: background_color.clone(),
            bank_type: bank_type.clone(),
            account_type: account_type.clone(),
            availability_json: availability.as_ref().map(Value::to_string),
            json: json_text(b),
        }
    }
}

impl From<&ob::Payment> for ObPayment {
    fn from(p: &ob::Payment) -> Self {
        let ob::Payment {
            id,
            amount,
            currency,
            status,
            intent_id,
            customer_id,
            payment_destination_id,
            bank_transaction_reference,
            reason,
            metadata,
            extra: _,
        } = p;
        Self {
            id: id.clone(),
            amount: DecimalAmount::of(*amount),
            currency: currency.clone(),
            status: status.clone(),
            intent_id: intent_id.clone(),
            customer_id: customer_id.clone(),
            payment_destination_id: payment_destination_id.clone(),
            bank_transaction_reference: bank_transaction_reference.clone(),
            reason: reason.clone(),
            metadata_json: metadata.as_ref().map(json_text),
            json: json_text(p),
        }
    }
}

impl From<&ob::Outcome> for ObOutcome {
    fn from(outcome: &ob::Outcome) -> Self {
        use ob::Outcome as O;
        match outcome {
            O::Customer(c) => Self::Customer { value: c.into() },
            O::Customers(page) => Self::Customers {
                values: page.customers.iter().map(Into::into).collect(),
            },
            O::Entity(e) => Self::Entity { value: e.into() },
            O::Entities(e) => Self::Entities {
                values: e.iter().map(Into::into).collect(),
            },
            O::Data(d) => Self::Data { value: d.into() },
            O::PaymentIntent(p) => Self::PaymentIntent { value: p.into() },
            O::Destination(d) => Self::Destination { value: d.into() },
            O::Destinations(d) => Self::Destinations {
                values: d.iter().map(Into::into).collect(),
            },
            O::Banks(b) => Self::Banks {
                values: b.iter().map(Into::into).collect(),
            },
            O::Payment(p) => Self::Payment { value: p.into() },
            O::PaymentIntents(p) => Self::PaymentIntents {
                values: p.iter().map(Into::into).collect(),
            },
            O::DataPage(d) => Self::DataPage { value: d.into() },
            O::DataRefresh(r) => Self::DataRefresh { value: r.into() },
            O::DataRefreshes(r) => Self::DataRefreshes {
                values: r.iter().map(Into::into).collect(),
            },
        }
    }
}
