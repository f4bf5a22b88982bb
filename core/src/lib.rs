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
//! The layout shows the design: [`payouts`] and [`openbanking`] each hold
//! one API (operations, answers, models, webhooks, the rules of its calls)
//! over shared parts at the root: the call [`engine`], HTTP values, money,
//! URLs, errors, secrets and validation. Neither API's module imports the
//! other. The payouts API is also exported here, at the root, where hosts
//! have always found it.
//!
//! Nothing here panics on any input, reads a clock or draws random numbers:
//! hosts supply time (by sleeping) and randomness (32 bytes per call).

#![warn(missing_docs)]

mod config;
pub mod engine;
mod error;
mod http;
mod input;
mod money;
pub mod openbanking;
mod operation_kind;
pub mod payouts;
mod response;
mod secret;
mod signature;
#[cfg(feature = "uniffi")]
mod uniffi_types;
mod url;
pub mod validate;
mod wire;

// The Kotlin and Swift records of the models come from the models
// themselves (see `uniffi_types`).
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

pub use config::{RetryPolicy, SDK_VERSION};
pub use engine::{Drive, TransportError, TransportErrorKind};
pub use error::{
    ApiError, ApiErrorKind, Error, FieldError, FieldErrorCode, SignatureProblem, ValidationError,
};
pub use http::{push_json_string, HttpRequest, HttpResponse, Method, RedactedHeaders};
pub use money::{Amount, AmountError, AmountText, MAX_ABS_AMOUNT, MAX_AMOUNT_TEXT};
pub use response::api_error;
pub use secret::{ApiKey, PartnerSecret, WebhookSecret};

pub use payouts::models::{
    Application, ApplicationStatus, Customer, CustomerStatus, CustomerUpdate, Gig, NewCustomer,
    NewGig, NewSpecialPayment, PaymentStatus, SpecialPayment, SpecialPaymentType,
};
pub use payouts::webhooks::{EventData, EventType, WebhookEvent, WebhookVerifier};
pub use payouts::{
    models, parse_response, webhooks, Call, Config, Environment, Operation, OperationKind, Outcome,
};

/// What the host must do next in a call (see [`Call`]); `T` is the API's
/// result type, the payouts [`Outcome`] unless said otherwise (open
/// banking's is [`openbanking::Outcome`]).
pub type Step<T = Outcome> = engine::Step<T>;
