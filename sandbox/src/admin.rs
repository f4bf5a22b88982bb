//! The `/_sandbox/...` admin routes, for tests and tools: register webhook
//! receivers, list and re-send deliveries, trigger one webhook, connect a
//! bank, move the clock, set the rate limit, deactivate a customer, count
//! rows. No credential: the server listens on loopback only, and
//! `guard::check_admin` refuses what a web page could send.

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::Method;
use axum::response::Response;
use lean_core::FieldErrorCode;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::app::App;
use crate::clock::{self, now_ms};
use crate::failure::{answer, failure, ok, Failure};
use crate::openbanking;
use crate::outbox;
use crate::payouts::lifecycle;
use crate::settings::check_webhook_url;
use crate::throttle;
use crate::trigger;

/// Answers one admin request (`rest` is the path after `/_sandbox/`).
pub async fn handle(app: Arc<App>, method: &Method, rest: &str, body: Bytes) -> Response {
    if *method == Method::POST && rest.trim_end_matches('/') == "trigger" {
        return trigger(app, body).await;
    }
    route(&app, method, rest, &body)
}

fn route(app: &App, method: &Method, rest: &str, body: &Bytes) -> Response {
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let mut conn = app.store.lock();
    match (method.as_str(), segs.as_slice()) {
        ("GET", ["webhooks"]) => answer(outbox::status(&conn).map_err(Failure::from)),
        ("POST", ["webhooks"]) => {
            let json = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
            let url = json.get("url").and_then(Value::as_str).map(str::to_owned);
            let Some(url) = url else {
                return failure(&Failure::field("url", FieldErrorCode::Required, "send {\"url\": \"http://127.0.0.1:PORT/path\"} (and \"product\": \"openbanking\" for open-banking webhooks)"));
            };
            if let Err(e) = check_webhook_url(&url) {
                return failure(&Failure::field("url", FieldErrorCode::InvalidValue, e));
            }
            let registered = match json.get("product") {
                None | Some(Value::Null) => outbox::register(&conn, &url),
                Some(Value::String(p)) if p == "payouts" => outbox::register(&conn, &url),
                Some(Value::String(p)) if p == openbanking::webhooks::PRODUCT => {
                    openbanking::webhooks::register(&conn, &url)
                }
                Some(_) => {
                    return failure(&Failure::field(
                        "product",
                        FieldErrorCode::InvalidValue,
                        "must be \"payouts\" (the default) or \"openbanking\"",
                    ))
                }
            };
            answer(
                registered
                    .and_then(|_| outbox::status(&conn))
                    .map_err(Failure::from),
            )
        }
        ("POST", ["openbanking", "customers", id, "entities"]) => {
            drop(conn);
            let id = percent_decode_str(id).decode_utf8_lossy().into_owned();
            openbanking::routes::connect_bank(app, &id, body)
        }
        ("POST", ["openbanking", "intents", id, "pay"]) => {
            drop(conn);
            let id = percent_decode_str(id).decode_utf8_lossy().into_owned();
            openbanking::routes::pay_intent(app, &id)
        }
        ("GET", ["rate-limit"]) => ok(&app.throttle.status()),
        ("POST", ["rate-limit"]) => {
            let json = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
            let every = json.get("every").and_then(Value::as_u64);
            let retry_after = match json.get("retry_after") {
                None => Some(app.settings.faults.retry_after),
                Some(v) => v.as_u64().filter(|s| *s <= throttle::MAX_RETRY_AFTER),
            };
            let (Some(every), Some(retry_after)) = (every, retry_after) else {
                let field = if every.is_none() { "every" } else { "retry_after" };
                return failure(&Failure::field(
                    field,
                    FieldErrorCode::InvalidValue,
                    format!("send {{\"every\": N, \"retry_after\": SECONDS}}: every Nth API request is answered 429 (0 = never), with Retry-After 0 to {} seconds", throttle::MAX_RETRY_AFTER),
                ));
            };
            app.throttle.set(every, retry_after);
            ok(&app.throttle.status())
        }
        ("GET", ["clock"]) => ok(&clock_status()),
        ("POST", ["clock"]) => {
            let json = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
            let Some(ms) = json
                .get("advance_ms")
                .and_then(Value::as_i64)
                .filter(|ms| (0..=clock::MAX_ADVANCE_MS).contains(ms))
            else {
                return failure(&Failure::field(
                    "advance_ms",
                    FieldErrorCode::OutOfRange,
                    format!("send {{\"advance_ms\": N}}: how far to move the sandbox's clock forward, 0 to {} milliseconds", clock::MAX_ADVANCE_MS),
                ));
            };
            clock::advance(ms);
            // What expired is gone before the answer, so a test can look.
            match crate::store::purge_expired(&conn, now_ms()) {
                Ok(_) => ok(&clock_status()),
                Err(e) => failure(&Failure::from(e)),
            }
        }
        ("GET", ["stats"]) => answer(stats(&conn).map_err(Failure::from)),
        ("GET", ["events"]) => answer(
            outbox::list(&conn, EVENTS_LISTED)
                .map(|events| serde_json::json!({ "events": events }))
                .map_err(Failure::from),
        ),
        ("POST", ["events", id, "resend"]) => {
            let Ok(id) = id.parse::<i64>() else {
                return failure(&Failure::not_found(format!(
                    "no delivery {id:?}: ids are the numbers GET /_sandbox/events lists"
                )));
            };
            match outbox::resend(&conn, id, now_ms()) {
                Ok(Some(delivery)) => ok(&delivery),
                Ok(None) => failure(&Failure::not_found(format!(
                    "no delivery {id}: GET /_sandbox/events lists them"
                ))),
                Err(e) => failure(&Failure::from(e)),
            }
        }
        ("POST", ["customers", id, "deactivate"]) => {
            let id = percent_decode_str(id).decode_utf8_lossy().into_owned();
            match lifecycle::deactivate(&mut conn, &id, now_ms()) {
                Ok(Some(customer)) => ok(&customer),
                Ok(None) => failure(&Failure::not_found(format!("no customer with partnerUserId {id:?}"))),
                Err(e) => failure(&Failure::from(e)),
            }
        }
        _ => failure(&Failure::not_found(
            "admin routes: POST /_sandbox/trigger, GET /_sandbox/events, POST /_sandbox/events/{id}/resend, GET/POST /_sandbox/webhooks, POST /_sandbox/customers/{partnerUserId}/deactivate, POST /_sandbox/openbanking/customers/{customer_id}/entities, POST /_sandbox/openbanking/intents/{payment_intent_id}/pay, GET/POST /_sandbox/clock, GET/POST /_sandbox/rate-limit, GET /_sandbox/stats",
        )),
    }
}

/// How many deliveries `GET /_sandbox/events` lists, newest first.
const EVENTS_LISTED: i64 = 200;

/// `POST /_sandbox/trigger`: sends one webhook now (see
/// [`crate::trigger`]), signed with the keys this sandbox signs with unless
/// the body names a `secret`, and answers the report. Sending waits for the
/// receiver, so it runs off the request threads.
async fn trigger(app: Arc<App>, body: Bytes) -> Response {
    let request: trigger::Trigger = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return failure(&Failure::field(
                "body",
                FieldErrorCode::InvalidValue,
                format!("send {{\"event\": \"gig.completed\", \"to\": \"http://127.0.0.1:PORT/path\"}} and optionally data, replay, bad_signature, unsigned, secret: {e}"),
            ))
        }
    };
    if let Err((field, message)) = trigger::check(&request) {
        return failure(&Failure::field(
            field,
            FieldErrorCode::InvalidValue,
            message,
        ));
    }
    let keys = trigger::Keys {
        payouts: app.settings.signing_secret().to_owned(),
        openbanking: app.settings.openbanking.webhook_secret.clone(),
    };
    match tokio::task::spawn_blocking(move || trigger::send(&request, &keys)).await {
        Ok(Ok(report)) => ok(&serde_json::to_value(report).unwrap_or_default()),
        Ok(Err((field, message))) => failure(&Failure::field(
            field,
            FieldErrorCode::InvalidValue,
            message,
        )),
        Err(e) => failure(&Failure::status(500, format!("the trigger stopped: {e}"))),
    }
}

/// `GET /_sandbox/clock`: the sandbox's time and how far it was moved.
fn clock_status() -> Value {
    serde_json::json!({ "now": clock::iso(now_ms()), "offset_ms": clock::offset_ms() })
}

/// `GET /_sandbox/stats`: how many rows each table holds, so a test can
/// count what was stored (and what was purged) without an API for it.
fn stats(conn: &rusqlite::Connection) -> rusqlite::Result<Value> {
    let mut rows = serde_json::Map::new();
    for (name, table) in [
        ("customers", "customers"),
        ("gigs", "gigs"),
        ("special_payments", "special_payments"),
        ("idempotency_keys", "idempotency"),
        ("openbanking_customers", "ob_customers"),
        ("openbanking_entities", "ob_entities"),
        ("openbanking_payment_intents", "ob_intents"),
        ("openbanking_payments", "ob_payments"),
        ("openbanking_destinations", "ob_destinations"),
        ("openbanking_tokens", "ob_tokens"),
        ("webhooks", "outbox"),
    ] {
        let count: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        rows.insert(name.to_owned(), Value::from(count));
    }
    Ok(serde_json::json!({ "rows": rows }))
}
