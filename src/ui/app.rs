//! The UI's whole state and the functions that change it. Nothing here does I/O: the event loop
//! calls `on_*` with what happened and carries out the [`Effect`]s they return, and
//! [`super::draw`] renders a frame from `&App`. Key scripts in tests drive this directly.
//!
//! Time enters only as an argument (`now`), so highlight fades are testable without sleeping.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crossterm::event::{KeyEvent, KeyEventKind};

use crate::io::{Chunk, EditorRequest, Stream};
use crate::kubectl::edit::EditSession;
use crate::kubectl::table::Table;
use crate::runtime::Kind;

use crate::shell::line_editor::{self, Edit, LineEditor, Outcome};

use super::editor::{Editor, Target};
use super::keymap::{self, Action};
use super::traffic::TrafficModel;
use super::{strings, Lang, LessonView};

/// How long a changed table cell stays highlighted.
pub const HIGHLIGHT: Duration = Duration::from_secs(2);
/// Lines of terminal output kept: a ring, so `kubectl get pods -w` left running for a day keeps
/// the newest lines only.
pub const SCROLLBACK_LIMIT: usize = 10_000;
/// Most bytes of one scrollback line; longer output continues on the next line (the pane wraps
/// it there anyway). With [`SCROLLBACK_LIMIT`] this bounds the pane at 40 MiB.
pub const SCROLLBACK_LINE_BYTES: usize = 4096;
/// Rows the lesson moves per Alt+↑/↓.
const LESSON_STEP: usize = 3;

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Run this command text (possibly several lines, for a heredoc) in the shell.
    Run(String),
    /// Cancel the running command.
    Cancel,
    Quit,
    /// Quit the UI so the lab starts the lesson over (confirmed by the learner).
    Reset,
    NextStep,
    PrevStep,
    /// A hint was opened: let the lesson remember it.
    HintRevealed,
    /// Tab: complete `line` at byte `cursor`; the answer comes back to [`App::apply_completion`].
    Complete {
        line: String,
        cursor: usize,
    },
    /// Ctrl+S on a file: write `text` to the workspace file `path` (atomically), then report to
    /// [`App::on_saved`], which runs the apply.
    Save {
        path: String,
        text: String,
    },
    /// Ctrl+S on `kubectl edit`: apply the edit ([`crate::kubectl::edit::finish`]) and report to
    /// [`App::on_edit_finished`].
    FinishEdit {
        session: Box<EditSession>,
        text: String,
    },
}

/// The live tables of the resources pane, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceTab {
    Services,
    Pods,
    Deployments,
    Endpoints,
}

impl ResourceTab {
    pub const ALL: [ResourceTab; 4] = [
        ResourceTab::Services,
        ResourceTab::Pods,
        ResourceTab::Deployments,
        ResourceTab::Endpoints,
    ];

    pub fn kind(self) -> Kind {
        match self {
            ResourceTab::Services => Kind::Service,
            ResourceTab::Pods => Kind::Pod,
            ResourceTab::Deployments => Kind::Deployment,
            ResourceTab::Endpoints => Kind::Endpoints,
        }
    }

    /// The short label, for narrow panes: kubectl's short name.
    pub fn short(self) -> &'static str {
        match self {
            ResourceTab::Services => "svc",
            ResourceTab::Pods => "pods",
            ResourceTab::Deployments => "deploy",
            ResourceTab::Endpoints => "ep",
        }
    }

    /// The command whose output the tab shows; also its label.
    pub fn command(self) -> &'static str {
        match self {
            ResourceTab::Services => "get svc",
            ResourceTab::Pods => "get pods",
            ResourceTab::Deployments => "get deploy",
            ResourceTab::Endpoints => "get ep",
        }
    }
}

/// The tab index of the traffic view: after the tables.
pub const TRAFFIC_TAB: usize = ResourceTab::ALL.len();
/// Tabs of the resources pane: the tables and the traffic view.
pub const TAB_COUNT: usize = ResourceTab::ALL.len() + 1;

/// One `kubectl get` table and the cells that changed recently.
#[derive(Debug, Clone, Default)]
pub struct LiveTable {
    pub table: Table,
    /// (row key, column header) → when the highlight ends.
    pub highlights: HashMap<(String, String), Instant>,
    loaded: bool,
}

/// Columns that change on their own and are not worth a highlight (and, without a clock tick,
/// would be stale: the live view hides them).
pub const VOLATILE_COLUMNS: &[&str] = &["AGE"];

fn same_ignoring_volatile(a: &Table, b: &Table) -> bool {
    let keep = |t: &Table| -> Vec<Vec<String>> {
        let cols: Vec<usize> = (0..t.headers.len())
            .filter(|&i| !VOLATILE_COLUMNS.contains(&t.headers[i].as_str()))
            .collect();
        std::iter::once(&t.headers)
            .chain(t.rows.iter())
            .map(|r| cols.iter().map(|&i| r.get(i).cloned().unwrap_or_default()).collect())
            .collect()
    };
    keep(a) == keep(b)
}

/// A row's identity: NAME, or NAMESPACE/NAME.
pub fn row_key(headers: &[String], row: &[String]) -> String {
    let get = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
    if headers.first().map(String::as_str) == Some("NAMESPACE") {
        format!("{}/{}", get(0), get(1))
    } else {
        get(0).to_string()
    }
}

impl LiveTable {
    /// Take a new snapshot. Cells that differ from the last one (and whole new rows) are
    /// highlighted until `now + HIGHLIGHT`; the first snapshot highlights nothing. True if
    /// anything visible changed.
    pub fn update(&mut self, new: Table, now: Instant) -> bool {
        if !self.loaded {
            self.loaded = true;
            self.table = new;
            return true;
        }
        if same_ignoring_volatile(&new, &self.table) {
            // Only AGE moved: keep the data fresh, but nothing on screen changes.
            self.table = new;
            return false;
        }
        let until = now + HIGHLIGHT;
        let old_rows: HashMap<String, &Vec<String>> = self
            .table
            .rows
            .iter()
            .map(|r| (row_key(&self.table.headers, r), r))
            .collect();
        let old_col = |h: &str| self.table.headers.iter().position(|x| x == h);
        let mut fresh = Vec::new();
        for row in &new.rows {
            let key = row_key(&new.headers, row);
            let old = old_rows.get(&key);
            for (i, header) in new.headers.iter().enumerate() {
                if VOLATILE_COLUMNS.contains(&header.as_str()) {
                    continue;
                }
                let before = old.and_then(|o| old_col(header).and_then(|j| o.get(j)));
                if before != row.get(i) {
                    fresh.push((key.clone(), header.clone()));
                }
            }
        }
        let keys: std::collections::HashSet<String> = new.rows.iter().map(|r| row_key(&new.headers, r)).collect();
        self.highlights.retain(|(k, _), _| keys.contains(k));
        for cell in fresh {
            self.highlights.insert(cell, until);
        }
        self.table = new;
        true
    }

    pub fn is_highlighted(&self, key: &str, header: &str) -> bool {
        self.highlights.contains_key(&(key.to_string(), header.to_string()))
    }
}

/// The kind of a scrollback line, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Out,
    Err,
    /// The prompt and the command the learner ran.
    Echo,
    /// The UI's own notes (`^C`).
    Notice,
}

/// The terminal pane's output.
#[derive(Debug, Clone, Default)]
pub struct Scrollback {
    pub lines: VecDeque<(LineKind, String)>,
    /// The last line has no newline yet.
    open: bool,
}

impl Scrollback {
    /// Append text; newlines end lines. Text continuing an unfinished line joins it.
    /// Returns how many lines at the end were added or extended.
    pub fn push(&mut self, kind: LineKind, text: &str) -> usize {
        let mut touched = 0;
        let mut pieces = text.split('\n').peekable();
        while let Some(piece) = pieces.next() {
            let last = pieces.peek().is_none();
            if last && piece.is_empty() {
                break;
            }
            let mut rest = piece;
            loop {
                let joined = match self.lines.back_mut() {
                    Some((_, line)) if self.open && line.len() < SCROLLBACK_LINE_BYTES => Some(line),
                    _ => None,
                };
                let room = joined
                    .as_ref()
                    .map_or(SCROLLBACK_LINE_BYTES, |l| SCROLLBACK_LINE_BYTES - l.len());
                let mut cut = rest.len().min(room);
                while !rest.is_char_boundary(cut) {
                    cut -= 1;
                }
                let (now, later) = rest.split_at(cut);
                match joined {
                    Some(line) => line.push_str(now),
                    None => self.lines.push_back((kind, now.to_string())),
                }
                touched += 1;
                rest = later;
                // A line cut for length stays open: the text after it continues the output.
                self.open = true;
                if rest.is_empty() {
                    break;
                }
            }
            self.open = last;
        }
        while self.lines.len() > SCROLLBACK_LIMIT {
            self.lines.pop_front();
        }
        touched.min(self.lines.len())
    }

    /// Whether the last line is still open (no newline yet).
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// End an unfinished line, as a shell does before printing its prompt.
    pub fn end_line(&mut self) {
        self.open = false;
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.open = false;
    }
}

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

    /// Tell the learner, in the terminal pane, where the cluster DNS answers their own shell.
    pub fn note_dns(&mut self, addr: std::net::SocketAddr) {
        let text = self
            .tr(strings::DNS_NOTE)
            .replace("{ip}", &addr.ip().to_string())
            .replace("{port}", &addr.port().to_string());
        self.scrollback.push(LineKind::Notice, &format!("{text}\n"));
    }

    /// A message for the learner at the top of the terminal pane.
    pub fn note(&mut self, text: &str) {
        self.scrollback.push(LineKind::Notice, &format!("{text}\n"));
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

    /// A key press. Returns what the event loop must do.
    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        self.notice = None;
        let input_empty = self.input.text().is_empty() && self.pending.is_empty();
        let mode = keymap::Mode {
            input_empty,
            overlay: self.help,
            editor: self.editing(),
        };
        let action = keymap::lookup_in(&key, mode);
        if !matches!(action, Some(Action::Line(_))) {
            self.input.key_elsewhere();
        }
        if action != Some(Action::Quit) {
            self.confirm_quit = false;
        }
        if action != Some(Action::ResetLesson) {
            self.confirm_reset = false;
        }
        if action != Some(Action::Interrupt) {
            self.confirm_interrupt = false;
        }
        if self.help {
            let max = super::panes::help::max_scroll(self);
            let page = (self.size.1 as usize).saturating_sub(4).max(1);
            let scroll = match action {
                Some(Action::Line(Edit::HistoryPrev)) => Some(self.help_scroll.min(max).saturating_sub(1)),
                Some(Action::Line(Edit::HistoryNext)) => Some((self.help_scroll + 1).min(max)),
                Some(Action::ScrollUp) => Some(self.help_scroll.min(max).saturating_sub(page)),
                Some(Action::ScrollDown) => Some((self.help_scroll + page).min(max)),
                _ => None,
            };
            if let Some(to) = scroll {
                self.help_scroll = to;
                return Vec::new();
            }
            return match action {
                Some(Action::Quit) => vec![Effect::Quit],
                Some(Action::Interrupt) => {
                    self.help = false;
                    self.interrupt()
                }
                _ => {
                    self.help = false;
                    Vec::new()
                }
            };
        }
        if self.editing() && action.is_none() {
            if let Some(ed) = &mut self.editor {
                ed.input(key);
            }
            self.scroll_editor();
            return Vec::new();
        }
        let Some(action) = action else {
            if let Some(c) = line_editor::keys::typed(&key) {
                self.input.apply(Edit::Char(c));
                self.scroll = 0;
            }
            return Vec::new();
        };
        self.act(action)
    }

    /// Put a completion into the input line: what all candidates share (a space after a single
    /// one, unless it is a folder or wants a value); a second Tab with nothing to add lists the
    /// choices in the terminal pane, as bash does.
    pub fn apply_completion(&mut self, found: crate::shell::complete::Completion) {
        let before = &self.input.text()[..self.input.byte_cursor()];
        // `edit ` Tab Tab with no file to offer: say how to make one, instead of nothing.
        let words: Vec<&str> = before.split_whitespace().collect();
        let naming_file = words.first() == Some(&"edit")
            && (words.len() == 1 && before.ends_with(' ') || words.len() == 2 && !before.ends_with(' '));
        match self.input.completed(found) {
            Outcome::Candidates(list) => {
                self.echo_input();
                self.scrollback.push(LineKind::Out, &format!("{}\n", list.join("  ")));
                self.scroll = 0;
            }
            Outcome::NoChoices if naming_file => {
                self.echo_input();
                let note = self.tr(strings::NO_FILES).to_string();
                self.scrollback.push(LineKind::Notice, &format!("{note}\n"));
                self.scroll = 0;
            }
            _ => {}
        }
    }

    /// Echo the line being typed after its prompt, as bash does before listing choices.
    fn echo_input(&mut self) {
        let line = self.input.text().to_string();
        self.echo(&line);
    }

    /// Echo `line` after the prompt it was typed at: the lab's, or `> ` inside a heredoc.
    fn echo(&mut self, line: &str) {
        let prompt = if self.pending.is_empty() {
            self.prompt.as_str()
        } else {
            CONTINUATION
        };
        let text = format!("{prompt}{line}\n");
        self.scrollback.end_line();
        self.scrollback.push(LineKind::Echo, &text);
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Line(edit) => return self.line_edit(edit),
            Action::Interrupt => return self.interrupt(),
            Action::Quit => {
                if self.editor.as_ref().is_some_and(Editor::dirty) && !self.confirm_quit {
                    self.confirm_quit = true;
                    self.notice = Some(self.tr(strings::CONFIRM_QUIT).to_string());
                    return Vec::new();
                }
                return vec![Effect::Quit];
            }
            Action::ResetLesson => {
                if !self.confirm_reset {
                    self.confirm_reset = true;
                    self.notice = Some(self.tr(strings::CONFIRM_RESET).to_string());
                    return Vec::new();
                }
                self.confirm_reset = false;
                return vec![Effect::Reset];
            }
            Action::ToggleEditor => {
                if self.editor.is_some() {
                    self.editor_focus = !self.editor_focus;
                    self.scroll_editor();
                    self.clamp_scroll();
                } else {
                    self.notice = Some(self.tr(strings::NO_EDITOR).to_string());
                }
            }
            Action::LeaveEditor => {
                self.editor_focus = false;
                self.clamp_scroll();
            }
            Action::CloseEditor => self.close_editor(),
            Action::Save => return self.save(),
            Action::Undo | Action::Redo => {
                if let Some(ed) = &mut self.editor {
                    if action == Action::Undo {
                        ed.undo();
                    } else {
                        ed.redo();
                    }
                }
                self.scroll_editor();
            }
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
            Action::CloseOverlay => self.help = false,
            Action::Hint => return self.reveal_hint(),
            Action::Solution => {
                let has = self.current_step().is_some_and(|s| !s.solution.is_empty());
                if has {
                    self.show_solution = !self.show_solution;
                    if self.show_solution {
                        self.lesson_scroll = usize::MAX;
                    }
                } else {
                    self.notice = Some(self.tr(strings::NO_SOLUTION).to_string());
                }
            }
            Action::RunSolution => {
                let cmds = self.current_step().map(|s| s.solution.clone()).unwrap_or_default();
                if cmds.is_empty() || self.lesson.ended {
                    self.notice = Some(self.tr(strings::NO_SOLUTION).to_string());
                } else {
                    let i = self.solution_next % cmds.len();
                    if self.stage(&cmds[i]) {
                        self.solution_next = i + 1;
                        let note = strings::fill(
                            self.tr(strings::SOLUTION_STAGED),
                            &[("i", (i + 1).to_string()), ("n", cmds.len().to_string())],
                        );
                        self.notice = Some(note);
                    }
                }
            }
            Action::CodeBlock(n) => {
                let blocks = self
                    .current_step()
                    .filter(|_| !self.lesson.ended)
                    .map(|s| super::markdown::code_blocks(&s.markdown))
                    .unwrap_or_default();
                match blocks.get(usize::from(n).saturating_sub(1)) {
                    Some(block) => {
                        let block = block.clone();
                        if self.stage(&block) {
                            self.notice = Some(self.tr(strings::BLOCK_STAGED).to_string());
                        }
                    }
                    None => {
                        let note = strings::fill(self.tr(strings::NO_BLOCK), &[("n", n.to_string())]);
                        self.notice = Some(note);
                    }
                }
            }
            Action::PrevStep => return vec![Effect::PrevStep],
            Action::NextStep => return vec![Effect::NextStep],
            Action::NextTab => {
                self.tab = (self.tab + 1) % TAB_COUNT;
                self.clamp_scroll();
            }
            Action::Traffic => {
                if self.traffic_shown() {
                    self.tab = self.table_tab;
                } else {
                    self.table_tab = self.tab;
                    self.tab = TRAFFIC_TAB;
                }
                self.clamp_scroll();
            }
            Action::ScrollUp => {
                self.scroll = self.scroll.saturating_add(self.page());
                self.clamp_scroll();
            }
            Action::ScrollDown => self.scroll = self.scroll.saturating_sub(self.page()),
            Action::LessonUp => {
                let max = super::panes::lesson::max_scroll(self);
                self.lesson_scroll = self.lesson_scroll.min(max).saturating_sub(LESSON_STEP);
            }
            Action::LessonDown => {
                let max = super::panes::lesson::max_scroll(self);
                self.lesson_scroll = self.lesson_scroll.saturating_add(LESSON_STEP).min(max);
            }
        }
        Vec::new()
    }

    /// A key of the command line: the line editor applies it; Enter, Tab and Ctrl+L come back
    /// as what the lab does with them.
    fn line_edit(&mut self, edit: Edit) -> Vec<Effect> {
        if edit == Edit::Interrupt {
            // The lab's keymap takes Ctrl+C; should the key come here, it means the same.
            return self.interrupt();
        }
        match self.input.apply(edit) {
            Outcome::Submit(line) => {
                self.scroll = 0;
                if self.running {
                    self.queue.push_back(line);
                    return Vec::new();
                }
                return self.accept_line(line);
            }
            Outcome::Complete { line, cursor } => return vec![Effect::Complete { line, cursor }],
            Outcome::ClearScreen => {
                self.scrollback.clear();
                self.scroll = 0;
            }
            // History browsing leaves the view where it is; editing returns to the bottom.
            _ if matches!(edit, Edit::HistoryPrev | Edit::HistoryNext) => {}
            // Ctrl+D on an empty line: the lab's command line has no end of input.
            _ => self.scroll = 0,
        }
        Vec::new()
    }

    /// Put a command text on the command line, ready for Enter, exactly as if the learner had
    /// typed it: its lines but the last go in as entered continuation lines (a heredoc's
    /// manifest, echoed with `> `), the last one stays on the input line, so Enter runs the
    /// whole text as one command, as the shell would. Refused (false, with a note) while a
    /// half-typed multi-line command is open, or while a command runs and the text has several
    /// lines.
    fn stage(&mut self, text: &str) -> bool {
        let text = text.strip_suffix('\n').unwrap_or(text);
        let mut lines: Vec<&str> = text.split('\n').collect();
        let busy = !self.pending.is_empty() || (self.running && lines.len() > 1);
        if busy {
            self.notice = Some(self.tr(strings::STAGE_BUSY).to_string());
            return false;
        }
        let last = lines.pop().unwrap_or_default();
        self.input.take();
        for line in lines {
            self.echo(line);
            self.pending.push(line.to_string());
        }
        self.input.set(last);
        self.scroll = 0;
        true
    }

    /// Open what the shell asked for (`edit FILE`, `kubectl edit`) and give it the keyboard. A
    /// buffer with unsaved changes is never replaced: the request is refused with a note.
    pub fn open_editor(&mut self, req: EditorRequest) {
        if let Some(ed) = self.editor.as_ref().filter(|e| e.dirty()) {
            let note = strings::fill(self.tr(strings::BUFFER_BUSY), &[("name", ed.name())]);
            self.scrollback.end_line();
            self.scrollback.push(LineKind::Err, &format!("{note}\n"));
            return;
        }
        if self
            .editor
            .as_ref()
            .is_some_and(|e| matches!(e.target, Target::Object(_)))
        {
            // An unchanged `kubectl edit` left open ends here, as kubectl's editor closed
            // without changes would.
            self.cancel_edit_note();
        }
        let (target, text) = match req {
            EditorRequest::File { path, text } => (Target::File { path }, text),
            EditorRequest::Object(session) => {
                let text = session.text.clone();
                (Target::Object(session), text)
            }
        };
        self.editor = Some(Editor::new(target, &text));
        self.editor_focus = true;
        self.clamp_scroll();
    }

    /// Ctrl+X: close the buffer; with unsaved changes only on the second press. Closing a
    /// `kubectl edit` says what kubectl says when the editor quits without saving.
    fn close_editor(&mut self) {
        let Some(ed) = &mut self.editor else {
            return;
        };
        if ed.dirty() && !ed.confirm_close {
            ed.confirm_close = true;
            self.notice = Some(self.tr(strings::CONFIRM_CLOSE).to_string());
            return;
        }
        if matches!(ed.target, Target::Object(_)) {
            self.cancel_edit_note();
        }
        self.editor = None;
        self.editor_focus = false;
        self.clamp_scroll();
    }

    /// What kubectl prints when its editor closes with nothing changed.
    fn cancel_edit_note(&mut self) {
        self.scrollback.end_line();
        self.scrollback
            .push(LineKind::Err, "Edit cancelled, no changes made.\n");
        self.scroll = 0;
    }

    /// Ctrl+S: ask the event loop to write the file (then apply it) or finish the `kubectl edit`.
    fn save(&mut self) -> Vec<Effect> {
        let Some(ed) = &self.editor else {
            return Vec::new();
        };
        let text = ed.text();
        match &ed.target {
            Target::File { path } => vec![Effect::Save {
                path: path.clone(),
                text,
            }],
            Target::Object(session) => vec![Effect::FinishEdit {
                session: session.clone(),
                text,
            }],
        }
    }

    /// The file of an [`Effect::Save`] was written (or not). On success the buffer is clean and
    /// `kubectl apply -f PATH` runs in the terminal, as if typed.
    pub fn on_saved(&mut self, path: &str, result: Result<(), String>) -> Vec<Effect> {
        match result {
            Ok(()) => {
                if let Some(ed) = &mut self.editor {
                    ed.mark_saved();
                    ed.failure = None;
                }
                let line = format!("kubectl apply -f {path}");
                self.apply_line = Some(line.clone());
                self.scroll = 0;
                if self.running || !self.pending.is_empty() {
                    self.queue.push_back(line);
                    return Vec::new();
                }
                self.accept_line(line)
            }
            Err(err) => {
                let msg = strings::fill(self.tr(strings::SAVE_FAILED), &[("err", err)]);
                if let Some(ed) = &mut self.editor {
                    ed.failure = Some(msg);
                }
                Vec::new()
            }
        }
    }

    /// The `kubectl edit` of an [`Effect::FinishEdit`] ran, printing `output`. Success closes
    /// the editor; a failure keeps it open with the text and the error, as kubectl reopens the
    /// file.
    pub fn on_edit_finished(&mut self, status: i32, output: Vec<Chunk>) {
        let mut text = String::new();
        for chunk in output {
            if let Chunk::Text(_, t) = &chunk {
                text.push_str(t);
            }
            self.on_output(chunk);
        }
        self.scrollback.end_line();
        if status == 0 {
            self.editor = None;
            self.editor_focus = false;
            self.clamp_scroll();
        } else if let Some(ed) = &mut self.editor {
            ed.failure = Some(text.trim_end().to_string());
        }
    }

    /// Keep the editor's cursor in view after a key.
    fn scroll_editor(&mut self) {
        let area = self.areas().editor;
        if let Some(ed) = &self.editor {
            let (text, _) = super::panes::editor::parts(area, ed, self.lang);
            let h = text.height as usize;
            if let Some(ed) = &mut self.editor {
                ed.scroll_to_cursor(h);
            }
        }
    }

    /// Bracketed paste: text goes into the input line; each newline acts as Enter. In the
    /// editor it goes into the buffer as it is.
    pub fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if self.editing() {
            if let Some(ed) = &mut self.editor {
                ed.paste(text);
            }
            self.scroll_editor();
            return Vec::new();
        }
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let mut effects = Vec::new();
        let mut parts = text.split('\n').peekable();
        while let Some(part) = parts.next() {
            if !self.input.insert(part) {
                let len = self.input.text().len() + part.len();
                self.note(&crate::shell::line_too_long(len));
                self.input.take();
                continue;
            }
            if parts.peek().is_some() {
                effects.extend(self.act(Action::Line(Edit::Submit)));
            }
        }
        effects
    }

    /// One line entered (Enter): echo it, and run the command once it is complete.
    fn accept_line(&mut self, line: String) -> Vec<Effect> {
        self.echo(&line);
        if let Some(delim) = &self.heredoc {
            if line != *delim && line.trim_start_matches('\t') != delim {
                self.pending.push(line);
                let size: usize = self.pending.iter().map(|l| l.len() + 1).sum();
                if size > crate::shell::MAX_COMMAND_BYTES {
                    self.pending.clear();
                    self.heredoc = None;
                    self.note(&crate::shell::command_too_long(size));
                }
                return Vec::new();
            }
        }
        self.pending.push(line);
        let text = self.pending.join("\n");
        if text.len() > crate::shell::MAX_COMMAND_BYTES {
            self.pending.clear();
            self.heredoc = None;
            self.note(&crate::shell::command_too_long(text.len()));
            return Vec::new();
        }
        if (self.needs_more)(&text) {
            self.heredoc = match crate::shell::parse::missing(&text) {
                Some(crate::shell::parse::Missing::Heredoc(d)) => Some(d),
                _ => None,
            };
            return Vec::new();
        }
        self.heredoc = None;
        self.pending.clear();
        if text.trim().is_empty() {
            return Vec::new();
        }
        self.input.remember(text.clone());
        self.running = true;
        self.cancelling = false;
        self.current = Some(text.clone());
        vec![Effect::Run(text)]
    }

    /// Ctrl+C: cancel a running command; else drop the line being typed; else ask, and quit
    /// on a second Ctrl+C right after the question.
    fn interrupt(&mut self) -> Vec<Effect> {
        if self.running {
            self.queue.clear();
            if self.cancelling {
                return Vec::new();
            }
            self.cancelling = true;
            self.scrollback.push(LineKind::Notice, "^C\n");
            self.scroll = 0;
            return vec![Effect::Cancel];
        }
        if !self.input.text().is_empty() || !self.pending.is_empty() {
            let prompt = if self.pending.is_empty() {
                self.prompt.as_str()
            } else {
                CONTINUATION
            };
            let line = self.input.take();
            self.scrollback.end_line();
            self.scrollback.push(LineKind::Echo, &format!("{prompt}{line}"));
            self.scrollback.push(LineKind::Notice, "^C\n");
            self.pending.clear();
            self.heredoc = None;
            return Vec::new();
        }
        // Nothing to cancel: a quick second Ctrl+C (the first one meant for a command that
        // just ended) must not close the lab without a word. Ask once.
        if std::mem::take(&mut self.confirm_interrupt) {
            return vec![Effect::Quit];
        }
        self.confirm_interrupt = true;
        self.notice = Some(self.tr(strings::QUIT_ASK).to_string());
        Vec::new()
    }

    fn reveal_hint(&mut self) -> Vec<Effect> {
        let total = self.current_step().map_or(0, |s| s.hints.len());
        if total == 0 {
            self.notice = Some(self.tr(strings::NO_HINTS).to_string());
        } else if self.hints_shown >= total {
            self.notice = Some(self.tr(strings::NO_MORE_HINTS).to_string());
        } else {
            self.hints_shown += 1;
            self.lesson_scroll = usize::MAX;
            return vec![Effect::HintRevealed];
        }
        Vec::new()
    }

    /// Output of the running command.
    pub fn on_output(&mut self, chunk: Chunk) {
        match chunk {
            Chunk::Text(stream, text) => {
                let kind = if stream == Stream::Err {
                    LineKind::Err
                } else {
                    LineKind::Out
                };
                if self.scroll == 0 {
                    self.scrollback.push(kind, &text);
                    return;
                }
                // Keep the view still while the learner reads older output: scroll up by the
                // rows the new text adds (measuring only the lines it touched).
                let width = self.areas().output.width as usize;
                let rows_of = |sb: &Scrollback, n: usize| -> usize {
                    sb.lines
                        .iter()
                        .rev()
                        .take(n)
                        .map(|(_, l)| super::wrap::wrap_tokens(&super::wrap::sanitize(l), width).len())
                        .sum()
                };
                let before = if self.scrollback.is_open() {
                    rows_of(&self.scrollback, 1)
                } else {
                    0
                };
                let touched = self.scrollback.push(kind, &text);
                self.scroll += rows_of(&self.scrollback, touched).saturating_sub(before);
                if self.scrollback.lines.len() >= SCROLLBACK_LIMIT {
                    self.clamp_scroll();
                }
            }
            Chunk::Clear => {
                self.scrollback.clear();
                self.scroll = 0;
            }
            Chunk::Editor(req) => self.open_editor(req),
        }
    }

    /// The running command finished (or was cancelled). Runs the next queued line, if any.
    pub fn on_command_done(&mut self, status: i32) -> Vec<Effect> {
        self.running = false;
        self.cancelling = false;
        let finished = self.current.take();
        if finished.is_some() && finished == self.apply_line {
            self.apply_line = None;
            if status == 0 {
                self.notice = Some(self.tr(strings::APPLIED).to_string());
            } else if let Some(ed) = &mut self.editor {
                ed.failure = Some(strings::APPLY_FAILED.get(self.lang).to_string());
            }
        }
        self.scrollback.end_line();
        while let Some(line) = self.queue.pop_front() {
            let effects = self.accept_line(line);
            if !effects.is_empty() {
                return effects;
            }
        }
        Vec::new()
    }

    /// A new lesson snapshot. Moving to another step resets hints, solution and scroll.
    pub fn set_lesson(&mut self, view: LessonView) {
        let same_step =
            view.current == self.lesson.current && view.title == self.lesson.title && view.ended == self.lesson.ended;
        let was_done = self.current_step().is_some_and(|s| s.done);
        let last = view.current + 1 >= view.steps.len();
        if same_step && !was_done && view.steps.get(view.current).is_some_and(|s| s.done) {
            // The learner's last action completed the step: say so where the eyes are.
            let done = if last {
                strings::STEP_DONE_LAST
            } else {
                strings::STEP_DONE
            };
            self.notice = Some(format!("✓ {}", self.tr(done)));
        }
        let opened = view.steps.get(view.current).map_or(0, |s| s.hints_shown);
        if !same_step {
            self.solution_next = 0;
            self.hints_shown = opened;
            self.show_solution = false;
            self.lesson_scroll = 0;
        } else {
            self.hints_shown = self.hints_shown.max(opened);
        }
        self.lesson = view;
    }

    /// New table snapshots. True if anything changed.
    pub fn set_tables(&mut self, tables: Vec<(ResourceTab, Table)>, now: Instant) -> bool {
        let mut changed = false;
        for (tab, table) in tables {
            if let Some(i) = ResourceTab::ALL.iter().position(|t| *t == tab) {
                changed |= self.tables[i].update(table, now);
            }
        }
        changed
    }

    /// Traffic events (a burst, in order), seen at `now`; `clock` is the wall time shown
    /// (`HH:MM:SS`). True if the screen changed (the traffic view is shown and counted one).
    pub fn on_traffic<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a crate::runtime::net::TrafficEvent>,
        now: Instant,
        clock: &str,
    ) -> bool {
        let mut changed = false;
        for ev in events {
            changed |= self.traffic.record(ev, now, clock);
        }
        changed && self.traffic_shown()
    }

    /// Drop highlights that ended. True if one did (on screen).
    pub fn expire(&mut self, now: Instant) -> bool {
        let mut changed = self.traffic.expire(now) && self.traffic_shown();
        for t in &mut self.tables {
            let before = t.highlights.len();
            t.highlights.retain(|_, until| *until > now);
            changed |= t.highlights.len() != before;
        }
        changed
    }

    /// When the next highlight ends (the event loop's one-shot timer), if any is shown.
    pub fn next_deadline(&self) -> Option<Instant> {
        let tables = self.tables.iter().flat_map(|t| t.highlights.values()).min().copied();
        tables.into_iter().chain(self.traffic.next_deadline()).min()
    }

    /// Terminal rows a page scroll moves.
    fn page(&self) -> usize {
        let rows = self.areas().output.height as usize;
        rows.saturating_sub(1).max(1)
    }

    /// Rows the scrollback takes at the current width.
    pub fn scroll_rows(&self) -> usize {
        let width = self.areas().output.width as usize;
        super::panes::terminal::rows(self, width).len()
    }

    fn clamp_scroll(&mut self) {
        let visible = self.areas().output.height as usize;
        let max = self.scroll_rows().saturating_sub(visible);
        self.scroll = self.scroll.min(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::StepView;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn type_str(app: &mut App, s: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        for c in s.chars() {
            effects.extend(app.on_key(key(KeyCode::Char(c))));
        }
        effects
    }

    fn app() -> App {
        let lesson = LessonView {
            title: "t".into(),
            steps: vec![StepView {
                title: "s".into(),
                hints: vec!["h1".into(), "h2".into()],
                solution: vec!["kubectl get svc".into()],
                ..Default::default()
            }],
            current: 0,
            ..Default::default()
        };
        App::new(Lang::En, lesson, (100, 30))
    }

    fn texts(app: &App) -> Vec<String> {
        app.scrollback.lines.iter().map(|(_, l)| l.clone()).collect()
    }

    #[test]
    fn tab_asks_for_a_completion_and_a_second_tab_lists_the_choices() {
        use crate::shell::complete::Completion;
        let mut app = app();
        type_str(&mut app, "kubectl get svc f");
        let effects = app.on_key(key(KeyCode::Tab));
        assert_eq!(
            effects,
            vec![Effect::Complete {
                line: "kubectl get svc f".into(),
                cursor: 17
            }]
        );
        let two = Completion {
            start: 16,
            candidates: vec!["frontend".into(), "frontend-nginx".into()],
        };
        app.apply_completion(two.clone());
        assert_eq!(app.input.text(), "kubectl get svc frontend");
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(two.clone());
        assert!(
            texts(&app).iter().all(|l| !l.contains("frontend-nginx")),
            "one Tab only rings"
        );
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(two);
        assert_eq!(
            texts(&app)[texts(&app).len() - 2..],
            [
                "$ kubectl get svc frontend".to_string(),
                "frontend  frontend-nginx".to_string()
            ]
        );
        assert_eq!(app.input.text(), "kubectl get svc frontend", "the line is kept");
        type_str(&mut app, "-");
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(Completion {
            start: 16,
            candidates: vec!["frontend-nginx".into()],
        });
        assert_eq!(app.input.text(), "kubectl get svc frontend-nginx ");
    }

    #[test]
    fn edit_tab_tab_with_no_files_says_how_to_make_one() {
        use crate::shell::complete::Completion;
        let mut app = app();
        type_str(&mut app, "edit ");
        let none = Completion {
            start: 5,
            candidates: vec![],
        };
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(none.clone());
        assert!(texts(&app).is_empty(), "one Tab only rings");
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(none.clone());
        assert_eq!(
            texts(&app),
            [
                "$ edit ",
                "No files here yet. Make one: edit new.yaml (Ctrl+S saves it and applies it)"
            ]
        );
        assert_eq!(app.input.text(), "edit ");
        // Elsewhere, no choices still means no words.
        app.on_key(ctrl('u'));
        type_str(&mut app, "kubectl get svc zz");
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(none.clone());
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(none);
        assert_eq!(texts(&app).len(), 2);
    }

    #[test]
    fn typing_a_line_and_enter_requests_the_command() {
        let mut app = app();
        assert!(type_str(&mut app, "kubectl get svc").is_empty());
        assert_eq!(app.input.text(), "kubectl get svc");
        let fx = app.on_key(key(KeyCode::Enter));
        assert_eq!(fx, vec![Effect::Run("kubectl get svc".into())]);
        assert!(app.running);
        assert_eq!(app.input.text(), "");
        assert_eq!(texts(&app), vec!["$ kubectl get svc"]);
        assert_eq!(app.history(), vec!["kubectl get svc"]);
    }

    #[test]
    fn empty_line_just_echoes_a_prompt() {
        let mut app = app();
        assert!(app.on_key(key(KeyCode::Enter)).is_empty());
        assert!(!app.running);
        assert_eq!(texts(&app), vec!["$ "]);
    }

    #[test]
    fn up_and_down_walk_the_history_and_restore_the_draft() {
        let mut app = app();
        for cmd in ["kubectl get svc", "kubectl get pods"] {
            type_str(&mut app, cmd);
            app.on_key(key(KeyCode::Enter));
            app.on_command_done(0);
        }
        type_str(&mut app, "kub");
        app.on_key(key(KeyCode::Up));
        assert_eq!(app.input.text(), "kubectl get pods");
        app.on_key(key(KeyCode::Up));
        assert_eq!(app.input.text(), "kubectl get svc");
        app.on_key(key(KeyCode::Up));
        assert_eq!(app.input.text(), "kubectl get svc", "stays at the oldest");
        app.on_key(key(KeyCode::Down));
        assert_eq!(app.input.text(), "kubectl get pods");
        app.on_key(key(KeyCode::Down));
        assert_eq!(app.input.text(), "kub", "the draft comes back");
        assert_eq!(app.on_key(key(KeyCode::Up)), vec![]);
        assert_eq!(
            app.on_key(key(KeyCode::Enter)),
            vec![Effect::Run("kubectl get pods".into())]
        );
    }

    #[test]
    fn ctrl_c_cancels_a_running_command_then_quits_when_idle() {
        let mut app = app();
        type_str(&mut app, "kubectl get svc -w");
        app.on_key(key(KeyCode::Enter));
        app.on_output(Chunk::Text(Stream::Out, "NAME   TYPE\n".into()));
        assert_eq!(app.on_key(ctrl('c')), vec![Effect::Cancel]);
        assert_eq!(app.on_key(ctrl('c')), vec![], "one cancel per command");
        assert_eq!(texts(&app).last().unwrap(), "^C");
        app.on_command_done(130);
        assert!(!app.running);
        type_str(&mut app, "abc");
        assert_eq!(app.on_key(ctrl('c')), vec![], "a typed line is dropped first");
        assert_eq!(texts(&app).last().unwrap(), "$ abc^C");
        assert_eq!(app.input.text(), "");
        assert_eq!(app.on_key(ctrl('c')), vec![], "nothing to cancel: ask first");
        assert_eq!(
            app.notice.as_deref(),
            Some("Ctrl+C again or Ctrl+Q to quit — your cluster is saved")
        );
        assert_eq!(app.on_key(ctrl('c')), vec![Effect::Quit], "the second one quits");
        assert_eq!(app.on_key(ctrl('q')), vec![Effect::Quit]);
    }

    #[test]
    fn two_quick_ctrl_c_after_a_watch_do_not_quit() {
        let mut app = app();
        type_str(&mut app, "kubectl get svc -w");
        app.on_key(key(KeyCode::Enter));
        assert_eq!(app.on_key(ctrl('c')), vec![Effect::Cancel]);
        app.on_command_done(130);
        assert_eq!(app.on_key(ctrl('c')), vec![], "the second Ctrl+C only asks");
        assert!(app.notice.as_deref().unwrap().contains("Ctrl+Q"));
        type_str(&mut app, "k");
        assert_eq!(app.notice, None, "any other key clears the question");
        app.on_key(ctrl('u'));
        assert_eq!(app.on_key(ctrl('c')), vec![], "and the next Ctrl+C asks again");
        let mut ko = App::new(Lang::Ko, app.lesson.clone(), (100, 30));
        ko.on_key(ctrl('c'));
        assert_eq!(
            ko.notice.as_deref(),
            Some("Ctrl+C 한 번 더 또는 Ctrl+Q: 종료 — 클러스터는 저장되어 있습니다")
        );
    }

    #[test]
    fn f10_twice_starts_the_lesson_over_and_anything_between_cancels() {
        let mut app = app();
        assert_eq!(app.on_key(key(KeyCode::F(10))), vec![], "the first F10 only asks");
        assert!(app.notice.as_deref().unwrap().contains("F10 (Alt+X) again resets"));
        type_str(&mut app, "k");
        assert_eq!(app.notice, None, "any other key takes the question back");
        assert_eq!(app.on_key(key(KeyCode::F(10))), vec![]);
        assert_eq!(app.on_key(key(KeyCode::F(10))), vec![Effect::Reset]);
        let alt_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
        assert_eq!(app.on_key(alt_x), vec![]);
        assert_eq!(
            app.on_key(key(KeyCode::F(10))),
            vec![Effect::Reset],
            "Alt+X and F10 are one key"
        );
    }

    const HEREDOC: &str = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: dup-nodeport\nspec:\n  ports:\n  - port: 80\nEOF\n";

    #[test]
    fn f9_puts_a_heredoc_solution_on_the_command_line_and_enter_runs_it_whole() {
        let mut app = app();
        app.lesson.steps[0].solution = vec![HEREDOC.into(), "kubectl get svc".into()];
        assert_eq!(app.on_key(key(KeyCode::F(9))), vec![]);
        assert_eq!(app.input.text(), "EOF", "the last line waits on the input line");
        assert_eq!(app.pending.len(), 8);
        assert_eq!(texts(&app)[0], "$ kubectl apply -f - <<EOF");
        assert_eq!(texts(&app)[4], ">   name: dup-nodeport", "indentation kept");
        assert_eq!(
            app.notice.as_deref(),
            Some("Solution 1/2 is on the command line — Enter runs it")
        );
        let fx = app.on_key(key(KeyCode::Enter));
        assert_eq!(fx, vec![Effect::Run(HEREDOC.trim_end().into())], "byte for byte");
        app.on_command_done(0);
        app.on_key(key(KeyCode::F(9)));
        assert_eq!(app.input.text(), "kubectl get svc", "again: the next command");
        assert!(app.pending.is_empty());
        app.on_key(key(KeyCode::F(9)));
        assert_eq!(app.input.text(), "EOF", "and round again");
        // Ctrl+C drops the staged command as it drops a typed one.
        assert_eq!(app.on_key(ctrl('c')), vec![]);
        assert!(app.pending.is_empty() && app.input.text().is_empty());
    }

    #[test]
    fn alt_digit_puts_that_code_block_on_the_command_line() {
        let mut app = app();
        app.lesson.steps[0].markdown =
            "Look:\n\n```\nkubectl get nodes\n```\n\nThen:\n\n```yaml\nspec:\n  type: NodePort\n```\n".into();
        let alt = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT);
        app.on_key(alt('1'));
        assert_eq!(app.input.text(), "kubectl get nodes");
        app.on_key(alt('2'));
        assert_eq!(app.pending, vec!["spec:".to_string()]);
        assert_eq!(app.input.text(), "  type: NodePort");
        app.on_key(ctrl('c'));
        app.on_key(alt('3'));
        assert_eq!(app.notice.as_deref(), Some("This step has no code block 3."));
        assert!(app.input.text().is_empty());
    }

    #[test]
    fn lines_entered_while_running_are_queued() {
        let mut app = app();
        type_str(&mut app, "sleep 5");
        app.on_key(key(KeyCode::Enter));
        type_str(&mut app, "kubectl get svc");
        assert_eq!(app.on_key(key(KeyCode::Enter)), vec![]);
        assert_eq!(app.on_command_done(0), vec![Effect::Run("kubectl get svc".into())]);
    }

    #[test]
    fn heredoc_lines_continue_until_complete() {
        let mut app = app();
        app.needs_more = |t| t.contains("<<EOF") && !t.ends_with("\nEOF");
        type_str(&mut app, "kubectl apply -f - <<EOF");
        assert_eq!(app.on_key(key(KeyCode::Enter)), vec![]);
        type_str(&mut app, "kind: Service");
        assert_eq!(app.on_key(key(KeyCode::Enter)), vec![]);
        type_str(&mut app, "EOF");
        let fx = app.on_key(key(KeyCode::Enter));
        assert_eq!(
            fx,
            vec![Effect::Run("kubectl apply -f - <<EOF\nkind: Service\nEOF".into())]
        );
        assert_eq!(
            texts(&app),
            vec!["$ kubectl apply -f - <<EOF", "> kind: Service", "> EOF"]
        );
        app.on_command_done(0);
        type_str(&mut app, "cat <<EOF");
        app.on_key(key(KeyCode::Enter));
        type_str(&mut app, "?");
        assert!(!app.help, "a `?` starting a heredoc line is text");
        assert_eq!(app.input.text(), "?");
    }

    #[test]
    fn paste_runs_each_complete_line() {
        let mut app = app();
        let fx = app.on_paste("echo a\r\necho b\nech");
        assert_eq!(fx, vec![Effect::Run("echo a".into())]);
        assert_eq!(app.queue, vec!["echo b".to_string()]);
        assert_eq!(app.input.text(), "ech");
    }

    #[test]
    fn output_chunks_join_lines_and_clear() {
        let mut app = app();
        app.on_output(Chunk::Text(Stream::Out, "a".into()));
        app.on_output(Chunk::Text(Stream::Out, "b\nc\n".into()));
        app.on_output(Chunk::Text(Stream::Err, "Error\n".into()));
        assert_eq!(texts(&app), vec!["ab", "c", "Error"]);
        assert_eq!(app.scrollback.lines[2].0, LineKind::Err);
        app.on_output(Chunk::Clear);
        assert!(app.scrollback.lines.is_empty());
        for i in 0..SCROLLBACK_LIMIT + 10 {
            app.on_output(Chunk::Text(Stream::Out, format!("{i}\n")));
        }
        assert_eq!(app.scrollback.lines.len(), SCROLLBACK_LIMIT);
        assert_eq!(
            app.scrollback.lines.back().unwrap().1,
            format!("{}", SCROLLBACK_LIMIT + 9)
        );
        // A megabyte without a newline, in pieces: no line passes the line bound, nothing is lost
        // but what the ring drops.
        app.on_output(Chunk::Clear);
        for _ in 0..256 {
            app.on_output(Chunk::Text(Stream::Out, "é".repeat(2048)));
        }
        assert!(app
            .scrollback
            .lines
            .iter()
            .all(|(_, l)| l.len() <= SCROLLBACK_LINE_BYTES));
        let total: usize = app.scrollback.lines.iter().map(|(_, l)| l.len()).sum();
        assert_eq!(total, 256 * 2048 * 2);
        app.on_output(Chunk::Text(Stream::Out, "\nnext\n".into()));
        assert_eq!(app.scrollback.lines.back().unwrap().1, "next");
    }

    #[test]
    fn line_editing_keys() {
        let mut app = app();
        type_str(&mut app, "kubectl get svc");
        app.on_key(ctrl('w'));
        assert_eq!(app.input.text(), "kubectl get ");
        app.on_key(key(KeyCode::Home));
        app.on_key(key(KeyCode::Delete));
        type_str(&mut app, "K");
        assert_eq!(app.input.text(), "Kubectl get ");
        app.on_key(ctrl('k'));
        assert_eq!(app.input.text(), "K");
        type_str(&mut app, "한글");
        app.on_key(key(KeyCode::Left));
        app.on_key(key(KeyCode::Backspace));
        assert_eq!(app.input.text(), "K글");
        app.on_key(ctrl('u'));
        assert_eq!(app.input.text(), "글");
        assert_eq!(app.input.cursor(), 0);
    }

    #[test]
    fn question_mark_opens_help_only_on_empty_input_and_any_key_closes_it() {
        let mut app = app();
        type_str(&mut app, "?");
        assert!(app.help);
        app.on_key(key(KeyCode::Esc));
        assert!(!app.help);
        type_str(&mut app, "a?");
        assert!(!app.help);
        assert_eq!(app.input.text(), "a?");
        app.on_key(key(KeyCode::F(1)));
        assert!(app.help);
        app.on_key(key(KeyCode::Char('x')));
        assert!(!app.help);
        assert_eq!(app.input.text(), "a?", "the closing key is not typed");
    }

    #[test]
    fn hints_are_revealed_one_at_a_time_and_reset_on_step_change() {
        let mut app = app();
        assert_eq!(app.on_key(key(KeyCode::F(2))), vec![Effect::HintRevealed]);
        assert_eq!(app.hints_shown, 1);
        app.on_key(key(KeyCode::F(2)));
        app.on_key(key(KeyCode::F(2)));
        assert_eq!(app.hints_shown, 2);
        assert_eq!(app.notice.as_deref(), Some("No more hints."));
        app.on_key(key(KeyCode::F(3)));
        assert!(app.show_solution);
        assert_eq!(app.on_key(key(KeyCode::F(6))), vec![Effect::NextStep]);
        let mut v = app.lesson.clone();
        v.steps.push(StepView::default());
        v.current = 1;
        app.set_lesson(v);
        assert_eq!((app.hints_shown, app.show_solution, app.lesson_scroll), (0, false, 0));
        assert_eq!(app.on_key(key(KeyCode::F(2))), vec![]);
        assert_eq!(app.notice.as_deref(), Some("This step has no hints."));
        // Hints opened in an earlier session stay open.
        let mut v = app.lesson.clone();
        v.current = 0;
        v.steps[0].hints_shown = 1;
        app.set_lesson(v);
        assert_eq!(app.hints_shown, 1);
    }

    #[test]
    fn completing_a_step_shows_a_notice() {
        let mut app = app();
        let mut v = app.lesson.clone();
        app.set_lesson(v.clone());
        assert_eq!(app.notice, None);
        v.steps[0].done = true;
        app.set_lesson(v.clone());
        assert_eq!(
            app.notice.as_deref(),
            Some("✓ Done! F6: finish the lesson"),
            "the only step is the last: no next step to promise"
        );
        app.notice = None;
        app.set_lesson(v.clone());
        assert_eq!(app.notice, None, "only when it changes");
        let mut two = v;
        two.steps[0].done = false;
        two.steps.push(StepView::default());
        app.set_lesson(two.clone());
        two.steps[0].done = true;
        app.set_lesson(two);
        assert_eq!(app.notice.as_deref(), Some("✓ Done! F6: next step"));
    }

    #[test]
    fn a_changed_cell_is_highlighted_for_two_seconds() {
        let mut app = app();
        let t0 = Instant::now();
        assert!(app.set_tables(
            vec![(ResourceTab::Services, crate::ui::tests::two_service_table("<pending>"))],
            t0
        ));
        assert!(
            app.tables[0].highlights.is_empty(),
            "the first snapshot highlights nothing"
        );
        assert!(
            !app.set_tables(
                vec![(ResourceTab::Services, crate::ui::tests::two_service_table("<pending>"))],
                t0
            ),
            "no change"
        );
        let mut older = crate::ui::tests::two_service_table("<pending>");
        older.rows[0][5] = "6m".into();
        assert!(
            !app.set_tables(vec![(ResourceTab::Services, older)], t0),
            "only AGE changed: no redraw"
        );
        let mut later = crate::ui::tests::two_service_table("127.0.1.1");
        later.rows[1][5] = "8s".into();
        assert!(app.set_tables(vec![(ResourceTab::Services, later)], t0));
        assert!(app.tables[0].is_highlighted("frontend", "EXTERNAL-IP"));
        assert!(
            !app.tables[0].is_highlighted("frontend", "AGE"),
            "AGE changes on its own"
        );
        assert!(!app.tables[0].is_highlighted("kubernetes", "EXTERNAL-IP"));
        assert_eq!(app.tables[0].highlights.len(), 1);
        assert_eq!(app.next_deadline(), Some(t0 + HIGHLIGHT));
        assert!(!app.expire(t0 + Duration::from_millis(1999)));
        assert!(app.expire(t0 + HIGHLIGHT));
        assert!(app.tables[0].highlights.is_empty());
        assert_eq!(app.next_deadline(), None, "no timer when nothing fades");
    }

    #[test]
    fn the_dns_port_is_told_in_the_terminal() {
        let mut a = app();
        a.note_dns("127.0.0.1:40123".parse().unwrap());
        let (kind, line) = a.scrollback.lines.back().unwrap();
        assert_eq!(*kind, LineKind::Notice);
        assert_eq!(
            line,
            "The cluster DNS answers on 127.0.0.1:40123. From your own shell: dig @127.0.0.1 -p 40123 kubernetes.default.svc.cluster.local"
        );
    }

    #[test]
    fn new_rows_are_highlighted_whole_and_deleted_rows_forgotten() {
        let mut app = app();
        let t0 = Instant::now();
        let mut one = crate::ui::tests::two_service_table("<pending>");
        one.rows.truncate(1);
        app.set_tables(vec![(ResourceTab::Services, one.clone())], t0);
        app.set_tables(
            vec![(ResourceTab::Services, crate::ui::tests::two_service_table("<pending>"))],
            t0,
        );
        assert_eq!(app.tables[0].highlights.len(), 5, "all but AGE");
        app.set_tables(vec![(ResourceTab::Services, one)], t0);
        assert!(app.tables[0].highlights.is_empty());
    }

    #[test]
    fn page_up_scrolls_and_new_output_keeps_the_view_still() {
        let mut app = app();
        for i in 0..100 {
            app.on_output(Chunk::Text(Stream::Out, format!("line {i}\n")));
        }
        app.on_key(key(KeyCode::PageUp));
        let s = app.scroll;
        assert!(s > 0);
        app.on_output(Chunk::Text(Stream::Out, "more\n".into()));
        assert_eq!(app.scroll, s + 1);
        app.on_output(Chunk::Text(Stream::Out, "open".into()));
        assert_eq!(app.scroll, s + 2);
        app.on_output(Chunk::Text(Stream::Out, " line continues\n".into()));
        assert_eq!(app.scroll, s + 2, "extending a line adds no row");
        let width = crate::ui::draw::layout(app.size).output.width as usize;
        app.on_output(Chunk::Text(Stream::Out, format!("{}\n", "x".repeat(width * 2 + 1))));
        assert_eq!(app.scroll, s + 5, "a long line adds the rows it wraps to");
        assert_eq!(app.scroll_rows(), 100 + 1 + 1 + 3);
        for _ in 0..50 {
            app.on_key(key(KeyCode::PageUp));
        }
        assert!(app.scroll <= 101, "clamped to the top");
        type_str(&mut app, "x");
        assert_eq!(app.scroll, 0, "typing returns to the bottom");
    }

    #[test]
    fn a_pasted_megabyte_line_is_a_note_and_a_pasted_manifest_stays_whole() {
        let mut a = app();
        let fx = a.on_paste(&format!("echo {}\n", "x".repeat(crate::shell::MAX_LINE_BYTES)));
        assert!(fx.is_empty(), "nothing runs");
        assert!(a.input.text().is_empty());
        assert!(
            texts(&a).last().unwrap().starts_with("sh: the line is "),
            "{:?}",
            texts(&a).last()
        );
        // A heredoc of thousands of lines: one command, run when its delimiter comes.
        let body: String = (0..5000).map(|i| format!("  k{i}: v\n")).collect();
        let fx = a.on_paste(&format!("kubectl apply -f - <<EOF\n{body}EOF\n"));
        let [Effect::Run(cmd)] = fx.as_slice() else {
            panic!("{fx:?}")
        };
        assert_eq!(cmd.lines().count(), 5002);
        assert!(a.pending.is_empty());
    }

    #[test]
    fn the_shells_readline_keys_work_on_the_lab_command_line() {
        let mut app = app();
        for cmd in ["kubectl get svc", "kubectl get pods"] {
            type_str(&mut app, cmd);
            app.on_key(key(KeyCode::Enter));
            app.on_command_done(0);
        }
        app.on_key(ctrl('p'));
        assert_eq!(app.input.text(), "kubectl get pods", "Ctrl+P is ↑");
        app.on_key(ctrl('p'));
        app.on_key(ctrl('n'));
        assert_eq!(app.input.text(), "kubectl get pods", "Ctrl+N is ↓");
        app.on_key(ctrl('a'));
        app.on_key(ctrl('f'));
        app.on_key(ctrl('d'));
        assert_eq!(app.input.text(), "kbectl get pods", "Ctrl+D deletes under the cursor");
        app.on_key(ctrl('e'));
        app.on_key(ctrl('b'));
        app.on_key(ctrl('h'));
        assert_eq!(app.input.text(), "kbectl get pos", "Ctrl+H is Backspace");
        app.on_key(ctrl('u'));
        app.on_key(ctrl('k'));
        assert_eq!(app.on_key(ctrl('d')), vec![], "an empty line does not end the lab");
        assert!(app.notice.is_none());
    }

    #[test]
    fn a_typed_key_between_tabs_makes_the_next_tab_a_first_one() {
        use crate::shell::complete::Completion;
        let mut app = app();
        type_str(&mut app, "kubectl get svc frontend");
        let two = Completion {
            start: 16,
            candidates: vec!["frontend".into(), "frontend-nginx".into()],
        };
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(two.clone());
        type_str(&mut app, "-");
        app.on_key(key(KeyCode::Backspace));
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(two.clone());
        assert!(texts(&app).is_empty(), "typing in between: this Tab only rings");
        app.on_key(key(KeyCode::F(2)));
        app.on_key(key(KeyCode::Tab));
        app.apply_completion(two);
        assert!(texts(&app).is_empty(), "a lab key in between: this Tab only rings");
    }

    #[test]
    fn ctrl_l_clears_the_pane_and_keeps_the_line() {
        let mut app = app();
        app.on_output(Chunk::Text(Stream::Out, "old\n".into()));
        type_str(&mut app, "kubectl");
        assert_eq!(app.on_key(ctrl('l')), vec![]);
        assert!(app.scrollback.lines.is_empty());
        assert_eq!(app.input.text(), "kubectl");
    }
}
