//! Starting a pod on its node: the phases a scheduled pod goes through before it runs, in the
//! order (and at the lab times) the kubelet takes them. The sequence reads here in one place;
//! each phase lives in the module named for it.
//!
//! 1. Volumes ([`volumes::mount_all`]): its Secret and ConfigMap volumes are mounted; a missing
//!    one keeps the pod in `ContainerCreating`, retried.
//! 2. Images ([`pull::pull_all`]): each image is pulled, half of `container_start` after the
//!    mounts and half before the sandbox; an unknown image goes into the pull back-off instead.
//! 3. Sandbox ([`sandbox::pod_ip`]): the pod's IP (kept on a restart or after a reboot).
//! 4. Containers ([`containers::start`]): each container's environment, program, log, ports,
//!    events and `running` status.
//! 5. Slot ([`claim_slot`]): the pod is `Running` for the kubelet, unless it was deleted or
//!    replaced meanwhile (then what was started stops again).
//! 6. Status ([`status::set_running`]): the pod's status says so.
//! 7. Supervisors ([`lifecycle::supervise_pod`]): probes, exits and restarts from here on.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

use super::containers::{self, PodStart};
use super::running::{stop_slot, RunningPod, Slot};
use super::sandbox::{self, Sandbox};
use super::service_env::shared_service_env;
use super::{lifecycle, pull, status, volumes};
use crate::runtime::images::server::LogSink;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// A pod started again in its sandbox after a container's image changed: its IP, and the
/// containers that restart (the others keep their status).
pub(super) struct Restart {
    pub(super) ip: Ipv4Addr,
    pub(super) containers: Vec<String>,
    /// Every container's log, by name.
    pub(super) logs: HashMap<String, LogSink>,
}

/// Whether this start pulls, creates and starts container `name` (and says so in events): every
/// container on a first start, only the changed ones on a restart.
pub(super) fn announced(restart: Option<&Restart>, name: &str) -> bool {
    restart.is_none_or(|r| r.containers.iter().any(|c| c == name))
}

/// Start the pod `key` on `node` (the task behind its `Starting` slot).
pub(super) async fn start_pod(cluster: Cluster, key: Key, obj: Arc<Object>, node: String, restart: Option<Restart>) {
    let Some(pod) = obj.as_pod() else { return };
    let specs = pod.spec.as_ref().map(|s| s.containers.clone()).unwrap_or_default();

    let mounted = volumes::mount_all(&cluster, &key, &obj, pod, &specs).await;

    let Some(programs) = pull::pull_all(&cluster, &key, &obj, &node, &specs, restart.as_ref()).await else {
        return;
    };

    let rebooted_ip = sandbox::rebooted_ip(&cluster, pod);
    let ip = sandbox::pod_ip(&cluster, &node, restart.as_ref().map(|r| r.ip).or(rebooted_ip));
    let mut sandbox = Sandbox::new(ip);

    let links = pod.spec.as_ref().and_then(|s| s.enable_service_links).unwrap_or(true);
    let service_env = shared_service_env(&cluster, &key.namespace, links);
    let start = PodStart {
        cluster: &cluster,
        key: &key,
        obj: &obj,
        node: &node,
        restart: restart.as_ref(),
        service_env: &service_env,
        now: cluster.clock().now(),
    };
    let mut running = Vec::new();
    let mut statuses = Vec::new();
    let mut supervised = Vec::new();
    for ((spec, image, factory), files) in programs.into_iter().zip(mounted) {
        let started = containers::start(&start, &mut sandbox, spec, image, factory, files).await;
        statuses.push(started.status);
        supervised.push((started.spec, started.main));
        running.push(started.running);
    }
    let now = start.now;

    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let rp = Arc::new(sandbox.into_pod(uid.clone(), &key, node, running));
    if !claim_slot(&cluster, &key, &rp) {
        return;
    }

    let restarted = restart.as_ref().map(|r| r.containers.as_slice());
    status::set_running(&cluster, &key, ip, &statuses, restarted, rebooted_ip.is_some(), now);
    super::state(&cluster).rebooted.lock().unwrap().remove(&uid);

    lifecycle::supervise_pod(&cluster, &key, &rp, pod, supervised);
}

/// The pod runs: its slot goes from `Starting` to `Running`. False, and what was started stops
/// again, if the slot is no longer this start's (the pod was deleted or replaced meanwhile).
fn claim_slot(cluster: &Cluster, key: &Key, rp: &Arc<RunningPod>) -> bool {
    let mut slots = super::state(cluster).slots.lock().unwrap();
    let slot_key = (key.namespace.clone(), key.name.clone());
    match slots.get(&slot_key) {
        Some(Slot::Starting { uid, .. }) if *uid == rp.uid => {
            slots.insert(slot_key, Slot::Running(rp.clone()));
            true
        }
        _ => {
            drop(slots);
            stop_slot(cluster, Slot::Running(rp.clone()));
            false
        }
    }
}
