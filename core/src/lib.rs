//! # lean-core
//!
//! The whole Lean Payouts API without I/O: what a valid input is, which
//! HTTP request it becomes, what an answer means, when to retry, and
//! whether a webhook is genuine. Every host language wraps this crate and
//! brings its own HTTP transport (the sans-I/O pattern of `h11` and
//! `rustls`): one tested core, any transport.
//!
//! - [`Config`]: API key, environment or base URL, retries.
//! - [`Operation`]: one validated API call; [`Operation::request`] builds
//!   its [`HttpRequest`], [`parse_response`] reads the answer.
//! - [`Call`]: drives an operation to its end with retries, idempotency
//!   keys and reconciliation; the host only sends requests and sleeps.
//! - [`webhooks`]: `sign`, `verify`, `construct_event`.
//! - [`validate`] and [`Amount`]: the API's rules, shared with the sandbox.
//!
//! Nothing here panics on any input, reads a clock or draws random numbers:
//! hosts supply time (by sleeping) and randomness (32 bytes per call).

#![warn(missing_docs)]

mod config;
mod engine;
mod error;
mod http;
mod input;
pub mod models;
mod money;
pub mod openbanking;
mod operation;
mod response;
mod secret;
mod url;
pub mod validate;
pub mod webhooks;

pub use config::{Config, Environment, RetryPolicy, SDK_VERSION};
pub use engine::{Call, Drive, Step, TransportError, TransportErrorKind};
pub use error::{
    ApiError, ApiErrorKind, Error, FieldError, FieldErrorCode, SignatureProblem, ValidationError,
};
pub use http::{push_json_string, HttpRequest, HttpResponse, Method, RedactedHeaders};
pub use models::{
    Application, ApplicationStatus, Customer, CustomerStatus, CustomerUpdate, Gig, NewCustomer,
    NewGig, NewGigText, NewSpecialPayment, PaymentStatus, SpecialPayment, SpecialPaymentType,
};
pub use money::{Amount, AmountError, MAX_ABS_AMOUNT, MAX_AMOUNT_TEXT};
pub use operation::{Operation, OperationKind};
pub use response::{api_error, parse_response, Outcome};
pub use secret::{ApiKey, WebhookSecret};
pub use webhooks::{EventData, EventType, WebhookEvent, WebhookVerifier};
