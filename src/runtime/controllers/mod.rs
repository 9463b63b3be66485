//! Controllers: each watches the store and makes the world match the objects, the way
//! kube-controller-manager, the scheduler, the kubelet, kube-proxy and the cloud controller do.
//!
//! Every reconcile function is level-triggered and idempotent: it looks at the current state of
//! the object it is given (and what it owns), never at why it was called. Watch events only say
//! *which* objects to look at; a watcher that lags behind re-lists everything (a resync).
//!
//! What the controllers keep between reconciles (the kubelet's pods, the scheduler's queue, the
//! API budgets, kube-proxy's listeners …) is in one [`State`] the cluster owns; each part is
//! private to the controller it belongs to, which reaches it through its own module.

pub mod deployment;
pub mod endpoints;
pub mod gc;
pub mod kubelet;
pub mod loadbalancer;
pub mod namespace;
mod progress;
pub mod ratelimit;
pub mod replicaset;
pub mod scheduler;

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use tokio::sync::broadcast::error::RecvError;

use super::kinds::Kind;
use super::object::Object;
use super::store::{Key, WatchEvent};
use super::Cluster;

/// Every controller's internals, owned by the cluster. Each field is reached only from the
/// controller it belongs to (kube-proxy's from [`crate::runtime::net::proxy`]).
#[derive(Default)]
pub struct State {
    kubelet: kubelet::State,
    scheduler: scheduler::State,
    ratelimit: ratelimit::State,
    loadbalancer: loadbalancer::State,
    pub(in crate::runtime) proxy: super::net::proxy::State,
    /// How far (resourceVersion) each controller has processed the watch stream.
    progress: progress::Progress,
}

/// One controller: which keys an event concerns, how to reconcile one key, and what a full
/// resync covers.
pub struct Controller {
    pub name: &'static str,
    pub keys_for: fn(&Cluster, &WatchEvent) -> Vec<Key>,
    pub reconcile: fn(&Cluster, &Key),
    pub resync: fn(&Cluster) -> Vec<Key>,
}

/// Start every controller. Each subscribes to the watch before this returns, so nothing
/// written afterwards (the seed objects) is missed.
pub fn start(cluster: &Cluster) {
    for c in [
        deployment::CONTROLLER,
        replicaset::CONTROLLER,
        scheduler::CONTROLLER,
        kubelet::CONTROLLER,
        endpoints::CONTROLLER,
        loadbalancer::CONTROLLER,
        gc::CONTROLLER,
        namespace::CONTROLLER,
        super::net::proxy::CONTROLLER,
    ] {
        run(cluster, c);
    }
}

fn run(cluster: &Cluster, c: Controller) {
    let mut rx = cluster.watch();
    let mut again = cluster.requeues(c.name);
    let progress = cluster.register_controller();
    let cl = cluster.clone();
    cluster.spawn(async move {
        let start = cl.store().resource_version();
        for key in (c.resync)(&cl) {
            (c.reconcile)(&cl, &key);
        }
        progress.fetch_max(start, Ordering::SeqCst);
        loop {
            let received = tokio::select! {
                r = rx.recv() => r,
                Some(key) = again.recv() => {
                    // A key this controller asked to see again (out of API budget).
                    cl.requeued(c.name, &key);
                    (c.reconcile)(&cl, &key);
                    tokio::task::yield_now().await;
                    continue;
                }
            };
            let (keys, seen): (BTreeSet<Key>, u64) = match received {
                Ok(ev) => {
                    let mut seen = ev.rv;
                    let mut keys: BTreeSet<Key> = (c.keys_for)(&cl, &ev).into_iter().collect();
                    // Drain what is already queued so a burst is reconciled once per key.
                    while let Ok(ev) = rx.try_recv() {
                        seen = seen.max(ev.rv);
                        keys.extend((c.keys_for)(&cl, &ev));
                    }
                    (keys, seen)
                }
                Err(RecvError::Lagged(_)) => {
                    // Skip to the newest event: the resync covers everything older, and a
                    // receiver left at the oldest kept event lags again at the next write.
                    rx = rx.resubscribe();
                    let at = cl.store().resource_version();
                    ((c.resync)(&cl).into_iter().collect(), at)
                }
                Err(RecvError::Closed) => return,
            };
            for key in keys {
                (c.reconcile)(&cl, &key);
            }
            // Everything up to `seen` has been acted on (see `Cluster::settle`).
            progress.fetch_max(seen, Ordering::SeqCst);
            // Let other tasks (and other controllers) run between batches.
            tokio::task::yield_now().await;
        }
        #[allow(unreachable_code)]
        {
            let _ = c.name;
        }
    });
}

/// All keys of one kind (for resyncs).
pub fn all_keys(cluster: &Cluster, kind: Kind) -> Vec<Key> {
    cluster.list(kind, None).iter().map(|o| Key::of(o)).collect()
}

/// The controller owner reference of `obj`, if any.
pub fn controller_of(obj: &Object) -> Option<&OwnerReference> {
    obj.meta()
        .owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
}

/// An owner reference pointing at `owner` as its controller.
pub fn owner_ref(owner: &Object) -> OwnerReference {
    let info = owner.kind().info();
    OwnerReference {
        api_version: info.api_version(),
        kind: info.name.to_string(),
        name: owner.name().to_string(),
        uid: owner.meta().uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Objects of `kind` in `namespace` controlled by the object with `uid`.
pub fn owned_by(cluster: &Cluster, kind: Kind, namespace: &str, uid: &str) -> Vec<std::sync::Arc<Object>> {
    cluster
        .store()
        .list_owned(uid)
        .into_iter()
        .filter(|o| o.kind() == kind && o.namespace() == namespace && controller_of(o).is_some_and(|r| r.uid == uid))
        .collect()
}

/// Is this pod ready (its Ready condition is True)?
pub fn pod_ready(pod: &k8s_openapi::api::core::v1::Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// A pod counts for its ReplicaSet until it is being deleted or has finished.
pub fn pod_active(obj: &Object) -> bool {
    let Some(pod) = obj.as_pod() else { return false };
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending");
    obj.meta().deletion_timestamp.is_none() && phase != "Succeeded" && phase != "Failed"
}
