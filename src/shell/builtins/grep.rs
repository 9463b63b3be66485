//! `grep`, the way learners use it on kubectl output: `printenv | grep SERVICE`,
//! `-o yaml | grep nodePort -C 5`, `-i`, `-v`, `-c`, `-w`, `-E`, `-n`, context lines.
//!
//! Patterns are POSIX basic regular expressions (or extended with `-E`, fixed strings with
//! `-F`), translated to the `regex` crate's syntax: in a BRE `\(`, `\{`, `\|`, `\+`, `\?` are
//! the operators and the bare characters are literal; `\<` and `\>` become word boundaries.
//! Back-references have no equivalent and are reported as unsupported.

use regex::{Regex, RegexBuilder};

use super::{getopt, inputs, lines, opt_error, Ctx, OptSpec};

const SPEC: OptSpec = OptSpec {
    flags: "ivcwxEFGnqshHlo",
    with_value: "eABCm",
    long: &[
        ("ignore-case", 'i'),
        ("invert-match", 'v'),
        ("count", 'c'),
        ("word-regexp", 'w'),
        ("line-regexp", 'x'),
        ("extended-regexp", 'E'),
        ("fixed-strings", 'F'),
        ("basic-regexp", 'G'),
        ("line-number", 'n'),
        ("quiet", 'q'),
        ("silent", 'q'),
        ("no-messages", 's'),
        ("no-filename", 'h'),
        ("with-filename", 'H'),
        ("files-with-matches", 'l'),
        ("only-matching", 'o'),
        ("regexp", 'e'),
        ("after-context", 'A'),
        ("before-context", 'B'),
        ("context", 'C'),
        ("max-count", 'm'),
        ("color", '\u{1}'),
        ("colour", '\u{1}'),
    ],
};

/// Translate a POSIX regular expression (basic or extended) into `regex` syntax.
pub fn translate(pattern: &str, extended: bool) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Whether the next `*` would have nothing to repeat (so it is a literal star).
    let mut at_start = true;
    let mut depth = 0i32;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        let was_start = at_start;
        at_start = false;
        match c {
            '\\' => {
                let Some(&e) = chars.get(i) else {
                    return Err("Trailing backslash".into());
                };
                i += 1;
                match e {
                    '(' | ')' | '{' | '}' | '|' | '+' | '?' if !extended => {
                        if e == '(' {
                            depth += 1;
                            out.push_str("(?:");
                            at_start = true;
                            continue;
                        }
                        if e == ')' {
                            depth -= 1;
                            if depth < 0 {
                                return Err("Unmatched ) or \\)".into());
                            }
                        }
                        if e == '|' {
                            at_start = true;
                        }
                        if e == '{' {
                            copy_interval(&chars, &mut i, &mut out)?;
                            continue;
                        }
                        out.push(e);
                    }
                    '<' | '>' => out.push_str("\\b"),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(e);
                    }
                    '1'..='9' => return Err("back-references are not supported in the lab".into()),
                    other => out.push_str(&regex::escape(&other.to_string())),
                }
            }
            '[' => copy_bracket(&chars, &mut i, &mut out)?,
            '*' if was_start => out.push_str("\\*"),
            '*' | '.' => out.push(c),
            '^' if was_start || extended => {
                out.push('^');
                at_start = true;
            }
            '^' => out.push_str("\\^"),
            '$' => {
                let at_end = i == chars.len()
                    || (!extended && chars.get(i) == Some(&'\\') && matches!(chars.get(i + 1), Some(')' | '|')))
                    || (extended && matches!(chars.get(i), Some(')' | '|')));
                out.push_str(if at_end || extended { "$" } else { "\\$" });
            }
            '(' | ')' | '|' | '+' | '?' | '{' | '}' if extended => match c {
                '(' => {
                    depth += 1;
                    out.push_str("(?:");
                    at_start = true;
                }
                ')' => {
                    depth -= 1;
                    if depth < 0 {
                        return Err("Unmatched ) or \\)".into());
                    }
                    out.push(')');
                }
                '|' => {
                    out.push('|');
                    at_start = true;
                }
                '{' => {
                    let save = i;
                    let mut tmp = String::new();
                    if !was_start && copy_interval(&chars, &mut i, &mut tmp).is_ok() {
                        out.push_str(&tmp);
                    } else {
                        i = save;
                        out.push_str("\\{");
                    }
                }
                '}' => out.push_str("\\}"),
                '+' | '?' if was_start => out.push_str(&regex::escape(&c.to_string())),
                _ => out.push(c),
            },
            other => out.push_str(&regex::escape(&other.to_string())),
        }
    }
    if depth > 0 {
        return Err("Unmatched ( or \\(".into());
    }
    Ok(out)
}

/// `{m,n}` after the opening brace (BRE `\{m,n\}` or ERE `{m,n}`).
fn copy_interval(chars: &[char], i: &mut usize, out: &mut String) -> Result<(), String> {
    let mut body = String::new();
    while let Some(&c) = chars.get(*i) {
        *i += 1;
        if c == '\\' && chars.get(*i) == Some(&'}') {
            *i += 1;
            break;
        }
        if c == '}' {
            break;
        }
        body.push(c);
        if body.len() > 20 {
            return Err("Invalid content of \\{\\}".into());
        }
    }
    let valid = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == ',')
        && body.matches(',').count() <= 1
        && !body.starts_with(',');
    if !valid {
        return Err("Invalid content of \\{\\}".into());
    }
    out.push('{');
    out.push_str(&body);
    out.push('}');
    Ok(())
}

/// A bracket expression `[…]`, copied with the `regex` crate's special characters escaped.
fn copy_bracket(chars: &[char], i: &mut usize, out: &mut String) -> Result<(), String> {
    out.push('[');
    if chars.get(*i) == Some(&'^') {
        out.push('^');
        *i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = chars.get(*i) else {
            return Err("Unmatched [, [^, [:, [., or [=".into());
        };
        *i += 1;
        match c {
            ']' if !first => {
                out.push(']');
                return Ok(());
            }
            '[' if chars.get(*i) == Some(&':') => {
                // [:alpha:]
                let rest: String = chars[*i..].iter().collect();
                let Some(end) = rest.find(":]") else {
                    return Err("Unmatched [, [^, [:, [., or [=".into());
                };
                out.push('[');
                out.push_str(&rest[..end + 2]);
                *i += rest[..end + 2].chars().count();
            }
            '[' | ']' | '\\' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '-' if chars.get(*i) == Some(&'-') => out.push_str("\\-"),
            _ => out.push(c),
        }
        first = false;
    }
}

/// One regex for all patterns, with `-x`, `-w` and `-i` applied. `kind` is `G`, `E` or `F`.
fn build_regex(patterns: &[String], kind: char, line: bool, word: bool, icase: bool) -> Result<Regex, String> {
    let mut alternatives = Vec::new();
    for p in patterns.iter().flat_map(|p| p.split('\n')) {
        let r = match kind {
            'F' => regex::escape(p),
            'E' => translate(p, true)?,
            _ => translate(p, false)?,
        };
        alternatives.push(format!("(?:{r})"));
    }
    let mut re = alternatives.join("|");
    if line {
        re = format!("^(?:{re})$");
    } else if word {
        re = format!("(?:^|[^[:word:]])(?P<w>{re})(?:[^[:word:]]|$)");
    }
    RegexBuilder::new(&re)
        .case_insensitive(icase)
        .size_limit(1 << 22)
        .build()
        .map_err(|_| "Invalid regular expression".to_string())
}

/// `cmd | grep PATTERN` applied to output as it arrives, so `kubectl get pods --watch | grep web`
/// shows matches at once. Only for the options that look at one line at a time
/// (`-i -v -w -x -E -F -G -n -o -e`) and no file operands; anything else returns `None` and
/// the pipeline runs grep normally.
pub struct LineFilter {
    regex: Regex,
    word: bool,
    invert: bool,
    numbers: bool,
    only: bool,
    line_no: usize,
    partial: String,
    /// Whether any line was selected (grep's exit status).
    pub matched: bool,
}

impl LineFilter {
    pub fn new(args: &[String]) -> Option<LineFilter> {
        let (opts, mut operands) = getopt(&SPEC, args).ok()?;
        if opts.iter().any(|(o, _)| !"ivwxEFGneo\u{1}".contains(*o)) {
            return None;
        }
        let has = |c: char| opts.iter().any(|(o, _)| *o == c);
        let mut patterns: Vec<String> = opts
            .iter()
            .filter(|(o, _)| *o == 'e')
            .filter_map(|(_, v)| v.clone())
            .collect();
        if patterns.is_empty() {
            if operands.is_empty() {
                return None;
            }
            patterns.push(operands.remove(0));
        }
        if !operands.is_empty() {
            return None;
        }
        let kind = opts
            .iter()
            .rev()
            .find(|(o, _)| matches!(o, 'E' | 'F' | 'G'))
            .map(|(o, _)| *o)
            .unwrap_or('G');
        let regex = build_regex(&patterns, kind, has('x'), has('w'), has('i')).ok()?;
        Some(LineFilter {
            regex,
            word: has('w'),
            invert: has('v'),
            numbers: has('n'),
            only: has('o'),
            line_no: 0,
            partial: String::new(),
            matched: false,
        })
    }

    /// Filter the complete lines in `text` (a trailing partial line waits for more).
    pub fn feed(&mut self, text: &str) -> String {
        self.partial.push_str(text);
        let mut out = String::new();
        while let Some(i) = self.partial.find('\n') {
            let line: String = self.partial.drain(..=i).collect();
            self.line(&line[..line.len() - 1], &mut out);
        }
        out
    }

    /// The end of the input: a last line without a newline still counts.
    pub fn finish(&mut self) -> String {
        let mut out = String::new();
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.line(&line, &mut out);
        }
        out
    }

    fn line(&mut self, line: &str, out: &mut String) {
        self.line_no += 1;
        if self.regex.is_match(line) == self.invert {
            return;
        }
        self.matched = true;
        let prefix = if self.numbers {
            format!("{}:", self.line_no)
        } else {
            String::new()
        };
        if self.only {
            if !self.invert {
                for m in matches(&self.regex, self.word, line)
                    .into_iter()
                    .filter(|m| !m.is_empty())
                {
                    out.push_str(&format!("{prefix}{m}\n"));
                }
            }
        } else {
            out.push_str(&format!("{prefix}{line}\n"));
        }
    }
}

struct Options {
    invert: bool,
    count: bool,
    numbers: bool,
    quiet: bool,
    silent: bool,
    files_only: bool,
    only: bool,
    names: bool,
    after: usize,
    before: usize,
    max: Option<usize>,
}

pub fn grep(ctx: &mut Ctx<'_>) -> i32 {
    let (opts, mut operands) = match getopt(&SPEC, &ctx.args) {
        Ok(p) => p,
        Err(e) => {
            if e == super::OptError::Help {
                ctx.out.line("Usage: grep [OPTION]... PATTERNS [FILE]...");
                return 0;
            }
            return opt_error(ctx, &e, 2);
        }
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let num = |c: char| -> Result<Option<usize>, String> {
        match opts.iter().rev().find(|(o, _)| *o == c) {
            None => Ok(None),
            Some((_, v)) => {
                let v = v.clone().unwrap_or_default();
                v.parse().map(Some).map_err(|_| v)
            }
        }
    };
    let context = |c: char| match (num(c), num('C')) {
        (Ok(Some(n)), _) => Ok(n),
        (Ok(None), Ok(n)) => Ok(n.unwrap_or(0)),
        (Err(v), _) | (_, Err(v)) => Err(v),
    };
    let (after, before, max) = match (context('A'), context('B'), num('m')) {
        (Ok(a), Ok(b), Ok(m)) => (a, b, m),
        (Err(v), _, _) | (_, Err(v), _) => {
            ctx.out.err_line(&format!("grep: {v}: invalid context length argument"));
            return 2;
        }
        (_, _, Err(v)) => {
            ctx.out.err_line(&format!("grep: invalid max count '{v}'"));
            return 2;
        }
    };
    let mut patterns: Vec<String> = opts
        .iter()
        .filter(|(o, _)| *o == 'e')
        .filter_map(|(_, v)| v.clone())
        .collect();
    if patterns.is_empty() {
        if operands.is_empty() {
            ctx.out.err_line("Usage: grep [OPTION]... PATTERNS [FILE]...");
            ctx.out.err_line("Try 'grep --help' for more information.");
            return 2;
        }
        patterns.push(operands.remove(0));
    }
    let extended = opts
        .iter()
        .rev()
        .find(|(o, _)| matches!(o, 'E' | 'F' | 'G'))
        .map(|(o, _)| *o)
        .unwrap_or('G');
    let regex = match build_regex(&patterns, extended, has('x'), has('w'), has('i')) {
        Ok(r) => r,
        Err(e) => {
            ctx.out.err_line(&format!("grep: {e}"));
            return 2;
        }
    };
    let o = Options {
        invert: has('v'),
        count: has('c'),
        numbers: has('n'),
        quiet: has('q'),
        silent: has('s'),
        files_only: has('l'),
        only: has('o'),
        names: if has('h') {
            false
        } else {
            has('H') || operands.len() > 1
        },
        after,
        before,
        max,
    };
    let word = has('w');
    let mut any = false;
    let mut error = false;
    for (name, text) in inputs(ctx, &operands) {
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                if !o.silent {
                    ctx.out.err_line(&format!("grep: {name}: {e}"));
                }
                error = true;
                continue;
            }
        };
        let shown = if name == "-" {
            "(standard input)".to_string()
        } else {
            name
        };
        if search(ctx, &regex, word, &o, &shown, &text) {
            any = true;
            if o.quiet {
                return 0;
            }
        }
    }
    if error && !(o.quiet && any) {
        2
    } else if any {
        0
    } else {
        1
    }
}

/// The matched text of one match (the word group for `-w`).
fn matches<'t>(regex: &Regex, word: bool, line: &'t str) -> Vec<&'t str> {
    if word {
        regex
            .captures_iter(line)
            .filter_map(|c| c.name("w").map(|m| m.as_str()))
            .collect()
    } else {
        regex.find_iter(line).map(|m| m.as_str()).collect()
    }
}

/// Search one input; true if any line was selected.
fn search(ctx: &Ctx<'_>, regex: &Regex, word: bool, o: &Options, name: &str, text: &str) -> bool {
    let ls = lines(text);
    let selected: Vec<bool> = ls.iter().map(|l| regex.is_match(l) != o.invert).collect();
    let mut hits = 0usize;
    let prefix = |n: usize, sep: char| -> String {
        let mut p = String::new();
        if o.names {
            p.push_str(name);
            p.push(sep);
        }
        if o.numbers {
            p.push_str(&(n + 1).to_string());
            p.push(sep);
        }
        p
    };
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0usize;
    let mut printed_any = false;
    for (n, line) in ls.iter().enumerate() {
        if o.max.is_some_and(|m| hits >= m) {
            // Trailing context after the last allowed match is still printed.
            if after_left > 0 && !selected[n] && !(o.count || o.quiet || o.files_only) {
                ctx.out.line(&format!("{}{line}", prefix(n, '-')));
                after_left -= 1;
                continue;
            }
            break;
        }
        if selected[n] {
            hits += 1;
            if o.count || o.quiet || o.files_only {
                continue;
            }
            let start = n.saturating_sub(o.before);
            let from = match last_printed {
                Some(p) if p + 1 > start => p + 1,
                _ => start,
            };
            if (o.before > 0 || o.after > 0) && printed_any && last_printed.is_none_or(|p| from > p + 1) {
                ctx.out.line("--");
            }
            for (k, ctx_line) in ls.iter().enumerate().take(n).skip(from) {
                ctx.out.line(&format!("{}{ctx_line}", prefix(k, '-')));
            }
            if o.only {
                if !o.invert {
                    for m in matches(regex, word, line) {
                        if !m.is_empty() {
                            ctx.out.line(&format!("{}{m}", prefix(n, ':')));
                        }
                    }
                }
            } else {
                ctx.out.line(&format!("{}{line}", prefix(n, ':')));
            }
            printed_any = true;
            last_printed = Some(n);
            after_left = o.after;
        } else if after_left > 0 && !(o.count || o.quiet || o.files_only) {
            ctx.out.line(&format!("{}{line}", prefix(n, '-')));
            last_printed = Some(n);
            after_left -= 1;
        }
    }
    if o.count && !o.quiet {
        if o.names {
            ctx.out.line(&format!("{name}:{hits}"));
        } else {
            ctx.out.line(&hits.to_string());
        }
    }
    if o.files_only && hits > 0 && !o.quiet {
        ctx.out.line(name);
    }
    hits > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, ext: bool, s: &str) -> bool {
        Regex::new(&translate(p, ext).unwrap()).unwrap().is_match(s)
    }

    #[test]
    fn basic_regex_operators_are_escaped() {
        assert!(m("a\\(b\\)*c", false, "abbc") || m("a\\(b\\)*c", false, "ac"));
        assert!(m("a(b)", false, "a(b)"));
        assert!(!m("a(b)", false, "ab"));
        assert!(m("a+", false, "a+"));
        assert!(!m("a+", false, "aa"));
        assert!(m("a\\+", false, "aa"));
        assert!(m("x\\{2\\}", false, "xx"));
        assert!(!m("x\\{2\\}", false, "x"));
        assert!(m("a\\|b", false, "b"));
        assert!(m("*a", false, "*a"));
        assert!(m("^nodePort", false, "nodePort: 3"));
        assert!(!m("^nodePort", false, "  nodePort: 3"));
        assert!(m("a^b", false, "a^b"));
        assert!(m("a$b", false, "a$b"));
        assert!(m("end$", false, "the end"));
        assert!(m("[[:digit:]]\\{5\\}", false, "port 30008"));
        assert!(m("[]a]", false, "]"));
        assert!(m("[a-c]x", false, "bx"));
        assert!(m("\\<word\\>", false, "a word here"));
        assert!(m("a.c", false, "abc"));
        assert!(m("1.2", false, "1.2"));
    }

    #[test]
    fn extended_regex() {
        assert!(m("SERVICE_(HOST|PORT)", true, "X_SERVICE_PORT=1"));
        assert!(m("a+", true, "aaa"));
        assert!(m("a{2}", true, "aa"));
        assert!(m("{", true, "{"));
        assert!(m("^(ab)?c$", true, "c"));
    }

    #[test]
    fn line_filter_streams_complete_lines() {
        let args: Vec<String> = ["-n", "-i", "web"].iter().map(|s| s.to_string()).collect();
        let mut f = LineFilter::new(&args).unwrap();
        assert_eq!(f.feed("NAME READY\nweb-1 0/1\nWE"), "2:web-1 0/1\n");
        assert!(f.matched);
        assert_eq!(f.feed("B-2 1/1\ndb 1/1\n"), "3:WEB-2 1/1\n");
        assert_eq!(f.feed("web-3"), "");
        assert_eq!(f.finish(), "5:web-3\n");
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(LineFilter::new(&v(&["-c", "x"])).is_none());
        assert!(LineFilter::new(&v(&["-A", "1", "x"])).is_none());
        assert!(LineFilter::new(&v(&["x", "file"])).is_none());
        assert!(LineFilter::new(&v(&["["])).is_none());
        assert!(LineFilter::new(&v(&[])).is_none());
        let mut f = LineFilter::new(&v(&["-v", "x"])).unwrap();
        assert_eq!(f.feed("x\nx\n"), "");
        assert!(!f.matched);
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(translate("a\\(", false).is_err());
        assert!(translate("a\\)", false).is_err());
        assert!(translate("(a", true).is_err());
        assert!(translate("[abc", false).is_err());
        assert!(translate("a\\", false).is_err());
        assert!(translate("\\(a\\)\\1", false).is_err());
        assert!(translate("x\\{a\\}", false).is_err());
    }
}
