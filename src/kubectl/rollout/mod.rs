//! `kubectl rollout SUBCOMMAND`: follow, inspect and steer a Deployment's rollouts.
//!
//! The subcommands are a table ([`SUBCOMMANDS`]) that the dispatch and the help text both read.
//! Each one works the way kubectl's own does, because learners compare against real output:
//! [`status`] watches the Deployment, [`history`] and [`undo`] read the ReplicaSets' revision
//! annotations (kubectl rolls back client-side, by copying a ReplicaSet's template into the
//! Deployment), and [`pause`] (with resume and restart) patches the Deployment's spec.
//!
//! What they share lives here: finding the objects named on the command line the way kubectl's
//! resource builder does ([`resolve`]), kubectl's names for kinds in errors, and printing a
//! `deployment.apps/NAME <operation>` result or the object with `-o`.

mod history;
mod pause;
mod status;
mod undo;

use std::sync::Arc;

pub use status::deployment_status;

use super::args::{switch, val, FlagSpec, Parsed};
use super::errors::server_error;
use super::fail;
use super::printers::{self, Format};
use super::resources::{parse_targets, Target};
use super::Ctx;
use crate::io::Output;
use crate::runtime::selectors::Selector;
use crate::runtime::{ApiError, Kind, Object};

/// One `kubectl rollout` subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    History,
    Pause,
    Restart,
    Resume,
    Status,
    Undo,
}

/// The subcommands with their one-line help, in the order `kubectl rollout` lists them.
const SUBCOMMANDS: &[(&str, Sub, &str)] = &[
    ("history", Sub::History, "View rollout history"),
    ("pause", Sub::Pause, "Mark the provided resource as paused"),
    ("restart", Sub::Restart, "Restart a resource"),
    ("resume", Sub::Resume, "Resume a paused resource"),
    ("status", Sub::Status, "Show the status of the rollout"),
    ("undo", Sub::Undo, "Undo a previous rollout"),
];

/// The subcommands for the group's help page.
pub fn commands() -> Vec<(&'static str, &'static str)> {
    SUBCOMMANDS.iter().map(|(n, _, short)| (*n, *short)).collect()
}

/// The flags each subcommand reads, out of the ones `kubectl rollout` parses; its help page
/// lists no others.
pub fn sub_flags(sub: &str) -> Option<&'static [FlagSpec]> {
    const OUTPUT: FlagSpec = val("output", Some('o'));
    const SELECTOR: FlagSpec = val("selector", Some('l'));
    const TEMPLATE: FlagSpec = val("template", None);
    const REVISION: FlagSpec = val("revision", None);
    const PATCHERS: &[FlagSpec] = &[OUTPUT, SELECTOR, TEMPLATE];
    const HISTORY: &[FlagSpec] = &[OUTPUT, REVISION, SELECTOR, TEMPLATE];
    const STATUS: &[FlagSpec] = &[REVISION, SELECTOR, val("timeout", None), switch("watch", Some('w'))];
    const UNDO: &[FlagSpec] = &[
        val("dry-run", None),
        OUTPUT,
        SELECTOR,
        TEMPLATE,
        val("to-revision", None),
    ];
    match sub {
        "history" => Some(HISTORY),
        "pause" | "restart" | "resume" => Some(PATCHERS),
        "status" => Some(STATUS),
        "undo" => Some(UNDO),
        _ => None,
    }
}

/// `kubectl rollout SUBCOMMAND …`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let Some(first) = p.positional.first() else {
        // cobra prints the help, then kubectl exits with 1.
        out.out(&super::verbs::help_text("rollout", None).unwrap_or_default());
        return 1;
    };
    let Some((_, sub, _)) = SUBCOMMANDS.iter().find(|(n, _, _)| n == first) else {
        out.err_line(&format!(
            "error: unknown command \"{}\"\nSee 'kubectl rollout -h' for help and examples",
            p.positional.join(" ")
        ));
        return 1;
    };
    let args = &p.positional[1..];
    match sub {
        Sub::History => history::run(ctx, p, args, out),
        Sub::Pause => pause::run(ctx, p, args, out, &pause::PAUSE),
        Sub::Resume => pause::run(ctx, p, args, out, &pause::RESUME),
        Sub::Restart => pause::run(ctx, p, args, out, &pause::RESTART),
        Sub::Status => status::run(ctx, p, args, out).await,
        Sub::Undo => undo::run(ctx, p, args, out),
    }
}

/// The objects named on the command line, fetched as kubectl's resource builder does: found
/// objects in order, and the server errors for the missing ones (kubectl reports those after
/// acting on the rest).
struct Resolved {
    objects: Vec<Arc<Object>>,
    errors: Vec<String>,
}

/// Resolve `TYPE NAME…`, `TYPE/NAME…` or `TYPE` (every object of the type, `-l` filtering).
/// An `Err` is a message for [`super::fail`].
fn resolve(ctx: &Ctx<'_>, p: &Parsed, args: &[String]) -> Result<Resolved, String> {
    let targets = parse_targets(args)?;
    if targets.is_empty() {
        return Err("required resource not specified".into());
    }
    let selector = Selector::parse(p.get("selector").unwrap_or(""))?;
    let ns = p.namespace();
    let mut r = Resolved {
        objects: Vec::new(),
        errors: Vec::new(),
    };
    for t in targets {
        match t {
            Target::Named(kind, name) => match ctx.cluster.get(kind, &ns, &name) {
                Some(o) => r.objects.push(o),
                None => r.errors.push(server_error(&ApiError::NotFound { kind, name })),
            },
            Target::All(kind) => {
                let mut all = ctx.cluster.list(kind, Some(&ns));
                all.retain(|o| selector.matches(o.labels()));
                all.sort_by(|a, b| a.name().cmp(b.name()));
                r.objects.extend(all);
            }
        }
    }
    Ok(r)
}

/// How kubectl names a kind in "not implemented" errors: Go's `GroupKind.String()`.
fn group_kind(kind: Kind) -> String {
    let info = kind.info();
    if info.group.is_empty() {
        info.name.to_string()
    } else {
        format!("{}.{}", info.name, info.group)
    }
}

/// `-o` for the rollout subcommands: kubectl's print flags without the table formats.
fn output_format(p: &Parsed) -> Result<Option<Format>, String> {
    Format::parse_object(p.get("output"), p.get("template"))
}

/// Print one object with `-o` the way kubectl's printers do one `PrintObj` call; `count` is how
/// many objects this printer has printed before (YAML separates documents with `---`).
fn print_object(out: &Output, format: &Format, obj: &Object, count: usize) -> Result<(), String> {
    match format {
        Format::Name => out.line(&printers::type_name(obj)),
        Format::Yaml if count > 0 => out.out(&format!("---\n{}", printers::render_data(format, &obj.to_json())?)),
        _ => out.out(&printers::render_data(format, &obj.to_json())?),
    }
    Ok(())
}

/// Print the result of an operation on `obj`: `deployment.apps/NAME OPERATION`, or the object
/// itself with `-o`.
fn print_result(out: &Output, format: Option<&Format>, obj: &Object, operation: &str) -> Result<(), String> {
    match format {
        None => {
            out.line(&format!("{} {operation}", printers::type_name(obj)));
            Ok(())
        }
        Some(f) => print_object(out, f, obj, 0),
    }
}

/// An integer flag parsed as pflag's `Int64Var` does, with its error wording.
fn int_flag(p: &Parsed, name: &str) -> Result<i64, String> {
    match p.get(name) {
        None => Ok(0),
        Some(v) => v.parse().map_err(|_| {
            format!("invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax")
        }),
    }
}

/// Report a flag error as cobra does: the error, then where to read the usage.
fn flag_error(out: &Output, sub: &str, e: &str) -> i32 {
    out.err_line(&format!("error: {e}"));
    out.err_line(&format!("See 'kubectl rollout {sub} --help' for usage."));
    1
}

/// Print the errors kubectl collected while visiting the objects; the exit code.
fn finish(out: &Output, errors: &[String]) -> i32 {
    for e in errors {
        out.err_line(e);
    }
    i32::from(!errors.is_empty())
}

#[cfg(test)]
mod tests;
