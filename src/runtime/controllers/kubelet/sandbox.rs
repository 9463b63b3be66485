//! A pod's sandbox as the kubelet builds it: the pod's IP from its node's range, and the
//! addresses (`podIP:port`) its serving containers listen on, each a real loopback socket with
//! its server task.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::{Arc, Mutex};

use k8s_openapi::api::core::v1::Pod;
use tokio::task::AbortHandle;

use super::node_ip_and_index;
use super::running::{RunningContainer, RunningPod};
use crate::runtime::images::server::{serve, LogSink};
use crate::runtime::images::{PodCtx, Program};
use crate::runtime::net::udp::{bind_udp_loopback, serve_datagrams, serve_framed_tcp, UdpRoute};
use crate::runtime::net::{bind_loopback, Route};
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// The IP a rebooted pod had before the cluster was saved (it keeps it).
pub(super) fn rebooted_ip(cluster: &Cluster, pod: &Pod) -> Option<Ipv4Addr> {
    pod.metadata
        .uid
        .as_ref()
        .and_then(|uid| super::state(cluster).rebooted.lock().unwrap().get(uid).copied())
}

/// The pod's IP: `kept` (a restart in place, a reboot), or the first free one of its node's
/// `10.244.<node>.0/24`.
pub(super) fn pod_ip(cluster: &Cluster, node: &str, kept: Option<Ipv4Addr>) -> Ipv4Addr {
    let (_, idx) = node_ip_and_index(cluster, node);
    if let Some(ip) = kept {
        return ip;
    }
    let mut used = super::state(cluster).used_ips.lock().unwrap();
    let ip = (2..=254u8)
        .map(|m| Ipv4Addr::new(10, 244, idx, m))
        .find(|ip| !used.contains(ip))
        .unwrap_or(Ipv4Addr::new(10, 244, idx, 255));
    used.insert(ip);
    ip
}

/// The pod's network while its containers start: what becomes the [`RunningPod`]'s routes and
/// server tasks.
pub(super) struct Sandbox {
    pub(super) ip: Ipv4Addr,
    routes: Vec<SocketAddrV4>,
    udp_routes: Vec<SocketAddrV4>,
    tasks: Vec<AbortHandle>,
}

impl Sandbox {
    pub(super) fn new(ip: Ipv4Addr) -> Sandbox {
        Sandbox {
            ip,
            routes: Vec::new(),
            udp_routes: Vec::new(),
            tasks: Vec::new(),
        }
    }

    /// The program's TCP ports: a loopback listener for each, routed from `podIP:port`. A port
    /// that cannot be bound is a Warning event.
    pub(super) async fn listen(
        &mut self,
        cluster: &Cluster,
        obj: &Object,
        program: &Arc<dyn Program>,
        ctx: &Arc<PodCtx>,
        logs: &LogSink,
    ) {
        for port in program.ports() {
            match bind_loopback(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await {
                Ok(listener) => {
                    let real = listener.local_addr().expect("bound listener has an address");
                    let virt = SocketAddrV4::new(self.ip, port);
                    cluster.net().set_route(virt, Route::Listener(real));
                    self.routes.push(virt);
                    let h = cluster.spawn_handle(serve(listener, program.clone(), ctx.clone(), port, logs.clone()));
                    self.tasks.push(h);
                }
                Err(e) => cluster.record_event(
                    obj,
                    "Warning",
                    "Failed",
                    &format!("Error: failed to listen on port {port}: {e}"),
                    "kubelet",
                ),
            }
        }
    }

    /// Datagram programs (CoreDNS): their UDP ports, and the same messages over TCP.
    pub(super) async fn listen_datagrams(
        &mut self,
        cluster: &Cluster,
        obj: &Object,
        program: &Arc<dyn Program>,
        ctx: &Arc<PodCtx>,
    ) {
        let udp = program.udp_ports().into_iter().map(|p| (p, true));
        let datagram_ports: Vec<(u16, bool)> = udp
            .chain(program.framed_tcp_ports().into_iter().map(|p| (p, false)))
            .collect();
        for (port, is_udp) in datagram_ports {
            let answer = {
                let (program, ctx) = (program.clone(), ctx.clone());
                move |req: &[u8], _: Option<String>| program.datagram(&ctx, port, req)
            };
            let virt = SocketAddrV4::new(self.ip, port);
            let any = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
            let bound = if is_udp {
                bind_udp_loopback(any).map(|sock| {
                    let real = sock.local_addr().expect("bound socket has an address");
                    cluster.net().set_udp_route(virt, UdpRoute::Socket(real));
                    self.udp_routes.push(virt);
                    cluster.spawn_handle(serve_datagrams(cluster.clone(), sock, answer))
                })
            } else {
                bind_loopback(any).await.map(|listener| {
                    let real = listener.local_addr().expect("bound listener has an address");
                    cluster.net().set_route(virt, Route::Listener(real));
                    self.routes.push(virt);
                    cluster.spawn_handle(serve_framed_tcp(cluster.clone(), listener, answer))
                })
            };
            match bound {
                Ok(h) => self.tasks.push(h),
                Err(e) => {
                    let proto = if is_udp { "UDP" } else { "TCP" };
                    let msg = format!("Error: failed to listen on port {port}/{proto}: {e}");
                    cluster.record_event(obj, "Warning", "Failed", &msg, "kubelet");
                }
            }
        }
    }

    /// The sandbox with its started containers: the pod the kubelet runs.
    pub(super) fn into_pod(
        self,
        uid: String,
        key: &Key,
        node: String,
        containers: Vec<RunningContainer>,
    ) -> RunningPod {
        RunningPod {
            uid,
            namespace: key.namespace.clone(),
            name: key.name.clone(),
            ip: self.ip,
            node,
            containers,
            routes: self.routes,
            udp_routes: self.udp_routes,
            tasks: self.tasks,
            supervisors: Mutex::new(Vec::new()),
        }
    }
}
