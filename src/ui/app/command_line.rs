//! The terminal pane's command line. The editing itself (keys, history, Tab) is the shell's
//! [`LineEditor`](crate::shell::line_editor::LineEditor), the same one `k8s-lab shell` uses;
//! this is what the lab does around it: echo lines after their prompt, list completions in
//! the pane, collect heredoc lines into one command, queue lines typed while a command runs,
//! stage a solution on the line, and Ctrl+C.

use crate::shell::line_editor::{Edit, Outcome};
use crate::ui::keymap::Action;
use crate::ui::strings;

use super::{App, Effect, LineKind, CONTINUATION};

impl App {
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
    pub(super) fn echo_input(&mut self) {
        let line = self.input.text().to_string();
        self.echo(&line);
    }

    /// Echo `line` after the prompt it was typed at: the lab's, or `> ` inside a heredoc.
    pub(super) fn echo(&mut self, line: &str) {
        let prompt = if self.pending.is_empty() {
            self.prompt.as_str()
        } else {
            CONTINUATION
        };
        let text = format!("{prompt}{line}\n");
        self.scrollback.end_line();
        self.scrollback.push(LineKind::Echo, &text);
    }

    /// A key of the command line: the line editor applies it; Enter, Tab and Ctrl+L come back
    /// as what the lab does with them.
    pub(super) fn line_edit(&mut self, edit: Edit) -> Vec<Effect> {
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
    pub(super) fn stage(&mut self, text: &str) -> bool {
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
    pub(super) fn accept_line(&mut self, line: String) -> Vec<Effect> {
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
    pub(super) fn interrupt(&mut self) -> Vec<Effect> {
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
}
