//! The ReplicaSet controller: keeps `spec.replicas` active pods that match the template, replaces
//! pods that are deleted, and reports counts in `status`.
//!
//! Like the real one it creates and deletes at most [`BURST_REPLICAS`] pods per sync, creates in
//! slow-start batches, and spends the controller-manager's API budget
//! ([`super::ratelimit`]) on every pod: `replicas: 100000` grows at about twenty pods a second
//! of lab time, and the lab keeps answering meanwhile.

use k8s_openapi::api::apps::v1::{ReplicaSetSpec, ReplicaSetStatus};
use k8s_openapi::api::core::v1::{Pod, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{all_keys, controller_of, owned_by, owner_ref, pod_active, pod_ready, Controller};
use crate::runtime::kinds::Kind;
use crate::runtime::names::random_suffix;
use crate::runtime::object::Object;
use crate::runtime::store::{Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "replicaset-controller",
    keys_for,
    reconcile,
    resync,
};

fn keys_for(_: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    match &*ev.object {
        Object::ReplicaSet(_) => vec![Key::of(&ev.object)],
        Object::Pod(_) => controller_of(&ev.object)
            .filter(|r| r.kind == "ReplicaSet")
            .map(|r| vec![Key::new(Kind::ReplicaSet, ev.object.namespace(), &r.name)])
            .unwrap_or_default(),
        _ => vec![],
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    all_keys(cluster, Kind::ReplicaSet)
}

/// Most pods one sync creates or deletes (the controller's `burstReplicas`).
pub const BURST_REPLICAS: usize = 500;

/// Create one pod from the template; false (and a `FailedCreate` event) if the API server
/// refused it.
fn create_pod(cluster: &Cluster, rs_obj: &Object, key: &Key, spec: &ReplicaSetSpec) -> bool {
    let template = spec.template.clone().unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let pod = Pod {
        metadata: ObjectMeta {
            name: Some(format!("{}-{}", key.name, random_suffix(5))),
            generate_name: Some(format!("{}-", key.name)),
            namespace: Some(key.namespace.clone()),
            labels: tmeta.labels,
            annotations: tmeta.annotations,
            owner_references: Some(vec![owner_ref(rs_obj)]),
            ..Default::default()
        },
        spec: template.spec,
        status: Some(PodStatus {
            phase: Some("Pending".into()),
            qos_class: Some("BestEffort".into()),
            ..Default::default()
        }),
    };
    match cluster.create(Object::Pod(pod)) {
        Ok(p) => {
            cluster.record_event(
                rs_obj,
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: {}", p.name()),
                "replicaset-controller",
            );
            true
        }
        Err(e) => {
            cluster.record_event(
                rs_obj,
                "Warning",
                "FailedCreate",
                &format!("Error creating: {e}"),
                "replicaset-controller",
            );
            false
        }
    }
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(rs_obj) = cluster.store().get(key) else { return };
    let Some(rs) = rs_obj.as_replicaset() else { return };
    if rs_obj.meta().deletion_timestamp.is_some() {
        return;
    }
    let uid = rs.metadata.uid.clone().unwrap_or_default();
    // Borrowed from the stored object: the template is copied only into pods being created.
    let default_spec = ReplicaSetSpec::default();
    let spec = rs.spec.as_ref().unwrap_or(&default_spec);
    let desired = spec.replicas.unwrap_or(1).max(0) as usize;
    // Pods that no longer match the selector are released (their owner reference removed), as
    // the controller-ref manager does; the ReplicaSet then makes a replacement.
    let selector = crate::runtime::selectors::Selector::from_label_selector(&spec.selector);
    let mut pods = owned_by(cluster, Kind::Pod, &key.namespace, &uid);
    for p in pods.iter().filter(|p| !selector.matches(p.labels())) {
        let _ = cluster.store().update(&Key::of(p), |o| {
            if let Some(refs) = o.meta_mut().owner_references.as_mut() {
                refs.retain(|r| r.uid != uid);
            }
            if o.meta().owner_references.as_ref().is_some_and(|r| r.is_empty()) {
                o.meta_mut().owner_references = None;
            }
        });
    }
    pods.retain(|p| selector.matches(p.labels()));
    let mut active: Vec<_> = pods.iter().filter(|p| pod_active(p)).cloned().collect();

    if active.len() < desired {
        let mut want = (desired - active.len()).min(BURST_REPLICAS);
        // Slow start, as the real controller does: batches of 1, 2, 4, … so that a template the
        // API server refuses costs one failed request, not thousands.
        let mut batch = 1;
        'create: while want > 0 {
            for _ in 0..batch.min(want) {
                if let Err(wait) = cluster.api_budget(CONTROLLER.name) {
                    cluster.requeue_after(CONTROLLER.name, key, wait);
                    break 'create;
                }
                if !create_pod(cluster, &rs_obj, key, spec) {
                    break 'create;
                }
                want -= 1;
            }
            batch *= 2;
        }
        if desired - active.len() > BURST_REPLICAS && want == 0 {
            // More than one burst to go: the next one starts once this one is in.
            cluster.requeue_after(CONTROLLER.name, key, std::time::Duration::ZERO);
        }
    } else if active.len() > desired {
        // Delete the least useful first: not scheduled, then not ready, then the newest.
        active.sort_by_key(|p| {
            let pod = p.as_pod();
            let scheduled = pod.and_then(|p| p.spec.as_ref()?.node_name.as_ref()).is_some();
            let ready = pod.map(pod_ready).unwrap_or(false);
            let created = p.meta().creation_timestamp.as_ref().map(|t| t.0);
            (scheduled, ready, std::cmp::Reverse(created))
        });
        let extra = (active.len() - desired).min(BURST_REPLICAS);
        for p in active.iter().take(extra) {
            if let Err(wait) = cluster.api_budget(CONTROLLER.name) {
                cluster.requeue_after(CONTROLLER.name, key, wait);
                break;
            }
            if cluster.delete(Kind::Pod, &key.namespace, p.name()).is_ok() {
                cluster.record_event(
                    &rs_obj,
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted pod: {}", p.name()),
                    "replicaset-controller",
                );
            }
        }
    }

    // Status from what exists now.
    let pods = owned_by(cluster, Kind::Pod, &key.namespace, &uid);
    let active: Vec<_> = pods.iter().filter(|p| pod_active(p)).collect();
    let ready = active.iter().filter(|p| p.as_pod().is_some_and(pod_ready)).count() as i32;
    let generation = rs_obj.meta().generation;
    let set_status = |st: &mut ReplicaSetStatus| {
        st.replicas = active.len() as i32;
        st.fully_labeled_replicas = Some(active.len() as i32);
        st.ready_replicas = Some(ready);
        st.available_replicas = Some(ready);
        st.observed_generation = generation;
    };
    // Most pod events leave the counts as they were: then the ReplicaSet is not even copied.
    let mut status = rs.status.clone().unwrap_or_default();
    set_status(&mut status);
    if rs.status.as_ref() == Some(&status) {
        return;
    }
    let _ = cluster.store().update(key, |o| {
        if let Object::ReplicaSet(rs) = o {
            set_status(rs.status.get_or_insert_with(ReplicaSetStatus::default));
        }
    });
}
