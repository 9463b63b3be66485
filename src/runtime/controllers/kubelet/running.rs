//! What the kubelet runs for a pod: its slot (starting, running, finished, terminating), the
//! running pod and its containers, and how a pod's sandbox stops.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::AbortHandle;

use crate::runtime::images::server::LogSink;
use crate::runtime::images::{PodCtx, Program};
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// A container that is running.
pub struct RunningContainer {
    pub name: String,
    pub image: String,
    pub program: Arc<dyn Program>,
    pub ctx: Arc<PodCtx>,
    pub logs: LogSink,
    /// The main process is the image's server (which exits promptly on SIGTERM); anything else
    /// as PID 1 — a shell, `sleep` — ignores SIGTERM and is killed when the grace period ends.
    pub serves: bool,
    /// Files the container wrote (`curl -o`), by absolute path: its writable layer.
    pub scratch: Mutex<BTreeMap<String, Vec<u8>>>,
}

/// A pod whose containers are running.
pub struct RunningPod {
    pub uid: String,
    pub namespace: String,
    pub name: String,
    pub ip: Ipv4Addr,
    pub node: String,
    pub containers: Vec<RunningContainer>,
    pub(super) routes: Vec<SocketAddrV4>,
    pub(super) udp_routes: Vec<SocketAddrV4>,
    pub(super) tasks: Vec<AbortHandle>,
    /// The containers' supervisors (main process, probes, restarts).
    pub(super) supervisors: Mutex<Vec<AbortHandle>>,
}

impl RunningPod {
    pub fn container(&self, name: Option<&str>) -> Option<&RunningContainer> {
        match name {
            Some(n) => self.containers.iter().find(|c| c.name == n),
            None => self.containers.first(),
        }
    }
}

/// Where one pod is in the kubelet's hands.
pub(super) enum Slot {
    Starting {
        uid: String,
        task: AbortHandle,
    },
    Running(Arc<RunningPod>),
    /// Every container terminated for good (`Succeeded` or `Failed`); kept for its logs.
    Finished(Arc<RunningPod>),
    Terminating {
        uid: String,
    },
}

impl Slot {
    pub(super) fn uid(&self) -> &str {
        match self {
            Slot::Starting { uid, .. } | Slot::Terminating { uid } => uid,
            Slot::Running(p) | Slot::Finished(p) => &p.uid,
        }
    }
}

/// Stop whatever the slot runs, and free the pod's IP.
pub(super) fn stop_slot(cluster: &Cluster, slot: Slot) {
    match slot {
        Slot::Starting { task, .. } => task.abort(),
        Slot::Running(p) => {
            stop_sandbox(cluster, &p);
            super::state(cluster).used_ips.lock().unwrap().remove(&p.ip);
        }
        Slot::Finished(p) => {
            super::state(cluster).used_ips.lock().unwrap().remove(&p.ip);
        }
        Slot::Terminating { .. } => {}
    }
}

/// Stop everything a pod runs: its listeners, servers and supervisors.
pub(super) fn stop_sandbox(cluster: &Cluster, p: &RunningPod) {
    remove_routes(cluster, p);
    for t in p.tasks.iter().chain(p.supervisors.lock().unwrap().iter()) {
        t.abort();
    }
}

/// The pod's ports disappear from the network.
fn remove_routes(cluster: &Cluster, p: &RunningPod) {
    for r in &p.routes {
        cluster.net().remove_route(*r);
    }
    for r in &p.udp_routes {
        cluster.net().remove_udp_route(*r);
    }
}

/// Every container of the pod terminated for good: its sandbox stops, its logs stay.
pub(super) fn finish(cluster: &Cluster, key: &Key, uid: &str) {
    let mut slots = super::state(cluster).slots.lock().unwrap();
    let slot_key = (key.namespace.clone(), key.name.clone());
    if let Some(Slot::Running(p)) = slots.get(&slot_key) {
        if p.uid == uid {
            let p = p.clone();
            slots.insert(slot_key, Slot::Finished(p.clone()));
            drop(slots);
            remove_routes(cluster, &p);
            for t in &p.tasks {
                t.abort();
            }
        }
    }
}

/// Stop after the program's shutdown delay (it keeps serving meanwhile, as nginx drains).
pub(super) fn stop_slot_later(cluster: &Cluster, slot: Slot, delay: Duration) {
    if let Slot::Starting { task, .. } = &slot {
        task.abort();
        return;
    }
    let cl = cluster.clone();
    cluster.spawn(async move {
        cl.clock().sleep(delay).await;
        stop_slot(&cl, slot);
    });
}
