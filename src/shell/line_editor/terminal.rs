//! The line editor on a real terminal, for `k8s-lab shell`: raw mode while a line is typed,
//! crossterm key events decoded through [`super::keys`], the line redrawn after each key.
//!
//! The terminal is in raw mode only while a line is being typed ([`read_line`]); while a
//! command runs it is back in normal mode, so Ctrl+C is a signal that cancels the command and
//! output needs no `\r` translation.

use std::io::Write;

use futures::StreamExt;
use unicode_width::UnicodeWidthChar;

use super::{keys, Completer, LineEditor, Outcome};

impl LineEditor {
    /// Terminal bytes that redraw the line after `prompt` with the cursor in place.
    pub fn render(&self, prompt: &str) -> String {
        let tail_width: usize = self.text()[self.byte_cursor()..]
            .chars()
            .map(|c| c.width().unwrap_or(0))
            .sum();
        let mut s = format!("\r{prompt}{}\x1b[K", self.text());
        if tail_width > 0 {
            s.push_str(&format!("\x1b[{tail_width}D"));
        }
        s
    }
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
/// newline submits the line, like a terminal in normal mode. Returns [`Outcome::Submit`],
/// [`Outcome::Interrupted`] or [`Outcome::Eof`].
pub async fn read_line(prompt: &str, history: &[String], completer: Completer) -> std::io::Result<Outcome> {
    let _raw = RawMode::on()?;
    let mut ed = LineEditor::new(history);
    let mut events = crossterm::event::EventStream::new();
    draw(&ed.render(prompt));
    while let Some(ev) = events.next().await {
        let crossterm::event::Event::Key(k) = ev? else {
            continue;
        };
        let Some(edit) = keys::decode(&k) else { continue };
        match ed.apply_with(edit, &completer) {
            Outcome::Editing | Outcome::NoChoices | Outcome::Complete { .. } => draw(&ed.render(prompt)),
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
