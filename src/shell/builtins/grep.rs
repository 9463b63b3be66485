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
    let mut alternatives = Vec::new();
    for p in patterns.iter().flat_map(|p| p.split('\n')) {
        let r = match extended {
            'F' => Ok(regex::escape(p)),
            'E' => translate(p, true),
            _ => translate(p, false),
        };
        match r {
            Ok(r) => alternatives.push(format!("(?:{r})")),
            Err(e) => {
                ctx.out.err_line(&format!("grep: {e}"));
                return 2;
            }
        }
    }
    let mut re = alternatives.join("|");
    if has('x') {
        re = format!("^(?:{re})$");
    } else if has('w') {
        re = format!("(?:^|[^[:word:]])(?P<w>{re})(?:[^[:word:]]|$)");
    }
    let regex = match RegexBuilder::new(&re)
        .case_insensitive(has('i'))
        .size_limit(1 << 22)
        .build()
    {
        Ok(r) => r,
        Err(_) => {
            ctx.out.err_line("grep: Invalid regular expression");
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
