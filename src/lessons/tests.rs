//! Tests of loading, the bundled lesson 5, invalid fixtures and workspaces.

use std::path::{Path, PathBuf};

use super::checks::existing_absence_targets;
use super::*;
use crate::runtime::manifest;
use crate::runtime::{Cluster, Kind, Object};
use std::collections::BTreeSet;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lessons")
        .join(name)
}

fn load_err(name: &str) -> FormatError {
    match load_path(&fixture(name)) {
        Err(LessonError::Format(e)) => e,
        other => panic!("{name}: expected a format error, got {other:?}"),
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("k8s-lab-lessons-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Every command of `shared/acceptance/seed000-frontend-backend.lab`, in order.
const SEED000_COMMANDS: &[&str] = &[
    "kubectl apply -f https://k8s.io/examples/service/access/backend-deployment.yaml",
    "kubectl rollout status deployment/backend",
    "kubectl get deployment backend",
    "kubectl describe deployment backend",
    "kubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml",
    "kubectl apply -f https://k8s.io/examples/service/access/frontend-deployment.yaml",
    "kubectl apply -f https://k8s.io/examples/service/access/frontend-service.yaml",
    "timeout 10 kubectl get service frontend --watch",
    "export EXTERNAL_IP=$(kubectl get service frontend -o jsonpath='{.status.loadBalancer.ingress[0].ip}')",
    "curl http://${EXTERNAL_IP}",
    "kubectl get endpoints hello",
    "kubectl delete services frontend backend",
    "kubectl delete services hello",
    "kubectl delete deployment frontend backend",
    "kubectl get services",
];

#[test]
fn lesson5_loads_by_id_and_slug() {
    let l = find("lesson5").unwrap();
    assert_eq!(l.id(), "lesson5");
    assert_eq!(l.slug(), "frontend-backend");
    assert_eq!(find("frontend-backend").unwrap().id(), "lesson5");
    assert_eq!(l.origin(), &Origin::Bundled("lesson5.yaml".into()));
    assert!(bundled().iter().any(|b| b.id() == "lesson5"));
    assert!(l.warnings().is_empty(), "{:?}", l.warnings());
    assert!(!l.title().ko.is_empty() && !l.title().en.is_empty());
}

#[test]
fn lesson5_solutions_are_the_transcript_in_order() {
    let l = find("lesson5").unwrap();
    let solution: Vec<&str> = l
        .steps()
        .iter()
        .flat_map(|s| s.solution.iter().map(String::as_str))
        .collect();
    assert_eq!(solution, SEED000_COMMANDS);
}

#[test]
fn lesson5_cluster_and_files() {
    let l = find("lesson5").unwrap();
    let cfg = l.cluster_config();
    assert_eq!(cfg.nodes, 3);
    assert_eq!(cfg.node_name, "minikube");
    assert_eq!(cfg.lb_delay, Duration::from_secs(5));
    assert_eq!(cfg.clock_speed, 1.0);
    assert_eq!(cfg.lb_pool.len(), 20);
    assert!(cfg.lb_pool.iter().all(|ip| ip.is_loopback()));
    assert_eq!(l.urls().len(), 5);
    let backend = &l.urls()["https://k8s.io/examples/service/access/backend-deployment.yaml"];
    // The upstream example, byte for byte (labels, image, named port).
    assert!(backend.contains("app.kubernetes.io/name: hello\n      tier: backend\n      track: stable"));
    assert!(backend.contains("image: \"gcr.io/google-samples/hello-go-gke:1.0\""));
    assert!(backend.contains("- name: http\n              containerPort: 80"));
    assert!(l.urls()["https://k8s.io/examples/service/access/frontend-service.yaml"].contains("type: LoadBalancer"));
    assert!(l.urls()["https://k8s.io/examples/service/access/frontend-nginx.conf"].contains("server hello;"));
    let names: Vec<&str> = l.files().keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "backend-deployment.yaml",
            "backend-service.yaml",
            "frontend-deployment.yaml",
            "frontend-nginx.conf",
            "frontend-service.yaml"
        ]
    );
    for (url, text) in l.urls() {
        if url.ends_with(".yaml") {
            let objs = manifest::decode_manifests(text, url);
            assert_eq!(objs.len(), 1, "{url}");
            assert!(objs[0].is_ok(), "{url}: {:?}", objs[0]);
        }
    }
}

#[test]
fn invalid_fixtures_say_what_and_where() {
    let e = load_err("unknown_key.yaml");
    assert_eq!((e.line, e.column), (Some(8), Some(5)), "{e}");
    assert!(e.message.contains("unknown field `hint`"), "{e}");
    assert!(e.to_string().contains("unknown_key.yaml:8:5: "), "{e}");

    let e = load_err("bad_check_kind.yaml");
    assert_eq!(e.line, Some(10), "{e}");
    assert!(e.message.contains("unknown variant `service_exists`"), "{e}");
    assert!(e.message.contains("object_exists"), "lists the kinds that exist: {e}");

    let e = load_err("path_escape.yaml");
    assert_eq!(e.line, Some(6), "{e}");
    assert!(e.message.contains("leaves the lesson folder"), "{e}");

    let e = load_err("non_loopback_pool.yaml");
    assert_eq!(e.line, Some(8), "{e}");
    assert!(e.message.contains("192.168.1.10 is not a loopback address"), "{e}");

    let e = load_err("duplicate_step.yaml");
    assert_eq!((e.line, e.column), (Some(8), Some(5)), "{e}");
    assert!(e.message.contains("step id \"one\" is used twice"), "{e}");

    let e = load_err("bad_placeholder.yaml");
    assert_eq!(e.line, Some(9), "{e}");
    assert!(e.message.contains("unknown field \"externalip\""), "{e}");

    let e = load_err("bad_kind.yaml");
    assert_eq!(e.line, Some(9), "{e}");
    assert!(e.message.contains("unknown kind \"Servise\""), "{e}");

    let e = load_err("missing_url_file.yaml");
    assert_eq!(e.line, Some(6), "{e}");
    assert!(e.message.contains("cannot read \"files/nope.yaml\""), "{e}");
}

#[test]
fn loads_from_a_path_and_from_lesson_dirs() {
    let path = fixture("good/my-lesson.yaml");
    let l = find(path.to_str().unwrap()).unwrap();
    assert_eq!(l.id(), "my-lesson");
    assert_eq!(l.origin(), &Origin::Path(path.clone()));
    let cfg = l.cluster_config();
    assert_eq!((cfg.nodes, cfg.node_name.as_str(), cfg.clock_speed), (1, "node", 10.0));
    assert_eq!(cfg.lb_delay, Duration::from_millis(500));
    assert_eq!(cfg.container_start, Duration::ZERO);
    assert_eq!(
        cfg.lb_pool.iter().map(|ip| ip.to_string()).collect::<Vec<_>>(),
        ["127.0.1.100", "127.0.1.101", "127.0.1.102"]
    );
    assert_eq!(l.setup(), ["kubectl create deployment web --image=nginx"]);
    assert_eq!(l.files().keys().collect::<Vec<_>>(), ["app.yaml", "sub/note.txt"]);
    assert!(l.warnings().iter().any(|w| w == "description has no ko text"));

    let dirs = [fixture("good")];
    assert_eq!(find_in("my-first-service", &dirs).unwrap().id(), "my-lesson");
    assert_eq!(
        find_in("lesson5", &dirs).unwrap().id(),
        "lesson5",
        "bundled lessons are still found"
    );
    match find_in("lesson99", &dirs) {
        Err(LessonError::NotFound { known, .. }) => {
            assert!(known.contains(&"my-lesson".to_string()));
            assert!(known.iter().any(|k| k.starts_with("lesson5")));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(find("./no-such-lesson.yaml"), Err(LessonError::Io { .. })));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_lesson_folder_are_refused() {
    let dir = temp_dir("symlink");
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(dir.join("outside.txt"), "secret").unwrap();
    let lesson_dir = dir.join("lesson");
    std::fs::create_dir_all(lesson_dir.join("files")).unwrap();
    std::os::unix::fs::symlink(dir.join("outside.txt"), lesson_dir.join("files/leak.txt")).unwrap();
    std::fs::write(
        lesson_dir.join("l.yaml"),
        "format_version: 1\nid: l\nslug: l\ntitle: {en: L}\nfiles: files\nsteps:\n- id: a\n  title: {en: A}\n",
    )
    .unwrap();
    let e = match load_path(&lesson_dir.join("l.yaml")) {
        Err(LessonError::Format(e)) => e,
        other => panic!("{other:?}"),
    };
    assert!(e.message.contains("leads outside the lesson folder"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}

const LESSON_WITH_FILES: &str =
    "format_version: 1\nid: l\nslug: l\ntitle: {en: L}\nfiles: files\nsteps:\n- id: a\n  title: {en: A}\n";

fn format_error(path: &std::path::Path) -> FormatError {
    match load_path(path) {
        Err(LessonError::Format(e)) => e,
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn a_link_back_up_the_lesson_folder_is_walked_once_and_urls_may_not_leave_it() {
    let dir = temp_dir("link-loop");
    let lesson_dir = dir.join("lesson");
    std::fs::create_dir_all(lesson_dir.join("files/sub")).unwrap();
    std::fs::write(lesson_dir.join("files/a.yaml"), "a: 1\n").unwrap();
    // files/sub/up → files: inside the folder, and a cycle.
    std::os::unix::fs::symlink(lesson_dir.join("files"), lesson_dir.join("files/sub/up")).unwrap();
    std::fs::write(lesson_dir.join("l.yaml"), LESSON_WITH_FILES).unwrap();
    let l = load_path(&lesson_dir.join("l.yaml")).unwrap();
    assert_eq!(l.files().keys().collect::<Vec<_>>(), ["a.yaml"]);
    // A URL served from a file that is a link out of the folder.
    std::fs::write(dir.join("outside.yaml"), "secret").unwrap();
    std::os::unix::fs::symlink(dir.join("outside.yaml"), lesson_dir.join("leak.yaml")).unwrap();
    std::fs::write(
        lesson_dir.join("u.yaml"),
        "format_version: 1\nid: u\nslug: u\ntitle: {en: U}\nurls:\n  https://example.com/x.yaml: leak.yaml\nsteps:\n- id: a\n  title: {en: A}\n",
    )
    .unwrap();
    let e = format_error(&lesson_dir.join("u.yaml"));
    assert!(e.message.contains("leads outside the lesson folder"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn lesson_files_are_bounded_in_count_and_size() {
    let dir = temp_dir("many-files");
    std::fs::create_dir_all(dir.join("files")).unwrap();
    for i in 0..=MAX_LESSON_FILES {
        std::fs::write(dir.join(format!("files/f{i}.txt")), "x").unwrap();
    }
    std::fs::write(dir.join("l.yaml"), LESSON_WITH_FILES).unwrap();
    let e = format_error(&dir.join("l.yaml"));
    assert!(
        e.message.contains(&format!("more than {MAX_LESSON_FILES} files")),
        "{e}"
    );
    std::fs::remove_dir_all(dir.join("files")).unwrap();
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(dir.join("files/big.yaml"), vec![b'x'; MAX_LESSON_FILE_BYTES + 1]).unwrap();
    let e = format_error(&dir.join("l.yaml"));
    assert!(
        e.message
            .contains(&format!("bigger than {MAX_LESSON_FILE_BYTES} bytes")),
        "{e}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_huge_lesson_file_or_an_alias_bomb_in_one_is_refused() {
    let dir = temp_dir("huge-lesson");
    std::fs::create_dir_all(&dir).unwrap();
    let mut huge = String::from(LESSON_WITH_FILES);
    huge.push_str(&format!("# {}\n", "x".repeat(format::MAX_LESSON_BYTES)));
    std::fs::write(dir.join("huge.yaml"), huge).unwrap();
    assert!(matches!(load_path(&dir.join("huge.yaml")), Err(LessonError::Io { .. })));
    let mut bomb = String::from("format_version: 1\nid: b\nslug: b\ntitle: {en: &a \"lol\"}\nx0: &x0 [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
    for i in 1..9 {
        bomb.push_str(&format!(
            "x{i}: &x{i} [{}]\n",
            vec![format!("*x{}", i - 1); 10].join(", ")
        ));
    }
    let e = format::parse("bomb.yaml", &bomb).unwrap_err();
    assert!(e.message.contains("document contains excessive aliasing"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn workspace_keeps_what_the_learner_changed() {
    let root = temp_dir("ws");
    let l = find("lesson5").unwrap();
    let ws = l.prepare_workspace(&root).unwrap();
    assert_eq!(
        ws.read("backend-service.yaml").unwrap(),
        l.urls()["https://k8s.io/examples/service/access/backend-service.yaml"]
    );
    assert!(ws
        .fetch_url("https://k8s.io/examples/service/access/frontend-service.yaml")
        .unwrap()
        .contains("LoadBalancer"));

    // The learner edits one file; preparing again must not undo it.
    ws.write("backend-service.yaml", b"# mine\n").unwrap();
    // A file the learner did not touch, but that an older lesson version wrote differently,
    // is brought up to date.
    std::fs::write(root.join("frontend-service.yaml"), "old lesson copy\n").unwrap();
    let state_path = root.join(WRITTEN_STATE);
    let mut state: BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(&state_path).unwrap()).unwrap();
    state.insert("frontend-service.yaml".into(), fnv64(b"old lesson copy\n"));
    std::fs::write(&state_path, serde_json::to_string(&state).unwrap()).unwrap();
    // A deleted file comes back.
    std::fs::remove_file(root.join("frontend-nginx.conf")).unwrap();

    let ws = l.prepare_workspace(&root).unwrap();
    assert_eq!(ws.read("backend-service.yaml").unwrap(), "# mine\n");
    assert!(ws.read("frontend-service.yaml").unwrap().contains("type: LoadBalancer"));
    assert!(ws.read("frontend-nginx.conf").unwrap().contains("proxy_pass"));
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn default_paths_are_under_the_data_dir() {
    let l = find("lesson5").unwrap();
    assert_eq!(l.default_workspace_root(), data_dir().join("workspaces/lesson5"));
    assert_eq!(l.default_progress_path(), data_dir().join("progress/lesson5.json"));
}

/// Apply a bundled URL the way `kubectl apply -f URL` does.
fn apply_url(cluster: &Cluster, lesson: &Lesson, url: &str) {
    for obj in manifest::decode_manifests(&lesson.urls()[url], url) {
        cluster.apply(obj.unwrap()).unwrap();
    }
}

/// Do what the controllers do once a Deployment has rolled out: ready pods with the template's
/// labels, the Deployment's status, and the Service's Endpoints. (Used until the lead's
/// controllers are merged; with them this only overwrites what they wrote.)
fn roll_out(cluster: &Cluster, deployment: &str) {
    use k8s_openapi::api::apps::v1::DeploymentStatus;
    use k8s_openapi::api::core::v1::{Pod, PodCondition, PodStatus};
    let d = cluster.get(Kind::Deployment, "default", deployment).unwrap();
    let spec = d.as_deployment().unwrap().spec.clone().unwrap();
    let replicas = spec.replicas.unwrap_or(1);
    let labels = spec.template.metadata.clone().unwrap_or_default().labels;
    for i in 0..replicas {
        let mut pod = Pod::default();
        pod.metadata.name = Some(format!("{deployment}-sim-{i}"));
        pod.metadata.labels = labels.clone();
        pod.status = Some(PodStatus {
            phase: Some("Running".into()),
            pod_ip: Some(format!("10.244.{i}.9")),
            conditions: Some(vec![PodCondition {
                type_: "Ready".into(),
                status: "True".into(),
                ..Default::default()
            }]),
            ..Default::default()
        });
        let _ = cluster.create(Object::Pod(pod));
    }
    let generation = d.meta().generation;
    cluster
        .modify_status(Kind::Deployment, "default", deployment, |o| {
            if let Object::Deployment(d) = o {
                d.status = Some(DeploymentStatus {
                    replicas: Some(replicas),
                    ready_replicas: Some(replicas),
                    updated_replicas: Some(replicas),
                    available_replicas: Some(replicas),
                    observed_generation: generation,
                    ..Default::default()
                });
            }
        })
        .unwrap();
}

fn fill_endpoints(cluster: &Cluster, service: &str, n: usize) {
    use k8s_openapi::api::core::v1::{EndpointAddress, EndpointSubset, Endpoints};
    let mut ep = Endpoints::default();
    ep.metadata.name = Some(service.into());
    ep.metadata.namespace = Some("default".into());
    ep.subsets = Some(vec![EndpointSubset {
        addresses: Some(
            (0..n)
                .map(|i| EndpointAddress {
                    ip: format!("10.244.{i}.9"),
                    ..Default::default()
                })
                .collect(),
        ),
        ..Default::default()
    }]);
    if cluster.get(Kind::Endpoints, "default", service).is_some() {
        cluster.put_stored(Object::Endpoints(ep.clone()));
    } else {
        cluster.create(Object::Endpoints(ep)).unwrap();
    }
}

/// The checks of a step that look at the cluster alone: `http` checks need the data plane,
/// `kubectl` and `traffic` checks a learner's session; `tests/lesson_checks.rs` judges those.
fn state_checks(s: &Step) -> Vec<Check> {
    s.checks
        .iter()
        .map(|c| c.0.clone())
        .filter(|c| !matches!(c, Check::Http(_) | Check::Kubectl(_) | Check::Traffic(_)))
        .collect()
}

/// Evidence of the cluster alone, with the objects seen so far in the walk (for clean-ups).
fn seen_by(cluster: &Cluster, lesson: &Lesson, seen: &mut BTreeSet<String>) -> BTreeSet<String> {
    for step in lesson.steps() {
        seen.extend(existing_absence_targets(step, cluster));
    }
    seen.clone()
}

/// Walk lesson 5 with the state its solutions produce, step by step: before a step's solution
/// its state checks fail, after it they pass.
#[tokio::test(start_paused = true)]
async fn lesson5_checks_pass_after_each_solution() {
    let lesson = find("lesson5").unwrap();
    let mut cfg = lesson.cluster_config();
    (cfg.node_block, cfg.lb_pool) = (71, test_config(71).lb_pool);
    let cluster = Cluster::start(cfg).await.unwrap();
    let mut seen = BTreeSet::new();
    let base = "https://k8s.io/examples/service/access/";
    for step in lesson.steps() {
        let before_all = {
            let ev = Evidence {
                seen: seen_by(&cluster, &lesson, &mut seen),
                ..Evidence::cluster_only(&cluster)
            };
            let mut all = true;
            for c in state_checks(step) {
                all &= evaluate(&c, &ev).await.passed;
            }
            all
        };
        // A step whose news is a command or a request may find its state already there.
        let judged_elsewhere = state_checks(step).len() < step.checks.len();
        assert!(
            judged_elsewhere || !before_all,
            "step {} passes before its solution ran",
            step.id
        );
        match step.id.0.as_str() {
            "backend" => {
                apply_url(&cluster, &lesson, &format!("{base}backend-deployment.yaml"));
                roll_out(&cluster, "backend");
            }
            "hello-service" => {
                apply_url(&cluster, &lesson, &format!("{base}backend-service.yaml"));
                fill_endpoints(&cluster, "hello", 3);
            }
            "frontend" => {
                apply_url(&cluster, &lesson, &format!("{base}frontend-deployment.yaml"));
                roll_out(&cluster, "frontend");
            }
            "external-ip" => {
                apply_url(&cluster, &lesson, &format!("{base}frontend-service.yaml"));
                use k8s_openapi::api::core::v1::{LoadBalancerIngress, LoadBalancerStatus, ServiceStatus};
                let ip = cluster.config().lb_pool[0].to_string();
                cluster
                    .modify_status(Kind::Service, "default", "frontend", |o| {
                        if let Object::Service(s) = o {
                            s.status = Some(ServiceStatus {
                                load_balancer: Some(LoadBalancerStatus {
                                    ingress: Some(vec![LoadBalancerIngress {
                                        ip: Some(ip.clone()),
                                        ..Default::default()
                                    }]),
                                }),
                                ..Default::default()
                            });
                        }
                    })
                    .unwrap();
                let text =
                    placeholders::render_or(&lesson.step("curl-frontend").unwrap().text.en, &cluster, "<pending>");
                assert!(text.contains("external address is `127.0.171.1`"), "{text}");
            }
            "cleanup" => {
                for (kind, name) in [
                    (Kind::Service, "frontend"),
                    (Kind::Service, "hello"),
                    (Kind::Deployment, "frontend"),
                    (Kind::Deployment, "backend"),
                ] {
                    cluster.remove_stored(kind, "default", name).unwrap();
                }
            }
            _ => {}
        }
        let ev = Evidence {
            seen: seen_by(&cluster, &lesson, &mut seen),
            ..Evidence::cluster_only(&cluster)
        };
        for c in state_checks(step) {
            let r = evaluate(&c, &ev).await;
            assert!(r.passed, "step {}: {:?}", step.id, r.reason);
        }
    }
    cluster.shutdown();
}

/// Lesson 5 against the real controllers and data plane: do what each step's solution does
/// through the cluster API, then every check of the step — `http` included — must pass within
/// a few seconds. The clock runs 10× so the load balancer's 5 s delay takes half a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson5_end_to_end_on_the_real_cluster() {
    let lesson = find("lesson5").unwrap();
    let mut cfg = lesson.cluster_config();
    cfg.clock_speed = 10.0;
    (cfg.node_block, cfg.lb_pool) = (72, test_config(72).lb_pool);
    let cluster = Cluster::start(cfg).await.unwrap();
    let base = "https://k8s.io/examples/service/access/";
    let mut seen = BTreeSet::new();
    for step in lesson.steps() {
        match step.id.0.as_str() {
            "backend" => apply_url(&cluster, &lesson, &format!("{base}backend-deployment.yaml")),
            "hello-service" => apply_url(&cluster, &lesson, &format!("{base}backend-service.yaml")),
            "frontend" => apply_url(&cluster, &lesson, &format!("{base}frontend-deployment.yaml")),
            "external-ip" => apply_url(&cluster, &lesson, &format!("{base}frontend-service.yaml")),
            "cleanup" => {
                assert!(
                    cluster.delete(Kind::Service, "default", "backend").is_err(),
                    "there is no Service called backend"
                );
                for (kind, name) in [
                    (Kind::Service, "frontend"),
                    (Kind::Service, "hello"),
                    (Kind::Deployment, "frontend"),
                    (Kind::Deployment, "backend"),
                ] {
                    cluster.delete(kind, "default", name).unwrap();
                }
            }
            _ => {}
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let ev = Evidence {
                seen: seen_by(&cluster, &lesson, &mut seen),
                ..Evidence::cluster_only(&cluster)
            };
            let mut results = Vec::new();
            for c in state_checks(step).into_iter().chain(
                step.checks
                    .iter()
                    .map(|c| c.0.clone())
                    .filter(|c| matches!(c, Check::Http(_))),
            ) {
                results.push(evaluate(&c, &ev).await);
            }
            let r = StepResult { results };
            if r.passed() {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "step {} never passed: {:?}",
                step.id,
                r.first_failure()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if step.id.0 == "curl-frontend" {
            // The answer really came from the backend, through the frontend: a check that wants
            // something else fails and quotes what it got. The pod check goes frontend → hello.
            let wrong = format::parse(
                "t.yaml",
                "format_version: 1\nid: t\nslug: t\ntitle: {en: T}\nsteps:\n- id: s\n  title: {en: S}\n  checks:\n  - http: {url: 'http://{{svc:frontend:external_ip}}', status: 200, body_contains: Goodbye}\n  - http: {from: 'pod:frontend', url: 'http://hello', status: 200, body_contains: '\"message\"'}\n",
            )
            .unwrap();
            let r = evaluate_step(&wrong.steps[0], &Evidence::cluster_only(&cluster)).await;
            assert!(!r.results[0].passed);
            assert!(
                r.results[0].reason.en.contains("it was: {\"message\":\"Hello\"}"),
                "{:?}",
                r.results[0]
            );
            assert!(r.results[1].passed, "{:?}", r.results[1]);
        }
    }
    cluster.shutdown();
}

#[test]
fn placeholders_in_step_text_are_checked_at_load() {
    let text = "format_version: 1\nid: t\nslug: t\ntitle: {en: T}\nsteps:\n- id: s\n  title: {en: S}\n  text:\n    en: |\n      Open http://{{svc:web:externalip}} now.\n";
    let e = build("t.yaml", text, Origin::Bundled("t.yaml".into()), &BundledSource).unwrap_err();
    assert_eq!((e.line, e.column), (Some(10), Some(21)), "{e}");
    assert!(
        e.message
            .starts_with("step s: placeholder {{svc:web:externalip}}: unknown field"),
        "{e}"
    );
    let ok = text.replace("externalip", "external_ip");
    let lesson = build("t.yaml", &ok, Origin::Bundled("t.yaml".into()), &BundledSource).unwrap();
    assert_eq!(lesson.hints(&lesson.steps()[0], Lang::En, 5), Vec::<&str>::new());
}

#[test]
fn lesson5_hints_open_one_tier_at_a_time() {
    let l = find("lesson5").unwrap();
    let step = &l.steps()[0];
    assert_eq!(l.hints(step, Lang::En, 0).len(), 0);
    assert_eq!(l.hints(step, Lang::Ko, 1).len(), 1);
    assert!(l.hints(step, Lang::En, 2)[1].contains("kubectl rollout status deployment/backend"));
    assert!(l.steps().iter().all(|s| s.hints.len() == 2 && !s.checks.is_empty()));
}

#[tokio::test(start_paused = true)]
async fn open_session_starts_the_lesson_cluster_in_its_workspace() {
    let l = find(fixture("good/my-lesson.yaml").to_str().unwrap()).unwrap();
    let root = temp_dir("open");
    let mut cfg = l.cluster_config();
    (cfg.node_block, cfg.lb_pool) = (73, test_config(73).lb_pool);
    let (out, _buf) = crate::io::Output::buffer();
    let session = l.open_session(cfg, &root, &out).await.unwrap();
    assert_eq!(
        session.cluster.list(Kind::Node, None).len(),
        1,
        "the lesson asks for one node"
    );
    assert_eq!(session.cluster.list(Kind::Node, None)[0].name(), "node");
    assert_eq!(session.cluster.config().lb_delay, Duration::from_millis(500));
    assert_eq!(session.workspace.root(), root.as_path());
    assert_eq!(session.workspace.read("sub/note.txt").unwrap(), "hello\n");
    assert!(session
        .workspace
        .fetch_url("https://example.com/app.yaml")
        .unwrap()
        .contains("name: web"));
    assert!(session.history.is_empty(), "setup lines are not the learner's history");
    session.cluster.shutdown();
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn lint_lists_warnings_or_the_error() {
    let w = lint(&fixture("good/my-lesson.yaml")).unwrap();
    assert_eq!(w, ["description has no ko text"]);
    assert!(matches!(
        lint(&fixture("unknown_key.yaml")),
        Err(LessonError::Format(_))
    ));
}

/// Lesson 5 as a learner does it: every solution line through the lab shell, then the step's
/// checks must pass (waiting a little for the controllers), on a 10× clock. Exit codes are
/// those of a real shell: `timeout` ends the watch with 124, and the seed's
/// `delete services frontend backend` fails on `backend`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson5_solutions_through_the_shell() {
    let lesson = find("lesson5").unwrap();
    let mut cfg = lesson.cluster_config();
    cfg.clock_speed = 10.0;
    (cfg.node_block, cfg.lb_pool) = (74, test_config(74).lb_pool);
    let root = temp_dir("shell");
    let (out, buf) = crate::io::Output::buffer();
    let reports = verify::run_solutions(&lesson, cfg, &root, &out, verify::CHECK_PATIENCE)
        .await
        .unwrap();
    for r in &reports {
        assert!(
            r.passed(),
            "step {} never passed: {:?}\n{}",
            r.step,
            r.failure,
            buf.text()
        );
        for l in &r.lines {
            let expected = match l.line.as_str() {
                "timeout 10 kubectl get service frontend --watch" => 124,
                "kubectl delete services frontend backend" => 1,
                _ => 0,
            };
            assert_eq!(l.status, expected, "`{}`:\n{}", l.line, buf.text());
        }
    }
    std::fs::remove_dir_all(root).unwrap();
}

/// The commands of a shared acceptance transcript (`../shared/acceptance/FILE`), in order: a
/// `$ ` line starts one, `> ` lines continue it (heredoc bodies).
fn transcript_commands(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/acceptance")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut commands: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("$ ") {
            commands.push(c.to_string());
        } else if let Some(c) = line
            .strip_prefix("> ")
            .or(line.strip_prefix(">").filter(|c| c.is_empty()))
        {
            let last = commands.last_mut().expect("a continuation follows a command");
            last.push('\n');
            last.push_str(c);
        }
    }
    commands
}

fn solution_lines(l: &Lesson) -> Vec<String> {
    l.steps()
        .iter()
        .flat_map(|s| s.solution.iter().map(|c| c.strip_suffix('\n').unwrap_or(c).to_string()))
        .collect()
}

/// Lessons 1–4: which transcript each follows, and where it runs in the tests.
const LESSONS_1_TO_4: &[(&str, &str, u8)] = &[
    ("lesson1", "seed003-expose-nodeport.lab", 75),
    ("lesson2", "seed001-service-basics.lab", 76),
    ("lesson3", "seed002-service-types.lab", 77),
    ("lesson4", "seed004-connect-applications.lab", 78),
];

#[test]
fn lessons_1_to_4_load_without_warnings() {
    for (id, _, _) in LESSONS_1_TO_4 {
        let l = find(id).unwrap();
        assert_eq!(l.id(), *id);
        assert_eq!(find(l.slug()).unwrap().id(), *id);
        assert!(l.warnings().is_empty(), "{id}: {:?}", l.warnings());
        assert!(l.steps().len() >= 5, "{id}");
        let cfg = l.cluster_config();
        assert_eq!(cfg.lb_delay, Duration::from_secs(5), "{id}");
        assert_eq!(cfg.clock_speed, 1.0, "{id}");
        assert_eq!(cfg.nodes, if *id == "lesson1" { 1 } else { 3 }, "{id}");
        for s in l.steps() {
            assert!(!s.checks.is_empty(), "{id} step {} has no checks", s.id);
            assert!(!s.solution.is_empty(), "{id} step {} has no solution", s.id);
        }
    }
}

#[test]
fn lessons_1_to_4_solutions_are_their_transcripts_in_order() {
    for (id, file, _) in LESSONS_1_TO_4 {
        assert_eq!(
            solution_lines(&find(id).unwrap()),
            transcript_commands(file),
            "{id} vs {file}"
        );
    }
}

#[test]
fn lesson4_bundles_the_upstream_examples() {
    let l = find("lesson4").unwrap();
    let names: Vec<&str> = l.files().keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "curlpod.yaml",
            "default.conf",
            "nginx-secure-app.yaml",
            "nginx-svc.yaml",
            "run-my-nginx.yaml"
        ]
    );
    let base = "https://k8s.io/examples/service/networking/";
    for (file, kinds) in [
        ("run-my-nginx.yaml", vec![Kind::Deployment]),
        ("nginx-svc.yaml", vec![Kind::Service]),
        ("nginx-secure-app.yaml", vec![Kind::Service, Kind::Deployment]),
        ("curlpod.yaml", vec![Kind::Deployment]),
    ] {
        let text = &l.urls()[&format!("{base}{file}")];
        assert_eq!(text.as_bytes(), l.files()[file].as_slice(), "{file}");
        let objs = manifest::decode_manifests(text, file);
        assert_eq!(objs.len(), kinds.len(), "{file}");
        for (o, kind) in objs.into_iter().zip(kinds) {
            let o = o.unwrap_or_else(|e| panic!("{file}: {e:?}"));
            assert_eq!(o.kind(), kind, "{file}");
        }
    }
    let conf = String::from_utf8(l.files()["default.conf"].clone()).unwrap();
    assert!(conf.contains("ssl_certificate /etc/nginx/ssl/tls.crt;"));
}

/// Lessons 1–4 as a learner does them: every solution line through the lab shell (on a faster
/// clock where the lesson waits for a load balancer). Before a step's solution its checks do not all pass; after it they all pass (waiting
/// a little for the controllers). Lines the transcripts show failing (`failing`: step id and
/// line, in order; each entry is the first run of that line from there on) must fail, the rest
/// succeed.
async fn solutions_through_the_shell(id: &str, block: u8, clock_speed: f64, failing: &[(&str, &str)]) {
    let mut failing = failing.iter().peekable();
    let lesson = find(id).unwrap();
    let mut cfg = lesson.cluster_config();
    cfg.clock_speed = clock_speed;
    (cfg.node_block, cfg.lb_pool) = (block, test_config(block).lb_pool);
    let root = temp_dir(&format!("shell-{id}"));
    let (out, buf) = crate::io::Output::buffer();
    let reports = verify::run_solutions(&lesson, cfg, &root, &out, verify::CHECK_PATIENCE)
        .await
        .unwrap();
    assert_eq!(reports.len(), lesson.steps().len());
    for r in &reports {
        assert!(!r.passed_before, "{id}: step {} passes before its solution ran", r.step);
        for l in &r.lines {
            if failing.next_if(|f| **f == (r.step.as_str(), l.line.as_str())).is_some() {
                assert_ne!(l.status, 0, "{id}: `{}` should fail:\n{}", l.line, buf.text());
            } else {
                assert_eq!(l.status, 0, "{id}: `{}`:\n{}", l.line, buf.text());
            }
        }
        assert!(
            r.passed(),
            "{id}: step {} never passed: {:?}\n{}",
            r.step,
            r.failure,
            buf.text()
        );
    }
    assert!(failing.next().is_none(), "{id}: a line listed as failing never ran");
    std::fs::remove_dir_all(root).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson1_solutions_through_the_shell() {
    solutions_through_the_shell(
        "lesson1",
        75,
        10.0,
        &[
            ("add-label", "kubectl label pods $POD_NAME app=v1"),
            ("delete-service", "curl $(minikube ip):$NODE_PORT"),
            ("delete-service", "kubectl get servcies"),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson2_solutions_through_the_shell() {
    // `grep` finds nothing before the Service exists: exit 1, as in a real shell.
    solutions_through_the_shell(
        "lesson2",
        76,
        10.0,
        &[("env-vars", "kubectl exec $POD -- env | grep KUBIA")],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson3_solutions_through_the_shell() {
    let dup = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: dup-nodeport\nspec:\n  type: NodePort\n  selector:\n    app: my-app\n  ports:\n  - port: 80\n    targetPort: 8080\n    nodePort: 30008\nEOF";
    solutions_through_the_shell(
        "lesson3",
        77,
        10.0,
        &[
            ("duplicate-port", dup),
            ("loadbalancer", "timeout 10 kubectl get svc backend-service --watch"),
            (
                "clusterip-inside-only",
                "curl http://$(kubectl get svc teva-nodeport-service -o jsonpath='{.spec.clusterIP}')",
            ),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson4_solutions_through_the_shell() {
    solutions_through_the_shell(
        "lesson4",
        78,
        10.0,
        &[
            ("secure-app", "kubectl exec $CURL_POD -- curl -sS https://my-nginx"),
            ("loadbalancer", "timeout 10 kubectl get svc my-nginx --watch"),
        ],
    )
    .await;
}

/// `lint` refuses a check that would show the learner a regex, and says what to use instead;
/// the lesson still loads (old files keep working), and no bundled lesson has such a check.
#[test]
fn lint_refuses_command_ran_and_suggests_the_semantic_form() {
    let dir = temp_dir("lint-regex");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("old.yaml");
    std::fs::write(
        &path,
        "format_version: 1\nid: old\nslug: old\ntitle: {en: Old}\nsteps:\n- id: watch\n  title: {en: Watch}\n  solution: [kubectl get svc -w]\n  checks:\n  - command_ran: {pattern: 'kubectl\\s+get\\s+svc.*-w'}\n  - command_ran: {pattern: '^curl\\s'}\n",
    )
    .unwrap();
    assert!(load_path(&path).is_ok(), "old files still load");
    let Err(LessonError::Refused(why)) = lint(&path) else {
        panic!("lint must refuse command_ran");
    };
    assert_eq!(why.len(), 2, "{why:?}");
    assert!(why[0].contains("step watch: checks[0]: command_ran"), "{why:?}");
    assert!(why[0].contains("would show the learner a regex"), "{why:?}");
    assert!(why[0].contains("kubectl: {verb: get"), "{why:?}");
    assert!(why[1].contains("traffic: {from: host"), "{why:?}");
    for l in bundled() {
        assert!(l.refusals().is_empty(), "{}: {:?}", l.id(), l.refusals());
    }
    std::fs::remove_dir_all(dir).unwrap();
}
