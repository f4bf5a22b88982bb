//! The open-banking API's results: the core's own models (`lean_core`'s
//! feature `uniffi` derives them, named `Ob...` in Kotlin and Swift), so a
//! field added to a core model reaches both languages with no change here.
//! Only the typed result of a call is this binding's, and the JSON text of
//! a result, which each host's `json` reads from [`ob_json`].

use lean_core::openbanking as ob;
use ob::{Bank, Customer, DataPage, DataResult, Destination, Entity, Payment, PaymentIntent};
use serde_json::Value;

use ob::webhooks::DataRefresh;

/// The typed result of an open-banking call, by operation.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
#[allow(missing_docs)]
pub enum ObOutcome {
    Customer { value: Customer },
    Customers { values: Vec<Customer> },
    Entity { value: Entity },
    Entities { values: Vec<Entity> },
    Data { value: DataResult },
    PaymentIntent { value: PaymentIntent },
    Destination { value: Destination },
    Destinations { values: Vec<Destination> },
    Banks { values: Vec<Bank> },
    Payment { value: Payment },
    PaymentIntents { values: Vec<PaymentIntent> },
    DataPage { value: DataPage },
    DataRefresh { value: DataRefresh },
    DataRefreshes { values: Vec<DataRefresh> },
}

impl From<ob::Outcome> for ObOutcome {
    fn from(outcome: ob::Outcome) -> Self {
        use ob::Outcome as O;
        match outcome {
            O::Customer(value) => Self::Customer { value },
            O::Customers(page) => Self::Customers {
                values: page.customers,
            },
            O::Entity(value) => Self::Entity { value },
            O::Entities(values) => Self::Entities { values },
            O::Data(value) => Self::Data { value },
            O::PaymentIntent(value) => Self::PaymentIntent { value },
            O::Destination(value) => Self::Destination { value },
            O::Destinations(values) => Self::Destinations { values },
            O::Banks(values) => Self::Banks { values },
            O::Payment(value) => Self::Payment { value },
            O::PaymentIntents(values) => Self::PaymentIntents { values },
            O::DataPage(value) => Self::DataPage { value },
            O::DataRefresh(value) => Self::DataRefresh { value },
            O::DataRefreshes(values) => Self::DataRefreshes { values },
        }
    }
}

/// The core's JSON text of a result (its serde shape, unknown fields kept).
pub(super) fn json_text(value: &impl serde::Serialize) -> crate::error::Result<String> {
    serde_json::to_string(value).map_err(|e| {
        lean_core::Error::Internal {
            message: format!("the result cannot be written as JSON: {e}"),
        }
        .into()
    })
}

/// A result in the API's JSON shape, unknown fields included, as the core
/// writes it: each host's `json` of a result object comes from here.
#[uniffi::export]
pub fn ob_json(outcome: ObOutcome) -> crate::error::Result<String> {
    crate::error::guard(|| match &outcome {
        ObOutcome::Customer { value } => json_text(value),
        ObOutcome::Customers { values } => json_text(values),
        ObOutcome::Entity { value } => json_text(value),
        ObOutcome::Entities { values } => json_text(values),
        ObOutcome::Data { value } => json_text(value),
        ObOutcome::PaymentIntent { value } => json_text(value),
        ObOutcome::Destination { value } => json_text(value),
        ObOutcome::Destinations { values } => json_text(values),
        ObOutcome::Banks { values } => json_text(values),
        ObOutcome::Payment { value } => json_text(value),
        ObOutcome::PaymentIntents { values } => json_text(values),
        ObOutcome::DataPage { value } => json_text(value),
        ObOutcome::DataRefresh { value } => json_text(value),
        ObOutcome::DataRefreshes { values } => json_text(values),
    })
}

/// One bank in the API's JSON shape (a call answers with a list of them:
/// [`ob_json`] of `ObOutcome::Banks` writes the list).
#[uniffi::export]
pub fn ob_bank_json(bank: Bank) -> crate::error::Result<String> {
    crate::error::guard(|| json_text(&bank))
}

/// Each record of a data page, as JSON text, when its `data` is an array
/// (as Lean sends it): for hosts that read the records one by one.
#[uniffi::export]
pub fn ob_data_records(page: DataPage) -> crate::error::Result<Vec<String>> {
    crate::error::guard(|| {
        Ok(match &page.data {
            Value::Array(items) => items.iter().map(Value::to_string).collect(),
            _ => Vec::new(),
        })
    })
}
