//! The commands the lab shell knows, as one data table: name, usage, a one-line summary and
//! the function. Dispatch, `help` and tab completion all read the same [`TABLE`], so a command
//! added here is documented and callable at once.
//!
//! Commands are grouped by file: [`core`] (the shell's own: echo, export, sleep, timeout …),
//! [`text`] (cat, head, tail, wc, sort), [`grep`], [`cluster`] (kubectl, curl, minikube) and
//! [`openssl`].

pub mod cluster;
pub mod core;
pub mod edit;
pub mod grep;
pub mod openssl;
pub mod text;

use futures::future::BoxFuture;

use super::Session;
use crate::io::Output;

/// What a command gets: the shell, its arguments (without its own name), stdin and output.
pub struct Ctx<'a> {
    pub session: &'a mut Session,
    /// The name it was called by.
    pub name: String,
    pub args: Vec<String>,
    /// A pipe's input, a heredoc body or a `< file`.
    pub stdin: Option<String>,
    pub out: Output,
}

/// How a command runs: most finish at once; some wait (sleep, kubectl --watch, curl).
#[derive(Clone, Copy)]
pub enum Run {
    Sync(fn(&mut Ctx<'_>) -> i32),
    Async(fn(Ctx<'_>) -> BoxFuture<'_, i32>),
}

/// One row of the dispatch table.
pub struct Builtin {
    pub name: &'static str,
    pub usage: &'static str,
    pub summary: &'static str,
    pub run: Run,
}

impl Builtin {
    pub async fn call(&self, mut ctx: Ctx<'_>) -> i32 {
        match self.run {
            Run::Sync(f) => f(&mut ctx),
            Run::Async(f) => f(ctx).await,
        }
    }
}

/// Every command, in the order `help` lists them.
pub static TABLE: &[Builtin] = &[
    Builtin {
        name: "kubectl",
        usage: "kubectl COMMAND [ARGS]…",
        summary: "talk to the lab cluster",
        run: Run::Async(cluster::kubectl),
    },
    Builtin {
        name: "curl",
        usage: "curl [-s] [-k] [-v] URL",
        summary: "send an HTTP request from your machine (node and load-balancer addresses)",
        run: Run::Async(cluster::curl),
    },
    Builtin {
        name: "edit",
        usage: "edit FILE",
        summary: "open a workspace file in the lab's YAML editor (Ctrl+S saves and applies)",
        run: Run::Sync(edit::edit),
    },
    Builtin {
        name: "open",
        usage: "open FILE",
        summary: "the same as edit",
        run: Run::Sync(edit::edit),
    },
    Builtin {
        name: "replay",
        usage: "replay",
        summary: "run again the solutions of the lesson steps done on a cluster that is gone",
        run: Run::Async(cluster::replay),
    },
    Builtin {
        name: "minikube",
        usage: "minikube ip | minikube service NAME --url",
        summary: "node address and NodePort URLs of the lab cluster",
        run: Run::Sync(cluster::minikube),
    },
    Builtin {
        name: "openssl",
        usage: "openssl req -x509 -nodes -newkey rsa:2048 -keyout KEY -out CRT -subj /CN=…",
        summary: "make a self-signed certificate and key",
        run: Run::Async(openssl::openssl),
    },
    Builtin {
        name: "echo",
        usage: "echo [-n] [-e] [WORD]…",
        summary: "print words",
        run: Run::Sync(core::echo),
    },
    Builtin {
        name: "export",
        usage: "export NAME[=VALUE]…",
        summary: "set variables (no arguments: list them)",
        run: Run::Sync(core::export),
    },
    Builtin {
        name: "printenv",
        usage: "printenv [NAME]…",
        summary: "print variables",
        run: Run::Sync(core::printenv),
    },
    Builtin {
        name: "env",
        usage: "env",
        summary: "list variables",
        run: Run::Sync(core::printenv),
    },
    Builtin {
        name: "unset",
        usage: "unset NAME…",
        summary: "remove variables",
        run: Run::Sync(core::unset),
    },
    Builtin {
        name: "sleep",
        usage: "sleep SECONDS",
        summary: "wait, on the lab's clock",
        run: Run::Async(core::sleep),
    },
    Builtin {
        name: "timeout",
        usage: "timeout SECONDS COMMAND [ARG]…",
        summary: "stop COMMAND after SECONDS (status 124)",
        run: Run::Async(core::timeout),
    },
    Builtin {
        name: "grep",
        usage: "grep [-i -v -c -w -E -n -A N -B N -C N] PATTERN [FILE]…",
        summary: "print lines that match a pattern",
        run: Run::Sync(grep::grep),
    },
    Builtin {
        name: "head",
        usage: "head [-n N] [FILE]…",
        summary: "first lines",
        run: Run::Sync(text::head),
    },
    Builtin {
        name: "tail",
        usage: "tail [-n N|+N] [FILE]…",
        summary: "last lines",
        run: Run::Sync(text::tail),
    },
    Builtin {
        name: "wc",
        usage: "wc [-l -w -c] [FILE]…",
        summary: "count lines, words and bytes",
        run: Run::Sync(text::wc),
    },
    Builtin {
        name: "sort",
        usage: "sort [-r -n -u] [FILE]…",
        summary: "sort lines",
        run: Run::Sync(text::sort),
    },
    Builtin {
        name: "cat",
        usage: "cat [FILE]…",
        summary: "print files from your lesson folder",
        run: Run::Sync(text::cat),
    },
    Builtin {
        name: "ls",
        usage: "ls [DIR]",
        summary: "list the files in your lesson folder",
        run: Run::Sync(text::ls),
    },
    Builtin {
        name: "cd",
        usage: "cd [DIR]",
        summary: "change directory (inside the lesson folder)",
        run: Run::Sync(core::cd),
    },
    Builtin {
        name: "pwd",
        usage: "pwd",
        summary: "print the current directory",
        run: Run::Sync(core::pwd),
    },
    Builtin {
        name: "clear",
        usage: "clear",
        summary: "clear the screen",
        run: Run::Sync(core::clear),
    },
    Builtin {
        name: "history",
        usage: "history [-c]",
        summary: "the commands you typed",
        run: Run::Sync(core::history),
    },
    Builtin {
        name: "help",
        usage: "help [COMMAND]",
        summary: "this list",
        run: Run::Sync(core::help),
    },
    Builtin {
        name: "true",
        usage: "true",
        summary: "do nothing, successfully",
        run: Run::Sync(core::true_),
    },
    Builtin {
        name: "false",
        usage: "false",
        summary: "do nothing, unsuccessfully",
        run: Run::Sync(core::false_),
    },
    Builtin {
        name: ":",
        usage: ":",
        summary: "do nothing, successfully",
        run: Run::Sync(core::true_),
    },
    Builtin {
        name: "exit",
        usage: "exit [N]",
        summary: "leave the shell",
        run: Run::Sync(core::exit),
    },
];

pub fn lookup(name: &str) -> Option<&'static Builtin> {
    TABLE.iter().find(|b| b.name == name)
}

/// GNU-style options: which short letters exist, which take a value, and long names.
pub struct OptSpec {
    pub flags: &'static str,
    pub with_value: &'static str,
    pub long: &'static [(&'static str, char)],
}

/// A problem with a command's options, in getopt's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptError {
    Invalid(char),
    Unrecognized(String),
    MissingValue(char),
    MissingLongValue(String),
    Help,
}

impl OptError {
    pub fn message(&self, cmd: &str) -> Option<String> {
        Some(match self {
            OptError::Invalid(c) => format!("{cmd}: invalid option -- '{c}'"),
            OptError::Unrecognized(s) => format!("{cmd}: unrecognized option '{s}'"),
            OptError::MissingValue(c) => format!("{cmd}: option requires an argument -- '{c}'"),
            OptError::MissingLongValue(s) => format!("{cmd}: option '--{s}' requires an argument"),
            OptError::Help => return None,
        })
    }
}

/// Parsed options (in order) and operands. Options may come after operands, as with GNU tools;
/// `--` ends them; `-` alone is an operand (stdin).
pub type Parsed = (Vec<(char, Option<String>)>, Vec<String>);

pub fn getopt(spec: &OptSpec, args: &[String]) -> Result<Parsed, OptError> {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            if name == "help" {
                return Err(OptError::Help);
            }
            let Some(&(_, c)) = spec.long.iter().find(|(n, _)| *n == name) else {
                return Err(OptError::Unrecognized(a.clone()));
            };
            if spec.with_value.contains(c) {
                let v = match value {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => return Err(OptError::MissingLongValue(name.to_string())),
                };
                opts.push((c, Some(v)));
            } else {
                opts.push((c, None));
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a.chars().skip(1).collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                if spec.with_value.contains(c) {
                    let rest: String = chars[j..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(OptError::MissingValue(c));
                    };
                    opts.push((c, Some(v)));
                    break;
                } else if spec.flags.contains(c) {
                    opts.push((c, None));
                } else {
                    return Err(OptError::Invalid(c));
                }
            }
            continue;
        }
        operands.push(a.clone());
    }
    Ok((opts, operands))
}

/// Print an option error the GNU way and return the status to exit with.
pub fn opt_error(ctx: &Ctx<'_>, e: &OptError, status: i32) -> i32 {
    let usage = lookup(&ctx.name).map(|b| b.usage).unwrap_or("");
    match e.message(&ctx.name) {
        Some(m) => {
            ctx.out.err_line(&m);
            ctx.out
                .err_line(&format!("Try '{} --help' for more information.", ctx.name));
            status
        }
        None => {
            ctx.out.line(&format!("Usage: {usage}"));
            0
        }
    }
}

/// The inputs of a text command: each named file (from the workspace) or stdin.
pub fn inputs(ctx: &Ctx<'_>, operands: &[String]) -> Vec<(String, Result<String, String>)> {
    if operands.is_empty() {
        return vec![("-".into(), Ok(ctx.stdin.clone().unwrap_or_default()))];
    }
    operands
        .iter()
        .map(|f| {
            if f == "-" {
                (f.clone(), Ok(ctx.stdin.clone().unwrap_or_default()))
            } else {
                (f.clone(), ctx.session.read_file(f))
            }
        })
        .collect()
}

/// Split text into lines without their newlines (a final newline does not make an empty line).
pub fn lines(text: &str) -> Vec<&str> {
    let t = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        Vec::new()
    } else {
        t.split('\n').collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: OptSpec = OptSpec {
        flags: "abc",
        with_value: "nA",
        long: &[("all", 'a'), ("lines", 'n')],
    };

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn getopt_like_gnu() {
        let (o, ops) = getopt(
            &SPEC,
            &v(&["x", "-ab", "-n5", "y", "-A", "3", "--lines=2", "--all", "-", "--", "-c"]),
        )
        .unwrap();
        assert_eq!(
            o,
            vec![
                ('a', None),
                ('b', None),
                ('n', Some("5".into())),
                ('A', Some("3".into())),
                ('n', Some("2".into())),
                ('a', None)
            ]
        );
        assert_eq!(ops, v(&["x", "y", "-", "-c"]));
        assert_eq!(getopt(&SPEC, &v(&["-z"])), Err(OptError::Invalid('z')));
        assert_eq!(getopt(&SPEC, &v(&["--zz"])), Err(OptError::Unrecognized("--zz".into())));
        assert_eq!(getopt(&SPEC, &v(&["-n"])), Err(OptError::MissingValue('n')));
        assert_eq!(
            getopt(&SPEC, &v(&["--lines"])),
            Err(OptError::MissingLongValue("lines".into()))
        );
        assert_eq!(getopt(&SPEC, &v(&["--help"])), Err(OptError::Help));
    }

    #[test]
    fn lines_ignore_the_final_newline() {
        assert_eq!(lines("a\nb\n"), vec!["a", "b"]);
        assert_eq!(lines("a\nb"), vec!["a", "b"]);
        assert_eq!(lines(""), Vec::<&str>::new());
        assert_eq!(lines("\n"), vec![""]);
    }

    #[test]
    fn table_names_are_unique_and_documented() {
        for (i, b) in TABLE.iter().enumerate() {
            assert!(!b.summary.is_empty() && !b.usage.is_empty(), "{}", b.name);
            assert!(TABLE[i + 1..].iter().all(|o| o.name != b.name), "{}", b.name);
        }
    }
}
