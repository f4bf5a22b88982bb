//! Panics, made survivable.
//!
//! `wasm32-unknown-unknown` aborts on panic (stable Rust cannot unwind
//! there), so `catch_unwind` cannot stop one at the boundary. Instead the
//! panic hook leaves the panic, as the core's `internal` error JSON, under
//! `globalThis[Symbol.for("lean-sdk.panic")]` and schedules a fresh
//! WebAssembly instance for the next call. The JS layer catches the trap
//! (`WebAssembly.RuntimeError`), reads that JSON and throws a `LeanError`
//! with code `internal`: the module stays usable.

use wasm_bindgen::prelude::*;

/// Where the hook leaves the last panic for the JS layer.
const PANIC_KEY: &str = "lean-sdk.panic";

#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let error = lean_core::Error::from_panic(info.payload());
        let _ = js_sys::Reflect::set(
            &js_sys::global(),
            &js_sys::Symbol::for_(PANIC_KEY),
            &JsValue::from_str(&error.to_json().to_string()),
        );
        wasm_bindgen::handler::schedule_reinit();
    }));
}

/// Asks for a fresh instance on the next call. The JS layer calls it after
/// any trap that did not come from a panic (out of memory, stack overflow),
/// whose instance state cannot be trusted either.
#[wasm_bindgen(js_name = scheduleReinit)]
pub fn schedule_reinit() {
    wasm_bindgen::handler::schedule_reinit();
}

/// Panics on purpose, so that the package's tests can prove a panic
/// becomes a catchable `internal` error. Not part of the public API.
#[wasm_bindgen(js_name = __testPanic)]
pub fn test_panic(message: &str) {
    panic!("{message}");
}

/// Does nothing, on purpose: the glue runs its pending re-initialisation
/// before any export, and this one has no arguments to copy into the old
/// instance's memory first. The JS layer calls it right after a trap.
#[wasm_bindgen(js_name = reinitNow)]
pub fn reinit_now() {}
