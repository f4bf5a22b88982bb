//! The API's objects as native Kotlin and Swift types.
//!
//! The records, inputs and results, are the core's own models (`lean_core`'s
//! feature `uniffi` derives them), so a field added to a core model reaches
//! Kotlin and Swift with no change here. Only the typed result of a call
//! is specific to the binding; a result's `json` in each host comes from
//! [`payouts_json`].

use lean_core::{Application, Customer, Gig, SpecialPayment};

/// The typed result of a finished call.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
#[allow(missing_docs)]
pub enum Outcome {
    Customer { value: Customer },
    Application { value: Application },
    Gig { value: Gig },
    Gigs { values: Vec<Gig> },
    SpecialPayment { value: SpecialPayment },
    SpecialPayments { values: Vec<SpecialPayment> },
}

impl From<lean_core::Outcome> for Outcome {
    fn from(outcome: lean_core::Outcome) -> Self {
        use lean_core::Outcome as O;
        match outcome {
            O::Customer(value) => Self::Customer { value },
            O::Application(value) => Self::Application { value },
            O::Gig(value) => Self::Gig { value },
            O::Gigs(values) => Self::Gigs { values },
            O::SpecialPayment(value) => Self::SpecialPayment { value },
            O::SpecialPayments(values) => Self::SpecialPayments { values },
        }
    }
}

impl From<Outcome> for lean_core::Outcome {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Customer { value } => Self::Customer(value),
            Outcome::Application { value } => Self::Application(value),
            Outcome::Gig { value } => Self::Gig(value),
            Outcome::Gigs { values } => Self::Gigs(values),
            Outcome::SpecialPayment { value } => Self::SpecialPayment(value),
            Outcome::SpecialPayments { values } => Self::SpecialPayments(values),
        }
    }
}

/// A result in the API's JSON shape, unknown fields included, as the core
/// writes it (`Outcome::to_json`): each host's `json` of a result object
/// comes from here, so the shape is declared once.
#[uniffi::export]
pub fn payouts_json(outcome: Outcome) -> crate::error::Result<String> {
    crate::error::guard(|| Ok(lean_core::Outcome::from(outcome).to_json().to_string()))
}
