//! The lesson pane: the lesson's steps (✓ when done, ↷ when skipped, the current one reversed),
//! then the current step's text rendered from markdown, its check status, the hints revealed so
//! far (markdown too) and, on request, the solution, byte for byte. The step list stays put;
//! the text below it scrolls (Alt+↑/↓). When the lesson has ended, the summary takes the text's
//! place: what was done and skipped, the time, the next lesson.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use crate::ui::app::App;
use crate::ui::wrap::{sanitize, truncate, wrap_chars, wrap_words};
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

/// The lesson's ending, in markdown: steps done and skipped, the time it took, the way on.
pub fn summary_markdown(app: &App) -> String {
    let view = &app.lesson;
    let total = view.steps.len();
    let done = view.steps.iter().filter(|s| s.done).count();
    let skipped: Vec<(usize, &str)> = view
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.skipped && !s.done)
        .map(|(i, s)| (i + 1, s.title.as_str()))
        .collect();
    let open = total - done - skipped.len();
    let n = |v: usize| v.to_string();
    let mut md = format!("## {}\n\n", app.tr(strings::SUMMARY_TITLE));
    let mut para = |text: String| {
        md.push_str(&text);
        md.push_str("\n\n");
    };
    para(strings::fill(
        app.tr(strings::SUMMARY_DONE),
        &[("n", n(done)), ("total", n(total))],
    ));
    if !skipped.is_empty() {
        let titles: Vec<String> = skipped.iter().map(|(i, t)| format!("{i}\\. {t}")).collect();
        para(format!(
            "{} ({})",
            strings::fill(app.tr(strings::SUMMARY_SKIPPED), &[("n", n(skipped.len()))]),
            titles.join(", ")
        ));
    }
    if open > 0 {
        para(strings::fill(app.tr(strings::SUMMARY_OPEN), &[("n", n(open))]));
    }
    if let Some(secs) = view.elapsed_secs {
        let t = strings::duration(secs, app.lang);
        para(strings::fill(app.tr(strings::SUMMARY_TIME), &[("t", t)]));
    }
    md.push('\n');
    match &view.next_lesson {
        Some(next) => md.push_str(&strings::fill(app.tr(strings::SUMMARY_NEXT), &[("next", next.clone())])),
        None => md.push_str(app.tr(strings::SUMMARY_LAST)),
    }
    md.push_str("\n\n");
    md.push_str(app.tr(strings::SUMMARY_BACK));
    md.push('\n');
    md
}

/// What the step-done line says: the way on, which from the last step is the lesson's end.
pub fn step_done_text(app: &App) -> &'static str {
    if app.lesson.current + 1 >= app.lesson.steps.len() {
        app.tr(strings::STEP_DONE_LAST)
    } else {
        app.tr(strings::STEP_DONE)
    }
}

/// The step text and everything under it, wrapped to `width`.
pub fn body_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    if app.lesson.ended {
        return markdown::render(&summary_markdown(app), width);
    }
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
        let text = format!("✓ {}", step_done_text(app));
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
        lines.extend(markdown::render_labelled((label, theme::hint()), hint, width));
    }
    if app.show_solution {
        lines.push(Line::raw(""));
        let title = format!("{} ({}):", app.tr(strings::SOLUTION), app.tr(strings::SOLUTION_KEY));
        lines.extend(wrap_words(&[(title, theme::hint())], width, vec![], vec![]));
        for cmd in &step.solution {
            lines.extend(solution_lines(cmd, width));
        }
    }
    lines
}

/// One solution command as it must be typed: every line (a heredoc's manifest too) with its
/// leading whitespace, broken between characters only where a line is wider than the pane.
/// The first line follows a `$ ` prompt, the others sit under it, two cells in.
fn solution_lines(cmd: &str, width: usize) -> Vec<Line<'static>> {
    let avail = width.saturating_sub(4).max(1);
    let mut out = Vec::new();
    for (n, line) in cmd.strip_suffix('\n').unwrap_or(cmd).split('\n').enumerate() {
        for (k, row) in wrap_chars(&sanitize(line), avail).into_iter().enumerate() {
            let lead = if n == 0 && k == 0 { "  $ " } else { "    " };
            out.push(Line::from(vec![
                Span::styled(lead, theme::dim()),
                Span::styled(row, theme::code()),
            ]));
        }
    }
    out
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
    // A title longer than the border ends in `…`, never in a cut word.
    let room = (area.width as usize).saturating_sub(4);
    let title = crate::ui::wrap::truncate(&title, room);
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
            } else if s.skipped {
                Span::styled(strings::SKIPPED_MARK, theme::notice())
            } else {
                Span::raw("  ")
            };
            let text = truncate(&format!("{}. {}", i + 1, s.title), width.saturating_sub(2));
            let style = if i == app.lesson.current && !app.lesson.ended {
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
