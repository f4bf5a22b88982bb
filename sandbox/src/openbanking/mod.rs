//! # Lean open banking, emulated
//!
//! The second Lean API (customers, connected bank entities, data,
//! payment intents and destinations) on the same listener as payouts, at
//! the API's own paths, so a host points
//! `openbanking::Environment::custom("http://127.0.0.1:PORT")` (and
//! `with_token_base_url` with the same URL) at the sandbox:
//!
//! - `POST /oauth2/token` (client credentials, [`auth`]);
//! - `/customers/v1/...` ([`customers`]; also the entities connected in a
//!   date range), entities pre-seeded per customer
//!   by the admin call `POST /_sandbox/openbanking/customers/{id}/entities`
//!   ([`bank`]);
//! - `/data/v1/{identity,accounts,balance,transactions}` and
//!   `/data/v2/results/{id}` ([`data`]); the paged `/data/v2` reads and
//!   data refreshes ([`v2`]);
//! - `/payments/v1/intents` and `/payments/v1/destinations` ([`payments`]),
//!   payments executed against intents and `/payments/v1/{id}`
//!   ([`execution`]);
//! - `/banks/v1/`, the supported banks ([`banks`]);
//! - signed webhooks through the durable outbox ([`webhooks`]).
//!
//! Requests are checked with the core's own validation and answered with
//! the core's models, so the SDK and the emulator share their rules;
//! refusals use the documented error body ([`reply`]).

pub mod auth;
pub mod bank;
pub mod banks;
pub mod customers;
pub mod data;
pub mod execution;
pub mod payments;
pub mod reply;
pub mod routes;
pub mod v2;
pub mod webhooks;

use std::time::Duration;

use rusqlite::Connection;

use crate::rows;
use crate::settings::OpenBanking;
use auth::Caller;
use reply::ObFailure;

pub use routes::{handle, owns};

/// What one open-banking request works with.
pub struct Ctx<'a> {
    /// The request's transaction.
    pub conn: &'a Connection,
    /// The open-banking settings.
    pub settings: &'a OpenBanking,
    /// Who is calling.
    pub caller: Caller,
    /// Milliseconds since the epoch.
    pub now: i64,
    /// For generated ids.
    pub rng: &'a mut fastrand::Rng,
    /// How long to hold the answer once the transaction is committed (a
    /// slow bank's synchronous data call).
    pub wait: Duration,
}

/// The stored body of one customer's record: `sql` selects `customer_id`
/// and `body` by `id`. Unknown is 404 (`what` names it); another
/// customer's is refused to a customer-scoped caller.
pub fn owned_body(ctx: &Ctx, sql: &str, id: &str, what: &str) -> Result<String, ObFailure> {
    let row: Option<(String, String)> = rows::row(ctx.conn, sql, id, rows::two)?;
    let (customer_id, body) =
        row.ok_or_else(|| ObFailure::not_found(format!("no {what} {id:?}")))?;
    ctx.caller.require_customer(&customer_id)?;
    Ok(body)
}

/// A random UUID (version 4), the form of Lean's ids.
pub fn uuid(rng: &mut fastrand::Rng) -> String {
    let mut b: [u8; 16] = std::array::from_fn(|_| rng.u8(..));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
