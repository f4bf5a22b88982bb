//! Wall-clock time as the API writes it: milliseconds since the Unix epoch
//! in the database, ISO 8601 UTC with milliseconds on the wire.
//!
//! The sandbox's clock is the system clock plus an offset that only grows
//! (`POST /_sandbox/clock`), so a test can let a day pass (idempotency
//! keys expiring, tokens being purged, payouts settling) without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// How far the sandbox's clock is ahead of the system clock.
static OFFSET_MS: AtomicI64 = AtomicI64::new(0);

/// The most one `advance` may move the clock: far beyond any expiry the
/// sandbox models, small enough that due times never overflow.
pub const MAX_ADVANCE_MS: i64 = 366 * 86_400_000;

/// Milliseconds since the Unix epoch, on the sandbox's clock.
pub fn now_ms() -> i64 {
    let system = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default();
    system.saturating_add(OFFSET_MS.load(Ordering::Relaxed))
}

/// Moves the sandbox's clock forward by `ms` (0 to [`MAX_ADVANCE_MS`]);
/// returns the whole offset from the system clock.
pub fn advance(ms: i64) -> i64 {
    let ms = ms.clamp(0, MAX_ADVANCE_MS);
    OFFSET_MS.fetch_add(ms, Ordering::Relaxed) + ms
}

/// How far the sandbox's clock is ahead of the system clock.
pub fn offset_ms() -> i64 {
    OFFSET_MS.load(Ordering::Relaxed)
}

/// `2021-04-01T19:53:36.869Z`, the shape of the reference's `createdAt`.
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_like_the_reference() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::iso(1_617_306_816_869), "2021-04-01T19:53:36.869Z");
        assert_eq!(super::iso(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
