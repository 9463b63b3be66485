//! A huge scale-up (`replicas: 100000`, the one-zero-too-many typo) against an idle cluster:
//! how long `kubectl get deploy` takes while the Deployment grows, as a ratio to the same command
//! on the idle cluster in the same run, and the process's peak RSS. The lab must keep answering
//! at its usual pace: the ReplicaSet controller spends the controller-manager's API budget, the
//! nodes fill to their `maxPods`, and the rest of the pods wait at no cost.
//!
//! `cargo bench --bench capacity` (add `-- --quick` for a shorter growth).

use std::time::{Duration, Instant};

use k8s_lab::io::Output;
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};
use k8s_lab::shell::Session;
use k8s_lab::workspace::Workspace;

fn deployment(name: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"
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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Time `kubectl get deploy` `n` times, 50 ms apart.
async fn get_deploy(s: &mut Session, n: usize) -> Vec<Duration> {
    let mut out = Vec::new();
    for _ in 0..n {
        let (o, _buf) = Output::buffer();
        let t = Instant::now();
        assert_eq!(s.run_line("kubectl get deploy", &o).await, 0);
        out.push(t.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    out
}

async fn run(samples: usize) {
    let home = std::env::temp_dir().join(format!("k8s-lab-bench-capacity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let cluster = Cluster::start(ClusterConfig {
        node_block: 204,
        lb_pool: vec![],
        clock_speed: 10.0,
        container_start: Duration::from_millis(500),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut s = Session::new(cluster.clone(), Workspace::new(&home));
    let (o, _buf) = Output::buffer();
    std::fs::write(home.join("small.yaml"), deployment("small", 2)).unwrap();
    std::fs::write(home.join("huge.yaml"), deployment("huge", 100_000)).unwrap();
    assert_eq!(s.run_line("kubectl apply -f small.yaml", &o).await, 0);
    cluster.settle(Duration::from_secs(10)).await;
    let idle = median(get_deploy(&mut s, samples).await);

    assert_eq!(s.run_line("kubectl apply -f huge.yaml", &o).await, 0);
    let busy = median(get_deploy(&mut s, samples).await);
    let pods = cluster.list(Kind::Pod, Some("default"));
    let scheduled = pods
        .iter()
        .filter(|p| p.as_pod().and_then(|p| p.spec.as_ref()?.node_name.as_ref()).is_some())
        .count();
    let rss = peak_rss_mib();

    let t = Instant::now();
    assert_eq!(s.run_line("kubectl scale deploy huge --replicas=2", &o).await, 0);
    while cluster.list(Kind::Pod, Some("default")).len() > 4 && t.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let back = t.elapsed();
    cluster.shutdown();
    let _ = std::fs::remove_dir_all(&home);

    let ratio = busy.as_secs_f64() / idle.as_secs_f64();
    println!(
        "| kubectl get deploy, idle (median of {samples}) | {:.2} ms |",
        idle.as_secs_f64() * 1000.0
    );
    println!(
        "| kubectl get deploy, while replicas: 100000 grows (median of {samples}) | {:.2} ms ({ratio:.2}× idle) |",
        busy.as_secs_f64() * 1000.0
    );
    println!(
        "| pods after the growth: created / scheduled / waiting | {} / {scheduled} / {} |",
        pods.len(),
        pods.len() - scheduled
    );
    println!("| peak RSS | {rss:.0} MiB |");
    println!(
        "| scale --replicas=2 until the extra pods are gone | {:.2} s |",
        back.as_secs_f64()
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!("| capacity | value |");
    println!("|---|---|");
    rt.block_on(run(if quick { 40 } else { 120 }));
}
