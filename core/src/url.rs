//! URL pieces shared by both Lean APIs: escaping identifiers into paths and
//! queries, and checking configured base URLs.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};

use crate::error::Error;

/// Characters escaped in a path segment: the URL standard's path set plus
/// `/` and `%`, so that an identifier is always exactly one segment.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Characters escaped in a query or form value: all but the unreserved set.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment, percent-encoded. Every id reaching it was checked by
/// [`crate::validate::identifier`] when its operation was built, which
/// refuses the ids escaping cannot keep in place: empty, `.` and `..`
/// (URL resolution removes those, even percent-encoded).
pub(crate) fn segment(id: &str) -> String {
    debug_assert!(
        !matches!(id, "" | "." | ".."),
        "a path id that validation should have refused"
    );
    utf8_percent_encode(id, PATH_SEGMENT).to_string()
}

/// One query or form value, percent-encoded (spaces as `%20`).
pub(crate) fn query_value(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// Appends `key=value` to `path`'s query, after `?` or `&` as `path` needs.
pub(crate) fn push_query(path: &mut String, key: &str, value: &str) {
    path.push(if path.contains('?') { '&' } else { '?' });
    path.push_str(key);
    path.push('=');
    path.push_str(&query_value(value));
}

/// Checks a configured base URL (`what` names the setting in the error) and
/// returns it with a lower-case scheme and no trailing `/`. It must be
/// `https://`, or `http://` on a loopback host (`localhost`, `127.x.x.x`,
/// `[::1]`): credentials never travel in clear text over a network. A URL
/// containing `@` may carry credentials (`https://KEY:@host`, curl style), so
/// it is refused and never echoed in the error.
pub(crate) fn check_base_url(what: &str, url: &str) -> Result<String, Error> {
    let url = url.trim().trim_end_matches('/');
    let shown = if url.contains('@') {
        "(not shown: it contains '@', which may be credentials)".to_owned()
    } else {
        format!("{url:?}")
    };
    let problem = |why: &str| {
        Error::configuration(format!(
            "{what} {shown} {why}; use https://host[:port][/path], or http:// for a loopback host such as http://127.0.0.1:8080"
        ))
    };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| problem("has no scheme"))?;
    let scheme = scheme.to_ascii_lowercase();
    let secure = match scheme.as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(problem("must start with https:// or http://")),
    };
    if url.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(problem(
            "must not contain a query, a fragment or white space",
        ));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(problem("must not contain credentials"));
    }
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err(problem("has no host"));
    }
    if !secure && !is_loopback(host) {
        return Err(problem(
            "uses plain http:// for a host that is not loopback, which would send credentials in clear text",
        ));
    }
    Ok(format!("{scheme}://{rest}"))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        for (ok, expected) in [
            ("https://example.com/api/", "https://example.com/api"),
            ("HTTP://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://localhost:3000/api", "http://localhost:3000/api"),
            ("http://[::1]:9000", "http://[::1]:9000"),
        ] {
            assert_eq!(check_base_url("base URL", ok).unwrap(), expected);
        }
        for bad in [
            "http://example.com",
            "ftp://x",
            "example.com",
            "https://x.com?a=1",
            "http://127.0.0.1.evil.com",
            "https://",
        ] {
            assert_eq!(
                check_base_url("base URL", bad).unwrap_err().code(),
                "configuration",
                "{bad}"
            );
        }
        let hidden = check_base_url("base URL", "https://sk_live_123:@x.com")
            .unwrap_err()
            .to_string();
        assert!(!hidden.contains("sk_live_123"), "{hidden}");
    }

    #[test]
    fn escaping() {
        assert_eq!(segment("uid/1 2?x#y%"), "uid%2F1%202%3Fx%23y%25");
        assert_eq!(query_value("a b&c=d"), "a%20b%26c%3Dd");
    }
}
