//! Python values to the JSON the core reads, and JSON back to Python.
//!
//! Amounts stay exact: `decimal.Decimal` becomes its plain decimal string and
//! `int` an integer. A `float` becomes a JSON number with a fraction, which
//! the core refuses for amounts (the message is then reworded for Python by
//! [`explain_floats`]); it is allowed where the API takes free JSON
//! (`userdata`). Dates and times (`datetime`, `date`) become their ISO 8601
//! text.

use lean_core::{Error, FieldError, FieldErrorCode, ValidationError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

/// Deeper input than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 32;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Why a Python value has no JSON form, with the top-level field it sits in.
pub struct Unsupported {
    pub field: String,
    pub message: String,
}

impl Unsupported {
    /// The validation error naming the field.
    pub fn into_error(self) -> Error {
        Error::Validation(ValidationError {
            errors: vec![FieldError::new(
                self.field,
                FieldErrorCode::InvalidType,
                self.message,
            )],
        })
    }
}

/// Converts a Python value; `field` names it in errors.
pub fn to_json(value: &Bound<'_, PyAny>, field: &str) -> Result<Value, Unsupported> {
    convert(value, field, 0)
}

fn convert(value: &Bound<'_, PyAny>, field: &str, depth: usize) -> Result<Value, Unsupported> {
    let unsupported = |message: String| Unsupported {
        field: field.to_owned(),
        message,
    };
    if depth > MAX_DEPTH {
        return Err(unsupported(format!(
            "is nested more than {MAX_DEPTH} levels deep"
        )));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(text) = value.cast::<PyString>() {
        let text = text
            .to_cow()
            .map_err(|_| unsupported("is text that is not valid Unicode".to_owned()))?;
        return Ok(Value::String(text.into_owned()));
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            return Ok(Value::Number(n.into()));
        }
        if let Ok(n) = value.extract::<u64>() {
            return Ok(Value::Number(n.into()));
        }
        // Too large for JSON integers: its digits, which the rules refuse
        // as out of range wherever a number is expected.
        return Ok(Value::String(value.to_string()));
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        // A non-finite float has no JSON form; any fractional number keeps
        // the "not a float" error where an amount is expected.
        return Ok(Value::Number(
            Number::from_f64(float.value())
                .unwrap_or_else(|| Number::from_f64(0.5).expect("0.5 is finite")),
        ));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| unsupported(format!("has a key that is not text: {key}")))?
                .to_cow()
                .map_err(|_| unsupported("has a key that is not valid Unicode".to_owned()))?
                .into_owned();
            let child = if depth == 0 { key.as_str() } else { field };
            map.insert(key.clone(), convert(&item, child, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items: Result<Vec<Value>, Unsupported> = value
            .try_iter()
            .map_err(|e| unsupported(e.to_string()))?
            .map(|item| match item {
                Ok(item) => convert(&item, field, depth + 1),
                Err(e) => Err(unsupported(e.to_string())),
            })
            .collect();
        return items.map(Value::Array);
    }
    let py = value.py();
    if let Ok(decimal) = DECIMAL.import(py, "decimal", "Decimal") {
        if value.is_instance(decimal).unwrap_or(false) {
            // Fixed-point text, never an exponent: Decimal("1E+1") is "10".
            return value
                .call_method1("__format__", ("f",))
                .map(|s| Value::String(s.to_string()))
                .map_err(|e| unsupported(e.to_string()));
        }
    }
    if value.hasattr("isoformat").unwrap_or(false) {
        if let Ok(text) = value.call_method0("isoformat") {
            if let Ok(text) = text.cast::<PyString>() {
                return Ok(Value::String(text.to_string()));
            }
        }
    }
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned());
    Err(unsupported(format!(
        "must be text, a number, a decimal.Decimal, a date, a list or a dict, not a Python {type_name}"
    )))
}

/// Rewords the core's "not a number" amount errors for values that were a
/// Python `float`, so that the message says what to pass instead.
pub fn explain_floats(error: Error, input: Option<&Bound<'_, PyAny>>) -> Error {
    let (Error::Validation(mut validation), Some(input)) = (error.clone(), input) else {
        return error;
    };
    for e in &mut validation.errors {
        let was_float = input
            .get_item(&e.field)
            .map(|v| v.is_instance_of::<PyFloat>())
            .unwrap_or(false);
        if was_float
            && e.code == FieldErrorCode::InvalidType
            && e.message.starts_with("must be a string such as")
        {
            e.message = "must be a str or decimal.Decimal such as \"15.50\" or Decimal(\"15.50\"), not a float: binary floating point cannot hold every amount exactly".to_owned();
        }
    }
    Error::Validation(validation)
}

/// JSON from the core to plain Python objects (dict, list, str, int,
/// float, bool, None).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}
