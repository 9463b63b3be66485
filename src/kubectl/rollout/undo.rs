//! `kubectl rollout undo`: roll a Deployment back to an earlier revision. As in kubectl
//! (`DeploymentRollbacker`), this happens on the client: find the ReplicaSet of that revision
//! (by default the one before the newest), copy its pod template — without the
//! `pod-template-hash` label — and its annotations into the Deployment. The controller then
//! sees a template it already has a ReplicaSet for, scales that one back up and gives it the
//! next revision number.

use k8s_openapi::api::apps::v1::Deployment;

use super::history::{replica_sets, rs_template, same_template};
use super::{group_kind, int_flag, output_format, print_result, resolve, Ctx, Parsed};
use crate::io::Output;
use crate::kubectl::describe::pod_template;
use crate::runtime::api::WriteOptions;
use crate::runtime::controllers::deployment::revisions::{revision, NOT_COPIED};
use crate::runtime::{Kind, Object};

/// `--dry-run`, as kubectl's `GetDryRunStrategy` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    fn parse(p: &Parsed) -> Result<DryRun, String> {
        match p.get("dry-run") {
            None | Some("none" | "false") => Ok(DryRun::None),
            Some("client" | "true") => Ok(DryRun::Client),
            Some("server") => Ok(DryRun::Server),
            Some(other) => Err(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            )),
        }
    }

    /// The printed operation, marked as a dry run the way kubectl's print flags mark it.
    fn mark(self, operation: &str) -> String {
        match self {
            DryRun::None => operation.to_string(),
            DryRun::Client => format!("{operation} (dry run)"),
            DryRun::Server => format!("{operation} (server dry run)"),
        }
    }
}

/// `kubectl rollout undo (TYPE NAME | TYPE/NAME) [--to-revision=N] [--dry-run=client|server]`.
pub fn run(ctx: &Ctx<'_>, p: &Parsed, args: &[String], out: &Output) -> i32 {
    let to = match int_flag(p, "to-revision") {
        Ok(r) => r,
        Err(e) => return super::flag_error(out, "undo", &e),
    };
    let dry_run = match DryRun::parse(p) {
        Ok(d) => d,
        Err(e) => return super::fail(out, &e),
    };
    let format = match output_format(p) {
        Ok(f) => f,
        Err(e) => return super::fail(out, &e),
    };
    let found = match resolve(ctx, p, args) {
        Ok(r) => r,
        Err(e) => return super::fail(out, &e),
    };
    let mut errors = found.errors;
    for obj in &found.objects {
        if obj.kind() != Kind::Deployment {
            errors.push(format!(
                "error: no rollbacker has been implemented for \"{}\"",
                group_kind(obj.kind())
            ));
            continue;
        }
        let printed = rollback(ctx, obj, to, dry_run)
            .and_then(|result| print_result(out, format.as_ref(), obj, &dry_run.mark(&result)));
        if let Err(e) = printed {
            errors.push(format!("error: {e}"));
        }
    }
    super::finish(out, &errors)
}

fn not_in_history(to: i64) -> String {
    format!("unable to find specified revision {to} in history")
}

/// Roll one Deployment back; the operation to print (`rolled back`, `skipped rollback …`, or
/// for a client dry run the template it would roll back to).
fn rollback(ctx: &Ctx<'_>, obj: &Object, to: i64, dry_run: DryRun) -> Result<String, String> {
    if to < 0 {
        return Err(not_in_history(to));
    }
    let name = obj.name();
    let live = ctx
        .cluster
        .read(Kind::Deployment, obj.namespace(), name)
        .map_err(|e| format!("failed to retrieve Deployment {name}: {e}"))?;
    let Some(dep) = live.as_deployment() else {
        return Err(format!("failed to retrieve Deployment {name}"));
    };
    let target = revision_to_restore(ctx, &live, to)?;
    let template = rs_template(&target).unwrap_or_default();
    if dry_run == DryRun::Client {
        let mut text = String::new();
        pod_template(&mut text, Some(&template));
        return Ok(text);
    }
    let spec = dep.spec.clone().unwrap_or_default();
    if spec.paused == Some(true) {
        return Err(format!(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/{name}' and try again"
        ));
    }
    if same_template(Some(&template), &spec.template) {
        return Ok(format!(
            "skipped rollback (current template already matches revision {to})"
        ));
    }
    if dry_run == DryRun::None {
        let annotations = restored_annotations(dep, &target);
        let mut template = template;
        if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
            labels.remove("pod-template-hash");
        }
        ctx.cluster
            .modify(
                Kind::Deployment,
                obj.namespace(),
                name,
                |o| {
                    if let Object::Deployment(d) = o {
                        d.spec.get_or_insert_with(Default::default).template = template.clone();
                        d.metadata.annotations = annotations.clone();
                    }
                },
                &WriteOptions::default(),
            )
            .map_err(|e| format!("failed restoring revision {to}: {e}"))?;
    }
    Ok("rolled back".into())
}

/// `deploymentRevision`: the ReplicaSet of revision `to`, or for 0 the second newest.
fn revision_to_restore(ctx: &Ctx<'_>, dep: &Object, to: i64) -> Result<std::sync::Arc<Object>, String> {
    let rss = replica_sets(ctx, dep);
    if to > 0 {
        return rss
            .into_iter()
            .find(|rs| revision(rs) == to)
            .ok_or_else(|| not_in_history(to));
    }
    let (mut latest, mut previous) = ((-1, None), (-1, None));
    for rs in rss {
        let v = revision(&rs);
        if latest.0 < v {
            previous = latest;
            latest = (v, Some(rs));
        } else if previous.0 < v {
            previous = (v, Some(rs));
        }
    }
    previous
        .1
        .ok_or_else(|| format!("no rollout history found for deployment \"{}\"", dep.name()))
}

/// The Deployment's annotations after the rollback: its own controller/apply annotations, and
/// every other annotation from the ReplicaSet (such as its change cause); the rest go.
fn restored_annotations(dep: &Deployment, rs: &Object) -> Option<std::collections::BTreeMap<String, String>> {
    let own = dep.metadata.annotations.clone().unwrap_or_default();
    let mut out: std::collections::BTreeMap<String, String> = own
        .into_iter()
        .filter(|(k, _)| NOT_COPIED.contains(&k.as_str()))
        .collect();
    for (k, v) in rs.meta().annotations.iter().flatten() {
        if !NOT_COPIED.contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    Some(out).filter(|a| !a.is_empty())
}
