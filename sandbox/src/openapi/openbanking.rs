//! The open-banking part of the document: the bodies the sandbox reads
//! with the core's validation and the answers it writes, and one
//! `#[utoipa::path]` per route of `crate::openbanking::routes`.
//!
//! Answers are described by the fields a client relies on (ids, status);
//! the rest of each record is open, as the API adds fields over time.

// The types and functions here exist for their declarations: nothing
// builds the types or calls the functions.
#![allow(dead_code)]

use crate::openbanking::bank::AccountData;
use lean_core::openbanking::GovernmentIdType;
use utoipa::openapi::schema::Object;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{IntoParams, IntoResponses, ToSchema};

use super::text_enum;

fn government_id_type() -> Object {
    text_enum(GovernmentIdType::KNOWN.iter().map(|t| t.as_str()))
}

// The refusal body of every open-banking error.
#[derive(ToSchema)]
pub(super) struct ObError {
    /// The error code, such as `CUSTOMER_ALREADY_EXISTS` or `INVALID_PARAMETERS`
    status: String,
    message: String,
    #[serde(default)]
    timestamp: String,
    /// The refused fields, for invalid parameters
    #[schema(inline)]
    #[serde(default)]
    errors: Vec<ObFieldError>,
}

// The refusals every authenticated open-banking route may answer.
#[derive(IntoResponses)]
pub(super) enum ObRefusals {
    /// Missing, unknown or expired credential (UNAUTHORIZED), or over mTLS another application's certificate (CERTIFICATE_TOKEN_MISMATCH)
    #[response(status = 401)]
    Unauthorized(ObError),
    /// RATE_LIMIT_EXCEEDED: retry after Retry-After seconds
    #[response(status = 429, headers(("Retry-After" = u64, description = "Seconds to wait before retrying")))]
    TooManyRequests(ObError),
    /// Any other refusal, in the same shape
    #[response(status = "default")]
    Other(ObError),
}

refusals! {
    ObError:
    /// Invalid input: the refused fields are listed
    400 ObInvalid;
    /// page_number or page_size out of range
    400 ObBadPage;
    /// No entity_id, or a bad page or size
    400 BadV2Query;
    /// The token may not do this: a call for the whole application (INSUFFICIENT_ACCESS_LEVEL)
    403 AppOnly;
    /// The token may not reach this customer's records (INCORRECT_ACCESS_LEVEL)
    403 CustomerOnly;
    /// No such customer
    404 NoCustomer;
    /// No such entity
    404 NoEntity;
    /// No such customer or entity
    404 NoCustomerEntity;
    /// No such entity (NOT_FOUND) or account of it (ACCOUNT_NOT_FOUND)
    404 NoAccount;
    /// No such results
    404 NoResults;
    /// No such payment intent
    404 NoIntent;
    /// No such payment
    404 NoPayment;
    /// No such refresh
    404 NoRefresh;
}

#[derive(ToSchema)]
struct ObFieldError {
    /// Wire name of the field, or $ for the whole body
    field: String,
    code: String,
    message: String,
}

// The form of `POST /oauth2/token`.
#[derive(ToSchema)]
pub(super) struct TokenRequest {
    client_id: String,
    client_secret: String,
    /// Always client_credentials
    grant_type: String,
    /// `api` for the application, `customer.<customer_id>` for one customer
    scope: String,
}

// An access token.
#[derive(ToSchema)]
pub(super) struct Token {
    access_token: String,
    /// Bearer
    token_type: String,
    /// Seconds until the token expires
    expires_in: i64,
    scope: String,
}

// The body of `POST /customers/v1`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"app_user_id": "user_1001"}))]
pub(super) struct ObNewCustomer {
    /// Your id of the user: unique
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]([ -~]{0,253}[!-~])?$"
    )]
    app_user_id: String,
    #[schema(inline)]
    #[serde(default)]
    government_identifiers: Vec<GovernmentIdentifier>,
}

#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
struct GovernmentIdentifier {
    #[serde(rename = "type")]
    #[schema(schema_with = government_id_type)]
    kind: String,
    value: String,
}

// A customer as answered.
#[derive(ToSchema)]
pub(super) struct ObCustomer {
    customer_id: String,
    #[serde(default)]
    app_user_id: String,
}

// One page of customers.
#[derive(ToSchema)]
pub(super) struct CustomerPage {
    content: Vec<ObCustomer>,
    #[schema(inline)]
    page: PageInfo,
}

#[derive(ToSchema)]
struct PageInfo {
    number: i64,
    size: i64,
    total_elements: i64,
    total_pages: i64,
}

// A bank connection of a customer.
#[derive(ToSchema)]
pub(super) struct Entity {
    id: String,
    #[serde(default)]
    customer_id: String,
    /// When the customer connected the bank (ISO 8601, UTC)
    #[serde(default)]
    created_at: String,
}

// One page of entities connected in a date range.
#[derive(ToSchema)]
pub(super) struct EntityPage {
    content: Vec<Entity>,
    #[schema(inline)]
    page: PageInfo,
}

// The filter of the entities connected in a date range.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct CreatedRange {
    /// The first day (UTC), inclusive, YYYY-MM-DD
    #[param(value_type = Option<String>, format = Date)]
    start_date: Option<String>,
    /// The last day (UTC), inclusive, YYYY-MM-DD; not before start_date
    #[param(value_type = Option<String>, format = Date)]
    end_date: Option<String>,
}

// The query of the data v2 reads (pages count from 0).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct V2Query {
    /// The connected entity
    entity_id: String,
    /// The page, from 0
    #[param(minimum = 0, value_type = Option<i64>)]
    page: Option<i64>,
    /// Records per page, 1 to 100 (default 50)
    #[param(minimum = 1, maximum = 100, value_type = Option<i64>)]
    size: Option<i64>,
}

// The query of the refreshes list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct RefreshQuery {
    /// Only this entity's refreshes
    #[param(value_type = Option<String>)]
    entity_id: Option<String>,
    /// The page, from 0
    #[param(minimum = 0, value_type = Option<i64>)]
    page: Option<i64>,
    /// Records per page, 1 to 100 (default 50)
    #[param(minimum = 1, maximum = 100, value_type = Option<i64>)]
    size: Option<i64>,
}

// The answer of a data v2 read: one page of records, or FAILED.
#[derive(ToSchema)]
pub(super) struct V2Answer {
    /// OK, or FAILED (with granular_status_code)
    status: String,
    /// The records; amounts are JSON numbers written from their exact decimal text
    #[schema(value_type = Vec<Object>)]
    #[serde(default)]
    data: (),
    #[schema(inline)]
    #[serde(default)]
    page: Option<PageInfo>,
    #[serde(default)]
    granular_status_code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    timestamp: String,
}

// What a v2 per-account read reads: the sandbox's own list of segments.
pub(super) struct AccountDataName;

impl utoipa::PartialSchema for AccountDataName {
    fn schema() -> RefOr<Schema> {
        text_enum(AccountData::SEGMENTS.map(|(segment, _)| segment)).into()
    }
}

impl ToSchema for AccountDataName {}

// The body of `POST /data/v2/refreshes`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewRefresh {
    /// The connected entity to refresh
    #[schema(min_length = 1)]
    entity_id: String,
}

// A data refresh, as answered and as sent by entity.data.refresh.updated.
#[derive(ToSchema)]
pub(super) struct Refresh {
    refresh_id: String,
    entity_id: String,
    /// IN_PROGRESS, then COMPLETED
    status: String,
    #[serde(default)]
    customer_id: String,
    app_user_id: Option<String>,
    /// Once COMPLETED: {accounts, identity, account_data: [{account_id, balance, identity, transactions, beneficiaries, direct_debits, standing_orders, scheduled_payments, transaction_availability {start, end, complete_months}}]}
    #[schema(value_type = Object)]
    #[serde(default)]
    data_status: (),
}

// One page of refreshes, newest first.
#[derive(ToSchema)]
pub(super) struct RefreshPage {
    data: Vec<Refresh>,
    #[schema(inline)]
    page: PageInfo,
}

// The body of the data calls.
#[derive(ToSchema)]
pub(super) struct DataRequest {
    /// The connected entity
    entity_id: String,
    /// The account, for balance and transactions
    #[serde(default)]
    account_id: String,
    /// Answer PENDING with a results_id and deliver the data later
    #[serde(rename = "async")]
    #[serde(default)]
    asynchronous: bool,
    /// Transactions only: the first transaction date kept (YYYY-MM-DD, inclusive)
    #[schema(format = Date)]
    #[serde(default)]
    start_date: String,
    /// Transactions only: the last transaction date kept (YYYY-MM-DD, inclusive)
    #[schema(format = Date)]
    #[serde(default)]
    end_date: String,
    /// Transactions only: add insights {total_credits, total_debits, transaction_count}
    #[serde(default)]
    insights: bool,
}

// The answer of a data call or of its results.
#[derive(ToSchema)]
pub(super) struct DataAnswer {
    /// OK, PENDING or FAILED
    status: String,
    #[schema(value_type = Object)]
    #[serde(default)]
    payload: (),
    #[serde(default)]
    results_id: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    timestamp: String,
}

// The body of `POST /payments/v1/intents`.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": "6b2f3a8e-2f1c-4f7e-9a51-0c6d2f1e8b3a",
    "amount": 100.5,
    "currency": "AED",
    "description": "Order 1001"
}))]
pub(super) struct NewPaymentIntent {
    #[schema(pattern = "^[!-~]([ -~]{0,253}[!-~])?$")]
    customer_id: String,
    /// A decimal amount above zero, written as a JSON number, read exactly
    #[schema(value_type = f64, exclusive_minimum = 0)]
    amount: String,
    /// ISO 4217, such as AED or SAR
    #[schema(pattern = "^[A-Za-z]{3}$")]
    currency: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    payment_destination_id: String,
    #[serde(default)]
    purpose_code: String,
}

// A payment intent as answered.
#[derive(ToSchema)]
pub(super) struct PaymentIntent {
    payment_intent_id: String,
    #[serde(default)]
    customer_id: String,
    /// The amount as exact decimal text (`100.50`)
    #[schema(pattern = r"^[0-9]+(\.[0-9]+)?$")]
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    description: String,
    /// The payments made against it, oldest first
    #[serde(default)]
    payments: Vec<Payment>,
}

// A payment made against an intent.
#[derive(ToSchema)]
pub(super) struct Payment {
    id: String,
    /// PENDING_WITH_BANK, then ACCEPTED_BY_BANK or FAILED
    #[serde(default)]
    status: String,
    /// The intent's amount, a JSON number written from its exact decimal text
    #[schema(value_type = f64)]
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
    /// Why the payment has its status, when it failed
    #[serde(default)]
    reason: String,
    #[serde(default)]
    intent_id: String,
    #[serde(default)]
    customer_id: String,
    #[serde(default)]
    bank_transaction_reference: String,
}

// The body of `POST /payments/v1/destinations`: with a bank_identifier,
// or Lean's own example form (bank_type, government_identifier, none).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "bank_type": "RETAIL",
    "government_identifier": {"type": "EMIRATES_ID", "value": "784-1990-1234567-1"},
    "name": "Jane Doe",
    "iban": "AE070331234567890123456",
    "display_name": "Jane",
    "address": "Villa 12, Street 4",
    "city": "Dubai",
    "country": "ARE"
}))]
pub(super) struct NewDestination {
    #[schema(min_length = 1, max_length = 255)]
    display_name: String,
    #[schema(min_length = 1, max_length = 255)]
    name: String,
    /// Lean's code of the bank; stored as null when absent
    #[schema(pattern = "^[!-~]([ -~]{0,253}[!-~])?$")]
    #[serde(default)]
    bank_identifier: String,
    /// The check digits must match (ISO 13616)
    #[schema(pattern = "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")]
    iban: String,
    #[serde(default)]
    account_number: String,
    #[serde(default)]
    swift_code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    country: String,
    #[schema(inline)]
    #[serde(default)]
    bank_type: Option<BankTypeName>,
    #[schema(inline)]
    #[serde(default)]
    government_identifier: Option<GovernmentIdentifier>,
}

#[derive(ToSchema)]
enum BankTypeName {
    #[serde(rename = "RETAIL")]
    Retail,
    #[serde(rename = "CORPORATE")]
    Corporate,
}

// A payment destination as answered.
#[derive(ToSchema)]
pub(super) struct Destination {
    #[serde(default)]
    id: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    name: String,
    /// Null when the body named none
    #[serde(default)]
    bank_identifier: Option<String>,
    /// As sent
    #[serde(default)]
    bank_type: String,
    /// As sent, {type, value}
    #[schema(value_type = Object)]
    #[serde(default)]
    government_identifier: (),
}

// A supported bank.
#[derive(ToSchema)]
pub(super) struct Bank {
    /// Lean's code of the bank, the bank_identifier of entities
    identifier: String,
    #[serde(default)]
    name: String,
    /// The address of the bank's logo
    #[serde(default)]
    logo: String,
    #[serde(default)]
    main_color: String,
    #[serde(default)]
    background_color: String,
    /// RETAIL or CORPORATE
    #[serde(default)]
    bank_type: String,
    /// PERSONAL or BUSINESS
    #[serde(default)]
    account_type: String,
    /// {active: {payments, data}, enabled: {payments, data}}
    #[schema(value_type = Object)]
    #[serde(default)]
    availability: String,
}

// The filter of the banks list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct BankFilter {
    /// Only banks offering this account type (PERSONAL, BUSINESS; several separated by commas)
    #[param(value_type = Option<String>)]
    account_types: Option<String>,
}

// The paging parameters of the lists (pages count from 0).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ObPage {
    /// The page, from 0
    #[param(minimum = 0, value_type = Option<i64>)]
    page_number: Option<i64>,
    /// Records per page, 1 to 1000
    #[param(minimum = 1, maximum = 1000, value_type = Option<i64>)]
    page_size: Option<i64>,
}

/// An authenticated open-banking operation: a bearer token or the
/// application token, and the open-banking refusals.
macro_rules! ob_path {
    ($($operation:tt)*) => {
        operation! { tag = "open banking", security(("bearerAuth" = []), ("appToken" = [])), refusals = ObRefusals; $($operation)* }
    };
}

/// A read of one record named in the path; its refusals name the 404. A
/// customer-scoped token reaches only its own customer's records.
macro_rules! ob_get {
    ($($read:tt)*) => {
        read! { ob_path, params(), refusals(CustomerOnly); $($read)* }
    };
}

/// A read of one page of records: `page_number` and `page_size` in the
/// query after any path parameters, refused when out of range.
macro_rules! ob_list {
    ($($read:tt)*) => {
        read! { ob_path, params(ObPage), refusals(ObBadPage); $($read)* }
    };
}

/// A data v2 read: the entity and the page in the query after any path
/// parameters; its refusals name the 404.
macro_rules! v2_read {
    ($($read:tt)*) => {
        read! { ob_path, params(V2Query), refusals(BadV2Query, CustomerOnly); $($read)* }
    };
}

// The path parameters more than one route names.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub(super) struct CustomerId {
    /// Lean's id of the customer
    customer_id: String,
}

#[utoipa::path(post, path = "/oauth2/token", tag = "open banking", operation_id = "issueToken",
    summary = "Issue an access token (client credentials)",
    security(()),
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The access token", body = Token),
        (status = 400, description = "A missing or refused form field", body = ObError),
        (status = 401, description = "Unknown client id or secret", body = ObError),
        (status = "default", description = "Any other refusal, in the same shape", body = ObError),
    ))]
fn issue_token() {}

ob_path! {
    /// Create a customer
    post "/customers/v1" = "createObCustomer", fn create_customer,
    request_body = ObNewCustomer,
    responses(
        (status = 200, description = "The customer", body = ObCustomer, links(
            ("GetObCustomer" = (operation_id = "getObCustomer", parameters(("customer_id" = "$response.body#/customer_id")))),
            ("GetObCustomerByAppUserId" = (operation_id = "getObCustomerByAppUserId", parameters(("app_user_id" = "$response.body#/app_user_id")))),
            ("ListEntities" = (operation_id = "listEntities", parameters(("customer_id" = "$response.body#/customer_id")))),
        )),
        ObInvalid,
        AppOnly,
        (status = 409, description = "The app_user_id is taken", body = ObError),
    )
}

ob_list! {
    /// List one page of customers, oldest first
    "/customers/v1" = "listObCustomers", fn list_customers,
    found CustomerPage = "One page of customers",
    refusals(AppOnly)
}

ob_get! {
    /// Retrieve a customer
    "/customers/v1/{customer_id}" = "getObCustomer", fn get_customer,
    params(CustomerId),
    found ObCustomer = "The customer",
    refusals(NoCustomer)
}

ob_get! {
    /// Retrieve a customer by your id of the user
    "/customers/v1/app-user-id/{app_user_id}" = "getObCustomerByAppUserId", fn get_customer_by_app_user_id,
    params(("app_user_id" = String, Path, description = "Your id of the user")),
    found ObCustomer = "The customer",
    refusals(NoCustomer)
}

ob_list! {
    /// List one page of a customer's connected bank entities
    "/customers/v1/{customer_id}/entities" = "listEntities", fn list_entities,
    params(CustomerId),
    found Vec<Entity> = "One page of entities",
    refusals(CustomerOnly, NoCustomer)
}

ob_get! {
    /// Retrieve one of a customer's entities
    "/customers/v1/{customer_id}/entities/{entity_id}" = "getEntity", fn get_entity,
    params(CustomerId, ("entity_id" = String, Path, description = "Lean's id of the entity")),
    found Entity = "The entity",
    refusals(NoCustomerEntity)
}

ob_path! {
    /// Read an entity's identity, accounts, balance or transactions
    post "/data/v1/{kind}" = "getData", fn get_data,
    params(("kind" = inline(DataKindName), Path, description = "What to read")),
    request_body = DataRequest,
    responses(
        (status = 200, description = "The data (OK), its results id (PENDING) or FAILED", body = DataAnswer, links(
            ("GetResults" = (operation_id = "getResults", parameters(("results_id" = "$response.body#/results_id")))),
        )),
        ObInvalid,
        CustomerOnly,
        (status = 404, description = "No such entity or account", body = ObError),
    )
}

// The data a call reads.
#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum DataKindName {
    Identity,
    Accounts,
    Balance,
    Transactions,
}

/// The results of an asynchronous data call, the same at their v2 path
/// and at the v1 one.
macro_rules! results_path {
    ($(#[doc = $doc:tt])* $path:literal = $id:literal, fn $name:ident) => {
        ob_get! {
            $(#[doc = $doc])*
            $path = $id, fn $name,
            params(("results_id" = String, Path, description = "The results_id of a PENDING answer")),
            found DataAnswer = "The data, or still PENDING",
            refusals(NoResults)
        }
    };
}

results_path! {
    /// Retrieve the results of an asynchronous data call
    "/data/v2/results/{results_id}" = "getResults", fn get_results
}

results_path! {
    /// Retrieve the results of an asynchronous data call (the v1 path of the same results)
    "/data/v1/results/{results_id}" = "getResultsV1", fn get_results_v1
}

ob_path! {
    /// Create a payment intent
    post "/payments/v1/intents" = "createPaymentIntent", fn create_intent,
    request_body = NewPaymentIntent,
    responses(
        (status = 200, description = "The payment intent", body = PaymentIntent, links(
            ("GetPaymentIntent" = (operation_id = "getPaymentIntent", parameters(("payment_intent_id" = "$response.body#/payment_intent_id")))),
        )),
        ObInvalid,
        CustomerOnly,
        (status = 404, description = "No such customer or destination", body = ObError),
    )
}

ob_get! {
    /// Retrieve a payment intent
    "/payments/v1/intents/{payment_intent_id}" = "getPaymentIntent", fn get_intent,
    params(("payment_intent_id" = String, Path, description = "Lean's id of the payment intent")),
    found PaymentIntent = "The payment intent",
    refusals(NoIntent)
}

ob_get! {
    /// Retrieve a payment made against an intent
    "/payments/v1/{payment_id}" = "getPayment", fn get_payment,
    params(("payment_id" = String, Path, description = "Lean's id of the payment")),
    found Payment = "The payment",
    refusals(NoPayment)
}

ob_path! {
    /// Create a payment destination
    post "/payments/v1/destinations" = "createDestination", fn create_destination,
    request_body = NewDestination,
    responses(
        (status = 200, description = "The destination", body = Destination),
        ObInvalid,
        AppOnly,
    )
}

ob_list! {
    /// List one page of payment destinations, oldest first
    "/payments/v1/destinations" = "listDestinations", fn list_destinations,
    found Vec<Destination> = "One page of destinations",
    refusals(AppOnly)
}

ob_path! {
    /// List the supported banks
    get "/banks/v1/" = "listBanks", fn list_banks,
    params(BankFilter),
    responses(
        (status = 200, description = "The supported banks", body = Vec<Bank>),
        ObInvalid,
    )
}

ob_path! {
    /// List one page of the entities of every customer connected in a date range, oldest first
    get "/customers/v1/entities" = "listEntitiesCreated", fn list_entities_created,
    params(ObPage, CreatedRange),
    responses(
        (status = 200, description = "One page of entities", body = EntityPage),
        (status = 400, description = "A bad page, a bad date or a start after the end", body = ObError),
        AppOnly,
    )
}

v2_read! {
    /// Read one page of an entity's accounts
    "/data/v2/accounts" = "listAccountsV2", fn list_accounts_v2,
    found V2Answer = "One page of accounts, or FAILED",
    refusals(NoEntity)
}

v2_read! {
    /// Read an entity's identity
    "/data/v2/identity" = "getIdentityV2", fn get_identity_v2,
    found V2Answer = "The identity as a page of one record, or FAILED",
    refusals(NoEntity)
}

v2_read! {
    /// Read one page of an account's transactions, balances, beneficiaries, identities, direct debits, scheduled payments or standing orders
    "/data/v2/accounts/{account_id}/{kind}" = "getAccountDataV2", fn get_account_data_v2,
    params(
        ("account_id" = String, Path, description = "The account, of the entity"),
        ("kind" = inline(AccountDataName), Path, description = "What to read"),
    ),
    found V2Answer = "One page of records, or FAILED",
    refusals(NoAccount)
}

ob_path! {
    /// Refresh an entity's data; entity.data.refresh.updated follows when it completes
    post "/data/v2/refreshes" = "createRefresh", fn create_refresh,
    request_body = NewRefresh,
    responses(
        (status = 201, description = "The refresh, IN_PROGRESS", body = Refresh, links(
            ("GetRefresh" = (operation_id = "getRefresh", parameters(("refresh_id" = "$response.body#/refresh_id")))),
            ("ListRefreshes" = (operation_id = "listRefreshes", parameters(("entity_id" = "$response.body#/entity_id")))),
            ("ListAccountsV2" = (operation_id = "listAccountsV2", parameters(("entity_id" = "$response.body#/entity_id")))),
        )),
        ObInvalid,
        CustomerOnly,
        NoEntity,
    )
}

ob_path! {
    /// List one page of data refreshes, newest first
    get "/data/v2/refreshes" = "listRefreshes", fn list_refreshes,
    params(RefreshQuery),
    responses(
        (status = 200, description = "One page of refreshes", body = RefreshPage),
        (status = 400, description = "A bad page or size", body = ObError),
        CustomerOnly,
        NoEntity,
    )
}

ob_get! {
    /// Retrieve a data refresh
    "/data/v2/refreshes/{refresh_id}" = "getRefresh", fn get_refresh,
    params(("refresh_id" = String, Path, description = "Lean's id of the refresh")),
    found Refresh = "The refresh (with data_status once COMPLETED)",
    refusals(NoRefresh)
}

ob_list! {
    /// List one page of payment intents, oldest first (a customer-scoped token sees its own)
    "/payments/v1/intents" = "listPaymentIntents", fn list_intents,
    found Vec<PaymentIntent> = "One page of payment intents"
}
