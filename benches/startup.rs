//! Start-up and footprint of the real binary, as a learner meets them:
//! - `k8s-lab shell --lesson lesson5` until the first command's answer (the lab is ready);
//! - `k8s-lab start lesson5` in a real terminal (tmux) until the first frame shows the lesson;
//! - peak RSS of the shell with lesson 5 deployed (frontend, backend ×3, their Services, DNS).
//!
//! `cargo bench --bench startup` prints medians over several runs. Timed from outside the
//! process, so the figures include process start, cluster start and lesson setup.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_k8s-lab")
}

fn home() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("k8s-lab-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// `k8s-lab shell --lesson lesson5` with its stdin and stdout piped.
fn spawn_shell() -> std::process::Child {
    Command::new(bin())
        .args(["shell", "--lesson", "lesson5"])
        .env("K8S_LAB_HOME", home())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Spawn the shell, send one command, and time until its answer's first line.
fn shell_ready() -> Duration {
    let t0 = Instant::now();
    let mut child = spawn_shell();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "kubectl get nodes").unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next();
    let took = t0.elapsed();
    assert!(first.is_some_and(|l| l.is_ok_and(|l| l.starts_with("NAME"))));
    drop(stdin);
    child.wait().unwrap();
    took
}

/// Deploy lesson 5 through the shell, then read the process's peak RSS (MiB).
fn lesson5_peak_rss() -> f64 {
    let mut child = spawn_shell();
    let mut stdin = child.stdin.take().unwrap();
    for f in [
        "backend-deployment",
        "backend-service",
        "frontend-deployment",
        "frontend-service",
    ] {
        writeln!(
            stdin,
            "kubectl apply -f https://k8s.io/examples/service/access/{f}.yaml"
        )
        .unwrap();
    }
    writeln!(stdin, "kubectl rollout status deployment/backend").unwrap();
    writeln!(stdin, "kubectl rollout status deployment/frontend").unwrap();
    writeln!(stdin, "kubectl get pods --no-headers | wc -l; echo deployed").unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for l in lines.by_ref() {
        if l.unwrap() == "deployed" {
            break;
        }
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    drop(stdin);
    child.wait().unwrap();
    kb / 1024.0
}

/// Start the TUI in a detached tmux session and time until its first frame (the resources pane
/// title) is on screen.
fn tui_first_frame(run: usize) -> Option<Duration> {
    let session = format!("k8s-lab-bench-{}-{run}", std::process::id());
    let cmd = format!("K8S_LAB_HOME={} {} start lesson5 --lang en", home().display(), bin());
    let t0 = Instant::now();
    let ok = Command::new("tmux")
        .args(["new-session", "-d", "-s", &session, "-x", "120", "-y", "40", &cmd])
        .status()
        .ok()?
        .success();
    if !ok {
        return None;
    }
    let mut took = None;
    while t0.elapsed() < Duration::from_secs(10) {
        let screen = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &session])
            .output()
            .ok()?;
        if String::from_utf8_lossy(&screen.stdout).contains("Resources (default)") {
            took = Some(t0.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = Command::new("tmux").args(["kill-session", "-t", &session]).status();
    took
}

fn main() {
    let runs = 7;
    let shell = median((0..runs).map(|_| shell_ready()).collect());
    let tui: Vec<Duration> = (0..runs).filter_map(tui_first_frame).collect();
    let rss = lesson5_peak_rss();
    println!("| area | what | value |");
    println!("|---|---|---|");
    println!(
        "| start-up | `k8s-lab shell --lesson lesson5` → first answer (median of {runs}) | {:.1} ms |",
        shell.as_secs_f64() * 1000.0
    );
    if tui.is_empty() {
        println!("| start-up | `k8s-lab start lesson5` → first frame | (tmux not available) |");
    } else {
        println!(
            "| start-up | `k8s-lab start lesson5` → first frame (tmux, incl. its polling; median of {runs}) | {:.1} ms |",
            median(tui).as_secs_f64() * 1000.0
        );
    }
    println!("| start-up | peak RSS, lesson 5's seven pods running (shell) | {rss:.1} MiB |");
    let _ = std::fs::remove_dir_all(home());
}
