//! kube-proxy: every Service port becomes real listeners that forward TCP to a random ready
//! endpoint per connection (iptables mode), or to the same one per client with
//! `sessionAffinity: ClientIP`.
//!
//! - ClusterIP: a listener on 127.0.0.1:ephemeral, routed from `clusterIP:port` (reachable only
//!   from inside the lab; a Service with no endpoints is routed to `Reject`, like kube-proxy's
//!   REJECT rule).
//! - NodePort: a listener on every node address at the node port (reachable from the host).
//! - LoadBalancer: a listener on the ingress address at the Service port, or, where the OS will
//!   not allow that port, on another one — said in a Warning event.

use std::collections::{BTreeMap, HashMap};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

use super::{connect_loopback, Route, TrafficEvent};
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
    backends: Backends,
    cluster_ip: Option<(SocketAddrV4, SocketAddr, AbortHandle)>,
    node_port: Option<(u16, Vec<AbortHandle>)>,
    lb: Option<(SocketAddrV4, SocketAddr, AbortHandle)>,
    affinity: bool,
}

impl PortProxy {
    fn stop(&mut self, cluster: &Cluster) {
        if let Some((virt, _, h)) = self.cluster_ip.take() {
            cluster.net().remove_route(virt);
            h.abort();
        }
        if let Some((_, hs)) = self.node_port.take() {
            hs.iter().for_each(AbortHandle::abort);
        }
        if let Some((virt, _, h)) = self.lb.take() {
            cluster.net().remove_route(virt);
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

/// Where a Service port is really listening, for `describe` and the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listening {
    pub port: i32,
    pub protocol: String,
    pub cluster_ip_listener: Option<SocketAddrV4>,
    pub load_balancer: Option<SocketAddr>,
}

impl Cluster {
    /// The load-balancer listener actually bound for `ip:port` (differs from it when the port
    /// had to fall back).
    pub fn lb_listener(&self, namespace: &str, name: &str) -> Vec<(SocketAddrV4, SocketAddr)> {
        let st = self.proxy().services.lock().unwrap();
        st.get(&(namespace.to_string(), name.to_string()))
            .map(|ports| {
                ports
                    .values()
                    .filter_map(|p| p.lb.as_ref().map(|(v, r, _)| (*v, *r)))
                    .collect()
            })
            .unwrap_or_default()
    }
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
    for (ns, name) in cluster.proxy().services.lock().unwrap().keys() {
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
    let state = cluster.proxy();
    let mut services = state.services.lock().unwrap();
    let (Some(obj), Some(spec), Some(cip)) = (svc_obj.clone(), spec, cluster_ip) else {
        if let Some(mut ports) = services.remove(&skey) {
            ports.values_mut().for_each(|p| p.stop(cluster));
        }
        return;
    };
    let ports = services.entry(skey.clone()).or_default();
    let wanted: Vec<_> = spec
        .ports
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.protocol.as_deref().unwrap_or("TCP") == "TCP")
        .collect();
    let wanted_keys: Vec<(i32, String)> = wanted.iter().map(|p| (p.port, "TCP".to_string())).collect();
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

    for sp in wanted {
        let Ok(port) = u16::try_from(sp.port) else { continue };
        let label = format!("{}/{}:{}", key.namespace, key.name, sp.port);
        let backends = backends_for(
            cluster,
            &key.namespace,
            &key.name,
            sp.name.as_deref().unwrap_or(""),
            "TCP",
        );
        let proxy = ports.entry((sp.port, "TCP".into())).or_insert_with(|| PortProxy {
            backends: Arc::new(tokio::sync::watch::Sender::new(Vec::new())),
            cluster_ip: None,
            node_port: None,
            lb: None,
            affinity,
        });
        proxy.affinity = affinity;
        proxy.backends.send_if_modified(|cur| {
            let changed = *cur != backends;
            *cur = backends.clone();
            changed
        });

        // ClusterIP.
        let virt = SocketAddrV4::new(cip, port);
        if proxy.cluster_ip.as_ref().is_some_and(|(v, _, _)| *v != virt) {
            if let Some((v, _, h)) = proxy.cluster_ip.take() {
                cluster.net().remove_route(v);
                h.abort();
            }
        }
        if proxy.cluster_ip.is_none() {
            if let Ok(listener) = std_bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))) {
                let real = listener.local_addr().expect("bound");
                let h = cluster.spawn_handle(accept_loop(
                    cluster.clone(),
                    listener,
                    proxy.backends.clone(),
                    label.clone(),
                    affinity,
                ));
                proxy.cluster_ip = Some((virt, real, h));
            }
        }
        if let Some((v, real, _)) = &proxy.cluster_ip {
            // Keep the listener; flip the route between it and Reject.
            cluster.net().set_route(
                *v,
                if backends.is_empty() {
                    Route::Reject
                } else {
                    Route::Listener(*real)
                },
            );
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
                    match std_bind(SocketAddr::from((*ip, np))) {
                        Ok(l) => handles.push(cluster.spawn_handle(accept_loop(
                            cluster.clone(),
                            l,
                            proxy.backends.clone(),
                            label.clone(),
                            affinity,
                        ))),
                        Err(e) => {
                            let msg = format!(
                                "could not listen on node port {ip}:{np}: {e}; the Service still works inside the lab"
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
                cluster.net().remove_route(v);
                h.abort();
            }
            if let Some(v) = lb_virt {
                let bound = std_bind(SocketAddr::V4(v)).or_else(|e| {
                    let fallback = std_bind(SocketAddr::from((*v.ip(), 0)));
                    if let Ok(l) = &fallback {
                        let real = l.local_addr().expect("bound");
                        let msg = format!(
                            "port {} is not available on {} ({e}); the load balancer listens on {} instead",
                            v.port(),
                            v.ip(),
                            real
                        );
                        cluster.record_event(&obj, "Warning", "LoadBalancerPortFallback", &msg, "kube-proxy");
                    }
                    fallback
                });
                if let Ok(l) = bound {
                    let real = l.local_addr().expect("bound");
                    if real != SocketAddr::V4(v) {
                        cluster.net().set_route(v, Route::Listener(real));
                    }
                    let h = cluster.spawn_handle(accept_loop(
                        cluster.clone(),
                        l,
                        proxy.backends.clone(),
                        label.clone(),
                        affinity,
                    ));
                    proxy.lb = Some((v, real, h));
                }
            }
        }
    }
}

/// Bind synchronously (so reconcile stays a plain function), loopback only.
fn std_bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    super::listen_loopback(addr)
}

async fn accept_loop(cluster: Cluster, listener: TcpListener, backends: Backends, label: String, affinity: bool) {
    let sticky: Arc<Mutex<HashMap<String, SocketAddrV4>>> = Arc::default();
    loop {
        let Ok((client, peer)) = listener.accept().await else {
            continue;
        };
        let (cluster, backends, label, sticky) = (cluster.clone(), backends.clone(), label.clone(), sticky.clone());
        tokio::spawn(async move {
            let from = cluster.net().take_hop(peer).unwrap_or_else(|| "host".into());
            let choice = {
                let list = backends.borrow();
                if list.is_empty() {
                    None
                } else if affinity {
                    let mut s = sticky.lock().unwrap();
                    let kept = s.get(&from).and_then(|a| list.iter().find(|b| b.addr == *a)).cloned();
                    let b = kept.unwrap_or_else(|| list[rand::random_range(0..list.len())].clone());
                    s.insert(from.clone(), b.addr);
                    Some(b)
                } else {
                    Some(list[rand::random_range(0..list.len())].clone())
                }
            };
            let Some(backend) = choice else {
                // No endpoints: refuse (close at once with a reset).
                let _ = client.set_zero_linger();
                cluster.net().emit(TrafficEvent {
                    from,
                    service: Some(label),
                    pod: None,
                    bytes: 0,
                    status: None,
                    latency: std::time::Duration::ZERO,
                    summary: "connection refused: no endpoints".into(),
                });
                return;
            };
            let watch = backends.subscribe();
            forward(cluster, client, backend, from, label, watch).await;
        });
    }
}

async fn forward(
    cluster: Cluster,
    mut client: TcpStream,
    backend: Backend,
    from: String,
    label: String,
    mut endpoints: tokio::sync::watch::Receiver<Vec<Backend>>,
) {
    let started = Instant::now();
    let Some(Route::Listener(real)) = cluster.net().route(backend.addr) else {
        let _ = client.set_zero_linger();
        return;
    };
    let Ok(mut upstream) = connect_loopback(real).await else {
        let _ = client.set_zero_linger();
        return;
    };
    if let Ok(local) = upstream.local_addr() {
        cluster.net().note_hop(local, format!("{from} via {label}"));
    }
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
        from,
        service: Some(label),
        pod: Some(backend.pod),
        bytes,
        status: None,
        latency: started.elapsed(),
        summary: "connection".into(),
    });
}
