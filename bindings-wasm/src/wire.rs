//! The calls in progress and the step messages both wasm modules exchange
//! with the shared JS transport loop (`npm/src/transport.js`). The
//! open-banking module compiles this same file, so the two speak one format.
//!
//! A step is JSON text: `{"send": {method, url, headers: {name: value}}}`,
//! `{"wait": ms}`, `{"done": {"value": ...}}` or `{"done": {"error": ...}}`.
//! A request's body follows the JSON of its send step after a line break,
//! as it is: the JSON head never holds a raw line break (strings escape
//! them), and a body carried inside the JSON would be escaped here and
//! unescaped by `JSON.parse` for nothing. The step that starts a call also
//! names it (`"call": id`), for the next `poll`, reports and `finish`.
//!
//! Calls live in a [`Calls`] table owned by the module's `Client`, and JS
//! holds their number: a wasm-bindgen object per call would cost a
//! `FinalizationRegistry` entry and one more crossing per call, the hot
//! path of every request. The JS loop finishes every call it starts
//! (`finally`), and a client's calls go with it.

use std::fmt::Write;

use lean_core::{push_json_string, Drive, Error, HttpRequest, HttpResponse, Step, TransportError};
use serde_json::Value;

/// A call's result as the JS layer reads it (`done.value`): each module's
/// outcome type has its host-neutral JSON.
pub(crate) trait OutcomeJson {
    /// The outcome in the API's camelCase shape.
    fn to_json(&self) -> Value;
}

/// The calls of one client in progress, by number. Numbers of finished
/// calls are reused.
pub(crate) struct Calls<C> {
    slots: Vec<Option<C>>,
    vacant: Vec<u32>,
}

impl<C> Default for Calls<C> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            vacant: Vec::new(),
        }
    }
}

impl<C: Drive> Calls<C>
where
    C::Outcome: OutcomeJson,
{
    /// Keeps `call` and returns its first step, which names it.
    pub(crate) fn start(&mut self, mut call: C) -> String {
        let step = call.poll();
        let id = match self.vacant.pop() {
            Some(id) => {
                self.slots[id as usize] = Some(call);
                id
            }
            None => {
                self.slots.push(Some(call));
                // A client never holds 4 billion calls at once: JS would
                // have run out of memory for their promises long before.
                u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
            }
        };
        step_text(step, Some(id))
    }

    /// The next step of call `id`, after a report or a wait.
    pub(crate) fn poll(&mut self, id: u32) -> String {
        let step = match self.get(id) {
            Some(call) => call.poll(),
            None => Step::Done(Err(not_running(id))),
        };
        step_text(step, None)
    }

    /// Reports the answer to call `id`'s last request. A call that is not
    /// running says so at its next `poll`.
    pub(crate) fn on_response(&mut self, id: u32, response: HttpResponse) {
        if let Some(call) = self.get(id) {
            call.on_response(response);
        }
    }

    /// Reports that call `id`'s last request failed below HTTP.
    pub(crate) fn on_transport_error(&mut self, id: u32, error: TransportError) {
        if let Some(call) = self.get(id) {
            call.on_transport_error(error);
        }
    }

    /// Ends call `id`, which the host cannot go on with (the caller
    /// aborted it): the error JSON that says whether a request was in
    /// flight, and the idempotency key and ids it carried.
    pub(crate) fn interrupt(&mut self, id: u32, reason: &str) -> String {
        let error = match self.get(id) {
            Some(call) => call.interrupt(reason),
            None => not_running(id),
        };
        error.to_json().to_string()
    }

    /// Forgets call `id` (finished, or abandoned by the JS loop).
    pub(crate) fn finish(&mut self, id: u32) {
        if let Some(slot) = self.slots.get_mut(id as usize) {
            if slot.take().is_some() {
                self.vacant.push(id);
            }
        }
    }

    fn get(&mut self, id: u32) -> Option<&mut C> {
        self.slots.get_mut(id as usize).and_then(Option::as_mut)
    }
}

/// The exports that step a client's calls, the same in both modules: a
/// second `#[wasm_bindgen] impl` of the module's `Client`, whose `calls`
/// field is a [`Calls`].
macro_rules! call_stepping_exports {
    () => {
        #[wasm_bindgen::prelude::wasm_bindgen]
        impl Client {
            /// The next step of call `call`, after a report or a wait.
            pub fn poll(&mut self, call: u32) -> String {
                self.calls.poll(call)
            }

            /// Reports the answer to the call's last request. `headers`
            /// alternates names and values, as `Headers` iterates them.
            #[wasm_bindgen(js_name = onResponse)]
            pub fn on_response(
                &mut self,
                call: u32,
                status: u16,
                headers: Vec<String>,
                body: Vec<u8>,
            ) {
                let response =
                    lean_core::HttpResponse::new(status, $crate::wire::header_pairs(headers), body);
                self.calls.on_response(call, response);
            }

            /// Reports that the call's last request failed below HTTP:
            /// `kind` is `"connect"` (nothing was sent), `"timeout"` or
            /// `"other"`.
            #[wasm_bindgen(js_name = onTransportError)]
            pub fn on_transport_error(&mut self, call: u32, kind: &str, message: &str) {
                let error = lean_core::TransportError::from_kind_name(kind, message);
                self.calls.on_transport_error(call, error);
            }

            /// Ends a call the caller interrupted (its `AbortSignal`);
            /// returns the error JSON to throw, which says what was sent.
            pub fn interrupt(&mut self, call: u32, reason: &str) -> String {
                self.calls.interrupt(call, reason)
            }

            /// Forgets a call: the JS loop finishes every call it starts.
            pub fn finish(&mut self, call: u32) {
                self.calls.finish(call);
            }
        }
    };
}
pub(crate) use call_stepping_exports;

/// The error of a step asked of a call that is not running: a bug of the JS
/// layer, so `internal`.
fn not_running(id: u32) -> Error {
    Error::from_panic(&format!(
        "call {id} is not running (finished, or never started)"
    ))
}

/// One step as text (see the module documentation); `call` names the call
/// in the step that starts it.
fn step_text<T: OutcomeJson>(step: Step<T>, call: Option<u32>) -> String {
    let mut out = String::new();
    out.push('{');
    if let Some(id) = call {
        // Writing to a String cannot fail.
        let _ = write!(out, "\"call\":{id},");
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
            let _ = write!(out, "\"done\":{{\"value\":{}}}}}", outcome.to_json());
        }
        Step::Done(Err(error)) => {
            let _ = write!(out, "\"done\":{{\"error\":{}}}}}", error.to_json());
        }
    }
    out
}

/// A send step that starts no call: the open-banking module's OAuth token
/// request.
#[allow(dead_code)] // The payouts module has no such request.
pub(crate) fn send_text(request: &HttpRequest) -> String {
    let mut out = String::from("{");
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
pub(crate) fn header_pairs(headers: Vec<String>) -> Vec<(String, String)> {
    let mut pairs = Vec::with_capacity(headers.len() / 2);
    let mut iter = headers.into_iter();
    while let (Some(name), Some(value)) = (iter.next(), iter.next()) {
        pairs.push((name, value));
    }
    pairs
}
