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

use super::args::{switch, val, FlagSpec, Parsed};
use super::mutate::{objects, NO_RESOURCES};
use super::printers::{self, Format};
use super::subcommands::{self, Sub};
use super::Ctx;
use crate::io::Output;
use crate::runtime::{ApiError, Object};

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
        aliases: &[],
        short: "Update environment variables on a pod template",
        flags: ENV_FLAGS,
        run: env::run,
    },
    Sub {
        name: "image",
        aliases: &[],
        short: "Update the image of a pod template",
        flags: IMAGE_FLAGS,
        run: image::run,
    },
];

/// The subcommands for the group's help page.
pub fn commands() -> Vec<(&'static str, &'static str)> {
    subcommands::commands(SUBCOMMANDS)
}

/// One subcommand's own flags.
pub fn sub_flags(name: &str) -> Option<&'static [FlagSpec]> {
    subcommands::flags_of(SUBCOMMANDS, name)
}

/// `kubectl set SUBCOMMAND …`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    subcommands::run(ctx, p, out, "set", SUBCOMMANDS)
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
