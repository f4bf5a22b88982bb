//! Reading the payouts API's answers into typed results.
//!
//! A 2xx body is parsed into the operation's model; anything else becomes an
//! [`ApiError`](crate::ApiError). Nothing here can panic on any input: bodies
//! that are not what the API documents become [`Error::InvalidResponse`].

use serde_json::Value;

use crate::error::Error;
use crate::http::HttpResponse;
use crate::response::{api_error, invalid, parse_body, redirect};

use super::models::{Application, Customer, Gig, SpecialPayment};
use super::operation::OperationKind;

/// The typed result of a successful operation: one case per kind of
/// model, each holding the model (or the list) the call answered with.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Outcome {
    /// From `createCustomer`, `getCustomer`, `updateCustomer`.
    Customer(Customer),
    /// From `submitApplication`.
    Application(Application),
    /// From `createGig`, `getGig`.
    Gig(Gig),
    /// From `listGigs`.
    Gigs(Vec<Gig>),
    /// From `createSpecialPayment`, `getSpecialPayment`.
    SpecialPayment(SpecialPayment),
    /// From `listSpecialPayments`.
    SpecialPayments(Vec<SpecialPayment>),
}

impl Outcome {
    /// The result in the API's own JSON shape (camelCase, amounts as
    /// two-decimal strings, statuses in canonical spelling, unknown fields
    /// kept). Hosts hand this to their users as a plain object or dict.
    pub fn to_json(&self) -> Value {
        fn list<T>(items: &[T], to_json: fn(&T) -> Value) -> Value {
            Value::Array(items.iter().map(to_json).collect())
        }
        match self {
            Self::Customer(c) => c.to_json(),
            Self::Application(a) => a.to_json(),
            Self::Gig(g) => g.to_json(),
            Self::Gigs(g) => list(g, Gig::to_json),
            Self::SpecialPayment(p) => p.to_json(),
            Self::SpecialPayments(p) => list(p, SpecialPayment::to_json),
        }
    }
}

/// Parses the answer to an operation of `kind`.
pub fn parse_response(kind: OperationKind, response: &HttpResponse) -> Result<Outcome, Error> {
    if let Some(redirect) = redirect(response) {
        return Err(redirect);
    }
    if !response.is_success() {
        return Err(api_error(response).into());
    }
    Ok(match kind {
        OperationKind::CreateCustomer
        | OperationKind::GetCustomer
        | OperationKind::UpdateCustomer => {
            Outcome::Customer(parse_one(response, Customer::from_json)?)
        }
        OperationKind::SubmitApplication => {
            Outcome::Application(parse_one(response, Application::from_json)?)
        }
        OperationKind::CreateGig | OperationKind::GetGig => {
            Outcome::Gig(parse_one(response, Gig::from_json)?)
        }
        OperationKind::ListGigs => Outcome::Gigs(parse_list(response, Gig::from_json)?),
        OperationKind::CreateSpecialPayment | OperationKind::GetSpecialPayment => {
            Outcome::SpecialPayment(parse_one(response, SpecialPayment::from_json)?)
        }
        OperationKind::ListSpecialPayments => {
            Outcome::SpecialPayments(parse_list(response, SpecialPayment::from_json)?)
        }
    })
}

/// Parses a 2xx body holding one model, read by its `from_json`: the body
/// is parsed into a `Value` (the one instantiation of serde_json's parser
/// the wasm needs) and the model read from it, as list items are.
pub(crate) fn parse_one<T>(
    response: &HttpResponse,
    read: fn(Value) -> Result<T, String>,
) -> Result<T, Error> {
    read(parse_body(response)?).map_err(|e| invalid(response, &e))
}

/// Lists are documented as JSON arrays; an object wrapping the array in
/// `data` is accepted too, should the API add paging metadata.
fn parse_list<T>(
    response: &HttpResponse,
    read: fn(Value) -> Result<T, String>,
) -> Result<Vec<T>, Error> {
    let value: Value = parse_body(response)?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("data") {
            Some(Value::Array(items)) => items,
            _ => return Err(invalid(response, "expected a JSON array")),
        },
        _ => return Err(invalid(response, "expected a JSON array")),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| read(item).map_err(|e| invalid(response, &format!("item {i}: {e}"))))
        .collect()
}
