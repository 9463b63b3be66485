//! Lesson markdown → wrapped terminal lines, via `pulldown-cmark`.
//!
//! Supported: headings, paragraphs, bullet and numbered lists (nested, with hanging indents),
//! fenced and indented code blocks, block quotes, rules, tables (box lines, columns fitted and
//! wrapped to the pane), inline code, emphasis, strong, links (their text). Wrapping is done
//! here by display width ([`super::wrap`]) so Korean text fills a row exactly and the pane knows
//! its height for scrolling. Code blocks are never reflowed: every line keeps its leading
//! whitespace (a manifest's indentation is its meaning), and a long line is broken between
//! characters. The step text numbers its code blocks (`Alt+1` …): that key puts the block on
//! the command line ([`code_blocks`] gives their text).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme;
use super::wrap::{sanitize, wrap_tokens, wrap_words};

/// How many code blocks get a key (Alt+1 … Alt+9).
pub const NUMBERED_BLOCKS: usize = 9;

fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
}

/// Render `markdown` into rows of at most `width` cells, its code blocks numbered.
pub fn render(markdown: &str, width: usize) -> Vec<Line<'static>> {
    render_with(markdown, width, None, true)
}

/// Render `markdown` after a `label` (`Hint 1: `) that starts its first row; the rows after
/// it hang by two cells. Code blocks are not numbered (only the step text's are).
pub fn render_labelled(label: (String, Style), markdown: &str, width: usize) -> Vec<Line<'static>> {
    render_with(markdown, width, Some(label), false)
}

fn render_with(markdown: &str, width: usize, label: Option<(String, Style)>, number: bool) -> Vec<Line<'static>> {
    let labelled = label.is_some();
    let mut r = Renderer {
        width: width.max(4),
        hang: if labelled { "  ".into() } else { String::new() },
        unindented_first: labelled,
        segs: label.into_iter().collect(),
        number_code: number,
        ..Renderer::default()
    };
    for event in parser(markdown) {
        r.event(event);
    }
    r.flush();
    r.lines
}

/// The text of each code block in `markdown`, byte for byte (without the final newline), in
/// order: what Alt+N puts on the command line.
pub fn code_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut cur: Option<String> = None;
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => cur = Some(String::new()),
            Event::Text(t) => {
                if let Some(c) = &mut cur {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(c) = cur.take() {
                    blocks.push(c.strip_suffix('\n').unwrap_or(&c).to_string());
                }
            }
            _ => {}
        }
    }
    blocks
}

/// A table being read: rows of cells, each cell styled inline text.
#[derive(Default)]
struct TableBuf {
    rows: Vec<Vec<Vec<(String, Style)>>>,
    /// How many rows are the header.
    head: usize,
}

#[derive(Default)]
struct Renderer {
    width: usize,
    lines: Vec<Line<'static>>,
    /// Inline text of the block being built.
    segs: Vec<(String, Style)>,
    /// Inline styles in effect (emphasis inside a link inside strong …).
    styles: Vec<Style>,
    /// The style of the block being built (heading).
    block_style: Style,
    /// Open lists: the next number for ordered lists, and the marker width of the current item.
    lists: Vec<(Option<u64>, usize)>,
    quote: usize,
    /// The marker of an item whose first row has not been written yet.
    item_marker: Option<String>,
    code: Option<String>,
    /// A blank row is owed before the next block.
    need_blank: bool,
    /// Extra indent of every row but the first (a labelled hint's hanging indent).
    hang: String,
    /// The first row starts at the left edge, not at `hang` (it starts with the label).
    unindented_first: bool,
    /// Number the code blocks (the step text) with the key that runs them.
    number_code: bool,
    code_count: usize,
    table: Option<TableBuf>,
}

impl Renderer {
    fn style(&self) -> Style {
        self.styles.iter().fold(self.block_style, |acc, s| acc.patch(*s))
    }

    fn indent(&self) -> String {
        let mut s = self.hang.clone();
        s.push_str(&"│ ".repeat(self.quote));
        s.push_str(&" ".repeat(self.lists.iter().map(|(_, w)| w).sum()));
        s
    }

    fn first_prefix(&mut self) -> Vec<Span<'static>> {
        if std::mem::take(&mut self.unindented_first) && self.item_marker.is_none() {
            return Vec::new();
        }
        match self.item_marker.take() {
            Some(marker) => {
                let mut s = "│ ".repeat(self.quote);
                let outer: usize = self.lists.iter().rev().skip(1).map(|(_, w)| w).sum();
                s.push_str(&" ".repeat(outer));
                vec![Span::raw(s), Span::styled(marker, theme::strong())]
            }
            None => vec![Span::raw(self.indent())],
        }
    }

    fn start_block(&mut self) {
        if self.need_blank && !self.lines.is_empty() && self.item_marker.is_none() {
            let indent = "│ ".repeat(self.quote);
            self.lines.push(Line::from(indent.trim_end().to_string()));
        }
        self.need_blank = false;
    }

    /// Write the pending inline text as a wrapped block.
    fn flush(&mut self) {
        if self.segs.is_empty() && self.item_marker.is_none() {
            return;
        }
        let segs = std::mem::take(&mut self.segs);
        let first = self.first_prefix();
        let rest = vec![Span::raw(self.indent())];
        self.lines.extend(wrap_words(&segs, self.width, first, rest));
    }

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code {
            code.push_str(text);
            return;
        }
        let style = self.style();
        self.segs.push((text.to_string(), style));
    }

    /// Draw a table with box lines, its columns fitted to the pane: a column keeps its widest
    /// cell while everything fits; otherwise the widest columns give up room first, and their
    /// cells wrap at spaces inside the column.
    fn draw_table(&mut self, t: TableBuf) {
        let indent = self.indent();
        let ncols = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        if ncols == 0 {
            return;
        }
        let cell_w = |c: &[(String, Style)]| c.iter().map(|(s, _)| s.width()).sum::<usize>();
        let mut widths = vec![1usize; ncols];
        for row in &t.rows {
            for (i, c) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell_w(c));
            }
        }
        // Each column costs its width + 2 padding + 1 rule; plus the closing rule.
        let avail = self.width.saturating_sub(indent.width() + 3 * ncols + 1).max(ncols);
        // A column's longest word: below it, a word would have to break.
        let mut words = vec![1usize; ncols];
        for row in &t.rows {
            for (i, c) in row.iter().enumerate() {
                let text: String = c.iter().map(|(s, _)| s.as_str()).collect();
                let longest = text.split_whitespace().map(UnicodeWidthStr::width).max();
                words[i] = words[i].max(longest.unwrap_or(1));
            }
        }
        if words.iter().sum::<usize>() > avail && t.head > 0 {
            // Too narrow for columns without breaking words: one record per row instead.
            self.draw_records(t);
            return;
        }
        // Give up room from the widest column that can still wrap at a space.
        while widths.iter().sum::<usize>() > avail {
            let pick = (0..ncols).filter(|&i| widths[i] > words[i]).max_by_key(|&i| widths[i]);
            match pick {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
        let rule = |l: &str, m: &str, r: &str| -> Line<'static> {
            let body: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
            Line::from(vec![
                Span::raw(indent.clone()),
                Span::styled(format!("{l}{}{r}", body.join(m)), theme::dim()),
            ])
        };
        self.lines.push(rule("┌", "┬", "┐"));
        for (r, row) in t.rows.iter().enumerate() {
            if r == t.head && r > 0 {
                self.lines.push(rule("├", "┼", "┤"));
            }
            let header = r < t.head;
            let cells: Vec<Vec<Line<'static>>> = (0..ncols)
                .map(|i| {
                    let mut segs = row.get(i).cloned().unwrap_or_default();
                    if header {
                        for (_, st) in &mut segs {
                            *st = st.patch(theme::strong());
                        }
                    }
                    wrap_words(&segs, widths[i], vec![], vec![])
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let mut spans = vec![Span::raw(indent.clone())];
                for (i, cell) in cells.iter().enumerate() {
                    spans.push(Span::styled("│ ", theme::dim()));
                    let line = cell.get(k).cloned().unwrap_or_default();
                    let w = super::wrap::line_width(&line);
                    spans.extend(line.spans);
                    spans.push(Span::raw(" ".repeat(widths[i].saturating_sub(w) + 1)));
                }
                spans.push(Span::styled("│", theme::dim()));
                self.lines.push(Line::from(spans));
            }
        }
        self.lines.push(rule("└", "┴", "┘"));
    }

    /// A table in a pane too narrow for its columns: each row a bullet, each cell a
    /// `header: value` line under it (the layout phones use for wide tables).
    fn draw_records(&mut self, t: TableBuf) {
        let indent = self.indent();
        let headers: Vec<String> = t.rows[..t.head]
            .last()
            .map(|h| h.iter().map(|c| c.iter().map(|(s, _)| s.as_str()).collect()).collect())
            .unwrap_or_default();
        for (r, row) in t.rows[t.head..].iter().enumerate() {
            if r > 0 {
                self.lines.push(Line::from(indent.trim_end().to_string()));
            }
            for (i, cell) in row.iter().enumerate() {
                let mut segs = Vec::new();
                if let Some(h) = headers.get(i).filter(|h| !h.is_empty()) {
                    segs.push((format!("{h}: "), theme::strong()));
                }
                segs.extend(cell.iter().cloned());
                let mark = if i == 0 { "• " } else { "  " };
                let first = vec![Span::raw(indent.clone()), Span::styled(mark, theme::strong())];
                let rest = vec![Span::raw(format!("{indent}    "))];
                self.lines.extend(wrap_words(&segs, self.width, first, rest));
            }
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                let style = self.style().patch(theme::code());
                self.segs.push((t.to_string(), style));
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            Event::Rule => {
                self.flush();
                self.start_block();
                let w = self.width.saturating_sub(self.indent().chars().count()).max(1);
                self.lines.push(Line::from(vec![
                    Span::raw(self.indent()),
                    Span::styled("─".repeat(w), theme::dim()),
                ]));
                self.need_blank = true;
            }
            Event::Html(t) | Event::InlineHtml(t) => self.text(&t),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => {
                self.start_block();
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.start_block();
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    _ => 3,
                };
                self.block_style = theme::heading(n);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.start_block();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.start_block();
                self.code = Some(String::new());
                self.code_count += 1;
                if self.number_code && self.code_count <= NUMBERED_BLOCKS {
                    // The key that puts this block on the command line, above it.
                    let lead = if self.item_marker.is_some() {
                        self.first_prefix()
                    } else {
                        vec![Span::raw(self.indent())]
                    };
                    let mut spans = lead;
                    spans.push(Span::styled(format!("▶ Alt+{}", self.code_count), theme::dim()));
                    self.lines.push(Line::from(spans));
                }
            }
            Tag::Table(_) => {
                self.flush();
                self.start_block();
                self.table = Some(TableBuf::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.segs.clear(),
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.start_block();
                }
                self.lists.push((start, 0));
            }
            Tag::Item => {
                self.flush();
                if let Some((next, w)) = self.lists.last_mut() {
                    let marker = match next {
                        Some(n) => {
                            let m = format!("{n}. ");
                            *n += 1;
                            m
                        }
                        None => "• ".to_string(),
                    };
                    *w = marker.chars().count();
                    self.item_marker = Some(marker);
                }
            }
            Tag::Emphasis => self.styles.push(theme::emphasis()),
            Tag::Strong => self.styles.push(theme::strong()),
            Tag::Strikethrough => self.styles.push(theme::dim()),
            Tag::Link { .. } => self
                .styles
                .push(Style::default().add_modifier(ratatui::style::Modifier::UNDERLINED)),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                self.need_blank = true;
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.block_style = Style::default();
                self.need_blank = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.need_blank = true;
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                let indent = self.indent();
                let avail = self.width.saturating_sub(indent.chars().count() + 2).max(1);
                let mut first = self.item_marker.is_some();
                for line in code.trim_end_matches('\n').split('\n') {
                    // At spaces, so `--image=…` or a pod name is never split across rows;
                    // only a token wider than the pane (a long URL) is broken.
                    for row in wrap_tokens(&sanitize(line), avail) {
                        let lead = if first {
                            self.first_prefix()
                        } else {
                            vec![Span::raw(indent.clone())]
                        };
                        first = false;
                        let mut spans = lead;
                        spans.push(Span::raw("  "));
                        spans.push(Span::styled(row, theme::code()));
                        self.lines.push(Line::from(spans));
                    }
                }
                self.need_blank = true;
            }
            TagEnd::TableCell => {
                let segs = std::mem::take(&mut self.segs);
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(segs);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.head = t.rows.len();
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.draw_table(t);
                }
                self.need_blank = true;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.need_blank = true;
                }
            }
            TagEnd::Item => {
                self.flush();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.styles.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::wrap::line_width;

    fn plain(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect::<String>() + "\n")
            .collect()
    }

    const SAMPLE: &str = "# 백엔드 서비스 만들기\n\n\
프론트엔드는 `hello` 라는 이름의 **서비스**로 백엔드에 연결합니다.\n\n\
1. 디플로이먼트를 만듭니다\n2. 서비스를 만듭니다\n   - 셀렉터 `app: hello`\n\n\
```sh\nkubectl apply -f https://k8s.io/examples/service/access/backend-deployment.yaml\n```\n\n\
> EXTERNAL-IP 가 `<pending>` 이면 잠시 기다리세요.\n";

    #[test]
    fn renders_headings_lists_code_and_quotes() {
        let lines = render(SAMPLE, 40);
        let text = plain(&lines);
        let expected = [
            "백엔드 서비스 만들기",
            "",
            "프론트엔드는 hello 라는 이름의 서비스로",
            "백엔드에 연결합니다.",
            "",
            "1. 디플로이먼트를 만듭니다",
            "2. 서비스를 만듭니다",
            "   • 셀렉터 app: hello",
            "",
            "▶ Alt+1",
            "  kubectl apply -f",
            "  https://k8s.io/examples/service/access",
            "  /backend-deployment.yaml",
            "",
            "│ EXTERNAL-IP 가 <pending> 이면 잠시",
            "│ 기다리세요.",
        ];
        assert_eq!(text, expected.iter().map(|l| format!("{l}\n")).collect::<String>());
        assert_eq!(lines[0].spans[1].style, theme::heading(1), "{:?}", lines[0]);
        let code_span = lines[2].spans.iter().find(|s| s.content == "hello").unwrap();
        assert_eq!(code_span.style, theme::code());
        let strong = lines[2].spans.iter().find(|s| s.content == "서비스").unwrap();
        assert_eq!(strong.style, theme::strong());
    }

    #[test]
    fn no_row_is_wider_than_the_pane() {
        for width in [10, 17, 23, 40, 61] {
            for line in render(SAMPLE, width) {
                assert!(line_width(&line) <= width, "width {width}: {line:?}");
            }
        }
    }

    #[test]
    fn code_blocks_keep_every_leading_space() {
        let md = "Apply:\n\n```\ncat <<EOF | kubectl apply -f -\nmetadata:\n  name: dup-nodeport\n\tx\nEOF\n```\n";
        assert_eq!(
            code_blocks(md),
            ["cat <<EOF | kubectl apply -f -\nmetadata:\n  name: dup-nodeport\n\tx\nEOF"]
        );
        let text = plain(&render(md, 40));
        assert!(text.contains("\n  metadata:\n    name: dup-nodeport\n"), "{text}");
    }

    #[test]
    fn tables_get_box_lines_and_fit_the_pane() {
        let md = "| type | reachable from | address |\n|---|---|---|\n| `ClusterIP` | inside the cluster | the Service's virtual IP |\n| `NodePort` | outside too | **every** node's IP + one port |\n";
        let wide = plain(&render(md, 80));
        assert_eq!(
            wide,
            "┌───────────┬────────────────────┬────────────────────────────┐\n\
             │ type      │ reachable from     │ address                    │\n\
             ├───────────┼────────────────────┼────────────────────────────┤\n\
             │ ClusterIP │ inside the cluster │ the Service's virtual IP   │\n\
             │ NodePort  │ outside too        │ every node's IP + one port │\n\
             └───────────┴────────────────────┴────────────────────────────┘\n"
        );
        for width in [24, 30, 40, 52] {
            let lines = render(md, width);
            for l in &lines {
                assert!(line_width(l) <= width, "width {width}: {:?}", plain(&lines));
            }
            let text = plain(&lines);
            assert!(!text.contains('|'), "no raw pipes: {text}");
            // Wrapped at spaces: every word is whole on its row.
            for word in ["ClusterIP", "reachable", "Service's", "virtual"] {
                assert!(text.contains(word), "{word} is cut at {width}: {text}");
            }
        }
        // Too narrow for three columns of whole words: one record per row.
        assert_eq!(
            plain(&render(md, 30)),
            "• type: ClusterIP\n  reachable from: inside the\n    cluster\n  address: the Service's\n    virtual IP\n\n\
             • type: NodePort\n  reachable from: outside too\n  address: every node's IP +\n    one port\n"
        );
        let code = render(md, 80)
            .iter()
            .flat_map(|l| l.spans.clone())
            .find(|s| s.content == "ClusterIP")
            .unwrap();
        assert_eq!(code.style, theme::code(), "inline code keeps its style in a cell");
    }

    #[test]
    fn labelled_hints_render_markdown() {
        let lines = render_labelled(
            ("Hint 1: ".into(), theme::hint()),
            "Use `kubectl describe` on **it**.",
            80,
        );
        assert_eq!(plain(&lines), "Hint 1: Use kubectl describe on it.\n");
        let code = lines[0].spans.iter().find(|s| s.content == "kubectl describe").unwrap();
        assert_eq!(code.style, theme::code());
        assert_eq!(lines[0].spans[0].style, theme::hint());
        let narrow = render_labelled(("Hint 1: ".into(), theme::hint()), "one two three four", 14);
        assert_eq!(plain(&narrow), "Hint 1: one\n  two three\n  four\n");
    }

    #[test]
    fn long_list_items_hang_under_their_text() {
        let lines = render("- one two three four five six", 14);
        assert_eq!(plain(&lines), "• one two\n  three four\n  five six\n");
    }
}
