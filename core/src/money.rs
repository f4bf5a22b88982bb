//! Money as exact decimals.
//!
//! The API sends and receives amounts as strings with two decimals
//! (`"15.00"`). [`Amount`] keeps them as `rust_decimal::Decimal` so that no
//! binary floating point ever touches a payout, and refuses anything that
//! would need rounding rather than rounding it silently.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest absolute amount accepted: far above any single payout, and
/// low enough that adding amounts together can never overflow.
pub const MAX_ABS_AMOUNT: Decimal = Decimal::from_parts(276_447_231, 23_283, 0, false, 2);

/// An exact amount of money with at most two decimal places.
///
/// It always prints with exactly two decimals (`15` prints as `15.00`), which
/// is the form the API documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

/// Why a text or number is not an [`Amount`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Empty or blank text.
    Empty,
    /// Not of the form `-123.45` (digits, an optional sign and point).
    InvalidFormat,
    /// Three or more significant decimal places.
    TooManyDecimals,
    /// Beyond [`MAX_ABS_AMOUNT`].
    TooLarge,
}

impl AmountError {
    /// A sentence for the person who typed the amount.
    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "an amount is required, like \"15.00\"",
            Self::InvalidFormat => {
                "must be a decimal amount like \"15.00\" or \"-4.50\": digits, an optional leading '-', and at most two decimals after a '.'"
            }
            Self::TooManyDecimals => {
                "has more than two decimal places; amounts are never rounded, so round it yourself"
            }
            Self::TooLarge => "is larger than 999,999,999,999.99",
        }
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for AmountError {}

impl Amount {
    /// Zero, for sums.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Parses the text form. Surrounding white space is ignored; the rest
    /// must be an optional `-`, one or more digits, and optionally a `.`
    /// followed by one or more digits. Trailing zeros beyond two decimals
    /// are accepted (`"1.500"` is exactly `1.50`); any other third decimal is
    /// refused.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (unsigned, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || !fraction.is_none_or(all_digits) {
            return Err(AmountError::InvalidFormat);
        }
        // Leading zeros and long runs of trailing zeros cannot change the
        // value; trimming them first keeps huge inputs from overflowing the
        // decimal parser.
        let whole = whole.trim_start_matches('0');
        let fraction = fraction.map_or("", |f| f.trim_end_matches('0'));
        if fraction.len() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        if whole.len() > 12 {
            return Err(AmountError::TooLarge);
        }
        let sign = if text.starts_with('-') { "-" } else { "" };
        let whole = if whole.is_empty() { "0" } else { whole };
        let canonical = format!("{sign}{whole}.{fraction:0<2}");
        let value = Decimal::from_str(&canonical).map_err(|_| AmountError::InvalidFormat)?;
        Self::from_decimal(value)
    }

    /// Accepts a decimal that has at most two significant decimal places.
    pub fn from_decimal(value: Decimal) -> Result<Self, AmountError> {
        let value = value.normalize();
        if value.scale() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        if value.abs() > MAX_ABS_AMOUNT {
            return Err(AmountError::TooLarge);
        }
        let mut value = value;
        value.rescale(2);
        if value.is_zero() {
            value.set_sign_positive(true);
        }
        Ok(Self(value))
    }

    /// Whole units (an integer amount, such as Python's `int`).
    pub fn from_whole(units: i64) -> Result<Self, AmountError> {
        Self::from_decimal(Decimal::from(units))
    }

    /// The exact value.
    pub fn to_decimal(self) -> Decimal {
        self.0
    }

    /// True for amounts above zero.
    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    /// True for amounts below zero.
    pub fn is_negative(self) -> bool {
        self.0 < Decimal::ZERO
    }

    /// True for zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Exact sum; `None` only if it would leave the accepted range.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0
            .checked_add(other.0)
            .and_then(|sum| Self::from_decimal(sum).ok())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The value always has scale 2, so this is exact.
        write!(f, "{:.2}", self.0)
    }
}

impl FromStr for Amount {
    type Err = AmountError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    /// Reads the API's string form. JSON integers are exact and accepted
    /// too; JSON numbers with a fraction are refused because they may already
    /// have been rounded by a binary float on the way.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(s) => Self::parse(&s).map_err(D::Error::custom),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Self::from_whole(i).map_err(D::Error::custom),
                None => Err(D::Error::custom(
                    "amounts must be strings like \"15.00\"; a fractional JSON number may be inexact",
                )),
            },
            other => Err(D::Error::custom(format!("expected an amount string, found {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_with_exactly_two_decimals() {
        for (input, shown) in [
            ("15", "15.00"),
            ("15.5", "15.50"),
            ("15.50", "15.50"),
            ("0015.500", "15.50"),
            ("-4.5", "-4.50"),
            ("-0", "0.00"),
            ("0.01", "0.01"),
            ("  3.00 ", "3.00"),
            ("999999999999.99", "999999999999.99"),
        ] {
            assert_eq!(Amount::parse(input).unwrap().to_string(), shown, "{input}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_represent_exactly() {
        for (input, error) in [
            ("", AmountError::Empty),
            ("  ", AmountError::Empty),
            ("1.001", AmountError::TooManyDecimals),
            ("0.005", AmountError::TooManyDecimals),
            ("1e3", AmountError::InvalidFormat),
            ("+5", AmountError::InvalidFormat),
            (".5", AmountError::InvalidFormat),
            ("5.", AmountError::InvalidFormat),
            ("1,000.00", AmountError::InvalidFormat),
            ("--1", AmountError::InvalidFormat),
            ("NaN", AmountError::InvalidFormat),
            ("١٢", AmountError::InvalidFormat),
            ("1000000000000", AmountError::TooLarge),
        ] {
            assert_eq!(Amount::parse(input), Err(error), "{input:?}");
        }
    }

    #[test]
    fn max_is_what_the_docs_say() {
        assert_eq!(MAX_ABS_AMOUNT.to_string(), "999999999999.99");
    }

    #[test]
    fn huge_inputs_do_not_overflow() {
        let long = format!("{}.00", "9".repeat(5000));
        assert_eq!(Amount::parse(&long), Err(AmountError::TooLarge));
        let zeros = format!("1.{}", "0".repeat(5000));
        assert_eq!(Amount::parse(&zeros).unwrap().to_string(), "1.00");
    }

    proptest! {
        #[test]
        fn cents_round_trip(cents in -99_999_999_999_999i64..=99_999_999_999_999i64) {
            let text = format!("{}{}.{:02}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100);
            let amount = Amount::parse(&text).unwrap();
            prop_assert_eq!(amount.to_string(), text.clone());
            prop_assert_eq!(Amount::parse(&amount.to_string()).unwrap(), amount);
            prop_assert_eq!(amount.to_decimal(), Decimal::new(cents, 2));
        }

        #[test]
        fn sums_are_exact(a in 0i64..10_000_000, b in 0i64..10_000_000) {
            let x = Amount::from_decimal(Decimal::new(a, 2)).unwrap();
            let y = Amount::from_decimal(Decimal::new(b, 2)).unwrap();
            prop_assert_eq!(x.checked_add(y).unwrap().to_decimal(), Decimal::new(a + b, 2));
        }

        #[test]
        fn never_panics(text in ".{0,64}") {
            let _ = Amount::parse(&text);
        }
    }
}
