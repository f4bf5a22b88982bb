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
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::reply::ObFailure;
use super::Ctx;

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
    let body: Option<String> = conn
        .query_row(
            "SELECT body FROM ob_destinations WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

/// `POST /payments/v1/intents`: the customer and the destination, when
/// named, must exist.
pub fn create_intent(ctx: &mut Ctx, body: &Value) -> Result<Value, ObFailure> {
    let new = NewPaymentIntent::from_json(body).map_err(ObFailure::invalid)?;
    ctx.caller.require_customer(&new.customer_id)?;
    let customer = ctx
        .conn
        .query_row(
            "SELECT 1 FROM ob_customers WHERE customer_id = ?1",
            [&new.customer_id],
            |_| Ok(()),
        )
        .optional()?;
    if customer.is_none() {
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

/// What the vendor's own destination body adds to the core's form.
struct VendorFields {
    /// `bank_type` and `government_identifier`, echoed back.
    extra: Map<String, Value>,
    /// The body named no `bank_identifier`: stored as `null`.
    no_bank_identifier: bool,
}

/// The bank code the core's check reads when the body names none; never
/// stored.
const UNNAMED_BANK: &str = "UNNAMED";

/// Takes the fields of Lean's own example body out of `body`:
/// `bank_type` (`RETAIL` or `CORPORATE`) and `government_identifier`
/// (`{type, value}`, checked with the core's rules for a customer's
/// identifiers), and lets `bank_identifier` be absent. The rest is the
/// core's form.
fn vendor_fields(body: &Value) -> Result<(Value, VendorFields), ObFailure> {
    let mut vendor = VendorFields {
        extra: Map::new(),
        no_bank_identifier: false,
    };
    let Some(fields) = body.as_object() else {
        return Ok((body.clone(), vendor));
    };
    let mut fields = fields.clone();
    match fields.remove("bank_type") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if ["RETAIL", "CORPORATE"].contains(&t.as_str()) => {
            vendor
                .extra
                .insert("bank_type".to_owned(), Value::String(t));
        }
        Some(_) => {
            return Err(ObFailure::field(
                "bank_type",
                FieldErrorCode::InvalidValue,
                "must be RETAIL or CORPORATE",
            ))
        }
    }
    match fields.remove("government_identifier") {
        None | Some(Value::Null) => {}
        Some(id) => {
            let customer = serde_json::json!({"app_user_id": "x", "government_identifiers": [id]});
            let read =
                lean_core::openbanking::NewCustomer::from_json(&customer).map_err(|mut e| {
                    for error in &mut e.errors {
                        error.field = error
                            .field
                            .replace("government_identifiers[0]", "government_identifier");
                    }
                    ObFailure::invalid(e)
                })?;
            let id = read.government_identifiers.into_iter().next();
            vendor.extra.insert(
                "government_identifier".to_owned(),
                serde_json::to_value(id).unwrap_or(Value::Null),
            );
        }
    }
    if matches!(fields.get("bank_identifier"), None | Some(Value::Null)) {
        vendor.no_bank_identifier = true;
        fields.insert(
            "bank_identifier".to_owned(),
            Value::String(UNNAMED_BANK.to_owned()),
        );
    }
    Ok((Value::Object(fields), vendor))
}

/// `POST /payments/v1/destinations`: the core's form (with
/// `bank_identifier`), or Lean's own example body (`bank_type`,
/// `government_identifier`, no `bank_identifier`).
pub fn create_destination(ctx: &mut Ctx, body: &Value) -> Result<Value, ObFailure> {
    ctx.caller.require_app("create payment destinations")?;
    let (body, vendor) = vendor_fields(body)?;
    let new = NewDestination::from_json(&body).map_err(ObFailure::invalid)?;
    let mut extra = vendor.extra;
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
    let created = Destination {
        id: Some(super::uuid(ctx.rng)),
        display_name: Some(new.display_name),
        name: Some(new.name),
        bank_identifier: new.bank_identifier.filter(|_| !vendor.no_bank_identifier),
        iban: Some(new.iban),
        bank_type: new.bank_type,
        government_identifier: new.government_identifier,
        extra,
    };
    let mut value = serde_json::to_value(&created).unwrap_or(Value::Null);
    if vendor.no_bank_identifier {
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
