//! Just enough HTTP/1.1 to read a request whole and to write answers that
//! a framework would refuse to write (a lying `Content-Length`, a body cut
//! short, a body a byte at a time). Requests are bounded: a head of at most
//! 16 KiB and a `Content-Length` body of at most 1 MiB; chunked bodies are
//! refused, since every host's client sends a length for the bodies the
//! SDK builds.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 1024 * 1024;

/// One request, read whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
    /// Header names in lower case, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// True when the client asked to close the connection after this one.
    pub close: bool,
}

impl Request {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The client closed the connection between requests.
    Closed,
    /// The request is malformed or too large: answer this status, close.
    Refused(u16, &'static str),
    /// The connection failed.
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// Reads the next request of a connection. `buffer` keeps bytes that
/// arrived after this request (a pipelining client) for the next call.
pub async fn read_request<S>(stream: &mut S, buffer: &mut Vec<u8>) -> Result<Request, ReadError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err(ReadError::Refused(431, "the request head is over 16 KiB"));
        }
        if fill(stream, buffer).await? == 0 {
            return Err(if buffer.is_empty() {
                ReadError::Closed
            } else {
                ReadError::Io(io::ErrorKind::UnexpectedEof.into())
            });
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    buffer.drain(..head_end + 4);
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Refused(
            400,
            "the request line is not METHOD TARGET VERSION",
        ));
    };
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Refused(400, "a header line has no colon"));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut request = Request {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: Vec::new(),
        close: version != "HTTP/1.1",
    };
    if let Some(connection) = request.header("connection") {
        request.close |= connection.eq_ignore_ascii_case("close");
    }
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Refused(
            501,
            "chunked request bodies are not read here: send a Content-Length",
        ));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= MAX_BODY => n,
            Ok(_) => return Err(ReadError::Refused(413, "the request body is over 1 MiB")),
            Err(_) => return Err(ReadError::Refused(400, "Content-Length is not a number")),
        },
    };
    if length > 0
        && request
            .header("expect")
            .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    while buffer.len() < length {
        if fill(stream, buffer).await? == 0 {
            return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
        }
    }
    request.body = buffer.drain(..length).collect();
    Ok(request)
}

async fn fill<S: AsyncRead + Unpin>(stream: &mut S, buffer: &mut Vec<u8>) -> io::Result<usize> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await?;
    buffer.extend_from_slice(&chunk[..n]);
    Ok(n)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The status line and headers of an answer. `content-length` is added
/// from `length` unless `headers` has one (a script may lie about it);
/// `content-type` is JSON unless given; `connection: close` when `close`.
pub fn head(status: u16, headers: &[(String, String)], length: u64, close: bool) -> Vec<u8> {
    let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !has("content-length") {
        head.push_str(&format!("content-length: {length}\r\n"));
    }
    if !has("content-type") && length > 0 {
        head.push_str("content-type: application/json\r\n");
    }
    if close {
        head.push_str("connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Writes a whole answer.
pub async fn answer<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    close: bool,
) -> io::Result<()> {
    let mut bytes = head(status, headers, body.len() as u64, close);
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).await?;
    stream.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Request, ReadError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (mut client, mut server) = tokio::io::duplex(64 * 1024);
            client.write_all(bytes).await.unwrap();
            drop(client);
            read_request(&mut server, &mut Vec::new()).await
        })
    }

    #[test]
    fn reads_a_request_with_its_body() {
        let request = read(b"POST /r1/api/gig HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nAuthorization: Basic a\r\n\r\n{}")
            .unwrap();
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            ("POST", "/r1/api/gig")
        );
        assert_eq!(request.header("authorization"), Some("Basic a"));
        assert_eq!(request.body, b"{}");
        assert!(!request.close);
    }

    #[test]
    fn refuses_what_it_does_not_read() {
        let status = |r: Result<Request, ReadError>| match r {
            Err(ReadError::Refused(status, _)) => status,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            status(read(b"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n")),
            413
        );
        assert_eq!(
            status(read(
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            )),
            501
        );
        assert_eq!(status(read(&[b'a'; 20_000])), 431);
        assert!(matches!(read(b""), Err(ReadError::Closed)));
        assert!(matches!(
            read(b"GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"),
            Err(ReadError::Io(_))
        ));
    }

    #[test]
    fn a_script_may_set_its_own_length() {
        let head = head(200, &[("Content-Length".into(), "99".into())], 3, true);
        let text = String::from_utf8(head).unwrap();
        assert!(text.contains("Content-Length: 99\r\n") && !text.contains("content-length: 3"));
        assert!(text.ends_with("connection: close\r\n\r\n"));
    }
}
