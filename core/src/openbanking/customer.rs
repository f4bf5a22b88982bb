//! Customers: the partner's users, each linked to the bank entities they
//! connect (`/customers/v1`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::response_model::response_model;
use crate::error::{FieldErrorCode, ValidationError};
use crate::input::JsonInput;
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
    pub(crate) fn from_json(item: &Value, field: &str) -> Result<Self, crate::FieldError> {
        let text = |key: &str| item.get(key).and_then(Value::as_str);
        match (item.is_object(), text("type"), text("value")) {
            (true, kind, value) => Ok(Self {
                kind: GovernmentIdType::parse(kind.unwrap_or_default()),
                value: value.unwrap_or_default().to_owned(),
            }),
            _ => Err(crate::FieldError::new(
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

/// A customer to create: `POST /customers/v1/`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct NewCustomer {
    /// The partner's own id of the user: unique, 1 to 255 characters. Lean
    /// answers 409 `CUSTOMER_ALREADY_EXISTS` when it is taken.
    pub app_user_id: String,
    /// Government identifiers, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub government_identifiers: Vec<GovernmentIdentifier>,
}

impl NewCustomer {
    /// The wire names of the fields.
    pub const FIELDS: &'static [&'static str] = &["app_user_id", "government_identifiers"];

    /// A customer with no government identifier.
    pub fn new(app_user_id: impl Into<String>) -> Self {
        Self {
            app_user_id: app_user_id.into(),
            government_identifiers: Vec::new(),
        }
    }

    /// Checks every field; reports all problems at once.
    pub fn validate(&self) -> Result<Self, ValidationError> {
        check(Checker::new(), self)
    }

    /// Reads and validates the JSON form (`{"app_user_id": ...}`).
    pub fn from_json(input: &Value) -> Result<Self, ValidationError> {
        let mut reader = JsonInput::new(input, "a customer", Self::FIELDS)?;
        let app_user_id = reader.text("app_user_id");
        let mut errors = reader.into_errors();
        let mut government_identifiers = Vec::new();
        match input.get("government_identifiers") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    match GovernmentIdentifier::from_json(
                        item,
                        &format!("government_identifiers[{i}]"),
                    ) {
                        Ok(id) => government_identifiers.push(id),
                        Err(e) => errors.push(e),
                    }
                }
            }
            Some(_) => errors.push(crate::FieldError::new(
                "government_identifiers",
                FieldErrorCode::InvalidType,
                "must be an array of {\"type\", \"value\"} objects",
            )),
        }
        check(
            Checker::with_errors(errors),
            &Self {
                app_user_id,
                government_identifiers,
            },
        )
    }
}

fn check(mut checker: Checker, input: &NewCustomer) -> Result<NewCustomer, ValidationError> {
    let app_user_id = checker.check("app_user_id", validate::identifier(&input.app_user_id));
    let mut ids = Vec::new();
    for (i, id) in input.government_identifiers.iter().enumerate() {
        ids.extend(id.checked(&mut checker, &format!("government_identifiers[{i}]")));
    }
    checker.finish(|| {
        Some(NewCustomer {
            app_user_id: app_user_id?,
            government_identifiers: ids,
        })
    })
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
pub struct CustomerPage {
    /// The customers of this page.
    pub customers: Vec<Customer>,
    /// The paging fields of the answer, as sent.
    #[cfg_attr(
        feature = "tsify",
        serde(flatten),
        tsify(type = "Record<string, unknown>")
    )]
    pub extra: Map<String, Value>,
}
