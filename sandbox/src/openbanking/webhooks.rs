//! Open-banking webhooks, from the same durable outbox as the payouts
//! ones: the envelope `{type, payload, message, timestamp, event_id}`,
//! signed `lean-signature: sha512=<hex>` (HMAC-SHA512 of the raw body with
//! the webhook secret, by the core's own signer). A delivery counts only
//! when the receiver answers exactly 200; otherwise it is retried after 1,
//! 2, 5, 10, 60 and 180 minutes (the documented schedule, multiplied by
//! `--ob-webhook-time-factor`), then given up.

use std::time::Duration;

use lean_core::openbanking::webhooks::{
    sign, ACKNOWLEDGE_STATUS, RETRY_SCHEDULE, SIGNATURE_HEADER,
};
use lean_core::WebhookSecret;
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::clock::iso;

/// The outbox's `product` of open-banking rows.
pub const PRODUCT: &str = "openbanking";

/// How long a receiver may take to answer (documented: 10 seconds).
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// The body of every open-banking webhook.
#[derive(Serialize)]
struct Envelope<'a> {
    #[serde(rename = "type")]
    event_type: &'a str,
    payload: &'a RawValue,
    message: &'a str,
    timestamp: String,
    event_id: String,
}

/// Records an event for every registered open-banking receiver, in the
/// caller's transaction. The `event_id` is one UUID per event, the same
/// for every receiver and every retry.
pub fn enqueue(
    conn: &Connection,
    rng: &mut fastrand::Rng,
    event_type: &str,
    payload: Value,
    message: &str,
    now: i64,
) -> rusqlite::Result<()> {
    let payload = serde_json::value::to_raw_value(&payload)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    enqueue_raw(conn, rng, event_type, &payload, message, now)
}

/// [`enqueue`] with the payload as JSON text, for payloads whose numbers
/// must keep their exact text (amounts).
pub fn enqueue_raw(
    conn: &Connection,
    rng: &mut fastrand::Rng,
    event_type: &str,
    payload: &RawValue,
    message: &str,
    now: i64,
) -> rusqlite::Result<()> {
    let body = serde_json::to_string(&Envelope {
        event_type,
        payload,
        message,
        timestamp: iso(now),
        event_id: super::uuid(rng),
    })
    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO outbox (url, event, body, next_at, product)
         SELECT url, ?1, ?2, ?3, ?4 FROM ob_webhook_endpoints",
    )?
    .execute(params![event_type, body, now, PRODUCT])?;
    Ok(())
}

/// Registers an open-banking receiver for the events from now on.
pub fn register(conn: &Connection, url: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO ob_webhook_endpoints (url) VALUES (?1)",
        [url],
    )?;
    Ok(())
}

/// The registered receivers.
pub fn urls(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut s = conn.prepare_cached("SELECT url FROM ob_webhook_endpoints ORDER BY url")?;
    let urls = s.query_map([], |r| r.get(0))?;
    urls.collect()
}

/// The headers of one delivery besides `content-type`.
pub fn headers(secret: &WebhookSecret, body: &[u8]) -> Vec<(&'static str, String)> {
    vec![(SIGNATURE_HEADER, sign(secret, body))]
}

/// True when the receiver acknowledged the webhook: exactly 200.
pub fn acknowledged(status: u16) -> bool {
    status == ACKNOWLEDGE_STATUS
}

/// The wait before retry number `attempt` (1 after the first failure),
/// scaled by `factor`; `None` once the schedule is exhausted.
pub fn retry_wait(attempt: i64, factor: f64) -> Option<Duration> {
    let index = usize::try_from(attempt.checked_sub(1)?).ok()?;
    RETRY_SCHEDULE
        .get(index)
        .map(|d| Duration::from_secs_f64(d.as_secs_f64() * factor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_is_the_documented_one_scaled() {
        let minutes: Vec<u64> = (1..=6)
            .map(|a| retry_wait(a, 1.0).unwrap().as_secs() / 60)
            .collect();
        assert_eq!(minutes, [1, 2, 5, 10, 60, 180]);
        assert_eq!(retry_wait(1, 0.001), Some(Duration::from_millis(60)));
        assert_eq!(retry_wait(7, 1.0), None);
        assert_eq!(retry_wait(0, 1.0), None);
        assert!(acknowledged(200) && !acknowledged(201) && !acknowledged(204));
    }
}
