//! kube-proxy for UDP, seen from a client: the kube-dns Service forwards real DNS packets to
//! CoreDNS pods, one flow per client address sticks to one pod, a flow whose pod goes away moves
//! to a live pod, a UDP NodePort is reachable from the host, and with no CoreDNS left names stop
//! resolving.

mod support;

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

use hickory_proto::op::{Message, Query};
use hickory_proto::rr::{Name, RData, RecordType};
use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::net::addresses::{node_ip, KUBE_DNS_IP};
use k8s_lab::runtime::net::resolver::{self, ResolveError};
use k8s_lab::runtime::net::udp::{connect_udp_loopback, UdpRoute};
use k8s_lab::runtime::net::{Origin, TrafficEvent};
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind, Object};
use support::cluster::ready_endpoints;

const BLOCK: u8 = 17;

const DNS_NODEPORT: &str = r#"
apiVersion: v1
kind: Service
metadata:
  name: dns-outside
  namespace: kube-system
spec:
  type: NodePort
  selector: {k8s-app: kube-dns}
  ports:
  - name: dns
    port: 53
    protocol: UDP
    nodePort: 30553
"#;

fn query(name: &str) -> Vec<u8> {
    let mut q = Message::query();
    q.metadata.id = rand::random();
    q.add_query(Query::query(Name::from_ascii(name).unwrap(), RecordType::A));
    q.to_vec().unwrap()
}

fn first_a(reply: &[u8]) -> Ipv4Addr {
    let m = Message::from_vec(reply).unwrap();
    m.answers
        .iter()
        .find_map(|r| match &r.data {
            RData::A(a) => Some(a.0),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no A record in {m:?}"))
}

fn set_coredns_replicas(cluster: &Cluster, n: i32) {
    let mut dep = (*cluster.get(Kind::Deployment, "kube-system", "coredns").unwrap()).clone();
    if let Object::Deployment(d) = &mut dep {
        d.spec.as_mut().unwrap().replicas = Some(n);
    }
    cluster.update(dep).unwrap();
}

/// Wait (real time) for kube-proxy's state, which is not in the store (`wait_until` only looks
/// again when the store changes).
async fn poll_until(cond: impl Fn() -> bool) -> bool {
    for _ in 0..3000 {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

/// The UDP events that came back through `service` since the last call.
fn datagrams(rx: &mut tokio::sync::broadcast::Receiver<TrafficEvent>, service: &str) -> Vec<TrafficEvent> {
    let mut out = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        if ev.service.as_deref() == Some(service) {
            out.push(ev);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_over_udp_goes_through_kube_proxy_to_coredns() {
    let cluster = Cluster::start(ClusterConfig {
        node_block: BLOCK,
        clock_speed: 20.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let pod = Origin::Pod {
        namespace: "default".into(),
        name: "client".into(),
        ip: Ipv4Addr::new(10, 244, 9, 9),
    };
    set_coredns_replicas(&cluster, 3);
    assert!(
        cluster
            .wait_until(Duration::from_secs(600), |c| ready_endpoints(
                c,
                "kube-system",
                "kube-dns"
            ) == 3)
            .await
    );
    let svc = SocketAddrV4::new(KUBE_DNS_IP, 53);
    assert!(poll_until(|| matches!(cluster.net().udp_route(svc), Some(UdpRoute::Socket(_)))).await);
    let mut traffic = cluster.net().traffic();
    const LABEL: &str = "kube-system/kube-dns:53/UDP";

    // A pod's resolver: a real query through the Service, answered by a CoreDNS pod.
    let (fqdn, ips) = resolver::resolve(&cluster, &pod, "kubernetes").await.unwrap();
    assert_eq!(fqdn, "kubernetes.default.svc.cluster.local");
    assert_eq!(ips, [Ipv4Addr::new(10, 96, 0, 1)]);
    let evs = datagrams(&mut traffic, LABEL);
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].from, "pod/client");
    assert!(evs[0].pod.as_deref().unwrap().starts_with("coredns-"), "{evs:?}");

    // Fresh client sockets are new flows: they spread over the three pods.
    for _ in 0..30 {
        let reply = cluster
            .net()
            .exchange_udp(
                &pod,
                svc,
                &query("kube-dns.kube-system.svc.cluster.local."),
                Duration::from_secs(5),
            )
            .await
            .unwrap();
        assert_eq!(first_a(&reply), KUBE_DNS_IP);
    }
    let pods: HashSet<String> = datagrams(&mut traffic, LABEL)
        .into_iter()
        .filter_map(|e| e.pod)
        .collect();
    assert!(pods.len() >= 2, "30 flows all went to {pods:?}");

    // One client socket is one flow: every datagram goes to the same pod …
    let Some(UdpRoute::Socket(real)) = cluster.net().udp_route(svc) else {
        panic!("kube-dns has a UDP listener")
    };
    let client = connect_udp_loopback(real).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let mut ask = async |client: &tokio::net::UdpSocket| {
        client
            .send(&query("kubernetes.default.svc.cluster.local."))
            .await
            .unwrap();
        let n = tokio::time::timeout(Duration::from_secs(5), client.recv(&mut buf))
            .await
            .expect("an answer")
            .unwrap();
        assert_eq!(first_a(&buf[..n]), Ipv4Addr::new(10, 96, 0, 1));
    };
    for _ in 0..5 {
        ask(&client).await;
    }
    let same: HashSet<String> = datagrams(&mut traffic, LABEL)
        .into_iter()
        .filter_map(|e| e.pod)
        .collect();
    assert_eq!(same.len(), 1, "one flow, one pod: {same:?}");
    let victim = same.into_iter().next().unwrap();

    // … until that pod goes away: the flow is forgotten and the next datagram finds a live pod.
    cluster.delete(Kind::Pod, "kube-system", &victim).unwrap();
    assert!(
        cluster
            .wait_until(Duration::from_secs(600), |c| {
                c.get(Kind::Endpoints, "kube-system", "kube-dns")
                    .and_then(|e| e.as_endpoints()?.subsets.clone())
                    .is_some_and(|s| {
                        s.iter()
                            .flat_map(|s| s.addresses.iter().flatten())
                            .all(|a| a.target_ref.as_ref().and_then(|t| t.name.as_deref()) != Some(&victim))
                    })
            })
            .await
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    ask(&client).await;
    let after = datagrams(&mut traffic, LABEL);
    assert_eq!(after.len(), 1, "{after:?}");
    assert_ne!(after[0].pod.as_deref(), Some(victim.as_str()));

    // A UDP NodePort answers the host on every node address.
    for obj in decode_manifests(DNS_NODEPORT, "t") {
        cluster.apply(obj.unwrap()).unwrap();
    }
    cluster.settle(Duration::from_secs(2)).await;
    let nodes = cluster.list(Kind::Node, None).len();
    for i in 0..nodes {
        let at = SocketAddrV4::new(node_ip(BLOCK, i), 30553);
        let reply = cluster
            .net()
            .exchange_udp(
                &Origin::Host,
                at,
                &query("kubernetes.default.svc.cluster.local."),
                Duration::from_secs(5),
            )
            .await
            .unwrap_or_else(|e| panic!("{at}: {e}"));
        assert_eq!(first_a(&reply), Ipv4Addr::new(10, 96, 0, 1));
    }
    // The ClusterIP itself is not routed from the host.
    let err = cluster
        .net()
        .exchange_udp(&Origin::Host, svc, &query("kubernetes."), Duration::from_millis(200))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);

    // No CoreDNS at all: kube-proxy rejects, and pods can resolve nothing.
    set_coredns_replicas(&cluster, 0);
    assert!(poll_until(|| cluster.net().udp_route(svc) == Some(UdpRoute::Reject)).await);
    assert_eq!(
        resolver::resolve(&cluster, &pod, "kubernetes").await,
        Err(ResolveError::NoServer)
    );
    // Addresses still work without DNS.
    assert!(resolver::resolve(&cluster, &pod, "10.96.0.1").await.is_ok());
    cluster.shutdown();
}
