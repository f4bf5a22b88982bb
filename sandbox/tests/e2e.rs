//! The partner flow and every rule of the API, through the core's call
//! engine over real HTTP against the sandbox binary.

mod common;

use std::time::Duration;

use common::*;
use lean_core::webhooks::{EventData, EventType, WebhookVerifier, SIGNATURE_HEADER};
use lean_core::{
    ApiErrorKind, ApplicationStatus, CustomerStatus, CustomerUpdate, Error, NewGig,
    NewSpecialPayment, Operation, Outcome, PaymentStatus, WebhookSecret,
};
use lean_sandbox::harness::{agent, execute, Delivery};
use serde_json::{json, Value};

fn gig(n: usize, customer: usize, description: &str) -> NewGig {
    NewGig {
        tips: "3.00".into(),
        expenses: "2.00".into(),
        ..new_gig(customer, &format!("gig_{n}"), "15.00", description)
    }
}

fn bonus(customer: usize, gig_id: Option<&str>) -> NewSpecialPayment {
    NewSpecialPayment {
        partner_user_id: format!("uid_{customer}"),
        amount: "4.56".into(),
        payment_type: "bonus".into(),
        gig_id: gig_id.map(str::to_owned),
        description: Some("Weekend bonus".into()),
        userdata: Some(json!({"receiptId": "r_1"})),
    }
}

fn api_error(result: Result<Outcome, Error>) -> lean_core::ApiError {
    match result {
        Err(Error::Api(e)) => *e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn fields(e: &lean_core::ApiError) -> Vec<&str> {
    let mut f: Vec<&str> = e.field_errors.iter().map(|f| f.field.as_str()).collect();
    f.sort();
    f
}

fn events(deliveries: &[Delivery]) -> Vec<(String, Value)> {
    deliveries
        .iter()
        .map(|d| {
            let v: Value = serde_json::from_slice(&d.body).unwrap();
            (v["event"].as_str().unwrap().to_owned(), v["data"].clone())
        })
        .collect()
}

fn has_event(deliveries: &[Delivery], event: &str, key: &str, id: &str) -> bool {
    events(deliveries)
        .iter()
        .any(|(e, data)| e == event && data[key] == id)
}

#[test]
fn partner_flow_with_signed_webhooks() {
    let (sandbox, receiver) = start_with_receiver(&[], 0);
    let agent = agent();
    let config = config(&sandbox);

    let created = execute(
        &agent,
        &config,
        Operation::create_customer(&new_customer(1)).unwrap(),
    )
    .unwrap();
    let Outcome::Customer(customer) = created else {
        panic!()
    };
    assert_eq!(customer.status, Some(CustomerStatus::Pending));
    assert!(customer.created_at.is_some());

    // A PENDING customer cannot be paid.
    let e = api_error(execute(
        &agent,
        &config,
        Operation::create_gig(&gig(1, 1, "x")).unwrap(),
    ));
    assert_eq!(e.status, 400);
    assert_eq!(fields(&e), ["partnerUserId"]);
    assert!(e.message.contains("ACTIVE"), "{}", e.message);

    // The status of the application, as submitting it answers.
    let submit = || {
        let operation = Operation::submit_application("uid_1").unwrap();
        match execute(&agent, &config, operation).unwrap() {
            Outcome::Application(application) => application.status,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(submit(), Some(ApplicationStatus::Submitted));

    assert!(receiver.wait_until(Duration::from_secs(10), |d| has_event(
        d,
        "customer.active",
        "partnerUserId",
        "uid_1"
    )));
    let verifier = WebhookVerifier::new([&WebhookSecret::from(KEY)]).unwrap();
    for d in receiver.deliveries() {
        let event = verifier
            .construct_event(&d.body, d.header(SIGNATURE_HEADER))
            .expect("signed with the API key");
        assert_eq!(event.event, EventType::CustomerActive);
        let EventData::Customer(c) = event.data else {
            panic!()
        };
        assert_eq!(c.status, Some(CustomerStatus::Active));
    }
    // Submitting again reports the approval.
    assert_eq!(submit(), Some(ApplicationStatus::Approved));

    let Outcome::Gig(paid) = execute(
        &agent,
        &config,
        Operation::create_gig(&gig(1, 1, "SFO to Market St")).unwrap(),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(paid.status, Some(PaymentStatus::Pending));
    assert_eq!(paid.total_amount.unwrap().to_string(), "15.00");
    let Outcome::SpecialPayment(sp) = execute(
        &agent,
        &config,
        Operation::create_special_payment(&bonus(1, Some("gig_1")), None).unwrap(),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(sp.gig_id.as_deref(), Some("gig_1"));
    assert_eq!(sp.userdata, Some(json!({"receiptId": "r_1"})));

    assert!(receiver.wait_until(Duration::from_secs(10), |d| {
        has_event(d, "gig.completed", "gigId", "gig_1")
            && has_event(d, "specialpayment.completed", "id", &sp.id)
    }));
    for d in receiver.deliveries() {
        verifier
            .verify(&d.body, d.header(SIGNATURE_HEADER))
            .unwrap();
    }
    let Outcome::Gig(settled) =
        execute(&agent, &config, Operation::get_gig("gig_1").unwrap()).unwrap()
    else {
        panic!()
    };
    assert_eq!(settled.status, Some(PaymentStatus::Success));
    let Outcome::Gigs(gigs) = execute(&agent, &config, Operation::list_gigs()).unwrap() else {
        panic!()
    };
    assert_eq!(gigs.len(), 1);
    let Outcome::SpecialPayments(sps) =
        execute(&agent, &config, Operation::list_special_payments()).unwrap()
    else {
        panic!()
    };
    assert_eq!(sps.len(), 1);
    assert_eq!(sps[0].status, Some(PaymentStatus::Success));
}

#[test]
fn rules_of_the_api() {
    let sandbox = start(&[]);
    let agent = agent();
    let config = config(&sandbox);
    payable_customers(&agent, &config, 1..3);

    // Creating the same customer again is reconciled by the engine to the
    // existing record; another person with the same phone and email is not.
    assert!(execute(
        &agent,
        &config,
        Operation::create_customer(&new_customer(1)).unwrap()
    )
    .is_ok());
    let mut twin = new_customer(1);
    twin.partner_user_id = "uid_twin".into();
    let e = api_error(execute(
        &agent,
        &config,
        Operation::create_customer(&twin).unwrap(),
    ));
    assert_eq!(fields(&e), ["email", "phoneNumber"]);

    // gigId is unique: the same gig again is the same payout (reconciled),
    // a different one under the same id is a conflict.
    execute(
        &agent,
        &config,
        Operation::create_gig(&gig(7, 1, "first")).unwrap(),
    )
    .unwrap();
    assert!(execute(
        &agent,
        &config,
        Operation::create_gig(&gig(7, 1, "first")).unwrap()
    )
    .is_ok());
    let other = execute(
        &agent,
        &config,
        Operation::create_gig(&gig(7, 1, "other")).unwrap(),
    );
    assert_eq!(other.unwrap_err().code(), "conflict");

    // Special payments link existing gigs of the same customer only.
    let e = api_error(execute(
        &agent,
        &config,
        Operation::create_special_payment(&bonus(1, Some("gig_none")), None).unwrap(),
    ));
    assert_eq!(fields(&e), ["gigId"]);
    let e = api_error(execute(
        &agent,
        &config,
        Operation::create_special_payment(&bonus(2, Some("gig_7")), None).unwrap(),
    ));
    assert_eq!(fields(&e), ["gigId"]);

    // Idempotency-Key replays the first answer.
    let op = Operation::create_special_payment(&bonus(1, None), Some("payout-42")).unwrap();
    let Outcome::SpecialPayment(first) = execute(&agent, &config, op.clone()).unwrap() else {
        panic!()
    };
    let Outcome::SpecialPayment(second) = execute(&agent, &config, op).unwrap() else {
        panic!()
    };
    assert_eq!(first.id, second.id);
    let Outcome::SpecialPayments(all) =
        execute(&agent, &config, Operation::list_special_payments()).unwrap()
    else {
        panic!()
    };
    assert_eq!(all.len(), 1);
    // The same key with another body: the original result, as the
    // reference states, and no second payment.
    let mut changed = bonus(1, None);
    changed.amount = "5.00".into();
    let Outcome::SpecialPayment(third) = execute(
        &agent,
        &config,
        Operation::create_special_payment(&changed, Some("payout-42")).unwrap(),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!((third.id, third.amount), (first.id, first.amount));

    // Unknown records are 404; a wrong key is 401.
    let e = api_error(execute(
        &agent,
        &config,
        Operation::get_gig("gig_nope").unwrap(),
    ));
    assert_eq!(e.kind, ApiErrorKind::NotFound);
    let e = api_error(execute(
        &agent,
        &config,
        Operation::get_special_payment("sp_nope").unwrap(),
    ));
    assert_eq!(e.status, 404);
    let wrong = lean_core::Config::new("sk_wrong", lean_core::Environment::Sandbox)
        .unwrap()
        .with_base_url(&sandbox.base_url())
        .unwrap();
    let e = api_error(execute(&agent, &wrong, Operation::list_gigs()));
    assert_eq!(e.kind, ApiErrorKind::Unauthorized);

    // Updates apply only while PENDING.
    execute(
        &agent,
        &config,
        Operation::create_customer(&new_customer(9)).unwrap(),
    )
    .unwrap();
    let update = CustomerUpdate {
        city: Some("Oakland".into()),
        ..CustomerUpdate::default()
    };
    let Outcome::Customer(updated) = execute(
        &agent,
        &config,
        Operation::update_customer("uid_9", &update).unwrap(),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(updated.city.as_deref(), Some("Oakland"));
    // An update may keep the customer's own phone number, not take another
    // customer's phone number or email.
    let own = CustomerUpdate {
        phone_number: Some(new_customer(9).phone_number),
        ..CustomerUpdate::default()
    };
    let kept = execute(
        &agent,
        &config,
        Operation::update_customer("uid_9", &own).unwrap(),
    );
    assert!(kept.is_ok(), "{kept:?}");
    let taken = CustomerUpdate {
        phone_number: Some(new_customer(1).phone_number),
        email: Some(new_customer(1).email),
        ..CustomerUpdate::default()
    };
    let e = api_error(execute(
        &agent,
        &config,
        Operation::update_customer("uid_9", &taken).unwrap(),
    ));
    assert_eq!(fields(&e), ["email", "phoneNumber"]);
    let e = api_error(execute(
        &agent,
        &config,
        Operation::update_customer("uid_1", &update).unwrap(),
    ));
    assert_eq!(e.status, 400);
}

/// The server validates with the core's own rules: a raw body the SDK would
/// refuse gets the same field errors from the server.
#[test]
fn server_validation_is_the_core_validation() {
    let sandbox = start(&[]);
    let body = json!({"partnerUserId": "uid_1", "totalAmount": "1.001", "tips": 3, "expenses": "-1",
                      "description": "", "gigId": "g", "startTime": "yesterday", "endTime": "2021-03-01T21:31:05Z",
                      "bogus": true});
    let local = lean_core::NewGig::from_json(&body).unwrap_err();
    let mut response = agent()
        .post(format!("{}/gig", sandbox.base_url()))
        .header("authorization", format!("Basic {}", base64_key()))
        .send(body.to_string().as_bytes())
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let answer: Value =
        serde_json::from_slice(&response.body_mut().read_to_vec().unwrap()).unwrap();
    let remote: Vec<(String, String)> = answer["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = local
        .errors
        .iter()
        .map(|e| (e.field.clone(), e.code.as_str().to_owned()))
        .collect();
    assert_eq!(remote, expected);
    assert!(!expected.is_empty());
}

fn base64_key() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:"))
}

#[test]
fn failure_trigger_deactivation_and_webhook_retries() {
    let (sandbox, receiver) = start_with_receiver(&[], 0);
    let agent = agent();
    let config = config(&sandbox);
    payable_customers(&agent, &config, 1..2);
    receiver.wait_until(Duration::from_secs(5), |d| !d.is_empty());

    // The receiver refuses twice: the same delivery comes a third time.
    receiver.refuse_next(2);
    execute(
        &agent,
        &config,
        Operation::create_gig(&gig(1, 1, "Payout sandbox:fail")).unwrap(),
    )
    .unwrap();
    let mut sp = bonus(1, None);
    sp.description = Some("SANDBOX:FAIL please".into());
    let Outcome::SpecialPayment(sp) = execute(
        &agent,
        &config,
        Operation::create_special_payment(&sp, None).unwrap(),
    )
    .unwrap() else {
        panic!()
    };
    assert!(receiver.wait_until(Duration::from_secs(10), |d| {
        has_event(d, "gig.failed", "gigId", "gig_1")
            && has_event(d, "specialpayment.failed", "id", &sp.id)
    }));
    let Outcome::Gig(failed) =
        execute(&agent, &config, Operation::get_gig("gig_1").unwrap()).unwrap()
    else {
        panic!()
    };
    assert_eq!(failed.status, Some(PaymentStatus::Failed));
    let status = sandbox.webhook_status().unwrap();
    assert_eq!(status["failed"], 0);

    let response = agent
        .post(format!(
            "{}/_sandbox/customers/uid_1/deactivate",
            sandbox.url()
        ))
        .send(&b""[..])
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(receiver.wait_until(Duration::from_secs(10), |d| has_event(
        d,
        "customer.inactive",
        "partnerUserId",
        "uid_1"
    )));
    let e = api_error(execute(
        &agent,
        &config,
        Operation::create_gig(&gig(2, 1, "x")).unwrap(),
    ));
    assert!(e.message.contains("INACTIVE"), "{}", e.message);
}

#[test]
fn openapi_document_is_served() {
    let sandbox = start(&[]);
    let mut response = agent()
        .get(format!("{}/openapi.json", sandbox.url()))
        .call()
        .unwrap();
    let served: Value =
        serde_json::from_slice(&response.body_mut().read_to_vec().unwrap()).unwrap();
    let kept: Value = serde_json::from_str(include_str!("../openapi.json")).unwrap();
    assert_eq!(served, kept);
    assert_eq!(served["openapi"], "3.1.0");
    for path in [
        "/api/customer",
        "/api/customer/{partnerUserId}",
        "/api/application",
        "/api/gig",
        "/api/gig/{gigId}",
        "/api/specialpayment",
        "/api/specialpayment/{id}",
        "/oauth2/token",
        "/customers/v1",
        "/customers/v1/{customer_id}",
        "/customers/v1/app-user-id/{app_user_id}",
        "/customers/v1/{customer_id}/entities",
        "/customers/v1/{customer_id}/entities/{entity_id}",
        "/data/v1/{kind}",
        "/data/v1/results/{results_id}",
        "/data/v2/results/{results_id}",
        "/payments/v1/intents",
        "/payments/v1/intents/{payment_intent_id}",
        "/payments/v1/destinations",
        "/payments/v1/{payment_id}",
        "/banks/v1/",
    ] {
        assert!(served["paths"][path].is_object(), "{path} missing");
    }
    let schemes = &served["components"]["securitySchemes"];
    assert_eq!(schemes["basicAuth"]["scheme"], "basic");
    assert_eq!(schemes["bearerAuth"]["scheme"], "bearer");
    assert_eq!(schemes["appToken"]["name"], "lean-app-token");
}

#[test]
fn start_up_contract() {
    let sandbox = start(&[]);
    assert!(sandbox.url().starts_with("http://127.0.0.1:"));
    // Without a key it refuses to start, says why on stderr, and prints
    // nothing on stdout (a harness reading the first line sees EOF).
    let refused = std::process::Command::new(binary())
        .args(["serve", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no API key"));
}

/// An empty variable counts as unset; a set one is read.
#[test]
fn environment_variables_configure_serve() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(binary())
        .arg("serve")
        .env("LEAN_SANDBOX_API_KEYS", KEY)
        .env("LEAN_SANDBOX_PORT", "")
        .env("LEAN_SANDBOX_DB", "")
        .env("LEAN_SANDBOX_APPROVAL_DELAY", "")
        .env("LEAN_SANDBOX_QUIET", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(
        first.starts_with("listening on http://127.0.0.1:"),
        "{first:?}"
    );
    let url = first.trim().strip_prefix("listening on ").unwrap();
    let answer = agent()
        .get(format!("{url}/api/gig"))
        .header("authorization", format!("Basic {}", base64_key()))
        .call()
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    child.kill().unwrap();
    let mut logs = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut logs).unwrap();
    child.wait().unwrap();
    assert!(logs.is_empty(), "LEAN_SANDBOX_QUIET=1 still logged: {logs}");
}

#[test]
fn webhooks_give_up_after_five_retries() {
    let (sandbox, receiver) = start_with_receiver(&[], 100);
    let agent = agent();
    let config = config(&sandbox);
    apply(&agent, &config, 1);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut status = sandbox.webhook_status().unwrap();
    while status["failed"] != 1 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        status = sandbox.webhook_status().unwrap();
    }
    assert_eq!(status["failed"], 1, "{status}");
    assert_eq!(status["delivered"], 0, "{status}");
    assert!(receiver.deliveries().is_empty());
}

#[test]
fn injected_faults_hit_the_api_only() {
    let sandbox = start(&["--fault-503", "1"]);
    let config = fast_retries(config(&sandbox), 1);
    let e = api_error(execute(&agent(), &config, Operation::list_gigs()));
    assert_eq!(e.status, 503);
    assert!(sandbox.webhook_status().is_ok());
}

/// One line per request on stderr, and never the API key.
#[test]
fn log_lines_name_requests_never_keys() {
    let (child, url) = spawn_serve(&["--port", "0", "--api-key", KEY], &[]);
    let agent = agent();
    let config = lean_core::Config::new(KEY, lean_core::Environment::Sandbox)
        .unwrap()
        .with_base_url(&format!("{url}/api"))
        .unwrap();
    execute(&agent, &config, Operation::list_gigs()).unwrap();
    let _ = execute(&agent, &config, Operation::get_gig("gig_x").unwrap());
    let logs = stop_and_read_logs(child);
    let lines: Vec<&str> = logs.lines().collect();
    assert_eq!(lines.len(), 2, "{logs}");
    assert!(
        lines[0].contains("request_id=req_1 method=GET path=/api/gig status=200 latency_ms="),
        "{logs}"
    );
    assert!(
        lines[1].contains("method=GET path=/api/gig/gig_x status=404"),
        "{logs}"
    );
    assert!(!logs.contains(KEY), "{logs}");
}

/// With `--log-format json` (here through its variable), one JSON object
/// per request, with the same fields.
#[test]
fn log_lines_as_json() {
    let (child, url) = spawn_serve(
        &["--port", "0", "--api-key", KEY],
        &[("LEAN_SANDBOX_LOG_FORMAT", "json")],
    );
    let answer = agent().get(format!("{url}/api/gig/gig_y")).call().unwrap();
    assert_eq!(answer.status().as_u16(), 401);
    let logs = stop_and_read_logs(child);
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 1, "{logs}");
    let line = &lines[0];
    assert_eq!(line["request_id"], "req_1", "{line}");
    assert_eq!(line["method"], "GET", "{line}");
    assert_eq!(line["path"], "/api/gig/gig_y", "{line}");
    assert_eq!(line["status"], 401, "{line}");
    assert!(line["latency_ms"].is_number(), "{line}");
    assert!(line["timestamp"].is_string(), "{line}");
}

/// With the same seed and one client sending requests in turn, the same
/// faults happen on the same requests.
#[test]
fn faults_repeat_with_the_same_seed() {
    let statuses = |seed: &str| -> Vec<u16> {
        let sandbox = start(&["--fault-503", "0.5", "--fault-seed", seed]);
        let agent = agent();
        (0..40)
            .map(|_| {
                agent
                    .get(format!("{}/gig", sandbox.base_url()))
                    .header("authorization", format!("Basic {}", base64_key()))
                    .call()
                    .unwrap()
                    .status()
                    .as_u16()
            })
            .collect()
    };
    let first = statuses("42");
    assert_eq!(first, statuses("42"));
    assert_ne!(first, statuses("43"));
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");
}

/// A dropped answer hides a committed write: after a restart without
/// faults, the gig is there.
#[test]
fn a_dropped_answer_was_committed() {
    let db = TempDb::new("drop");
    let db = db.path();
    let agent = agent();
    {
        let sandbox = start(&["--db", db]);
        let config = config(&sandbox);
        payable_customers(&agent, &config, 1..2);
    }
    let sandbox = start(&["--db", db, "--fault-drop", "1"]);
    let faulty = fast_retries(config(&sandbox), 0);
    let result = execute(
        &agent,
        &faulty,
        Operation::create_gig(&gig(1, 1, "dropped")).unwrap(),
    );
    match result {
        Err(Error::Transport {
            outcome_unknown, ..
        }) => assert!(outcome_unknown),
        other => panic!("expected a transport error, got {other:?}"),
    }
    drop(sandbox);
    let sandbox = start(&["--db", db]);
    let Outcome::Gig(found) = execute(
        &agent,
        &config(&sandbox),
        Operation::get_gig("gig_1").unwrap(),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(found.description.as_deref(), Some("dropped"));
}
