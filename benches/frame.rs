//! Frame drawing cost: the whole screen at 200×60 on ratatui's `TestBackend`, with 500 pods in
//! the store (the pods tab shown), and with the traffic view full (many Services and pods, the
//! last-requests ring full). Also the cost of pulling the tables from the store, which the
//! event loop does once per burst of changes. Prints a markdown table.
//!
//! `cargo bench --bench frame` (add `-- --quick` for fewer frames).

use std::time::{Duration, Instant};

use k8s_lab::io::{Chunk, Stream};
use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::net::TrafficEvent;
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};
use k8s_lab::ui::app::{App, ResourceTab, TRAFFIC_TAB};
use k8s_lab::ui::event_loop::snapshot_tables;
use k8s_lab::ui::{draw, Lang, LessonView, StepView};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const SIZE: (u16, u16) = (200, 60);
const DEPLOYMENTS: usize = 50;
const REPLICAS: usize = 10;

fn manifests(i: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\nspec:\n  replicas: {REPLICAS}\n  selector:\n    matchLabels: {{app: app{i}}}\n  template:\n    metadata:\n      labels: {{app: app{i}}}\n    spec:\n      containers:\n      - name: c\n        image: luksa/kubia\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app{i}\nspec:\n  selector: {{app: app{i}}}\n  ports:\n  - port: 80\n    targetPort: 8080\n"
    )
}

fn lesson() -> LessonView {
    let text = "The frontend reaches the backend through a **Service** named `hello`. A Service picks \
                pods with its selector and keeps one address while pods come and go.\n\n## To do\n\n\
                1. Apply the Service manifest:\n\n```\nkubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml\n```\n\n\
                2. Look at it: `kubectl get svc hello`\n";
    LessonView {
        title: "Lesson 5: connect a frontend to a backend".into(),
        steps: (0..5)
            .map(|i| StepView {
                title: format!("Step {i}"),
                markdown: text.into(),
                ..Default::default()
            })
            .collect(),
        current: 1,
        ..Default::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Draw `n` frames; the median and p99 of their times.
fn frames(app: &App, n: usize) -> (Duration, Duration) {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let mut samples = Vec::with_capacity(n);
    for i in 0..n + 5 {
        if i % 2 == 0 {
            // Every other frame from a cleared screen, so the diff has a full screen to send.
            terminal.clear().unwrap();
        }
        let t0 = Instant::now();
        terminal.draw(|f| draw::draw(f, app)).unwrap();
        if i >= 5 {
            samples.push(t0.elapsed());
        }
    }
    samples.sort();
    (percentile(&samples, 0.5), percentile(&samples, 0.99))
}

fn pods_running(c: &Cluster) -> usize {
    c.list(Kind::Pod, Some("default"))
        .iter()
        .filter(|p| {
            p.as_pod()
                .and_then(|p| p.status.as_ref()?.phase.as_deref())
                .is_some_and(|ph| ph == "Running")
        })
        .count()
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n = if quick { 50 } else { 200 };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut rows: Vec<(String, String)> = Vec::new();
    rt.block_on(async {
        let config = ClusterConfig {
            nodes: 5,
            node_block: 249,
            lb_pool: vec![],
            clock_speed: 1000.0,
            container_start: Duration::from_millis(200),
            ..Default::default()
        };
        let c = Cluster::start(config).await.unwrap();
        for i in 0..DEPLOYMENTS {
            for obj in decode_manifests(&manifests(i), "bench") {
                c.apply(obj.unwrap()).unwrap();
            }
        }
        let pods = DEPLOYMENTS * REPLICAS;
        let t0 = Instant::now();
        while pods_running(&c) < pods && t0.elapsed() < Duration::from_secs(120) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(pods_running(&c), pods, "all pods running");

        // The tables the event loop pulls after a burst of changes.
        let mut pulls = Vec::new();
        for _ in 0..n / 4 {
            let t0 = Instant::now();
            std::hint::black_box(snapshot_tables(&c));
            pulls.push(t0.elapsed());
        }
        pulls.sort();
        rows.push((
            format!("pull the four tables, {pods} pods (median of {})", pulls.len()),
            ms(percentile(&pulls, 0.5)),
        ));

        let mut app = App::new(Lang::En, lesson(), SIZE);
        app.set_tables(snapshot_tables(&c), Instant::now());
        let pod_table = &app.tables[1].table;
        app.on_output(Chunk::Text(Stream::Out, pod_table.render(false)));
        app.tab = ResourceTab::ALL.iter().position(|t| *t == ResourceTab::Pods).unwrap();
        let (median, p99) = frames(&app, n);
        rows.push((
            format!("frame at 200×60, {pods} pods, pods tab (median of {n})"),
            ms(median),
        ));
        rows.push((format!("frame at 200×60, {pods} pods, pods tab (p99 of {n})"), ms(p99)));

        // The traffic view full: every Service with its pods, and the ring of recent requests.
        let now = Instant::now();
        let mut events = Vec::new();
        for i in 0..DEPLOYMENTS {
            for r in 0..REPLICAS {
                events.push(TrafficEvent {
                    from: format!("pod/client-{} via default/app{i}:80", i % 3),
                    service: None,
                    pod: Some(format!("default/app{i}-5d8f7c9b6-{r:05}")),
                    bytes: 40,
                    status: Some(200),
                    latency: Duration::from_micros(300 + r as u64),
                    summary: "GET /".into(),
                    dialled: None,
                    probe: false,
                });
            }
        }
        app.on_traffic(&events, now, "12:00:00");
        app.tab = TRAFFIC_TAB;
        let (median, p99) = frames(&app, n);
        rows.push((
            format!("frame at 200×60, traffic view full ({DEPLOYMENTS} Services × {REPLICAS} pods) (median of {n})"),
            ms(median),
        ));
        rows.push((format!("frame at 200×60, traffic view full (p99 of {n})"), ms(p99)));

        // Taking a burst of traffic events into the model.
        let t0 = Instant::now();
        let rounds = 20;
        for _ in 0..rounds {
            app.on_traffic(&events, now, "12:00:01");
        }
        let per = t0.elapsed() / (rounds * events.len()) as u32;
        rows.push((
            "record one traffic event".into(),
            format!("{:.2} µs", per.as_secs_f64() * 1e6),
        ));
        c.shutdown();
    });
    println!("| area | what | value |");
    println!("|---|---|---|");
    for (what, value) in rows {
        println!("| TUI | {what} | {value} |");
    }
}
