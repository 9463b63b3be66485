//! Key scripts: every bundled lesson driven through the real TUI loop, from its first step to
//! its last, the way a learner does it — type each step's commands into the command line, wait
//! for the step's checks to pass, press F6. The lesson engine, the lab shell, the cluster and
//! the UI are the real ones; only the screen is a `TestBackend` and the keys come from a
//! channel. A step whose checks do not pass in time fails the test with the reason the lesson
//! would show the learner.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::channel::mpsc::{unbounded, UnboundedSender};
use futures::future::BoxFuture;
use k8s_lab::io::Output;
use k8s_lab::lessons::{self, LessonRun};
use k8s_lab::runtime::Cluster;
use k8s_lab::ui::event_loop::run_loop;
use k8s_lab::ui::{Lang, LessonSource, LessonView, UiOptions};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// The lesson as the UI last asked for it, kept where the key script can read it.
struct Spy {
    inner: Box<dyn LessonSource>,
    latest: Arc<Mutex<Option<LessonView>>>,
}

impl LessonSource for Spy {
    fn view(&self, lang: Lang) -> LessonView {
        let v = self.inner.view(lang);
        *self.latest.lock().unwrap() = Some(v.clone());
        v
    }
    fn refresh<'a>(&'a mut self, cluster: &'a Cluster, history: &'a [String]) -> BoxFuture<'a, bool> {
        self.inner.refresh(cluster, history)
    }
    fn next_step(&mut self) -> bool {
        self.inner.next_step()
    }
    fn prev_step(&mut self) -> bool {
        self.inner.prev_step()
    }
    fn reveal_hint(&mut self) -> bool {
        self.inner.reveal_hint()
    }
}

fn press(tx: &UnboundedSender<std::io::Result<Event>>, code: KeyCode) {
    tx.unbounded_send(Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))))
        .unwrap();
}

fn type_line(tx: &UnboundedSender<std::io::Result<Event>>, line: &str) {
    for c in line.chars() {
        press(tx, KeyCode::Char(c));
    }
    press(tx, KeyCode::Enter);
}

/// How long a learner would give a command before typing the next one.
fn pause_after(line: &str) -> Duration {
    let words: Vec<&str> = line.split_whitespace().collect();
    if let (Some(&"timeout"), Some(secs)) = (words.first(), words.get(1).and_then(|s| s.parse::<u64>().ok())) {
        return Duration::from_secs(secs + 1);
    }
    let interactive = words
        .iter()
        .any(|w| matches!(*w, "-i" | "-it" | "-ti" | "--tty" | "--stdin"));
    Duration::from_millis(if interactive { 6000 } else { 1500 })
}

async fn finish_in_the_tui(id: &str, block: u8) {
    let lesson = lessons::find(id).unwrap_or_else(|e| panic!("{id}: {e}"));
    let home = std::env::temp_dir().join(format!("k8s-lab-tui-{id}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    let mut config = lesson.cluster_config();
    config.node_block = block;
    config.lb_pool = (1..=20)
        .map(|i| std::net::Ipv4Addr::new(127, 0, block + 100, i))
        .collect();
    let (out, buf) = Output::buffer();
    let session = match lesson.open_session(config, &home.join("workspace"), &out).await {
        Ok(s) => s,
        Err(e) => panic!("{id} setup failed: {e}\n{}", buf.text()),
    };
    let cluster = session.cluster.clone();
    let run = LessonRun::open(lesson.clone(), None).unwrap();
    let latest = Arc::new(Mutex::new(None));
    let spy = Spy {
        inner: k8s_lab::app::lesson_source(run, cluster.clone(), session.journal.clone()),
        latest: latest.clone(),
    };
    let steps = lesson.steps().to_vec();
    let mut terminal = Terminal::new(TestBackend::new(140, 45)).unwrap();
    let (tx, rx) = unbounded();

    let view = || latest.lock().unwrap().clone().expect("the UI asked for the lesson");
    let script = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        for (i, step) in steps.iter().enumerate() {
            assert_eq!(view().current, i, "{id}: on step {}", step.id.0);
            for line in &step.solution {
                type_line(&tx, line);
                tokio::time::sleep(pause_after(line)).await;
            }
            let started = Instant::now();
            while !view().steps[i].done {
                if started.elapsed() > Duration::from_secs(90) {
                    let v = view();
                    panic!(
                        "{id}: step {} did not pass after its solution: {:?}",
                        step.id.0, v.steps[i].check_status
                    );
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            press(&tx, KeyCode::F(6));
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        tx.unbounded_send(Ok(Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL))))
            .unwrap();
    };
    let ui = run_loop(
        &mut terminal,
        rx,
        cluster.clone(),
        session,
        Box::new(spy),
        UiOptions {
            lang: Lang::En,
            notice: None,
        },
        std::future::pending(),
    );
    let (stats, ()) = tokio::join!(ui, script);
    stats.unwrap();
    let v = view();
    assert!(v.steps.iter().all(|s| s.done), "{id}: every step done: {v:?}");
    // The step list on screen ticks every step.
    let screen = terminal.backend().to_string();
    let ticks = screen.matches('✓').count();
    assert!(ticks >= 1, "{id}: the step list shows ✓:\n{screen}");
    // The lesson ended: a summary with the way on, and no promise of a next step.
    assert!(v.ended, "{id}: the last step ends the lesson");
    assert!(screen.contains("Lesson complete"), "{id}: the summary:\n{screen}");
    assert!(!screen.contains("F6: next step"), "{id}:\n{screen}");
    let way_on = match v.next_lesson.as_deref() {
        Some(next) => format!("start {next}"),
        None => "list".to_string(),
    };
    assert!(screen.contains(&way_on), "{id}: {way_on:?} on the summary:\n{screen}");
    cluster.shutdown();
    let _ = std::fs::remove_dir_all(&home);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson1_can_be_finished_in_the_tui() {
    finish_in_the_tui("lesson1", 121).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson2_can_be_finished_in_the_tui() {
    finish_in_the_tui("lesson2", 122).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson3_can_be_finished_in_the_tui() {
    finish_in_the_tui("lesson3", 123).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson4_can_be_finished_in_the_tui() {
    finish_in_the_tui("lesson4", 124).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson5_can_be_finished_in_the_tui() {
    finish_in_the_tui("lesson5", 125).await;
}
