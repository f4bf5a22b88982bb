//! The conformance scenarios (`tests/conformance/scenarios.json`) run by the
//! Rust host: each scenario's call is built with `lean-core`, driven over
//! `ureq` (redirects off, the scenario's timeout) against
//! `lean-sandbox hostile`, and its outcome and the server's counts are
//! compared with what the scenario expects. Every scenario runs, and every
//! difference is reported at once, so one run shows the whole picture.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use lean_core::openbanking::{
    self, AppToken, Auth, ClientCredentials, Environment as ObEnvironment, TokenPolicy, TokenScope,
    TokenStep, TokenTicket,
};
use lean_core::{Call, Config, Environment, Error, Operation, RetryPolicy};
use lean_sandbox::harness::{drive, send};
use serde_json::{json, Map, Value};

const API_KEY: &str = "conformance_key";
const APP_TOKEN: &str = "conformance-app-token";
const CLIENT_ID: &str = "conformance-client";
const CLIENT_SECRET: &str = "conformance-secret";

fn scenario_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/scenarios.json")
}

fn scenarios() -> Value {
    let text = std::fs::read_to_string(scenario_file()).expect("the scenario file");
    serde_json::from_str(&text).expect("the scenario file is JSON")
}

/// `lean-sandbox hostile`, stopped when dropped.
struct Hostile {
    child: Child,
    url: String,
    other_url: String,
}

impl Hostile {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lean-sandbox"))
            .args(["hostile", "--port", "0", "--quiet", "--scenarios"])
            .arg(scenario_file())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("lean-sandbox hostile starts");
        let mut lines = BufReader::new(child.stdout.take().expect("its stdout"));
        let mut line = |prefix: &str| {
            let mut text = String::new();
            let _ = lines.read_line(&mut text);
            match text.trim().strip_prefix(prefix) {
                Some(url) => url.to_owned(),
                None => panic!("lean-sandbox hostile printed {text:?}, not {prefix}URL"),
            }
        };
        let url = line("listening on ");
        let other_url = line("other origin on ");
        std::thread::spawn(move || {
            let _ = lines.read_to_end(&mut Vec::new());
        });
        Self {
            child,
            url,
            other_url,
        }
    }

    fn control(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let agent = lean_sandbox::harness::agent();
        let url = format!("{}/_hostile/{path}", self.url);
        let answer = match body {
            Some(body) => agent.post(&url).send(body.to_string().as_bytes()),
            None => agent.get(&url).call(),
        };
        let mut answer = answer.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let text = answer
            .body_mut()
            .read_to_string()
            .expect("a control answer");
        assert!(answer.status().is_success(), "{method} {url}: {text}");
        serde_json::from_str(&text).expect("a JSON control answer")
    }

    /// Starts a run of the scenario `name`.
    fn start_run(&self, name: &str) -> Run {
        let started = self.control("POST", "runs", Some(&json!({ "scenario": name })));
        let id = started["id"].as_str().expect("a run id").to_owned();
        Run {
            base_url: started["baseUrl"].as_str().expect("a baseUrl").to_owned(),
            other_url: format!("{}/{id}", self.other_url),
            id,
        }
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a run must show: its base URL and the other origin's URL for it,
/// which `{self}` and `{other}` stand for in expectations.
struct Run {
    id: String,
    base_url: String,
    other_url: String,
}

impl Run {
    fn place(&self, text: &str) -> String {
        text.replace("{other}", &self.other_url)
            .replace("{self}", &self.base_url)
    }
}

#[test]
fn every_scenario_reports_its_expected_outcome() {
    run_all("scenarios");
}

/// The scenarios that send several calls through one client and count the
/// connections the server accepted for them.
#[test]
fn every_connection_scenario_reports_its_expected_outcome() {
    run_all("connectionScenarios");
}

/// Runs every scenario of the list `key` and reports every difference.
fn run_all(key: &str) {
    let file = scenarios();
    let list = file[key].as_array().expect("a scenario array");
    assert!(!list.is_empty(), "{key} is empty");
    let server = Hostile::start();
    let mut failures = Vec::new();
    for scenario in list {
        let name = scenario["name"].as_str().unwrap_or("?");
        let run = server.start_run(name);
        let outcomes = perform(scenario, &run.base_url);
        let report = server.control("GET", &format!("runs/{}", run.id), None);
        if scenario["call"].get("repeat").is_some() {
            println!(
                "{name}: {} requests on {} connection(s)",
                report["requests"], report["connections"]
            );
        }
        let differences = compare(&scenario["expect"], &outcomes, &report, &run);
        if !differences.is_empty() {
            failures.push(format!("{name}:\n    {}", differences.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {key} differ from their expected outcome:\n{}",
        failures.len(),
        list.len(),
        failures.join("\n")
    );
}

/// The host side of a scenario: the call built from it, driven to its
/// end `call.repeat` times (once when absent) through one agent, as one
/// client of a host would send them; with OAuth the token is fetched once.
/// Each `Ok` holds an outcome, each `Err` the error as `Error::to_json`
/// gives it (what every host builds its own errors from).
fn perform(scenario: &Value, base_url: &str) -> Vec<Result<Value, Value>> {
    let call = &scenario["call"];
    let client = &scenario["client"];
    let millis = |name: &str| Duration::from_millis(client[name].as_u64().unwrap_or_default());
    let retry = RetryPolicy {
        max_retries: client["maxRetries"].as_u64().unwrap_or_default() as u32,
        initial_backoff: millis("initialBackoffMs"),
        max_backoff: millis("maxBackoffMs"),
        ..RetryPolicy::default()
    };
    let timeout = millis("timeoutMs");
    // One agent: its pool keeps the connection between calls.
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .timeout_global(Some(timeout))
            .build(),
    );
    // The call as the shared vectors write it: operation, input, path ids.
    let mut operation = call.as_object().cloned().unwrap_or_default();
    for beside in ["api", "credentials", "repeat"] {
        operation.remove(beside);
    }
    let operation = Value::Object(operation);
    let repeat = call.get("repeat").map_or(1, |n| {
        n.as_u64()
            .filter(|n| *n >= 1)
            .expect("call.repeat is a number of calls, at least 1")
    });
    let errors = |e: Error| e.to_json();
    match call["api"].as_str() {
        Some("payouts") => {
            let config = Config::new(API_KEY, Environment::Sandbox)
                .and_then(|c| c.with_base_url(&format!("{base_url}/api")));
            let mut config = match config {
                Ok(config) => config.with_retry(retry),
                Err(e) => return vec![Err(e.to_json())],
            };
            config.timeout = timeout;
            let once = || {
                let operation = Operation::from_json(&operation).map_err(errors)?;
                let call = Call::new(&config, operation, entropy()).map_err(errors)?;
                drive(&agent, call).map(|o| o.to_json()).map_err(errors)
            };
            (0..repeat).map(|_| once()).collect()
        }
        Some("openbanking") => {
            let environment =
                ObEnvironment::custom(base_url).and_then(|e| e.with_token_base_url(base_url));
            let environment = match environment {
                Ok(environment) => environment,
                Err(e) => return vec![Err(e.to_json())],
            };
            let mut config = openbanking::Config::new(environment.clone()).with_retry(retry);
            config.timeout = timeout;
            let auth = match call["credentials"].as_str() {
                Some("appToken") => AppToken::new(APP_TOKEN).map(Auth::AppToken).map_err(errors),
                Some("oauth") => token(&agent, environment),
                other => panic!("unknown open-banking credentials {other:?}"),
            };
            let auth = match auth {
                Ok(auth) => auth,
                // The token request failed: no call is sent.
                Err(error) => return vec![Err(error)],
            };
            let once = || {
                let operation = openbanking::Operation::from_json(&operation).map_err(errors)?;
                let call = openbanking::Call::new(&config, &auth, operation, entropy());
                drive(&agent, call).map(|o| o.to_json()).map_err(errors)
            };
            (0..repeat).map(|_| once()).collect()
        }
        other => panic!("unknown api {other:?}"),
    }
}

/// The OAuth token, fetched as a host's client does before its first call:
/// one request, its answer read by the core.
fn token(agent: &ureq::Agent, environment: ObEnvironment) -> Result<Auth, Value> {
    let credentials = ClientCredentials::new(CLIENT_ID, CLIENT_SECRET).map_err(|e| e.to_json())?;
    let mut tokens =
        TokenPolicy::new(credentials, environment, TokenScope::Api).map_err(|e| e.to_json())?;
    let mut ticket = TokenTicket::new();
    let now = SystemTime::now();
    loop {
        match tokens.poll(&mut ticket, now).map_err(|e| e.to_json())? {
            TokenStep::Use(auth) => return Ok(auth),
            TokenStep::Fetch(_, request) => match send(agent, &request) {
                Ok(answer) => tokens
                    .on_token_response(&mut ticket, &answer, now)
                    .map_err(|e| e.to_json())?,
                Err(failure) => {
                    return Err(tokens
                        .on_token_transport_error(&mut ticket, failure)
                        .to_json())
                }
            },
            TokenStep::Wait(_) => unreachable!("one caller never waits for another"),
        }
    }
}

fn entropy() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes
}

/// Every way the outcomes and the server's report differ from `expect`:
/// the outcome's expectations are checked on every call of the scenario,
/// the server's on the run as a whole.
fn compare(
    expect: &Value,
    outcomes: &[Result<Value, Value>],
    report: &Value,
    run: &Run,
) -> Vec<String> {
    let mut differences = Vec::new();
    let empty = Map::new();
    let expect = expect.as_object().unwrap_or(&empty);
    for (name, expected) in expect {
        let mut differ = |what: &str, expected: &Value, actual: &Value| {
            if expected != actual {
                differences.push(format!("{what}: expected {expected}, got {actual}"));
            }
        };
        match name.as_str() {
            "requests" | "otherOriginRequests" | "connections" => {
                differ(name, expected, &report[name])
            }
            "seen" => {
                let seen: Vec<Value> = report["seen"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| json!({ "method": s["method"], "path": s["path"] }))
                    .collect();
                differ("seen", expected, &Value::Array(seen));
            }
            _ => {
                for (n, outcome) in outcomes.iter().enumerate() {
                    let mut one = Vec::new();
                    compare_outcome(name, expected, outcome, report, run, &mut one);
                    let call = match outcomes.len() {
                        1 => String::new(),
                        all => format!("call {} of {all}: ", n + 1),
                    };
                    differences.extend(one.into_iter().map(|d| format!("{call}{d}")));
                }
            }
        }
    }
    if !differences.is_empty() {
        for error in outcomes.iter().filter_map(|o| o.as_ref().err()) {
            differences.push(format!("(an error: {error})"));
        }
    }
    differences
}

/// Whether one call's outcome meets the expectation `name`.
fn compare_outcome(
    name: &str,
    expected: &Value,
    outcome: &Result<Value, Value>,
    report: &Value,
    run: &Run,
    differences: &mut Vec<String>,
) {
    let mut differ = |what: &str, expected: &Value, actual: &Value| {
        if expected != actual {
            differences.push(format!("{what}: expected {expected}, got {actual}"));
        }
    };
    let empty = Map::new();
    let (result, error) = match outcome {
        Ok(_) => ("ok", &empty),
        Err(error) => ("error", error.as_object().unwrap_or(&empty)),
    };
    let error_member = |name: &str| error.get(name).cloned().unwrap_or(Value::Null);
    match name {
        "result" => differ("result", expected, &json!(result)),
        "code" => differ("code", expected, &error_member("code")),
        "outcomeUnknown" => differ(
            "outcomeUnknown",
            expected,
            &json!(error_member("outcomeUnknown") == json!(true)),
        ),
        "applied" => differ(
            "applied",
            expected,
            &json!(error_member("applied") == json!(true)),
        ),
        "idempotencyKeyReported" => {
            let key = error_member("idempotencyKey");
            let reported = key.as_str().is_some_and(|k| !k.is_empty());
            differ("idempotencyKeyReported", expected, &json!(reported));
            if reported {
                for seen in report["seen"].as_array().into_iter().flatten() {
                    differ(
                        "the Idempotency-Key the server saw",
                        &key,
                        &seen["idempotencyKey"],
                    );
                }
            }
        }
        "sentIds" => {
            let sent = error_member("sentIds");
            for (id, value) in expected.as_object().into_iter().flatten() {
                differ(&format!("sentIds.{id}"), value, &sent[id]);
            }
        }
        "location" => differ(
            "location",
            &json!(run.place(expected.as_str().unwrap_or_default())),
            &error_member("location"),
        ),
        other => differ(
            &format!("unknown expectation {other:?}"),
            &Value::Null,
            expected,
        ),
    }
}

/// Every host runs the webhook scenarios against its own helpers (the Rust
/// core reads no request bodies itself); here they are only checked to be
/// well formed, so that a mistake shows in the first runner to read them.
#[test]
fn webhook_scenarios_are_well_formed() {
    let file = scenarios();
    let list = file["webhookScenarios"]
        .as_array()
        .expect("webhookScenarios");
    assert!(!list.is_empty());
    for scenario in list {
        let name = scenario["name"].as_str().expect("a name");
        let request = &scenario["request"];
        assert!(scenario["why"].is_string(), "{name}: why");
        assert!(request["bodyBytes"].is_u64(), "{name}: bodyBytes");
        let limit = scenario
            .get("limitBytes")
            .map_or(Some(1 << 20), Value::as_u64);
        let declared = request.get("contentLength").map(Value::as_u64);
        let past_limit = declared.flatten().or(request["bodyBytes"].as_u64()) > limit;
        assert!(
            past_limit,
            "{name}: every webhook scenario sends more than its limit"
        );
        assert_eq!(scenario["expect"]["status"], 413, "{name}");
    }
}

#[test]
fn scenario_names_are_unique_and_say_why() {
    let file = scenarios();
    let mut names = std::collections::BTreeSet::new();
    let lists = ["scenarios", "connectionScenarios", "webhookScenarios"];
    let all = lists
        .iter()
        .flat_map(|key| file[key].as_array().into_iter().flatten());
    for scenario in all {
        let name = scenario["name"].as_str().expect("a name");
        assert!(names.insert(name), "{name} is named twice");
        let why = scenario["why"].as_str().unwrap_or_default();
        assert!(
            why.len() > 40,
            "{name}: its why must say why the outcome is right"
        );
    }
}

/// The other origin counts what a following client would send it, so that
/// `otherOriginRequests: 0` means something: here a client that does
/// follow the redirect, by hand.
#[test]
fn a_followed_redirect_is_counted_with_its_credentials() {
    let server = Hostile::start();
    let Run {
        id,
        base_url,
        other_url,
    } = server.start_run("openbanking-oauth-token-request-redirect-cross-origin");
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .build(),
    );
    let form = "client_id=c&client_secret=s&grant_type=client_credentials";
    let redirect = agent
        .post(format!("{base_url}/oauth2/token"))
        .send(form)
        .expect("the redirect");
    assert_eq!(redirect.status(), 307);
    let location = redirect.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{other_url}/oauth2/token"));
    let followed = agent
        .post(&location)
        .header("lean-app-token", "t")
        .header("authorization", "Bearer t")
        .send(form)
        .expect("the other origin answers");
    assert_eq!(followed.status(), 200);
    let report = server.control("GET", &format!("runs/{id}"), None);
    assert_eq!(report["requests"], 1);
    assert_eq!(report["otherOriginRequests"], 1);
    assert_eq!(
        report["otherOriginCredentialHeaders"],
        json!(["authorization", "client_secret", "lean-app-token"])
    );
}

/// `connections: 1` means something only if a client that does not reuse
/// connections is counted as such: here three requests, each on an agent
/// of its own, then two on one agent.
#[test]
fn each_connection_that_carried_a_run_is_counted() {
    let server = Hostile::start();
    let Run { id, base_url, .. } = server.start_run("payouts-get-gig-five-times-one-connection");
    let agent = || {
        ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .proxy(None)
                .build(),
        )
    };
    let get = |agent: &ureq::Agent| {
        let mut answer = agent.get(format!("{base_url}/api/gig/g1")).call().unwrap();
        assert_eq!(answer.status(), 200);
        answer.body_mut().read_to_string().unwrap();
    };
    for _ in 0..3 {
        get(&agent());
    }
    let kept = agent();
    get(&kept);
    get(&kept);
    let report = server.control("GET", &format!("runs/{id}"), None);
    assert_eq!(report["requests"], 5);
    assert_eq!(report["connections"], 4);
}
