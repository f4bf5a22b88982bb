//! Runs every case of `tests/vectors/openbanking/*.json` through
//! `lean_core::openbanking`'s public API. The format is documented in
//! `tests/vectors/openbanking/README.md`; each binding will run the same
//! files through its own API.

use std::time::{Duration, UNIX_EPOCH};

use lean_core::openbanking::webhooks::{self, WebhookVerifier};
use lean_core::openbanking::{
    AccessToken, AppToken, Auth, Call, ClientCredentials, Config, Environment, Operation,
    OperationKind, Token, TokenScope,
};
use lean_core::{Error, HttpRequest, HttpResponse, RetryPolicy, WebhookSecret};
use serde_json::{json, Value};

mod engine_cases;
mod vector_cases;

use vector_cases::*;

#[test]
fn environments() {
    each_case("openbanking/environments.json", |case| {
        let expect = &case["expect"];
        match environment(&case["environment"]) {
            Ok(env) => {
                assert_eq!(env.api_base_url(), expect["apiBaseUrl"].as_str().unwrap());
                assert_eq!(env.requires_mtls(), expect["mtls"].as_bool().unwrap());
                match expect["tokenUrl"].as_str() {
                    Some(url) => assert_eq!(env.token_url().unwrap(), url),
                    None => assert_eq!(env.token_url().unwrap_err().code(), "configuration"),
                }
            }
            Err(e) => check_error(&expect["error"], &e),
        }
    });
}

#[test]
fn authentication() {
    each_case("openbanking/auth.json", |case| {
        let expect = &case["expect"];
        let text = |key: &str| case[key].as_str().unwrap_or_default();
        let outcome: Result<(), Error> = (|| {
            match text("action") {
                "tokenRequest" => {
                    let env = environment(&case["environment"])?;
                    let scope = match &case["scope"] {
                        Value::String(s) if s == "api" => TokenScope::Api,
                        other => TokenScope::customer(other["customer"].as_str().unwrap())?,
                    };
                    let credentials =
                        ClientCredentials::new(text("clientId"), text("clientSecret"))?;
                    let request = credentials.token_request(&env, &scope)?;
                    check_request(&expect["request"], &request);
                    let logged = format!("{credentials:?} {request:?}");
                    assert!(!logged.contains(text("clientSecret")), "{logged}");
                }
                "parseToken" => {
                    let received = at(&case["receivedAt"]);
                    let mut token = Token::parse(&response(&case["response"]), received)?;
                    if let Some(m) = case["marginSeconds"].as_u64() {
                        token = token.with_renewal_margin(Duration::from_secs(m));
                    }
                    assert_eq!(token.expires_at(), at(&expect["expiresAt"]));
                    if let Some(scope) = expect.get("scope") {
                        assert_eq!(token.scope(), scope.as_str());
                    }
                    if let Some(header) = expect.get("authorization") {
                        let mut request = Operation::list_payment_destinations()
                            .request(&Environment::uae_sandbox(), &token.auth());
                        assert_eq!(request.header("authorization"), header.as_str());
                        assert_eq!(request.header("lean-app-token"), None);
                        Auth::Bearer(token.access_token().clone()).apply(&mut request);
                        assert_eq!(
                            request
                                .headers
                                .iter()
                                .filter(|(n, _)| n == "authorization")
                                .count(),
                            1
                        );
                    }
                    for check in case["checks"].as_array().into_iter().flatten() {
                        assert_eq!(
                            token.needs_renewal(at(&check["at"])),
                            check["needsRenewal"].as_bool().unwrap(),
                            "at {}",
                            check["at"]
                        );
                    }
                    assert!(!format!("{token:?}").contains(token.access_token().expose()));
                }
                "appToken" | "bearer" => {
                    let auth = if text("action") == "appToken" {
                        Auth::AppToken(AppToken::new(text("token"))?)
                    } else {
                        Auth::Bearer(AccessToken::new(text("token"))?)
                    };
                    let mut request = Operation::list_payment_destinations()
                        .request(&Environment::uae_sandbox(), &auth);
                    for (name, value) in expect["headers"].as_object().unwrap() {
                        assert_eq!(request.header(name), value.as_str());
                    }
                    assert!(!format!("{auth:?}").contains(text("token")));
                    auth.apply(&mut request);
                    assert_eq!(
                        request.headers.len(),
                        3,
                        "applying twice keeps one credential"
                    );
                }
                other => panic!("unknown action {other}"),
            }
            Ok(())
        })();
        match (outcome, expect.get("error")) {
            (Ok(()), None) => {}
            (Err(e), Some(error)) => check_error(error, &e),
            (outcome, _) => panic!("unexpected outcome {outcome:?}"),
        }
    });
}

fn run_call(case: &Value) -> Result<HttpRequest, Error> {
    let env = environment(case.get("environment").unwrap_or(&Value::Null))?;
    Ok(Operation::from_json(&case["call"])?.request(&env, &auth(case)))
}

#[test]
fn requests() {
    each_case("openbanking/requests.json", |case| {
        let request = run_call(case).unwrap_or_else(|e| panic!("{e:?}"));
        check_request(&case["expect"]["request"], &request);
        // Every operation says whether it is a read; creates are not.
        let op = Operation::from_json(&case["call"]).unwrap();
        assert_eq!(op.is_read(), !op.kind().name().starts_with("create"));
    });
}

#[test]
fn validation() {
    each_case("openbanking/validation.json", |case| {
        let error = run_call(case).expect_err("invalid input must be refused");
        check_error(&case["expect"]["error"], &error);
    });
}

/// An operation of `kind` with arguments of the runner's choice: the
/// answer is what `responses.json` checks.
fn sample(kind: OperationKind) -> Operation {
    let input = match kind {
        OperationKind::GetBalance | OperationKind::GetTransactions => {
            json!({"entity_id": "e1", "account_id": "a1"})
        }
        OperationKind::CreateCustomer => json!({"app_user_id": "u1"}),
        OperationKind::CreatePaymentIntent => {
            json!({"customer_id": "c1", "amount": "1", "currency": "AED"})
        }
        OperationKind::CreatePaymentDestination => json!({
            "display_name": "A", "name": "A", "bank_identifier": "B", "iban": "AE070331234567890123456"
        }),
        _ => json!({"entity_id": "e1"}),
    };
    Operation::from_json(&json!({
        "operation": kind.name(), "input": input, "customerId": "c1", "appUserId": "u1",
        "entityId": "e1", "resultsId": "r1", "paymentIntentId": "p1", "paymentId": "p1",
        "accountId": "a1", "refreshId": "r1", "startDate": "2026-01-01", "endDate": "2026-01-31",
    }))
    .unwrap_or_else(|e| panic!("{}: {e:?}", kind.name()))
}

#[test]
fn responses() {
    each_case("openbanking/responses.json", |case| {
        let kind = OperationKind::from_name(case["operation"].as_str().unwrap()).unwrap();
        let outcome = sample(kind).parse_response(&response(&case["response"]));
        check_outcome(outcome.map(|o| o.to_json()), &case["expect"], "value");
    });
}

#[test]
fn webhook_signatures_and_events() {
    let api = WebhookApi {
        sign: webhooks::sign,
        verify: |secrets: &[WebhookSecret], body: &[u8], signature: Option<&str>| {
            WebhookVerifier::new(secrets)?.verify(body, signature)
        },
        construct_event: |secrets: &[WebhookSecret], body: &[u8], signature: Option<&str>| {
            let event = webhooks::construct_event(secrets, body, signature)?;
            let json = event.to_json();
            assert_eq!(event.event_id.as_deref(), json["event_id"].as_str());
            Ok(json)
        },
    };
    each_case("openbanking/webhooks.json", |case| api.run(case));
}

#[test]
fn engine() {
    each_case("openbanking/engine.json", |case| {
        let name = case["name"].as_str().unwrap();
        let env = environment(case.get("environment").unwrap_or(&Value::Null)).unwrap();
        let config = Config::new(env).with_retry(RetryPolicy {
            max_retries: case["config"]["maxRetries"].as_u64().unwrap() as u32,
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        });
        let operation = Operation::from_json(&case["call"]).unwrap();
        let mut call = Call::new(&config, &auth(case), operation, [3; 32]);
        let run = engine_cases::drive(name, case, &mut call, response, false);
        let expect = &case["expect"];
        if let Some(want) = case.get("waitsMs") {
            assert_eq!(&json!(run.waits), want, "waits");
        }
        engine_cases::check_trace(name, case, &run, false);
        check_outcome(run.result.map(|o| o.to_json()), expect, "value");
    });
}

#[test]
fn there_are_enough_vectors() {
    let total: usize = [
        "environments",
        "auth",
        "requests",
        "validation",
        "responses",
        "webhooks",
        "engine",
        "tokens",
    ]
    .iter()
    .map(|f| load(&format!("openbanking/{f}.json")).len())
    .sum();
    assert!(total >= 60, "{total} open-banking vectors");
}

#[test]
fn vectors_match_their_generator() {
    check_generator("openbanking/generate.py");
}

/// Timings for BENCHMARKS.md, never asserted. Run with
/// `cargo test --release -p lean-core --test openbanking_vectors -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a test: run it on purpose"]
fn measure() {
    use std::time::Instant;
    fn median(mut runs: Vec<f64>) -> f64 {
        runs.sort_by(f64::total_cmp);
        runs[runs.len() / 2]
    }
    /// Median time of one call of `f`, over 31 batches of `n` calls.
    fn time(n: u32, mut f: impl FnMut()) -> f64 {
        for _ in 0..n {
            f();
        }
        median(
            (0..31)
                .map(|_| {
                    let start = Instant::now();
                    for _ in 0..n {
                        f();
                    }
                    start.elapsed().as_secs_f64() / f64::from(n)
                })
                .collect(),
        )
    }
    let secret = WebhookSecret::from("whsec_openbanking_test");
    let verifier = WebhookVerifier::new([&secret]).unwrap();
    for size in [256usize, 1024, 16 * 1024, 1024 * 1024] {
        let body = vec![b'x'; size];
        let hex = webhooks::sign(&secret, &body);
        let n = (64 * 1024 * 1024 / size).clamp(8, 20_000) as u32;
        let t = time(n, || {
            std::hint::black_box(verifier.verify(std::hint::black_box(&body), Some(&hex))).unwrap();
        });
        println!(
            "verify {size:>8} B: {:>10.3} µs  {:>7.0} MB/s",
            t * 1e6,
            size as f64 / t / 1e6
        );
    }
    let call = json!({"operation": "createPaymentIntent", "input": {
        "customer_id": "6b9f1c0e-6c1e-4a38-9b1a-2d7f2c3b4a51", "amount": "100.50",
        "currency": "aed", "description": "Rent"}});
    let env = Environment::uae_production();
    let auth = Auth::AppToken(AppToken::new("app_token_123").unwrap());
    let t = time(20_000, || {
        let op = Operation::from_json(std::hint::black_box(&call)).unwrap();
        std::hint::black_box(op.request(&env, &auth));
    });
    println!("createPaymentIntent from_json + request: {:.3} µs", t * 1e6);
    let answer = HttpResponse::new(
        200,
        vec![],
        json!({"status": "OK", "payload": {"balance": 1200.5, "currency_code": "AED"},
               "results_id": "r", "timestamp": "2026-11-23T10:00:00Z"})
        .to_string(),
    );
    let op = sample(OperationKind::GetBalance);
    let t = time(20_000, || {
        std::hint::black_box(op.parse_response(std::hint::black_box(&answer))).unwrap();
    });
    println!("getBalance parse_response: {:.3} µs", t * 1e6);
    let token = HttpResponse::new(
        200,
        vec![],
        r#"{"access_token":"eyJhbGciOi.token","token_type":"Bearer","expires_in":3599,"scope":"api"}"#,
    );
    let t = time(20_000, || {
        std::hint::black_box(Token::parse(std::hint::black_box(&token), UNIX_EPOCH)).unwrap();
    });
    println!("Token::parse: {:.3} µs", t * 1e6);
}
