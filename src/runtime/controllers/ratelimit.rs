//! The controllers' budget of API requests, and the queue that brings a key back later.
//!
//! kube-controller-manager reaches the API server through clients limited to 20 requests a
//! second with bursts of 30 (its `--kube-api-qps` and `--kube-api-burst` defaults). That limit
//! is what keeps a typo such as `replicas: 100000` from flooding a real cluster: the ReplicaSet
//! controller creates about twenty pods a second, and everything else keeps its turn. The lab
//! keeps the same budget per controller, counted in lab time, so a huge scale-up grows as
//! slowly as on a real cluster and never starves the event loop.
//!
//! A controller that runs out of budget asks for its key again later
//! ([`crate::runtime::Cluster::requeue_after`]), as a workqueue's `AddAfter` does.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// Requests a second, in lab time.
pub const QPS: f64 = 20.0;
/// Requests that may go at once after a quiet spell.
pub const BURST: f64 = 30.0;

/// A token bucket, as client-go's rate limiter is.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl Bucket {
    /// Take one token, or say how long (lab time) until one is there.
    fn take(&mut self, speed: f64) -> Result<(), Duration> {
        let now = Instant::now();
        let lab = now.saturating_duration_since(self.last).as_secs_f64() * speed;
        self.tokens = (self.tokens + lab * QPS).min(BURST);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / QPS))
        }
    }
}

/// Each controller's bucket and requeue channel.
#[derive(Debug, Default)]
pub struct State {
    buckets: Mutex<HashMap<&'static str, Bucket>>,
    queues: Mutex<HashMap<&'static str, Queue>>,
}

#[derive(Debug)]
struct Queue {
    tx: mpsc::UnboundedSender<Key>,
    /// Keys already waiting to come back: asking again does not add a second timer.
    waiting: HashSet<Key>,
}

impl Cluster {
    /// Spend one API request of `controller`'s budget, or learn how long (lab time) to wait.
    pub(crate) fn api_budget(&self, controller: &'static str) -> Result<(), Duration> {
        let speed = self.clock().speed();
        let mut buckets = self.controllers().ratelimit.buckets.lock().unwrap();
        buckets
            .entry(controller)
            .or_insert_with(|| Bucket {
                tokens: BURST,
                last: Instant::now(),
            })
            .take(speed)
    }

    /// Reconcile `key` again in `controller` after `lab` of lab time (once, however often this is
    /// asked before then).
    pub(crate) fn requeue_after(&self, controller: &'static str, key: &Key, lab: Duration) {
        let tx = {
            let mut queues = self.controllers().ratelimit.queues.lock().unwrap();
            let Some(q) = queues.get_mut(controller) else { return };
            if !q.waiting.insert(key.clone()) {
                return;
            }
            q.tx.clone()
        };
        let (clock, key) = (self.clock().clone(), key.clone());
        self.spawn(async move {
            clock.sleep(lab).await;
            let _ = tx.send(key);
        });
    }

    /// The receiving end of `controller`'s requeues (see [`super::run`]).
    pub(super) fn requeues(&self, controller: &'static str) -> mpsc::UnboundedReceiver<Key> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.controllers().ratelimit.queues.lock().unwrap().insert(
            controller,
            Queue {
                tx,
                waiting: HashSet::new(),
            },
        );
        rx
    }

    /// A requeued key came back: it may be asked for again.
    pub(super) fn requeued(&self, controller: &'static str, key: &Key) {
        if let Some(q) = self.controllers().ratelimit.queues.lock().unwrap().get_mut(controller) {
            q.waiting.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_bucket_allows_a_burst_then_twenty_a_second_of_lab_time() {
        let mut b = Bucket {
            tokens: BURST,
            last: Instant::now(),
        };
        for _ in 0..30 {
            assert!(b.take(1.0).is_ok());
        }
        let wait = b.take(1.0).unwrap_err();
        assert_eq!(wait, Duration::from_millis(50), "one token comes every 1/20 s");
        tokio::time::advance(Duration::from_secs(1)).await;
        let took = (0..100).take_while(|_| b.take(1.0).is_ok()).count();
        assert_eq!(took, 20, "a second brings twenty");
        tokio::time::advance(Duration::from_millis(100)).await;
        assert_eq!(
            (0..100).take_while(|_| b.take(10.0).is_ok()).count(),
            20,
            "a 10x clock refills 10x faster"
        );
    }
}
