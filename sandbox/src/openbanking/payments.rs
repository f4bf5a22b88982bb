//! Payments: payment intents (`/payments/v1/intents`) and the
//! application's payment destinations (`/payments/v1/destinations`).
//! Bodies are read with the core's `NewPaymentIntent::from_json` and
//! `NewDestination::from_json`; answers are the core's models.
//!
//! The core writes an intent's amount as a JSON number straight from its
//! decimal text (`"amount":100.50`); [`read_exact`] keeps that text as it
//! is, so no binary float ever holds the amount here either.

use lean_core::openbanking::{
    Destination, NewDestination, NewPaymentIntent, Operation, PaymentIntent,
};
use lean_core::FieldErrorCode;
use rusqlite::{params, Connection};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::reply::ObFailure;
use super::Ctx;
use crate::rows;

/// Reads a JSON object body, turning the numbers of `exact` fields into
/// strings of their exact text (`100.50` becomes `"100.50"`). Anything
/// that is not an object is read as it is.
pub fn read_exact(body: &[u8], exact: &[&str]) -> Result<Value, serde_json::Error> {
    let Ok(fields) =
        serde_json::from_slice::<std::collections::BTreeMap<String, Box<RawValue>>>(body)
    else {
        return serde_json::from_slice(body);
    };
    let mut out = Map::new();
    for (key, raw) in fields {
        let text = raw.get().trim();
        let is_number = text.starts_with(|c: char| c == '-' || c.is_ascii_digit());
        let value = if exact.contains(&key.as_str()) && is_number {
            Value::String(text.to_owned())
        } else {
            serde_json::from_str(text)?
        };
        out.insert(key, value);
    }
    Ok(Value::Object(out))
}

fn destination(conn: &Connection, id: &str) -> Result<Option<Destination>, ObFailure> {
    let body: Option<String> =
        rows::lookup(conn, "SELECT body FROM ob_destinations WHERE id = ?1", id)?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

/// `POST /payments/v1/intents`: the customer and the destination, when
/// named, must exist.
pub fn create_intent(ctx: &mut Ctx, body: &Value) -> Result<Value, ObFailure> {
    let new = NewPaymentIntent::from_json(body).map_err(ObFailure::invalid)?;
    ctx.caller.require_customer(&new.customer_id)?;
    let customer = "SELECT 1 FROM ob_customers WHERE customer_id = ?1";
    if !rows::exists(ctx.conn, customer, &new.customer_id)? {
        return Err(ObFailure::field(
            "customer_id",
            FieldErrorCode::InvalidValue,
            format!("no customer {:?}", new.customer_id),
        ));
    }
    let payment_destination = match &new.payment_destination_id {
        None => None,
        Some(id) => Some(destination(ctx.conn, id)?.ok_or_else(|| {
            ObFailure::field(
                "payment_destination_id",
                FieldErrorCode::InvalidValue,
                format!("no payment destination {id:?}"),
            )
        })?),
    };
    let intent = PaymentIntent {
        payment_intent_id: super::uuid(ctx.rng),
        customer_id: Some(new.customer_id.clone()),
        amount: Some(new.amount),
        currency: Some(new.currency.clone()),
        description: new.description.clone(),
        payments: Vec::new(),
        payment_destination,
        extra: Map::new(),
    };
    let value = serde_json::to_value(&intent).unwrap_or(Value::Null);
    ctx.conn.execute(
        "INSERT INTO ob_intents (payment_intent_id, customer_id, body) VALUES (?1, ?2, ?3)",
        params![intent.payment_intent_id, new.customer_id, value.to_string()],
    )?;
    Ok(value)
}

/// `GET /payments/v1/intents/{payment_intent_id}`.
pub fn get_intent(ctx: &Ctx, id: &str) -> Result<Value, ObFailure> {
    Operation::get_payment_intent(id).map_err(ObFailure::from_core)?;
    let sql = "SELECT customer_id, body FROM ob_intents WHERE payment_intent_id = ?1";
    let body = super::owned_body(ctx, sql, id, "payment intent")?;
    Ok(serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// `GET /payments/v1/intents`: every payment intent of the application
/// (of the customer, for a customer-scoped token), oldest first, as a
/// plain array like the destinations list, one page of `page_size`
/// (default [`super::customers::DEFAULT_ARRAY_PAGE_SIZE`]) from
/// `page_number`; each intent as `GET /payments/v1/intents/{id}` answers
/// it, with its payments.
pub fn list_intents(ctx: &Ctx, query: Option<&str>) -> Result<String, ObFailure> {
    let (number, size) =
        super::customers::paging(query, super::customers::DEFAULT_ARRAY_PAGE_SIZE)?;
    let customer = match &ctx.caller {
        super::auth::Caller::App => None,
        super::auth::Caller::Customer(id) => Some(id.clone()),
    };
    let rows: Vec<(String, String)> = {
        let mut s = ctx.conn.prepare_cached(
            "SELECT payment_intent_id, body FROM ob_intents WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY rowid LIMIT ?2 OFFSET ?3",
        )?;
        let rows = s.query_map(params![customer, size, number.saturating_mul(size)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let intents = rows
        .iter()
        .map(|(id, body)| super::execution::with_payments(ctx.conn, id, body))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("[{}]", intents.join(",")))
}

/// `POST /payments/v1/destinations`: the core's form, with or without
/// `bank_identifier` (Lean's own example sends `bank_type` and
/// `government_identifier` instead). An absent bank identifier is stored as
/// `null`, as Lean shows it.
pub fn create_destination(ctx: &mut Ctx, body: &Value) -> Result<Value, ObFailure> {
    ctx.caller.require_app("create payment destinations")?;
    let new = NewDestination::from_json(body).map_err(ObFailure::invalid)?;
    if let Some(kind) = &new.bank_type {
        if !["RETAIL", "CORPORATE"].contains(&kind.as_str()) {
            return Err(ObFailure::field(
                "bank_type",
                FieldErrorCode::InvalidValue,
                "must be RETAIL or CORPORATE",
            ));
        }
    }
    let mut extra = Map::new();
    for (key, value) in [
        ("account_number", &new.account_number),
        ("swift_code", &new.swift_code),
        ("address", &new.address),
        ("city", &new.city),
        ("country", &new.country),
    ] {
        if let Some(v) = value {
            extra.insert(key.to_owned(), Value::String(v.clone()));
        }
    }
    let no_bank_identifier = new.bank_identifier.is_none();
    let created = Destination {
        id: Some(super::uuid(ctx.rng)),
        display_name: Some(new.display_name),
        name: Some(new.name),
        bank_identifier: new.bank_identifier,
        iban: Some(new.iban),
        bank_type: new.bank_type,
        government_identifier: new.government_identifier,
        extra,
    };
    let mut value = serde_json::to_value(&created).unwrap_or(Value::Null);
    if no_bank_identifier {
        value["bank_identifier"] = Value::Null;
    }
    ctx.conn.execute(
        "INSERT INTO ob_destinations (id, body) VALUES (?1, ?2)",
        params![created.id, value.to_string()],
    )?;
    Ok(value)
}

/// `GET /payments/v1/destinations`: an array, oldest first, one page of
/// `page_size` (default [`super::customers::DEFAULT_ARRAY_PAGE_SIZE`])
/// from `page_number`.
pub fn list_destinations(ctx: &Ctx, query: Option<&str>) -> Result<Value, ObFailure> {
    ctx.caller.require_app("list payment destinations")?;
    let (number, size) =
        super::customers::paging(query, super::customers::DEFAULT_ARRAY_PAGE_SIZE)?;
    let mut s = ctx
        .conn
        .prepare_cached("SELECT body FROM ob_destinations ORDER BY seq LIMIT ?1 OFFSET ?2")?;
    let list: Vec<Value> = s
        .query_map(params![size, number * size], |r| r.get::<_, String>(0))?
        .filter_map(|b| b.ok().and_then(|b| serde_json::from_str(&b).ok()))
        .collect();
    Ok(Value::Array(list))
}

#[cfg(test)]
mod tests {
    use super::read_exact;

    #[test]
    fn amounts_keep_their_text() {
        let v = read_exact(
            br#"{"amount":100.10,"currency":"AED","n":1.5}"#,
            &["amount"],
        )
        .unwrap();
        assert_eq!(v["amount"], "100.10");
        assert_eq!(v["n"], 1.5);
        let v = read_exact(br#"{"amount":"7.25"}"#, &["amount"]).unwrap();
        assert_eq!(v["amount"], "7.25");
        assert!(read_exact(b"[1]", &["amount"]).unwrap().is_array());
        assert!(read_exact(b"{", &["amount"]).is_err());
    }
}
