//! A pod's Secret and ConfigMap volumes: the files each container sees, and the kubelet's
//! `FailedMount` retry while a volume's object is missing.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Container, Pod};

use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// Every container's files, in the containers' order. A missing Secret or ConfigMap keeps the
/// pod in ContainerCreating: a `FailedMount` event, and another try 2 s (lab time) later.
pub(super) async fn mount_all(
    cluster: &Cluster,
    key: &Key,
    obj: &Object,
    pod: &Pod,
    containers: &[Container],
) -> Vec<Arc<BTreeMap<String, Vec<u8>>>> {
    let mut mounted = Vec::new();
    for c in containers {
        loop {
            match mount_files(cluster, &key.namespace, pod, c) {
                Ok(files) => {
                    mounted.push(Arc::new(files));
                    break;
                }
                Err(msg) => {
                    cluster.record_event(obj, "Warning", "FailedMount", &msg, "kubelet");
                    cluster.clock().sleep(Duration::from_secs(2)).await;
                }
            }
        }
    }
    mounted
}

/// The files a container sees from its Secret and ConfigMap volumes, by absolute path.
/// `Err` is the kubelet's FailedMount message.
pub fn mount_files(
    cluster: &Cluster,
    namespace: &str,
    pod: &Pod,
    container: &k8s_openapi::api::core::v1::Container,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let volumes = pod.spec.as_ref().and_then(|s| s.volumes.clone()).unwrap_or_default();
    let mut files = BTreeMap::new();
    for m in container.volume_mounts.iter().flatten() {
        let Some(v) = volumes.iter().find(|v| v.name == m.name) else {
            continue;
        };
        let (data, items, optional): (BTreeMap<String, Vec<u8>>, _, bool) = if let Some(sec) = &v.secret {
            let name = sec.secret_name.clone().unwrap_or_default();
            match cluster.get(Kind::Secret, namespace, &name) {
                Some(o) => {
                    let Object::Secret(s) = o.as_ref() else { continue };
                    let mut d: BTreeMap<String, Vec<u8>> = s
                        .data
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, v.0))
                        .collect();
                    for (k, v) in s.string_data.clone().unwrap_or_default() {
                        d.insert(k, v.into_bytes());
                    }
                    (d, sec.items.clone(), sec.optional.unwrap_or(false))
                }
                None if sec.optional == Some(true) => continue,
                None => {
                    return Err(format!(
                        "MountVolume.SetUp failed for volume \"{}\" : secret \"{name}\" not found",
                        v.name
                    ))
                }
            }
        } else if let Some(cm) = &v.config_map {
            let name = cm.name.clone();
            match cluster.get(Kind::ConfigMap, namespace, &name) {
                Some(o) => {
                    let Object::ConfigMap(c) = o.as_ref() else { continue };
                    let mut d: BTreeMap<String, Vec<u8>> = c
                        .data
                        .clone()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, v.into_bytes()))
                        .collect();
                    for (k, v) in c.binary_data.clone().unwrap_or_default() {
                        d.insert(k, v.0);
                    }
                    (d, cm.items.clone(), cm.optional.unwrap_or(false))
                }
                None if cm.optional == Some(true) => continue,
                None => {
                    return Err(format!(
                        "MountVolume.SetUp failed for volume \"{}\" : configmap \"{name}\" not found",
                        v.name
                    ))
                }
            }
        } else {
            continue;
        };
        let _ = optional;
        let base = m.mount_path.trim_end_matches('/').to_string();
        let entries: Vec<(String, Vec<u8>)> = match items {
            Some(items) => items
                .iter()
                .filter_map(|i| data.get(&i.key).map(|d| (i.path.clone(), d.clone())))
                .collect(),
            None => data.into_iter().collect(),
        };
        match m.sub_path.as_deref().filter(|p| !p.is_empty()) {
            Some(sub) => {
                if let Some((_, d)) = entries.into_iter().find(|(p, _)| p == sub) {
                    files.insert(base, d);
                }
            }
            None => {
                for (p, d) in entries {
                    files.insert(format!("{base}/{p}"), d);
                }
            }
        }
    }
    Ok(files)
}
