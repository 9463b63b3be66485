//! The command table: every verb as data (name, aliases, one-line help, its flags, the function
//! that runs it), like helix's command tables. `kubectl help`, the unknown-command suggestions and
//! flag checking all come from this one table.

use std::future::Future;
use std::pin::Pin;

use super::args::{self, switch, val, FlagSpec, Parsed, GLOBAL};
use super::{get, Ctx};
use crate::shell::io::Output;

/// A verb's entry point.
pub type VerbFn = for<'a> fn(
    &'a Ctx<'a>,
    &'a Parsed,
    &'a Output,
) -> Pin<Box<dyn Future<Output = i32> + Send + 'a>>;

/// One kubectl command.
pub struct Verb {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub short: &'static str,
    pub flags: &'static [FlagSpec],
    pub run: VerbFn,
}

macro_rules! entry {
    ($path:path) => {{
        fn f<'a>(
            c: &'a Ctx<'a>,
            p: &'a Parsed,
            o: &'a Output,
        ) -> Pin<Box<dyn Future<Output = i32> + Send + 'a>> {
            Box::pin($path(c, p, o))
        }
        f
    }};
}

const GET_FLAGS: &[FlagSpec] = &[
    switch("all-namespaces", Some('A')),
    val("selector", Some('l')),
    val("output", Some('o')),
    switch("watch", Some('w')),
    switch("watch-only", None),
    switch("show-labels", None),
    switch("no-headers", None),
    val("filename", Some('f')),
    val("sort-by", None),
    val("field-selector", None),
    val("label-columns", Some('L')),
    val("template", None),
    switch("show-kind", None),
    switch("ignore-not-found", None),
    val("chunk-size", None),
];

/// Every verb the lab implements, in the order `kubectl --help` lists them.
pub const VERBS: &[Verb] = &[Verb {
    name: "get",
    aliases: &[],
    short: "Display one or many resources",
    flags: GET_FLAGS,
    run: entry!(get::run),
}];

/// Every command real kubectl has, in its help order (cobra suggests from these).
const KUBECTL_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "api-resources",
    "api-versions",
    "config",
    "plugin",
    "version",
    "options",
    "help",
];

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// cobra's `SuggestionsFor`: distance ≤ 2 or a prefix match.
pub fn suggestions(typed: &str) -> Vec<&'static str> {
    KUBECTL_COMMANDS
        .iter()
        .copied()
        .filter(|c| levenshtein(typed, c) <= 2 || c.starts_with(&typed.to_lowercase()))
        .collect()
}

fn find(name: &str) -> Option<&'static Verb> {
    VERBS
        .iter()
        .find(|v| v.name == name || v.aliases.contains(&name))
}

/// kubectl's top-level help, generated from [`VERBS`].
pub fn help() -> String {
    let mut s = String::from("kubectl controls the Kubernetes cluster manager.\n\nCommands:\n");
    let w = VERBS.iter().map(|v| v.name.len()).max().unwrap_or(0);
    for v in VERBS {
        s.push_str(&format!("  {:<w$}   {}\n", v.name, v.short));
    }
    s.push_str("\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n");
    s
}

/// Split off the verb (global flags may come first), parse the rest and run it.
pub async fn dispatch(ctx: &Ctx<'_>, args: &[String], out: &Output) -> i32 {
    // Leading global flags (`kubectl -n x get pods`) are kept and parsed with the verb's flags.
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') && args[i] != "--" {
        let takes_value = |a: &str| {
            let body = a.trim_start_matches('-');
            !body.contains('=')
                && GLOBAL.iter().any(|f| {
                    f.takes_value
                        && (f.long == body || (a.len() == 2 && f.short == body.chars().next()))
                })
        };
        if takes_value(&args[i]) {
            i += 1;
        }
        i += 1;
    }
    if i >= args.len() {
        if args.iter().any(|a| a == "--help" || a == "-h") || args.is_empty() {
            out.out(&help());
            return 0;
        }
        out.out(&help());
        return 0;
    }
    let name = args[i].as_str();
    if name == "help" {
        out.out(&help());
        return 0;
    }
    let Some(verb) = find(name) else {
        let mut msg = format!("error: unknown command \"{name}\" for \"kubectl\"");
        let s = suggestions(name);
        if !s.is_empty() {
            msg.push_str("\n\nDid you mean this?\n");
            for c in s {
                msg.push_str(&format!("\t{c}\n"));
            }
        }
        out.err(&format!("{}\n", msg.trim_end_matches('\n')));
        return 1;
    };
    let rest: Vec<String> = args[..i]
        .iter()
        .chain(args[i + 1..].iter())
        .cloned()
        .collect();
    if rest
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--help" || a == "-h")
    {
        out.line(verb.short);
        return 0;
    }
    let parsed = match args::parse(&rest, &[GLOBAL, verb.flags]) {
        Ok(p) => p,
        Err(e) => {
            out.err_line(&format!("error: {e}"));
            out.err_line(&format!("See 'kubectl {} --help' for usage.", verb.name));
            return 1;
        }
    };
    (verb.run)(ctx, &parsed, out).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_follow_cobra() {
        assert_eq!(suggestions("gett"), vec!["set", "get"]);
        assert_eq!(suggestions("describ"), vec!["describe"]);
        assert!(suggestions("xyzzy").is_empty());
    }

    #[test]
    fn help_lists_every_verb() {
        let h = help();
        for v in VERBS {
            assert!(h.contains(v.name), "{}", v.name);
        }
    }
}
