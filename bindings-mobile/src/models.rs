//! The API's objects as native Kotlin and Swift types.
//!
//! The records are the core's own models (`lean_core`'s feature `uniffi`
//! derives them), so a field added to a core model reaches Kotlin and Swift
//! with no change here. Only what is specific to the binding lives here:
//! the two inputs whose amounts a caller writes as `BigDecimal` or
//! `Decimal` (the core takes them as text and validates them, so an invalid
//! amount is a field error, never a crash), and the typed result of a call.
//! A result's `json` in each host comes from [`payouts_json`].

use lean_core::{Application, Customer, Gig, SpecialPayment};
use serde_json::Value;

/// An exact decimal amount. It crosses as its text and is `java.math.BigDecimal` in
/// Kotlin and `Decimal` in Swift (`uniffi.toml`); the core validates it like
/// any amount text, so an invalid one is a field error, never a crash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecimalAmount(pub String);

uniffi::custom_newtype!(DecimalAmount, String);

/// A gig to pay (`POST /gig`).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NewGig {
    /// The worker's id (your own).
    pub partner_user_id: String,
    /// Everything paid for the gig, tips and expenses included.
    pub total_amount: DecimalAmount,
    /// The part of the total that is tips.
    pub tips: DecimalAmount,
    /// The part of the total that reimburses expenses.
    pub expenses: DecimalAmount,
    /// What the gig was.
    pub description: String,
    /// Your own id for the gig; a retry with the same id never pays twice.
    pub gig_id: String,
    /// When the gig started.
    pub start_time: String,
    /// When the gig ended.
    pub end_time: String,
}

impl From<NewGig> for lean_core::NewGig {
    fn from(g: NewGig) -> Self {
        Self {
            partner_user_id: g.partner_user_id,
            total_amount: g.total_amount.0,
            tips: g.tips.0,
            expenses: g.expenses.0,
            description: g.description,
            gig_id: g.gig_id,
            start_time: g.start_time,
            end_time: g.end_time,
        }
    }
}

/// A payment outside a gig (`POST /specialpayment`).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NewSpecialPayment {
    /// The worker's id (your own).
    pub partner_user_id: String,
    /// The amount paid.
    pub amount: DecimalAmount,
    /// The payment type, e.g. `BONUS`.
    pub payment_type: String,
    /// The gig it relates to, if any.
    #[uniffi(default = None)]
    pub gig_id: Option<String>,
    /// What it is for.
    #[uniffi(default = None)]
    pub description: Option<String>,
    /// Your own data as a JSON object text, returned as sent.
    #[uniffi(default = None)]
    pub userdata_json: Option<String>,
}

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

/// Parses the caller's `userdata` JSON text; the core checks it is an
/// object and reports a field error naming `userdata` otherwise.
pub(crate) fn userdata(text: Option<&str>) -> Result<Option<Value>, lean_core::Error> {
    match text {
        None => Ok(None),
        Some(text) => serde_json::from_str(text).map(Some).map_err(|e| {
            lean_core::Error::Validation(lean_core::ValidationError {
                errors: vec![lean_core::FieldError::new(
                    "userdata",
                    lean_core::FieldErrorCode::InvalidType,
                    format!("must be a JSON object text: {e}"),
                )],
            })
        }),
    }
}
