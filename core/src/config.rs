//! What both APIs' clients share: how hard the call engine retries, and how
//! the SDK names itself in the `User-Agent`.

use std::time::Duration;

/// The version of this SDK, sent in the `User-Agent`.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How the call engine retries. The defaults suit interactive use and batch
/// payouts alike: two retries, backoff from half a second up to five.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `2` means at most 3 attempts).
    pub max_retries: u32,
    /// The backoff before the first retry; it doubles each time.
    pub initial_backoff: Duration,
    /// The ceiling of the exponential backoff.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the engine will wait; a longer one ends the
    /// call with the API's error, so that scripts are never parked silently.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }
}

/// `lean-sdk/<version> (<host>)`, with the host's text reduced to
/// printable ASCII without parentheses, so no caller can break the header.
pub(crate) fn user_agent(host: &str) -> String {
    let host: String = host
        .chars()
        .filter(|c| (' '..='~').contains(c) && !"()".contains(*c))
        .take(64)
        .collect();
    format!("lean-sdk/{SDK_VERSION} ({host})")
}
