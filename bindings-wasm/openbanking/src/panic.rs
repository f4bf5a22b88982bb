//! Panics, made survivable, exactly as in the payouts module (see its
//! `panic.rs`): the hook leaves the panic as the core's `internal` error
//! JSON under `globalThis[Symbol.for("lean-sdk.panic")]` and schedules a
//! fresh instance; the shared JS boundary (`npm/src/wasm.js`, bundled once
//! per module) turns the trap into a catchable `LeanError`. The key is
//! shared with the payouts module on purpose: it is read and deleted in the
//! same synchronous turn as the trap that set it.

use wasm_bindgen::prelude::*;

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

/// Asks for a fresh instance on the next call, after a trap that was not a
/// panic (its instance state cannot be trusted either).
#[wasm_bindgen(js_name = scheduleReinit)]
pub fn schedule_reinit() {
    wasm_bindgen::handler::schedule_reinit();
}

/// Panics on purpose, so that the package's tests can prove a panic in this
/// module becomes a catchable `internal` error. Not part of the public API.
#[wasm_bindgen(js_name = __testPanic)]
pub fn test_panic(message: &str) {
    panic!("{message}");
}

/// Does nothing, on purpose: the glue runs its pending re-initialisation
/// before any export, so calling this right after a trap swaps the instance
/// before the next call copies arguments into the old one's memory.
#[wasm_bindgen(js_name = reinitNow)]
pub fn reinit_now() {}
