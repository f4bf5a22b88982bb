//! The open-banking emulation end to end over real HTTP: requests built
//! and answers read by the core (`openbanking::Operation::request` and
//! `parse_response`, and once its call engine), webhooks verified with the
//! core's verifier.

mod common;

use std::time::{Duration, SystemTime};

use common::openbanking::*;
use lean_core::openbanking::errors::{error_code, granular_status_code};
use lean_core::openbanking::webhooks::{EventPayload, EventType, SIGNATURE_HEADER};
use lean_core::openbanking::{
    Auth, ClientCredentials, Config, DataKind, ErrorCode, NewCustomer, NewDestination,
    NewPaymentIntent, Operation, Outcome, Paging, TokenPolicy, TokenScope, TokenStep, TokenTicket,
};
use lean_core::{Amount, HttpRequest, HttpResponse, Method};
use lean_sandbox::harness::{agent, execute_openbanking, send, WebhookReceiver};
use lean_sandbox::settings::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use serde_json::{json, Value};

#[test]
fn customers_entities_and_data_with_async_results_and_webhooks() {
    let sandbox = start(&[]);
    let receiver = receiver(&sandbox);
    let client = Client::new(&sandbox, app_token());

    let customer_id = client.customer("user-1");
    // The same app_user_id again: 409 CUSTOMER_ALREADY_EXISTS, and the
    // core's lookup finds the first one.
    let create = Operation::create_customer(&NewCustomer::new("user-1")).unwrap();
    let (status, code, _) = api_status(client.call(&create));
    assert_eq!(
        (status, code),
        (409, Some(ErrorCode::CustomerAlreadyExists))
    );
    match client.ok(&create.lookup().unwrap()) {
        Outcome::Customer(c) => assert_eq!(c.customer_id, customer_id),
        other => panic!("{other:?}"),
    }
    match client.ok(&Operation::get_customer(&customer_id).unwrap()) {
        Outcome::Customer(c) => assert_eq!(c.app_user_id.as_deref(), Some("user-1")),
        other => panic!("{other:?}"),
    }

    // Connecting a bank (the Link SDK's part) seeds an entity with two
    // accounts; the API lists it.
    let connected = sandbox.connect_bank(&customer_id).unwrap();
    let entity_id = connected["id"].as_str().unwrap().to_owned();
    let accounts: Vec<String> = connected["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(accounts.len(), 2);
    match client.ok(&Operation::list_entities(&customer_id).unwrap()) {
        Outcome::Entities(list) => {
            assert_eq!(list.len(), 1);
            assert_eq!(list[0].id, entity_id);
            assert_eq!(list[0].permissions.as_ref().unwrap().balance, Some(true));
        }
        other => panic!("{other:?}"),
    }
    match client.ok(&Operation::get_entity(&customer_id, &entity_id).unwrap()) {
        Outcome::Entity(e) => assert_eq!(e.customer_id.as_deref(), Some(customer_id.as_str())),
        other => panic!("{other:?}"),
    }
    let (status, _, _) =
        api_status(client.call(&Operation::get_entity(&customer_id, "nope").unwrap()));
    assert_eq!(status, 404);

    // Data at once: identity, accounts, balance (an exact decimal number
    // on the wire), transactions.
    let identity = payload(client.ok(&data(DataKind::Identity, &entity_id, None, false)));
    assert_eq!(identity["full_name"], "Jane Doe");
    let listed = payload(client.ok(&data(DataKind::Accounts, &entity_id, None, false)));
    assert_eq!(listed["accounts"].as_array().unwrap().len(), 2);
    let balance = data(DataKind::Balance, &entity_id, Some(&accounts[0]), false);
    let raw = client.raw(&balance);
    assert!(
        raw.body_text().contains("\"balance\":12450.75"),
        "{}",
        raw.body_text()
    );
    assert_eq!(
        payload(balance.parse_response(&raw).unwrap())["currency_code"],
        "AED"
    );
    let statement = payload(client.ok(&data(
        DataKind::Transactions,
        &entity_id,
        Some(&accounts[1]),
        false,
    )));
    assert_eq!(statement["transactions"].as_array().unwrap().len(), 10);
    let (status, _, _) = api_status(client.call(&data(
        DataKind::Balance,
        &entity_id,
        Some("no-such-account"),
        false,
    )));
    assert_eq!(status, 404);

    // Asynchronous: PENDING with a results id, a signed results.ready
    // webhook, then the data.
    let pending = match client.ok(&data(
        DataKind::Balance,
        &entity_id,
        Some(&accounts[1]),
        true,
    )) {
        Outcome::Data(d) => d,
        other => panic!("{other:?}"),
    };
    assert!(pending.is_pending());
    let results_id = pending.results_id.clone().unwrap();
    assert!(
        results_ready(&receiver, &results_id),
        "no results.ready webhook"
    );
    let results = payload(client.ok(&Operation::get_data_results(&results_id).unwrap()));
    assert_eq!(results["account_id"], accounts[1]);
    // Sent as a JSON number; the core hands it on as its exact text.
    assert_eq!(results["balance"], "30000.00");

    // Every delivery is signed, has the envelope and a unique event id;
    // connecting the bank sent entity.created.
    let deliveries = receiver.deliveries();
    let events: Vec<_> = deliveries
        .iter()
        .map(|d| {
            assert!(d.header(SIGNATURE_HEADER).unwrap().starts_with("sha512="));
            verifier()
                .construct_event(&d.body, d.header(SIGNATURE_HEADER))
                .unwrap()
        })
        .collect();
    assert!(events
        .iter()
        .any(|e| e.event_type == EventType::EntityCreated
            && matches!(&e.payload, EventPayload::Entity(en) if en.id == entity_id)));
    // In Lean's own shape: the permissions granted as an array of names,
    // with the app user and the bank's details.
    let sent: Vec<Value> = deliveries
        .iter()
        .map(|d| serde_json::from_slice(&d.body).unwrap())
        .filter(|body: &Value| body["type"] == "entity.created")
        .collect();
    assert_eq!(sent.len(), 1);
    let payload = &sent[0]["payload"];
    assert_eq!(
        payload["permissions"],
        json!(["identity", "accounts", "balance", "transactions"])
    );
    assert!(payload["app_user_id"].is_string(), "{payload}");
    assert!(
        payload["bank_details"]["identifier"].is_string(),
        "{payload}"
    );
    let ids: std::collections::HashSet<_> =
        events.iter().map(|e| e.event_id.clone().unwrap()).collect();
    assert_eq!(ids.len(), events.len());
    assert!(verifier()
        .verify(&deliveries[0].body, Some("sha512=00"))
        .is_err());
}

#[test]
fn failed_data_answers_with_http_200() {
    let sandbox = start(&[]);
    let client = Client::new(&sandbox, app_token());
    for operation in [
        data(DataKind::Identity, "entity-sandbox-fail", None, false),
        data(
            DataKind::Balance,
            "any-entity",
            Some("acct-SANDBOX-FAIL-1"),
            true,
        ),
    ] {
        let raw = client.raw(&operation);
        assert_eq!(raw.status, 200);
        let error = operation.parse_response(&raw).unwrap_err();
        assert_eq!(error_code(&error), Some(ErrorCode::Failed), "{error:?}");
        assert_eq!(
            granular_status_code(&error).as_deref(),
            Some("SANDBOX_FAIL_TRIGGER")
        );
    }
}

#[test]
fn oauth_tokens_renewal_and_customer_scope() {
    let sandbox = start(&["--ob-token-ttl", "2"]);
    let env = environment(&sandbox);
    let agent = agent();
    let owner = Client::new(&sandbox, app_token());
    let alice = owner.customer("alice");
    let bob = owner.customer("bob");

    // Client credentials through the core's token policy: fetch, use,
    // renew when it says so.
    let credentials = ClientCredentials::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET).unwrap();
    let mut tokens = TokenPolicy::new(credentials, env.clone(), TokenScope::Api).unwrap();
    let fetch = |tokens: &mut TokenPolicy, at: SystemTime| -> Auth {
        let mut ticket = TokenTicket::new();
        loop {
            match tokens.poll(&mut ticket, at).unwrap() {
                TokenStep::Fetch(_, request) => {
                    let answer = send(&agent, &request).unwrap();
                    assert_eq!(answer.status, 200, "{}", answer.body_text());
                    tokens.on_token_response(&mut ticket, &answer, at).unwrap();
                }
                TokenStep::Use(auth) => return auth,
                TokenStep::Wait(_) => unreachable!("one caller never waits"),
            }
        }
    };
    let start = SystemTime::now();
    let first = fetch(&mut tokens, start);
    let bearer = Client {
        agent: agent.clone(),
        env: env.clone(),
        auth: first.clone(),
    };
    match bearer.ok(&Operation::list_customers(Paging::default()).unwrap()) {
        Outcome::Customers(page) => assert_eq!(page.customers.len(), 2),
        other => panic!("{other:?}"),
    }
    // Within the lifetime the same token is used; past the renewal point
    // (half of a 2 s lifetime) a new one is fetched.
    assert!(matches!(
        tokens.poll(&mut TokenTicket::new(), start).unwrap(),
        TokenStep::Use(a) if a == first
    ));
    let renewed = fetch(&mut tokens, start + Duration::from_millis(1500));
    assert_ne!(renewed, first);
    // The sandbox expires tokens too.
    std::thread::sleep(Duration::from_millis(2100));
    let (status, _, _) = api_status(bearer.call(&Operation::get_customer(&alice).unwrap()));
    assert_eq!(status, 401);

    // A customer-scoped token reaches its own customer only.
    let scoped = ClientCredentials::new(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
        .unwrap()
        .token_request(&env, &TokenScope::customer(&alice).unwrap())
        .unwrap();
    let answer = send(&agent, &scoped).unwrap();
    let token = lean_core::openbanking::Token::parse(&answer, SystemTime::now()).unwrap();
    assert_eq!(token.scope(), Some(format!("customer.{alice}").as_str()));
    let device = Client {
        agent: agent.clone(),
        env: env.clone(),
        auth: token.auth(),
    };
    assert!(device
        .call(&Operation::get_customer(&alice).unwrap())
        .is_ok());
    // Another customer's records: the wrong level; the whole
    // application's calls: too low a level.
    for (forbidden, expected) in [
        (
            Operation::get_customer(&bob).unwrap(),
            ErrorCode::IncorrectAccessLevel,
        ),
        (
            Operation::list_customers(Paging::default()).unwrap(),
            ErrorCode::InsufficientAccessLevel,
        ),
        (
            Operation::create_customer(&NewCustomer::new("mallory")).unwrap(),
            ErrorCode::InsufficientAccessLevel,
        ),
    ] {
        let (status, code, _) = api_status(device.call(&forbidden));
        assert_eq!((status, code), (403, Some(expected)));
    }

    // Wrong secret, no credential, unknown token.
    let wrong = ClientCredentials::new(DEFAULT_CLIENT_ID, "not-the-secret")
        .unwrap()
        .token_request(&env, &TokenScope::Api)
        .unwrap();
    let answer = send(&agent, &wrong).unwrap();
    assert_eq!(answer.status, 401);
    assert!(lean_core::openbanking::Token::parse(&answer, SystemTime::now()).is_err());
    let anonymous = HttpRequest {
        method: Method::Get,
        url: format!("{}/customers/v1", sandbox.url()),
        headers: vec![],
        body: None,
    };
    let answer = send(&agent, &anonymous).unwrap();
    assert_eq!(answer.status, 401);
    let body: Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(body["status"], "UNAUTHORIZED");
    let stranger = Client::new(
        &sandbox,
        Auth::Bearer(lean_core::openbanking::AccessToken::new("forged").unwrap()),
    );
    let (status, _, _) = api_status(stranger.call(&Operation::get_customer(&alice).unwrap()));
    assert_eq!(status, 401);
}

#[test]
fn paging_and_documented_refusals() {
    let sandbox = start(&[]);
    let client = Client::new(&sandbox, app_token());
    let made: Vec<String> = (0..5)
        .map(|n| client.customer(&format!("paged-{n}")))
        .collect();
    let page = |number: u32| match client.ok(&Operation::list_customers(Paging {
        page_number: Some(number),
        page_size: Some(2),
    })
    .unwrap())
    {
        Outcome::Customers(p) => {
            assert_eq!(p.extra["page"]["total_elements"], 5);
            p.customers
                .into_iter()
                .map(|c| c.customer_id)
                .collect::<Vec<_>>()
        }
        other => panic!("{other:?}"),
    };
    let pages = [page(0), page(1), page(2), page(3)];
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1, 0]);
    assert_eq!(pages.concat(), made);

    // Refusals in the documented body, read back by the core.
    let raw = |method: &str, path: &str, body: Option<&str>| -> HttpResponse {
        let mut request = HttpRequest {
            method: if method == "GET" {
                Method::Get
            } else {
                Method::Post
            },
            url: format!("{}{path}", sandbox.url()),
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.map(str::to_owned),
        };
        app_token().apply(&mut request);
        send(&agent(), &request).unwrap()
    };
    let code = |r: &HttpResponse| -> (u16, String) {
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        (r.status, body["status"].as_str().unwrap().to_owned())
    };
    let missing = raw("POST", "/customers/v1/", Some("{}"));
    assert_eq!(code(&missing), (400, "MISSING_PARAMETERS".into()));
    let error = Operation::create_customer(&NewCustomer::new("x"))
        .unwrap()
        .parse_response(&missing)
        .unwrap_err();
    assert_eq!(error.field_errors()[0].field, "app_user_id");
    // Method, path, body, and the status and status code answered.
    #[rustfmt::skip]
    let refusals: [(&str, &str, Option<&str>, u16, &str); 7] = [
        ("GET", "/customers/v1?page_size=abc", None, 400, "INVALID_PARAMETERS"),
        ("GET", "/customers/v1?page_size=0", None, 400, "INVALID_PARAMETERS"),
        ("POST", "/data/v1/balance", Some(r#"{"entity_id":"e"}"#), 400, "MISSING_PARAMETERS"),
        ("POST", "/data/v1/identity", Some(r#"{"entity_id":"e","async":"yes"}"#), 400, "INVALID_PARAMETERS"),
        ("GET", "/customers/v2/nothing", None, 404, "INVALID_URL"),
        ("GET", "/data/v1/balance", None, 405, "INVALID_HTTP_METHOD"),
        ("GET", "/customers/v1/no-such-customer", None, 404, "NOT_FOUND"),
    ];
    for (method, path, body, status, status_code) in refusals {
        let answer = code(&raw(method, path, body));
        assert_eq!(answer, (status, status_code.to_owned()), "{method} {path}");
    }
}

#[test]
fn payment_destinations_and_intents() {
    let sandbox = start(&[]);
    let client = Client::new(&sandbox, app_token());
    let customer_id = client.customer("payer");
    let destination = NewDestination {
        display_name: "Main account".into(),
        name: "Acme Trading LLC".into(),
        bank_identifier: Some("ENBD_UAE".into()),
        iban: "AE070331234567890123456".into(),
        swift_code: Some("EBILAEAD".into()),
        ..Default::default()
    };
    let destination_id =
        match client.ok(&Operation::create_payment_destination(&destination).unwrap()) {
            Outcome::Destination(d) => d.id.unwrap(),
            other => panic!("{other:?}"),
        };
    match client.ok(&Operation::list_payment_destinations()) {
        Outcome::Destinations(list) => {
            assert_eq!(list.len(), 1);
            assert_eq!(list[0].iban.as_deref(), Some("AE070331234567890123456"));
        }
        other => panic!("{other:?}"),
    }
    // The core writes the amount as the JSON number 100.10; it comes back
    // exactly.
    let intent = NewPaymentIntent {
        customer_id: customer_id.clone(),
        amount: Amount::parse("100.10").unwrap(),
        currency: "aed".into(),
        description: Some("Invoice 42".into()),
        payment_destination_id: Some(destination_id.clone()),
        purpose_code: None,
    };
    let create = Operation::create_payment_intent(&intent).unwrap();
    assert!(create
        .request(&environment(&sandbox), &app_token())
        .body
        .unwrap()
        .contains("\"amount\":100.10"));
    let created = match client.ok(&create) {
        Outcome::PaymentIntent(p) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(created.amount, Some(Amount::parse("100.10").unwrap()));
    assert_eq!(created.currency.as_deref(), Some("AED"));
    assert_eq!(
        created.payment_destination.unwrap().id,
        Some(destination_id)
    );
    match client.ok(&Operation::get_payment_intent(&created.payment_intent_id).unwrap()) {
        Outcome::PaymentIntent(p) => {
            assert_eq!(p.customer_id.as_deref(), Some(customer_id.as_str()))
        }
        other => panic!("{other:?}"),
    }
    let stranger = NewPaymentIntent {
        customer_id: "no-such-customer".into(),
        ..intent
    };
    let (status, code, error) =
        api_status(client.call(&Operation::create_payment_intent(&stranger).unwrap()));
    assert_eq!((status, code), (400, Some(ErrorCode::InvalidParameters)));
    assert_eq!(error.field_errors()[0].field, "customer_id");
}

#[test]
fn banks_list_and_a_payment_by_id() {
    let sandbox = start(&[]);
    let client = Client::new(&sandbox, app_token());
    let all = match client.ok(&Operation::list_banks(None).unwrap()) {
        Outcome::Banks(banks) => banks,
        other => panic!("{other:?}"),
    };
    assert_eq!(all[0].identifier, "LEANMB1");
    assert!(all
        .iter()
        .all(|b| b.name.is_some() && b.availability.is_some()));
    let personal = match client.ok(&Operation::list_banks(Some("personal")).unwrap()) {
        Outcome::Banks(banks) => banks,
        other => panic!("{other:?}"),
    };
    assert!(!personal.is_empty() && personal.len() < all.len());
    assert!(personal
        .iter()
        .all(|b| b.account_type.as_deref() == Some("PERSONAL")));

    // A payment exists once the customer pays an intent (the admin step
    // standing for the Link SDK); it is then read by its id.
    let customer_id = client.customer("payer");
    let intent = NewPaymentIntent {
        customer_id: customer_id.clone(),
        amount: Amount::parse("12.30").unwrap(),
        currency: "AED".into(),
        ..Default::default()
    };
    let intent_id = match client.ok(&Operation::create_payment_intent(&intent).unwrap()) {
        Outcome::PaymentIntent(p) => p.payment_intent_id,
        other => panic!("{other:?}"),
    };
    let paid = send(
        &agent(),
        &HttpRequest {
            method: Method::Post,
            url: format!(
                "{}/_sandbox/openbanking/intents/{intent_id}/pay",
                sandbox.url()
            ),
            headers: vec![],
            body: None,
        },
    )
    .unwrap();
    assert_eq!(paid.status, 200, "{}", paid.body_text());
    let payment_id = serde_json::from_slice::<Value>(&paid.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    match client.ok(&Operation::get_payment(&payment_id).unwrap()) {
        Outcome::Payment(p) => {
            assert_eq!(p.id, payment_id);
            assert_eq!(p.amount, Some(Amount::parse("12.30").unwrap()));
            assert_eq!(p.intent_id.as_deref(), Some(intent_id.as_str()));
            assert_eq!(p.customer_id.as_deref(), Some(customer_id.as_str()));
            assert_eq!(p.status.as_deref(), Some("PENDING_WITH_BANK"));
        }
        other => panic!("{other:?}"),
    }
    let (status, _, _) =
        api_status(client.call(&Operation::get_payment("no-such-payment").unwrap()));
    assert_eq!(status, 404);
}

#[test]
fn the_core_call_engine_drives_open_banking() {
    let sandbox = start(&[]);
    let agent = agent();
    let config = Config::new(environment(&sandbox)).with_host("rust-e2e");
    let auth = app_token();
    let create = Operation::create_customer(&NewCustomer::new("engine-user")).unwrap();
    let first = match execute_openbanking(&agent, &config, &auth, create.clone()).unwrap() {
        Outcome::Customer(c) => c,
        other => panic!("{other:?}"),
    };
    // Creating the same customer again: the engine turns the 409 into a
    // lookup and answers the existing customer.
    match execute_openbanking(&agent, &config, &auth, create).unwrap() {
        Outcome::Customer(c) => assert_eq!(c.customer_id, first.customer_id),
        other => panic!("{other:?}"),
    }
}

#[test]
fn webhooks_are_retried_on_the_compressed_schedule_until_200() {
    let sandbox = start(&["--ob-webhook-time-factor", "0.001"]);
    let receiver = receiver(&sandbox);
    // Also registered for payouts: the two products do not mix.
    let payouts = WebhookReceiver::start().unwrap();
    sandbox.register_webhook(payouts.url()).unwrap();
    receiver.refuse_next(2);
    let client = Client::new(&sandbox, app_token());
    let customer_id = client.customer("retried");
    let entity = sandbox.connect_bank(&customer_id).unwrap();
    // Refused twice (500), retried after 60 ms and 120 ms, then accepted.
    assert!(
        receiver.wait_until(Duration::from_secs(10), |d| !d.is_empty()),
        "never delivered"
    );
    let event = verifier()
        .construct_event(
            &receiver.deliveries()[0].body,
            receiver.deliveries()[0].header(SIGNATURE_HEADER),
        )
        .unwrap();
    assert_eq!(event.event_type, EventType::EntityCreated);
    assert!(matches!(event.payload, EventPayload::Entity(e) if e.id == entity["id"]));
    let status = sandbox.webhook_status().unwrap();
    assert_eq!(status["delivered"], 1, "{status}");
    assert_eq!(status["failed"], 0, "{status}");
    assert_eq!(status["openbanking_urls"], json!([receiver.url()]));
    assert!(payouts.deliveries().is_empty());
}

#[test]
fn the_call_engine_gets_through_injected_faults_exactly_once() {
    let sandbox = start(&[
        "--fault-503",
        "0.25",
        "--fault-drop",
        "0.15",
        "--fault-seed",
        "7",
    ]);
    let agent = agent();
    let config = Config::new(environment(&sandbox)).with_retry(lean_core::RetryPolicy {
        max_retries: 20,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(10),
        max_retry_after: Duration::from_secs(1),
    });
    let auth = app_token();
    let mut ids = Vec::new();
    for n in 0..40 {
        let create = Operation::create_customer(&NewCustomer::new(format!("faulty-{n}"))).unwrap();
        match execute_openbanking(&agent, &config, &auth, create) {
            Ok(Outcome::Customer(c)) => ids.push(c.customer_id),
            other => panic!("customer {n}: {other:?}"),
        }
    }
    // Every customer exists once, with the id its create call returned.
    let mut listed = Vec::new();
    for page in 0.. {
        let list = Operation::list_customers(Paging {
            page_number: Some(page),
            page_size: Some(100),
        })
        .unwrap();
        match execute_openbanking(&agent, &config, &auth, list).unwrap() {
            Outcome::Customers(p) if p.customers.is_empty() => break,
            Outcome::Customers(p) => listed.extend(p.customers.into_iter().map(|c| c.customer_id)),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(listed, ids);
    // Faults did happen: single requests without the engine meet them.
    let get = Operation::get_customer(&ids[0])
        .unwrap()
        .request(config.environment(), &auth);
    let statuses: Vec<u16> = (0..30)
        .map(|_| send(&agent, &get).map(|r| r.status).unwrap_or(0))
        .collect();
    assert!(
        statuses.contains(&503) && statuses.contains(&200),
        "{statuses:?}"
    );
    let body = send(&agent, &get)
        .map(|r| r.body_text())
        .unwrap_or_default();
    assert!(
        body.is_empty() || body.contains("customer_id") || body.contains("SERVICE_UNAVAILABLE")
    );
}

#[test]
fn pending_results_and_webhooks_survive_a_restart() {
    let db = common::TempDb::new("ob-restart");
    let db_arg = db.path();
    let first = start(&["--db", db_arg, "--ob-results-delay", "300ms"]);
    let receiver = receiver(&first);
    let client = Client::new(&first, app_token());
    let customer_id = client.customer("durable");
    let entity = first.connect_bank(&customer_id).unwrap();
    let entity_id = entity["id"].as_str().unwrap();
    let results_id = match client.ok(&data(DataKind::Identity, entity_id, None, true)) {
        Outcome::Data(d) => d.results_id.unwrap(),
        other => panic!("{other:?}"),
    };
    first.kill();

    let second = start(&["--db", db_arg, "--ob-results-delay", "300ms"]);
    let client = Client::new(&second, app_token());
    assert!(
        results_ready(&receiver, &results_id),
        "results.ready was lost"
    );
    let identity = payload(client.ok(&Operation::get_data_results(&results_id).unwrap()));
    assert_eq!(identity["full_name"], "Jane Doe");
    match client.ok(&Operation::get_customer(&customer_id).unwrap()) {
        Outcome::Customer(c) => assert_eq!(c.app_user_id.as_deref(), Some("durable")),
        other => panic!("{other:?}"),
    }
}

/// Every operation Lean's current collections add, built and read by the
/// core against the emulation: the data v2 reads, refreshes, entities by
/// date, the intents list, transactions in a range with insights, the
/// vendor's destination body and a `FAILED` answer's granular code.
#[test]
fn current_operations_through_the_core() {
    use lean_core::openbanking::{DataPageRequest, DataRequest, DataResource, DateRange};

    let sandbox = start(&[]);
    let client = Client::new(&sandbox, app_token());
    let customer_id = client.customer("user-v2");
    let connected = sandbox.connect_bank(&customer_id).unwrap();
    let entity_id = connected["id"].as_str().unwrap().to_owned();
    let account_id = connected["accounts"][0]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();

    for resource in DataResource::ALL {
        let account = resource.needs_account().then_some(account_id.as_str());
        let paging = Paging {
            page_number: Some(0),
            page_size: Some(1),
        };
        let request = DataPageRequest::new(resource, &entity_id, account, paging).unwrap();
        match client.ok(&Operation::get_data_page(request)) {
            Outcome::DataPage(page) => {
                let records = page.data.as_array().expect("records");
                assert_eq!(records.len(), 1, "{resource:?}: {page:?}");
                assert_eq!(page.extra["page"]["size"], 1, "{resource:?}");
            }
            other => panic!("{resource:?}: {other:?}"),
        }
    }
    let failing = DataPageRequest::new(
        DataResource::Accounts,
        "entity-sandbox-fail",
        None,
        Paging::default(),
    )
    .unwrap();
    let error = client.call(&Operation::get_data_page(failing)).unwrap_err();
    assert_eq!(
        granular_status_code(&error).as_deref(),
        Some("SANDBOX_FAIL_TRIGGER")
    );
    assert_eq!(
        error.to_json()["granularStatusCode"],
        "SANDBOX_FAIL_TRIGGER"
    );

    let refresh_id = match client.ok(&Operation::create_data_refresh(&entity_id).unwrap()) {
        Outcome::DataRefresh(r) => {
            assert_eq!(r.entity_id, entity_id);
            r.refresh_id
        }
        other => panic!("{other:?}"),
    };
    match client.ok(&Operation::get_data_refresh(&refresh_id).unwrap()) {
        Outcome::DataRefresh(r) => assert_eq!(r.refresh_id, refresh_id),
        other => panic!("{other:?}"),
    }
    match client.ok(&Operation::list_data_refreshes(&entity_id, Paging::default()).unwrap()) {
        Outcome::DataRefreshes(list) => assert_eq!(list[0].refresh_id, refresh_id),
        other => panic!("{other:?}"),
    }

    let today = time::OffsetDateTime::now_utc().date();
    let day = |d: time::Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    let (from, to) = (
        day(today - time::Duration::days(1)),
        day(today + time::Duration::days(1)),
    );
    match client.ok(&Operation::list_entities_by_date(&from, &to, Paging::default()).unwrap()) {
        Outcome::Entities(list) => assert!(list.iter().any(|e| e.id == entity_id), "{list:?}"),
        other => panic!("{other:?}"),
    }

    let transactions =
        DataRequest::new(DataKind::Transactions, &entity_id, Some(&account_id), false)
            .unwrap()
            .with_transactions_query(
                DateRange::new(Some("2000-01-01"), Some("2099-12-31"), false).unwrap(),
                true,
            )
            .unwrap();
    let answer = payload(client.ok(&Operation::get_data(transactions)));
    assert!(
        answer["insights"]["transaction_count"].as_u64().unwrap() > 0,
        "{answer}"
    );

    let destination = NewDestination::from_json(&json!({
        "bank_type": "RETAIL",
        "government_identifier": {"type": "EMIRATES_ID", "value": "784-1990-1234567-1"},
        "name": "Acme LLC", "iban": "AE070331234567890123456", "display_name": "Acme",
        "address": "1 Main St", "city": "Dubai", "country": "ARE"
    }))
    .unwrap();
    let destination_id =
        match client.ok(&Operation::create_payment_destination(&destination).unwrap()) {
            Outcome::Destination(d) => {
                assert_eq!(d.bank_type.as_deref(), Some("RETAIL"));
                assert!(d.bank_identifier.is_none());
                d.id.unwrap()
            }
            other => panic!("{other:?}"),
        };
    let mut intent = NewPaymentIntent {
        customer_id: customer_id.clone(),
        amount: Amount::parse("10.50").unwrap(),
        currency: "AED".into(),
        ..Default::default()
    };
    intent.payment_destination_id = Some(destination_id);
    let intent_id = match client.ok(&Operation::create_payment_intent(&intent).unwrap()) {
        Outcome::PaymentIntent(i) => i.payment_intent_id,
        other => panic!("{other:?}"),
    };
    match client.ok(&Operation::list_payment_intents()) {
        Outcome::PaymentIntents(list) => {
            let listed = list
                .iter()
                .find(|i| i.payment_intent_id == intent_id)
                .unwrap();
            assert_eq!(listed.amount, Some(Amount::parse("10.50").unwrap()));
        }
        other => panic!("{other:?}"),
    }
}
