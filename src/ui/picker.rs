//! The lesson picker of `k8s-lab start` with no lesson named: the `k8s-lab list` table on a
//! full screen, one row selected; ↑/↓ (or j/k) choose, Enter opens, Esc or q leaves.
//!
//! Like the lab's own screen, the state ([`Picker`]) is separate from the loop that feeds it
//! keys ([`pick`]), so key scripts and snapshots run without a terminal.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::{Frame, Terminal};
use unicode_width::UnicodeWidthStr;

use super::strings;
use super::terminal_guard::TerminalGuard;
use super::wrap::truncate;
use super::{theme, Lang};

/// The picker's state: the table (headers, then one row per lesson) and the selected row.
#[derive(Debug, Clone)]
pub struct Picker {
    pub lang: Lang,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub selected: usize,
}

/// What a key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// Open the lesson of this row.
    Open(usize),
    Leave,
}

impl Picker {
    pub fn new(lang: Lang, headers: Vec<String>, rows: Vec<Vec<String>>) -> Picker {
        Picker {
            lang,
            headers,
            rows,
            selected: 0,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        if key.kind == KeyEventKind::Release {
            return Outcome::Stay;
        }
        let ctrl = key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1))
            }
            KeyCode::Home => self.selected = 0,
            KeyCode::End => self.selected = self.rows.len().saturating_sub(1),
            KeyCode::Enter if !self.rows.is_empty() => return Outcome::Open(self.selected),
            KeyCode::Char('c' | 'q') if ctrl => return Outcome::Leave,
            KeyCode::Esc | KeyCode::Char('q') => return Outcome::Leave,
            _ => {}
        }
        Outcome::Stay
    }

    pub fn draw(&self, frame: &mut Frame) {
        let area = frame.area();
        let [body, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
        let block = Block::bordered()
            .border_style(theme::border_focused())
            .title(Span::styled(
                format!(" k8s-lab — {} ", strings::PICKER_TITLE.get(self.lang)),
                theme::title(),
            ));
        let inner = block.inner(body);
        frame.render_widget(block, body);
        let cols = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, c) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(c.width());
            }
        }
        let line = |cells: &[String], style| -> Line<'static> {
            let mut text = String::from(" ");
            for (i, c) in cells.iter().enumerate().take(cols) {
                text.push_str(c);
                if i + 1 < cols {
                    text.push_str(&" ".repeat(widths[i] - c.width() + 3));
                }
            }
            Line::styled(truncate(&text, inner.width as usize), style)
        };
        let mut lines = vec![line(&self.headers, theme::table_header())];
        for (i, row) in self.rows.iter().enumerate() {
            let style = if i == self.selected {
                theme::current_step()
            } else {
                theme::text()
            };
            lines.push(line(row, style));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        let hint = Line::styled(format!(" {}", strings::PICKER_KEYS.get(self.lang)), theme::status_bar());
        frame.render_widget(Paragraph::new(hint).style(theme::status_bar()), keys);
    }
}

/// Show the picker on the real terminal until the learner opens a lesson (its row) or leaves.
/// The terminal is restored before this returns.
pub async fn pick(mut picker: Picker) -> anyhow::Result<Option<usize>> {
    let guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    terminal.clear()?;
    // One blocking read per key, not an `EventStream`: a stream's reader would live on and
    // take the answers the lab's own screen asks the terminal for next.
    let chosen = loop {
        terminal.draw(|f| picker.draw(f))?;
        match tokio::task::spawn_blocking(crossterm::event::read).await? {
            Ok(Event::Key(key)) => match picker.on_key(key) {
                Outcome::Stay => {}
                Outcome::Open(i) => break Some(i),
                Outcome::Leave => break None,
            },
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    };
    drop(terminal);
    drop(guard);
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;
    use ratatui::backend::TestBackend;

    fn picker(lang: Lang) -> Picker {
        let rows = (1..=5)
            .map(|i| {
                vec![
                    format!("lesson{i}"),
                    format!("slug-{i}"),
                    format!("{}/8", i - 1),
                    format!("Title {i}"),
                ]
            })
            .collect();
        let headers = match lang {
            Lang::Ko => strings::CLI_HEADERS_KO,
            Lang::En => strings::CLI_HEADERS_EN,
        };
        Picker::new(lang, headers.iter().map(|h| h.to_string()).collect(), rows)
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn arrows_choose_enter_opens_esc_and_q_leave() {
        let mut p = picker(Lang::En);
        assert_eq!(p.on_key(key(KeyCode::Up)), Outcome::Stay);
        assert_eq!(p.selected, 0);
        p.on_key(key(KeyCode::Down));
        p.on_key(key(KeyCode::Down));
        assert_eq!(p.on_key(key(KeyCode::Enter)), Outcome::Open(2));
        for _ in 0..10 {
            p.on_key(key(KeyCode::Down));
        }
        assert_eq!(p.selected, 4, "stops at the last lesson");
        assert_eq!(p.on_key(key(KeyCode::Esc)), Outcome::Leave);
        assert_eq!(p.on_key(key(KeyCode::Char('q'))), Outcome::Leave);
    }

    #[test]
    fn the_picker_shows_the_list_with_the_selection() {
        let mut p = picker(Lang::Ko);
        p.on_key(key(KeyCode::Down));
        let mut t = Terminal::new(TestBackend::new(60, 10)).unwrap();
        t.draw(|f| p.draw(f)).unwrap();
        let buf = t.backend().buffer().clone();
        let screen = crate::ui::tests::rows(&buf).join("\n");
        assert!(screen.contains("레슨 고르기"), "{screen}");
        assert!(screen.contains(" ID        이름     진행   제목"), "{screen}");
        assert!(screen.contains("Enter: 열기"), "{screen}");
        let (_, y) = crate::ui::tests::find(&buf, "lesson2").unwrap();
        assert_eq!(buf[(2, y)].style().add_modifier, theme::current_step().add_modifier);
    }
}
