//! How far each controller has got through the store's changes, and the cluster's "settled"
//! that the lab waits for after each kubectl command.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::runtime::Cluster;

/// Each controller's mark: the resourceVersion up to which it has acted on the watch stream.
#[derive(Default)]
pub struct Progress(Mutex<Vec<Arc<AtomicU64>>>);

impl Cluster {
    fn progress(&self) -> &Progress {
        &self.controllers().progress
    }

    /// A progress marker for a new controller (see [`Cluster::settle`]).
    pub(crate) fn register_controller(&self) -> Arc<AtomicU64> {
        let p = Arc::new(AtomicU64::new(0));
        self.progress().0.lock().unwrap().push(p.clone());
        p
    }

    /// True when every controller has acted on every change in the store so far.
    pub fn is_settled(&self) -> bool {
        let target = self.store().resource_version();
        self.progress()
            .0
            .lock()
            .unwrap()
            .iter()
            .all(|p| p.load(Ordering::SeqCst) >= target)
    }

    /// Wait until the controllers have reacted to every change so far (Endpoints written,
    /// kube-proxy listening or closed, pods scheduled …), at most `limit` of real time. Timed
    /// work — a container starting, a load balancer being provisioned — is not waited for.
    /// The lab calls this after each kubectl command, so what the learner types next sees a
    /// cluster that has reacted, as it would at a human's typing speed. True if it settled.
    pub async fn settle(&self, limit: std::time::Duration) -> bool {
        let t0 = std::time::Instant::now();
        loop {
            if self.is_settled() {
                return true;
            }
            if t0.elapsed() >= limit {
                return false;
            }
            // Let the controllers run; this waits for CPU work, not for lab-clock events.
            tokio::task::yield_now().await;
            if !self.is_settled() {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        }
    }
}
