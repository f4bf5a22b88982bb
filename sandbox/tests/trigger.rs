//! `lean-sandbox trigger`, `POST /_sandbox/trigger`, and the outbox seen
//! through `events` and `resend`, over real HTTP with a local receiver.
//! Every triggered body is checked with the core's own verifiers.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use common::{binary, config, payable_customers, start, start_with_receiver, KEY};
use lean_core::openbanking::webhooks as ob;
use lean_core::{SignatureProblem, WebhookSecret};
use lean_sandbox::harness::{agent, Delivery, WebhookReceiver};
use lean_sandbox::settings::DEFAULT_OB_WEBHOOK_SECRET;
use lean_sandbox::trigger::{event_types, Product};
use serde_json::{json, Value};

/// Verifies a delivery as a handler would, with the core's verifier of
/// its product, and returns the event in the envelope's JSON shape.
fn verify(product: Product, delivery: &Delivery, secret: &str) -> Result<Value, lean_core::Error> {
    let secret = WebhookSecret::from(secret);
    match product {
        Product::Payouts => lean_core::webhooks::construct_event(
            &[secret],
            &delivery.body,
            delivery.header("x-lean-signature"),
        )
        .map(|e| e.to_json()),
        Product::Openbanking => {
            ob::construct_event(&[secret], &delivery.body, delivery.header("lean-signature"))
                .map(|e| e.to_json())
        }
    }
}

fn secret_of(product: Product) -> &'static str {
    match product {
        Product::Payouts => KEY,
        Product::Openbanking => DEFAULT_OB_WEBHOOK_SECRET,
    }
}

/// Runs `lean-sandbox trigger EVENT --to TARGET FLAGS`; returns its exit
/// code, stdout and stderr.
fn trigger(event: &str, target: &str, flags: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(binary())
        .args(["trigger", event, "--to", target])
        .args(flags)
        .env_remove("LEAN_SANDBOX_API_KEYS")
        .env_remove("LEAN_SANDBOX_WEBHOOK_SECRET")
        .env_remove("LEAN_SANDBOX_OB_WEBHOOK_SECRET")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn wait_for(receiver: &WebhookReceiver, n: usize) -> Vec<Delivery> {
    assert!(
        receiver.wait_until(Duration::from_secs(10), |d| d.len() >= n),
        "{} deliveries, expected {n}",
        receiver.deliveries().len()
    );
    receiver.deliveries()
}

#[test]
fn the_command_line_sends_every_event_type_verified_by_the_core() {
    let receiver = WebhookReceiver::start().unwrap();
    let types = event_types();
    assert_eq!(types.len(), 15);
    for (n, (event, product)) in types.iter().enumerate() {
        let (status, stdout, stderr) = trigger(event, receiver.url(), &["--api-key", KEY]);
        assert_eq!(status, Some(0), "{event}: {stderr}");
        assert!(stdout.contains("sent: 200 in "), "{stdout}");
        assert!(stdout.contains("delivered"), "{stdout}");
        let deliveries = wait_for(&receiver, n + 1);
        let verified = verify(*product, &deliveries[n], secret_of(*product))
            .unwrap_or_else(|e| panic!("{event}: {e}"));
        let name = match product {
            Product::Payouts => &verified["event"],
            Product::Openbanking => &verified["type"],
        };
        assert_eq!(name, event);
    }
}

#[test]
fn the_admin_route_signs_with_the_sandboxes_keys() {
    let sandbox = start(&[]);
    let receiver = WebhookReceiver::start().unwrap();
    for (n, (event, product)) in event_types().iter().enumerate() {
        let report = admin_trigger(
            sandbox.url(),
            &json!({ "event": event, "to": receiver.url() }),
        );
        assert_eq!(report["attempts"][0]["status"], 200, "{report}");
        assert_eq!(report["attempts"][0]["delivered"], true, "{report}");
        let deliveries = wait_for(&receiver, n + 1);
        assert_eq!(
            serde_json::from_slice::<Value>(&deliveries[n].body).unwrap(),
            report["body"]
        );
        verify(*product, &deliveries[n], secret_of(*product))
            .unwrap_or_else(|e| panic!("{event}: {e}"));
    }
    // Refusals name the field, and the admin guard applies.
    let refused = post(
        sandbox.url(),
        "/_sandbox/trigger",
        &[],
        &json!({"event": "gig.refunded", "to": receiver.url()}),
    );
    assert_eq!(refused.0, 400, "{}", refused.1);
    assert!(refused.1.contains("\"event\""), "{}", refused.1);
    let far = post(
        sandbox.url(),
        "/_sandbox/trigger",
        &[],
        &json!({"event": "gig.failed", "to": "http://example.com/"}),
    );
    assert_eq!(far.0, 400, "{}", far.1);
    let foreign = post(
        sandbox.url(),
        "/_sandbox/trigger",
        &[("origin", "https://evil.example")],
        &json!({"event": "gig.failed", "to": receiver.url()}),
    );
    assert_eq!(foreign.0, 403);
    let text = agent()
        .post(format!("{}/_sandbox/trigger", sandbox.url()))
        .header("content-type", "text/plain")
        .send(json!({"event": "gig.failed", "to": receiver.url()}).to_string())
        .unwrap();
    assert_eq!(text.status().as_u16(), 415);
    assert_eq!(receiver.deliveries().len(), event_types().len());
}

#[test]
fn replays_repeat_the_same_body_and_signature() {
    let receiver = WebhookReceiver::start().unwrap();
    let (status, stdout, _) = trigger("payment.updated", receiver.url(), &["--replay", "2"]);
    assert_eq!(status, Some(0));
    assert!(stdout.contains("replay 2: 200"), "{stdout}");
    let deliveries = wait_for(&receiver, 3);
    assert_eq!(deliveries.len(), 3);
    for d in &deliveries[1..] {
        assert_eq!(d.body, deliveries[0].body);
        assert_eq!(
            d.header("lean-signature"),
            deliveries[0].header("lean-signature")
        );
    }
    let event = verify(
        Product::Openbanking,
        &deliveries[2],
        DEFAULT_OB_WEBHOOK_SECRET,
    )
    .unwrap();
    assert!(event["event_id"].is_string(), "{event}");
}

#[test]
fn bad_and_missing_signatures_are_refused_by_the_verifier() {
    let receiver = WebhookReceiver::start().unwrap();
    for (event, flags) in [
        ("gig.completed", &["--api-key", KEY, "--bad-signature"][..]),
        ("entity.created", &["--unsigned"]),
        ("results.ready", &["--bad-signature"]),
    ] {
        let (status, _, stderr) = trigger(event, receiver.url(), flags);
        assert_eq!(status, Some(0), "{event}: {stderr}");
    }
    let deliveries = wait_for(&receiver, 3);
    let problem = |r: Result<Value, lean_core::Error>| match r {
        Err(lean_core::Error::WebhookSignature { problem, .. }) => problem,
        other => panic!("verified: {other:?}"),
    };
    assert!(deliveries[0].header("x-lean-signature").is_some());
    assert_eq!(
        problem(verify(Product::Payouts, &deliveries[0], KEY)),
        SignatureProblem::Mismatch
    );
    assert!(deliveries[1].header("lean-signature").is_none());
    assert_eq!(
        problem(verify(
            Product::Openbanking,
            &deliveries[1],
            DEFAULT_OB_WEBHOOK_SECRET
        )),
        SignatureProblem::MissingHeader
    );
    assert_eq!(
        problem(verify(
            Product::Openbanking,
            &deliveries[2],
            DEFAULT_OB_WEBHOOK_SECRET
        )),
        SignatureProblem::Mismatch
    );
    // Both at once is a usage error, before anything is sent.
    let (status, _, _) = trigger(
        "gig.failed",
        receiver.url(),
        &["--unsigned", "--bad-signature"],
    );
    assert_eq!(status, Some(2));
    assert_eq!(receiver.deliveries().len(), 3);
}

#[test]
fn secret_and_data_options() {
    let receiver = WebhookReceiver::start().unwrap();
    let (status, _, _) = trigger(
        "specialpayment.failed",
        receiver.url(),
        &[
            "--secret",
            "rotated_secret",
            "--data",
            r#"{"amount": "75.25", "description": null}"#,
        ],
    );
    assert_eq!(status, Some(0));
    let deliveries = wait_for(&receiver, 1);
    let event = verify(Product::Payouts, &deliveries[0], "rotated_secret").unwrap();
    assert_eq!(event["data"]["amount"], "75.25");
    assert!(event["data"].get("description").is_none(), "{event}");
    assert!(verify(Product::Payouts, &deliveries[0], KEY).is_err());
    // A payouts webhook without any key is refused with what to pass.
    let (status, _, stderr) = trigger("gig.failed", receiver.url(), &[]);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("--api-key"), "{stderr}");
    let (status, _, stderr) = trigger(
        "gig.failed",
        receiver.url(),
        &["--api-key", KEY, "--data", "[1]"],
    );
    assert_eq!(status, Some(2), "{stderr}");
}

/// Lean counts exactly 200 for open banking and any 2xx for payouts; a
/// redirect is never followed.
#[test]
fn delivered_means_what_lean_counts() {
    let receiver = WebhookReceiver::start().unwrap();
    receiver.refuse_next(1);
    let (status, stdout, _) = trigger("payment.created", receiver.url(), &["--replay", "1"]);
    assert_eq!(status, Some(0));
    assert!(stdout.contains("sent: 500 in "), "{stdout}");
    assert!(stdout.contains("not delivered"), "{stdout}");
    assert!(stdout.contains("replay 1: 200 in "), "{stdout}");

    let redirect = redirecting_server(receiver.url());
    let (status, stdout, _) = trigger("gig.completed", &redirect, &["--api-key", KEY, "--json"]);
    assert_eq!(status, Some(0));
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["attempts"][0]["status"], 302);
    assert_eq!(report["attempts"][0]["delivered"], false);
    assert!(report["attempts"][0]["error"]
        .as_str()
        .unwrap()
        .contains("never follows"));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(receiver.deliveries().len(), 1, "the redirect was followed");
}

#[test]
fn events_lists_the_outbox_and_resend_sends_again() {
    let (sandbox, receiver) = start_with_receiver(&[], 1);
    payable_customers(&agent(), &config(&sandbox), 0..1);
    wait_for(&receiver, 1);
    let listed = |json: bool| {
        let mut args = vec!["events", "--url", sandbox.url()];
        if json {
            args.push("--json");
        }
        let out = Command::new(binary()).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let mut events = Value::Null;
    for _ in 0..200 {
        events = serde_json::from_str(&listed(true)).unwrap();
        if events["events"][0]["state"] == "delivered" {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let delivery = &events["events"][0];
    assert_eq!(delivery["event"], "customer.active", "{events}");
    assert_eq!(delivery["url"], receiver.url());
    assert_eq!(delivery["attempts"], 2);
    assert_eq!(delivery["last_status"], 200);
    assert_eq!(delivery["state"], "delivered");
    assert!(delivery["next_retry_at"].is_null());
    let text = listed(false);
    assert!(text.contains("customer.active"), "{text}");
    assert!(
        text.contains("delivered, 2 attempts, last status 200"),
        "{text}"
    );

    let id = delivery["id"].to_string();
    let out = Command::new(binary())
        .args(["resend", &id, "--url", sandbox.url()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deliveries = wait_for(&receiver, 2);
    assert_eq!(deliveries[1].body, deliveries[0].body);
    let missing = Command::new(binary())
        .args(["resend", "999999", "--url", sandbox.url()])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("404"));
}

fn admin_trigger(url: &str, body: &Value) -> Value {
    let (status, text) = post(url, "/_sandbox/trigger", &[], body);
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn post(url: &str, path: &str, headers: &[(&str, &str)], body: &Value) -> (u16, String) {
    let mut request = agent()
        .post(format!("{url}{path}"))
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.send(body.to_string()).unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// A server that answers every request with a 302 to `target`.
fn redirecting_server(target: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let target = target.to_owned();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buffer = [0u8; 8192];
            let _ = stream.read(&mut buffer);
            let _ = write!(
                stream,
                "HTTP/1.1 302 Found\r\nlocation: {target}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    url
}
