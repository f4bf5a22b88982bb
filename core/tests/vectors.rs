//! Runs every case of `tests/vectors/*.json` through lean-core's public API.
//! The format is documented in `tests/vectors/README.md`; each binding runs
//! the same files through its own API.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use lean_core::webhooks::{self, WebhookVerifier};
use lean_core::{
    parse_response, Call, Config, Environment, Error, HttpResponse, Operation, OperationKind,
    RetryPolicy, Step, WebhookSecret,
};
use serde_json::{json, Value};

mod engine_cases;

fn load(file: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let cases = doc["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{file}: no cases array"))
        .clone();
    let names: BTreeSet<&str> = cases
        .iter()
        .map(|c| c["name"].as_str().expect("every case has a name"))
        .collect();
    assert_eq!(
        names.len(),
        cases.len(),
        "{file}: case names must be unique"
    );
    cases
}

/// Runs `check` on every case of `file`, then fails once, naming every
/// failing case, so that one wrong case does not hide the others.
fn each_case(file: &str, check: impl Fn(&Value)) {
    let mut failed = Vec::new();
    for case in load(file) {
        let name = case["name"].as_str().unwrap_or_default().to_owned();
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&case))).is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "{file}: {} failing case(s): {failed:#?}",
        failed.len()
    );
}

fn config(case: &Value) -> Result<Config, Error> {
    let c = &case["config"];
    let environment = match c.get("environment").and_then(Value::as_str) {
        Some(name) => Environment::parse(name)?,
        None => Environment::Sandbox,
    };
    let mut config = Config::new(
        c.get("apiKey")
            .and_then(Value::as_str)
            .unwrap_or("test_key_123"),
        environment,
    )?;
    if let Some(url) = c.get("baseUrl").and_then(Value::as_str) {
        config = config.with_base_url(url)?;
    }
    let mut retry = RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    };
    if let Some(n) = c.get("maxRetries").and_then(Value::as_u64) {
        retry.max_retries = n as u32;
    }
    Ok(config.with_retry(retry))
}

/// Checks an error against the keys an expected error gives.
fn check_error(name: &str, error: &Error, expected: &Value) {
    let actual = error.to_json();
    assert_eq!(actual["code"], expected["code"], "{name}: code ({error})");
    for key in [
        "status",
        "message",
        "requestId",
        "retryAfterMs",
        "outcomeUnknown",
        "idempotencyKey",
        "sentIds",
        "applied",
        "location",
    ] {
        if let Some(want) = expected.get(key) {
            let got = if key == "message" {
                &actual["apiMessage"]
            } else {
                &actual[key]
            };
            assert_eq!(got, want, "{name}: {key} ({error})");
        }
    }
    if let Some(want) = expected.get("fieldErrors") {
        let pairs = |v: &Value| -> BTreeSet<(String, String)> {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_owned(),
                        e["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        };
        assert_eq!(
            pairs(&actual["fieldErrors"]),
            pairs(want),
            "{name}: field errors ({error})"
        );
        for e in actual["fieldErrors"].as_array().into_iter().flatten() {
            assert!(
                !e["message"].as_str().unwrap_or("").is_empty(),
                "{name}: every field error has a message"
            );
        }
    }
}

fn run_operation_case(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let expect = &case["expect"];
    let built = config(case).and_then(|config| {
        let operation = Operation::from_json(&case["call"]);
        let text = case["call"].to_string();
        let from_text = Operation::from_json_text(&text).expect("JSON");
        assert_eq!(from_text, operation, "{name}: read from its text");
        let operation = operation?;
        let mut call = Call::new(&config, operation, [5; 32])?;
        match call.poll() {
            Step::Send(request) => Ok(request),
            other => panic!("{name}: expected a request, got {other:?}"),
        }
    });
    match (built, expect.get("request"), expect.get("error")) {
        (Ok(request), Some(want), None) => {
            assert_eq!(request.method.as_str(), want["method"], "{name}: method");
            assert_eq!(request.url, want["url"], "{name}: url");
            for (header, value) in want["headers"].as_object().into_iter().flatten() {
                assert_eq!(
                    request.header(header),
                    value.as_str(),
                    "{name}: header {header}"
                );
            }
            assert!(
                request
                    .header("user-agent")
                    .unwrap_or("")
                    .starts_with("lean-sdk/"),
                "{name}: user-agent"
            );
            let body: Value = request
                .body
                .as_deref()
                .map(|b| serde_json::from_str(b).unwrap())
                .unwrap_or(Value::Null);
            assert_eq!(body, want["body"], "{name}: body");
            if want.get("generatedIdempotencyKey") == Some(&json!(true)) {
                let key = request
                    .header("idempotency-key")
                    .unwrap_or_else(|| panic!("{name}: no idempotency key"));
                assert!(is_uuid_v4(key), "{name}: {key} is not a UUID v4");
            }
        }
        (Err(error), None, Some(want)) => check_error(name, &error, want),
        (result, _, _) => panic!("{name}: expected {expect}, got {result:?}"),
    }
}

fn is_uuid_v4(key: &str) -> bool {
    let b = key.as_bytes();
    key.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b[14] == b'4'
        && b"89ab".contains(&b[19])
        && key
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
}

fn response(spec: &Value) -> HttpResponse {
    let headers = spec["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    let body = match (spec.get("bodyText"), spec.get("body")) {
        (Some(text), _) => text.as_str().unwrap_or_default().as_bytes().to_vec(),
        (None, Some(body)) => serde_json::to_vec(body).unwrap(),
        (None, None) => Vec::new(),
    };
    HttpResponse::new(spec["status"].as_u64().unwrap() as u16, headers, body)
}

fn check_result(name: &str, result: Result<lean_core::Outcome, Error>, expect: &Value) {
    match (result, expect.get("value"), expect.get("error")) {
        (Ok(outcome), Some(want), None) => assert_eq!(&outcome.to_json(), want, "{name}: value"),
        (Err(error), None, Some(want)) => check_error(name, &error, want),
        (result, _, _) => panic!("{name}: expected {expect}, got {result:?}"),
    }
}

#[test]
fn requests() {
    each_case("requests.json", run_operation_case);
}

#[test]
fn validation() {
    each_case("validation.json", |case| {
        assert!(
            case["expect"].get("error").is_some(),
            "{}: validation cases expect errors",
            case["name"]
        );
        run_operation_case(case);
    });
}

#[test]
fn responses() {
    each_case("responses.json", |case| {
        let name = case["name"].as_str().unwrap();
        let kind =
            OperationKind::from_name(case["operation"].as_str().unwrap()).expect("known operation");
        let result = parse_response(kind, &response(&case["response"]));
        check_result(name, result, &case["expect"]);
    });
}

fn payload(spec: &Value) -> Vec<u8> {
    match spec {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Object(o) if o.contains_key("base64") => base64::engine::general_purpose::STANDARD
            .decode(o["base64"].as_str().unwrap())
            .unwrap(),
        Value::Object(o) => o["repeat"]
            .as_str()
            .unwrap()
            .repeat(o["times"].as_u64().unwrap() as usize)
            .into_bytes(),
        other => panic!("bad payload {other}"),
    }
}

#[test]
fn webhooks() {
    each_case("webhooks.json", |case| {
        let name = case["name"].as_str().unwrap();
        let secrets: Vec<WebhookSecret> = case["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| WebhookSecret::from(s.as_str().unwrap()))
            .collect();
        let body = payload(&case["payload"]);
        let signature = case.get("signature").and_then(Value::as_str);
        let expect = &case["expect"];
        match case["action"].as_str().unwrap() {
            "sign" => assert_eq!(
                webhooks::sign(&secrets[0], &body),
                expect["signature"],
                "{name}"
            ),
            "verify" => match (
                WebhookVerifier::new(&secrets).and_then(|v| v.verify(&body, signature)),
                expect.get("error"),
            ) {
                (Ok(()), None) => assert_eq!(expect["valid"], true, "{name}"),
                (Err(e), Some(want)) => check_error(name, &e, want),
                (result, _) => panic!("{name}: expected {expect}, got {result:?}"),
            },
            "constructEvent" => {
                let result = WebhookVerifier::new(&secrets)
                    .and_then(|v| v.construct_event(&body, signature));
                match (result, expect.get("event"), expect.get("error")) {
                    (Ok(event), Some(want), None) => assert_eq!(&event.to_json(), want, "{name}"),
                    (Err(e), None, Some(want)) => check_error(name, &e, want),
                    (result, _, _) => panic!("{name}: expected {expect}, got {result:?}"),
                }
            }
            other => panic!("{name}: unknown action {other}"),
        }
    });
}

#[test]
fn engine() {
    each_case("engine.json", |case| {
        let name = case["name"].as_str().unwrap();
        let config = config(case).unwrap();
        let operation = Operation::from_json(&case["call"]).unwrap();
        let mut call = Call::new(&config, operation, [3; 32]).unwrap();
        // This runner reports elapsed times; the open-banking one does not.
        let run = engine_cases::drive(name, case, &mut call, response, true);
        if let Some(want) = case.get("waitsMs") {
            assert_eq!(&json!(run.waits), want, "{name}: waits");
        }
        engine_cases::check_trace(name, case, &run, true);
        check_result(name, run.result, &case["expect"]);
    });
}

#[test]
fn configs() {
    each_case("config.json", |case| {
        let name = case["name"].as_str().unwrap();
        match (config(case), case["expect"].get("error")) {
            (Ok(_), None) => assert_eq!(case["expect"]["ok"], true, "{name}"),
            (Err(e), Some(want)) => check_error(name, &e, want),
            (result, _) => panic!("{name}: expected {}, got {result:?}", case["expect"]),
        }
    });
}

/// The JSON files are written by `generate.py`; they must be what it writes
/// now, so that the script and the cases never drift apart.
#[test]
fn vectors_match_their_generator() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let output = std::process::Command::new("python3")
        .arg(dir.join("generate.py"))
        .arg("--check")
        .output()
        .expect("python3 is needed to check tests/vectors against generate.py");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
