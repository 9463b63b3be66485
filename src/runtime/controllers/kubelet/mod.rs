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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus,
    HostIP, Pod, PodCondition, PodIP, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use tokio::task::AbortHandle;

mod lifecycle;
pub mod probes;

use super::{all_keys, Controller};
use crate::runtime::images::process::{main_process, MainProcess};
use crate::runtime::images::server::{serve, LogSink};
use crate::runtime::images::{self, PodCtx, Program};
use crate::runtime::kinds::Kind;
use crate::runtime::net::udp::{bind_udp_loopback, serve_datagrams, serve_framed_tcp, UdpRoute};
use crate::runtime::net::{bind_loopback, Route};
use crate::runtime::object::Object;
use crate::runtime::store::{Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "kubelet",
    keys_for,
    reconcile,
    resync,
};

/// How long a server program takes to exit after SIGTERM (lab time), when nothing says otherwise.
const STOP_DELAY: Duration = Duration::from_millis(800);

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
    routes: Vec<SocketAddrV4>,
    udp_routes: Vec<SocketAddrV4>,
    tasks: Vec<AbortHandle>,
    /// The containers' supervisors (main process, probes, restarts).
    supervisors: Mutex<Vec<AbortHandle>>,
}

impl RunningPod {
    pub fn container(&self, name: Option<&str>) -> Option<&RunningContainer> {
        match name {
            Some(n) => self.containers.iter().find(|c| c.name == n),
            None => self.containers.first(),
        }
    }
}

enum Slot {
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
    fn uid(&self) -> &str {
        match self {
            Slot::Starting { uid, .. } | Slot::Terminating { uid } => uid,
            Slot::Running(p) | Slot::Finished(p) => &p.uid,
        }
    }
}

/// Environment variables shared between containers.
pub type SharedEnv = Arc<BTreeMap<String, String>>;

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

impl Cluster {
    /// The pod's containers, running or finished (what `kubectl logs` reads).
    pub fn pod_containers(&self, namespace: &str, name: &str) -> Option<Arc<RunningPod>> {
        match self
            .kubelet()
            .slots
            .lock()
            .unwrap()
            .get(&(namespace.to_string(), name.to_string()))
        {
            Some(Slot::Running(p) | Slot::Finished(p)) => Some(p.clone()),
            _ => None,
        }
    }

    /// The running pod `namespace/name`, if its containers are up.
    pub fn running_pod(&self, namespace: &str, name: &str) -> Option<Arc<RunningPod>> {
        match self
            .kubelet()
            .slots
            .lock()
            .unwrap()
            .get(&(namespace.to_string(), name.to_string()))
        {
            Some(Slot::Running(p)) => Some(p.clone()),
            _ => None,
        }
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
    for (ns, name) in cluster.kubelet().slots.lock().unwrap().keys() {
        keys.push(Key::new(Kind::Pod, ns, name));
    }
    keys
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let state = cluster.kubelet();
    let slot_key = (key.namespace.clone(), key.name.clone());
    let obj = cluster.store().get(key);
    let uid = obj.as_ref().and_then(|o| o.meta().uid.clone());
    {
        let mut slots = state.slots.lock().unwrap();
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
        let mut slots = state.slots.lock().unwrap();
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
            let mut slots = cl.kubelet().slots.lock().unwrap();
            if slots
                .get(&(key.namespace.clone(), key.name.clone()))
                .is_some_and(|s| s.uid() == uid)
            {
                slots.remove(&(key.namespace.clone(), key.name.clone()));
            }
        });
        return;
    }

    let mut slots = state.slots.lock().unwrap();
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
    let reboot = state.rebooted.lock().unwrap().contains_key(&uid);
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
    let state = cluster.kubelet();
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
                    state.pulled.lock().unwrap().insert((node.clone(), image));
                }
            }
        }
        let finished = matches!(status.phase.as_deref(), Some("Succeeded" | "Failed"));
        let ip = status.pod_ip.as_deref().and_then(|ip| ip.parse::<Ipv4Addr>().ok());
        if let (Some(ip), false, Some(uid)) = (ip, finished, obj.meta().uid.clone()) {
            state.used_ips.lock().unwrap().insert(ip);
            state.rebooted.lock().unwrap().insert(uid, ip);
        }
    }
}

/// Container statuses while a rebooted pod's containers are created again: a container that
/// was running counts one more restart and remembers that it ended with the node.
fn rebooted_statuses(
    old: &[ContainerStatus],
    waiting: Vec<ContainerStatus>,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<ContainerStatus> {
    waiting
        .into_iter()
        .map(|s| {
            let Some(prev) = old.iter().find(|o| o.name == s.name) else {
                return s;
            };
            let Some(running) = prev.state.as_ref().and_then(|st| st.running.as_ref()) else {
                return ContainerStatus {
                    restart_count: prev.restart_count,
                    last_state: prev.last_state.clone(),
                    ..s
                };
            };
            ContainerStatus {
                restart_count: prev.restart_count + 1,
                last_state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: 255,
                        reason: Some("Unknown".into()),
                        started_at: running.started_at.clone(),
                        finished_at: Some(Time(now)),
                        container_id: prev.container_id.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..s
            }
        })
        .collect()
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

/// Container statuses after a restart in place: the restarted containers count one more restart
/// and remember their last run (ended by the kubelet's SIGTERM, exit code 0); the others keep
/// their status as it was.
fn restarted_statuses(
    old: &[ContainerStatus],
    new: &[ContainerStatus],
    restarted: &[String],
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<ContainerStatus> {
    new.iter()
        .map(|s| {
            let Some(prev) = old.iter().find(|o| o.name == s.name) else {
                return s.clone();
            };
            if !restarted.contains(&s.name) {
                return prev.clone();
            }
            let started_at = prev
                .state
                .as_ref()
                .and_then(|st| st.running.as_ref()?.started_at.clone());
            ContainerStatus {
                restart_count: prev.restart_count + 1,
                last_state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: 0,
                        reason: Some("Completed".into()),
                        started_at,
                        finished_at: Some(Time(now)),
                        container_id: prev.container_id.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                container_id: prev
                    .container_id
                    .as_ref()
                    .map(|id| format!("containerd://{}", pseudo_hex(id, 64))),
                ..s.clone()
            }
        })
        .collect()
}

/// A pod started again in its sandbox after a container's image changed: its IP, and the
/// containers that restart (the others keep their status).
struct Restart {
    ip: Ipv4Addr,
    containers: Vec<String>,
    /// Every container's log, by name.
    logs: HashMap<String, LogSink>,
}

fn stop_slot(cluster: &Cluster, slot: Slot) {
    match slot {
        Slot::Starting { task, .. } => task.abort(),
        Slot::Running(p) => {
            stop_sandbox(cluster, &p);
            cluster.kubelet().used_ips.lock().unwrap().remove(&p.ip);
        }
        Slot::Finished(p) => {
            cluster.kubelet().used_ips.lock().unwrap().remove(&p.ip);
        }
        Slot::Terminating { .. } => {}
    }
}

/// Stop everything a pod runs: its listeners, servers and supervisors.
fn stop_sandbox(cluster: &Cluster, p: &RunningPod) {
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
fn finish(cluster: &Cluster, key: &Key, uid: &str) {
    let mut slots = cluster.kubelet().slots.lock().unwrap();
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

/// Set the pod's `Ready` and `ContainersReady` conditions from its containers' `ready` flags.
fn sync_ready_conditions(p: &mut Pod, now: chrono::DateTime<chrono::Utc>) {
    let Some(st) = p.status.as_mut() else { return };
    if matches!(st.phase.as_deref(), Some("Succeeded" | "Failed")) {
        return;
    }
    let unready: Vec<String> = st
        .container_statuses
        .iter()
        .flatten()
        .filter(|c| !c.ready)
        .map(|c| c.name.clone())
        .collect();
    for c in st.conditions.iter_mut().flatten() {
        if c.type_ != "Ready" && c.type_ != "ContainersReady" {
            continue;
        }
        let status = if unready.is_empty() { "True" } else { "False" };
        if c.status != status {
            c.status = status.into();
            c.last_transition_time = Some(Time(now));
        }
        if unready.is_empty() {
            c.reason = None;
            c.message = None;
        } else {
            c.reason = Some("ContainersNotReady".into());
            c.message = Some(format!("containers with unready status: [{}]", unready.join(" ")));
        }
    }
}

/// Stop after the program's shutdown delay (it keeps serving meanwhile, as nginx drains).
fn stop_slot_later(cluster: &Cluster, slot: Slot, delay: Duration) {
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

fn condition(ty: &str, status: bool, now: chrono::DateTime<chrono::Utc>) -> PodCondition {
    PodCondition {
        type_: ty.into(),
        status: if status { "True" } else { "False" }.into(),
        last_transition_time: Some(Time(now)),
        ..Default::default()
    }
}

fn waiting_status(pod: &Pod, reason: &str, message: Option<String>) -> Vec<ContainerStatus> {
    pod.spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or(&[])
        .iter()
        .map(|c| ContainerStatus {
            name: c.name.clone(),
            image: c.image.clone().unwrap_or_default(),
            image_id: String::new(),
            ready: false,
            restart_count: 0,
            started: Some(false),
            state: Some(ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some(reason.into()),
                    message: message.clone(),
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect()
}

fn set_creating(cluster: &Cluster, key: &Key, node: &str) {
    let (host_ip, _) = node_ip_and_index(cluster, node);
    let now = cluster.clock().now();
    let _ = cluster.store().update(key, |o| {
        let Object::Pod(p) = o else { return };
        let mut statuses = waiting_status(p, "ContainerCreating", None);
        let uid = p.metadata.uid.clone().unwrap_or_default();
        if cluster.kubelet().rebooted.lock().unwrap().contains_key(&uid) {
            let old = p
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.clone())
                .unwrap_or_default();
            statuses = rebooted_statuses(&old, statuses, now);
        }
        let names: Vec<String> = statuses.iter().map(|c| c.name.clone()).collect();
        let st = p.status.get_or_insert_with(PodStatus::default);
        st.phase = Some("Pending".into());
        st.host_ip = Some(host_ip.clone());
        st.host_ips = Some(vec![HostIP { ip: host_ip.clone() }]);
        st.start_time = Some(Time(now));
        st.container_statuses = Some(statuses);
        let mut ready = condition("Ready", false, now);
        ready.reason = Some("ContainersNotReady".into());
        ready.message = Some(format!("containers with unready status: [{}]", names.join(" ")));
        let mut cready = ready.clone();
        cready.type_ = "ContainersReady".into();
        let scheduled = st
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == "PodScheduled")
            .cloned();
        st.conditions = Some(vec![
            condition("PodReadyToStartContainers", false, now),
            condition("Initialized", true, now),
            ready,
            cready,
            scheduled.unwrap_or_else(|| condition("PodScheduled", true, now)),
        ]);
    });
}

fn pseudo_hex(seed: &str, len: usize) -> String {
    let mut out = String::new();
    let mut h = crate::runtime::names::fnv32a(seed.as_bytes());
    while out.len() < len {
        h = h.wrapping_mul(0x01000193) ^ 0x9e3779b9;
        out.push_str(&format!("{h:08x}"));
    }
    out.truncate(len);
    out
}

async fn start_pod(cluster: Cluster, key: Key, obj: Arc<Object>, node: String, restart: Option<Restart>) {
    let cfg = cluster.config().clone();
    let Some(pod) = obj.as_pod() else { return };
    let containers = pod.spec.as_ref().map(|s| s.containers.clone()).unwrap_or_default();

    // Volumes: a missing Secret or ConfigMap keeps the pod in ContainerCreating, retried.
    let mut mounted = Vec::new();
    for c in &containers {
        loop {
            match mount_files(&cluster, &key.namespace, pod, c) {
                Ok(files) => {
                    mounted.push(Arc::new(files));
                    break;
                }
                Err(msg) => {
                    cluster.record_event(&obj, "Warning", "FailedMount", &msg, "kubelet");
                    cluster.clock().sleep(Duration::from_secs(2)).await;
                }
            }
        }
    }

    // Pull.
    cluster.clock().sleep(cfg.container_start / 2).await;
    let mut programs = Vec::new();
    // On a restart only the changed containers are pulled, created and started again.
    let announce = |c: &Container| restart.as_ref().is_none_or(|r| r.containers.contains(&c.name));
    for c in &containers {
        let image = c.image.clone().unwrap_or_default();
        if !announce(c) {
            match images::lookup(&image) {
                Some(p) => programs.push((c.clone(), image, p)),
                None => return,
            }
            continue;
        }
        let pulled_key = (node.clone(), image.clone());
        let present = cluster.kubelet().pulled.lock().unwrap().contains(&pulled_key);
        let policy = c.image_pull_policy.as_deref().unwrap_or("IfNotPresent");
        match images::lookup(&image) {
            Some(p) => {
                if present && policy != "Always" {
                    let msg = format!("Container image \"{image}\" already present on machine");
                    cluster.record_event(&obj, "Normal", "Pulled", &msg, "kubelet");
                } else {
                    cluster.record_event(
                        &obj,
                        "Normal",
                        "Pulling",
                        &format!("Pulling image \"{image}\""),
                        "kubelet",
                    );
                    let secs = 0.5 + (crate::runtime::names::fnv32a(image.as_bytes()) % 2000) as f64 / 1000.0;
                    let size = 10_000_000 + crate::runtime::names::fnv32a(image.as_bytes()) % 90_000_000;
                    let msg = format!("Successfully pulled image \"{image}\" in {secs:.3}s ({secs:.3}s including waiting). Image size: {size} bytes.");
                    cluster.record_event(&obj, "Normal", "Pulled", &msg, "kubelet");
                    cluster.kubelet().pulled.lock().unwrap().insert(pulled_key);
                }
                programs.push((c.clone(), image, p));
            }
            None => {
                // Boxed: the back-off loop is rare and would otherwise size every pod start.
                return Box::pin(image_pull_backoff(cluster, key, (*obj).clone(), c.name.clone(), image)).await;
            }
        }
    }
    cluster.clock().sleep(cfg.container_start / 2).await;

    // Sandbox: the pod's IP.
    let (_, idx) = node_ip_and_index(&cluster, &node);
    let rebooted_ip = pod
        .metadata
        .uid
        .as_ref()
        .and_then(|uid| cluster.kubelet().rebooted.lock().unwrap().get(uid).copied());
    let ip = if let Some(r) = &restart {
        r.ip
    } else if let Some(ip) = rebooted_ip {
        ip
    } else {
        let mut used = cluster.kubelet().used_ips.lock().unwrap();
        let ip = (2..=254u8)
            .map(|m| Ipv4Addr::new(10, 244, idx, m))
            .find(|ip| !used.contains(ip))
            .unwrap_or(Ipv4Addr::new(10, 244, idx, 255));
        used.insert(ip);
        ip
    };

    let env_base = shared_service_env(
        &cluster,
        &key.namespace,
        pod.spec.as_ref().and_then(|s| s.enable_service_links).unwrap_or(true),
    );
    let mut running = Vec::new();
    let mut routes = Vec::new();
    let mut udp_routes = Vec::new();
    let mut tasks = Vec::new();
    let now = cluster.clock().now();
    let mut statuses = Vec::new();
    let mut supervised = Vec::new();
    for ((c, image, factory), files) in programs.into_iter().zip(mounted) {
        let mut env = BTreeMap::new();
        env.insert(
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        );
        env.insert("HOSTNAME".to_string(), key.name.clone());
        for e in c.env.iter().flatten() {
            let value = match (&e.value, &e.value_from) {
                (Some(v), _) => v.clone(),
                (None, Some(from)) => match from.field_ref.as_ref().map(|f| f.field_path.as_str()) {
                    Some("metadata.name") => key.name.clone(),
                    Some("metadata.namespace") => key.namespace.clone(),
                    Some("status.podIP") => ip.to_string(),
                    Some("spec.nodeName") => node.clone(),
                    _ => String::new(),
                },
                _ => String::new(),
            };
            env.insert(e.name.clone(), value);
        }
        env.insert("HOME".to_string(), "/root".to_string());
        let ctx = Arc::new(PodCtx {
            cluster: cluster.clone(),
            namespace: key.namespace.clone(),
            pod_name: key.name.clone(),
            pod_ip: ip,
            node: node.clone(),
            container: c.name.clone(),
            image: image.clone(),
            env,
            service_env: env_base.clone(),
            files,
        });
        let program = factory(&ctx);
        let main = main_process(program.command(), &c);
        let serves = main == MainProcess::Serve;
        // A restart keeps each container's log; a restarted container's becomes `--previous`.
        let kept = restart.as_ref().and_then(|r| r.logs.get(&c.name).cloned());
        let logs = kept.clone().unwrap_or_default();
        if kept.is_some() && announce(&c) {
            logs.rotate();
        }
        if serves && (kept.is_none() || announce(&c)) {
            for line in program.startup_log(&ctx) {
                logs.push(now, line);
            }
        }
        let ports = if serves { program.ports() } else { Vec::new() };
        for port in ports {
            match bind_loopback(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await {
                Ok(listener) => {
                    let real = listener.local_addr().expect("bound listener has an address");
                    let virt = SocketAddrV4::new(ip, port);
                    cluster.net().set_route(virt, Route::Listener(real));
                    routes.push(virt);
                    let h = cluster.spawn_handle(serve(listener, program.clone(), ctx.clone(), port, logs.clone()));
                    tasks.push(h);
                }
                Err(e) => cluster.record_event(
                    &obj,
                    "Warning",
                    "Failed",
                    &format!("Error: failed to listen on port {port}: {e}"),
                    "kubelet",
                ),
            }
        }
        // Datagram programs (CoreDNS): their UDP ports, and the same messages over TCP.
        let datagram_ports = if serves {
            let udp = program.udp_ports().into_iter().map(|p| (p, true));
            udp.chain(program.framed_tcp_ports().into_iter().map(|p| (p, false)))
                .collect()
        } else {
            Vec::new()
        };
        for (port, is_udp) in datagram_ports {
            let answer = {
                let (program, ctx) = (program.clone(), ctx.clone());
                move |req: &[u8], _: Option<String>| program.datagram(&ctx, port, req)
            };
            let virt = SocketAddrV4::new(ip, port);
            let any = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
            let bound = if is_udp {
                bind_udp_loopback(any).map(|sock| {
                    let real = sock.local_addr().expect("bound socket has an address");
                    cluster.net().set_udp_route(virt, UdpRoute::Socket(real));
                    udp_routes.push(virt);
                    cluster.spawn_handle(serve_datagrams(cluster.clone(), sock, answer))
                })
            } else {
                bind_loopback(any).await.map(|listener| {
                    let real = listener.local_addr().expect("bound listener has an address");
                    cluster.net().set_route(virt, Route::Listener(real));
                    routes.push(virt);
                    cluster.spawn_handle(serve_framed_tcp(cluster.clone(), listener, answer))
                })
            };
            match bound {
                Ok(h) => tasks.push(h),
                Err(e) => {
                    let proto = if is_udp { "UDP" } else { "TCP" };
                    let msg = format!("Error: failed to listen on port {port}/{proto}: {e}");
                    cluster.record_event(&obj, "Warning", "Failed", &msg, "kubelet");
                }
            }
        }
        if announce(&c) {
            cluster.record_event(
                &obj,
                "Normal",
                "Created",
                &format!("Created container: {}", c.name),
                "kubelet",
            );
            cluster.record_event(
                &obj,
                "Normal",
                "Started",
                &format!("Started container {}", c.name),
                "kubelet",
            );
        }
        let (repo, tag) = images::parse_image(&image);
        let full = if repo.contains('/') && repo.split('/').next().is_some_and(|h| h.contains('.')) {
            repo.clone()
        } else if repo.contains('/') {
            format!("docker.io/{repo}")
        } else {
            format!("docker.io/library/{repo}")
        };
        statuses.push(ContainerStatus {
            name: c.name.clone(),
            image: if repo.contains('/') {
                format!("{full}:{tag}")
            } else {
                format!("docker.io/library/{repo}:{tag}")
            },
            image_id: format!("{full}@sha256:{}", pseudo_hex(&image, 64)),
            container_id: Some(format!(
                "containerd://{}",
                pseudo_hex(&format!("{}{}", key.name, c.name), 64)
            )),
            ready: c.readiness_probe.is_none() && c.startup_probe.is_none(),
            restart_count: 0,
            started: Some(c.startup_probe.is_none()),
            state: Some(ContainerState {
                running: Some(ContainerStateRunning {
                    started_at: Some(Time(now)),
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        supervised.push((c.clone(), main));
        running.push(RunningContainer {
            name: c.name.clone(),
            image,
            program,
            ctx,
            logs,
            serves,
            scratch: Mutex::default(),
        });
    }

    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let rp = Arc::new(RunningPod {
        uid: uid.clone(),
        namespace: key.namespace.clone(),
        name: key.name.clone(),
        ip,
        node,
        containers: running,
        routes,
        udp_routes,
        tasks,
        supervisors: Mutex::new(Vec::new()),
    });
    {
        let mut slots = cluster.kubelet().slots.lock().unwrap();
        let slot_key = (key.namespace.clone(), key.name.clone());
        match slots.get(&slot_key) {
            Some(Slot::Starting { uid: u, .. }) if *u == uid => {
                slots.insert(slot_key, Slot::Running(rp.clone()));
            }
            _ => {
                drop(slots);
                stop_slot(&cluster, Slot::Running(rp));
                return;
            }
        }
    }
    let _ = cluster.store().update(&key, |o| {
        let Object::Pod(p) = o else { return };
        let st = p.status.get_or_insert_with(PodStatus::default);
        st.phase = Some("Running".into());
        st.pod_ip = Some(ip.to_string());
        st.pod_ips = Some(vec![PodIP { ip: ip.to_string() }]);
        let old = st.container_statuses.take().unwrap_or_default();
        st.container_statuses = Some(match &restart {
            None if rebooted_ip.is_some() => statuses
                .iter()
                .map(|s| match old.iter().find(|o| o.name == s.name) {
                    Some(prev) => ContainerStatus {
                        restart_count: prev.restart_count,
                        last_state: prev.last_state.clone(),
                        ..s.clone()
                    },
                    None => s.clone(),
                })
                .collect(),
            None => statuses.clone(),
            Some(r) => restarted_statuses(&old, &statuses, &r.containers, now),
        });
        for c in st.conditions.iter_mut().flatten() {
            let follows_containers = c.type_ == "Ready" || c.type_ == "ContainersReady";
            if c.status != "True" && !follows_containers {
                c.status = "True".into();
                c.reason = None;
                c.message = None;
                c.last_transition_time = Some(Time(now));
            }
        }
        sync_ready_conditions(p, now);
    });
    cluster.kubelet().rebooted.lock().unwrap().remove(&uid);
    let (node_ip, _) = node_ip_and_index(&cluster, &rp.node);
    let node_ip = node_ip.parse().unwrap_or(Ipv4Addr::LOCALHOST);
    let restart_policy = pod
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.clone())
        .unwrap_or_else(|| "Always".into());
    for (c, main) in supervised {
        let has_probes = c.readiness_probe.is_some() || c.liveness_probe.is_some() || c.startup_probe.is_some();
        if !lifecycle::needed(&main, has_probes) {
            continue;
        }
        let s = lifecycle::Supervised {
            cluster: cluster.clone(),
            pod: rp.clone(),
            key: key.clone(),
            uid: uid.clone(),
            container: c.name.clone(),
            exits_on_term: main == MainProcess::Serve,
            main,
            node_ip,
            restart_policy: restart_policy.clone(),
            startup: probes::probe_spec(&c, probes::ProbeKind::Startup),
            readiness: probes::probe_spec(&c, probes::ProbeKind::Readiness),
            liveness: probes::probe_spec(&c, probes::ProbeKind::Liveness),
        };
        let h = cluster.spawn_handle(lifecycle::supervise(s));
        rp.supervisors.lock().unwrap().push(h);
    }
}

async fn image_pull_backoff(cluster: Cluster, key: Key, obj: Object, container: String, image: String) {
    let (repo, tag) = images::parse_image(&image);
    let full = if repo.contains('/') {
        format!("{repo}:{tag}")
    } else {
        format!("docker.io/library/{repo}:{tag}")
    };
    let detail = format!(
        "failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
    );
    let mut backoff = Duration::from_secs(10);
    loop {
        cluster.record_event(
            &obj,
            "Normal",
            "Pulling",
            &format!("Pulling image \"{image}\""),
            "kubelet",
        );
        cluster.record_event(
            &obj,
            "Warning",
            "Failed",
            &format!("Failed to pull image \"{image}\": {detail}"),
            "kubelet",
        );
        cluster.record_event(&obj, "Warning", "Failed", "Error: ErrImagePull", "kubelet");
        set_waiting(
            &cluster,
            &key,
            &container,
            "ErrImagePull",
            Some(format!("rpc error: code = Unknown desc = {detail}")),
        );
        cluster.clock().sleep(Duration::from_secs(2)).await;
        cluster.record_event(
            &obj,
            "Normal",
            "BackOff",
            &format!("Back-off pulling image \"{image}\""),
            "kubelet",
        );
        cluster.record_event(&obj, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet");
        set_waiting(
            &cluster,
            &key,
            &container,
            "ImagePullBackOff",
            Some(format!("Back-off pulling image \"{image}\"")),
        );
        // A corrected image (`kubectl set image`, `edit`) is tried at once, not after the back-off.
        let step = Duration::from_secs(1);
        let mut waited = Duration::ZERO;
        while waited < backoff {
            cluster.clock().sleep(step).await;
            waited += step;
            let now = cluster.store().get(&key);
            let current = now.as_ref().and_then(|o| {
                o.as_pod()?
                    .spec
                    .as_ref()?
                    .containers
                    .iter()
                    .find(|c| c.name == container)?
                    .image
                    .clone()
            });
            if now.is_some() && current.as_deref() != Some(image.as_str()) {
                let slot_key = (key.namespace.clone(), key.name.clone());
                let uid = obj.meta().uid.clone().unwrap_or_default();
                {
                    let mut slots = cluster.kubelet().slots.lock().unwrap();
                    if slots.get(&slot_key).is_some_and(|s| s.uid() == uid) {
                        slots.remove(&slot_key);
                    }
                }
                reconcile(&cluster, &key);
                return;
            }
        }
        backoff = (backoff * 2).min(Duration::from_secs(300));
    }
}

fn set_waiting(cluster: &Cluster, key: &Key, container: &str, reason: &str, message: Option<String>) {
    let _ = cluster.store().update(key, |o| {
        let Object::Pod(p) = o else { return };
        for cs in p
            .status
            .iter_mut()
            .flat_map(|s| s.container_statuses.iter_mut().flatten())
        {
            if cs.name == container {
                cs.state = Some(ContainerState {
                    waiting: Some(ContainerStateWaiting {
                        reason: Some(reason.into()),
                        message: message.clone(),
                    }),
                    ..Default::default()
                });
            }
        }
    });
}

/// The files a container sees from its Secret and ConfigMap volumes, by absolute path.
/// `Err` is the kubelet's FailedMount message.
pub fn mount_files(
    cluster: &Cluster,
    namespace: &str,
    pod: &Pod,
    container: &k8s_openapi::api::core::v1::Container,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let volumes = pod.spec.as_ref().and_then(|s| s.volumes.clone()).unwrap_or_default();
    let mut files = BTreeMap::new();
    for m in container.volume_mounts.iter().flatten() {
        let Some(v) = volumes.iter().find(|v| v.name == m.name) else {
            continue;
        };
        let (data, items, optional): (BTreeMap<String, Vec<u8>>, _, bool) = if let Some(sec) = &v.secret {
            let name = sec.secret_name.clone().unwrap_or_default();
            match cluster.get(Kind::Secret, namespace, &name) {
                Some(o) => {
                    let Object::Secret(s) = o.as_ref() else { continue };
                    let mut d: BTreeMap<String, Vec<u8>> = s
                        .data
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, v.0))
                        .collect();
                    for (k, v) in s.string_data.clone().unwrap_or_default() {
                        d.insert(k, v.into_bytes());
                    }
                    (d, sec.items.clone(), sec.optional.unwrap_or(false))
                }
                None if sec.optional == Some(true) => continue,
                None => {
                    return Err(format!(
                        "MountVolume.SetUp failed for volume \"{}\" : secret \"{name}\" not found",
                        v.name
                    ))
                }
            }
        } else if let Some(cm) = &v.config_map {
            let name = cm.name.clone();
            match cluster.get(Kind::ConfigMap, namespace, &name) {
                Some(o) => {
                    let Object::ConfigMap(c) = o.as_ref() else { continue };
                    let mut d: BTreeMap<String, Vec<u8>> = c
                        .data
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, v.into_bytes()))
                        .collect();
                    for (k, v) in c.binary_data.clone().unwrap_or_default() {
                        d.insert(k, v.0);
                    }
                    (d, cm.items.clone(), cm.optional.unwrap_or(false))
                }
                None if cm.optional == Some(true) => continue,
                None => {
                    return Err(format!(
                        "MountVolume.SetUp failed for volume \"{}\" : configmap \"{name}\" not found",
                        v.name
                    ))
                }
            }
        } else {
            continue;
        };
        let _ = optional;
        let base = m.mount_path.trim_end_matches('/').to_string();
        let entries: Vec<(String, Vec<u8>)> = match items {
            Some(items) => items
                .iter()
                .filter_map(|i| data.get(&i.key).map(|d| (i.path.clone(), d.clone())))
                .collect(),
            None => data.into_iter().collect(),
        };
        match m.sub_path.as_deref().filter(|p| !p.is_empty()) {
            Some(sub) => {
                if let Some((_, d)) = entries.into_iter().find(|(p, _)| p == sub) {
                    files.insert(base, d);
                }
            }
            None => {
                for (p, d) in entries {
                    files.insert(format!("{base}/{p}"), d);
                }
            }
        }
    }
    Ok(files)
}

/// [`service_env`], shared while the Services stay the same (with many Services the map is
/// large, and every pod of a namespace started in between gets the same one).
pub fn shared_service_env(cluster: &Cluster, namespace: &str, links: bool) -> Arc<BTreeMap<String, String>> {
    let version = cluster.store().kind_version(Kind::Service);
    let key = (namespace.to_string(), links);
    let mut cache = cluster.kubelet().service_env.lock().unwrap();
    if let Some((v, env)) = cache.get(&key) {
        if *v == version {
            return env.clone();
        }
    }
    let env = Arc::new(service_env(cluster, namespace, links));
    cache.insert(key, (version, env.clone()));
    env
}

/// The Service environment variables a container gets at start (docker-link style), for the
/// Services that exist now: those of its namespace (unless `enableServiceLinks: false`) and the
/// `kubernetes` Service.
pub fn service_env(cluster: &Cluster, namespace: &str, links: bool) -> BTreeMap<String, String> {
    let mut services = Vec::new();
    if let Some(k) = cluster.get(Kind::Service, "default", "kubernetes") {
        services.push(k);
    }
    if links {
        services.extend(
            cluster
                .list(Kind::Service, Some(namespace))
                .into_iter()
                .filter(|s| !(namespace == "default" && s.name() == "kubernetes")),
        );
    }
    let mut env = BTreeMap::new();
    for s in services {
        let Some(spec) = s.as_service().and_then(|s| s.spec.as_ref()) else {
            continue;
        };
        let Some(ip) = spec.cluster_ip.as_deref().filter(|ip| *ip != "None" && !ip.is_empty()) else {
            continue;
        };
        let ports = spec.ports.clone().unwrap_or_default();
        let Some(first) = ports.first() else { continue };
        let prefix = s.name().to_ascii_uppercase().replace('-', "_");
        env.insert(format!("{prefix}_SERVICE_HOST"), ip.to_string());
        env.insert(format!("{prefix}_SERVICE_PORT"), first.port.to_string());
        let first_proto = first
            .protocol
            .clone()
            .unwrap_or_else(|| "TCP".into())
            .to_ascii_lowercase();
        env.insert(format!("{prefix}_PORT"), format!("{first_proto}://{ip}:{}", first.port));
        for p in &ports {
            if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                env.insert(
                    format!("{prefix}_SERVICE_PORT_{}", name.to_ascii_uppercase().replace('-', "_")),
                    p.port.to_string(),
                );
            }
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            let base = format!("{prefix}_PORT_{}_{}", p.port, proto.to_ascii_uppercase());
            let lower = proto.to_ascii_lowercase();
            env.insert(base.clone(), format!("{lower}://{ip}:{}", p.port));
            env.insert(format!("{base}_PROTO"), lower);
            env.insert(format!("{base}_PORT"), p.port.to_string());
            env.insert(format!("{base}_ADDR"), ip.to_string());
        }
    }
    env
}
