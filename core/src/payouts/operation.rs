//! The API's operations: validated inputs turned into HTTP requests.
//!
//! An [`Operation`] can only be made from valid input, so building its
//! request cannot fail on input; only the configuration can refuse it (the
//! application endpoint does not exist in production).

use std::borrow::Cow;

use serde_json::Value;

use crate::error::{Error, FieldErrorCode};
use crate::http::{push_json_string, HttpRequest, Method};
use crate::operation_kind::operation_kinds;
use crate::payouts::config::{Config, Environment};
use crate::payouts::models::{CustomerUpdate, NewCustomer, NewGig, NewSpecialPayment};
use crate::url::segment;
use crate::validate::{self, field_error, path_id, Problem};

operation_kinds! {
    /// Names of the operations, the same in every host and in the vectors.
    pub enum OperationKind {
        /// `POST /customer`.
        CreateCustomer = "createCustomer",
        /// `GET /customer/:partnerUserId`.
        GetCustomer = "getCustomer",
        /// `PATCH /customer/:partnerUserId`.
        UpdateCustomer = "updateCustomer",
        /// `POST /application` (sandbox only).
        SubmitApplication = "submitApplication",
        /// `POST /gig`.
        CreateGig = "createGig",
        /// `GET /gig/:gigId`.
        GetGig = "getGig",
        /// `GET /gig`.
        ListGigs = "listGigs",
        /// `POST /specialpayment`.
        CreateSpecialPayment = "createSpecialPayment",
        /// `GET /specialpayment/:id`.
        GetSpecialPayment = "getSpecialPayment",
        /// `GET /specialpayment`.
        ListSpecialPayments = "listSpecialPayments",
    }
}

impl OperationKind {
    /// True for operations that change nothing (`get*`, `list*`): their
    /// retries can never apply anything twice.
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Self::GetCustomer
                | Self::GetGig
                | Self::ListGigs
                | Self::GetSpecialPayment
                | Self::ListSpecialPayments
        )
    }
}

/// One validated API operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation(Inner);

#[derive(Clone, Debug, PartialEq)]
enum Inner {
    CreateCustomer(NewCustomer),
    GetCustomer(String),
    UpdateCustomer(String, CustomerUpdate),
    SubmitApplication(String),
    CreateGig(NewGig),
    GetGig(String),
    ListGigs,
    CreateSpecialPayment(NewSpecialPayment, Option<String>),
    GetSpecialPayment(String),
    ListSpecialPayments,
}

impl Operation {
    /// `POST /customer`.
    pub fn create_customer(customer: &NewCustomer) -> Result<Self, Error> {
        Ok(Self(Inner::CreateCustomer(customer.validate()?)))
    }

    /// `GET /customer/:partnerUserId`.
    pub fn get_customer(partner_user_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetCustomer(path_id(
            "partnerUserId",
            partner_user_id,
        )?)))
    }

    /// `PATCH /customer/:partnerUserId`, for customers still `PENDING`.
    pub fn update_customer(partner_user_id: &str, update: &CustomerUpdate) -> Result<Self, Error> {
        let id = path_id("partnerUserId", partner_user_id);
        let update = update.validate();
        match (id, update) {
            (Ok(id), Ok(update)) => Ok(Self(Inner::UpdateCustomer(id, update))),
            (id, update) => Err(merge(id.err(), update.err())),
        }
    }

    /// `POST /application` (sandbox only).
    pub fn submit_application(partner_user_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::SubmitApplication(path_id(
            "partnerUserId",
            partner_user_id,
        )?)))
    }

    /// `POST /gig`.
    pub fn create_gig(gig: &NewGig) -> Result<Self, Error> {
        Ok(Self(Inner::CreateGig(gig.validate()?)))
    }

    /// `GET /gig/:gigId`.
    pub fn get_gig(gig_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetGig(path_id("gigId", gig_id)?)))
    }

    /// `GET /gig`.
    pub fn list_gigs() -> Self {
        Self(Inner::ListGigs)
    }

    /// `POST /specialpayment`. Give your own `idempotency_key` (derived from
    /// your own payment id) to make re-running a script safe; otherwise the
    /// call engine generates one per call, which protects its retries only.
    pub fn create_special_payment(
        payment: &NewSpecialPayment,
        idempotency_key: Option<&str>,
    ) -> Result<Self, Error> {
        match (payment.validate(), caller_key(idempotency_key)) {
            (Ok(payment), Ok(key)) => Ok(Self(Inner::CreateSpecialPayment(payment, key))),
            (payment, key) => Err(merge(key.err(), payment.err())),
        }
    }

    /// `GET /specialpayment/:id`.
    pub fn get_special_payment(id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetSpecialPayment(path_id("id", id)?)))
    }

    /// `GET /specialpayment`.
    pub fn list_special_payments() -> Self {
        Self(Inner::ListSpecialPayments)
    }

    /// Builds an operation from its host-neutral JSON form, the one the
    /// shared vectors and the bindings use:
    /// `{"operation": "createGig", "input": {...}}`,
    /// `{"operation": "getGig", "gigId": "..."}`,
    /// `{"operation": "createSpecialPayment", "input": {...}, "idempotencyKey": "..."}`.
    pub fn from_json(call: &Value) -> Result<Self, Error> {
        let (kind, input) = crate::input::call_operation::<OperationKind>(call, "")?;
        let text = |field: &str| crate::input::call_text(call, field);
        Ok(match kind {
            OperationKind::CreateCustomer => {
                Self(Inner::CreateCustomer(NewCustomer::from_json(input)?))
            }
            OperationKind::GetCustomer => Self::get_customer(&text("partnerUserId")?)?,
            OperationKind::UpdateCustomer => {
                let id = text("partnerUserId").and_then(|id| path_id("partnerUserId", &id));
                match (id, CustomerUpdate::from_json(input)) {
                    (Ok(id), Ok(update)) => Self(Inner::UpdateCustomer(id, update)),
                    (id, update) => return Err(merge(id.err(), update.err())),
                }
            }
            OperationKind::SubmitApplication => Self::submit_application(&text("partnerUserId")?)?,
            OperationKind::CreateGig => Self(Inner::CreateGig(NewGig::from_json(input)?)),
            OperationKind::GetGig => Self::get_gig(&text("gigId")?)?,
            OperationKind::ListGigs => Self::list_gigs(),
            OperationKind::CreateSpecialPayment => {
                let key = match call.get("idempotencyKey") {
                    None | Some(Value::Null) => Ok(None),
                    Some(_) => text("idempotencyKey").and_then(|k| caller_key(Some(&k))),
                };
                match (NewSpecialPayment::from_json(input), key) {
                    (Ok(payment), Ok(key)) => Self(Inner::CreateSpecialPayment(payment, key)),
                    (payment, key) => return Err(merge(key.err(), payment.err())),
                }
            }
            OperationKind::GetSpecialPayment => Self::get_special_payment(&text("id")?)?,
            OperationKind::ListSpecialPayments => Self::list_special_payments(),
        })
    }

    /// Which operation this is.
    pub fn kind(&self) -> OperationKind {
        match &self.0 {
            Inner::CreateCustomer(_) => OperationKind::CreateCustomer,
            Inner::GetCustomer(_) => OperationKind::GetCustomer,
            Inner::UpdateCustomer(..) => OperationKind::UpdateCustomer,
            Inner::SubmitApplication(_) => OperationKind::SubmitApplication,
            Inner::CreateGig(_) => OperationKind::CreateGig,
            Inner::GetGig(_) => OperationKind::GetGig,
            Inner::ListGigs => OperationKind::ListGigs,
            Inner::CreateSpecialPayment(..) => OperationKind::CreateSpecialPayment,
            Inner::GetSpecialPayment(_) => OperationKind::GetSpecialPayment,
            Inner::ListSpecialPayments => OperationKind::ListSpecialPayments,
        }
    }

    /// The caller's idempotency key of a special payment, if given.
    pub fn idempotency_key(&self) -> Option<&str> {
        match &self.0 {
            Inner::CreateSpecialPayment(_, key) => key.as_deref(),
            _ => None,
        }
    }

    /// The caller-chosen id that identifies what this operation creates or
    /// changes, with its wire name: a gig's `gigId`, a customer's
    /// `partnerUserId`. Special payments are identified by their
    /// idempotency key instead; reads by nothing they change.
    pub(crate) fn sent_id(&self) -> Option<(&'static str, &str)> {
        match &self.0 {
            Inner::CreateGig(gig) => Some(("gigId", &gig.gig_id)),
            Inner::CreateCustomer(c) => Some(("partnerUserId", &c.partner_user_id)),
            Inner::UpdateCustomer(id, _) | Inner::SubmitApplication(id) => {
                Some(("partnerUserId", id))
            }
            _ => None,
        }
    }

    /// The validated gig of a `createGig`, for reconciliation.
    pub(crate) fn gig(&self) -> Option<&NewGig> {
        match &self.0 {
            Inner::CreateGig(gig) => Some(gig),
            _ => None,
        }
    }

    /// The validated customer of a `createCustomer`, for reconciliation.
    pub(crate) fn customer(&self) -> Option<&NewCustomer> {
        match &self.0 {
            Inner::CreateCustomer(customer) => Some(customer),
            _ => None,
        }
    }

    /// Builds the HTTP request, with the caller's idempotency key if one was
    /// given. The call engine adds a generated key when there is none.
    pub fn request(&self, config: &Config) -> Result<HttpRequest, Error> {
        self.request_with_key(config, self.idempotency_key())
    }

    pub(crate) fn request_with_key(
        &self,
        config: &Config,
        idempotency_key: Option<&str>,
    ) -> Result<HttpRequest, Error> {
        // Paths without an id are borrowed: one allocation less per request.
        let (method, path, body): (_, Cow<'static, str>, _) = match &self.0 {
            Inner::CreateCustomer(c) => (Method::Post, "/customer".into(), Some(json(c))),
            Inner::GetCustomer(id) => (Method::Get, with_id("/customer/", id), None),
            Inner::UpdateCustomer(id, u) => {
                (Method::Patch, with_id("/customer/", id), Some(json(u)))
            }
            Inner::SubmitApplication(id) => {
                if config.environment() == Environment::Production {
                    return Err(Error::configuration(
                        "submitApplication exists only in the sandbox: in production each customer submits their own application in the Lean app; watch for the customer.active webhook instead",
                    ));
                }
                let body = serde_json::json!({ "partnerUserId": id }).to_string();
                (Method::Post, "/application".into(), Some(body))
            }
            Inner::CreateGig(g) => (Method::Post, "/gig".into(), Some(gig_body(g))),
            Inner::GetGig(id) => (Method::Get, with_id("/gig/", id), None),
            Inner::ListGigs => (Method::Get, "/gig".into(), None),
            Inner::CreateSpecialPayment(p, _) => {
                (Method::Post, "/specialpayment".into(), Some(json(p)))
            }
            Inner::GetSpecialPayment(id) => (Method::Get, with_id("/specialpayment/", id), None),
            Inner::ListSpecialPayments => (Method::Get, "/specialpayment".into(), None),
        };
        // Sized for every header at once: no regrowth as they are added.
        let mut headers = Vec::with_capacity(5);
        headers.extend([
            (
                "authorization".to_owned(),
                config.authorization().to_owned(),
            ),
            ("accept".to_owned(), "application/json".to_owned()),
            ("user-agent".to_owned(), config.user_agent().to_owned()),
        ]);
        if body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        if let Some(key) = idempotency_key {
            headers.push(("idempotency-key".to_owned(), key.to_owned()));
        }
        Ok(HttpRequest {
            method,
            url: [config.base_url(), &path].concat(),
            headers,
            body,
        })
    }

    /// The request that looks up what a create may have made: the gig or
    /// customer by the partner's own id. `None` for other operations.
    pub(crate) fn lookup(&self) -> Option<Operation> {
        match &self.0 {
            Inner::CreateGig(gig) => Some(Self(Inner::GetGig(gig.gig_id.clone()))),
            Inner::CreateCustomer(c) => Some(Self(Inner::GetCustomer(c.partner_user_id.clone()))),
            _ => None,
        }
    }
}

/// A gig's body, the hot request: the same text as its `Serialize` derive
/// writes (a test holds the two together), without going through
/// `serde_json`'s writer for each field.
fn gig_body(gig: &NewGig) -> String {
    let values = [
        gig.partner_user_id.as_str(),
        gig.total_amount.as_str(),
        gig.tips.as_str(),
        gig.expenses.as_str(),
        gig.description.as_str(),
        gig.gig_id.as_str(),
        gig.start_time.as_str(),
        gig.end_time.as_str(),
    ];
    let mut out = String::with_capacity(160 + values.iter().map(|v| v.len()).sum::<usize>());
    for (i, (name, value)) in NewGig::FIELDS.iter().zip(values).enumerate() {
        out.push_str(if i == 0 { "{\"" } else { ",\"" });
        out.push_str(name);
        out.push_str("\":");
        push_json_string(&mut out, value);
    }
    out.push('}');
    out
}

/// A path ending in one percent-encoded id.
fn with_id(prefix: &'static str, id: &str) -> Cow<'static, str> {
    Cow::Owned([prefix, &segment(id)].concat())
}

fn json(value: &impl serde::Serialize) -> String {
    // Serialising these plain structs cannot fail: every key is a string.
    serde_json::to_string(value).unwrap_or_default()
}

/// Checks the caller's own idempotency key, if one was given.
fn caller_key(key: Option<&str>) -> Result<Option<String>, Error> {
    key.map(|k| check_idempotency_key(k).map_err(|p| field_error("idempotencyKey", p)))
        .transpose()
}

/// Idempotency keys travel in a header: 1 to 255 printable ASCII characters.
fn check_idempotency_key(key: &str) -> validate::Rule<String> {
    if key.is_empty() {
        return Err(Problem::required());
    }
    if key.len() > 255 || !key.chars().all(|c| ('!'..='~').contains(&c)) {
        return Err(Problem::new(
            FieldErrorCode::InvalidFormat,
            "must be 1 to 255 printable ASCII characters without spaces, such as a UUID or your own payment id",
        ));
    }
    Ok(key.to_owned())
}

/// Joins the field errors of two failed checks into one validation error.
fn merge(first: Option<Error>, second: Option<impl Into<Error>>) -> Error {
    validate::merge_errors([first, second.map(Into::into)].into_iter().flatten())
        .unwrap_or_else(|| Error::internal("a failed check produced no error"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gig_body_is_what_its_serialize_derive_writes() {
        let gig = NewGig {
            partner_user_id: "uid_1".into(),
            total_amount: "15.00".into(),
            tips: "0.00".into(),
            expenses: "2.50".into(),
            description: "Dépôt \"quoted\" \\ line\nnext".into(),
            gig_id: "g\u{1}1".into(),
            start_time: "2021-03-01T21:04:04Z".into(),
            end_time: "2021-03-01T21:31:05.5Z".into(),
        };
        assert_eq!(gig_body(&gig), json(&gig));
    }
}
