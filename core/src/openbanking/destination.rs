//! Payment destinations: the partner's own bank accounts that payment
//! intents pay into (`/payments/v1/destinations`).

use super::customer::GovernmentIdentifier;
use super::response_model::response_model;
use crate::error::FieldErrorCode;
use crate::input::input_model;
use crate::validate::{self, Problem};

input_model! {
    /// A destination to create. The documents list the fields without saying
    /// which are optional; this SDK requires those that identify the account
    /// (`display_name`, `name`, `iban`) and checks the others when given. Lean's
    /// own example sends no `bank_identifier` (the IBAN names the bank) but a
    /// `bank_type` and the holder's `government_identifier`.
    pub struct NewDestination as "a payment destination" {
        /// The name shown to customers.
        display_name: required(|t| free_text(t, 255)) = "display_name",
        /// The account holder's legal name.
        name: required(|t| free_text(t, 255)) = "name",
        /// Lean's code of the bank.
        bank_identifier: optional(|t| validate::identifier(t.trim())) = "bank_identifier",
        /// The IBAN, without spaces, upper case (checked with its mod-97 digits).
        iban: required(iban) = "iban",
        /// The kind of account: `RETAIL` or `CORPORATE` (sent upper case).
        bank_type: optional(code) = "bank_type",
        /// The account holder's government identifier.
        government_identifier: nested(Option<GovernmentIdentifier>) = "government_identifier",
        /// The account number, if separate from the IBAN.
        account_number: optional(|t| validate::identifier(t.trim())) = "account_number",
        /// SWIFT/BIC code: 8 or 11 letters and digits.
        swift_code: optional(swift) = "swift_code",
        /// Postal address.
        address: optional(|t| free_text(t, 500)) = "address",
        /// City.
        city: optional(|t| free_text(t, 100)) = "city",
        /// Country, as the partner writes it.
        country: optional(|t| free_text(t, 100)) = "country",
    }
    impl {
        /// The wire names of the fields.
        const FIELDS;
        /// Reads and validates the JSON form.
        fn from_json;
        /// Checks every field; reports all problems at once.
        fn validate;
    }
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
