//! A typo in `replicas` must not eat the machine. `replicas: 100000` on a real cluster grows at
//! the controller-manager's pace (about twenty pods a second), fills each node up to its
//! `maxPods` (110), and leaves the rest `Pending` with a `FailedScheduling` event; the cluster
//! keeps answering, and `kubectl scale --replicas=2` brings it back. The lab must do the same,
//! within a fixed memory bound. (The time a command takes meanwhile is a benchmark's job:
//! `cargo bench --bench control_plane` reports it.)

mod support;

use support::lab::run;

use std::time::Duration;

use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};
use k8s_lab::shell::Session;
use k8s_lab::workspace::Workspace;

const HUGE: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: huge
spec:
  replicas: 100000
  selector:
    matchLabels: {app: huge}
  template:
    metadata:
      labels: {app: huge}
    spec:
      containers:
      - name: web
        image: nginx
";

/// Peak resident memory the whole test may reach.
const PEAK_RSS_BOUND_MIB: u64 = 256;

/// The most the ReplicaSet controller may create in `lab_secs`: a burst of 30, then 20 a
/// second (kube-controller-manager's client budget), and a little slack for timing.
fn most_created(lab_secs: f64) -> usize {
    30 + (20.0 * lab_secs) as usize + 20
}

fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    kib / 1024
}

fn huge_pods(c: &Cluster) -> Vec<std::sync::Arc<k8s_lab::runtime::Object>> {
    c.list(Kind::Pod, Some("default"))
        .into_iter()
        .filter(|p| p.name().starts_with("huge-"))
        .collect()
}

fn node_of(p: &k8s_lab::runtime::Object) -> Option<String> {
    p.as_pod()?.spec.as_ref()?.node_name.clone()
}

#[test]
fn a_hundred_thousand_replicas_fill_the_nodes_and_the_rest_wait() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let home = std::env::temp_dir().join(format!("k8s-lab-capacity-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        let config = ClusterConfig {
            node_block: 203,
            lb_pool: vec![],
            clock_speed: 10.0,
            container_start: Duration::from_millis(500),
            ..Default::default()
        };
        let cluster = Cluster::start(config).await.unwrap();
        let mut s = Session::new(cluster.clone(), Workspace::new(&home));
        std::fs::write(home.join("huge.yaml"), HUGE).unwrap();
        let t0 = cluster.clock().now();
        assert_eq!(run(&mut s, "kubectl apply -f huge.yaml").await, (0, "deployment.apps/huge created\n".into()));

        // Grow past the three nodes' 330 places.
        let mut answered = 0;
        loop {
            let (code, out) = run(&mut s, "kubectl get deploy huge").await;
            assert_eq!(code, 0, "{out}");
            answered += 1;
            let lab = (cluster.clock().now() - t0).num_milliseconds() as f64 / 1000.0;
            let created = huge_pods(&cluster).len();
            assert!(created <= most_created(lab), "{created} pods in {lab:.1} lab seconds: faster than the API budget");
            if created > 400 {
                break;
            }
            assert!(lab < 120.0, "only {created} pods after {lab:.0} lab seconds");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(answered > 5, "the lab kept answering while it grew ({answered} answers)");
        cluster.settle(Duration::from_secs(5)).await;

        // Every node is full, and no more.
        let all = cluster.list(Kind::Pod, None);
        for node in ["minikube", "minikube-m02", "minikube-m03"] {
            let on = all.iter().filter(|p| node_of(p).as_deref() == Some(node)).count();
            assert_eq!(on, 110, "{node} holds its maxPods");
        }
        let pods = huge_pods(&cluster);
        let waiting: Vec<_> = pods.iter().filter(|p| node_of(p).is_none()).collect();
        assert!(waiting.len() > 50, "{} of {} pods wait", waiting.len(), pods.len());
        assert_eq!(cluster.unschedulable_pods(), waiting.len(), "each waiting pod is in the scheduler's queue");
        let message = "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..";
        let cond = waiting[0]
            .as_pod()
            .and_then(|p| p.status.as_ref()?.conditions.as_ref()?.iter().find(|c| c.type_ == "PodScheduled").cloned())
            .expect("a PodScheduled condition");
        assert_eq!((cond.status.as_str(), cond.reason.as_deref()), ("False", Some("Unschedulable")));
        assert_eq!(cond.message.as_deref(), Some(message));
        let (_, described) = run(&mut s, &format!("kubectl describe pod {}", waiting[0].name())).await;
        assert!(described.contains("\nStatus:         Pending\n"), "{described}");
        assert!(
            described.contains("Warning  FailedScheduling  ") && described.contains(message),
            "{described}"
        );
        let (_, listed) = run(&mut s, "kubectl get pods").await;
        assert!(listed.lines().filter(|l| l.contains(" Pending ")).count() >= waiting.len(), "{listed}");

        // Back to two.
        assert_eq!(
            run(&mut s, "kubectl scale deploy huge --replicas=2").await,
            (0, "deployment.apps/huge scaled\n".into())
        );
        let mut out = String::new();
        for _ in 0..600 {
            out = run(&mut s, "kubectl get deploy huge").await.1;
            if out.contains("huge   2/2     2            2") && huge_pods(&cluster).len() == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(out.contains("huge   2/2     2            2"), "{out}");
        assert_eq!(huge_pods(&cluster).len(), 2);
        assert_eq!(cluster.unschedulable_pods(), 0, "nobody waits any more");

        let peak = peak_rss_mib();
        eprintln!("peak RSS: {peak} MiB");
        assert!(peak < PEAK_RSS_BOUND_MIB, "peak RSS {peak} MiB");
        cluster.shutdown();
        let _ = std::fs::remove_dir_all(&home);
    });
}
