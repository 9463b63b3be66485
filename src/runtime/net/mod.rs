//! The data plane's plumbing: the route table from virtual cluster addresses to real loopback
//! sockets, the one place that opens outgoing connections, and the stream of traffic events.
//!
//! Every outgoing TCP connection of the lab goes through [`Net::connect`] → [`connect_loopback`],
//! which refuses anything that is not a loopback address. Cluster addresses (10.x) are never
//! dialled: they are looked up here and replaced by the loopback listener that stands for them.
//! Datagrams take the same way through [`Net::exchange_udp`] (see [`udp`]).

pub mod addresses;
pub mod dns;
pub mod dns_server;
pub mod http;
pub mod proxy;
pub mod resolver;
pub mod tls;
pub mod traffic_log;
pub mod udp;

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::RwLock;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::broadcast;

/// Who opens a connection: decides what is reachable (the host sees only node and load-balancer
/// addresses, like a laptop outside a real cluster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The learner's machine (the lab shell, or a real `curl` in another terminal).
    Host,
    /// A pod, e.g. `kubectl exec` or the frontend's nginx.
    Pod {
        namespace: String,
        name: String,
        ip: Ipv4Addr,
    },
    /// A node's own shell (`minikube ssh`).
    Node { name: String, ip: Ipv4Addr },
}

impl Origin {
    pub fn label(&self) -> String {
        match self {
            Origin::Host => "host".into(),
            Origin::Pod { name, .. } => format!("pod/{name}"),
            Origin::Node { name, .. } => format!("node/{name}"),
        }
    }
}

/// Where a virtual address leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A real loopback listener.
    Listener(SocketAddr),
    /// Refuse the connection (a Service with no endpoints: kube-proxy's REJECT rule).
    Reject,
}

/// One request or connection seen by the data plane, for the traffic view and pod logs.
#[derive(Debug, Clone, PartialEq)]
pub struct TrafficEvent {
    /// `host`, `pod/frontend-…`, `node/minikube`.
    pub from: String,
    /// `default/hello:80` when the connection went through a Service.
    pub service: Option<String>,
    /// The pod that served it.
    pub pod: Option<String>,
    pub bytes: u64,
    /// HTTP status, when the server is an HTTP image.
    pub status: Option<u16>,
    pub latency: Duration,
    /// A short description: `GET /` or `connection refused`.
    pub summary: String,
    /// The address the client dialled, as it saw it: a node's address and NodePort, a load
    /// balancer's address, a ClusterIP and port, a pod IP (`None` when the lab cannot tell).
    pub dialled: Option<SocketAddrV4>,
    /// Sent by the lab itself (a lesson check's probe), not by the learner: views and traffic
    /// checks leave it out (see [`traffic_log`]).
    pub probe: bool,
}

/// What a connection's server learns about its caller through the hop table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// `host`, `pod/x`, or `pod/x via default/hello:80` after kube-proxy.
    pub from: String,
    /// The address the original client dialled (see [`TrafficEvent::dialled`]).
    pub dialled: Option<SocketAddrV4>,
    /// The connection belongs to a probe.
    pub probe: bool,
}

/// The lab's network: routes and traffic events. Owned by the cluster.
pub struct Net {
    routes: RwLock<HashMap<SocketAddrV4, Route>>,
    udp_routes: RwLock<HashMap<SocketAddrV4, udp::UdpRoute>>,
    /// ClusterIP ports and how they pick an endpoint, for connections from inside the lab.
    balancers: RwLock<HashMap<SocketAddrV4, std::sync::Arc<proxy::Balancer>>>,
    traffic: broadcast::Sender<TrafficEvent>,
    /// The same events, kept for a while for checks that ask after the fact.
    log: traffic_log::TrafficLog,
    /// The last hop a proxied connection took, keyed by the proxy's client address, so that the
    /// pod that answers can say which Service brought the request.
    hops: RwLock<HashMap<SocketAddr, Hop>>,
}

impl Default for Net {
    fn default() -> Self {
        Net::new()
    }
}

impl Net {
    pub fn new() -> Net {
        let (traffic, _) = broadcast::channel(4096);
        Net {
            routes: RwLock::new(HashMap::new()),
            udp_routes: RwLock::new(HashMap::new()),
            balancers: RwLock::new(HashMap::new()),
            traffic,
            log: traffic_log::TrafficLog::default(),
            hops: RwLock::new(HashMap::new()),
        }
    }

    pub fn set_route(&self, virt: SocketAddrV4, route: Route) {
        self.routes.write().unwrap().insert(virt, route);
    }

    pub fn remove_route(&self, virt: SocketAddrV4) {
        self.routes.write().unwrap().remove(&virt);
    }

    pub fn route(&self, virt: SocketAddrV4) -> Option<Route> {
        self.routes.read().unwrap().get(&virt).copied()
    }

    pub(crate) fn set_balancer(&self, virt: SocketAddrV4, balancer: std::sync::Arc<proxy::Balancer>) {
        self.balancers.write().unwrap().insert(virt, balancer);
    }

    fn balancer(&self, virt: SocketAddrV4) -> Option<std::sync::Arc<proxy::Balancer>> {
        self.balancers.read().unwrap().get(&virt).cloned()
    }

    pub(crate) fn remove_balancer(&self, virt: SocketAddrV4) {
        self.balancers.write().unwrap().remove(&virt);
    }

    pub fn traffic(&self) -> broadcast::Receiver<TrafficEvent> {
        self.traffic.subscribe()
    }

    /// Send an event to the live views and keep it in the log. An event emitted inside
    /// [`traffic_log::probing`] is marked as a probe whatever its emitter said.
    pub fn emit(&self, mut ev: TrafficEvent) {
        ev.probe |= traffic_log::is_probing();
        self.log.push(ev.clone());
        let _ = self.traffic.send(ev);
    }

    /// The learner's latest requests, to save with the cluster.
    pub fn export_traffic(&self) -> Vec<traffic_log::SavedTraffic> {
        self.log.export()
    }

    /// Bring back saved requests (a restored cluster).
    pub fn import_traffic(&self, saved: &[traffic_log::SavedTraffic]) {
        self.log.import(saved)
    }

    /// The events kept since `since` (all kept events for `None`), oldest first.
    pub fn traffic_since(&self, since: Option<std::time::Instant>) -> Vec<traffic_log::TrafficRecord> {
        self.log.since(since)
    }

    /// Tell the server behind `local`'s peer who is calling; inside a probe the hop says so.
    pub(crate) fn note_hop_info(&self, local: SocketAddr, mut hop: Hop) {
        hop.probe |= traffic_log::is_probing();
        self.hops.write().unwrap().insert(local, hop);
    }

    /// Connect to the loopback address `real` and tell the server who is calling (`pod/x via
    /// default/hello:80`) and what they dialled. The hop is written before the caller can send
    /// a byte, and servers read it when the first request arrives, so they always find it.
    pub(crate) async fn connect_as(&self, real: SocketAddr, hop: Hop) -> io::Result<TcpStream> {
        let stream = connect_loopback(real).await?;
        self.note_hop_info(stream.local_addr()?, hop);
        Ok(stream)
    }

    pub(crate) fn take_hop(&self, peer: SocketAddr) -> Option<String> {
        self.take_hop_info(peer).map(|h| h.from)
    }

    pub(crate) fn take_hop_info(&self, peer: SocketAddr) -> Option<Hop> {
        self.hops.write().unwrap().remove(&peer)
    }

    pub(crate) fn shutdown(&self) {
        self.routes.write().unwrap().clear();
        self.udp_routes.write().unwrap().clear();
        self.balancers.write().unwrap().clear();
    }

    /// Open a TCP connection from `origin` to a cluster or host address, the way the packet
    /// would travel: virtual addresses are translated, unreachable ones hang (the caller's
    /// timeout fires, as with a real black hole) and foreign ones are refused outright.
    pub async fn connect(&self, origin: &Origin, addr: SocketAddr) -> io::Result<TcpStream> {
        let v4 = match addr {
            SocketAddr::V4(v4) => v4,
            SocketAddr::V6(v6) if v6.ip().is_loopback() => return connect_loopback(addr).await,
            SocketAddr::V6(_) => return Err(refuse_foreign(addr)),
        };
        let ip = *v4.ip();
        // Servers in the lab learn who called (a pod, a node) and what they dialled; the host
        // needs no introduction, unless it is the lab's own probe.
        let dial = |real: SocketAddr| async move {
            match origin {
                Origin::Host if !traffic_log::is_probing() => connect_loopback(real).await,
                _ => {
                    let hop = Hop {
                        from: origin.label(),
                        dialled: Some(v4),
                        probe: false,
                    };
                    self.connect_as(real, hop).await
                }
            }
        };
        // A pod's own localhost is its network namespace: its containers' ports.
        if let (Origin::Pod { ip: pod_ip, .. }, true) = (origin, ip.is_loopback() && ip == Ipv4Addr::LOCALHOST) {
            return match self.route(SocketAddrV4::new(*pod_ip, v4.port())) {
                Some(Route::Listener(real)) => dial(real).await,
                _ => Err(io::Error::new(io::ErrorKind::ConnectionRefused, "connection refused")),
            };
        }
        let virtual_addr = addresses::in_service_cidr(ip) || addresses::in_pod_cidr(ip);
        if virtual_addr && *origin == Origin::Host {
            // Not routable from outside the cluster: the SYN goes nowhere. Said once, for
            // whoever asks later why nothing answered (a lesson check); no pod served it.
            self.emit(TrafficEvent {
                from: origin.label(),
                service: None,
                pod: None,
                bytes: 0,
                status: None,
                latency: Duration::ZERO,
                summary: "no route from outside the cluster".into(),
                dialled: Some(v4),
                probe: false,
            });
            return std::future::pending().await;
        }
        // A ClusterIP from inside the cluster: kube-proxy's iptables rules rewrite the
        // destination to one endpoint (DNAT), so the connection goes straight to the pod — no
        // proxy in between, and the pod learns which Service brought it.
        if let (Some(Route::Listener(_)), Some(balancer)) = (self.route(v4), self.balancer(v4)) {
            let from = origin.label();
            let Some(backend) = balancer.pick(&from) else {
                return Err(io::Error::new(io::ErrorKind::ConnectionRefused, "connection refused"));
            };
            let Some(Route::Listener(real)) = self.route(backend.addr) else {
                return Err(io::Error::new(io::ErrorKind::ConnectionRefused, "connection refused"));
            };
            let hop = Hop {
                from: format!("{from} via {}", balancer.label),
                dialled: Some(v4),
                probe: false,
            };
            return self.connect_as(real, hop).await;
        }
        match self.route(v4) {
            Some(Route::Listener(real)) => dial(real).await,
            Some(Route::Reject) => Err(io::Error::new(io::ErrorKind::ConnectionRefused, "connection refused")),
            None if addresses::in_pod_cidr(ip) => {
                Err(io::Error::new(io::ErrorKind::ConnectionRefused, "connection refused"))
            }
            // A ClusterIP port nobody serves is dropped by kube-proxy's rules.
            None if addresses::in_service_cidr(ip) => std::future::pending().await,
            None if ip.is_loopback() => dial(addr).await,
            None => Err(refuse_foreign(addr)),
        }
    }
}

fn refuse_foreign(addr: SocketAddr) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("k8s-lab never connects outside this machine ({addr} is not a lab address)"),
    )
}

/// The only function in the lab that dials a TCP connection. It refuses every non-loopback
/// address, whatever the caller asked for.
pub async fn connect_loopback(addr: SocketAddr) -> io::Result<TcpStream> {
    if !is_loopback(addr.ip()) {
        return Err(refuse_foreign(addr));
    }
    let stream = TcpStream::connect(addr).await?;
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback(),
    }
}

/// Bind a TCP listener, refusing any non-loopback address.
pub async fn bind_loopback(addr: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    listen_loopback(addr)
}

/// [`bind_loopback`] without the `async`, for code that binds from a plain function (kube-proxy's
/// reconcile). Must be called inside a tokio runtime.
///
/// Port 0 ("any free port") is not left to the kernel: Linux looks for a free port by walking
/// the ephemeral range from a random start and checking every busy port it meets, so with
/// thousands of pod listeners on 127.0.0.1 each bind walked longer runs of busy ports and
/// starting 10,000 pods spent most of its time in that search. Binding one random port of the
/// same range checks one port; when a few tries all find busy ports, the kernel picks after all.
pub fn listen_loopback(addr: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    if !is_loopback(addr.ip()) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("k8s-lab binds loopback addresses only, not {addr}"),
        ));
    }
    if addr.port() == 0 {
        let ports = ephemeral_ports();
        for _ in 0..RANDOM_PORT_TRIES {
            let port = rand::random_range(ports.range.clone());
            if ports.reserved.iter().any(|r| r.contains(&port)) {
                continue;
            }
            let mut candidate = addr;
            candidate.set_port(port);
            match listen_on(candidate) {
                Ok(l) => return Ok(l),
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
                Err(_) => break,
            }
        }
    }
    listen_on(addr)
}

/// How many random ports [`listen_loopback`] tries before asking the kernel. With the range
/// three-quarters full, all of them are busy less than once in ten thousand binds.
const RANDOM_PORT_TRIES: usize = 32;

fn listen_on(addr: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    let sock = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    // A restarted lab can rebind at once; two sockets that raced to the same random port
    // are told apart by listen(), which lets only one of them listen.
    sock.set_reuseaddr(true)?;
    sock.bind(addr)?;
    sock.listen(1024)
}

/// The ports the OS gives out for port 0, as the kernel would choose them.
struct EphemeralPorts {
    range: std::ops::RangeInclusive<u16>,
    reserved: Vec<std::ops::RangeInclusive<u16>>,
}

fn ephemeral_ports() -> &'static EphemeralPorts {
    static PORTS: std::sync::OnceLock<EphemeralPorts> = std::sync::OnceLock::new();
    PORTS.get_or_init(|| {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let range = read("/proc/sys/net/ipv4/ip_local_port_range")
            .split_whitespace()
            .map(|p| p.parse::<u16>().ok())
            .collect::<Option<Vec<_>>>()
            .filter(|v| v.len() == 2 && 0 < v[0] && v[0] <= v[1])
            .map(|v| v[0]..=v[1])
            // IANA's dynamic ports, what macOS and Windows use.
            .unwrap_or(49152..=65535);
        EphemeralPorts {
            range,
            reserved: parse_port_ranges(&read("/proc/sys/net/ipv4/ip_local_reserved_ports")),
        }
    })
}

/// `ip_local_reserved_ports` syntax: `8080,9000-9100`.
fn parse_port_ranges(s: &str) -> Vec<std::ops::RangeInclusive<u16>> {
    s.trim()
        .split(',')
        .filter_map(|r| {
            let (a, b) = r.trim().split_once('-').unwrap_or((r.trim(), r.trim()));
            Some(a.parse().ok()?..=b.parse().ok()?)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn foreign_addresses_are_refused_without_dialling() {
        let net = Net::new();
        let err = net
            .connect(&Origin::Host, "192.168.1.1:80".parse().unwrap())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        let err = connect_loopback("8.8.8.8:53".parse().unwrap()).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        let any = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(0, 0, 0, 0)), 0);
        assert!(bind_loopback(any).await.is_err(), "the wildcard address is refused");
    }

    #[tokio::test]
    async fn any_port_binds_a_free_ephemeral_port() {
        let a = bind_loopback("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let b = listen_loopback("127.0.0.1:0".parse().unwrap()).unwrap();
        let (a, b) = (a.local_addr().unwrap(), b.local_addr().unwrap());
        assert_ne!(a.port(), b.port());
        assert!(a.ip().is_loopback() && b.ip().is_loopback());
        assert!(ephemeral_ports().range.contains(&a.port()));
        // A port in use is not taken again.
        let err = listen_loopback(a).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        assert_eq!(parse_port_ranges("8080, 9000-9100\n"), vec![8080..=8080, 9000..=9100]);
        assert!(parse_port_ranges("").is_empty());
    }

    #[tokio::test]
    async fn virtual_addresses_are_mapped_before_connect() {
        let net = Net::new();
        let listener = bind_loopback("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let real = listener.local_addr().unwrap();
        let virt: SocketAddrV4 = "10.244.1.7:80".parse().unwrap();
        net.set_route(virt, Route::Listener(real));
        let pod = Origin::Pod {
            namespace: "default".into(),
            name: "p".into(),
            ip: Ipv4Addr::new(10, 244, 2, 3),
        };
        let stream = net.connect(&pod, SocketAddr::V4(virt)).await.unwrap();
        assert_eq!(stream.peer_addr().unwrap(), real);
        // An unknown pod port is refused, as a pod's kernel would.
        let err = net.connect(&pod, "10.244.1.7:81".parse().unwrap()).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        // From the host, pod IPs are not routable at all.
        let r = tokio::time::timeout(
            Duration::from_millis(50),
            net.connect(&Origin::Host, SocketAddr::V4(virt)),
        )
        .await;
        assert!(r.is_err(), "host must not reach a pod IP");
    }
}
