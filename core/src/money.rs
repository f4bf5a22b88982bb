//! Money as exact decimals.
//!
//! The API sends and receives amounts as strings with two decimals
//! (`"15.00"`). [`Amount`] keeps them as a whole number of cents, so that no
//! binary floating point ever touches a payout, and refuses anything that
//! would need rounding rather than rounding it silently. Parsing and
//! printing are done here, digit by digit: exact, and far less code in the
//! npm package's WebAssembly than a general decimal type's parser and
//! formatter. `rust_decimal::Decimal` is the conversion type for hosts with
//! a decimal type of their own.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest absolute amount accepted: far above any single payout, and
/// low enough that adding amounts together can never overflow.
pub const MAX_ABS_AMOUNT: Decimal = Decimal::from_parts(276_447_231, 23_283, 0, false, 2);

/// [`MAX_ABS_AMOUNT`] in cents.
const MAX_ABS_CENTS: i64 = 99_999_999_999_999;

/// An exact amount of money with at most two decimal places.
///
/// It always prints with exactly two decimals (`15` prints as `15.00`), which
/// is the form the API documents.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount {
    /// The amount in hundredths, within `±MAX_ABS_CENTS`.
    cents: i64,
}

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
    /// Longer than [`MAX_AMOUNT_TEXT`] bytes: no amount needs that many
    /// characters, so the text is refused before it is read.
    TooLong,
}

/// The longest amount text read, white space included: ample for any
/// accepted amount with trailing zeros, and a bound on the work a hostile
/// input can cause.
pub const MAX_AMOUNT_TEXT: usize = 64;

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
            Self::TooLong => {
                "is longer than 64 characters; an amount has at most 12 digits before the '.' and 2 after"
            }
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
    pub const ZERO: Amount = Amount { cents: 0 };

    /// Parses the text form. Surrounding white space is ignored; the rest
    /// must be an optional `-`, one or more digits, and optionally a `.`
    /// followed by one or more digits. Trailing zeros beyond two decimals
    /// are accepted (`"1.500"` is exactly `1.50`); any other third decimal is
    /// refused.
    ///
    /// Text longer than [`MAX_AMOUNT_TEXT`] is refused before anything else,
    /// and nothing is ever expanded (`1e9` is not a format it reads), so
    /// parsing takes bounded time and no memory whatever the input.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        if text.len() > MAX_AMOUNT_TEXT {
            return Err(AmountError::TooLong);
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        // Read by byte: every accepted character is ASCII.
        let (negative, unsigned) = match text.as_bytes() {
            [b'-', rest @ ..] => (true, rest),
            all => (false, all),
        };
        let (whole, fraction) = match unsigned.iter().position(|&b| b == b'.') {
            Some(at) => (
                unsigned.get(..at).unwrap_or_default(),
                unsigned.get(at + 1..),
            ),
            None => (unsigned, None),
        };
        let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
        if !all_digits(whole) || !fraction.is_none_or(all_digits) {
            return Err(AmountError::InvalidFormat);
        }
        // Leading zeros and long runs of trailing zeros cannot change the
        // value; trimming them first keeps huge inputs from overflowing.
        let leading_zeros = whole.iter().take_while(|&&b| b == b'0').count();
        let whole = whole.get(leading_zeros..).unwrap_or_default();
        let fraction = fraction.unwrap_or_default();
        let trailing_zeros = fraction.iter().rev().take_while(|&&b| b == b'0').count();
        let fraction = fraction
            .get(..fraction.len() - trailing_zeros)
            .unwrap_or_default();
        if fraction.len() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        if whole.len() > 12 {
            return Err(AmountError::TooLarge);
        }
        // At most 12 + 2 digits: within `MAX_ABS_CENTS`, no overflow. The
        // whole digits, then the two of the fraction, zeros filling in.
        let mut cents = whole
            .iter()
            .fold(0i64, |n, digit| n * 10 + i64::from(digit - b'0'));
        let mut fraction = fraction.iter();
        for _ in 0..2 {
            cents = cents * 10 + fraction.next().map_or(0, |digit| i64::from(digit - b'0'));
        }
        Ok(Self {
            cents: if negative { -cents } else { cents },
        })
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
        // Scale 2 and at most MAX_ABS_AMOUNT: the mantissa is the cents.
        let cents = i64::try_from(value.mantissa()).map_err(|_| AmountError::TooLarge)?;
        Ok(Self { cents })
    }

    /// Whole units (an integer amount, such as Python's `int`).
    pub fn from_whole(units: i64) -> Result<Self, AmountError> {
        match units.checked_mul(100) {
            Some(cents) if (-MAX_ABS_CENTS..=MAX_ABS_CENTS).contains(&cents) => Ok(Self { cents }),
            _ => Err(AmountError::TooLarge),
        }
    }

    /// The exact value.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.cents, 2)
    }

    /// True for amounts above zero.
    pub fn is_positive(self) -> bool {
        self.cents > 0
    }

    /// True for amounts below zero.
    pub fn is_negative(self) -> bool {
        self.cents < 0
    }

    /// True for zero.
    pub fn is_zero(self) -> bool {
        self.cents == 0
    }

    /// Exact sum; `None` only if it would leave the accepted range.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        // Both are within ±MAX_ABS_CENTS, so the sum cannot overflow i64.
        let cents = self.cents + other.cents;
        (-MAX_ABS_CENTS..=MAX_ABS_CENTS)
            .contains(&cents)
            .then_some(Self { cents })
    }
}

impl Amount {
    /// The API's text form (`"15.00"`), written into `text`: the digits
    /// without `fmt`'s machinery, which the hot create-gig path otherwise
    /// went through three times per gig.
    fn write(self, text: &mut [u8; 16]) -> &str {
        // `-`, up to 12 digits, `.`, two digits; written right to left.
        let mut at = text.len();
        let mut rest = self.cents.unsigned_abs();
        let mut digits = 0;
        while digits < 3 || rest > 0 {
            if digits == 2 {
                at -= 1;
                text[at] = b'.';
            }
            at -= 1;
            text[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            digits += 1;
        }
        if self.cents < 0 {
            at -= 1;
            text[at] = b'-';
        }
        // Only ASCII digits, '.' and '-' were written.
        std::str::from_utf8(&text[at..]).unwrap_or_default()
    }

    /// The API's text form as a `String`: what `to_string` gives, with one
    /// exact allocation and no formatter.
    pub(crate) fn to_wire(self) -> String {
        self.write(&mut [0; 16]).to_owned()
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.write(&mut [0; 16]))
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({self})")
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
        Self::from_json(&serde_json::Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

impl Amount {
    /// Reads an amount from a response's JSON (see the `Deserialize` impl),
    /// without a deserializer: the response models read parsed bodies.
    pub(crate) fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        match value {
            serde_json::Value::String(s) => Self::parse(s).map_err(|e| e.to_string()),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Self::from_whole(i).map_err(|e| e.to_string()),
                None => Err(
                    "amounts must be strings like \"15.00\"; a fractional JSON number may be inexact"
                        .to_owned(),
                ),
            },
            other => Err(format!("expected an amount string, found {other}")),
        }
    }
}

/// An amount as the caller wrote it (`"15.00"`, `"-4.5"`, `"abc"`): the
/// amount fields of the payouts inputs ([`crate::NewGig`],
/// [`crate::NewSpecialPayment`]).
///
/// An input keeps the text rather than an [`Amount`] so that building one
/// never fails: validating the input reads the text and reports an invalid
/// amount as an error on its field, alongside the input's other problems.
/// It serialises as a plain string; Kotlin and Swift see a `BigDecimal` and
/// a `Decimal` (feature `uniffi`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AmountText(String);

impl AmountText {
    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as written, as an owned `String`.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<&str> for AmountText {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl From<String> for AmountText {
    fn from(text: String) -> Self {
        Self(text)
    }
}

/// The amount in the API's form (`15` is `"15.00"`), which always validates.
impl From<Amount> for AmountText {
    fn from(amount: Amount) -> Self {
        Self(amount.to_wire())
    }
}

impl From<AmountText> for String {
    fn from(text: AmountText) -> Self {
        text.0
    }
}

impl AsRef<str> for AmountText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AmountText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for AmountText {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for AmountText {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest::proptest! {
        /// Whatever parses is the value `rust_decimal` reads from the same
        /// text, and what is refused for its decimals or size is refused by
        /// `from_decimal` too.
        #[test]
        fn parsing_agrees_with_decimal(
            text in "-?[0-9]{1,16}(\\.[0-9]{0,5})?",
        ) {
            let decimal = Decimal::from_str(&text).map(Amount::from_decimal);
            match Amount::parse(&text) {
                Ok(amount) => proptest::prop_assert_eq!(decimal, Ok(Ok(amount))),
                Err(AmountError::InvalidFormat) => proptest::prop_assert!(text.ends_with('.')),
                Err(e) => proptest::prop_assert_eq!(decimal, Ok(Err(e))),
            }
        }
    }

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
            let amount = Amount::parse(input).unwrap();
            assert_eq!(amount.to_string(), shown, "{input}");
            assert_eq!(amount.to_wire(), shown, "{input}");
        }
        let most = Amount::parse("-999999999999.99").unwrap();
        assert_eq!(most.to_wire(), "-999999999999.99");
    }

    #[test]
    fn refuses_long_text_before_reading_it() {
        assert_eq!(Amount::parse(&"9".repeat(65)), Err(AmountError::TooLong));
        let padded = format!("{}1.00", "0".repeat(MAX_AMOUNT_TEXT - 4));
        assert_eq!(Amount::parse(&padded).unwrap().to_wire(), "1.00");
        let too_padded = format!("0{padded}");
        assert_eq!(Amount::parse(&too_padded), Err(AmountError::TooLong));
        // A hostile size costs one length check.
        let huge = "1".repeat(1 << 24);
        assert_eq!(Amount::parse(&huge), Err(AmountError::TooLong));
    }

    #[test]
    fn refuses_what_it_cannot_represent_exactly() {
        for (input, error) in [
            ("", AmountError::Empty),
            ("  ", AmountError::Empty),
            ("1.001", AmountError::TooManyDecimals),
            ("0.005", AmountError::TooManyDecimals),
            ("1e3", AmountError::InvalidFormat),
            ("1e900000000", AmountError::InvalidFormat),
            ("1E-2", AmountError::InvalidFormat),
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
        assert_eq!(
            Amount::from_decimal(MAX_ABS_AMOUNT).unwrap().to_string(),
            "999999999999.99"
        );
        assert_eq!(
            Amount::from_decimal(-MAX_ABS_AMOUNT).unwrap().to_string(),
            "-999999999999.99"
        );
    }

    #[test]
    fn decimals_convert_both_ways() {
        for (value, shown) in [
            (Decimal::new(15, 0), "15.00"),
            (Decimal::new(1500, 2), "15.00"),
            (Decimal::new(15_000, 3), "15.00"),
            (Decimal::new(-45, 1), "-4.50"),
            (Decimal::new(0, 5), "0.00"),
            (Decimal::new(-0, 2), "0.00"),
            (Decimal::new(1, 2), "0.01"),
            (Decimal::new(-1, 2), "-0.01"),
        ] {
            let amount = Amount::from_decimal(value).unwrap();
            assert_eq!(amount.to_string(), shown, "{value}");
            assert_eq!(amount.to_decimal().to_string(), shown, "{value}");
            assert_eq!(format!("{amount:?}"), format!("Amount({shown})"));
        }
        assert_eq!(
            Amount::from_decimal(Decimal::new(1, 3)),
            Err(AmountError::TooManyDecimals)
        );
        assert_eq!(
            Amount::from_decimal(MAX_ABS_AMOUNT + Decimal::new(1, 2)),
            Err(AmountError::TooLarge)
        );
        assert_eq!(Amount::from_whole(-7).unwrap().to_string(), "-7.00");
        assert_eq!(
            Amount::from_whole(1_000_000_000_000),
            Err(AmountError::TooLarge)
        );
        assert_eq!(Amount::from_whole(i64::MIN), Err(AmountError::TooLarge));
        assert_eq!(
            Amount::from_whole(999_999_999_999).unwrap().to_string(),
            "999999999999.00"
        );
    }

    #[test]
    fn order_and_sums_follow_the_values() {
        let a = |t: &str| Amount::parse(t).unwrap();
        assert!(a("-0.01") < Amount::ZERO && Amount::ZERO < a("0.01") && a("9.99") < a("10"));
        assert_eq!(
            a("999999999999.98").checked_add(a("0.01")),
            Some(a("999999999999.99"))
        );
        assert_eq!(a("999999999999.99").checked_add(a("0.01")), None);
        assert_eq!(a("-999999999999.99").checked_add(a("-0.01")), None);
        assert!(a("-0").is_zero() && !a("-0").is_negative() && a("0.01").is_positive());
    }

    #[test]
    fn huge_inputs_do_not_overflow() {
        let long = format!("{}.00", "9".repeat(5000));
        assert_eq!(Amount::parse(&long), Err(AmountError::TooLong));
        let many = format!("{}.00", "9".repeat(20));
        assert_eq!(Amount::parse(&many), Err(AmountError::TooLarge));
        let zeros = format!("1.{}", "0".repeat(50));
        assert_eq!(Amount::parse(&zeros).unwrap().to_string(), "1.00");
    }

    #[test]
    fn amount_text_is_the_text_as_written() {
        // Kept unread, even when it is no amount: validation reads it.
        for text in ["1.5", " 15 ", "abc", ""] {
            let amount = AmountText::from(text);
            assert_eq!(amount.as_str(), text);
            assert_eq!(amount.to_string(), text);
            assert_eq!(
                serde_json::to_string(&amount).unwrap(),
                serde_json::to_string(text).unwrap()
            );
            let read: AmountText = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(read, amount);
        }
        assert_eq!(AmountText::from(Amount::from_whole(15).unwrap()), "15.00");
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
