//! Runs `tests/vectors/openbanking/tokens.json` through
//! `lean_core::openbanking::TokenPolicy`: each case is a sequence of steps
//! by named callers (one `TokenTicket` each) sharing one policy, with the
//! decision expected at every step. The format is in the README beside the
//! vectors; every host runs the same file through its own client.

mod vector_cases;

use std::collections::HashMap;
use std::time::Duration;

use lean_core::openbanking::{
    AfterUnauthorized, Auth, ClientCredentials, FetchId, TokenPolicy, TokenScope, TokenStep,
    TokenTicket,
};
use lean_core::{Error, TransportError};
use serde_json::Value;
use vector_cases::*;

/// Plays one case's steps, panicking at the first that differs.
fn play(case: &Value) {
    let text = |key: &str| case[key].as_str().unwrap_or_default();
    let environment = environment(&case["environment"]).expect("an environment");
    let credentials = ClientCredentials::new(text("clientId"), text("clientSecret")).unwrap();
    let mut policy = TokenPolicy::new(credentials, environment.clone(), TokenScope::Api).unwrap();
    if let Some(margin) = case["marginSeconds"].as_u64() {
        policy = policy.with_renewal_margin(Duration::from_secs(margin));
    }
    policy.record_events(true);
    let mut tickets: HashMap<String, TokenTicket> = HashMap::new();
    // Fetches in the order they started: the vectors number them from 1.
    let mut fetches: Vec<FetchId> = Vec::new();
    let steps = case["steps"].as_array().expect("steps");
    for (index, step) in steps.iter().enumerate() {
        let caller = step["caller"].as_str().expect("a caller").to_owned();
        let ticket = tickets.entry(caller.clone()).or_default();
        let expect = &step["expect"];
        let context = format!("step {} ({caller} {})", index + 1, step["action"]);
        let failure: Option<Error> = match step["action"].as_str().unwrap() {
            "poll" => match policy.poll(ticket, at(&step["at"])) {
                Ok(TokenStep::Use(Auth::Bearer(token))) => {
                    assert_eq!(Some(token.expose()), expect["use"].as_str(), "{context}");
                    None
                }
                Ok(TokenStep::Use(other)) => panic!("{context}: not a bearer token: {other:?}"),
                Ok(TokenStep::Fetch(fetch, request)) => {
                    fetches.push(fetch);
                    assert_eq!(
                        Some(fetches.len() as u64),
                        expect["fetch"].as_u64(),
                        "{context}: fetch number"
                    );
                    assert_eq!(request.url, environment.token_url().unwrap(), "{context}");
                    None
                }
                Ok(TokenStep::Wait(fetch)) => {
                    let number = fetches.iter().position(|f| *f == fetch).map(|i| i + 1);
                    assert_eq!(
                        number.map(|n| n as u64),
                        expect["wait"].as_u64(),
                        "{context}: the fetch waited for"
                    );
                    None
                }
                Err(error) => Some(error),
            },
            "tokenResponse" => policy
                .on_token_response(ticket, &response(&step["response"]), at(&step["at"]))
                .err(),
            "tokenTransportError" => {
                let error = TransportError::from_kind_name(
                    step["kind"].as_str().unwrap(),
                    step["message"].as_str().unwrap(),
                );
                Some(policy.on_token_transport_error(ticket, error))
            }
            "unauthorized" => {
                let decision = match policy.on_unauthorized(ticket) {
                    AfterUnauthorized::RenewAndRetry => "renewAndRetry",
                    AfterUnauthorized::Fail => "fail",
                };
                assert_eq!(Some(decision), expect.as_str(), "{context}");
                None
            }
            other => panic!("{context}: unknown action {other}"),
        };
        match (failure, expect.get("error")) {
            (None, None) => {}
            (Some(error), Some(want)) => check_error(want, &error),
            (Some(error), None) => panic!("{context}: unexpected error {error:?}"),
            (None, Some(want)) => panic!("{context}: expected the error {want}"),
        }
        let events: Vec<Value> = policy.take_events().iter().map(|e| e.to_json()).collect();
        let want = step["events"].as_array().expect("events");
        assert_eq!(events.len(), want.len(), "{context}: events {events:?}");
        for (got, want) in events.iter().zip(want) {
            for (key, value) in want.as_object().unwrap() {
                assert_eq!(&got[key], value, "{context}: {key} of {got}");
            }
        }
    }
}

#[test]
fn token_policy() {
    let ran = each_case("openbanking/tokens.json", play);
    assert!(ran >= 10, "{ran} token policy vectors");
}
