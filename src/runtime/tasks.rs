//! The cluster's background tasks — controllers, pods' servers and supervisors, listeners,
//! timers — kept so that [`Cluster::shutdown`](super::Cluster::shutdown) stops every one.

use std::sync::Mutex;

use tokio::task::AbortHandle;

/// The handles of every task the cluster spawned (see [`Cluster::spawn`](super::Cluster::spawn)).
#[derive(Default)]
pub(super) struct Tasks(Mutex<Vec<AbortHandle>>);

impl Tasks {
    /// Keep `handle`. Finished tasks are pruned when the list has doubled (from 256 on), so a
    /// long-lived cluster keeps about as many handles as it has live tasks.
    pub(super) fn keep(&self, handle: AbortHandle) {
        let mut tasks = self.0.lock().unwrap();
        if tasks.len() >= 256 && tasks.len().is_power_of_two() {
            tasks.retain(|t| !t.is_finished());
        }
        tasks.push(handle);
    }

    /// Stop every task kept so far.
    pub(super) fn abort_all(&self) {
        for t in self.0.lock().unwrap().drain(..) {
            t.abort();
        }
    }
}
