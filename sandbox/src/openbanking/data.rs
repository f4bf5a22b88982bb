//! The data API: `POST /data/v1/{identity|accounts|balance|transactions}`
//! answered at once (`status: "OK"`) or, with `async: true`, as `PENDING`
//! with a `results_id`, the results ready after the configured delay with
//! a `results.ready` webhook, and fetched with `GET /data/v2/results/{id}`.
//!
//! **The 50-second rule**: on an entity of [`SLOW_BANK`], a synchronous call
//! is held [`SYNCHRONOUS_WAIT`] (scaled by the time factor), then answered
//! `PENDING` with a `results_id`, whose results follow like an asynchronous
//! call's.
//!
//! **Failure trigger**: an `entity_id` or `account_id` containing
//! `sandbox-fail` (any case) answers HTTP 200 with `status: "FAILED"` and a
//! `granular_status_code`, as the bank-side failures of the real API do.

use std::time::Duration;

use lean_core::openbanking::{DataKind, Operation};
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::bank::{self, TransactionFilter};
use super::customers::{check_range, date, stored_entity};
use super::reply::ObFailure;
use super::webhooks;
use super::Ctx;
use crate::clock::iso;
use crate::rows;
use lean_core::FieldErrorCode;

/// The bank identifier of a slow bank: a synchronous data call on one of
/// its entities waits [`SYNCHRONOUS_WAIT`] (times the time factor), then
/// answers `PENDING`, as Lean does when a bank takes longer.
pub const SLOW_BANK: &str = "SANDBOX_SLOW";

/// How long Lean holds a synchronous data call before it answers
/// `PENDING` with a results id (`open-banking-facts.md`, *Data API*).
pub const SYNCHRONOUS_WAIT: Duration = Duration::from_secs(50);

/// An id containing this text (any case) makes a data call fail.
pub const FAIL_TRIGGER: &str = "sandbox-fail";

/// The `granular_status_code` of a triggered failure.
pub const FAIL_GRANULAR_CODE: &str = "SANDBOX_FAIL_TRIGGER";

/// The kind of a `/data/v1/{segment}` path.
pub fn kind(segment: &str) -> Option<DataKind> {
    Some(match segment {
        "identity" => DataKind::Identity,
        "accounts" => DataKind::Accounts,
        "balance" => DataKind::Balance,
        "transactions" => DataKind::Transactions,
        _ => return None,
    })
}

fn operation_name(kind: DataKind) -> &'static str {
    match kind {
        DataKind::Identity => "getIdentity",
        DataKind::Accounts => "getAccounts",
        DataKind::Balance => "getBalance",
        DataKind::Transactions => "getTransactions",
    }
}

#[derive(Serialize)]
struct Answer<'a> {
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    results_id: Option<&'a str>,
    message: &'a str,
    timestamp: String,
}

/// A data call; the answer's JSON text.
pub fn call(ctx: &mut Ctx, kind: DataKind, body: &Value) -> Result<String, ObFailure> {
    let (body, filter) = match kind {
        DataKind::Transactions => transaction_filter(body)?,
        _ => (body.clone(), TransactionFilter::default()),
    };
    let body = &body;
    // The core's own reading of the body: types, required ids, and
    // `account_id` exactly for balance and transactions.
    Operation::from_json(&json!({"operation": operation_name(kind), "input": body}))
        .map_err(ObFailure::from_core)?;
    let text = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or_default();
    let (entity_id, account_id) = (text("entity_id"), text("account_id"));
    let asynchronous = body.get("async").and_then(Value::as_bool).unwrap_or(false);
    let trigger = |id: &str| id.to_ascii_lowercase().contains(FAIL_TRIGGER);
    if trigger(entity_id) || trigger(account_id) {
        return Ok(json!({
            "status": "FAILED",
            "granular_status_code": FAIL_GRANULAR_CODE,
            "message": "the bank could not provide the data (sandbox-fail trigger)",
            "timestamp": iso(ctx.now),
        })
        .to_string());
    }
    let (entity, bank) = stored_entity(ctx.conn, entity_id)?
        .ok_or_else(|| ObFailure::not_found(format!("no entity {entity_id:?}")))?;
    let customer_id = entity.customer_id.clone().unwrap_or_default();
    ctx.caller.require_customer(&customer_id)?;
    let account = match kind.needs_account() {
        false => None,
        true => Some(
            bank.accounts
                .iter()
                .find(|a| a.account_id == account_id)
                .ok_or_else(|| {
                    ObFailure::not_found(format!(
                        "entity {entity_id:?} has no account {account_id:?}"
                    ))
                })?,
        ),
    };
    let payload = bank::payload(kind, &entity, &bank, account, &filter);
    let payload = RawValue::from_string(payload).map_err(|e| {
        ObFailure::code(
            lean_core::openbanking::ErrorCode::InternalServerError,
            format!("sandbox data is not JSON: {e}"),
        )
    })?;
    let slow = entity.bank_identifier.as_deref() == Some(SLOW_BANK);
    let wait = match (asynchronous, slow) {
        (true, _) => Duration::ZERO,
        (false, true) => SYNCHRONOUS_WAIT.mul_f64(ctx.settings.time_factor),
        (false, false) => {
            return Ok(answer(
                "OK",
                Some(&payload),
                None,
                "Data successfully retrieved",
                ctx.now,
            ))
        }
    };
    let results_id = super::uuid(ctx.rng);
    let ready = answer(
        "OK",
        Some(&payload),
        Some(&results_id),
        "Data successfully retrieved",
        ctx.now,
    );
    // A slow bank's results are ready a results delay after the held
    // answer.
    let delay = i64::try_from((wait + ctx.settings.results_delay).as_millis()).unwrap_or(i64::MAX);
    ctx.conn.execute(
        "INSERT INTO ob_results (results_id, customer_id, body, ready_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            results_id,
            customer_id,
            ready,
            ctx.now.saturating_add(delay)
        ],
    )?;
    ctx.wait = wait;
    let answered = ctx
        .now
        .saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
    Ok(pending(&results_id, answered))
}

/// Takes the transactions call's own fields out of `body`: `start_date`
/// and `end_date` (`YYYY-MM-DD`, inclusive) and `insights` (a boolean);
/// the rest is read by the core.
fn transaction_filter(body: &Value) -> Result<(Value, TransactionFilter), ObFailure> {
    let mut body = body.clone();
    let mut filter = TransactionFilter::default();
    let Some(fields) = body.as_object_mut() else {
        return Ok((body, filter));
    };
    for (field, slot) in [
        ("start_date", &mut filter.start),
        ("end_date", &mut filter.end),
    ] {
        match fields.remove(field) {
            None | Some(Value::Null) => {}
            Some(Value::String(text)) => *slot = Some(date(field, &text)?),
            Some(_) => {
                return Err(ObFailure::field(
                    field,
                    FieldErrorCode::InvalidType,
                    "must be a date written YYYY-MM-DD, as a JSON string",
                ))
            }
        }
    }
    check_range(filter.start, filter.end, "start_date")?;
    match fields.remove("insights") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => filter.insights = b,
        Some(_) => {
            return Err(ObFailure::field(
                "insights",
                FieldErrorCode::InvalidType,
                "must be true or false",
            ))
        }
    }
    Ok((body, filter))
}

fn answer(
    status: &str,
    payload: Option<&RawValue>,
    results_id: Option<&str>,
    message: &str,
    now: i64,
) -> String {
    serde_json::to_string(&Answer {
        status,
        payload,
        results_id,
        message,
        timestamp: iso(now),
    })
    .unwrap_or_default()
}

fn pending(results_id: &str, now: i64) -> String {
    answer(
        "PENDING",
        None,
        Some(results_id),
        "The results are not ready yet: wait for the results.ready webhook, then fetch GET /data/v2/results/{results_id}",
        now,
    )
}

/// `GET /data/v2/results/{results_id}`: `PENDING` until ready, then the
/// data.
pub fn results(ctx: &Ctx, results_id: &str) -> Result<String, ObFailure> {
    Operation::get_data_results(results_id).map_err(ObFailure::from_core)?;
    let row: Option<(String, String, i64)> = rows::row(
        ctx.conn,
        "SELECT customer_id, body, ready_at FROM ob_results WHERE results_id = ?1",
        results_id,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let (customer_id, body, ready_at) =
        row.ok_or_else(|| ObFailure::not_found(format!("no results {results_id:?}")))?;
    ctx.caller.require_customer(&customer_id)?;
    Ok(if ready_at <= ctx.now {
        body
    } else {
        pending(results_id, ctx.now)
    })
}

/// Sends `results.ready` for the results due at `now`, at most 500 per
/// call; returns how many. Runs in the caller's transaction.
pub fn tick(conn: &Connection, rng: &mut fastrand::Rng, now: i64) -> rusqlite::Result<usize> {
    let due: Vec<String> = rows::due(
        conn,
        "SELECT results_id FROM ob_results WHERE notified = 0 AND ready_at <= ?1 LIMIT 500",
        now,
        |r| r.get(0),
    )?;
    for id in &due {
        conn.execute(
            "UPDATE ob_results SET notified = 1 WHERE results_id = ?1",
            [id],
        )?;
        webhooks::enqueue(
            conn,
            rng,
            "results.ready",
            json!({ "id": id }),
            "The results of an asynchronous request are ready.",
            now,
        )?;
    }
    Ok(due.len())
}
