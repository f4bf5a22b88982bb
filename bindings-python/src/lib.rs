//! The native half of the Python package `lean_sdk` (imported as
//! `lean_sdk._native`).
//!
//! It is deliberately thin: Python values are converted to the core's JSON
//! entry points (`Operation::from_json`, `Outcome::to_json`,
//! `Error::to_json`) and back, and every entry point runs under a panic
//! guard so that a bug surfaces as `lean_sdk.LeanError`, never as pyo3's
//! `PanicException`. The idiomatic API (clients, exceptions, typed results)
//! is the Python code in `python/lean_sdk/`.

mod call;
mod convert;
mod drive;
mod errors;
mod facts;
mod ob_webhooks;
mod openbanking;
mod webhooks;

use pyo3::prelude::*;

/// Panics on purpose, under the same guard as every other entry point, so
/// that the tests can prove a panic reaches Python as `LeanError`. Its
/// message is not printed (a real panic's is, by the default hook).
#[pyfunction]
fn _trigger_panic(py: Python<'_>) -> PyResult<()> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = errors::guard(py, || -> PyResult<()> {
        panic!("a deliberate panic for the tests")
    });
    std::panic::set_hook(hook);
    result
}

#[pymodule]
#[pyo3(name = "_native")]
fn native_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SDK_VERSION", lean_core::SDK_VERSION)?;
    m.add_class::<call::Config>()?;
    m.add_class::<call::Call>()?;
    m.add_function(wrap_pyfunction!(call::validate, m)?)?;
    m.add_class::<webhooks::WebhookVerifier>()?;
    m.add_function(wrap_pyfunction!(webhooks::sign, m)?)?;
    m.add_class::<openbanking::Environment>()?;
    m.add_class::<openbanking::ObConfig>()?;
    m.add_class::<openbanking::ObAuth>()?;
    m.add_class::<openbanking::ObCall>()?;
    m.add_class::<openbanking::TokenPolicy>()?;
    m.add_class::<openbanking::TokenTicket>()?;
    m.add_class::<openbanking::Token>()?;
    m.add_function(wrap_pyfunction!(openbanking::ob_validate, m)?)?;
    m.add_class::<ob_webhooks::ObWebhookVerifier>()?;
    m.add_function(wrap_pyfunction!(ob_webhooks::ob_sign, m)?)?;
    m.add_function(wrap_pyfunction!(facts::core_facts, m)?)?;
    m.add_function(wrap_pyfunction!(_trigger_panic, m)?)?;
    Ok(())
}
