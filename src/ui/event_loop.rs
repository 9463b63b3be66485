//! The one event loop: a `tokio::select!` over everything that can change the screen.
//!
//! - keys, pastes and resizes from crossterm's `EventStream`;
//! - store changes from the cluster's watch, **coalesced**: the first change of a burst arms a
//!   short timer ([`COALESCE`]); when it fires the tables are pulled once, the lesson checks run
//!   once and the screen is drawn once, however many changes arrived meanwhile;
//! - output chunks and completion of the running command (from the shell actor);
//! - new lesson views from the lesson actor ([`super::lesson_actor`]), which runs the checks;
//! - traffic events from the data plane (each request a pod answered, each connection kube-proxy
//!   refused) for the traffic view: a burst is taken in one go and drawn once (they redraw only
//!   while the view is shown);
//! - a one-shot timer for the next highlight fade, armed only while a highlight is shown;
//! - SIGTERM/SIGHUP/SIGINT and panics elsewhere, which end the loop so the guard restores the
//!   terminal.
//!
//! There is no periodic tick: an idle lab sleeps in `select!` and uses no CPU. The screen is
//! drawn only after something changed the state, and at most once per [`FRAME`].
//!
//! The learner's [`Session`] lives in a small actor task ([`spawn_shell`]) that owns it, runs one
//! command at a time, streams its output back, and drops the command's future when asked to
//! cancel (Ctrl+C). The loop never awaits a command, so the UI stays live while one runs.

use std::future::Future;
use std::io;
use std::pin::pin;
use std::time::Duration;

use anyhow::Context as _;
use crossterm::event::{Event, EventStream};
use futures::{Stream, StreamExt};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::Terminal;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::io::{Chunk, Output};
use crate::kubectl;
use crate::kubectl::table::Table;
use crate::runtime::Cluster;
use crate::shell::Session;

use super::app::{App, Effect, ResourceTab};
use super::lesson_actor::{spawn_lesson, LessonRequest};
use super::terminal_guard::{self, TerminalGuard};
use super::{draw, strings, LessonSource, LineRunner, UiOptions};

/// How long a burst of store changes is gathered before one refresh.
pub const COALESCE: Duration = Duration::from_millis(30);
/// The shortest time between two frames (about 60 per second).
pub const FRAME: Duration = Duration::from_millis(16);

/// Run the lab's UI on the real terminal until the learner quits (or asks to start the lesson
/// over). The terminal is restored on every exit path.
pub async fn run(
    cluster: Cluster,
    session: Session,
    lesson: Box<dyn LessonSource>,
    opts: UiOptions,
) -> anyhow::Result<Exit> {
    let stop = stop_signals()?;
    let guard = TerminalGuard::enter().context("cannot switch the terminal to full-screen mode")?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    let shell = super::LabShell {
        session,
        lang: opts.lang,
    };
    let result = run_loop(&mut terminal, EventStream::new(), cluster, shell, lesson, opts, stop).await;
    drop(terminal);
    drop(guard);
    result.map(|stats| if stats.reset { Exit::Reset } else { Exit::Quit })
}

/// How the UI ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The learner quit (or the terminal went away).
    Quit,
    /// The learner confirmed starting the lesson over: the caller resets and opens it again.
    Reset,
}

/// A future that resolves on SIGTERM, SIGHUP or SIGINT.
fn stop_signals() -> anyhow::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
                _ = int.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// What the loop did, for tests (and a sanity check that idle means no redraws).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoopStats {
    pub draws: usize,
    pub table_refreshes: usize,
    /// The loop ended because the learner asked to start the lesson over.
    pub reset: bool,
}

/// The loop itself, over any backend and any event stream, so tests drive it with a
/// `TestBackend` and a channel of key events. Returns when the learner quits, the event stream
/// ends or `stop` resolves.
pub async fn run_loop<B, E>(
    terminal: &mut Terminal<B>,
    mut events: E,
    cluster: Cluster,
    runner: impl LineRunner,
    lesson: Box<dyn LessonSource>,
    opts: UiOptions,
    stop: impl Future<Output = ()>,
) -> anyhow::Result<LoopStats>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    E: Stream<Item = io::Result<Event>> + Unpin,
{
    let lang = opts.lang;
    let size = terminal.size()?;
    let complete = runner.completer();
    let workspace = runner.workspace();
    let mut lesson = spawn_lesson(lesson, cluster.clone(), lang);
    let mut app = App::new(
        lang,
        lesson.views.borrow_and_update().clone(),
        (size.width, size.height),
    );
    if let Some(dns) = cluster.dns_addr() {
        app.note_dns(dns);
    }
    if let Some(notice) = &opts.notice {
        app.note(notice);
    }
    let mut lesson_alive = true;
    let mut stats = LoopStats::default();
    app.set_tables(snapshot_tables(&cluster), now());

    let mut shell = spawn_shell(runner);
    app.prompt = shell.prompt.borrow().clone();
    let mut store_watch = Some(cluster.watch());
    let mut traffic = Some(cluster.net().traffic());
    let mut refresh_at: Option<Instant> = None;
    let panicked = terminal_guard::panic_notifier();
    let mut stop = pin!(stop);
    let mut dirty = true;
    let mut quit = false;

    let mut last_draw: Option<Instant> = None;
    while !quit {
        // Draw when something changed, but at most once per frame: a command streaming
        // thousands of chunks a second costs one frame per FRAME, not one per chunk.
        let mut draw_at = None;
        if dirty {
            let due = last_draw.map(|t| t + FRAME);
            if due.is_none_or(|d| d <= Instant::now()) {
                terminal.draw(|f| draw::draw(f, &app))?;
                stats.draws += 1;
                dirty = false;
                last_draw = Some(Instant::now());
            } else {
                draw_at = due;
            }
        }
        let fade_at = app.next_deadline().map(Instant::from_std);
        let mut effects = Vec::new();
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(key))) => {
                    effects = app.on_key(key);
                    dirty = true;
                }
                Some(Ok(Event::Paste(text))) => {
                    effects = app.on_paste(&text);
                    dirty = true;
                }
                Some(Ok(Event::Resize(w, h))) => {
                    app.on_resize(w, h);
                    dirty = true;
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e).context("reading terminal events"),
                None => break,
            },
            alive = changed(&mut store_watch) => {
                if !alive {
                    store_watch = None;
                }
                refresh_at.get_or_insert_with(|| Instant::now() + COALESCE);
            }
            got = next_traffic(&mut traffic) => match got {
                TrafficRecv::Event(ev) => {
                    let mut burst = vec![ev];
                    drain_traffic(&mut traffic, &mut burst, &mut app);
                    dirty |= app.on_traffic(&burst, now(), &wall_clock());
                }
                TrafficRecv::Lagged(n) => {
                    app.traffic.lagged(n);
                    dirty |= app.traffic_shown();
                }
                TrafficRecv::Closed => traffic = None,
            },
            _ = sleep_until(refresh_at) => {
                refresh_at = None;
                stats.table_refreshes += 1;
                dirty |= app.set_tables(snapshot_tables(&cluster), now());
                lesson.send(LessonRequest::Check { history: app.history().to_vec() });
            }
            changed = lesson.views.changed(), if lesson_alive => {
                if changed.is_ok() {
                    app.set_lesson(lesson.views.borrow_and_update().clone());
                    dirty = true;
                } else {
                    lesson_alive = false;
                }
            }
            Some(chunk) = shell.output.recv() => {
                app.on_output(chunk);
                while let Ok(chunk) = shell.output.try_recv() {
                    app.on_output(chunk);
                }
                dirty = true;
            }
            done = shell.done.recv() => {
                let Some(status) = done else {
                    anyhow::bail!(app.tr(strings::SHELL_GONE));
                };
                // Output sent before completion is already queued: show it first.
                while let Ok(chunk) = shell.output.try_recv() {
                    app.on_output(chunk);
                }
                app.prompt = shell.prompt.borrow().clone();
                effects = app.on_command_done(status);
                lesson.send(LessonRequest::Check { history: app.history().to_vec() });
                dirty = true;
            }
            _ = sleep_until(draw_at) => {}
            _ = sleep_until(fade_at) => {
                dirty |= app.expire(now());
            }
            _ = panicked.notified() => anyhow::bail!("internal error (see the message above)"),
            _ = &mut stop => break,
        }
        let mut work: std::collections::VecDeque<Effect> = effects.into();
        while let Some(effect) = work.pop_front() {
            match effect {
                Effect::Run(text) => shell.run(text),
                Effect::Cancel => shell.cancel(),
                Effect::Quit => quit = true,
                Effect::Reset => {
                    stats.reset = true;
                    quit = true;
                }
                Effect::NextStep => lesson.send(LessonRequest::NextStep),
                Effect::PrevStep => lesson.send(LessonRequest::PrevStep),
                Effect::HintRevealed => lesson.send(LessonRequest::RevealHint),
                Effect::Complete { line, cursor } => {
                    app.apply_completion(complete(&line, cursor));
                    dirty = true;
                }
                Effect::Save { path, text } => {
                    let result = match &workspace {
                        Some(ws) => ws.write(&path, text.as_bytes()).map_err(|e| e.to_string()),
                        None => Err("no workspace".to_string()),
                    };
                    // The apply names the file as the learner sees it: `~/lesson5/dup.yaml`.
                    let shown = workspace.as_ref().map_or_else(|| path.clone(), |ws| ws.shown(&path));
                    work.extend(app.on_saved(&shown, result));
                    dirty = true;
                }
                Effect::FinishEdit { session, text } => {
                    let (out, buf) = Output::buffer();
                    let status = kubectl::edit::finish(&cluster, &session, &text, &out);
                    app.on_edit_finished(status, buf.chunks());
                    dirty = true;
                }
            }
        }
    }
    // Dropping the handles stops the actors (and cancels a running command).
    drop(shell);
    drop(lesson);
    Ok(stats)
}

/// Now, on tokio's clock (paused in tests), as the `std` instant the app state uses.
fn now() -> std::time::Instant {
    Instant::now().into_std()
}

/// Sleep until `deadline`, or forever when there is none (a disabled timer).
async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

/// Wait for the next store change. False when the watch closed (the cluster shut down); a
/// lagging receiver still counts as a change (the refresh re-lists everything anyway).
async fn changed(rx: &mut Option<broadcast::Receiver<crate::runtime::WatchEvent>>) -> bool {
    let Some(rx) = rx else {
        return std::future::pending().await;
    };
    match rx.recv().await {
        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => true,
        Err(broadcast::error::RecvError::Closed) => false,
    }
}

/// What the traffic subscription gave.
enum TrafficRecv {
    Event(crate::runtime::net::TrafficEvent),
    Lagged(u64),
    Closed,
}

/// Wait for the next traffic event (forever once the cluster has shut down).
async fn next_traffic(rx: &mut Option<broadcast::Receiver<crate::runtime::net::TrafficEvent>>) -> TrafficRecv {
    let Some(rx) = rx else {
        return std::future::pending().await;
    };
    match rx.recv().await {
        Ok(ev) => TrafficRecv::Event(ev),
        Err(broadcast::error::RecvError::Lagged(n)) => TrafficRecv::Lagged(n),
        Err(broadcast::error::RecvError::Closed) => TrafficRecv::Closed,
    }
}

/// Take the rest of a burst that is already queued, so it costs one update and one frame.
fn drain_traffic(
    rx: &mut Option<broadcast::Receiver<crate::runtime::net::TrafficEvent>>,
    burst: &mut Vec<crate::runtime::net::TrafficEvent>,
    app: &mut App,
) {
    let Some(rx) = rx else { return };
    loop {
        match rx.try_recv() {
            Ok(ev) => burst.push(ev),
            Err(broadcast::error::TryRecvError::Lagged(n)) => app.traffic.lagged(n),
            Err(_) => return,
        }
    }
}

/// The wall-clock time shown beside a request.
fn wall_clock() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}

/// The live tables, as `kubectl get` would print them now.
pub fn snapshot_tables(cluster: &Cluster) -> Vec<(ResourceTab, Table)> {
    ResourceTab::ALL
        .iter()
        .map(|&tab| (tab, kubectl::get_table(cluster, tab.kind(), Some("default"))))
        .collect()
}

/// The loop's side of the shell actor.
pub struct ShellHandle {
    requests: mpsc::UnboundedSender<(u64, String)>,
    /// The id of the last command asked to stop.
    cancel: watch::Sender<u64>,
    /// Command output, in order.
    pub output: mpsc::UnboundedReceiver<Chunk>,
    /// One exit status per command, in order.
    pub done: mpsc::UnboundedReceiver<i32>,
    /// The shell's prompt after the last command (a pod's while attached).
    pub prompt: watch::Receiver<String>,
    last_id: u64,
    task: JoinHandle<()>,
}

impl ShellHandle {
    pub fn run(&mut self, text: String) {
        self.last_id += 1;
        let _ = self.requests.send((self.last_id, text));
    }

    /// Cancel the last command sent (if it still runs; a late cancel does not touch the next
    /// command).
    pub fn cancel(&mut self) {
        let _ = self.cancel.send(self.last_id);
    }

    /// Stop the actor; a running command is cancelled (its future dropped).
    pub fn shutdown(self) {}
}

impl Drop for ShellHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Exit status of a command stopped with Ctrl+C (128 + SIGINT), as a shell reports it.
pub const CANCELLED: i32 = 130;

/// Start the actor that owns `runner` and runs the lines it is sent, one at a time.
pub fn spawn_shell(mut runner: impl LineRunner) -> ShellHandle {
    let (out, output) = Output::channel();
    let out = out.with_editor(true);
    let (requests, mut req_rx) = mpsc::unbounded_channel::<(u64, String)>();
    let (done_tx, done) = mpsc::unbounded_channel();
    let (cancel, mut cancel_rx) = watch::channel(0u64);
    let (prompt_tx, prompt) = watch::channel(runner.prompt());
    let task = tokio::spawn(async move {
        while let Some((id, text)) = req_rx.recv().await {
            let cancelled = async {
                loop {
                    if *cancel_rx.borrow_and_update() >= id {
                        return;
                    }
                    if cancel_rx.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
            };
            let status = tokio::select! {
                status = runner.run_line(&text, &out) => status,
                _ = cancelled => CANCELLED,
            };
            if status == CANCELLED {
                runner.cancelled();
            }
            // Set before `done`, so the UI reads the new prompt when it sees the command end.
            let _ = prompt_tx.send(runner.prompt());
            if done_tx.send(status).is_err() {
                break;
            }
        }
    });
    ShellHandle {
        requests,
        cancel,
        output,
        done,
        prompt,
        last_id: 0,
        task,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use futures::channel::mpsc::{unbounded, UnboundedSender};
    use futures::future::BoxFuture;
    use k8s_openapi::api::core::v1::ConfigMap;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::runtime::{ClusterConfig, Object};
    use crate::ui::{Lang, LessonView, StaticLesson};

    /// Runs `sleep…` forever (until dropped), anything else prints `ran: LINE`.
    #[derive(Clone, Default)]
    struct FakeShell {
        log: Arc<Mutex<Vec<String>>>,
        dropped: Arc<AtomicUsize>,
    }

    struct OnDrop(Arc<AtomicUsize>);
    impl Drop for OnDrop {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    impl LineRunner for FakeShell {
        fn run_line<'a>(&'a mut self, line: &'a str, out: &'a Output) -> BoxFuture<'a, i32> {
            Box::pin(async move {
                self.log.lock().unwrap().push(line.to_string());
                if line.starts_with("sleep") {
                    let _guard = OnDrop(self.dropped.clone());
                    return std::future::pending::<i32>().await;
                }
                if line == "flood" {
                    for i in 0..1000 {
                        out.line(&format!("chunk {i}"));
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                    return 0;
                }
                out.line(&format!("ran: {line}"));
                0
            })
        }
    }

    /// Counts how often the loop re-runs the lesson's checks.
    struct CountingLesson {
        refreshes: Arc<AtomicUsize>,
        inner: StaticLesson,
    }

    impl LessonSource for CountingLesson {
        fn view(&self, lang: Lang) -> LessonView {
            self.inner.view(lang)
        }
        fn refresh<'a>(&'a mut self, _cluster: &'a Cluster, _history: &'a [String]) -> BoxFuture<'a, bool> {
            self.refreshes.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { false })
        }
        fn next_step(&mut self) -> bool {
            self.inner.next_step()
        }
        fn prev_step(&mut self) -> bool {
            self.inner.prev_step()
        }
    }

    fn press(tx: &UnboundedSender<io::Result<Event>>, code: KeyCode, mods: KeyModifiers) {
        tx.unbounded_send(Ok(Event::Key(KeyEvent::new(code, mods)))).unwrap();
    }

    fn type_line(tx: &UnboundedSender<io::Result<Event>>, line: &str) {
        for c in line.chars() {
            press(tx, KeyCode::Char(c), KeyModifiers::NONE);
        }
        press(tx, KeyCode::Enter, KeyModifiers::NONE);
    }

    fn screen(terminal: &Terminal<TestBackend>) -> String {
        terminal.backend().to_string()
    }

    struct Rig {
        terminal: Terminal<TestBackend>,
        cluster: Cluster,
        shell: FakeShell,
        refreshes: Arc<AtomicUsize>,
    }

    async fn rig() -> Rig {
        Rig {
            terminal: Terminal::new(TestBackend::new(100, 30)).unwrap(),
            cluster: Cluster::start(ClusterConfig::default()).await.unwrap(),
            shell: FakeShell::default(),
            refreshes: Arc::new(AtomicUsize::new(0)),
        }
    }

    async fn settle() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    #[tokio::test(start_paused = true)]
    async fn typed_lines_run_in_the_shell_and_ctrl_c_cancels() {
        let mut rig = rig().await;
        let (tx, rx) = unbounded();
        let lesson = Box::new(CountingLesson {
            refreshes: rig.refreshes.clone(),
            inner: StaticLesson::default(),
        });
        let shell = rig.shell.clone();
        let refreshes = rig.refreshes.clone();
        let driver = async {
            // Let the fresh cluster finish starting (its own changes re-run the checks too).
            tokio::time::sleep(Duration::from_secs(60)).await;
            let before = refreshes.load(Ordering::SeqCst);
            type_line(&tx, "echo hi");
            settle().await;
            type_line(&tx, "sleep 100");
            settle().await;
            assert_eq!(shell.dropped.load(Ordering::SeqCst), 0, "still running");
            press(&tx, KeyCode::Char('c'), KeyModifiers::CONTROL);
            settle().await;
            assert_eq!(shell.dropped.load(Ordering::SeqCst), 1, "Ctrl+C dropped the command");
            type_line(&tx, "echo after");
            settle().await;
            // One check per finished command (three, the cancelled one included).
            assert_eq!(refreshes.load(Ordering::SeqCst) - before, 3);
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let run = run_loop(
            &mut rig.terminal,
            rx,
            rig.cluster.clone(),
            rig.shell.clone(),
            lesson,
            UiOptions::default(),
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        stats.unwrap();
        assert_eq!(
            *rig.shell.log.lock().unwrap(),
            vec!["echo hi", "sleep 100", "echo after"]
        );
        let text = screen(&rig.terminal);
        for want in ["$ echo hi", "ran: echo hi", "$ sleep 100", "^C", "ran: echo after"] {
            assert!(text.contains(want), "{want:?} missing:\n{text}");
        }
    }

    /// The input row (the terminal pane's last row inside its border) as drawn.
    fn input_row(terminal: &Terminal<TestBackend>) -> String {
        let areas = crate::ui::draw::layout((100, 30));
        let buf = terminal.backend().buffer();
        (areas.input.x..areas.input.x + areas.input.width)
            .map(|x| buf[(x, areas.input.y)].symbol().to_string())
            .collect()
    }

    /// Type `lines` into the TUI over a real lab shell, each given time to finish; then quit.
    async fn tui_with_lab_shell(lines: &[&str]) -> Terminal<TestBackend> {
        let mut rig = rig().await;
        let (session, _dir) = crate::shell::tests::session().await;
        let cluster = session.cluster.clone();
        let (tx, rx) = unbounded();
        let driver = async {
            settle().await;
            for line in lines {
                type_line(&tx, line);
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let run = run_loop(
            &mut rig.terminal,
            rx,
            cluster,
            session,
            Box::new(StaticLesson::default()),
            UiOptions::default(),
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        stats.unwrap();
        rig.terminal
    }

    /// `exit` on the lab's own command line does not close its terminal, and says so in the
    /// learner's language only.
    #[tokio::test(start_paused = true)]
    async fn exit_on_the_lab_command_line_is_answered_in_the_learners_language() {
        let mut rig = rig().await;
        let (session, _dir) = crate::shell::tests::session().await;
        let cluster = session.cluster.clone();
        let (tx, rx) = unbounded();
        let driver = async {
            settle().await;
            for c in "exit".chars() {
                press(&tx, KeyCode::Char(c), KeyModifiers::NONE);
            }
            press(&tx, KeyCode::Enter, KeyModifiers::NONE);
            tokio::time::sleep(Duration::from_secs(1)).await;
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let shell = crate::ui::LabShell {
            session,
            lang: Lang::En,
        };
        let opts = UiOptions {
            lang: Lang::En,
            notice: None,
        };
        let view = LessonView {
            steps: vec![crate::ui::StepView::default()],
            ..Default::default()
        };
        let run = run_loop(
            &mut rig.terminal,
            rx,
            cluster,
            shell,
            Box::new(StaticLesson { view }),
            opts,
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        stats.unwrap();
        let text = screen(&rig.terminal);
        assert!(
            text.contains("exit: the lab's terminal stays open; Ctrl+Q quits k8s-lab"),
            "{text}"
        );
        assert!(!text.contains("닫히지"), "English only: {text}");
    }

    /// F9 puts a heredoc solution on the command line; one Enter runs it whole through the
    /// real lab shell, and the Service it describes exists, with its manifest's indentation.
    #[tokio::test(start_paused = true)]
    async fn f9_then_enter_runs_a_heredoc_solution_in_the_lab_shell() {
        let mut rig = rig().await;
        let (session, _dir) = crate::shell::tests::session().await;
        let cluster = session.cluster.clone();
        let solution = "cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Service\nmetadata:\n  name: dup-nodeport\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\nEOF\n";
        let view = LessonView {
            steps: vec![crate::ui::StepView {
                title: "s".into(),
                solution: vec![solution.into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        let (tx, rx) = unbounded();
        let driver = async {
            settle().await;
            press(&tx, KeyCode::F(9), KeyModifiers::NONE);
            press(&tx, KeyCode::Enter, KeyModifiers::NONE);
            tokio::time::sleep(Duration::from_secs(5)).await;
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let run = run_loop(
            &mut rig.terminal,
            rx,
            cluster.clone(),
            session,
            Box::new(StaticLesson { view }),
            UiOptions::default(),
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        stats.unwrap();
        let text = screen(&rig.terminal);
        assert!(text.contains("service/dup-nodeport created"), "{text}");
        assert!(
            text.contains(">   name: dup-nodeport"),
            "echoed with its indentation: {text}"
        );
        assert!(
            cluster
                .get(crate::runtime::Kind::Service, "default", "dup-nodeport")
                .is_some(),
            "the Service exists"
        );
    }

    const RUN_IT: &str = "kubectl run curl --image=radial/busyboxplus:curl -i --tty --rm";

    #[tokio::test(start_paused = true)]
    async fn the_prompt_is_the_pods_while_attached() {
        let terminal = tui_with_lab_shell(&[RUN_IT, "echo inpod"]).await;
        let text = screen(&terminal);
        // Lines typed in the pod are echoed after the image's prompt, and the input row shows it.
        assert!(text.contains("[ root@curl:/ ]$ echo inpod"), "{text}");
        let row = input_row(&terminal);
        assert!(row.starts_with("[ root@curl:/ ]$ "), "{row:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn exit_brings_back_the_labs_prompt() {
        let terminal = tui_with_lab_shell(&[RUN_IT, "exit", "echo back"]).await;
        let text = screen(&terminal);
        assert!(text.contains("[ root@curl:/ ]$ exit"), "{text}");
        assert!(text.contains("$ echo back"), "{text}");
        let row = input_row(&terminal);
        assert!(row.starts_with("~/") && row.contains("$ "), "the lab's prompt: {row:?}");
    }

    /// Checks that take a minute (an HTTP check waiting for its timeout).
    struct SlowLesson;

    impl LessonSource for SlowLesson {
        fn view(&self, _lang: Lang) -> LessonView {
            LessonView::default()
        }
        fn refresh<'a>(&'a mut self, _cluster: &'a Cluster, _history: &'a [String]) -> BoxFuture<'a, bool> {
            Box::pin(async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                false
            })
        }
        fn next_step(&mut self) -> bool {
            false
        }
        fn prev_step(&mut self) -> bool {
            false
        }
    }

    #[tokio::test(start_paused = true)]
    async fn slow_lesson_checks_do_not_block_typing() {
        let mut rig = rig().await;
        let (tx, rx) = unbounded();
        let shell = rig.shell.clone();
        let driver = async {
            settle().await;
            type_line(&tx, "echo one");
            settle().await;
            assert_eq!(
                *shell.log.lock().unwrap(),
                vec!["echo one"],
                "ran while the checks still run"
            );
            type_line(&tx, "echo two");
            settle().await;
            assert_eq!(shell.log.lock().unwrap().len(), 2);
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let started = Instant::now();
        let run = run_loop(
            &mut rig.terminal,
            rx,
            rig.cluster.clone(),
            rig.shell.clone(),
            Box::new(SlowLesson),
            UiOptions::default(),
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        stats.unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "quit without waiting for the checks"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn streaming_output_is_drawn_at_most_once_per_frame() {
        let mut rig = rig().await;
        let (tx, rx) = unbounded();
        let driver = async {
            settle().await;
            type_line(&tx, "flood");
            tokio::time::sleep(Duration::from_secs(3)).await;
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let lesson = Box::new(StaticLesson::default());
        let run = run_loop(
            &mut rig.terminal,
            rx,
            rig.cluster.clone(),
            rig.shell.clone(),
            lesson,
            UiOptions::default(),
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        let stats = stats.unwrap();
        // 1000 chunks over ~1 s: about 1000 / 16 frames, not 1000.
        assert!(stats.draws < 100, "{stats:?}");
        let text = screen(&rig.terminal);
        assert!(text.contains("chunk 999"), "the last frame shows the end:\n{text}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_lab_does_not_redraw() {
        let mut rig = rig().await;
        let (tx, rx) = unbounded();
        let driver = async {
            tokio::time::sleep(Duration::from_secs(600)).await;
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let lesson = Box::new(StaticLesson::default());
        let run = run_loop(
            &mut rig.terminal,
            rx,
            rig.cluster.clone(),
            rig.shell.clone(),
            lesson,
            UiOptions::default(),
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        let stats = stats.unwrap();
        assert_eq!(stats.draws, 1, "ten idle minutes, one frame: {stats:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_traffic_is_one_frame_in_the_traffic_view() {
        let mut rig = rig().await;
        let (tx, rx) = unbounded();
        let cluster = rig.cluster.clone();
        let driver = async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            press(&tx, KeyCode::F(8), KeyModifiers::NONE);
            settle().await;
            for i in 0..100 {
                cluster.net().emit(crate::runtime::net::TrafficEvent {
                    from: "host via default/web:80".into(),
                    service: None,
                    pod: Some(format!("default/web-{}", i % 3)),
                    bytes: 10,
                    status: Some(200),
                    latency: Duration::from_micros(500),
                    summary: "GET /".into(),
                    dialled: None,
                    probe: false,
                });
            }
            // Long enough for the highlight to fade, then ten idle minutes.
            tokio::time::sleep(Duration::from_secs(600)).await;
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let run = run_loop(
            &mut rig.terminal,
            rx,
            rig.cluster.clone(),
            rig.shell.clone(),
            Box::new(StaticLesson::default()),
            UiOptions::default(),
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        let stats = stats.unwrap();
        // First frame, F8, the burst, the fade: four frames for a hundred requests.
        assert_eq!(stats.draws, 4, "{stats:?}");
        let text = screen(&rig.terminal);
        let row = text
            .lines()
            .find(|l| l.contains("web-0"))
            .unwrap_or_else(|| panic!("the pods are listed:\n{text}"));
        assert!(row.contains("34"), "web-0 answered 34 of 100: {row}");
    }

    fn config_map(name: &str) -> Object {
        Object::ConfigMap(ConfigMap {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_store_changes_is_one_refresh() {
        let mut rig = rig().await;
        let (tx, rx) = unbounded();
        let cluster = rig.cluster.clone();
        let refreshes = rig.refreshes.clone();
        let driver = async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            let before = refreshes.load(Ordering::SeqCst);
            for i in 0..50 {
                cluster.create(config_map(&format!("burst-{i}"))).unwrap();
            }
            settle().await;
            assert_eq!(
                refreshes.load(Ordering::SeqCst) - before,
                1,
                "fifty changes, one refresh"
            );
            cluster.create(config_map("later")).unwrap();
            settle().await;
            assert_eq!(refreshes.load(Ordering::SeqCst) - before, 2);
            press(&tx, KeyCode::Char('q'), KeyModifiers::CONTROL);
        };
        let lesson = Box::new(CountingLesson {
            refreshes: rig.refreshes.clone(),
            inner: StaticLesson::default(),
        });
        let run = run_loop(
            &mut rig.terminal,
            rx,
            rig.cluster.clone(),
            rig.shell.clone(),
            lesson,
            UiOptions::default(),
            std::future::pending(),
        );
        let (stats, ()) = tokio::join!(run, driver);
        stats.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn stop_signal_ends_the_loop() {
        let mut rig = rig().await;
        let (_tx, rx) = unbounded();
        let lesson = Box::new(StaticLesson::default());
        let stop = tokio::time::sleep(Duration::from_secs(1));
        let stats = run_loop(
            &mut rig.terminal,
            rx,
            rig.cluster.clone(),
            rig.shell.clone(),
            lesson,
            UiOptions::default(),
            stop,
        )
        .await;
        assert!(stats.is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn a_late_cancel_does_not_stop_the_next_command() {
        let shell = FakeShell::default();
        let mut handle = spawn_shell(shell.clone());
        handle.run("echo a".into());
        assert_eq!(handle.done.recv().await, Some(0));
        handle.cancel(); // Ctrl+C just after `echo a` finished
        handle.run("sleep 5".into());
        let early = tokio::time::timeout(Duration::from_secs(1), handle.done.recv()).await;
        assert!(early.is_err(), "sleep must still run: {early:?}");
        handle.cancel();
        assert_eq!(handle.done.recv().await, Some(CANCELLED));
        assert_eq!(shell.dropped.load(Ordering::SeqCst), 1);
        let mut out = Vec::new();
        while let Ok(Chunk::Text(_, t)) = handle.output.try_recv() {
            out.push(t);
        }
        assert_eq!(out, vec!["ran: echo a\n"]);
        handle.run("sleep 9".into());
        tokio::time::sleep(Duration::from_millis(10)).await;
        drop(handle);
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(
            shell.dropped.load(Ordering::SeqCst),
            2,
            "quitting cancels a running command"
        );
    }
}
