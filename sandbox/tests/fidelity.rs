//! What the sandbox emulates beyond the happy path, as Lean behaves: the
//! injected rate limit (429 with `Retry-After`, `RATE_LIMIT_EXCEEDED`),
//! payments executed against intents with their webhooks, the wait of a
//! synchronous data call on a slow bank, and the certificate and access
//! level refusals.

mod common;

use std::time::Duration;

use common::openbanking::{api_status, app_token, Client};
use common::{basic_auth, config, fast_retries};
use lean_core::openbanking::{ErrorCode, NewCustomer, Operation as ObOperation};
use lean_core::{Error, Operation};
use lean_sandbox::harness::{agent, execute, SandboxProcess};
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
