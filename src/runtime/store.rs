//! The object store: typed objects keyed by kind, namespace and name, with the bookkeeping the
//! API server does (uid, resourceVersion, creationTimestamp) and a watch stream.
//!
//! One lock guards the map; every write sends a [`WatchEvent`] while the lock is held, so watchers
//! see changes in resourceVersion order. Readers get `Arc<Object>` snapshots and never block
//! writers for long. Validation and defaulting are not done here but in the API layer
//! ([`super::api`]); controllers write through [`Store::update`], a read-modify-write under the
//! lock that cannot lose a concurrent change.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{OwnerReference, Time};
use tokio::sync::broadcast;

use super::error::ApiError;
use super::kinds::Kind;
use super::object::Object;
use super::selectors::{Requirement, Selector};

/// Where an object lives. Cluster-scoped objects have an empty namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl Key {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> Key {
        let namespace = if kind.namespaced() {
            namespace.to_string()
        } else {
            String::new()
        };
        Key {
            kind,
            namespace,
            name: name.to_string(),
        }
    }

    pub fn of(obj: &Object) -> Key {
        Key::new(obj.kind(), obj.namespace(), obj.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

/// One change in the store.
#[derive(Debug, Clone)]
pub struct WatchEvent {
    pub event: EventType,
    pub object: Arc<Object>,
    /// The object before a `Modified` change (like an informer's update handler gets), so a
    /// controller can see what an object stopped being — a pod that lost a Service's label.
    pub old: Option<Arc<Object>>,
    /// The store's resourceVersion after this change (watchers use it to say how far they got).
    pub rv: u64,
}

pub struct Store {
    state: RwLock<State>,
    tx: broadcast::Sender<WatchEvent>,
}

struct State {
    objects: BTreeMap<Key, Arc<Object>>,
    resource_version: u64,
    index: Index,
    /// The last [`WATCH_HISTORY`] changes, so a watch can start from a recent resourceVersion
    /// (the API server's watch cache).
    history: VecDeque<WatchEvent>,
}

impl State {
    /// The oldest resourceVersion a watch can start from: changes after it are all in
    /// `history`.
    fn history_floor(&self) -> u64 {
        self.history
            .front()
            .map_or(self.resource_version, |e| e.rv.saturating_sub(1))
    }
}

/// Secondary indexes, so controllers touch only the objects that matter to them: dependents by
/// owner uid, objects by label pair, pods by node. Kept in step with `objects` under the lock.
#[derive(Default)]
struct Index {
    owners: HashMap<String, BTreeSet<Key>>,
    labels: HashMap<(Kind, String, String, String), BTreeSet<String>>,
    pods_per_node: HashMap<String, usize>,
    /// Events by the uid of the object they are about.
    events_about: HashMap<String, BTreeSet<Key>>,
    /// A counter per kind, bumped on every write of that kind (cache keys for derived data).
    kind_versions: HashMap<Kind, u64>,
    /// How many objects of each kind are stored (the event cap reads it on every event).
    counts: HashMap<Kind, usize>,
    /// Services by one pair of their selector: (namespace, key, value) → Service names.
    selectors: HashMap<(String, String, String), BTreeSet<String>>,
}

impl Index {
    fn add(&mut self, key: &Key, obj: &Object) {
        *self.kind_versions.entry(key.kind).or_default() += 1;
        *self.counts.entry(key.kind).or_default() += 1;
        for r in obj.meta().owner_references.iter().flatten() {
            self.owners.entry(r.uid.clone()).or_default().insert(key.clone());
        }
        for (k, v) in obj.labels() {
            self.labels
                .entry((key.kind, key.namespace.clone(), k.clone(), v.clone()))
                .or_default()
                .insert(key.name.clone());
        }
        if let Some(node) = pod_node(obj) {
            *self.pods_per_node.entry(node.to_string()).or_default() += 1;
        }
        if let Some(uid) = obj.as_event().and_then(|e| e.involved_object.uid.clone()) {
            self.events_about.entry(uid).or_default().insert(key.clone());
        }
        for (k, v) in service_selector(obj) {
            self.selectors
                .entry((key.namespace.clone(), k.clone(), v.clone()))
                .or_default()
                .insert(key.name.clone());
        }
    }

    /// Move `key` from `old` to `new`. Most writes (status, conditions, counts) touch nothing
    /// indexed, and then only the kind's counter moves: no index key is rebuilt.
    fn replace(&mut self, key: &Key, old: &Object, new: &Object) {
        if indexed(old) == indexed(new) && service_selector(old).eq(service_selector(new)) {
            *self.kind_versions.entry(key.kind).or_default() += 1;
            return;
        }
        self.remove(key, old);
        self.add(key, new);
    }

    fn remove(&mut self, key: &Key, obj: &Object) {
        *self.kind_versions.entry(key.kind).or_default() += 1;
        if let Some(n) = self.counts.get_mut(&key.kind) {
            *n = n.saturating_sub(1);
        }
        for r in obj.meta().owner_references.iter().flatten() {
            if let Some(set) = self.owners.get_mut(&r.uid) {
                set.remove(key);
                if set.is_empty() {
                    self.owners.remove(&r.uid);
                }
            }
        }
        for (k, v) in obj.labels() {
            let ik = (key.kind, key.namespace.clone(), k.clone(), v.clone());
            if let Some(set) = self.labels.get_mut(&ik) {
                set.remove(&key.name);
                if set.is_empty() {
                    self.labels.remove(&ik);
                }
            }
        }
        if let Some(node) = pod_node(obj) {
            if let Some(n) = self.pods_per_node.get_mut(node) {
                *n = n.saturating_sub(1);
            }
        }
        if let Some(uid) = obj.as_event().and_then(|e| e.involved_object.uid.clone()) {
            if let Some(set) = self.events_about.get_mut(&uid) {
                set.remove(key);
                if set.is_empty() {
                    self.events_about.remove(&uid);
                }
            }
        }
        for (k, v) in service_selector(obj) {
            let ik = (key.namespace.clone(), k.clone(), v.clone());
            if let Some(set) = self.selectors.get_mut(&ik) {
                set.remove(&key.name);
                if set.is_empty() {
                    self.selectors.remove(&ik);
                }
            }
        }
    }
}

/// What [`Index`] reads from an object, besides a Service's selector.
type Indexed<'a> = (
    Option<&'a BTreeMap<String, String>>,
    Option<&'a Vec<OwnerReference>>,
    Option<&'a str>,
    Option<&'a String>,
);

fn indexed(o: &Object) -> Indexed<'_> {
    let meta = o.meta();
    (
        meta.labels.as_ref(),
        meta.owner_references.as_ref(),
        pod_node(o),
        o.as_event().and_then(|e| e.involved_object.uid.as_ref()),
    )
}

fn service_selector(obj: &Object) -> impl Iterator<Item = (&String, &String)> {
    obj.as_service()
        .and_then(|s| s.spec.as_ref()?.selector.as_ref())
        .into_iter()
        .flatten()
}

fn pod_node(obj: &Object) -> Option<&str> {
    obj.as_pod()?.spec.as_ref()?.node_name.as_deref()
}

/// Capacity of the watch channel; a receiver that falls further behind gets `Lagged` and must
/// re-list (controllers do a full resync).
/// Every queued event keeps an object version alive, so the queue is bounded; a burst longer
/// than this makes slow watchers re-list instead of holding history.
///
/// After `Lagged` a receiver still stands at the oldest event kept, with a full queue behind
/// it, so any write during its re-list makes it lag again. A watcher that re-lists should
/// `resubscribe()` first (the re-list covers everything older); one that does not re-lists
/// again and again for as long as the cluster keeps writing (10,000 pods starting: seconds).
const WATCH_CAPACITY: usize = 16384;

/// How many changes the store remembers for watches that start from a resourceVersion (the
/// API server's watch cache holds a window too; older starts get 410 Gone and list again).
pub const WATCH_HISTORY: usize = 1024;

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    pub fn new() -> Store {
        let (tx, _) = broadcast::channel(WATCH_CAPACITY);
        Store {
            state: RwLock::new(State {
                objects: BTreeMap::new(),
                resource_version: 0,
                index: Index::default(),
                history: VecDeque::with_capacity(64),
            }),
            tx,
        }
    }

    pub fn watch(&self) -> broadcast::Receiver<WatchEvent> {
        self.tx.subscribe()
    }

    /// Objects of `kind` (as [`Store::list`]) and the resourceVersion they are at, with a
    /// receiver subscribed at that same point: every change after the list arrives on it, and
    /// none before (writes send while they hold the lock this takes).
    pub fn list_and_watch(
        &self,
        kind: Kind,
        namespace: Option<&str>,
    ) -> (Vec<Arc<Object>>, u64, broadcast::Receiver<WatchEvent>) {
        let st = self.state.read().unwrap();
        let rx = self.tx.subscribe();
        let items = list_in(&st, kind, namespace);
        (items, st.resource_version, rx)
    }

    /// The changes after resourceVersion `rv`, and a receiver for the ones to come; `Err`
    /// with the oldest resourceVersion still remembered when `rv` is older than that.
    #[allow(clippy::type_complexity)]
    pub fn watch_since(&self, rv: u64) -> Result<(Vec<WatchEvent>, broadcast::Receiver<WatchEvent>), u64> {
        let st = self.state.read().unwrap();
        let floor = st.history_floor();
        if rv < floor {
            return Err(floor + 1);
        }
        let rx = self.tx.subscribe();
        let past = st.history.iter().filter(|e| e.rv > rv).cloned().collect();
        Ok((past, rx))
    }

    /// Send `ev` to watchers and remember it for watches that start later.
    fn publish(&self, st: &mut State, ev: WatchEvent) {
        if st.history.len() == WATCH_HISTORY {
            st.history.pop_front();
        }
        st.history.push_back(ev.clone());
        let _ = self.tx.send(ev);
    }

    pub fn get(&self, key: &Key) -> Option<Arc<Object>> {
        self.state.read().unwrap().objects.get(key).cloned()
    }

    /// Objects of `kind`, in one namespace or all of them, sorted by namespace and name.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<Arc<Object>> {
        list_in(&self.state.read().unwrap(), kind, namespace)
    }

    /// Objects whose ownerReferences name `owner_uid`.
    pub fn list_owned(&self, owner_uid: &str) -> Vec<Arc<Object>> {
        let st = self.state.read().unwrap();
        st.index
            .owners
            .get(owner_uid)
            .into_iter()
            .flatten()
            .filter_map(|k| st.objects.get(k).cloned())
            .collect()
    }

    /// Objects of `kind` in `namespace` whose labels match `selector`, found through the label
    /// index when the selector has an equality requirement (the smallest set is scanned).
    pub fn list_selected(&self, kind: Kind, namespace: &str, selector: &Selector) -> Vec<Arc<Object>> {
        let ns = if kind.namespaced() { namespace } else { "" };
        let st = self.state.read().unwrap();
        let set_of = |k: &String, v: &String| st.index.labels.get(&(kind, ns.to_string(), k.clone(), v.clone()));
        let smallest = selector
            .0
            .iter()
            .filter_map(|r| match r {
                Requirement::Equals(k, v) => Some((set_of(k, v).map_or(0, BTreeSet::len), k, v)),
                _ => None,
            })
            .min_by_key(|(n, _, _)| *n);
        match smallest {
            Some((_, k, v)) => set_of(k, v)
                .into_iter()
                .flatten()
                .filter_map(|name| st.objects.get(&Key::new(kind, ns, name)))
                .filter(|o| selector.matches(o.labels()))
                .cloned()
                .collect(),
            None => {
                drop(st);
                self.list(kind, Some(ns))
                    .into_iter()
                    .filter(|o| selector.matches(o.labels()))
                    .collect()
            }
        }
    }

    /// Events about the object with `uid`, oldest first.
    pub fn events_about(&self, uid: &str) -> Vec<Arc<Object>> {
        let st = self.state.read().unwrap();
        let mut evs: Vec<Arc<Object>> = st
            .index
            .events_about
            .get(uid)
            .into_iter()
            .flatten()
            .filter_map(|k| st.objects.get(k).cloned())
            .collect();
        evs.sort_by_key(|e| e.as_event().and_then(|e| e.first_timestamp.clone().map(|t| t.0)));
        evs
    }

    /// The Services of `namespace` whose (non-empty) selector matches `labels`, found through
    /// the selector index: only Services that select on one of these labels are looked at.
    pub fn services_selecting(&self, namespace: &str, labels: &BTreeMap<String, String>) -> Vec<Arc<Object>> {
        let st = self.state.read().unwrap();
        let mut names = BTreeSet::new();
        for (k, v) in labels {
            if let Some(set) = st.index.selectors.get(&(namespace.to_string(), k.clone(), v.clone())) {
                names.extend(set.iter().cloned());
            }
        }
        names
            .into_iter()
            .filter_map(|n| st.objects.get(&Key::new(Kind::Service, namespace, &n)).cloned())
            .filter(|s| service_selector(s).all(|(k, v)| labels.get(k) == Some(v)))
            .collect()
    }

    /// How many objects of `kind` are stored, in all namespaces.
    pub fn count(&self, kind: Kind) -> usize {
        self.state.read().unwrap().index.counts.get(&kind).copied().unwrap_or(0)
    }

    /// Changes whenever an object of `kind` is created, changed or removed.
    pub fn kind_version(&self, kind: Kind) -> u64 {
        self.state
            .read()
            .unwrap()
            .index
            .kind_versions
            .get(&kind)
            .copied()
            .unwrap_or(0)
    }

    /// How many pods are bound to `node`.
    pub fn pods_on_node(&self, node: &str) -> usize {
        self.state
            .read()
            .unwrap()
            .index
            .pods_per_node
            .get(node)
            .copied()
            .unwrap_or(0)
    }

    pub fn resource_version(&self) -> u64 {
        self.state.read().unwrap().resource_version
    }

    /// Every object, in key order (kind, namespace, name): what a snapshot saves.
    pub fn all(&self) -> Vec<Arc<Object>> {
        self.state.read().unwrap().objects.values().cloned().collect()
    }

    /// Fill an empty store with objects saved earlier, exactly as they were: uid,
    /// resourceVersion, generation and timestamps are kept, and the store's resourceVersion
    /// continues from the highest one restored. No watch events are sent: the controllers
    /// started afterwards resync everything, as kube-controller-manager does after a restart.
    /// Objects whose key is already taken are skipped (the first one wins).
    pub fn restore(&self, objects: impl IntoIterator<Item = Object>) {
        let mut st = self.state.write().unwrap();
        for obj in objects {
            let key = Key::of(&obj);
            if st.objects.contains_key(&key) {
                continue;
            }
            let rv = obj
                .meta()
                .resource_version
                .as_deref()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
            st.resource_version = st.resource_version.max(rv);
            let obj = Arc::new(obj);
            st.index.add(&key, &obj);
            st.objects.insert(key, obj);
        }
    }

    /// Store a new object: assigns uid, resourceVersion and creationTimestamp.
    pub fn create(&self, mut obj: Object, now: DateTime<Utc>) -> Result<Arc<Object>, ApiError> {
        let mut st = self.state.write().unwrap();
        let key = Key::of(&obj);
        if st.objects.contains_key(&key) {
            return Err(ApiError::AlreadyExists {
                kind: key.kind,
                name: key.name,
            });
        }
        st.resource_version += 1;
        let rv = st.resource_version;
        let meta = obj.meta_mut();
        meta.uid = Some(new_uid());
        meta.resource_version = Some(rv.to_string());
        meta.creation_timestamp = Some(Time(now));
        if meta.generation.is_none() && has_generation(key.kind) {
            meta.generation = Some(1);
        }
        let obj = Arc::new(obj);
        st.index.add(&key, &obj);
        st.objects.insert(key, obj.clone());
        let ev = WatchEvent {
            event: EventType::Added,
            object: obj.clone(),
            old: None,
            rv,
        };
        self.publish(&mut st, ev);
        Ok(obj)
    }

    /// Replace an object wholesale, keeping its identity (uid, creationTimestamp). If `obj`
    /// carries a resourceVersion it must match the stored one (optimistic concurrency).
    pub fn replace(&self, mut obj: Object) -> Result<Arc<Object>, ApiError> {
        let mut st = self.state.write().unwrap();
        let key = Key::of(&obj);
        let Some(old) = st.objects.get(&key).cloned() else {
            return Err(ApiError::NotFound {
                kind: key.kind,
                name: key.name,
            });
        };
        if let Some(rv) = &obj.meta().resource_version {
            if Some(rv) != old.meta().resource_version.as_ref() {
                return Err(ApiError::Conflict(format!(
                    "Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again",
                    key.kind.info().qualified_plural(),
                    key.name
                )));
            }
        }
        carry_identity(&old, &mut obj);
        Ok(self.commit(&mut st, key, obj, &old).unwrap_or(old))
    }

    /// Read-modify-write under the lock. Returns the new object, or the unchanged one if `f` made
    /// no change (then nothing is written and no event is sent).
    pub fn update(&self, key: &Key, f: impl FnOnce(&mut Object)) -> Result<Arc<Object>, ApiError> {
        let mut st = self.state.write().unwrap();
        let Some(old) = st.objects.get(key).cloned() else {
            return Err(ApiError::NotFound {
                kind: key.kind,
                name: key.name.clone(),
            });
        };
        let mut obj = (*old).clone();
        f(&mut obj);
        carry_identity(&old, &mut obj);
        Ok(self.commit(&mut st, key.clone(), obj, &old).unwrap_or(old))
    }

    fn commit(&self, st: &mut State, key: Key, mut obj: Object, old: &Arc<Object>) -> Option<Arc<Object>> {
        obj.meta_mut().resource_version = old.meta().resource_version.clone();
        if obj.same_as(old) {
            return None;
        }
        if has_generation(key.kind) && !obj.same_spec(old) {
            obj.meta_mut().generation = Some(old.meta().generation.unwrap_or(0) + 1);
        }
        st.resource_version += 1;
        obj.meta_mut().resource_version = Some(st.resource_version.to_string());
        let obj = Arc::new(obj);
        st.index.replace(&key, old, &obj);
        st.objects.insert(key, obj.clone());
        let ev = WatchEvent {
            event: EventType::Modified,
            object: obj.clone(),
            old: Some(old.clone()),
            rv: st.resource_version,
        };
        self.publish(st, ev);
        Some(obj)
    }

    /// Remove an object now (graceful deletion, if any, is the caller's business).
    pub fn remove(&self, key: &Key) -> Result<Arc<Object>, ApiError> {
        let mut st = self.state.write().unwrap();
        let Some(old) = st.objects.remove(key) else {
            return Err(ApiError::NotFound {
                kind: key.kind,
                name: key.name.clone(),
            });
        };
        st.resource_version += 1;
        st.index.remove(key, &old);
        let ev = WatchEvent {
            event: EventType::Deleted,
            object: old.clone(),
            old: None,
            rv: st.resource_version,
        };
        self.publish(&mut st, ev);
        Ok(old)
    }
}

fn list_in(st: &State, kind: Kind, namespace: Option<&str>) -> Vec<Arc<Object>> {
    let start = Key {
        kind,
        namespace: namespace.unwrap_or("").to_string(),
        name: String::new(),
    };
    st.objects
        .range(start..)
        .take_while(|(k, _)| k.kind == kind && namespace.is_none_or(|ns| k.namespace == ns || !kind.namespaced()))
        .map(|(_, v)| v.clone())
        .collect()
}

fn carry_identity(old: &Object, obj: &mut Object) {
    let (o, n) = (old.meta(), obj.meta_mut());
    n.uid = o.uid.clone();
    n.creation_timestamp = o.creation_timestamp.clone();
    n.generation = o.generation;
    if n.deletion_timestamp.is_none() {
        n.deletion_timestamp = o.deletion_timestamp.clone();
    }
}

fn has_generation(kind: Kind) -> bool {
    matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Pod | Kind::Service)
}

/// A random RFC 4122 version-4 UUID string. Every object gets one, so it is written straight
/// into one string (no formatting per byte).
pub fn new_uid() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let mut s = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push(HEX[usize::from(x >> 4)] as char);
        s.push(HEX[usize::from(x & 0x0f)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Service;

    fn svc(ns: &str, name: &str) -> Object {
        let mut s = Service::default();
        s.metadata.name = Some(name.into());
        s.metadata.namespace = Some(ns.into());
        Object::Service(s)
    }

    #[test]
    fn uids_are_version_4() {
        for _ in 0..100 {
            let u = new_uid();
            let groups: Vec<&str> = u.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12],
                "{u}"
            );
            assert!(u
                .chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
            assert!(groups[2].starts_with('4'), "{u}");
            assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{u}");
        }
        assert_ne!(new_uid(), new_uid());
    }

    #[test]
    fn create_assigns_identity_and_rejects_duplicates() {
        let store = Store::new();
        let a = store.create(svc("default", "a"), Utc::now()).unwrap();
        assert!(a.meta().uid.as_ref().unwrap().len() == 36);
        assert_eq!(a.meta().resource_version.as_deref(), Some("1"));
        let e = store.create(svc("default", "a"), Utc::now()).unwrap_err();
        assert_eq!(e.to_string(), "services \"a\" already exists");
    }

    #[test]
    fn list_is_scoped_by_namespace_and_kind() {
        let store = Store::new();
        store.create(svc("default", "b"), Utc::now()).unwrap();
        store.create(svc("default", "a"), Utc::now()).unwrap();
        store.create(svc("kube-system", "dns"), Utc::now()).unwrap();
        let names: Vec<_> = store
            .list(Kind::Service, Some("default"))
            .iter()
            .map(|o| o.name().to_string())
            .collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(store.list(Kind::Service, None).len(), 3);
        assert!(store.list(Kind::Pod, None).is_empty());
    }

    #[test]
    fn update_without_change_writes_nothing() {
        let store = Store::new();
        store.create(svc("default", "a"), Utc::now()).unwrap();
        let mut rx = store.watch();
        let key = Key::new(Kind::Service, "default", "a");
        store.update(&key, |_| {}).unwrap();
        assert!(rx.try_recv().is_err());
        let after = store
            .update(&key, |o| {
                o.meta_mut().labels = Some([("app".to_string(), "x".to_string())].into());
            })
            .unwrap();
        assert_eq!(after.meta().resource_version.as_deref(), Some("2"));
        assert_eq!(rx.try_recv().unwrap().event, EventType::Modified);
    }

    #[test]
    fn only_spec_changes_bump_the_generation() {
        let store = Store::new();
        store.create(svc("default", "a"), Utc::now()).unwrap();
        let key = Key::new(Kind::Service, "default", "a");
        let generation = |o: &Object| o.meta().generation;
        let status = store
            .update(&key, |o| {
                if let Object::Service(s) = o {
                    s.status = Some(Default::default());
                }
            })
            .unwrap();
        assert_eq!(status.meta().resource_version.as_deref(), Some("2"));
        assert_eq!(generation(&status), Some(1));
        let spec = store
            .update(&key, |o| {
                if let Object::Service(s) = o {
                    s.spec = Some(k8s_openapi::api::core::v1::ServiceSpec {
                        type_: Some("NodePort".into()),
                        ..Default::default()
                    });
                }
            })
            .unwrap();
        assert_eq!(generation(&spec), Some(2));
        let labels = store
            .update(&key, |o| {
                o.meta_mut().labels = Some([("a".to_string(), "b".to_string())].into())
            })
            .unwrap();
        assert_eq!(generation(&labels), Some(2));
        assert_eq!(labels.meta().resource_version.as_deref(), Some("4"));
    }

    #[test]
    fn indexes_follow_writes() {
        let store = Store::new();
        let mut a = svc("default", "a");
        a.meta_mut().labels = Some([("app".to_string(), "x".to_string())].into());
        a.meta_mut().owner_references = Some(vec![k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
            uid: "owner-1".into(),
            ..Default::default()
        }]);
        store.create(a, Utc::now()).unwrap();
        store.create(svc("default", "b"), Utc::now()).unwrap();
        let sel = Selector::parse("app=x").unwrap();
        assert_eq!(store.list_selected(Kind::Service, "default", &sel).len(), 1);
        assert_eq!(store.list_owned("owner-1").len(), 1);
        let key = Key::new(Kind::Service, "default", "a");
        store
            .update(&key, |o| {
                o.meta_mut().labels = Some([("app".to_string(), "y".to_string())].into());
                o.meta_mut().owner_references = None;
            })
            .unwrap();
        assert!(store.list_selected(Kind::Service, "default", &sel).is_empty());
        assert!(store.list_owned("owner-1").is_empty());
        let y = Selector::parse("app=y").unwrap();
        assert_eq!(store.list_selected(Kind::Service, "default", &y).len(), 1);
        store.remove(&key).unwrap();
        assert!(store.list_selected(Kind::Service, "default", &y).is_empty());
    }

    #[test]
    fn services_are_found_by_the_labels_they_select() {
        let store = Store::new();
        let with_selector = |name: &str, sel: &[(&str, &str)]| {
            let mut o = svc("default", name);
            if let Object::Service(s) = &mut o {
                s.spec = Some(k8s_openapi::api::core::v1::ServiceSpec {
                    selector: Some(sel.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
                    ..Default::default()
                });
            }
            o
        };
        store
            .create(
                with_selector("hello", &[("app", "hello"), ("tier", "backend")]),
                Utc::now(),
            )
            .unwrap();
        store
            .create(with_selector("all-hello", &[("app", "hello")]), Utc::now())
            .unwrap();
        store
            .create(with_selector("other", &[("app", "web")]), Utc::now())
            .unwrap();
        let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let names = |l: &BTreeMap<String, String>| -> Vec<String> {
            store
                .services_selecting("default", l)
                .iter()
                .map(|s| s.name().to_string())
                .collect()
        };
        assert_eq!(
            names(&labels(&[("app", "hello"), ("tier", "backend"), ("x", "y")])),
            ["all-hello", "hello"]
        );
        assert_eq!(names(&labels(&[("app", "hello")])), ["all-hello"]);
        assert!(names(&labels(&[("tier", "backend")])).is_empty());
        // A changed selector moves the Service in the index.
        store
            .update(&Key::new(Kind::Service, "default", "other"), |o| {
                if let Object::Service(s) = o {
                    s.spec.as_mut().unwrap().selector = Some([("app".to_string(), "hello".to_string())].into());
                }
            })
            .unwrap();
        assert_eq!(names(&labels(&[("app", "hello")])), ["all-hello", "other"]);
        store.remove(&Key::new(Kind::Service, "default", "all-hello")).unwrap();
        assert_eq!(names(&labels(&[("app", "hello")])), ["other"]);
    }

    #[test]
    fn replace_with_stale_version_conflicts() {
        let store = Store::new();
        store.create(svc("default", "a"), Utc::now()).unwrap();
        let mut stale = svc("default", "a");
        stale.meta_mut().resource_version = Some("99".into());
        assert!(matches!(store.replace(stale), Err(ApiError::Conflict(_))));
    }
}
