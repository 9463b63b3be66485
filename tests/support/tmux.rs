//! Drive a real terminal: a tmux session running the lab's binary, read with `capture-pane`.

use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux session, killed when dropped.
pub struct Tmux(pub String);

/// A fresh data folder (`K8S_LAB_HOME`) for one test.
pub fn temp_home(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("k8s-lab-screen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Tmux {
    /// A tmux session running `k8s-lab ARGS` with `home` as its data folder; the pane stays
    /// after the lab exits (`EXITED <status>` is printed), so what it printed can be read.
    pub fn open(name: &str, home: &std::path::Path, size: (u16, u16), args: &str) -> Tmux {
        let tmux = Tmux(format!("k8s-lab-screen-{name}-{}", std::process::id()));
        let cmd = format!(
            "env K8S_LAB_HOME={} {} {args}; echo EXITED $?; sleep 60",
            home.display(),
            env!("CARGO_BIN_EXE_k8s-lab")
        );
        let (w, h) = (size.0.to_string(), size.1.to_string());
        tmux.cmd(&["new-session", "-d", "-s", &tmux.0, "-x", &w, "-y", &h, &cmd]);
        tmux
    }

    /// Press keys (tmux names: `F6`, `C-c`, `Enter`), one at a time.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd(&["send-keys", "-t", &self.0, k]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    pub fn cmd(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    pub fn screen(&self) -> String {
        self.cmd(&["capture-pane", "-p", "-t", &self.0])
    }
    pub fn type_line(&self, line: &str) {
        self.cmd(&["send-keys", "-t", &self.0, "-l", line]);
        self.cmd(&["send-keys", "-t", &self.0, "Enter"]);
    }
    pub fn wait_for(&self, what: &str, limit: Duration, test: impl Fn(&str) -> bool) -> String {
        let t0 = Instant::now();
        loop {
            let s = self.screen();
            if test(&s) {
                return s;
            }
            assert!(t0.elapsed() < limit, "timed out waiting for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    pub fn alive(&self) -> bool {
        Command::new("tmux")
            .args(["has-session", "-t", &self.0])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.0]).status();
    }
}
