//! The one conversion point from core errors to Python exceptions, and the
//! panic guard every entry point runs under.
//!
//! The exception classes live in Python (`lean_sdk/_errors.py`), built from
//! `Error::to_json()`, so that codes and details are never re-derived here.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::convert::json_to_py;

static FROM_CORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Python exception for a core error (`lean_sdk._errors._from_core`).
pub fn to_pyerr(py: Python<'_>, error: &lean_core::Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let factory = FROM_CORE.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            Ok(py
                .import("lean_sdk._errors")?
                .getattr("_from_core")?
                .unbind())
        })?;
        let details = json_to_py(py, &error.to_json())?;
        Ok(PyErr::from_value(factory.bind(py).call1((details,))?))
    };
    build().unwrap_or_else(|e| e)
}

/// Runs `f`, turning a panic into `lean_sdk.LeanError` (code `internal`).
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(to_pyerr(py, &lean_core::Error::from_panic(&*payload))),
    }
}

/// A configuration error built here (bad timeout, bad entropy).
pub fn configuration(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_pyerr(
        py,
        &lean_core::Error::Configuration {
            message: message.into(),
        },
    )
}
