//! The traffic view (a tab of the resources pane, F8): each request's path, drawn from
//! [`crate::ui::traffic::TrafficModel`], so the learner *sees* a Service spread requests over its
//! pods.
//!
//! ```text
//! from → Service → pod (requests)
//! host                ─▶ frontend:80 ──▶ frontend-7c9f-x2k9p  ████████   9
//! pod/frontend-7c9f-… ─▶ hello:80    ─┬▶ backend-5d8f-aaaaa   ██         3
//!                                     ├▶ backend-5d8f-bbbbb   ███        4
//!                                     └▶ backend-5d8f-ccccc   █          2
//! last requests
//! 12:00:03 200   1.2ms host → frontend:80 → frontend-7c9f-x2k9p  GET /
//! ```
//!
//! A count that just moved and a request that just arrived are highlighted like a changed table
//! cell, and fade the same way.

use std::time::Duration;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::ui::app::App;
use crate::ui::traffic::{Count, Flow, Request, TrafficModel};
use crate::ui::wrap::truncate;
use crate::ui::{strings, theme, Lang};

/// Cells of the widest per-pod bar.
const BAR: usize = 8;

/// `default/hello:80` → `hello:80` (other namespaces keep theirs).
pub fn service_label(svc: &str, lang: Lang) -> String {
    if svc.is_empty() {
        return strings::TRAFFIC_DIRECT.get(lang).to_string();
    }
    svc.strip_prefix("default/").unwrap_or(svc).to_string()
}

/// `850µs`, `1.2ms`, `35ms`, `1.3s`.
pub fn latency(d: Duration) -> String {
    let us = d.as_micros();
    if us < 1000 {
        format!("{us}µs")
    } else if us < 10_000 {
        format!("{:.1}ms", us as f64 / 1000.0)
    } else if us < 1_000_000 {
        format!("{}ms", us / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

fn pad(text: &str, width: usize) -> String {
    let t = truncate(text, width);
    let w = t.width();
    format!("{t}{}", " ".repeat(width.saturating_sub(w)))
}

fn count_style(c: &Count) -> Style {
    if c.flash.is_some() {
        theme::changed_cell()
    } else {
        theme::text()
    }
}

fn status_style(r: &Request) -> Style {
    match r.status {
        Some(s) if s < 400 => theme::done(),
        _ => theme::failing(),
    }
}

/// The rows of the "from → Service → pod" part.
fn flow_lines(model: &TrafficModel, width: usize, lang: Lang) -> Vec<Line<'static>> {
    let hops = model.hops();
    let sources = |f: &Flow| f.sources.keys().cloned().collect::<Vec<_>>().join(", ");
    let max = hops
        .iter()
        .flat_map(|(_, f)| f.pods.values().map(|c| c.n).chain([f.refused.n]))
        .max()
        .unwrap_or(1)
        .max(1);
    let refused = strings::TRAFFIC_REFUSED.get(lang);
    let mut sw = hops.iter().map(|(_, f)| sources(f).width()).max().unwrap_or(0);
    let vw = hops
        .iter()
        .map(|(s, _)| service_label(s, lang).width())
        .max()
        .unwrap_or(0)
        .min(24);
    let mut pw = hops
        .iter()
        .flat_map(|(_, f)| f.pods.keys().map(|p| p.width()))
        .chain([refused.width()])
        .max()
        .unwrap_or(0);
    let mut bar = BAR;
    // src ─▶ svc ─┬▶ pod bar count
    let fixed = |sw: usize, pw: usize, bar: usize| sw + 4 + vw + 4 + pw + 1 + bar + 5;
    if fixed(sw, pw, bar) > width {
        bar = 0;
    }
    if fixed(sw, pw, bar) > width {
        sw = sw.min(width / 4).max(4);
    }
    if fixed(sw, pw, bar) > width {
        pw = width.saturating_sub(fixed(sw, 0, bar)).max(6);
    }
    let mut lines = Vec::new();
    for (svc, flow) in hops {
        let mut rows: Vec<(String, &Count, Style)> =
            flow.pods.iter().map(|(p, c)| (p.clone(), c, theme::text())).collect();
        if flow.refused.n > 0 {
            rows.push((refused.to_string(), &flow.refused, theme::failing()));
        }
        let n = rows.len();
        for (i, (pod, count, style)) in rows.into_iter().enumerate() {
            let (src, arrow, name) = if i == 0 {
                (pad(&sources(flow), sw), " ─▶ ", pad(&service_label(svc, lang), vw))
            } else {
                (" ".repeat(sw), "    ", " ".repeat(vw))
            };
            let branch = match (i, n) {
                (0, 1) => " ──▶ ",
                (0, _) => " ─┬▶ ",
                (i, n) if i + 1 == n => "  └▶ ",
                _ => "  ├▶ ",
            };
            let filled = if bar == 0 {
                0
            } else {
                ((count.n as usize * bar).div_ceil(max as usize)).clamp(1, bar)
            };
            let mut spans = vec![
                Span::styled(src, theme::text()),
                Span::styled(arrow, theme::dim()),
                Span::styled(name, theme::strong()),
                Span::styled(branch, theme::dim()),
                Span::styled(pad(&pod, pw), style),
                Span::raw(" "),
            ];
            if bar > 0 {
                spans.push(Span::styled("█".repeat(filled), theme::code()));
                spans.push(Span::raw(" ".repeat(bar - filled)));
            }
            spans.push(Span::styled(format!("{:>5}", count.n), count_style(count)));
            lines.push(Line::from(spans));
        }
    }
    lines
}

fn request_line(r: &Request, width: usize, lang: Lang) -> Line<'static> {
    let status = match r.status {
        Some(s) => s.to_string(),
        None => "✗".to_string(),
    };
    let mut path = r.from.clone();
    if let Some(svc) = &r.service {
        path.push_str(" → ");
        path.push_str(&service_label(svc, lang));
    }
    match &r.pod {
        Some(p) => {
            path.push_str(" → ");
            path.push_str(p);
        }
        None if r.refused() => {
            path.push_str(" ✗ ");
            path.push_str(strings::TRAFFIC_REFUSED.get(lang));
        }
        None => {}
    }
    let what = if r.refused() {
        String::new()
    } else {
        format!("  {}", r.summary)
    };
    let took = if r.refused() {
        "-".to_string()
    } else {
        latency(r.latency)
    };
    let head = format!("{} {:>3} {:>7} ", r.time, status, took);
    let rest = truncate(&format!("{path}{what}"), width.saturating_sub(head.width()));
    if r.flash.is_some() {
        let text = format!("{head}{rest}");
        let fill = width.saturating_sub(text.width());
        return Line::from(vec![
            Span::styled(text, theme::changed_cell()),
            Span::styled(" ".repeat(fill), theme::changed_cell()),
        ]);
    }
    Line::from(vec![
        Span::styled(format!("{} ", r.time), theme::dim()),
        Span::styled(format!("{status:>3}"), status_style(r)),
        Span::raw(format!(" {took:>7} ")),
        Span::raw(rest),
    ])
}

/// All rows of the view for a `width` × `height` body.
pub fn lines(app: &App, width: usize, height: usize) -> Vec<Line<'static>> {
    let model = &app.traffic;
    let lang = app.lang;
    if model.recent.is_empty() && model.flows.is_empty() {
        return vec![
            Line::styled(app.tr(strings::TRAFFIC_EMPTY), theme::dim()),
            Line::styled(app.tr(strings::TRAFFIC_TRY), theme::dim()),
        ];
    }
    let mut flows = flow_lines(model, width, lang);
    let recent_room = height.saturating_sub(flows.len() + 2);
    // The paths come first, but a few recent requests always show.
    let keep_recent = model.recent.len().min(3);
    if recent_room < keep_recent {
        let room = height.saturating_sub(keep_recent + 2).max(1);
        if flows.len() > room {
            let cut = flows.len() - room + 1;
            flows.truncate(room - 1);
            flows.push(Line::styled(format!("… +{cut}"), theme::dim()));
        }
    }
    let mut out = vec![Line::styled(app.tr(strings::TRAFFIC_PATHS), theme::table_header())];
    out.extend(flows);
    let mut head = app.tr(strings::TRAFFIC_RECENT).to_string();
    if model.missed > 0 {
        head.push_str(&strings::fill(
            app.tr(strings::TRAFFIC_MISSED),
            &[("n", model.missed.to_string())],
        ));
    }
    out.push(Line::styled(head, theme::table_header()));
    let room = height.saturating_sub(out.len());
    out.extend(model.recent.iter().take(room).map(|r| request_line(r, width, lang)));
    out
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let lines = lines(app, area.width as usize, area.height as usize);
    let mut para = Paragraph::new(lines);
    if app.traffic.flows.is_empty() {
        // Only the two sentences of the empty view: let them wrap.
        para = para.wrap(ratatui::widgets::Wrap { trim: true });
    }
    frame.render_widget(para, area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_read_like_curl_timings() {
        assert_eq!(latency(Duration::from_micros(850)), "850µs");
        assert_eq!(latency(Duration::from_micros(1250)), "1.2ms");
        assert_eq!(latency(Duration::from_millis(35)), "35ms");
        assert_eq!(latency(Duration::from_millis(1300)), "1.3s");
    }

    #[test]
    fn services_in_default_drop_the_namespace() {
        assert_eq!(service_label("default/hello:80", Lang::En), "hello:80");
        assert_eq!(
            service_label("kube-system/kube-dns:53", Lang::En),
            "kube-system/kube-dns:53"
        );
        assert_eq!(service_label("", Lang::En), "(direct)");
    }
}
