//! The UI's whole state and the functions that change it. Nothing here does I/O: the event loop
//! calls `on_*` with what happened and carries out the [`Effect`]s they return, and
//! [`super::draw`] renders a frame from `&App`. Key scripts in tests drive this directly.
//!
//! Time enters only as an argument (`now`), so highlight fades are testable without sleeping.
//!
//! [`App`] is one struct; its update functions are split by what they change:
//! - `keys.rs`: a key press, looked up in the keymap, and the lab's own actions;
//! - `command_line.rs`: the terminal pane's input line (the shell's line editor), completion,
//!   heredocs, the queue of lines typed while a command runs, Ctrl+C;
//! - `scrollback.rs`: the terminal pane's output and its scrolling;
//! - `editing.rs`: the YAML editor's life, from `edit FILE` / `kubectl edit` to save and apply;
//! - `live.rs`: the resources pane's live tables (diffed for highlights) and the traffic view;
//! - `lesson.rs`: lesson snapshots, hints;
//! - `effects.rs`: what the event loop is asked to do.

mod command_line;
mod editing;
mod effects;
mod keys;
mod lesson;
mod live;
mod scrollback;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;

use crate::shell::line_editor::LineEditor;

use super::editor::Editor;
use super::traffic::TrafficModel;
use super::{strings, Lang, LessonView};

pub use effects::Effect;
pub use live::{row_key, LiveTable, ResourceTab, HIGHLIGHT, TAB_COUNT, TRAFFIC_TAB, VOLATILE_COLUMNS};
pub use scrollback::{LineKind, Scrollback, SCROLLBACK_LIMIT, SCROLLBACK_LINE_BYTES};

/// The prompt of a new command and of a continuation line.
pub const PROMPT: &str = "$ ";
pub const CONTINUATION: &str = "> ";

/// Everything the UI shows.
#[derive(Debug, Clone)]
pub struct App {
    pub lang: Lang,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub lesson: LessonView,
    /// Rows the step text is scrolled down; `usize::MAX` means "to the end" (a new hint).
    pub lesson_scroll: usize,
    pub hints_shown: usize,
    pub show_solution: bool,
    /// The resources pane's tab: an index into [`ResourceTab::ALL`], or [`TRAFFIC_TAB`].
    pub tab: usize,
    /// The tab F8 goes back to from the traffic view.
    table_tab: usize,
    pub tables: Vec<LiveTable>,
    /// What the data plane's traffic events add up to (the traffic view).
    pub traffic: TrafficModel,
    pub scrollback: Scrollback,
    /// Terminal rows scrolled up from the bottom (0 = following new output).
    pub scroll: usize,
    /// The command line: the shell's line editor, which also holds the history (every
    /// command text run, oldest first: for ↑/↓ and for lesson checks).
    pub input: LineEditor,
    /// Lines of an unfinished command (a heredoc) typed so far.
    pub pending: Vec<String>,
    /// The delimiter the pending heredoc waits for: until it comes, a line cannot end the
    /// command and is not parsed again (a pasted manifest stays linear).
    heredoc: Option<String>,
    /// A command is running in the shell.
    pub running: bool,
    /// The shell's prompt: [`PROMPT`], or a pod's own while attached (`kubectl run -it`).
    pub prompt: String,
    cancelling: bool,
    /// Lines entered while a command ran; they run after it, in order.
    pub queue: VecDeque<String>,
    pub help: bool,
    /// Rows the help overlay is scrolled down (when it does not fit the screen).
    pub help_scroll: usize,
    /// A one-off note in the status bar, cleared by the next key.
    pub notice: Option<String>,
    /// Whether a command text is incomplete (`Session::needs_more`); replaceable in tests.
    pub needs_more: fn(&str) -> bool,
    /// The YAML editor's buffer, while one is open.
    pub editor: Option<Editor>,
    /// The editor (rather than the terminal) has the keyboard.
    pub editor_focus: bool,
    /// The command running now, as run.
    current: Option<String>,
    /// The `kubectl apply -f` a save started, until it finishes.
    apply_line: Option<String>,
    /// Ctrl+Q was pressed once with unsaved changes in the editor.
    confirm_quit: bool,
    /// F10 was pressed once: the next F10 resets the lesson.
    confirm_reset: bool,
    /// Ctrl+C was pressed once with nothing to cancel: the next Ctrl+C quits.
    confirm_interrupt: bool,
    /// The solution command F9 puts on the command line next (it cycles through them).
    solution_next: usize,
}

impl App {
    pub fn new(lang: Lang, lesson: LessonView, size: (u16, u16)) -> App {
        App {
            lang,
            size,
            lesson,
            lesson_scroll: 0,
            hints_shown: 0,
            show_solution: false,
            tab: 0,
            table_tab: 0,
            tables: ResourceTab::ALL.iter().map(|_| LiveTable::default()).collect(),
            traffic: TrafficModel::default(),
            scrollback: Scrollback::default(),
            scroll: 0,
            input: LineEditor::default(),
            pending: Vec::new(),
            heredoc: None,
            running: false,
            cancelling: false,
            queue: VecDeque::new(),
            help: false,
            help_scroll: 0,
            notice: None,
            needs_more: crate::shell::Session::needs_more,
            editor: None,
            editor_focus: false,
            current: None,
            apply_line: None,
            confirm_quit: false,
            confirm_reset: false,
            confirm_interrupt: false,
            solution_next: 0,
            prompt: PROMPT.to_string(),
        }
    }

    /// Every command text run, oldest first.
    pub fn history(&self) -> &[String] {
        self.input.history()
    }

    /// The editor is open and has the keyboard (it is then drawn in the lesson's place).
    pub fn editing(&self) -> bool {
        self.editor.is_some() && self.editor_focus
    }

    /// The traffic view is the resources pane's tab.
    pub fn traffic_shown(&self) -> bool {
        self.tab == TRAFFIC_TAB
    }

    /// The screen layout for the current size and focus.
    pub fn areas(&self) -> super::draw::Areas {
        super::draw::layout_with(self.size, self.editing(), self.traffic_shown())
    }

    pub fn tr(&self, s: strings::Tr) -> &'static str {
        s.get(self.lang)
    }

    pub fn current_step(&self) -> Option<&super::StepView> {
        self.lesson.steps.get(self.lesson.current)
    }

    pub fn on_resize(&mut self, cols: u16, rows: u16) {
        self.size = (cols, rows);
        self.clamp_scroll();
    }
}
