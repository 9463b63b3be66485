//! `kubectl edit` in the real `k8s-lab shell`: on a terminal (a tmux pane) it runs the editor
//! named by `$EDITOR` on a temp file and saves the result; with piped stdin it runs nothing and
//! says how else to edit.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_k8s-lab")
}

fn temp_home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("k8s-lab-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn piped_stdin_runs_no_editor() {
    let home = temp_home("edit-piped");
    let marker = home.join("editor-ran");
    let mut child = Command::new(bin())
        .arg("shell")
        .env("K8S_LAB_HOME", &home)
        .env("EDITOR", format!("touch {}", marker.display()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"kubectl edit svc kubernetes\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: kubectl edit has no editor to open here. Set KUBE_EDITOR or EDITOR"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!marker.exists(), "the editor must not run without a terminal");
    let _ = std::fs::remove_dir_all(home);
}

struct Tmux(String);

impl Tmux {
    fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", &self.0])
    }
    fn type_line(&self, line: &str) {
        self.cmd(&["send-keys", "-t", &self.0, "-l", line]);
        self.cmd(&["send-keys", "-t", &self.0, "Enter"]);
    }
    fn wait_for(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        let t0 = Instant::now();
        loop {
            let s = self.screen();
            if test(&s) {
                return s;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.0]).status();
    }
}

#[test]
fn a_terminal_runs_the_learners_editor() {
    let home = temp_home("edit-tty");
    let t = Tmux(format!("k8s-lab-edit-{}", std::process::id()));
    // An editor with spaces and no quotes is split on the spaces, as kubectl splits it.
    let cmd = format!(
        "env K8S_LAB_HOME={} EDITOR='sed -i s/ClusterIP/NodePort/' {} shell",
        home.display(),
        bin()
    );
    t.cmd(&["new-session", "-d", "-s", &t.0, "-x", "150", "-y", "40", &cmd]);
    t.wait_for("the prompt", |s| s.lines().any(|l| l.trim_end() == "$"));
    t.type_line("kubectl create service clusterip web --tcp=80");
    t.wait_for("the Service", |s| s.contains("service/web created"));
    t.type_line("kubectl edit svc web");
    t.wait_for("the edit", |s| s.contains("service/web edited"));
    t.type_line("kubectl get svc web -o jsonpath='{.spec.type}'; echo");
    let s = t.wait_for("the type", |s| s.lines().any(|l| l == "NodePort"));
    assert!(!s.contains("error"), "{s}");
    let _ = std::fs::remove_dir_all(home);
}
