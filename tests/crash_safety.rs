//! Crash safety: a process saving a learner's progress and a workspace file in a loop is killed
//! with SIGKILL at random moments, again and again. Each restart must find both files whole —
//! never a mix of two versions, never a `.broken` progress file — and at most the write that was
//! in flight is missing.
//!
//! The writer is this test binary itself, started again with `K8S_LAB_CRASH_DIR` set: it runs
//! the same `Workspace::write` and `Progress::save` the lab uses.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use k8s_lab::lessons::Progress;
use k8s_lab::workspace::Workspace;

const STEP: &str = "expose";
/// Big enough that a torn write would show.
const PADDING: usize = 256 * 1024;

fn note(version: usize) -> Vec<u8> {
    let mut text = format!("version {version}\n").into_bytes();
    let fill = b'a' + (version % 26) as u8;
    text.extend(std::iter::repeat_n(fill, PADDING));
    text
}

/// The version a workspace file holds, if it is whole.
fn note_version(bytes: &[u8]) -> Option<usize> {
    let nl = bytes.iter().position(|b| *b == b'\n')?;
    let version: usize = std::str::from_utf8(&bytes[..nl])
        .ok()?
        .strip_prefix("version ")?
        .parse()
        .ok()?;
    let fill = b'a' + (version % 26) as u8;
    let body = &bytes[nl + 1..];
    (body.len() == PADDING && body.iter().all(|b| *b == fill)).then_some(version)
}

fn progress_path(dir: &Path) -> std::path::PathBuf {
    Progress::path_in(dir, "crash")
}

/// The writer: continue from what is on disk, report each completed pair of writes.
#[test]
fn crash_writer() {
    let Some(dir) = std::env::var_os("K8S_LAB_CRASH_DIR") else {
        return; // Only runs as the child of `saves_survive_sigkill`.
    };
    let dir = Path::new(&dir);
    let ws = Workspace::new(dir.join("workspace"));
    let mut progress = Progress::load(&progress_path(dir), "crash").expect("progress loads");
    let mut version = progress.hints_shown(STEP);
    loop {
        version += 1;
        ws.write("notes.txt", &note(version)).expect("workspace write");
        progress.reveal_hint(STEP, usize::MAX);
        progress.save(&progress_path(dir)).expect("progress save");
        println!("wrote {version}");
    }
}

#[test]
fn saves_survive_sigkill() {
    if std::env::var_os("K8S_LAB_CRASH_DIR").is_some() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("k8s-lab-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut last_seen = 0;
    for round in 0..12 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["crash_writer", "--exact", "--nocapture", "--test-threads=1"])
            .env("K8S_LAB_CRASH_DIR", &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("wrote ").and_then(|n| n.parse::<usize>().ok()))
                .last()
        });
        // Let it write for a while (a different moment each round), then pull the plug.
        std::thread::sleep(Duration::from_millis(40 + 37 * round));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let reported = reader.join().unwrap().unwrap_or(last_seen);

        let bytes = std::fs::read(dir.join("workspace/notes.txt")).unwrap_or_default();
        let on_disk = note_version(&bytes);
        let progress = Progress::load(&progress_path(&dir), "crash").unwrap();
        let hints = progress.hints_shown(STEP);
        assert!(
            !dir.join("progress/crash.json.broken").exists(),
            "round {round}: the progress file was corrupt"
        );
        if reported > 0 || hints > 0 {
            let v = on_disk.unwrap_or_else(|| panic!("round {round}: notes.txt is torn"));
            // At most the write in flight is missing: the file is the last reported version or
            // the one after it; progress is saved after the note, so it lags by at most one.
            assert!(
                v == reported || v == reported + 1,
                "round {round}: note {v}, reported {reported}"
            );
            assert!(
                hints == v || hints + 1 == v,
                "round {round}: progress {hints}, note {v}"
            );
        }
        assert!(reported >= last_seen, "round {round}: went backwards");
        last_seen = reported;
    }
    assert!(last_seen > 0, "the writer never completed a write");
    let _ = std::fs::remove_dir_all(&dir);
}
