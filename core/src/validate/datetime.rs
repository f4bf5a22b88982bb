//! Calendar dates and gig times.
//!
//! The reference asks for `YYYY-MM-DD` dates and `YYYY-MM-DDTHH:mm:ss.sssZ`
//! UTC times, yet its own examples send times with no zone
//! (`2021-03-01T21:04:04`). Both are accepted: a time with no zone is UTC and
//! is sent exactly as written (so the documented requests come out
//! unchanged); a time with a `+hh:mm`/`-hh:mm` offset is converted to UTC and
//! sent as `...Z`, as the reference requires.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::{Problem, Rule};
use crate::error::FieldErrorCode;

/// A validated gig time: the text that goes on the wire and the instant it
/// names, for ordering and comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timestamp {
    wire: String,
    instant: OffsetDateTime,
}

impl Timestamp {
    /// The form sent to the API.
    pub fn as_str(&self) -> &str {
        &self.wire
    }

    /// The form sent to the API, without a copy.
    pub fn into_wire(self) -> String {
        self.wire
    }

    /// Nanoseconds since the Unix epoch, UTC.
    pub fn unix_nanos(&self) -> i128 {
        self.instant.unix_timestamp_nanos()
    }
}

const DATE_FORMAT: &str = "must be a date in the form YYYY-MM-DD, like \"1980-12-31\"";
const TIME_FORMAT: &str =
    "must be an ISO 8601 time like \"2021-03-01T21:04:04Z\" or \"2021-03-01T21:04:04.000Z\" (no zone means UTC)";

/// `birthday` and `registrationDate`: `YYYY-MM-DD`, a real calendar date
/// (no 30 February), between 1900 and 2099.
pub fn calendar_date(text: &str) -> Rule<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::required());
    }
    let date = parse_date(text)
        .ok_or_else(|| Problem::new(FieldErrorCode::InvalidFormat, DATE_FORMAT))??;
    if !(1900..=2099).contains(&date.year()) {
        return Err(Problem::new(
            FieldErrorCode::OutOfRange,
            "must be a date between 1900-01-01 and 2099-12-31",
        ));
    }
    Ok(text.to_owned())
}

/// `startTime` and `endTime`: `YYYY-MM-DDTHH:mm:ss`, optional fraction of a
/// second (up to nine digits), then `Z`, an offset, or nothing (UTC).
pub fn timestamp(text: &str) -> Rule<Timestamp> {
    plain_timestamp(text.trim()).unwrap_or_else(|| timestamp_in_full(text))
}

/// The common shapes of [`timestamp`], read at fixed places without
/// splitting or parsing pieces: `YYYY-MM-DDTHH:mm:ss`, an optional fraction
/// of one to nine digits, then nothing, `Z` or `+hh:mm`, naming a real date
/// and time of day. They end as the full rules end ([`in_utc`]); `None`
/// for anything else, which the full rules settle (errors included).
fn plain_timestamp(text: &str) -> Option<Rule<Timestamp>> {
    let bytes = text.as_bytes();
    let (head, tail) = bytes.split_at_checked(19)?;
    let digit = |at: usize| match bytes.get(at) {
        Some(b) if b.is_ascii_digit() => Some(u32::from(b - b'0')),
        _ => None,
    };
    let two = |at: usize| Some(digit(at)? * 10 + digit(at + 1)?);
    if head.get(4) != Some(&b'-')
        || head.get(7) != Some(&b'-')
        || head.get(10) != Some(&b'T')
        || head.get(13) != Some(&b':')
        || head.get(16) != Some(&b':')
    {
        return None;
    }
    // The fraction's digits, then the zone: nothing, `Z`, or `+hh:mm`.
    let digits = tail
        .iter()
        .skip(1)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let (fraction, zone) = match tail.first() {
        Some(b'.') if (1..=9).contains(&digits) => {
            let (fraction, zone) = text.get(20..)?.split_at_checked(digits)?;
            (Some(fraction), zone.as_bytes())
        }
        Some(b'.') => return None,
        _ => (None, tail),
    };
    let offset = match zone {
        [] | [b'Z'] | [b'z'] => UtcOffset::UTC,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let at = 19 + tail.len() - zone.len();
            let (hours, minutes) = (two(at + 1)?, two(at + 4)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let sign: i8 = if *sign == b'-' { -1 } else { 1 };
            UtcOffset::from_hms(sign * hours as i8, sign * minutes as i8, 0).ok()?
        }
        _ => return None,
    };
    let nanos = fraction.map_or(0, |f| {
        // The digits, then zeros up to nine: at most 999,999,999.
        let digits = f.bytes().chain(std::iter::repeat(b'0')).take(9);
        digits.fold(0u32, |n, digit| n * 10 + u32::from(digit - b'0'))
    });
    let year = two(0)? * 100 + two(2)?;
    let month = Month::try_from(two(5)? as u8).ok()?;
    let date = Date::from_calendar_date(year as i32, month, two(8)? as u8).ok()?;
    let time = Time::from_hms_nano(two(11)? as u8, two(14)? as u8, two(17)? as u8, nanos).ok()?;
    Some(in_utc(text, date, time, fraction, offset))
}

/// [`timestamp`]'s rules, every step taken.
fn timestamp_in_full(text: &str) -> Rule<Timestamp> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::required());
    }
    let format = || Problem::new(FieldErrorCode::InvalidFormat, TIME_FORMAT);
    let (date_text, rest) = text.split_at_checked(10).ok_or_else(format)?;
    let date = parse_date(date_text).ok_or_else(format)??;
    let rest = rest.strip_prefix('T').ok_or_else(format)?;
    let (clock, zone) = split_zone(rest).ok_or_else(format)?;
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let [h, m, s] = parse_fields::<3>(hms, ':', 2).ok_or_else(format)?;
    let nanos = match fraction {
        None => 0,
        Some(f) if (1..=9).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            // The digits, then zeros up to nine (nanoseconds): at most
            // 999,999,999, no overflow.
            let digits = f.bytes().chain(std::iter::repeat(b'0')).take(9);
            digits.fold(0u32, |n, digit| n * 10 + u32::from(digit - b'0'))
        }
        Some(_) => return Err(format()),
    };
    let time = Time::from_hms_nano(h as u8, m as u8, s as u8, nanos).map_err(|_| {
        Problem::new(
            FieldErrorCode::InvalidDate,
            "is not a real time of day (00:00:00 to 23:59:59)",
        )
    })?;
    let offset = match zone {
        None => UtcOffset::UTC,
        Some(offset) => offset.ok_or_else(format)?,
    };
    in_utc(text, date, time, fraction, offset)
}

/// The end of [`timestamp`], once the text is read: its date, time of day,
/// fraction digits as written and offset. A UTC time is sent exactly as
/// written; any other is converted to UTC and sent as `...Z`.
fn in_utc(
    text: &str,
    date: Date,
    time: Time,
    fraction: Option<&str>,
    offset: UtcOffset,
) -> Rule<Timestamp> {
    let local = PrimitiveDateTime::new(date, time);
    let out_of_range = || {
        Problem::new(
            FieldErrorCode::OutOfRange,
            "must be a time between 1900-01-01T00:00:00Z and 2099-12-31T23:59:59Z",
        )
    };
    let instant = if offset == UtcOffset::UTC {
        local.assume_utc()
    } else {
        local
            .assume_offset(offset)
            .checked_to_offset(UtcOffset::UTC)
            .ok_or_else(out_of_range)?
    };
    // The same years as calendar dates: an offset must not carry a time out
    // of the four-digit form the API reads (`0000-01-01T00:00+01:00` would
    // become year -1).
    let year = instant.year();
    if !(1900..=2099).contains(&year) {
        return Err(out_of_range());
    }
    if offset == UtcOffset::UTC {
        // Already UTC: sent exactly as written.
        return Ok(Timestamp {
            wire: text.to_owned(),
            instant,
        });
    }
    // `YYYY-MM-DDTHH:mm:ss[.f]Z`, digit by digit (no formatter).
    let fraction = fraction.unwrap_or_default();
    let mut wire = String::with_capacity(21 + fraction.len());
    let fields = [
        (year as u32, 4, '-'),
        (u32::from(instant.month() as u8), 2, '-'),
        (u32::from(instant.day()), 2, 'T'),
        (u32::from(instant.hour()), 2, ':'),
        (u32::from(instant.minute()), 2, ':'),
        (u32::from(instant.second()), 2, '.'),
    ];
    for (value, width, after) in fields {
        for place in (0..width).rev() {
            let digit = value / 10u32.pow(place) % 10;
            wire.push(char::from(b'0' + digit as u8));
        }
        if after != '.' {
            wire.push(after);
        }
    }
    if !fraction.is_empty() {
        wire.push('.');
        wire.push_str(fraction);
    }
    wire.push('Z');
    Ok(Timestamp { wire, instant })
}

/// Splits `HH:mm:ss[.f]` from its zone. `None` for a malformed zone;
/// `Some((clock, None))` when there is no zone; `Some((clock, Some(None)))`
/// when the zone is present but not a valid offset.
#[allow(clippy::type_complexity)]
fn split_zone(rest: &str) -> Option<(&str, Option<Option<UtcOffset>>)> {
    if let Some(clock) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((clock, Some(Some(UtcOffset::UTC))));
    }
    match rest.rfind(['+', '-']) {
        Some(at) => {
            let (clock, zone) = rest.split_at(at);
            let sign: i8 = if zone.starts_with('-') { -1 } else { 1 };
            let offset = parse_fields::<2>(&zone[1..], ':', 2).and_then(|[h, m]| {
                if h > 23 || m > 59 {
                    return None;
                }
                UtcOffset::from_hms(sign * h as i8, sign * m as i8, 0).ok()
            });
            Some((clock, Some(offset)))
        }
        None => Some((rest, None)),
    }
}

/// Parses `YYYY-MM-DD`: `None` for the wrong shape, `Some(Err)` for a shape
/// that names no real date.
fn parse_date(text: &str) -> Option<Rule<Date>> {
    if text.len() != 10 || text.as_bytes()[4] != b'-' || text.as_bytes()[7] != b'-' {
        return None;
    }
    let year = parse_digits(&text[..4])?;
    let [month, day] = parse_fields::<2>(&text[5..], '-', 2)?;
    let invalid = || {
        Problem::new(
            FieldErrorCode::InvalidDate,
            format!("{text} is not a real calendar date"),
        )
    };
    let month = match Month::try_from(month as u8) {
        Ok(m) => m,
        Err(_) => return Some(Err(invalid())),
    };
    Some(Date::from_calendar_date(year as i32, month, day as u8).map_err(|_| invalid()))
}

/// Parses `N` fields of exactly `width` digits separated by `separator`.
fn parse_fields<const N: usize>(text: &str, separator: char, width: usize) -> Option<[u32; N]> {
    let mut out = [0; N];
    let mut parts = text.split(separator);
    for slot in &mut out {
        let part = parts.next()?;
        if part.len() != width {
            return None;
        }
        *slot = parse_digits(part)?;
    }
    parts.next().is_none().then_some(out)
}

fn parse_digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Reading the common shape at fixed places never changes an answer.
        #[test]
        fn the_short_way_gives_the_full_rules_answer(
            text in proptest::prop_oneof![
                "(18|19|20|21)[0-9]{2}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,10})?[Zz]?",
                " ?[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9a]{0,3})?([Zz]|[+-][0-9]{2}:[0-9]{2})? ?",
                "[0-9T:.Zz+-]{0,24}",
                "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-9]|3[01])T([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-][0-2][0-9]:[0-6][0-9])?",
                "(1900-01-01T0|2099-12-31T2)[0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,3})?[+-][0-2][0-9]:[0-6][0-9]",
            ]
        ) {
            proptest::prop_assert_eq!(timestamp(&text), timestamp_in_full(&text));
        }
    }

    #[test]
    fn fractions_of_a_second_are_exact() {
        let whole = timestamp("2021-03-01T21:04:04Z").unwrap().unix_nanos();
        for (fraction, nanos) in [
            ("5", 500_000_000),
            ("000", 0),
            ("049", 49_000_000),
            ("123456789", 123_456_789),
            ("000000001", 1),
            ("999999999", 999_999_999),
        ] {
            let stamp = timestamp(&format!("2021-03-01T21:04:04.{fraction}Z")).unwrap();
            assert_eq!(stamp.unix_nanos() - whole, nanos, "{fraction}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(calendar_date("1980-12-31").unwrap(), "1980-12-31");
        assert_eq!(calendar_date("2000-02-29").unwrap(), "2000-02-29");
        use FieldErrorCode::*;
        crate::validate::assert_refused(
            calendar_date,
            &[
                ("1900-02-29", InvalidDate),
                ("2021-02-30", InvalidDate),
                ("2021-13-01", InvalidDate),
                ("1899-12-31", OutOfRange),
                ("1980-1-31", InvalidFormat),
                ("31/12/1980", InvalidFormat),
                ("1980-12-31T00:00:00", InvalidFormat),
                ("19801231", InvalidFormat),
                ("+980-12-31", InvalidFormat),
            ],
        );
    }

    #[test]
    fn times_as_written_or_converted_to_utc() {
        for same in [
            "2021-03-01T21:04:04",
            "2021-03-01T21:04:04Z",
            "2021-03-01T21:04:04.123Z",
            "2021-03-01T21:04:04+00:00",
        ] {
            assert_eq!(timestamp(same).unwrap().as_str(), same);
        }
        assert_eq!(
            timestamp("2021-03-01T21:04:04-08:00").unwrap().as_str(),
            "2021-03-02T05:04:04Z"
        );
        assert_eq!(
            timestamp("2021-03-01T01:04:04.5+02:30").unwrap().as_str(),
            "2021-02-28T22:34:04.5Z"
        );
        let a = timestamp("2021-03-01T21:04:04Z").unwrap();
        let b = timestamp("2021-03-01T13:04:04-08:00").unwrap();
        assert_eq!(a.unix_nanos(), b.unix_nanos());
    }

    #[test]
    fn bad_times() {
        for bad in [
            "2021-03-01",
            "2021-03-01 21:04:04",
            "2021-03-01T21:04",
            "2021-03-01T21:04:04+0800",
            "2021-03-01T21:04:04.Z",
            "2021-03-01T21:04:04.1234567890Z",
            "2021-03-01T21:04:04+24:00",
            "é021-03-01T21:04:04",
        ] {
            assert_eq!(
                timestamp(bad).unwrap_err().code,
                FieldErrorCode::InvalidFormat,
                "{bad}"
            );
        }
        assert_eq!(
            timestamp("2021-03-01T24:00:00Z").unwrap_err().code,
            FieldErrorCode::InvalidDate
        );
        assert_eq!(
            timestamp("2021-02-29T10:00:00Z").unwrap_err().code,
            FieldErrorCode::InvalidDate
        );
    }

    #[test]
    fn times_stay_within_four_digit_years() {
        for bad in [
            "0000-01-01T00:00:00+01:00",
            "1899-12-31T23:59:59Z",
            "1900-01-01T00:30:00+01:00",
            "2099-12-31T23:30:00-01:00",
            "9999-12-31T23:59:59-23:59",
        ] {
            assert_eq!(
                timestamp(bad).unwrap_err().code,
                FieldErrorCode::OutOfRange,
                "{bad}"
            );
        }
        assert_eq!(
            timestamp("1900-01-01T01:00:00+01:00").unwrap().as_str(),
            "1900-01-01T00:00:00Z"
        );
        assert!(timestamp("2099-12-31T23:59:59.999999999Z").is_ok());
    }
}
