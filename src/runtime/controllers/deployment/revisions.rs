//! A Deployment's revisions. `kubectl rollout history` and `rollout undo` read nothing but these
//! annotations on the ReplicaSets, so they follow the real controller to the letter:
//!
//! - the current ReplicaSet carries the Deployment's own annotations (that is how a
//!   `kubernetes.io/change-cause` set on the Deployment shows up in the history);
//! - a ReplicaSet that becomes current again (a rollback, or a template changed back by hand) is
//!   renumbered to the newest revision and keeps its old numbers in `revision-history`;
//! - old ReplicaSets beyond `revisionHistoryLimit` are deleted once scaled to zero, oldest
//!   revision first, so the history a learner sees is bounded the same way.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::runtime::api::LAST_APPLIED;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
/// The annotation `kubectl rollout history` shows as CHANGE-CAUSE.
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
const ROLLBACK_TO: &str = "deprecated.deployment.rollback.to";

/// Annotations that belong to the controller (or to `kubectl apply`): never copied from a
/// Deployment to its ReplicaSet, nor back again by `kubectl rollout undo`.
pub const NOT_COPIED: &[&str] = &[
    LAST_APPLIED,
    REVISION,
    REVISION_HISTORY,
    DESIRED_REPLICAS,
    MAX_REPLICAS,
    ROLLBACK_TO,
];

/// kube-controller-manager's bound on the length of `revision-history`.
const MAX_HISTORY_CHARS: usize = 2000;

/// An object's `deployment.kubernetes.io/revision` (0 when absent or not a number).
pub fn revision(o: &Object) -> i64 {
    o.meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// Make `rs` (its annotations) the Deployment's current ReplicaSet at `new_revision`: copy the
/// Deployment's annotations over, and raise the revision if it is lower, remembering the old
/// number. Returns whether anything changed.
pub fn mark_current(
    deployment: &BTreeMap<String, String>,
    rs: &mut BTreeMap<String, String>,
    new_revision: i64,
) -> bool {
    let mut changed = false;
    for (k, v) in deployment {
        if !NOT_COPIED.contains(&k.as_str()) && rs.get(k) != Some(v) {
            rs.insert(k.clone(), v.clone());
            changed = true;
        }
    }
    let old = rs.get(REVISION).cloned();
    let Ok(old_revision) = old.as_deref().map_or(Ok(0), str::parse::<i64>) else {
        return changed;
    };
    if old_revision < new_revision {
        rs.insert(REVISION.into(), new_revision.to_string());
        if let Some(old) = old {
            remember(rs, &old);
        }
        changed = true;
    }
    changed
}

/// Append `old` to `revision-history`, dropping the oldest entries to stay within the limit.
fn remember(rs: &mut BTreeMap<String, String>, old: &str) {
    let history = rs.get(REVISION_HISTORY).cloned().unwrap_or_default();
    if history.is_empty() {
        rs.insert(REVISION_HISTORY.into(), old.to_string());
        return;
    }
    let mut kept: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old.len() + 1;
    let mut start = 0;
    while total > MAX_HISTORY_CHARS && start < kept.len() {
        total = total.saturating_sub(kept[start].len() + 1);
        start += 1;
    }
    if total <= MAX_HISTORY_CHARS {
        kept.drain(..start);
        kept.push(old);
        rs.insert(REVISION_HISTORY.into(), kept.join(","));
    }
}

/// A ReplicaSet that is scaled to zero, has no pods left and whose controller has seen that.
fn drained(rs: &Object) -> bool {
    let Some(r) = rs.as_replicaset() else { return false };
    let spec_replicas = r.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
    let st = r.status.clone().unwrap_or_default();
    spec_replicas == 0
        && st.replicas == 0
        && rs.meta().generation.unwrap_or(0) <= st.observed_generation.unwrap_or(0)
        && rs.meta().deletion_timestamp.is_none()
}

/// `cleanupDeployment`: delete the oldest drained ReplicaSets beyond `revisionHistoryLimit`.
/// Old ReplicaSets that still have pods count against the limit but are left alone.
pub fn clean_up(cluster: &Cluster, limit: Option<i32>, olds: &[Arc<Object>]) {
    let Some(limit) = limit else { return };
    let mut alive: Vec<Arc<Object>> = olds
        .iter()
        .filter_map(|o| cluster.store().get(&Key::of(o)))
        .filter(|o| o.meta().deletion_timestamp.is_none())
        .collect();
    let excess = alive.len().saturating_sub(usize::try_from(limit).unwrap_or(0));
    alive.sort_by_key(|o| {
        (
            revision(o),
            o.meta().creation_timestamp.clone().map(|t| t.0),
            o.name().to_string(),
        )
    });
    for rs in alive.iter().take(excess).filter(|rs| drained(rs)) {
        let _ = cluster.delete(Kind::ReplicaSet, rs.namespace(), rs.name());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_new_replicaset_gets_the_deployments_annotations_but_not_the_controllers() {
        let dep = ann(&[
            (CHANGE_CAUSE, "image v2"),
            (REVISION, "7"),
            (LAST_APPLIED, "{}"),
            ("team", "a"),
        ]);
        let mut rs = BTreeMap::new();
        assert!(mark_current(&dep, &mut rs, 3));
        assert_eq!(
            rs,
            ann(&[(CHANGE_CAUSE, "image v2"), (REVISION, "3"), ("team", "a")]),
            "no revision-history for a first revision"
        );
        assert!(!mark_current(&dep, &mut rs, 3), "idempotent");
        assert!(!mark_current(&dep, &mut rs, 2), "a revision never goes down");
    }

    #[test]
    fn a_replicaset_that_becomes_current_again_remembers_its_old_revisions() {
        let mut rs = ann(&[(REVISION, "2")]);
        assert!(mark_current(&BTreeMap::new(), &mut rs, 4));
        assert_eq!(rs[REVISION], "4");
        assert_eq!(rs[REVISION_HISTORY], "2");
        mark_current(&BTreeMap::new(), &mut rs, 6);
        assert_eq!(rs[REVISION_HISTORY], "2,4");
    }

    #[test]
    fn revision_history_is_bounded_oldest_first() {
        let long: Vec<String> = (1000..1400).map(|n| n.to_string()).collect();
        let mut rs = ann(&[(REVISION, "9999"), (REVISION_HISTORY, &long.join(","))]);
        mark_current(&BTreeMap::new(), &mut rs, 10000);
        let h = &rs[REVISION_HISTORY];
        assert!(h.len() <= MAX_HISTORY_CHARS, "{}", h.len());
        assert!(h.ends_with(",9999"));
        assert!(!h.starts_with("1000,"), "the oldest entries went first");
    }
}
