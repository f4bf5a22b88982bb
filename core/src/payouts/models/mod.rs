//! The API's objects: what partners send (inputs, validated) and what the
//! API returns (responses, tolerant of anything new).
//!
//! Inputs use the API's wire names through `serde(rename_all =
//! "camelCase")`, so their JSON form is exactly the request body. Responses
//! are declared as one table of fields each (`response_model!`, module
//! `json`), which writes their reader and writer, and ignore nothing: unknown
//! fields are kept in `extra`, unknown status names in an `Unknown`
//! variant, so a new API field never breaks a partner.

mod application;
mod customer;
mod gig;
mod json;
mod special_payment;

pub use application::{Application, ApplicationStatus};
pub use customer::{Customer, CustomerStatus, CustomerUpdate, NewCustomer};
pub use gig::{Gig, NewGig, PaymentStatus};
pub use special_payment::{NewSpecialPayment, SpecialPayment, SpecialPaymentType};
