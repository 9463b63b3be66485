//! `kubectl set image|env`: change the pod template of Deployments, ReplicaSets and pods.
//!
//! Both subcommands work the way kubectl's do, because that is what learners compare against:
//! the resources come first and the changes after them (`deploy/web nginx=nginx:1.27`), kubectl
//! finds every named object before changing any, edits each object's pod spec client-side and
//! sends the difference as a patch — an edit that changes nothing sends nothing and prints
//! nothing. Here the patch is an update through the API path ([`Cluster::update`]), so defaults
//! and validation apply, and a changed Deployment template is a new rollout for the Deployment
//! controller (a new ReplicaSet, a new revision in `rollout history`).
//!
//! [`Cluster::update`]: crate::runtime::Cluster::update

mod env;
mod image;

use std::sync::Arc;

use k8s_openapi::api::core::v1::PodSpec;

use super::args::{self, switch, val, FlagSpec, Parsed, GLOBAL};
use super::mutate::{objects, NO_RESOURCES};
use super::printers::{self, Format};
use super::Ctx;
use crate::runtime::{ApiError, Object};
use crate::shell::io::Output;

/// One `kubectl set` subcommand.
struct Sub {
    name: &'static str,
    short: &'static str,
    flags: &'static [FlagSpec],
}

const IMAGE_FLAGS: &[FlagSpec] = &[
    switch("all", None),
    val("selector", Some('l')),
    val("output", Some('o')),
    val("template", None),
];

const ENV_FLAGS: &[FlagSpec] = &[
    switch("all", None),
    val("selector", Some('l')),
    val("output", Some('o')),
    val("template", None),
    val("env", Some('e')),
    val("containers", Some('c')),
    switch("list", None),
    switch("overwrite", None),
];

/// Every flag of every subcommand, for the command table (each subcommand then checks its own).
pub const FLAGS: &[FlagSpec] = ENV_FLAGS;

/// The subcommands the lab has, in the order `kubectl set` lists them.
const SUBCOMMANDS: &[Sub] = &[
    Sub {
        name: "env",
        short: "Update environment variables on a pod template",
        flags: ENV_FLAGS,
    },
    Sub {
        name: "image",
        short: "Update image of a pod template",
        flags: IMAGE_FLAGS,
    },
];

/// What `kubectl set` alone prints: its help, generated from [`SUBCOMMANDS`].
pub fn help() -> String {
    let mut s = String::from(
        "Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands:\n",
    );
    let w = SUBCOMMANDS.iter().map(|c| c.name.len()).max().unwrap_or(0).max(11);
    for c in SUBCOMMANDS {
        s.push_str(&format!("  {:<w$}   {}\n", c.name, c.short));
    }
    s.push_str("\nUsage:\n  kubectl set SUBCOMMAND [options]\n\n");
    s.push_str("Use \"kubectl set <command> --help\" for more information about a given command.\n");
    s.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    s
}

/// `kubectl set SUBCOMMAND …`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let Some(first) = p.positional.first() else {
        // cobra's DefaultSubCommandRun: the help on stderr, then exit 1.
        out.err(&help());
        return 1;
    };
    let Some(sub) = SUBCOMMANDS.iter().find(|s| s.name == first) else {
        out.err_line(&format!(
            "error: unknown command {:?}\nSee 'kubectl set -h' for help and examples",
            p.positional.join(" ")
        ));
        return 1;
    };
    let q = match args::parse(&p.raw, &[GLOBAL, sub.flags]) {
        Ok(q) => q,
        Err(e) => {
            out.err_line(&format!("error: {e}"));
            out.err_line(&format!("See 'kubectl set {} --help' for usage.", sub.name));
            return 1;
        }
    };
    let rest = &q.positional[1..];
    match sub.name {
        "image" => image::run(ctx, &q, rest, out),
        _ => env::run(ctx, &q, rest, out),
    }
}

/// The objects the resource arguments name, as kubectl's builder finds them: all or nothing
/// (a missing one is an error before anything changes). `Err` holds whole error lines.
fn find(ctx: &Ctx<'_>, p: &Parsed, resources: &[String]) -> Result<Vec<Arc<Object>>, Vec<String>> {
    if resources.is_empty() {
        return Err(vec![NO_RESOURCES.to_string()]);
    }
    match objects(ctx, p, resources) {
        Err(e) => Err(vec![format!("error: {e}")]),
        Ok((_, errs)) if !errs.is_empty() => Err(errs),
        Ok((objs, _)) => Ok(objs),
    }
}

/// kubectl's `GetResourcesAndPairs`: resources first, then `KEY=VALUE` / `KEY-` pairs.
fn split_pairs(args: &[String], pair_type: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        let is_pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        match (pairs.is_empty(), is_pair) {
            (_, true) => pairs.push(a.clone()),
            (true, false) => resources.push(a.clone()),
            (false, false) => {
                return Err(format!(
                    "all resources must be specified before {pair_type} changes: {a}"
                ));
            }
        }
    }
    Ok((resources, pairs))
}

/// The pod spec a `set` command edits: a pod's own, or a controller's template.
fn pod_spec_mut(obj: &mut Object) -> Option<&mut PodSpec> {
    match obj {
        Object::Pod(p) => p.spec.as_mut(),
        Object::Deployment(d) => d.spec.as_mut()?.template.spec.as_mut(),
        Object::ReplicaSet(r) => r.spec.as_mut()?.template.as_mut()?.spec.as_mut(),
        _ => None,
    }
}

/// `polymorphichelpers.UpdatePodSpecForObject`'s refusal, as a `set` error line.
fn no_pod_template(obj: &Object) -> String {
    format!(
        "error: {}/{} the object is not a pod or does not have a pod template: *v1.{}\n",
        obj.kind().info().plural,
        obj.name(),
        obj.kind().info().name
    )
}

/// The API server's own message for a failed patch (kubectl wraps it, without its `The …`
/// rewording of validation errors).
fn status_message(e: &ApiError) -> String {
    match e {
        ApiError::Invalid { kind, name, causes } => {
            let info = kind.info();
            let gk = if info.group.is_empty() {
                info.name.to_string()
            } else {
                format!("{}.{}", info.name, info.group)
            };
            let list: Vec<String> = causes.iter().map(|c| format!("{}: {}", c.field, c.detail)).collect();
            let joined = match list.as_slice() {
                [one] => one.clone(),
                many => format!("[{}]", many.join(", ")),
            };
            format!("{gk} \"{name}\" is invalid: {joined}")
        }
        other => other.to_string(),
    }
}

/// Send `edited` in place of `original` (unless nothing changed) and print the result:
/// `deployment.apps/NAME OPERATION`, or the object with `-o`. `what` names the change in the
/// error (`image`, `env`). `Ok(false)` means there was nothing to send.
fn apply(
    ctx: &Ctx<'_>,
    original: &Object,
    mut edited: Object,
    format: Option<&Format>,
    operation: &str,
    what: &str,
    out: &Output,
) -> Result<bool, String> {
    if edited == *original {
        return Ok(false);
    }
    edited.meta_mut().resource_version = None;
    let updated = ctx
        .cluster
        .update(edited)
        .map_err(|e| format!("failed to patch {what} update to pod template: {}", status_message(&e)))?;
    match format {
        None => out.line(&format!("{} {operation}", printers::type_name(&updated))),
        Some(Format::Name) => out.line(&printers::type_name(&updated)),
        Some(f) => out.out(&printers::render_data(f, &updated.to_json())?),
    }
    Ok(true)
}

#[cfg(test)]
mod tests;
