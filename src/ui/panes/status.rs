//! The status bar: the main keys (the keymap rows marked for it), and on the right a one-off
//! notice ("No more hints.") when there is one, else where the learner is
//! (`step 3/8 · lesson 2/5`). When the row is short, the least important keys
//! go first; help (F1) and quit (Ctrl+Q) always stay.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::App;
use crate::ui::keymap::status_entries_in;
use crate::ui::wrap::truncate;
use crate::ui::{strings, theme};

/// `step 3/8 · lesson 2/5` (or `step 3/8` for a lesson of the learner's own), with a space on
/// the right; nothing for a lesson without steps.
pub fn position(app: &App) -> Option<String> {
    let v = &app.lesson;
    if v.steps.is_empty() {
        return None;
    }
    let (s, n) = ((v.current + 1).to_string(), v.steps.len().to_string());
    let text = match v.position {
        Some((l, m)) => strings::fill(
            app.tr(strings::STATUS_POSITION),
            &[("s", s), ("n", n), ("l", l.to_string()), ("m", m.to_string())],
        ),
        None => strings::fill(app.tr(strings::STATUS_STEP), &[("s", s), ("n", n)]),
    };
    Some(format!("{text} "))
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let width = area.width as usize;
    let mut entries = status_entries_in(app.lang, app.editing());
    let entry_w = |(k, d): &(String, &str)| k.width() + d.width() + 3;
    let essential = |(k, _): &(String, &str)| k == "F1" || k == "Ctrl+Q";
    // A notice may take all but the essential keys: it is what the learner must read now.
    let essentials: usize = entries.iter().filter(|e| essential(e)).map(entry_w).sum();
    // The right end: the notice, or else where the learner is (`step 3/8 · lesson 2/5`).
    let (right, style) = match app.notice.as_deref() {
        Some(n) => (n.to_string(), theme::notice()),
        None => (position(app).unwrap_or_default(), theme::status_bar()),
    };
    let notice = truncate(&right, width.saturating_sub(essentials + 1));
    let room = width.saturating_sub(notice.width() + 1);
    // Drop entries from the end when the row is short, but never help and quit.
    while entries.iter().map(entry_w).sum::<usize>() > room {
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
        spans.push(Span::styled(notice, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme::status_bar()), area);
}
