//! Any status, headers and body given to every operation's parser: a typed
//! result or a typed error, never a panic.
#![no_main]

use lean_core::{parse_response, HttpResponse, OperationKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Layout: 2 bytes of status, 1 byte choosing the headers, then the body.
    let [hi, lo, flags, body @ ..] = data else {
        return;
    };
    let status = u16::from_be_bytes([*hi, *lo]) % 600;
    let text = String::from_utf8_lossy(body);
    let mut headers = Vec::new();
    if flags & 1 != 0 {
        headers.push(("Retry-After".to_owned(), text.chars().take(40).collect()));
    }
    if flags & 2 != 0 {
        headers.push(("Date".to_owned(), text.chars().skip(40).take(40).collect()));
    }
    if flags & 4 != 0 {
        headers.push(("X-Request-Id".to_owned(), text.chars().take(8).collect()));
    }
    let response = HttpResponse::new(status, headers, body.to_vec());
    for kind in OperationKind::ALL {
        match parse_response(kind, &response) {
            Ok(outcome) => {
                let _ = outcome.to_json();
            }
            Err(error) => {
                let _ = error.to_json();
            }
        }
    }
});
