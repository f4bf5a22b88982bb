//! The HTTP messages exchanged between the core and a host's transport.
//!
//! They are plain data: the core never opens a socket. A host turns an
//! [`HttpRequest`] into a call of its own HTTP stack and its answer into an
//! [`HttpResponse`].

use std::fmt;

/// The methods the Lean API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// Reads.
    Get,
    /// Creates.
    Post,
    /// Updates a pending customer.
    Patch,
}

impl Method {
    /// The method name as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request for the host to send, exactly as built.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, path segments already percent-encoded.
    pub url: String,
    /// Header names (lower case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The JSON body, for `POST` and `PATCH`.
    pub body: Option<String>,
}

impl HttpRequest {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// Header names whose values are credentials: never shown by `Debug`.
const SECRET_HEADERS: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "lean-app-token",
    "cookie",
    "set-cookie",
];

/// JSON members whose values are credentials, in a body shown by `Debug`:
/// an OAuth token answer carries its token in `access_token`.
const SECRET_BODY_MEMBERS: [&str; 4] =
    ["access_token", "refresh_token", "id_token", "client_secret"];

/// A header list as `Debug` shows it: every name, and every value except
/// those of credential headers (`authorization`, `proxy-authorization`,
/// `lean-app-token`, `cookie`, `set-cookie`), shown as `<redacted>`. Wrap
/// any header list in it before logging it.
pub struct RedactedHeaders<'a>(pub &'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                if is_secret_header(name) {
                    (name.as_str(), crate::secret::REDACTED)
                } else {
                    (name.as_str(), value.as_str())
                }
            }))
            .finish()
    }
}

fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s))
}

/// A body as `Debug` shows it: as text, unless it carries a credential (a
/// form, which is how an OAuth token request sends the client secret, or a
/// JSON member named in [`SECRET_BODY_MEMBERS`], such as a token answer's
/// `access_token`).
fn shown_body(body: &[u8], form: bool) -> std::borrow::Cow<'_, str> {
    if form {
        return "<redacted form body>".into();
    }
    let text = String::from_utf8_lossy(body);
    if SECRET_BODY_MEMBERS
        .iter()
        .any(|member| text.contains(&format!("\"{member}\"")))
    {
        return "<redacted: the body holds a credential>".into();
    }
    text
}

/// Shows everything but credentials: the values of the credential headers
/// (see [`RedactedHeaders`]), form-encoded bodies (an OAuth token request
/// carries the client secret in its body) and bodies holding a token.
/// Logging a request therefore never logs a key, token or secret.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let form = self.header("content-type").is_some_and(|t| {
            t.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        let body = self
            .body
            .as_deref()
            .map(|body| shown_body(body.as_bytes(), form));
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &body)
            .finish()
    }
}

/// An answer the host received, fed back to the core. Its `Debug` shows
/// the body as text and hides credentials: `set-cookie` (and the other
/// credential headers) and a body holding a token, such as the answer to
/// an OAuth token request.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values as received (any case).
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// Builds a response from its parts.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers,
            body: body.into(),
        }
    }

    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text, replacing invalid UTF-8, for error reports.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &shown_body(&self.body, false))
            .finish()
    }
}

/// Appends `text` to `out` as a JSON string, byte for byte as `serde_json`
/// writes it (`\"`, `\\`, the short escapes `\b \f \n \r \t`, other
/// control characters as `\u00xx`, everything else as is). Request bodies
/// and the bindings' step messages are written with it: it copies each run
/// of plain text at once, where `serde_json` goes through `io::Write` for
/// every run, which cost a fifth of a create-gig call in wasm.
pub fn push_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(text.len() + 2);
    out.push('"');
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        // One table look-up per plain byte, the usual case, instead of
        // the three comparisons of the match below.
        if !NEEDS_ESCAPE[usize::from(byte)] {
            continue;
        }
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `at` is an ASCII byte, so both ends are character boundaries.
        out.push_str(text.get(plain..at).unwrap_or_default());
        plain = at + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(text.get(plain..).unwrap_or_default());
    out.push('"');
}

/// The bytes a JSON string cannot hold as they are: control characters,
/// `"` and `\\`.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_written_as_serde_json_writes_them() {
        let mut every_byte: String = (0u8..=0x7f).map(char::from).collect();
        every_byte.push_str("é€😀\u{2028}\"\\");
        for text in ["", "plain", "a\"b\\c\u{0}\u{1f}\u{7f}", &every_byte] {
            let mut out = String::from("x");
            push_json_string(&mut out, text);
            assert_eq!(out[1..], serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Runs of every length, broken anywhere by bytes to escape.
        #[test]
        fn json_strings_of_any_text_are_written_as_serde_json_writes_them(
            text in proptest::prop_oneof![
                "[a-z0-9 é\"\\\\\u{0}-\u{1f}\u{7f}]{0,40}",
                "[ -~é]{0,20}([\"\\\\\n\u{1}\u{1f}][ -~é]{0,20}){0,3}",
            ],
        ) {
            let mut out = String::new();
            push_json_string(&mut out, &text);
            proptest::prop_assert_eq!(out, serde_json::to_string(&text).unwrap());
        }
    }

    #[test]
    fn debug_hides_credentials() {
        let request = HttpRequest {
            method: Method::Post,
            url: "https://auth.leantech.me/oauth2/token".into(),
            headers: vec![
                ("Authorization".into(), "Basic c2VjcmV0Og==".into()),
                ("lean-app-token".into(), "app_token_secret".into()),
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
            ],
            body: Some("client_id=a&client_secret=form_secret".into()),
        };
        let shown = format!("{request:?}");
        for secret in ["c2VjcmV0Og", "app_token_secret", "form_secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("oauth2/token"));
        assert!(shown.contains("lean-app-token"), "names stay: {shown}");
    }

    #[test]
    fn debug_of_a_request_shows_what_is_not_secret() {
        let request = HttpRequest {
            method: Method::Post,
            url: "https://example.com/api/gig".into(),
            headers: vec![
                ("Cookie".into(), "session=cookie_secret".into()),
                ("Proxy-Authorization".into(), "Basic proxy_secret".into()),
                ("content-type".into(), "application/json".into()),
                ("idempotency-key".into(), "key-1".into()),
            ],
            body: Some(r#"{"gigId":"g1"}"#.into()),
        };
        let shown = format!("{request:?}");
        for secret in ["cookie_secret", "proxy_secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        for kept in ["key-1", "application/json", "gigId", "g1"] {
            assert!(shown.contains(kept), "{shown}");
        }
    }

    #[test]
    fn debug_of_a_response_hides_cookies_and_tokens() {
        let token_answer = HttpResponse::new(
            200,
            vec![
                ("Set-Cookie".into(), "sid=cookie_secret; HttpOnly".into()),
                ("x-request-id".into(), "req-9".into()),
            ],
            r#"{"access_token":"token_secret","token_type":"Bearer","expires_in":3599}"#,
        );
        let shown = format!("{token_answer:?}");
        for secret in ["cookie_secret", "token_secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("req-9") && shown.contains("200"), "{shown}");
        let plain = HttpResponse::new(404, vec![], r#"{"message":"no gig g1"}"#);
        assert!(format!("{plain:?}").contains("no gig g1"));
    }

    #[test]
    fn debug_of_a_header_list_hides_credentials() {
        let headers = vec![
            ("authorization".to_owned(), "Basic key_secret".to_owned()),
            ("LEAN-APP-TOKEN".to_owned(), "app_secret".to_owned()),
            ("accept".to_owned(), "application/json".to_owned()),
        ];
        let shown = format!("{:?}", RedactedHeaders(&headers));
        for secret in ["key_secret", "app_secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("application/json"), "{shown}");
    }
}
