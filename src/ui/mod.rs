//! The full-screen terminal UI of `k8s-lab start <lesson>`: the lesson on the left, live
//! `kubectl get` tables on the right, and below them a terminal pane where the learner types.
//!
//! The split follows gitui and the ratatui templates:
//! - [`app`] is the whole UI state and its update functions. It never touches the terminal, so
//!   key scripts and snapshot tests run without one.
//! - [`draw`] renders a frame from `&App` only (a pure function of state).
//! - [`event_loop`] is the one `tokio::select!` loop that feeds events into [`app::App`] and
//!   carries out the effects it asks for (run a command, cancel it, advance the lesson).
//! - [`terminal_guard`] puts the terminal into raw mode and always restores it (drop, panic,
//!   SIGTERM).
//!
//! The UI does not depend on the lessons module: the binary hands it a [`LessonSource`], a
//! small trait over a plain view model ([`LessonView`]).
//!
//! Wiring, in the binary:
//!
//! ```text
//! let session = lesson.open_session(config, &root, &out).await?;   // cluster + workspace + shell
//! let cluster = session.cluster.clone();
//! let source: Box<dyn LessonSource> = Box::new(MyAdapter { run: LessonRun::open(..)? });
//! k8s_lab::ui::run(cluster, session, source, UiOptions { lang: Lang::Ko, notice: None }).await?;
//! ```
//!
//! Keys (the full table is [`keymap::KEYMAP`]): the input line always has the keyboard; F1 help,
//! F2 hint, F3 solution, F9 the solution onto the command line, Alt+1…9 a code block onto it,
//! F5/F6 previous/next step, F4 resource tab, F8 the traffic view, PgUp/PgDn scroll output,
//! Alt+↑/↓ scroll the lesson, Ctrl+C cancel (when idle: asks, and a second one quits), Ctrl+Q
//! quit, Ctrl+L clear. The command line is the shell's own line editor
//! ([`crate::shell::line_editor`]: the same keys, history and Tab as `k8s-lab shell`).
//! [`picker`] is the lesson picker of a bare `k8s-lab start`.
//! `edit FILE` or `kubectl edit` opens the YAML editor ([`editor`], [`panes::editor`]) in the
//! lesson's place; F7 moves the keyboard between it and the terminal, Ctrl+S saves and applies.
//! The mouse is not captured, so the terminal's own text selection (copying a command) works.

pub mod app;
pub mod draw;
pub mod editor;
pub mod event_loop;
pub mod highlight;
pub mod keymap;
pub mod lesson_actor;
pub mod markdown;
pub mod panes;
pub mod picker;
pub mod strings;
pub mod terminal_guard;
pub mod theme;
pub mod traffic;
pub mod wrap;

use futures::future::BoxFuture;

use crate::runtime::Cluster;
use crate::shell::Session;

pub use event_loop::{run, Exit};

/// The language of every string the UI shows: the lessons' own (Korean first).
pub use crate::lessons::Lang;

/// How the binary configures the UI.
#[derive(Debug, Clone, Default)]
pub struct UiOptions {
    pub lang: Lang,
    /// Shown in the terminal pane before anything else (a restored cluster that disagrees
    /// with the progress, a saved cluster that could not be read).
    pub notice: Option<String>,
}

/// What the lesson pane shows: a plain snapshot the UI pulls from a [`LessonSource`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonView {
    /// The lesson's id (`lesson5`): what `k8s-lab start` takes.
    pub id: String,
    pub title: String,
    pub steps: Vec<StepView>,
    /// Index into `steps` of the step the learner is on.
    pub current: usize,
    /// Where the lesson sits among the bundled ones: (1-based position, how many), for the
    /// status bar's `lesson 2/5`. `None` for an instructor's own lesson.
    pub position: Option<(usize, usize)>,
    /// The lesson after this one (its id), offered when this one ends.
    pub next_lesson: Option<String>,
    /// The lesson has ended (its last step left done or skipped): the pane shows the summary.
    pub ended: bool,
    /// Seconds from the first opening to the end, when both are known.
    pub elapsed_secs: Option<u64>,
}

/// One step of a lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepView {
    pub title: String,
    /// The step's text, CommonMark (headings, lists, code blocks, inline code, emphasis).
    pub markdown: String,
    /// The step's checks pass.
    pub done: bool,
    /// The learner moved past the step without its checks passing (F6).
    pub skipped: bool,
    /// Why the checks do not pass yet (or a success note), shown under the text.
    pub check_status: Option<String>,
    /// Hints, revealed one at a time (F2).
    pub hints: Vec<String>,
    /// How many hints are already open (e.g. from an earlier session).
    pub hints_shown: usize,
    /// Commands that solve the step, shown on request (F3).
    pub solution: Vec<String>,
}

/// Where the lesson pane's content comes from. The binary adapts the lessons module to this.
///
/// The UI keeps the source in its own task ([`lesson_actor`]): `refresh` may take its time (an
/// HTTP check waiting for a timeout) without freezing the screen, and is dropped unfinished
/// when the learner moves to another step, so it must be safe to cancel (checks only read).
pub trait LessonSource: Send + 'static {
    /// The lesson as it should be shown now, in `lang`.
    fn view(&self, lang: Lang) -> LessonView;

    /// Re-run the current step's checks (the cluster changed or a command finished).
    /// `history` is every command line the learner ran in this session, oldest first.
    /// Resolve to true if the view changed.
    fn refresh<'a>(&'a mut self, cluster: &'a Cluster, history: &'a [String]) -> BoxFuture<'a, bool>;

    /// Go to the next step (F6). Return true if the view changed.
    fn next_step(&mut self) -> bool;

    /// Go back one step (F5). Return true if the view changed.
    fn prev_step(&mut self) -> bool;

    /// The learner opened the next hint of the current step (F2); remember it (progress).
    /// Return true if the view changed. The UI shows the hint at once either way.
    fn reveal_hint(&mut self) -> bool {
        false
    }
}

/// A [`LessonSource`] over a fixed view: no checks, steps move freely. For `start` without a
/// lesson, demos and tests.
#[derive(Debug, Clone, Default)]
pub struct StaticLesson {
    pub view: LessonView,
}

impl LessonSource for StaticLesson {
    fn view(&self, _lang: Lang) -> LessonView {
        self.view.clone()
    }

    fn refresh<'a>(&'a mut self, _cluster: &'a Cluster, _history: &'a [String]) -> BoxFuture<'a, bool> {
        Box::pin(async { false })
    }

    fn next_step(&mut self) -> bool {
        if self.view.current + 1 < self.view.steps.len() {
            self.view.current += 1;
            true
        } else {
            false
        }
    }

    fn prev_step(&mut self) -> bool {
        if self.view.current > 0 {
            self.view.current -= 1;
            true
        } else {
            false
        }
    }
}

/// Something that runs one command line at a time: the learner's [`Session`], or a fake in
/// tests. The returned future is dropped to cancel the command (Ctrl+C).
pub trait LineRunner: Send + 'static {
    fn run_line<'a>(&'a mut self, line: &'a str, out: &'a crate::io::Output) -> BoxFuture<'a, i32>;
    /// The running command was stopped with Ctrl+C.
    fn cancelled(&mut self) {}
    /// The workspace the editor saves into (none by default: saving then fails with a note).
    fn workspace(&self) -> Option<crate::workspace::Workspace> {
        None
    }
    /// The prompt for the next command (the lab's `$ `, or a pod's while attached to it).
    fn prompt(&self) -> String {
        app::PROMPT.to_string()
    }
    /// Tab completion for the input line (none by default).
    fn completer(&self) -> crate::shell::line_editor::Completer {
        Box::new(|_, cursor| crate::shell::complete::Completion {
            start: cursor,
            candidates: Vec::new(),
        })
    }
}

/// The lab shell as the TUI runs it: a [`Session`] and the learner's language, for the few
/// words the TUI adds to what the shell prints (`exit` does not close the lab's terminal).
pub struct LabShell {
    pub session: Session,
    pub lang: Lang,
}

/// Run a line; `exit` on the lab's own command line is answered, not obeyed: the TUI keeps its
/// terminal (a learner who meant to leave a pod must not lose the cluster), Ctrl+Q quits.
fn run_in_tui<'a>(
    session: &'a mut Session,
    line: &'a str,
    out: &'a crate::io::Output,
    lang: Lang,
) -> BoxFuture<'a, i32> {
    Box::pin(async move {
        let status = Session::run_line(session, line, out).await;
        if session.exit.take().is_some() {
            out.err_line(strings::EXIT_NOTE.get(lang));
        }
        status
    })
}

impl LineRunner for LabShell {
    fn workspace(&self) -> Option<crate::workspace::Workspace> {
        LineRunner::workspace(&self.session)
    }

    fn prompt(&self) -> String {
        Session::prompt(&self.session)
    }

    fn completer(&self) -> crate::shell::line_editor::Completer {
        LineRunner::completer(&self.session)
    }

    fn run_line<'a>(&'a mut self, line: &'a str, out: &'a crate::io::Output) -> BoxFuture<'a, i32> {
        run_in_tui(&mut self.session, line, out, self.lang)
    }

    fn cancelled(&mut self) {
        LineRunner::cancelled(&mut self.session)
    }
}

/// A bare session runs as the lab shell in the default language (tests and embedders).
impl LineRunner for Session {
    fn workspace(&self) -> Option<crate::workspace::Workspace> {
        Some(self.workspace.clone())
    }

    fn prompt(&self) -> String {
        Session::prompt(self)
    }

    fn completer(&self) -> crate::shell::line_editor::Completer {
        crate::shell::complete::lab_completer(self.cluster.clone(), self.workspace.clone())
    }

    fn run_line<'a>(&'a mut self, line: &'a str, out: &'a crate::io::Output) -> BoxFuture<'a, i32> {
        run_in_tui(self, line, out, Lang::default())
    }

    fn cancelled(&mut self) {
        self.last_status = event_loop::CANCELLED;
    }
}

#[cfg(test)]
mod editor_tests;
#[cfg(test)]
mod tests;
