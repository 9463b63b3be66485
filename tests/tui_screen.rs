//! The real binary in a real terminal (tmux), for what a learner reads on the screen: the
//! lesson picker of a bare `k8s-lab start`, Ctrl+C that asks before it quits and the words
//! printed after quitting, and an 80×24 terminal where the Services table keeps its ports and
//! the help box cuts no line.
//!
//! The lessons bind their own loopback addresses, so the tests here run one at a time.

mod support;

use std::sync::Mutex;
use std::time::Duration;

use support::tmux::{temp_home, Tmux};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn start_without_a_lesson_picks_one_and_ctrl_c_asks_before_quitting() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("picker");
    let tmux = Tmux::open("picker", &home, (120, 36), "start --lang ko");
    tmux.wait_for("the picker", Duration::from_secs(20), |s| {
        s.contains("레슨 고르기") && s.contains("lesson5") && s.contains("Enter: 열기")
    });
    tmux.keys(&["Down", "Enter"]);
    tmux.wait_for("lesson2 open", Duration::from_secs(20), |s| {
        s.contains("리소스") && s.contains("kubernetes") && s.contains("단계 1/7 · 레슨 2/5")
    });

    // The learner's folder is a home-like one named for the lesson, in the prompt and in pwd.
    tmux.type_line("pwd");
    let s = tmux.wait_for("pwd", Duration::from_secs(10), |s| s.contains("~/lesson2$ pwd"));
    assert!(
        s.lines().any(|l| l.contains("│~/lesson2 ")),
        "pwd prints the folder:\n{s}"
    );

    // A watch, cancelled by one Ctrl+C; a second quick Ctrl+C only asks.
    tmux.type_line("kubectl get svc -w");
    tmux.wait_for("the watch", Duration::from_secs(10), |s| s.contains("실행 중"));
    tmux.keys(&["C-c", "C-c"]);
    let s = tmux.wait_for("the question", Duration::from_secs(10), |s| {
        s.contains("Ctrl+C 한 번 더 또는 Ctrl+Q: 종료")
    });
    assert!(!s.contains("EXITED"), "two Ctrl+C did not quit:\n{s}");
    // Another key clears the question; the next Ctrl+C asks again, and one more quits.
    tmux.keys(&["x", "C-u", "C-c"]);
    tmux.wait_for("the question again", Duration::from_secs(10), |s| {
        s.contains("Ctrl+C 한 번 더")
    });
    tmux.keys(&["C-c"]);
    let s = tmux.wait_for("the exit", Duration::from_secs(10), |s| s.contains("EXITED 0"));
    assert!(
        s.contains("클러스터와 진행 상황은 저장되었습니다") && s.contains("k8s-lab start lesson2"),
        "quitting says what was kept, in Korean:\n{s}"
    );
    drop(tmux);
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn at_80x24_the_services_table_keeps_its_ports_and_the_help_box_fits() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("narrow");
    let tmux = Tmux::open("narrow", &home, (80, 24), "start lesson3 --lang en");
    let s = tmux.wait_for("the first frame", Duration::from_secs(20), |s| {
        s.contains("Resources") && s.contains("kubernetes")
    });
    let header = s.lines().find(|l| l.contains("NAME")).unwrap_or_default().to_string();
    assert!(header.contains("PORT(S)"), "the ports stay at 80×24:\n{s}");
    let row = s.lines().find(|l| l.contains("kubernetes")).unwrap_or_default();
    assert!(row.contains("443/TCP"), "whole values, not cut:\n{s}");

    // Unknown-object errors wrap at spaces in the terminal pane, never inside a word.
    tmux.type_line("kubectl get svc a-service-that-does-not-exist-anywhere");
    let s = tmux.wait_for("the error", Duration::from_secs(10), |s| s.contains("NotFound"));
    assert!(
        s.contains("a-service-that-does-not-exist-anywhere"),
        "the name is whole:\n{s}"
    );

    tmux.keys(&["F1"]);
    let s = tmux.wait_for("the help", Duration::from_secs(10), |s| s.contains("Help — keys"));
    // The help box's own lines (the pane title behind it may end in `…` by design).
    let help: String = s.lines().filter(|l| l.contains("│ │")).collect::<Vec<_>>().join("\n");
    assert!(!help.is_empty(), "{s}");
    assert!(!help.replace("Alt+1…9", "").contains('…'), "no help line is cut:\n{s}");
    assert!(s.contains("PgUp/PgDn: scroll"), "the help says it scrolls:\n{s}");
    tmux.keys(&["Escape", "C-q"]);
    let s = tmux.wait_for("the exit", Duration::from_secs(10), |s| s.contains("EXITED 0"));
    assert!(s.contains("Your cluster and progress are saved"), "{s}");
    drop(tmux);
    let _ = std::fs::remove_dir_all(&home);
}
