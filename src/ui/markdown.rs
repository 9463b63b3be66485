//! Lesson markdown → wrapped terminal lines, via `pulldown-cmark`.
//!
//! Supported: headings, paragraphs, bullet and numbered lists (nested, with hanging indents),
//! fenced and indented code blocks, block quotes, rules, inline code, emphasis, strong, links
//! (their text). Wrapping is done here by display width ([`super::wrap`]) so Korean text fills
//! a row exactly and the pane knows its height for scrolling. Code blocks are never reflowed:
//! a long command is broken between characters, keeping its spaces.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme;
use super::wrap::{sanitize, wrap_chars, wrap_words};

/// Render `markdown` into rows of at most `width` cells.
pub fn render(markdown: &str, width: usize) -> Vec<Line<'static>> {
    let mut r = Renderer {
        width: width.max(4),
        ..Renderer::default()
    };
    for event in Parser::new(markdown) {
        r.event(event);
    }
    r.flush();
    r.lines
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
}

impl Renderer {
    fn style(&self) -> Style {
        self.styles.iter().fold(self.block_style, |acc, s| acc.patch(*s))
    }

    fn indent(&self) -> String {
        let mut s = "│ ".repeat(self.quote);
        s.push_str(&" ".repeat(self.lists.iter().map(|(_, w)| w).sum()));
        s
    }

    fn first_prefix(&mut self) -> Vec<Span<'static>> {
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
            }
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
                    for row in wrap_chars(&sanitize(line), avail) {
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
            "  kubectl apply -f https://k8s.io/exampl",
            "  es/service/access/backend-deployment.y",
            "  aml",
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
    fn long_list_items_hang_under_their_text() {
        let lines = render("- one two three four five six", 14);
        assert_eq!(plain(&lines), "• one two\n  three four\n  five six\n");
    }
}
