//! The open-banking tables, beside the payouts ones in the same database.
//! Records are stored as the JSON the API answers with, next to the
//! columns that lookups, ownership and due times need.

/// Created at start-up when absent.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ob_customers (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  TEXT NOT NULL UNIQUE,
    app_user_id  TEXT NOT NULL UNIQUE,
    body         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ob_entities (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_id    TEXT NOT NULL UNIQUE,
    customer_id  TEXT NOT NULL,
    body         TEXT NOT NULL,
    data         TEXT NOT NULL,
    created_at   INTEGER
);
CREATE INDEX IF NOT EXISTS ob_entities_customer ON ob_entities (customer_id);
CREATE TABLE IF NOT EXISTS ob_results (
    results_id   TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL,
    body         TEXT NOT NULL,
    ready_at     INTEGER NOT NULL,
    notified     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ob_results_due ON ob_results (ready_at) WHERE notified = 0;
CREATE TABLE IF NOT EXISTS ob_destinations (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    body         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ob_intents (
    payment_intent_id TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ob_payments (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id   TEXT NOT NULL UNIQUE,
    intent_id    TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    status       TEXT NOT NULL,
    settle_at    INTEGER,
    fail         INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ob_payments_intent ON ob_payments (intent_id);
CREATE INDEX IF NOT EXISTS ob_payments_settle ON ob_payments (settle_at) WHERE settle_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS ob_tokens (
    token        TEXT PRIMARY KEY,
    scope        TEXT NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ob_tokens_expiry ON ob_tokens (expires_at);
CREATE TABLE IF NOT EXISTS ob_refreshes (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    refresh_id   TEXT NOT NULL UNIQUE,
    entity_id    TEXT NOT NULL,
    customer_id  TEXT NOT NULL,
    pending      TEXT NOT NULL,
    done         TEXT NOT NULL,
    ready_at     INTEGER NOT NULL,
    notified     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ob_refreshes_entity ON ob_refreshes (entity_id);
CREATE INDEX IF NOT EXISTS ob_refreshes_due ON ob_refreshes (ready_at) WHERE notified = 0;
CREATE TABLE IF NOT EXISTS ob_webhook_endpoints (
    url          TEXT PRIMARY KEY
);
";

/// Brings a database written by an earlier version up to [`SCHEMA`]: its
/// entities lack `created_at` (they keep `NULL`, so no date range lists
/// them), which the date-range index needs.
pub fn migrate(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let has = conn
        .prepare("SELECT 1 FROM pragma_table_info('ob_entities') WHERE name = 'created_at'")?
        .exists([])?;
    if !has {
        conn.execute_batch("ALTER TABLE ob_entities ADD COLUMN created_at INTEGER")?;
    }
    conn.execute_batch("CREATE INDEX IF NOT EXISTS ob_entities_created ON ob_entities (created_at)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_earlier_database_gains_entity_creation_times() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE ob_entities (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity_id TEXT NOT NULL UNIQUE, customer_id TEXT NOT NULL, body TEXT NOT NULL, data TEXT NOT NULL);
             INSERT INTO ob_entities (entity_id, customer_id, body, data) VALUES ('e', 'c', '{}', '{}');",
        )
        .unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        migrate(&conn).unwrap();
        // Twice is harmless: start-up runs it every time.
        migrate(&conn).unwrap();
        let created: Option<i64> = conn
            .query_row("SELECT created_at FROM ob_entities", [], |r| r.get(0))
            .unwrap();
        assert_eq!(created, None);
    }
}
