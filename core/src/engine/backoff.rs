//! When to try again.

use std::time::Duration;

use crate::config::RetryPolicy;

/// The pause before retry number `retry` (1 for the first retry):
/// exponential from `initial_backoff`, capped at `max_backoff`, with "equal
/// jitter" (half fixed, half random) so that many clients failing together
/// do not retry together, while no retry comes immediately.
pub(crate) fn backoff(policy: &RetryPolicy, retry: u32, rng: &mut fastrand::Rng) -> Duration {
    let exponent = retry.saturating_sub(1).min(20);
    let full = policy
        .initial_backoff
        .saturating_mul(1 << exponent)
        .min(policy.max_backoff);
    let half = full / 2;
    let jitter_ms = rng.u64(0..=half.as_millis().min(u64::MAX as u128) as u64);
    half + Duration::from_millis(jitter_ms)
}

/// Whether a status is worth another attempt: request timeouts, rate limits
/// and server errors. 400, 401 and 404 are answers, not accidents.
pub(crate) fn is_retryable(status: u16) -> bool {
    matches!(status, 408 | 429 | 500..=599) || !is_http_status(status)
}

/// Whether an answer with this status may come after the API applied the
/// request (a server error or timeout mid-way); 429 means "not processed".
pub(crate) fn may_have_applied(status: u16) -> bool {
    matches!(status, 408 | 500..=599) || !is_http_status(status)
}

/// False for a status no HTTP server sends (below 100 or above 599): what a
/// broken proxy or custom transport reports. Whether the API applied the
/// request is then as unknown as after a server error, and it is handled
/// like one, in the core, so that every host treats it the same way.
fn is_http_status(status: u16) -> bool {
    (100..=599).contains(&status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn stays_within_bounds(retry in 1u32..100, seed: u64) {
            let policy = RetryPolicy::default();
            let mut rng = fastrand::Rng::with_seed(seed);
            let d = backoff(&policy, retry, &mut rng);
            let full = policy.initial_backoff.saturating_mul(1 << (retry - 1).min(20)).min(policy.max_backoff);
            prop_assert!(d >= full / 2 && d <= full);
            prop_assert!(d <= policy.max_backoff);
        }
    }
}
