//! Control-plane scale: create N Deployments of 10 replicas and N Services, wait until every
//! Deployment is available, and report wall time and peak RSS; then measure how long the
//! endpoints of one Service take to follow a change of one pod, at 1,000 and at 10,000 pods.
//! The endpoints time must stay flat: only the Services that select the pod are recomputed.
//!
//! `cargo bench --bench control_plane` (add `-- --quick` for 100 Deployments only).

use std::time::{Duration, Instant};

use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::{Cluster, ClusterConfig, Key, Kind, Object};

const REPLICAS: i32 = 10;

fn manifests(i: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\nspec:\n  replicas: {REPLICAS}\n  selector:\n    matchLabels: {{app: app{i}}}\n  template:\n    metadata:\n      labels: {{app: app{i}}}\n    spec:\n      containers:\n      - name: c\n        image: luksa/kubia\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app{i}\nspec:\n  selector: {{app: app{i}}}\n  ports:\n  - port: 80\n    targetPort: 8080\n"
    )
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn ready_endpoints(c: &Cluster, name: &str) -> usize {
    c.get(Kind::Endpoints, "default", name)
        .and_then(|e| e.as_endpoints()?.subsets.clone())
        .unwrap_or_default()
        .iter()
        .map(|s| s.addresses.as_ref().map_or(0, Vec::len))
        .sum()
}

fn endpoint_pods(c: &Cluster, name: &str) -> Vec<String> {
    c.get(Kind::Endpoints, "default", name)
        .and_then(|e| e.as_endpoints()?.subsets.clone())
        .unwrap_or_default()
        .iter()
        .flat_map(|s| s.addresses.clone().unwrap_or_default())
        .filter_map(|a| a.target_ref?.name)
        .collect()
}

async fn wait(mut cond: impl FnMut() -> bool, limit: Duration) -> bool {
    let t0 = Instant::now();
    while t0.elapsed() < limit {
        if cond() {
            return true;
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    false
}

/// Time for Service `app0`'s endpoints to drop a pod whose label changed, then to take it back.
async fn endpoint_update_latency(c: &Cluster, rounds: usize) -> Duration {
    let mut samples = Vec::new();
    for _ in 0..rounds {
        let pod = c.store().list_selected(
            Kind::Pod,
            "default",
            &k8s_lab::runtime::selectors::Selector::parse("app=app0").unwrap(),
        )[0]
        .clone();
        let key = Key::of(&pod);
        let t0 = Instant::now();
        c.store()
            .update(&key, |o| {
                if let Object::Pod(p) = o {
                    p.metadata.labels.as_mut().unwrap().insert("app".into(), "moved".into());
                }
            })
            .unwrap();
        // Measured until the moved pod is no longer an endpoint (its ReplicaSet replaces it at
        // once, so the count alone may never be seen dropping).
        let moved = key.name.clone();
        assert!(wait(|| !endpoint_pods(c, "app0").contains(&moved), Duration::from_secs(30)).await);
        samples.push(t0.elapsed());
        // Put it back (the ReplicaSet made a replacement meanwhile; delete the moved pod).
        let _ = c.delete(Kind::Pod, "default", key.name.as_str());
        assert!(
            wait(
                || ready_endpoints(c, "app0") == REPLICAS as usize,
                Duration::from_secs(60)
            )
            .await
        );
    }
    samples.sort();
    samples[samples.len() / 2]
}

async fn run(deployments: usize) -> (Duration, f64, Duration) {
    let config = ClusterConfig {
        nodes: (deployments * REPLICAS as usize / 100).max(3),
        node_block: 250,
        lb_pool: vec![],
        clock_speed: 1000.0,
        container_start: Duration::from_millis(200),
        ..Default::default()
    };
    let c = Cluster::start(config).await.unwrap();
    let t0 = Instant::now();
    for i in 0..deployments {
        for obj in decode_manifests(&manifests(i), "bench") {
            c.apply(obj.unwrap()).unwrap();
        }
    }
    let all = wait(
        || {
            c.list(Kind::Deployment, Some("default"))
                .iter()
                .filter(|d| d.as_deployment().and_then(|d| d.status.as_ref()?.available_replicas) == Some(REPLICAS))
                .count()
                == deployments
        },
        Duration::from_secs(1800),
    )
    .await;
    assert!(all, "not every deployment became available");
    let created = t0.elapsed();
    let rss = peak_rss_mib();
    if std::env::var_os("BENCH_STATS").is_some() {
        for k in k8s_lab::runtime::kinds::KINDS {
            eprintln!("{:>14}: {}", k.name, c.list(k.kind, None).len());
        }
        eprintln!("resourceVersion: {}", c.store().resource_version());
    }
    let latency = endpoint_update_latency(&c, 21).await;
    c.shutdown();
    (created, rss, latency)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!(
        "| Deployments × 10 + Services | pods | all available (wall) | peak RSS | endpoints update (median of 21) |"
    );
    println!("|---|---|---|---|---|");
    let custom: Option<usize> = std::env::var("BENCH_DEPLOYMENTS").ok().and_then(|v| v.parse().ok());
    let sizes: Vec<usize> = match custom {
        Some(n) => vec![n],
        None if quick => vec![100],
        None => vec![100, 1000],
    };
    let mut summary = Vec::new();
    for n in sizes {
        let (created, rss, latency) = rt.block_on(run(n));
        let pods = n * REPLICAS as usize;
        println!(
            "| {n} | {pods} | {:.2} s | {rss:.0} MiB | {:.3} ms |",
            created.as_secs_f64(),
            latency.as_secs_f64() * 1000.0
        );
        summary.push(format!(
            "| control plane | {pods} pods in {n} Deployments + Services: all available / peak RSS / endpoints update | {:.2} s / {rss:.0} MiB / {:.2} ms |",
            created.as_secs_f64(),
            latency.as_secs_f64() * 1000.0
        ));
    }
    println!();
    println!("| area | what | value |");
    println!("|---|---|---|");
    for row in summary {
        println!("{row}");
    }
}
