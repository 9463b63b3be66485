//! What the kubelet writes in a pod's status: `ContainerCreating` while it starts (a rebooted
//! pod's containers counting their restart), each container's `running` state, the `Running`
//! phase and IP, waiting reasons (`ErrImagePull` …), and the `Ready`/`ContainersReady`
//! conditions that follow the containers' `ready` flags.

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus,
    HostIP, Pod, PodCondition, PodIP, PodStatus,
};
use std::net::Ipv4Addr;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::node_ip_and_index;
use crate::runtime::images;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

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

/// Set the pod's `Ready` and `ContainersReady` conditions from its containers' `ready` flags.
pub(super) fn sync_ready_conditions(p: &mut Pod, now: chrono::DateTime<chrono::Utc>) {
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

/// The pod is being set up on its node: `Pending`, every container `ContainerCreating`.
pub(super) fn set_creating(cluster: &Cluster, key: &Key, node: &str) {
    let (host_ip, _) = node_ip_and_index(cluster, node);
    let now = cluster.clock().now();
    let _ = cluster.store().update(key, |o| {
        let Object::Pod(p) = o else { return };
        let mut statuses = waiting_status(p, "ContainerCreating", None);
        let uid = p.metadata.uid.clone().unwrap_or_default();
        if super::state(cluster).rebooted.lock().unwrap().contains_key(&uid) {
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

pub(super) fn pseudo_hex(seed: &str, len: usize) -> String {
    let mut out = String::new();
    let mut h = crate::runtime::names::fnv32a(seed.as_bytes());
    while out.len() < len {
        h = h.wrapping_mul(0x01000193) ^ 0x9e3779b9;
        out.push_str(&format!("{h:08x}"));
    }
    out.truncate(len);
    out
}

/// One container waits, for `reason` (`ErrImagePull`, `ImagePullBackOff`).
pub(super) fn set_waiting(cluster: &Cluster, key: &Key, container: &str, reason: &str, message: Option<String>) {
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

/// The status of a container that has just started: its image and image ID as containerd names
/// them, its container ID, and ready unless a readiness or startup probe must say so first.
pub(super) fn running_status(
    pod_name: &str,
    c: &Container,
    image: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> ContainerStatus {
    let (repo, tag) = images::parse_image(image);
    let full = if repo.contains('/') && repo.split('/').next().is_some_and(|h| h.contains('.')) {
        repo.clone()
    } else if repo.contains('/') {
        format!("docker.io/{repo}")
    } else {
        format!("docker.io/library/{repo}")
    };
    ContainerStatus {
        name: c.name.clone(),
        image: if repo.contains('/') {
            format!("{full}:{tag}")
        } else {
            format!("docker.io/library/{repo}:{tag}")
        },
        image_id: format!("{full}@sha256:{}", pseudo_hex(image, 64)),
        container_id: Some(format!(
            "containerd://{}",
            pseudo_hex(&format!("{}{}", pod_name, c.name), 64)
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
    }
}

/// The pod runs: phase `Running`, its IP, its containers' statuses (a restarted container's
/// or a rebooted pod's keep their restart count and last state) and its conditions.
pub(super) fn set_running(
    cluster: &Cluster,
    key: &Key,
    ip: Ipv4Addr,
    statuses: &[ContainerStatus],
    restarted: Option<&[String]>,
    rebooted: bool,
    now: chrono::DateTime<chrono::Utc>,
) {
    let _ = cluster.store().update(key, |o| {
        let Object::Pod(p) = o else { return };
        let st = p.status.get_or_insert_with(PodStatus::default);
        st.phase = Some("Running".into());
        st.pod_ip = Some(ip.to_string());
        st.pod_ips = Some(vec![PodIP { ip: ip.to_string() }]);
        let old = st.container_statuses.take().unwrap_or_default();
        st.container_statuses = Some(match restarted {
            None if rebooted => statuses
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
            None => statuses.to_vec(),
            Some(r) => restarted_statuses(&old, statuses, r, now),
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
}
