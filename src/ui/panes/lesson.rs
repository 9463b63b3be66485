//! The lesson pane: the lesson's steps (✓ when done, the current one reversed), then the current
//! step's text rendered from markdown, its check status, the hints revealed so far and, on
//! request, the solution. The step list stays put; the text below it scrolls (Alt+↑/↓).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::ui::app::App;
use crate::ui::wrap::{truncate, wrap_words};
use crate::ui::{draw, markdown, strings, theme};

/// The parts of the pane: step list, a rule, the step text.
struct Areas {
    steps: Rect,
    rule: Rect,
    body: Rect,
}

fn areas(area: Rect, app: &App) -> Areas {
    let inner = Block::bordered().inner(area);
    let n = app.lesson.steps.len() as u16;
    let steps_h = n.min((inner.height / 3).max(3)).min(inner.height);
    let [steps, rule, body] =
        Layout::vertical([Constraint::Length(steps_h), Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    Areas { steps, rule, body }
}

/// The step text and everything under it, wrapped to `width`.
pub fn body_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let Some(step) = app.current_step() else {
        return vec![Line::raw(app.tr(strings::NO_LESSON_STEPS))];
    };
    let mut lines = Vec::new();
    let header = format!("{}/{}. {}", app.lesson.current + 1, app.lesson.steps.len(), step.title);
    lines.extend(wrap_words(&[(header, theme::title())], width, vec![], vec![]));
    lines.push(Line::raw(""));
    lines.extend(markdown::render(&step.markdown, width));
    if step.done {
        lines.push(Line::raw(""));
        let text = format!("✓ {}", app.tr(strings::STEP_DONE));
        lines.extend(wrap_words(
            &[(text, theme::done())],
            width,
            vec![],
            vec![Span::raw("  ")],
        ));
    } else if let Some(status) = &step.check_status {
        lines.push(Line::raw(""));
        let label = format!("{}: ", app.tr(strings::CHECK));
        let segs = [(label, theme::strong()), (status.clone(), theme::failing())];
        lines.extend(wrap_words(&segs, width, vec![], vec![Span::raw("  ")]));
    }
    for (i, hint) in step.hints.iter().take(app.hints_shown).enumerate() {
        lines.push(Line::raw(""));
        let label = format!("{} {}: ", app.tr(strings::HINT), i + 1);
        let segs = [(label, theme::hint()), (hint.clone(), theme::text())];
        lines.extend(wrap_words(&segs, width, vec![], vec![Span::raw("  ")]));
    }
    if app.show_solution {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!("{}:", app.tr(strings::SOLUTION)), theme::hint()));
        for cmd in &step.solution {
            let segs = [(format!("$ {cmd}"), theme::code())];
            lines.extend(wrap_words(&segs, width, vec![Span::raw("  ")], vec![Span::raw("    ")]));
        }
    }
    lines
}

/// How far the step text can scroll on the current screen.
pub fn max_scroll(app: &App) -> usize {
    let body = areas(draw::layout(app.size).lesson, app).body;
    body_lines(app, body.width as usize)
        .len()
        .saturating_sub(body.height as usize)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let a = areas(area, app);
    let lines = body_lines(app, a.body.width as usize);
    let max = lines.len().saturating_sub(a.body.height as usize);
    let top = app.lesson_scroll.min(max);

    let title = if app.lesson.title.is_empty() {
        app.tr(strings::LESSON).to_string()
    } else {
        app.lesson.title.clone()
    };
    let mut block = Block::bordered()
        .border_style(theme::border())
        .title(Span::styled(format!(" {title} "), theme::title()));
    // Say that the text goes on, and which key scrolls it.
    let more = match (top > 0, top < max) {
        (true, true) => Some("▲▼ Alt+↑/↓"),
        (false, true) => Some("▼ Alt+↓"),
        (true, false) => Some("▲ Alt+↑"),
        (false, false) => None,
    };
    if let Some(more) = more {
        block = block.title_bottom(Line::styled(format!(" {more} "), theme::notice()).right_aligned());
    }
    frame.render_widget(block, area);

    // Step list, windowed around the current step when it does not fit.
    let n = app.lesson.steps.len();
    let h = a.steps.height as usize;
    let first = if n <= h {
        0
    } else {
        app.lesson.current.saturating_sub(h / 2).min(n - h)
    };
    let width = a.steps.width as usize;
    let rows: Vec<Line> = app
        .lesson
        .steps
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, s)| {
            let mark = if s.done {
                Span::styled("✓ ", theme::done())
            } else {
                Span::raw("  ")
            };
            let text = truncate(&format!("{}. {}", i + 1, s.title), width.saturating_sub(2));
            let style = if i == app.lesson.current {
                theme::current_step()
            } else {
                theme::text()
            };
            Line::from(vec![mark, Span::styled(text, style)])
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), a.steps);
    frame.render_widget(
        Paragraph::new(Line::styled("─".repeat(a.rule.width as usize), theme::dim())),
        a.rule,
    );

    let visible: Vec<Line> = lines.into_iter().skip(top).take(a.body.height as usize).collect();
    frame.render_widget(Paragraph::new(visible), a.body);
}
