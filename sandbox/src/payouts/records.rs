//! The API's operations on the stored records. Every body is read with the
//! core's own `from_json` (so the SDK and the sandbox apply the same rules)
//! and every answer is one of the core's response models, serialised.
//!
//! Each function runs inside the caller's transaction: a write and the
//! webhooks it causes commit together or not at all.

use lean_core::validate;
use lean_core::{
    Amount, AmountText, Application, ApplicationStatus, Customer, CustomerStatus, CustomerUpdate,
    FieldErrorCode, Gig, NewCustomer, NewGig, NewSpecialPayment, PaymentStatus, SpecialPayment,
    SpecialPaymentType,
};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{Map, Value};

use crate::clock::iso;
use crate::failure::Failure;
use crate::rows::{self, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// A payout whose `description` contains this text (any case) fails at
/// settlement, with a `gig.failed` or `specialpayment.failed` webhook.
pub const FAIL_TRIGGER: &str = "sandbox:fail";

/// What an operation needs besides its input.
pub struct Context<'a> {
    /// Milliseconds since the epoch.
    pub now: i64,
    /// From submission to approval, in milliseconds.
    pub approval_ms: i64,
    /// From creation to settlement, in milliseconds.
    pub settlement_ms: i64,
    /// For generated ids.
    pub rng: &'a mut fastrand::Rng,
}

impl Context<'_> {
    fn id(&mut self, prefix: &str) -> String {
        let tail: String = (0..20).map(|_| self.rng.alphanumeric()).collect();
        format!("{prefix}_{tail}")
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn from_body<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, Failure> {
    serde_json::from_str(body).map_err(|e| {
        Failure::status(
            500,
            format!("sandbox storage holds an unreadable record: {e}"),
        )
    })
}

// ----- customers -----

/// `POST /customer`.
pub fn create_customer(
    conn: &Connection,
    body: &Value,
    ctx: &mut Context,
) -> Result<Value, Failure> {
    let new = NewCustomer::from_json(body).map_err(Failure::invalid)?;
    let email = new.email.to_ascii_lowercase();
    unique(
        conn,
        None,
        &[
            ("partner_user_id", "partnerUserId", &new.partner_user_id),
            ("phone_number", "phoneNumber", &new.phone_number),
            ("email", "email", &email),
        ],
    )?;
    let stamp = iso(ctx.now);
    let customer = Customer {
        partner_user_id: new.partner_user_id.clone(),
        first_name: Some(new.first_name),
        middle_name: new.middle_name,
        last_name: Some(new.last_name),
        birthday: Some(new.birthday),
        phone_number: Some(new.phone_number.clone()),
        email: Some(new.email),
        street: Some(new.street),
        street2: new.street2,
        city: Some(new.city),
        state: Some(new.state),
        postal_code: Some(new.postal_code),
        registration_date: Some(new.registration_date),
        status: Some(CustomerStatus::Pending),
        created_at: Some(stamp.clone()),
        updated_at: Some(stamp),
        extra: Map::new(),
    };
    let json = to_json(&customer);
    conn.execute(
        "INSERT INTO customers (partner_user_id, phone_number, email, status, body) VALUES (?1, ?2, ?3, 'PENDING', ?4)",
        params![new.partner_user_id, new.phone_number, email, json.to_string()],
    )?;
    Ok(json)
}

/// Refuses the `fields` (column, wire name, value) that another customer
/// already holds, all of them at once; `changing` is the customer being
/// changed, who may keep its own.
fn unique(
    conn: &Connection,
    changing: Option<&str>,
    fields: &[(&str, &str, &str)],
) -> Result<(), Failure> {
    let mut errors = Vec::new();
    for &(column, field, value) in fields {
        let sql = format!(
            "SELECT 1 FROM customers WHERE {column} = ?1 AND (?2 IS NULL OR partner_user_id <> ?2)"
        );
        if conn
            .query_row(&sql, params![value, changing], |_| Ok(()))
            .optional()?
            .is_some()
        {
            errors.push(lean_core::FieldError::new(
                field,
                FieldErrorCode::InvalidValue,
                format!("must be unique: another customer already has this {field}"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::invalid(lean_core::ValidationError { errors }))
    }
}

/// The stored customer and its status, or 404.
fn load_customer(conn: &Connection, id: &str) -> Result<(Customer, String), Failure> {
    let row: Option<(String, String)> = rows::row(
        conn,
        "SELECT body, status FROM customers WHERE partner_user_id = ?1",
        id,
        rows::two,
    )?;
    let (body, status) =
        row.ok_or_else(|| Failure::not_found(format!("no customer with partnerUserId {id:?}")))?;
    Ok((from_body(&body)?, status))
}

/// `GET /customer/:partnerUserId`.
pub fn get_customer(conn: &Connection, id: &str) -> Result<Value, Failure> {
    Ok(to_json(&load_customer(conn, id)?.0))
}

/// `PATCH /customer/:partnerUserId`, only while `PENDING` (older documents).
pub fn update_customer(
    conn: &Connection,
    id: &str,
    body: &Value,
    ctx: &mut Context,
) -> Result<Value, Failure> {
    let update = CustomerUpdate::from_json(body).map_err(Failure::invalid)?;
    let (mut customer, status) = load_customer(conn, id)?;
    if status != "PENDING" {
        return Err(Failure::field(
            "partnerUserId",
            FieldErrorCode::InvalidValue,
            format!("the customer is {status}: only a PENDING customer can be changed"),
        ));
    }
    let email = update.email.as_deref().map(str::to_ascii_lowercase);
    let mut changed = Vec::new();
    if let Some(phone) = &update.phone_number {
        changed.push(("phone_number", "phoneNumber", phone.as_str()));
    }
    if let Some(email) = &email {
        changed.push(("email", "email", email.as_str()));
    }
    unique(conn, Some(id), &changed)?;
    let set = |slot: &mut Option<String>, value: Option<String>| {
        if value.is_some() {
            *slot = value;
        }
    };
    set(&mut customer.first_name, update.first_name);
    set(&mut customer.middle_name, update.middle_name);
    set(&mut customer.last_name, update.last_name);
    set(&mut customer.birthday, update.birthday);
    set(&mut customer.phone_number, update.phone_number);
    set(&mut customer.email, update.email);
    set(&mut customer.street, update.street);
    set(&mut customer.street2, update.street2);
    set(&mut customer.city, update.city);
    set(&mut customer.state, update.state);
    set(&mut customer.postal_code, update.postal_code);
    set(&mut customer.registration_date, update.registration_date);
    customer.updated_at = Some(iso(ctx.now));
    let json = to_json(&customer);
    conn.execute(
        "UPDATE customers SET phone_number = ?2, email = ?3, body = ?4 WHERE partner_user_id = ?1",
        params![
            id,
            customer.phone_number.clone().unwrap_or_default(),
            customer
                .email
                .clone()
                .unwrap_or_default()
                .to_ascii_lowercase(),
            json.to_string()
        ],
    )?;
    Ok(json)
}

/// `POST /application`: approves the customer after the approval delay.
/// Submitting again changes nothing and reports where it stands.
pub fn submit_application(
    conn: &Connection,
    body: &Value,
    ctx: &mut Context,
) -> Result<Value, Failure> {
    let Some(object) = body.as_object() else {
        return Err(Failure::field(
            "$",
            FieldErrorCode::InvalidType,
            "must be a JSON object with partnerUserId",
        ));
    };
    // The reference's own example spells it partnerUserID; both are read.
    let raw = object
        .get("partnerUserId")
        .or_else(|| object.get("partnerUserID"));
    let id = match raw {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(Failure::field(
                "partnerUserId",
                FieldErrorCode::InvalidType,
                "must be text",
            ))
        }
    };
    let id = validate::identifier(&id).map_err(|p| {
        Failure::invalid(lean_core::ValidationError {
            errors: vec![lean_core::FieldError::new(
                "partnerUserId",
                p.code,
                p.message,
            )],
        })
    })?;
    let (_, status) = load_customer(conn, &id)?;
    let application: Option<String> = conn.query_row(
        "SELECT application FROM customers WHERE partner_user_id = ?1",
        [&id],
        |r| r.get(0),
    )?;
    let state = match (status.as_str(), application) {
        ("PENDING", None) => {
            conn.execute(
                "UPDATE customers SET application = 'submitted', approve_at = ?2 WHERE partner_user_id = ?1",
                params![id, ctx.now + ctx.approval_ms],
            )?;
            ApplicationStatus::Submitted
        }
        ("PENDING", Some(_)) => ApplicationStatus::Submitted,
        _ => ApplicationStatus::Approved,
    };
    Ok(to_json(&Application {
        partner_user_id: id,
        status: Some(state),
        extra: Map::new(),
    }))
}

/// Only `ACTIVE` customers can be paid.
fn payable(conn: &Connection, id: &str) -> Result<(), Failure> {
    let status: Option<String> = rows::lookup(
        conn,
        "SELECT status FROM customers WHERE partner_user_id = ?1",
        id,
    )?;
    match status.as_deref() {
        Some("ACTIVE") => Ok(()),
        Some(other) => Err(Failure::field(
            "partnerUserId",
            FieldErrorCode::InvalidValue,
            format!("the customer is {other}: only ACTIVE customers can be paid (submit the application and wait for customer.active)"),
        )),
        None => Err(Failure::field(
            "partnerUserId",
            FieldErrorCode::InvalidValue,
            format!("no customer with partnerUserId {id:?}"),
        )),
    }
}

// ----- gigs -----

/// `POST /gig`.
pub fn create_gig(conn: &Connection, body: &Value, ctx: &mut Context) -> Result<Value, Failure> {
    let new = NewGig::from_json(body).map_err(Failure::invalid)?;
    payable(conn, &new.partner_user_id)?;
    if rows::exists(conn, "SELECT 1 FROM gigs WHERE gig_id = ?1", &new.gig_id)? {
        return Err(Failure::field(
            "gigId",
            FieldErrorCode::InvalidValue,
            format!(
                "must be unique: a gig with gigId {:?} already exists",
                new.gig_id
            ),
        ));
    }
    let stamp = iso(ctx.now);
    let amount = |text: &AmountText| Amount::parse(text.as_str()).ok();
    let fail = new.description.to_ascii_lowercase().contains(FAIL_TRIGGER);
    let gig = Gig {
        gig_id: new.gig_id.clone(),
        id: Some(ctx.id("gig")),
        partner_user_id: Some(new.partner_user_id.clone()),
        total_amount: amount(&new.total_amount),
        tips: amount(&new.tips),
        expenses: amount(&new.expenses),
        description: Some(new.description),
        start_time: Some(new.start_time),
        end_time: Some(new.end_time),
        status: Some(PaymentStatus::Pending),
        invoice_id: Some(ctx.id("invoice")),
        created_at: Some(stamp.clone()),
        updated_at: Some(stamp),
        extra: Map::new(),
    };
    let json = to_json(&gig);
    Table::Gigs.insert_pending(conn, ctx, &new.gig_id, &new.partner_user_id, fail, &json)?;
    Ok(json)
}

/// `GET /gig/:gigId`.
pub fn get_gig(conn: &Connection, gig_id: &str) -> Result<Value, Failure> {
    Table::Gigs.get(conn, gig_id, "gig with gigId")
}

/// One page of a list: `?limit=&offset=`. The reference documents the
/// lists as plain JSON arrays and names no paging, so the answer stays an
/// array; the sandbox bounds it and says where the next page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Records per page, 1 to [`MAX_PAGE_SIZE`].
    pub limit: u32,
    /// Records skipped, oldest first.
    pub offset: u64,
}

impl Window {
    /// Reads `limit` and `offset` from a query string; other names are
    /// ignored, as the API ignores unknown parameters.
    pub fn parse(query: Option<&str>) -> Result<Self, Failure> {
        let mut window = Self {
            limit: DEFAULT_PAGE_SIZE,
            offset: 0,
        };
        for pair in query.unwrap_or_default().split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            match name {
                "limit" => {
                    window.limit = match value.parse::<u32>() {
                        Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
                        _ => {
                            return Err(Failure::field(
                                "limit",
                                FieldErrorCode::OutOfRange,
                                format!("must be a whole number from 1 to {MAX_PAGE_SIZE} (records per page; default {DEFAULT_PAGE_SIZE})"),
                            ))
                        }
                    }
                }
                "offset" => {
                    window.offset = value.parse::<u64>().map_err(|_| {
                        Failure::field(
                            "offset",
                            FieldErrorCode::InvalidType,
                            "must be a whole number from 0 (records to skip, oldest first)",
                        )
                    })?
                }
                _ => {}
            }
        }
        Ok(window)
    }
}

/// `GET /gig` and `GET /specialpayment`: one page of records, oldest
/// first, and how many there are in all.
pub fn list(conn: &Connection, table: Table, window: Window) -> Result<(Value, u64), Failure> {
    let sql = format!(
        "SELECT body FROM {} ORDER BY rowid LIMIT ?1 OFFSET ?2",
        table.name()
    );
    let offset = i64::try_from(window.offset).unwrap_or(i64::MAX);
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params![window.limit, offset], |r| r.get::<_, String>(0))?;
    let mut items = Vec::new();
    for row in rows {
        items.push(serde_json::from_str(&row?).unwrap_or(Value::Null));
    }
    let total: i64 =
        conn.query_row(&format!("SELECT count(*) FROM {}", table.name()), [], |r| {
            r.get(0)
        })?;
    Ok((
        Value::Array(items),
        u64::try_from(total).unwrap_or_default(),
    ))
}

/// The two kinds of payout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// `gigs`.
    Gigs,
    /// `special_payments`.
    SpecialPayments,
}

impl Table {
    /// The SQL table.
    pub fn name(self) -> &'static str {
        match self {
            Self::Gigs => "gigs",
            Self::SpecialPayments => "special_payments",
        }
    }

    /// The key column.
    pub fn key(self) -> &'static str {
        match self {
            Self::Gigs => "gig_id",
            Self::SpecialPayments => "id",
        }
    }

    /// The stored record whose key is `key`, or 404: "no `what` `key`".
    fn get(self, conn: &Connection, key: &str, what: &str) -> Result<Value, Failure> {
        let sql = format!("SELECT body FROM {} WHERE {} = ?1", self.name(), self.key());
        let body: Option<String> = rows::lookup(conn, &sql, key)?;
        let body = body.ok_or_else(|| Failure::not_found(format!("no {what} {key:?}")))?;
        from_body(&body)
    }

    /// Stores a new PENDING payout of `owner`, due to settle after the
    /// settlement delay, as FAILED when `fail`.
    fn insert_pending(
        self,
        conn: &Connection,
        ctx: &Context,
        key: &str,
        owner: &str,
        fail: bool,
        json: &Value,
    ) -> Result<(), Failure> {
        let sql = format!(
            "INSERT INTO {} ({}, partner_user_id, status, settle_at, fail, body) VALUES (?1, ?2, 'PENDING', ?3, ?4, ?5)",
            self.name(),
            self.key()
        );
        let settle_at = ctx.now + ctx.settlement_ms;
        conn.execute(&sql, params![key, owner, settle_at, fail, json.to_string()])?;
        Ok(())
    }

    /// The webhook object name.
    pub fn object(self) -> &'static str {
        match self {
            Self::Gigs => "gig",
            Self::SpecialPayments => "specialpayment",
        }
    }
}

// ----- special payments -----

/// `POST /specialpayment` (idempotency keys are handled by the caller).
pub fn create_special_payment(
    conn: &Connection,
    body: &Value,
    ctx: &mut Context,
) -> Result<Value, Failure> {
    let new = NewSpecialPayment::from_json(body).map_err(Failure::invalid)?;
    payable(conn, &new.partner_user_id)?;
    if let Some(gig_id) = &new.gig_id {
        let owner: Option<String> = rows::lookup(
            conn,
            "SELECT partner_user_id FROM gigs WHERE gig_id = ?1",
            gig_id,
        )?;
        match owner {
            None => {
                return Err(Failure::field(
                    "gigId",
                    FieldErrorCode::InvalidValue,
                    format!("no gig with gigId {gig_id:?}: a special payment can only link a gig created earlier"),
                ))
            }
            Some(owner) if owner != new.partner_user_id => {
                return Err(Failure::field(
                    "gigId",
                    FieldErrorCode::Inconsistent,
                    format!("the gig {gig_id:?} was paid to another customer"),
                ))
            }
            Some(_) => {}
        }
    }
    let stamp = iso(ctx.now);
    let fail = new
        .description
        .as_deref()
        .is_some_and(|d| d.to_ascii_lowercase().contains(FAIL_TRIGGER));
    let payment = SpecialPayment {
        id: ctx.id("special_payment"),
        partner_user_id: Some(new.partner_user_id.clone()),
        amount: Amount::parse(new.amount.as_str()).ok(),
        payment_type: Some(SpecialPaymentType::parse(&new.payment_type)),
        description: new.description,
        gig_id: new.gig_id,
        status: Some(PaymentStatus::Pending),
        userdata: new.userdata,
        invoice_id: Some(ctx.id("invoice")),
        created_at: Some(stamp.clone()),
        updated_at: Some(stamp),
        extra: Map::new(),
    };
    let json = to_json(&payment);
    Table::SpecialPayments.insert_pending(
        conn,
        ctx,
        &payment.id,
        &new.partner_user_id,
        fail,
        &json,
    )?;
    Ok(json)
}

/// `GET /specialpayment/:id`.
pub fn get_special_payment(conn: &Connection, id: &str) -> Result<Value, Failure> {
    Table::SpecialPayments.get(conn, id, "special payment with id")
}
