//! Tests of the call driver with the payouts engine.

use crate::calls::{finish, on_transport_error, poll, send_text, start_call};
use lean_core::{Config, Environment, HttpRequest, Operation};
use serde_json::Value;

fn get_gig() -> lean_core::Call {
    let config = Config::new("key_1", Environment::Sandbox).expect("a config");
    let operation = Operation::get_gig("gig 1").expect("an id");
    lean_core::Call::new(&config, operation, [1; 32]).expect("a call")
}

#[test]
fn a_call_is_named_by_its_first_step_and_its_number_is_reused_once_finished() {
    let first = start_call(get_gig());
    assert!(
        first.starts_with(r#"{"call":0,"send":{"method":"GET","url":"#),
        "{first}"
    );
    assert!(first.contains(r#"/gig/gig%201""#), "{first}");
    assert!(!first.contains('\n'), "a GET has no body: {first}");
    let second = start_call(get_gig());
    assert!(second.starts_with(r#"{"call":1,"#), "{second}");
    finish(0);
    finish(0);
    assert!(start_call(get_gig()).starts_with(r#"{"call":0,"#));
    assert!(start_call(get_gig()).starts_with(r#"{"call":2,"#));
}

#[test]
fn a_body_follows_the_json_of_its_step_as_it_is() {
    let request = HttpRequest {
        method: lean_core::Method::Post,
        url: "https://example.test/oauth2/token".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Some("{\"description\":\"line\\nbreak \\\"quoted\\\"\"}".into()),
    };
    let text = send_text("\"fetch\":1,", &request);
    let (head, body) = text.split_once('\n').expect("a line break");
    let head: Value = serde_json::from_str(head).expect("JSON");
    assert_eq!(head["fetch"], 1);
    assert_eq!(head["send"]["headers"]["content-type"], "application/json");
    assert_eq!(Some(body), request.body.as_deref());
}

#[test]
fn steps_of_a_call_that_is_not_running_are_internal_errors() {
    on_transport_error(7, "other", "reset");
    let step: Value = serde_json::from_str(&poll(7)).expect("JSON");
    assert_eq!(step["done"]["error"]["code"], "internal", "{step}");
}
