//! What the sandbox emulates beyond the happy path, as Lean behaves: the
//! injected rate limit (429 with `Retry-After`, `RATE_LIMIT_EXCEEDED`),
//! payments executed against intents with their webhooks, the wait of a
//! synchronous data call on a slow bank, and the certificate and access
//! level refusals.

mod common;

use std::time::Duration;

use common::openbanking::{
    self as ob, api_status, app_token, data, payload, receiver, verifier, Client,
};
use common::{basic_auth, config, fast_retries};
use lean_core::openbanking::webhooks::SIGNATURE_HEADER;
use lean_core::openbanking::{
    Config as ObConfig, DataKind, ErrorCode, NewCustomer, NewPaymentIntent,
    Operation as ObOperation, Outcome as ObOutcome,
};
use lean_core::{Amount, Error, Operation};
use lean_sandbox::harness::{agent, execute, execute_openbanking, SandboxProcess, WebhookReceiver};
use lean_sandbox::settings::DEFAULT_APP_TOKEN;
use serde_json::{json, Value};

/// A `GET`, or a `POST` of `body`, with the payouts credential, answered as
/// (status, Retry-After, body).
fn call(sandbox: &SandboxProcess, path: &str, body: Option<Value>) -> (u16, Option<String>, Value) {
    let agent = agent();
    let url = format!("{}{path}", sandbox.url());
    let result = match body {
        None => agent.get(&url).header("authorization", basic_auth()).call(),
        Some(body) => agent
            .post(&url)
            .header("authorization", basic_auth())
            .header("content-type", "application/json")
            .send(body.to_string()),
    };
    let mut answer = result.expect("the sandbox answers");
    let retry_after = answer
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = answer.body_mut().read_to_vec().unwrap_or_default();
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (answer.status().as_u16(), retry_after, body)
}

fn rows(sandbox: &SandboxProcess, table: &str) -> i64 {
    call(sandbox, "/_sandbox/stats", None).2["rows"][table]
        .as_i64()
        .expect("a row count")
}

#[test]
fn every_nth_request_is_rate_limited_with_retry_after() {
    let sandbox = common::start(&["--fault-429-every", "2", "--fault-retry-after", "0"]);
    // Payouts: the second request is refused in the payouts shape.
    let gigs = |s: &SandboxProcess| call(s, "/api/gig", None);
    assert_eq!(gigs(&sandbox).0, 200);
    let (status, retry_after, body) = gigs(&sandbox);
    assert_eq!((status, retry_after.as_deref()), (429, Some("0")), "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("rate limit"),
        "{body}"
    );
    assert_eq!(gigs(&sandbox).0, 200);

    // Open banking: RATE_LIMIT_EXCEEDED, read by the core, nothing created.
    let client = Client::new(&sandbox, app_token());
    let create =
        |name: &str| client.call(&ObOperation::create_customer(&NewCustomer::new(name)).unwrap());
    let refused = create("first");
    let (status, code, error) = api_status(refused);
    assert_eq!((status, code), (429, Some(ErrorCode::RateLimitExceeded)));
    let Error::Api(api) = error else {
        unreachable!()
    };
    assert_eq!(api.retry_after, Some(Duration::ZERO));
    assert!(create("second").is_ok());
    assert_eq!(rows(&sandbox, "openbanking_customers"), 1);

    // The core's retry rides over it.
    let config = fast_retries(config(&sandbox), 2);
    for _ in 0..4 {
        execute(&agent(), &config, Operation::list_gigs()).expect("retried after the 429");
    }
    let status = call(&sandbox, "/_sandbox/rate-limit", None).2;
    assert!(status["refused"].as_u64().unwrap() >= 4, "{status}");

    // At runtime: off, then every request.
    let set = |body: Value| call(&sandbox, "/_sandbox/rate-limit", Some(body));
    assert_eq!(set(json!({"every": 0})).0, 200);
    assert!((0..5).all(|_| gigs(&sandbox).0 == 200));
    let (status, _, body) = set(json!({"every": 1, "retry_after": 7}));
    assert_eq!(
        (status, &body["every"], &body["counted"]),
        (200, &json!(1), &json!(0))
    );
    assert_eq!(gigs(&sandbox).1.as_deref(), Some("7"));
    assert_eq!(set(json!({"every": -1})).2["errors"][0]["field"], "every");
    assert_eq!(
        set(json!({"every": 1, "retry_after": 99999})).2["errors"][0]["field"],
        "retry_after"
    );
    // The token endpoint and the admin routes are never limited.
    assert_eq!(call(&sandbox, "/_sandbox/stats", None).0, 200);
}

/// A `GET` on an open-banking path with the application token: the status
/// and the body's text.
fn ob_get(sandbox: &SandboxProcess, path: &str) -> (u16, String) {
    let mut answer = agent()
        .get(format!("{}{path}", sandbox.url()))
        .header("lean-app-token", DEFAULT_APP_TOKEN)
        .call()
        .expect("the sandbox answers");
    let text = answer.body_mut().read_to_string().unwrap_or_default();
    (answer.status().as_u16(), text)
}

/// The verified open-banking webhooks of one type about `id`, as JSON.
fn payment_events(receiver: &WebhookReceiver, event: &str, id: &str) -> Vec<Value> {
    receiver
        .deliveries()
        .iter()
        .filter_map(|d| {
            let e = verifier()
                .construct_event(&d.body, d.header(SIGNATURE_HEADER))
                .ok()?;
            let body: Value = serde_json::from_slice(&d.body).ok()?;
            (e.event_type.as_str() == event && body["payload"]["id"] == id).then_some(body)
        })
        .collect()
}

#[test]
fn payments_are_executed_against_intents_with_webhooks() {
    let sandbox = common::start(&["--settlement-delay", "50ms"]);
    let receiver = receiver(&sandbox);
    let client = Client::new(&sandbox, app_token());
    let customer_id = client.customer("payer");
    let intent = |description: &str| {
        let new = NewPaymentIntent {
            customer_id: customer_id.clone(),
            amount: Amount::parse("100.50").unwrap(),
            currency: "AED".into(),
            description: Some(description.into()),
            payment_destination_id: None,
            purpose_code: None,
        };
        match client.ok(&ObOperation::create_payment_intent(&new).unwrap()) {
            ObOutcome::PaymentIntent(p) => p.payment_intent_id,
            other => panic!("{other:?}"),
        }
    };

    let paid = intent("Order 1");
    let payment = sandbox.pay_intent(&paid).unwrap();
    let id = payment["id"].as_str().unwrap().to_owned();
    assert_eq!(payment["status"], "PENDING_WITH_BANK", "{payment}");
    assert_eq!(payment["intent_id"], paid.as_str());
    assert_eq!(payment["customer_id"], customer_id.as_str());
    // An intent is paid once.
    let again = sandbox.pay_intent(&paid).unwrap_err();
    assert!(
        again.contains("400") && again.contains("paid already"),
        "{again}"
    );

    let settled = |d: &[lean_sandbox::harness::Delivery]| {
        d.iter()
            .any(|d| String::from_utf8_lossy(&d.body).contains("ACCEPTED_BY_BANK"))
    };
    assert!(
        receiver.wait_until(Duration::from_secs(10), settled),
        "payment.updated never came"
    );
    let created = payment_events(&receiver, "payment.created", &id);
    let updated = payment_events(&receiver, "payment.updated", &id);
    assert_eq!((created.len(), updated.len()), (1, 1));
    assert_eq!(created[0]["payload"]["status"], "PENDING_WITH_BANK");
    assert_eq!(updated[0]["payload"]["status"], "ACCEPTED_BY_BANK");
    // The amount is the intent's, as a JSON number with its exact text.
    let raw = receiver
        .deliveries()
        .iter()
        .map(|d| String::from_utf8_lossy(&d.body).into_owned())
        .find(|b| b.contains("payment.updated"))
        .unwrap();
    assert!(raw.contains("\"amount\":100.50"), "{raw}");

    let (status, body) = ob_get(&sandbox, &format!("/payments/v1/{id}"));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ACCEPTED_BY_BANK\""), "{body}");
    match client.ok(&ObOperation::get_payment_intent(&paid).unwrap()) {
        ObOutcome::PaymentIntent(p) => assert_eq!(p.payments.len(), 1, "{p:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(ob_get(&sandbox, "/payments/v1/no-such-payment").0, 404);

    // The failure trigger: the bank refuses, and the intent may be paid
    // again.
    let refused = intent("Order 2 sandbox-fail");
    let first = sandbox.pay_intent(&refused).unwrap();
    let first_id = first["id"].as_str().unwrap().to_owned();
    let failed = |d: &[lean_sandbox::harness::Delivery]| {
        d.iter().any(|d| {
            let text = String::from_utf8_lossy(&d.body);
            text.contains(&first_id) && text.contains("\"FAILED\"")
        })
    };
    assert!(
        receiver.wait_until(Duration::from_secs(10), failed),
        "no FAILED payment.updated"
    );
    let updated = payment_events(&receiver, "payment.updated", &first_id);
    assert!(updated[0]["payload"]["reason"]
        .as_str()
        .unwrap()
        .contains("sandbox-fail"));
    assert!(sandbox.pay_intent(&refused).is_ok());
    assert!(sandbox
        .pay_intent("no-such-intent")
        .unwrap_err()
        .contains("404"));
}

/// Connects a bank of `bank_identifier` for `customer_id`; the entity id.
fn connect(sandbox: &SandboxProcess, customer_id: &str, bank_identifier: &str) -> String {
    let mut answer = agent()
        .post(format!(
            "{}/_sandbox/openbanking/customers/{customer_id}/entities",
            sandbox.url()
        ))
        .header("content-type", "application/json")
        .send(json!({ "bank_identifier": bank_identifier }).to_string())
        .expect("the sandbox answers");
    let entity: Value = serde_json::from_slice(&answer.body_mut().read_to_vec().unwrap()).unwrap();
    entity["id"].as_str().expect("an entity id").to_owned()
}

#[test]
fn a_slow_bank_answers_a_synchronous_call_pending_after_the_wait() {
    // 50 s times 0.001: the call is held 50 ms.
    let sandbox = ob::start(&["--ob-webhook-time-factor", "0.001"]);
    let receiver = receiver(&sandbox);
    let client = Client::new(&sandbox, app_token());
    let customer_id = client.customer("slow");
    let slow = connect(&sandbox, &customer_id, "SANDBOX_SLOW");
    let quick = connect(&sandbox, &customer_id, "LEANMB1");

    // Through the core's call engine, as a host would call.
    let config = ObConfig::new(ob::environment(&sandbox));
    let results_id = match execute_openbanking(
        &agent(),
        &config,
        &app_token(),
        data(DataKind::Identity, &slow, None, false),
    ) {
        Ok(ObOutcome::Data(d)) => {
            assert_eq!(d.status.as_str(), "PENDING", "{d:?}");
            d.results_id.expect("a PENDING answer names its results")
        }
        other => panic!("{other:?}"),
    };
    // Another bank answers at once, as before.
    assert_eq!(
        payload(client.ok(&data(DataKind::Identity, &quick, None, false)))["full_name"],
        "Jane Doe"
    );

    let ready = |d: &[lean_sandbox::harness::Delivery]| {
        d.iter()
            .any(|d| String::from_utf8_lossy(&d.body).contains(&results_id))
    };
    assert!(
        receiver.wait_until(Duration::from_secs(10), ready),
        "results.ready never came"
    );
    let identity = payload(client.ok(&ObOperation::get_data_results(&results_id).unwrap()));
    assert_eq!(identity["full_name"], "Jane Doe");
}
