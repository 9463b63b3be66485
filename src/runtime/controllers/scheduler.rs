//! The scheduler: gives each new pod a node, spreading pods over the nodes (fewest pods first),
//! within each node's capacity.
//!
//! A node takes as many pods as its `allocatable` `pods` says (the kubelet's `maxPods`, 110 by
//! default). A pod no node can take stays `Pending`: its `PodScheduled` condition says why in
//! the scheduler's words (`0/3 nodes are available: 3 Too many pods. preemption: …`), a
//! `FailedScheduling` event says it once, and it waits — no server, no sockets — until a node
//! has room again (a pod on it is deleted, or a node changes). Only as many waiting pods as
//! there are free places are retried, so a hundred thousand waiting pods cost nothing per event.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use k8s_openapi::api::core::v1::{PodCondition, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::{all_keys, Controller};
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::{EventType, Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "default-scheduler",
    keys_for,
    reconcile,
    resync,
};

/// The pods that did not fit, in the order they failed (the scheduler's unschedulable queue).
#[derive(Debug, Default)]
pub struct State {
    waiting: Mutex<Waiting>,
}

#[derive(Debug, Default)]
struct Waiting {
    next: u64,
    order: BTreeMap<u64, Key>,
    seq: HashMap<Key, u64>,
}

impl Waiting {
    fn insert(&mut self, key: &Key) {
        if !self.seq.contains_key(key) {
            self.next += 1;
            self.order.insert(self.next, key.clone());
            self.seq.insert(key.clone(), self.next);
        }
    }

    fn remove(&mut self, key: &Key) -> bool {
        match self.seq.remove(key) {
            Some(n) => {
                self.order.remove(&n);
                true
            }
            None => false,
        }
    }

    fn contains(&self, key: &Key) -> bool {
        self.seq.contains_key(key)
    }

    /// Take the `n` pods that have waited longest.
    fn pop(&mut self, n: usize) -> Vec<Key> {
        let mut out = Vec::new();
        while out.len() < n {
            let Some((_, key)) = self.order.pop_first() else { break };
            self.seq.remove(&key);
            out.push(key);
        }
        out
    }
}

/// The scheduler's queue of pods that did not fit.
fn waiting(cluster: &Cluster) -> std::sync::MutexGuard<'_, Waiting> {
    cluster.controllers().scheduler.waiting.lock().unwrap()
}

impl Cluster {
    /// How many pods are waiting for room on a node (tests and benchmarks).
    pub fn unschedulable_pods(&self) -> usize {
        waiting(self).seq.len()
    }
}

/// A node's pod capacity (`status.allocatable.pods`), if it says one.
fn allowed_pods(node: &Object) -> Option<usize> {
    let q = node.as_node()?.status.as_ref()?.allocatable.as_ref()?.get("pods")?;
    q.0.parse().ok()
}

fn cordoned(node: &Object) -> bool {
    node.as_node()
        .and_then(|n| n.spec.as_ref())
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
}

/// Free places over all schedulable nodes.
fn free_places(cluster: &Cluster) -> usize {
    cluster
        .list(Kind::Node, None)
        .iter()
        .filter(|n| !cordoned(n))
        .map(|n| {
            allowed_pods(n).map_or(usize::MAX / 64, |a| {
                a.saturating_sub(cluster.store().pods_on_node(n.name()))
            })
        })
        .sum()
}

fn keys_for(cluster: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    match (&*ev.object, ev.event) {
        (Object::Pod(p), EventType::Added | EventType::Modified)
            if p.spec.as_ref().is_some_and(|s| s.node_name.is_none()) =>
        {
            vec![Key::of(&ev.object)]
        }
        (Object::Pod(p), EventType::Deleted) => {
            if p.spec.as_ref().is_some_and(|s| s.node_name.is_some()) {
                // A place came free: the pod that waited longest may take it.
                let free = free_places(cluster);
                waiting(cluster).pop(free)
            } else {
                waiting(cluster).remove(&Key::of(&ev.object));
                vec![]
            }
        }
        (Object::Node(_), _) => {
            let free = free_places(cluster);
            waiting(cluster).pop(free)
        }
        _ => vec![],
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    // Waiting pods are skipped by `reconcile`; the free places go to those waiting longest.
    let free = free_places(cluster);
    let mut keys = waiting(cluster).pop(free);
    keys.extend(all_keys(cluster, Kind::Pod));
    keys
}

/// The scheduler's account of a pod that fits nowhere, as its `FitError` words it.
fn fit_error(total: usize, cordoned: usize, full: usize) -> String {
    let mut reasons = Vec::new();
    if cordoned > 0 {
        reasons.push(format!("{cordoned} node(s) were unschedulable"));
    }
    if full > 0 {
        reasons.push(format!("{full} Too many pods"));
    }
    reasons.sort();
    // Preemption cannot help on a cordoned node; on a full one every pod has the same
    // priority, so there is nobody to evict.
    let mut preemption = Vec::new();
    if cordoned > 0 {
        preemption.push(format!("{cordoned} Preemption is not helpful for scheduling"));
    }
    if full > 0 {
        preemption.push(format!("{full} No preemption victims found for incoming pod"));
    }
    preemption.sort();
    format!(
        "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}..",
        reasons.join(", "),
        preemption.join(", ")
    )
}

/// Mark the pod unschedulable (once per attempt) and say so in an event.
fn unschedulable(cluster: &Cluster, key: &Key, message: &str) {
    waiting(cluster).insert(key);
    let now = cluster.clock().now();
    let updated = cluster.store().update(key, |o| {
        if let Object::Pod(p) = o {
            let status = p.status.get_or_insert_with(PodStatus::default);
            status.phase.get_or_insert_with(|| "Pending".into());
            let conds = status.conditions.get_or_insert_with(Vec::new);
            conds.retain(|c| c.type_ != "PodScheduled");
            conds.push(PodCondition {
                type_: "PodScheduled".into(),
                status: "False".into(),
                reason: Some("Unschedulable".into()),
                message: Some(message.to_string()),
                last_transition_time: Some(Time(now)),
                ..Default::default()
            });
        }
    });
    if let Ok(pod) = updated {
        cluster.record_event(&pod, "Warning", "FailedScheduling", message, "default-scheduler");
    }
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(obj) = cluster.store().get(key) else {
        waiting(cluster).remove(key);
        return;
    };
    let Some(pod) = obj.as_pod() else { return };
    if obj.meta().deletion_timestamp.is_some() || pod.spec.as_ref().is_none_or(|s| s.node_name.is_some()) {
        waiting(cluster).remove(key);
        return;
    }
    if waiting(cluster).contains(key) {
        // Already found to fit nowhere; it is tried again when a place comes free.
        return;
    }
    let node_objs = cluster.list(Kind::Node, None);
    if node_objs.is_empty() {
        return;
    }
    let mut nodes: Vec<&str> = Vec::new();
    let (mut n_cordoned, mut n_full) = (0, 0);
    for n in &node_objs {
        if cordoned(n) {
            n_cordoned += 1;
        } else if allowed_pods(n).is_some_and(|a| cluster.store().pods_on_node(n.name()) >= a) {
            n_full += 1;
        } else {
            nodes.push(n.name());
        }
    }
    if nodes.is_empty() {
        unschedulable(cluster, key, &fit_error(node_objs.len(), n_cordoned, n_full));
        return;
    }
    // Like the default scheduler's topology spreading: fewest pods of the same owner (its
    // ReplicaSet) first, then fewest pods overall; ties go to a random node among the best.
    // Only the pod's siblings and the per-node counters are read, never the list of all pods.
    let siblings = super::controller_of(&obj)
        .map(|r| cluster.store().list_owned(&r.uid))
        .unwrap_or_default();
    let sibling_nodes: Vec<&str> = siblings
        .iter()
        .filter_map(|p| p.as_pod()?.spec.as_ref()?.node_name.as_deref())
        .collect();
    let scores: Vec<(usize, usize)> = nodes
        .iter()
        .map(|node| {
            (
                sibling_nodes.iter().filter(|n| *n == node).count(),
                cluster.store().pods_on_node(node),
            )
        })
        .collect();
    let best = scores.iter().min().copied().unwrap_or((0, 0));
    let candidates: Vec<&str> = nodes
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s == best)
        .map(|(n, _)| *n)
        .collect();
    let node = candidates[rand::random_range(0..candidates.len())].to_string();
    let now = cluster.clock().now();
    let updated = cluster.store().update(key, |o| {
        if let Object::Pod(p) = o {
            if let Some(spec) = p.spec.as_mut() {
                spec.node_name = Some(node.clone());
            }
            let status = p.status.get_or_insert_with(PodStatus::default);
            status.phase.get_or_insert_with(|| "Pending".into());
            let conds = status.conditions.get_or_insert_with(Vec::new);
            conds.retain(|c| c.type_ != "PodScheduled");
            conds.push(PodCondition {
                type_: "PodScheduled".into(),
                status: "True".into(),
                last_transition_time: Some(Time(now)),
                ..Default::default()
            });
        }
    });
    if let Ok(pod) = updated {
        let msg = format!("Successfully assigned {}/{} to {}", key.namespace, key.name, node);
        cluster.record_event(&pod, "Normal", "Scheduled", &msg, "default-scheduler");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::manifest::decode_manifests;
    use crate::runtime::ClusterConfig;
    use std::time::Duration;

    fn nodes_of(c: &Cluster) -> Vec<Option<String>> {
        let mut v: Vec<_> = c
            .list(Kind::Pod, Some("default"))
            .iter()
            .map(|p| p.as_pod().and_then(|p| p.spec.as_ref()?.node_name.clone()))
            .collect();
        v.sort();
        v
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_node_leaves_the_pod_pending_until_a_place_comes_free() {
        let c = Cluster::start(ClusterConfig {
            nodes: 1,
            node_block: 131,
            max_pods: 4,
            ..Default::default()
        })
        .await
        .unwrap();
        // The seed's kube-system pods take their places too.
        c.settle(Duration::from_secs(5)).await;
        let system = c.list(Kind::Pod, Some("kube-system")).len();
        assert!(system < 4, "{system}");
        let room = 4 - system;
        let yaml = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: nginx}}]}}\n",
            room + 1
        );
        for o in decode_manifests(&yaml, "web.yaml") {
            c.apply(o.unwrap()).unwrap();
        }
        assert!(
            c.wait_until(Duration::from_secs(30), |c| nodes_of(c).len() == room + 1)
                .await
        );
        c.settle(Duration::from_secs(5)).await;
        let placed = nodes_of(&c);
        assert_eq!(placed.iter().filter(|n| n.is_none()).count(), 1, "{placed:?}");
        assert_eq!(c.unschedulable_pods(), 1);
        let events: Vec<_> = c
            .list(Kind::Event, Some("default"))
            .iter()
            .filter_map(|e| match e.as_ref() {
                Object::Event(ev) if ev.reason.as_deref() == Some("FailedScheduling") => ev.message.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(
            events,
            ["0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.."],
            "one event, not one per status update"
        );

        // A scheduled pod goes: the waiting one takes its place (and the ReplicaSet makes a
        // replacement, which now waits in turn).
        let scheduled = c
            .list(Kind::Pod, Some("default"))
            .into_iter()
            .find(|p| p.as_pod().and_then(|p| p.spec.as_ref()?.node_name.as_ref()).is_some())
            .unwrap();
        c.delete(Kind::Pod, "default", scheduled.name()).unwrap();
        assert!(
            c.wait_until(Duration::from_secs(60), |c| {
                c.get(Kind::Pod, "default", scheduled.name()).is_none()
                    && nodes_of(c).iter().filter(|n| n.is_some()).count() == room
            })
            .await
        );
        c.settle(Duration::from_secs(5)).await;
        assert_eq!(
            nodes_of(&c).iter().filter(|n| n.is_none()).count(),
            1,
            "{:?}",
            nodes_of(&c)
        );
        assert_eq!(c.unschedulable_pods(), 1);
        c.shutdown();
    }

    #[test]
    fn the_fit_error_reads_as_the_scheduler_writes_it() {
        assert_eq!(
            fit_error(3, 0, 3),
            "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.."
        );
        assert_eq!(
            fit_error(3, 1, 2),
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.."
        );
    }

    #[test]
    fn the_longest_waiting_pods_are_retried_first_and_only_as_many_as_fit() {
        let mut w = Waiting::default();
        let k = |n: &str| Key::new(Kind::Pod, "default", n);
        for n in ["a", "b", "c", "d"] {
            w.insert(&k(n));
        }
        w.insert(&k("a"));
        assert!(w.remove(&k("b")));
        assert_eq!(w.pop(2), [k("a"), k("c")]);
        assert_eq!(w.pop(5), [k("d")]);
        assert!(w.seq.is_empty() && w.order.is_empty());
    }
}
