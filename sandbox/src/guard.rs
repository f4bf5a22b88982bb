//! What keeps a local server local. Listening on loopback is not enough:
//! any web page the developer visits can make the browser send requests to
//! `127.0.0.1`, and a page whose own name is re-pointed at `127.0.0.1`
//! (DNS rebinding) can even read the answers. So:
//!
//! - every request must name a loopback host in `Host` (`localhost`,
//!   `127.0.0.0/8`, `[::1]`, any port), or one allowed with `--allow-host`;
//!   a rebound page sends its own name and is refused;
//! - the admin routes, which need no credential, also refuse a request
//!   from another origin (`Origin`, `Sec-Fetch-Site`) and read JSON only:
//!   a cross-site form or `text/plain` POST, which a browser sends without
//!   asking the server first, never reaches them.

use std::net::{Ipv4Addr, Ipv6Addr};

use axum::http::{header, HeaderMap};
use lean_core::{FieldError, FieldErrorCode};

/// A refused request: the status and what to do about it, naming the
/// header at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 421, 403 or 415.
    pub status: u16,
    /// The header at fault.
    pub header: &'static str,
    /// Why, and what to change.
    pub message: String,
}

impl Refusal {
    /// The refused header as a field error, for the JSON body.
    pub fn field_error(&self) -> FieldError {
        FieldError::new(self.header, FieldErrorCode::InvalidValue, &self.message)
    }
}

/// The host name of a `Host` value (`127.0.0.1:8080`, `[::1]`,
/// `localhost`), without its port; `None` when it is not of that form.
pub fn host_name(value: &str) -> Option<&str> {
    let (name, port) = match value.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            (
                inside,
                after.strip_prefix(':').or(after.is_empty().then_some("")),
            )
        }
        None => match value.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (value, Some("")),
        },
    };
    let port = port?;
    let port_ok = port.is_empty() || (port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()));
    (!name.is_empty() && port_ok).then_some(name)
}

/// True for `localhost`, an address of `127.0.0.0/8`, and `::1`.
pub fn is_loopback(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || name.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Checks the `Host` header of any request. `allowed` are the extra host
/// names of `--allow-host` (compared without case, any port). A request
/// without `Host` (HTTP/1.0) cannot come from a browser and passes.
pub fn check_host(headers: &HeaderMap, allowed: &[String]) -> Result<(), Refusal> {
    let Some(value) = headers.get(header::HOST) else {
        return Ok(());
    };
    let text = value.to_str().unwrap_or_default();
    let name = host_name(text).unwrap_or_default();
    let known = is_loopback(name)
        || allowed
            .iter()
            .any(|a| !name.is_empty() && a.trim_matches(['[', ']']).eq_ignore_ascii_case(name));
    if known {
        return Ok(());
    }
    Err(Refusal {
        status: 421,
        header: "Host",
        message: format!(
            "the Host header {text:?} is not a loopback name: the sandbox answers only requests addressed to localhost, 127.0.0.1 or [::1] (a web page whose name was re-pointed at this machine sends its own name); if you expose the sandbox on purpose, allow the name with --allow-host NAME or LEAN_SANDBOX_ALLOWED_HOSTS"
        ),
    })
}

/// Checks a request to an admin route (`/_sandbox/...`): it must come
/// from no browser page or from the sandbox's own origin, and a body must
/// be declared `application/json`. Runs after [`check_host`].
pub fn check_admin(headers: &HeaderMap, has_body: bool) -> Result<(), Refusal> {
    let forbidden = |header: &'static str, message: String| Refusal {
        status: 403,
        header,
        message,
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default();
        let own = !host.is_empty()
            && ["http://", "https://"].iter().any(|scheme| {
                origin
                    .strip_prefix(scheme)
                    .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
            });
        if !own {
            return Err(forbidden(
                "Origin",
                format!(
                    "the admin routes refuse requests from another origin ({origin:?}): a web page must not be able to register webhook receivers or connect banks; call them from a test or a script, which sends no Origin"
                ),
            ));
        }
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or_default();
        if !matches!(site, "same-origin" | "none") {
            return Err(forbidden(
                "Sec-Fetch-Site",
                format!(
                    "the admin routes refuse requests a browser marks {site:?}: only the sandbox's own origin, or a client that is not a browser, may call them"
                ),
            ));
        }
    }
    if has_body {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let media = content_type.split(';').next().unwrap_or_default().trim();
        if !media.eq_ignore_ascii_case("application/json") {
            return Err(Refusal {
                status: 415,
                header: "Content-Type",
                message: format!(
                    "the admin routes read JSON only: send the body with Content-Type: application/json (got {content_type:?}; a browser sends text/plain or form bodies cross-site without asking, so those are refused)"
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn host_names() {
        assert_eq!(host_name("127.0.0.1:8080"), Some("127.0.0.1"));
        assert_eq!(host_name("[::1]:80"), Some("::1"));
        assert_eq!(host_name("[::1]"), Some("::1"));
        assert_eq!(host_name("localhost"), Some("localhost"));
        assert_eq!(host_name("[::1]x"), None);
        assert_eq!(host_name("a:b"), None);
        assert_eq!(host_name(":80"), None);
    }

    #[test]
    fn loopback_hosts_only() {
        for ok in [
            "127.0.0.1:1",
            "127.9.8.7",
            "localhost:3",
            "LocalHost",
            "[::1]:9",
        ] {
            assert!(check_host(&headers(&[("host", ok)]), &[]).is_ok(), "{ok}");
        }
        for bad in [
            "evil.example:80",
            "10.0.0.1",
            "localhost.evil",
            "[::2]",
            "127.0.0.1:x",
        ] {
            let refusal = check_host(&headers(&[("host", bad)]), &[]).unwrap_err();
            assert_eq!((refusal.status, refusal.header), (421, "Host"), "{bad}");
        }
        let allowed = ["Sandbox.Internal".to_owned(), "[fd00::1]".to_owned()];
        assert!(check_host(&headers(&[("host", "sandbox.internal:8080")]), &allowed).is_ok());
        assert!(check_host(&headers(&[("host", "[fd00::1]:80")]), &allowed).is_ok());
        assert!(check_host(&HeaderMap::new(), &[]).is_ok());
    }

    #[test]
    fn admin_requests() {
        let own = [("host", "127.0.0.1:5"), ("origin", "http://127.0.0.1:5")];
        assert!(check_admin(&headers(&own), false).is_ok());
        let foreign = [("host", "127.0.0.1:5"), ("origin", "https://evil.example")];
        assert_eq!(
            check_admin(&headers(&foreign), false).unwrap_err().status,
            403
        );
        let other_port = [("host", "127.0.0.1:5"), ("origin", "http://127.0.0.1:6")];
        assert_eq!(
            check_admin(&headers(&other_port), false)
                .unwrap_err()
                .status,
            403
        );
        let null = [("host", "127.0.0.1:5"), ("origin", "null")];
        assert_eq!(check_admin(&headers(&null), false).unwrap_err().status, 403);
        let cross = [("sec-fetch-site", "cross-site")];
        assert_eq!(
            check_admin(&headers(&cross), false).unwrap_err().status,
            403
        );
        let text = [("content-type", "text/plain")];
        assert_eq!(check_admin(&headers(&text), true).unwrap_err().status, 415);
        assert!(check_admin(&headers(&text), false).is_ok());
        let json = [("content-type", "Application/JSON; charset=utf-8")];
        assert!(check_admin(&headers(&json), true).is_ok());
        assert_eq!(
            check_admin(&HeaderMap::new(), true).unwrap_err().status,
            415
        );
    }
}
