//! `kubectl rollout history`: a Deployment's revisions, read from its ReplicaSets the way
//! kubectl's `DeploymentHistoryViewer` does. Each ReplicaSet is one revision (its
//! `deployment.kubernetes.io/revision`), its `kubernetes.io/change-cause` is the CHANGE-CAUSE,
//! and `--revision=N` shows that ReplicaSet's pod template in `kubectl describe`'s layout —
//! with raw tabs, because kubectl prints it without a tab writer.
//!
//! With `-o`, kubectl prints the ReplicaSets themselves instead (all of them by revision, or
//! the one asked for).

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::PodTemplateSpec;

use super::{group_kind, int_flag, output_format, print_object, resolve, Ctx, Parsed};
use crate::io::Output;
use crate::kubectl::describe::pod_template;
use crate::kubectl::gotab;
use crate::kubectl::printers::{type_name, Format};
use crate::runtime::controllers::deployment::revisions::{revision, CHANGE_CAUSE};
use crate::runtime::controllers::owned_by;
use crate::runtime::{Kind, Object};

const NOT_FOUND: &str = "unable to find the specified revision";

/// `kubectl rollout history (TYPE NAME | TYPE/NAME) [--revision=N] [-o FORMAT]`.
pub fn run(ctx: &Ctx<'_>, p: &Parsed, args: &[String], out: &Output) -> i32 {
    let wanted = match int_flag(p, "revision") {
        Ok(r) => r,
        Err(e) => return super::flag_error(out, "history", &e),
    };
    let format = match output_format(p) {
        Ok(f) => f,
        Err(e) => return super::fail(out, &e),
    };
    if args.is_empty() {
        return super::fail(out, "required resource not specified");
    }
    if wanted < 0 {
        return super::fail(out, &format!("revision must be a positive integer: {wanted}"));
    }
    let found = match resolve(ctx, p, args) {
        Ok(r) => r,
        Err(e) => return super::fail(out, &e),
    };
    let mut errors = found.errors;
    let mut printed = 0;
    for obj in &found.objects {
        if obj.kind() != Kind::Deployment {
            errors.push(format!(
                "error: no history viewer has been implemented for \"{}\"",
                group_kind(obj.kind())
            ));
            continue;
        }
        let history = by_revision(ctx, obj);
        let shown = match &format {
            Some(f) => print_replica_sets(out, f, &history, wanted, &mut printed),
            None => view(&history, wanted).map(|text| {
                let with = if wanted > 0 {
                    format!("with revision #{wanted}")
                } else {
                    String::new()
                };
                out.out(&format!("{} {with}\n{text}\n", type_name(obj)));
            }),
        };
        if let Err(e) = shown {
            errors.push(format!("error: {e}"));
        }
    }
    super::finish(out, &errors)
}

/// The ReplicaSets a Deployment controls, as kubectl's `GetAllReplicaSets` returns them: the
/// old ones (oldest first), then the one whose template is the Deployment's.
pub(super) fn replica_sets(ctx: &Ctx<'_>, dep: &Object) -> Vec<Arc<Object>> {
    let uid = dep.meta().uid.clone().unwrap_or_default();
    let mut rss = owned_by(ctx.cluster, Kind::ReplicaSet, dep.namespace(), &uid);
    rss.sort_by_key(|r| (r.meta().creation_timestamp.clone().map(|t| t.0), r.name().to_string()));
    let template = dep
        .as_deployment()
        .and_then(|d| d.spec.as_ref())
        .map(|s| s.template.clone())
        .unwrap_or_default();
    if let Some(i) = rss
        .iter()
        .position(|r| same_template(rs_template(r).as_ref(), &template))
    {
        let current = rss.remove(i);
        rss.push(current);
    }
    rss
}

/// A ReplicaSet's pod template.
pub(super) fn rs_template(rs: &Object) -> Option<PodTemplateSpec> {
    rs.as_replicaset()?.spec.as_ref()?.template.clone()
}

/// `EqualIgnoreHash`: the same pod template, not counting the `pod-template-hash` label (the
/// Deployment's own template never has it).
pub(super) fn same_template(rs: Option<&PodTemplateSpec>, deployment: &PodTemplateSpec) -> bool {
    let normal = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        let meta = t.metadata.get_or_insert_with(Default::default);
        if let Some(labels) = meta.labels.as_mut() {
            labels.remove("pod-template-hash");
        }
        meta.labels = meta.labels.take().filter(|l| !l.is_empty());
        meta.annotations = meta.annotations.take().filter(|a| !a.is_empty());
        serde_json::to_value(t).unwrap_or_default()
    };
    rs.is_some_and(|rs| normal(rs) == normal(deployment))
}

/// Revision number → ReplicaSet (a later one wins a duplicate number, as in kubectl's map).
fn by_revision(ctx: &Ctx<'_>, dep: &Object) -> BTreeMap<i64, Arc<Object>> {
    replica_sets(ctx, dep)
        .into_iter()
        .map(|rs| (revision(&rs), rs))
        .collect()
}

/// The text after the `deployment.apps/NAME` line: the revision table, or one revision's pod
/// template (with the change cause among its annotations, as kubectl adds it).
fn view(history: &BTreeMap<i64, Arc<Object>>, wanted: i64) -> Result<String, String> {
    if history.is_empty() {
        return Ok("No rollout history found.".into());
    }
    if wanted > 0 {
        let rs = history.get(&wanted).ok_or(NOT_FOUND)?;
        let mut template = rs_template(rs).unwrap_or_default();
        if let Some(cause) = change_cause(rs) {
            let meta = template.metadata.get_or_insert_with(Default::default);
            meta.annotations
                .get_or_insert_with(Default::default)
                .insert(CHANGE_CAUSE.into(), cause);
        }
        let mut text = String::new();
        pod_template(&mut text, Some(&template));
        return Ok(text);
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for (rev, rs) in history {
        let cause = change_cause(rs).unwrap_or_else(|| "<none>".into());
        table.push_str(&format!("{rev}\t{cause}\n"));
    }
    Ok(gotab::format(&table, 0, 2))
}

fn change_cause(rs: &Object) -> Option<String> {
    rs.meta()
        .annotations
        .as_ref()?
        .get(CHANGE_CAUSE)
        .filter(|c| !c.is_empty())
        .cloned()
}

/// `-o`: the ReplicaSets themselves, every revision in order or just the one asked for.
fn print_replica_sets(
    out: &Output,
    format: &Format,
    history: &BTreeMap<i64, Arc<Object>>,
    wanted: i64,
    printed: &mut usize,
) -> Result<(), String> {
    let chosen: Vec<&Arc<Object>> = if wanted > 0 {
        vec![history.get(&wanted).ok_or(NOT_FOUND)?]
    } else {
        history.values().collect()
    };
    for rs in chosen {
        print_object(out, format, rs, *printed)?;
        *printed += 1;
    }
    Ok(())
}
