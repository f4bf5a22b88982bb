//! The open-banking operations: validated inputs that become HTTP requests
//! and know how to read their answers.
//!
//! An [`Operation`] exists only for valid input, so building its request
//! cannot fail. It offers the three things a call engine needs: its
//! request ([`Operation::request`]), whether retrying it is harmless
//! ([`Operation::is_read`]) and how to read its answer
//! ([`Operation::parse_response`]).

use serde_json::Value;

use super::auth::{user_agent, Auth};
use super::customer::NewCustomer;
use super::data::{DataKind, DataRequest, DateRange};
use super::data_page::{DataPageRequest, DataResource};
use super::destination::NewDestination;
use super::environment::Environment;
use super::kind::{data_page_kinds, OperationKind};
use super::paging::Paging;
use super::payment::NewPaymentIntent;
use super::response::{self, Outcome};
use crate::error::{Error, FieldErrorCode};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::url::{push_query, query_value, segment};
use crate::validate;
use crate::validate::{field_error, merge_errors as merge, path_id};

/// One validated open-banking call.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation(Inner);

#[derive(Clone, Debug, PartialEq)]
enum Inner {
    CreateCustomer(NewCustomer),
    GetCustomer(String),
    GetCustomerByAppUserId(String),
    ListCustomers(Paging),
    ListEntities(String),
    GetEntity(String, String),
    Data(DataRequest),
    GetDataResults(String),
    CreatePaymentIntent(NewPaymentIntent),
    GetPaymentIntent(String),
    CreatePaymentDestination(NewDestination),
    ListPaymentDestinations,
    ListBanks(Option<String>),
    GetPayment(String),
    ListPaymentIntents,
    ListEntitiesByDate(DateRange, Paging),
    DataPage(DataPageRequest),
    CreateDataRefresh(String),
    GetDataRefresh(String),
    ListDataRefreshes(String, Paging),
}

impl Operation {
    /// `POST /customers/v1/`.
    pub fn create_customer(customer: &NewCustomer) -> Result<Self, Error> {
        Ok(Self(Inner::CreateCustomer(customer.validate()?)))
    }

    /// `GET /customers/v1/{customer_id}`.
    pub fn get_customer(customer_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetCustomer(path_id(
            "customer_id",
            customer_id,
        )?)))
    }

    /// `GET /customers/v1/app-user-id/{app_user_id}`: the way back to a
    /// customer after `CUSTOMER_ALREADY_EXISTS`.
    pub fn get_customer_by_app_user_id(app_user_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetCustomerByAppUserId(path_id(
            "app_user_id",
            app_user_id,
        )?)))
    }

    /// `GET /customers/v1`, one page.
    pub fn list_customers(paging: Paging) -> Result<Self, Error> {
        Ok(Self(Inner::ListCustomers(paging.checked()?)))
    }

    /// `GET /customers/v1/{customer_id}/entities`.
    pub fn list_entities(customer_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::ListEntities(path_id(
            "customer_id",
            customer_id,
        )?)))
    }

    /// `GET /customers/v1/{customer_id}/entities/{entity_id}`.
    pub fn get_entity(customer_id: &str, entity_id: &str) -> Result<Self, Error> {
        match (
            path_id("customer_id", customer_id),
            path_id("entity_id", entity_id),
        ) {
            (Ok(c), Ok(e)) => Ok(Self(Inner::GetEntity(c, e))),
            (c, e) => Err(merge(c.err().into_iter().chain(e.err())).unwrap_or_else(lost)),
        }
    }

    /// `POST /data/v1/{identity|accounts|balance|transactions}`.
    pub fn get_data(request: DataRequest) -> Self {
        Self(Inner::Data(request))
    }

    /// `GET /data/v2/results/{results_id}`: the data of a `PENDING` answer,
    /// once the `results.ready` webhook arrived.
    pub fn get_data_results(results_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetDataResults(path_id(
            "results_id",
            results_id,
        )?)))
    }

    /// `POST /payments/v1/intents`.
    pub fn create_payment_intent(intent: &NewPaymentIntent) -> Result<Self, Error> {
        Ok(Self(Inner::CreatePaymentIntent(intent.validate()?)))
    }

    /// `GET /payments/v1/intents/{payment_intent_id}`.
    pub fn get_payment_intent(payment_intent_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetPaymentIntent(path_id(
            "payment_intent_id",
            payment_intent_id,
        )?)))
    }

    /// `POST /payments/v1/destinations`.
    pub fn create_payment_destination(destination: &NewDestination) -> Result<Self, Error> {
        Ok(Self(Inner::CreatePaymentDestination(
            destination.validate()?,
        )))
    }

    /// `GET /payments/v1/destinations`.
    pub fn list_payment_destinations() -> Self {
        Self(Inner::ListPaymentDestinations)
    }

    /// `GET /banks/v1/`: the banks Lean supports, only those offering
    /// `account_types` (`PERSONAL`, `BUSINESS`) when given.
    pub fn list_banks(account_types: Option<&str>) -> Result<Self, Error> {
        let types = account_types
            .map(|t| validate::identifier(t.trim()).map_err(|p| field_error("account_types", p)))
            .transpose()?;
        Ok(Self(Inner::ListBanks(types)))
    }

    /// `GET /payments/v1/{payment_id}`: one payment made against an intent.
    pub fn get_payment(payment_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetPayment(path_id("payment_id", payment_id)?)))
    }

    /// `GET /payments/v1/intents`: every payment intent of the application.
    pub fn list_payment_intents() -> Self {
        Self(Inner::ListPaymentIntents)
    }

    /// `GET /customers/v1/entities`: the entities connected from
    /// `start_date` to `end_date` (`YYYY-MM-DD`, both days included), one
    /// page at a time: the way to find connections made while webhooks
    /// were not received.
    pub fn list_entities_by_date(
        start_date: &str,
        end_date: &str,
        paging: Paging,
    ) -> Result<Self, Error> {
        let range = DateRange::new(Some(start_date), Some(end_date), true);
        match (range, paging.checked()) {
            (Ok(range), Ok(paging)) => Ok(Self(Inner::ListEntitiesByDate(range, paging))),
            (r, p) => Err(merge(r.err().into_iter().chain(p.err())).unwrap_or_else(lost)),
        }
    }

    /// `GET /data/v2/...`: one page of what Lean holds for an entity (see
    /// [`DataResource`]).
    pub fn get_data_page(request: DataPageRequest) -> Self {
        Self(Inner::DataPage(request))
    }

    /// `POST /data/v2/refreshes`: asks Lean to fetch an entity's data from
    /// its bank again; `entity.data.refresh.updated` tells when it is done.
    /// Not retried after an unknown outcome: a second refresh would start.
    pub fn create_data_refresh(entity_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::CreateDataRefresh(path_id(
            "entity_id",
            entity_id,
        )?)))
    }

    /// `GET /data/v2/refreshes/{refresh_id}`.
    pub fn get_data_refresh(refresh_id: &str) -> Result<Self, Error> {
        Ok(Self(Inner::GetDataRefresh(path_id(
            "refresh_id",
            refresh_id,
        )?)))
    }

    /// `GET /data/v2/refreshes?entity_id=`: an entity's refreshes, one page
    /// at a time.
    pub fn list_data_refreshes(entity_id: &str, paging: Paging) -> Result<Self, Error> {
        match (path_id("entity_id", entity_id), paging.checked()) {
            (Ok(entity), Ok(paging)) => Ok(Self(Inner::ListDataRefreshes(entity, paging))),
            (e, p) => Err(merge(e.err().into_iter().chain(p.err())).unwrap_or_else(lost)),
        }
    }

    /// Builds an operation from its host-neutral JSON form, the one the
    /// shared vectors and the bindings use: `{"operation": "createCustomer",
    /// "input": {...}}` for bodies (wire names, snake_case), and camelCase
    /// arguments for path and query values: `customerId`, `appUserId`,
    /// `entityId`, `accountId`, `resultsId`, `refreshId`, `paymentIntentId`,
    /// `paymentId`, `accountTypes`, `startDate`, `endDate`, `pageNumber`,
    /// `pageSize` (`page` and `size` on the data v2 reads' wire).
    /// Data v1 calls take their body as `input`: `{"entity_id",
    /// "account_id"?, "async"?}`, and for transactions `"start_date"?,
    /// "end_date"?, "insights"?`.
    pub fn from_json(call: &Value) -> Result<Self, Error> {
        let (kind, input) = crate::input::call_operation::<OperationKind>(call, "open-banking ")?;
        let text = |field: &str| crate::input::call_text(call, field);
        Ok(match kind {
            OperationKind::CreateCustomer => {
                Self(Inner::CreateCustomer(NewCustomer::from_json(input)?))
            }
            OperationKind::GetCustomer => Self::get_customer(&text("customerId")?)?,
            OperationKind::GetCustomerByAppUserId => {
                Self::get_customer_by_app_user_id(&text("appUserId")?)?
            }
            OperationKind::ListCustomers => Self::list_customers(Paging::from_call(call)?)?,
            OperationKind::ListEntities => Self::list_entities(&text("customerId")?)?,
            OperationKind::GetEntity => match (text("customerId"), text("entityId")) {
                (Ok(c), Ok(e)) => Self::get_entity(&c, &e)?,
                (c, e) => {
                    return Err(merge(c.err().into_iter().chain(e.err())).unwrap_or_else(lost))
                }
            },
            OperationKind::GetIdentity
            | OperationKind::GetAccounts
            | OperationKind::GetBalance
            | OperationKind::GetTransactions => {
                let data_kind = kind.data_kind().ok_or_else(lost_kind)?;
                Self::get_data(data_request_from_json(data_kind, input)?)
            }
            OperationKind::GetDataResults => Self::get_data_results(&text("resultsId")?)?,
            OperationKind::CreatePaymentIntent => Self(Inner::CreatePaymentIntent(
                NewPaymentIntent::from_json(input)?,
            )),
            OperationKind::GetPaymentIntent => Self::get_payment_intent(&text("paymentIntentId")?)?,
            OperationKind::CreatePaymentDestination => Self(Inner::CreatePaymentDestination(
                NewDestination::from_json(input)?,
            )),
            OperationKind::ListPaymentDestinations => Self::list_payment_destinations(),
            OperationKind::ListBanks => {
                let types = match call.get("accountTypes") {
                    None | Some(Value::Null) => None,
                    Some(_) => Some(text("accountTypes")?),
                };
                Self::list_banks(types.as_deref())?
            }
            OperationKind::GetPayment => Self::get_payment(&text("paymentId")?)?,
            OperationKind::ListPaymentIntents => Self::list_payment_intents(),
            OperationKind::ListEntitiesByDate => {
                match (text("startDate"), text("endDate"), Paging::from_call(call)) {
                    (Ok(start), Ok(end), Ok(paging)) => {
                        Self::list_entities_by_date(&start, &end, paging)?
                    }
                    (s, e, p) => {
                        return Err(merge(s.err().into_iter().chain(e.err()).chain(p.err()))
                            .unwrap_or_else(lost))
                    }
                }
            }
            data_page_kinds!() => {
                let resource = DataResource::of(kind).ok_or_else(lost_kind)?;
                let account = match resource.needs_account() {
                    true => Some(text("accountId")),
                    false => None,
                };
                match (
                    text("entityId"),
                    account.transpose(),
                    Paging::from_call(call),
                ) {
                    (Ok(entity), Ok(account), Ok(paging)) => Self::get_data_page(
                        DataPageRequest::new(resource, &entity, account.as_deref(), paging)?,
                    ),
                    (e, a, p) => {
                        return Err(merge(e.err().into_iter().chain(a.err()).chain(p.err()))
                            .unwrap_or_else(lost))
                    }
                }
            }
            OperationKind::CreateDataRefresh => Self::create_data_refresh(&text("entityId")?)?,
            OperationKind::GetDataRefresh => Self::get_data_refresh(&text("refreshId")?)?,
            OperationKind::ListDataRefreshes => match (text("entityId"), Paging::from_call(call)) {
                (Ok(entity), Ok(paging)) => Self::list_data_refreshes(&entity, paging)?,
                (e, p) => {
                    return Err(merge(e.err().into_iter().chain(p.err())).unwrap_or_else(lost))
                }
            },
        })
    }

    /// Which operation this is.
    pub fn kind(&self) -> OperationKind {
        match &self.0 {
            Inner::CreateCustomer(_) => OperationKind::CreateCustomer,
            Inner::GetCustomer(_) => OperationKind::GetCustomer,
            Inner::GetCustomerByAppUserId(_) => OperationKind::GetCustomerByAppUserId,
            Inner::ListCustomers(_) => OperationKind::ListCustomers,
            Inner::ListEntities(_) => OperationKind::ListEntities,
            Inner::GetEntity(..) => OperationKind::GetEntity,
            Inner::Data(d) => match d.kind {
                DataKind::Identity => OperationKind::GetIdentity,
                DataKind::Accounts => OperationKind::GetAccounts,
                DataKind::Balance => OperationKind::GetBalance,
                DataKind::Transactions => OperationKind::GetTransactions,
            },
            Inner::GetDataResults(_) => OperationKind::GetDataResults,
            Inner::CreatePaymentIntent(_) => OperationKind::CreatePaymentIntent,
            Inner::GetPaymentIntent(_) => OperationKind::GetPaymentIntent,
            Inner::CreatePaymentDestination(_) => OperationKind::CreatePaymentDestination,
            Inner::ListPaymentDestinations => OperationKind::ListPaymentDestinations,
            Inner::ListBanks(_) => OperationKind::ListBanks,
            Inner::GetPayment(_) => OperationKind::GetPayment,
            Inner::ListPaymentIntents => OperationKind::ListPaymentIntents,
            Inner::ListEntitiesByDate(..) => OperationKind::ListEntitiesByDate,
            Inner::DataPage(d) => d.resource.operation(),
            Inner::CreateDataRefresh(_) => OperationKind::CreateDataRefresh,
            Inner::GetDataRefresh(_) => OperationKind::GetDataRefresh,
            Inner::ListDataRefreshes(..) => OperationKind::ListDataRefreshes,
        }
    }

    /// True when retrying can never apply anything twice (see
    /// [`OperationKind::is_read`]).
    pub fn is_read(&self) -> bool {
        self.kind().is_read()
    }

    /// The HTTP request for `environment`, authenticated with `auth`.
    pub fn request(&self, environment: &Environment, auth: &Auth) -> HttpRequest {
        self.request_as(environment, auth, &user_agent())
    }

    /// [`Operation::request`] with the host's own `User-Agent`.
    pub(crate) fn request_as(
        &self,
        environment: &Environment,
        auth: &Auth,
        user_agent: &str,
    ) -> HttpRequest {
        let (method, path, body) = match &self.0 {
            Inner::CreateCustomer(c) => (Method::Post, "/customers/v1/".to_owned(), Some(json(c))),
            Inner::GetCustomer(c) => (Method::Get, format!("/customers/v1/{}", segment(c)), None),
            Inner::GetCustomerByAppUserId(u) => (
                Method::Get,
                format!("/customers/v1/app-user-id/{}", segment(u)),
                None,
            ),
            Inner::ListCustomers(p) => {
                let mut path = "/customers/v1".to_owned();
                p.append_query(&mut path, "page_number", "page_size");
                (Method::Get, path, None)
            }
            Inner::ListEntities(c) => (
                Method::Get,
                format!("/customers/v1/{}/entities", segment(c)),
                None,
            ),
            Inner::GetEntity(c, e) => (
                Method::Get,
                format!("/customers/v1/{}/entities/{}", segment(c), segment(e)),
                None,
            ),
            Inner::Data(d) => (
                Method::Post,
                format!("/data/v1/{}", d.kind.as_str()),
                Some(d.body().to_string()),
            ),
            Inner::GetDataResults(r) => (
                Method::Get,
                format!("/data/v2/results/{}", segment(r)),
                None,
            ),
            Inner::CreatePaymentIntent(i) => (
                Method::Post,
                "/payments/v1/intents".to_owned(),
                Some(i.body()),
            ),
            Inner::GetPaymentIntent(i) => (
                Method::Get,
                format!("/payments/v1/intents/{}", segment(i)),
                None,
            ),
            Inner::CreatePaymentDestination(d) => (
                Method::Post,
                "/payments/v1/destinations".to_owned(),
                Some(json(d)),
            ),
            Inner::ListPaymentDestinations => {
                (Method::Get, "/payments/v1/destinations".to_owned(), None)
            }
            Inner::ListBanks(types) => {
                let path = match types {
                    Some(t) => format!("/banks/v1/?account_types={}", query_value(t)),
                    None => "/banks/v1/".to_owned(),
                };
                (Method::Get, path, None)
            }
            Inner::GetPayment(p) => (Method::Get, format!("/payments/v1/{}", segment(p)), None),
            Inner::ListPaymentIntents => (Method::Get, "/payments/v1/intents".to_owned(), None),
            Inner::ListEntitiesByDate(range, paging) => {
                let mut path = "/customers/v1/entities".to_owned();
                paging.append_query(&mut path, "page_number", "page_size");
                range.append_query(&mut path);
                (Method::Get, path, None)
            }
            Inner::DataPage(d) => (Method::Get, d.path(), None),
            Inner::CreateDataRefresh(e) => (
                Method::Post,
                "/data/v2/refreshes".to_owned(),
                Some(serde_json::json!({ "entity_id": e }).to_string()),
            ),
            Inner::GetDataRefresh(r) => (
                Method::Get,
                format!("/data/v2/refreshes/{}", segment(r)),
                None,
            ),
            Inner::ListDataRefreshes(e, paging) => {
                let mut path = "/data/v2/refreshes".to_owned();
                push_query(&mut path, "entity_id", e);
                paging.append_query(&mut path, "page", "size");
                (Method::Get, path, None)
            }
        };
        let mut headers = vec![
            ("accept".to_owned(), "application/json".to_owned()),
            ("user-agent".to_owned(), user_agent.to_owned()),
        ];
        if body.is_some() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let mut request = HttpRequest {
            method,
            url: format!("{}{path}", environment.api_base_url()),
            headers,
            body,
        };
        auth.apply(&mut request);
        request
    }

    /// The read that finds what a create may already have made, for a
    /// create whose outcome is unknown (a timeout) or that answered
    /// `CUSTOMER_ALREADY_EXISTS`: `createCustomer` is looked up by its
    /// `app_user_id`. `None` for other operations: payment intents and
    /// destinations carry no caller-chosen id to find them by.
    pub fn lookup(&self) -> Option<Operation> {
        match &self.0 {
            Inner::CreateCustomer(c) => {
                Some(Self(Inner::GetCustomerByAppUserId(c.app_user_id.clone())))
            }
            _ => None,
        }
    }

    /// The customer a `createCustomer` sends.
    pub(crate) fn new_customer(&self) -> Option<&NewCustomer> {
        match &self.0 {
            Inner::CreateCustomer(c) => Some(c),
            _ => None,
        }
    }

    /// Reads the answer to this operation: the typed result, or the API's
    /// error (including a `FAILED` data answer sent with HTTP 200).
    pub fn parse_response(&self, response: &HttpResponse) -> Result<Outcome, Error> {
        response::parse(self.kind(), response)
    }
}

fn data_request_from_json(kind: DataKind, input: &Value) -> Result<DataRequest, Error> {
    let fields: &[&str] = match kind {
        DataKind::Transactions => &[
            "entity_id",
            "account_id",
            "async",
            "start_date",
            "end_date",
            "insights",
        ],
        DataKind::Balance => &["entity_id", "account_id", "async"],
        DataKind::Identity | DataKind::Accounts => &["entity_id", "async"],
    };
    let mut reader = crate::input::JsonInput::new(input, "a data request", fields)?;
    let entity_id = reader.text("entity_id");
    let account_id = reader.optional_text("account_id");
    let start_date = reader.optional_text("start_date");
    let end_date = reader.optional_text("end_date");
    let mut errors = reader.into_errors();
    let mut flag = |field: &str| match input.get(field) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(crate::FieldError::new(
                field,
                FieldErrorCode::InvalidType,
                format!(
                    "must be true or false, found {}",
                    crate::input::json_type(other)
                ),
            ));
            false
        }
    };
    let (asynchronous, insights) = (flag("async"), flag("insights"));
    let checked = DataRequest::new(kind, &entity_id, account_id.as_deref(), asynchronous).and_then(
        |request| {
            let range = DateRange::new(start_date.as_deref(), end_date.as_deref(), false)?;
            request.with_transactions_query(range, insights)
        },
    );
    if errors.is_empty() {
        return checked;
    }
    // Report reading errors first; the field checks skip fields already
    // reported.
    let mut all = errors;
    if let Err(Error::Validation(v)) = checked {
        for e in v.errors {
            if !all.iter().any(|a| a.field == e.field) {
                all.push(e);
            }
        }
    }
    Err(Error::Validation(crate::ValidationError { errors: all }))
}

fn lost() -> Error {
    Error::Internal {
        message: "a validation failed without an error".to_owned(),
    }
}

fn lost_kind() -> Error {
    Error::Internal {
        message: "a data operation without a data kind".to_owned(),
    }
}

/// Serialises the plain input structs; cannot fail (string keys only).
fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
