//! Runs every shared acceptance transcript (`../shared/acceptance/*.lab`) through the lab shell,
//! as its README describes: each `$` line is fed to a `k8s-lab shell` session (in-process, the
//! same `Session` the binary drives) and its output must match, tables aligned like kubectl's.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use k8s_lab::io::Output;
use support::transcript::{check, parse};

/// `../shared/acceptance`, or `K8S_LAB_ACCEPTANCE_DIR` to try edited copies.
fn acceptance_dir() -> PathBuf {
    match std::env::var_os("K8S_LAB_ACCEPTANCE_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/acceptance"),
    }
}

/// Output that means a command failed although the transcript expects no particular output.
fn looks_like_error(text: &str) -> bool {
    text.lines().any(|l| {
        l.starts_with("error:")
            || l.starts_with("Error from server")
            || l.starts_with("curl: (")
            || l.starts_with("sh: ")
            || l.starts_with("command terminated with exit code")
    })
}

/// Run one transcript. `block` picks the node and load-balancer address blocks so transcripts
/// can run in parallel without fighting over ports.
fn run_lab(file: &str, block: u8) {
    let path = acceptance_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let transcript = parse(&text);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let home = tempdir(file);
        let mut session = support::lab::session_for(transcript.setting("lesson"), block, &home).await;
        for step in &transcript.steps {
            let (out, buf) = Output::buffer();
            let ran = tokio::time::timeout(Duration::from_secs(180), session.run_line(&step.command, &out)).await;
            let output = buf.text();
            let Ok(code) = ran else {
                panic!(
                    "{file}:{}: `{}` did not finish in 180 s; output so far:\n{output}",
                    step.line_no, step.command
                );
            };
            let verdict = if step.expected.is_empty() {
                if looks_like_error(&output) {
                    Err(format!("the command failed (exit {code})"))
                } else {
                    Ok(())
                }
            } else {
                check(&step.expected, &output)
            };
            if let Err(why) = verdict {
                panic!(
                    "{file}:{}: {why}\n--- command\n$ {}\n--- expected\n{}\n--- actual (exit {code})\n{output}---",
                    step.line_no,
                    step.command,
                    step.expected.join("\n")
                );
            }
        }
        session.cluster.shutdown();
    });
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "k8s-lab-acceptance-{}-{}",
        name.trim_end_matches(".lab"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_transcript_has_a_test() {
    let mut files: Vec<String> = std::fs::read_dir(acceptance_dir())
        .expect("../shared/acceptance is next to the project")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".lab"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "seed000-frontend-backend.lab",
            "seed001-service-basics.lab",
            "seed002-service-types.lab",
            "seed003-expose-nodeport.lab",
            "seed004-connect-applications.lab"
        ],
        "a new transcript needs its own test below"
    );
}

#[test]
fn seed000_frontend_backend() {
    run_lab("seed000-frontend-backend.lab", 30);
}

#[test]
fn seed001_service_basics() {
    run_lab("seed001-service-basics.lab", 31);
}

#[test]
fn seed002_service_types() {
    run_lab("seed002-service-types.lab", 32);
}

#[test]
fn seed003_expose_nodeport() {
    run_lab("seed003-expose-nodeport.lab", 33);
}

#[test]
fn seed004_connect_applications() {
    run_lab("seed004-connect-applications.lab", 34);
}
