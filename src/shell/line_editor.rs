//! A small line editor for `k8s-lab shell` on a terminal: ← → Home End, Backspace/Delete,
//! ↑ ↓ through history, Ctrl+A/E/U/K/W, Ctrl+L, Tab to complete (commands, kubectl verbs,
//! flags, types, object names, files — see [`super::complete`]; a second Tab lists the
//! choices), Ctrl+C to drop the line, Ctrl+D on an empty line to leave.
//!
//! The editing itself ([`Editor`]) is plain state and keys, tested without a terminal. The
//! terminal is in raw mode only while a line is being typed ([`read_line`]); while a command
//! runs it is back in normal mode, so Ctrl+C is a signal that cancels the command and output
//! needs no `\r` translation.

use std::io::Write;

use futures::StreamExt;
use unicode_width::UnicodeWidthChar;

use super::builtins::TABLE;
use super::complete::Completion;

/// Completes the word before a byte offset of a line.
pub type Completer = Box<dyn Fn(&str, usize) -> Completion + Send + Sync>;

/// A key, already decoded from the terminal's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Left,
    Right,
    Home,
    End,
    Backspace,
    Delete,
    Up,
    Down,
    Enter,
    Tab,
    CtrlC,
    CtrlD,
    CtrlU,
    CtrlK,
    CtrlW,
    CtrlL,
}

/// What a key did to the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Editing,
    Submit(String),
    Interrupted,
    Eof,
    ClearScreen,
    /// A second Tab with several completions: show them, keep the line.
    Candidates(Vec<String>),
}

/// The line being typed and where the cursor is.
#[derive(Default)]
pub struct Editor {
    completer: Option<Completer>,
    /// The previous key was a Tab that could not complete further.
    tab_pending: bool,
    buf: Vec<char>,
    cursor: usize,
    history: Vec<String>,
    /// Which history entry is shown (`None`: the line being typed), and that line.
    hist_pos: Option<usize>,
    draft: Vec<char>,
}

impl Editor {
    pub fn new(history: &[String]) -> Editor {
        Editor {
            history: history.to_vec(),
            ..Editor::default()
        }
    }

    /// Complete with `completer` instead of the shell's command names only.
    pub fn with_completer(mut self, completer: Completer) -> Editor {
        self.completer = Some(completer);
        self
    }

    pub fn text(&self) -> String {
        self.buf.iter().collect()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn key(&mut self, key: Key) -> Outcome {
        let tab_pending = std::mem::take(&mut self.tab_pending);
        match key {
            // Past the shell's line limit keys are ignored, as a full readline buffer beeps.
            Key::Char(_) if self.buf.len() >= super::MAX_LINE_BYTES => {}
            Key::Char(c) => {
                self.buf.insert(self.cursor, c);
                self.cursor += 1;
            }
            Key::Left => self.cursor = self.cursor.saturating_sub(1),
            Key::Right => self.cursor = (self.cursor + 1).min(self.buf.len()),
            Key::Home => self.cursor = 0,
            Key::End => self.cursor = self.buf.len(),
            Key::Backspace => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                    self.buf.remove(self.cursor);
                }
            }
            Key::Delete => {
                if self.cursor < self.buf.len() {
                    self.buf.remove(self.cursor);
                }
            }
            Key::Up => self.browse(true),
            Key::Down => self.browse(false),
            Key::Enter => return Outcome::Submit(self.text()),
            Key::Tab => return self.complete(tab_pending),
            Key::CtrlC => return Outcome::Interrupted,
            Key::CtrlD => {
                if self.buf.is_empty() {
                    return Outcome::Eof;
                }
                return self.key(Key::Delete);
            }
            Key::CtrlU => {
                self.buf.drain(..self.cursor);
                self.cursor = 0;
            }
            Key::CtrlK => self.buf.truncate(self.cursor),
            Key::CtrlW => {
                let mut start = self.cursor;
                while start > 0 && self.buf[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && self.buf[start - 1] != ' ' {
                    start -= 1;
                }
                self.buf.drain(start..self.cursor);
                self.cursor = start;
            }
            Key::CtrlL => return Outcome::ClearScreen,
        }
        Outcome::Editing
    }

    fn browse(&mut self, older: bool) {
        if self.history.is_empty() {
            return;
        }
        let next = match (self.hist_pos, older) {
            (None, true) => {
                self.draft = self.buf.clone();
                Some(self.history.len() - 1)
            }
            (None, false) => return,
            (Some(0), true) => Some(0),
            (Some(i), true) => Some(i - 1),
            (Some(i), false) if i + 1 < self.history.len() => Some(i + 1),
            (Some(_), false) => None,
        };
        self.hist_pos = next;
        self.buf = match next {
            Some(i) => self.history[i].chars().collect(),
            None => std::mem::take(&mut self.draft),
        };
        self.cursor = self.buf.len();
    }

    /// Insert what all completions of the word before the cursor share (and a space when there
    /// is only one, unless it is a folder or wants a value); on a second Tab with nothing left
    /// to insert, list the choices.
    fn complete(&mut self, second: bool) -> Outcome {
        let text = self.text();
        let byte_cursor: usize = self.buf[..self.cursor].iter().map(|c| c.len_utf8()).sum();
        let found = match &self.completer {
            Some(f) => f(&text, byte_cursor),
            None => command_names(&text[..byte_cursor]),
        };
        if found.candidates.is_empty() || found.start > byte_cursor {
            return Outcome::Editing;
        }
        let insert = found.insertion(byte_cursor - found.start);
        if insert.is_empty() {
            self.tab_pending = true;
            return if second {
                Outcome::Candidates(found.candidates)
            } else {
                Outcome::Editing
            };
        }
        for c in insert.chars() {
            self.buf.insert(self.cursor, c);
            self.cursor += 1;
        }
        Outcome::Editing
    }

    /// Terminal bytes that redraw the line after `prompt` with the cursor in place.
    pub fn render(&self, prompt: &str) -> String {
        let tail_width: usize = self.buf[self.cursor..].iter().map(|c| c.width().unwrap_or(0)).sum();
        let mut s = format!("\r{prompt}{}\x1b[K", self.text());
        if tail_width > 0 {
            s.push_str(&format!("\x1b[{tail_width}D"));
        }
        s
    }
}

/// Completion of the shell's own command names (when no completer is given).
fn command_names(before: &str) -> Completion {
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

/// Decode a crossterm key event.
fn decode(ev: crossterm::event::KeyEvent) -> Option<Key> {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    Some(match ev.code {
        KeyCode::Char(c) if ctrl => match c {
            'c' => Key::CtrlC,
            'd' => Key::CtrlD,
            'u' => Key::CtrlU,
            'k' => Key::CtrlK,
            'w' => Key::CtrlW,
            'l' => Key::CtrlL,
            'a' => Key::Home,
            'e' => Key::End,
            'b' => Key::Left,
            'f' => Key::Right,
            'p' => Key::Up,
            'n' => Key::Down,
            'h' => Key::Backspace,
            _ => return None,
        },
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Enter => Key::Enter,
        KeyCode::Tab => Key::Tab,
        _ => return None,
    })
}

/// Leaves raw mode however the read ends (including the future being dropped).
struct RawMode;

impl RawMode {
    fn on() -> std::io::Result<RawMode> {
        crossterm::terminal::enable_raw_mode()?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

fn draw(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(s.as_bytes());
    let _ = o.flush();
}

/// Read one line from the terminal with editing. Pasted text arrives as characters; a pasted
/// newline submits the line, like a terminal in normal mode.
pub async fn read_line(prompt: &str, history: &[String], completer: Completer) -> std::io::Result<Outcome> {
    let _raw = RawMode::on()?;
    let mut ed = Editor::new(history).with_completer(completer);
    let mut events = crossterm::event::EventStream::new();
    draw(&ed.render(prompt));
    while let Some(ev) = events.next().await {
        let crossterm::event::Event::Key(k) = ev? else {
            continue;
        };
        let Some(key) = decode(k) else { continue };
        match ed.key(key) {
            Outcome::Editing => draw(&ed.render(prompt)),
            Outcome::ClearScreen => {
                draw("\x1b[2J\x1b[H");
                draw(&ed.render(prompt));
            }
            Outcome::Candidates(list) => {
                draw(&format!("\r\n{}\r\n", list.join("  ")));
                draw(&ed.render(prompt));
            }
            Outcome::Interrupted => {
                draw("^C\r\n");
                return Ok(Outcome::Interrupted);
            }
            done => {
                draw("\r\n");
                return Ok(done);
            }
        }
    }
    Ok(Outcome::Eof)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(ed: &mut Editor, s: &str) {
        for c in s.chars() {
            ed.key(Key::Char(c));
        }
    }

    #[test]
    fn editing_keys() {
        let mut ed = Editor::new(&[]);
        typed(&mut ed, "kubctl get");
        ed.key(Key::Home);
        for _ in 0..3 {
            ed.key(Key::Right);
        }
        typed(&mut ed, "e");
        assert_eq!(ed.text(), "kubectl get");
        ed.key(Key::End);
        ed.key(Key::Backspace);
        assert_eq!(ed.text(), "kubectl ge");
        ed.key(Key::CtrlW);
        assert_eq!(ed.text(), "kubectl ");
        ed.key(Key::Home);
        ed.key(Key::Delete);
        assert_eq!(ed.text(), "ubectl ");
        ed.key(Key::End);
        ed.key(Key::Left);
        ed.key(Key::CtrlK);
        assert_eq!(ed.text(), "ubectl");
        ed.key(Key::CtrlU);
        assert_eq!((ed.text().as_str(), ed.cursor()), ("", 0));
        assert_eq!(ed.key(Key::CtrlD), Outcome::Eof);
        typed(&mut ed, "x");
        assert_eq!(ed.key(Key::CtrlC), Outcome::Interrupted);
        assert_eq!(ed.key(Key::Enter), Outcome::Submit("x".into()));
    }

    #[test]
    fn history_browsing_keeps_the_draft() {
        let mut ed = Editor::new(&["one".into(), "two".into()]);
        typed(&mut ed, "dra");
        ed.key(Key::Up);
        assert_eq!(ed.text(), "two");
        ed.key(Key::Up);
        ed.key(Key::Up);
        assert_eq!(ed.text(), "one");
        ed.key(Key::Down);
        assert_eq!(ed.text(), "two");
        ed.key(Key::Down);
        assert_eq!(ed.text(), "dra");
        ed.key(Key::Down);
        assert_eq!(ed.text(), "dra");
    }

    #[test]
    fn tab_completes_unique_command_names() {
        let mut ed = Editor::new(&[]);
        typed(&mut ed, "kube");
        ed.key(Key::Tab);
        assert_eq!(ed.text(), "kubectl ");
        let mut ed = Editor::new(&[]);
        typed(&mut ed, "h");
        ed.key(Key::Tab);
        assert_eq!(ed.text(), "h", "head, help and history all start with h");
    }

    #[test]
    fn tab_inserts_the_common_part_then_lists_the_choices() {
        let completer: Completer = Box::new(|line, cursor| {
            let start = line[..cursor].rfind(' ').map_or(0, |i| i + 1);
            let word = &line[start..cursor];
            let candidates = ["frontend", "frontend-nginx", "hello"]
                .iter()
                .filter(|c| c.starts_with(word))
                .map(|c| c.to_string())
                .collect();
            Completion { start, candidates }
        });
        let mut ed = Editor::new(&[]).with_completer(completer);
        typed(&mut ed, "kubectl get svc f");
        assert_eq!(ed.key(Key::Tab), Outcome::Editing);
        assert_eq!(ed.text(), "kubectl get svc frontend");
        assert_eq!(
            ed.key(Key::Tab),
            Outcome::Editing,
            "the first Tab with nothing to add only rings"
        );
        assert_eq!(
            ed.key(Key::Tab),
            Outcome::Candidates(vec!["frontend".into(), "frontend-nginx".into()])
        );
        typed(&mut ed, "-");
        ed.key(Key::Tab);
        assert_eq!(
            ed.text(),
            "kubectl get svc frontend-nginx ",
            "one choice: completed with a space"
        );
        ed.key(Key::Home);
        assert_eq!(ed.key(Key::Tab), Outcome::Editing);
    }

    #[test]
    fn render_places_the_cursor_by_display_width() {
        let mut ed = Editor::new(&[]);
        typed(&mut ed, "echo 한국");
        ed.key(Key::Left);
        ed.key(Key::Left);
        assert_eq!(ed.render("$ "), "\r$ echo 한국\x1b[K\x1b[4D");
        ed.key(Key::End);
        assert_eq!(ed.render("$ "), "\r$ echo 한국\x1b[K");
    }
}
