//! Email addresses and phone numbers.

use super::{trimmed, Problem, Rule};
use crate::error::FieldErrorCode;

/// `email`: trimmed, at most 50 characters (reference), and a valid address
/// in the sense of the HTML standard's `type=email` rule (the one browsers
/// apply to forms), with a dot in the domain because payouts go to people
/// on the public internet.
pub fn email(text: &str) -> Rule<String> {
    let address = trimmed(text, 50)?;
    let invalid = || {
        Problem::new(
            FieldErrorCode::InvalidFormat,
            "must be an email address like name@example.com",
        )
    };
    let (local, domain) = address.split_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(address.to_owned())
    } else {
        Err(invalid())
    }
}

/// `phoneNumber`: a US (NANP) number in any common spelling: `4085008000`,
/// `(408) 500-8000`, `408.500.8000`, `+1 408 500 8000`. It is sent as its ten
/// digits, the form of the reference's examples. Area code and exchange must
/// not start with 0 or 1 (NANP).
pub fn phone_number(text: &str) -> Rule<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::required());
    }
    let invalid = |detail: &str| {
        Problem::new(
            FieldErrorCode::InvalidFormat,
            format!("must be a 10-digit US phone number like \"4085008000\" or \"(408) 500-8000\"; {detail}"),
        )
    };
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if let Some(bad) = rest
        .chars()
        .find(|c| !(c.is_ascii_digit() || " -.()".contains(*c)))
    {
        return Err(invalid(&format!(
            "{} is not allowed",
            super::text::describe_char(bad)
        )));
    }
    let mut digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 11 && digits.starts_with('1') {
        digits.remove(0);
    } else if plus {
        return Err(invalid("only +1 (US) numbers are accepted"));
    }
    if digits.len() != 10 {
        return Err(invalid(&format!("found {} digits", digits.len())));
    }
    let bytes = digits.as_bytes();
    if bytes[0] < b'2' || bytes[3] < b'2' {
        return Err(invalid("area code and exchange cannot start with 0 or 1"));
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email(" janedoe@gmail.com ").unwrap(), "janedoe@gmail.com");
        assert!(email("a.b+c@mail.example.co").is_ok());
        for bad in [
            "jane",
            "jane@",
            "@x.com",
            "jane@localhost",
            "ja ne@x.com",
            "jane@-x.com",
            "jane@x..com",
            "j@x.com@y.com",
        ] {
            assert_eq!(
                email(bad).unwrap_err().code,
                FieldErrorCode::InvalidFormat,
                "{bad}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(39));
        assert_eq!(long.len(), 51);
        assert_eq!(email(&long).unwrap_err().code, FieldErrorCode::TooLong);
    }

    #[test]
    fn phones() {
        for ok in [
            "4085008000",
            "(408) 500-8000",
            "408.500.8000",
            "+1 408 500 8000",
            "1-408-500-8000",
        ] {
            assert_eq!(phone_number(ok).unwrap(), "4085008000", "{ok}");
        }
        for bad in [
            "408500800",
            "40850080001",
            "+44 20 7946 0958",
            "0085008000",
            "4081008000",
            "408-500-800O",
        ] {
            assert_eq!(
                phone_number(bad).unwrap_err().code,
                FieldErrorCode::InvalidFormat,
                "{bad}"
            );
        }
    }
}
