//! The injected rate limit: every Nth request to either API is answered
//! 429 with `Retry-After` (open banking's code `RATE_LIMIT_EXCEEDED`), and
//! nothing is done. Counting, not chance, so a test knows which request is
//! refused. Set at start (`--fault-429-every`, `--fault-retry-after`) or
//! at runtime (`POST /_sandbox/rate-limit`), which restarts the count.

use std::sync::Mutex;

use serde_json::{json, Value};

/// The longest `Retry-After` the sandbox sends, in seconds.
pub const MAX_RETRY_AFTER: u64 = 3600;

/// The rate limit's state, shared by every request.
#[derive(Debug, Default)]
pub struct Throttle(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    every: u64,
    retry_after: u64,
    seen: u64,
    refused: u64,
}

impl Throttle {
    /// Refuses every `every`th request (0: none), asking for a wait of
    /// `retry_after` seconds.
    pub fn new(every: u64, retry_after: u64) -> Self {
        Self(Mutex::new(State {
            every,
            retry_after,
            ..State::default()
        }))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one API request: `Some(seconds)` to wait when it is refused.
    pub fn check(&self) -> Option<u64> {
        let mut s = self.state();
        if s.every == 0 {
            return None;
        }
        s.seen += 1;
        (s.seen % s.every == 0).then(|| {
            s.refused += 1;
            s.retry_after
        })
    }

    /// Changes the limit; the count starts again.
    pub fn set(&self, every: u64, retry_after: u64) {
        *self.state() = State {
            every,
            retry_after,
            ..State::default()
        };
    }

    /// `GET /_sandbox/rate-limit`: the limit and what it counted.
    pub fn status(&self) -> Value {
        let s = self.state();
        json!({
            "every": s.every,
            "retry_after": s.retry_after,
            "counted": s.seen,
            "refused": s.refused,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Throttle;

    #[test]
    fn every_nth_request_is_refused() {
        let t = Throttle::new(3, 2);
        let refused: Vec<Option<u64>> = (0..6).map(|_| t.check()).collect();
        assert_eq!(refused, [None, None, Some(2), None, None, Some(2)]);
        assert_eq!(t.status()["refused"], 2);
        t.set(0, 1);
        assert!((0..10).all(|_| t.check().is_none()));
        assert_eq!(t.status()["counted"], 0);
    }
}
