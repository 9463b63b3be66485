//! The real `k8s-lab` binary: `shell` mode fed on stdin, and the full-screen `start` mode in a
//! real terminal (tmux), where the `<pending>` → address change must appear on its own and the
//! address must answer HTTP from outside the lab process.
//!
//! Both use lesson 5's own addresses (127.0.1.1, 127.0.2.x), so they run one at a time.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
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

fn frontend_row(screen: &str) -> Option<&str> {
    screen
        .lines()
        .find(|l| l.contains("frontend") && l.contains("LoadBalancer"))
}

fn http_get(addr: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: frontend\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    resp
}

#[test]
fn tui_shows_the_external_ip_arrive_and_it_answers_from_outside() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("tui");
    let tmux = Tmux(format!("k8s-lab-test-{}", std::process::id()));
    let cmd = format!("env K8S_LAB_HOME={} {} start lesson5 --lang en", home.display(), bin());
    tmux.cmd(&["new-session", "-d", "-s", &tmux.0, "-x", "160", "-y", "45", &cmd]);

    // The first frame has the lesson and a live resources pane; typing works at once.
    tmux.wait_for("the first frame", Duration::from_secs(20), |s| {
        s.contains("Resources") && s.contains("kubernetes")
    });
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

    // Ctrl+Q quits and the terminal is given back.
    tmux.cmd(&["send-keys", "-t", &tmux.0, "C-q"]);
    let t0 = Instant::now();
    while tmux.alive() && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!tmux.alive(), "k8s-lab did not exit on Ctrl+Q");
    let _ = std::fs::remove_dir_all(home);
}

/// The YAML editor in a real terminal: `edit svc.yaml` opens an empty workspace file, the
/// manifest typed into it is saved and applied with Ctrl+S, and `kubectl get svc` in the
/// terminal then lists the new Service.
#[test]
fn tui_editor_saves_applies_and_kubectl_sees_it() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("editor");
    let tmux = Tmux(format!("k8s-lab-editor-{}", std::process::id()));
    let cmd = format!("env K8S_LAB_HOME={} {} start lesson5 --lang en", home.display(), bin());
    tmux.cmd(&["new-session", "-d", "-s", &tmux.0, "-x", "160", "-y", "45", &cmd]);
    tmux.wait_for("the first frame", Duration::from_secs(20), |s| {
        s.contains("Resources") && s.contains("kubernetes")
    });

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
        s.contains("kubectl apply -f /svc.yaml") && s.contains("service/typed-svc created")
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

    tmux.cmd(&["send-keys", "-t", &tmux.0, "C-q"]);
    let t0 = Instant::now();
    while tmux.alive() && t0.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!tmux.alive(), "k8s-lab did not exit on Ctrl+Q");
    let _ = std::fs::remove_dir_all(home);
}

/// `k8s-lab lint --run`: the bundled lessons' solutions pass their checks on a fresh cluster;
/// a lesson whose solution misses its check fails, saying which step and why.
#[test]
fn lint_run_checks_lesson_solutions() {
    let _guard = LESSON5_ADDRESSES.lock().unwrap_or_else(|e| e.into_inner());
    let lessons = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let out = Command::new(bin()).args(["lint", "--run", lessons]).output().unwrap();
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
    let out = Command::new(bin()).args(["lint", "--run", wrong]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("run: wrong-solution\n  FAIL: step expose: "),
        "{stdout}"
    );
}

/// `k8s-lab lint` refuses a check that would show the learner a regex, says which and what to
/// write instead, and exits 1 (the file itself still loads: see the lessons' unit tests).
#[test]
fn lint_refuses_a_regex_check() {
    let old = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lessons/regex/old-regex-check.yaml"
    );
    let out = Command::new(bin()).args(["lint", old]).output().unwrap();
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
