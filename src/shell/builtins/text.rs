//! Text tools for looking at command output and lesson files: `cat`, `head`, `tail`, `wc`,
//! `sort`, `ls`. They read stdin (a pipe, a heredoc) or files from the workspace, and answer in
//! GNU coreutils' words and formats.

use super::{getopt, inputs, lines, opt_error, Ctx, OptSpec};

/// Report a file that could not be read, GNU style.
fn cannot_open(ctx: &Ctx<'_>, name: &str, e: &str) {
    ctx.out
        .err_line(&format!("{}: cannot open '{name}' for reading: {e}", ctx.name));
}

pub fn cat(ctx: &mut Ctx<'_>) -> i32 {
    const SPEC: OptSpec = OptSpec {
        flags: "nu",
        with_value: "",
        long: &[("number", 'n')],
    };
    let (opts, files) = match getopt(&SPEC, &ctx.args) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, &e, 1),
    };
    let number = opts.iter().any(|(c, _)| *c == 'n');
    let mut status = 0;
    let mut n = 0;
    for (name, text) in inputs(ctx, &files) {
        match text {
            Ok(t) => {
                if number {
                    for l in lines(&t) {
                        n += 1;
                        ctx.out.line(&format!("{n:>6}\t{l}"));
                    }
                } else {
                    ctx.out.out(&t);
                }
            }
            Err(e) => {
                ctx.out.err_line(&format!("cat: {name}: {e}"));
                status = 1;
            }
        }
    }
    status
}

/// A line count for head/tail: `N`, `-N` (head: all but the last N), `+N` (tail: from line N).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Count {
    First(usize),
    AllBut(usize),
    From(usize),
}

fn parse_count(ctx: &Ctx<'_>, v: &str, what: &str) -> Result<Count, i32> {
    let bad = || {
        ctx.out
            .err_line(&format!("{}: invalid number of {what}: '{v}'", ctx.name));
        1
    };
    let (kind, digits) = if let Some(d) = v.strip_prefix('-') {
        ('-', d)
    } else if let Some(d) = v.strip_prefix('+') {
        ('+', d)
    } else {
        (' ', v)
    };
    let n: usize = digits.parse().map_err(|_| bad())?;
    Ok(match kind {
        '-' => Count::AllBut(n),
        '+' => Count::From(n),
        _ => Count::First(n),
    })
}

/// `-5` means `-n 5` for head and tail.
fn numeric_shorthand(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut takes_value = false;
    for a in args {
        if !takes_value && a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            out.push("-n".to_string());
            out.push(a[1..].to_string());
        } else {
            out.push(a.clone());
        }
        takes_value = matches!(a.as_str(), "-n" | "-c" | "--lines" | "--bytes");
    }
    out
}

fn head_tail(ctx: &mut Ctx<'_>, head: bool) -> i32 {
    const SPEC: OptSpec = OptSpec {
        flags: "qvf",
        with_value: "nc",
        long: &[
            ("lines", 'n'),
            ("bytes", 'c'),
            ("quiet", 'q'),
            ("silent", 'q'),
            ("verbose", 'v'),
            ("follow", 'f'),
        ],
    };
    let args = numeric_shorthand(&ctx.args);
    let (opts, files) = match getopt(&SPEC, &args) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, &e, 1),
    };
    let mut count = Count::First(10);
    let mut bytes = false;
    let mut headers = files.len() > 1;
    for (c, v) in &opts {
        match c {
            'n' | 'c' => {
                let what = if *c == 'n' { "lines" } else { "bytes" };
                count = match parse_count(ctx, v.as_deref().unwrap_or(""), what) {
                    Ok(Count::From(n)) if head => Count::First(n),
                    Ok(Count::AllBut(n)) if !head => Count::First(n),
                    Ok(c) => c,
                    Err(s) => return s,
                };
                bytes = *c == 'c';
            }
            'q' => headers = false,
            'v' => headers = true,
            _ => {}
        }
    }
    let mut status = 0;
    let mut first = true;
    for (name, text) in inputs(ctx, &files) {
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                cannot_open(ctx, &name, &e);
                status = 1;
                continue;
            }
        };
        if headers {
            let shown = if name == "-" { "standard input" } else { &name };
            ctx.out
                .line(&format!("{}==> {shown} <==", if first { "" } else { "\n" }));
        }
        first = false;
        if bytes {
            let b = text.as_bytes();
            let range = pick(b.len(), count, head);
            ctx.out.out(&String::from_utf8_lossy(&b[range]));
            continue;
        }
        let ls: Vec<&str> = text.split_inclusive('\n').collect();
        let range = pick(ls.len(), count, head);
        ctx.out.out(&ls[range].concat());
    }
    status
}

/// Which items of `len` head or tail keep.
fn pick(len: usize, count: Count, head: bool) -> std::ops::Range<usize> {
    match (count, head) {
        (Count::First(n), true) => 0..n.min(len),
        (Count::AllBut(n), _) => 0..len.saturating_sub(n),
        (Count::First(n), false) => len.saturating_sub(n)..len,
        (Count::From(n), _) => n.saturating_sub(1).min(len)..len,
    }
}

pub fn head(ctx: &mut Ctx<'_>) -> i32 {
    head_tail(ctx, true)
}

pub fn tail(ctx: &mut Ctx<'_>) -> i32 {
    head_tail(ctx, false)
}

pub fn wc(ctx: &mut Ctx<'_>) -> i32 {
    const SPEC: OptSpec = OptSpec {
        flags: "lwcm",
        with_value: "",
        long: &[("lines", 'l'), ("words", 'w'), ("bytes", 'c'), ("chars", 'm')],
    };
    let (opts, files) = match getopt(&SPEC, &ctx.args) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, &e, 1),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let (mut l, mut w, m, mut c) = (has('l'), has('w'), has('m'), has('c'));
    if !(l || w || m || c) {
        (l, w, c) = (true, true, true);
    }
    let inputs = inputs(ctx, &files);
    let mut rows: Vec<(Vec<usize>, Option<String>)> = Vec::new();
    let mut totals = vec![0usize; 4];
    let mut status = 0;
    let mut stdin_seen = false;
    let mut regular_total = 0usize;
    for (name, text) in &inputs {
        let t = match text {
            Ok(t) => t,
            Err(e) => {
                ctx.out.err_line(&format!("wc: {name}: {e}"));
                status = 1;
                continue;
            }
        };
        let counts = [
            t.matches('\n').count(),
            t.split_whitespace().count(),
            t.chars().count(),
            t.len(),
        ];
        for (tot, n) in totals.iter_mut().zip(counts) {
            *tot += n;
        }
        if name == "-" {
            stdin_seen = true;
        } else {
            regular_total += t.len();
        }
        let label = if files.is_empty() { None } else { Some(name.clone()) };
        rows.push((counts.to_vec(), label));
    }
    if files.len() > 1 {
        rows.push((totals, Some("total".into())));
    }
    let wanted: Vec<usize> = [l, w, m, c]
        .iter()
        .enumerate()
        .filter(|(_, on)| **on)
        .map(|(i, _)| i)
        .collect();
    // coreutils: one count of one input is not padded; otherwise the width fits the total size,
    // and at least 7 when reading a pipe.
    let width = if wanted.len() == 1 && inputs.len() == 1 {
        1
    } else {
        let w = regular_total.to_string().len();
        if stdin_seen {
            w.max(7)
        } else {
            w
        }
    };
    for (counts, label) in rows {
        let mut cells: Vec<String> = wanted.iter().map(|&i| format!("{:>width$}", counts[i])).collect();
        if let Some(l) = label {
            cells.push(l);
        }
        ctx.out.line(&cells.join(" "));
    }
    status
}

/// The leading number of a line, for `sort -n` (blanks skipped; no number is 0).
fn numeric_key(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    for (i, ch) in t.char_indices() {
        if ch.is_ascii_digit() || ch == '.' || (i == 0 && ch == '-') {
            end = i + ch.len_utf8();
        } else {
            break;
        }
    }
    t[..end].parse().unwrap_or(0.0)
}

pub fn sort(ctx: &mut Ctx<'_>) -> i32 {
    const SPEC: OptSpec = OptSpec {
        flags: "rnuf",
        with_value: "kt",
        long: &[
            ("reverse", 'r'),
            ("numeric-sort", 'n'),
            ("unique", 'u'),
            ("ignore-case", 'f'),
            ("key", 'k'),
            ("field-separator", 't'),
        ],
    };
    let (opts, files) = match getopt(&SPEC, &ctx.args) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, &e, 2),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let (reverse, numeric, unique, fold) = (has('r'), has('n'), has('u'), has('f'));
    let sep: Option<char> = opts
        .iter()
        .rev()
        .find(|(o, _)| *o == 't')
        .and_then(|(_, v)| v.as_deref()?.chars().next());
    let key_field: Option<usize> = match opts.iter().rev().find(|(o, _)| *o == 'k') {
        None => None,
        Some((_, v)) => {
            let v = v.clone().unwrap_or_default();
            let first = v.split([',', '.']).next().unwrap_or("");
            match first
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<usize>()
            {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    ctx.out.err_line(&format!(
                        "sort: invalid number at field start: invalid count at start of '{v}'"
                    ));
                    return 2;
                }
            }
        }
    };
    let mut all = Vec::new();
    for (name, text) in inputs(ctx, &files) {
        match text {
            Ok(t) => all.extend(lines(&t).into_iter().map(str::to_string)),
            Err(e) => {
                ctx.out.err_line(&format!("sort: cannot read: {name}: {e}"));
                return 2;
            }
        }
    }
    let key = |line: &str| -> String {
        let Some(k) = key_field else {
            return line.to_string();
        };
        let fields: Vec<&str> = match sep {
            Some(c) => line.split(c).collect(),
            None => line.split_whitespace().collect(),
        };
        fields
            .get(k - 1..)
            .map(|f| f.join(&sep.map(String::from).unwrap_or(" ".into())))
            .unwrap_or_default()
    };
    let cmp = |a: &String, b: &String| -> std::cmp::Ordering {
        let (ka, kb) = (key(a), key(b));
        if numeric {
            numeric_key(&ka)
                .partial_cmp(&numeric_key(&kb))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else if fold {
            ka.to_lowercase().cmp(&kb.to_lowercase())
        } else {
            ka.cmp(&kb)
        }
    };
    all.sort_by(|a, b| {
        let o = cmp(a, b);
        // GNU's last resort: compare whole lines when the keys tie (not with -u).
        let o = if o.is_eq() && !unique { a.cmp(b) } else { o };
        if reverse {
            o.reverse()
        } else {
            o
        }
    });
    if unique {
        all.dedup_by(|a, b| cmp(a, b).is_eq());
    }
    for l in all {
        ctx.out.line(&l);
    }
    0
}

/// `ls [-a] [-l] [DIR|FILE]…`: names in the workspace, one per line.
pub fn ls(ctx: &mut Ctx<'_>) -> i32 {
    const SPEC: OptSpec = OptSpec {
        flags: "al1",
        with_value: "",
        long: &[("all", 'a')],
    };
    let (opts, operands) = match getopt(&SPEC, &ctx.args) {
        Ok(p) => p,
        Err(e) => return opt_error(ctx, &e, 2),
    };
    let all = opts.iter().any(|(c, _)| *c == 'a');
    let targets = if operands.is_empty() {
        vec![".".to_string()]
    } else {
        operands
    };
    let mut status = 0;
    let many = targets.len() > 1;
    for (i, t) in targets.iter().enumerate() {
        let Some(p) = ctx.session.workspace.resolve(&ctx.session.path(t)) else {
            let why = ctx.session.workspace.outside();
            ctx.out.err_line(&format!("ls: cannot access '{t}': {why}"));
            status = 2;
            continue;
        };
        if p.is_file() {
            ctx.out.line(t);
            continue;
        }
        let Ok(rd) = std::fs::read_dir(&p) else {
            ctx.out
                .err_line(&format!("ls: cannot access '{t}': No such file or directory"));
            status = 2;
            continue;
        };
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok())
            .map(|e| {
                let mut n = e.file_name().to_string_lossy().into_owned();
                if e.path().is_dir() {
                    n.push('/');
                }
                n
            })
            .filter(|n| all || !n.starts_with('.'))
            .collect();
        names.sort();
        if many {
            ctx.out.line(&format!("{}{t}:", if i > 0 { "\n" } else { "" }));
        }
        for n in names {
            ctx.out.line(&n);
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picking_lines() {
        assert_eq!(pick(5, Count::First(2), true), 0..2);
        assert_eq!(pick(5, Count::First(9), true), 0..5);
        assert_eq!(pick(5, Count::AllBut(2), true), 0..3);
        assert_eq!(pick(5, Count::First(2), false), 3..5);
        assert_eq!(pick(5, Count::From(2), false), 1..5);
        assert_eq!(pick(5, Count::From(0), false), 0..5);
        assert_eq!(pick(5, Count::From(9), false), 5..5);
    }

    #[test]
    fn numeric_keys() {
        assert_eq!(numeric_key("  10 x"), 10.0);
        assert_eq!(numeric_key("-2.5"), -2.5);
        assert_eq!(numeric_key("abc"), 0.0);
    }
}
