//! The traffic view's model against a real cluster: lesson 5's frontend (nginx) → `hello`
//! Service → three backends, requests sent from the host through the LoadBalancer address. The
//! model must show both hops (host → frontend Service → frontend pod, then frontend pod → hello
//! Service → backend pods) and count the requests over the three backends.

mod support;

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use k8s_lab::io::Output;
use k8s_lab::runtime::net::Origin;
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};
use k8s_lab::ui::traffic::TrafficModel;
use support::cluster::ready_endpoints;
use support::lesson5::{apply, BACKEND, FRONTEND};

const REQUESTS: u64 = 30;

/// Lesson 5 up, `REQUESTS` curls from the host through the LoadBalancer address, and every
/// traffic event they caused fed to a fresh model. With `probes`, a lesson's `http` checks
/// run between the curls (from the host to the frontend, from the frontend pod to `hello`),
/// as the lesson pane re-checks a step while the learner works.
async fn lesson5_model(block: u8, probes: bool) -> (TrafficModel, String) {
    let lb = Ipv4Addr::new(127, 0, block, 200);
    let cluster = Cluster::start(ClusterConfig {
        node_block: block,
        lb_pool: vec![lb],
        clock_speed: 20.0,
        ..Default::default()
    })
    .await
    .unwrap();
    apply(&cluster, BACKEND);
    apply(&cluster, FRONTEND);
    let ready = cluster
        .wait_until(Duration::from_secs(120), |c| {
            ready_endpoints(c, "default", "hello") == 3
                && ready_endpoints(c, "default", "frontend") == 1
                && c.get(Kind::Service, "default", "frontend")
                    .is_some_and(|s| s.lb_ingress_ip().is_some())
        })
        .await;
    assert!(ready, "frontend, backends and load balancer come up");
    for _ in 0..200 {
        if !cluster.lb_listener("default", "frontend").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let mut traffic = cluster.net().traffic();
    for _ in 0..REQUESTS {
        let (out, buf) = Output::buffer();
        let code = k8s_lab::runtime::pod_shell::curl(&cluster, &Origin::Host, &[format!("http://{lb}")], &out).await;
        assert_eq!(
            (code, buf.text().as_str()),
            (0, "{\"message\":\"Hello\"}"),
            "{}",
            buf.stderr()
        );
        if probes {
            for check in [
                format!("http: {{from: host, url: 'http://{lb}', status: 200}}"),
                "http: {from: 'pod:frontend', url: 'http://hello', status: 200}".to_string(),
            ] {
                let check = probe_check(&check);
                let r = k8s_lab::lessons::evaluate(&check, &k8s_lab::lessons::Evidence::cluster_only(&cluster)).await;
                assert!(r.passed, "{r:?}");
            }
        }
    }
    // kube-proxy reports a connection when it closes: give the last one a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut model = TrafficModel::default();
    let now = Instant::now();
    while let Ok(ev) = traffic.try_recv() {
        model.record(&ev, now, "12:00:00");
    }
    let frontend_pod = cluster
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .find(|p| p.name().starts_with("frontend-"))
        .unwrap()
        .name()
        .to_string();
    cluster.shutdown();
    (model, frontend_pod)
}

/// One check, decoded from a one-step lesson.
fn probe_check(yaml: &str) -> k8s_lab::lessons::Check {
    let text = format!(
        "format_version: 1\nid: t\nslug: t\ntitle: {{en: T}}\nsteps:\n- id: s\n  title: {{en: S}}\n  checks:\n  - {yaml}\n"
    );
    k8s_lab::lessons::format::parse("t.yaml", &text)
        .unwrap()
        .steps
        .remove(0)
        .checks
        .remove(0)
        .0
}

/// Requests the model could not tie to a Service (the pod's report came without its hop), per
/// pod whose name starts with `prefix`.
fn direct(model: &TrafficModel, prefix: &str) -> u64 {
    model.flows.get("").map_or(0, |f| {
        f.pods
            .iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, c)| c.n)
            .sum()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traffic_model_shows_both_hops_and_the_spread_over_three_backends() {
    let (model, frontend_pod) = lesson5_model(91, false).await;
    let hops = model.hops();
    let order: Vec<&str> = hops.iter().map(|(svc, _)| *svc).filter(|s| !s.is_empty()).collect();
    assert_eq!(order, ["default/frontend:80", "default/hello:80"], "{model:#?}");

    // Hop 1: host → frontend Service → the frontend pod.
    let front = hops[0].1;
    assert_eq!(front.sources.keys().collect::<Vec<_>>(), ["host"]);
    assert_eq!(front.pods.keys().collect::<Vec<_>>(), [&frontend_pod]);
    // Every request reached the frontend pod once, through the Service (a pod's report that
    // lost its hop is put right by kube-proxy's record of the connection).
    assert_eq!(front.pods[&frontend_pod].n, REQUESTS);
    assert_eq!(direct(&model, ""), 0, "{model:#?}");

    // Hop 2: → hello Service → the three backends, spread over all of them.
    let hello = hops[1].1;
    assert_eq!(hello.pods.len(), 3, "{:?}", hello.pods);
    assert!(hello.pods.keys().all(|p| p.starts_with("backend-")));
    assert!(
        hello.pods.values().all(|c| c.n > 0),
        "30 random picks reach all three backends: {:?}",
        hello.pods
    );
    assert_eq!(hello.pods.values().map(|c| c.n).sum::<u64>(), REQUESTS);
    assert_eq!(
        model.total,
        2 * REQUESTS,
        "one request per hop, kube-proxy's records not counted again"
    );
    assert_eq!(model.recent.len(), k8s_lab::ui::traffic::RECENT);
}

/// The second hop starts at the frontend pod: `Net::connect` tells the backend which pod called
/// through which Service.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_hop_starts_at_the_frontend_pod() {
    let (model, frontend_pod) = lesson5_model(92, false).await;
    let hello = &model.flows["default/hello:80"];
    assert_eq!(
        hello.sources.keys().collect::<Vec<_>>(),
        [&format!("pod/{frontend_pod}")]
    );
    let order: Vec<&str> = model.hops().iter().map(|(svc, _)| *svc).collect();
    assert_eq!(order, ["default/frontend:80", "default/hello:80"]);
}

/// The lab's own checks are invisible: with a probe of each hop after every curl, the view
/// still counts exactly the learner's requests — one per hop — and no probe's source.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_probes_are_not_the_learners_traffic() {
    let (model, frontend_pod) = lesson5_model(98, true).await;
    assert_eq!(model.total, 2 * REQUESTS, "{model:#?}");
    let front = &model.flows["default/frontend:80"];
    assert_eq!(front.pods[&frontend_pod].n, REQUESTS);
    let hello = &model.flows["default/hello:80"];
    assert_eq!(hello.pods.values().map(|c| c.n).sum::<u64>(), REQUESTS);
    assert_eq!(direct(&model, ""), 0, "{model:#?}");
}
