//! # lean-sandbox
//!
//! A local, stateful emulator of the Lean Payouts API for tests and demos:
//! every endpoint of the reference with the core's own validation, SQLite
//! state that survives restarts, a life cycle with configurable delays,
//! signed webhooks from a durable outbox, and seeded fault injection.
//! See `sandbox/README.md` for the start-up contract.

#![warn(missing_docs)]

pub mod api;
pub mod clock;
pub mod failure;
pub mod harness;
pub mod lifecycle;
pub mod log;
pub mod outbox;
pub mod records;
pub mod server;
pub mod settings;
pub mod store;

pub use settings::Settings;
