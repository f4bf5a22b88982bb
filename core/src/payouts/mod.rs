//! The Lean Payouts API: its configuration, operations, answers, models,
//! webhooks and the rules its calls follow (idempotency keys for special
//! payments, lookups of gigs and customers by the partner's own id).
//!
//! Everything public here is also exported from the crate's root, where
//! hosts have always found it (`lean_core::Operation`,
//! `lean_core::models::Gig`). Open banking lives beside it in
//! [`crate::openbanking`]; both run on the shared [`crate::Call`] machine.

mod call;
mod config;
pub mod models;
mod operation;
mod reconcile;
mod response;
pub mod webhooks;

pub use call::{Call, CallPlan};
pub use config::{Config, Environment, DEFAULT_TIMEOUT};
pub use operation::{Operation, OperationKind};
pub use response::{parse_response, Outcome};

#[cfg(test)]
mod call_tests;
