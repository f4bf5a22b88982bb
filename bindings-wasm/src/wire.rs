//! The step messages both wasm modules exchange with the shared JS
//! transport loop (`npm/src/transport.js`). The open-banking module compiles
//! this same file, so the two speak one format.

use lean_core::{push_json_string, HttpRequest};

/// `{"send": {method, url, headers: [[name, value], ...], body}}`, written
/// straight from the request: the hot step of every call, and building a
/// `Value` first (a copy of every string, a map per object) cost more than
/// writing the text.
pub(crate) fn send_json(request: &HttpRequest) -> String {
    let body_len = request.body.as_ref().map_or(4, String::len);
    let mut out = String::with_capacity(128 + request.url.len() + body_len * 2);
    out.push_str("{\"send\":{\"method\":");
    push_json_string(&mut out, request.method.as_str());
    out.push_str(",\"url\":");
    push_json_string(&mut out, &request.url);
    out.push_str(",\"headers\":[");
    for (i, (name, value)) in request.headers.iter().enumerate() {
        out.push_str(if i == 0 { "[" } else { ",[" });
        push_json_string(&mut out, name);
        out.push(',');
        push_json_string(&mut out, value);
        out.push(']');
    }
    out.push_str("],\"body\":");
    match &request.body {
        Some(body) => push_json_string(&mut out, body),
        None => out.push_str("null"),
    }
    out.push_str("}}");
    out
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
