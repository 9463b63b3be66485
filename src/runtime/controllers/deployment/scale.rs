//! How many pods each of a Deployment's ReplicaSets should run.
//!
//! Two situations, as in the real controller: a rollout ([`roll`]), where the new ReplicaSet
//! grows within `maxSurge` while the old ones shrink as new pods become available; and a paused
//! Deployment ([`scale_paused`]), where nothing rolls but `kubectl scale` must still work, so the
//! replicas are spread over the ReplicaSets in proportion to their sizes (`scale` in
//! `pkg/controller/deployment/sync.go`). Both change sizes through [`scale_rs`], which records
//! the `ScalingReplicaSet` events `kubectl describe deployment` shows.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::DeploymentSpec;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::revisions::{DESIRED_REPLICAS, MAX_REPLICAS};
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// A ReplicaSet's `spec.replicas`.
pub fn rs_replicas(rs: &Object) -> i32 {
    rs.as_replicaset()
        .and_then(|r| r.spec.as_ref())
        .and_then(|s| s.replicas)
        .unwrap_or(0)
}

/// A ReplicaSet's (replicas, ready, available) from its status.
pub fn rs_status(rs: &Object) -> (i32, i32, i32) {
    let st = rs.as_replicaset().and_then(|r| r.status.clone()).unwrap_or_default();
    (
        st.replicas,
        st.ready_replicas.unwrap_or(0),
        st.available_replicas.unwrap_or(0),
    )
}

/// Resolve `25%` or `1` against `total` (rounding up for surge, down for unavailable).
pub fn scaled(v: Option<&IntOrString>, total: i32, round_up: bool) -> i32 {
    match v {
        Some(IntOrString::Int(i)) => *i,
        Some(IntOrString::String(s)) => {
            let pct: f64 = s.trim_end_matches('%').parse().unwrap_or(25.0);
            let x = pct * total as f64 / 100.0;
            if round_up {
                x.ceil() as i32
            } else {
                x.floor() as i32
            }
        }
        None => 0,
    }
}

fn is_recreate(spec: &DeploymentSpec) -> bool {
    spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("Recreate")
}

/// `MaxSurge`: how many pods above `replicas` a rolling update may run (0 for Recreate).
pub fn max_surge(spec: &DeploymentSpec) -> i32 {
    if is_recreate(spec) {
        return 0;
    }
    let ru = spec.strategy.as_ref().and_then(|s| s.rolling_update.as_ref());
    scaled(ru.and_then(|r| r.max_surge.as_ref()), spec.replicas.unwrap_or(1), true)
}

/// Set a ReplicaSet's size, and the replica annotations the controller keeps on it; record a
/// `ScalingReplicaSet` event when the size changes.
pub fn scale_rs(cluster: &Cluster, dep_obj: &Object, rs: &Object, to: i32) {
    let spec = dep_obj.as_deployment().and_then(|d| d.spec.clone()).unwrap_or_default();
    let desired = spec.replicas.unwrap_or(1).to_string();
    let max = (spec.replicas.unwrap_or(1) + max_surge(&spec)).to_string();
    let from = rs_replicas(rs);
    let ann = rs.meta().annotations.clone().unwrap_or_default();
    if from == to && ann.get(DESIRED_REPLICAS) == Some(&desired) && ann.get(MAX_REPLICAS) == Some(&max) {
        return;
    }
    let res = cluster.store().update(&Key::of(rs), |o| {
        if let Object::ReplicaSet(r) = o {
            if let Some(s) = r.spec.as_mut() {
                s.replicas = Some(to);
            }
            let ann = r.metadata.annotations.get_or_insert_with(BTreeMap::new);
            ann.insert(DESIRED_REPLICAS.into(), desired.clone());
            ann.insert(MAX_REPLICAS.into(), max.clone());
        }
    });
    if res.is_ok() && from != to {
        let verb = if to > from { "up" } else { "down" };
        let msg = format!("Scaled {verb} replica set {} from {from} to {to}", rs.name());
        cluster.record_event(dep_obj, "Normal", "ScalingReplicaSet", &msg, "deployment-controller");
    }
}

/// A rollout step: grow the new ReplicaSet within maxSurge and shrink the old ones as new pods
/// become available, never below `desired - maxUnavailable` available pods (Recreate: old ones
/// to zero first, then the new one up).
pub fn roll(cluster: &Cluster, dep_obj: &Object, spec: &DeploymentSpec, new_rs: &Object, olds: &[Arc<Object>]) {
    let desired = spec.replicas.unwrap_or(1);
    let ru = spec
        .strategy
        .as_ref()
        .and_then(|s| s.rolling_update.clone())
        .unwrap_or_default();
    let max_surge = scaled(ru.max_surge.as_ref(), desired, true);
    let max_unavailable = scaled(ru.max_unavailable.as_ref(), desired, false);
    let old_total: i32 = olds.iter().map(|r| rs_replicas(r)).sum();
    let new_replicas = rs_replicas(new_rs);
    let (_, _, new_available) = rs_status(new_rs);
    if olds.iter().all(|r| rs_replicas(r) == 0) {
        if new_replicas != desired {
            scale_rs(cluster, dep_obj, new_rs, desired);
        }
    } else if is_recreate(spec) {
        let old_pods_left: i32 = olds.iter().map(|r| rs_status(r).0).sum();
        for r in olds {
            scale_rs(cluster, dep_obj, r, 0);
        }
        if old_pods_left == 0 && new_replicas != desired {
            scale_rs(cluster, dep_obj, new_rs, desired);
        }
    } else {
        let allowed_total = desired + max_surge.max(if max_unavailable == 0 { 1 } else { 0 });
        let up_to = (allowed_total - old_total).clamp(new_replicas, desired);
        if up_to != new_replicas {
            scale_rs(cluster, dep_obj, new_rs, up_to);
        }
        let old_available: i32 = olds.iter().map(|r| rs_status(r).2).sum();
        let min_available = desired - max_unavailable;
        let mut can_remove = (old_available + new_available - min_available).max(0);
        for r in olds {
            let cur = rs_replicas(r);
            if cur == 0 {
                continue;
            }
            let (_, _, avail) = rs_status(r);
            // Unavailable old pods can always go; available ones within the budget.
            let unavailable = cur - avail;
            let remove = (unavailable + can_remove.min(avail)).min(cur);
            can_remove -= (remove - unavailable).max(0);
            if remove > 0 {
                scale_rs(cluster, dep_obj, r, cur - remove);
            }
        }
    }
}

fn created(o: &Object) -> Option<chrono::DateTime<chrono::Utc>> {
    o.meta().creation_timestamp.as_ref().map(|t| t.0)
}

/// The sizes of a paused Deployment's ReplicaSets (`scale`): with one active ReplicaSet (or
/// none: the newest) it simply gets `replicas`; with a rollout frozen halfway, a saturated new
/// ReplicaSet takes everything, otherwise the change is shared out in proportion to each
/// ReplicaSet's size.
pub fn scale_paused(cluster: &Cluster, dep_obj: &Object, new_rs: Option<&Arc<Object>>, olds: &[Arc<Object>]) {
    let spec = dep_obj.as_deployment().and_then(|d| d.spec.clone()).unwrap_or_default();
    let desired = spec.replicas.unwrap_or(1);
    let mut olds_newest_first = olds.to_vec();
    olds_newest_first.sort_by_key(|o| std::cmp::Reverse(created(o)));
    let all: Vec<Arc<Object>> = olds_newest_first.iter().chain(new_rs).cloned().collect();
    let active: Vec<Arc<Object>> = all.iter().filter(|r| rs_replicas(r) > 0).cloned().collect();
    let only = match active.len() {
        0 => new_rs.or(olds_newest_first.first()).cloned(),
        1 => Some(active[0].clone()),
        _ => None,
    };
    if let Some(rs) = only {
        if rs_replicas(&rs) != desired {
            scale_rs(cluster, dep_obj, &rs, desired);
        }
        return;
    }
    if let Some(new_rs) = new_rs.filter(|rs| saturated(rs, desired)) {
        for old in active.iter().filter(|r| r.name() != new_rs.name()) {
            scale_rs(cluster, dep_obj, old, 0);
        }
        return;
    }
    if is_recreate(&spec) {
        return;
    }
    let prior = dep_obj
        .as_deployment()
        .and_then(|d| d.status.as_ref())
        .and_then(|s| s.replicas)
        .unwrap_or(0);
    for (rs, size) in proportional_sizes(&active, desired, max_surge(&spec), prior) {
        scale_rs(cluster, dep_obj, &rs, size);
    }
}

/// `IsSaturated`: the new ReplicaSet runs all of `desired`, all of them available.
fn saturated(rs: &Object, desired: i32) -> bool {
    let annotated = rs.meta().annotations.as_ref().and_then(|a| a.get(DESIRED_REPLICAS));
    annotated == Some(&desired.to_string()) && rs_replicas(rs) == desired && rs_status(rs).2 == desired
}

/// New sizes for the active ReplicaSets so that together they run `desired + surge`: each
/// grows or shrinks by its share (its size relative to the Deployment size it was scaled for,
/// the `max-replicas` annotation), the largest first; what rounding leaves over goes to the
/// largest.
fn proportional_sizes(active: &[Arc<Object>], desired: i32, surge: i32, prior: i32) -> Vec<(Arc<Object>, i32)> {
    let allowed = if desired > 0 { desired + surge } else { 0 };
    let total: i32 = active.iter().map(|r| rs_replicas(r)).sum();
    let to_add = allowed - total;
    let mut order = active.to_vec();
    // Largest first; among equals the newest first when growing, the oldest when shrinking.
    order.sort_by(|a, b| {
        let by_size = rs_replicas(b).cmp(&rs_replicas(a));
        let by_age = if to_add > 0 {
            created(b).cmp(&created(a))
        } else {
            created(a).cmp(&created(b))
        };
        by_size.then(by_age).then_with(|| a.name().cmp(b.name()))
    });
    let mut added = 0;
    let mut sizes: Vec<(Arc<Object>, i32)> = Vec::new();
    for rs in &order {
        let cur = rs_replicas(rs);
        let share = if to_add == 0 || to_add == added {
            0
        } else {
            let fraction = fraction(rs, desired, allowed, prior);
            let left = to_add - added;
            if to_add > 0 {
                fraction.min(left)
            } else {
                fraction.max(left)
            }
        };
        added += share;
        sizes.push((rs.clone(), cur + share));
    }
    if let Some(first) = sizes.first_mut() {
        first.1 = (first.1 + to_add - added).max(0);
    }
    sizes
}

/// `getReplicaSetFraction`: how much a ReplicaSet grows (or shrinks) when its Deployment goes
/// from the size in its `max-replicas` annotation to `allowed`.
fn fraction(rs: &Object, desired: i32, allowed: i32, prior: i32) -> i32 {
    let cur = rs_replicas(rs);
    if desired == 0 {
        return -cur;
    }
    let annotated = rs
        .meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(MAX_REPLICAS))
        .and_then(|v| v.parse::<i32>().ok())
        .unwrap_or(prior);
    if annotated == 0 {
        return 0;
    }
    let new_size = f64::from(cur) * f64::from(allowed) / f64::from(annotated);
    new_size.round() as i32 - cur
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{ReplicaSet, ReplicaSetSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    fn rs(name: &str, replicas: i32, max: i32, age_s: i64) -> Arc<Object> {
        let t0 = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        Arc::new(Object::ReplicaSet(ReplicaSet {
            metadata: ObjectMeta {
                name: Some(name.into()),
                annotations: Some([(MAX_REPLICAS.to_string(), max.to_string())].into()),
                creation_timestamp: Some(Time(t0 - chrono::Duration::seconds(age_s))),
                ..Default::default()
            },
            spec: Some(ReplicaSetSpec {
                replicas: Some(replicas),
                ..Default::default()
            }),
            status: None,
        }))
    }

    fn sizes(v: Vec<(Arc<Object>, i32)>) -> Vec<(String, i32)> {
        v.into_iter().map(|(r, n)| (r.name().to_string(), n)).collect()
    }

    #[test]
    fn a_frozen_rollout_scales_in_proportion() {
        // 10 replicas + 3 surge, frozen at 8 old / 5 new; scaled to 20 (+5 surge).
        let active = [rs("old", 8, 13, 100), rs("new", 5, 13, 10)];
        assert_eq!(
            sizes(proportional_sizes(&active, 20, 5, 13)),
            vec![("old".into(), 15), ("new".into(), 10)]
        );
        // And back down to 10 (+3 surge).
        let active = [rs("old", 15, 25, 100), rs("new", 10, 25, 10)];
        assert_eq!(
            sizes(proportional_sizes(&active, 10, 3, 25)),
            vec![("old".into(), 8), ("new".into(), 5)]
        );
    }

    #[test]
    fn rounding_leftovers_go_to_the_largest_and_ties_prefer_the_newest() {
        let active = [rs("a", 1, 3, 100), rs("b", 1, 3, 50), rs("c", 1, 3, 10)];
        // 3 → 4 (+0 surge): each share rounds to 0, the one left over goes to the newest.
        assert_eq!(
            sizes(proportional_sizes(&active, 4, 0, 3)),
            vec![("c".into(), 2), ("b".into(), 1), ("a".into(), 1)]
        );
        // Scaling to zero empties them all.
        assert!(proportional_sizes(&active, 0, 0, 3).iter().all(|(_, n)| *n == 0));
    }
}
