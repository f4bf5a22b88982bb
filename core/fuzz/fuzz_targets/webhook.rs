//! Any body and signature header: verify and construct_event answer with a
//! result or a typed error, never a panic; a body signed with the secret
//! always verifies.
#![no_main]

use lean_core::webhooks::{self, WebhookVerifier};
use lean_core::WebhookSecret;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Layout: 1 byte of header length, the header, then the body.
    let Some((&len, rest)) = data.split_first() else {
        return;
    };
    let (header, body) = rest.split_at((len as usize).min(rest.len()));
    let header = String::from_utf8_lossy(header);
    let secrets = [
        WebhookSecret::from("whsec_old"),
        WebhookSecret::from("whsec_new"),
    ];
    let Ok(verifier) = WebhookVerifier::new(&secrets) else {
        panic!("two non-empty secrets must make a verifier");
    };
    let _ = verifier.verify(body, Some(&header));
    let _ = verifier.construct_event(body, Some(&header));
    let _ = webhooks::parse_event(body).map(|event| event.to_json());
    let good = webhooks::sign(&secrets[1], body);
    assert!(
        verifier.verify(body, Some(&good)).is_ok(),
        "a correct signature was refused"
    );
    if let Ok(event) = verifier.construct_event(body, Some(&good)) {
        let _ = event.to_json();
    }
});
