//! A small YAML highlighter for the editor pane. Manifests use a tiny part of YAML (block
//! mappings and lists of scalars), so a line-at-a-time scanner colours them well enough, and it
//! costs nothing to build: syntect with its grammar set would double the build time of the lab
//! for the same colours.

use std::ops::Range;

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Plain,
    Comment,
    /// `---` between documents.
    DocSep,
    /// `- ` starting a list item.
    Dash,
    Key,
    /// `:`, `|`, `>`, `{`, `[` …
    Punct,
    Str,
    Number,
    /// `true`, `false`, `null`, `~`.
    Keyword,
}

/// The tokens of one line, as byte ranges covering the whole line in order.
pub fn yaml_line(line: &str) -> Vec<(Range<usize>, Token)> {
    let mut out = Vec::new();
    let mut push = |r: Range<usize>, t: Token| {
        if !r.is_empty() {
            out.push((r, t));
        }
    };
    let indent = line.len() - line.trim_start().len();
    push(0..indent, Token::Plain);
    let mut i = indent;
    let rest = &line[i..];
    if rest.starts_with('#') {
        push(i..line.len(), Token::Comment);
        return out;
    }
    if i == 0 && (rest == "---" || rest.starts_with("--- ") || rest == "...") {
        push(0..3, Token::DocSep);
        push(3..line.len(), Token::Plain);
        return out;
    }
    while line[i..].starts_with("- ") || &line[i..] == "-" {
        push(i..i + 1, Token::Dash);
        let after = line[i + 1..].len() - line[i + 1..].trim_start().len();
        push(i + 1..i + 1 + after, Token::Plain);
        i += 1 + after;
    }
    if let Some(colon) = key_end(&line[i..]) {
        push(i..i + colon, Token::Key);
        push(i + colon..i + colon + 1, Token::Punct);
        i += colon + 1;
    }
    let ws = line[i..].len() - line[i..].trim_start().len();
    push(i..i + ws, Token::Plain);
    i += ws;
    let value_end = comment_start(line, i).unwrap_or(line.len());
    let value = line[i..value_end].trim_end();
    push(i..i + value.len(), value_token(value));
    push(i + value.len()..value_end, Token::Plain);
    push(value_end..line.len(), Token::Comment);
    out
}

/// Where the `:` of `key:` is, if the text starts with a plain key.
fn key_end(s: &str) -> Option<usize> {
    if s.starts_with(['"', '\'', '{', '[', '#', '|', '>']) {
        return None;
    }
    let bytes = s.as_bytes();
    (0..bytes.len()).find(|&j| bytes[j] == b':' && (j + 1 == bytes.len() || bytes[j + 1] == b' '))
}

/// Where a ` #` comment starts after `from`, outside quotes.
fn comment_start(line: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    let bytes = line.as_bytes();
    for j in from..bytes.len() {
        match (bytes[j], quote) {
            (b'"' | b'\'', None) if j == from => quote = Some(bytes[j]),
            (c, Some(q)) if c == q => quote = None,
            (b'#', None) if j == from || bytes[j - 1] == b' ' => return Some(j),
            _ => {}
        }
    }
    None
}

fn value_token(v: &str) -> Token {
    match v {
        "" => Token::Plain,
        "true" | "false" | "null" | "~" | "True" | "False" => Token::Keyword,
        "|" | ">" | "|-" | ">-" | "{}" | "[]" => Token::Punct,
        _ if v.parse::<f64>().is_ok() => Token::Number,
        _ => Token::Str,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(&str, Token)> {
        yaml_line(line).into_iter().map(|(r, t)| (&line[r], t)).collect()
    }

    #[test]
    fn keys_values_lists_and_comments() {
        use Token::*;
        assert_eq!(
            kinds("  - port: 80 # http"),
            vec![
                ("  ", Plain),
                ("-", Dash),
                (" ", Plain),
                ("port", Key),
                (":", Punct),
                (" ", Plain),
                ("80", Number),
                (" ", Plain),
                ("# http", Comment)
            ]
        );
        assert_eq!(
            kinds("kind: Service"),
            vec![("kind", Key), (":", Punct), (" ", Plain), ("Service", Str)]
        );
        assert_eq!(kinds("---"), vec![("---", DocSep)]);
        assert_eq!(kinds("# 한국어 주석"), vec![("# 한국어 주석", Comment)]);
        assert_eq!(kinds("spec:"), vec![("spec", Key), (":", Punct)]);
        assert_eq!(
            kinds("  image: \"nginx:1.27\""),
            vec![
                ("  ", Plain),
                ("image", Key),
                (":", Punct),
                (" ", Plain),
                ("\"nginx:1.27\"", Str)
            ]
        );
        assert_eq!(
            kinds("  - nginx"),
            vec![("  ", Plain), ("-", Dash), (" ", Plain), ("nginx", Str)]
        );
        assert_eq!(
            kinds("x: true"),
            vec![("x", Key), (":", Punct), (" ", Plain), ("true", Keyword)]
        );
        for line in ["", "a", "- ", "-", "key: 'a # b' # c", "  - - x: y"] {
            let toks = yaml_line(line);
            let joined: String = toks.iter().map(|(r, _)| &line[r.clone()]).collect();
            assert_eq!(joined, line, "the tokens cover the line");
        }
    }
}
