//! The real `k8s-lab` binary: `shell` mode fed on stdin, and the full-screen `start` mode in a
//! real terminal (tmux), where the `<pending>` → address change must appear on its own and the
//! address must answer HTTP from outside the lab process.
//!
//! Both use lesson 5's own addresses (127.0.1.1, 127.0.2.x), so they run one at a time.

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::tmux::Tmux;

static LESSON5_ADDRESSES: Mutex<()> = Mutex::new(());

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_k8s-lab")
}

fn temp_home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("k8s-lab-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const SEED000: &[&str] = &[
    "kubectl apply -f https://k8s.io/examples/service/access/backend-deployment.yaml",
    "kubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml",
    "kubectl apply -f https://k8s.io/examples/service/access/frontend-deployment.yaml",
    "kubectl apply -f https://k8s.io/examples/service/access/frontend-service.yaml",
];

#[test]
fn shell_mode_reads_commands_from_stdin() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("shell");
    let mut child = Command::new(bin())
        .args(["shell", "--lesson", "lesson5"])
        .env("K8S_LAB_HOME", &home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut script: Vec<String> = SEED000.iter().map(|s| s.to_string()).collect();
    script.extend([
        "kubectl rollout status deployment/backend".to_string(),
        "timeout 10 kubectl get service frontend --watch".to_string(),
        "export EXTERNAL_IP=$(kubectl get service frontend -o jsonpath='{.status.loadBalancer.ingress[0].ip}')"
            .to_string(),
        "curl http://${EXTERNAL_IP}; echo".to_string(),
        "kubectl get servcies".to_string(),
    ]);
    child
        .stdin
        .take()
        .unwrap()
        .write_all((script.join("\n") + "\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("deployment.apps/backend created\nservice/hello created\n"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("deployment \"backend\" successfully rolled out"),
        "{stdout}"
    );
    assert!(stdout.contains("<pending>"), "{stdout}");
    assert!(stdout.contains("{\"message\":\"Hello\"}\n"), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("error: the server doesn't have a resource type \"servcies\""),
        "{stderr}"
    );
    // No prompt is printed when stdin is not a terminal, and the last status is the exit code.
    assert!(!stdout.contains("$ "), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(home);
}

/// `k8s-lab start lesson5 --lang en` in a tmux session of its own (160×45), with `home` as its
/// data folder. Does not wait.
fn start_lesson5(tag: &str, home: &std::path::Path) -> Tmux {
    let tmux = Tmux(format!("k8s-lab-{tag}-{}", std::process::id()));
    let cmd = format!("env K8S_LAB_HOME={} {} start lesson5 --lang en", home.display(), bin());
    tmux.cmd(&["new-session", "-d", "-s", &tmux.0, "-x", "160", "-y", "45", &cmd]);
    tmux
}

/// [`start_lesson5`], then wait for the first frame: the lesson and a live resources pane.
fn open_lesson5(tag: &str, home: &std::path::Path) -> Tmux {
    let tmux = start_lesson5(tag, home);
    tmux.wait_for("the first frame", Duration::from_secs(20), |s| {
        s.contains("Resources") && s.contains("kubernetes")
    });
    tmux
}

/// Wait (at most 10 s) until the lab in `tmux` has exited; true if it did.
fn exited(tmux: &Tmux) -> bool {
    let t0 = Instant::now();
    while tmux.alive() && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    !tmux.alive()
}

/// Ctrl+Q quits and the terminal is given back.
fn quit(tmux: &Tmux) {
    tmux.cmd(&["send-keys", "-t", &tmux.0, "C-q"]);
    assert!(exited(tmux), "k8s-lab did not exit on Ctrl+Q");
}

fn frontend_row(screen: &str) -> Option<&str> {
    screen
        .lines()
        .find(|l| l.contains("frontend") && l.contains("LoadBalancer"))
}

fn http_get(addr: &str) -> String {
    support::http::try_get(addr).unwrap()
}

#[test]
fn tui_shows_the_external_ip_arrive_and_it_answers_from_outside() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("tui");
    let tmux = open_lesson5("test", &home);
    for line in SEED000 {
        tmux.type_line(line);
    }
    let s = tmux.wait_for("the frontend Service", Duration::from_secs(20), |s| {
        frontend_row(s).is_some()
    });
    assert!(
        frontend_row(&s).unwrap().contains("<pending>"),
        "EXTERNAL-IP starts pending:\n{s}"
    );

    // Nothing more is typed: the row changes by itself when the load balancer is ready.
    let s = tmux.wait_for("the external IP", Duration::from_secs(30), |s| {
        frontend_row(s).is_some_and(|r| r.contains("127.0.1.1"))
    });
    assert!(s.contains("service/frontend created"), "{s}");

    // The address answers from outside the lab process, through frontend → hello → backend.
    let t0 = Instant::now();
    let resp = loop {
        let r = http_get("127.0.1.1:80");
        if r.contains("{\"message\":\"Hello\"}") || t0.elapsed() > Duration::from_secs(30) {
            break r;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(resp.starts_with("HTTP/1.1 200 OK"), "{resp}");
    assert!(resp.ends_with("{\"message\":\"Hello\"}"), "{resp}");

    quit(&tmux);
    let _ = std::fs::remove_dir_all(home);
}

/// The YAML editor in a real terminal: `edit svc.yaml` opens an empty workspace file, the
/// manifest typed into it is saved and applied with Ctrl+S, and `kubectl get svc` in the
/// terminal then lists the new Service.
#[test]
fn tui_editor_saves_applies_and_kubectl_sees_it() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("editor");
    let tmux = open_lesson5("editor", &home);

    tmux.type_line("edit svc.yaml");
    tmux.wait_for("the editor", Duration::from_secs(10), |s| {
        s.contains("svc.yaml") && s.contains("Ctrl+S")
    });
    for line in [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  name: typed-svc",
        "spec:",
        "  selector:",
        "    app: typed",
        "  ports:",
        "  - port: 8080",
    ] {
        tmux.type_line(line);
    }
    tmux.wait_for("the typed manifest, valid", Duration::from_secs(10), |s| {
        s.contains("- port: 8080") && s.contains("no errors")
    });
    tmux.cmd(&["send-keys", "-t", &tmux.0, "C-s"]);
    tmux.wait_for("the apply", Duration::from_secs(10), |s| {
        s.contains("kubectl apply -f ~/lesson5/svc.yaml") && s.contains("service/typed-svc created")
    });

    // Back to the terminal; kubectl lists the Service (its AGE column is the terminal's: the
    // live table above hides AGE).
    tmux.cmd(&["send-keys", "-t", &tmux.0, "Escape"]);
    tmux.type_line("kubectl get svc");
    let s = tmux.wait_for("kubectl get svc", Duration::from_secs(10), |s| {
        let lines: Vec<&str> = s.lines().collect();
        lines
            .iter()
            .rposition(|l| l.contains("PORT(S)") && l.contains("AGE"))
            .is_some_and(|h| {
                lines[h..]
                    .iter()
                    .any(|l| l.contains("typed-svc") && l.contains("8080/TCP"))
            })
    });
    assert!(s.contains("$ kubectl get svc"), "{s}");
    let saved = std::fs::read_to_string(home.join("workspaces/lesson5/svc.yaml")).unwrap();
    assert!(saved.starts_with("apiVersion: v1\nkind: Service\n"), "{saved}");
    assert!(saved.contains("  name: typed-svc\n"), "{saved}");

    quit(&tmux);
    let _ = std::fs::remove_dir_all(home);
}

/// `k8s-lab lint --run`: the bundled lessons' solutions pass their checks on a fresh cluster;
/// a lesson whose solution misses its check fails, saying which step and why.
#[test]
fn lint_run_checks_lesson_solutions() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let lessons = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let out = Command::new(bin())
        .args(["--lang", "en", "lint", "--run", lessons])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for id in ["lesson1", "lesson2", "lesson3", "lesson4", "lesson5"] {
        assert!(stdout.contains(&format!("run: {id}\n")), "{stdout}");
    }
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert!(stdout.contains("  ok: step curl-frontend\n"), "{stdout}");

    let wrong = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lessons/run/wrong-solution.yaml"
    );
    let out = Command::new(bin())
        .args(["--lang", "en", "lint", "--run", wrong])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("run: wrong-solution\n  FAIL: step expose: "),
        "{stdout}"
    );
}

/// The pid of the program running in the tmux pane (`env` execs the lab, so it is the lab).
fn pane_pid(tmux: &Tmux) -> i32 {
    tmux.cmd(&["display-message", "-p", "-t", &tmux.0, "#{pane_pid}"])
        .trim()
        .parse()
        .unwrap()
}

/// The CLUSTER-IP and EXTERNAL-IP cells of the frontend row.
fn frontend_addresses(screen: &str) -> Option<(String, String)> {
    let row = frontend_row(screen)?;
    let cells: Vec<&str> = row.split_whitespace().collect();
    let at = cells.iter().position(|c| *c == "LoadBalancer")?;
    Some((cells.get(at + 1)?.to_string(), cells.get(at + 2)?.to_string()))
}

fn saved_step(home: &std::path::Path) -> String {
    let text = std::fs::read_to_string(home.join("progress/lesson5.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["current"].as_str().unwrap().to_string()
}

/// Durability, as a learner meets it: lesson 5 deployed and the learner on step 5, the process
/// is killed with SIGKILL (no chance to save on the way out). The next `start` brings back the
/// same Service — same ClusterIP, same EXTERNAL-IP, answering `curl` from the host — and the
/// lesson resumes on the step the learner was on.
#[test]
fn kill_9_loses_nothing_the_cluster_and_the_step_come_back() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("kill9");
    let lesson = k8s_lab::lessons::find("lesson5").unwrap();
    let tmux = open_lesson5("kill9", &home);
    for line in SEED000 {
        tmux.type_line(line);
    }
    let s = tmux.wait_for("the external IP", Duration::from_secs(30), |s| {
        frontend_addresses(s).is_some_and(|(_, ext)| ext == "127.0.1.1")
    });
    let before = frontend_addresses(&s).unwrap();
    for _ in 0..4 {
        tmux.cmd(&["send-keys", "-t", &tmux.0, "F6"]);
        std::thread::sleep(Duration::from_millis(150));
    }
    let step5 = lesson.steps()[4].id.0.clone();
    let t0 = Instant::now();
    while saved_step(&home) != step5 && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(saved_step(&home), step5);
    // The saver writes a fraction of a second after the last change.
    std::thread::sleep(Duration::from_millis(500));
    let pid = pane_pid(&tmux);
    assert!(Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    assert!(exited(&tmux), "kill -9 ended the lab");
    drop(tmux);

    let tmux = start_lesson5("kill9b", &home);
    let title = lesson.steps()[4].title.en.clone();
    let s = tmux.wait_for("the restored Service", Duration::from_secs(20), |s| {
        frontend_addresses(s).is_some()
    });
    assert_eq!(
        frontend_addresses(&s).unwrap(),
        before,
        "same ClusterIP and EXTERNAL-IP:\n{s}"
    );
    let heading = format!("5/{}. {}", lesson.steps().len(), title.split(' ').next().unwrap());
    assert!(s.contains(&heading), "resumes on step 5 ({title}):\n{s}");
    let t0 = Instant::now();
    let resp = loop {
        let r = support::http::try_get("127.0.1.1:80");
        match r {
            Ok(r) if r.contains("{\"message\":\"Hello\"}") => break r,
            _ if t0.elapsed() > Duration::from_secs(30) => panic!("no answer from 127.0.1.1: {r:?}"),
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    assert!(resp.starts_with("HTTP/1.1 200 OK"), "{resp}");
    quit(&tmux);
    let _ = std::fs::remove_dir_all(home);
}

/// True when the resources pane has a row for `name` (its first cell).
fn has_row(screen: &str, name: &str) -> bool {
    screen
        .lines()
        .filter_map(|l| l.split("││").nth(1))
        .any(|cell| cell.split_whitespace().next() == Some(name))
}

fn saved_cluster_id(home: &std::path::Path) -> String {
    let text = std::fs::read_to_string(home.join("workspaces/lesson5/.k8s-lab-cluster.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["cluster_id"].as_str().unwrap().to_string()
}

/// F10 asks, a second F10 starts the lesson over inside the same terminal: a clean cluster
/// (only `kubernetes` in the table, a new cluster identity) and progress back at step 1.
#[test]
fn tui_f10_twice_starts_the_lesson_over_with_a_clean_cluster() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("reset");
    let lesson = k8s_lab::lessons::find("lesson5").unwrap();
    let tmux = open_lesson5("reset", &home);
    tmux.type_line(SEED000[1]);
    tmux.wait_for("the hello Service", Duration::from_secs(20), |s| has_row(s, "hello"));
    tmux.cmd(&["send-keys", "-t", &tmux.0, "F6"]);
    let first_id = saved_cluster_id(&home);
    tmux.cmd(&["send-keys", "-t", &tmux.0, "F10"]);
    tmux.wait_for("the question", Duration::from_secs(10), |s| {
        s.contains("Start this lesson over?")
    });
    tmux.cmd(&["send-keys", "-t", &tmux.0, "F10"]);
    let s = tmux.wait_for("a clean cluster", Duration::from_secs(20), |s| {
        s.contains("Resources") && has_row(s, "kubernetes") && !has_row(s, "hello")
    });
    assert!(s.contains(&lesson.steps()[0].title.en), "back on step 1:\n{s}");
    let t0 = Instant::now();
    while saved_cluster_id(&home) == first_id && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_ne!(saved_cluster_id(&home), first_id, "a new cluster");
    assert_eq!(saved_step(&home), lesson.steps()[0].id.0);
    quit(&tmux);
    let _ = std::fs::remove_dir_all(home);
}

/// `k8s-lab lint` refuses a check that would show the learner a regex, says which and what to
/// write instead, and exits 1 (the file itself still loads: see the lessons' unit tests).
#[test]
fn lint_refuses_a_regex_check() {
    let old = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lessons/regex/old-regex-check.yaml"
    );
    let out = Command::new(bin())
        .args(["--lang", "en", "lint", old])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("error: old-regex-check: step watch: checks[0]: command_ran"),
        "{stdout}"
    );
    assert!(stdout.contains("would show the learner a regex"), "{stdout}");
    assert!(
        stdout.contains("kubectl: {verb: get, kind: Service, name: frontend, flags: [--watch]}"),
        "{stdout}"
    );
}
