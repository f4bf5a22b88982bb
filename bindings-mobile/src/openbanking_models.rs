//! The open-banking API's results: the core's own models and typed result
//! (`lean_core`'s feature `uniffi` derives them, named `Ob...` in Kotlin and
//! Swift), so a field or a result added to the core reaches both languages
//! with no change here. Only the JSON text of a result is this binding's,
//! which each host's `json` reads from [`ob_json`].

use lean_core::openbanking as ob;
use ob::{Bank, DataPage, Outcome};
use serde_json::Value;

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
/// writes it (`Outcome::to_json`, as a call's `json`): each host's `json`
/// of a result object comes from here.
#[uniffi::export]
pub fn ob_json(outcome: Outcome) -> crate::error::Result<String> {
    crate::error::guard(|| Ok(outcome.to_json().to_string()))
}

/// One bank in the API's JSON shape (a call answers with a list of them:
/// [`ob_json`] of `ObOutcome.Banks` writes the list).
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
