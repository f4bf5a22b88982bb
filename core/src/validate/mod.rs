//! The API's input rules, one function per kind of field.
//!
//! Each rule takes the caller's text and returns either the normalised value
//! that goes on the wire or a [`Problem`]. A `Checker` runs the rules of one
//! input and collects every problem as a [`FieldError`] under the field's
//! wire name, so all invalid fields are reported at once. The sandbox runs
//! these same functions, so the SDK and the server can never disagree.
//!
//! Normalisations (all documented on the rule that applies them): surrounding
//! white space is trimmed from free text; state codes are upper-cased; phone
//! numbers are reduced to their ten digits; nine-digit ZIP codes gain their
//! hyphen; amounts are written with two decimals; times with an offset are
//! converted to UTC.

mod contact;
mod datetime;
mod region;
mod text;

pub use contact::{email, phone_number};
pub use datetime::{calendar_date, timestamp, Timestamp};
pub use region::{postal_code, us_state, US_STATE_CODES};
pub use text::{city, description, identifier, person_name, street, NAME_PUNCTUATION};

use crate::error::{FieldError, FieldErrorCode, ValidationError};

/// Why one value was refused, before it is attached to a field name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The machine reason.
    pub code: FieldErrorCode,
    /// The human sentence, without the field name.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(code: FieldErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn required() -> Self {
        Self::new(FieldErrorCode::Required, "is required")
    }
}

/// The outcome of one rule.
pub type Rule<T> = Result<T, Problem>;

/// Collects the problems of one input under wire field names.
#[derive(Debug, Default)]
pub(crate) struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Starts from problems found while reading the input (wrong JSON types,
    /// unknown fields). Fields already reported are not checked again, so
    /// each field carries its most precise error only.
    pub(crate) fn with_errors(errors: Vec<FieldError>) -> Self {
        Self { errors }
    }

    /// Records the problem of `outcome` under `field`, and returns its value.
    pub(crate) fn check<T>(&mut self, field: &str, outcome: Rule<T>) -> Option<T> {
        if self.has(field) {
            return None;
        }
        match outcome {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    /// Like [`Checker::check`] for an optional field: `None` and blank text
    /// mean "not given" and pass.
    pub(crate) fn check_optional<T>(
        &mut self,
        field: &str,
        value: Option<&str>,
        rule: impl FnOnce(&str) -> Rule<T>,
    ) -> Option<T> {
        match value {
            Some(text) if !text.trim().is_empty() => self.check(field, rule(text)),
            _ => None,
        }
    }

    pub(crate) fn add(&mut self, field: &str, problem: Problem) {
        if !self.has(field) {
            self.errors
                .push(FieldError::new(field, problem.code, problem.message));
        }
    }

    pub(crate) fn has(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// Hands back `value` when no problem was recorded.
    pub(crate) fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, ValidationError> {
        if self.errors.is_empty() {
            if let Some(value) = value() {
                return Ok(value);
            }
        }
        Err(ValidationError {
            errors: if self.errors.is_empty() {
                // Unreachable by construction: a missing value always comes
                // with a recorded problem. Kept as an error, not a panic.
                vec![FieldError::new(
                    "$",
                    FieldErrorCode::InvalidValue,
                    "the input could not be validated",
                )]
            } else {
                self.errors
            },
        })
    }
}

/// A validation error of one field.
pub(crate) fn field_error(field: &str, problem: Problem) -> crate::Error {
    crate::Error::Validation(ValidationError {
        errors: vec![FieldError::new(field, problem.code, problem.message)],
    })
}

/// An id the caller names a record by (it goes into a URL), checked as
/// [`identifier`] and reported under `field`.
pub(crate) fn path_id(field: &str, id: &str) -> Result<String, crate::Error> {
    identifier(id).map_err(|p| field_error(field, p))
}

/// Joins the field errors of several failed checks into one error, so that
/// a form shows every problem at once; any other error wins only when no
/// field failed. `None` when there was nothing to join.
pub(crate) fn merge_errors(errors: impl IntoIterator<Item = crate::Error>) -> Option<crate::Error> {
    let mut fields: Vec<FieldError> = Vec::new();
    let mut other = None;
    for error in errors {
        match error {
            crate::Error::Validation(v) => fields.extend(v.errors),
            e => other = other.or(Some(e)),
        }
    }
    match other {
        Some(e) if fields.is_empty() => Some(e),
        _ if fields.is_empty() => None,
        _ => Some(crate::Error::Validation(ValidationError { errors: fields })),
    }
}

/// Shared by the text rules: trims, refuses blank text and text longer than
/// `max` characters.
pub(crate) fn trimmed(text: &str, max: usize) -> Rule<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::required());
    }
    let count = text.chars().count();
    if count > max {
        return Err(Problem::new(
            FieldErrorCode::TooLong,
            format!("must be at most {max} characters (got {count})"),
        ));
    }
    Ok(text)
}

/// Asserts that `rule` refuses each text with its code; a failure names
/// the text.
#[cfg(test)]
fn assert_refused<T: std::fmt::Debug>(rule: fn(&str) -> Rule<T>, cases: &[(&str, FieldErrorCode)]) {
    for (text, code) in cases {
        assert_eq!(rule(text).unwrap_err().code, *code, "{text:?}");
    }
}
