//! The garbage collector: objects whose controller owner is gone are deleted (background
//! propagation, kubectl's default), so deleting a Deployment removes its ReplicaSets and pods.

use super::{all_keys, Controller};
use crate::runtime::kinds::Kind;
use crate::runtime::store::{EventType, Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "garbage-collector",
    keys_for,
    reconcile,
    resync,
};

/// Kinds that can have owners in the lab.
const DEPENDENTS: &[Kind] = &[Kind::ReplicaSet, Kind::Pod, Kind::Endpoints, Kind::EndpointSlice];

fn keys_for(cluster: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    if ev.event != EventType::Deleted {
        // A new dependent whose owner is already gone.
        if ev
            .object
            .meta()
            .owner_references
            .as_ref()
            .is_some_and(|o| !o.is_empty())
        {
            return vec![Key::of(&ev.object)];
        }
        return vec![];
    }
    let Some(uid) = ev.object.meta().uid.clone() else {
        return vec![];
    };
    cluster.store().list_owned(&uid).iter().map(|o| Key::of(o)).collect()
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    DEPENDENTS.iter().flat_map(|k| all_keys(cluster, *k)).collect()
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(obj) = cluster.store().get(key) else { return };
    let Some(refs) = obj.meta().owner_references.as_ref().filter(|r| !r.is_empty()) else {
        return;
    };
    let orphaned = refs.iter().all(|r| {
        let Some(kind) = Kind::from_type_meta(&r.api_version, &r.kind) else {
            return true;
        };
        match cluster.get(kind, &key.namespace, &r.name) {
            Some(owner) => owner.meta().uid.as_deref() != Some(r.uid.as_str()),
            None => true,
        }
    });
    if orphaned {
        let _ = cluster.delete(key.kind, &key.namespace, &key.name);
    }
}
