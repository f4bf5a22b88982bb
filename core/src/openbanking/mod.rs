//! # Lean open banking
//!
//! The second Lean API (bank data and payments: customers, entities,
//! accounts, balances, transactions, payment intents), without I/O, beside
//! the payouts API in [`crate::payouts`]. It reuses the crate's HTTP
//! messages ([`crate::HttpRequest`], [`crate::HttpResponse`]), its error
//! shape ([`crate::Error`]) and its money type ([`crate::Amount`]), so a
//! host handles both products the same way.
//!
//! - [`Environment`]: UAE or KSA, sandbox or production, or a custom base
//!   URL; knows its API host, its OAuth token host and whether mTLS is
//!   required.
//! - [`auth`]: the `lean-app-token` header and OAuth 2.0 client
//!   credentials (token request, token answer, renewal) without a clock:
//!   the host passes the current time. [`TokenPolicy`] is the policy every
//!   client follows, one call or many at once: one shared token fetch,
//!   renewal before expiry, renewal and one retry after a 401.
//! - [`Operation`]: one validated call; [`Operation::request`] builds its
//!   request, [`Operation::is_read`] says whether retrying it is harmless,
//!   [`Operation::parse_response`] reads the answer into an [`Outcome`].
//!   These three are all a call engine needs to drive it.
//! - [`Call`] and [`Config`]: the payouts call engine ([`crate::Call`])
//!   driving an open-banking operation: retries, backoff, `Retry-After`,
//!   and a `createCustomer` made idempotent by a lookup of its
//!   `app_user_id`. Hosts drive it exactly as a payouts call.
//! - [`errors`]: the documented error codes, mapped onto [`crate::Error`].
//! - [`webhooks`]: `lean-signature` (HMAC-SHA512) verification and typed
//!   events.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use lean_core::openbanking::{
//!     AppToken, Auth, ClientCredentials, DataKind, DataRequest, Environment, NewCustomer,
//!     Operation, Outcome, TokenPolicy, TokenScope, TokenStep, TokenTicket,
//! };
//! use lean_core::HttpResponse;
//!
//! # fn main() -> Result<(), lean_core::Error> {
//! // Legacy authentication: the application token on every call.
//! let env = Environment::uae_sandbox();
//! let auth = Auth::AppToken(AppToken::new("my-app-token")?);
//! let create = Operation::create_customer(&NewCustomer::new("user-42"))?;
//! let request = create.request(&env, &auth); // the host sends it
//! assert_eq!(request.url, "https://sandbox.leantech.me/customers/v1/");
//!
//! // OAuth: the token policy says when to fetch a token (each call holds a
//! // ticket); the host sends the request and supplies the time.
//! let credentials = ClientCredentials::new("my-app-id", "my-client-secret")?;
//! let mut tokens = TokenPolicy::new(credentials, Environment::uae_production(), TokenScope::Api)?;
//! let mut ticket = TokenTicket::new();
//! let now = SystemTime::now();
//! let TokenStep::Fetch(_, token_request) = tokens.poll(&mut ticket, now)? else { unreachable!() };
//! assert_eq!(token_request.url, "https://auth.leantech.me/oauth2/token");
//! let answer = HttpResponse::new(200, vec![], r#"{"access_token":"t0k3n","token_type":"Bearer","expires_in":3599}"#);
//! tokens.on_token_response(&mut ticket, &answer, now)?;
//! let TokenStep::Use(bearer) = tokens.poll(&mut ticket, now + Duration::from_secs(60))? else { unreachable!() };
//!
//! // Data: a PENDING answer gives a results id to fetch after the
//! // `results.ready` webhook.
//! let balance = Operation::get_data(DataRequest::new(DataKind::Balance, "entity-1", Some("account-1"), true)?);
//! let _request = balance.request(&Environment::uae_production(), &bearer);
//! let answer = HttpResponse::new(200, vec![], r#"{"status":"PENDING","results_id":"r-1"}"#);
//! if let Outcome::Data(result) = balance.parse_response(&answer)? {
//!     assert!(result.is_pending());
//!     let _later = Operation::get_data_results(result.results_id.as_deref().unwrap_or_default())?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Sources: `open-banking-facts.md` in the project's reference documents;
//! where the vendor's documents are silent, each item says what this SDK
//! chose and why.

pub mod auth;
mod bank;
mod call;
mod customer;
mod data;
mod data_page;
mod destination;
mod entity;
mod environment;
pub mod errors;
mod kind;
mod operation;
mod paging;
mod payment;
mod response;
mod response_model;
mod tokens;
pub mod webhooks;

pub use auth::{AccessToken, AppToken, Auth, ClientCredentials, ClientSecret, Token, TokenScope};
pub use bank::Bank;
pub use call::{Call, CallPlan, Config, DEFAULT_TIMEOUT};
pub use customer::{Customer, CustomerPage, GovernmentIdType, GovernmentIdentifier, NewCustomer};
pub use data::{DataKind, DataRequest, DataResult, DataStatus, DateRange};
pub use data_page::{DataPage, DataPageRequest, DataResource};
pub use destination::{Destination, NewDestination};
pub use entity::{Entity, Permissions};
pub use environment::{Environment, Region};
pub use errors::ErrorCode;
pub use kind::OperationKind;
pub use operation::Operation;
pub use paging::Paging;
pub use payment::{NewPaymentIntent, Payment, PaymentIntent};
pub use response::Outcome;
pub use tokens::{AfterUnauthorized, FetchId, TokenPolicy, TokenStep, TokenTicket};

#[cfg(test)]
mod tests;
