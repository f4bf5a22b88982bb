//! The payouts API's part of the document: the request and answer shapes
//! as the sandbox reads and writes them, and one `#[utoipa::path]` per
//! route that `crate::payouts` answers under `/api`.
//!
//! The wire types live in `lean-core`, which has no OpenAPI dependency;
//! their schemas are declared here, beside the routes that serve them,
//! with the core's own lists (states, payment types, error codes) so that
//! an accepted value is spelled in one place.

// The types and functions here exist for their declarations: nothing
// builds the types or calls the functions.
#![allow(dead_code)]

use lean_core::models::SpecialPaymentType;
use lean_core::validate::US_STATE_CODES;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use super::text_enum;
use utoipa::{IntoParams, IntoResponses, ToSchema};

/// Text matching `pattern`, at most `max_length` characters when given.
fn text(pattern: &str, max_length: Option<usize>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .max_length(max_length)
        .build()
}

// The fields a new customer and a customer update share, spelled once.
fn person_name() -> Object {
    text(r"^[A-Za-z][A-Za-z0-9 '.,-]{0,39}$", Some(40))
}

fn email() -> Object {
    text(r"^[a-z0-9]{1,20}@[a-z0-9]{1,10}\.(com|org|net)$", Some(50))
}

fn street() -> Object {
    text(r"^[A-Za-z0-9][ -~]{0,34}$", Some(35))
}

fn city() -> Object {
    text(r"^[A-Za-z][A-Za-z ]{0,20}$", Some(21))
}

fn postal_code() -> Object {
    text(r"^[0-9]{5}(-[0-9]{4})?$", None)
}

fn phone_number() -> Object {
    ObjectBuilder::from(text(r"^[2-9][0-9]{2}[2-9][0-9]{6}$", None))
        .description(Some("10-digit US number; (408) 500-8000 is accepted too"))
        .build()
}

fn amount() -> Object {
    ObjectBuilder::from(text(r"^-?[0-9]+(\.[0-9]{1,2})?$", None))
        .description(Some("Decimal amount as text, two decimals (`15.00`)"))
        .build()
}

fn us_state() -> Object {
    text_enum(US_STATE_CODES)
}

fn special_payment_type() -> Object {
    text_enum(SpecialPaymentType::KNOWN.iter().map(|t| t.as_str()))
}

fn field_error_code() -> Object {
    text_enum(lean_core::FieldErrorCode::ALL.map(lean_core::FieldErrorCode::as_str))
}

// The refusal body of every payouts error.
#[derive(ToSchema)]
#[schema(as = Error)]
pub(super) struct ErrorBody {
    message: String,
    #[schema(inline)]
    errors: Vec<FieldError>,
}

// The refusals every payouts route may answer.
#[derive(IntoResponses)]
pub(super) enum Refusals {
    /// Missing or unknown API key
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Too many requests; retry after Retry-After seconds
    #[response(status = 429, headers(("Retry-After" = u64, description = "Seconds to wait before retrying")))]
    TooManyRequests(ErrorBody),
    /// Unavailable; retry later
    #[response(status = 503)]
    Unavailable(ErrorBody),
    /// Any other refusal, in the same shape
    #[response(status = "default")]
    Other(ErrorBody),
}

refusals! {
    ErrorBody:
    /// Invalid input: every refused field is listed
    400 Invalid;
    /// limit or offset out of range, naming the parameter
    400 BadPage;
    /// No such record
    404 NotFound;
}

// One refused field.
#[derive(ToSchema)]
struct FieldError {
    /// Wire name of the field, or $ for the whole body
    field: String,
    #[schema(schema_with = field_error_code)]
    code: String,
    message: String,
}

// The body of `POST /customer`.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "firstName": "Jane",
    "lastName": "Doe",
    "birthday": "1980-12-31",
    "phoneNumber": "4085008000",
    "email": "janedoe@example.com",
    "street": "700 Treehouse Drive",
    "city": "San Jose",
    "state": "CA",
    "postalCode": "95101",
    "partnerUserId": "uid_847834395730535",
    "registrationDate": "2020-01-01"
}))]
pub(super) struct NewCustomer {
    #[schema(schema_with = person_name)]
    first_name: String,
    #[schema(schema_with = person_name)]
    #[serde(default)]
    middle_name: String,
    #[schema(schema_with = person_name)]
    last_name: String,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    birthday: String,
    #[schema(schema_with = phone_number)]
    phone_number: String,
    #[schema(schema_with = email)]
    email: String,
    #[schema(schema_with = street)]
    street: String,
    #[schema(schema_with = street)]
    #[serde(default)]
    street2: String,
    #[schema(schema_with = city)]
    city: String,
    #[schema(schema_with = us_state)]
    state: String,
    #[schema(schema_with = postal_code)]
    postal_code: String,
    #[schema(pattern = r"^[A-Za-z0-9_-]{1,64}$")]
    partner_user_id: String,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    registration_date: String,
}

// The body of `PATCH /customer/{partnerUserId}`: at least one field
// (`minProperties` is set in `super::Finish`).
#[derive(ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct CustomerUpdate {
    #[schema(schema_with = person_name)]
    #[serde(default)]
    first_name: String,
    #[schema(schema_with = person_name)]
    #[serde(default)]
    middle_name: String,
    #[schema(schema_with = person_name)]
    #[serde(default)]
    last_name: String,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    #[serde(default)]
    birthday: String,
    #[schema(schema_with = phone_number)]
    #[serde(default)]
    phone_number: String,
    #[schema(schema_with = email)]
    #[serde(default)]
    email: String,
    #[schema(schema_with = street)]
    #[serde(default)]
    street: String,
    #[schema(schema_with = street)]
    #[serde(default)]
    street2: String,
    #[schema(schema_with = city)]
    #[serde(default)]
    city: String,
    #[schema(schema_with = us_state)]
    #[serde(default)]
    state: String,
    #[schema(schema_with = postal_code)]
    #[serde(default)]
    postal_code: String,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    #[serde(default)]
    registration_date: String,
}

// A customer as answered.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct Customer {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    middle_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    birthday: String,
    #[serde(default)]
    phone_number: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    street2: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    postal_code: String,
    partner_user_id: String,
    #[serde(default)]
    registration_date: String,
    /// PENDING, ACTIVE or INACTIVE
    #[serde(default)]
    status: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    updated_at: String,
}

// The body of `POST /application`.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"partnerUserId": "uid_847834395730535"}))]
pub(super) struct NewApplication {
    #[schema(min_length = 1, max_length = 255)]
    partner_user_id: String,
}

// An application as answered.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct Application {
    partner_user_id: String,
    #[schema(inline)]
    status: ApplicationStatus,
}

#[derive(ToSchema)]
#[serde(rename_all = "lowercase")]
enum ApplicationStatus {
    Submitted,
    Approved,
    Rejected,
}

// The body of `POST /gig`.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "partnerUserId": "uid_847834395730535",
    "totalAmount": "15.00",
    "description": "Gig Payout",
    "gigId": "gigId_94792357823953532",
    "startTime": "2021-03-01T21:04:04Z",
    "endTime": "2021-03-01T21:31:05Z",
    "tips": "3.00",
    "expenses": "2.00"
}))]
pub(super) struct NewGig {
    #[schema(min_length = 1)]
    partner_user_id: String,
    #[schema(schema_with = amount)]
    total_amount: String,
    #[schema(schema_with = amount)]
    tips: String,
    #[schema(schema_with = amount)]
    expenses: String,
    #[schema(min_length = 1)]
    description: String,
    #[schema(min_length = 1, max_length = 255)]
    gig_id: String,
    /// ISO 8601; no zone means UTC
    #[schema(format = DateTime)]
    start_time: String,
    /// ISO 8601; not before startTime
    #[schema(format = DateTime)]
    end_time: String,
}

// A gig as answered.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct Gig {
    #[serde(default)]
    id: String,
    gig_id: String,
    #[serde(default)]
    partner_user_id: String,
    #[serde(default)]
    total_amount: String,
    #[serde(default)]
    tips: String,
    #[serde(default)]
    expenses: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    start_time: String,
    #[serde(default)]
    end_time: String,
    /// PENDING, SUCCESS or FAILED
    #[serde(default)]
    status: String,
    #[serde(default)]
    invoice_id: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    updated_at: String,
}

// The body of `POST /specialpayment`.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "partnerUserId": "uid_847834395730535",
    "amount": "4.56",
    "type": "reimbursement",
    "gigId": "gigId_94792357823953532",
    "description": "Parking receipt from 3/1/2021",
    "userdata": {"receiptId": "receipt_4242551"}
}))]
pub(super) struct NewSpecialPayment {
    #[schema(min_length = 1)]
    partner_user_id: String,
    #[schema(schema_with = amount)]
    amount: String,
    #[serde(rename = "type")]
    #[schema(schema_with = special_payment_type)]
    kind: String,
    /// A gig created earlier for the same customer
    #[serde(default)]
    gig_id: String,
    #[serde(default)]
    description: String,
    #[schema(value_type = Object)]
    #[serde(default)]
    userdata: (),
}

// A special payment as answered.
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
pub(super) struct SpecialPayment {
    id: String,
    #[serde(default)]
    partner_user_id: String,
    #[serde(default)]
    amount: String,
    #[serde(rename = "type")]
    #[serde(default)]
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    gig_id: String,
    /// PENDING, SUCCESS or FAILED
    #[serde(default)]
    status: String,
    #[schema(value_type = Object)]
    #[serde(default)]
    userdata: (),
    #[serde(default)]
    invoice_id: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    updated_at: String,
}

// The paging parameters of the lists.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Page {
    /// Records per page, 1 to 1000 (default 100). The reference documents a plain array and no paging; the sandbox bounds each answer.
    #[param(minimum = 1, maximum = 1000, default = 100, value_type = Option<i64>)]
    limit: Option<i64>,
    /// Records to skip, oldest first (default 0).
    #[param(minimum = 0, default = 0, value_type = Option<i64>)]
    offset: Option<i64>,
}

// The header that makes a special payment safe to retry.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub(super) struct Idempotency {
    /// A repeat with the same key within 24 hours returns the original answer
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$",
        required = false
    )]
    key: String,
}

/// A payouts operation: HTTP Basic, and the payouts refusals.
macro_rules! payouts_path {
    ($($operation:tt)*) => {
        operation! { tag = "payouts", security(("basicAuth" = [])), refusals = Refusals; $($operation)* }
    };
}

/// A payouts list: one page of `$record`s, `limit` and `offset` in the
/// query, the total and the next page in the headers.
macro_rules! payouts_list {
    (
        $(#[doc = $doc:tt])*
        $path:literal = $id:literal, fn $name:ident,
        $record:ident, $page:literal, $total:literal
    ) => {
        payouts_path! {
            $(#[doc = $doc])*
            get $path = $id, fn $name,
            params(Page),
            responses(
                (status = 200, description = $page, body = Vec<$record>, headers(
                    ("x-total-count" = u64, description = $total),
                    ("link" = String, description = "`<...?limit=&offset=>; rel=\"next\"` while more records remain (RFC 8288)"),
                )),
                BadPage,
            )
        }
    };
}

/// A read of one record named in the path, or 404 when there is none.
macro_rules! payouts_get {
    ($($read:tt)*) => {
        read! { payouts_path, params(), refusals(NotFound); $($read)* }
    };
}

// The path parameter of the customer routes.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub(super) struct PartnerUserId {
    /// Your id of the customer
    #[param(rename = "partnerUserId", min_length = 1, max_length = 255)]
    partner_user_id: String,
}

payouts_path! {
    /// Register a customer (PENDING until its application is approved)
    post "/api/customer" = "createCustomer", fn create_customer,
    request_body = NewCustomer,
    responses(
        (status = 200, description = "The customer", body = Customer, links(
            ("GetCustomer" = (operation_id = "getCustomer", parameters(("partnerUserId" = "$response.body#/partnerUserId")))),
            ("SubmitApplication" = (operation_id = "submitApplication", request_body = json!({"partnerUserId": "$response.body#/partnerUserId"}))),
            ("UpdateCustomer" = (operation_id = "updateCustomer", parameters(("partnerUserId" = "$response.body#/partnerUserId")))),
        )),
        Invalid,
    )
}

payouts_get! {
    /// Retrieve a customer
    "/api/customer/{partnerUserId}" = "getCustomer", fn get_customer,
    params(PartnerUserId),
    found Customer = "The customer"
}

payouts_path! {
    /// Change a customer that is still PENDING
    patch "/api/customer/{partnerUserId}" = "updateCustomer", fn update_customer,
    params(PartnerUserId),
    request_body = CustomerUpdate,
    responses(
        (status = 200, description = "The changed customer", body = Customer),
        Invalid,
        NotFound,
    )
}

payouts_path! {
    /// Submit a customer's application (staging only); approved after the approval delay
    post "/api/application" = "submitApplication", fn submit_application,
    request_body = NewApplication,
    responses(
        (status = 200, description = "The application", body = Application, links(
            ("GetCustomer" = (operation_id = "getCustomer", parameters(("partnerUserId" = "$response.body#/partnerUserId")))),
        )),
        Invalid,
        NotFound,
    )
}

payouts_path! {
    /// Pay a gig to an ACTIVE customer
    post "/api/gig" = "createGig", fn create_gig,
    request_body = NewGig,
    responses(
        (status = 200, description = "The gig, PENDING", body = Gig, links(
            ("GetGig" = (operation_id = "getGig", parameters(("gigId" = "$response.body#/gigId")))),
        )),
        Invalid,
    )
}

payouts_list! {
    /// List one page of gigs, oldest first
    "/api/gig" = "listGigs", fn list_gigs,
    Gig, "One page of gigs, oldest first", "How many gigs there are in all"
}

payouts_get! {
    /// Retrieve a gig
    "/api/gig/{gigId}" = "getGig", fn get_gig,
    params(("gigId" = String, Path, description = "Your id of the gig", min_length = 1, max_length = 255)),
    found Gig = "The gig"
}

payouts_path! {
    /// Pay (or deduct) a special payment to an ACTIVE customer
    post "/api/specialpayment" = "createSpecialPayment", fn create_special_payment,
    params(Idempotency),
    request_body = NewSpecialPayment,
    responses(
        (status = 200, description = "The special payment, PENDING", body = SpecialPayment, links(
            ("GetSpecialPayment" = (operation_id = "getSpecialPayment", parameters(("id" = "$response.body#/id")))),
        )),
        Invalid,
    )
}

payouts_list! {
    /// List one page of special payments, oldest first
    "/api/specialpayment" = "listSpecialPayments", fn list_special_payments,
    SpecialPayment, "One page of special payments, oldest first", "How many special payments there are in all"
}

payouts_get! {
    /// Retrieve a special payment
    "/api/specialpayment/{id}" = "getSpecialPayment", fn get_special_payment,
    params(("id" = String, Path, description = "Lean's id of the special payment", min_length = 1, max_length = 255)),
    found SpecialPayment = "The special payment"
}
