//! Namespaces: the namespace controller and the root-CA publisher of kube-controller-manager.
//!
//! A namespace being deleted is `Terminating`: its contents are deleted (pods gracefully, so
//! the namespace lingers while they stop), its status conditions say what remains in the API
//! server's words, and once it is empty the namespace goes. Every live namespace has the
//! `kube-root-ca.crt` ConfigMap, put back if someone deletes it.

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::NamespaceCondition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::{all_keys, Controller};
use crate::runtime::api::delete::is_terminating;
use crate::runtime::kinds::{Kind, KINDS};
use crate::runtime::object::Object;
use crate::runtime::seed::{root_ca_configmap, ROOT_CA_CONFIGMAP};
use crate::runtime::store::{EventType, Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "namespace",
    keys_for,
    reconcile,
    resync,
};

fn keys_for(cluster: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    let obj = &ev.object;
    if obj.kind() == Kind::Namespace {
        return vec![Key::of(obj)];
    }
    if !obj.kind().namespaced() {
        return vec![];
    }
    let ns_key = Key::new(Kind::Namespace, "", obj.namespace());
    let root_ca_gone =
        ev.event == EventType::Deleted && obj.kind() == Kind::ConfigMap && obj.name() == ROOT_CA_CONFIGMAP;
    let terminating = cluster.store().get(&ns_key).is_some_and(|n| is_terminating(&n));
    if root_ca_gone || terminating {
        vec![ns_key]
    } else {
        vec![]
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    all_keys(cluster, Kind::Namespace)
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(ns) = cluster.store().get(key) else { return };
    if is_terminating(&ns) {
        empty_namespace(cluster, key);
    } else if cluster.get(Kind::ConfigMap, &key.name, ROOT_CA_CONFIGMAP).is_none() {
        let _ = cluster.create(root_ca_configmap(&key.name));
    }
}

/// Delete what is left in a terminating namespace; remove the namespace once nothing is.
fn empty_namespace(cluster: &Cluster, key: &Key) {
    let mut remaining: Vec<String> = Vec::new();
    for info in KINDS.iter().filter(|k| k.namespaced) {
        let objs = cluster.list(info.kind, Some(&key.name));
        if objs.is_empty() {
            continue;
        }
        for o in objs.iter().filter(|o| o.meta().deletion_timestamp.is_none()) {
            let _ = cluster.delete(info.kind, &key.name, o.name());
        }
        let left = objs
            .iter()
            .filter(|o| cluster.store().get(&Key::of(o)).is_some())
            .count();
        if left > 0 {
            // `pods.` and `replicasets.apps`: the group resource as the namespace controller
            // prints it.
            remaining.push(format!("{}.{} has {left} resource instances", info.plural, info.group));
        }
    }
    if remaining.is_empty() {
        let _ = cluster.store().remove(key);
        return;
    }
    remaining.sort();
    let now = cluster.clock().now();
    let conditions = deletion_conditions(&remaining.join(", "), now);
    let _ = cluster.store().update(key, |o| {
        if let Object::Namespace(n) = o {
            let status = n.status.get_or_insert_with(Default::default);
            status.phase = Some("Terminating".into());
            let old = status.conditions.take().unwrap_or_default();
            status.conditions = Some(keep_transition_times(conditions, &old));
        }
    });
}

/// The status conditions of a namespace whose contents are still going.
fn deletion_conditions(remaining: &str, now: DateTime<Utc>) -> Vec<NamespaceCondition> {
    let c = |type_: &str, status: &str, reason: &str, message: String| NamespaceCondition {
        type_: type_.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message),
        last_transition_time: Some(Time(now)),
    };
    vec![
        c(
            "NamespaceDeletionDiscoveryFailure",
            "False",
            "ResourcesDiscovered",
            "All resources successfully discovered".into(),
        ),
        c(
            "NamespaceDeletionGroupVersionParsingFailure",
            "False",
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed".into(),
        ),
        c(
            "NamespaceDeletionContentFailure",
            "False",
            "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization".into(),
        ),
        c(
            "NamespaceContentRemaining",
            "True",
            "SomeResourcesRemain",
            format!("Some resources are remaining: {remaining}"),
        ),
        c(
            "NamespaceFinalizersRemaining",
            "False",
            "ContentHasNoFinalizers",
            "All content-preserving finalizers finished".into(),
        ),
    ]
}

/// A condition keeps its transition time while its status stays the same.
fn keep_transition_times(mut new: Vec<NamespaceCondition>, old: &[NamespaceCondition]) -> Vec<NamespaceCondition> {
    for c in &mut new {
        if let Some(prev) = old.iter().find(|p| p.type_ == c.type_ && p.status == c.status) {
            c.last_transition_time = prev.last_transition_time.clone();
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::runtime::error::ApiError;
    use crate::runtime::manifest::decode_manifests;
    use crate::runtime::{ClusterConfig, Kind};

    async fn cluster() -> Cluster {
        Cluster::start(ClusterConfig {
            node_block: 47,
            ..Default::default()
        })
        .await
        .unwrap()
    }

    fn apply(c: &Cluster, yaml: &str) {
        for o in decode_manifests(yaml, "test.yaml") {
            c.apply(o.unwrap()).unwrap();
        }
    }

    const NS_WITH_APP: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";

    #[tokio::test(start_paused = true)]
    async fn a_new_namespace_gets_the_root_ca_and_keeps_it() {
        let c = cluster().await;
        apply(&c, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n");
        assert!(
            c.wait_until(Duration::from_secs(5), |c| c
                .get(Kind::ConfigMap, "team", ROOT_CA_CONFIGMAP)
                .is_some())
                .await
        );
        c.delete(Kind::ConfigMap, "team", ROOT_CA_CONFIGMAP).unwrap();
        assert!(
            c.wait_until(Duration::from_secs(5), |c| c
                .get(Kind::ConfigMap, "team", ROOT_CA_CONFIGMAP)
                .is_some())
                .await
        );
    }

    #[tokio::test(start_paused = true)]
    async fn deleting_a_namespace_terminates_then_removes_everything_in_it() {
        let c = cluster().await;
        apply(&c, NS_WITH_APP);
        assert!(
            c.wait_until(Duration::from_secs(60), |c| c.list(Kind::Pod, Some("shop")).len() == 2
                && c.list(Kind::Pod, Some("shop")).iter().all(|p| p
                    .as_pod()
                    .unwrap()
                    .status
                    .as_ref()
                    .and_then(|s| s.pod_ip.clone())
                    .is_some()))
                .await
        );

        c.delete(Kind::Namespace, "", "shop").unwrap();
        let ns = c
            .get(Kind::Namespace, "", "shop")
            .expect("still there while it empties");
        assert!(is_terminating(&ns));
        // New content is refused, in the admission plugin's words.
        let err = c
            .create(
                decode_manifests(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  namespace: shop\n",
                    "late.yaml",
                )
                .remove(0)
                .unwrap(),
            )
            .unwrap_err();
        assert_eq!(
            err,
            ApiError::Forbidden {
                kind: Kind::ConfigMap,
                name: "late".into(),
                message: "unable to create new content in namespace shop because it is being terminated".into()
            }
        );
        // While the pods stop, the conditions say what remains.
        assert!(
            c.wait_until(Duration::from_secs(5), |c| {
                c.get(Kind::Namespace, "", "shop").is_some_and(|n| {
                    let Object::Namespace(n) = n.as_ref() else { return false };
                    n.status.as_ref().and_then(|s| s.conditions.as_ref()).is_some_and(|cs| {
                        cs.iter().any(|c| {
                            c.type_ == "NamespaceContentRemaining"
                                && c.message.as_deref().is_some_and(|m| {
                                    m.starts_with("Some resources are remaining: pods. has 2 resource instances")
                                })
                        })
                    })
                })
            })
            .await
        );
        assert!(
            c.wait_until(Duration::from_secs(60), |c| c
                .get(Kind::Namespace, "", "shop")
                .is_none())
                .await
        );
        for info in KINDS.iter().filter(|k| k.namespaced) {
            assert!(
                c.list(info.kind, Some("shop")).is_empty(),
                "{} left behind",
                info.plural
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_immortal_namespaces_cannot_be_deleted() {
        let c = cluster().await;
        for ns in ["default", "kube-system", "kube-public"] {
            let err = c.delete(Kind::Namespace, "", ns).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("namespaces \"{ns}\" is forbidden: this namespace may not be deleted")
            );
        }
        assert!(c.delete(Kind::Namespace, "", "kube-node-lease").is_ok());
    }
}
