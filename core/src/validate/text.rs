//! Free-text fields: names, addresses, descriptions and identifiers.

use super::{trimmed, Problem, Rule};
use crate::error::FieldErrorCode;

/// The punctuation a person's name may contain besides letters, digits and
/// spaces. The reference allows "simple punctuation" without listing it;
/// these four cover names such as `O'Brien`, `Smith-Jones`, `Jr.` and
/// `King, Jr` without admitting characters banks reject.
pub const NAME_PUNCTUATION: &[char] = &['\'', '-', '.', ','];

/// First, middle and last names: trimmed, 1 to 40 printable ASCII
/// characters among letters, digits, space and [`NAME_PUNCTUATION`]
/// (reference, *Customer* property table).
pub fn person_name(text: &str) -> Rule<String> {
    let name = trimmed(text, 40)?;
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == ' ' || NAME_PUNCTUATION.contains(c)))
    {
        return Err(Problem::new(
            FieldErrorCode::InvalidCharacters,
            format!(
                "contains {}; use only letters A-Z, digits, spaces and ' - . ,",
                describe_char(bad)
            ),
        ));
    }
    Ok(name.to_owned())
}

/// `street` and `street2`: trimmed, at most 35 printable ASCII characters.
/// The reference gives only the length; ASCII is required because these
/// lines feed the same bank records as the names, which are ASCII-only.
pub fn street(text: &str) -> Rule<String> {
    printable_ascii(trimmed(text, 35)?)
}

/// `city`: trimmed, at most 21 printable ASCII characters (see [`street`]).
pub fn city(text: &str) -> Rule<String> {
    printable_ascii(trimmed(text, 21)?)
}

/// Descriptions shown to the worker in the Lean app: trimmed, at most 500
/// characters, no control characters. The reference sets no limit; 500 is
/// this SDK's bound so that a runaway string fails early and clearly.
pub fn description(text: &str) -> Rule<String> {
    if is_plain_ascii(text, 500) {
        return Ok(text.to_owned());
    }
    description_in_full(text)
}

/// [`description`]'s rules, every step taken.
fn description_in_full(text: &str) -> Rule<String> {
    let text = trimmed(text, 500)?;
    no_control_characters(text)?;
    Ok(text.to_owned())
}

/// True for `.` and `..`, which URL resolution (WHATWG `fetch`, most HTTP
/// clients) removes from a path, escaped or not.
fn is_dot_segment(text: &str) -> bool {
    text == "." || text == ".."
}

/// Identifiers chosen by the partner or by Lean (`partnerUserId`, `gigId`,
/// special payment `id`): 1 to 255 characters, no control characters, and
/// not `.` or `..`. Every id that becomes a URL path segment (in either
/// API) is checked here first, so this is the one place that keeps an id
/// from naming another path.
/// They are never trimmed: white space would be part of the identity, so it
/// is refused at either end instead.
pub fn identifier(text: &str) -> Rule<String> {
    if is_plain_ascii(text, 255) && !is_dot_segment(text) {
        return Ok(text.to_owned());
    }
    identifier_in_full(text)
}

/// [`identifier`]'s rules, every step taken.
fn identifier_in_full(text: &str) -> Rule<String> {
    if text.trim().is_empty() {
        return Err(Problem::required());
    }
    if is_dot_segment(text) {
        return Err(Problem::new(
            FieldErrorCode::InvalidValue,
            "must not be \".\" or \"..\": in a URL path they mean \"this folder\" and \"the folder above\", so the request would reach another resource",
        ));
    }
    if text.trim() != text {
        return Err(Problem::new(
            FieldErrorCode::InvalidCharacters,
            "must not start or end with white space",
        ));
    }
    let count = text.chars().count();
    if count > 255 {
        return Err(Problem::new(
            FieldErrorCode::TooLong,
            format!("must be at most 255 characters (got {count})"),
        ));
    }
    no_control_characters(text)?;
    Ok(text.to_owned())
}

/// The common case of the free-text rules, settled in one pass over the
/// bytes (no trimming, `char` decoding or counting): 1 to `max` printable
/// ASCII characters, not starting or ending with a space. Such text passes
/// [`description`] and [`identifier`] unchanged; other text goes through
/// their full rules, which give the same answer for this case.
fn is_plain_ascii(text: &str, max: usize) -> bool {
    let bytes = text.as_bytes();
    matches!((bytes.first(), bytes.last()), (Some(first), Some(last)) if *first != b' ' && *last != b' ')
        && bytes.len() <= max
        && bytes.iter().all(|b| (b' '..=b'~').contains(b))
}

fn printable_ascii(text: &str) -> Rule<String> {
    match text.chars().find(|c| !(' '..='~').contains(c)) {
        Some(bad) => Err(Problem::new(
            FieldErrorCode::InvalidCharacters,
            format!(
                "contains {}; use printable ASCII characters only",
                describe_char(bad)
            ),
        )),
        None => Ok(text.to_owned()),
    }
}

fn no_control_characters(text: &str) -> Rule<()> {
    match text.chars().find(|c| c.is_control()) {
        Some(bad) => Err(Problem::new(
            FieldErrorCode::InvalidCharacters,
            format!("contains the control character {}", describe_char(bad)),
        )),
        None => Ok(()),
    }
}

/// Names a character so that invisible ones can be found: `'é'` or `U+0009`.
pub(crate) fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("'{c}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            person_name("  Mary-Jane O'Neil ").unwrap(),
            "Mary-Jane O'Neil"
        );
        assert_eq!(person_name(&"a".repeat(40)).unwrap().len(), 40);
        let long = "a".repeat(41);
        use FieldErrorCode::*;
        crate::validate::assert_refused(
            person_name,
            &[
                (&long, TooLong),
                ("Zoë", InvalidCharacters),
                ("a;b", InvalidCharacters),
                ("   ", Required),
            ],
        );
    }

    proptest::proptest! {
        /// The one-pass check of plain ASCII text never changes an answer.
        #[test]
        fn the_short_way_gives_the_full_rules_answer(
            text in proptest::prop_oneof![
                "[ -~]{0,8}",
                "[ -~\t\n\u{7f}\u{a0}\u{85}é]{0,6}",
                "[ -~]{250,260}",
                "[ -~]{495,505}",
            ]
        ) {
            proptest::prop_assert_eq!(identifier(&text), identifier_in_full(&text));
            proptest::prop_assert_eq!(description(&text), description_in_full(&text));
        }
    }

    #[test]
    fn identifiers_keep_their_text() {
        assert_eq!(identifier("uid_1 2").unwrap(), "uid_1 2");
        let long = "x".repeat(256);
        use FieldErrorCode::*;
        crate::validate::assert_refused(
            identifier,
            &[
                (" uid", InvalidCharacters),
                ("a\u{0}b", InvalidCharacters),
                (&long, TooLong),
                (".", InvalidValue),
                ("..", InvalidValue),
            ],
        );
        assert_eq!(identifier("...").unwrap(), "...");
        assert_eq!(identifier(".a").unwrap(), ".a");
    }
}
