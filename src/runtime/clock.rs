//! The lab clock: real, scaled (lessons can run faster than life) or paused (tests).
//!
//! Every delay in the cluster — a container starting, a load balancer being provisioned, a
//! `sleep` or `timeout` in the shell, a `--watch` — goes through [`Clock`], so one setting
//! changes the pace of everything. It is built on tokio's time: under
//! `tokio::time::pause()` the same code runs instantly and deterministically in tests.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

/// A cheap-clone handle to the lab's time.
#[derive(Clone, Debug)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Lab seconds per real second: 1.0 is real time, 10.0 runs ten times faster.
    speed: f64,
    start_wall: DateTime<Utc>,
    start: Instant,
}

/// The lab's deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("deadline exceeded")]
pub struct Elapsed;

impl Clock {
    /// A clock running at `speed` lab seconds per real second (clamped to a sane range).
    pub fn new(speed: f64) -> Clock {
        let speed = if speed.is_finite() {
            speed.clamp(0.01, 1000.0)
        } else {
            1.0
        };
        Clock {
            inner: Arc::new(Inner {
                speed,
                start_wall: Utc::now(),
                start: Instant::now(),
            }),
        }
    }

    /// Real time.
    pub fn real() -> Clock {
        Clock::new(1.0)
    }

    pub fn speed(&self) -> f64 {
        self.inner.speed
    }

    /// The lab's wall-clock time (used for timestamps and AGE columns).
    pub fn now(&self) -> DateTime<Utc> {
        let real = self.inner.start.elapsed();
        let lab = real.mul_f64(self.inner.speed);
        self.inner.start_wall + chrono::Duration::from_std(lab).unwrap_or_default()
    }

    /// How long `lab` lab-time takes in real time.
    pub fn to_real(&self, lab: Duration) -> Duration {
        lab.div_f64(self.inner.speed)
    }

    /// Sleep for `lab` of lab time.
    pub async fn sleep(&self, lab: Duration) {
        tokio::time::sleep(self.to_real(lab)).await
    }

    /// Run `fut` for at most `lab` of lab time.
    pub async fn timeout<F: Future>(&self, lab: Duration, fut: F) -> Result<F::Output, Elapsed> {
        tokio::time::timeout(self.to_real(lab), fut).await.map_err(|_| Elapsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn scaled_clock_runs_faster_than_real_time() {
        let clock = Clock::new(10.0);
        let t0 = clock.now();
        let real0 = Instant::now();
        clock.sleep(Duration::from_secs(10)).await;
        assert_eq!(Instant::now() - real0, Duration::from_secs(1));
        let lab = clock.now() - t0;
        assert_eq!(lab.num_seconds(), 10);
    }

    #[tokio::test(start_paused = true)]
    async fn timeout_is_on_lab_time() {
        let clock = Clock::new(2.0);
        let r = clock
            .timeout(Duration::from_secs(4), clock.sleep(Duration::from_secs(5)))
            .await;
        assert_eq!(r, Err(Elapsed));
        let r = clock
            .timeout(Duration::from_secs(4), clock.sleep(Duration::from_secs(3)))
            .await;
        assert_eq!(r, Ok(()));
    }
}
