//! The resources pane: `kubectl get svc` (or pods, deploy, ep — F4 switches) in the default
//! namespace, live; its last tab is the traffic view ([`super::traffic`]). The event loop refreshes the tables when the store changes; a cell that
//! changed is highlighted for a couple of seconds, so the learner *sees* EXTERNAL-IP go from
//! `<pending>` to an address.
//!
//! The pane is narrower than a terminal, so columns are fitted: AGE is never shown (without a
//! clock tick it would be stale), then whole columns are dropped, least important first, as
//! k9s does — but the columns the current step talks about (PORT(S) in a NodePort step) stay
//! longest. A value is never cut mid-token; a dim line names the columns left out.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::kubectl::table::Table;
use crate::ui::app::{row_key, App, LiveTable, ResourceTab, VOLATILE_COLUMNS};
use crate::ui::wrap::truncate;
use crate::ui::{strings, theme};

/// The columns of each table, most important first: when a table does not fit, columns go
/// from the end of this list (and columns not in it before those in it), as k9s does. The
/// first is never dropped.
fn importance(tab: ResourceTab) -> &'static [&'static str] {
    match tab {
        ResourceTab::Services => &["NAME", "EXTERNAL-IP", "PORT(S)", "CLUSTER-IP", "TYPE"],
        ResourceTab::Pods => &["NAME", "STATUS", "READY", "RESTARTS", "IP", "NODE"],
        ResourceTab::Deployments => &["NAME", "READY", "AVAILABLE", "UP-TO-DATE"],
        ResourceTab::Endpoints => &["NAME", "ENDPOINTS"],
    }
}

/// Words in a step's text that say it is about a column (beyond the header itself).
fn mentions(header: &str) -> &'static [&'static str] {
    match header {
        "PORT(S)" => &["nodeport", "port", "포트"],
        "EXTERNAL-IP" => &["loadbalancer", "<pending>", "external"],
        "CLUSTER-IP" => &["clusterip", "cluster ip", "cluster-ip", "클러스터 ip"],
        "TYPE" => &["type:", "타입"],
        "ENDPOINTS" => &["endpoint", "엔드포인트"],
        "RESTARTS" => &["restart", "재시작"],
        _ => &[],
    }
}

/// True when the step text (`focus`, any case) talks about `header`'s column.
fn is_focus(header: &str, focus: &str) -> bool {
    let focus = focus.to_lowercase();
    focus.contains(&header.to_lowercase()) || mentions(header).iter().any(|w| focus.contains(w))
}

/// The columns to show and the width of each, for a pane `width` cells wide, and the gap.
/// `focus` is the current step's text: columns it talks about are kept longest. A column is
/// shown whole or not at all (a value is never cut mid-token), except the first when it alone
/// is wider than the pane.
pub fn fit_columns(table: &Table, tab: ResourceTab, width: usize, focus: &str) -> (Vec<(usize, usize)>, usize) {
    let widths = table.widths(true);
    let mut cols: Vec<usize> = (0..table.headers.len())
        .filter(|&i| !VOLATILE_COLUMNS.contains(&table.headers[i].as_str()))
        .collect();
    let total = |cols: &[usize], gap: usize| -> usize {
        cols.iter().map(|&i| widths[i]).sum::<usize>() + gap * cols.len().saturating_sub(1)
    };
    let gap = if total(&cols, 3) <= width { 3 } else { 2 };
    // Rank: the step's columns first, then the table's own order of importance, then the rest.
    let order = importance(tab);
    let rank = |i: usize| -> (bool, usize, usize) {
        let h = table.headers[i].as_str();
        let base = order.iter().position(|x| *x == h).unwrap_or(order.len());
        (base != 0 && !is_focus(h, focus), base, i)
    };
    while cols.len() > 1 && total(&cols, gap) > width {
        let keep_first = cols[0];
        let drop = cols
            .iter()
            .copied()
            .filter(|&i| i != keep_first)
            .max_by_key(|&i| rank(i))
            .expect("more than one column");
        cols.retain(|&i| i != drop);
    }
    let mut out: Vec<(usize, usize)> = cols.iter().map(|&i| (i, widths[i])).collect();
    // A dropped list column (ENDPOINTS: `a:80,b:80,c:80`) comes back shortened at its commas
    // (`a:80,b:80 +1`), as kubectl's own `+ 1 more...`, when its first items fit.
    let left = width.saturating_sub(total(&cols, gap) + gap);
    let list = (0..table.headers.len())
        .filter(|i| !cols.contains(i) && !VOLATILE_COLUMNS.contains(&table.headers[*i].as_str()))
        .filter(|&i| table.rows.iter().any(|r| r.get(i).is_some_and(|v| v.contains(','))))
        .min_by_key(|&i| rank(i));
    if let Some(i) = list {
        let fits = table.rows.iter().all(|r| {
            r.get(i)
                .is_none_or(|v| fit_cell(v, left).width() <= left && !fit_cell(v, left).is_empty())
        });
        if fits && left >= table.headers[i].width() {
            let at = out.iter().position(|&(c, _)| c > i).unwrap_or(out.len());
            out.insert(at, (i, left.min(widths[i])));
        }
    }
    if let [only] = out.as_mut_slice() {
        only.1 = only.1.min(width);
    }
    (out, gap)
}

/// A cell in `w` cells: whole if it fits; a comma list cut after its last whole item, with
/// how many more (`10.244.1.3:80 +2`); anything else (only a lone first column wider than
/// the pane) cut with `…`.
pub fn fit_cell(value: &str, w: usize) -> String {
    if value.width() <= w {
        return value.to_string();
    }
    if value.contains(',') {
        let items: Vec<&str> = value.split(',').collect();
        for keep in (1..items.len()).rev() {
            let text = format!("{} +{}", items[..keep].join(","), items.len() - keep);
            if text.width() <= w {
                return text;
            }
        }
        return String::new();
    }
    truncate(value, w)
}

/// The columns of `table` not shown at `width` (for the note under the table).
fn hidden(table: &Table, cols: &[(usize, usize)]) -> Vec<String> {
    (0..table.headers.len())
        .filter(|i| !VOLATILE_COLUMNS.contains(&table.headers[*i].as_str()))
        .filter(|i| !cols.iter().any(|(c, _)| c == i))
        .map(|i| table.headers[i].clone())
        .collect()
}

fn table_lines(live: &LiveTable, tab: ResourceTab, width: usize, height: usize, app: &App) -> Vec<Line<'static>> {
    let table = &live.table;
    if table.rows.is_empty() {
        return vec![Line::styled(app.tr(strings::EMPTY_TABLE), theme::dim())];
    }
    let focus = app.current_step().map(|s| s.markdown.as_str()).unwrap_or("");
    let (cols, gap) = fit_columns(table, tab, width, focus);
    let hidden = hidden(table, &cols);
    let row_line = |cells: &[String], key: Option<&str>, header: bool| -> Line<'static> {
        let mut spans = Vec::new();
        for (n, &(i, w)) in cols.iter().enumerate() {
            let cell = fit_cell(cells.get(i).map(String::as_str).unwrap_or(""), w);
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
    // Say which columns the pane had no room for, when there is a row for it.
    let note = (!hidden.is_empty() && height > table.rows.len() + 1).then(|| {
        let cols = [("cols", hidden.join(", "))];
        let long = strings::fill(app.tr(strings::HIDDEN_COLUMNS), &cols);
        let short = strings::fill(app.tr(strings::HIDDEN_COLUMNS_SHORT), &cols);
        let text = if long.width() <= width { long } else { short };
        Line::styled(truncate(&text, width), theme::dim())
    });
    let room = height.saturating_sub(1 + usize::from(note.is_some()));
    let overflow = table.rows.len() > room;
    let shown = if overflow { room.saturating_sub(1) } else { room };
    for row in table.rows.iter().take(shown) {
        let key = row_key(&table.headers, row);
        lines.push(row_line(row, Some(&key), false));
    }
    if overflow {
        lines.push(Line::styled(format!("… +{}", table.rows.len() - shown), theme::dim()));
    }
    lines.extend(note);
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
        let (cols, gap) = fit_columns(&t, ResourceTab::Services, 100, "");
        assert_eq!(
            names(&t, &cols),
            ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)"]
        );
        assert_eq!(gap, 3);
    }

    #[test]
    fn narrow_pane_drops_whole_columns_least_important_first() {
        let t = crate::ui::tests::two_service_table("<pending>");
        // 44 cells: the Services pane at 80×24.
        let (cols, gap) = fit_columns(&t, ResourceTab::Services, 44, "");
        assert_eq!(names(&t, &cols), ["NAME", "EXTERNAL-IP", "PORT(S)"]);
        assert_eq!(gap, 2);
        for &(i, w) in &cols {
            assert_eq!(w, t.widths(true)[i], "{} is whole", t.headers[i]);
        }
        let (cols, _) = fit_columns(&t, ResourceTab::Services, 30, "");
        assert_eq!(names(&t, &cols), ["NAME", "EXTERNAL-IP"]);
        let used: usize = cols.iter().map(|(_, w)| w).sum::<usize>() + 2 * (cols.len() - 1);
        assert!(used <= 30, "{cols:?}");
    }

    #[test]
    fn the_columns_the_step_is_about_stay() {
        let t = crate::ui::tests::two_service_table("<pending>");
        let step = "Every Service gets a **CLUSTER-IP**, reachable only inside the cluster.";
        let (cols, _) = fit_columns(&t, ResourceTab::Services, 44, step);
        assert_eq!(names(&t, &cols), ["NAME", "CLUSTER-IP", "EXTERNAL-IP"]);
        let step = "A NodePort Service opens the same port on every node.";
        let (cols, _) = fit_columns(&t, ResourceTab::Services, 30, step);
        assert_eq!(names(&t, &cols), ["NAME", "PORT(S)"]);
    }

    #[test]
    fn endpoint_lists_shorten_at_commas() {
        assert_eq!(
            fit_cell("10.244.1.3:80,10.244.2.4:80,10.244.3.5:80", 30),
            "10.244.1.3:80,10.244.2.4:80 +1"
        );
        assert_eq!(
            fit_cell("10.244.1.3:80,10.244.2.4:80,10.244.3.5:80", 20),
            "10.244.1.3:80 +2"
        );
        assert_eq!(fit_cell("10.244.1.3:80", 20), "10.244.1.3:80");
        let mut t = Table::new(&["NAME", "ENDPOINTS", "AGE"]);
        t.push(vec![
            "hello".into(),
            "10.244.1.3:80,10.244.2.4:80,10.244.3.5:80".into(),
            "1m".into(),
        ]);
        let (cols, _) = fit_columns(&t, ResourceTab::Endpoints, 30, "");
        assert_eq!(names(&t, &cols), ["NAME", "ENDPOINTS"]);
        assert_eq!(cols[1].1, 23);
    }
}
