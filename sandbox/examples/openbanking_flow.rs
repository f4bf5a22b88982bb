//! The open-banking flow against a fresh local sandbox, through the core's
//! call engine and a real HTTP client: an OAuth token from client
//! credentials, a customer (created twice: the second create finds the
//! first), a connected bank, its accounts, a balance fetched
//! asynchronously (`PENDING`, then the signed `results.ready` webhook, then
//! the results), transactions, a payment destination and a payment intent.
//!
//! Run with `scripts/demo rust`, or `cargo run -p lean-sandbox --example
//! openbanking_flow` after `cargo build -p lean-sandbox`.

mod common;

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use common::step;
use lean_core::openbanking::webhooks::{EventPayload, WebhookVerifier, SIGNATURE_HEADER};
use lean_core::openbanking::{
    ClientCredentials, Config, DataKind, DataRequest, Environment, NewCustomer, NewDestination,
    NewPaymentIntent, Operation, Outcome, TokenPolicy, TokenScope, TokenStep, TokenTicket,
};
use lean_core::{Amount, WebhookSecret};
use lean_sandbox::harness::{agent, execute_openbanking, send};
use lean_sandbox::settings::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_OB_WEBHOOK_SECRET};

fn main() -> ExitCode {
    common::finish("Open-banking", run())
}

fn run() -> Result<(), String> {
    let (sandbox, receiver) =
        common::start(&["--api-key", "sk_test_demo", "--ob-results-delay", "200ms"])?;
    sandbox.register_openbanking_webhook(receiver.url())?;
    println!("    sandbox API: {}", sandbox.url());
    let environment = Environment::custom(sandbox.url())
        .and_then(|e| e.with_token_base_url(sandbox.url()))
        .map_err(|e| e.to_string())?;
    let config = Config::new(environment.clone()).with_host("rust-demo");
    let http = agent();

    step(2, "Fetching an OAuth token (client credentials)");
    let credentials = ClientCredentials::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
        .map_err(|e| e.to_string())?;
    let mut tokens =
        TokenPolicy::new(credentials, environment, TokenScope::Api).map_err(|e| e.to_string())?;
    let mut ticket = TokenTicket::new();
    let auth = match tokens
        .poll(&mut ticket, SystemTime::now())
        .map_err(|e| e.to_string())?
    {
        TokenStep::Fetch(_, request) => {
            let answer = send(&http, &request).map_err(|e| e.message)?;
            let now = SystemTime::now();
            tokens
                .on_token_response(&mut ticket, &answer, now)
                .and_then(|()| tokens.poll(&mut ticket, now))
                .map_err(|e| e.to_string())?
        }
        step => step,
    };
    let TokenStep::Use(auth) = auth else {
        return Err(format!("no token to use: {auth:?}"));
    };
    println!("    token received (its value is never printed: {auth:?})");
    let call = |operation: Operation| {
        execute_openbanking(&http, &config, &auth, operation).map_err(|e| e.to_string())
    };

    step(
        3,
        "Creating a customer, twice: the second create finds the first",
    );
    let create =
        Operation::create_customer(&NewCustomer::new("demo-user-1")).map_err(|e| e.to_string())?;
    let Outcome::Customer(customer) = call(create.clone())? else {
        return Err("createCustomer answered something else".into());
    };
    let Outcome::Customer(again) = call(create)? else {
        return Err("createCustomer answered something else".into());
    };
    println!(
        "    customer {} (the repeated create returned {})",
        customer.customer_id, again.customer_id
    );
    if again.customer_id != customer.customer_id {
        return Err("the repeated create made a second customer".into());
    }

    step(
        4,
        "Connecting a bank (what the Link SDK does on the device)",
    );
    let entity = sandbox.connect_bank(&customer.customer_id)?;
    let entity_id = entity["id"].as_str().unwrap_or_default().to_owned();
    let account_id = entity["accounts"][0]["account_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let Outcome::Entities(entities) =
        call(Operation::list_entities(&customer.customer_id).map_err(|e| e.to_string())?)?
    else {
        return Err("listEntities answered something else".into());
    };
    println!("    {} entity connected: {entity_id}", entities.len());

    step(
        5,
        "Reading the balance asynchronously: PENDING, results.ready, results",
    );
    let balance = DataRequest::new(DataKind::Balance, &entity_id, Some(&account_id), true)
        .map_err(|e| e.to_string())?;
    let Outcome::Data(pending) = call(Operation::get_data(balance))? else {
        return Err("getBalance answered something else".into());
    };
    let results_id = pending
        .results_id
        .clone()
        .ok_or("a PENDING answer without a results id")?;
    println!("    status {:?}, results id {results_id}", pending.status);
    let verifier = WebhookVerifier::new([&WebhookSecret::from(DEFAULT_OB_WEBHOOK_SECRET)])
        .map_err(|e| e.to_string())?;
    let ready = receiver.wait_until(Duration::from_secs(10), |deliveries| {
        deliveries.iter().any(|d| {
            verifier
                .construct_event(&d.body, d.header(SIGNATURE_HEADER))
                .is_ok_and(
                    |e| matches!(&e.payload, EventPayload::ResultsReady(r) if r.id == results_id),
                )
        })
    });
    if !ready {
        return Err("no signed results.ready webhook within 10 s".into());
    }
    println!("    results.ready received and its lean-signature verified");
    let Outcome::Data(results) =
        call(Operation::get_data_results(&results_id).map_err(|e| e.to_string())?)?
    else {
        return Err("getDataResults answered something else".into());
    };
    let payload = results.payload.unwrap_or_default();
    println!(
        "    balance: {} {}",
        payload["balance"].as_str().unwrap_or_default(),
        payload["currency_code"].as_str().unwrap_or_default()
    );

    step(6, "Reading the account's transactions");
    let transactions =
        DataRequest::new(DataKind::Transactions, &entity_id, Some(&account_id), false)
            .map_err(|e| e.to_string())?;
    let statement = call(Operation::get_data(transactions))?.to_json();
    let count = statement["payload"]["transactions"]
        .as_array()
        .map_or(0, Vec::len);
    println!("    {count} transactions");

    step(7, "Creating a payment destination and a payment intent");
    let destination = NewDestination {
        display_name: "Main account".into(),
        name: "Acme Trading LLC".into(),
        bank_identifier: Some("ENBD_UAE".into()),
        iban: "AE070331234567890123456".into(),
        ..Default::default()
    };
    let Outcome::Destination(destination) =
        call(Operation::create_payment_destination(&destination).map_err(|e| e.to_string())?)?
    else {
        return Err("createPaymentDestination answered something else".into());
    };
    let intent = NewPaymentIntent {
        customer_id: customer.customer_id.clone(),
        amount: Amount::parse("250.75").map_err(|e| e.to_string())?,
        currency: "AED".into(),
        description: Some("Invoice 42".into()),
        payment_destination_id: destination.id.clone(),
        purpose_code: None,
    };
    let Outcome::PaymentIntent(intent) =
        call(Operation::create_payment_intent(&intent).map_err(|e| e.to_string())?)?
    else {
        return Err("createPaymentIntent answered something else".into());
    };
    println!(
        "    payment intent {} for {} {}",
        intent.payment_intent_id,
        intent.amount.map(|a| a.to_string()).unwrap_or_default(),
        intent.currency.unwrap_or_default()
    );
    Ok(())
}
