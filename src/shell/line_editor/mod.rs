//! The lab's one line editor: the command line of `k8s-lab shell` on a terminal and of the
//! TUI's terminal pane. One type, [`LineEditor`], holds the line, the cursor, the history it
//! walks and the Tab state; one table, [`keys::KEYS`], says which key does which [`Edit`].
//! ← → Home End (Ctrl+B/F/A/E), Backspace/Delete (Ctrl+H/D), ↑ ↓ (Ctrl+P/N) through history,
//! Ctrl+U/K/W, Ctrl+L, Tab to complete (commands, kubectl verbs, flags, types, object names,
//! files — see [`super::complete`]; a second Tab lists the choices), Enter, Ctrl+C to drop the
//! line, Ctrl+D on an empty line to leave.
//!
//! It exists so the two front ends cannot drift: the editing is plain state and keys, tested
//! here without a terminal. What a front end does with an [`Outcome`] (print the choices, run
//! the line, clear the screen) stays with it: [`terminal`] is the raw-mode front end of
//! `k8s-lab shell`; the TUI feeds the same edits from its keymap and draws the line itself.
//!
//! Completion is a request and an answer, so a front end may compute it where the words are:
//! [`Edit::Complete`] returns [`Outcome::Complete`], and the caller hands what
//! [`super::complete`] found to [`LineEditor::completed`] ([`LineEditor::apply_with`] does
//! both at once).

pub mod keys;
pub mod terminal;
#[cfg(test)]
mod tests;

pub use keys::{decode, Binding, KEYS};
pub use terminal::read_line;

use super::builtins::TABLE;
use super::complete::Completion;

/// Completes the word before a byte offset of a line.
pub type Completer = Box<dyn Fn(&str, usize) -> Completion + Send + Sync>;

/// What a key asks of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edit {
    /// Type a character at the cursor.
    Char(char),
    Left,
    Right,
    Home,
    End,
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Ctrl+D: [`Edit::Delete`], or the end of input on an empty line.
    DeleteOrEof,
    /// Delete from the start of the line to the cursor.
    KillToStart,
    /// Delete from the cursor to the end of the line.
    KillToEnd,
    /// Delete the word before the cursor (and the blanks after it).
    KillWordBack,
    /// The previous (older) one-line history entry.
    HistoryPrev,
    /// The next (newer) history entry, or back to the line being typed.
    HistoryNext,
    /// Complete the word before the cursor (a second Tab lists the choices).
    Complete,
    /// Enter.
    Submit,
    /// Ctrl+C: drop the line.
    Interrupt,
    ClearScreen,
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Editing,
    /// Enter: the line, taken out of the editor.
    Submit(String),
    /// Ctrl+C: the line was dropped.
    Interrupted,
    /// Ctrl+D on an empty line.
    Eof,
    ClearScreen,
    /// Tab: complete `line` at byte `cursor`, and give the answer to [`LineEditor::completed`].
    Complete {
        line: String,
        cursor: usize,
    },
    /// A second Tab with several completions: show them, keep the line.
    Candidates(Vec<String>),
    /// A second Tab with nothing to offer (the front end may say why).
    NoChoices,
}

/// The line being typed (its cursor in chars), the history it browses and the Tab state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    text: String,
    cursor: usize,
    /// Every command run, oldest first.
    history: Vec<String>,
    /// Which history entry is shown (`None`: the line being typed), and that line.
    hist_pos: Option<usize>,
    draft: String,
    /// The previous key was a Tab that could not complete further.
    tab_pending: bool,
}

impl LineEditor {
    /// An empty line over `history` (oldest first).
    pub fn new(history: &[String]) -> LineEditor {
        LineEditor {
            history: history.to_vec(),
            ..LineEditor::default()
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor, in chars.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The cursor as a byte offset into [`Self::text`].
    pub fn byte_cursor(&self) -> usize {
        self.byte_at(self.cursor)
    }

    /// The byte offset of char `char_idx` (the end of the line past the last one).
    pub fn byte_at(&self, char_idx: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_idx)
            .map(|(b, _)| b)
            .unwrap_or(self.text.len())
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Add a command that ran to the history (not twice in a row), within the shell's
    /// [`super::MAX_HISTORY`] and [`super::MAX_HISTORY_BYTES`].
    pub fn remember(&mut self, entry: String) {
        if self.history.last() != Some(&entry) {
            super::push_history(&mut self.history, entry);
        }
    }

    /// Insert `s` at the cursor; false (and nothing inserted) when the line would pass the
    /// shell's [`super::MAX_LINE_BYTES`], as a full readline buffer beeps.
    pub fn insert(&mut self, s: &str) -> bool {
        if self.text.len() + s.len() > super::MAX_LINE_BYTES {
            return false;
        }
        let at = self.byte_cursor();
        self.text.insert_str(at, s);
        self.cursor += s.chars().count();
        true
    }

    /// Replace the line (the cursor goes to its end) and stop browsing the history.
    pub fn set(&mut self, s: &str) {
        self.hist_pos = None;
        self.draft.clear();
        self.show(s.to_string());
    }

    /// Take the line out, leaving an empty one and a fresh start (history browsing and Tab).
    pub fn take(&mut self) -> String {
        self.cursor = 0;
        self.hist_pos = None;
        self.draft.clear();
        self.tab_pending = false;
        std::mem::take(&mut self.text)
    }

    /// A key the line editor did not get (one of the lab's own): a Tab after it is a first one.
    pub fn key_elsewhere(&mut self) {
        self.tab_pending = false;
    }

    fn show(&mut self, s: String) {
        self.text = s;
        self.cursor = self.len();
    }

    /// Apply one edit. Every edit but [`Edit::Complete`] ends a run of Tabs.
    pub fn apply(&mut self, edit: Edit) -> Outcome {
        let tab_pending = std::mem::take(&mut self.tab_pending);
        match edit {
            Edit::Char(c) => {
                let _ = self.insert(c.encode_utf8(&mut [0; 4]));
            }
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(self.len()),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.len(),
            Edit::Backspace => {
                if self.cursor > 0 {
                    let (a, b) = (self.byte_at(self.cursor - 1), self.byte_cursor());
                    self.text.replace_range(a..b, "");
                    self.cursor -= 1;
                }
            }
            Edit::Delete => self.delete_forward(),
            Edit::DeleteOrEof => {
                if self.text.is_empty() {
                    return Outcome::Eof;
                }
                self.delete_forward();
            }
            Edit::KillToStart => {
                let b = self.byte_cursor();
                self.text.replace_range(..b, "");
                self.cursor = 0;
            }
            Edit::KillToEnd => {
                let b = self.byte_cursor();
                self.text.truncate(b);
            }
            Edit::KillWordBack => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                let (a, b) = (self.byte_at(start), self.byte_cursor());
                self.text.replace_range(a..b, "");
                self.cursor = start;
            }
            Edit::HistoryPrev => self.browse(true),
            Edit::HistoryNext => self.browse(false),
            Edit::Complete => {
                self.tab_pending = tab_pending;
                return Outcome::Complete {
                    line: self.text.clone(),
                    cursor: self.byte_cursor(),
                };
            }
            Edit::Submit => return Outcome::Submit(self.take()),
            Edit::Interrupt => {
                self.take();
                return Outcome::Interrupted;
            }
            Edit::ClearScreen => return Outcome::ClearScreen,
        }
        Outcome::Editing
    }

    /// [`Self::apply`], answering a Tab at once with `complete`.
    pub fn apply_with(&mut self, edit: Edit, complete: impl Fn(&str, usize) -> Completion) -> Outcome {
        match self.apply(edit) {
            Outcome::Complete { line, cursor } => self.completed(complete(&line, cursor)),
            other => other,
        }
    }

    fn delete_forward(&mut self) {
        if self.cursor < self.len() {
            let (a, b) = (self.byte_cursor(), self.byte_at(self.cursor + 1));
            self.text.replace_range(a..b, "");
        }
    }

    /// Up (`older`) or Down through the history. Multi-line commands (heredocs) stay in the
    /// history but are not recalled into the one-line editor. Past the oldest entry nothing
    /// moves; past the newest the line being typed comes back.
    fn browse(&mut self, older: bool) {
        let mut pos = match self.hist_pos {
            None if !older => return,
            None => self.history.len(),
            Some(p) => p,
        };
        loop {
            if older {
                if pos == 0 {
                    return;
                }
                pos -= 1;
            } else {
                pos += 1;
                if pos >= self.history.len() {
                    self.hist_pos = None;
                    let draft = std::mem::take(&mut self.draft);
                    self.show(draft);
                    return;
                }
            }
            if !self.history[pos].contains('\n') {
                break;
            }
        }
        if self.hist_pos.is_none() {
            self.draft = self.text.clone();
        }
        self.hist_pos = Some(pos);
        self.show(self.history[pos].clone());
    }

    /// The answer to an [`Outcome::Complete`]: insert what all completions of the word before
    /// the cursor share (and a space when there is only one, unless it is a folder or wants a
    /// value); on a second Tab with nothing left to insert, [`Outcome::Candidates`] (or
    /// [`Outcome::NoChoices`]).
    pub fn completed(&mut self, found: Completion) -> Outcome {
        let second = std::mem::take(&mut self.tab_pending);
        let cursor = self.byte_cursor();
        if found.start > cursor {
            return Outcome::Editing;
        }
        if found.candidates.is_empty() {
            self.tab_pending = true;
            return if second { Outcome::NoChoices } else { Outcome::Editing };
        }
        let insert = found.insertion(cursor - found.start);
        if !insert.is_empty() {
            let _ = self.insert(&insert);
            return Outcome::Editing;
        }
        self.tab_pending = true;
        if second {
            Outcome::Candidates(found.candidates)
        } else {
            Outcome::Editing
        }
    }
}

/// Completion of the shell's own command names only (a completer without a cluster).
pub fn command_names(line: &str, cursor: usize) -> Completion {
    let before = &line[..cursor];
    if before.contains(' ') {
        return Completion {
            start: before.len(),
            candidates: Vec::new(),
        };
    }
    let mut candidates: Vec<String> = TABLE
        .iter()
        .map(|b| b.name.to_string())
        .filter(|n| n.starts_with(before))
        .collect();
    candidates.sort();
    Completion { start: 0, candidates }
}
