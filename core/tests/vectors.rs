//! Runs every case of `tests/vectors/*.json` through lean-core's public API.
//! The format is documented in `tests/vectors/README.md`; each binding runs
//! the same files through its own API.

use std::time::Duration;

use lean_core::webhooks;
use lean_core::{
    parse_response, Call, Config, Environment, Error, Operation, OperationKind, RetryPolicy, Step,
    WebhookSecret,
};
use serde_json::{json, Value};

mod engine_cases;
mod vector_cases;

use vector_cases::{
    check_error, check_generator, check_outcome, check_request, each_case, response, WebhookApi,
};

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

fn run_operation_case(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let expect = &case["expect"];
    let built = config(case).and_then(|config| {
        let operation = Operation::from_json(&case["call"]);
        let operation = operation?;
        let mut call = Call::new(&config, operation, [5; 32])?;
        match call.poll() {
            Step::Send(request) => Ok(request),
            other => panic!("{name}: expected a request, got {other:?}"),
        }
    });
    match (built, expect.get("request"), expect.get("error")) {
        (Ok(request), Some(want), None) => check_request(want, &request),
        (Err(error), None, Some(want)) => check_error(want, &error),
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
        let kind =
            OperationKind::from_name(case["operation"].as_str().unwrap()).expect("known operation");
        let outcome = parse_response(kind, &response(&case["response"]));
        check_outcome(outcome.map(|o| o.to_json()), &case["expect"], "value");
    });
}

#[test]
fn webhooks() {
    let api = WebhookApi {
        sign: webhooks::sign,
        verify: webhooks::verify,
        construct_event: |secrets: &[WebhookSecret], body: &[u8], signature: Option<&str>| {
            Ok(webhooks::construct_event(secrets, body, signature)?.to_json())
        },
    };
    each_case("webhooks.json", |case| api.run(case));
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
        check_outcome(run.result.map(|o| o.to_json()), &case["expect"], "value");
    });
}

#[test]
fn configs() {
    each_case("config.json", |case| {
        let name = case["name"].as_str().unwrap();
        match (config(case), case["expect"].get("error")) {
            (Ok(_), None) => assert_eq!(case["expect"]["ok"], true, "{name}"),
            (Err(e), Some(want)) => check_error(want, &e),
            (result, _) => panic!("{name}: expected {}, got {result:?}", case["expect"]),
        }
    });
}

#[test]
fn vectors_match_their_generator() {
    check_generator("generate.py");
}
