//! Wall-clock time as the API writes it: milliseconds since the Unix epoch
//! in the database, ISO 8601 UTC with milliseconds on the wire.
//!
//! The sandbox's clock is the system clock plus an offset that only grows
//! (`POST /_sandbox/clock`), so a test can let a day pass (idempotency
//! keys expiring, tokens being purged, payouts settling) without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

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
/// Times outside the years 1 to 9999 (never reached: the clock only moves
/// forward, a year at a time at most) are clamped to them.
pub fn iso(ms: i64) -> String {
    const FORMAT: &[BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(
        if ms < 0 {
            PrimitiveDateTime::MIN.assume_utc()
        } else {
            PrimitiveDateTime::MAX.assume_utc()
        },
    );
    at.format(FORMAT).unwrap_or_default()
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
