//! Line wrapping by display width. Korean syllables take two terminal cells, so wrapping by
//! `char` count or byte length overflows a pane; everything here measures with `unicode-width`.
//! The panes wrap text themselves (instead of leaving it to `Paragraph::wrap`) so they know how
//! many rows a text takes, which scrolling needs.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width of one character; control characters take no cell.
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Expand tabs to spaces (8-column stops) and drop other control characters, so what is
/// measured is what is drawn.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut col = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let n = 8 - col % 8;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            c if c.is_control() => {}
            c => {
                out.push(c);
                col += char_width(c);
            }
        }
    }
    out
}

/// Hard-wrap `text` (one logical line, no newlines) into rows of at most `width` cells.
/// An empty text is one empty row.
pub fn wrap_chars(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = vec![String::new()];
    let mut w = 0;
    for c in text.chars() {
        let cw = char_width(c);
        if w + cw > width && w > 0 {
            rows.push(String::new());
            w = 0;
        }
        rows.last_mut().expect("rows is never empty").push(c);
        w += cw;
    }
    rows
}

/// Wrap one line of command output into rows of at most `width` cells, breaking at spaces so
/// a name, an address or a flag is never split across rows (`10.96.0.1` stays whole). Spaces
/// are kept as they are (kubectl's columns line up), except those at a break, which end the
/// row. Only a token wider than a whole row is broken between characters, from a fresh row.
pub fn wrap_tokens(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    if text.width() <= width {
        return vec![text.to_string()];
    }
    let mut rows = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let space = rest.starts_with(' ');
        let end = rest.find(|c: char| (c == ' ') != space).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        rest = tail;
        let rw = run.width();
        if w + rw <= width {
            cur.push_str(run);
            w += rw;
        } else if space {
            rows.push(std::mem::take(&mut cur));
            w = 0;
        } else if rw <= width {
            if w > 0 {
                rows.push(std::mem::take(&mut cur));
            }
            cur.push_str(run);
            w = rw;
        } else {
            if w > 0 {
                rows.push(std::mem::take(&mut cur));
                w = 0;
            }
            for c in run.chars() {
                let cw = char_width(c);
                if w + cw > width && w > 0 {
                    rows.push(std::mem::take(&mut cur));
                    w = 0;
                }
                cur.push(c);
                w += cw;
            }
        }
    }
    if !cur.is_empty() || rows.is_empty() {
        rows.push(cur);
    }
    // A row that ends at a break needs no spaces after its last token.
    for row in &mut rows {
        let keep = row.trim_end_matches(' ').len();
        if keep > 0 {
            row.truncate(keep);
        }
    }
    rows
}

/// A word: consecutive non-space text, possibly in several styles (`` `svc`, `` is one word).
type Word = Vec<(String, Style)>;

enum Token {
    Word(Word),
    Space(Style),
    Break,
}

fn tokenize(segs: &[(String, Style)]) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    for (text, style) in segs {
        for c in text.chars() {
            if c == '\n' {
                tokens.push(Token::Break);
            } else if c.is_whitespace() {
                if !matches!(tokens.last(), Some(Token::Space(_))) {
                    tokens.push(Token::Space(*style));
                }
            } else {
                match tokens.last_mut() {
                    Some(Token::Word(word)) => match word.last_mut() {
                        Some((s, st)) if st == style => s.push(c),
                        _ => word.push((c.to_string(), *style)),
                    },
                    _ => tokens.push(Token::Word(vec![(c.to_string(), *style)])),
                }
            }
        }
    }
    tokens
}

fn prefix_width(prefix: &[Span<'static>]) -> usize {
    prefix.iter().map(|s| s.content.width()).sum()
}

struct Filler {
    width: usize,
    rest_prefix: Vec<Span<'static>>,
    lines: Vec<Line<'static>>,
    cur: Vec<Span<'static>>,
    /// Cells used after the prefix on the current row.
    used: usize,
    avail: usize,
}

impl Filler {
    fn new_row(&mut self) {
        let cur = std::mem::replace(&mut self.cur, self.rest_prefix.clone());
        self.lines.push(Line::from(cur));
        self.used = 0;
        self.avail = self.width.saturating_sub(prefix_width(&self.rest_prefix)).max(1);
    }

    fn push(&mut self, text: &str, style: Style, w: usize) {
        match self.cur.last_mut() {
            Some(last) if last.style == style && self.used > 0 => last.content.to_mut().push_str(text),
            _ => self.cur.push(Span::styled(text.to_string(), style)),
        }
        self.used += w;
    }
}

/// Word-wrap styled text into rows of at most `width` cells. The first row starts with
/// `first_prefix` (e.g. a list bullet), the others with `rest_prefix` (the hanging indent).
/// Runs of whitespace become one space; a `\n` forces a new row; a word longer than a row is
/// broken between characters.
pub fn wrap_words(
    segs: &[(String, Style)],
    width: usize,
    first_prefix: Vec<Span<'static>>,
    rest_prefix: Vec<Span<'static>>,
) -> Vec<Line<'static>> {
    let avail = width.saturating_sub(prefix_width(&first_prefix)).max(1);
    let mut f = Filler {
        width,
        rest_prefix,
        lines: Vec::new(),
        cur: first_prefix,
        used: 0,
        avail,
    };
    let mut space: Option<Style> = None;
    for tok in tokenize(segs) {
        match tok {
            Token::Space(st) => {
                if f.used > 0 {
                    space = Some(st);
                }
            }
            Token::Break => {
                f.new_row();
                space = None;
            }
            Token::Word(word) => {
                let w: usize = word.iter().map(|(s, _)| s.width()).sum();
                let sp = usize::from(space.is_some());
                if f.used + sp + w <= f.avail {
                    if let Some(st) = space {
                        f.push(" ", st, 1);
                    }
                } else if f.used > 0 {
                    f.new_row();
                }
                for (text, style) in word {
                    if f.used + text.width() <= f.avail {
                        let tw = text.width();
                        f.push(&text, style, tw);
                        continue;
                    }
                    for c in text.chars() {
                        let cw = char_width(c);
                        if f.used + cw > f.avail && f.used > 0 {
                            f.new_row();
                        }
                        f.push(c.encode_utf8(&mut [0; 4]), style, cw);
                    }
                }
                space = None;
            }
        }
    }
    let cur = std::mem::take(&mut f.cur);
    f.lines.push(Line::from(cur));
    f.lines
}

/// Display width of a rendered line.
pub fn line_width(line: &Line) -> usize {
    line.spans.iter().map(|s| s.content.width()).sum()
}

/// Cut `text` to at most `width` cells, ending in `…` when something was cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = char_width(c);
        if w + cw > width - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn korean_wraps_by_display_width() {
        let segs = vec![(
            "서비스는 파드 집합에 대한 안정적인 주소를 제공합니다".to_string(),
            Style::default(),
        )];
        let lines = wrap_words(&segs, 20, vec![], vec![]);
        for l in &lines {
            assert!(line_width(l) <= 20, "{:?} is {} wide", plain(&lines), line_width(l));
        }
        assert_eq!(
            plain(&lines),
            vec!["서비스는 파드 집합에", "대한 안정적인 주소를", "제공합니다"]
        );
    }

    #[test]
    fn hanging_indent_and_long_words() {
        let segs = vec![("aaa bbbbbbbbbbbb c".to_string(), Style::default())];
        let lines = wrap_words(&segs, 8, vec![Span::raw("• ")], vec![Span::raw("  ")]);
        assert_eq!(plain(&lines), vec!["• aaa", "  bbbbbb", "  bbbbbb", "  c"]);
    }

    #[test]
    fn styles_join_within_a_word() {
        let code = Style::default().fg(ratatui::style::Color::Magenta);
        let segs = vec![
            ("run ".to_string(), Style::default()),
            ("kubectl".to_string(), code),
            (", then".to_string(), Style::default()),
        ];
        let lines = wrap_words(&segs, 11, vec![], vec![]);
        assert_eq!(plain(&lines), vec!["run", "kubectl,", "then"]);
        assert_eq!(lines[1].spans[0].style, code);
    }

    #[test]
    fn output_wraps_at_spaces_and_never_splits_a_token() {
        let line = "frontend     LoadBalancer   10.101.3.7   127.0.1.1     80:31234/TCP   5s";
        let rows = wrap_tokens(line, 40);
        assert_eq!(
            rows,
            [
                "frontend     LoadBalancer   10.101.3.7",
                "127.0.1.1     80:31234/TCP   5s"
            ]
        );
        assert_eq!(wrap_tokens("  indented stays", 40), ["  indented stays"]);
        assert_eq!(
            wrap_tokens("a https://k8s.io/examples/x.yaml", 10),
            ["a", "https://k8", "s.io/examp", "les/x.yaml"],
            "only a token wider than a row breaks"
        );
        assert_eq!(wrap_tokens("서비스 파드 집합", 7), ["서비스", "파드", "집합"]);
        assert_eq!(wrap_tokens("", 5), [""]);
        for w in 1..20 {
            for row in wrap_tokens(line, w) {
                assert!(row.width() <= w, "{w}: {row:?}");
            }
        }
    }

    #[test]
    fn chars_wrap_and_truncate_measure_cells() {
        assert_eq!(wrap_chars("가나다라", 5), vec!["가나", "다라"]);
        assert_eq!(wrap_chars("", 5), vec![""]);
        assert_eq!(truncate("127.0.1.1", 6), "127.0…");
        assert_eq!(truncate("파드입니다", 5), "파드…");
        assert_eq!(sanitize("a\tb\x07"), "a       b");
    }
}
