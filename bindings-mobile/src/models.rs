//! The API's objects as native Kotlin and Swift types.
//!
//! The records, inputs and results, and the typed result of a call
//! (`lean_core::Outcome`), are the core's own (`lean_core`'s feature
//! `uniffi` derives them), so a field or a result added to the core
//! reaches Kotlin and Swift with no change here. A result's `json` in each
//! host comes from [`payouts_json`].

use lean_core::Outcome;

/// A result in the API's JSON shape, unknown fields included, as the core
/// writes it (`Outcome::to_json`): each host's `json` of a result object
/// comes from here, so the shape is declared once.
#[uniffi::export]
pub fn payouts_json(outcome: Outcome) -> crate::error::Result<String> {
    crate::error::guard(|| Ok(outcome.to_json().to_string()))
}
