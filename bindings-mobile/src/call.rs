//! Client configuration and the sans-I/O call engine, for a host transport.
//!
//! The host loops on [`NativeCall::poll`]: it sends each [`NativeStep::Send`] request
//! with its own HTTP stack (`HttpURLConnection`, `URLSession`), sleeps on
//! [`NativeStep::Wait`], and reports back with [`NativeCall::on_response`] or
//! [`NativeCall::on_transport_error`]. Retries, idempotency keys and
//! reconciliation are the core's; this file only converts.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::{guard, ErrorDetails, FfiError, Result};
use crate::models::Outcome;
use crate::operation::NativeOperation;

/// Where requests go and how they authenticate. The key is kept inside
/// Rust and never printed.
#[derive(uniffi::Object)]
pub struct NativeConfig(pub(crate) Arc<lean_core::Config>);

impl std::fmt::Debug for NativeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[uniffi::export]
impl NativeConfig {
    /// `environment` is `"sandbox"` or `"production"`; `base_url` overrides
    /// its URL (https, or http on loopback); `max_retries` replaces the
    /// default of 2; `host` names the platform in the `User-Agent`
    /// (`"kotlin/2.1.0"`, `"swift/6.0"`).
    #[uniffi::constructor]
    pub fn new(
        api_key: String,
        environment: String,
        base_url: Option<String>,
        max_retries: Option<u32>,
        host: String,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let environment = lean_core::Environment::parse(&environment)?;
            let mut config = lean_core::Config::new(api_key, environment)?.with_host(&host);
            if let Some(url) = base_url {
                config = config.with_base_url(&url)?;
            }
            if let Some(max_retries) = max_retries {
                config.retry.max_retries = max_retries;
            }
            Ok(Arc::new(Self(Arc::new(config))))
        })
    }

    /// A handle on this configuration for the JVM's direct entry points
    /// (`Jni.start` in Kotlin); release it with `Jni.release`. Each call
    /// makes a new handle, holding its own reference.
    pub fn direct_handle(&self) -> u64 {
        crate::handles::insert(crate::handles::Object::Config(Arc::clone(&self.0)))
    }

    /// The base URL requests are built on.
    pub fn base_url(&self) -> String {
        self.0.base_url().to_owned()
    }

    /// How long one attempt may take before the host reports a timeout.
    pub fn timeout_ms(&self) -> u64 {
        self.0.timeout.as_millis() as u64
    }

    /// The configuration with the key redacted, for `toString()`.
    pub fn describe(&self) -> String {
        format!("{:?}", self.0)
    }
}

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

/// What the host must do next.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum NativeStep {
    /// Send this request, then report its answer or failure.
    Send {
        /// The request.
        request: NativeRequest,
    },
    /// Sleep this long, then poll again.
    Wait {
        /// Milliseconds.
        millis: u64,
    },
    /// The call succeeded with this result (a failure is thrown by `poll`).
    Done {
        /// The typed result.
        outcome: Outcome,
    },
}

/// One operation driven to its end by the host's transport.
#[derive(Debug, uniffi::Object)]
pub struct NativeCall(Mutex<lean_core::Call>);

impl NativeCall {
    fn engine(&self) -> MutexGuard<'_, lean_core::Call> {
        // A panic while locked is already reported as an error; the state
        // machine itself stays consistent, so keep using it.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[uniffi::export]
impl NativeCall {
    /// Starts a call. `entropy` is 32 random bytes from the platform
    /// (`SecureRandom`, `SystemRandomNumberGenerator`): the core has no
    /// randomness of its own for idempotency keys and jitter.
    #[uniffi::constructor]
    pub fn new(
        config: Arc<NativeConfig>,
        operation: Arc<NativeOperation>,
        entropy: Vec<u8>,
    ) -> Result<Arc<Self>> {
        guard(|| {
            let entropy: [u8; 32] = entropy.as_slice().try_into().map_err(|_| {
                FfiError::from(lean_core::Error::Internal {
                    message: format!("a call needs 32 random bytes, got {}", entropy.len()),
                })
            })?;
            let call = lean_core::Call::new(&config.0, operation.0.clone(), entropy)?;
            Ok(Arc::new(Self(Mutex::new(call))))
        })
    }

    /// What to do next; throws the call's error when it ends in failure.
    pub fn poll(&self) -> Result<NativeStep> {
        guard(|| step(self.engine().poll()))
    }

    /// Reports the answer to the last `Send`.
    pub fn on_response(&self, response: NativeResponse) -> Result<()> {
        guard(|| {
            self.engine().on_response(response_to_core(
                response.status,
                response.headers,
                response.body,
            ));
            Ok(())
        })
    }

    /// Reports that the last `Send` failed below HTTP.
    pub fn on_transport_error(&self, kind: TransportErrorKind, message: String) -> Result<()> {
        guard(|| {
            self.engine()
                .on_transport_error(transport_error(kind, message));
            Ok(())
        })
    }

    /// The `Idempotency-Key` of a special payment (the caller's or the
    /// generated one): log it to finish an uncertain payment safely later.
    pub fn idempotency_key(&self) -> Option<String> {
        self.engine().idempotency_key().map(str::to_owned)
    }

    /// Ends a call the host stopped mid-flight (a cancelled task, a custom
    /// transport that threw something other than a transport failure) and
    /// returns the error to report with the cancellation: whether an
    /// attempt may have been applied, and the key and ids it carried.
    pub fn interrupt(&self, reason: String) -> ErrorDetails {
        let error = interrupt(&mut *self.engine(), reason);
        let FfiError::Failed { details } = error.into();
        details
    }
}

/// Ends an interrupted call: the error that reports what it sent (whether an
/// attempt was in flight, its idempotency key and ids). Every binding entry
/// point (uniffi, JNI; payouts, open banking) goes through here.
pub(crate) fn interrupt<D: lean_core::Drive>(call: &mut D, reason: String) -> lean_core::Error {
    call.interrupt(&reason)
}

/// The step the host sees: a request, a wait, or the typed result; a
/// failed call is the error.
pub(crate) fn step(step: lean_core::Step) -> Result<NativeStep> {
    match step {
        lean_core::Step::Send(request) => Ok(NativeStep::Send {
            request: request.into(),
        }),
        lean_core::Step::Wait(delay) => Ok(NativeStep::Wait {
            millis: delay.as_millis().min(u128::from(u64::MAX)) as u64,
        }),
        lean_core::Step::Done(Ok(outcome)) => Ok(NativeStep::Done {
            outcome: (&outcome).into(),
        }),
        lean_core::Step::Done(Err(error)) => Err(error.into()),
    }
}

/// The host's answer, as the engine takes it.
pub(crate) fn response_to_core(
    status: u16,
    headers: Vec<NativeHeader>,
    body: Vec<u8>,
) -> lean_core::HttpResponse {
    let headers = headers.into_iter().map(|h| (h.name, h.value)).collect();
    lean_core::HttpResponse::new(status, headers, body)
}

/// The host's transport failure, as the engine takes it.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_runs_to_a_typed_result() {
        let config =
            NativeConfig::new("k".into(), "sandbox".into(), None, Some(0), "test".into()).unwrap();
        let call =
            NativeCall::new(config, NativeOperation::list_gigs().unwrap(), vec![1; 32]).unwrap();
        let NativeStep::Send { request } = call.poll().unwrap() else {
            panic!("expected a request")
        };
        assert_eq!(request.method, "GET");
        assert!(!format!("{request:?}").contains("Basic"));
        call.on_response(NativeResponse {
            status: 200,
            headers: vec![],
            body: br#"[{"gigId":"g1","totalAmount":"1.5"}]"#.to_vec(),
        })
        .unwrap();
        let NativeStep::Done {
            outcome: Outcome::Gigs { values },
        } = call.poll().unwrap()
        else {
            panic!("expected gigs")
        };
        assert_eq!(values[0].total_amount.as_deref(), Some("1.50"));
    }

    #[test]
    fn panics_become_internal_errors() {
        let Err(FfiError::Failed { details }) = crate::panic_for_tests("boom".into()) else {
            panic!("expected an error")
        };
        assert_eq!(details.code, "internal");
        assert!(details.message.contains("boom"));
    }
}
