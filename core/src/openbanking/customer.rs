//! Customers: the partner's users, each linked to the bank entities they
//! connect (`/customers/v1`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::response_model::response_model;
use crate::error::{FieldError, FieldErrorCode};
use crate::input::{input_model, Nested};
use crate::validate::{self, Checker, Problem};
use crate::wire::wire_enum;

wire_enum! {
    /// The kind of a government identifier. Only `EMIRATES_ID` is
    /// documented; other kinds are sent as given (upper case).
    GovernmentIdType {
        /// A UAE Emirates ID number.
        EmiratesId = "EMIRATES_ID",
    }
}

/// A government identifier of a customer, required by Lean for
/// consent-based payments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "ObGovernmentIdentifier"))]
pub struct GovernmentIdentifier {
    /// What the number is.
    #[serde(rename = "type")]
    pub kind: GovernmentIdType,
    /// The number, as printed on the document.
    pub value: String,
}

impl GovernmentIdentifier {
    /// Reads `{"type", "value"}`; `field` names it in the error.
    pub(crate) fn from_json(item: &Value, field: &str) -> Result<Self, FieldError> {
        let text = |key: &str| item.get(key).and_then(Value::as_str);
        match (item.is_object(), text("type"), text("value")) {
            (true, kind, value) => Ok(Self {
                kind: GovernmentIdType::parse(kind.unwrap_or_default()),
                value: value.unwrap_or_default().to_owned(),
            }),
            _ => Err(FieldError::new(
                field,
                FieldErrorCode::InvalidType,
                "must be an object {\"type\": \"EMIRATES_ID\", \"value\": \"...\"}",
            )),
        }
    }

    /// Checks both parts, reported as `{field}.type` and `{field}.value`.
    pub(crate) fn checked(&self, checker: &mut Checker, field: &str) -> Option<Self> {
        let kind = checker.check(&format!("{field}.type"), id_type(&self.kind));
        let value = checker.check(&format!("{field}.value"), id_value(&self.kind, &self.value));
        Some(Self {
            kind: kind?,
            value: value?,
        })
    }
}

input_model! {
    /// A customer to create: `POST /customers/v1/`.
    pub struct NewCustomer as "a customer" {
        /// The partner's own id of the user: unique, 1 to 255 characters. Lean
        /// answers 409 `CUSTOMER_ALREADY_EXISTS` when it is taken.
        app_user_id: required(validate::identifier) = "app_user_id",
        /// Government identifiers, if any.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        government_identifiers: nested(Vec<GovernmentIdentifier>) = "government_identifiers",
    }
    impl {
        /// The wire names of the fields.
        const FIELDS;
        /// Reads and validates the JSON form (`{"app_user_id": ...}`).
        fn from_json;
        /// Checks every field; reports all problems at once.
        fn validate;
    }
}

impl NewCustomer {
    /// A customer with no government identifier.
    pub fn new(app_user_id: impl Into<String>) -> Self {
        Self {
            app_user_id: app_user_id.into(),
            government_identifiers: Vec::new(),
        }
    }
}

/// A list of identifiers, each read and checked as `field[i]`.
impl Nested for Vec<GovernmentIdentifier> {
    fn read(value: Option<&Value>, field: &str, errors: &mut Vec<FieldError>) -> Self {
        match value {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    GovernmentIdentifier::from_json(item, &format!("{field}[{i}]"))
                        .map_err(|e| errors.push(e))
                        .ok()
                })
                .collect(),
            Some(_) => {
                errors.push(FieldError::new(
                    field,
                    FieldErrorCode::InvalidType,
                    "must be an array of {\"type\", \"value\"} objects",
                ));
                Vec::new()
            }
        }
    }

    fn checked(&self, c: &mut Checker, field: &str) -> Self {
        self.iter()
            .enumerate()
            .filter_map(|(i, id)| id.checked(c, &format!("{field}[{i}]")))
            .collect()
    }
}

/// One identifier, if given.
impl Nested for Option<GovernmentIdentifier> {
    fn read(value: Option<&Value>, field: &str, errors: &mut Vec<FieldError>) -> Self {
        value.and_then(|item| {
            GovernmentIdentifier::from_json(item, field)
                .map_err(|e| errors.push(e))
                .ok()
        })
    }

    fn checked(&self, c: &mut Checker, field: &str) -> Self {
        self.as_ref().and_then(|id| id.checked(c, field))
    }
}

fn id_type(kind: &GovernmentIdType) -> validate::Rule<GovernmentIdType> {
    let text = kind.as_str().trim();
    if text.is_empty() {
        return Err(Problem::required());
    }
    if text.len() > 64 || !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(Problem::new(
            FieldErrorCode::InvalidFormat,
            "must be a code such as EMIRATES_ID: letters, digits and '_'",
        ));
    }
    Ok(GovernmentIdType::parse(&text.to_ascii_uppercase()))
}

/// Emirates ID numbers are 15 digits starting with 784 (the UAE's country
/// number), usually written `784-YYYY-NNNNNNN-C`; both forms are accepted
/// and sent as given. Other kinds: 1 to 255 characters.
fn id_value(kind: &GovernmentIdType, value: &str) -> validate::Rule<String> {
    let value = validate::identifier(value.trim())?;
    if *kind == GovernmentIdType::EmiratesId {
        let digits: String = value.chars().filter(|c| *c != '-').collect();
        if digits.len() != 15
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || !digits.starts_with("784")
        {
            return Err(Problem::new(
                FieldErrorCode::InvalidFormat,
                "must be an Emirates ID number: 15 digits starting with 784, such as 784-1990-1234567-1",
            ));
        }
    }
    Ok(value)
}

response_model! {
    /// A customer as the API returns it. Unknown fields are kept in `extra`.
    pub struct Customer as "ObCustomer" {
        /// Lean's id of the customer.
        pub customer_id: String,
        /// The partner's id of the user.
        pub app_user_id: Option<String>,
    }
}

/// One page of `GET /customers/v1`. The documents do not give the page's
/// shape: a bare array and an object holding the array in `content`,
/// `data` or `customers` are all read, and the object's other fields (page
/// number, totals) are kept in `extra`.
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "ObCustomerPage"))]
pub struct CustomerPage {
    /// The customers of this page.
    pub customers: Vec<Customer>,
    /// The paging fields of the answer, as sent (in Kotlin and Swift, the
    /// JSON text of an object).
    #[cfg_attr(
        feature = "tsify",
        serde(flatten),
        tsify(type = "Record<string, unknown>")
    )]
    pub extra: Map<String, Value>,
}
