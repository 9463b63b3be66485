//! A lesson's cluster outlives the process: opened durably it is saved in the workspace and
//! comes back on the next open without running setup again; progress that was made on another
//! cluster is noticed and can be replayed.

use std::path::PathBuf;

use super::*;
use crate::io::Output;
use crate::runtime::Kind;

fn fixture_lesson() -> Lesson {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lessons/good/my-lesson.yaml");
    find(path.to_str().unwrap()).unwrap()
}

fn config(lesson: &Lesson) -> ClusterConfig {
    let mut cfg = lesson.cluster_config();
    (cfg.node_block, cfg.lb_pool) = (95, test_config(95).lb_pool);
    cfg
}

fn temp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("k8s-lab-durable-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[tokio::test(start_paused = true)]
async fn a_durable_session_comes_back_without_running_setup_again() {
    let lesson = fixture_lesson();
    let root = temp("open");
    let (out, buf) = Output::buffer();
    let (mut s, restored) = lesson.open_durable_session(config(&lesson), &root, &out).await.unwrap();
    assert_eq!(restored, Restored::Fresh);
    assert!(Lesson::snapshot_path(&root).is_file(), "saved at once");
    assert_eq!(
        s.run_line("kubectl create configmap mine --from-literal=a=b", &out)
            .await,
        0
    );
    assert_eq!(s.run_line("export NODE_PORT=30008", &out).await, 0);
    let web = s.cluster.get(Kind::Deployment, "default", "web").unwrap();
    let mine = s.cluster.get(Kind::ConfigMap, "default", "mine").unwrap();
    let id = s.cluster.cluster_id().to_string();
    s.cluster.flush().unwrap();
    s.cluster.shutdown();
    let _ = buf.text();

    let (out, buf) = Output::buffer();
    let (s, restored) = lesson.open_durable_session(config(&lesson), &root, &out).await.unwrap();
    assert_eq!(restored, Restored::FromSnapshot);
    assert_eq!(s.cluster.cluster_id(), id);
    assert_eq!(
        s.cluster.get(Kind::Deployment, "default", "web").unwrap().meta().uid,
        web.meta().uid,
        "setup was not run again: the same Deployment"
    );
    assert_eq!(
        s.cluster.get(Kind::ConfigMap, "default", "mine").unwrap().meta().uid,
        mine.meta().uid
    );
    assert!(!buf.text().contains("created"), "no setup output: {}", buf.text());
    assert_eq!(
        s.vars.get("NODE_PORT").map(String::as_str),
        Some("30008"),
        "the shell's variables came back"
    );
    s.cluster.shutdown();

    // A snapshot that cannot be read is kept aside and a fresh cluster starts.
    std::fs::write(Lesson::snapshot_path(&root), "not json").unwrap();
    let (out, _buf) = Output::buffer();
    let (s, restored) = lesson.open_durable_session(config(&lesson), &root, &out).await.unwrap();
    assert!(matches!(restored, Restored::Broken { .. }), "{restored:?}");
    assert_ne!(s.cluster.cluster_id(), id);
    assert!(s.cluster.get(Kind::ConfigMap, "default", "mine").is_none());
    assert!(!s.vars.contains_key("NODE_PORT"), "a fresh cluster, a fresh shell");
    assert!(root.join(format!("{CLUSTER_SNAPSHOT}.broken")).is_file());
    s.cluster.shutdown();
    std::fs::remove_dir_all(root).unwrap();
}

#[tokio::test(start_paused = true)]
async fn progress_made_on_another_cluster_is_said_and_replayed() {
    let lesson = fixture_lesson();
    let root = temp("replay");
    let progress = root.join("progress.json");
    let mut saved = Progress::new(lesson.id());
    saved.done.insert("expose".into());
    saved.cluster_id = Some("a-cluster-that-is-gone".into());
    saved.save(&progress).unwrap();

    let (out, buf) = Output::buffer();
    let (mut s, _) = lesson.open_durable_session(config(&lesson), &root, &out).await.unwrap();
    let mut run = LessonRun::open(lesson.clone(), Some(progress.clone())).unwrap();
    assert_eq!(run.adopt_cluster(s.cluster.cluster_id()).unwrap(), [0]);
    assert_eq!(run.replay_lines(), ["kubectl expose deployment web --port=80"]);
    assert!(
        run.adopt_cluster(s.cluster.cluster_id()).unwrap().is_empty(),
        "said once; the progress follows this cluster now"
    );
    let reopened = LessonRun::open(lesson.clone(), Some(progress)).unwrap();
    assert_eq!(reopened.progress().cluster_id.as_deref(), Some(s.cluster.cluster_id()));

    assert!(s.cluster.get(Kind::Service, "default", "web").is_none());
    s.replay = run.replay_lines();
    let _ = buf.text();
    assert_eq!(s.run_line("replay", &out).await, 0);
    let text = buf.text();
    assert!(
        text.contains("$ kubectl expose deployment web --port=80\nservice/web exposed\n"),
        "{text}"
    );
    assert!(s.cluster.get(Kind::Service, "default", "web").is_some());
    assert_eq!(s.run_line("replay", &out).await, 0);
    assert!(buf.text().contains("nothing to replay"));

    // A fresh progress simply follows the cluster it meets.
    let mut fresh = LessonRun::open(lesson, None).unwrap();
    assert!(fresh.adopt_cluster("any").unwrap().is_empty());
    s.cluster.shutdown();
    std::fs::remove_dir_all(root).unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_half_done_step_keeps_its_commands_and_requests_across_a_restart() {
    use crate::runtime::net::TrafficEvent;
    // A lesson of several steps, so that the learner can be on the second.
    let lesson = find("lesson3").unwrap();
    let root = temp("evidence");
    let progress = root.join("progress.json");
    let (out, _buf) = Output::buffer();
    let (mut s, _) = lesson.open_durable_session(config(&lesson), &root, &out).await.unwrap();
    let mut run = LessonRun::open(lesson.clone(), Some(progress.clone())).unwrap();
    assert!(run.next_step().unwrap(), "on to the second step");
    assert_eq!(s.run_line("kubectl get svc", &out).await, 0);
    let served = |probe: bool| TrafficEvent {
        from: "host".into(),
        service: Some("default/web:80".into()),
        pod: Some("default/web-1".into()),
        bytes: 10,
        status: Some(200),
        latency: std::time::Duration::from_millis(2),
        summary: "GET /".into(),
        dialled: Some("127.0.95.2:30008".parse().unwrap()),
        probe,
    };
    s.cluster.net().emit(served(false));
    s.cluster.net().emit(served(true));
    assert_eq!(s.run_line("true", &out).await, 0, "a line saves the shell's journal");
    s.cluster.flush().unwrap();
    s.cluster.shutdown();
    drop(run);

    let (out, _buf) = Output::buffer();
    let (s, restored) = lesson.open_durable_session(config(&lesson), &root, &out).await.unwrap();
    assert_eq!(restored, Restored::FromSnapshot);
    let run = LessonRun::open(lesson.clone(), Some(progress)).unwrap();
    let began = run.step_began().expect("the step's start came back");
    let recorded = s.journal.since(Some(began));
    assert!(
        recorded
            .kubectl
            .iter()
            .any(|k| k.argv == ["get", "svc"] && k.status == Some(0)),
        "{recorded:?}"
    );
    let traffic = s.cluster.net().traffic_since(Some(began));
    assert_eq!(
        traffic.len(),
        1,
        "the learner's request came back, the probe did not: {traffic:?}"
    );
    assert_eq!(traffic[0].event, served(false));
    s.cluster.shutdown();
    std::fs::remove_dir_all(root).unwrap();
}
