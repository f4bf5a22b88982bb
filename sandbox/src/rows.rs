//! Reading one row by one key: the lookups both APIs' records make
//! (a stored body, a status, whether an id is taken), the rows a tick
//! finds due, and how many rows one page of a list holds.

use rusqlite::types::FromSql;
use rusqlite::{Connection, OptionalExtension, Row};

/// The records per page of a list when the request names no size (the
/// payouts lists, and the open-banking lists answered as plain arrays).
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// The most records one page of any list may hold.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// The row `sql` finds for `key` (its `?1`), read by `read`, if any.
pub fn row<T>(
    conn: &Connection,
    sql: &str,
    key: &str,
    read: impl FnOnce(&Row) -> rusqlite::Result<T>,
) -> rusqlite::Result<Option<T>> {
    conn.query_row(sql, [key], read).optional()
}

/// The first column of the row `sql` finds for `key` (its `?1`), if any.
pub fn lookup<T: FromSql>(conn: &Connection, sql: &str, key: &str) -> rusqlite::Result<Option<T>> {
    row(conn, sql, key, |r| r.get(0))
}

/// Whether `sql` finds a row for `key` (its `?1`).
pub fn exists(conn: &Connection, sql: &str, key: &str) -> rusqlite::Result<bool> {
    Ok(conn.query_row(sql, [key], |_| Ok(())).optional()?.is_some())
}

/// Reads a row's first two columns.
pub fn two<A: FromSql, B: FromSql>(row: &Row) -> rusqlite::Result<(A, B)> {
    Ok((row.get(0)?, row.get(1)?))
}

/// Every row `sql` finds for `now` (its `?1`), read by `read`: the work
/// a tick finds due.
pub fn due<T>(
    conn: &Connection,
    sql: &str,
    now: i64,
    read: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([now], read)?;
    rows.collect()
}
