//! The terminal pane: command output (stderr in red, the commands echoed after their prompt)
//! and, on its last row, the input line, which has the keyboard from the first frame. Output
//! follows new text unless the learner scrolled up (PgUp); the title says so, and says when a
//! command is running and how to cancel it.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::{App, LineKind, CONTINUATION, PROMPT};
use crate::ui::draw::Areas;
use crate::ui::wrap::{char_width, sanitize, wrap_tokens};
use crate::ui::{strings, theme};

/// Where an echoed command's prompt ends: `$ `, `> ` or `~/lesson5$ ` (the first `$ ` within
/// a prompt's length), or a pod's `# `.
fn prompt_len(row: &str) -> Option<usize> {
    if row.starts_with(PROMPT) || row.starts_with(CONTINUATION) {
        return Some(PROMPT.len());
    }
    let head = &row[..row.char_indices().nth(40).map_or(row.len(), |(b, _)| b)];
    ["$ ", "# "]
        .iter()
        .filter_map(|p| head.find(p).map(|i| i + p.len()))
        .min()
}

/// One scrollback line as screen rows.
fn line_rows(kind: LineKind, text: &str, width: usize) -> Vec<Line<'static>> {
    let rows = wrap_tokens(&sanitize(text), width);
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| match kind {
            LineKind::Out => Line::raw(row),
            LineKind::Err => Line::styled(row, theme::stderr()),
            LineKind::Notice => Line::styled(row, theme::notice()),
            LineKind::Echo if i == 0 && prompt_len(&row).is_some() => {
                let (p, rest) = row.split_at(prompt_len(&row).unwrap_or(0));
                Line::from(vec![
                    Span::styled(p.to_string(), theme::prompt()),
                    Span::styled(rest.to_string(), theme::echo()),
                ])
            }
            LineKind::Echo => Line::styled(row, theme::echo()),
        })
        .collect()
}

/// Every scrollback row at `width` (used to bound scrolling).
pub fn rows(app: &App, width: usize) -> Vec<Line<'static>> {
    app.scrollback
        .lines
        .iter()
        .flat_map(|(k, t)| line_rows(*k, t, width))
        .collect()
}

/// The last `n` rows, wrapping only as many lines as needed.
fn last_rows(app: &App, width: usize, n: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    for (k, t) in app.scrollback.lines.iter().rev() {
        let mut rows = line_rows(*k, t, width);
        rows.extend(out);
        out = rows;
        if out.len() >= n {
            break;
        }
    }
    let skip = out.len().saturating_sub(n);
    out.split_off(skip)
}

pub fn render(frame: &mut Frame, areas: &Areas, app: &App) {
    let mut title = vec![Span::styled(format!(" {} ", app.tr(strings::TERMINAL)), theme::title())];
    if app.running {
        title.push(Span::styled(format!(" {} ", app.tr(strings::RUNNING)), theme::notice()));
    }
    if !app.queue.is_empty() {
        title.push(Span::styled(
            format!(" {} {} ", app.tr(strings::QUEUED), app.queue.len()),
            theme::dim(),
        ));
    }
    if app.scroll > 0 {
        title.push(Span::styled(
            format!(" {} ", app.tr(strings::SCROLLED)),
            theme::notice(),
        ));
    }
    let border = if app.editing() {
        theme::border()
    } else {
        theme::border_focused()
    };
    let block = Block::bordered().border_style(border).title(Line::from(title));
    frame.render_widget(block, areas.terminal);

    let out = areas.output;
    let (w, h) = (out.width as usize, out.height as usize);
    let mut rows = last_rows(app, w, h + app.scroll);
    rows.truncate(rows.len().saturating_sub(app.scroll));
    let start = rows.len().saturating_sub(h);
    frame.render_widget(Paragraph::new(rows.split_off(start)), out);

    // The input line, scrolled sideways so the cursor stays visible.
    let prompt = if app.pending.is_empty() {
        app.prompt.as_str()
    } else {
        CONTINUATION
    };
    let area = areas.input;
    let avail = (area.width as usize).saturating_sub(prompt.width() + 1).max(1);
    let chars: Vec<char> = app.input.text().chars().collect();
    let mut start = 0;
    let width_of = |a: usize, b: usize| chars[a..b].iter().map(|c| char_width(*c)).sum::<usize>();
    while width_of(start, app.input.cursor()) > avail {
        start += 1;
    }
    let shown: String = chars[start..].iter().collect();
    let line = Line::from(vec![Span::styled(prompt, theme::prompt()), Span::raw(shown)]);
    frame.render_widget(Paragraph::new(line), area);
    let x = area.x as usize + prompt.width() + width_of(start, app.input.cursor());
    if !app.help && !app.editing() {
        frame.set_cursor_position((x.min((area.x + area.width).saturating_sub(1) as usize) as u16, area.y));
    }
}
