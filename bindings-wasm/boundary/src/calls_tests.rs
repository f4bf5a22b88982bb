//! Tests of the call driver with the payouts engine.

use crate::calls::{
    finish, interrupt, on_response, on_transport_error, poll, send_text, start_call,
};
use lean_core::{Config, Environment, HttpRequest, Operation};
use serde_json::Value;

fn get_gig() -> lean_core::Call {
    let config = Config::new("key_1", Environment::Sandbox).expect("a config");
    let operation = Operation::get_gig("gig 1").expect("an id");
    lean_core::Call::new(&config, operation, [1; 32]).expect("a call")
}

#[test]
fn a_call_is_named_by_its_first_step_and_its_number_is_reused_once_finished() {
    let first = start_call(get_gig(), false);
    assert!(
        first.starts_with(r#"{"call":0,"send":{"method":"GET","url":"#),
        "{first}"
    );
    assert!(first.contains(r#"/gig/gig%201""#), "{first}");
    assert!(!first.contains('\n'), "a GET has no body: {first}");
    let second = start_call(get_gig(), false);
    assert!(second.starts_with(r#"{"call":1,"#), "{second}");
    finish(0);
    finish(0);
    assert!(start_call(get_gig(), false).starts_with(r#"{"call":0,"#));
    assert!(start_call(get_gig(), false).starts_with(r#"{"call":2,"#));
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
    on_transport_error(7, "other", "reset", 1.0);
    let step: Value = serde_json::from_str(&poll(7)).expect("JSON");
    assert_eq!(step["done"]["error"]["code"], "internal", "{step}");
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

#[test]
fn steps_carry_the_events_drained_with_them_and_a_value_its_attempts() {
    let first = parse(&start_call(get_gig(), true));
    let id = first["call"].as_u64().expect("a call number") as u32;
    assert_eq!(first["events"][0]["event"], "attempt_sent", "{first}");
    let headers = vec!["x-request-id".to_owned(), "req-1".to_owned()];
    on_response(id, 503, headers, Vec::new(), 12.7);
    let wait = parse(&poll(id));
    let names: Vec<&str> = wait["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["event"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["answer_received", "retry_scheduled"], "{wait}");
    assert_eq!(wait["events"][0]["elapsedMs"], 12, "{wait}");
    assert!(wait["wait"].is_u64(), "{wait}");
    assert!(parse(&poll(id))["send"].is_object());
    let body = br#"{"gigId":"gig 1","status":"PENDING"}"#.to_vec();
    on_response(
        id,
        200,
        vec!["x-request-id".into(), "req-2".into()],
        body,
        f64::NAN,
    );
    let done = parse(&poll(id));
    let attempts = &done["done"]["attempts"];
    assert_eq!(attempts[0]["requestId"], "req-1", "{done}");
    assert_eq!(attempts[1]["requestId"], "req-2", "{done}");
    assert_eq!(
        attempts[1]["elapsedMs"], 0,
        "a clock that is not finite reads 0: {done}"
    );
    let last = done["events"]
        .as_array()
        .and_then(|e| e.last())
        .expect("events");
    assert_eq!(last["event"], "call_finished", "{done}");
    finish(id);
}

#[test]
fn a_call_without_events_records_none_and_still_lists_its_attempts() {
    let first = parse(&start_call(get_gig(), false));
    let id = first["call"].as_u64().expect("a call number") as u32;
    assert!(first.get("events").is_none(), "{first}");
    let step = parse(&interrupt(id, "cancelled"));
    assert!(step.get("events").is_none(), "{step}");
    let error = &step["done"]["error"];
    assert_eq!(error["code"], "transport", "{step}");
    assert_eq!(error["attempts"][0]["attempt"], 1, "{step}");
    finish(id);
}
