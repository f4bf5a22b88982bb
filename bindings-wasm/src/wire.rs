//! The step messages both wasm modules exchange with the shared JS
//! transport loop (`npm/src/transport.js`). The open-banking module compiles
//! this same file, so the two speak one format.

use lean_core::HttpRequest;

/// `{"send": {method, url, headers: [[name, value], ...], body}}`, written
/// straight from the request: the hot step of every call, and building a
/// `Value` first (a copy of every string, a map per object) cost more than
/// writing the text.
pub(crate) fn send_json(request: &HttpRequest) -> String {
    let body_len = request.body.as_ref().map_or(4, String::len);
    let mut out = Vec::with_capacity(128 + request.url.len() + body_len * 2);
    out.extend_from_slice(b"{\"send\":{\"method\":");
    push_json(&mut out, request.method.as_str());
    out.extend_from_slice(b",\"url\":");
    push_json(&mut out, &request.url);
    out.extend_from_slice(b",\"headers\":[");
    for (i, (name, value)) in request.headers.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"[" } else { b",[" });
        push_json(&mut out, name);
        out.push(b',');
        push_json(&mut out, value);
        out.push(b']');
    }
    out.extend_from_slice(b"],\"body\":");
    match &request.body {
        Some(body) => push_json(&mut out, body),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"}}");
    // Only JSON punctuation and serde_json's escaped UTF-8 were written.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `text` as a JSON string.
fn push_json(out: &mut Vec<u8>, text: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
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
