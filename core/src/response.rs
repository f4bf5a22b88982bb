//! Reading any Lean answer, whichever API it comes from: redirects, which
//! are never followed, the error a non-2xx answer carries, and how long
//! `Retry-After` asks a client to wait. Each API's own module turns 2xx
//! bodies into its typed results.

use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, ApiErrorKind, Error, FieldError, FieldErrorCode};
use crate::http::HttpResponse;

/// Parses one JSON object of type `T` from a 2xx body.
pub(crate) fn parse_body<T: DeserializeOwned>(response: &HttpResponse) -> Result<T, Error> {
    serde_json::from_slice(&response.body).map_err(|e| invalid(response, &e.to_string()))
}

/// The error of a redirect (any 3xx), for both APIs: an answer, never
/// followed, so credentials stay on the configured origin.
pub(crate) fn redirect(response: &HttpResponse) -> Option<Error> {
    (300..400)
        .contains(&response.status)
        .then(|| Error::Redirect {
            status: response.status,
            location: response.header("location").map(str::to_owned),
            attempts: Box::default(),
        })
}

/// An answer whose body is not what the API documents.
pub(crate) fn invalid(response: &HttpResponse, message: &str) -> Error {
    Error::invalid_response(message, response.status, response.body_text())
}

/// Describes a non-2xx answer. The reference documents no error body, so
/// the message comes from a JSON `message`, `error` or `errors` field when
/// there is one, and from the status otherwise; the raw body is always kept.
pub fn api_error(response: &HttpResponse) -> ApiError {
    let kind = ApiErrorKind::from_status(response.status);
    let json: Option<Value> = serde_json::from_slice(&response.body).ok();
    let field_errors = json.as_ref().map(listed_field_errors).unwrap_or_default();
    let message = json
        .as_ref()
        .and_then(body_message)
        .unwrap_or_else(|| default_message(kind, response.status).to_owned());
    ApiError {
        status: response.status,
        kind,
        message,
        api_code: None,
        granular_status_code: None,
        body: response.body_text(),
        request_id: request_id(response),
        field_errors,
        retry_after: retry_after(response),
        attempts: Box::default(),
    }
}

/// The answer's request id, whatever header carries it: what Lean's
/// support asks for.
pub(crate) fn request_id(response: &HttpResponse) -> Option<String> {
    ["x-request-id", "request-id", "x-lean-request-id"]
        .iter()
        .find_map(|name| response.header(name))
        .map(str::to_owned)
}

fn body_message(json: &Value) -> Option<String> {
    let text = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Object(o) => o.get("message").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        }
    };
    if let Some(m) = json.get("message").and_then(text) {
        return Some(m);
    }
    if let Some(m) = json.get("error").and_then(text) {
        return Some(m);
    }
    let listed: Vec<String> = json
        .get("errors")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(
            |e| match (e.get("field").and_then(Value::as_str), text(e)) {
                (Some(field), Some(m)) => Some(format!("{field}: {m}")),
                (_, m) => m,
            },
        )
        .collect();
    (!listed.is_empty()).then(|| listed.join("; "))
}

/// Field errors listed as `errors: [{field, code, message}]` (the sandbox's
/// shape); codes this SDK does not know read as `invalid_value`.
fn listed_field_errors(json: &Value) -> Vec<FieldError> {
    let Some(items) = json.get("errors").and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let field = item.get("field")?.as_str()?;
            let code = item
                .get("code")
                .and_then(Value::as_str)
                .and_then(FieldErrorCode::parse)
                .unwrap_or(FieldErrorCode::InvalidValue);
            let message = item
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("is invalid");
            Some(FieldError::new(field, code, message))
        })
        .collect()
}

fn default_message(kind: ApiErrorKind, status: u16) -> &'static str {
    match kind {
        ApiErrorKind::BadRequest => "the API refused the request as invalid",
        ApiErrorKind::Unauthorized => {
            "the API key was refused: check the key and the environment (production keys work only from allow-listed IP addresses)"
        }
        ApiErrorKind::NotFound => "no such resource",
        ApiErrorKind::RateLimited => "too many requests: slow down",
        ApiErrorKind::ServiceUnavailable => "the Lean API is unavailable right now",
        ApiErrorKind::Server => "the Lean API failed to handle the request",
        ApiErrorKind::Other if status < 400 => "unexpected non-success status",
        ApiErrorKind::Other => "the API refused the request",
    }
}

/// `Retry-After` as a number of seconds, or as an HTTP date measured against
/// the answer's own `Date` header (the core has no clock of its own).
pub(crate) fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Some(delay) = fractional_seconds(value) {
        return Some(delay);
    }
    let at: SystemTime = httpdate::parse_http_date(value).ok()?;
    let now: SystemTime = httpdate::parse_http_date(response.header("date")?).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The longest delay a fractional `Retry-After` reads as (about 31 years).
const MAX_FRACTIONAL_SECONDS: u64 = 1_000_000_000;

/// A delay with a fraction of a second (`1.5`, `.25`), which some servers
/// send although the standard has whole seconds only. Read digit by digit
/// to the nanosecond: exact, and a float parser's code and tables stay out
/// of the npm package's wasm.
fn fractional_seconds(text: &str) -> Option<Duration> {
    let (whole, fraction) = text.strip_prefix('+').unwrap_or(text).split_once('.')?;
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !digits(whole) || !digits(fraction) {
        return None;
    }
    // Only digits: a parse fails only by overflowing, which is over the cap.
    let seconds = match whole {
        "" => 0,
        _ => whole.parse::<u64>().unwrap_or(u64::MAX),
    };
    if seconds >= MAX_FRACTIONAL_SECONDS {
        return Some(Duration::from_secs(MAX_FRACTIONAL_SECONDS));
    }
    let nanos = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(9)
        .fold(0u32, |n, digit| n * 10 + u32::from(digit - b'0'));
    Some(Duration::new(seconds, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractional_retry_after_is_exact() {
        let ms = |text: &str| fractional_seconds(text).map(|d| d.as_nanos());
        assert_eq!(ms("1.5"), Some(1_500_000_000));
        assert_eq!(ms("+1.5"), Some(1_500_000_000));
        assert_eq!(ms(".25"), Some(250_000_000));
        assert_eq!(ms("2."), Some(2_000_000_000));
        assert_eq!(ms("0.000000001"), Some(1));
        assert_eq!(ms("0.0000000019"), Some(1));
        assert_eq!(
            ms("123456789012345678901234.5"),
            Some(1_000_000_000 * 1_000_000_000)
        );
        for refused in [
            "", ".", "1", "-1.5", "1.5.", "1e3", "1.5e0", " 1.5", "inf", "NaN", "1,5",
        ] {
            assert_eq!(ms(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_fractions_and_dates() {
        let wait = |headers: Vec<(&str, &str)>| {
            let headers = headers
                .into_iter()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect();
            retry_after(&HttpResponse::new(429, headers, Vec::new()))
        };
        assert_eq!(
            wait(vec![("Retry-After", " 7 ")]),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            wait(vec![("Retry-After", "1.5")]),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            wait(vec![
                ("Retry-After", "Wed, 21 Oct 2015 07:28:30 GMT"),
                ("Date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ]),
            Some(Duration::from_secs(30))
        );
        assert_eq!(wait(vec![("Retry-After", "-1.5")]), None);
        assert_eq!(wait(vec![("Retry-After", "soon")]), None);
    }
}
