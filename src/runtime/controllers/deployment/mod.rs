//! The Deployment controller: one ReplicaSet per pod template (named `<deployment>-<hash>`),
//! scaled to the desired count; on a template change a new ReplicaSet takes over while the old
//! ones are scaled down as new pods become available; status and conditions as kubectl shows.
//!
//! A paused Deployment (`kubectl rollout pause`) starts no rollout: a changed template gets no
//! ReplicaSet until it is resumed, but scaling still works ([`scale::scale_paused`]). Revision
//! numbers and history cleanup live in [`revisions`], the sizes of ReplicaSets in [`scale`].

pub mod revisions;
pub mod scale;

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{DeploymentCondition, DeploymentSpec, DeploymentStatus, ReplicaSet, ReplicaSetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};

use self::revisions::{revision, DESIRED_REPLICAS, MAX_REPLICAS, REVISION};
use self::scale::{max_surge, rs_replicas, rs_status, scale_rs, scaled};
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

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(dep_obj) = cluster.store().get(key) else {
        return;
    };
    let Some(dep) = dep_obj.as_deployment() else { return };
    if dep_obj.meta().deletion_timestamp.is_some() {
        return;
    }
    let spec = dep.spec.clone().unwrap_or_default();
    let uid = dep.metadata.uid.clone().unwrap_or_default();
    let owned = owned_by(cluster, Kind::ReplicaSet, &key.namespace, &uid);

    // The template without the hash label is what the hash is computed over.
    let template_json = serde_json::to_value(&spec.template).unwrap_or_default();
    let hash = template_hash(
        &template_json,
        dep.status.as_ref().and_then(|s| s.collision_count).unwrap_or(0),
    );
    let (current, olds): (Vec<Arc<Object>>, Vec<Arc<Object>>) = owned
        .into_iter()
        .partition(|r| r.labels().get(HASH_LABEL) == Some(&hash));
    let next_revision = olds.iter().map(|r| revision(r)).max().unwrap_or(0) + 1;
    let paused = spec.paused == Some(true);

    let new_rs = match current.into_iter().next() {
        Some(rs) => Some(mark_current(cluster, &dep_obj, rs, next_revision)),
        // Paused: the new template waits for `kubectl rollout resume`.
        None if paused => None,
        None => {
            let start = first_size(&spec, &olds);
            let name = format!("{}-{}", key.name, hash);
            match create_rs(cluster, &dep_obj, &spec, &name, &hash, start, next_revision) {
                Some(rs) => Some(rs),
                None => return,
            }
        }
    };
    if paused {
        scale::scale_paused(cluster, &dep_obj, new_rs.as_ref(), &olds);
    } else if let Some(rs) = &new_rs {
        scale::roll(cluster, &dep_obj, &spec, rs, &olds);
    }
    let complete = update_status(cluster, key, &dep_obj, new_rs);
    if paused || complete {
        revisions::clean_up(cluster, spec.revision_history_limit, &olds);
    }
}

/// How big a brand-new ReplicaSet starts: all of `replicas` for a first rollout, nothing for
/// Recreate (the old pods go first), else what maxSurge leaves room for.
fn first_size(spec: &DeploymentSpec, olds: &[Arc<Object>]) -> i32 {
    let desired = spec.replicas.unwrap_or(1);
    let recreate = spec.strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("Recreate");
    let old_total: i32 = olds.iter().map(|r| rs_replicas(r)).sum();
    if olds.is_empty() {
        desired
    } else if recreate {
        0
    } else {
        (desired + max_surge(spec) - old_total).clamp(0, desired)
    }
}

/// Sync the annotations of the ReplicaSet that has the current template (it may be an old one
/// the template went back to: then it becomes the newest revision).
fn mark_current(cluster: &Cluster, dep_obj: &Object, rs: Arc<Object>, next_revision: i64) -> Arc<Object> {
    let dep_ann = dep_obj.meta().annotations.clone().unwrap_or_default();
    let mut ann = rs.meta().annotations.clone().unwrap_or_default();
    if !revisions::mark_current(&dep_ann, &mut ann, next_revision) {
        return rs;
    }
    cluster
        .store()
        .update(&Key::of(&rs), |o| o.meta_mut().annotations = Some(ann))
        .unwrap_or(rs)
}

/// Write the Deployment's status from its ReplicaSets; returns whether the rollout is complete.
fn update_status(cluster: &Cluster, key: &Key, dep_obj: &Object, new_rs: Option<Arc<Object>>) -> bool {
    let spec = dep_obj.as_deployment().and_then(|d| d.spec.clone()).unwrap_or_default();
    let desired = spec.replicas.unwrap_or(1);
    let ru = spec
        .strategy
        .as_ref()
        .and_then(|s| s.rolling_update.clone())
        .unwrap_or_default();
    let max_unavailable = scaled(ru.max_unavailable.as_ref(), desired, false);
    let uid = dep_obj.meta().uid.clone().unwrap_or_default();
    let owned = owned_by(cluster, Kind::ReplicaSet, &key.namespace, &uid);
    let (mut replicas, mut ready, mut available) = (0, 0, 0);
    for r in &owned {
        let (a, b, c) = rs_status(r);
        replicas += a;
        ready += b;
        available += c;
    }
    let new_rs = new_rs.map(|rs| cluster.store().get(&Key::of(&rs)).unwrap_or(rs));
    let updated = new_rs.as_ref().map_or(0, |rs| rs_status(rs).0);
    let new_rev = new_rs.as_ref().map(|rs| revision(rs).max(1));
    let generation = dep_obj.meta().generation;
    let now = cluster.clock().now();
    let complete = updated == desired && replicas == desired && available == desired;
    let min_avail = available >= desired - max_unavailable;
    let progressing = progressing(&spec, new_rs.as_deref(), complete);
    let _ = cluster.store().update(key, |o| {
        let Object::Deployment(d) = o else { return };
        if let Some(rev) = new_rev {
            d.metadata
                .annotations
                .get_or_insert_with(BTreeMap::new)
                .insert(REVISION.into(), rev.to_string());
        }
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
        if let Some((status, reason, msg)) = &progressing {
            set_condition(conds, "Progressing", status, reason, msg, now);
        }
        // kubectl lists Available first, then Progressing.
        conds.sort_by_key(|c| if c.type_ == "Available" { 0 } else { 1 });
    });
    complete
}

/// The Progressing condition: `Unknown`/`DeploymentPaused` while paused (only when a progress
/// deadline is set, as upstream), else whether the new ReplicaSet is still progressing.
fn progressing(
    spec: &DeploymentSpec,
    new_rs: Option<&Object>,
    complete: bool,
) -> Option<(&'static str, &'static str, String)> {
    if spec.paused == Some(true) {
        let deadline = spec.progress_deadline_seconds.is_some_and(|s| s != i32::MAX);
        return deadline.then(|| ("Unknown", "DeploymentPaused", "Deployment is paused".to_string()));
    }
    let rs_name = new_rs?.name().to_string();
    Some(if complete {
        (
            "True",
            "NewReplicaSetAvailable",
            format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
        )
    } else {
        (
            "True",
            "ReplicaSetUpdated",
            format!("ReplicaSet \"{rs_name}\" is progressing."),
        )
    })
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
    spec: &DeploymentSpec,
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
    revisions::mark_current(
        &dep_obj.meta().annotations.clone().unwrap_or_default(),
        &mut annotations,
        revision,
    );
    let desired = spec.replicas.unwrap_or(1);
    annotations.insert(DESIRED_REPLICAS.to_string(), desired.to_string());
    annotations.insert(MAX_REPLICAS.to_string(), (desired + max_surge(spec)).to_string());
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

    fn replica_sets(c: &Cluster) -> Vec<(String, std::collections::BTreeMap<String, String>)> {
        let mut v: Vec<_> = c
            .list(Kind::ReplicaSet, Some("default"))
            .iter()
            .map(|r| {
                let image = r
                    .as_replicaset()
                    .unwrap()
                    .spec
                    .clone()
                    .unwrap()
                    .template
                    .unwrap()
                    .spec
                    .unwrap()
                    .containers[0]
                    .image
                    .clone()
                    .unwrap();
                (image, r.meta().annotations.clone().unwrap_or_default())
            })
            .collect();
        v.sort();
        v
    }

    async fn roll_to(c: &Cluster, dep: Object, replicas: i32) {
        c.apply(dep).unwrap();
        let done = c
            .wait_until(Duration::from_secs(120), |c| {
                let d = c.get(Kind::Deployment, "default", "web").unwrap();
                let observed = d
                    .as_deployment()
                    .unwrap()
                    .status
                    .as_ref()
                    .and_then(|s| s.observed_generation);
                observed == d.meta().generation && status(c) == (replicas, replicas, replicas)
            })
            .await;
        assert!(done, "{:?}", status(c));
    }

    #[tokio::test(start_paused = true)]
    async fn revisions_change_causes_and_the_history_limit() {
        let c = cluster(47).await;
        let with_limit = |image: &str| {
            let mut d = deployment(image, 2);
            if let Object::Deployment(dep) = &mut d {
                dep.spec.as_mut().unwrap().revision_history_limit = Some(1);
                dep.metadata.annotations =
                    Some([("kubernetes.io/change-cause".to_string(), format!("to {image}"))].into());
            }
            d
        };
        roll_to(&c, with_limit("nginx:1.25"), 2).await;
        roll_to(&c, with_limit("nginx:1.26"), 2).await;
        let rss = replica_sets(&c);
        assert_eq!(rss.len(), 2);
        assert_eq!(rss[1].1["kubernetes.io/change-cause"], "to nginx:1.26");
        assert_eq!(rss[1].1["deployment.kubernetes.io/revision"], "2");
        assert_eq!(
            rss[1].1["deployment.kubernetes.io/max-replicas"], "3",
            "replicas + maxSurge"
        );
        assert!(!rss[1]
            .1
            .contains_key("kubectl.kubernetes.io/last-applied-configuration"));

        // Back to the first template: its ReplicaSet is renumbered, remembering revision 1.
        roll_to(&c, with_limit("nginx:1.25"), 2).await;
        let rss = replica_sets(&c);
        assert_eq!(rss[0].1["deployment.kubernetes.io/revision"], "3");
        assert_eq!(rss[0].1["deployment.kubernetes.io/revision-history"], "1");

        // A third template: with revisionHistoryLimit 1 the oldest drained one goes.
        roll_to(&c, with_limit("nginx:1.27"), 2).await;
        let gone = c
            .wait_until(Duration::from_secs(30), |c| replica_sets(c).len() == 2)
            .await;
        let images: Vec<String> = replica_sets(&c).into_iter().map(|(i, _)| i).collect();
        assert!(gone, "{images:?}");
        assert_eq!(
            images,
            ["nginx:1.25", "nginx:1.27"],
            "revision 2 (nginx:1.26) was the oldest"
        );
        c.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn a_paused_deployment_keeps_its_replicaset_and_says_so() {
        let c = cluster(48).await;
        roll_to(&c, deployment("nginx:1.25", 2), 2).await;
        let paused = |image: &str, replicas: i32| {
            let mut d = deployment(image, replicas);
            if let Object::Deployment(dep) = &mut d {
                dep.spec.as_mut().unwrap().paused = Some(true);
            }
            d
        };
        c.apply(paused("nginx:1.26", 4)).unwrap();
        let progressing = |c: &Cluster| {
            let d = c.get(Kind::Deployment, "default", "web").unwrap();
            let st = d.as_deployment().unwrap().status.clone().unwrap();
            let p = st
                .conditions
                .unwrap()
                .into_iter()
                .find(|c| c.type_ == "Progressing")
                .unwrap();
            (p.status, p.reason.unwrap(), p.message.unwrap())
        };
        assert!(
            c.wait_until(Duration::from_secs(60), |c| status(c) == (4, 0, 4)).await,
            "{:?}",
            status(&c)
        );
        assert_eq!(
            progressing(&c),
            (
                "Unknown".into(),
                "DeploymentPaused".into(),
                "Deployment is paused".into()
            )
        );
        assert_eq!(replica_sets(&c).len(), 1, "no rollout while paused");

        let mut resumed = deployment("nginx:1.26", 4);
        resumed.meta_mut().annotations = None;
        roll_to(&c, resumed, 4).await;
        assert_eq!(replica_sets(&c).len(), 2);
        assert_eq!(progressing(&c).1, "NewReplicaSetAvailable");
        c.shutdown();
    }
}
