//! Moments that outlive the process.
//!
//! The journal, the traffic log and a lesson step's start are kept as monotonic
//! [`Instant`]s, which mean nothing to the next process. To save them with the workspace they
//! are turned into wall-clock Unix milliseconds, and back into `Instant`s of the new process on
//! restore: "three minutes ago" stays three minutes ago, whatever the monotonic clock's origin.
//! Precision is the millisecond.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// `at` as Unix milliseconds, measured from now (a moment in the future is now).
pub fn to_unix_ms(at: Instant) -> u64 {
    let ago = Instant::now().saturating_duration_since(at);
    let wall = SystemTime::now().checked_sub(ago).unwrap_or(UNIX_EPOCH);
    wall.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Unix milliseconds as an `Instant` of this process; a moment in the future is now, one the
/// monotonic clock cannot represent is `None`.
pub fn from_unix_ms(ms: u64) -> Option<Instant> {
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_millis() as u64;
    Instant::now().checked_sub(Duration::from_millis(now_ms.saturating_sub(ms)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_comes_back_as_long_ago_as_it_was() {
        let then = Instant::now() - Duration::from_secs(90);
        let back = from_unix_ms(to_unix_ms(then)).expect("90 s ago is reachable");
        let ago = Instant::now() - back;
        assert!(
            ago >= Duration::from_secs(89) && ago <= Duration::from_secs(91),
            "{ago:?}"
        );
        let future = to_unix_ms(Instant::now() + Duration::from_secs(60));
        assert!(from_unix_ms(future).unwrap() <= Instant::now(), "the future is now");
    }
}
