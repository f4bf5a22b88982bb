//! The call driver of both wasm modules: the calls in progress, and the
//! step messages they exchange with the JS transport loop
//! (`npm/src/transport.js`), one format for both APIs.
//!
//! A step is JSON text: `{"send": {method, url, headers: {name: value}}}`,
//! `{"wait": ms}`, `{"done": {"value": ...}}` or `{"done": {"error": ...}}`.
//! A request's body follows the JSON of its send step after a line break,
//! as it is: the JSON head never holds a raw line break (strings escape
//! them), and a body carried inside the JSON would be escaped here and
//! unescaped by `JSON.parse` for nothing. The step that starts a call also
//! names it (`"call": id`), for the next `poll`, reports and `finish`.
//!
//! What a call reports for the caller's logging rides on its steps: a
//! call started with events on carries, in any step after which the core
//! recorded some, `"events": [...]` (each the core's `Event::to_json()`),
//! drained as the step is written, so logging costs no crossing of its
//! own. A done step always carries the call's attempts: `"attempts"` in
//! the error's JSON, or next to the value (`{"value", "attempts"}`), so
//! that every outcome names its request ids.
//!
//! A client's `start` hands its call to [`start_call`]; the module keeps
//! it in one table and JS holds its number, which the exports here take: a
//! wasm-bindgen object per call would cost a `FinalizationRegistry` entry
//! and one more crossing per call, the hot path of every request. The JS
//! loop finishes every call it starts (`finally`).

use std::cell::RefCell;
use std::fmt::Write;
use std::time::Duration;

use lean_core::engine::{Attempt, Event};
use lean_core::{
    push_json_string, Drive, Error, HttpRequest, HttpResponse, Outcome, Step, TransportError,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// A call's result as the JS layer reads it (`done.value`): each API's
/// outcome type has its host-neutral JSON.
pub trait OutcomeJson {
    /// The outcome in the API's own shape.
    fn to_json(&self) -> Value;
}

impl OutcomeJson for Outcome {
    fn to_json(&self) -> Value {
        Outcome::to_json(self)
    }
}

impl OutcomeJson for lean_core::openbanking::Outcome {
    fn to_json(&self) -> Value {
        lean_core::openbanking::Outcome::to_json(self)
    }
}

/// Values held for the JS layer by number (calls, token tickets): JS keeps
/// the number, and numbers of removed values are reused.
pub struct Slots<T> {
    slots: Vec<Option<T>>,
    vacant: Vec<u32>,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            vacant: Vec::new(),
        }
    }
}

impl<T> Slots<T> {
    /// Keeps `value`; returns its number.
    pub fn insert(&mut self, value: T) -> u32 {
        match self.vacant.pop() {
            Some(id) => {
                self.slots[id as usize] = Some(value);
                id
            }
            None => {
                self.slots.push(Some(value));
                // A module never holds 4 billion values at once: JS would
                // have run out of memory for their promises long before.
                u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
            }
        }
    }

    /// The value numbered `id`, if it is held.
    pub fn get(&mut self, id: u32) -> Option<&mut T> {
        self.slots.get_mut(id as usize).and_then(Option::as_mut)
    }

    /// Forgets the value numbered `id`.
    pub fn remove(&mut self, id: u32) {
        if let Some(slot) = self.slots.get_mut(id as usize) {
            if slot.take().is_some() {
                self.vacant.push(id);
            }
        }
    }
}

/// A call of either API's engine as the driver holds it: its steps as
/// text.
trait Stepping {
    fn poll_text(&mut self, id: Option<u32>) -> String;
    fn on_response(&mut self, response: HttpResponse, elapsed: Duration);
    fn on_transport_error(&mut self, error: TransportError, elapsed: Duration);
    fn interrupt(&mut self, reason: &str);
}

impl<C: Drive> Stepping for C
where
    C::Outcome: OutcomeJson,
{
    fn poll_text(&mut self, id: Option<u32>) -> String {
        let step = self.poll();
        let events = self.take_events();
        step_text(step, id, &events, self.attempt_log())
    }

    fn on_response(&mut self, response: HttpResponse, elapsed: Duration) {
        self.on_response_timed(response, elapsed);
    }

    fn on_transport_error(&mut self, error: TransportError, elapsed: Duration) {
        self.on_transport_error_timed(error, elapsed);
    }

    fn interrupt(&mut self, reason: &str) {
        // The error is the next poll's: it carries the attempts, and the
        // poll drains the events the interruption recorded.
        let _ = Drive::interrupt(self, reason);
    }
}

thread_local! {
    /// The calls in progress, of every client of the module.
    static CALLS: RefCell<Slots<Box<dyn Stepping>>> = RefCell::new(Slots::default());
}

/// Runs `f` on call `id`, or says it is not running.
fn with_call<T>(id: u32, f: impl FnOnce(&mut dyn Stepping) -> T) -> Option<T> {
    CALLS.with(|calls| calls.borrow_mut().get(id).map(|call| f(call.as_mut())))
}

/// Keeps `call` for the JS loop and returns its first step, which names it.
/// `events` turns the core's event recording on, for a client with a
/// logger: off, nobody pays for events.
pub fn start_call<C>(mut call: C, events: bool) -> String
where
    C: Drive + 'static,
    C::Outcome: OutcomeJson,
{
    call.record_events(events);
    let id = CALLS.with(|calls| calls.borrow_mut().insert(Box::new(call)));
    with_call(id, |c| c.poll_text(Some(id))).unwrap_or_default()
}

/// The next step of call `call`, after a report or a wait.
#[wasm_bindgen]
pub fn poll(call: u32) -> String {
    with_call(call, |c| c.poll_text(None)).unwrap_or_else(|| ended(call))
}

/// The step of a call that is not running.
fn ended(call: u32) -> String {
    step_text::<Outcome>(Step::Done(Err(not_running(call))), None, &[], &[])
}

/// Milliseconds measured by the JS clock (`performance.now()`
/// differences) as a duration. `as` saturates, so a bad reading is never a
/// panic: NaN and negatives read as zero.
fn elapsed(ms: f64) -> Duration {
    Duration::from_micros((ms * 1000.0) as u64)
}

/// Reports the answer to the call's last request, `elapsed_ms` after it
/// was handed to `fetch` (for the attempt list and the events). `headers`
/// alternates names and values, as `Headers` iterates them. A call that
/// is not running says so at its next `poll`.
#[wasm_bindgen(js_name = onResponse)]
pub fn on_response(call: u32, status: u16, headers: Vec<String>, body: Vec<u8>, elapsed_ms: f64) {
    let response = HttpResponse::new(status, header_pairs(headers), body);
    with_call(call, |c| c.on_response(response, elapsed(elapsed_ms)));
}

/// Reports that the call's last request failed below HTTP, `elapsed_ms`
/// after it was handed over: `kind` is `"connect"` (nothing was sent),
/// `"timeout"` or `"other"`.
#[wasm_bindgen(js_name = onTransportError)]
pub fn on_transport_error(call: u32, kind: &str, message: &str, elapsed_ms: f64) {
    let error = TransportError::from_kind_name(kind, message);
    with_call(call, |c| c.on_transport_error(error, elapsed(elapsed_ms)));
}

/// Ends a call the caller interrupted (its `AbortSignal`); returns its
/// done step, whose error says whether a request was in flight, and the
/// idempotency key and ids it carried.
#[wasm_bindgen]
pub fn interrupt(call: u32, reason: &str) -> String {
    with_call(call, |c| {
        c.interrupt(reason);
        c.poll_text(None)
    })
    .unwrap_or_else(|| ended(call))
}

/// Forgets a call: the JS loop finishes every call it starts (`finally`).
#[wasm_bindgen]
pub fn finish(call: u32) {
    CALLS.with(|calls| calls.borrow_mut().remove(call));
}

/// The error of a step asked of a call that is not running: a bug of the JS
/// layer, so `internal`.
fn not_running(id: u32) -> Error {
    Error::from_panic(&format!(
        "call {id} is not running (finished, or never started)"
    ))
}

/// One step as text (see the module documentation); `call` names the call
/// in the step that starts it, `events` are those drained with it, and
/// `attempts` the call's so far (written with a value).
fn step_text<T: OutcomeJson>(
    step: Step<T>,
    call: Option<u32>,
    events: &[Event],
    attempts: &[Attempt],
) -> String {
    let mut out = String::new();
    out.push('{');
    if let Some(id) = call {
        // Writing to a String cannot fail.
        let _ = write!(out, "\"call\":{id},");
    }
    if !events.is_empty() {
        out.push_str("\"events\":[");
        for (i, event) in events.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}", event.to_json());
        }
        out.push_str("],");
    }
    match step {
        Step::Send(request) => {
            write_send(&mut out, &request);
            return out;
        }
        Step::Wait(delay) => {
            // In u64: formatting a u128 would link its own code.
            let millis = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            let _ = write!(out, "\"wait\":{millis}}}");
        }
        Step::Done(Ok(outcome)) => {
            let _ = write!(
                out,
                "\"done\":{{\"value\":{},\"attempts\":{}}}}}",
                outcome.to_json(),
                Attempt::list_json(attempts)
            );
        }
        Step::Done(Err(error)) => {
            let _ = write!(out, "\"done\":{{\"error\":{}}}}}", error.to_json());
        }
    }
    out
}

/// A send step that starts no call (`{<head>"send":...}`, the body after
/// it): the open-banking module's OAuth token request, `head` naming the
/// fetch.
pub fn send_text(head: &str, request: &HttpRequest) -> String {
    let mut out = String::from("{");
    out.push_str(head);
    write_send(&mut out, request);
    out
}

/// `"send":{"method":..,"url":..,"headers":{..}}}`, then the body after a
/// line break: written straight from the request, the hot step of every
/// call.
fn write_send(out: &mut String, request: &HttpRequest) {
    let body_len = request.body.as_ref().map_or(0, String::len);
    out.reserve(128 + request.url.len() + body_len);
    out.push_str("\"send\":{\"method\":");
    push_json_string(out, request.method.as_str());
    out.push_str(",\"url\":");
    push_json_string(out, &request.url);
    out.push_str(",\"headers\":{");
    for (i, (name, value)) in request.headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, name);
        out.push(':');
        push_json_string(out, value);
    }
    out.push_str("}}}");
    if let Some(body) = &request.body {
        out.push('\n');
        out.push_str(body);
    }
}

/// Headers as JS hands them over (`Headers` iterated: name, value, name,
/// value, ...), paired again.
pub fn header_pairs(headers: Vec<String>) -> Vec<(String, String)> {
    let mut pairs = Vec::with_capacity(headers.len() / 2);
    let mut iter = headers.into_iter();
    while let (Some(name), Some(value)) = (iter.next(), iter.next()) {
        pairs.push((name, value));
    }
    pairs
}
