//! Safety by construction: every socket the lab listens on is bound to a loopback address.
//! The test brings up pods, Services of every exposed type, a load balancer and a
//! `kubectl port-forward`, then reads this process's sockets from `/proc/self/fd` and their addresses from `/proc/net/{tcp,tcp6,udp,udp6}`.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};

const APP: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web-np
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web-lb
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - port: 8080
    targetPort: 80
"#;

/// Inodes of this process's sockets.
fn my_socket_inodes() -> HashSet<u64> {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter_map(|l| l.to_str()?.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok())
        .collect()
}

fn parse_addr(hex: &str, v6: bool) -> IpAddr {
    let (ip, _) = hex.split_once(':').unwrap();
    if v6 {
        let mut b = [0u8; 16];
        for i in 0..4 {
            let word = u32::from_str_radix(&ip[i * 8..i * 8 + 8], 16).unwrap();
            b[i * 4..i * 4 + 4].copy_from_slice(&word.to_le_bytes());
        }
        IpAddr::V6(Ipv6Addr::from(b))
    } else {
        IpAddr::V4(Ipv4Addr::from(u32::from_str_radix(ip, 16).unwrap().to_le_bytes()))
    }
}

/// (local address, is listening) of this process's TCP/UDP sockets.
fn my_sockets() -> Vec<(String, IpAddr, bool)> {
    let mine = my_socket_inodes();
    let mut out = Vec::new();
    for (file, v6, udp) in [
        ("/proc/net/tcp", false, false),
        ("/proc/net/tcp6", true, false),
        ("/proc/net/udp", false, true),
        ("/proc/net/udp6", true, true),
    ] {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let inode: u64 = cols[9].parse().unwrap_or(0);
            if !mine.contains(&inode) {
                continue;
            }
            // TCP state 0A is LISTEN; every bound UDP socket receives.
            let listening = udp || cols[3] == "0A";
            out.push((format!("{file} {}", cols[1]), parse_addr(cols[1], v6), listening));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_listener_is_on_a_loopback_address() {
    let config = ClusterConfig {
        node_block: 14,
        lb_pool: vec![Ipv4Addr::new(127, 0, 114, 1)],
        clock_speed: 20.0,
        ..Default::default()
    };
    let cluster = Cluster::start(config).await.unwrap();
    for obj in decode_manifests(APP, "test") {
        cluster.apply(obj.unwrap()).unwrap();
    }
    let up = cluster
        .wait_until(Duration::from_secs(120), |c| {
            let ready = c
                .list(Kind::Pod, Some("default"))
                .iter()
                .filter(|p| p.as_pod().and_then(|p| p.status.as_ref()?.pod_ip.clone()).is_some())
                .count();
            let lb = c
                .get(Kind::Service, "default", "web-lb")
                .and_then(|s| s.as_service()?.status.as_ref()?.load_balancer.as_ref()?.ingress.clone())
                .is_some_and(|i| !i.is_empty());
            let dns = c
                .get(Kind::Endpoints, "kube-system", "kube-dns")
                .and_then(|e| e.as_endpoints()?.subsets.clone())
                .is_some_and(|s| !s.is_empty());
            ready == 2 && lb && dns
        })
        .await;
    assert!(up);
    for _ in 0..200 {
        if !cluster.lb_listener("default", "web-lb").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // A learner's `kubectl port-forward` listens too (on `localhost`: 127.0.0.1 and ::1).
    let (out, buf) = k8s_lab::io::Output::buffer();
    let c = cluster.clone();
    let forward = tokio::spawn(async move {
        let ws = k8s_lab::workspace::Workspace::new(std::env::temp_dir());
        let ctx = k8s_lab::kubectl::Ctx {
            cluster: &c,
            workspace: &ws,
            stdin: None,
        };
        let args: Vec<String> = ["port-forward", "deploy/web", ":80"].map(String::from).to_vec();
        k8s_lab::kubectl::run(&ctx, &args, &out).await
    });
    let mut forwarded = None;
    for _ in 0..500 {
        let text = buf.text();
        if let Some(rest) = text.strip_prefix("Forwarding from 127.0.0.1:") {
            forwarded = rest.split(' ').next().and_then(|p| p.parse::<u16>().ok());
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let forwarded = forwarded.unwrap_or_else(|| panic!("port-forward did not start: {}", buf.text()));

    let sockets = my_sockets();
    let listeners: Vec<_> = sockets.iter().filter(|(_, _, l)| *l).collect();
    assert!(
        listeners
            .iter()
            .any(|(a, _, _)| a.ends_with(&format!("0100007F:{forwarded:04X}"))),
        "the port-forward listener 127.0.0.1:{forwarded} is among {listeners:?}"
    );
    // 2 pods + 3 ClusterIP proxies (kubernetes has no selector, but web-np, web-lb, kube-dns TCP)
    // + NodePorts on 3 nodes for 2 Services + the load balancer: well over ten listeners.
    assert!(
        listeners.len() >= 10,
        "expected the lab's listeners, found {listeners:?}"
    );
    // UDP: the DNS server for the host, kube-dns's 53/UDP proxy socket and CoreDNS's own.
    let udp = listeners
        .iter()
        .filter(|(a, _, _)| a.starts_with("/proc/net/udp"))
        .count();
    assert!(udp >= 3, "expected the lab's UDP sockets, found {listeners:?}");
    let bad: Vec<_> = listeners.iter().filter(|(_, ip, _)| !ip.is_loopback()).collect();
    assert!(bad.is_empty(), "listeners not on loopback: {bad:?}");
    // The node ports really are on the node addresses.
    assert!(listeners
        .iter()
        .any(|(_, ip, _)| *ip == IpAddr::V4(Ipv4Addr::new(127, 0, 14, 3))));
    forward.abort();
    cluster.shutdown();
}
