//! Payments executed against intents. A customer pays an intent in Lean's
//! Link SDK; here the admin call `POST
//! /_sandbox/openbanking/intents/{payment_intent_id}/pay` stands for that
//! step. The payment is created `PENDING_WITH_BANK` (a `payment.created`
//! webhook), and after the settlement delay becomes `ACCEPTED_BY_BANK`, or
//! `FAILED` when the intent's description contains `sandbox-fail` (any
//! case), with a `payment.updated` webhook. Due times are stored with the
//! payments, so a restart resumes them; each change and its webhook commit
//! together. The intent lists its payments, and `GET
//! /payments/v1/{payment_id}` answers one.
//!
//! Amounts stay exact: the payment's amount is the intent's decimal text,
//! written as a JSON number (`"amount":100.50`), never through a float.

use std::collections::BTreeMap;

use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::data::FAIL_TRIGGER;
use super::reply::ObFailure;
use super::webhooks;
use super::Ctx;
use crate::rows;

/// The status of a payment the bank has not settled yet.
pub const PENDING: &str = "PENDING_WITH_BANK";

/// The status of a settled payment.
pub const ACCEPTED: &str = "ACCEPTED_BY_BANK";

/// The status of a payment the bank refused.
pub const FAILED: &str = "FAILED";

/// A payment, in the shape of Lean's `payment.created` samples.
#[derive(Serialize)]
struct Payment<'a> {
    id: &'a str,
    amount: &'a RawValue,
    currency: &'a str,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    intent_id: &'a str,
    customer_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_destination_id: Option<&'a str>,
    bank_transaction_reference: &'a str,
    metadata: Map<String, Value>,
}

/// The intent fields a payment copies, read from its stored body.
struct Intent {
    customer_id: String,
    amount: Box<RawValue>,
    currency: String,
    description: String,
    destination: Option<String>,
}

fn intent(conn: &Connection, id: &str) -> Result<Intent, ObFailure> {
    let body: Option<String> = rows::lookup(
        conn,
        "SELECT body FROM ob_intents WHERE payment_intent_id = ?1",
        id,
    )?;
    let body = body.ok_or_else(|| ObFailure::not_found(format!("no payment intent {id:?}")))?;
    let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let amount = text(&json["amount"]).unwrap_or_default();
    let amount = RawValue::from_string(amount).map_err(|_| {
        ObFailure::code(
            lean_core::openbanking::ErrorCode::InternalServerError,
            "the stored intent has no decimal amount",
        )
    })?;
    Ok(Intent {
        customer_id: text(&json["customer_id"]).unwrap_or_default(),
        amount,
        currency: text(&json["currency"]).unwrap_or_default(),
        description: text(&json["description"]).unwrap_or_default(),
        destination: text(&json["payment_destination"]["id"]),
    })
}

/// The admin call: the customer pays intent `id`; answers the payment.
/// An intent is paid once, unless every earlier payment failed.
pub fn pay(ctx: &mut Ctx, id: &str, settlement_ms: i64) -> Result<String, ObFailure> {
    let intent = intent(ctx.conn, id)?;
    let open: i64 = ctx.conn.query_row(
        "SELECT count(*) FROM ob_payments WHERE intent_id = ?1 AND status != ?2",
        params![id, FAILED],
        |r| r.get(0),
    )?;
    if open > 0 {
        return Err(ObFailure::field(
            "payment_intent_id",
            lean_core::FieldErrorCode::InvalidValue,
            format!("intent {id:?} is paid already"),
        ));
    }
    let payment_id = super::uuid(ctx.rng);
    let reference = format!("SBX{}", ctx.rng.u64(1_000_000_000..10_000_000_000));
    let body = payment_body(&payment_id, &intent, id, &reference, PENDING, None);
    let fail = intent
        .description
        .to_ascii_lowercase()
        .contains(FAIL_TRIGGER);
    ctx.conn.execute(
        "INSERT INTO ob_payments (payment_id, intent_id, customer_id, status, settle_at, fail, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            payment_id,
            id,
            intent.customer_id,
            PENDING,
            ctx.now.saturating_add(settlement_ms),
            fail,
            body
        ],
    )?;
    notify(ctx.conn, ctx.rng, "payment.created", &body, ctx.now)?;
    Ok(body)
}

/// A payment of 25 AED in `status`, with fresh ids: the body `lean-sandbox
/// trigger` sends for the payment events.
pub fn example(rng: &mut fastrand::Rng, status: &str) -> String {
    let intent = Intent {
        customer_id: super::uuid(rng),
        amount: RawValue::from_string("25".to_owned()).unwrap_or_default(),
        currency: "AED".to_owned(),
        description: String::new(),
        destination: Some(super::uuid(rng)),
    };
    let reference = format!("SBX{}", rng.u64(1_000_000_000..10_000_000_000));
    let reason = (status == FAILED).then_some("the bank refused the payment");
    payment_body(
        &super::uuid(rng),
        &intent,
        &super::uuid(rng),
        &reference,
        status,
        reason,
    )
}

fn payment_body(
    payment_id: &str,
    intent: &Intent,
    intent_id: &str,
    reference: &str,
    status: &str,
    reason: Option<&str>,
) -> String {
    serde_json::to_string(&Payment {
        id: payment_id,
        amount: &intent.amount,
        currency: &intent.currency,
        status,
        reason,
        intent_id,
        customer_id: &intent.customer_id,
        payment_destination_id: intent.destination.as_deref(),
        bank_transaction_reference: reference,
        metadata: Map::new(),
    })
    .unwrap_or_default()
}

fn notify(
    conn: &Connection,
    rng: &mut fastrand::Rng,
    event: &str,
    body: &str,
    now: i64,
) -> rusqlite::Result<()> {
    let message = match event {
        "payment.created" => "A payment was made against an intent.",
        _ => "A payment changed status.",
    };
    let payload = RawValue::from_string(body.to_owned())
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    webhooks::enqueue_raw(conn, rng, event, &payload, message, now)
}

/// `GET /payments/v1/{payment_id}`.
pub fn get(ctx: &Ctx, id: &str) -> Result<String, ObFailure> {
    let sql = "SELECT customer_id, body FROM ob_payments WHERE payment_id = ?1";
    super::owned_body(ctx, sql, id, "payment")
}

/// The stored intent `body` with its payments listed, oldest first, each
/// written as stored (so amounts keep their text).
pub fn with_payments(conn: &Connection, intent_id: &str, body: &str) -> Result<String, ObFailure> {
    let mut s =
        conn.prepare_cached("SELECT body FROM ob_payments WHERE intent_id = ?1 ORDER BY seq")?;
    let payments: Vec<String> = s
        .query_map([intent_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let Ok(mut fields) = serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(body) else {
        return Ok(body.to_owned());
    };
    let list = RawValue::from_string(format!("[{}]", payments.join(","))).map_err(|e| {
        ObFailure::code(
            lean_core::openbanking::ErrorCode::InternalServerError,
            format!("a stored payment is not JSON: {e}"),
        )
    })?;
    fields.insert("payments".to_owned(), list);
    Ok(serde_json::to_string(&fields).unwrap_or_default())
}

/// Settles the payments due at `now`, at most 500 per call; returns how
/// many. Runs in the caller's transaction.
pub fn tick(conn: &Connection, rng: &mut fastrand::Rng, now: i64) -> rusqlite::Result<usize> {
    let due: Vec<(String, String, bool)> = rows::due(
        conn,
        "SELECT payment_id, body, fail FROM ob_payments WHERE settle_at <= ?1 LIMIT 500",
        now,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (id, body, fail) in &due {
        let (status, reason) = if *fail {
            (
                FAILED,
                Some("the bank refused the payment (sandbox-fail trigger)"),
            )
        } else {
            (ACCEPTED, None)
        };
        let settled = restatus(body, status, reason);
        conn.execute(
            "UPDATE ob_payments SET status = ?2, settle_at = NULL, body = ?3 WHERE payment_id = ?1",
            params![id, status, settled],
        )?;
        notify(conn, rng, "payment.updated", &settled, now)?;
    }
    Ok(due.len())
}

/// `body` with a new status (and reason), every other field as it was.
fn restatus(body: &str, status: &str, reason: Option<&str>) -> String {
    let Ok(mut fields) = serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(body) else {
        return body.to_owned();
    };
    let text = |s: &str| RawValue::from_string(Value::from(s).to_string());
    if let Ok(status) = text(status) {
        fields.insert("status".to_owned(), status);
    }
    if let Some(Ok(reason)) = reason.map(text) {
        fields.insert("reason".to_owned(), reason);
    }
    serde_json::to_string(&fields).unwrap_or_else(|_| body.to_owned())
}
