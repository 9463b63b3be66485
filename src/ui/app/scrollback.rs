//! The terminal pane's output: a bounded ring of lines ([`Scrollback`]) that output chunks
//! join and split, and the scrolling over it (PgUp/PgDn, and keeping the view still while new
//! output arrives under a learner reading older lines).

use std::collections::VecDeque;

use crate::io::{Chunk, Stream};

use super::{strings, App};

/// Lines of terminal output kept: a ring, so `kubectl get pods -w` left running for a day keeps
/// the newest lines only.
pub const SCROLLBACK_LIMIT: usize = 10_000;
/// Most bytes of one scrollback line; longer output continues on the next line (the pane wraps
/// it there anyway). With [`SCROLLBACK_LIMIT`] this bounds the pane at 40 MiB.
pub const SCROLLBACK_LINE_BYTES: usize = 4096;

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

impl App {
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
                        .map(|(_, l)| crate::ui::wrap::wrap_tokens(&crate::ui::wrap::sanitize(l), width).len())
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

    /// Terminal rows a page scroll moves.
    pub(super) fn page(&self) -> usize {
        let rows = self.areas().output.height as usize;
        rows.saturating_sub(1).max(1)
    }

    /// Rows the scrollback takes at the current width.
    pub fn scroll_rows(&self) -> usize {
        let width = self.areas().output.width as usize;
        crate::ui::panes::terminal::rows(self, width).len()
    }

    pub(super) fn clamp_scroll(&mut self) {
        let visible = self.areas().output.height as usize;
        let max = self.scroll_rows().saturating_sub(visible);
        self.scroll = self.scroll.min(max);
    }
}
