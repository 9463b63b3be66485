//! `kubectl apply` (client-side): the last-applied annotation and the three-way merge of the
//! manifest into the live object. kubectl computes this patch itself; the lab's kubectl asks
//! the API layer to, so both edit paths (`apply` and `edit`) share one merge.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::check_request_size;
use crate::runtime::error::ApiError;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// The annotation where `kubectl apply` keeps what was last applied.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// What `kubectl apply` did to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    Unchanged,
}

impl ApplyOutcome {
    pub fn verb(self) -> &'static str {
        match self {
            ApplyOutcome::Created => "created",
            ApplyOutcome::Configured => "configured",
            ApplyOutcome::Unchanged => "unchanged",
        }
    }
}

impl Cluster {
    /// `kubectl apply`: create, or three-way merge the manifest into the live object.
    pub fn apply(&self, obj: Object) -> Result<(Arc<Object>, ApplyOutcome), ApiError> {
        let mut obj = obj;
        if obj.kind().namespaced() && obj.namespace().is_empty() {
            obj.meta_mut().namespace = Some("default".into());
        }
        let mut applied = obj.to_json();
        strip_last_applied(&mut applied);
        let annotation = serde_json::to_string(&applied).unwrap_or_default();
        let key = Key::of(&obj);
        obj.meta_mut()
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(LAST_APPLIED.into(), annotation.clone() + "\n");
        // kubectl sends the object with its annotation (a create) or a patch that carries the
        // annotation (an update); the lab measures both as the object it would create.
        check_request_size(&obj)?;
        let Some(live) = self.store().get(&key) else {
            return self.create(obj).map(|o| (o, ApplyOutcome::Created));
        };
        let last: Value = live
            .meta()
            .annotations
            .as_ref()
            .and_then(|a| a.get(LAST_APPLIED))
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(Value::Null);
        let mut merged = live.to_json();
        three_way_merge(&mut merged, &last, &applied);
        merged["metadata"]["annotations"][LAST_APPLIED] = Value::String(annotation + "\n");
        let mut new_obj = Object::from_json(key.kind, merged).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        new_obj.meta_mut().resource_version = None;
        let before_rv = live.meta().resource_version.clone();
        let after = self.update(new_obj)?;
        let outcome = if after.meta().resource_version == before_rv {
            ApplyOutcome::Unchanged
        } else {
            ApplyOutcome::Configured
        };
        Ok((after, outcome))
    }
}

fn strip_last_applied(v: &mut Value) {
    if let Some(meta) = v.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        if let Some(ann) = meta.get_mut("annotations").and_then(|a| a.as_object_mut()) {
            ann.remove(LAST_APPLIED);
            if ann.is_empty() {
                meta.remove("annotations");
            }
        }
    }
    if let Some(o) = v.as_object_mut() {
        o.remove("status");
    }
}

/// Merge `new` into `live`: fields in `new` win, fields that were in `last` (the previous
/// apply) but are gone from `new` are removed, fields nobody applied (status, allocated values,
/// controller annotations) are kept. Lists are replaced whole.
pub fn three_way_merge(live: &mut Value, last: &Value, new: &Value) {
    match (live, new) {
        (Value::Object(live_map), Value::Object(new_map)) => {
            if let Value::Object(last_map) = last {
                for k in last_map.keys() {
                    if !new_map.contains_key(k) {
                        live_map.remove(k);
                    }
                }
            }
            for (k, nv) in new_map {
                let lv = last.get(k).unwrap_or(&Value::Null);
                match live_map.get_mut(k) {
                    Some(existing) if existing.is_object() && nv.is_object() => three_way_merge(existing, lv, nv),
                    _ => {
                        live_map.insert(k.clone(), nv.clone());
                    }
                }
            }
        }
        (live, new) => *live = new.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_removes_what_was_unapplied_and_keeps_what_others_set() {
        let mut live =
            json!({"spec": {"replicas": 3, "paused": true, "strategy": {"type": "RollingUpdate"}}, "status": {"x": 1}});
        let last = json!({"spec": {"replicas": 3, "paused": true}});
        let new = json!({"spec": {"replicas": 5}});
        three_way_merge(&mut live, &last, &new);
        assert_eq!(
            live,
            json!({"spec": {"replicas": 5, "strategy": {"type": "RollingUpdate"}}, "status": {"x": 1}})
        );
    }
}
