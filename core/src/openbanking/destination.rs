//! Payment destinations: the partner's own bank accounts that payment
//! intents pay into (`/payments/v1/destinations`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::customer::GovernmentIdentifier;
use super::response_model::response_model;
use crate::error::{FieldErrorCode, ValidationError};
use crate::input::JsonInput;
use crate::validate::{self, Checker, Problem};

/// A destination to create. The documents list the fields without saying
/// which are optional; this SDK requires those that identify the account
/// (`display_name`, `name`, `iban`) and checks the others when given. Lean's
/// own example sends no `bank_identifier` (the IBAN names the bank) but a
/// `bank_type` and the holder's `government_identifier`.
#[serde_with::skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct NewDestination {
    /// The name shown to customers.
    pub display_name: String,
    /// The account holder's legal name.
    pub name: String,
    /// Lean's code of the bank.
    pub bank_identifier: Option<String>,
    /// The IBAN, without spaces, upper case (checked with its mod-97 digits).
    pub iban: String,
    /// The kind of account: `RETAIL` or `CORPORATE` (sent upper case).
    pub bank_type: Option<String>,
    /// The account holder's government identifier.
    pub government_identifier: Option<GovernmentIdentifier>,
    /// The account number, if separate from the IBAN.
    pub account_number: Option<String>,
    /// SWIFT/BIC code: 8 or 11 letters and digits.
    pub swift_code: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Country, as the partner writes it.
    pub country: Option<String>,
}

impl NewDestination {
    /// The wire names of the fields.
    pub const FIELDS: &'static [&'static str] = &[
        "display_name",
        "name",
        "bank_identifier",
        "iban",
        "bank_type",
        "government_identifier",
        "account_number",
        "swift_code",
        "address",
        "city",
        "country",
    ];

    /// Checks every field; reports all problems at once.
    pub fn validate(&self) -> Result<Self, ValidationError> {
        check(Checker::new(), self)
    }

    /// Reads and validates the JSON form.
    pub fn from_json(input: &Value) -> Result<Self, ValidationError> {
        let mut r = JsonInput::new(input, "a payment destination", Self::FIELDS)?;
        let value = Self {
            display_name: r.text("display_name"),
            name: r.text("name"),
            bank_identifier: r.optional_text("bank_identifier"),
            iban: r.text("iban"),
            bank_type: r.optional_text("bank_type"),
            government_identifier: None,
            account_number: r.optional_text("account_number"),
            swift_code: r.optional_text("swift_code"),
            address: r.optional_text("address"),
            city: r.optional_text("city"),
            country: r.optional_text("country"),
        };
        let mut errors = r.into_errors();
        let government_identifier = match input.get("government_identifier") {
            None | Some(Value::Null) => None,
            Some(item) => GovernmentIdentifier::from_json(item, "government_identifier")
                .map_err(|e| errors.push(e))
                .ok(),
        };
        check(
            Checker::with_errors(errors),
            &NewDestination {
                government_identifier,
                ..value
            },
        )
    }
}

fn check(mut c: Checker, d: &NewDestination) -> Result<NewDestination, ValidationError> {
    let text = |max: usize| move |t: &str| -> validate::Rule<String> { free_text(t, max) };
    let display_name = c.check("display_name", text(255)(&d.display_name));
    let name = c.check("name", text(255)(&d.name));
    let bank_identifier = c.check_optional("bank_identifier", d.bank_identifier.as_deref(), |t| {
        validate::identifier(t.trim())
    });
    let iban = c.check("iban", iban(&d.iban));
    let bank_type = c.check_optional("bank_type", d.bank_type.as_deref(), code);
    let government_identifier = d
        .government_identifier
        .as_ref()
        .and_then(|id| id.checked(&mut c, "government_identifier"));
    let account_number = c.check_optional("account_number", d.account_number.as_deref(), |t| {
        validate::identifier(t.trim())
    });
    let swift_code = c.check_optional("swift_code", d.swift_code.as_deref(), swift);
    let address = c.check_optional("address", d.address.as_deref(), text(500));
    let city = c.check_optional("city", d.city.as_deref(), text(100));
    let country = c.check_optional("country", d.country.as_deref(), text(100));
    c.finish(|| {
        Some(NewDestination {
            display_name: display_name?,
            name: name?,
            bank_identifier,
            iban: iban?,
            bank_type,
            government_identifier,
            account_number,
            swift_code,
            address,
            city,
            country,
        })
    })
}

/// A code such as `RETAIL`: letters, digits and `_`, sent upper case.
fn code(text: &str) -> validate::Rule<String> {
    let text = text.trim();
    if text.len() > 64 || !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(Problem::new(
            FieldErrorCode::InvalidFormat,
            "must be a code such as RETAIL or CORPORATE: letters, digits and '_'",
        ));
    }
    Ok(text.to_ascii_uppercase())
}

fn free_text(text: &str, max: usize) -> validate::Rule<String> {
    let text = crate::validate::trimmed(text, max)?;
    if text.chars().any(char::is_control) {
        return Err(Problem::new(
            FieldErrorCode::InvalidCharacters,
            "contains a control character",
        ));
    }
    Ok(text.to_owned())
}

/// An IBAN: spaces dropped, upper-cased, 15 to 34 letters and digits
/// starting with a country code and two check digits that pass ISO 13616's
/// mod-97 test, which catches every single typo.
pub(crate) fn iban(text: &str) -> validate::Rule<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if compact.is_empty() {
        return Err(Problem::required());
    }
    let shape = (15..=34).contains(&compact.len())
        && compact.bytes().all(|b| b.is_ascii_alphanumeric())
        && compact.bytes().take(2).all(|b| b.is_ascii_uppercase())
        && compact.bytes().skip(2).take(2).all(|b| b.is_ascii_digit());
    if !shape {
        return Err(Problem::new(
            FieldErrorCode::InvalidFormat,
            "must be an IBAN: a country code, two check digits and up to 30 letters and digits, such as AE070331234567890123456",
        ));
    }
    let rearranged = compact[4..].bytes().chain(compact[..4].bytes());
    let mut remainder: u32 = 0;
    for b in rearranged {
        let value = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    if remainder != 1 {
        return Err(Problem::new(
            FieldErrorCode::InvalidFormat,
            "is not a valid IBAN: its check digits do not match (a typo?)",
        ));
    }
    Ok(compact)
}

fn swift(text: &str) -> validate::Rule<String> {
    let code = text.trim().to_ascii_uppercase();
    if !(code.len() == 8 || code.len() == 11) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Problem::new(
            FieldErrorCode::InvalidFormat,
            "must be a SWIFT/BIC code of 8 or 11 letters and digits, such as EBILAEAD",
        ));
    }
    Ok(code)
}

response_model! {
    /// A destination as the API returns it. Every field is optional here: the
    /// documents give the create form only.
    #[derive(Default)]
    pub struct Destination as "ObDestination" {
        /// Lean's id of the destination.
        pub id: Option<String>,
        /// The name shown to customers.
        pub display_name: Option<String>,
        /// The account holder's name.
        pub name: Option<String>,
        /// Lean's code of the bank.
        pub bank_identifier: Option<String>,
        /// The IBAN.
        pub iban: Option<String>,
        /// The kind of account (`RETAIL`, `CORPORATE`), when sent.
        pub bank_type: Option<String>,
        /// The account holder's government identifier, when sent.
        pub government_identifier: Option<GovernmentIdentifier>,
    }
}
