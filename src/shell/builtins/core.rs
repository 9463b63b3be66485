//! The shell's own commands: printing, variables, time, directories and the session itself.
//!
//! `sleep` and `timeout` use the lab clock ([`crate::runtime::Clock`]), never tokio directly, so a
//! lesson running at ten times real speed sleeps ten times faster and tests run on paused time.
//! `timeout` stops its command by dropping the command's future: everything the command does
//! lives inside that future.

use std::time::Duration;

use futures::future::BoxFuture;

use super::{lookup, Ctx, TABLE};
use crate::shell::parse::is_name;

pub fn true_(_: &mut Ctx<'_>) -> i32 {
    0
}

pub fn false_(_: &mut Ctx<'_>) -> i32 {
    1
}

/// bash's `echo`: `-n` (no newline), `-e` (backslash escapes), `-E`; other dashes are words.
pub fn echo(ctx: &mut Ctx<'_>) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut start = 0;
    for a in &ctx.args {
        let flags = match a.strip_prefix('-') {
            Some(f) if !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) => f,
            _ => break,
        };
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        start += 1;
    }
    let mut text = ctx.args[start..].join(" ");
    if escapes {
        let (t, stop) = unescape(&text);
        text = t;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    ctx.out.out(&text);
    0
}

/// `echo -e` escapes. Returns the text and whether `\c` asked to stop output there.
pub fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' || i >= chars.len() {
            out.push(c);
            continue;
        }
        let e = chars[i];
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            'c' => return (out, true),
            '0' | 'x' => {
                let (radix, max) = if e == '0' { (8, 3) } else { (16, 2) };
                let mut n = 0u32;
                let mut digits = 0;
                while digits < max && i < chars.len() && chars[i].is_digit(radix) {
                    n = n * radix + chars[i].to_digit(radix).unwrap_or(0);
                    i += 1;
                    digits += 1;
                }
                if e == 'x' && digits == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// `export NAME=value`, `export NAME`, `export` / `export -p` (list).
pub fn export(ctx: &mut Ctx<'_>) -> i32 {
    let mut status = 0;
    let mut list = ctx.args.is_empty();
    for a in ctx.args.clone() {
        if a == "-p" {
            list = true;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            ctx.out.err_line(&format!("sh: export: {a}: invalid option"));
            ctx.out
                .err_line("export: usage: export [name[=value] ...] or export -p");
            return 2;
        }
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        if !is_name(&name) {
            ctx.out.err_line(&format!("sh: export: '{a}': not a valid identifier"));
            status = 1;
            continue;
        }
        if let Some(v) = value {
            ctx.session.vars.insert(name, v);
        }
    }
    if list {
        for (k, v) in &ctx.session.vars {
            let v = v
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('$', "\\$")
                .replace('`', "\\`");
            ctx.out.line(&format!("declare -x {k}=\"{v}\""));
        }
    }
    status
}

pub fn unset(ctx: &mut Ctx<'_>) -> i32 {
    let mut status = 0;
    for a in ctx.args.clone() {
        if a == "-v" || a == "-f" {
            continue;
        }
        if !is_name(&a) {
            ctx.out.err_line(&format!("sh: unset: '{a}': not a valid identifier"));
            status = 1;
            continue;
        }
        ctx.session.vars.remove(&a);
    }
    status
}

/// A GNU duration: `1.5`, `10s`, `2m`, `1h`, `1d`, `infinity`. `None` if invalid.
pub fn parse_duration(s: &str) -> Option<f64> {
    if s == "infinity" || s == "inf" {
        return Some(f64::INFINITY);
    }
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1.0),
        'm' => (&s[..s.len() - 1], 60.0),
        'h' => (&s[..s.len() - 1], 3600.0),
        'd' => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let n: f64 = num.parse().ok()?;
    Some(n * mult)
}

/// Wait `secs` of lab time (forever if it does not fit a Duration).
async fn lab_sleep(ctx: &Ctx<'_>, secs: f64) {
    match Duration::try_from_secs_f64(secs) {
        Ok(d) => ctx.session.cluster.clock().sleep(d).await,
        Err(_) => std::future::pending::<()>().await,
    }
}

pub fn sleep(ctx: Ctx<'_>) -> BoxFuture<'_, i32> {
    Box::pin(async move {
        if ctx.args.is_empty() {
            ctx.out.err_line("sleep: missing operand");
            ctx.out.err_line("Try 'sleep --help' for more information.");
            return 1;
        }
        let mut total = 0.0;
        for a in &ctx.args {
            match parse_duration(a) {
                Some(s) => total += s,
                None => {
                    ctx.out.err_line(&format!("sleep: invalid time interval '{a}'"));
                    ctx.out.err_line("Try 'sleep --help' for more information.");
                    return 1;
                }
            }
        }
        lab_sleep(&ctx, total).await;
        0
    })
}

/// coreutils `timeout`: status 124 when the time runs out, 125 for its own errors, 127 when the
/// command does not exist; otherwise the command's status.
pub fn timeout(ctx: Ctx<'_>) -> BoxFuture<'_, i32> {
    Box::pin(async move {
        let fail = |msg: &str| {
            ctx.out.err_line(&format!("timeout: {msg}"));
            ctx.out.err_line("Try 'timeout --help' for more information.");
            125
        };
        let mut args = ctx.args.clone().into_iter().peekable();
        let mut preserve = false;
        // Options come before the duration only (timeout stops at the first operand).
        while let Some(a) = args.peek().cloned() {
            if !a.starts_with('-') || a == "-" {
                break;
            }
            args.next();
            match a.as_str() {
                "--" => break,
                "--preserve-status" => preserve = true,
                "--foreground" | "-v" | "--verbose" => {}
                "-s" | "-k" | "--signal" | "--kill-after" => {
                    if args.next().is_none() {
                        return fail(&format!(
                            "option requires an argument -- '{}'",
                            a.trim_start_matches('-')
                        ));
                    }
                }
                _ if a.starts_with("--signal=")
                    || a.starts_with("--kill-after=")
                    || a.starts_with("-s")
                    || a.starts_with("-k") => {}
                _ if a.starts_with("--") => return fail(&format!("unrecognized option '{a}'")),
                _ => return fail(&format!("invalid option -- '{}'", a.chars().nth(1).unwrap_or('-'))),
            }
        }
        let Some(dur) = args.next() else {
            return fail("missing operand");
        };
        let Some(secs) = parse_duration(&dur) else {
            return fail(&format!("invalid time interval '{dur}'"));
        };
        let argv: Vec<String> = args.collect();
        let Some(name) = argv.first() else {
            return fail("missing operand");
        };
        if lookup(name).is_none() && ctx.session.attached.is_none() {
            ctx.out.err_line(&format!(
                "timeout: failed to run command '{name}': No such file or directory"
            ));
            return 127;
        }
        let Ctx {
            session, stdin, out, ..
        } = ctx;
        let clock = session.cluster.clock().clone();
        let run = session.run_argv(argv, stdin, &out);
        if secs == 0.0 || !secs.is_finite() {
            return run.await;
        }
        let Ok(limit) = Duration::try_from_secs_f64(secs) else {
            return run.await;
        };
        match clock.timeout(limit, run).await {
            Ok(status) => status,
            Err(_) if preserve => 128 + 15,
            Err(_) => 124,
        }
    })
}

/// Normalise a workspace path lexically (`/a/./b/../c` → `/a/c`); `..` stops at the root.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

pub fn cd(ctx: &mut Ctx<'_>) -> i32 {
    let target = match ctx.args.first().map(String::as_str) {
        None | Some("~") => "/".to_string(),
        Some("-") => {
            let old = ctx.session.vars.get("OLDPWD").cloned().unwrap_or_else(|| "/".into());
            ctx.out.line(&ctx.session.workspace.shown(&ctx.session.path(&old)));
            normalize(&ctx.session.path(&old))
        }
        Some(d) => normalize(&ctx.session.path(d)),
    };
    if ctx.args.len() > 1 {
        ctx.out.err_line("sh: cd: too many arguments");
        return 1;
    }
    match ctx.session.workspace.resolve(&target) {
        Some(p) if p.is_dir() => {
            let old = std::mem::replace(&mut ctx.session.cwd, target);
            ctx.session.vars.insert("OLDPWD".into(), old);
            0
        }
        Some(p) if p.exists() => {
            ctx.out.err_line(&format!("sh: cd: {}: Not a directory", ctx.args[0]));
            1
        }
        None if ctx.args.first().is_some_and(|a| a != "-") => {
            let why = ctx.session.workspace.outside();
            ctx.out.err_line(&format!("sh: cd: {}: {why}", ctx.args[0]));
            1
        }
        _ => {
            ctx.out.err_line(&format!(
                "sh: cd: {}: No such file or directory",
                ctx.args.first().map(String::as_str).unwrap_or("")
            ));
            1
        }
    }
}

pub fn pwd(ctx: &mut Ctx<'_>) -> i32 {
    ctx.out.line(&ctx.session.workspace.shown(&ctx.session.cwd));
    0
}

pub fn clear(ctx: &mut Ctx<'_>) -> i32 {
    ctx.out.clear();
    0
}

/// `history` lists what was typed, numbered like bash; `history N` the last N; `-c` forgets.
pub fn history(ctx: &mut Ctx<'_>) -> i32 {
    let h = &ctx.session.history;
    match ctx.args.first().map(String::as_str) {
        Some("-c") => {
            ctx.session.history.clear();
            0
        }
        Some(n) => match n.parse::<usize>() {
            Ok(n) => {
                let skip = h.len().saturating_sub(n);
                for (i, l) in h.iter().enumerate().skip(skip) {
                    ctx.out.line(&format!("{:>5}  {l}", i + 1));
                }
                0
            }
            Err(_) => {
                ctx.out
                    .err_line(&format!("sh: history: {n}: numeric argument required"));
                1
            }
        },
        None => {
            for (i, l) in h.iter().enumerate() {
                ctx.out.line(&format!("{:>5}  {l}", i + 1));
            }
            0
        }
    }
}

/// `help` is generated from the dispatch table.
pub fn help(ctx: &mut Ctx<'_>) -> i32 {
    if let Some(topic) = ctx.args.first() {
        return match lookup(topic) {
            Some(b) => {
                ctx.out.line(&format!("{}: {}", b.name, b.usage));
                ctx.out.line(&format!("    {}", b.summary));
                0
            }
            None => {
                ctx.out.err_line(&format!("sh: help: no help topics match '{topic}'."));
                1
            }
        };
    }
    ctx.out.line("Commands you can use here:");
    let width = TABLE.iter().map(|b| b.name.len()).max().unwrap_or(0);
    for b in TABLE.iter().filter(|b| b.name != ":") {
        ctx.out.line(&format!("  {:<width$}  {}", b.name, b.summary));
    }
    ctx.out.line("");
    ctx.out
        .line("The shell understands 'quotes', \"$VAR\", ${VAR:-default}, $(command), a | b, a && b,");
    ctx.out
        .line("a || b, a; b, > file, 2>&1, and heredocs (<<EOF … EOF). 'help NAME' shows a command's usage.");
    0
}

pub fn exit(ctx: &mut Ctx<'_>) -> i32 {
    let status = match ctx.args.first() {
        None => ctx.session.last_status,
        Some(n) => match n.parse::<i64>() {
            Ok(n) => (n & 0xff) as i32,
            Err(_) => {
                ctx.out.err_line(&format!("sh: exit: {n}: numeric argument required"));
                2
            }
        },
    };
    ctx.session.exit = Some(status);
    status
}

/// `env` / `printenv [NAME]…`: the shell's variables (the lab has no separate environment).
pub fn printenv(ctx: &mut Ctx<'_>) -> i32 {
    if ctx.name == "env" && !ctx.args.is_empty() {
        ctx.out.err_line("env: the lab's env only lists variables");
        return 125;
    }
    if ctx.args.is_empty() {
        for (k, v) in &ctx.session.vars {
            ctx.out.line(&format!("{k}={v}"));
        }
        return 0;
    }
    let mut status = 0;
    for a in &ctx.args {
        match ctx.session.vars.get(a) {
            Some(v) => ctx.out.line(v),
            None => status = 1,
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10"), Some(10.0));
        assert_eq!(parse_duration("1.5s"), Some(1.5));
        assert_eq!(parse_duration("2m"), Some(120.0));
        assert_eq!(parse_duration("1h"), Some(3600.0));
        assert_eq!(parse_duration("infinity"), Some(f64::INFINITY));
        assert_eq!(parse_duration("x"), None);
        assert_eq!(parse_duration("-1"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("s"), None);
        assert_eq!(parse_duration("1..2"), None);
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape(r"a\tb\nc\\"), ("a\tb\nc\\".to_string(), false));
        assert_eq!(unescape(r"a\cb"), ("a".to_string(), true));
        assert_eq!(unescape(r"\x41\0101\q"), ("AA\\q".to_string(), false));
    }

    #[test]
    fn normalizing_paths() {
        assert_eq!(normalize("/a/./b/../c/"), "/a/c");
        assert_eq!(normalize("/../.."), "/");
        assert_eq!(normalize("//x"), "/x");
    }
}
