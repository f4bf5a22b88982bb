//! Handles: the integers the JVM's direct entry points ([`crate::jvm`],
//! [`crate::fast`]) use to name Rust objects.
//!
//! A handle is an entry in one table of reference-counted objects, never a
//! raw pointer: a released, forged or stale handle is refused with an
//! error instead of touching freed memory. Numbers are never reused, so a
//! handle released on one thread cannot name another object later. Each
//! entry is an `Arc`, so an object in use by one call stays alive while
//! another thread releases its handle.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

/// An object the host refers to by handle.
#[derive(Clone)]
pub(crate) enum Object {
    /// A client's configuration (`NativeConfig::handle`).
    Config(Arc<lean_core::Config>),
    /// A webhook verifier (`NativeWebhookVerifier::fast_handle`).
    Verifier(Arc<lean_core::WebhookVerifier>),
    /// A call in progress, started through [`crate::jvm::begin`].
    Call(crate::jvm::SharedCall),
}

/// Handles are consecutive numbers issued here, not input an attacker
/// chooses, so one multiplication spreads them (SipHash would cost as much
/// as the rest of a webhook check's crossing).
#[derive(Default)]
struct Spread(u64);

impl Hasher for Spread {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type Table = RwLock<HashMap<u64, Object, BuildHasherDefault<Spread>>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

/// Registers `object` and returns its new handle (never 0).
pub(crate) fn insert(object: Object) -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let handle = NEXT.fetch_add(1, Ordering::Relaxed);
    table()
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(handle, object);
    handle
}

/// The object behind `handle`, or `None` when it was released or never
/// issued.
pub(crate) fn get(handle: u64) -> Option<Object> {
    table()
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(&handle)
        .cloned()
}

/// Forgets `handle`; the object is dropped once no call still uses it.
/// False when the handle was not live (released twice, or forged).
pub(crate) fn release(handle: u64) -> bool {
    let removed = table()
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .remove(&handle);
    // Dropped outside the lock: dropping a call frees its buffers.
    removed.is_some()
}

/// How many handles are live: for the leak tests.
pub(crate) fn live() -> usize {
    table()
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_handle_is_refused_and_never_reused() {
        let secret = lean_core::WebhookSecret::from("whsec_test");
        let verifier = Arc::new(lean_core::WebhookVerifier::new([&secret]).unwrap());
        let first = insert(Object::Verifier(Arc::clone(&verifier)));
        assert!(matches!(get(first), Some(Object::Verifier(_))));
        assert!(release(first));
        assert!(get(first).is_none());
        assert!(!release(first), "a second release is refused");
        let second = insert(Object::Verifier(Arc::clone(&verifier)));
        assert_ne!(first, second);
        assert!(release(second));
        assert_eq!(Arc::strong_count(&verifier), 1, "no reference leaked");
        assert!(get(0).is_none());
    }
}
