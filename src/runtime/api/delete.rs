//! How objects go away, as the API server and the garbage collector decide it.
//!
//! A delete is not always a removal: a pod on a node terminates gracefully first (the kubelet
//! removes it), an object with finalizers only gets a `deletionTimestamp` until they are gone, a
//! namespace turns `Terminating` while the namespace controller empties it, and the propagation
//! policy says what happens to dependents — `Background` (the default: the owner goes now, the
//! garbage collector follows), `Foreground` (the owner stays, with the `foregroundDeletion`
//! finalizer, until every blocking dependent is gone) or `Orphan` (the dependents lose their
//! owner reference and stay).

use std::sync::Arc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// The finalizer that holds an owner until its dependents are deleted.
pub const FOREGROUND: &str = "foregroundDeletion";

/// Namespaces the API server refuses to delete (NamespaceLifecycle's immortal namespaces).
const IMMORTAL_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public"];

/// What happens to an object's dependents when it is deleted (`kubectl delete --cascade=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

/// The options of one `DELETE` call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteOptions {
    pub propagation: Propagation,
    /// Overrides the pod's `terminationGracePeriodSeconds` (`kubectl delete --grace-period`).
    /// `0` removes the object now, without waiting for the kubelet (`--force`).
    pub grace_period_seconds: Option<i64>,
    /// `?dryRun=All`: say what would happen, change nothing.
    pub dry_run: bool,
    /// `preconditions.uid` / `preconditions.resourceVersion`: delete only that object, or only
    /// that version of it (409 otherwise).
    pub preconditions: Preconditions,
}

/// The object a delete is meant for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preconditions {
    pub uid: Option<String>,
    pub resource_version: Option<String>,
}

impl From<Propagation> for DeleteOptions {
    fn from(propagation: Propagation) -> DeleteOptions {
        DeleteOptions {
            propagation,
            ..Default::default()
        }
    }
}

/// 409 when `obj` is not the object (or version) the preconditions name.
fn check_preconditions(obj: &Object, p: &Preconditions) -> Result<(), ApiError> {
    let info = obj.kind().info();
    let conflict = |what: &str, want: &str, have: &str| {
        ApiError::Conflict(format!(
            "Operation cannot be fulfilled on {} \"{}\": Precondition failed: {what}: {want}, {what} in object meta: {have}",
            info.qualified_plural(),
            obj.name()
        ))
    };
    let meta = obj.meta();
    if let Some(uid) = &p.uid {
        let have = meta.uid.as_deref().unwrap_or("");
        if uid != have {
            return Err(conflict("UID", uid, have));
        }
    }
    if let Some(rv) = &p.resource_version {
        let have = meta.resource_version.as_deref().unwrap_or("");
        if rv != have {
            return Err(conflict("ResourceVersion", rv, have));
        }
    }
    Ok(())
}

/// Is this namespace being deleted (phase `Terminating`)?
pub fn is_terminating(namespace: &Object) -> bool {
    let phase = match namespace {
        Object::Namespace(n) => n.status.as_ref().and_then(|s| s.phase.as_deref()),
        _ => None,
    };
    namespace.meta().deletion_timestamp.is_some() || phase == Some("Terminating")
}

fn has_finalizer(obj: &Object, name: &str) -> bool {
    obj.meta().finalizers.iter().flatten().any(|f| f == name)
}

/// Is `obj` held by the garbage collector until its dependents are gone?
pub fn waiting_for_dependents(obj: &Object) -> bool {
    obj.meta().deletion_timestamp.is_some() && has_finalizer(obj, FOREGROUND)
}

impl Cluster {
    /// Delete with the default (background) propagation.
    pub fn delete(&self, kind: Kind, namespace: &str, name: &str) -> Result<Arc<Object>, ApiError> {
        self.delete_with(kind, namespace, name, DeleteOptions::default())
    }

    /// Delete an object the way the API server does for `DELETE` with a propagation policy.
    /// Returns the object as it is after the call (still present if something holds it).
    pub fn delete_with(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        options: DeleteOptions,
    ) -> Result<Arc<Object>, ApiError> {
        let propagation = options.propagation;
        let key = Key::new(kind, namespace, name);
        let obj = self.store().get(&key).ok_or(ApiError::NotFound {
            kind,
            name: name.to_string(),
        })?;
        check_preconditions(&obj, &options.preconditions)?;
        if options.dry_run {
            if kind == Kind::Namespace && IMMORTAL_NAMESPACES.contains(&name) {
                return Err(ApiError::Forbidden {
                    kind,
                    name: name.to_string(),
                    message: "this namespace may not be deleted".into(),
                });
            }
            return Ok(obj);
        }
        if kind == Kind::Namespace {
            return self.delete_namespace(&key, obj);
        }
        let uid = obj.meta().uid.clone().unwrap_or_default();
        if propagation == Propagation::Orphan {
            self.orphan_dependents(&uid);
        }
        let foreground = propagation == Propagation::Foreground && !self.store().list_owned(&uid).is_empty();
        let held = foreground || obj.meta().finalizers.as_ref().is_some_and(|f| !f.is_empty());
        let now = self.clock().now();
        let immediate = options.grace_period_seconds == Some(0);
        if let Object::Pod(pod) = obj.as_ref() {
            let scheduled = pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some();
            // Grace 0 with nothing holding the pod removes it now; otherwise the kubelet does.
            if scheduled && (held || !immediate) {
                if obj.meta().deletion_timestamp.is_some() {
                    return Ok(obj);
                }
                let grace = options
                    .grace_period_seconds
                    .or(pod.spec.as_ref().and_then(|s| s.termination_grace_period_seconds))
                    .unwrap_or(30);
                return self.store().update(&key, |o| {
                    let m = o.meta_mut();
                    m.deletion_timestamp = Some(Time(now + chrono::Duration::seconds(grace)));
                    m.deletion_grace_period_seconds = Some(grace);
                    if foreground {
                        m.finalizers.get_or_insert_with(Vec::new).push(FOREGROUND.into());
                    }
                });
            }
        }
        if !held {
            return self.store().remove(&key);
        }
        self.store().update(&key, |o| {
            let m = o.meta_mut();
            if m.deletion_timestamp.is_none() {
                m.deletion_timestamp = Some(Time(now));
                m.deletion_grace_period_seconds = Some(0);
            }
            let finalizers = m.finalizers.get_or_insert_with(Vec::new);
            if foreground && !finalizers.iter().any(|f| f == FOREGROUND) {
                finalizers.push(FOREGROUND.into());
            }
        })
    }

    /// Take `finalizer` off an object; an object being deleted with no finalizer left goes.
    pub fn remove_finalizer(&self, key: &Key, finalizer: &str) -> Result<(), ApiError> {
        let obj = self.store().update(key, |o| {
            if let Some(f) = o.meta_mut().finalizers.as_mut() {
                f.retain(|x| x != finalizer);
            }
        })?;
        self.finish_if_finalized(&obj);
        Ok(())
    }

    /// Remove an object whose deletion only waited for its finalizers, once they are all gone.
    /// Scheduled pods are left to the kubelet, which removes them after they stop.
    pub(crate) fn finish_if_finalized(&self, obj: &Arc<Object>) {
        let m = obj.meta();
        let finalized = m.deletion_timestamp.is_some() && m.finalizers.as_ref().is_none_or(|f| f.is_empty());
        let scheduled_pod = obj
            .as_pod()
            .is_some_and(|p| p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some());
        if finalized && !scheduled_pod && obj.kind() != Kind::Namespace {
            let key = Key::of(obj);
            if self.store().get(&key).is_some_and(|o| o.meta().uid == m.uid) {
                let _ = self.store().remove(&key);
            }
        }
    }

    /// `propagationPolicy: Orphan`: the dependents lose their owner reference and stay.
    fn orphan_dependents(&self, owner_uid: &str) {
        for dep in self.store().list_owned(owner_uid) {
            let _ = self.store().update(&Key::of(&dep), |o| {
                let m = o.meta_mut();
                if let Some(refs) = m.owner_references.as_mut() {
                    refs.retain(|r| r.uid != owner_uid);
                    if refs.is_empty() {
                        m.owner_references = None;
                    }
                }
            });
        }
    }

    /// A namespace turns `Terminating`; the namespace controller deletes its contents and then
    /// the namespace itself.
    fn delete_namespace(&self, key: &Key, obj: Arc<Object>) -> Result<Arc<Object>, ApiError> {
        if IMMORTAL_NAMESPACES.contains(&key.name.as_str()) {
            return Err(ApiError::Forbidden {
                kind: Kind::Namespace,
                name: key.name.clone(),
                message: "this namespace may not be deleted".into(),
            });
        }
        if obj.meta().deletion_timestamp.is_some() {
            return Ok(obj);
        }
        let now = self.clock().now();
        self.store().update(key, |o| {
            o.meta_mut().deletion_timestamp = Some(Time(now));
            o.meta_mut().deletion_grace_period_seconds = Some(0);
            if let Object::Namespace(ns) = o {
                ns.status.get_or_insert_with(Default::default).phase = Some("Terminating".into());
            }
        })
    }
}
