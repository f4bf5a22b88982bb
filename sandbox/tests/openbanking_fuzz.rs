//! Random requests against every open-banking route: whatever the body,
//! path or query, the sandbox never answers 5xx and every refusal has the
//! documented shape (`status` code and `message`), which the core reads
//! back as an API error. Seeded, so a failure repeats.

mod common;

use common::binary;
use lean_core::openbanking::ErrorCode;
use lean_core::{HttpRequest, Method};
use lean_sandbox::harness::{agent, send, SandboxProcess};
use lean_sandbox::settings::DEFAULT_APP_TOKEN;
use serde_json::{json, Map, Value};

const FIELDS: [&str; 14] = [
    "app_user_id",
    "government_identifiers",
    "entity_id",
    "account_id",
    "async",
    "customer_id",
    "amount",
    "currency",
    "description",
    "payment_destination_id",
    "display_name",
    "iban",
    "bank_identifier",
    "type",
];

fn text(rng: &mut fastrand::Rng) -> String {
    let pool = [
        "",
        " ",
        "a",
        "sandbox-fail",
        "AED",
        "100.50",
        "784-1990-1234567-1",
        "é",
        "\u{0}",
        "%2F",
        "../",
        "\"",
        "😀",
    ];
    (0..rng.usize(0..4))
        .map(|_| pool[rng.usize(..pool.len())])
        .collect()
}

fn value(rng: &mut fastrand::Rng, depth: u32) -> Value {
    match rng.u8(0..if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => json!(rng.i64(-1_000_000..1_000_000)),
        3 => json!(rng.f64() * 1000.0),
        4 => Value::String(text(rng)),
        5 => Value::Array(
            (0..rng.usize(0..3))
                .map(|_| value(rng, depth - 1))
                .collect(),
        ),
        _ => object(rng, depth - 1),
    }
}

fn object(rng: &mut fastrand::Rng, depth: u32) -> Value {
    let mut map = Map::new();
    for _ in 0..rng.usize(0..6) {
        let key = if rng.u8(0..4) == 0 {
            text(rng)
        } else {
            FIELDS[rng.usize(..FIELDS.len())].to_owned()
        };
        map.insert(key, value(rng, depth));
    }
    Value::Object(map)
}

fn segment(rng: &mut fastrand::Rng, known: &[String]) -> String {
    if !known.is_empty() && rng.bool() {
        return known[rng.usize(..known.len())].clone();
    }
    let raw = text(rng);
    percent_encoding::utf8_percent_encode(&raw, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[test]
fn random_requests_never_break_the_sandbox() {
    let sandbox = SandboxProcess::start(
        binary(),
        &["--port", "0", "--api-key", "sk_test_fuzz", "--quiet"],
    )
    .expect("the sandbox starts");
    let agent = agent();
    let base = sandbox.url().to_owned();
    let mut ids: Vec<String> = Vec::new();
    // A few real records, so that random requests also reach found ones.
    for n in 0..3 {
        let request = HttpRequest {
            method: Method::Post,
            url: format!("{base}/customers/v1/"),
            headers: vec![("lean-app-token".into(), DEFAULT_APP_TOKEN.into())],
            body: Some(json!({"app_user_id": format!("fuzz-{n}")}).to_string()),
        };
        let answer = send(&agent, &request).unwrap();
        let customer: Value = serde_json::from_slice(&answer.body).unwrap();
        let id = customer["customer_id"].as_str().unwrap().to_owned();
        let entity = sandbox.connect_bank(&id).unwrap();
        ids.push(id);
        ids.push(entity["id"].as_str().unwrap().to_owned());
        ids.push(
            entity["accounts"][0]["account_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }

    let mut rng = fastrand::Rng::with_seed(20_261_123);
    let mut statuses = std::collections::BTreeMap::new();
    for round in 0..1500 {
        let (method, path) = match rng.u8(0..12) {
            0 => (Method::Post, "/customers/v1/".to_owned()),
            1 => (
                Method::Get,
                format!(
                    "/customers/v1?page_number={}&page_size={}",
                    segment(&mut rng, &[]),
                    segment(&mut rng, &[])
                ),
            ),
            2 => (
                Method::Get,
                format!("/customers/v1/{}", segment(&mut rng, &ids)),
            ),
            3 => (
                Method::Get,
                format!("/customers/v1/app-user-id/{}", segment(&mut rng, &[])),
            ),
            4 => (
                Method::Get,
                format!("/customers/v1/{}/entities", segment(&mut rng, &ids)),
            ),
            5 => (
                Method::Get,
                format!(
                    "/customers/v1/{}/entities/{}",
                    segment(&mut rng, &ids),
                    segment(&mut rng, &ids)
                ),
            ),
            6 => {
                let kind =
                    ["identity", "accounts", "balance", "transactions", "nothing"][rng.usize(..5)];
                (Method::Post, format!("/data/v1/{kind}"))
            }
            7 => (
                Method::Get,
                format!("/data/v2/results/{}", segment(&mut rng, &ids)),
            ),
            8 => (Method::Post, "/payments/v1/intents".to_owned()),
            9 => (
                Method::Get,
                format!("/payments/v1/intents/{}", segment(&mut rng, &ids)),
            ),
            10 => (
                if rng.bool() {
                    Method::Post
                } else {
                    Method::Get
                },
                "/payments/v1/destinations".to_owned(),
            ),
            _ => (Method::Post, "/oauth2/token".to_owned()),
        };
        let mut body = object(&mut rng, 2);
        // Make many bodies plausible, so the checks past parsing run too.
        if let (Some(map), true) = (body.as_object_mut(), rng.bool()) {
            map.insert("entity_id".into(), json!(ids[rng.usize(..ids.len())]));
            map.insert("customer_id".into(), json!(ids[rng.usize(..ids.len())]));
        }
        let body_text = match rng.u8(0..10) {
            0 => "{not json".to_owned(),
            1 => String::new(),
            2 => "client_id=sandbox-client-id&client_secret=x&grant_type=client_credentials&scope=api".to_owned(),
            _ => body.to_string(),
        };
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        match rng.u8(0..10) {
            0 => {}
            1 => headers.push((
                "authorization".into(),
                format!("Bearer {}", text(&mut rng).escape_default()),
            )),
            2 => headers.push(("lean-app-token".into(), "wrong".into())),
            _ => headers.push(("lean-app-token".into(), DEFAULT_APP_TOKEN.into())),
        }
        let request = HttpRequest {
            method,
            url: format!("{base}{path}"),
            headers,
            body: (method == Method::Post).then_some(body_text.clone()),
        };
        let answer = send(&agent, &request)
            .unwrap_or_else(|e| panic!("round {round}: {e:?} for {request:?}"));
        *statuses.entry(answer.status).or_insert(0) += 1;
        assert!(
            answer.status < 500,
            "round {round}: {} for {request:?}: {}",
            answer.status,
            answer.body_text()
        );
        let json: Value = serde_json::from_slice(&answer.body)
            .unwrap_or_else(|e| panic!("round {round}: not JSON ({e}): {}", answer.body_text()));
        if answer.status >= 400 {
            let code = json["status"]
                .as_str()
                .unwrap_or_else(|| panic!("round {round}: no code: {json}"));
            assert!(json["message"].is_string(), "round {round}: {json}");
            let error = lean_core::openbanking::errors::api_error(&answer);
            assert_eq!(error.api_code.as_deref(), Some(code));
            if let Some(status) = ErrorCode::parse(code).documented_status() {
                assert_eq!(status, answer.status, "round {round}: {json}");
            }
        }
    }
    println!("open-banking fuzz: answers by status {statuses:?}");
    // The run reached answers of every kind, not only refusals.
    for status in [200, 400, 401, 404] {
        assert!(
            statuses.contains_key(&status),
            "no {status} in {statuses:?}"
        );
    }
}
