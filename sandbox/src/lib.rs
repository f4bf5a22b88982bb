//! # lean-sandbox
//!
//! A local, stateful emulator of the Lean Payouts API and of Lean's open
//! banking API, for tests and demos: every payouts endpoint of the
//! reference with the core's own validation, SQLite state that survives
//! restarts, a life cycle with configurable delays, signed webhooks from a
//! durable outbox, seeded fault injection; the open-banking customers,
//! entities, data and payments at the API's own paths ([`openbanking`]);
//! and an optional mutual-TLS listener ([`tls`], [`certs`]). For webhook
//! handler authors, [`trigger`] sends any event type signed as Lean signs
//! it, and the outbox is listed and re-sent through [`remote`].
//! See `sandbox/README.md` for the start-up contract.

#![warn(missing_docs)]

pub mod admin;
pub mod app;
pub mod certs;
pub mod cli;
pub mod clock;
pub mod failure;
pub mod guard;
pub mod harness;
pub mod hostile;
pub mod idempotency;
pub mod log;
pub mod openapi;
pub mod openbanking;
pub mod outbox;
pub mod payouts;
pub mod remote;
pub mod router;
pub mod rows;
pub mod server;
pub mod settings;
pub mod store;
pub mod throttle;
pub mod tls;
pub mod trigger;

pub use settings::Settings;
