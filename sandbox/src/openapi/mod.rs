//! # The OpenAPI 3.1 document of both APIs
//!
//! Generated from the schemas and `#[utoipa::path]` declarations in
//! `payouts` (under `/api`, HTTP Basic) and `openbanking` (at the API's
//! own paths, a bearer token or `lean-app-token`), served at
//! `/openapi.json` and kept in the repository as `sandbox/openapi.json`,
//! where a test fails when the two differ (regenerate with
//! `LEAN_UPDATE_OPENAPI=1 cargo test -p lean-sandbox --lib openapi`).

/// One operation of either API: its `#[utoipa::path]` with what every
/// route of that API shares written once (the tag, the credentials it
/// accepts, the refusals any of its routes may answer, appended last), and
/// the doc comment as its summary.
macro_rules! operation {
    (
        tag = $tag:tt, security($($security:tt)*), refusals = $refusals:ident;
        $(#[doc = $doc:tt])*
        $method:ident $path:tt = $id:tt, fn $name:ident
        $(, params($($param:tt)*))?
        $(, request_body = $body:ident)?
        , responses($($response:tt),+ $(,)?) $(,)?
    ) => {
        #[utoipa::path($method, path = $path, tag = $tag, operation_id = $id,
            security($($security)*),
            $(params($($param)*),)?
            $(request_body = $body,)?
            responses($($response,)+ $refusals),
        )]
        $(#[doc = $doc])*
        fn $name() {}
    };
}

/// A read of either API: `get`, the answer `found` as its 200, and the
/// refusals of that read. A family of reads (`$api`'s records by id, its
/// pages) states once what all its reads share: `$shared_params` after
/// each read's own parameters, and `$shared_refusals`.
macro_rules! read {
    (
        $api:ident, params($($shared_param:ident),*), refusals($($shared_refusal:ident),*);
        $(#[doc = $doc:tt])*
        $path:literal = $id:literal, fn $name:ident,
        $(params($($param:tt),+ $(,)?),)?
        found $body:ty = $description:literal
        $(, refusals($($refusal:ident),+ $(,)?))? $(,)?
    ) => {
        $api! {
            $(#[doc = $doc])*
            get $path = $id, fn $name,
            params($($($param,)+)? $($shared_param),*),
            responses(
                (status = 200, description = $description, body = $body),
                $($shared_refusal,)*
                $($($refusal,)+)?
            )
        }
    };
}

/// Refusals of one status each, answered in the API's error body
/// `$body` and named by when they happen; the doc comment is the
/// response's description.
macro_rules! refusals {
    ($body:ident: $($(#[doc = $doc:tt])* $status:literal $name:ident;)+) => {
        $(
            $(#[doc = $doc])*
            #[derive(IntoResponses)]
            #[response(status = $status)]
            pub(super) struct $name($body);
        )+
    };
}

mod openbanking;
mod payouts;

use std::sync::LazyLock;

use serde_json::Value;

use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ObjectBuilder, RefOr, Schema};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lean Payouts and open-banking APIs (lean-sandbox)",
        version = "0.1.0",
        description = "The two Lean APIs as served by lean-sandbox, the local emulator of Lean's staging environment. Payouts: under /api, HTTP Basic with the API key as user name and an empty password; a gig or special payment whose description contains `sandbox:fail` ends FAILED. Open banking: at the API's own paths, with an access token from POST /oauth2/token as a bearer token, or the application token as the lean-app-token header.",
    ),
    paths(
        payouts::create_customer,
        payouts::get_customer,
        payouts::update_customer,
        payouts::submit_application,
        payouts::create_gig,
        payouts::list_gigs,
        payouts::get_gig,
        payouts::create_special_payment,
        payouts::list_special_payments,
        payouts::get_special_payment,
        openbanking::issue_token,
        openbanking::create_customer,
        openbanking::list_customers,
        openbanking::get_customer,
        openbanking::get_customer_by_app_user_id,
        openbanking::list_entities,
        openbanking::get_entity,
        openbanking::get_data,
        openbanking::get_results,
        openbanking::get_results_v1,
        openbanking::create_intent,
        openbanking::get_intent,
        openbanking::get_payment,
        openbanking::create_destination,
        openbanking::list_destinations,
        openbanking::list_banks,
        openbanking::list_entities_created,
        openbanking::list_accounts_v2,
        openbanking::get_identity_v2,
        openbanking::get_account_data_v2,
        openbanking::create_refresh,
        openbanking::list_refreshes,
        openbanking::get_refresh,
        openbanking::list_intents,
    ),
    // The refusal bodies, which the shared refusal responses name.
    components(schemas(payouts::ErrorBody, openbanking::ObError)),
    modifiers(&Finish)
)]
struct Document;

/// What the derive cannot say: the security schemes, and that a customer
/// update changes at least one field.
struct Finish;

impl Modify for Finish {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let basic = Http::builder()
            .scheme(HttpAuthScheme::Basic)
            .description(Some("The API key as user name, empty password"))
            .build();
        let bearer = Http::builder()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("An access token from POST /oauth2/token"))
            .build();
        let app_token = ApiKey::Header(ApiKeyValue::with_description(
            "lean-app-token",
            "The application token",
        ));
        components.add_security_scheme("basicAuth", SecurityScheme::Http(basic));
        components.add_security_scheme("bearerAuth", SecurityScheme::Http(bearer));
        components.add_security_scheme("appToken", SecurityScheme::ApiKey(app_token));
        if let Some(RefOr::T(Schema::Object(update))) = components.schemas.get_mut("CustomerUpdate")
        {
            let built: utoipa::openapi::schema::Object = ObjectBuilder::from(update.clone())
                .min_properties(Some(1))
                .build();
            *update = built;
        }
    }
}

/// A string schema that accepts only `values`: the lists come from the
/// code that checks them, so an accepted value is spelled in one place.
fn text_enum(values: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values))
        .build()
}

/// The document as served and as kept in `sandbox/openapi.json`.
pub fn document() -> &'static str {
    static TEXT: LazyLock<String> = LazyLock::new(|| {
        let mut document =
            serde_json::to_value(Document::openapi()).expect("the OpenAPI document serialises");
        camel_case_links(&mut document);
        let mut text =
            serde_json::to_string_pretty(&document).expect("the OpenAPI document serialises");
        text.push('\n');
        text
    });
    &TEXT
}

/// utoipa writes a link's fields in snake case (`operation_id`); OpenAPI
/// spells them `operationId`, `operationRef` and `requestBody`, and
/// clients that follow links (schemathesis's stateful run) read only those.
fn camel_case_links(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(links)) = map.get_mut("links") {
                for link in links.values_mut().filter_map(Value::as_object_mut) {
                    for (from, to) in [
                        ("operation_id", "operationId"),
                        ("operation_ref", "operationRef"),
                        ("request_body", "requestBody"),
                    ] {
                        if let Some(field) = link.remove(from) {
                            link.insert(to.to_owned(), field);
                        }
                    }
                }
            }
            map.values_mut().for_each(camel_case_links);
        }
        Value::Array(items) => items.iter_mut().for_each(camel_case_links),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::document;

    /// The kept document is what the code generates: a change to a route
    /// or schema regenerates it, so the file never goes stale.
    #[test]
    fn kept_document_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        if std::env::var_os("LEAN_UPDATE_OPENAPI").is_some_and(|v| !v.is_empty()) {
            std::fs::write(path, document()).expect("writes sandbox/openapi.json");
        }
        let kept = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            kept == document(),
            "sandbox/openapi.json differs from the document the code generates: \
             regenerate it with `LEAN_UPDATE_OPENAPI=1 cargo test -p lean-sandbox --lib openapi` \
             and commit it"
        );
    }
}
