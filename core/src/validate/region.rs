//! US states and ZIP codes.

use super::{Problem, Rule};
use crate::error::FieldErrorCode;

/// The two-letter USPS codes accepted for `state`: the 50 states, the
/// District of Columbia, the five inhabited territories and the three
/// military "states" (AA, AE, AP), all of which have US bank addresses.
pub const US_STATE_CODES: [&str; 59] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI", "AA", "AE", "AP",
];

/// `state`: a code from [`US_STATE_CODES`], in any letter case; it is sent
/// upper-cased (`ca` becomes `CA`) after trimming.
pub fn us_state(text: &str) -> Rule<String> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(Problem::required());
    }
    if US_STATE_CODES.contains(&code.as_str()) {
        Ok(code)
    } else {
        Err(Problem::new(
            FieldErrorCode::InvalidValue,
            "must be a two-letter US state code such as \"CA\" or \"NY\"",
        ))
    }
}

/// `postalCode`: a 5-digit ZIP (`94110`) or ZIP+4 (`94110-1234`). Nine digits
/// without the hyphen are accepted and sent with it.
pub fn postal_code(text: &str) -> Rule<String> {
    let zip = text.trim();
    if zip.is_empty() {
        return Err(Problem::required());
    }
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if digits(zip, 5) {
        return Ok(zip.to_owned());
    }
    if digits(zip, 9) {
        return Ok(format!("{}-{}", &zip[..5], &zip[5..]));
    }
    match zip.split_once('-') {
        Some((five, four)) if digits(five, 5) && digits(four, 4) => Ok(zip.to_owned()),
        _ => Err(Problem::new(
            FieldErrorCode::InvalidFormat,
            "must be a US ZIP code: 5 digits (\"94110\") or ZIP+4 (\"94110-1234\")",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states() {
        assert_eq!(us_state(" ca ").unwrap(), "CA");
        assert_eq!(us_state("Dc").unwrap(), "DC");
        crate::validate::assert_refused(
            us_state,
            &[
                ("XX", FieldErrorCode::InvalidValue),
                ("California", FieldErrorCode::InvalidValue),
            ],
        );
    }

    #[test]
    fn zips() {
        assert_eq!(postal_code("94110").unwrap(), "94110");
        assert_eq!(postal_code("941101234").unwrap(), "94110-1234");
        assert_eq!(postal_code("94110-1234").unwrap(), "94110-1234");
        for bad in ["9411", "941100", "94110-123", "ABCDE", "94110 1234"] {
            assert_eq!(
                postal_code(bad).unwrap_err().code,
                FieldErrorCode::InvalidFormat,
                "{bad}"
            );
        }
    }
}
