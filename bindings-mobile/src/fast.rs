//! C entry points for the calls made per request or per keystroke: webhook
//! verification and form validation. uniffi's Kotlin calls allocate JNA structures for every
//! argument buffer and call status, which costs tens of microseconds; a
//! direct-mapped function taking a pointer and plain integers costs well
//! under one. The verifier is still built (and errors still described)
//! through uniffi; this only answers "valid or which problem".

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// Result codes of [`lean_sdk_fast_verify`].
const VALID: i32 = 0;
const INVALID: i32 = 1;
const FAILED: i32 = -1;

/// A strong reference to a verifier, as a handle for the C entry point.
pub(crate) fn handle(verifier: &Arc<lean_core::WebhookVerifier>) -> u64 {
    Arc::into_raw(Arc::clone(verifier)) as u64
}

/// Checks `signature` (`signature_len < 0` when the header is absent)
/// against `payload`: 0 when valid, 1 when not (the host asks the uniffi
/// method for the detailed error), -1 on a bad handle or a caught panic.
///
/// # Safety
/// `handle` comes from `NativeWebhookVerifier::fast_handle` and has not
/// been released; the pointers are valid for their lengths.
#[no_mangle]
pub unsafe extern "C" fn lean_sdk_fast_verify(
    handle: u64,
    payload: *const u8,
    payload_len: i32,
    signature: *const u8,
    signature_len: i32,
) -> i32 {
    if handle == 0 || payload_len < 0 || (payload_len > 0 && payload.is_null()) {
        return FAILED;
    }
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller keeps the handle alive and the buffers valid.
        let verifier = unsafe { &*(handle as *const lean_core::WebhookVerifier) };
        let payload = match payload_len {
            0 => &[][..],
            n => unsafe { std::slice::from_raw_parts(payload, n as usize) },
        };
        let signature = match signature_len {
            n if n < 0 || signature.is_null() => None,
            0 => Some(""),
            n => {
                let bytes = unsafe { std::slice::from_raw_parts(signature, n as usize) };
                match std::str::from_utf8(bytes) {
                    Ok(text) => Some(text),
                    Err(_) => return INVALID,
                }
            }
        };
        match verifier.verify(payload, signature) {
            Ok(()) => VALID,
            Err(_) => INVALID,
        }
    }))
    .unwrap_or(FAILED)
}

/// Validates an operation in the host-neutral JSON form
/// (`{"operation": "createGig", "input": {...}}`): 0 when valid, 1 when
/// not (the host asks the uniffi constructor for the field errors), -1 on
/// bad arguments or a caught panic. Form validation on every keystroke
/// stays a sub-microsecond crossing.
///
/// # Safety
/// `call_json` is valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lean_sdk_fast_check(call_json: *const u8, len: i32) -> i32 {
    if len < 0 || (len > 0 && call_json.is_null()) {
        return FAILED;
    }
    catch_unwind(AssertUnwindSafe(|| {
        let bytes = match len {
            0 => &[][..],
            // SAFETY: the caller keeps the buffer valid for `len` bytes.
            n => unsafe { std::slice::from_raw_parts(call_json, n as usize) },
        };
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(call) if lean_core::Operation::from_json(&call).is_ok() => VALID,
            _ => INVALID,
        }
    }))
    .unwrap_or(FAILED)
}

/// Releases a handle from `NativeWebhookVerifier::fast_handle`.
///
/// # Safety
/// `handle` is released once, after its last use.
#[no_mangle]
pub unsafe extern "C" fn lean_sdk_fast_release(handle: u64) {
    if handle != 0 {
        // SAFETY: the handle came from `Arc::into_raw` and is released once.
        drop(unsafe { Arc::from_raw(handle as *const lean_core::WebhookVerifier) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_through_the_c_entry_point() {
        let secret = lean_core::WebhookSecret::from("whsec_test");
        let verifier = Arc::new(lean_core::WebhookVerifier::new([&secret]).unwrap());
        let handle = handle(&verifier);
        let body = b"{\"event\":\"gig.completed\"}";
        let good = lean_core::webhooks::sign(&secret, body);
        let call = |sig: Option<&str>| unsafe {
            let (ptr, len) = sig.map_or((std::ptr::null(), -1), |s| (s.as_ptr(), s.len() as i32));
            lean_sdk_fast_verify(handle, body.as_ptr(), body.len() as i32, ptr, len)
        };
        assert_eq!(call(Some(&good)), VALID);
        assert_eq!(call(Some("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")), INVALID);
        assert_eq!(call(None), INVALID);
        assert_eq!(
            unsafe { lean_sdk_fast_verify(0, body.as_ptr(), 1, std::ptr::null(), -1) },
            FAILED
        );
        unsafe { lean_sdk_fast_release(handle) };
        let valid = br#"{"operation":"getGig","gigId":"g1"}"#;
        let invalid = br#"{"operation":"getGig","gigId":""}"#;
        assert_eq!(
            unsafe { lean_sdk_fast_check(valid.as_ptr(), valid.len() as i32) },
            VALID
        );
        assert_eq!(
            unsafe { lean_sdk_fast_check(invalid.as_ptr(), invalid.len() as i32) },
            INVALID
        );
        assert_eq!(unsafe { lean_sdk_fast_check(std::ptr::null(), 3) }, FAILED);
        assert_eq!(Arc::strong_count(&verifier), 1);
    }
}
