//! The help overlay (F1, or `?` on an empty line), generated from the keymap table so it lists
//! exactly the keys that work.
//!
//! It fits the screen instead of cutting its lines: the box is as wide as its longest row
//! needs (up to the screen), a description too long for its column wraps under itself, two
//! columns are used when one is too tall, and when even two do not fit the screen's height the
//! box scrolls (↑/↓, PgUp/PgDn) and says so.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::App;
use crate::ui::keymap::help_rows;
use crate::ui::wrap::wrap_words;
use crate::ui::{strings, theme};

/// The widest a column grows: beyond this a description reads better wrapped.
const MAX_COL: usize = 72;

/// The overlay's box, its columns' lines (each row already wrapped) and how far it scrolls.
pub struct HelpLayout {
    pub area: Rect,
    pub columns: Vec<Vec<Line<'static>>>,
    pub col_w: u16,
    pub max_scroll: usize,
}

/// One help row as lines of `col_w` cells: ` key  description`, the description hanging under
/// itself when it wraps.
fn row_lines(key: &str, desc: &str, key_w: usize, col_w: usize) -> Vec<Line<'static>> {
    let lead = 1 + key_w + 2;
    let first = vec![
        Span::raw(" "),
        Span::styled(key.to_string(), theme::strong()),
        Span::raw(" ".repeat(key_w - key.width() + 2)),
    ];
    let rest = vec![Span::raw(" ".repeat(lead))];
    wrap_words(
        &[(desc.to_string(), Style::default())],
        col_w.saturating_sub(1),
        first,
        rest,
    )
}

fn column(rows: &[(String, &'static str)], col_w: usize) -> Vec<Line<'static>> {
    let key_w = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    rows.iter().flat_map(|(k, d)| row_lines(k, d, key_w, col_w)).collect()
}

/// Where the overlay goes on `screen` and what it shows.
pub fn layout(screen: Rect, app: &App) -> HelpLayout {
    let rows = help_rows(app.lang);
    let max_w = screen.width.saturating_sub(4).max(10) as usize;
    let max_h = screen.height.saturating_sub(2).max(3) as usize;
    let natural = |rows: &[(String, &str)]| -> usize {
        let key_w = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
        let desc_w = rows.iter().map(|(_, d)| d.width()).max().unwrap_or(0);
        (1 + key_w + 2 + desc_w + 1).min(MAX_COL)
    };
    // One column if it fits the height; else two side by side (the rows split in half).
    let one_w = natural(&rows).min(max_w.saturating_sub(2));
    let one = column(&rows, one_w);
    let (columns, col_w) = if one.len() + 2 <= max_h || max_w < 60 {
        (vec![one], one_w)
    } else {
        let half = rows.len().div_ceil(2);
        let (a, b) = rows.split_at(half);
        let col_w = natural(a).max(natural(b)).min(max_w.saturating_sub(2) / 2);
        (vec![column(a, col_w), column(b, col_w)], col_w)
    };
    let inner_w = col_w * columns.len();
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let h = (tallest + 2).min(max_h) as u16;
    let w = (inner_w + 2) as u16;
    let area = Rect::new(
        screen.x + (screen.width.saturating_sub(w)) / 2,
        screen.y + (screen.height.saturating_sub(h)) / 2,
        w.min(screen.width),
        h,
    );
    HelpLayout {
        area,
        columns,
        col_w: col_w as u16,
        max_scroll: tallest.saturating_sub(h.saturating_sub(2) as usize),
    }
}

/// How far the help scrolls on the current screen.
pub fn max_scroll(app: &App) -> usize {
    layout(Rect::new(0, 0, app.size.0, app.size.1), app).max_scroll
}

pub fn render(frame: &mut Frame, screen: Rect, app: &App) {
    let l = layout(screen, app);
    let top = app.help_scroll.min(l.max_scroll);
    let mut bottom = format!(" {} ", app.tr(strings::HELP_CLOSE));
    if l.max_scroll > 0 {
        let arrows = match (top > 0, top < l.max_scroll) {
            (true, true) => "▲▼",
            (false, _) => "▼",
            (true, false) => "▲",
        };
        bottom = format!(" {arrows} {} ·{bottom}", app.tr(strings::HELP_SCROLL));
    }
    let block = Block::bordered()
        .border_style(theme::border_focused())
        .title(Span::styled(
            format!(" {} ", app.tr(strings::HELP_TITLE)),
            theme::title(),
        ))
        .title_bottom(Line::from(bottom).right_aligned());
    let inner = block.inner(l.area);
    // Clear one more column on each side: a wide (Korean) character under the overlay's edge
    // would otherwise be cut in half.
    let margin = Rect {
        x: l.area.x.saturating_sub(1),
        width: (l.area.width + 2).min(screen.width.saturating_sub(l.area.x.saturating_sub(1))),
        ..l.area
    };
    frame.render_widget(Clear, margin);
    frame.render_widget(block, l.area);
    for (c, lines) in l.columns.into_iter().enumerate() {
        let shown: Vec<Line> = lines.into_iter().skip(top).take(inner.height as usize).collect();
        let rect = Rect::new(inner.x + l.col_w * c as u16, inner.y, l.col_w, inner.height);
        frame.render_widget(Paragraph::new(shown), rect);
    }
}
