//! Durability: the cluster's objects are saved with the learner's workspace and come back on the
//! next start, as a real cluster comes back after `minikube stop` / `minikube start`.
//!
//! What is saved is what an etcd backup holds: every API object, exactly as stored (uid,
//! resourceVersion, generation, timestamps, allocated ClusterIPs and node ports, load-balancer
//! addresses in `status`). What is not saved is what lives in processes: running containers,
//! their logs, open connections. On restore the store is filled first, then the controllers
//! start and resync everything, as kube-controller-manager does after a restart; the kubelet
//! treats the pods it finds as a node reboot does ([`crate::runtime::controllers::kubelet`]):
//! the sandbox is re-created and each container starts again with its restart count raised.
//!
//! Saving is cheap and event-driven: a task waits on the store's watch stream and, a moment
//! after a burst of writes begins, writes one snapshot atomically (temp file, fsync, rename), so
//! a `kill -9` at any moment loses at most the last fraction of a second. Idle means no writes.
//! The snapshot carries a `cluster_id` that lives from a cluster's first start to its reset;
//! lesson progress records it, so progress and cluster can never disagree silently.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::kinds::KINDS;
use super::{Cluster, Object};

/// The snapshot file's format; a file of another format is set aside, not misread.
pub const FORMAT: u32 = 1;

/// How long the saver waits after the first write of a burst before it saves: one `kubectl
/// apply` and the controllers' reactions to it land in one snapshot.
pub const SAVE_DELAY: Duration = Duration::from_millis(100);

/// Everything needed to bring a cluster back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    /// One cluster's identity from its first start to its reset.
    pub cluster_id: String,
    pub saved_at: DateTime<Utc>,
    /// Each object as the API server would return it (`apiVersion` and `kind` included).
    pub objects: Vec<serde_json::Value>,
    /// The learner's latest requests, so a traffic check of a step half done before a restart
    /// still counts them (absent in snapshots from before it was kept).
    #[serde(default)]
    pub traffic: Vec<super::net::traffic_log::SavedTraffic>,
}

/// Why a snapshot could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("object {index} of the snapshot has no kind the lab knows ({kind:?})")]
    UnknownKind { index: usize, kind: String },
    #[error("object {index} of the snapshot ({kind}) does not decode: {source}")]
    Decode {
        index: usize,
        kind: String,
        source: serde_json::Error,
    },
    #[error("the snapshot is format {0}, this lab reads format {FORMAT}")]
    Format(u32),
}

impl Snapshot {
    /// The typed objects, or the first one that does not decode.
    pub fn decode_objects(&self) -> Result<Vec<Object>, SnapshotError> {
        if self.format != FORMAT {
            return Err(SnapshotError::Format(self.format));
        }
        self.objects
            .iter()
            .enumerate()
            .map(|(index, v)| {
                let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or_default().to_string();
                let Some(info) = KINDS.iter().find(|k| k.name == kind) else {
                    return Err(SnapshotError::UnknownKind { index, kind });
                };
                Object::from_json(info.kind, v.clone()).map_err(|source| SnapshotError::Decode { index, kind, source })
            })
            .collect()
    }
}

/// What was found where a snapshot should be.
#[derive(Debug)]
pub enum Loaded {
    /// No snapshot: a fresh cluster.
    Missing,
    Found(Snapshot),
    /// A file that cannot be used; it was moved to `aside` so it is never lost or read again.
    Broken {
        aside: PathBuf,
        why: String,
    },
}

/// Read the snapshot at `path`. Only a regular file is read (a FIFO or a device is refused
/// without opening it), and a file that cannot be decoded is set aside as `<file>.broken`.
pub fn load(path: &Path) -> io::Result<Loaded> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Loaded::Missing),
        Err(e) => return Err(e),
        Ok(m) if !m.is_file() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} is not a regular file", path.display()),
            ))
        }
        Ok(_) => {}
    }
    let text = std::fs::read(path)?;
    let why = match serde_json::from_slice::<Snapshot>(&text) {
        Ok(s) => match s.decode_objects() {
            Ok(_) => return Ok(Loaded::Found(s)),
            Err(e) => e.to_string(),
        },
        Err(e) => e.to_string(),
    };
    let mut aside = path.as_os_str().to_owned();
    aside.push(".broken");
    let aside = PathBuf::from(aside);
    std::fs::rename(path, &aside)?;
    Ok(Loaded::Broken { aside, why })
}

/// Remove the snapshot at `path` (a reset). True if there was one.
pub fn remove(path: &Path) -> io::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// The cluster's side of persistence: who it is, where it is saved, and how the last save went.
pub(super) struct State {
    /// Lives from the cluster's first start to its reset.
    cluster_id: String,
    path: Mutex<Option<PathBuf>>,
    /// Saves never overlap.
    save_lock: Mutex<()>,
    save_error: Mutex<Option<String>>,
}

impl State {
    /// Not saved anywhere yet (see [`Cluster::persist_to`]).
    pub(super) fn new(cluster_id: String) -> State {
        State {
            cluster_id,
            path: Mutex::new(None),
            save_lock: Mutex::new(()),
            save_error: Mutex::new(None),
        }
    }
}

impl Cluster {
    /// This cluster's identity (kept in its snapshot across restarts, new after a reset).
    pub fn cluster_id(&self) -> &str {
        &self.inner.persist.cluster_id
    }

    /// The cluster's objects as they are now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: FORMAT,
            cluster_id: self.cluster_id().to_string(),
            saved_at: Utc::now(),
            objects: self.store().all().iter().map(|o| o.to_json()).collect(),
            traffic: self.net().export_traffic(),
        }
    }

    /// Keep this cluster saved at `path` from now on: save once now, then after every burst of
    /// changes. Call once, inside the tokio runtime.
    pub fn persist_to(&self, path: PathBuf) -> io::Result<()> {
        *self.inner.persist.path.lock().unwrap() = Some(path);
        let mut rx = self.watch();
        let mut served = self.net().traffic();
        self.flush()?;
        let cl = self.clone();
        self.spawn(async move {
            loop {
                // A change to an object, or a request the learner sent (a probe is not saved,
                // so it wakes nothing).
                let closed = tokio::select! {
                    r = rx.recv() => matches!(r, Err(RecvError::Closed)),
                    r = served.recv() => match r {
                        Ok(ev) if ev.probe => continue,
                        Ok(_) | Err(RecvError::Lagged(_)) => false,
                        Err(RecvError::Closed) => true,
                    },
                };
                if closed {
                    return;
                }
                tokio::time::sleep(SAVE_DELAY).await;
                served = served.resubscribe();
                loop {
                    match rx.try_recv() {
                        Ok(_) => {}
                        Err(TryRecvError::Lagged(_)) => rx = rx.resubscribe(),
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Closed) => return,
                    }
                }
                let c = cl.clone();
                let _ = tokio::task::spawn_blocking(move || c.flush()).await;
            }
        });
        Ok(())
    }

    /// Save now, if the cluster is persisted (see [`Cluster::persist_to`]). Saves never
    /// overlap. A failure is also kept for [`Cluster::save_error`].
    pub fn flush(&self) -> io::Result<()> {
        let Some(path) = self.inner.persist.path.lock().unwrap().clone() else {
            return Ok(());
        };
        let _one_at_a_time = self.inner.persist.save_lock.lock().unwrap();
        let snap = self.snapshot();
        let result = serde_json::to_vec(&snap)
            .map_err(io::Error::other)
            .and_then(|bytes| crate::workspace::write_atomic(&path, &bytes));
        *self.inner.persist.save_error.lock().unwrap() =
            result.as_ref().err().map(|e| format!("{}: {e}", path.display()));
        result
    }

    /// Why the last save failed, if it did.
    pub fn save_error(&self) -> Option<String> {
        self.inner.persist.save_error.lock().unwrap().clone()
    }

    /// Where the cluster is saved, if it is.
    pub fn persist_path(&self) -> Option<PathBuf> {
        self.inner.persist.path.lock().unwrap().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{manifest, ClusterConfig, Kind};

    const MANIFEST: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: 'gcr.io/google-samples/hello-go-gke:1.0'}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
";

    fn config() -> ClusterConfig {
        ClusterConfig {
            node_block: 93,
            lb_pool: (1..=5).map(|i| std::net::Ipv4Addr::new(127, 0, 193, i)).collect(),
            ..ClusterConfig::default()
        }
    }

    fn ready(c: &Cluster) -> bool {
        let pods = c.list(Kind::Pod, Some("default"));
        pods.len() == 2
            && pods
                .iter()
                .all(|p| p.as_pod().is_some_and(crate::runtime::controllers::pod_ready))
            && c.get(Kind::Service, "default", "web")
                .is_some_and(|s| s.lb_ingress_ip().is_some())
    }

    fn pod_names(c: &Cluster) -> Vec<(String, String)> {
        c.list(Kind::Pod, Some("default"))
            .iter()
            .map(|p| (p.name().to_string(), p.meta().uid.clone().unwrap_or_default()))
            .collect()
    }

    fn pod_ips(c: &Cluster) -> Vec<Option<String>> {
        c.list(Kind::Pod, Some("default"))
            .iter()
            .map(|p| p.as_pod().and_then(|p| p.status.as_ref()?.pod_ip.clone()))
            .collect()
    }

    fn node_port(svc: &Object) -> Option<i32> {
        svc.as_service()?.spec.as_ref()?.ports.as_ref()?.first()?.node_port
    }

    fn restarts(c: &Cluster) -> Vec<i32> {
        c.list(Kind::Pod, Some("default"))
            .iter()
            .flat_map(|p| {
                p.as_pod()
                    .and_then(|p| p.status.clone())
                    .and_then(|s| s.container_statuses)
            })
            .flatten()
            .map(|s| s.restart_count)
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn a_restored_cluster_is_the_same_cluster_after_a_node_reboot() {
        let a = Cluster::start(config()).await.unwrap();
        for obj in manifest::decode_manifests(MANIFEST, "t") {
            a.apply(obj.unwrap()).unwrap();
        }
        assert!(a.wait_until(Duration::from_secs(60), ready).await);
        let svc = a.get(Kind::Service, "default", "web").unwrap();
        let pods = pod_names(&a);
        let ips_before = pod_ips(&a);
        let snap = a.snapshot();
        let id = a.cluster_id().to_string();
        a.shutdown();
        tokio::time::sleep(Duration::from_millis(50)).await;

        // Through JSON, as on disk.
        let snap: Snapshot = serde_json::from_slice(&serde_json::to_vec(&snap).unwrap()).unwrap();
        let b = Cluster::restore(config(), &snap).await.unwrap();
        assert_eq!(b.cluster_id(), id);
        let again = b.get(Kind::Service, "default", "web").unwrap();
        assert_eq!(again.meta().uid, svc.meta().uid);
        assert_eq!(again.cluster_ip(), svc.cluster_ip());
        assert_eq!(again.lb_ingress_ip(), svc.lb_ingress_ip());
        assert!(node_port(&svc).is_some());
        assert_eq!(node_port(&again), node_port(&svc));
        assert_eq!(pod_names(&b), pods, "the same pods, not replacements");
        assert!(b.store().resource_version() >= snap.objects.len() as u64);

        // Right after the restore the containers are starting again; then they run, each with
        // one restart, on the same IPs, and the ReplicaSet made no new pod.
        assert!(
            b.wait_until(Duration::from_secs(60), |c| ready(c) && restarts(c) == [1, 1])
                .await,
            "{:?}",
            restarts(&b)
        );
        assert_eq!(pod_names(&b), pods);
        assert_eq!(restarts(&b), [1, 1]);
        assert_eq!(pod_ips(&b), ips_before);
        let reasons: Vec<String> = b
            .list(Kind::Event, Some("default"))
            .iter()
            .filter_map(|e| e.as_event().and_then(|e| e.reason.clone()))
            .collect();
        assert!(reasons.iter().any(|r| r == "SandboxChanged"), "{reasons:?}");
        let last = b.list(Kind::Pod, Some("default"))[0]
            .as_pod()
            .unwrap()
            .status
            .clone()
            .unwrap()
            .container_statuses
            .unwrap()[0]
            .last_state
            .clone()
            .unwrap()
            .terminated
            .unwrap();
        assert_eq!((last.exit_code, last.reason.as_deref()), (255, Some("Unknown")));
        b.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn persisting_saves_after_changes_and_a_broken_file_is_set_aside() {
        let dir = std::env::temp_dir().join(format!("k8s-lab-persist-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("cluster.json");
        let mut cfg = config();
        cfg.node_block = 94;
        let a = Cluster::start(cfg).await.unwrap();
        a.persist_to(path.clone()).unwrap();
        let Loaded::Found(first) = load(&path).unwrap() else {
            panic!("saved at once")
        };
        assert!(!first.objects.iter().any(|o| o["metadata"]["name"] == "later"));
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: later}\ndata: {a: b}\n";
        for obj in manifest::decode_manifests(cm, "t") {
            a.apply(obj.unwrap()).unwrap();
        }
        tokio::time::sleep(SAVE_DELAY * 3).await;
        let saved = (0..100).find_map(|_| match load(&path).unwrap() {
            Loaded::Found(s) if s.objects.iter().any(|o| o["metadata"]["name"] == "later") => Some(s),
            _ => {
                std::thread::sleep(Duration::from_millis(10));
                None
            }
        });
        assert!(saved.is_some(), "the ConfigMap was saved after the change");
        assert_eq!(a.save_error(), None);
        a.shutdown();

        std::fs::write(&path, b"{\"format\": 1, \"cluster_id\": \"x\"").unwrap();
        match load(&path).unwrap() {
            Loaded::Broken { aside, why } => {
                assert!(why.contains("EOF"), "{why}");
                assert!(aside.ends_with("cluster.json.broken") && aside.exists());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(load(&path).unwrap(), Loaded::Missing));
        assert!(!remove(&path).unwrap());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
