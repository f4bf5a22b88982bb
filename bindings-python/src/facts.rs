//! The core's own lists of what the hand-written Python declares again (the
//! exception classes, the `TypedDict`s of each create's keywords), so that
//! a test fails when the two drift apart.

use lean_core::{openbanking as ob, Error};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// `{"errorCodes": [...], "inputFields": {operation: [wire names]},
/// "defaults": {setting: seconds or count}}`, each as the core declares it
/// (`ob.` before an open-banking operation or setting).
#[pyfunction]
pub fn core_facts(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let facts = PyDict::new(py);
    facts.set_item("errorCodes", Error::CODES.to_vec())?;
    let inputs = PyDict::new(py);
    inputs.set_item("createCustomer", lean_core::NewCustomer::FIELDS)?;
    inputs.set_item("updateCustomer", lean_core::CustomerUpdate::FIELDS)?;
    inputs.set_item("createGig", lean_core::NewGig::FIELDS)?;
    inputs.set_item("createSpecialPayment", lean_core::NewSpecialPayment::FIELDS)?;
    inputs.set_item("ob.createCustomer", ob::NewCustomer::FIELDS)?;
    inputs.set_item("ob.createPaymentIntent", ob::NewPaymentIntent::FIELDS)?;
    inputs.set_item("ob.createPaymentDestination", ob::NewDestination::FIELDS)?;
    facts.set_item("inputFields", inputs)?;
    let retry = lean_core::RetryPolicy::default();
    let defaults = PyDict::new(py);
    defaults.set_item("max_retries", retry.max_retries)?;
    defaults.set_item("initial_backoff", retry.initial_backoff.as_secs_f64())?;
    defaults.set_item("max_backoff", retry.max_backoff.as_secs_f64())?;
    defaults.set_item("max_retry_after", retry.max_retry_after.as_secs_f64())?;
    defaults.set_item("timeout", lean_core::payouts::DEFAULT_TIMEOUT.as_secs_f64())?;
    defaults.set_item("ob.timeout", ob::DEFAULT_TIMEOUT.as_secs_f64())?;
    defaults.set_item(
        "ob.token_renewal_margin",
        ob::auth::DEFAULT_RENEWAL_MARGIN.as_secs_f64(),
    )?;
    facts.set_item("defaults", defaults)?;
    Ok(facts)
}
