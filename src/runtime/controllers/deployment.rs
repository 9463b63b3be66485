//! The Deployment controller: one ReplicaSet per pod template (named `<deployment>-<hash>`),
//! scaled to the desired count; on a template change a new ReplicaSet takes over while the old
//! ones are scaled down as new pods become available; status and conditions as kubectl shows.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{all_keys, controller_of, owned_by, owner_ref, Controller};
use crate::runtime::kinds::Kind;
use crate::runtime::names::template_hash;
use crate::runtime::object::Object;
use crate::runtime::store::{Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "deployment-controller",
    keys_for,
    reconcile,
    resync,
};

const REVISION: &str = "deployment.kubernetes.io/revision";
const HASH_LABEL: &str = "pod-template-hash";

fn keys_for(_: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    match &*ev.object {
        Object::Deployment(_) => vec![Key::of(&ev.object)],
        Object::ReplicaSet(_) => controller_of(&ev.object)
            .filter(|r| r.kind == "Deployment")
            .map(|r| vec![Key::new(Kind::Deployment, ev.object.namespace(), &r.name)])
            .unwrap_or_default(),
        _ => vec![],
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    all_keys(cluster, Kind::Deployment)
}

fn rs_replicas(rs: &Object) -> i32 {
    rs.as_replicaset()
        .and_then(|r| r.spec.as_ref())
        .and_then(|s| s.replicas)
        .unwrap_or(0)
}

fn rs_status(rs: &Object) -> (i32, i32, i32) {
    let st = rs.as_replicaset().and_then(|r| r.status.clone()).unwrap_or_default();
    (
        st.replicas,
        st.ready_replicas.unwrap_or(0),
        st.available_replicas.unwrap_or(0),
    )
}

fn revision(o: &Object) -> i64 {
    o.meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// Resolve `25%` or `1` against `total` (rounding up for surge, down for unavailable).
fn scaled(v: Option<&IntOrString>, total: i32, round_up: bool) -> i32 {
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

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(dep_obj) = cluster.store().get(key) else {
        return;
    };
    let Some(dep) = dep_obj.as_deployment() else { return };
    if dep_obj.meta().deletion_timestamp.is_some() {
        return;
    }
    let spec = dep.spec.clone().unwrap_or_default();
    let desired = spec.replicas.unwrap_or(1);
    let uid = dep.metadata.uid.clone().unwrap_or_default();
    let owned = owned_by(cluster, Kind::ReplicaSet, &key.namespace, &uid);

    // The template without the hash label is what the hash is computed over.
    let template_json = serde_json::to_value(&spec.template).unwrap_or_default();
    let hash = template_hash(
        &template_json,
        dep.status.as_ref().and_then(|s| s.collision_count).unwrap_or(0),
    );
    let rs_name = format!("{}-{}", key.name, hash);
    let new_rs = owned
        .iter()
        .find(|r| r.labels().get(HASH_LABEL) == Some(&hash))
        .cloned();
    let olds: Vec<Arc<Object>> = owned
        .iter()
        .filter(|r| r.labels().get(HASH_LABEL) != Some(&hash))
        .cloned()
        .collect();
    let max_rev = owned.iter().map(|r| revision(r)).max().unwrap_or(0);

    let ru = spec
        .strategy
        .as_ref()
        .and_then(|s| s.rolling_update.clone())
        .unwrap_or_default();
    let recreate = spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("Recreate");
    let max_surge = scaled(ru.max_surge.as_ref(), desired, true);
    let max_unavailable = scaled(ru.max_unavailable.as_ref(), desired, false);
    let old_total: i32 = olds.iter().map(|r| rs_replicas(r)).sum();

    let new_rs = match new_rs {
        Some(rs) => rs,
        None => {
            let start = if olds.is_empty() {
                desired
            } else if recreate {
                0
            } else {
                (desired + max_surge - old_total).clamp(0, desired)
            };
            match create_rs(cluster, &dep_obj, &spec, &rs_name, &hash, start, max_rev + 1) {
                Some(rs) => rs,
                None => return,
            }
        }
    };
    if revision(&new_rs) < max_rev {
        // Rolled back to an older template: it becomes the newest revision.
        let _ = cluster.store().update(&Key::of(&new_rs), |o| {
            o.meta_mut()
                .annotations
                .get_or_insert_with(BTreeMap::new)
                .insert(REVISION.into(), (max_rev + 1).to_string());
        });
    }

    // Scale: the new ReplicaSet grows within maxSurge; the old ones shrink as new pods become
    // available, never below desired - maxUnavailable available pods.
    let new_replicas = rs_replicas(&new_rs);
    let (_, _, new_available) = rs_status(&new_rs);
    if olds.iter().all(|r| rs_replicas(r) == 0) {
        if new_replicas != desired {
            scale_rs(cluster, &dep_obj, &new_rs, desired);
        }
    } else if recreate {
        let old_pods_left: i32 = olds.iter().map(|r| rs_status(r).0).sum();
        for r in &olds {
            scale_rs(cluster, &dep_obj, r, 0);
        }
        if old_pods_left == 0 && new_replicas != desired {
            scale_rs(cluster, &dep_obj, &new_rs, desired);
        }
    } else {
        let allowed_total = desired + max_surge.max(if max_unavailable == 0 { 1 } else { 0 });
        let up_to = (allowed_total - old_total).clamp(new_replicas, desired);
        if up_to != new_replicas {
            scale_rs(cluster, &dep_obj, &new_rs, up_to);
        }
        let old_available: i32 = olds.iter().map(|r| rs_status(r).2).sum();
        let min_available = desired - max_unavailable;
        let mut can_remove = (old_available + new_available - min_available).max(0);
        for r in &olds {
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
                scale_rs(cluster, &dep_obj, r, cur - remove);
            }
        }
    }

    // Status.
    let owned = owned_by(cluster, Kind::ReplicaSet, &key.namespace, &uid);
    let (mut replicas, mut ready, mut available) = (0, 0, 0);
    for r in &owned {
        let (a, b, c) = rs_status(r);
        replicas += a;
        ready += b;
        available += c;
    }
    let new_rs = cluster.store().get(&Key::of(&new_rs)).unwrap_or(new_rs);
    let (updated, _, _) = rs_status(&new_rs);
    let new_rev = revision(&new_rs).max(1);
    let generation = dep_obj.meta().generation;
    let now = cluster.clock().now();
    let complete = updated == desired && replicas == desired && available == desired;
    let min_avail = available >= desired - max_unavailable;
    let rs_name = new_rs.name().to_string();
    let _ = cluster.store().update(key, |o| {
        let Object::Deployment(d) = o else { return };
        d.metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(REVISION.into(), new_rev.to_string());
        let st = d.status.get_or_insert_with(DeploymentStatus::default);
        st.observed_generation = generation;
        st.replicas = Some(replicas).filter(|r| *r > 0);
        st.updated_replicas = Some(updated).filter(|r| *r > 0);
        st.ready_replicas = Some(ready).filter(|r| *r > 0);
        st.available_replicas = Some(available).filter(|r| *r > 0);
        st.unavailable_replicas = Some(desired.max(replicas) - available).filter(|r| *r > 0);
        let conds = st.conditions.get_or_insert_with(Vec::new);
        let (avail_status, avail_reason, avail_msg) = if min_avail {
            (
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            )
        } else {
            (
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            )
        };
        set_condition(conds, "Available", avail_status, avail_reason, avail_msg, now);
        let (reason, msg) = if complete {
            (
                "NewReplicaSetAvailable",
                format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
            )
        } else {
            ("ReplicaSetUpdated", format!("ReplicaSet \"{rs_name}\" is progressing."))
        };
        set_condition(conds, "Progressing", "True", reason, &msg, now);
        // kubectl lists Available first, then Progressing.
        conds.sort_by_key(|c| if c.type_ == "Available" { 0 } else { 1 });
    });
}

fn set_condition(
    conds: &mut Vec<DeploymentCondition>,
    ty: &str,
    status: &str,
    reason: &str,
    msg: &str,
    now: chrono::DateTime<chrono::Utc>,
) {
    if let Some(c) = conds.iter_mut().find(|c| c.type_ == ty) {
        if c.status != status {
            c.last_transition_time = Some(Time(now));
        }
        if c.status != status || c.reason.as_deref() != Some(reason) || c.message.as_deref() != Some(msg) {
            c.last_update_time = Some(Time(now));
        }
        c.status = status.into();
        c.reason = Some(reason.into());
        c.message = Some(msg.into());
    } else {
        conds.push(DeploymentCondition {
            type_: ty.into(),
            status: status.into(),
            reason: Some(reason.into()),
            message: Some(msg.into()),
            last_transition_time: Some(Time(now)),
            last_update_time: Some(Time(now)),
        });
    }
}

fn create_rs(
    cluster: &Cluster,
    dep_obj: &Arc<Object>,
    spec: &k8s_openapi::api::apps::v1::DeploymentSpec,
    name: &str,
    hash: &str,
    replicas: i32,
    revision: i64,
) -> Option<Arc<Object>> {
    let mut template = spec.template.clone();
    let tmeta = template.metadata.get_or_insert_with(ObjectMeta::default);
    tmeta
        .labels
        .get_or_insert_with(BTreeMap::new)
        .insert(HASH_LABEL.into(), hash.into());
    let mut selector: LabelSelector = spec.selector.clone();
    selector
        .match_labels
        .get_or_insert_with(BTreeMap::new)
        .insert(HASH_LABEL.into(), hash.into());
    let mut annotations = BTreeMap::new();
    annotations.insert(
        "deployment.kubernetes.io/desired-replicas".to_string(),
        spec.replicas.unwrap_or(1).to_string(),
    );
    annotations.insert(
        "deployment.kubernetes.io/max-replicas".to_string(),
        spec.replicas.unwrap_or(1).to_string(),
    );
    annotations.insert(REVISION.to_string(), revision.to_string());
    let rs = ReplicaSet {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(dep_obj.namespace().to_string()),
            labels: tmeta.labels.clone(),
            annotations: Some(annotations),
            owner_references: Some(vec![owner_ref(dep_obj)]),
            ..Default::default()
        },
        spec: Some(ReplicaSetSpec {
            replicas: Some(0),
            selector,
            template: Some(template),
            min_ready_seconds: spec.min_ready_seconds,
        }),
        status: None,
    };
    let created = cluster.create(Object::ReplicaSet(rs)).ok()?;
    if replicas > 0 {
        scale_rs(cluster, dep_obj, &created, replicas);
    }
    cluster.store().get(&Key::of(&created))
}

fn scale_rs(cluster: &Cluster, dep_obj: &Object, rs: &Object, to: i32) {
    let from = rs_replicas(rs);
    if from == to {
        return;
    }
    let desired = dep_obj
        .as_deployment()
        .and_then(|d| d.spec.as_ref())
        .and_then(|s| s.replicas)
        .unwrap_or(1);
    let res = cluster.store().update(&Key::of(rs), |o| {
        if let Object::ReplicaSet(r) = o {
            if let Some(s) = r.spec.as_mut() {
                s.replicas = Some(to);
            }
            let ann = r.metadata.annotations.get_or_insert_with(BTreeMap::new);
            ann.insert("deployment.kubernetes.io/desired-replicas".into(), desired.to_string());
        }
    });
    if res.is_ok() {
        let (verb, name) = if to > from {
            ("up", rs.name())
        } else {
            ("down", rs.name())
        };
        let msg = format!("Scaled {verb} replica set {name} from {from} to {to}");
        cluster.record_event(dep_obj, "Normal", "ScalingReplicaSet", &msg, "deployment-controller");
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::runtime::manifest::decode_manifests;
    use crate::runtime::{Cluster, ClusterConfig, Kind, Object};

    fn deployment(image: &str, replicas: i32) -> Object {
        let text = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: c\n        image: {image}\n"
        );
        decode_manifests(&text, "t").remove(0).unwrap()
    }

    fn status(c: &Cluster) -> (i32, i32, i32) {
        let d = c.get(Kind::Deployment, "default", "web").unwrap();
        let s = d.as_deployment().unwrap().status.clone().unwrap_or_default();
        (
            s.replicas.unwrap_or(0),
            s.updated_replicas.unwrap_or(0),
            s.available_replicas.unwrap_or(0),
        )
    }

    async fn cluster(block: u8) -> Cluster {
        Cluster::start(ClusterConfig {
            node_block: block,
            ..Default::default()
        })
        .await
        .unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn template_change_rolls_out_a_new_replicaset() {
        let c = cluster(40).await;
        c.apply(deployment("nginx:1.26", 4)).unwrap();
        assert!(c.wait_until(Duration::from_secs(60), |c| status(c) == (4, 4, 4)).await);
        let first_rs: Vec<String> = c
            .list(Kind::ReplicaSet, Some("default"))
            .iter()
            .map(|r| r.name().to_string())
            .collect();

        c.apply(deployment("nginx:1.27", 4)).unwrap();
        let done = c
            .wait_until(Duration::from_secs(120), |c| {
                let rs = c.list(Kind::ReplicaSet, Some("default"));
                let old_empty = rs.iter().filter(|r| first_rs.contains(&r.name().to_string())).all(|r| {
                    r.as_replicaset()
                        .unwrap()
                        .status
                        .as_ref()
                        .is_some_and(|s| s.replicas == 0)
                });
                rs.len() == 2 && old_empty && status(c) == (4, 4, 4)
            })
            .await;
        assert!(done, "the new ReplicaSet took over: {:?}", status(&c));
        let d = c.get(Kind::Deployment, "default", "web").unwrap();
        assert_eq!(
            d.meta().annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"],
            "2"
        );
        // Every pod left runs the new image.
        let images: Vec<String> = c
            .list(Kind::Pod, Some("default"))
            .iter()
            .filter(|p| p.meta().deletion_timestamp.is_none())
            .map(|p| {
                p.as_pod().unwrap().spec.as_ref().unwrap().containers[0]
                    .image
                    .clone()
                    .unwrap()
            })
            .collect();
        assert_eq!(images, vec!["nginx:1.27"; 4]);
        c.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn scaling_down_deletes_pods_and_events_say_so() {
        let c = cluster(41).await;
        c.apply(deployment("nginx", 3)).unwrap();
        assert!(c.wait_until(Duration::from_secs(60), |c| status(c) == (3, 3, 3)).await);
        c.apply(deployment("nginx", 1)).unwrap();
        let scaled = c
            .wait_until(Duration::from_secs(60), |c| {
                status(c) == (1, 1, 1) && c.list(Kind::Pod, Some("default")).len() == 1
            })
            .await;
        assert!(scaled);
        let messages: Vec<String> = c
            .list(Kind::Event, Some("default"))
            .iter()
            .filter_map(|e| e.as_event()?.message.clone())
            .filter(|m| m.starts_with("Scaled"))
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("Scaled up replica set web-") && m.ends_with("from 0 to 3")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("Scaled down replica set web-") && m.ends_with("from 3 to 1")),
            "{messages:?}"
        );
        c.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn termination_takes_as_long_as_the_program_needs() {
        let c = cluster(43).await;
        c.apply(deployment("nginx", 1)).unwrap();
        let mut shell = deployment("busybox", 1);
        shell.meta_mut().name = Some("sleeper".into());
        if let Object::Deployment(d) = &mut shell {
            let spec = d.spec.as_mut().unwrap();
            spec.selector.match_labels = Some([("app".to_string(), "sleeper".to_string())].into());
            spec.template.metadata.as_mut().unwrap().labels = Some([("app".to_string(), "sleeper".to_string())].into());
            spec.template.spec.as_mut().unwrap().termination_grace_period_seconds = Some(10);
        }
        c.apply(shell).unwrap();
        let running = |c: &Cluster, prefix: &str| {
            c.list(Kind::Pod, Some("default")).into_iter().find(|p| {
                p.name().starts_with(prefix)
                    && p.as_pod().unwrap().status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
            })
        };
        assert!(
            c.wait_until(Duration::from_secs(60), |c| running(c, "web-").is_some()
                && running(c, "sleeper-").is_some())
                .await
        );
        let web = running(&c, "web-").unwrap().name().to_string();
        let sleeper = running(&c, "sleeper-").unwrap().name().to_string();
        let t0 = tokio::time::Instant::now();
        c.delete(Kind::Pod, "default", &web).unwrap();
        c.delete(Kind::Pod, "default", &sleeper).unwrap();
        assert!(
            c.wait_until(Duration::from_secs(60), |c| c.get(Kind::Pod, "default", &web).is_none())
                .await
        );
        assert!(t0.elapsed() < Duration::from_secs(2), "nginx exits on SIGTERM");
        assert!(
            c.get(Kind::Pod, "default", &sleeper).is_some(),
            "a shell loop ignores SIGTERM"
        );
        assert!(
            c.wait_until(Duration::from_secs(60), |c| c
                .get(Kind::Pod, "default", &sleeper)
                .is_none())
                .await
        );
        let took = t0.elapsed();
        assert!(
            took >= Duration::from_secs(10) && took < Duration::from_secs(11),
            "killed after the 10 s grace period: {took:?}"
        );
        c.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn endpoints_follow_readiness_and_selectors() {
        let c = cluster(42).await;
        c.apply(deployment("nginx", 2)).unwrap();
        let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";
        c.apply(decode_manifests(svc, "t").remove(0).unwrap()).unwrap();
        let ready = |c: &Cluster| -> (usize, usize) {
            let e = c.get(Kind::Endpoints, "default", "web");
            let subsets = e.and_then(|e| e.as_endpoints()?.subsets.clone()).unwrap_or_default();
            let r = subsets.iter().map(|s| s.addresses.as_ref().map_or(0, Vec::len)).sum();
            let n = subsets
                .iter()
                .map(|s| s.not_ready_addresses.as_ref().map_or(0, Vec::len))
                .sum();
            (r, n)
        };
        assert!(c.wait_until(Duration::from_secs(60), |c| ready(c) == (2, 0)).await);
        // A pod whose label changes leaves the Service's endpoints.
        let pod = c.list(Kind::Pod, Some("default")).into_iter().next().unwrap();
        c.store()
            .update(&crate::runtime::Key::of(&pod), |o| {
                o.meta_mut()
                    .labels
                    .as_mut()
                    .unwrap()
                    .insert("app".into(), "elsewhere".into());
            })
            .unwrap();
        assert!(
            c.wait_until(Duration::from_secs(10), |c| ready(c).0 == 1).await,
            "relabelled pod removed"
        );
        assert!(
            c.wait_until(Duration::from_secs(60), |c| ready(c) == (2, 0)).await,
            "the ReplicaSet replaced it"
        );
        // A selector that matches nothing leaves an Endpoints object without addresses.
        let bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: helo}\n  ports:\n  - port: 80\n";
        c.apply(decode_manifests(bad, "t").remove(0).unwrap()).unwrap();
        assert!(c.wait_until(Duration::from_secs(10), |c| ready(c) == (0, 0)).await);
        c.shutdown();
    }
}
