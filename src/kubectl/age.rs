//! kubectl's AGE column: apimachinery's `duration.HumanDuration`, computed on the lab clock so a
//! scaled or paused clock shows the ages a learner expects.

use chrono::{DateTime, Utc};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

/// Go's `duration.HumanDuration`: `5s`, `2m3s`, `10m`, `3h4m`, `2d5h`, `3y`.
pub fn human_duration(d: chrono::Duration) -> String {
    let seconds = d.num_seconds();
    if seconds < -1 {
        return "<invalid>".into();
    } else if seconds < 0 {
        return "0s".into();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{}h", hours / 24, h)
        };
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{}d", hours / 24 / 365, dy)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// `translateTimestampSince`: the age of a timestamp, or `<unknown>` when it is unset.
pub fn since(t: Option<&Time>, now: DateTime<Utc>) -> String {
    match t {
        Some(t) => human_duration(now - t.0),
        None => "<unknown>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: i64) -> String {
        human_duration(chrono::Duration::seconds(s))
    }

    #[test]
    fn matches_go_human_duration() {
        assert_eq!(d(-5), "<invalid>");
        assert_eq!(d(-1), "0s");
        assert_eq!(d(5), "5s");
        assert_eq!(d(119), "119s");
        assert_eq!(d(123), "2m3s");
        assert_eq!(d(180), "3m");
        assert_eq!(d(600), "10m");
        assert_eq!(d(3 * 3600 + 4 * 60), "3h4m");
        assert_eq!(d(5 * 3600), "5h");
        assert_eq!(d(20 * 3600), "20h");
        assert_eq!(d(2 * 86400), "2d");
        assert_eq!(d(2 * 86400 + 3 * 3600), "2d3h");
        assert_eq!(d(30 * 86400), "30d");
        assert_eq!(d(3 * 365 * 86400), "3y");
        assert_eq!(d(3 * 365 * 86400 + 5 * 86400), "3y5d");
        assert_eq!(d(10 * 365 * 86400), "10y");
    }
}
