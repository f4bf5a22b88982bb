//! The API's objects as native Kotlin and Swift types.
//!
//! The records mirror the core's structs (which hold JSON values, amounts
//! and wire enums that uniffi cannot carry as they are), every field of
//! each: the conversions below name each core field, so a field added to a
//! core struct fails to build here until its record has it. Inputs convert
//! by moving; validation stays in the core. Results add `json`, the object
//! in the API's own shape with unknown fields kept, so nothing the API adds
//! is ever lost. Amounts are [`DecimalAmount`]s: `BigDecimal` in Kotlin,
//! `Decimal` in Swift, never a binary float.

use serde_json::Value;

/// An exact decimal amount. It crosses as its text and is `java.math.BigDecimal` in
/// Kotlin and `Decimal` in Swift (`uniffi.toml`); the core validates it like
/// any amount text, so an invalid one is a field error, never a crash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecimalAmount(pub String);

uniffi::custom_newtype!(DecimalAmount, String);

impl DecimalAmount {
    pub(crate) fn of(amount: Option<lean_core::Amount>) -> Option<Self> {
        amount.map(|a| Self(a.to_string()))
    }
}

/// A worker to register (`POST /customer`).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NewCustomer {
    /// Legal first name.
    pub first_name: String,
    /// Middle name, if any.
    #[uniffi(default = None)]
    pub middle_name: Option<String>,
    /// Legal last name.
    pub last_name: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub birthday: String,
    /// US phone number.
    pub phone_number: String,
    /// Email address.
    pub email: String,
    /// Street address.
    pub street: String,
    /// Apartment, suite...
    #[uniffi(default = None)]
    pub street2: Option<String>,
    /// City.
    pub city: String,
    /// Two-letter state code.
    pub state: String,
    /// ZIP code.
    pub postal_code: String,
    /// Your own id for this worker.
    pub partner_user_id: String,
    /// When the worker joined your platform.
    pub registration_date: String,
}

impl From<NewCustomer> for lean_core::NewCustomer {
    fn from(c: NewCustomer) -> Self {
        Self {
            first_name: c.first_name,
            middle_name: c.middle_name,
            last_name: c.last_name,
            birthday: c.birthday,
            phone_number: c.phone_number,
            email: c.email,
            street: c.street,
            street2: c.street2,
            city: c.city,
            state: c.state,
            postal_code: c.postal_code,
            partner_user_id: c.partner_user_id,
            registration_date: c.registration_date,
        }
    }
}

/// Changes to a `PENDING` customer (`PATCH /customer/:id`); `None` keeps a
/// field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
#[allow(missing_docs)]
pub struct CustomerUpdate {
    #[uniffi(default = None)]
    pub first_name: Option<String>,
    #[uniffi(default = None)]
    pub middle_name: Option<String>,
    #[uniffi(default = None)]
    pub last_name: Option<String>,
    #[uniffi(default = None)]
    pub birthday: Option<String>,
    #[uniffi(default = None)]
    pub phone_number: Option<String>,
    #[uniffi(default = None)]
    pub email: Option<String>,
    #[uniffi(default = None)]
    pub street: Option<String>,
    #[uniffi(default = None)]
    pub street2: Option<String>,
    #[uniffi(default = None)]
    pub city: Option<String>,
    #[uniffi(default = None)]
    pub state: Option<String>,
    #[uniffi(default = None)]
    pub postal_code: Option<String>,
    #[uniffi(default = None)]
    pub registration_date: Option<String>,
}

impl From<CustomerUpdate> for lean_core::CustomerUpdate {
    fn from(u: CustomerUpdate) -> Self {
        Self {
            first_name: u.first_name,
            middle_name: u.middle_name,
            last_name: u.last_name,
            birthday: u.birthday,
            phone_number: u.phone_number,
            email: u.email,
            street: u.street,
            street2: u.street2,
            city: u.city,
            state: u.state,
            postal_code: u.postal_code,
            registration_date: u.registration_date,
        }
    }
}

/// A gig to pay (`POST /gig`).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NewGig {
    /// The worker's id (your own).
    pub partner_user_id: String,
    /// Everything paid for the gig, tips and expenses included.
    pub total_amount: DecimalAmount,
    /// The part of the total that is tips.
    pub tips: DecimalAmount,
    /// The part of the total that reimburses expenses.
    pub expenses: DecimalAmount,
    /// What the gig was.
    pub description: String,
    /// Your own id for the gig; a retry with the same id never pays twice.
    pub gig_id: String,
    /// When the gig started.
    pub start_time: String,
    /// When the gig ended.
    pub end_time: String,
}

impl From<NewGig> for lean_core::NewGig {
    fn from(g: NewGig) -> Self {
        Self {
            partner_user_id: g.partner_user_id,
            total_amount: g.total_amount.0,
            tips: g.tips.0,
            expenses: g.expenses.0,
            description: g.description,
            gig_id: g.gig_id,
            start_time: g.start_time,
            end_time: g.end_time,
        }
    }
}

/// A payment outside a gig (`POST /specialpayment`).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NewSpecialPayment {
    /// The worker's id (your own).
    pub partner_user_id: String,
    /// The amount paid.
    pub amount: DecimalAmount,
    /// The payment type, e.g. `BONUS`.
    pub payment_type: String,
    /// The gig it relates to, if any.
    #[uniffi(default = None)]
    pub gig_id: Option<String>,
    /// What it is for.
    #[uniffi(default = None)]
    pub description: Option<String>,
    /// Your own data as a JSON object text, returned as sent.
    #[uniffi(default = None)]
    pub userdata_json: Option<String>,
}

/// A customer as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
#[allow(missing_docs)]
pub struct Customer {
    pub partner_user_id: String,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthday: Option<String>,
    pub phone_number: Option<String>,
    pub email: Option<String>,
    pub street: Option<String>,
    pub street2: Option<String>,
    pub city: Option<String>,
    /// Two-letter US state code.
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// When the worker joined your platform.
    pub registration_date: Option<String>,
    /// Canonical spelling (`ACTIVE`), or the API's own text if unknown.
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    /// The whole object in the API's JSON shape, unknown fields included.
    pub json: String,
}

/// An application as the API returns it (sandbox).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
#[allow(missing_docs)]
pub struct Application {
    pub partner_user_id: String,
    pub status: Option<String>,
    /// The whole object in the API's JSON shape, unknown fields included.
    pub json: String,
}

/// A gig as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
#[allow(missing_docs)]
pub struct Gig {
    pub gig_id: String,
    pub id: Option<String>,
    pub partner_user_id: Option<String>,
    pub total_amount: Option<DecimalAmount>,
    pub tips: Option<DecimalAmount>,
    pub expenses: Option<DecimalAmount>,
    pub description: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// `PENDING`, `SUCCESS`, `FAILED`, or the API's own text if unknown.
    pub status: Option<String>,
    pub invoice_id: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    /// The whole object in the API's JSON shape, unknown fields included.
    pub json: String,
}

/// A special payment as the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
#[allow(missing_docs)]
pub struct SpecialPayment {
    pub id: String,
    pub partner_user_id: Option<String>,
    pub amount: Option<DecimalAmount>,
    pub payment_type: Option<String>,
    pub description: Option<String>,
    pub gig_id: Option<String>,
    pub status: Option<String>,
    /// Your own data as sent, as JSON text.
    pub userdata_json: Option<String>,
    pub invoice_id: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    /// The whole object in the API's JSON shape, unknown fields included.
    pub json: String,
}

/// The typed result of a finished call.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
#[allow(missing_docs)]
pub enum Outcome {
    Customer { value: Customer },
    Application { value: Application },
    Gig { value: Gig },
    Gigs { values: Vec<Gig> },
    SpecialPayment { value: SpecialPayment },
    SpecialPayments { values: Vec<SpecialPayment> },
}

fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

fn text(value: Option<impl ToString>) -> Option<String> {
    value.map(|v| v.to_string())
}

impl From<&lean_core::Customer> for Customer {
    fn from(c: &lean_core::Customer) -> Self {
        // Every field named (here and below): see the module's doc.
        let lean_core::Customer {
            partner_user_id,
            first_name,
            middle_name,
            last_name,
            birthday,
            phone_number,
            email,
            street,
            street2,
            city,
            state,
            postal_code,
            registration_date,
            status,
            created_at,
            updated_at,
            extra: _,
        } = c;
        Self {
            partner_user_id: partner_user_id.clone(),
            first_name: first_name.clone(),
            middle_name: middle_name.clone(),
            last_name: last_name.clone(),
            birthday: birthday.clone(),
            phone_number: phone_number.clone(),
            email: email.clone(),
            street: street.clone(),
            street2: street2.clone(),
            city: city.clone(),
            state: state.clone(),
            postal_code: postal_code.clone(),
            registration_date: registration_date.clone(),
            status: text(status.as_ref()),
            created_at: created_at.clone(),
            updated_at: updated_at.clone(),
            json: json_text(c),
        }
    }
}

impl From<&lean_core::Application> for Application {
    fn from(a: &lean_core::Application) -> Self {
        let lean_core::Application {
            partner_user_id,
            status,
            extra: _,
        } = a;
        Self {
            partner_user_id: partner_user_id.clone(),
            status: text(status.as_ref()),
            json: json_text(a),
        }
    }
}

impl From<&lean_core::Gig> for Gig {
    fn from(g: &lean_core::Gig) -> Self {
        let lean_core::Gig {
            gig_id,
            id,
            partner_user_id,
            total_amount,
            tips,
            expenses,
            description,
            start_time,
            end_time,
            status,
            invoice_id,
            created_at,
            updated_at,
            extra: _,
        } = g;
        Self {
            gig_id: gig_id.clone(),
            id: id.clone(),
            partner_user_id: partner_user_id.clone(),
            total_amount: DecimalAmount::of(*total_amount),
            tips: DecimalAmount::of(*tips),
            expenses: DecimalAmount::of(*expenses),
            description: description.clone(),
            start_time: start_time.clone(),
            end_time: end_time.clone(),
            status: text(status.as_ref()),
            invoice_id: invoice_id.clone(),
            created_at: created_at.clone(),
            updated_at: updated_at.clone(),
            json: json_text(g),
        }
    }
}

impl From<&lean_core::SpecialPayment> for SpecialPayment {
    fn from(p: &lean_core::SpecialPayment) -> Self {
        let lean_core::SpecialPayment {
            id,
            partner_user_id,
            amount,
            payment_type,
            description,
            gig_id,
            status,
            userdata,
            invoice_id,
            created_at,
            updated_at,
            extra: _,
        } = p;
        Self {
            id: id.clone(),
            partner_user_id: partner_user_id.clone(),
            amount: DecimalAmount::of(*amount),
            payment_type: text(payment_type.as_ref()),
            description: description.clone(),
            gig_id: gig_id.clone(),
            status: text(status.as_ref()),
            userdata_json: userdata.as_ref().map(Value::to_string),
            invoice_id: invoice_id.clone(),
            created_at: created_at.clone(),
            updated_at: updated_at.clone(),
            json: json_text(p),
        }
    }
}

impl From<&lean_core::Outcome> for Outcome {
    fn from(outcome: &lean_core::Outcome) -> Self {
        use lean_core::Outcome as O;
        match outcome {
            O::Customer(c) => Self::Customer { value: c.into() },
            O::Application(a) => Self::Application { value: a.into() },
            O::Gig(g) => Self::Gig { value: g.into() },
            O::Gigs(g) => Self::Gigs {
                values: g.iter().map(Into::into).collect(),
            },
            O::SpecialPayment(p) => Self::SpecialPayment { value: p.into() },
            O::SpecialPayments(p) => Self::SpecialPayments {
                values: p.iter().map(Into::into).collect(),
            },
        }
    }
}

/// Parses the caller's `userdata` JSON text; the core checks it is an
/// object and reports a field error naming `userdata` otherwise.
pub(crate) fn userdata(text: Option<&str>) -> Result<Option<Value>, lean_core::Error> {
    match text {
        None => Ok(None),
        Some(text) => serde_json::from_str(text).map(Some).map_err(|e| {
            lean_core::Error::Validation(lean_core::ValidationError {
                errors: vec![lean_core::FieldError::new(
                    "userdata",
                    lean_core::FieldErrorCode::InvalidType,
                    format!("must be a JSON object text: {e}"),
                )],
            })
        }),
    }
}
