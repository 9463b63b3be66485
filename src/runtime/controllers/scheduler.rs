//! The scheduler: gives each new pod a node, spreading pods over the nodes (fewest pods first).

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

fn keys_for(_: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    match (&*ev.object, ev.event) {
        (Object::Pod(p), EventType::Added | EventType::Modified)
            if p.spec.as_ref().is_some_and(|s| s.node_name.is_none()) =>
        {
            vec![Key::of(&ev.object)]
        }
        _ => vec![],
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    all_keys(cluster, Kind::Pod)
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(obj) = cluster.store().get(key) else { return };
    let Some(pod) = obj.as_pod() else { return };
    if obj.meta().deletion_timestamp.is_some() || pod.spec.as_ref().is_none_or(|s| s.node_name.is_some()) {
        return;
    }
    let node_objs = cluster.list(Kind::Node, None);
    let nodes: Vec<&str> = node_objs
        .iter()
        .filter(|n| {
            !n.as_node()
                .and_then(|n| n.spec.as_ref())
                .and_then(|s| s.unschedulable)
                .unwrap_or(false)
        })
        .map(|n| n.name())
        .collect();
    if nodes.is_empty() {
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
