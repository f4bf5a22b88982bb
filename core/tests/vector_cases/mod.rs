//! What the open-banking vector runners share: loading a file of cases,
//! running each, and reading the common shapes (environment, answer,
//! expected error). Each test binary uses a part of it.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lean_core::openbanking::errors::error_code;
use lean_core::openbanking::{AccessToken, AppToken, Auth, Environment};
use lean_core::{Error, HttpRequest, HttpResponse};
use serde_json::Value;

pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/openbanking")
}

pub fn load(file: &str) -> Vec<Value> {
    let path = dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let cases = doc["cases"].as_array().expect("a cases array").clone();
    let names: BTreeSet<&str> = cases
        .iter()
        .map(|c| c["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        names.len(),
        cases.len(),
        "{file}: case names must be unique"
    );
    cases
}

/// Runs `check` on every case of `file`, then fails once, naming every
/// failing case. Returns how many cases ran.
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

pub fn response(spec: &Value) -> HttpResponse {
    let body = match (spec.get("bodyText"), spec.get("body")) {
        (Some(Value::String(text)), _) => text.clone().into_bytes(),
        (_, Some(Value::Null)) | (_, None) => Vec::new(),
        (_, Some(body)) => body.to_string().into_bytes(),
    };
    let headers = spec["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    HttpResponse::new(spec["status"].as_u64().unwrap() as u16, headers, body)
}

pub fn check_error(expected: &Value, actual: &Error) {
    let code = expected["code"].as_str().unwrap();
    assert_eq!(actual.code(), code, "error code of {actual:?}");
    let json = actual.to_json();
    if let Some(fields) = expected.get("fieldErrors").and_then(Value::as_array) {
        let want: BTreeSet<(String, String)> = fields
            .iter()
            .map(|f| {
                (
                    f["field"].as_str().unwrap().to_owned(),
                    f["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let got: BTreeSet<(String, String)> = actual
            .field_errors()
            .iter()
            .map(|f| (f.field.clone(), f.code.as_str().to_owned()))
            .collect();
        assert_eq!(got, want, "field errors of {actual:?}");
    }
    if let Some(status) = expected.get("status") {
        assert_eq!(&json["status"], status, "status of {actual:?}");
    }
    for key in [
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
    if let Some(code) = expected.get("apiCode") {
        assert_eq!(&json["apiCode"], code, "API code of {actual:?}");
        assert_eq!(
            error_code(actual).map(|c| c.as_str().to_owned()).as_deref(),
            code.as_str()
        );
    }
}

pub fn check_request(expected: &Value, request: &HttpRequest) {
    assert_eq!(
        request.method.as_str(),
        expected["method"].as_str().unwrap()
    );
    assert_eq!(request.url, expected["url"].as_str().unwrap());
    for (name, value) in expected["headers"].as_object().unwrap() {
        assert_eq!(request.header(name), value.as_str(), "header {name}");
    }
    assert!(request
        .header("user-agent")
        .unwrap_or_default()
        .starts_with("lean-sdk/"));
    match &expected["body"] {
        Value::Null => assert_eq!(request.body, None),
        Value::String(form) => assert_eq!(request.body.as_deref(), Some(form.as_str())),
        body => {
            let sent: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
            assert_eq!(&sent, body);
        }
    }
    if let Some(part) = expected.get("bodyContains").and_then(Value::as_str) {
        assert!(
            request.body.as_deref().unwrap_or_default().contains(part),
            "{request:?}"
        );
    }
}

pub fn at(seconds: &Value) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds.as_u64().unwrap())
}
