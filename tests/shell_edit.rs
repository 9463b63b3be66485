//! `kubectl edit` in the real `k8s-lab shell`: on a terminal (a tmux pane) it runs the editor
//! named by `$EDITOR` on a temp file and saves the result; with piped stdin it runs nothing and
//! says how else to edit.

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::tmux::Tmux;

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
    t.wait_for("the prompt", Duration::from_secs(20), |s| {
        s.lines().any(|l| l.trim_end().ends_with("~/shell$"))
    });
    t.type_line("kubectl create service clusterip web --tcp=80");
    t.wait_for("the Service", Duration::from_secs(20), |s| {
        s.contains("service/web created")
    });
    t.type_line("kubectl edit svc web");
    t.wait_for("the edit", Duration::from_secs(20), |s| {
        s.contains("service/web edited")
    });
    t.type_line("kubectl get svc web -o jsonpath='{.spec.type}'; echo");
    let s = t.wait_for("the type", Duration::from_secs(20), |s| {
        s.lines().any(|l| l == "NodePort")
    });
    assert!(!s.contains("error"), "{s}");
    let _ = std::fs::remove_dir_all(home);
}
