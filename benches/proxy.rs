//! The Service proxy against the pod itself, and a fault run.
//!
//! 1. Throughput and latency: the same load generator sends keep-alive HTTP/1.1 requests to one
//!    kubia pod, at 1 and at 64 concurrent connections, three ways: from a pod to the pod's IP,
//!    from a pod to the Service's ClusterIP (translated at connect time, as iptables' DNAT
//!    does), and from the host to the Service's NodePort (the userspace proxy, a real extra
//!    hop). Rounds alternate the three so all see the same machine; each figure is the median
//!    of the rounds. Goal: through the Service ≥ 0.9 × direct, added p50 latency < 50 µs.
//! 2. Fault run, once from pods through the ClusterIP and once from the host through the
//!    NodePort's proxy: 200 connections for 30 s through a Service of 3 pods; one pod is
//!    deleted after 10 s. Every request must end in a response or a clean error (none hangs), and once the
//!    replacement is ready, traffic spreads over 3 pods again. Each client reconnects after 50
//!    requests, like real clients whose keep-alive connections are recycled.
//!
//! `cargo bench --bench proxy` (`-- --quick` for short rounds and a 6 s fault run).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::net::addresses::node_ip;
use k8s_lab::runtime::net::{connect_loopback, Origin};
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn app(replicas: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kubia\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: kubia}}\n  template:\n    metadata:\n      labels: {{app: kubia}}\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: kubia\nspec:\n  type: NodePort\n  selector: {{app: kubia}}\n  ports:\n  - port: 80\n    targetPort: 8080\n"
    )
}

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: kubia\r\n\r\n";

/// Send one request on a keep-alive connection and read the whole response; returns the body.
async fn request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<String> {
    stream.write_all(REQUEST).await?;
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if buf.len() >= end + 4 + len {
            return Ok(String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned());
        }
    }
}

/// Requests per second and latency percentiles of one load run.
struct Load {
    rps: f64,
    p50: Duration,
    p99: Duration,
}

/// Where the load goes, and from where.
#[derive(Clone)]
enum Target {
    /// A pod connecting to a cluster address (pod IP or ClusterIP), as `curl` in a pod does.
    FromPod(Cluster, SocketAddrV4),
    /// The learner's machine connecting to a real socket (a NodePort).
    FromHost(SocketAddr),
}

impl Target {
    async fn open(&self) -> TcpStream {
        self.try_open().await.unwrap()
    }

    async fn try_open(&self) -> std::io::Result<TcpStream> {
        match self {
            Target::FromPod(cluster, virt) => {
                let pod = Origin::Pod {
                    namespace: "default".into(),
                    name: "load".into(),
                    ip: Ipv4Addr::new(10, 244, 200, 2),
                };
                cluster.net().connect(&pod, SocketAddr::V4(*virt)).await
            }
            Target::FromHost(addr) => connect_loopback(*addr).await,
        }
    }
}

/// `conns` connections to `target`, each sending requests back to back for `secs`.
async fn load(target: &Target, conns: usize, secs: Duration) -> Load {
    let stop = Instant::now() + secs;
    let tasks: Vec<_> = (0..conns)
        .map(|_| {
            let target = target.clone();
            tokio::spawn(async move {
                let mut s = target.open().await;
                let mut lat = Vec::with_capacity(100_000);
                let mut buf = Vec::with_capacity(4096);
                while Instant::now() < stop {
                    let t = Instant::now();
                    request(&mut s, &mut buf).await.unwrap();
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    Load {
        rps: all.len() as f64 / secs.as_secs_f64(),
        p50: pct(0.50),
        p99: pct(0.99),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn endpoints(c: &Cluster) -> Vec<String> {
    c.get(Kind::Endpoints, "default", "kubia")
        .and_then(|e| e.as_endpoints()?.subsets.clone())
        .unwrap_or_default()
        .iter()
        .flat_map(|s| s.addresses.clone().unwrap_or_default())
        .filter_map(|a| a.target_ref?.name)
        .collect()
}

async fn start(replicas: usize, block: u8) -> (Cluster, SocketAddrV4) {
    let cluster = Cluster::start(ClusterConfig {
        node_block: block,
        ..Default::default()
    })
    .await
    .unwrap();
    for obj in decode_manifests(&app(replicas), "bench") {
        cluster.apply(obj.unwrap()).unwrap();
    }
    let ready = cluster
        .wait_until(Duration::from_secs(120), |c| endpoints(c).len() == replicas)
        .await;
    assert!(ready, "kubia never became ready");
    cluster.settle(Duration::from_secs(2)).await;
    let cip: Ipv4Addr = cluster
        .get(Kind::Service, "default", "kubia")
        .unwrap()
        .cluster_ip()
        .unwrap()
        .parse()
        .unwrap();
    (cluster, SocketAddrV4::new(cip, 80))
}

async fn proxy_vs_direct(quick: bool) {
    let (cluster, svc) = start(1, 240).await;
    let pod = cluster.list(Kind::Pod, Some("default"))[0].clone();
    let pod_ip: Ipv4Addr = pod
        .as_pod()
        .unwrap()
        .status
        .as_ref()
        .unwrap()
        .pod_ip
        .as_ref()
        .unwrap()
        .parse()
        .unwrap();
    let node_port = cluster
        .get(Kind::Service, "default", "kubia")
        .and_then(|s| s.as_service()?.spec.as_ref()?.ports.as_ref()?[0].node_port)
        .expect("a node port");
    let node = SocketAddr::from((node_ip(240, 0), node_port as u16));
    let paths = [
        (
            "pod → pod IP (direct)",
            Target::FromPod(cluster.clone(), SocketAddrV4::new(pod_ip, 8080)),
        ),
        ("pod → ClusterIP (DNAT)", Target::FromPod(cluster.clone(), svc)),
        ("host → NodePort (userspace proxy)", Target::FromHost(node)),
    ];
    let (rounds, secs) = if quick {
        (3, Duration::from_millis(500))
    } else {
        (5, Duration::from_secs(2))
    };
    for (_, t) in &paths {
        load(t, 4, Duration::from_millis(200)).await;
    }

    println!("| connections | path | requests/s | p50 | p99 |");
    println!("|---|---|---|---|---|");
    let mut summary = Vec::new();
    for conns in [1usize, 64] {
        let mut acc = vec![(Vec::new(), Vec::new(), Vec::new()); paths.len()];
        for _ in 0..rounds {
            for (i, (_, t)) in paths.iter().enumerate() {
                let l = load(t, conns, secs).await;
                acc[i].0.push(l.rps);
                acc[i].1.push(l.p50.as_secs_f64() * 1e6);
                acc[i].2.push(l.p99.as_secs_f64() * 1e6);
            }
        }
        let figures: Vec<(f64, f64, f64)> = acc
            .into_iter()
            .map(|(r, a, b)| (median(r), median(a), median(b)))
            .collect();
        for ((name, _), (rps, p50, p99)) in paths.iter().zip(&figures) {
            println!("| {conns} | {name} | {rps:.0} | {p50:.0} µs | {p99:.0} µs |");
        }
        let (d_rps, d50, d99) = figures[0];
        let plural = if conns == 1 { "" } else { "s" };
        for ((name, _), (rps, p50, p99)) in paths.iter().zip(&figures).skip(1) {
            summary.push(format!(
                "| Service | {name}, {conns} connection{plural}: requests/s ÷ direct; added p50 / p99 (median of {rounds}) | {:.2} ({rps:.0} ÷ {d_rps:.0}); {:+.0} µs / {:+.0} µs |",
                rps / d_rps,
                p50 - d50,
                p99 - d99
            ));
        }
    }
    println!();
    print_summary(&summary);
    cluster.shutdown();
}

/// What the fault run saw.
#[derive(Default)]
struct Counts {
    ok: AtomicU64,
    /// The server or the proxy closed or reset the connection (the deleted pod's connections).
    closed: AtomicU64,
    /// A connect was refused or failed.
    refused: AtomicU64,
    /// A request with no answer and no error within 5 s.
    hung: AtomicU64,
    /// Responses per 10-second window, per pod.
    by_window: Mutex<BTreeMap<(u64, String), u64>>,
}

async fn fault_run(quick: bool, from_host: bool, block: u8) {
    let (cluster, svc) = start(3, block).await;
    let node_port = cluster
        .get(Kind::Service, "default", "kubia")
        .and_then(|s| s.as_service()?.spec.as_ref()?.ports.as_ref()?[0].node_port)
        .expect("a node port");
    let target = if from_host {
        Target::FromHost(SocketAddr::from((node_ip(block, 0), node_port as u16)))
    } else {
        Target::FromPod(cluster.clone(), svc)
    };
    let path = if from_host {
        "host → NodePort"
    } else {
        "pod → ClusterIP"
    };
    let total = if quick {
        Duration::from_secs(6)
    } else {
        Duration::from_secs(30)
    };
    let window = total / 3;
    let conns = 200;
    let counts = Arc::new(Counts::default());
    let stop = Arc::new(AtomicBool::new(false));
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..conns)
        .map(|_| {
            let (target, counts, stop) = (target.clone(), counts.clone(), stop.clone());
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                while !stop.load(Ordering::Relaxed) {
                    let conn = tokio::time::timeout(Duration::from_secs(5), target.try_open()).await;
                    let mut s = match conn {
                        Ok(Ok(s)) => s,
                        Ok(Err(_)) => {
                            counts.refused.fetch_add(1, Ordering::Relaxed);
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            continue;
                        }
                        Err(_) => {
                            counts.hung.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                    };
                    for _ in 0..50 {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        match tokio::time::timeout(Duration::from_secs(5), request(&mut s, &mut buf)).await {
                            Ok(Ok(body)) => {
                                counts.ok.fetch_add(1, Ordering::Relaxed);
                                let pod = body.trim().trim_start_matches("You've hit ").to_string();
                                let w = (t0.elapsed().as_secs_f64() / window.as_secs_f64()) as u64;
                                *counts.by_window.lock().unwrap().entry((w.min(2), pod)).or_default() += 1;
                            }
                            Ok(Err(_)) => {
                                counts.closed.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                            Err(_) => {
                                counts.hung.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(window).await;
    let victim = endpoints(&cluster)[0].clone();
    cluster.delete(Kind::Pod, "default", &victim).unwrap();
    let replaced_at = {
        let c = cluster.clone();
        let v = victim.clone();
        let t = Instant::now();
        c.wait_until(total, move |c| {
            let e = endpoints(c);
            e.len() == 3 && !e.contains(&v)
        })
        .await;
        t.elapsed()
    };
    let left = (total - window).saturating_sub(replaced_at);
    tokio::time::sleep(left).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }

    let by = counts.by_window.lock().unwrap();
    println!("| window | pod | responses |");
    println!("|---|---|---|");
    for ((w, pod), n) in by.iter() {
        let mark = if *pod == victim { " (deleted)" } else { "" };
        println!(
            "| {}–{} s | {pod}{mark} | {n} |",
            *w * window.as_secs(),
            (*w + 1) * window.as_secs()
        );
    }
    let last: Vec<&String> = by.keys().filter(|(w, _)| *w == 2).map(|(_, p)| p).collect();
    println!();
    let (ok, closed, refused, hung) = (
        counts.ok.load(Ordering::Relaxed),
        counts.closed.load(Ordering::Relaxed),
        counts.refused.load(Ordering::Relaxed),
        counts.hung.load(Ordering::Relaxed),
    );
    print_summary(&[
        format!(
            "| fault run | {path}: {conns} connections, {} s, 3 pods, one deleted at {} s: responses / clean errors / hung | {ok} / {} / {hung} |",
            total.as_secs(),
            window.as_secs(),
            closed + refused
        ),
        format!(
            "| fault run | {path}: pods serving in the last {} s (replacement ready {:.1} s after the delete) | {} |",
            window.as_secs(),
            replaced_at.as_secs_f64(),
            last.len()
        ),
    ]);
    cluster.shutdown();
    assert_eq!(hung, 0, "a request hung");
    assert_eq!(last.len(), 3, "traffic did not return to 3 pods: {last:?}");
}

/// The rows `bench/all` collects: `| area | what | value |`.
fn print_summary(rows: &[String]) {
    println!("| area | what | value |");
    println!("|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    println!();
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        proxy_vs_direct(quick).await;
        fault_run(quick, false, 241).await;
        fault_run(quick, true, 242).await;
    });
}
