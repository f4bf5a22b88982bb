//! Webhooks from a durable outbox. An event is written to the `outbox`
//! table in the same transaction as the change it reports (one row per
//! registered URL), and a delivery thread sends what is due: a restart
//! loses nothing, and a receiver that does not answer 2xx is retried up to
//! 5 times with doubling waits. Delivery is at least once, as with Lean.
//!
//! Redirects are never followed: a 3xx is a failed delivery, logged with
//! its `Location`, and retried like any other failure.
//!
//! Each row names its product: payouts rows are signed `x-lean-signature`
//! and retried as above; open-banking rows follow
//! [`crate::openbanking::webhooks`] (their own signature, exactly 200,
//! the documented schedule).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lean_core::webhooks::{sign, SIGNATURE_HEADER};
use lean_core::WebhookSecret;
use rusqlite::{params, Connection};
use serde_json::{json, Value};

use crate::clock::now_ms;
use crate::openbanking::webhooks as ob;
use crate::store::Store;

/// How each product's webhooks are signed and retried.
#[derive(Clone)]
pub struct Policy {
    /// The payouts signing key.
    pub secret: WebhookSecret,
    /// The wait before the first payouts retry; it doubles.
    pub backoff: Duration,
    /// The open-banking signing key.
    pub ob_secret: WebhookSecret,
    /// Multiplies the open-banking retry schedule.
    pub ob_time_factor: f64,
}

/// Retries after the first attempt (reference: "will retry up to 5 times").
pub const MAX_RETRIES: i64 = 5;

/// Records `event` about `data` for every registered URL.
pub fn enqueue(conn: &Connection, event: &str, data: Value, now: i64) -> rusqlite::Result<()> {
    let body = json!({ "event": event, "data": data }).to_string();
    conn.prepare_cached(
        "INSERT INTO outbox (url, event, body, next_at) SELECT url, ?1, ?2, ?3 FROM webhook_endpoints",
    )?
    .execute(params![event, body, now])?;
    Ok(())
}

/// Registers a receiver for the events from now on.
pub fn register(conn: &Connection, url: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO webhook_endpoints (url) VALUES (?1)",
        [url],
    )?;
    Ok(())
}

/// Counts of the outbox, for tests and people: `{"pending", "delivered",
/// "failed"}` (both products), the registered payouts URLs (`urls`) and
/// open-banking URLs (`openbanking_urls`).
pub fn status(conn: &Connection) -> rusqlite::Result<Value> {
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let mut s = conn.prepare_cached("SELECT url FROM webhook_endpoints ORDER BY url")?;
    let urls: Vec<String> = s.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(json!({
        "pending": count("SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND gave_up = 0")?,
        "delivered": count("SELECT count(*) FROM outbox WHERE delivered_at IS NOT NULL")?,
        "failed": count("SELECT count(*) FROM outbox WHERE gave_up = 1")?,
        "urls": urls,
        "openbanking_urls": ob::urls(conn)?,
    }))
}

/// The most recent deliveries, newest first, for `GET /_sandbox/events`:
/// each with its event, receiver, attempts, last status and next retry.
pub fn list(conn: &Connection, limit: i64) -> rusqlite::Result<Value> {
    deliveries(conn, None, limit)
}

/// Deliveries as JSON, newest first; only `id` when given.
fn deliveries(conn: &Connection, id: Option<i64>, limit: i64) -> rusqlite::Result<Value> {
    let mut s = conn.prepare_cached(
        "SELECT id, product, event, url, attempts, last_status, last_error, delivered_at, gave_up, next_at
         FROM outbox WHERE ?1 IS NULL OR id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = s.query_map(params![id, limit], |r| {
        let delivered_at: Option<i64> = r.get(7)?;
        let gave_up: bool = r.get(8)?;
        let next_at: i64 = r.get(9)?;
        let state = match (delivered_at, gave_up) {
            (Some(_), _) => "delivered",
            (None, true) => "failed",
            (None, false) => "pending",
        };
        Ok(json!({
            "id": r.get::<_, i64>(0)?,
            "product": r.get::<_, String>(1)?,
            "event": r.get::<_, String>(2)?,
            "url": r.get::<_, String>(3)?,
            "attempts": r.get::<_, i64>(4)?,
            "last_status": r.get::<_, Option<i64>>(5)?,
            "last_error": r.get::<_, Option<String>>(6)?,
            "state": state,
            "delivered_at": delivered_at.map(crate::clock::iso),
            "next_retry_at": (state == "pending").then(|| crate::clock::iso(next_at)),
        }))
    })?;
    Ok(Value::Array(rows.collect::<Result<_, _>>()?))
}

/// Sends delivery `id` once more, now, whatever its state (a delivered
/// one again: receivers must cope with duplicates). `None` when there is
/// no such delivery.
pub fn resend(conn: &Connection, id: i64, now: i64) -> rusqlite::Result<Option<Value>> {
    let changed = conn.execute(
        "UPDATE outbox SET next_at = ?2, gave_up = 0, delivered_at = NULL WHERE id = ?1",
        params![id, now],
    )?;
    if changed == 0 {
        return Ok(None);
    }
    let mut rows = deliveries(conn, Some(id), 1)?;
    Ok(rows.get_mut(0).map(Value::take))
}

struct Due {
    id: i64,
    url: String,
    event: String,
    body: String,
    attempts: i64,
    product: String,
}

/// How long a payouts receiver has to answer one delivery.
pub(crate) const PAYOUTS_ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

/// The HTTP client of every webhook the sandbox sends (the outbox and
/// `trigger`). A redirect is the receiver's answer, never a new
/// destination: the signed body stays on the URL it was meant for.
pub(crate) fn delivery_agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .build(),
    )
}

/// Sends due webhooks until `stop` is set. Runs on its own thread: a slow
/// receiver delays other webhooks, never the API.
pub fn deliver_forever(store: Arc<Store>, policy: Policy, stop: Arc<AtomicBool>) {
    let (payouts_agent, ob_agent) = (
        delivery_agent(PAYOUTS_ANSWER_TIMEOUT),
        delivery_agent(ob::ANSWER_TIMEOUT),
    );
    while !stop.load(Ordering::Relaxed) {
        let due = match take_due(&store) {
            Ok(due) => due,
            Err(e) => {
                tracing::error!("webhook outbox error: {e}");
                Vec::new()
            }
        };
        if due.is_empty() {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        for item in due {
            let openbanking = item.product == ob::PRODUCT;
            let started = std::time::Instant::now();
            let result = if openbanking {
                let mut request = ob_agent
                    .post(&item.url)
                    .header("content-type", "application/json");
                for (name, value) in ob::headers(&policy.ob_secret, item.body.as_bytes()) {
                    request = request.header(name, value);
                }
                request.send(item.body.as_bytes())
            } else {
                payouts_agent
                    .post(&item.url)
                    .header("content-type", "application/json")
                    .header(SIGNATURE_HEADER, sign(&policy.secret, item.body.as_bytes()))
                    .header("x-lean-event", &item.event)
                    .header("x-lean-delivery", item.id.to_string())
                    .send(item.body.as_bytes())
            };
            let attempt = item.attempts + 1;
            let mut last_status = None;
            let outcome = match result {
                Ok(mut response) => {
                    let _ = response.body_mut().read_to_vec();
                    let code = response.status().as_u16();
                    last_status = Some(code);
                    let accepted = if openbanking {
                        ob::acknowledged(code)
                    } else {
                        (200..300).contains(&code)
                    };
                    if accepted {
                        Ok(code)
                    } else if (300..400).contains(&code) {
                        let location = response
                            .headers()
                            .get("location")
                            .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
                        Err(redirect_refused(code, location.as_deref()))
                    } else {
                        Err(format!("answered {code}"))
                    }
                }
                Err(e) => Err(e.to_string()),
            };
            let took = started.elapsed().as_secs_f64() * 1000.0;
            let now = now_ms();
            // The wait before the next attempt; `None` gives up.
            let next = if openbanking {
                ob::retry_wait(attempt, policy.ob_time_factor)
                    .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            } else {
                (attempt <= MAX_RETRIES).then(|| {
                    (policy.backoff.as_millis() as i64)
                        .saturating_mul(1i64 << (attempt - 1).clamp(0, 20))
                })
            };
            let saved = {
                let conn = store.lock();
                match &outcome {
                    Ok(_) => conn.execute(
                        "UPDATE outbox SET attempts = ?2, delivered_at = ?3, last_error = NULL, last_status = ?4 WHERE id = ?1",
                        params![item.id, attempt, now, last_status],
                    ),
                    Err(e) => conn.execute(
                        "UPDATE outbox SET attempts = ?2, next_at = ?3, gave_up = ?4, last_error = ?5, last_status = ?6 WHERE id = ?1",
                        params![item.id, attempt, now.saturating_add(next.unwrap_or(0)), next.is_none(), e, last_status],
                    ),
                }
            };
            let what = match &outcome {
                Ok(code) => format!("{code}"),
                Err(e) if next.is_none() => format!("failed: {e}; giving up"),
                Err(e) => format!("failed: {e}; will retry"),
            };
            tracing::info!(
                delivery = item.id,
                event = %item.event,
                url = %item.url,
                attempt,
                latency_ms = (took * 10.0).round() / 10.0,
                "webhook #{} {} -> {} {what}",
                item.id,
                item.event,
                item.url
            );
            if let Err(e) = saved {
                tracing::error!("webhook outbox error: {e}");
            }
        }
    }
}

/// The failure of a delivery answered with a redirect, naming where it
/// pointed.
fn redirect_refused(code: u16, location: Option<&str>) -> String {
    match location {
        Some(location) => format!(
            "answered {code} redirecting to {location:?}: not followed (webhooks go to the registered URL only)"
        ),
        None => format!(
            "answered {code} (a redirect without Location): not followed (webhooks go to the registered URL only)"
        ),
    }
}

fn take_due(store: &Store) -> rusqlite::Result<Vec<Due>> {
    let conn = store.lock();
    let mut s = conn.prepare_cached(
        "SELECT id, url, event, body, attempts, product FROM outbox
         WHERE delivered_at IS NULL AND gave_up = 0 AND next_at <= ?1 ORDER BY id LIMIT 64",
    )?;
    let rows = s.query_map([now_ms()], |r| {
        Ok(Due {
            id: r.get(0)?,
            url: r.get(1)?,
            event: r.get(2)?,
            body: r.get(3)?,
            attempts: r.get(4)?,
            product: r.get(5)?,
        })
    })?;
    rows.collect()
}
