//! The status bar: the main keys (the keymap rows marked for it), and on the right a one-off
//! notice ("No more hints.") when there is one.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::App;
use crate::ui::keymap::status_entries;
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
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, desc) in status_entries(app.lang) {
        let w = key.width() + desc.width() + 3;
        if used + w > room {
            break;
        }
        spans.push(Span::styled(format!(" {key}"), theme::status_key()));
        spans.push(Span::styled(format!(" {desc} "), theme::status_bar()));
        used += w;
    }
    let pad = width.saturating_sub(used + notice.width());
    spans.push(Span::styled(" ".repeat(pad), theme::status_bar()));
    if !notice.is_empty() {
        spans.push(Span::styled(notice, theme::notice()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::status_bar()), area);
}
