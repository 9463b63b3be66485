//! The kubelet: runs the pods scheduled to the lab's nodes.
//!
//! A scheduled pod goes Pending → ContainerCreating → Running on the lab clock: the image is
//! "pulled" (looked up in the catalog — an unknown image goes ErrImagePull → ImagePullBackOff with
//! the kubelet's events), the pod gets an IP from its node's range, each container's program
//! listens on a real loopback socket registered under `podIP:port`, and the Service environment
//! variables are fixed from the Services that exist at that moment. Only a container whose main
//! process is the image's server listens ([`crate::runtime::images::process`]); what happens
//! after start — probes, exits, restarts, the pod finishing — is in [`lifecycle`]. A pod being
//! deleted stops its programs, then disappears from the store.
//!
//! This file is the controller: which pods to look at, and for each whether to start, restart
//! in place, or stop it. The rest of the folder:
//!
//! - `start` — the phases of starting a pod, in order, and the modules each phase lives in:
//!   `volumes`, `pull`, `sandbox`, `containers`;
//! - `status` — what the kubelet writes in a pod's status;
//! - `running` — a pod's slot, the running pod and its containers, and how they stop;
//! - `service_env` — the Service environment variables;
//! - `lifecycle` and [`probes`] — a container's life after it started.

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;

mod containers;
mod lifecycle;
pub mod probes;
mod pull;
mod running;
mod sandbox;
mod service_env;
mod start;
mod status;
mod volumes;

pub use running::{RunningContainer, RunningPod};
pub use service_env::{service_env, shared_service_env, SharedEnv};
pub use volumes::mount_files;

use super::{all_keys, Controller};
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::{Key, WatchEvent};
use crate::runtime::Cluster;
use running::{stop_sandbox, stop_slot, stop_slot_later, Slot};
use start::{start_pod, Restart};
use status::set_creating;

pub const CONTROLLER: Controller = Controller {
    name: "kubelet",
    keys_for,
    reconcile,
    resync,
};

/// How long a server program takes to exit after SIGTERM (lab time), when nothing says otherwise.
const STOP_DELAY: Duration = Duration::from_millis(800);

/// The kubelets' shared state (one map for all nodes of the lab).
#[derive(Default)]
pub struct State {
    slots: Mutex<HashMap<(String, String), Slot>>,
    used_ips: Mutex<HashSet<Ipv4Addr>>,
    pulled: Mutex<HashSet<(String, String)>>,
    /// Service variables by (namespace, service links on), with the Service write counter they
    /// were computed at: pods started between two Service changes share one map.
    service_env: Mutex<HashMap<(String, bool), (u64, SharedEnv)>>,
    /// Pods that were running when the cluster was saved (uid → their IP): the first start
    /// after a restore is a node reboot for them (see [`after_reboot`]).
    rebooted: Mutex<HashMap<String, Ipv4Addr>>,
}

/// The kubelet's part of the controllers' state.
fn state(cluster: &Cluster) -> &State {
    &cluster.controllers().kubelet
}

/// The pod's containers, running or finished (see [`Cluster::pod_containers`]).
pub(crate) fn pod_containers(cluster: &Cluster, namespace: &str, name: &str) -> Option<Arc<RunningPod>> {
    match state(cluster)
        .slots
        .lock()
        .unwrap()
        .get(&(namespace.to_string(), name.to_string()))
    {
        Some(Slot::Running(p) | Slot::Finished(p)) => Some(p.clone()),
        _ => None,
    }
}

/// The pod, if its containers are up (see [`Cluster::running_pod`]).
pub(crate) fn running_pod(cluster: &Cluster, namespace: &str, name: &str) -> Option<Arc<RunningPod>> {
    match state(cluster)
        .slots
        .lock()
        .unwrap()
        .get(&(namespace.to_string(), name.to_string()))
    {
        Some(Slot::Running(p)) => Some(p.clone()),
        _ => None,
    }
}

fn keys_for(_: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    match &*ev.object {
        Object::Pod(_) => vec![Key::of(&ev.object)],
        _ => vec![],
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    let mut keys = all_keys(cluster, Kind::Pod);
    // Pods the store no longer has but the kubelet still runs.
    for (ns, name) in state(cluster).slots.lock().unwrap().keys() {
        keys.push(Key::new(Kind::Pod, ns, name));
    }
    keys
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let kubelet = state(cluster);
    let slot_key = (key.namespace.clone(), key.name.clone());
    let obj = cluster.store().get(key);
    let uid = obj.as_ref().and_then(|o| o.meta().uid.clone());
    {
        let mut slots = kubelet.slots.lock().unwrap();
        let stale = slots.get(&slot_key).is_some_and(|s| Some(s.uid()) != uid.as_deref());
        if stale {
            if let Some(s) = slots.remove(&slot_key) {
                stop_slot(cluster, s);
            }
        }
    }
    let Some(obj) = obj else { return };
    let Some(pod) = obj.as_pod() else { return };
    let uid = uid.unwrap_or_default();
    let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.clone()) else {
        return;
    };

    if obj.meta().deletion_timestamp.is_some() {
        let mut slots = kubelet.slots.lock().unwrap();
        if matches!(slots.get(&slot_key), Some(Slot::Terminating { .. })) {
            return;
        }
        let had = slots.insert(slot_key.clone(), Slot::Terminating { uid: uid.clone() });
        drop(slots);
        let grace = obj
            .meta()
            .deletion_grace_period_seconds
            .or(pod.spec.as_ref().and_then(|s| s.termination_grace_period_seconds))
            .unwrap_or(30)
            .max(0) as u64;
        let delay = match &had {
            Some(Slot::Running(p)) => p
                .containers
                .iter()
                .map(|c| {
                    let grace = Duration::from_secs(grace);
                    if c.serves {
                        c.program.stop_delay(grace)
                    } else {
                        grace
                    }
                })
                .max()
                .unwrap_or(STOP_DELAY),
            _ => Duration::ZERO,
        };
        if let Some(s) = had {
            stop_slot_later(cluster, s, delay);
        }
        let cl = cluster.clone();
        let key = key.clone();
        cluster.spawn(async move {
            cl.clock().sleep(delay).await;
            if cl.store().get(&key).and_then(|o| o.meta().uid.clone()).as_deref() == Some(uid.as_str()) {
                let _ = cl.store().remove(&key);
            }
            let mut slots = state(&cl).slots.lock().unwrap();
            if slots
                .get(&(key.namespace.clone(), key.name.clone()))
                .is_some_and(|s| s.uid() == uid)
            {
                slots.remove(&(key.namespace.clone(), key.name.clone()));
            }
        });
        return;
    }

    let mut slots = kubelet.slots.lock().unwrap();
    // A running container whose image was changed (`kubectl set image pod/…`, `edit`) is
    // killed and started again from the new image; the pod keeps its IP.
    let changed = match slots.get(&slot_key) {
        Some(Slot::Running(p)) => changed_containers(p, pod),
        _ => Vec::new(),
    };
    if !changed.is_empty() {
        let Some(Slot::Running(p)) = slots.remove(&slot_key) else {
            return;
        };
        stop_sandbox(cluster, &p);
        let cl = cluster.clone();
        let restart = Restart {
            ip: p.ip,
            containers: changed.clone(),
            logs: p.containers.iter().map(|c| (c.name.clone(), c.logs.clone())).collect(),
        };
        let (k2, obj2, node2) = (key.clone(), obj.clone(), node.clone());
        let handle = cluster.spawn_handle(async move { start_pod(cl, k2, obj2, node2, Some(restart)).await });
        slots.insert(slot_key, Slot::Starting { uid, task: handle });
        drop(slots);
        for name in changed {
            let msg = format!("Container {name} definition changed, will be restarted");
            cluster.record_event(&obj, "Normal", "Killing", &msg, "kubelet");
        }
        return;
    }
    if slots.contains_key(&slot_key) {
        return;
    }
    // A pod that ran to completion is never started again (its slot is gone after a restore;
    // its status says how it ended).
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    if matches!(phase, Some("Succeeded" | "Failed")) {
        return;
    }
    let cl = cluster.clone();
    // The stored object is shared, not copied: ten thousand starting pods would hold two
    // copies of each pod otherwise.
    let (k2, obj2, node2) = (key.clone(), obj.clone(), node.clone());
    let handle = cluster.spawn_handle(async move { start_pod(cl, k2, obj2, node2, None).await });
    let reboot = kubelet.rebooted.lock().unwrap().contains_key(&uid);
    slots.insert(slot_key, Slot::Starting { uid, task: handle });
    drop(slots);
    if reboot {
        cluster.record_event(
            &obj,
            "Normal",
            "SandboxChanged",
            "Pod sandbox changed, it will be killed and re-created.",
            "kubelet",
        );
    }
    set_creating(cluster, key, &node);
}

/// Called on a restored cluster before its controllers start: every pod that was running is
/// found as a kubelet finds its pods after the node rebooted. Their containers are gone; each
/// will start again in a new sandbox with the same IP, its restart count one higher and its
/// last state `Terminated (Unknown, exit code 255)`. Images already pulled on a node stay
/// pulled.
pub fn after_reboot(cluster: &Cluster) {
    let kubelet = state(cluster);
    for obj in cluster.list(Kind::Pod, None) {
        let Some(pod) = obj.as_pod() else { continue };
        let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.clone()) else {
            continue;
        };
        let status = pod.status.clone().unwrap_or_default();
        for c in status.container_statuses.iter().flatten() {
            if !c.image_id.is_empty() {
                let spec_image = pod
                    .spec
                    .as_ref()
                    .and_then(|s| s.containers.iter().find(|sc| sc.name == c.name))
                    .and_then(|sc| sc.image.clone());
                if let Some(image) = spec_image {
                    kubelet.pulled.lock().unwrap().insert((node.clone(), image));
                }
            }
        }
        let finished = matches!(status.phase.as_deref(), Some("Succeeded" | "Failed"));
        let ip = status.pod_ip.as_deref().and_then(|ip| ip.parse::<Ipv4Addr>().ok());
        if let (Some(ip), false, Some(uid)) = (ip, finished, obj.meta().uid.clone()) {
            kubelet.used_ips.lock().unwrap().insert(ip);
            kubelet.rebooted.lock().unwrap().insert(uid, ip);
        }
    }
}

/// The containers of a running pod whose image in the spec is no longer the one they run.
fn changed_containers(p: &RunningPod, pod: &Pod) -> Vec<String> {
    let spec = pod.spec.as_ref().map(|s| s.containers.as_slice()).unwrap_or_default();
    spec.iter()
        .filter(|c| {
            p.containers
                .iter()
                .find(|r| r.name == c.name)
                .is_some_and(|r| Some(&r.image) != c.image.as_ref())
        })
        .map(|c| c.name.clone())
        .collect()
}

/// A node's InternalIP and the third octet of its pod CIDR (`10.244.<n>.0/24`).
fn node_ip_and_index(cluster: &Cluster, node: &str) -> (String, u8) {
    let n = cluster.get(Kind::Node, "", node);
    let ip = n
        .as_ref()
        .and_then(|n| {
            n.as_node()?
                .status
                .as_ref()?
                .addresses
                .as_ref()?
                .iter()
                .find(|a| a.type_ == "InternalIP")
                .map(|a| a.address.clone())
        })
        .unwrap_or_default();
    let idx = n
        .as_ref()
        .and_then(|n| n.as_node()?.spec.as_ref()?.pod_cidr.clone())
        .and_then(|c| c.split('.').nth(2).and_then(|x| x.parse().ok()))
        .unwrap_or(0);
    (ip, idx)
}
