//! Which pod `port-forward svc/x` or `deploy/x` talks to: kubectl's `AttachablePodForObject`.
//!
//! A pod is itself; a Deployment, ReplicaSet or Service stands for the pods its selector matches,
//! and kubectl takes the most "active" one (its `ActivePods` order reversed: scheduled, Running,
//! Ready, Ready the longest, fewest restarts, oldest). With none yet, it waits for one to appear.
//! The same pod serves every connection until the command ends, unlike a Service's proxy.

use std::cmp::Ordering;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Pod;
use tokio::sync::broadcast;

use crate::runtime::selectors::Selector;
use crate::runtime::{Cluster, EventType, Kind, Object};

/// Go's `%T` for the lab's kinds: `*v1.Service`.
fn go_type(obj: &Object) -> String {
    format!("*v1.{}", obj.kind().info().name)
}

/// kubectl's `SelectorsForObject`, for the kinds the lab has. Errors are kubectl's.
fn selector_for(obj: &Object) -> Result<Selector, String> {
    let t = go_type(obj);
    let missing = || format!("cannot attach to {t}: selector for {t} not implemented");
    match obj {
        Object::Deployment(d) => d
            .spec
            .as_ref()
            .map(|s| Selector::from_label_selector(&s.selector))
            .ok_or_else(missing),
        Object::ReplicaSet(r) => r
            .spec
            .as_ref()
            .map(|s| Selector::from_label_selector(&s.selector))
            .ok_or_else(missing),
        Object::Service(s) => match s.spec.as_ref().and_then(|s| s.selector.as_ref()) {
            Some(m) if !m.is_empty() => Ok(Selector::from_map(m)),
            _ => Err(format!(
                "cannot attach to {t}: invalid service '{}': Service is defined without a selector",
                obj.name()
            )),
        },
        _ => Err(missing()),
    }
}

fn ready_condition(p: &Pod) -> Option<&k8s_openapi::api::core::v1::PodCondition> {
    let conds = p.status.as_ref()?.conditions.as_ref()?;
    conds.iter().find(|c| c.type_ == "Ready" && c.status == "True")
}

/// When the pod became Ready (`None` for a zero time, as Go would have it).
fn ready_time(p: &Pod) -> Option<DateTime<Utc>> {
    ready_condition(p)?.last_transition_time.as_ref().map(|t| t.0)
}

fn restarts(p: &Pod) -> i32 {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map_or(0, |cs| cs.iter().map(|c| c.restart_count).max().unwrap_or(0))
}

/// `afterOrZero(a, b)`: a is after b, a zero time counting as the latest.
fn after_or_zero(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> bool {
    match (a, b) {
        (None, _) | (_, None) => a.is_none(),
        (Some(a), Some(b)) => a > b,
    }
}

/// kubectl's `ActivePods` "less": is `a` less active than `b`?
fn less_active(a: &Pod, b: &Pod) -> bool {
    let node = |p: &Pod| p.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default();
    let (na, nb) = (node(a), node(b));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return na.is_empty();
    }
    let rank = |p: &Pod| match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
        Some("Unknown") => 1,
        Some("Running") => 2,
        _ => 0,
    };
    if rank(a) != rank(b) {
        return rank(a) < rank(b);
    }
    let (ready_a, ready_b) = (ready_condition(a).is_some(), ready_condition(b).is_some());
    if ready_a != ready_b {
        return !ready_a;
    }
    if ready_a && ready_time(a) != ready_time(b) {
        // Both ready: the one ready most recently is the less active.
        return after_or_zero(ready_time(a), ready_time(b));
    }
    if restarts(a) != restarts(b) {
        return restarts(a) > restarts(b);
    }
    let created = |p: &Pod| p.metadata.creation_timestamp.as_ref().map(|t| t.0);
    if created(a) != created(b) {
        return after_or_zero(created(a), created(b));
    }
    false
}

/// Most active first.
fn by_activity(a: &Arc<Object>, b: &Arc<Object>) -> Ordering {
    let (Some(pa), Some(pb)) = (a.as_pod(), b.as_pod()) else {
        return Ordering::Equal;
    };
    if less_active(pb, pa) {
        Ordering::Less
    } else if less_active(pa, pb) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// The pod to forward to for `obj`, waiting (lab time) up to `timeout` for a matching pod to
/// appear. Errors are whole lines in kubectl's words.
pub async fn attachable_pod(cluster: &Cluster, obj: &Arc<Object>, timeout: Duration) -> Result<Arc<Object>, String> {
    if obj.kind() == Kind::Pod {
        return Ok(obj.clone());
    }
    let selector = selector_for(obj).map_err(|e| format!("error: {e}"))?;
    let ns = obj.namespace().to_string();
    // Subscribe before listing, so a pod created in between is not missed.
    let mut rx = cluster.watch();
    let mut pods = cluster.list(Kind::Pod, Some(&ns));
    pods.retain(|p| selector.matches(p.labels()));
    pods.sort_by(by_activity);
    if let Some(first) = pods.into_iter().next() {
        return Ok(first);
    }
    let wait = async {
        loop {
            match rx.recv().await {
                Ok(ev) => {
                    let o = &ev.object;
                    if o.kind() == Kind::Pod
                        && o.namespace() == ns
                        && matches!(ev.event, EventType::Added | EventType::Modified)
                        && selector.matches(o.labels())
                    {
                        return Some(o.clone());
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let mut pods = cluster.list(Kind::Pod, Some(&ns));
                    pods.retain(|p| selector.matches(p.labels()));
                    if let Some(p) = pods.into_iter().next() {
                        return Some(p);
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    };
    match cluster.clock().timeout(timeout, wait).await {
        Ok(Some(p)) => Ok(p),
        _ => Err("error: timed out waiting for the condition".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, node: &str, phase: &str, ready_at: Option<&str>, created: &str) -> Arc<Object> {
        let mut conditions = vec![];
        if let Some(t) = ready_at {
            conditions.push(json!({"type": "Ready", "status": "True", "lastTransitionTime": t}));
        }
        let p: Pod = serde_json::from_value(json!({
            "metadata": {"name": name, "creationTimestamp": created},
            "spec": {"nodeName": node, "containers": []},
            "status": {"phase": phase, "conditions": conditions},
        }))
        .unwrap();
        Arc::new(Object::Pod(p))
    }

    #[test]
    fn the_most_active_pod_comes_first() {
        let t = |s: u32| format!("2025-01-01T00:00:{s:02}Z");
        let mut pods = [
            pod("pending", "", "Pending", None, &t(0)),
            pod("running-not-ready", "n1", "Running", None, &t(0)),
            pod("ready-late", "n1", "Running", Some(&t(30)), &t(0)),
            pod("ready-early", "n1", "Running", Some(&t(10)), &t(5)),
        ];
        pods.sort_by(by_activity);
        let names: Vec<&str> = pods.iter().map(|p| p.name()).collect();
        assert_eq!(names, ["ready-early", "ready-late", "running-not-ready", "pending"]);
    }

    #[test]
    fn selectors_and_kubectls_refusals() {
        let svc: k8s_openapi::api::core::v1::Service =
            serde_json::from_value(json!({"metadata": {"name": "ext"}, "spec": {"type": "ExternalName"}})).unwrap();
        assert_eq!(
            selector_for(&Object::Service(svc)).unwrap_err(),
            "cannot attach to *v1.Service: invalid service 'ext': Service is defined without a selector"
        );
        let cm = Object::ConfigMap(Default::default());
        assert_eq!(
            selector_for(&cm).unwrap_err(),
            "cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented"
        );
    }
}
