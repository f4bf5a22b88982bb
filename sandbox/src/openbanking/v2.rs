//! The data v2 API: paged reads of the same emulated bank the v1 data
//! calls serve, and data refreshes.
//!
//! - `GET /data/v2/accounts`, `GET /data/v2/identity` and
//!   `GET /data/v2/accounts/{account_id}/{transactions|balances|beneficiaries|identities|direct-debits|scheduled-payments|standing-orders}`,
//!   each with `entity_id` (required), `page` (from 0) and `size` (1 to
//!   [`MAX_SIZE`], default [`DEFAULT_SIZE`]), answer `{"status": "OK",
//!   "data": [...], "page": {number, size, total_elements, total_pages},
//!   "timestamp"}`. The `sandbox-fail` trigger of [`super::data`] answers
//!   HTTP 200 `FAILED` as the v1 calls do.
//! - `POST /data/v2/refreshes` `{entity_id}` answers 201 with the refresh
//!   `IN_PROGRESS`; after the results delay it is `COMPLETED`, with its
//!   `data_status`, and an `entity.data.refresh.updated` webhook goes
//!   out. `GET /data/v2/refreshes/{refresh_id}` answers it, `GET
//!   /data/v2/refreshes?entity_id=&page=&size=` lists them, newest first.
//!
//! Amounts are JSON numbers written from their exact decimal text.

use lean_core::openbanking::webhooks::{
    AccountDataStatus, DataRefresh, DataRefreshStatus, TransactionAvailability,
};
use lean_core::FieldErrorCode;
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use super::bank::{self, AccountData, Bank};
use super::customers::{query_pairs, stored_entity, PageInfo};
use super::data::{FAIL_GRANULAR_CODE, FAIL_TRIGGER};
use super::reply::{ObFailure, ACCOUNT_NOT_FOUND};
use super::{webhooks, Ctx};
use crate::clock::iso;
use crate::rows;

/// The page size when the query names none.
pub const DEFAULT_SIZE: u32 = 50;

/// The largest page size.
pub const MAX_SIZE: u32 = 100;

/// The status of a refresh still reading the bank.
pub const IN_PROGRESS: &str = "IN_PROGRESS";

/// The status of a finished refresh.
pub const COMPLETED: &str = "COMPLETED";

/// The event a refresh sends when it finishes.
pub const REFRESH_EVENT: &str = "entity.data.refresh.updated";

/// What the v2 reads read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// `GET /data/v2/accounts`.
    Accounts,
    /// `GET /data/v2/identity`.
    Identity,
    /// `GET /data/v2/accounts/{account_id}/{what}`.
    Account(AccountData),
}

/// The query of a v2 call: `entity_id` (required when `entity_required`),
/// `page` and `size`.
struct Query {
    entity_id: Option<String>,
    page: i64,
    size: i64,
}

fn query(text: Option<&str>, entity_required: bool) -> Result<Query, ObFailure> {
    let mut q = Query {
        entity_id: None,
        page: 0,
        size: i64::from(DEFAULT_SIZE),
    };
    for (key, value) in query_pairs(text) {
        match key.as_str() {
            "entity_id" if !value.is_empty() => q.entity_id = Some(value),
            "page" => {
                q.page = i64::from(value.parse::<u32>().map_err(|_| {
                    ObFailure::field(
                        "page",
                        FieldErrorCode::InvalidType,
                        "must be a whole number from 0 (pages count from 0)",
                    )
                })?)
            }
            "size" => {
                let size = value
                    .parse::<u32>()
                    .ok()
                    .filter(|s| (1..=MAX_SIZE).contains(s));
                q.size = i64::from(size.ok_or_else(|| {
                    ObFailure::field(
                        "size",
                        FieldErrorCode::OutOfRange,
                        format!("must be a whole number from 1 to {MAX_SIZE}"),
                    )
                })?)
            }
            _ => {}
        }
    }
    if entity_required && q.entity_id.is_none() {
        return Err(ObFailure::field(
            "entity_id",
            FieldErrorCode::Required,
            "is required: the id of the connected entity to read",
        ));
    }
    Ok(q)
}

#[derive(Serialize)]
struct Answer {
    status: &'static str,
    data: Vec<Box<RawValue>>,
    page: PageInfo,
    timestamp: String,
}

fn triggered(id: &str) -> bool {
    id.to_ascii_lowercase().contains(FAIL_TRIGGER)
}

fn failed(now: i64) -> String {
    json!({
        "status": "FAILED",
        "granular_status_code": FAIL_GRANULAR_CODE,
        "message": "the bank could not provide the data (sandbox-fail trigger)",
        "timestamp": iso(now),
    })
    .to_string()
}

/// The entity `entity_id` and its bank, reachable by the caller.
fn entity(ctx: &Ctx, entity_id: &str) -> Result<(lean_core::openbanking::Entity, Bank), ObFailure> {
    let (entity, bank) = stored_entity(ctx.conn, entity_id)?
        .ok_or_else(|| ObFailure::not_found(format!("no entity {entity_id:?}")))?;
    ctx.caller
        .require_customer(entity.customer_id.as_deref().unwrap_or_default())?;
    Ok((entity, bank))
}

/// One v2 read; `account_id` for the per-account reads. The answer's
/// JSON text.
pub fn read(
    ctx: &Ctx,
    what: Read,
    account_id: Option<&str>,
    text: Option<&str>,
) -> Result<String, ObFailure> {
    let q = query(text, true)?;
    let entity_id = q.entity_id.as_deref().unwrap_or_default();
    if triggered(entity_id) || account_id.is_some_and(triggered) {
        return Ok(failed(ctx.now));
    }
    let (_, bank) = entity(ctx, entity_id)?;
    let records = match what {
        Read::Accounts => bank::accounts_records(&bank),
        Read::Identity => bank::identity_records(),
        Read::Account(kind) => {
            let account_id = account_id.unwrap_or_default();
            let account = bank
                .accounts
                .iter()
                .find(|a| a.account_id == account_id)
                .ok_or_else(|| {
                    ObFailure::new(
                        404,
                        ACCOUNT_NOT_FOUND,
                        format!("entity {entity_id:?} has no account {account_id:?}"),
                    )
                })?;
            bank::per_account_records(account, kind)
        }
    };
    let total = i64::try_from(records.len()).unwrap_or(i64::MAX);
    let skip = usize::try_from(q.page.saturating_mul(q.size)).unwrap_or(usize::MAX);
    let take = usize::try_from(q.size).unwrap_or(0);
    let data = records.into_iter().skip(skip).take(take).collect();
    Ok(serde_json::to_string(&Answer {
        status: "OK",
        data,
        page: PageInfo::new(q.page, q.size, total),
        timestamp: iso(ctx.now),
    })
    .unwrap_or_default())
}

/// The payload of `entity.data.refresh.updated` (and the refresh as the
/// API answers it), through the core's model: `data_status` once the
/// refresh is done (`account_ids` given), every kind of data `OK` for
/// every account, with the transaction dates the emulated statement
/// covers; `app_user_id` is sent even when unknown (`null`), as Lean
/// does. `lean-sandbox trigger` sends the same shape.
pub fn refresh_payload(
    refresh_id: &str,
    entity_id: &str,
    customer_id: &str,
    app_user_id: Option<&str>,
    status: &str,
    account_ids: Option<&[String]>,
) -> Value {
    let ok = || Some("OK".to_owned());
    let (start, end, months) = bank::statement_span();
    let data_status = account_ids.map(|ids| DataRefreshStatus {
        accounts: ok(),
        identity: ok(),
        account_data: ids
            .iter()
            .map(|id| AccountDataStatus {
                account_id: Some(id.clone()),
                balance: ok(),
                identity: ok(),
                transactions: ok(),
                beneficiaries: ok(),
                direct_debits: ok(),
                standing_orders: ok(),
                scheduled_payments: ok(),
                transaction_availability: Some(TransactionAvailability {
                    start: Some(start.to_string()),
                    end: Some(end.to_string()),
                    complete_months: Some(months),
                    extra: Map::new(),
                }),
                extra: Map::new(),
            })
            .collect(),
        extra: Map::new(),
    });
    let refresh = DataRefresh {
        refresh_id: refresh_id.to_owned(),
        entity_id: entity_id.to_owned(),
        status: Some(status.to_owned()),
        customer_id: Some(customer_id.to_owned()),
        app_user_id: app_user_id.map(str::to_owned),
        data_status,
        extra: Map::new(),
    };
    let mut value = serde_json::to_value(&refresh).unwrap_or(Value::Null);
    if app_user_id.is_none() {
        value["app_user_id"] = Value::Null;
    }
    value
}

/// `POST /data/v2/refreshes` `{entity_id}`: the refresh, `IN_PROGRESS`;
/// it completes after the results delay (see [`tick`]).
pub fn create_refresh(ctx: &mut Ctx, body: &Value) -> Result<String, ObFailure> {
    let fields = body.as_object().ok_or_else(|| {
        ObFailure::field(
            "$",
            FieldErrorCode::InvalidType,
            "the body must be a JSON object such as {\"entity_id\": \"...\"}",
        )
    })?;
    if let Some(unknown) = fields.keys().find(|k| *k != "entity_id") {
        return Err(ObFailure::field(
            unknown,
            FieldErrorCode::UnknownField,
            "is not a field of a data refresh; expected entity_id",
        ));
    }
    let entity_id = match fields.get("entity_id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
        None | Some(Value::Null) | Some(Value::String(_)) => {
            return Err(ObFailure::field(
                "entity_id",
                FieldErrorCode::Required,
                "is required: the id of the connected entity to refresh",
            ))
        }
        Some(_) => {
            return Err(ObFailure::field(
                "entity_id",
                FieldErrorCode::InvalidType,
                "must be a JSON string",
            ))
        }
    };
    let (entity, bank) = entity(ctx, &entity_id)?;
    let customer_id = entity.customer_id.clone().unwrap_or_default();
    let app_user_id: Option<String> = rows::lookup(
        ctx.conn,
        "SELECT app_user_id FROM ob_customers WHERE customer_id = ?1",
        &customer_id,
    )?;
    let refresh_id = super::uuid(ctx.rng);
    let accounts: Vec<String> = bank.accounts.iter().map(|a| a.account_id.clone()).collect();
    let payload = |status, ids| {
        refresh_payload(
            &refresh_id,
            &entity_id,
            &customer_id,
            app_user_id.as_deref(),
            status,
            ids,
        )
        .to_string()
    };
    let pending = payload(IN_PROGRESS, None);
    let done = payload(COMPLETED, Some(&accounts));
    let delay = i64::try_from(ctx.settings.results_delay.as_millis()).unwrap_or(i64::MAX);
    ctx.conn.execute(
        "INSERT INTO ob_refreshes (refresh_id, entity_id, customer_id, pending, done, ready_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            refresh_id,
            entity_id,
            customer_id,
            pending,
            done,
            ctx.now.saturating_add(delay)
        ],
    )?;
    Ok(pending)
}

/// `GET /data/v2/refreshes/{refresh_id}`.
pub fn get_refresh(ctx: &Ctx, refresh_id: &str) -> Result<String, ObFailure> {
    let row: Option<(String, String, String, i64)> = rows::row(
        ctx.conn,
        "SELECT customer_id, pending, done, ready_at FROM ob_refreshes WHERE refresh_id = ?1",
        refresh_id,
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let (customer_id, pending, done, ready_at) =
        row.ok_or_else(|| ObFailure::not_found(format!("no data refresh {refresh_id:?}")))?;
    ctx.caller.require_customer(&customer_id)?;
    Ok(if ready_at <= ctx.now { done } else { pending })
}

/// `GET /data/v2/refreshes?entity_id=&page=&size=`: `{"data", "page"}`,
/// newest first; without `entity_id`, every refresh the caller may see.
pub fn list_refreshes(ctx: &Ctx, text: Option<&str>) -> Result<String, ObFailure> {
    let q = query(text, false)?;
    if let Some(id) = &q.entity_id {
        entity(ctx, id)?;
    }
    let customer = match &ctx.caller {
        super::auth::Caller::App => None,
        super::auth::Caller::Customer(id) => Some(id.clone()),
    };
    let filter = "(?1 IS NULL OR entity_id = ?1) AND (?2 IS NULL OR customer_id = ?2)";
    let total: i64 = ctx.conn.query_row(
        &format!("SELECT count(*) FROM ob_refreshes WHERE {filter}"),
        params![q.entity_id, customer],
        |r| r.get(0),
    )?;
    let mut s = ctx.conn.prepare_cached(&format!(
        "SELECT pending, done, ready_at FROM ob_refreshes WHERE {filter} ORDER BY seq DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let data: Vec<Box<RawValue>> = s
        .query_map(
            params![q.entity_id, customer, q.size, q.page.saturating_mul(q.size)],
            |r| {
                let (pending, done, ready_at): (String, String, i64) =
                    (r.get(0)?, r.get(1)?, r.get(2)?);
                Ok(if ready_at <= ctx.now { done } else { pending })
            },
        )?
        .filter_map(|b| b.ok().and_then(|b| RawValue::from_string(b).ok()))
        .collect();
    #[derive(Serialize)]
    struct List {
        data: Vec<Box<RawValue>>,
        page: PageInfo,
    }
    Ok(serde_json::to_string(&List {
        data,
        page: PageInfo::new(q.page, q.size, total),
    })
    .unwrap_or_default())
}

/// Sends `entity.data.refresh.updated` for the refreshes done at `now`,
/// at most 500 per call; returns how many. Runs in the caller's
/// transaction.
pub fn tick(conn: &Connection, rng: &mut fastrand::Rng, now: i64) -> rusqlite::Result<usize> {
    let due: Vec<(String, String)> = rows::due(
        conn,
        "SELECT refresh_id, done FROM ob_refreshes WHERE notified = 0 AND ready_at <= ?1 LIMIT 500",
        now,
        rows::two,
    )?;
    for (id, done) in &due {
        conn.execute(
            "UPDATE ob_refreshes SET notified = 1 WHERE refresh_id = ?1",
            [id],
        )?;
        let payload = RawValue::from_string(done.clone())
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        webhooks::enqueue_raw(
            conn,
            rng,
            REFRESH_EVENT,
            &payload,
            "An entity's data refresh was updated.",
            now,
        )?;
    }
    Ok(due.len())
}
