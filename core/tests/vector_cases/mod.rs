//! What the vector runners of both APIs share: loading a file of cases
//! from `tests/vectors`, running each, checking the generator wrote them,
//! and reading and checking the common shapes (answer, request, expected
//! error, webhook cases, the open-banking environment and credential).
//! Each test binary uses a part of it.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use lean_core::openbanking::errors::error_code;
use lean_core::openbanking::{AccessToken, AppToken, Auth, Environment};
use lean_core::{Error, HttpRequest, HttpResponse, WebhookSecret};
use serde_json::{json, Value};

/// `tests/vectors`, where the payouts files lie and, under `openbanking/`,
/// the open-banking ones.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// The cases of `file` (relative to [`dir`]), whose names are unique.
pub fn load(file: &str) -> Vec<Value> {
    let path = dir().join(file);
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
/// failing case, so that one wrong case does not hide the others. Returns
/// how many cases ran.
pub fn each_case(file: &str, check: impl Fn(&Value)) -> usize {
    let mut failed = Vec::new();
    let cases = load(file);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or_default().to_owned();
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(case))).is_err() {
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "{file}: {} failing case(s): {failed:#?}",
        failed.len()
    );
    cases.len()
}

/// The JSON files are written by `script` (relative to [`dir`]); they
/// must be what it writes now, so that the script and the cases never
/// drift apart.
pub fn check_generator(script: &str) {
    let output = std::process::Command::new("python3")
        .arg(dir().join(script))
        .arg("--check")
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed to check the vectors against {script}: {e}"));
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// An answer as a case gives it: `status`, `headers`, and `bodyText`
/// (sent as it is) or `body` (sent as JSON; null or absent for none).
pub fn response(spec: &Value) -> HttpResponse {
    let body = match (spec.get("bodyText"), spec.get("body")) {
        (Some(Value::String(text)), _) => text.clone().into_bytes(),
        (_, Some(Value::Null)) | (_, None) => Vec::new(),
        (_, Some(body)) => body.to_string().into_bytes(),
    };
    let headers = spec["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    HttpResponse::new(spec["status"].as_u64().unwrap() as u16, headers, body)
}

/// A webhook payload: text, `{"base64"}` or `{"repeat", "times"}`.
pub fn payload(spec: &Value) -> Vec<u8> {
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

/// Checks an outcome against `expect`: the JSON it answers against
/// `expect[value_key]`, or its error against `expect["error"]`.
pub fn check_outcome(outcome: Result<Value, Error>, expect: &Value, value_key: &str) {
    match (outcome, expect.get(value_key), expect.get("error")) {
        (Ok(value), Some(want), None) => assert_eq!(&value, want, "{value_key}"),
        (Err(error), None, Some(want)) => check_error(want, &error),
        (outcome, _, _) => panic!("expected {expect}, got {outcome:?}"),
    }
}

/// The webhook cases of either API (`sign`, `verify`, `constructEvent`),
/// through that API's functions.
pub struct WebhookApi<S, V, C> {
    pub sign: S,
    pub verify: V,
    pub construct_event: C,
}

impl<S, V, C> WebhookApi<S, V, C>
where
    S: Fn(&WebhookSecret, &[u8]) -> String,
    V: Fn(&[WebhookSecret], &[u8], Option<&str>) -> Result<(), Error>,
    C: Fn(&[WebhookSecret], &[u8], Option<&str>) -> Result<Value, Error>,
{
    pub fn run(&self, case: &Value) {
        let secrets: Vec<WebhookSecret> = case["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| WebhookSecret::from(s.as_str().unwrap()))
            .collect();
        let body = payload(&case["payload"]);
        let signature = case["signature"].as_str();
        let expect = &case["expect"];
        match case["action"].as_str().unwrap() {
            "sign" => assert_eq!((self.sign)(&secrets[0], &body), expect["signature"]),
            "verify" => {
                let outcome = (self.verify)(&secrets, &body, signature).map(|()| json!(true));
                check_outcome(outcome, expect, "valid");
            }
            "constructEvent" => {
                let outcome = (self.construct_event)(&secrets, &body, signature);
                check_outcome(outcome, expect, "event");
            }
            other => panic!("unknown action {other}"),
        }
    }
}

pub fn environment(value: &Value) -> Result<Environment, Error> {
    match value {
        Value::Null => Ok(Environment::uae_sandbox()),
        Value::String(name) => Environment::parse(name),
        Value::Object(o) => {
            let mut env = match (o.get("name"), o.get("custom")) {
                (Some(Value::String(n)), _) => Environment::parse(n)?,
                (_, Some(Value::String(url))) => Environment::custom(url)?,
                _ => panic!("environment needs name or custom"),
            };
            if let Some(token) = o.get("tokenBaseUrl").and_then(Value::as_str) {
                env = env.with_token_base_url(token)?;
            }
            if let Some(mtls) = o.get("mtls").and_then(Value::as_bool) {
                env = env.with_mtls(mtls);
            }
            Ok(env)
        }
        other => panic!("bad environment {other}"),
    }
}

pub fn auth(case: &Value) -> Auth {
    match case
        .get("auth")
        .and_then(|a| a.get("bearer"))
        .and_then(Value::as_str)
    {
        Some(token) => Auth::Bearer(AccessToken::new(token).unwrap()),
        None => Auth::AppToken(AppToken::new("app_token_123").unwrap()),
    }
}

/// Checks an error against the keys an expected error gives: its code,
/// and whichever of the others the case names.
pub fn check_error(expected: &Value, actual: &Error) {
    let json = actual.to_json();
    assert_eq!(json["code"], expected["code"], "error code of {actual:?}");
    assert_eq!(json["code"], actual.code(), "code of {actual:?}");
    for key in [
        "status",
        "requestId",
        "retryAfterMs",
        "outcomeUnknown",
        "idempotencyKey",
        "sentIds",
        "applied",
        "location",
    ] {
        if let Some(want) = expected.get(key) {
            assert_eq!(&json[key], want, "{key} of {actual:?}");
        }
    }
    if let Some(message) = expected.get("message") {
        assert_eq!(&json["apiMessage"], message, "API message of {actual:?}");
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
            pairs(&json["fieldErrors"]),
            pairs(want),
            "field errors of {actual:?}"
        );
        for e in json["fieldErrors"].as_array().into_iter().flatten() {
            assert!(
                !e["message"].as_str().unwrap_or("").is_empty(),
                "every field error has a message: {actual:?}"
            );
        }
    }
    if let Some(code) = expected.get("apiCode") {
        assert_eq!(&json["apiCode"], code, "API code of {actual:?}");
        assert_eq!(
            error_code(actual).map(|c| c.as_str().to_owned()).as_deref(),
            code.as_str()
        );
    }
}

/// Checks a request against the one a case expects: method, URL, the
/// headers it names, the SDK's user agent, the body (null for none, text
/// for a form, JSON otherwise), a part of it (`bodyContains`) and a
/// generated idempotency key (`generatedIdempotencyKey`).
pub fn check_request(expected: &Value, request: &HttpRequest) {
    assert_eq!(request.method.as_str(), expected["method"], "method");
    assert_eq!(request.url, expected["url"].as_str().unwrap(), "url");
    for (name, value) in expected["headers"].as_object().into_iter().flatten() {
        assert_eq!(request.header(name), value.as_str(), "header {name}");
    }
    assert!(
        request
            .header("user-agent")
            .unwrap_or_default()
            .starts_with("lean-sdk/"),
        "user-agent"
    );
    match &expected["body"] {
        Value::Null => assert_eq!(request.body, None, "body"),
        Value::String(form) => assert_eq!(request.body.as_deref(), Some(form.as_str()), "body"),
        body => {
            let sent: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
            assert_eq!(&sent, body, "body");
        }
    }
    if let Some(part) = expected.get("bodyContains").and_then(Value::as_str) {
        assert!(
            request.body.as_deref().unwrap_or_default().contains(part),
            "{request:?}"
        );
    }
    if expected.get("generatedIdempotencyKey") == Some(&json!(true)) {
        let key = request
            .header("idempotency-key")
            .expect("a generated idempotency key");
        assert!(is_uuid_v4(key), "{key} is not a UUID v4");
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

pub fn at(seconds: &Value) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds.as_u64().unwrap())
}
