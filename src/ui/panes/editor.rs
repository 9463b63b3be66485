//! The YAML editor pane: line numbers, highlighted YAML, a `✗` on the line the validation error
//! is about, and the error (or "no errors") under the text. It takes the lesson's place while it
//! has the keyboard, widened to half the screen so manifests fit even at the minimum size.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::ui::app::App;
use crate::ui::editor::{visible_top, Editor};
use crate::ui::wrap::{char_width, wrap_chars};
use crate::ui::{highlight, strings, theme, Lang};

/// Rows of the message under the text, at most.
const MESSAGE_ROWS: usize = 3;

/// The message under the text: the error with its line, a save/apply failure, or "no errors".
fn message(ed: &Editor, lang: Lang) -> (String, bool) {
    if let Some(f) = &ed.failure {
        return (f.replace('\n', " "), true);
    }
    match &ed.problem {
        Some(p) => {
            let at = p
                .line
                .map(|l| strings::fill(strings::EDITOR_LINE.get(lang), &[("n", (l + 1).to_string())]))
                .unwrap_or_default();
            (format!("✗ {at}{}", short(&p.message).replace('\n', " ")), true)
        }
        None => (strings::EDITOR_OK.get(lang).to_string(), false),
    }
}

/// The part of kubectl's message that says what is wrong: `unknown field "spec.ports[0].prot"`
/// rather than the `Service in version "v1" cannot be handled as a Service: strict decoding
/// error:` before it, which would push it out of a narrow pane.
fn short(message: &str) -> &str {
    for cut in ["strict decoding error: ", "cannot be handled as a "] {
        if let Some(i) = message.find(cut) {
            let rest = &message[i + cut.len()..];
            return match cut {
                "cannot be handled as a " => rest.split_once(": ").map_or(rest, |(_, r)| r),
                _ => rest,
            };
        }
    }
    message
}

/// The pane's inner parts: the text rows and the message rows.
pub fn parts(area: Rect, ed: &Editor, lang: Lang) -> (Rect, Rect) {
    let inner = Block::bordered().inner(area);
    let (msg, _) = message(ed, lang);
    let rows = wrap_chars(&msg, inner.width.max(1) as usize)
        .len()
        .clamp(1, MESSAGE_ROWS);
    let rows = rows.min(inner.height.saturating_sub(1) as usize) as u16;
    let [text, msg] = Layout::vertical([Constraint::Min(1), Constraint::Length(rows)]).areas(inner);
    (text, msg)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let Some(ed) = &app.editor else {
        return;
    };
    let mut title = vec![Span::styled(
        format!(" {}: {} ", app.tr(strings::EDITOR), ed.name()),
        theme::title(),
    )];
    if ed.dirty() {
        title.push(Span::styled(format!("{} ", app.tr(strings::MODIFIED)), theme::notice()));
    }
    let border = if app.editing() {
        theme::border_focused()
    } else {
        theme::border()
    };
    frame.render_widget(Block::bordered().border_style(border).title(Line::from(title)), area);
    let (text_area, msg_area) = parts(area, ed, app.lang);

    let lines = ed.textarea.lines();
    let (row, col) = ed.cursor();
    let height = text_area.height as usize;
    let top = visible_top(ed.top, row, height);
    let digits = (top + height).min(lines.len()).max(1).to_string().len().max(2);
    let gutter = digits + 2; // marker, number, space
    let avail = (text_area.width as usize).saturating_sub(gutter).max(1);
    let cursor_x: usize = lines
        .get(row)
        .map(|l| l.chars().take(col).map(char_width).sum())
        .unwrap_or(0);
    let left = cursor_x.saturating_sub(avail - 1);
    let bad = ed
        .problem
        .as_ref()
        .and_then(|p| p.line)
        .filter(|_| ed.failure.is_none());

    let mut rows = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(top).take(height) {
        let mut spans = Vec::new();
        if bad == Some(i) {
            spans.push(Span::styled("✗", theme::error_marker()));
            spans.push(Span::styled(format!("{:>digits$} ", i + 1), theme::error_marker()));
        } else {
            let style = if i == row { theme::title() } else { theme::dim() };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(format!("{:>digits$} ", i + 1), style));
        }
        spans.extend(highlighted(line, left, avail));
        rows.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(rows), text_area);

    let (msg, is_error) = message(ed, app.lang);
    let style = if is_error { theme::error_marker() } else { theme::done() };
    let msg_lines: Vec<Line> = wrap_chars(&msg, msg_area.width.max(1) as usize)
        .into_iter()
        .take(msg_area.height as usize)
        .map(|l| Line::styled(l, style))
        .collect();
    frame.render_widget(Paragraph::new(msg_lines), msg_area);

    if app.editing() && !app.help && row >= top && row < top + height {
        let x = text_area.x as usize + gutter + cursor_x - left;
        frame.set_cursor_position((x as u16, text_area.y + (row - top) as u16));
    }
}

/// One line, highlighted, showing display columns `left..left + width`.
fn highlighted(line: &str, left: usize, width: usize) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut x = 0;
    for (range, token) in highlight::yaml_line(line) {
        let mut piece = String::new();
        for c in line[range].chars() {
            let w = char_width(c);
            if x >= left && x + w <= left + width {
                piece.push(if c == '\t' { ' ' } else { c });
            }
            x += w;
        }
        if !piece.is_empty() {
            spans.push(Span::styled(piece, theme::yaml(token)));
        }
    }
    spans
}
