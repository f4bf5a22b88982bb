//! Python values to the JSON the core reads, and JSON back to Python.
//!
//! Amounts stay exact: `decimal.Decimal` becomes its plain decimal string and
//! `int` an integer. A `float` becomes a JSON number with a fraction, which
//! the core refuses for amounts (the message is then reworded for Python by
//! [`explain_floats`]); it is allowed where the API takes free JSON
//! (`userdata`). Dates and times (`datetime`, `date`) become their ISO 8601
//! text.

use lean_core::{Error, FieldError, FieldErrorCode, ValidationError, MAX_AMOUNT_TEXT};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde_json::{Map, Number, Value};

/// Deeper input than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 32;

// Numbers with more digits before or after the point than the core reads
// in an amount's whole text (`MAX_AMOUNT_TEXT`) are refused before they are
// written out: no field the API takes needs that many, and writing out
// `Decimal("1E+900000000")` would take gigabytes.

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Why a Python value has no JSON form, with the top-level field it sits in.
pub struct Unsupported {
    pub field: String,
    pub code: FieldErrorCode,
    pub message: String,
}

impl Unsupported {
    /// The validation error naming the field.
    pub fn into_error(self) -> Error {
        Error::Validation(ValidationError {
            errors: vec![FieldError::new(self.field, self.code, self.message)],
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
        code: FieldErrorCode::InvalidType,
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
        // as out of range wherever a number is expected. The bit length
        // bounds the digits before any are written out.
        let bits: usize = value
            .call_method0("bit_length")
            .and_then(|n| n.extract())
            .map_err(|e| unsupported(e.to_string()))?;
        if bits > MAX_AMOUNT_TEXT * 10 / 3 {
            return Err(too_many_digits(field, "before the point"));
        }
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
            return decimal_text(value, field).map(Value::String);
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

fn too_many_digits(field: &str, place: &str) -> Unsupported {
    Unsupported {
        field: field.to_owned(),
        code: if place == "after the point" {
            FieldErrorCode::TooManyDecimals
        } else {
            FieldErrorCode::OutOfRange
        },
        message: format!(
            "has more than {MAX_AMOUNT_TEXT} digits {place}: far beyond any amount the API takes (at most 999,999,999,999.99)"
        ),
    }
}

/// A `decimal.Decimal` as fixed-point text (`Decimal("1E+1")` is `"10"`),
/// written here from its digits and exponent (`as_tuple()`), which are
/// checked first: formatting a huge exponent would expand it in full.
fn decimal_text(value: &Bound<'_, PyAny>, field: &str) -> Result<String, Unsupported> {
    let unsupported = |message: String| Unsupported {
        field: field.to_owned(),
        code: FieldErrorCode::InvalidType,
        message,
    };
    let parts = value
        .call_method0("as_tuple")
        .map_err(|e| unsupported(e.to_string()))?;
    let (sign, digits, exponent): (u8, Bound<'_, PyTuple>, Bound<'_, PyAny>) = parts
        .extract()
        .map_err(|e: PyErr| unsupported(e.to_string()))?;
    // NaN and infinities carry a letter ('n', 'N', 'F') for an exponent.
    let exponent: i64 = exponent
        .extract()
        .map_err(|_| unsupported("must be a finite number, not NaN or infinity".to_owned()))?;
    if digits.len() > MAX_AMOUNT_TEXT * 2 {
        return Err(too_many_digits(field, "in all"));
    }
    let mut digits: Vec<u8> = digits
        .iter()
        .map(|d| d.extract::<u8>().map(|d| b'0' + d))
        .collect::<PyResult<_>>()
        .map_err(|e| unsupported(e.to_string()))?;
    // Trailing zeros after the point do not change the value: 1.500 is 1.50.
    let mut exponent = exponent;
    while exponent < 0 && digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
        exponent += 1;
    }
    let whole = digits.len() as i64 + exponent;
    if whole > MAX_AMOUNT_TEXT as i64 {
        return Err(too_many_digits(field, "before the point"));
    }
    if -exponent > MAX_AMOUNT_TEXT as i64 {
        return Err(too_many_digits(field, "after the point"));
    }
    let mut text = String::with_capacity(MAX_AMOUNT_TEXT * 2 + 3);
    if sign == 1 {
        text.push('-');
    }
    let digits = String::from_utf8(digits).unwrap_or_default();
    if exponent >= 0 {
        text.push_str(&digits);
        text.extend(std::iter::repeat_n('0', exponent as usize));
    } else if whole > 0 {
        let (before, after) = digits.split_at(whole as usize);
        text.push_str(before);
        text.push('.');
        text.push_str(after);
    } else {
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', (-whole) as usize));
        text.push_str(&digits);
    }
    Ok(text)
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
