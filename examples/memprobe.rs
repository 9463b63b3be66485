use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};
use std::time::Duration;
fn rss() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .unwrap()
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<f64>()
        .unwrap()
        / 1024.0
}
fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = Cluster::start(ClusterConfig { nodes: 30, node_block: 251, lb_pool: vec![], clock_speed: 1000.0, container_start: Duration::from_millis(200), ..Default::default() }).await.unwrap();
        println!("start {:.0} MiB", rss());
        let n = 3000;
        if mode == "deploy" || mode == "deploy-nosvc" {
            for i in 0..300 {
                let mut t = format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\nspec:\n  replicas: 10\n  selector:\n    matchLabels: {{app: app{i}}}\n  template:\n    metadata:\n      labels: {{app: app{i}}}\n    spec:\n      containers:\n      - name: c\n        image: luksa/kubia\n");
                if mode == "deploy" {
                    t.push_str(&format!("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app{i}\nspec:\n  selector: {{app: app{i}}}\n  ports:\n  - port: 80\n    targetPort: 8080\n"));
                }
                for o in decode_manifests(&t, "x") { c.apply(o.unwrap()).unwrap(); }
            }
            for s in 0..8 {
                tokio::time::sleep(Duration::from_millis(700)).await;
                println!("t={s} rss {:.0} MiB pods={} rv={}", rss(), c.list(Kind::Pod, None).len(), c.store().resource_version());
            }
        }
        if mode == "pods" {
            for i in 0..n {
                let t = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\n  labels: {{app: x}}\nspec:\n  containers:\n  - name: c\n    image: luksa/kubia\n");
                c.create(decode_manifests(&t, "x").remove(0).unwrap()).unwrap();
            }
            tokio::time::sleep(Duration::from_secs(3)).await;
            println!("{n} pods running {:.0} MiB, pods={}", rss(), c.list(Kind::Pod, None).len());
            let mut st = 0;
            for p in c.list(Kind::Pod, Some("default")) { st += serde_json::to_string(&p.to_json()).unwrap().len(); }
            println!("json bytes per pod {}", st / n);
            println!("size_of Pod {}", std::mem::size_of::<k8s_openapi::api::core::v1::Pod>());
        }
    });
}
