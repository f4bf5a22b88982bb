//! Every request enters here: the `Host` guard, the bounded body, then the
//! API the path belongs to: payouts under `/api` ([`crate::payouts`]), open
//! banking at its own paths ([`crate::openbanking`]), both with the
//! injected faults; the admin routes under `/_sandbox/` ([`crate::admin`]);
//! `/openapi.json`. Each request is logged once, with its `x-request-id`.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;

use crate::app::{App, Req};
use crate::failure::{failure, reply, Failure};
use crate::guard;
use crate::openbanking::{self, reply::ObFailure};
use crate::tls::MtlsPeer;
use crate::{admin, payouts};

/// The largest request body read; anything bigger is a 413.
const MAX_BODY: usize = 1 << 20;

/// The two APIs, each with its own error body.
#[derive(Clone, Copy)]
enum Api {
    Payouts,
    OpenBanking,
}

impl Api {
    fn of(path: &str) -> Option<Self> {
        if payouts::owns(path) {
            Some(Self::Payouts)
        } else if openbanking::owns(path) {
            Some(Self::OpenBanking)
        } else {
            None
        }
    }

    /// A refusal in this API's shape; `code` is the open-banking code.
    fn refusal(
        self,
        status: u16,
        code: &str,
        message: &str,
        errors: Vec<lean_core::FieldError>,
    ) -> Response {
        match self {
            Self::Payouts => failure(&Failure {
                status,
                message: message.to_owned(),
                errors,
            }),
            Self::OpenBanking => {
                let mut f = ObFailure::new(status, code, message);
                f.errors = errors;
                openbanking::reply::failure(&f)
            }
        }
    }
}

/// Every request enters here.
pub async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let started = Instant::now();
    let request_id = format!("req_{}", app.next_request());
    let certificate = request
        .extensions()
        .get::<ConnectInfo<MtlsPeer>>()
        .map(|peer| peer.certificate)
        .unwrap_or_default();
    let (parts, body) = request.into_parts();
    let (method, headers) = (parts.method, parts.headers);
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query();
    let guarded = guard::check_host(&headers, &app.settings.allowed_hosts);
    let body = match guarded {
        // A refused request's body is never read.
        Err(_) => Ok(Bytes::new()),
        Ok(()) => axum::body::to_bytes(body, MAX_BODY).await,
    };
    let (mut response, note) = match (&guarded, body, Api::of(&path)) {
        (Err(refusal), _, api) => {
            let api = api.unwrap_or(Api::Payouts);
            let errors = vec![refusal.field_error()];
            (
                api.refusal(refusal.status, "REQUEST_REFUSED", &refusal.message, errors),
                "Host",
            )
        }
        (Ok(()), Err(e), _) => {
            let message = format!("the body could not be read (at most 1 MiB): {e}");
            (failure(&Failure::status(413, message)), "")
        }
        (Ok(()), Ok(body), Some(api)) => {
            let req = Req {
                method: &method,
                path: &path,
                query,
                headers: &headers,
                body: &body,
                certificate,
            };
            match api {
                Api::Payouts => faulted(&app, api, async { payouts::handle(&app, &req) }).await,
                // A host's token fetch has no call engine to retry it: no
                // faults.
                Api::OpenBanking if path == "/oauth2/token" => {
                    (openbanking::handle(&app, &req).await, "")
                }
                Api::OpenBanking => {
                    let serve = async { (openbanking::handle(&app, &req).await, "") };
                    faulted(&app, api, serve).await
                }
            }
        }
        (Ok(()), Ok(body), None) => {
            if let Some(rest) = path.strip_prefix("/_sandbox/") {
                match guard::check_admin(&headers, !body.is_empty()) {
                    Ok(()) => (admin::handle(app.clone(), &method, rest, body).await, ""),
                    Err(refusal) => {
                        let errors = vec![refusal.field_error()];
                        let response =
                            Api::Payouts.refusal(refusal.status, "", &refusal.message, errors);
                        (response, "admin")
                    }
                }
            } else if path == "/openapi.json" && method == Method::GET {
                (reply(200, Body::from(crate::openapi::document())), "")
            } else {
                (failure(&Failure::not_found(format!(
                    "no route {path}: the payouts API is under /api (such as /api/customer), its description at /openapi.json; open banking is at /customers/v1, /data, /payments/v1, /banks/v1 and /oauth2/token"
                ))), "")
            }
        }
    };
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", id);
    }
    let (status, latency_ms) = (
        response.status().as_u16(),
        (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0,
    );
    match note {
        "" => tracing::info!(%request_id, %method, %path, status, latency_ms, "request"),
        refused => {
            tracing::info!(%request_id, %method, %path, status, latency_ms, refused, "request")
        }
    }
    response
}

/// Runs `serve` under the injected faults: the rate limit's 429 with
/// nothing done, a delay, a 503 in the API's shape with nothing done, or
/// the work done and the answer dropped.
async fn faulted(
    app: &App,
    api: Api,
    serve: impl Future<Output = (Response, &'static str)>,
) -> (Response, &'static str) {
    if let Some(seconds) = app.throttle.check() {
        let message = format!("too many requests (injected rate limit): retry after {seconds} s");
        let mut response = api.refusal(429, "RATE_LIMIT_EXCEEDED", &message, Vec::new());
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return (response, " [fault: 429]");
    }
    let draw = app.draw();
    if let Some(delay) = draw.delay {
        tokio::time::sleep(delay).await;
    }
    if draw.unavailable {
        let message = "the sandbox is unavailable (injected fault): retry later";
        let response = api.refusal(503, "SERVICE_UNAVAILABLE", message, Vec::new());
        return (response, " [fault: 503]");
    }
    let (response, note) = serve.await;
    if draw.drop_after_commit {
        return (dropped(&response), " [fault: dropped after commit]");
    }
    (response, note)
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
