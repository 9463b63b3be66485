//! Soak: many requests through a Service must not make the lab grow. After a warm-up (which
//! fills the pods' bounded access logs and the traffic channel), resident memory and open file
//! descriptors are sampled, the load runs, and they are sampled again: the growth must stay
//! under a fixed bound, whatever the number of requests.
//!
//! CI runs a shortened soak (`SOAK_REQUESTS`, default 40,000). The full one is documented in
//! the README: `SOAK_REQUESTS=1000000 cargo test --release --test soak -- --nocapture`.

mod support;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::net::Origin;
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};
use support::cluster::ready_endpoints;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const APP: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: soak
spec:
  replicas: 2
  selector:
    matchLabels: {app: soak}
  template:
    metadata:
      labels: {app: soak}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
---
apiVersion: v1
kind: Service
metadata:
  name: soak
spec:
  selector: {app: soak}
  ports:
  - port: 80
    targetPort: 8080
"#;

/// Workers sending requests at once; each reconnects after this many requests, so connection
/// set-up and tear-down (proxy tasks, hop records, sockets) are soaked too.
const WORKERS: usize = 16;
const PER_CONNECTION: u64 = 100;

/// Growth allowed between the two samples, whatever the number of requests.
const RSS_BOUND_KIB: i64 = 24 * 1024;
const FD_BOUND: i64 = 8;

fn rss_kib() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

fn open_fds() -> i64 {
    std::fs::read_dir("/proc/self/fd").unwrap().count() as i64
}

/// One keep-alive request; `false` when the connection is gone.
async fn request(s: &mut tokio::net::TcpStream, buf: &mut [u8]) -> bool {
    if s.write_all(b"GET / HTTP/1.1\r\nHost: soak\r\n\r\n").await.is_err() {
        return false;
    }
    let mut got = Vec::new();
    loop {
        let Ok(n) = s.read(buf).await else { return false };
        if n == 0 {
            return false;
        }
        got.extend_from_slice(&buf[..n]);
        // kubia's body is one line ending in a newline after the blank line of the head.
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            if got[end + 4..].ends_with(b"\n") {
                return got.starts_with(b"HTTP/1.1 200");
            }
        }
    }
}

/// Send `total` requests through the Service from a pod; returns how many got a 200.
async fn run(cluster: &Cluster, svc: SocketAddrV4, total: u64) -> u64 {
    let next = Arc::new(AtomicU64::new(0));
    let ok = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let (cluster, next, ok) = (cluster.clone(), next.clone(), ok.clone());
            tokio::spawn(async move {
                let client = Origin::Pod {
                    namespace: "default".into(),
                    name: format!("load-{w}"),
                    ip: Ipv4Addr::new(10, 244, 201, 2 + w as u8),
                };
                let mut buf = vec![0u8; 4096];
                'conns: while next.load(Ordering::Relaxed) < total {
                    let mut s = cluster.net().connect(&client, SocketAddr::V4(svc)).await.unwrap();
                    for _ in 0..PER_CONNECTION {
                        if next.fetch_add(1, Ordering::Relaxed) >= total {
                            break 'conns;
                        }
                        if !request(&mut s, &mut buf).await {
                            continue 'conns;
                        }
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    ok.load(Ordering::Relaxed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_and_descriptors_stay_bounded_under_load() {
    let total: u64 = std::env::var("SOAK_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40_000);
    let cluster = Cluster::start(ClusterConfig {
        node_block: 18,
        clock_speed: 20.0,
        ..Default::default()
    })
    .await
    .unwrap();
    for obj in decode_manifests(APP, "soak") {
        cluster.apply(obj.unwrap()).unwrap();
    }
    let ready = cluster
        .wait_until(Duration::from_secs(120), |c| ready_endpoints(c, "default", "soak") == 2)
        .await;
    assert!(ready);
    cluster.settle(Duration::from_secs(2)).await;
    let cip: Ipv4Addr = cluster
        .get(Kind::Service, "default", "soak")
        .unwrap()
        .cluster_ip()
        .unwrap()
        .parse()
        .unwrap();
    let svc = SocketAddrV4::new(cip, 80);
    // Someone watches the traffic, as the TUI does, and keeps up.
    let mut traffic = cluster.net().traffic();
    let watcher = tokio::spawn(async move {
        let mut seen = 0u64;
        loop {
            match traffic.recv().await {
                Ok(_) => seen += 1,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => seen += n,
                Err(_) => return seen,
            }
        }
    });

    // Warm-up: fills both pods' access logs to their cap (10,000 lines each) and every pool.
    let warm = 25_000;
    assert_eq!(run(&cluster, svc, warm).await, warm);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (rss0, fds0) = (rss_kib(), open_fds());

    let t = Instant::now();
    let ok = run(&cluster, svc, total).await;
    let secs = t.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rss1, fds1) = (rss_kib(), open_fds());
    eprintln!(
        "soak: {ok} of {total} requests in {secs:.1} s ({:.0}/s); RSS {} → {} KiB ({:+} KiB); fds {fds0} → {fds1}",
        ok as f64 / secs,
        rss0,
        rss1,
        rss1 - rss0
    );
    assert_eq!(ok, total, "every request got a 200");
    assert!(
        rss1 - rss0 <= RSS_BOUND_KIB,
        "RSS grew by {} KiB over {total} requests (bound {RSS_BOUND_KIB} KiB)",
        rss1 - rss0
    );
    assert!(
        fds1 - fds0 <= FD_BOUND,
        "open descriptors grew from {fds0} to {fds1} over {total} requests"
    );
    cluster.shutdown();
    watcher.abort();
}
