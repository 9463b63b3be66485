//! The embedded cluster: API objects in a store, controllers that reconcile them, pods that are
//! real HTTP servers on loopback, Services that are real TCP proxies, and DNS.
//!
//! [`Cluster`] is a cheap-clone handle (an `Arc` inside, like mini-redis's `Db`): kubectl, the
//! shell, the lessons and the UI all hold one. Nothing here knows about the terminal: the core
//! notifies through watch events and the UI pulls snapshots.

pub mod api;
pub mod clock;
pub mod controllers;
pub mod defaults;
pub mod error;
pub mod images;
pub mod json_errors;
pub mod kinds;
pub mod manifest;
pub mod moments;
pub mod names;
pub mod net;
pub mod object;
pub mod persist;
pub mod pod_shell;
pub mod seed;
pub mod selectors;
pub mod store;
pub mod validate;

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::task::AbortHandle;

pub use api::ApplyOutcome;
pub use clock::Clock;
pub use error::ApiError;
pub use kinds::Kind;
pub use object::Object;
pub use store::{EventType, Key, Store, WatchEvent};

/// How a lab cluster is shaped and paced. Lessons set these.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Number of nodes (`minikube`, `minikube-m02`, … or `node-1` …).
    pub nodes: usize,
    /// Node name prefix; the first node is called exactly this.
    pub node_name: String,
    /// Nodes live at 127.0.<node_block>.1, .2 … (two labs at once need different blocks).
    pub node_block: u8,
    /// How long a LoadBalancer stays `<pending>` before it gets an address (lab time).
    pub lb_delay: Duration,
    /// Addresses handed to LoadBalancer Services, in order.
    pub lb_pool: Vec<Ipv4Addr>,
    /// Lab seconds per real second.
    pub clock_speed: f64,
    /// How long a container takes to start after its pod is scheduled (lab time).
    pub container_start: Duration,
    /// How many pods each node takes (the kubelet's `maxPods`, its `pods` capacity); the
    /// scheduler leaves the rest `Pending`.
    pub max_pods: u32,
}

/// The kubelet's default `maxPods`.
pub const DEFAULT_MAX_PODS: u32 = 110;

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            nodes: 3,
            node_name: "minikube".into(),
            node_block: 2,
            lb_delay: Duration::from_secs(4),
            lb_pool: (1..=50).map(|i| Ipv4Addr::new(127, 0, 1, i)).collect(),
            clock_speed: 1.0,
            container_start: Duration::from_secs(2),
            max_pods: DEFAULT_MAX_PODS,
        }
    }
}

/// A running lab cluster.
#[derive(Clone)]
pub struct Cluster {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("nodes", &self.inner.config.nodes)
            .finish_non_exhaustive()
    }
}

struct Inner {
    store: Store,
    clock: Clock,
    config: ClusterConfig,
    net: net::Net,
    kubelet: controllers::kubelet::State,
    ratelimit: controllers::ratelimit::State,
    scheduler: controllers::scheduler::State,
    lb_pending: Mutex<std::collections::HashSet<String>>,
    proxy: net::proxy::State,
    dns_addr: std::sync::OnceLock<std::net::SocketAddr>,
    /// How far (resourceVersion) each controller has processed the watch stream.
    progress: Mutex<Vec<Arc<std::sync::atomic::AtomicU64>>>,
    tasks: Mutex<Vec<AbortHandle>>,
    /// Lives from the cluster's first start to its reset (see [`persist`]).
    cluster_id: String,
    persist_path: Mutex<Option<std::path::PathBuf>>,
    save_lock: Mutex<()>,
    save_error: Mutex<Option<String>>,
    /// When expired Events were last looked for (see [`Cluster::sweep_events`]).
    event_sweep: Mutex<Option<chrono::DateTime<chrono::Utc>>>,
}

impl Cluster {
    /// Build the cluster, create its built-in objects and start its controllers.
    /// Must be called inside a tokio runtime.
    pub async fn start(config: ClusterConfig) -> anyhow::Result<Cluster> {
        let cluster = Cluster::build(config, store::new_uid());
        controllers::start(&cluster);
        seed::seed(&cluster)?;
        cluster.start_dns().await?;
        Ok(cluster)
    }

    /// Bring back a cluster saved earlier (see [`persist`]): the same objects, then the
    /// controllers, which find the pods as after a node reboot and start their containers
    /// again. The lesson's setup is not run again: its effects are in the snapshot.
    pub async fn restore(config: ClusterConfig, snapshot: &persist::Snapshot) -> anyhow::Result<Cluster> {
        let objects = snapshot.decode_objects()?;
        let cluster = Cluster::build(config, snapshot.cluster_id.clone());
        let seeded = objects.iter().any(|o| o.kind() == Kind::Namespace);
        cluster.store().restore(objects);
        cluster.net().import_traffic(&snapshot.traffic);
        controllers::kubelet::after_reboot(&cluster);
        controllers::start(&cluster);
        if !seeded {
            seed::seed(&cluster)?;
        }
        cluster.start_dns().await?;
        Ok(cluster)
    }

    fn build(config: ClusterConfig, cluster_id: String) -> Cluster {
        Cluster {
            inner: Arc::new(Inner {
                store: Store::new(),
                clock: Clock::new(config.clock_speed),
                net: net::Net::new(),
                kubelet: Default::default(),
                ratelimit: Default::default(),
                scheduler: Default::default(),
                lb_pending: Default::default(),
                proxy: Default::default(),
                dns_addr: Default::default(),
                progress: Default::default(),
                config,
                tasks: Mutex::new(Vec::new()),
                cluster_id,
                persist_path: Mutex::new(None),
                save_lock: Mutex::new(()),
                save_error: Mutex::new(None),
                event_sweep: Mutex::new(None),
            }),
        }
    }

    async fn start_dns(&self) -> anyhow::Result<()> {
        let dns = net::dns_server::start(self).await?;
        let _ = self.inner.dns_addr.set(dns);
        Ok(())
    }

    /// Where the cluster DNS answers real packets (UDP and TCP on 127.0.0.1).
    pub fn dns_addr(&self) -> Option<std::net::SocketAddr> {
        self.inner.dns_addr.get().copied()
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.inner.config
    }

    pub fn net(&self) -> &net::Net {
        &self.inner.net
    }

    pub(crate) fn lb_pending(&self) -> &Mutex<std::collections::HashSet<String>> {
        &self.inner.lb_pending
    }

    pub(crate) fn proxy(&self) -> &net::proxy::State {
        &self.inner.proxy
    }

    pub(crate) fn event_sweep(&self) -> &Mutex<Option<chrono::DateTime<chrono::Utc>>> {
        &self.inner.event_sweep
    }

    pub(crate) fn kubelet(&self) -> &controllers::kubelet::State {
        &self.inner.kubelet
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<Arc<Object>> {
        self.inner.store.get(&Key::new(kind, namespace, name))
    }

    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<Arc<Object>> {
        self.inner.store.list(kind, namespace)
    }

    pub fn watch(&self) -> broadcast::Receiver<WatchEvent> {
        self.inner.store.watch()
    }

    /// Keep a background task's handle so [`Cluster::shutdown`] can stop it.
    pub fn spawn<F>(&self, fut: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.spawn_handle(fut);
    }

    /// Like [`Cluster::spawn`], and also return the handle (to stop this task alone).
    ///
    /// The future lives in its own box: a task's allocation stays until the last handle to it
    /// is dropped, and the handles kept here outlive short tasks (a pod's start-up) until the
    /// next prune, so an unboxed future would keep all of its state (kilobytes for a pod start)
    /// that long. Boxed, a finished task holds a pointer.
    pub fn spawn_handle<F>(&self, fut: F) -> AbortHandle
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let handle = tokio::spawn(Box::pin(fut)).abort_handle();
        self.keep(handle.clone());
        handle
    }

    fn keep(&self, handle: AbortHandle) {
        let mut tasks = self.inner.tasks.lock().unwrap();
        if tasks.len() >= 256 && tasks.len().is_power_of_two() {
            tasks.retain(|t| !t.is_finished());
        }
        tasks.push(handle);
    }

    /// Stop every controller, pod and listener.
    pub fn shutdown(&self) {
        for t in self.inner.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
        self.inner.net.shutdown();
    }

    /// A progress marker for a new controller (see [`Cluster::settle`]).
    pub(crate) fn register_controller(&self) -> Arc<std::sync::atomic::AtomicU64> {
        let p = Arc::new(std::sync::atomic::AtomicU64::new(0));
        self.inner.progress.lock().unwrap().push(p.clone());
        p
    }

    /// True when every controller has acted on every change in the store so far.
    pub fn is_settled(&self) -> bool {
        let target = self.store().resource_version();
        self.inner
            .progress
            .lock()
            .unwrap()
            .iter()
            .all(|p| p.load(std::sync::atomic::Ordering::SeqCst) >= target)
    }

    /// Wait until the controllers have reacted to every change so far (Endpoints written,
    /// kube-proxy listening or closed, pods scheduled …), at most `limit` of real time. Timed
    /// work — a container starting, a load balancer being provisioned — is not waited for.
    /// The lab calls this after each kubectl command, so what the learner types next sees a
    /// cluster that has reacted, as it would at a human's typing speed. True if it settled.
    pub async fn settle(&self, limit: std::time::Duration) -> bool {
        let t0 = std::time::Instant::now();
        loop {
            if self.is_settled() {
                return true;
            }
            if t0.elapsed() >= limit {
                return false;
            }
            // Let the controllers run; this waits for CPU work, not for lab-clock events.
            tokio::task::yield_now().await;
            if !self.is_settled() {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        }
    }

    /// Wait (on lab time, at most `timeout`) until `cond` holds. True if it did.
    pub async fn wait_until(&self, timeout: Duration, mut cond: impl FnMut(&Cluster) -> bool) -> bool {
        let mut rx = self.watch();
        if cond(self) {
            return true;
        }
        let this = self.clone();
        self.clock()
            .timeout(timeout, async move {
                loop {
                    match rx.recv().await {
                        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                            if cond(&this) {
                                return true;
                            }
                        }
                        Err(broadcast::error::RecvError::Closed) => return false,
                    }
                }
            })
            .await
            .unwrap_or(false)
    }
}
