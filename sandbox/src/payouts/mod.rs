//! # The Lean Payouts API, emulated
//!
//! Under `/api`, authenticated with HTTP Basic (the API key as user name):
//! customers, applications, gigs and special payments (`routes`, the
//! stored records in [`records`]), each write honouring `Idempotency-Key`
//! ([`crate::idempotency`]); approvals and settlements happen as time
//! passes ([`lifecycle`]), with signed webhooks through the outbox.

pub mod lifecycle;
pub mod records;
mod routes;

use axum::http::{header, HeaderMap};
use axum::response::Response;
use base64::Engine as _;

use crate::app::{App, Req};
use crate::failure::{failure, Failure};

/// True for the paths of the payouts API.
pub fn owns(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Answers one payouts request; the note says when it was an idempotent
/// replay, for the log line.
pub fn handle(app: &App, req: &Req) -> (Response, &'static str) {
    if !authorized(app, req.headers) {
        let f = Failure::status(
            401,
            "unauthorized: send the API key as the HTTP Basic user name (Authorization: Basic base64(key + \":\"))",
        );
        return (failure(&f), "");
    }
    routes::route(app, req)
}

/// True when the Basic user name is one of the accepted API keys.
fn authorized(app: &App, headers: &HeaderMap) -> bool {
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
    app.settings
        .api_keys
        .iter()
        .fold(false, |ok, key| ok | same(key.as_bytes(), user))
}

/// Constant-time comparison, so the sandbox models good practice.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
