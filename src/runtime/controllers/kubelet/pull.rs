//! Pulling a pod's images: the `Pulling`/`Pulled` events (or "already present on machine"),
//! the images each node has pulled, and for an image the catalog does not have, the kubelet's
//! `ErrImagePull` → `ImagePullBackOff` loop, which starts the pod afresh once the image is
//! corrected.

use std::time::Duration;

use k8s_openapi::api::core::v1::Container;

use super::reconcile;
use super::start::{announced, Restart};
use super::status::set_waiting;
use crate::runtime::images::{self, Factory};
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// Pull every container's image: half of `container_start` of lab time, the pulls, the other
/// half. Each container comes back with its image and program. `None` when the pod goes no
/// further: an image is unknown (after its back-off loop ends, if it does).
pub(super) async fn pull_all(
    cluster: &Cluster,
    key: &Key,
    obj: &Object,
    node: &str,
    containers: &[Container],
    restart: Option<&Restart>,
) -> Option<Vec<(Container, String, Factory)>> {
    let container_start = cluster.config().container_start;
    cluster.clock().sleep(container_start / 2).await;
    let mut programs = Vec::new();
    for c in containers {
        let image = c.image.clone().unwrap_or_default();
        // On a restart only the changed containers are pulled, created and started again.
        if !announced(restart, &c.name) {
            let p = images::lookup(&image)?;
            programs.push((c.clone(), image, p));
            continue;
        }
        match images::lookup(&image) {
            Some(p) => {
                pull(cluster, obj, node, c, &image);
                programs.push((c.clone(), image, p));
            }
            None => {
                // Boxed: the back-off loop is rare and would otherwise size every pod start.
                let (cl, key, obj) = (cluster.clone(), key.clone(), obj.clone());
                Box::pin(image_pull_backoff(cl, key, obj, c.name.clone(), image)).await;
                return None;
            }
        }
    }
    cluster.clock().sleep(container_start / 2).await;
    Some(programs)
}

/// Pull one image the catalog has (or find it present on the node): the kubelet's events.
fn pull(cluster: &Cluster, obj: &Object, node: &str, c: &Container, image: &str) {
    let pulled_key = (node.to_string(), image.to_string());
    let present = super::state(cluster).pulled.lock().unwrap().contains(&pulled_key);
    let policy = c.image_pull_policy.as_deref().unwrap_or("IfNotPresent");
    if present && policy != "Always" {
        let msg = format!("Container image \"{image}\" already present on machine");
        cluster.record_event(obj, "Normal", "Pulled", &msg, "kubelet");
    } else {
        cluster.record_event(
            obj,
            "Normal",
            "Pulling",
            &format!("Pulling image \"{image}\""),
            "kubelet",
        );
        let secs = 0.5 + (crate::runtime::names::fnv32a(image.as_bytes()) % 2000) as f64 / 1000.0;
        let size = 10_000_000 + crate::runtime::names::fnv32a(image.as_bytes()) % 90_000_000;
        let msg = format!("Successfully pulled image \"{image}\" in {secs:.3}s ({secs:.3}s including waiting). Image size: {size} bytes.");
        cluster.record_event(obj, "Normal", "Pulled", &msg, "kubelet");
        super::state(cluster).pulled.lock().unwrap().insert(pulled_key);
    }
}

/// An image the catalog does not have: `ErrImagePull`, then `ImagePullBackOff` with the kubelet's
/// doubling back-off, until the pod's image is changed (then the pod is started afresh).
async fn image_pull_backoff(cluster: Cluster, key: Key, obj: Object, container: String, image: String) {
    let (repo, tag) = images::parse_image(&image);
    let full = if repo.contains('/') {
        format!("{repo}:{tag}")
    } else {
        format!("docker.io/library/{repo}:{tag}")
    };
    let detail = format!(
        "failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
    );
    let mut backoff = Duration::from_secs(10);
    loop {
        cluster.record_event(
            &obj,
            "Normal",
            "Pulling",
            &format!("Pulling image \"{image}\""),
            "kubelet",
        );
        cluster.record_event(
            &obj,
            "Warning",
            "Failed",
            &format!("Failed to pull image \"{image}\": {detail}"),
            "kubelet",
        );
        cluster.record_event(&obj, "Warning", "Failed", "Error: ErrImagePull", "kubelet");
        set_waiting(
            &cluster,
            &key,
            &container,
            "ErrImagePull",
            Some(format!("rpc error: code = Unknown desc = {detail}")),
        );
        cluster.clock().sleep(Duration::from_secs(2)).await;
        cluster.record_event(
            &obj,
            "Normal",
            "BackOff",
            &format!("Back-off pulling image \"{image}\""),
            "kubelet",
        );
        cluster.record_event(&obj, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet");
        set_waiting(
            &cluster,
            &key,
            &container,
            "ImagePullBackOff",
            Some(format!("Back-off pulling image \"{image}\"")),
        );
        // A corrected image (`kubectl set image`, `edit`) is tried at once, not after the back-off.
        let step = Duration::from_secs(1);
        let mut waited = Duration::ZERO;
        while waited < backoff {
            cluster.clock().sleep(step).await;
            waited += step;
            let now = cluster.store().get(&key);
            let current = now.as_ref().and_then(|o| {
                o.as_pod()?
                    .spec
                    .as_ref()?
                    .containers
                    .iter()
                    .find(|c| c.name == container)?
                    .image
                    .clone()
            });
            if now.is_some() && current.as_deref() != Some(image.as_str()) {
                let slot_key = (key.namespace.clone(), key.name.clone());
                let uid = obj.meta().uid.clone().unwrap_or_default();
                {
                    let mut slots = super::state(&cluster).slots.lock().unwrap();
                    if slots.get(&slot_key).is_some_and(|s| s.uid() == uid) {
                        slots.remove(&slot_key);
                    }
                }
                reconcile(&cluster, &key);
                return;
            }
        }
        backoff = (backoff * 2).min(Duration::from_secs(300));
    }
}
