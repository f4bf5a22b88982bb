//! What the two engine vector runners share (payouts `engine.json` and
//! open banking's): driving a call through a case's scripted exchanges, as
//! a host's transport loop does, and checking the attempts and events the
//! case expects (`tests/vectors/README.md`, "engine.json").

#![allow(dead_code)]

use std::time::Duration;

use lean_core::engine::Attempt;
use lean_core::{Drive, Error, HttpResponse, Step, TransportError};
use serde_json::Value;

/// How long every attempt takes by the runner's pretend clock, when it
/// reports with the timed methods.
pub const ELAPSED: Duration = Duration::from_millis(7);

/// What a call did through a case's exchanges.
pub struct Run<T> {
    pub result: Result<T, Error>,
    /// Every wait the engine asked for, in milliseconds.
    pub waits: Vec<u64>,
    /// Every event, drained after each step as hosts do, as JSON.
    pub events: Vec<Value>,
    /// The call's attempt list at its end, as JSON.
    pub attempts: Vec<Value>,
}

/// Drives `call` through the case's exchanges; `timed` reports each answer
/// with [`ELAPSED`] through the timed methods. Panics when the call sends
/// a request the case does not expect, or stops before the last exchange.
pub fn drive<D>(
    name: &str,
    case: &Value,
    call: &mut D,
    response: impl Fn(&Value) -> HttpResponse,
    timed: bool,
) -> Run<D::Outcome>
where
    D: Drive,
    D::Outcome: PartialEq + std::fmt::Debug,
{
    call.record_events(true);
    let mut exchanges = case["exchanges"].as_array().unwrap().iter();
    let mut waits = Vec::new();
    let mut events = Vec::new();
    let result = loop {
        let step = call.poll();
        events.extend(call.take_events().iter().map(|e| e.to_json()));
        match step {
            Step::Send(request) => {
                let exchange = exchanges
                    .next()
                    .unwrap_or_else(|| panic!("{name}: unexpected request {request:?}"));
                let want = &exchange["request"];
                assert_eq!(request.method.as_str(), want["method"], "{name}: method");
                let path = want["path"].as_str().unwrap();
                assert!(
                    request.url.ends_with(path),
                    "{name}: {} does not end with {path}",
                    request.url
                );
                for (header, value) in want["headers"].as_object().into_iter().flatten() {
                    assert_eq!(
                        request.header(header),
                        value.as_str(),
                        "{name}: header {header}"
                    );
                }
                let reply = &exchange["reply"];
                if let Some(reason) = reply.get("interrupt").and_then(Value::as_str) {
                    let error = call.interrupt(reason);
                    assert_eq!(
                        call.poll(),
                        Step::Done(Err(error.clone())),
                        "{name}: an interrupted call stays ended"
                    );
                    events.extend(call.take_events().iter().map(|e| e.to_json()));
                    break Err(error);
                }
                let failure = match reply.get("transportError").and_then(Value::as_str) {
                    Some("connect") => Some(TransportError::connect("refused")),
                    Some("timeout") => Some(TransportError::timeout("timed out")),
                    Some(_) => Some(TransportError::other("reset")),
                    None => None,
                };
                match (failure, timed) {
                    (Some(f), true) => call.on_transport_error_timed(f, ELAPSED),
                    (Some(f), false) => call.on_transport_error(f),
                    (None, true) => call.on_response_timed(response(reply), ELAPSED),
                    (None, false) => call.on_response(response(reply)),
                }
                events.extend(call.take_events().iter().map(|e| e.to_json()));
            }
            Step::Wait(delay) => waits.push(delay.as_millis() as u64),
            Step::Done(result) => break result,
        }
    };
    assert!(
        exchanges.next().is_none(),
        "{name}: the engine stopped before every exchange was used"
    );
    let attempts = call.attempt_log().iter().map(Attempt::to_json).collect();
    Run {
        result,
        waits,
        events,
        attempts,
    }
}

/// Checks a run against the case's `attempts` and `events`: the attempt
/// list exactly (apart from `elapsedMs`, which must be [`ELAPSED`] on
/// every attempt that ended when `timed`), the same list in the error and
/// in the `call_finished` event, and each event's given keys (`path` as a
/// suffix of the URL path).
pub fn check_trace<T>(name: &str, case: &Value, run: &Run<T>, timed: bool) {
    let want_attempts = case["attempts"].as_array().expect("attempts");
    let mut got = run.attempts.clone();
    for attempt in &mut got {
        let ended = attempt.get("status").is_some() || attempt.get("transportError").is_some();
        let elapsed = attempt.as_object_mut().unwrap().remove("elapsedMs");
        let want = (timed && ended).then(|| Value::from(ELAPSED.as_millis() as u64));
        assert_eq!(elapsed, want, "{name}: elapsedMs of {attempt}");
    }
    assert_eq!(&got, want_attempts, "{name}: attempts");
    if let Err(error) = &run.result {
        let json = error.to_json();
        let shown = json.get("attempts").and_then(Value::as_array);
        assert_eq!(
            shown.map(Vec::len),
            Some(run.attempts.len()),
            "{name}: the error's attempts"
        );
        assert_eq!(shown, Some(&run.attempts), "{name}: the error's attempts");
    }
    let want_events = case["events"].as_array().expect("events");
    let names: Vec<&str> = run
        .events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        run.events.len(),
        want_events.len(),
        "{name}: events {names:?}"
    );
    for (got, want) in run.events.iter().zip(want_events) {
        for (key, value) in want.as_object().unwrap() {
            if key == "path" {
                let path = got[key].as_str().unwrap();
                assert!(
                    path.ends_with(value.as_str().unwrap()),
                    "{name}: path {path} of {got}"
                );
            } else {
                assert_eq!(&got[key], value, "{name}: {key} of {got}");
            }
        }
        for key in ["level", "message"] {
            assert!(got[key].is_string(), "{name}: {key} of {got}");
        }
    }
    let last = run.events.last().expect("a call_finished event");
    assert_eq!(
        last["attempts"],
        Value::Array(run.attempts.clone()),
        "{name}: the attempts of call_finished"
    );
}
