//! The garbage collector: dependents follow their owners through `ownerReferences`.
//!
//! Background propagation (kubectl's default): the owner is gone, so a dependent whose owners
//! are all gone is deleted. Foreground propagation: the owner stays with the
//! `foregroundDeletion` finalizer; the collector deletes its dependents (themselves in
//! foreground, so grandchildren go first) and lifts the finalizer once no dependent with
//! `blockOwnerDeletion` is left. Orphan propagation is done by the API server
//! ([`crate::runtime::deletion`]) before the owner goes.

use super::{all_keys, Controller};
use crate::runtime::api::delete::{waiting_for_dependents, Propagation, FOREGROUND};
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::{EventType, Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "garbage-collector",
    keys_for,
    reconcile,
    resync,
};

/// Kinds that can own or be owned in the lab.
const KINDS: &[Kind] = &[
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::Pod,
    Kind::Endpoints,
    Kind::EndpointSlice,
];

fn has_owners(obj: &Object) -> bool {
    obj.meta().owner_references.as_ref().is_some_and(|o| !o.is_empty())
}

/// The keys of the objects `obj` names as owners (same namespace, as owner references are).
fn owner_keys(obj: &Object) -> Vec<Key> {
    obj.meta()
        .owner_references
        .iter()
        .flatten()
        .filter_map(|r| {
            Some(Key::new(
                Kind::from_type_meta(&r.api_version, &r.kind)?,
                obj.namespace(),
                &r.name,
            ))
        })
        .collect()
}

fn keys_for(cluster: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    let obj = &ev.object;
    if ev.event == EventType::Deleted {
        // Its dependents may now be orphans; an owner waiting on it may now be free.
        let mut keys: Vec<Key> = match obj.meta().uid.as_deref() {
            Some(uid) => cluster.store().list_owned(uid).iter().map(|o| Key::of(o)).collect(),
            None => vec![],
        };
        keys.extend(owner_keys(obj));
        return keys;
    }
    if has_owners(obj) || waiting_for_dependents(obj) {
        return vec![Key::of(obj)];
    }
    vec![]
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    KINDS.iter().flat_map(|k| all_keys(cluster, *k)).collect()
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(obj) = cluster.store().get(key) else { return };
    if waiting_for_dependents(&obj) {
        finish_foreground(cluster, key, &obj);
    }
    if has_owners(&obj) && obj.meta().deletion_timestamp.is_none() {
        collect_dependent(cluster, key, &obj);
    }
}

/// How a dependent stands towards its owners.
enum Standing {
    /// At least one owner exists and is not being deleted in foreground.
    Held,
    /// Every owner is gone; delete it with its own policy.
    Orphaned,
    /// An owner waits for it in foreground deletion: delete it in foreground too.
    Awaited,
}

fn standing(cluster: &Cluster, key: &Key, obj: &Object) -> Standing {
    let mut awaited = false;
    for r in obj.meta().owner_references.iter().flatten() {
        let Some(kind) = Kind::from_type_meta(&r.api_version, &r.kind) else {
            continue;
        };
        let Some(owner) = cluster.get(kind, &key.namespace, &r.name) else {
            continue;
        };
        if owner.meta().uid.as_deref() != Some(r.uid.as_str()) {
            continue;
        }
        if waiting_for_dependents(&owner) {
            awaited = true;
        } else {
            return Standing::Held;
        }
    }
    if awaited {
        Standing::Awaited
    } else {
        Standing::Orphaned
    }
}

fn collect_dependent(cluster: &Cluster, key: &Key, obj: &Object) {
    let policy = match standing(cluster, key, obj) {
        Standing::Held => return,
        Standing::Awaited => Propagation::Foreground,
        Standing::Orphaned if obj.meta().finalizers.iter().flatten().any(|f| f == FOREGROUND) => {
            Propagation::Foreground
        }
        Standing::Orphaned => Propagation::Background,
    };
    let _ = cluster.delete_with(key.kind, &key.namespace, &key.name, policy.into());
}

/// An owner in foreground deletion: delete what it still has, and let it go once nothing
/// that blocks it is left.
fn finish_foreground(cluster: &Cluster, key: &Key, obj: &Object) {
    let uid = obj.meta().uid.clone().unwrap_or_default();
    let blocking: Vec<_> = cluster
        .store()
        .list_owned(&uid)
        .into_iter()
        .filter(|d| {
            d.meta()
                .owner_references
                .iter()
                .flatten()
                .any(|r| r.uid == uid && r.block_owner_deletion == Some(true))
        })
        .collect();
    if blocking.is_empty() {
        let _ = cluster.remove_finalizer(key, FOREGROUND);
        return;
    }
    for dep in blocking.iter().filter(|d| d.meta().deletion_timestamp.is_none()) {
        let dep_key = Key::of(dep);
        collect_dependent(cluster, &dep_key, dep);
    }
}
