//! Start-up and footprint of the real binary, as a learner meets them:
//! - `k8s-lab shell --lesson lesson5` until the first command's answer (the lab is ready);
//! - `k8s-lab start lesson5` in a real terminal (tmux) until the first frame shows the lesson;
//! - peak RSS of the shell with lesson 5 deployed (frontend, backend ×3, their Services, DNS);
//! - `k8s-lab start lesson5` again with that cluster saved: the first frame of a restore;
//! - what saving the cluster costs (one atomic snapshot write, lesson 5 deployed), in process.
//!
//! Every fresh start gets a data folder of its own: the lab keeps its cluster between runs.
//!
//! `cargo bench --bench startup` prints medians over several runs. Timed from outside the
//! process, so the figures include process start, cluster start and lesson setup.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_k8s-lab")
}

fn root() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("k8s-lab-bench-{}", std::process::id()))
}

/// A new, empty data folder (`K8S_LAB_HOME`) under the bench's root.
fn fresh_home(tag: &str) -> std::path::PathBuf {
    let dir = root().join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// `k8s-lab shell --lesson lesson5` with its stdin and stdout piped.
fn spawn_shell(home: &std::path::Path) -> std::process::Child {
    Command::new(bin())
        .args(["shell", "--lesson", "lesson5"])
        .env("K8S_LAB_HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Spawn the shell, send one command, and time until its answer's first line.
fn shell_ready(run: usize) -> Duration {
    let home = fresh_home(&format!("shell-{run}"));
    let t0 = Instant::now();
    let mut child = spawn_shell(&home);
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

/// Deploy lesson 5 through the shell, then read the process's peak RSS (MiB). The cluster
/// stays saved in `home`.
fn lesson5_peak_rss(home: &std::path::Path) -> f64 {
    let mut child = spawn_shell(home);
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
fn tui_first_frame(run: usize, home: &std::path::Path, shows: &str) -> Option<Duration> {
    let session = format!("k8s-lab-bench-{}-{run}", std::process::id());
    let cmd = format!("K8S_LAB_HOME={} {} start lesson5 --lang en", home.display(), bin());
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
        let screen = String::from_utf8_lossy(&screen.stdout);
        if screen.contains("Resources (default)") && screen.contains(shows) {
            took = Some(t0.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = Command::new("tmux").args(["kill-session", "-t", &session]).status();
    took
}

/// Median cost of one save of lesson 5's deployed cluster (the snapshot written atomically,
/// fsync included), and the snapshot's size.
fn save_cost(home: &std::path::Path) -> (Duration, usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let lesson = k8s_lab::lessons::find("lesson5").unwrap();
        let path = k8s_lab::lessons::Lesson::snapshot_path(&lesson_root(home));
        let k8s_lab::runtime::persist::Loaded::Found(snap) = k8s_lab::runtime::persist::load(&path).unwrap() else {
            panic!("lesson 5 was saved in {}", path.display());
        };
        let mut cfg = lesson.cluster_config();
        // Another address block: the restored cluster of the TUI runs may still be closing.
        (cfg.node_block, cfg.lb_pool) = (120, (1..=20).map(|i| std::net::Ipv4Addr::new(127, 0, 220, i)).collect());
        let cluster = k8s_lab::runtime::Cluster::restore(cfg, &snap).await.unwrap();
        let target = home.join("save-bench.json");
        cluster.persist_to(target.clone()).unwrap();
        let times: Vec<Duration> = (0..51)
            .map(|_| {
                let t0 = Instant::now();
                cluster.flush().unwrap();
                t0.elapsed()
            })
            .collect();
        let size = std::fs::metadata(&target).unwrap().len() as usize;
        cluster.shutdown();
        (median(times), size)
    })
}

fn lesson_root(home: &std::path::Path) -> std::path::PathBuf {
    home.join("workspaces").join("lesson5")
}

fn main() {
    let runs = 7;
    let shell = median((0..runs).map(shell_ready).collect());
    let tui: Vec<Duration> = (0..runs)
        .filter_map(|r| tui_first_frame(r, &fresh_home(&format!("tui-{r}")), ""))
        .collect();
    let deployed = fresh_home("deployed");
    let rss = lesson5_peak_rss(&deployed);
    // The restored cluster's first frame: the live table already lists lesson 5's Services.
    let restored: Vec<Duration> = (0..runs)
        .filter_map(|r| tui_first_frame(100 + r, &deployed, "frontend"))
        .collect();
    let (save, size) = save_cost(&deployed);
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
    if !restored.is_empty() {
        println!(
            "| start-up | `k8s-lab start lesson5` with lesson 5's cluster restored → first frame listing it (median of {}) | {:.1} ms |",
            restored.len(),
            median(restored).as_secs_f64() * 1000.0
        );
    }
    println!("| start-up | peak RSS, lesson 5's seven pods running (shell) | {rss:.1} MiB |");
    println!(
        "| durability | one save of lesson 5's cluster ({} KiB snapshot, atomic write with fsync; median of 51) | {:.2} ms |",
        size / 1024,
        save.as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(root());
}
