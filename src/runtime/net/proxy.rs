//! kube-proxy: every Service port becomes real listeners that forward TCP to a random ready
//! endpoint per connection (iptables mode), or to the same one per client with
//! `sessionAffinity: ClientIP`. UDP ports (kube-dns's `53/UDP`) forward datagrams per flow, as
//! conntrack does.
//!
//! - ClusterIP: a listener on 127.0.0.1:ephemeral, routed from `clusterIP:port` (reachable only
//!   from inside the lab; a Service with no endpoints is routed to `Reject`, like kube-proxy's
//!   REJECT rule).
//! - NodePort: a listener on every node address at the node port (reachable from the host).
//! - LoadBalancer: a listener on the ingress address at the Service port, or, where the OS will
//!   not allow that port, on another one — said in a Warning event.

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::ServicePort;
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::task::AbortHandle;

use super::udp::{bind_udp_loopback, connect_udp_loopback, UdpRoute, MAX_DATAGRAM};
use super::{Hop, Route, TrafficEvent};
use crate::runtime::controllers::{all_keys, Controller};
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::{Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "kube-proxy",
    keys_for,
    reconcile,
    resync,
};

/// One ready endpoint of a Service port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    pub addr: SocketAddrV4,
    pub pod: String,
}

/// The ready endpoints of a Service port; connections watch it to close when theirs goes away.
type Backends = Arc<tokio::sync::watch::Sender<Vec<Backend>>>;

/// The proxy for one Service port.
struct PortProxy {
    proto: Proto,
    balancer: Arc<Balancer>,
    cluster_ip: Option<(SocketAddrV4, SocketAddr, AbortHandle)>,
    node_port: Option<(u16, Vec<AbortHandle>)>,
    lb: Option<(SocketAddrV4, SocketAddr, AbortHandle)>,
}

/// How one Service port picks an endpoint: shared by its listeners (NodePort, load balancer,
/// the ClusterIP's socket) and by [`super::Net::connect`], which translates a connection to
/// the ClusterIP straight to the chosen pod the way iptables' DNAT does.
pub struct Balancer {
    backends: Backends,
    affinity: AtomicBool,
    /// Which endpoint each client was sent to, for `sessionAffinity: ClientIP`.
    sticky: Mutex<HashMap<String, SocketAddrV4>>,
    /// `default/hello:80` (and `…/UDP` for UDP ports): how traffic events name the Service.
    pub label: String,
}

impl Balancer {
    /// The endpoint for a new connection (or UDP flow) from `from`: random, or the client's
    /// previous one under session affinity while it is still ready. `None` when there is none.
    pub fn pick(&self, from: &str) -> Option<Backend> {
        let list = self.backends.borrow();
        if list.is_empty() {
            return None;
        }
        if !self.affinity.load(Ordering::Relaxed) {
            return Some(list[rand::random_range(0..list.len())].clone());
        }
        let mut s = self.sticky.lock().unwrap();
        let kept = s.get(from).and_then(|a| list.iter().find(|b| b.addr == *a)).cloned();
        let b = kept.unwrap_or_else(|| list[rand::random_range(0..list.len())].clone());
        s.insert(from.to_string(), b.addr);
        Some(b)
    }
}

impl PortProxy {
    fn stop(&mut self, cluster: &Cluster) {
        if let Some((virt, _, h)) = self.cluster_ip.take() {
            self.proto.remove_route(cluster, virt);
            cluster.net().remove_balancer(virt);
            h.abort();
        }
        if let Some((_, hs)) = self.node_port.take() {
            hs.iter().for_each(AbortHandle::abort);
        }
        if let Some((virt, _, h)) = self.lb.take() {
            self.proto.remove_route(cluster, virt);
            h.abort();
        }
    }
}

/// The port proxies of one Service, by (port, protocol).
type ServicePorts = BTreeMap<(i32, String), PortProxy>;

/// kube-proxy's state: the port proxies of every Service, keyed by namespace/name.
#[derive(Default)]
pub struct State {
    services: Mutex<HashMap<(String, String), ServicePorts>>,
}

/// kube-proxy's part of the controllers' state.
fn state(cluster: &Cluster) -> &State {
    &cluster.controllers().proxy
}

/// Where a Service port is really listening, for `describe` and the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listening {
    pub port: i32,
    pub protocol: String,
    pub cluster_ip_listener: Option<SocketAddrV4>,
    pub load_balancer: Option<SocketAddr>,
}

/// The load-balancer listeners actually bound for the Service (see [`Cluster::lb_listener`]).
pub(crate) fn lb_listener(cluster: &Cluster, namespace: &str, name: &str) -> Vec<(SocketAddrV4, SocketAddr)> {
    let st = state(cluster).services.lock().unwrap();
    st.get(&(namespace.to_string(), name.to_string()))
        .map(|ports| {
            ports
                .values()
                .filter_map(|p| p.lb.as_ref().map(|(v, r, _)| (*v, *r)))
                .collect()
        })
        .unwrap_or_default()
}

fn keys_for(_: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    match &*ev.object {
        Object::Service(_) => vec![Key::of(&ev.object)],
        Object::Endpoints(_) => vec![Key::new(Kind::Service, ev.object.namespace(), ev.object.name())],
        _ => vec![],
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    let mut keys = all_keys(cluster, Kind::Service);
    for (ns, name) in state(cluster).services.lock().unwrap().keys() {
        keys.push(Key::new(Kind::Service, ns, name));
    }
    keys
}

/// Ready endpoints of the Service port named `port_name` (or the only port).
fn backends_for(cluster: &Cluster, ns: &str, name: &str, port_name: &str, protocol: &str) -> Vec<Backend> {
    let Some(ep) = cluster.get(Kind::Endpoints, ns, name) else {
        return vec![];
    };
    let mut out = Vec::new();
    for subset in ep.as_endpoints().and_then(|e| e.subsets.clone()).unwrap_or_default() {
        let ports = subset.ports.clone().unwrap_or_default();
        let Some(p) = ports.iter().find(|p| {
            p.name.as_deref().unwrap_or("") == port_name && p.protocol.as_deref().unwrap_or("TCP") == protocol
        }) else {
            continue;
        };
        for a in subset.addresses.iter().flatten() {
            if let (Ok(ip), Ok(port)) = (a.ip.parse::<Ipv4Addr>(), u16::try_from(p.port)) {
                let pod = a.target_ref.as_ref().and_then(|t| t.name.clone()).unwrap_or_default();
                out.push(Backend {
                    addr: SocketAddrV4::new(ip, port),
                    pod,
                });
            }
        }
    }
    out
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let skey = (key.namespace.clone(), key.name.clone());
    let svc_obj = cluster.store().get(key);
    let spec = svc_obj
        .as_ref()
        .and_then(|o| o.as_service())
        .and_then(|s| s.spec.clone());
    let cluster_ip = spec
        .as_ref()
        .and_then(|s| s.cluster_ip.as_deref())
        .and_then(|ip| ip.parse::<Ipv4Addr>().ok());
    let state = state(cluster);
    let mut services = state.services.lock().unwrap();
    let (Some(obj), Some(spec), Some(cip)) = (svc_obj.clone(), spec, cluster_ip) else {
        if let Some(mut ports) = services.remove(&skey) {
            ports.values_mut().for_each(|p| p.stop(cluster));
        }
        return;
    };
    let ports = services.entry(skey.clone()).or_default();
    // SCTP ports are accepted by the API but carry nothing in the lab.
    let wanted: Vec<(ServicePort, Proto)> = spec
        .ports
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            let proto = Proto::of(p.protocol.as_deref())?;
            Some((p, proto))
        })
        .collect();
    let wanted_keys: Vec<(i32, String)> = wanted.iter().map(|(p, proto)| (p.port, proto.name().into())).collect();
    for (k, p) in ports.iter_mut() {
        if !wanted_keys.contains(k) {
            p.stop(cluster);
        }
    }
    ports.retain(|k, _| wanted_keys.contains(k));
    let lb_ip: Option<Ipv4Addr> = obj.lb_ingress_ip().and_then(|ip| ip.parse().ok());
    let affinity = spec.session_affinity.as_deref() == Some("ClientIP");
    let node_ips: Vec<Ipv4Addr> = cluster
        .list(Kind::Node, None)
        .iter()
        .filter_map(|n| {
            n.as_node()?
                .status
                .as_ref()?
                .addresses
                .as_ref()?
                .iter()
                .find(|a| a.type_ == "InternalIP")?
                .address
                .parse()
                .ok()
        })
        .collect();

    for (sp, proto) in wanted {
        let Ok(port) = u16::try_from(sp.port) else { continue };
        let label = if proto == Proto::Tcp {
            format!("{}/{}:{}", key.namespace, key.name, sp.port)
        } else {
            format!("{}/{}:{}/{}", key.namespace, key.name, sp.port, proto.name())
        };
        let backends = backends_for(
            cluster,
            &key.namespace,
            &key.name,
            sp.name.as_deref().unwrap_or(""),
            proto.name(),
        );
        let proxy = ports
            .entry((sp.port, proto.name().into()))
            .or_insert_with(|| PortProxy {
                proto,
                balancer: Arc::new(Balancer {
                    backends: Arc::new(tokio::sync::watch::Sender::new(Vec::new())),
                    affinity: AtomicBool::new(affinity),
                    sticky: Mutex::default(),
                    label: label.clone(),
                }),
                cluster_ip: None,
                node_port: None,
                lb: None,
            });
        proxy.balancer.affinity.store(affinity, Ordering::Relaxed);
        proxy.balancer.backends.send_if_modified(|cur| {
            let changed = *cur != backends;
            *cur = backends.clone();
            changed
        });
        let serve = |bound: Bound| bound.serve(cluster, proxy.balancer.clone());

        // ClusterIP.
        let virt = SocketAddrV4::new(cip, port);
        if proxy.cluster_ip.as_ref().is_some_and(|(v, _, _)| *v != virt) {
            if let Some((v, _, h)) = proxy.cluster_ip.take() {
                proto.remove_route(cluster, v);
                cluster.net().remove_balancer(v);
                h.abort();
            }
        }
        if proxy.cluster_ip.is_none() {
            if let Ok(bound) = Bound::bind(proto, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))) {
                let real = bound.local_addr();
                proxy.cluster_ip = Some((virt, real, serve(bound)));
                if proto == Proto::Tcp {
                    cluster.net().set_balancer(virt, proxy.balancer.clone());
                }
            }
        }
        if let Some((v, real, _)) = &proxy.cluster_ip {
            // Keep the listener; flip the route between it and Reject.
            proto.set_route(cluster, *v, (!backends.is_empty()).then_some(*real));
        }

        // NodePort.
        let node_port = sp.node_port.and_then(|n| u16::try_from(n).ok());
        if proxy.node_port.as_ref().map(|(p, _)| *p) != node_port {
            if let Some((_, hs)) = proxy.node_port.take() {
                hs.iter().for_each(AbortHandle::abort);
            }
            if let Some(np) = node_port {
                let mut handles = Vec::new();
                for ip in &node_ips {
                    match Bound::bind(proto, SocketAddr::from((*ip, np))) {
                        Ok(bound) => handles.push(serve(bound)),
                        Err(e) => {
                            let msg = format!(
                                "could not listen on node port {ip}:{np}{}: {e}; the Service still works inside the lab",
                                proto.suffix()
                            );
                            cluster.record_event(&obj, "Warning", "NodePortUnavailable", &msg, "kube-proxy");
                        }
                    }
                }
                proxy.node_port = Some((np, handles));
            }
        }

        // LoadBalancer.
        let lb_virt = lb_ip.map(|ip| SocketAddrV4::new(ip, port));
        if proxy.lb.as_ref().map(|(v, _, _)| *v) != lb_virt {
            if let Some((v, _, h)) = proxy.lb.take() {
                proto.remove_route(cluster, v);
                h.abort();
            }
            if let Some(v) = lb_virt {
                let bound = Bound::bind(proto, SocketAddr::V4(v)).or_else(|e| {
                    let fallback = Bound::bind(proto, SocketAddr::from((*v.ip(), 0)));
                    if let Ok(b) = &fallback {
                        let msg = format!(
                            "port {}{} is not available on {} ({e}); the load balancer listens on {} instead",
                            v.port(),
                            proto.suffix(),
                            v.ip(),
                            b.local_addr()
                        );
                        cluster.record_event(&obj, "Warning", "LoadBalancerPortFallback", &msg, "kube-proxy");
                    }
                    fallback
                });
                if let Ok(bound) = bound {
                    let real = bound.local_addr();
                    if real != SocketAddr::V4(v) {
                        proto.set_route(cluster, v, Some(real));
                    }
                    proxy.lb = Some((v, real, serve(bound)));
                }
            }
        }
    }
}

/// The transport of a Service port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Proto {
    Tcp,
    Udp,
}

impl Proto {
    fn of(protocol: Option<&str>) -> Option<Proto> {
        match protocol.unwrap_or("TCP") {
            "TCP" => Some(Proto::Tcp),
            "UDP" => Some(Proto::Udp),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
        }
    }

    /// How messages name a port of this protocol: `53/UDP`, and plain `80` for TCP.
    fn suffix(self) -> &'static str {
        match self {
            Proto::Tcp => "",
            Proto::Udp => "/UDP",
        }
    }

    /// Route `virt` to the real socket, or REJECT it (`None`).
    fn set_route(self, cluster: &Cluster, virt: SocketAddrV4, real: Option<SocketAddr>) {
        match self {
            Proto::Tcp => cluster
                .net()
                .set_route(virt, real.map_or(Route::Reject, Route::Listener)),
            Proto::Udp => cluster
                .net()
                .set_udp_route(virt, real.map_or(UdpRoute::Reject, UdpRoute::Socket)),
        }
    }

    fn remove_route(self, cluster: &Cluster, virt: SocketAddrV4) {
        match self {
            Proto::Tcp => cluster.net().remove_route(virt),
            Proto::Udp => cluster.net().remove_udp_route(virt),
        }
    }
}

/// A bound proxy socket, not yet serving.
enum Bound {
    Tcp(TcpListener),
    Udp(UdpSocket),
}

impl Bound {
    /// Bind synchronously (so reconcile stays a plain function), loopback only.
    fn bind(proto: Proto, addr: SocketAddr) -> std::io::Result<Bound> {
        match proto {
            Proto::Tcp => super::listen_loopback(addr).map(Bound::Tcp),
            Proto::Udp => bind_udp_loopback(addr).map(Bound::Udp),
        }
    }

    fn local_addr(&self) -> SocketAddr {
        match self {
            Bound::Tcp(l) => l.local_addr(),
            Bound::Udp(s) => s.local_addr(),
        }
        .expect("a bound socket has an address")
    }

    fn serve(self, cluster: &Cluster, balancer: Arc<Balancer>) -> AbortHandle {
        match self {
            Bound::Tcp(l) => cluster.spawn_handle(accept_loop(cluster.clone(), l, balancer)),
            Bound::Udp(s) => cluster.spawn_handle(udp_loop(cluster.clone(), s, balancer)),
        }
    }
}

async fn accept_loop(cluster: Cluster, listener: TcpListener, balancer: Arc<Balancer>) {
    loop {
        let Ok((client, peer)) = listener.accept().await else {
            continue;
        };
        let (cluster, balancer) = (cluster.clone(), balancer.clone());
        tokio::spawn(async move {
            // The caller writes its hop right after connecting: wait for its first bytes (or
            // its close) before reading it. `peek` waits for data itself; readiness alone can
            // be reported before the caller has written anything, and the hop would be missed.
            let _ = client.peek(&mut [0u8; 1]).await;
            let mut hop = cluster.net().take_hop_info(peer).unwrap_or_else(|| Hop {
                from: "host".into(),
                dialled: None,
                probe: false,
            });
            // What the client dialled is this listener's address (a node's, a load balancer's).
            if hop.dialled.is_none() {
                hop.dialled = match client.local_addr() {
                    Ok(SocketAddr::V4(a)) => Some(a),
                    _ => None,
                };
            }
            let label = balancer.label.clone();
            let Some(backend) = balancer.pick(&hop.from) else {
                // No endpoints: refuse (close at once with a reset).
                let _ = client.set_zero_linger();
                cluster.net().emit(TrafficEvent {
                    from: hop.from,
                    service: Some(label),
                    pod: None,
                    bytes: 0,
                    status: None,
                    latency: std::time::Duration::ZERO,
                    summary: "connection refused: no endpoints".into(),
                    dialled: hop.dialled,
                    probe: hop.probe,
                });
                return;
            };
            let watch = balancer.backends.subscribe();
            forward(cluster, client, backend, hop, label, watch).await;
        });
    }
}

async fn forward(
    cluster: Cluster,
    mut client: TcpStream,
    backend: Backend,
    hop: Hop,
    label: String,
    mut endpoints: tokio::sync::watch::Receiver<Vec<Backend>>,
) {
    let started = Instant::now();
    let Some(Route::Listener(real)) = cluster.net().route(backend.addr) else {
        let _ = client.set_zero_linger();
        return;
    };
    let onward = Hop {
        from: format!("{} via {label}", hop.from),
        dialled: hop.dialled,
        probe: hop.probe,
    };
    let Ok(mut upstream) = cluster.net().connect_as(real, onward).await else {
        let _ = client.set_zero_linger();
        return;
    };
    // When the endpoint leaves the Service (pod deleted or not ready), its connections end.
    let gone = endpoints.wait_for(|list| !list.iter().any(|b| b.addr == backend.addr));
    let bytes = tokio::select! {
        r = tokio::io::copy_bidirectional(&mut client, &mut upstream) => r.map(|(a, b)| a + b).unwrap_or(0),
        _ = gone => {
            let _ = client.set_zero_linger();
            0
        }
    };
    cluster.net().emit(TrafficEvent {
        from: hop.from,
        service: Some(label),
        pod: Some(backend.pod),
        bytes,
        status: None,
        latency: started.elapsed(),
        summary: "connection".into(),
        dialled: hop.dialled,
        probe: hop.probe,
    });
}

/// How long conntrack keeps a UDP flow without traffic (the kernel's `nf_conntrack_udp_timeout`).
const UDP_FLOW_IDLE: Duration = Duration::from_secs(30);

/// One UDP flow as conntrack sees it: a client address, the endpoint chosen for it, and the
/// socket that talks to that endpoint on the client's behalf.
struct Flow {
    backend: SocketAddrV4,
    upstream: Arc<UdpSocket>,
    /// When the client last sent a datagram, for the latency of the reply.
    last_sent: Arc<Mutex<tokio::time::Instant>>,
    task: AbortHandle,
}

type Flows = Arc<Mutex<HashMap<SocketAddr, Flow>>>;

/// kube-proxy for a UDP Service port: each client address is a flow pinned to one endpoint
/// until it has been idle for [`UDP_FLOW_IDLE`]; flows to an endpoint that leaves the Service
/// are forgotten at once (kube-proxy clears their conntrack entries), so the next datagram
/// goes to a live endpoint. With no endpoints the datagram is dropped.
async fn udp_loop(cluster: Cluster, sock: UdpSocket, balancer: Arc<Balancer>) {
    let sock = Arc::new(sock);
    let flows = Flows::default();
    let label = balancer.label.clone();
    let mut endpoints = balancer.backends.subscribe();
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        tokio::select! {
            r = sock.recv_from(&mut buf) => {
                let Ok((n, peer)) = r else { continue };
                let existing = flows
                    .lock()
                    .unwrap()
                    .get(&peer)
                    .map(|f| (f.upstream.clone(), f.last_sent.clone()));
                let flow = match existing {
                    Some(f) => Some(f),
                    None => {
                        let hop = cluster.net().take_hop_info(peer).unwrap_or_else(|| Hop {
                            from: "host".into(),
                            dialled: None,
                            probe: false,
                        });
                        match balancer.pick(&hop.from) {
                            Some(backend) => open_flow(&cluster, &sock, &flows, peer, backend, hop, &label).await,
                            None => None,
                        }
                    }
                };
                if let Some((upstream, last_sent)) = flow {
                    *last_sent.lock().unwrap() = tokio::time::Instant::now();
                    let _ = upstream.send(&buf[..n]).await;
                }
            }
            Ok(()) = endpoints.changed() => {
                let live = endpoints.borrow_and_update().clone();
                flows.lock().unwrap().retain(|_, f| {
                    let keep = live.iter().any(|b| b.addr == f.backend);
                    if !keep {
                        f.task.abort();
                    }
                    keep
                });
            }
        }
    }
}

/// Start a flow from `client` to `backend`: a socket towards the endpoint and a task that
/// relays its replies back to the client until the flow goes idle.
async fn open_flow(
    cluster: &Cluster,
    listener: &Arc<UdpSocket>,
    flows: &Flows,
    client: SocketAddr,
    backend: Backend,
    hop: Hop,
    label: &str,
) -> Option<(Arc<UdpSocket>, Arc<Mutex<tokio::time::Instant>>)> {
    let Hop { from, probe, dialled } = hop;
    let dialled = dialled.or(match listener.local_addr() {
        Ok(SocketAddr::V4(a)) => Some(a),
        _ => None,
    });
    let Some(UdpRoute::Socket(real)) = cluster.net().udp_route(backend.addr) else {
        return None;
    };
    let upstream = Arc::new(connect_udp_loopback(real).await.ok()?);
    if let Ok(local) = upstream.local_addr() {
        let onward = Hop {
            from: format!("{from} via {label}"),
            dialled,
            probe,
        };
        cluster.net().note_hop_info(local, onward);
    }
    let last_sent = Arc::new(Mutex::new(tokio::time::Instant::now()));
    let relay = {
        let (cluster, listener, upstream, flows) = (cluster.clone(), listener.clone(), upstream.clone(), flows.clone());
        let (last_sent, label, pod) = (last_sent.clone(), label.to_string(), backend.pod.clone());
        async move {
            let mut buf = vec![0u8; MAX_DATAGRAM];
            // Ends when idle, or when the endpoint's socket is gone (ICMP port unreachable).
            while let Ok(Ok(n)) = tokio::time::timeout(UDP_FLOW_IDLE, upstream.recv(&mut buf)).await {
                let _ = listener.send_to(&buf[..n], client).await;
                let latency = last_sent.lock().unwrap().elapsed();
                cluster.net().emit(TrafficEvent {
                    from: from.clone(),
                    service: Some(label.clone()),
                    pod: Some(pod.clone()),
                    bytes: n as u64,
                    status: None,
                    latency,
                    summary: "datagram".into(),
                    dialled,
                    probe,
                });
            }
            let mut flows = flows.lock().unwrap();
            if flows.get(&client).is_some_and(|f| Arc::ptr_eq(&f.upstream, &upstream)) {
                flows.remove(&client);
            }
        }
    };
    let task = cluster.spawn_handle(relay);
    flows.lock().unwrap().insert(
        client,
        Flow {
            backend: backend.addr,
            upstream: upstream.clone(),
            last_sent: last_sent.clone(),
            task,
        },
    );
    Some((upstream, last_sent))
}
