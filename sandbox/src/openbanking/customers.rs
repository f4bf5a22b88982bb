//! Customers (`/customers/v1`) and their connected entities. Bodies are
//! read with the core's own `NewCustomer::from_json`, answers are the
//! core's `Customer` and `Entity` models, serialised.

use lean_core::openbanking::{Customer, Entity, ErrorCode, NewCustomer, Operation, Paging};
use rusqlite::{params, Connection};
use serde_json::{json, Map, Value};

use super::bank::{self, Bank};
use super::reply::ObFailure;
use super::webhooks;
use super::Ctx;
use crate::clock::iso;
use crate::rows;

/// `POST /customers/v1/`: 409 `CUSTOMER_ALREADY_EXISTS` when the
/// `app_user_id` is taken.
pub fn create(ctx: &mut Ctx, body: &Value) -> Result<Value, ObFailure> {
    ctx.caller.require_app("create customers")?;
    let new = NewCustomer::from_json(body).map_err(ObFailure::invalid)?;
    let taken = rows::exists(
        ctx.conn,
        "SELECT 1 FROM ob_customers WHERE app_user_id = ?1",
        &new.app_user_id,
    )?;
    if taken {
        return Err(ObFailure::code(
            ErrorCode::CustomerAlreadyExists,
            format!(
                "a customer with app_user_id {:?} already exists: look it up with GET /customers/v1/app-user-id/{{app_user_id}}",
                new.app_user_id
            ),
        ));
    }
    let mut extra = Map::new();
    if !new.government_identifiers.is_empty() {
        extra.insert(
            "government_identifiers".to_owned(),
            json!(new.government_identifiers),
        );
    }
    let customer = Customer {
        customer_id: super::uuid(ctx.rng),
        app_user_id: Some(new.app_user_id.clone()),
        extra,
    };
    let value = serde_json::to_value(&customer).unwrap_or(Value::Null);
    ctx.conn.execute(
        "INSERT INTO ob_customers (customer_id, app_user_id, body) VALUES (?1, ?2, ?3)",
        params![customer.customer_id, new.app_user_id, value.to_string()],
    )?;
    Ok(value)
}

fn by(conn: &Connection, column: &str, value: &str) -> Result<Option<Value>, ObFailure> {
    let sql = format!("SELECT body FROM ob_customers WHERE {column} = ?1");
    let body: Option<String> = rows::lookup(conn, &sql, value)?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

/// `GET /customers/v1/{customer_id}`.
pub fn get(ctx: &Ctx, customer_id: &str) -> Result<Value, ObFailure> {
    Operation::get_customer(customer_id).map_err(ObFailure::from_core)?;
    ctx.caller.require_customer(customer_id)?;
    by(ctx.conn, "customer_id", customer_id)?
        .ok_or_else(|| ObFailure::not_found(format!("no customer {customer_id:?}")))
}

/// `GET /customers/v1/app-user-id/{app_user_id}`.
pub fn get_by_app_user_id(ctx: &Ctx, app_user_id: &str) -> Result<Value, ObFailure> {
    Operation::get_customer_by_app_user_id(app_user_id).map_err(ObFailure::from_core)?;
    let customer = by(ctx.conn, "app_user_id", app_user_id)?.ok_or_else(|| {
        ObFailure::not_found(format!("no customer with app_user_id {app_user_id:?}"))
    })?;
    ctx.caller
        .require_customer(customer["customer_id"].as_str().unwrap_or_default())?;
    Ok(customer)
}

/// The default page size of `GET /customers/v1`.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// The default page size of the lists the documents give no paging for
/// (entities, destinations): they answer a plain array, bounded.
pub const DEFAULT_ARRAY_PAGE_SIZE: u32 = rows::DEFAULT_PAGE_SIZE;

/// `page_number` and `page_size` of a query (the API's own names), with
/// `default_size` when absent; sizes run from 1 to
/// [`rows::MAX_PAGE_SIZE`].
pub fn paging(query: Option<&str>, default_size: u32) -> Result<(i64, i64), ObFailure> {
    let mut paging = Paging::default();
    for (key, value) in query_pairs(query) {
        let slot = match key.as_str() {
            "page_number" => &mut paging.page_number,
            "page_size" => &mut paging.page_size,
            _ => continue,
        };
        *slot = Some(value.parse::<u32>().map_err(|_| {
            ObFailure::field(
                &key,
                lean_core::FieldErrorCode::InvalidType,
                "must be a whole number from 0 to 4294967295",
            )
        })?);
    }
    Operation::list_customers(paging).map_err(ObFailure::from_core)?;
    let max = rows::MAX_PAGE_SIZE;
    if paging.page_size.is_some_and(|size| size > max) {
        return Err(ObFailure::field(
            "page_size",
            lean_core::FieldErrorCode::OutOfRange,
            format!("must be at most {max}: read the rest with the next page_number"),
        ));
    }
    Ok((
        i64::from(paging.page_number.unwrap_or(0)),
        i64::from(paging.page_size.unwrap_or(default_size)),
    ))
}

/// The `page` object of every paged answer: `{"number", "size",
/// "total_elements", "total_pages"}`, pages counted from 0.
#[derive(serde::Serialize)]
pub(super) struct PageInfo {
    number: i64,
    size: i64,
    total_elements: i64,
    total_pages: i64,
}

impl PageInfo {
    /// Page `number` of `size` items (`size` at least 1) out of `total`.
    pub(super) fn new(number: i64, size: i64, total: i64) -> Self {
        Self {
            number,
            size,
            total_elements: total,
            total_pages: (total + size - 1) / size,
        }
    }
}

/// `GET /customers/v1?page_number=&page_size=`: pages count from 0, in
/// creation order. The answer is `{"content": [...], "page": {"number",
/// "size", "total_elements", "total_pages"}}`.
pub fn list(ctx: &Ctx, query: Option<&str>) -> Result<Value, ObFailure> {
    ctx.caller.require_app("list customers")?;
    let (number, size) = paging(query, DEFAULT_PAGE_SIZE)?;
    let total: i64 = ctx
        .conn
        .query_row("SELECT count(*) FROM ob_customers", [], |r| r.get(0))?;
    let mut s = ctx
        .conn
        .prepare_cached("SELECT body FROM ob_customers ORDER BY seq LIMIT ?1 OFFSET ?2")?;
    let content: Vec<Value> = s
        .query_map(params![size, number.saturating_mul(size)], |r| {
            r.get::<_, String>(0)
        })?
        .filter_map(|b| b.ok().and_then(|b| serde_json::from_str(&b).ok()))
        .collect();
    Ok(json!({
        "content": content,
        "page": PageInfo::new(number, size, total),
    }))
}

pub(super) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// `GET /customers/v1/{customer_id}/entities`: an array, one page of
/// `page_size` (default [`DEFAULT_ARRAY_PAGE_SIZE`]) from `page_number`.
pub fn entities(ctx: &Ctx, customer_id: &str, query: Option<&str>) -> Result<Value, ObFailure> {
    get(ctx, customer_id)?;
    let (number, size) = paging(query, DEFAULT_ARRAY_PAGE_SIZE)?;
    let mut s = ctx.conn.prepare_cached(
        "SELECT body FROM ob_entities WHERE customer_id = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3",
    )?;
    let list: Vec<Value> = s
        .query_map(params![customer_id, size, number * size], |r| {
            r.get::<_, String>(0)
        })?
        .filter_map(|b| b.ok().and_then(|b| serde_json::from_str(&b).ok()))
        .collect();
    Ok(Value::Array(list))
}

/// `GET /customers/v1/{customer_id}/entities/{entity_id}`.
pub fn entity(ctx: &Ctx, customer_id: &str, entity_id: &str) -> Result<Value, ObFailure> {
    Operation::get_entity(customer_id, entity_id).map_err(ObFailure::from_core)?;
    get(ctx, customer_id)?;
    let (entity, _) = stored_entity(ctx.conn, entity_id)?
        .filter(|(e, _)| e.customer_id.as_deref() == Some(customer_id))
        .ok_or_else(|| {
            ObFailure::not_found(format!(
                "customer {customer_id:?} has no entity {entity_id:?}"
            ))
        })?;
    Ok(serde_json::to_value(entity).unwrap_or(Value::Null))
}

/// An entity and its bank, by id.
pub fn stored_entity(
    conn: &Connection,
    entity_id: &str,
) -> Result<Option<(Entity, Bank)>, ObFailure> {
    let row: Option<(String, String)> = rows::row(
        conn,
        "SELECT body, data FROM ob_entities WHERE entity_id = ?1",
        entity_id,
        rows::two,
    )?;
    Ok(row.and_then(|(body, data)| {
        Some((
            serde_json::from_str(&body).ok()?,
            serde_json::from_str(&data).ok()?,
        ))
    }))
}

/// `POST /_sandbox/openbanking/customers/{customer_id}/entities` (admin):
/// connects a bank as the Link SDK would, with an `entity.created`
/// webhook. Optional body `{"bank_identifier"}`. Answers the entity with
/// its `accounts` (id, name, type, currency, balance).
pub fn connect_bank(ctx: &mut Ctx, customer_id: &str, body: &Value) -> Result<Value, ObFailure> {
    let Some(customer) = by(ctx.conn, "customer_id", customer_id)? else {
        return Err(ObFailure::not_found(format!("no customer {customer_id:?}")));
    };
    let bank_identifier = match body.get("bank_identifier") {
        None | Some(Value::Null) => bank::DEFAULT_BANK.to_owned(),
        Some(Value::String(b)) if lean_core::validate::identifier(b).is_ok() => b.clone(),
        Some(_) => {
            return Err(ObFailure::field(
                "bank_identifier",
                lean_core::FieldErrorCode::InvalidValue,
                "must be a bank code such as LEANMB1",
            ))
        }
    };
    let count: i64 = ctx.conn.query_row(
        "SELECT count(*) FROM ob_entities WHERE customer_id = ?1",
        [customer_id],
        |r| r.get(0),
    )?;
    let (mut entity, bank) = bank::connect(customer_id, count + 1, &bank_identifier);
    entity
        .extra
        .insert("created_at".to_owned(), Value::String(iso(ctx.now)));
    let value = serde_json::to_value(&entity).unwrap_or(Value::Null);
    ctx.conn.execute(
        "INSERT INTO ob_entities (entity_id, customer_id, body, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            entity.id,
            customer_id,
            value.to_string(),
            serde_json::to_string(&bank).unwrap_or_default(),
            ctx.now
        ],
    )?;
    let app_user_id = customer.get("app_user_id").and_then(Value::as_str);
    webhooks::enqueue(
        ctx.conn,
        ctx.rng,
        "entity.created",
        bank::entity_created(&entity, app_user_id),
        "A customer connected a bank.",
        ctx.now,
    )?;
    let mut answer = value;
    answer["accounts"] = json!(bank.accounts);
    Ok(answer)
}

/// A `YYYY-MM-DD` query parameter, a real calendar date; 400 naming
/// `field` otherwise.
pub fn date(field: &str, text: &str) -> Result<time::Date, ObFailure> {
    let bad = || {
        ObFailure::field(
            field,
            lean_core::FieldErrorCode::InvalidDate,
            format!("must be a calendar date written YYYY-MM-DD, such as 2026-10-28, not {text:?}"),
        )
    };
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(bad());
    }
    let number = |r: std::ops::Range<usize>| text[r].parse::<u16>().map_err(|_| bad());
    let month = u8::try_from(number(5..7)?).map_err(|_| bad())?;
    let month = time::Month::try_from(month).map_err(|_| bad())?;
    let day = u8::try_from(number(8..10)?).map_err(|_| bad())?;
    time::Date::from_calendar_date(i32::from(number(0..4)?), month, day).map_err(|_| bad())
}

/// An optional date range of a query: `start_field` and `end_field`
/// (both optional, inclusive); a start after the end is refused, naming
/// the start.
pub fn date_range(
    query: Option<&str>,
    start_field: &str,
    end_field: &str,
) -> Result<(Option<time::Date>, Option<time::Date>), ObFailure> {
    let (mut start, mut end) = (None, None);
    for (key, value) in query_pairs(query) {
        if key == start_field {
            start = Some(date(&key, &value)?);
        } else if key == end_field {
            end = Some(date(&key, &value)?);
        }
    }
    check_range(start, end, start_field)?;
    Ok((start, end))
}

/// Refuses a range whose start is after its end, naming the start field.
pub fn check_range(
    start: Option<time::Date>,
    end: Option<time::Date>,
    start_field: &str,
) -> Result<(), ObFailure> {
    if let (Some(s), Some(e)) = (start, end) {
        if s > e {
            return Err(ObFailure::field(
                start_field,
                lean_core::FieldErrorCode::Inconsistent,
                format!("{s} is after the end date {e}: the range is inclusive, so the start must come first"),
            ));
        }
    }
    Ok(())
}

/// Milliseconds since the epoch at the start of `date` (UTC).
fn day_start_ms(date: time::Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp() * 1000
}

/// `GET /customers/v1/entities?page_number=&page_size=&start_date=&end_date=`:
/// the entities of every customer connected in the inclusive UTC date
/// range (either end open when absent), oldest first, in the envelope of
/// `GET /customers/v1` (`{"content", "page"}`).
pub fn entities_created(ctx: &Ctx, query: Option<&str>) -> Result<Value, ObFailure> {
    ctx.caller
        .require_app("list the entities of every customer")?;
    let (number, size) = paging(query, DEFAULT_PAGE_SIZE)?;
    let (start, end) = date_range(query, "start_date", "end_date")?;
    let from = start.map_or(i64::MIN, day_start_ms);
    let until = end
        .and_then(|e| e.next_day())
        .map_or(i64::MAX, day_start_ms);
    let total: i64 = ctx.conn.query_row(
        "SELECT count(*) FROM ob_entities WHERE created_at >= ?1 AND created_at < ?2",
        params![from, until],
        |r| r.get(0),
    )?;
    let mut s = ctx.conn.prepare_cached(
        "SELECT body FROM ob_entities WHERE created_at >= ?1 AND created_at < ?2 ORDER BY seq LIMIT ?3 OFFSET ?4",
    )?;
    let content: Vec<Value> = s
        .query_map(
            params![from, until, size, number.saturating_mul(size)],
            |r| r.get::<_, String>(0),
        )?
        .filter_map(|b| b.ok().and_then(|b| serde_json::from_str(&b).ok()))
        .collect();
    Ok(json!({
        "content": content,
        "page": PageInfo::new(number, size, total),
    }))
}
