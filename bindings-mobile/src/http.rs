//! The HTTP exchange as it crosses between the core and the host's
//! transport: the request to send, the answer received, or how the attempt
//! failed below HTTP.

/// One HTTP header.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NativeHeader {
    /// The name (lower case in requests).
    pub name: String,
    /// The value.
    pub value: String,
}

/// A request for the host to send exactly as given.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct NativeRequest {
    /// `GET`, `POST` or `PATCH`.
    pub method: String,
    /// The absolute URL, already percent-encoded.
    pub url: String,
    /// Headers in order, `authorization` included.
    pub headers: Vec<NativeHeader>,
    /// The JSON body, for `POST` and `PATCH`.
    pub body: Option<String>,
}

impl std::fmt::Debug for NativeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl From<lean_core::HttpRequest> for NativeRequest {
    fn from(request: lean_core::HttpRequest) -> Self {
        Self {
            method: request.method.as_str().to_owned(),
            url: request.url,
            headers: request
                .headers
                .into_iter()
                .map(|(name, value)| NativeHeader { name, value })
                .collect(),
            body: request.body,
        }
    }
}

/// The answer the host received.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct NativeResponse {
    /// The status code.
    pub status: u16,
    /// Headers as received.
    pub headers: Vec<NativeHeader>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl From<NativeResponse> for lean_core::HttpResponse {
    fn from(response: NativeResponse) -> Self {
        let headers = response
            .headers
            .into_iter()
            .map(|h| (h.name, h.value))
            .collect();
        Self::new(response.status, headers, response.body)
    }
}

/// How an attempt failed below HTTP: it decides whether a retry could
/// apply a create twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum TransportErrorKind {
    /// The connection could not be opened: nothing reached the API.
    Connect,
    /// No answer in time: the API may have applied the request.
    Timeout,
    /// Anything else: the API may have applied the request.
    Other,
}

/// The host's transport failure, as the core takes it.
pub(crate) fn transport_error(
    kind: TransportErrorKind,
    message: String,
) -> lean_core::TransportError {
    match kind {
        TransportErrorKind::Connect => lean_core::TransportError::connect(message),
        TransportErrorKind::Timeout => lean_core::TransportError::timeout(message),
        TransportErrorKind::Other => lean_core::TransportError::other(message),
    }
}
