//! The sandbox's state: one SQLite database, a file with `--db` or in
//! memory otherwise. Every record is stored as the JSON the API answers
//! with, next to the columns that uniqueness and the life cycle need, so a
//! restart with the same file resumes exactly where the process stopped.

mod openbanking;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS customers (
    partner_user_id TEXT PRIMARY KEY,
    phone_number    TEXT NOT NULL UNIQUE,
    email           TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL,
    application     TEXT,
    approve_at      INTEGER,
    body            TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gigs (
    gig_id          TEXT PRIMARY KEY,
    partner_user_id TEXT NOT NULL,
    status          TEXT NOT NULL,
    settle_at       INTEGER,
    fail            INTEGER NOT NULL,
    body            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS gigs_settle ON gigs (settle_at) WHERE settle_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS special_payments (
    id              TEXT PRIMARY KEY,
    partner_user_id TEXT NOT NULL,
    status          TEXT NOT NULL,
    settle_at       INTEGER,
    fail            INTEGER NOT NULL,
    body            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS special_payments_settle ON special_payments (settle_at) WHERE settle_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS idempotency (
    key         TEXT PRIMARY KEY,
    request     TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created_at);
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    url         TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    url          TEXT NOT NULL,
    event        TEXT NOT NULL,
    body         TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    delivered_at INTEGER,
    gave_up      INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    product      TEXT NOT NULL DEFAULT 'payouts',
    last_status  INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_at) WHERE delivered_at IS NULL AND gave_up = 0;
";

/// Files written by earlier versions lack later outbox columns: `product`
/// (before open banking; every row in them is a payouts webhook, the
/// column's default) and `last_status` (before `lean-sandbox events`).
fn add_outbox_columns(conn: &Connection) -> rusqlite::Result<()> {
    for (name, definition) in [
        ("product", "product TEXT NOT NULL DEFAULT 'payouts'"),
        ("last_status", "last_status INTEGER"),
    ] {
        let has = conn
            .prepare("SELECT 1 FROM pragma_table_info('outbox') WHERE name = ?1")?
            .exists([name])?;
        if !has {
            conn.execute_batch(&format!("ALTER TABLE outbox ADD COLUMN {definition}"))?;
        }
    }
    Ok(())
}

/// The database behind one lock. SQLite serialises writers anyway, and one
/// connection is the only way to share an in-memory database; every request
/// is a short transaction under this lock, which also makes each
/// check-then-insert (uniqueness, idempotency keys) atomic.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (and creates) the database; in memory when `path` is `None`.
    pub fn open(path: Option<&Path>) -> Result<Self, String> {
        let conn = match path {
            Some(p) => Connection::open(p)
                .map_err(|e| format!("cannot open the database {}: {e}", p.display()))?,
            None => Connection::open_in_memory().map_err(|e| e.to_string())?,
        };
        // WAL with synchronous=NORMAL survives a killed process (not a
        // power cut), which is what a test sandbox needs, and is fast.
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
            .and_then(|_| conn.execute_batch(SCHEMA))
            .and_then(|_| add_outbox_columns(&conn))
            .and_then(|_| conn.execute_batch(openbanking::SCHEMA))
            .and_then(|_| openbanking::migrate(&conn))
            .map_err(|e| format!("cannot prepare the database: {e}"))?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// The connection, for one short unit of work. A panic while it was
    /// held leaves SQLite consistent (an open transaction rolls back when
    /// dropped), so a poisoned lock is taken over rather than propagated.
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Deletes the idempotency keys older than their window and the expired
/// access tokens, at `now` on the sandbox's clock: both tables would
/// otherwise grow with every request for as long as the sandbox runs.
/// Returns how many keys and tokens went.
pub fn purge_expired(conn: &Connection, now: i64) -> rusqlite::Result<(usize, usize)> {
    let keys = crate::idempotency::purge(conn, now)?;
    let tokens = conn
        .prepare_cached("DELETE FROM ob_tokens WHERE expires_at <= ?1")?
        .execute([now])?;
    Ok((keys, tokens))
}
