//! Verbs that change one field family of existing objects: `scale`, `label`, `patch`.

use std::sync::Arc;

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use super::args::Parsed;
use super::errors::server_error;
use super::resources::{parse_targets, Target};
use super::Ctx;
use crate::io::Output;
use crate::runtime::selectors::Selector;
use crate::runtime::{ApiError, Kind, Object};

pub(crate) const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// The objects `args` name (`TYPE NAME…`, `TYPE/NAME…`, or `TYPE -l sel` / `TYPE --all`), and
/// the NotFound errors for names that do not exist.
pub(crate) fn objects(ctx: &Ctx<'_>, p: &Parsed, args: &[String]) -> Result<(Vec<Arc<Object>>, Vec<String>), String> {
    let targets = parse_targets(args)?;
    let ns = p.namespace();
    let sel = match p.get("selector") {
        Some(s) => Some(Selector::parse(s).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut objs = Vec::new();
    let mut errs = Vec::new();
    for t in targets {
        match t {
            Target::Named(kind, name) => match ctx.cluster.get(kind, &ns, &name) {
                Some(o) => objs.push(o),
                None => errs.push(server_error(&ApiError::NotFound { kind, name })),
            },
            Target::All(kind) => {
                if sel.is_none() && !p.on("all") {
                    return Err("resource(s) were provided, but no name was specified".into());
                }
                let sel = sel.clone().unwrap_or_default();
                objs.extend(
                    ctx.cluster
                        .list(kind, Some(&ns))
                        .into_iter()
                        .filter(|o| sel.matches(o.labels())),
                );
            }
        }
    }
    Ok((objs, errs))
}

/// `kubectl scale TYPE NAME --replicas=N`.
pub async fn scale(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let Some(r) = p.get("replicas") else {
        return super::fail(out, "required flag(s) \"replicas\" not set");
    };
    let Ok(replicas) = r.parse::<i32>() else {
        return super::fail(
            out,
            &format!(
                "invalid argument \"{r}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{r}\": invalid syntax\nSee 'kubectl scale --help' for usage."
            ),
        );
    };
    if replicas < 0 {
        return super::fail(
            out,
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        );
    }
    if p.positional.is_empty() {
        out.err_line(NO_RESOURCES);
        return 1;
    }
    let (objs, errs) = match objects(ctx, p, &p.positional) {
        Ok(x) => x,
        Err(e) => return super::fail(out, &e),
    };
    let mut code = 0;
    for o in objs {
        let r = match o.kind() {
            // Through the scale subresource, as kubectl scales.
            Kind::Deployment | Kind::ReplicaSet => {
                ctx.cluster
                    .read_scale(o.kind(), o.namespace(), o.name())
                    .and_then(|mut scale| {
                        scale.metadata.resource_version = None;
                        scale.spec.get_or_insert_with(Default::default).replicas = Some(replicas);
                        let options = crate::runtime::api::WriteOptions::default();
                        ctx.cluster
                            .update_scale(o.kind(), o.namespace(), o.name(), &scale, &options)
                    })
            }
            other => {
                out.err_line(&format!(
                    "error: no scaler has been implemented for {{\"{}\" \"{}\"}}",
                    other.info().group,
                    other.info().name
                ));
                code = 1;
                continue;
            }
        };
        match r {
            Ok(_) => {
                out.line(&format!("{} scaled", super::printers::type_name(&o)));
            }
            Err(e) => {
                out.err_line(&server_error(&e));
                code = 1;
            }
        }
    }
    for e in &errs {
        out.err_line(e);
        code = 1;
    }
    code
}

/// Which metadata map `label` / `annotate` edits, and kubectl's words for it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MetaMap {
    Labels,
    Annotations,
}

impl MetaMap {
    fn get(self, meta: &ObjectMeta) -> BTreeMap<String, String> {
        match self {
            MetaMap::Labels => meta.labels.clone(),
            MetaMap::Annotations => meta.annotations.clone(),
        }
        .unwrap_or_default()
    }

    fn slot(self, meta: &mut ObjectMeta) -> &mut Option<BTreeMap<String, String>> {
        match self {
            MetaMap::Labels => &mut meta.labels,
            MetaMap::Annotations => &mut meta.annotations,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            MetaMap::Labels => "label",
            MetaMap::Annotations => "annotation",
        }
    }

    fn done(self) -> &'static str {
        match self {
            MetaMap::Labels => "labeled",
            MetaMap::Annotations => "annotated",
        }
    }

    fn exists_error(self, key: &str, value: &str) -> String {
        match self {
            MetaMap::Labels => format!("error: '{key}' already has a value ({value}), and --overwrite is false"),
            MetaMap::Annotations => format!(
                "error: --overwrite is false but found the following declared annotation(s): '{key}' already has a value ({value})"
            ),
        }
    }
}

/// `kubectl label TYPE NAME key=value key- [--overwrite]`.
pub async fn label(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    edit_meta(ctx, p, out, MetaMap::Labels)
}

/// `kubectl annotate TYPE NAME key=value key- [--overwrite]`.
pub async fn annotate(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    edit_meta(ctx, p, out, MetaMap::Annotations)
}

fn edit_meta(ctx: &Ctx<'_>, p: &Parsed, out: &Output, which: MetaMap) -> i32 {
    let (changes, resources): (Vec<String>, Vec<String>) = p
        .positional
        .iter()
        .cloned()
        .partition(|a| a.contains('=') || (a.ends_with('-') && !a.contains('/')));
    if resources.is_empty() {
        out.err_line(NO_RESOURCES);
        return 1;
    }
    if changes.is_empty() {
        return super::fail(out, &format!("at least one {} update is required", which.noun()));
    }
    let mut set: Vec<(String, String)> = Vec::new();
    let mut remove: Vec<String> = Vec::new();
    for c in &changes {
        if let Some((k, v)) = c.split_once('=') {
            // kubectl's `parseLabels` checks a label's value itself; its key, and every
            // annotation, are the API server's to judge.
            if which == MetaMap::Labels {
                if v.contains('=') {
                    return super::fail(out, &format!("invalid label spec: {c}"));
                }
                let errs = crate::runtime::validate::label_value(v);
                if !errs.is_empty() {
                    return super::fail(out, &format!("invalid label value: {c:?}: {}", errs.join(";")));
                }
            }
            set.push((k.to_string(), v.to_string()));
        } else {
            remove.push(c.trim_end_matches('-').to_string());
        }
    }
    let overwrite = p.on("overwrite");
    let (objs, errs) = match objects(ctx, p, &resources) {
        Ok(x) => x,
        Err(e) => return super::fail(out, &e),
    };
    let mut code = 0;
    for o in objs {
        let before = which.get(o.meta());
        if !overwrite {
            if let Some((k, _)) = set.iter().find(|(k, _)| before.contains_key(k)) {
                out.err_line(&which.exists_error(k, &before[k]));
                code = 1;
                continue;
            }
        }
        // Through the API, like kubectl's patch: the new keys and sizes are validated.
        let mut obj = (*o).clone();
        {
            let slot = which.slot(obj.meta_mut());
            let map = slot.get_or_insert_with(Default::default);
            for (k, v) in &set {
                map.insert(k.clone(), v.clone());
            }
            for k in &remove {
                map.remove(k);
            }
            if map.is_empty() {
                *slot = None;
            }
        }
        let r = ctx.cluster.update(obj);
        match r {
            Ok(new) => {
                let after = which.get(new.meta());
                let msg = if after == before {
                    format!("not {}", which.done())
                } else if !overwrite && after.len() < before.len() {
                    format!("un{}", which.done())
                } else {
                    which.done().to_string()
                };
                out.line(&format!("{} {msg}", super::printers::type_name(&o)));
            }
            Err(e) => {
                out.err_line(&server_error(&e));
                code = 1;
            }
        }
    }
    for e in &errs {
        out.err_line(e);
        code = 1;
    }
    code
}

/// `kubectl replace -f FILE`: put the manifest's object in place of the live one.
pub async fn replace(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let files = p.all("filename");
    if files.is_empty() {
        return super::fail(out, "must specify --filename to replace");
    }
    let sources = match super::apply::read_sources(ctx, &files) {
        Ok(s) => s,
        Err(e) => return super::fail(out, &e),
    };
    let (objs, mut errs) = super::apply::decode_all(&sources, "replacing");
    for (mut obj, source) in objs {
        if let Err(e) = super::apply::set_namespace(&mut obj, p) {
            errs.push(format!("error: {e}"));
            continue;
        }
        let tn = super::printers::type_name(&obj);
        obj.meta_mut().resource_version = None;
        match ctx.cluster.update(obj) {
            Ok(_) => out.line(&format!("{tn} replaced")),
            Err(e) => errs.push(super::errors::write_error(&e, "replacing", &source)),
        }
    }
    for e in &errs {
        out.err_line(e);
    }
    i32::from(!errs.is_empty())
}

/// `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`.
pub async fn patch(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    if p.positional.is_empty() {
        out.err_line(NO_RESOURCES);
        return 1;
    }
    let Some(text) = p.get("patch") else {
        return super::fail(
            out,
            "must specify --patch or --patch-file containing the contents of the patch",
        );
    };
    let patch_value: Value = match crate::runtime::manifest::yaml_to_json(text) {
        Ok(v) => v,
        Err(e) => return super::fail(out, &format!("unable to parse \"{text}\": {e}")),
    };
    let ty = p.get("type").unwrap_or("strategic");
    if !matches!(ty, "strategic" | "merge" | "json") {
        return super::fail(
            out,
            &format!("--type must be one of [\"json\" \"merge\" \"strategic\"], not \"{ty}\""),
        );
    }
    let (objs, errs) = match objects(ctx, p, &p.positional) {
        Ok(x) => x,
        Err(e) => return super::fail(out, &e),
    };
    let mut code = 0;
    let Some(patch_type) = crate::runtime::api::PatchType::from_kubectl(ty) else {
        unreachable!("checked above")
    };
    for o in objs {
        let before = o.meta().resource_version.clone();
        let options = crate::runtime::api::WriteOptions {
            field_validation: crate::runtime::api::FieldValidation::Strict,
            ..Default::default()
        };
        match ctx
            .cluster
            .patch(o.kind(), o.namespace(), o.name(), patch_type, &patch_value, &options)
        {
            Ok((after, _)) => {
                let tn = super::printers::type_name(&o);
                if after.meta().resource_version == before {
                    out.line(&format!("{tn} patched (no change)"));
                } else {
                    out.line(&format!("{tn} patched"));
                }
            }
            // kubectl's `CheckErr`: an invalid error with no field causes reads
            // `The request is invalid: …`.
            Err(e @ crate::runtime::ApiError::Unprocessable(_)) => {
                out.err_line(&format!("The request is invalid: {e}"));
                code = 1;
            }
            Err(e) => {
                out.err_line(&server_error(&e));
                code = 1;
            }
        }
    }
    for e in &errs {
        out.err_line(e);
        code = 1;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};
    use crate::runtime::api::patch::{apply_patch, PatchType};
    use serde_json::json;

    #[test]
    fn strategic_merge_merges_ports_by_key() {
        let mut live = json!({"spec": {"type": "ClusterIP", "ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https"}]}});
        apply_patch(
            PatchType::Strategic,
            &mut live,
            &json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 443, "nodePort": 30443}]}}),
        )
        .unwrap();
        assert_eq!(
            live,
            json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 80, "name": "http"}, {"port": 443, "name": "https", "nodePort": 30443}]}})
        );
        let mut live = json!({"a": {"b": 1, "c": [1, 2]}});
        apply_patch(PatchType::Merge, &mut live, &json!({"a": {"b": null, "c": [3]}})).unwrap();
        assert_eq!(live, json!({"a": {"c": [3]}}));
        let mut live = json!({"spec": {"ports": [{"port": 80}]}});
        apply_patch(PatchType::Json, &mut live, &json!([{"op": "replace", "path": "/spec/ports/0/port", "value": 81}, {"op": "add", "path": "/spec/type", "value": "NodePort"}])).unwrap();
        assert_eq!(live, json!({"spec": {"ports": [{"port": 81}], "type": "NodePort"}}));
    }

    #[tokio::test(start_paused = true)]
    async fn scale_label_patch() {
        let c = cluster().await;
        kubectl(&c, "create deployment my-nginx --image=nginx --port=80").await;
        assert_eq!(
            kubectl(&c, "scale deployment my-nginx --replicas=0").await,
            (0, "deployment.apps/my-nginx scaled\n".into())
        );
        let d = c.get(Kind::Deployment, "default", "my-nginx").unwrap();
        assert_eq!(d.as_deployment().unwrap().spec.as_ref().unwrap().replicas, Some(0));
        assert_eq!(
            kubectl(&c, "scale deployment/my-nginx --replicas=2").await.1,
            "deployment.apps/my-nginx scaled\n"
        );
        assert_eq!(
            kubectl(&c, "scale deployment nope --replicas=2").await.1,
            "Error from server (NotFound): deployments.apps \"nope\" not found\n"
        );
        assert_eq!(
            kubectl(&c, "scale deployment my-nginx").await.1,
            "error: required flag(s) \"replicas\" not set\n"
        );

        assert_eq!(
            kubectl(&c, "label deployment my-nginx app=v1").await,
            (
                1,
                "error: 'app' already has a value (my-nginx), and --overwrite is false\n".into()
            )
        );
        assert_eq!(
            kubectl(&c, "label deployment my-nginx version=v1").await,
            (0, "deployment.apps/my-nginx labeled\n".into())
        );
        assert_eq!(
            kubectl(&c, "label deployment my-nginx version-").await.1,
            "deployment.apps/my-nginx unlabeled\n"
        );
        assert_eq!(
            kubectl(&c, "label deployment my-nginx app=x --overwrite").await.1,
            "deployment.apps/my-nginx labeled\n"
        );
        assert_eq!(
            kubectl(&c, "label deployment my-nginx").await.1,
            "error: at least one label update is required\n"
        );

        kubectl(&c, "expose deployment my-nginx").await;
        assert_eq!(
            kubectl(&c, r#"patch svc my-nginx -p '{"spec":{"type":"LoadBalancer"}}'"#).await,
            (0, "service/my-nginx patched\n".into())
        );
        let s = c.get(Kind::Service, "default", "my-nginx").unwrap();
        assert_eq!(
            s.as_service().unwrap().spec.as_ref().unwrap().type_.as_deref(),
            Some("LoadBalancer")
        );
        assert_eq!(
            kubectl(&c, r#"patch svc my-nginx -p '{"spec":{"type":"LoadBalancer"}}'"#)
                .await
                .1,
            "service/my-nginx patched (no change)\n"
        );
        assert_eq!(
            kubectl(&c, "patch svc my-nginx").await.1,
            "error: must specify --patch or --patch-file containing the contents of the patch\n"
        );
    }
}
