//! The status bar: the main keys (the keymap rows marked for it), and on the right a one-off
//! notice ("No more hints.") when there is one. When the row is short, the least important keys
//! go first; help (F1) and quit (Ctrl+Q) always stay.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::App;
use crate::ui::keymap::status_entries_in;
use crate::ui::theme;
use crate::ui::wrap::truncate;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let width = area.width as usize;
    let notice = app
        .notice
        .as_deref()
        .map(|n| truncate(n, width / 2))
        .unwrap_or_default();
    let room = width.saturating_sub(notice.width() + 1);
    // Drop entries from the end when the row is short, but never help and quit.
    let mut entries = status_entries_in(app.lang, app.editing());
    let entry_w = |(k, d): &(String, &str)| k.width() + d.width() + 3;
    while entries.iter().map(entry_w).sum::<usize>() > room {
        let essential = |(k, _): &(String, &str)| k == "F1" || k == "Ctrl+Q";
        match entries.iter().rposition(|e| !essential(e)) {
            Some(i) => {
                entries.remove(i);
            }
            None => break,
        }
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for entry in &entries {
        let (key, desc) = entry;
        spans.push(Span::styled(format!(" {key}"), theme::status_key()));
        spans.push(Span::styled(format!(" {desc} "), theme::status_bar()));
        used += entry_w(entry);
    }
    let pad = width.saturating_sub(used + notice.width());
    spans.push(Span::styled(" ".repeat(pad), theme::status_bar()));
    if !notice.is_empty() {
        spans.push(Span::styled(notice, theme::notice()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::status_bar()), area);
}
