//! Routing of the open-banking paths: one `match` on the path's segments,
//! then the method, then the caller, so every answer (a bad path, a wrong
//! method, a missing credential) has the documented error body.

use std::time::Duration;

use axum::http::Method;
use axum::response::Response;
use lean_core::openbanking::{DataKind, ErrorCode};
use lean_core::FieldErrorCode;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::bank::AccountData;
use super::reply::{failure, text, ObFailure};
use super::{auth, banks, customers, data, execution, payments, v2, Ctx};
use crate::app::{App, Req};
use crate::clock::now_ms;
use crate::tls::ClientCertificate;

/// True for the paths of the open-banking API (and the unknown paths
/// under its prefixes, which get its `INVALID_URL`).
pub fn owns(path: &str) -> bool {
    ["/customers", "/data", "/payments", "/oauth2", "/banks"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

enum Route {
    Token,
    Customers,
    CustomerByAppUserId(String),
    Customer(String),
    Entities(String),
    Entity(String, String),
    EntitiesCreated,
    Data(DataKind),
    V2(v2::Read, Option<String>),
    Refreshes,
    Refresh(String),
    Results(String),
    Intents,
    Intent(String),
    Destinations,
    Payment(String),
    Banks,
}

impl Route {
    fn find(segs: &[&str]) -> Option<Self> {
        let s = |x: &&str| x.to_string();
        Some(match segs {
            ["oauth2", "token"] => Self::Token,
            ["customers", "v1"] => Self::Customers,
            ["customers", "v1", "app-user-id", id] => Self::CustomerByAppUserId(s(id)),
            // Before `{customer_id}`: "entities" is not a customer id.
            ["customers", "v1", "entities"] => Self::EntitiesCreated,
            ["customers", "v1", id] => Self::Customer(s(id)),
            ["customers", "v1", id, "entities"] => Self::Entities(s(id)),
            ["customers", "v1", id, "entities", e] => Self::Entity(s(id), s(e)),
            ["data", "v1", kind] => Self::Data(data::kind(kind)?),
            ["data", "v1" | "v2", "results", id] => Self::Results(s(id)),
            ["data", "v2", "accounts"] => Self::V2(v2::Read::Accounts, None),
            ["data", "v2", "identity"] => Self::V2(v2::Read::Identity, None),
            ["data", "v2", "accounts", id, what] => Self::V2(
                v2::Read::Account(AccountData::from_segment(what)?),
                Some(s(id)),
            ),
            ["data", "v2", "refreshes"] => Self::Refreshes,
            ["data", "v2", "refreshes", id] => Self::Refresh(s(id)),
            ["payments", "v1", "intents"] => Self::Intents,
            ["payments", "v1", "intents", id] => Self::Intent(s(id)),
            ["payments", "v1", "destinations"] => Self::Destinations,
            ["payments", "v1", id] => Self::Payment(s(id)),
            ["banks", "v1"] => Self::Banks,
            _ => return None,
        })
    }

    fn methods(&self) -> &'static [&'static str] {
        match self {
            Self::Token | Self::Data(_) => &["POST"],
            Self::Customers | Self::Destinations | Self::Intents | Self::Refreshes => {
                &["GET", "POST"]
            }
            _ => &["GET"],
        }
    }
}

/// Answers one open-banking request; a slow bank's answer is held, with
/// the database free meanwhile.
pub async fn handle(app: &App, req: &Req<'_>) -> Response {
    match respond(app, req) {
        Ok((status, answer, wait)) => {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            text(status, answer)
        }
        Err(f) => failure(&f),
    }
}

fn respond(app: &App, req: &Req) -> Result<(u16, String, Duration), ObFailure> {
    let Req {
        method,
        path,
        query,
        headers,
        body,
        certificate,
    } = *req;
    if certificate == ClientCertificate::Revoked {
        return Err(ObFailure::code(
            ErrorCode::InvalidCertificate,
            "the client certificate was revoked: present the application's current certificate",
        ));
    }
    let decoded: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let segs: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let route = Route::find(&segs).ok_or_else(|| {
        ObFailure::code(
            ErrorCode::InvalidUrl,
            format!("no open-banking endpoint {path}"),
        )
    })?;
    if !route.methods().contains(&method.as_str()) {
        return Err(ObFailure::code(
            ErrorCode::InvalidHttpMethod,
            format!(
                "{method} is not allowed on {path}: use {}",
                route.methods().join(" or ")
            ),
        ));
    }
    let now = now_ms();
    let settings = &app.settings.openbanking;
    let mut conn = app.store.lock();
    let tx = conn.transaction()?;
    let mut rng = app.ids.lock().unwrap_or_else(|p| p.into_inner());
    if let Route::Token = route {
        let token: String = (0..40).map(|_| rng.alphanumeric()).collect();
        let answer = auth::issue_token(&tx, settings, body, token, now)?;
        tx.commit()?;
        return Ok((200, answer, Duration::ZERO));
    }
    let caller = auth::authenticate(&tx, settings, headers, now)?;
    if certificate == ClientCertificate::OtherApplication {
        return Err(ObFailure::code(
            ErrorCode::CertificateTokenMismatch,
            "the client certificate belongs to another application than the credential: present this application's certificate",
        ));
    }
    let post = *method == Method::POST;
    // A created refresh is 201; every other answer 200.
    let status = if post && matches!(route, Route::Refreshes) {
        201
    } else {
        200
    };
    let json = if post {
        let exact: &[&str] = if matches!(route, Route::Intents) {
            &["amount"]
        } else {
            &[]
        };
        read_json(body, exact)?
    } else {
        Value::Null
    };
    let mut ctx = Ctx {
        conn: &tx,
        settings,
        caller,
        now,
        rng: &mut rng,
        wait: Duration::ZERO,
    };
    let value = |r: Result<Value, ObFailure>| r.map(|v| v.to_string());
    let answer = match route {
        // Answered above, before authentication.
        Route::Token => Err(ObFailure::code(
            ErrorCode::InternalServerError,
            "the token endpoint was routed twice",
        )),
        Route::Customers if post => value(customers::create(&mut ctx, &json)),
        Route::Customers => value(customers::list(&ctx, query)),
        Route::CustomerByAppUserId(id) => value(customers::get_by_app_user_id(&ctx, &id)),
        Route::Customer(id) => value(customers::get(&ctx, &id)),
        Route::Entities(id) => value(customers::entities(&ctx, &id, query)),
        Route::Entity(id, e) => value(customers::entity(&ctx, &id, &e)),
        Route::EntitiesCreated => value(customers::entities_created(&ctx, query)),
        Route::Data(kind) => data::call(&mut ctx, kind, &json),
        Route::V2(what, account) => v2::read(&ctx, what, account.as_deref(), query),
        Route::Refreshes if post => v2::create_refresh(&mut ctx, &json),
        Route::Refreshes => v2::list_refreshes(&ctx, query),
        Route::Refresh(id) => v2::get_refresh(&ctx, &id),
        Route::Results(id) => data::results(&ctx, &id),
        Route::Intents if post => value(payments::create_intent(&mut ctx, &json)),
        Route::Intents => payments::list_intents(&ctx, query),
        Route::Intent(id) => value(payments::get_intent(&ctx, &id))
            .and_then(|body| execution::with_payments(ctx.conn, &id, &body)),
        Route::Destinations if post => value(payments::create_destination(&mut ctx, &json)),
        Route::Destinations => value(payments::list_destinations(&ctx, query)),
        Route::Payment(id) => execution::get(&ctx, &id),
        Route::Banks => value(banks::list(query)),
    }?;
    let wait = ctx.wait;
    tx.commit()?;
    Ok((status, answer, wait))
}

fn read_json(body: &[u8], exact: &[&str]) -> Result<Value, ObFailure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    payments::read_exact(body, exact).map_err(|e| {
        ObFailure::field(
            "$",
            FieldErrorCode::InvalidFormat,
            format!("the body is not JSON: {e}"),
        )
    })
}

/// `POST /_sandbox/openbanking/customers/{customer_id}/entities` (admin,
/// no credential: the sandbox listens on loopback only).
pub fn connect_bank(app: &App, customer_id: &str, body: &[u8]) -> Response {
    admin(app, |ctx| {
        let json = read_json(body, &[])?;
        customers::connect_bank(ctx, customer_id, &json).map(|v| v.to_string())
    })
}

/// `POST /_sandbox/openbanking/intents/{payment_intent_id}/pay` (admin):
/// the customer pays the intent, as in the Link SDK.
pub fn pay_intent(app: &App, intent_id: &str) -> Response {
    let settlement_ms =
        i64::try_from(app.settings.settlement_delay.as_millis()).unwrap_or(i64::MAX);
    admin(app, |ctx| execution::pay(ctx, intent_id, settlement_ms))
}

/// Runs an admin step as the application, in one transaction.
fn admin(app: &App, step: impl FnOnce(&mut Ctx) -> Result<String, ObFailure>) -> Response {
    let result = (|| -> Result<String, ObFailure> {
        let mut conn = app.store.lock();
        let tx = conn.transaction()?;
        let mut rng = app.ids.lock().unwrap_or_else(|p| p.into_inner());
        let mut ctx = Ctx {
            conn: &tx,
            settings: &app.settings.openbanking,
            caller: auth::Caller::App,
            now: now_ms(),
            rng: &mut rng,
            wait: Duration::ZERO,
        };
        let answer = step(&mut ctx)?;
        tx.commit()?;
        Ok(answer)
    })();
    match result {
        Ok(answer) => text(200, answer),
        Err(f) => failure(&f),
    }
}
