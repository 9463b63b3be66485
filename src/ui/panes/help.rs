//! The help overlay (F1, or `?` on an empty line), generated from the keymap table so it lists
//! exactly the keys that work.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::App;
use crate::ui::keymap::help_rows;
use crate::ui::wrap::truncate;
use crate::ui::{strings, theme};

pub fn render(frame: &mut Frame, screen: Rect, app: &App) {
    let rows = help_rows(app.lang);
    let max_h = screen.height.saturating_sub(2);
    // Two columns when one does not fit the screen's height.
    let columns = if rows.len() as u16 + 2 > max_h { 2 } else { 1 };
    let w = screen.width.saturating_sub(4).min(if columns == 1 { 64 } else { 100 });
    let per_col = rows.len().div_ceil(columns);
    let h = (per_col as u16 + 2).min(max_h);
    let area = Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    );
    let block = Block::bordered()
        .border_style(theme::border_focused())
        .title(Span::styled(
            format!(" {} ", app.tr(strings::HELP_TITLE)),
            theme::title(),
        ))
        .title_bottom(Line::from(format!(" {} ", app.tr(strings::HELP_CLOSE))).right_aligned());
    let inner = block.inner(area);
    // Clear one more column on each side: a wide (Korean) character under the overlay's edge
    // would otherwise be cut in half.
    let margin = Rect {
        x: area.x.saturating_sub(1),
        width: (area.width + 2).min(screen.width),
        ..area
    };
    frame.render_widget(Clear, margin);
    frame.render_widget(block, area);
    let col_w = inner.width / columns as u16;
    for (c, chunk) in rows.chunks(per_col.max(1)).enumerate() {
        let key_w = chunk.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
        let desc_w = (col_w as usize).saturating_sub(key_w + 4);
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(key, desc)| {
                let pad = " ".repeat(key_w - key.width() + 2);
                Line::from(vec![
                    Span::raw(" "),
                    Span::styled(key.clone(), theme::strong()),
                    Span::raw(pad),
                    Span::raw(truncate(desc, desc_w)),
                ])
            })
            .collect();
        let rect = Rect::new(inner.x + col_w * c as u16, inner.y, col_w, inner.height);
        frame.render_widget(Paragraph::new(lines), rect);
    }
}
