//! The frontend → backend path of seed 000 against the embedded cluster directly (no kubectl):
//! controllers on paused time, then real HTTP through the LoadBalancer address.

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use k8s_lab::io::Output;
use k8s_lab::runtime::net::Origin;
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind, Object};
use support::cluster::ready_endpoints;
use support::lesson5::{apply, BACKEND, FRONTEND};

fn config(block: u8, lb: Ipv4Addr, speed: f64) -> ClusterConfig {
    ClusterConfig {
        node_block: block,
        lb_pool: vec![lb],
        clock_speed: speed,
        ..Default::default()
    }
}

fn lb_ip(cluster: &Cluster, name: &str) -> Option<String> {
    cluster
        .get(Kind::Service, "default", name)?
        .lb_ingress_ip()
        .map(String::from)
}

#[tokio::test(start_paused = true)]
async fn controllers_bring_up_the_backend_and_the_load_balancer() {
    let cluster = Cluster::start(config(11, Ipv4Addr::new(127, 0, 11, 200), 1.0))
        .await
        .unwrap();
    apply(&cluster, BACKEND);

    let rolled_out = cluster
        .wait_until(Duration::from_secs(60), |c| {
            c.get(Kind::Deployment, "default", "backend")
                .and_then(|d| d.as_deployment()?.status.clone())
                .is_some_and(|s| s.available_replicas == Some(3) && s.updated_replicas == Some(3))
        })
        .await;
    assert!(rolled_out, "backend never became available");

    // Naming: backend-<hash> and backend-<hash>-<5 chars>, pods spread over the three nodes.
    let rs = cluster.list(Kind::ReplicaSet, Some("default"));
    assert_eq!(rs.len(), 1);
    let rs_name = rs[0].name().to_string();
    let hash = rs_name
        .strip_prefix("backend-")
        .expect("rs is named after the deployment");
    assert!((8..=10).contains(&hash.len()), "{rs_name}");
    let pods = cluster.list(Kind::Pod, Some("default"));
    assert_eq!(pods.len(), 3);
    let mut nodes: Vec<String> = pods
        .iter()
        .map(|p| {
            assert!(
                p.name().starts_with(&format!("{rs_name}-")) && p.name().len() == rs_name.len() + 6,
                "{}",
                p.name()
            );
            assert_eq!(p.labels().get("pod-template-hash").map(String::as_str), Some(hash));
            p.as_pod().unwrap().spec.as_ref().unwrap().node_name.clone().unwrap()
        })
        .collect();
    nodes.sort();
    nodes.dedup();
    assert_eq!(nodes.len(), 3, "three pods on three nodes");

    // The Service's named targetPort resolves to 80 on every pod.
    let has_eps = cluster
        .wait_until(Duration::from_secs(10), |c| ready_endpoints(c, "default", "hello") == 3)
        .await;
    assert!(has_eps);
    let ep = cluster.get(Kind::Endpoints, "default", "hello").unwrap();
    let port = ep.as_endpoints().unwrap().subsets.as_ref().unwrap()[0]
        .ports
        .as_ref()
        .unwrap()[0]
        .port;
    assert_eq!(port, 80);
    let slices = cluster.list(Kind::EndpointSlice, Some("default"));
    assert!(slices
        .iter()
        .any(|s| s.labels().get("kubernetes.io/service-name").map(String::as_str) == Some("hello")));

    // LoadBalancer: pending for the configured delay, then an address, with both events.
    apply(&cluster, FRONTEND);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(lb_ip(&cluster, "frontend"), None, "EXTERNAL-IP starts out pending");
    let got = cluster
        .wait_until(Duration::from_secs(30), |c| lb_ip(c, "frontend").is_some())
        .await;
    assert!(got);
    assert_eq!(lb_ip(&cluster, "frontend").as_deref(), Some("127.0.11.200"));
    let mut events: Vec<_> = cluster
        .list(Kind::Event, Some("default"))
        .iter()
        .filter_map(|e| {
            e.as_event()
                .filter(|e| {
                    e.involved_object.name.as_deref() == Some("frontend")
                        && e.involved_object.kind.as_deref() == Some("Service")
                })
                .cloned()
        })
        .collect();
    events.sort_by_key(|e| e.first_timestamp.clone().map(|t| t.0));
    let reasons: Vec<String> = events.iter().filter_map(|e| e.reason.clone()).collect();
    assert_eq!(reasons, ["EnsuringLoadBalancer", "EnsuredLoadBalancer"]);

    // Self-healing: a deleted pod is replaced.
    let victim = cluster
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .find(|p| p.name().starts_with("backend-"))
        .unwrap();
    cluster.delete(Kind::Pod, "default", victim.name()).unwrap();
    let victim_name = victim.name().to_string();
    let healed = cluster
        .wait_until(Duration::from_secs(60), |c| {
            let pods: Vec<_> = c
                .list(Kind::Pod, Some("default"))
                .into_iter()
                .filter(|p| p.name().starts_with("backend-"))
                .collect();
            pods.len() == 3
                && pods.iter().all(|p| p.name() != victim_name)
                && ready_endpoints(c, "default", "hello") == 3
        })
        .await;
    assert!(healed, "the ReplicaSet replaces a deleted pod");

    // Cascade: deleting the Deployment removes its ReplicaSet and pods.
    cluster.delete(Kind::Deployment, "default", "backend").unwrap();
    let gone = cluster
        .wait_until(Duration::from_secs(60), |c| {
            c.list(Kind::ReplicaSet, Some("default"))
                .iter()
                .all(|r| !r.name().starts_with("backend-"))
                && c.list(Kind::Pod, Some("default"))
                    .iter()
                    .all(|p| !p.name().starts_with("backend-"))
        })
        .await;
    assert!(gone, "garbage collection removes the ReplicaSet and its pods");
    cluster.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_through_the_load_balancer_reaches_the_backend_via_the_frontend() {
    let lb = Ipv4Addr::new(127, 0, 12, 200);
    let cluster = Cluster::start(config(12, lb, 20.0)).await.unwrap();
    apply(&cluster, BACKEND);
    apply(&cluster, FRONTEND);
    let ready = cluster
        .wait_until(Duration::from_secs(120), |c| {
            ready_endpoints(c, "default", "hello") == 3
                && ready_endpoints(c, "default", "frontend") == 1
                && lb_ip(c, "frontend").is_some()
        })
        .await;
    assert!(ready, "frontend, backend and load balancer come up");
    // kube-proxy binds the address right after the ingress appears (no store write to wait on).
    for _ in 0..200 {
        if !cluster.lb_listener("default", "frontend").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // The lab's curl from the host, exactly as a learner types it.
    let (out, buf) = Output::buffer();
    let code = k8s_lab::runtime::pod_shell::curl(&cluster, &Origin::Host, &[format!("http://{lb}")], &out).await;
    assert_eq!(buf.text(), "{\"message\":\"Hello\"}", "stderr: {}", buf.stderr());
    assert_eq!(code, 0);

    // A plain TCP client on the host, like a real curl in another terminal, at the real listener.
    let (_, real) = cluster
        .lb_listener("default", "frontend")
        .into_iter()
        .next()
        .expect("LB listener bound");
    assert!(real.ip().is_loopback());
    let mut stream = tokio::net::TcpStream::connect(real).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut resp = String::new();
    stream.read_to_string(&mut resp).await.unwrap();
    assert!(resp.starts_with("HTTP/1.1 200 OK"), "{resp}");
    assert!(resp.ends_with("{\"message\":\"Hello\"}"), "{resp}");

    // ClusterIPs are not reachable from the host: curl gives up with (28).
    let cip = cluster
        .get(Kind::Service, "default", "hello")
        .unwrap()
        .cluster_ip()
        .unwrap()
        .to_string();
    let (out, buf) = Output::buffer();
    let code = k8s_lab::runtime::pod_shell::curl(&cluster, &Origin::Host, &[format!("http://{cip}")], &out).await;
    assert_eq!(code, 28);
    assert!(
        buf.stderr()
            .starts_with(&format!("curl: (28) Failed to connect to {cip} port 80 after")),
        "{}",
        buf.stderr()
    );

    // From inside a pod, the Service name resolves and the request is spread over the backends.
    let frontend_pod = cluster
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .find(|p| p.name().starts_with("frontend-"))
        .unwrap();
    let mut traffic = cluster.net().traffic();
    for _ in 0..30 {
        let (out, buf) = Output::buffer();
        let code = k8s_lab::runtime::pod_shell::exec(
            &cluster,
            "default",
            frontend_pod.name(),
            None,
            &["curl".into(), "-s".into(), "http://hello".into()],
            None,
            &out,
        )
        .await;
        assert_eq!((code, buf.text().as_str()), (0, "{\"message\":\"Hello\"}"));
    }
    let mut served_by = std::collections::BTreeSet::new();
    while let Ok(ev) = traffic.try_recv() {
        if ev.service.as_deref() == Some("default/hello:80") {
            served_by.insert(ev.pod.clone().unwrap_or_default());
        }
    }
    assert!(
        served_by.len() >= 2,
        "random endpoint choice spreads 30 requests over the pods: {served_by:?}"
    );

    // Every socket the lab listens on is a loopback one.
    for (_, real) in cluster.lb_listener("default", "frontend") {
        assert!(matches!(real, SocketAddr::V4(a) if a.ip().is_loopback()));
    }
    cluster.shutdown();
}

#[tokio::test(start_paused = true)]
async fn unknown_image_backs_off() {
    let cluster = Cluster::start(config(13, Ipv4Addr::new(127, 0, 13, 200), 1.0))
        .await
        .unwrap();
    let text = BACKEND
        .split("---")
        .next()
        .unwrap()
        .replace("hello-go-gke:1.0", "hello-go-gke:9.9");
    apply(&cluster, &text);
    let backoff = cluster
        .wait_until(Duration::from_secs(60), |c| {
            c.list(Kind::Pod, Some("default")).iter().any(|p| {
                let Object::Pod(p) = p.as_ref() else { return false };
                p.status
                    .as_ref()
                    .and_then(|s| s.container_statuses.as_ref())
                    .is_some_and(|cs| {
                        cs.iter().any(|c| {
                            c.state
                                .as_ref()
                                .and_then(|s| s.waiting.as_ref())
                                .and_then(|w| w.reason.as_deref())
                                == Some("ImagePullBackOff")
                        })
                    })
            })
        })
        .await;
    assert!(backoff, "an image the lab does not have ends in ImagePullBackOff");
    cluster.shutdown();
}
