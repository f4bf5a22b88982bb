//! The Lean SDK for Python, through pyo3.
