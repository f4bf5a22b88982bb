//! The payouts routes: one `match` on the method and the path's segments,
//! so every answer, including a bad path, is JSON in the shape the OpenAPI
//! document declares. Writes run in one transaction with the webhooks they
//! cause, and honour `Idempotency-Key`.

use axum::http::{header, HeaderValue};
use axum::response::Response;
use lean_core::FieldErrorCode;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::records::{self, Context, Table};
use crate::app::{App, Req};
use crate::clock::now_ms;
use crate::failure::{answer, failure, ok, Failure};
use crate::idempotency;

fn segments(path: &str) -> Result<Vec<String>, Failure> {
    path.trim_start_matches("/api")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| Failure::not_found("the path is not valid UTF-8 once decoded"))
        })
        .collect()
}

/// Answers one authorised payouts request, with the note of [`write`].
pub(super) fn route(app: &App, req: &Req) -> (Response, &'static str) {
    let (method, path, query) = (req.method, req.path, req.query);
    let segs = match segments(path) {
        Ok(s) => s,
        Err(f) => return (failure(&f), ""),
    };
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let read = |f: &dyn Fn(&rusqlite::Connection) -> Result<Value, Failure>| {
        let conn = app.store.lock();
        (answer(f(&conn)), "")
    };
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["customer"]) => write(app, req, records::create_customer),
        ("GET", ["customer", id]) => read(&|c| records::get_customer(c, id)),
        ("PATCH", ["customer", id]) => {
            let id = id.to_string();
            write(app, req, move |c, b, ctx| {
                records::update_customer(c, &id, b, ctx)
            })
        }
        ("POST", ["application"]) => write(app, req, records::submit_application),
        ("POST", ["gig"]) => write(app, req, records::create_gig),
        ("GET", ["gig"]) => (list(app, path, query, Table::Gigs), ""),
        ("GET", ["gig", id]) => read(&|c| records::get_gig(c, id)),
        ("POST", ["specialpayment"]) => write(app, req, records::create_special_payment),
        ("GET", ["specialpayment"]) => (list(app, path, query, Table::SpecialPayments), ""),
        ("GET", ["specialpayment", id]) => read(&|c| records::get_special_payment(c, id)),
        (_, ["customer"] | ["application"] | ["gig"] | ["specialpayment"])
        | (_, ["customer" | "gig" | "specialpayment", _]) => (
            failure(&Failure::status(
                405,
                format!("{method} is not allowed on {path}"),
            )),
            "",
        ),
        _ => (
            failure(&Failure::not_found(format!("no API route {path}"))),
            "",
        ),
    }
}

/// One page of a payouts list: the JSON array the reference documents,
/// with `x-total-count` and, while records remain, a `link` to the next
/// page (RFC 8288).
fn list(app: &App, path: &str, query: Option<&str>, table: Table) -> Response {
    let page = records::Window::parse(query).and_then(|window| {
        let conn = app.store.lock();
        records::list(&conn, table, window).map(|(items, total)| (window, items, total))
    });
    let (window, items, total) = match page {
        Ok(page) => page,
        Err(f) => return failure(&f),
    };
    let mut response = ok(&items);
    let headers = response.headers_mut();
    headers.insert("x-total-count", HeaderValue::from(total));
    let next = window.offset.saturating_add(u64::from(window.limit));
    if next < total {
        let link = format!(
            "<{path}?limit={}&offset={next}>; rel=\"next\"",
            window.limit
        );
        if let Ok(value) = HeaderValue::from_str(&link) {
            headers.insert(header::LINK, value);
        }
    }
    response
}

/// A write: parse the body, honour `Idempotency-Key`, run `op` in one
/// transaction with its webhooks, commit. The note says when the answer
/// was a replay, for the log line.
fn write(
    app: &App,
    req: &Req,
    op: impl FnOnce(&rusqlite::Connection, &Value, &mut Context) -> Result<Value, Failure>,
) -> (Response, &'static str) {
    let json: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice(req.body) {
            Ok(v) => v,
            Err(e) => {
                let f = Failure::field(
                    "$",
                    FieldErrorCode::InvalidFormat,
                    format!("the body is not JSON: {e}"),
                );
                return (failure(&f), "");
            }
        }
    };
    let key = match idempotency::key(req.headers) {
        Ok(key) => key,
        Err(message) => {
            let f = Failure::field("idempotencyKey", FieldErrorCode::InvalidFormat, message);
            return (failure(&f), "");
        }
    };
    let fingerprint = format!("{} {} {json}", req.method, req.path);
    let now = now_ms();
    let mut conn = app.store.lock();
    let result = (|| -> Result<(Value, &'static str), Failure> {
        let tx = conn.transaction()?;
        if let Some(key) = key {
            // The reference: a repeat "with the same key returns the same
            // result as the original request", whatever its body.
            if let Some(earlier) = idempotency::earlier(&tx, key, now)? {
                let note = if earlier.request == fingerprint {
                    " [idempotent replay]"
                } else {
                    " [idempotent replay of a different request]"
                };
                let value = serde_json::from_str(&earlier.body).unwrap_or(Value::Null);
                return Ok((value, note));
            }
        }
        let mut rng = app.ids.lock().unwrap_or_else(|p| p.into_inner());
        let mut ctx = Context {
            now,
            approval_ms: app.settings.approval_delay.as_millis() as i64,
            settlement_ms: app.settings.settlement_delay.as_millis() as i64,
            rng: &mut rng,
        };
        let value = op(&tx, &json, &mut ctx)?;
        if let Some(key) = key {
            idempotency::remember(&tx, key, &fingerprint, &value.to_string(), now)?;
        }
        tx.commit()?;
        Ok((value, ""))
    })();
    match result {
        Ok((value, note)) => {
            let mut response = ok(&value);
            if !note.is_empty() {
                response
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            (response, note)
        }
        Err(f) => (failure(&f), ""),
    }
}
