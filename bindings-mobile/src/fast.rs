//! Plain C entry points for webhook verification (`include/lean_sdk_fast.h`),
//! for hosts that call C directly: a handle, pointers and lengths in, a
//! result code out, with no copy and no per-call allocation. Swift's
//! `Webhooks.Verifier` calls it with the body's own bytes (the generated
//! call copies `Data` into a Rust buffer byte by byte on Linux, several
//! microseconds per KiB). The JVM package uses the JNI entry points of
//! [`crate::jvm`] instead; the benchmarks time this one through JNA too.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::handles::{self, Object};

/// Result codes of [`lean_sdk_fast_verify`].
pub(crate) const VALID: i32 = 0;
pub(crate) const INVALID: i32 = 1;
pub(crate) const FAILED: i32 = -1;

/// Checks `signature` against `payload` with the verifier behind `handle`:
/// [`VALID`], [`INVALID`] (the host asks the generated binding for the
/// detailed error), or [`FAILED`] for a released or unknown handle.
pub(crate) fn verify(handle: u64, payload: &[u8], signature: Option<&[u8]>) -> i32 {
    let Some(Object::Verifier(verifier)) = handles::get(handle) else {
        return FAILED;
    };
    let signature = match signature.map(std::str::from_utf8) {
        None => None,
        Some(Ok(text)) => Some(text),
        Some(Err(_)) => return INVALID,
    };
    match verifier.verify(payload, signature) {
        Ok(()) => VALID,
        Err(_) => INVALID,
    }
}

/// Checks `signature` (`signature_len < 0` when the header is absent)
/// against `payload`: 0 when valid, 1 when not (the host asks the uniffi
/// method for the detailed error), -1 on a released or unknown handle or a
/// caught panic.
///
/// # Safety
/// The pointers are valid for their lengths.
#[no_mangle]
pub unsafe extern "C" fn lean_sdk_fast_verify(
    handle: u64,
    payload: *const u8,
    payload_len: i32,
    signature: *const u8,
    signature_len: i32,
) -> i32 {
    if payload_len < 0 || (payload_len > 0 && payload.is_null()) {
        return FAILED;
    }
    catch_unwind(AssertUnwindSafe(|| {
        let payload = match payload_len {
            0 => &[][..],
            // SAFETY: the caller keeps the buffer valid for its length.
            n => unsafe { std::slice::from_raw_parts(payload, n as usize) },
        };
        let signature = match signature_len {
            n if n < 0 || signature.is_null() => None,
            0 => Some(&[][..]),
            // SAFETY: as above.
            n => Some(unsafe { std::slice::from_raw_parts(signature, n as usize) }),
        };
        verify(handle, payload, signature)
    }))
    .unwrap_or(FAILED)
}

/// Releases a handle from `NativeWebhookVerifier::fast_handle`: 0 when
/// released, -1 when it was not live (released already, or never issued).
#[no_mangle]
pub extern "C" fn lean_sdk_fast_release(handle: u64) -> i32 {
    if handles::release(handle) {
        0
    } else {
        FAILED
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn verifies_through_the_c_entry_point() {
        let secret = lean_core::WebhookSecret::from("whsec_test");
        let verifier = Arc::new(lean_core::WebhookVerifier::new([&secret]).unwrap());
        let handle = handles::insert(Object::Verifier(Arc::clone(&verifier)));
        let body = b"{\"event\":\"gig.completed\"}";
        let good = lean_core::webhooks::sign(&secret, body);
        let call = |handle: u64, sig: Option<&str>| unsafe {
            let (ptr, len) = sig.map_or((std::ptr::null(), -1), |s| (s.as_ptr(), s.len() as i32));
            lean_sdk_fast_verify(handle, body.as_ptr(), body.len() as i32, ptr, len)
        };
        assert_eq!(call(handle, Some(&good)), VALID);
        assert_eq!(call(handle, Some("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")), INVALID);
        assert_eq!(call(handle, None), INVALID);
        assert_eq!(call(0, Some(&good)), FAILED);
        assert_eq!(lean_sdk_fast_release(handle), 0);
        assert_eq!(
            call(handle, Some(&good)),
            FAILED,
            "a released handle is refused"
        );
        assert_eq!(lean_sdk_fast_release(handle), FAILED);
        assert_eq!(Arc::strong_count(&verifier), 1);
    }
}
