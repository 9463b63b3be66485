//! The resources pane: `kubectl get svc` (or pods, deploy, ep — F4 switches) in the default
//! namespace, live; its last tab is the traffic view ([`super::traffic`]). The event loop refreshes the tables when the store changes; a cell that
//! changed is highlighted for a couple of seconds, so the learner *sees* EXTERNAL-IP go from
//! `<pending>` to an address.
//!
//! The pane is narrower than a terminal, so columns are fitted: AGE is never shown (without a
//! clock tick it would be stale), then less important columns are dropped in a per-table order,
//! then the last column is cut with `…`.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::kubectl::table::Table;
use crate::ui::app::{row_key, App, LiveTable, ResourceTab, VOLATILE_COLUMNS};
use crate::ui::wrap::truncate;
use crate::ui::{strings, theme};

/// Columns given up first when a table does not fit, per tab.
fn drop_order(tab: ResourceTab) -> &'static [&'static str] {
    match tab {
        ResourceTab::Services => &["CLUSTER-IP", "PORT(S)"],
        ResourceTab::Pods => &["RESTARTS", "READY"],
        ResourceTab::Deployments => &["UP-TO-DATE", "AVAILABLE"],
        ResourceTab::Endpoints => &[],
    }
}

/// The columns to show and the width of each, for a pane `width` cells wide, and the gap.
pub fn fit_columns(table: &Table, tab: ResourceTab, width: usize) -> (Vec<(usize, usize)>, usize) {
    let widths = table.widths(true);
    let mut cols: Vec<usize> = (0..table.headers.len())
        .filter(|&i| !VOLATILE_COLUMNS.contains(&table.headers[i].as_str()))
        .collect();
    let total = |cols: &[usize], gap: usize| -> usize {
        cols.iter().map(|&i| widths[i]).sum::<usize>() + gap * cols.len().saturating_sub(1)
    };
    let mut gap = 3;
    if total(&cols, gap) > width {
        gap = 2;
    }
    for name in drop_order(tab) {
        if total(&cols, gap) <= width {
            break;
        }
        cols.retain(|&i| table.headers[i] != *name);
    }
    let mut out: Vec<(usize, usize)> = cols.iter().map(|&i| (i, widths[i])).collect();
    // Cut the last column to what is left.
    while total(&cols, gap) > width && !out.is_empty() {
        let used: usize = out[..out.len() - 1].iter().map(|(_, w)| w + gap).sum();
        let left = width.saturating_sub(used);
        if left >= 4 || out.len() == 1 {
            if let Some(last) = out.last_mut() {
                last.1 = left.min(last.1);
            }
            break;
        }
        out.pop();
        cols.pop();
    }
    (out, gap)
}

fn table_lines(live: &LiveTable, tab: ResourceTab, width: usize, height: usize, app: &App) -> Vec<Line<'static>> {
    let table = &live.table;
    if table.rows.is_empty() {
        return vec![Line::styled(app.tr(strings::EMPTY_TABLE), theme::dim())];
    }
    let (cols, gap) = fit_columns(table, tab, width);
    let row_line = |cells: &[String], key: Option<&str>, header: bool| -> Line<'static> {
        let mut spans = Vec::new();
        for (n, &(i, w)) in cols.iter().enumerate() {
            let cell = truncate(cells.get(i).map(String::as_str).unwrap_or(""), w);
            let style = if header {
                theme::table_header()
            } else if key.is_some_and(|k| live.is_highlighted(k, &table.headers[i])) {
                theme::changed_cell()
            } else {
                theme::text()
            };
            let pad = if n + 1 < cols.len() { w - cell.width() + gap } else { 0 };
            spans.push(Span::styled(cell, style));
            if pad > 0 {
                spans.push(Span::raw(" ".repeat(pad)));
            }
        }
        Line::from(spans)
    };
    let mut lines = vec![row_line(&table.headers, None, true)];
    let room = height.saturating_sub(1);
    let overflow = table.rows.len() > room;
    let shown = if overflow { room.saturating_sub(1) } else { room };
    for row in table.rows.iter().take(shown) {
        let key = row_key(&table.headers, row);
        lines.push(row_line(row, Some(&key), false));
    }
    if overflow {
        lines.push(Line::styled(format!("… +{}", table.rows.len() - shown), theme::dim()));
    }
    lines
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let block = Block::bordered().border_style(theme::border()).title(Span::styled(
        format!(" {} (default) ", app.tr(strings::RESOURCES)),
        theme::title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let tab_line = |label: fn(ResourceTab) -> &'static str, sep: &'static str| -> Line<'static> {
        let mut tabs = Vec::new();
        let labels = ResourceTab::ALL
            .iter()
            .map(|t| label(*t))
            .chain([app.tr(strings::TRAFFIC)]);
        for (i, text) in labels.enumerate() {
            if i > 0 {
                tabs.push(Span::styled(sep, theme::dim()));
            }
            let style = if i == app.tab {
                theme::tab_active()
            } else {
                theme::text()
            };
            tabs.push(Span::styled(format!(" {text} "), style));
        }
        Line::from(tabs)
    };
    let mut tabs = tab_line(ResourceTab::command, " │ ");
    if tabs.width() > inner.width as usize {
        tabs = tab_line(ResourceTab::short, " │ ");
    }
    if tabs.width() > inner.width as usize {
        tabs = tab_line(ResourceTab::short, "│");
    }
    frame.render_widget(Paragraph::new(tabs), Rect { height: 1, ..inner });
    let body = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    if app.traffic_shown() {
        super::traffic::render(frame, body, app);
        return;
    }
    let tab = ResourceTab::ALL[app.tab];
    let lines = table_lines(
        &app.tables[app.tab],
        tab,
        body.width as usize,
        body.height as usize,
        app,
    );
    frame.render_widget(Paragraph::new(lines), body);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &Table, cols: &[(usize, usize)]) -> Vec<String> {
        cols.iter().map(|(i, _)| t.headers[*i].clone()).collect()
    }

    #[test]
    fn wide_pane_shows_all_but_age_with_kubectl_spacing() {
        let t = crate::ui::tests::two_service_table("<pending>");
        let (cols, gap) = fit_columns(&t, ResourceTab::Services, 100);
        assert_eq!(
            names(&t, &cols),
            ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)"]
        );
        assert_eq!(gap, 3);
    }

    #[test]
    fn narrow_pane_keeps_external_ip() {
        let t = crate::ui::tests::two_service_table("<pending>");
        let (cols, gap) = fit_columns(&t, ResourceTab::Services, 44);
        assert_eq!(names(&t, &cols), ["NAME", "TYPE", "EXTERNAL-IP"]);
        assert_eq!(gap, 2);
        let (cols, _) = fit_columns(&t, ResourceTab::Services, 30);
        assert_eq!(names(&t, &cols), ["NAME", "TYPE", "EXTERNAL-IP"]);
        let used: usize = cols.iter().map(|(_, w)| w).sum::<usize>() + 2 * (cols.len() - 1);
        assert!(used <= 30, "{cols:?}");
    }
}
