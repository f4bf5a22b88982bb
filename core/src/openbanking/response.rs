//! Reading the open-banking API's answers into typed results.
//!
//! Nothing here panics on any input: a body that is not what the documents
//! describe becomes [`Error::InvalidResponse`], a non-2xx answer an
//! [`Error::Api`] with the documented code ([`super::errors`]).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::bank::Bank;
use super::customer::{Customer, CustomerPage};
use super::data::exact_numbers;
use super::data::{DataResult, DataStatus};
use super::data_page::DataPage;
use super::destination::Destination;
use super::entity::Entity;
use super::errors;
use super::kind::{data_page_kinds, OperationKind};
use super::payment::{Payment, PaymentIntent};
use super::webhooks::DataRefresh;
use crate::error::Error;
use crate::http::HttpResponse;

/// The typed result of a successful open-banking operation: one case per
/// kind of model, each holding the model (or the list, or the page) the
/// call answered with. `ObOutcome` in Kotlin and Swift, beside the payouts
/// `Outcome`.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "uniffi", uniffi(name = "ObOutcome"))]
pub enum Outcome {
    /// From `createCustomer`, `getCustomer`, `getCustomerByAppUserId`.
    Customer(Customer),
    /// From `listCustomers`.
    Customers(CustomerPage),
    /// From `getEntity`.
    Entity(Entity),
    /// From `listEntities`.
    Entities(Vec<Entity>),
    /// From the data calls and `getDataResults`: the data, or `PENDING`.
    Data(DataResult),
    /// From `createPaymentIntent`, `getPaymentIntent`.
    PaymentIntent(PaymentIntent),
    /// From `createPaymentDestination`.
    Destination(Destination),
    /// From `listPaymentDestinations`.
    Destinations(Vec<Destination>),
    /// From `listBanks`.
    Banks(Vec<Bank>),
    /// From `getPayment`.
    Payment(Payment),
    /// From `listPaymentIntents`.
    PaymentIntents(Vec<PaymentIntent>),
    /// From the data v2 reads (`listAccounts`, `listAccountBalances`, ...).
    DataPage(DataPage),
    /// From `createDataRefresh`, `getDataRefresh`.
    DataRefresh(DataRefresh),
    /// From `listDataRefreshes`.
    DataRefreshes(Vec<DataRefresh>),
}

impl Outcome {
    /// The result in the API's JSON shape (snake_case as sent, amounts as
    /// two-decimal strings, unknown fields kept, absent fields omitted).
    /// A customer page is `{"customers": [...], ...paging fields}`.
    pub fn to_json(&self) -> Value {
        fn value(v: &impl Serialize) -> Value {
            serde_json::to_value(v).unwrap_or(Value::Null)
        }
        match self {
            Self::Customer(c) => value(c),
            Self::Customers(page) => {
                let mut out = page.extra.clone();
                out.insert("customers".to_owned(), value(&page.customers));
                Value::Object(out)
            }
            Self::Entity(e) => value(e),
            Self::Entities(e) => value(e),
            Self::Data(d) => value(d),
            Self::PaymentIntent(p) => value(p),
            Self::Destination(d) => value(d),
            Self::Destinations(d) => value(d),
            Self::Banks(b) => value(b),
            Self::Payment(p) => value(p),
            Self::PaymentIntents(p) => value(p),
            Self::DataPage(d) => value(d),
            Self::DataRefresh(r) => value(r),
            Self::DataRefreshes(r) => value(r),
        }
    }
}

/// Parses the answer to an operation of `kind`.
pub(crate) fn parse(kind: OperationKind, response: &HttpResponse) -> Result<Outcome, Error> {
    if let Some(redirect) = crate::response::redirect(response) {
        return Err(redirect);
    }
    if !response.is_success() {
        return Err(errors::api_error(response).into());
    }
    Ok(match kind {
        OperationKind::CreateCustomer
        | OperationKind::GetCustomer
        | OperationKind::GetCustomerByAppUserId => Outcome::Customer(body(response)?),
        OperationKind::ListCustomers => {
            let (items, extra) = list(response, &["content", "data", "customers"])?;
            Outcome::Customers(CustomerPage {
                customers: items,
                extra,
            })
        }
        OperationKind::GetEntity => Outcome::Entity(body(response)?),
        OperationKind::ListEntities | OperationKind::ListEntitiesByDate => {
            Outcome::Entities(list(response, &["data", "entities", "content"])?.0)
        }
        OperationKind::GetIdentity
        | OperationKind::GetAccounts
        | OperationKind::GetBalance
        | OperationKind::GetTransactions
        | OperationKind::GetDataResults => {
            let mut json: Value = body(response)?;
            refuse_failed(response, &json)?;
            // `timestamp` is text in the documents' examples; a number
            // (epoch time) is read as its text rather than refused.
            if let Some(t) = json.get_mut("timestamp") {
                if let Value::Number(n) = t {
                    *t = Value::String(n.to_string());
                }
            }
            let result: DataResult = from_value(response, json)?;
            if result.is_pending() && result.results_id.is_none() {
                return Err(invalid(response, "a PENDING answer without a results_id"));
            }
            Outcome::Data(result)
        }
        OperationKind::CreatePaymentIntent | OperationKind::GetPaymentIntent => {
            Outcome::PaymentIntent(body(response)?)
        }
        OperationKind::CreatePaymentDestination => Outcome::Destination(body(response)?),
        OperationKind::ListPaymentDestinations => {
            Outcome::Destinations(list(response, &["data", "destinations"])?.0)
        }
        OperationKind::ListBanks => Outcome::Banks(list(response, &["data", "banks"])?.0),
        OperationKind::GetPayment => Outcome::Payment(body(response)?),
        OperationKind::ListPaymentIntents => {
            Outcome::PaymentIntents(list(response, &["data", "intents", "payment_intents"])?.0)
        }
        data_page_kinds!() => {
            let json: Value = body(response)?;
            refuse_failed(response, &json)?;
            if !json.is_object() {
                return Err(invalid(response, "expected a JSON object with `data`"));
            }
            Outcome::DataPage(from_value(response, json)?)
        }
        OperationKind::CreateDataRefresh | OperationKind::GetDataRefresh => {
            Outcome::DataRefresh(body(response)?)
        }
        OperationKind::ListDataRefreshes => {
            Outcome::DataRefreshes(list(response, &["data", "refreshes"])?.0)
        }
    })
}

/// A data answer with `status: "FAILED"` (even with HTTP 200) is an error.
fn refuse_failed(response: &HttpResponse, json: &Value) -> Result<(), Error> {
    let failed = json
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(|s| DataStatus::parse(s) == DataStatus::Failed);
    match failed {
        true => Err(errors::failed(response, json)),
        false => Ok(()),
    }
}

/// Reads a 2xx body. Every number a binary float could alter is read as its
/// exact text ([`exact_numbers`]): typed amounts are parsed from that text,
/// and amounts in untyped places (bank data, unknown fields) stay text, so
/// no money passes through `f64`. A body that is not JSON is reported with
/// the parser's own words about the body as sent.
fn body<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    serde_json::from_slice(&exact_numbers(&response.body)).map_err(|e| {
        let reason = serde_json::from_slice::<serde::de::IgnoredAny>(&response.body)
            .err()
            .unwrap_or(e);
        invalid(response, &reason.to_string())
    })
}

fn from_value<T: DeserializeOwned>(response: &HttpResponse, value: Value) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| invalid(response, &e.to_string()))
}

/// A list: a bare JSON array, or an object holding it under one of `keys`
/// (its other fields returned as they are).
fn list<T: DeserializeOwned>(
    response: &HttpResponse,
    keys: &[&str],
) -> Result<(Vec<T>, Map<String, Value>), Error> {
    let (items, extra) = match body::<Value>(response)? {
        Value::Array(items) => (items, Map::new()),
        Value::Object(mut map) => match keys.iter().find_map(|k| match map.get(*k) {
            Some(Value::Array(_)) => Some(*k),
            _ => None,
        }) {
            Some(key) => match map.remove(key) {
                Some(Value::Array(items)) => (items, map),
                _ => return Err(invalid(response, "expected a JSON array")),
            },
            None => {
                return Err(invalid(
                    response,
                    &format!(
                        "expected a JSON array, or an object with an array in {}",
                        keys.join(", ")
                    ),
                ))
            }
        },
        _ => return Err(invalid(response, "expected a JSON array")),
    };
    let items = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value(item).map_err(|e| invalid(response, &format!("item {i}: {e}")))
        })
        .collect::<Result<Vec<T>, Error>>()?;
    Ok((items, extra))
}

fn invalid(response: &HttpResponse, message: &str) -> Error {
    Error::invalid_response(message, response.status, response.body_text())
}
