//! The embedded cluster: API objects in a store, controllers that reconcile them, pods that are
//! real HTTP servers on loopback, Services that are real TCP proxies, and DNS.
//!
//! [`Cluster`] is a cheap-clone handle (an `Arc` inside, like mini-redis's `Db`): kubectl, the
//! shell, the lessons and the UI all hold one. Nothing here knows about the terminal: the core
//! notifies through watch events and the UI pulls snapshots.
//!
//! # Module map
//!
//! The control plane's data and its rules:
//!
//! - [`store`] — the objects, keyed by kind/namespace/name, with resourceVersions and the watch
//!   stream (the etcd of the lab).
//! - [`object`], [`kinds`] — the typed object enum and the table of resource types.
//! - [`manifest`], [`json_errors`] — YAML/JSON manifests to objects, with the decoder's wording.
//! - [`defaults`], [`validate`] — what the API server fills in and what it refuses.
//! - [`selectors`], [`names`] — label selectors; generated names (`web-5d9f8b7c6d-x7k2q`).
//! - [`error`] — API errors shaped like the API server's `Status`.
//! - [`clock`], [`moments`] — the lab clock (scaled or paused); instants that outlive the process.
//! - [`seed`] — what a fresh cluster already has (namespaces, nodes, `kubernetes`, CoreDNS).
//!
//! What acts on them:
//!
//! - [`api`] — the API server, the one door into the cluster for kubectl, lessons, the TUI and
//!   (next) HTTP: reads, watches, writes, patches, subresources, deletion, `Status` errors. Its
//!   own module map lists the verbs. Controllers inside the runtime may use the store directly
//!   (as informers and the status writers of a real control plane are trusted); nothing outside
//!   the runtime names it (`tests/layering.rs`).
//! - [`controllers`] — every controller (Deployments, ReplicaSets, the scheduler, the kubelet,
//!   Endpoints, load balancers, garbage collection, namespaces) and the loop that runs them;
//!   their internals live in one [`controllers::State`].
//! - [`net`] — the virtual network: routes from cluster addresses to loopback sockets, kube-proxy
//!   ([`net::proxy`]), DNS, TLS, UDP, the traffic log.
//! - [`images`] — the programs containers run; [`pod_shell`] — what runs in a pod for `exec`.
//! - [`persist`] — the snapshot saved with the workspace, and restoring from it.
//! - `tasks` — the background tasks the cluster owns, so [`Cluster::shutdown`] stops them.
//!
//! # `impl Cluster`, one block per concern
//!
//! | concern | where | methods |
//! |---|---|---|
//! | lifecycle, parts, tasks | this file | `start`, `restore`, `shutdown`, `spawn`, `store`, `clock`, `config`, `net`, `get`, `list`, `watch`, `wait_until`, `dns_addr` |
//! | API reads and watches | [`api::read`], [`api::watch`] | `read`, `list_objects`, `list_owned`, `events_about`, `resource_version`, `kind_version`, `watch_objects` |
//! | API writes | [`api::write`], [`api::apply`], [`api::patch`] | `create(_with, _dry_run)`, `update(_with, _dry_run)`, `modify`, `decode`, `apply`, `patch` |
//! | subresources | [`api::subresources`] | `read_scale`, `update_scale`, `update_status`, `modify_status` |
//! | Service allocation | [`api::services`] | `allocate_service` |
//! | events | [`api::events`] | `record_event`, `sweep_events` |
//! | deletion | [`api::delete`] | `delete`, `delete_with`, `remove_finalizer` |
//! | persistence | [`persist`] | `cluster_id`, `snapshot`, `persist_to`, `flush`, `save_error`, `persist_path` |
//! | settling (controllers' progress) | `controllers/progress.rs` | `is_settled`, `settle`, `register_controller` |
//! | API budget and requeues | [`controllers::ratelimit`] | `api_budget`, `requeue_after`, `requeues`, `requeued` |
//! | scheduling | [`controllers::scheduler`] | `unschedulable_pods` |
//! | data plane (what runs) | `data_plane.rs` | `pod_containers`, `running_pod`, `lb_listener` |
//!
//! `Inner` holds the cluster's parts: the store, the clock, the config, the network and the
//! DNS server's address, the controllers' [`controllers::State`], the persistence state, the
//! tasks, and the API server's event-sweep mark.

pub mod api;
pub mod clock;
pub mod controllers;
mod data_plane;
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
mod tasks;
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

/// The cluster's parts. Each controller's internals are in [`controllers::State`], reached only
/// through that controller's module; persistence keeps its own in [`persist`].
struct Inner {
    store: Store,
    clock: Clock,
    config: ClusterConfig,
    net: net::Net,
    /// Where the cluster DNS answers, once it listens.
    dns_addr: std::sync::OnceLock<std::net::SocketAddr>,
    controllers: controllers::State,
    persist: persist::State,
    tasks: tasks::Tasks,
    /// When expired Events were last looked for (the API server's; see [`Cluster::sweep_events`]).
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
                dns_addr: Default::default(),
                controllers: Default::default(),
                persist: persist::State::new(cluster_id),
                tasks: Default::default(),
                config,
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

    /// The controllers' internals; each controller takes its own part (see [`controllers::State`]).
    fn controllers(&self) -> &controllers::State {
        &self.inner.controllers
    }

    /// When expired Events were last looked for (see [`Cluster::sweep_events`]).
    pub(crate) fn event_sweep(&self) -> &Mutex<Option<chrono::DateTime<chrono::Utc>>> {
        &self.inner.event_sweep
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
        self.inner.tasks.keep(handle.clone());
        handle
    }

    /// Stop every controller, pod and listener.
    pub fn shutdown(&self) {
        self.inner.tasks.abort_all();
        self.inner.net.shutdown();
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
