//! The HTTP surface: `/api/...` (the Lean API, Basic auth, faults), the
//! open-banking paths (`crate::openbanking`, faults too), the
//! `/_sandbox/...` admin endpoints (no auth: the server listens on loopback
//! only) and `/openapi.json`. Routing is one `match` on method and path
//! segments, so every answer, including a bad path, is JSON in the shape
//! the OpenAPI document declares.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use lean_core::FieldErrorCode;
use percent_encoding::percent_decode_str;
use rusqlite::{params, OptionalExtension};
use serde_json::Value;

use crate::clock::{self, now_ms};
use crate::failure::Failure;
use crate::guard;
use crate::lifecycle;
use crate::outbox;
use crate::records::{self, Context, Table};
use crate::settings::{check_webhook_url, Settings};
use crate::store::Store;
use crate::trigger;

/// The largest request body read; anything bigger is a 413.
const MAX_BODY: usize = 1 << 20;

/// How long an `Idempotency-Key` replays its first answer (reference);
/// older keys are purged.
pub const IDEMPOTENCY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Shared by every request.
pub struct App {
    /// The database.
    pub store: Arc<Store>,
    /// Start-up settings.
    pub settings: Settings,
    pub(crate) ids: Mutex<fastrand::Rng>,
    faults: Mutex<fastrand::Rng>,
    requests: AtomicU64,
}

impl App {
    /// Shared state for the router.
    pub fn new(store: Arc<Store>, settings: Settings, id_seed: u64) -> Self {
        let faults = fastrand::Rng::with_seed(settings.faults.seed);
        Self {
            store,
            settings,
            ids: Mutex::new(fastrand::Rng::with_seed(id_seed)),
            faults: Mutex::new(faults),
            requests: AtomicU64::new(0),
        }
    }
}

/// What the fault generator decided for one request.
#[derive(Default)]
struct Draw {
    unavailable: bool,
    drop_after_commit: bool,
    delay: Option<Duration>,
}

impl App {
    fn draw(&self) -> Draw {
        let f = &self.settings.faults;
        if !f.enabled() {
            return Draw::default();
        }
        let mut rng = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        // Always four draws, so the sequence of decisions depends on the
        // seed and the request order only.
        let (a, b, c, d) = (rng.f64(), rng.f64(), rng.f64(), rng.f64());
        Draw {
            unavailable: a < f.unavailable,
            drop_after_commit: b < f.drop_after_commit,
            delay: (c < f.latency)
                .then(|| Duration::from_secs_f64(f.latency_max.as_secs_f64() * d)),
        }
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return false;
        };
        let Some(encoded) = value
            .strip_prefix("Basic ")
            .or_else(|| value.strip_prefix("basic "))
        else {
            return false;
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let user = decoded.split(|b| *b == b':').next().unwrap_or_default();
        self.settings
            .api_keys
            .iter()
            .fold(false, |ok, key| ok | same(key.as_bytes(), user))
    }
}

/// Constant-time comparison, so the sandbox models good practice.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Every request enters here.
pub async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let started = Instant::now();
    let number = app.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let (parts, body) = request.into_parts();
    let (method, headers) = (parts.method, parts.headers);
    let path = parts.uri.path().to_owned();
    let guarded = guard::check_host(&headers, &app.settings.allowed_hosts);
    let body = match guarded {
        // A refused request's body is never read.
        Err(_) => Ok(Bytes::new()),
        Ok(()) => axum::body::to_bytes(body, MAX_BODY).await,
    };
    let (mut response, note) = if let Err(refusal) = &guarded {
        (refused(&path, refusal), "Host")
    } else if let Err(e) = &body {
        let f = Failure::status(
            413,
            format!("the body could not be read (at most 1 MiB): {e}"),
        );
        (failure(&f), "")
    } else if path == "/api" || path.starts_with("/api/") {
        let query = parts.uri.query();
        api(&app, &method, &path, query, &headers, &bytes(&body)).await
    } else if crate::openbanking::owns(&path) {
        let query = parts.uri.query();
        openbanking(&app, &method, &path, query, &headers, &bytes(&body)).await
    } else if let Some(rest) = path.strip_prefix("/_sandbox/") {
        let body = bytes(&body);
        match guard::check_admin(&headers, !body.is_empty()) {
            Ok(()) if method == Method::POST && rest.trim_end_matches('/') == "trigger" => {
                (trigger(app.clone(), body).await, "")
            }
            Ok(()) => (admin(&app, &method, rest, &body), ""),
            Err(refusal) => (refused(&path, &refusal), "admin"),
        }
    } else if path == "/openapi.json" && method == Method::GET {
        (reply(200, Body::from(crate::openapi::document())), "")
    } else {
        (
            failure(&Failure::not_found(format!(
                "no route {path}: the payouts API is under /api (such as /api/customer), its description at /openapi.json; open banking is at /customers/v1, /data, /payments/v1 and /oauth2/token"
            ))),
            "",
        )
    };
    if let Ok(id) = HeaderValue::from_str(&format!("req_{number}")) {
        response.headers_mut().insert("x-request-id", id);
    }
    let (status, latency_ms) = (
        response.status().as_u16(),
        (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0,
    );
    let request_id = format!("req_{number}");
    match note {
        "" => tracing::info!(%request_id, %method, %path, status, latency_ms, "request"),
        refused => {
            tracing::info!(%request_id, %method, %path, status, latency_ms, refused, "request")
        }
    }
    response
}

/// A request the guard refused, in the error shape of the API its path
/// belongs to.
fn refused(path: &str, refusal: &guard::Refusal) -> Response {
    if crate::openbanking::owns(path) {
        let mut f = crate::openbanking::reply::ObFailure::new(
            refusal.status,
            "REQUEST_REFUSED",
            refusal.message.clone(),
        );
        f.errors = vec![refusal.field_error()];
        return crate::openbanking::reply::failure(&f);
    }
    failure(&Failure {
        status: refusal.status,
        message: refusal.message.clone(),
        errors: vec![refusal.field_error()],
    })
}

fn bytes(body: &Result<Bytes, axum::Error>) -> Bytes {
    body.as_ref().cloned().unwrap_or_default()
}

fn reply(status: u16, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn ok(value: &Value) -> Response {
    reply(200, Body::from(value.to_string()))
}

fn failure(f: &Failure) -> Response {
    let mut response = reply(f.status, Body::from(f.body().to_string()));
    if f.status == 401 {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"lean-sandbox\""),
        );
    }
    response
}

fn answer(result: Result<Value, Failure>) -> Response {
    match result {
        Ok(v) => ok(&v),
        Err(f) => failure(&f),
    }
}

async fn api(
    app: &App,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &Bytes,
) -> (Response, &'static str) {
    let draw = app.draw();
    if let Some(delay) = draw.delay {
        tokio::time::sleep(delay).await;
    }
    if draw.unavailable {
        let f = Failure::status(
            503,
            "the sandbox is unavailable (injected fault): retry later",
        );
        return (failure(&f), " [fault: 503]");
    }
    if !app.authorized(headers) {
        let f = Failure::status(
            401,
            "unauthorized: send the API key as the HTTP Basic user name (Authorization: Basic base64(key + \":\"))",
        );
        return (failure(&f), "");
    }
    let (response, replayed) = route(app, method, path, query, headers, body);
    if draw.drop_after_commit {
        return (dropped(&response), " [fault: dropped after commit]");
    }
    (response, if replayed { " [idempotent replay]" } else { "" })
}

/// The work is committed; the client sees its connection die before a
/// complete answer, as with a network failure.
fn dropped(response: &Response) -> Response {
    let broken = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other(
            "injected fault: connection dropped after commit",
        ))
    });
    let mut dropped = Response::new(Body::from_stream(broken));
    *dropped.status_mut() = response.status();
    dropped
}

/// The open-banking routes, with the same injected faults as `/api`
/// except for `/oauth2/token` (a host's token fetch has no call engine to
/// retry it); a 503 has the API's error body.
async fn openbanking(
    app: &App,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &Bytes,
) -> (Response, &'static str) {
    use crate::openbanking::{handle, reply};
    if path == "/oauth2/token" {
        return (handle(app, method, path, query, headers, body), "");
    }
    let draw = app.draw();
    if let Some(delay) = draw.delay {
        tokio::time::sleep(delay).await;
    }
    if draw.unavailable {
        let f = reply::ObFailure::new(
            503,
            "SERVICE_UNAVAILABLE",
            "the sandbox is unavailable (injected fault): retry later",
        );
        return (reply::failure(&f), " [fault: 503]");
    }
    let response = handle(app, method, path, query, headers, body);
    if draw.drop_after_commit {
        return (dropped(&response), " [fault: dropped after commit]");
    }
    (response, "")
}

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

/// Returns the answer and whether it was an idempotent replay.
fn route(
    app: &App,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &Bytes,
) -> (Response, bool) {
    let segs = match segments(path) {
        Ok(s) => s,
        Err(f) => return (failure(&f), false),
    };
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let read = |f: &dyn Fn(&rusqlite::Connection) -> Result<Value, Failure>| {
        let conn = app.store.lock();
        (answer(f(&conn)), false)
    };
    match (method.as_str(), segs.as_slice()) {
        ("POST", ["customer"]) => write(app, method, path, headers, body, records::create_customer),
        ("GET", ["customer", id]) => read(&|c| records::get_customer(c, id)),
        ("PATCH", ["customer", id]) => {
            let id = id.to_string();
            write(app, method, path, headers, body, move |c, b, ctx| {
                records::update_customer(c, &id, b, ctx)
            })
        }
        ("POST", ["application"]) => write(
            app,
            method,
            path,
            headers,
            body,
            records::submit_application,
        ),
        ("POST", ["gig"]) => write(app, method, path, headers, body, records::create_gig),
        ("GET", ["gig"]) => (list(app, path, query, Table::Gigs), false),
        ("GET", ["gig", id]) => read(&|c| records::get_gig(c, id)),
        ("POST", ["specialpayment"]) => write(
            app,
            method,
            path,
            headers,
            body,
            records::create_special_payment,
        ),
        ("GET", ["specialpayment"]) => (list(app, path, query, Table::SpecialPayments), false),
        ("GET", ["specialpayment", id]) => read(&|c| records::get_special_payment(c, id)),
        (_, ["customer"] | ["application"] | ["gig"] | ["specialpayment"])
        | (_, ["customer" | "gig" | "specialpayment", _]) => (
            failure(&Failure::status(
                405,
                format!("{method} is not allowed on {path}"),
            )),
            false,
        ),
        _ => (
            failure(&Failure::not_found(format!("no API route {path}"))),
            false,
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
/// transaction with its webhooks, commit.
fn write(
    app: &App,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &Bytes,
    op: impl FnOnce(&rusqlite::Connection, &Value, &mut Context) -> Result<Value, Failure>,
) -> (Response, bool) {
    let json: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                let f = Failure::field(
                    "$",
                    FieldErrorCode::InvalidFormat,
                    format!("the body is not JSON: {e}"),
                );
                return (failure(&f), false);
            }
        }
    };
    let key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(k))
            if !k.is_empty() && k.len() <= 255 && k.chars().all(|c| ('!'..='~').contains(&c)) =>
        {
            Some(k.to_owned())
        }
        Some(_) => {
            let f = Failure::field(
                "idempotencyKey",
                FieldErrorCode::InvalidFormat,
                "the Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces",
            );
            return (failure(&f), false);
        }
    };
    let fingerprint = format!("{method} {path} {json}");
    let now = now_ms();
    let mut conn = app.store.lock();
    let result = (|| -> Result<(Value, bool), Failure> {
        let tx = conn.transaction()?;
        if let Some(key) = &key {
            let earlier: Option<(String, String)> = tx
                .query_row(
                    "SELECT request, body FROM idempotency WHERE key = ?1 AND created_at > ?2",
                    params![key, now - IDEMPOTENCY_WINDOW_MS],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((request, stored)) = earlier {
                if request != fingerprint {
                    return Err(Failure::field(
                        "idempotencyKey",
                        FieldErrorCode::InvalidValue,
                        "this Idempotency-Key was used for a different request within the last 24 hours: use a new key for a new payment",
                    ));
                }
                return Ok((serde_json::from_str(&stored).unwrap_or(Value::Null), true));
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
        if let Some(key) = &key {
            // Only successes are kept: a refused request created nothing,
            // so repeating it with the same key is evaluated afresh.
            tx.execute(
                "INSERT OR REPLACE INTO idempotency (key, request, status, body, created_at) VALUES (?1, ?2, 200, ?3, ?4)",
                params![key, fingerprint, value.to_string(), now],
            )?;
        }
        tx.commit()?;
        Ok((value, false))
    })();
    match result {
        Ok((value, replayed)) => {
            let mut response = ok(&value);
            if replayed {
                response
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            (response, replayed)
        }
        Err(f) => (failure(&f), false),
    }
}

fn admin(app: &App, method: &Method, rest: &str, body: &Bytes) -> Response {
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
                Some(Value::String(p)) if p == crate::openbanking::webhooks::PRODUCT => {
                    crate::openbanking::webhooks::register(&conn, &url)
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
            crate::openbanking::routes::connect_bank(app, &id, body)
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
            "admin routes: POST /_sandbox/trigger, GET /_sandbox/events, POST /_sandbox/events/{id}/resend, GET/POST /_sandbox/webhooks, POST /_sandbox/customers/{partnerUserId}/deactivate, POST /_sandbox/openbanking/customers/{customer_id}/entities, GET/POST /_sandbox/clock, GET /_sandbox/stats",
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
