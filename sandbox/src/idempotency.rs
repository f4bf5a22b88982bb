//! `Idempotency-Key`: a write sent again with the same key within 24 hours
//! gets the answer of the first, and nothing happens twice. Only successes
//! are remembered: a refused request created nothing, so its repeat is
//! evaluated afresh. Keys live in the `idempotency` table, written in the
//! same transaction as the write they answer.

use axum::http::HeaderMap;
use rusqlite::{params, Connection, OptionalExtension};

/// How long a key replays its first answer (reference); older keys are
/// purged.
pub const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Why a key was refused, for the field error of either API.
pub const MALFORMED: &str =
    "the Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces";

/// The request's key: none, or one of 1 to 255 visible ASCII characters;
/// anything else is `Err(MALFORMED)`.
pub fn key(headers: &HeaderMap) -> Result<Option<&str>, &'static str> {
    match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => Ok(None),
        Some(Ok(k))
            if !k.is_empty() && k.len() <= 255 && k.chars().all(|c| ('!'..='~').contains(&c)) =>
        {
            Ok(Some(k))
        }
        Some(_) => Err(MALFORMED),
    }
}

/// A remembered success.
pub struct Earlier {
    /// What was asked (method, path and body, as the caller wrote it).
    pub request: String,
    /// The answer's body.
    pub body: String,
}

/// The success remembered for `key` within its window, if any.
pub fn earlier(conn: &Connection, key: &str, now: i64) -> rusqlite::Result<Option<Earlier>> {
    conn.query_row(
        "SELECT request, body FROM idempotency WHERE key = ?1 AND created_at > ?2",
        params![key, now - WINDOW_MS],
        |r| {
            Ok(Earlier {
                request: r.get(0)?,
                body: r.get(1)?,
            })
        },
    )
    .optional()
}

/// Remembers a success under `key`.
pub fn remember(
    conn: &Connection,
    key: &str,
    request: &str,
    body: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO idempotency (key, request, status, body, created_at) VALUES (?1, ?2, 200, ?3, ?4)",
        params![key, request, body, now],
    )
    .map(drop)
}

/// Deletes the keys whose window is over at `now`; returns how many.
pub fn purge(conn: &Connection, now: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM idempotency WHERE created_at <= ?1")?
        .execute([now.saturating_sub(WINDOW_MS)])
}
