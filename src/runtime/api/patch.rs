//! `PATCH`: the three patch formats the API server takes, applied to the live object's JSON,
//! and then written through the same update path as a `PUT` (defaulting, validation,
//! concurrency). Server-side apply is not here yet (see the module map in [`super`]).
//!
//! - JSON patch (RFC 6902, `application/json-patch+json`): `add`, `remove`, `replace`, `move`,
//!   `copy`, `test`, on JSON pointers with `~0`/`~1` escapes.
//! - JSON merge patch (RFC 7386, `application/merge-patch+json`): maps merge, `null` deletes,
//!   lists are replaced.
//! - Strategic merge patch (`application/strategic-merge-patch+json`, kubectl's default):
//!   like a merge patch, but the lists the API types mark `patchStrategy: merge` merge by their
//!   `patchMergeKey` (containers by `name`, a Service's ports by `port`, …), and the
//!   directives `$patch` (`replace`, `delete`, `merge`), `$deleteFromPrimitiveList/…`,
//!   `$setElementOrder/…` and `$retainKeys` are understood.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::WriteOptions;
use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::Cluster;

/// How often a patch is tried again when the object changed between its read and its write
/// (the API server retries a patch on conflict the same way, since the patch, not the
/// object, is what the client sent).
const PATCH_ATTEMPTS: usize = 5;

/// The `Content-Type` of a patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Json,
    Merge,
    Strategic,
}

impl PatchType {
    /// The patch type of a request's `Content-Type`, if the API server takes it.
    pub fn from_content_type(content_type: &str) -> Option<PatchType> {
        match content_type.split(';').next().unwrap_or("").trim() {
            "application/json-patch+json" => Some(PatchType::Json),
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/strategic-merge-patch+json" => Some(PatchType::Strategic),
            _ => None,
        }
    }

    /// kubectl's `--type` name.
    pub fn from_kubectl(name: &str) -> Option<PatchType> {
        match name {
            "json" => Some(PatchType::Json),
            "merge" => Some(PatchType::Merge),
            "strategic" => Some(PatchType::Strategic),
            _ => None,
        }
    }
}

/// Why a patch could not be applied: a malformed patch is the client's fault (400); a
/// well-formed JSON patch that does not fit the object is 422.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchError {
    Malformed(String),
    DoesNotApply(String),
}

/// Apply `patch` of type `ty` to `doc`.
pub fn apply_patch(ty: PatchType, doc: &mut Value, patch: &Value) -> Result<(), PatchError> {
    match ty {
        PatchType::Json => json_patch(doc, patch),
        PatchType::Merge => {
            if !patch.is_object() {
                return Err(PatchError::Malformed(
                    "json: cannot unmarshal array into Go value of type map[string]interface {}".into(),
                ));
            }
            merge_patch(doc, patch);
            Ok(())
        }
        PatchType::Strategic => {
            if !patch.is_object() {
                return Err(PatchError::Malformed(
                    "json: cannot unmarshal array into Go value of type map[string]interface {}".into(),
                ));
            }
            let mut path = Vec::new();
            strategic_merge(doc, patch, &mut path)
        }
    }
}

/// RFC 7386: objects merge key by key, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(pm) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let tm = target.as_object_mut().expect("made an object above");
    for (k, v) in pm {
        if v.is_null() {
            tm.remove(k);
        } else {
            merge_patch(tm.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

impl From<PatchError> for ApiError {
    fn from(e: PatchError) -> ApiError {
        match e {
            PatchError::Malformed(m) => ApiError::BadRequest(m),
            PatchError::DoesNotApply(m) => ApiError::Unprocessable(m),
        }
    }
}

impl Cluster {
    /// `PATCH` the object `kind`/`namespace`/`name` with `patch` of type `ty`. The patched
    /// object goes through the update path (defaulting, validation, allocation), so a patch
    /// can do nothing a `PUT` could not. A patch that names a `metadata.resourceVersion` is a
    /// precondition; one that does not is retried when a controller wrote in between.
    pub fn patch(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        ty: PatchType,
        patch: &Value,
        options: &WriteOptions,
    ) -> Result<(Arc<Object>, Vec<String>), ApiError> {
        let pinned = patch.pointer("/metadata/resourceVersion").is_some();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let live = self.read(kind, namespace, name)?;
            let mut doc = live.to_json();
            apply_patch(ty, &mut doc, patch)?;
            if doc.pointer("/metadata/name").and_then(Value::as_str) != Some(name) {
                return Err(ApiError::BadRequest(format!(
                    "the name of the object ({}) does not match the name on the URL ({name})",
                    doc.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("")
                )));
            }
            let (mut obj, warnings) = self.decode(kind, doc, options.field_validation)?;
            if !pinned {
                obj.meta_mut().resource_version = live.meta().resource_version.clone();
            }
            match self.update_with(obj, options) {
                Err(ApiError::Conflict(_)) if !pinned && attempt < PATCH_ATTEMPTS => continue,
                r => return r.map(|o| (o, warnings)),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON patch

/// One JSON pointer, split into its unescaped tokens.
fn pointer_tokens(path: &str) -> Result<Vec<String>, PatchError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(PatchError::Malformed(format!(
            "JSON pointer must be empty or start with a \"/\": {path}"
        )));
    };
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn missing(op: &str, path: &str) -> PatchError {
    PatchError::DoesNotApply(format!(
        "{op} operation does not apply: doc is missing path: \"{path}\": missing value"
    ))
}

/// The container a pointer's last token lives in.
fn parent_mut<'a>(doc: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    let mut cur = doc;
    for t in &tokens[..tokens.len().saturating_sub(1)] {
        cur = match cur {
            Value::Object(m) => m.get_mut(t)?,
            Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn get<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    let mut cur = doc;
    for t in tokens {
        cur = match cur {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn add(doc: &mut Value, path: &str, value: Value, op: &str) -> Result<(), PatchError> {
    let tokens = pointer_tokens(path)?;
    let Some(last) = tokens.last().cloned() else {
        *doc = value;
        return Ok(());
    };
    match parent_mut(doc, &tokens).ok_or_else(|| missing(op, path))? {
        Value::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        Value::Array(a) => {
            let i = if last == "-" {
                a.len()
            } else {
                last.parse::<usize>().ok().filter(|i| *i <= a.len()).ok_or_else(|| {
                    PatchError::DoesNotApply(format!("{op} operation does not apply: index out of bounds: {path}"))
                })?
            };
            a.insert(i, value);
            Ok(())
        }
        _ => Err(missing(op, path)),
    }
}

fn remove(doc: &mut Value, path: &str, op: &str) -> Result<Value, PatchError> {
    let tokens = pointer_tokens(path)?;
    let Some(last) = tokens.last().cloned() else {
        return Err(missing(op, path));
    };
    match parent_mut(doc, &tokens).ok_or_else(|| missing(op, path))? {
        Value::Object(m) => m.remove(&last).ok_or_else(|| missing(op, path)),
        Value::Array(a) => {
            let i = last
                .parse::<usize>()
                .ok()
                .filter(|i| *i < a.len())
                .ok_or_else(|| missing(op, path))?;
            Ok(a.remove(i))
        }
        _ => Err(missing(op, path)),
    }
}

/// RFC 6902, applied in order; the first failing operation fails the patch (and the object is
/// not written, since the caller works on a copy).
pub fn json_patch(doc: &mut Value, ops: &Value) -> Result<(), PatchError> {
    let Value::Array(ops) = ops else {
        return Err(PatchError::Malformed(
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch".into(),
        ));
    };
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| PatchError::Malformed(format!("{kind} operation has no value")))
        };
        let from = || {
            op.get("from")
                .and_then(Value::as_str)
                .ok_or_else(|| PatchError::Malformed(format!("{kind} operation has no from")))
        };
        match kind {
            "add" => add(doc, path, value()?, "add")?,
            "remove" => {
                remove(doc, path, "remove")?;
            }
            "replace" => {
                let tokens = pointer_tokens(path)?;
                if get(doc, &tokens).is_none() {
                    return Err(PatchError::DoesNotApply(format!(
                        "replace operation does not apply: doc is missing key: {path}: missing value"
                    )));
                }
                let v = value()?;
                match tokens.is_empty() {
                    true => *doc = v,
                    false => {
                        remove(doc, path, "replace")?;
                        add(doc, path, v, "replace")?;
                    }
                }
            }
            "move" => {
                let v = remove(doc, from()?, "move")?;
                add(doc, path, v, "move")?;
            }
            "copy" => {
                let v = get(doc, &pointer_tokens(from()?)?)
                    .cloned()
                    .ok_or_else(|| missing("copy", from().unwrap_or_default()))?;
                add(doc, path, v, "copy")?;
            }
            "test" => {
                let want = value()?;
                if get(doc, &pointer_tokens(path)?) != Some(&want) {
                    return Err(PatchError::DoesNotApply(format!(
                        "testing value {path} failed: test failed"
                    )));
                }
            }
            other => return Err(PatchError::Malformed(format!("Unexpected kind: {other}"))),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch

/// How a list field merges in a strategic merge patch, by the path of field names that leads
/// to it (list indices left out). Lists not named here are replaced whole, as their types say
/// (`atomic`). The table follows the `patchStrategy`/`patchMergeKey` tags of the API types the
/// lab serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListMerge {
    /// Objects merged by this key.
    ByKey(&'static str),
    /// A list of strings, merged as a set (`finalizers`).
    Primitive,
}

/// `(field, key)` for list fields of a PodSpec, wherever a PodSpec sits.
const POD_SPEC_LISTS: &[(&str, &str)] = &[
    ("containers", "name"),
    ("initContainers", "name"),
    ("ephemeralContainers", "name"),
    ("volumes", "name"),
    ("imagePullSecrets", "name"),
    ("hostAliases", "ip"),
    ("topologySpreadConstraints", "topologyKey"),
    ("resourceClaims", "name"),
    ("schedulingGates", "name"),
];

/// `(field, key)` for list fields of a Container.
const CONTAINER_LISTS: &[(&str, &str)] = &[
    ("ports", "containerPort"),
    ("env", "name"),
    ("volumeMounts", "mountPath"),
    ("volumeDevices", "devicePath"),
];

const CONTAINER_FIELDS: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

fn list_merge(path: &[String]) -> Option<ListMerge> {
    let field = path.last()?.as_str();
    let parent: Vec<&str> = path[..path.len() - 1].iter().map(String::as_str).collect();
    let pod_spec = matches!(parent.as_slice(), ["spec"] | [.., "template", "spec"]);
    match (parent.as_slice(), field) {
        (["metadata"] | [.., "template", "metadata"], "finalizers") => Some(ListMerge::Primitive),
        (["metadata"] | [.., "template", "metadata"], "ownerReferences") => Some(ListMerge::ByKey("uid")),
        (["status"], "conditions" | "addresses") => Some(ListMerge::ByKey("type")),
        (["status"], "podIPs" | "hostIPs") => Some(ListMerge::ByKey("ip")),
        // A Service's ports (a PodSpec has no `ports`; its containers' are matched below).
        (["spec"], "ports") => Some(ListMerge::ByKey("port")),
        (p, f) if p.last().is_some_and(|l| CONTAINER_FIELDS.contains(l)) => CONTAINER_LISTS
            .iter()
            .find(|(name, _)| *name == f)
            .map(|(_, k)| ListMerge::ByKey(k)),
        (_, f) if pod_spec => POD_SPEC_LISTS
            .iter()
            .find(|(name, _)| *name == f)
            .map(|(_, k)| ListMerge::ByKey(k)),
        _ => None,
    }
}

const DIRECTIVE: &str = "$patch";
const DELETE_PRIMITIVE: &str = "$deleteFromPrimitiveList/";
const SET_ORDER: &str = "$setElementOrder/";
const RETAIN_KEYS: &str = "$retainKeys";

fn strategic_merge(target: &mut Value, patch: &Value, path: &mut Vec<String>) -> Result<(), PatchError> {
    let Value::Object(pm) = patch else {
        *target = patch.clone();
        return Ok(());
    };
    match pm.get(DIRECTIVE).and_then(Value::as_str) {
        Some("replace") => {
            let mut m = pm.clone();
            m.remove(DIRECTIVE);
            *target = Value::Object(m);
            return Ok(());
        }
        Some("delete") => {
            *target = Value::Object(Map::new());
            return Ok(());
        }
        Some("merge") | None => {}
        Some(other) => {
            return Err(PatchError::Malformed(format!(
                "unknown patch type: {other} in map: {}",
                Value::Object(pm.clone())
            )))
        }
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let tm = target.as_object_mut().expect("made an object above");
    let mut orders: Vec<(String, Vec<Value>)> = Vec::new();
    for (k, v) in pm {
        if k == DIRECTIVE || k == RETAIN_KEYS {
            continue;
        }
        if let Some(field) = k.strip_prefix(DELETE_PRIMITIVE) {
            let gone: Vec<Value> = v.as_array().cloned().unwrap_or_default();
            if let Some(Value::Array(list)) = tm.get_mut(field) {
                list.retain(|x| !gone.contains(x));
            }
            continue;
        }
        if let Some(field) = k.strip_prefix(SET_ORDER) {
            orders.push((field.to_string(), v.as_array().cloned().unwrap_or_default()));
            continue;
        }
        if v.is_null() {
            tm.remove(k);
            continue;
        }
        path.push(k.clone());
        let merge = list_merge(path);
        let result = match (merge, v) {
            (Some(ListMerge::ByKey(key)), Value::Array(items)) => {
                let live = tm.entry(k.clone()).or_insert_with(|| Value::Array(Vec::new()));
                merge_keyed_list(live, items, key, path)
            }
            (Some(ListMerge::Primitive), Value::Array(items)) => {
                let live = tm.entry(k.clone()).or_insert_with(|| Value::Array(Vec::new()));
                if !live.is_array() {
                    *live = Value::Array(Vec::new());
                }
                let list = live.as_array_mut().expect("made an array above");
                for item in items {
                    if !list.contains(item) {
                        list.push(item.clone());
                    }
                }
                Ok(())
            }
            (_, Value::Object(_)) => strategic_merge(tm.entry(k.clone()).or_insert(Value::Null), v, path),
            _ => {
                tm.insert(k.clone(), v.clone());
                Ok(())
            }
        };
        path.pop();
        result?;
    }
    for (field, order) in orders {
        path.push(field.clone());
        let key = match list_merge(path) {
            Some(ListMerge::ByKey(k)) => Some(k),
            _ => None,
        };
        path.pop();
        if let Some(Value::Array(list)) = tm.get_mut(&field) {
            let rank = |x: &Value| {
                order
                    .iter()
                    .position(|o| match key {
                        Some(k) => o.get(k) == x.get(k),
                        None => o == x,
                    })
                    .unwrap_or(usize::MAX)
            };
            list.sort_by_key(rank);
        }
    }
    if let Some(Value::Array(keep)) = pm.get(RETAIN_KEYS) {
        let keep: Vec<&str> = keep.iter().filter_map(Value::as_str).collect();
        tm.retain(|k, _| keep.contains(&k.as_str()));
    }
    Ok(())
}

/// Merge a list whose items are objects with a merge key: items of the patch with a key
/// already present merge into that item, new ones are appended, `$patch: delete` removes,
/// and a `{"$patch": "replace"}` item makes the rest of the patch the whole list.
fn merge_keyed_list(live: &mut Value, items: &[Value], key: &str, path: &mut Vec<String>) -> Result<(), PatchError> {
    let replace = items
        .iter()
        .any(|i| i.get(DIRECTIVE).and_then(Value::as_str) == Some("replace"));
    if replace || !live.is_array() {
        *live = Value::Array(items.iter().filter(|i| i.get(DIRECTIVE).is_none()).cloned().collect());
        return Ok(());
    }
    let list = live.as_array_mut().expect("checked above");
    for item in items {
        let Some(id) = item.get(key) else {
            return Err(PatchError::Malformed(format!(
                "map: {item} does not contain declared merge key: {key}"
            )));
        };
        let at = list.iter().position(|l| l.get(key) == Some(id));
        if item.get(DIRECTIVE).and_then(Value::as_str) == Some("delete") {
            if let Some(i) = at {
                list.remove(i);
            }
            continue;
        }
        match at {
            Some(i) => strategic_merge(&mut list[i], item, path)?,
            None => {
                let mut fresh = Value::Object(Map::new());
                strategic_merge(&mut fresh, item, path)?;
                list.push(fresh);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn smp(doc: Value, patch: Value) -> Value {
        let mut d = doc;
        apply_patch(PatchType::Strategic, &mut d, &patch).unwrap();
        d
    }

    #[test]
    fn containers_merge_by_name_and_their_ports_by_container_port() {
        let live = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]},
            {"name": "side", "image": "busybox"}]}}}});
        let out = smp(
            live,
            json!({"spec": {"template": {"spec": {"containers": [
                {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 443}]}]}}}}),
        );
        assert_eq!(
            out,
            json!({"spec": {"template": {"spec": {"containers": [
                {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}, {"containerPort": 443}]},
                {"name": "side", "image": "busybox"}]}}}})
        );
    }

    #[test]
    fn service_ports_merge_by_port_and_directives_delete_and_replace() {
        let live = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}], "selector": {"a": "b", "c": "d"}}});
        let out = smp(
            live.clone(),
            json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}, {"port": 443, "$patch": "delete"}], "selector": {"c": null}}}),
        );
        assert_eq!(
            out,
            json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}], "selector": {"a": "b"}}})
        );
        let out = smp(
            live,
            json!({"spec": {"ports": [{"$patch": "replace"}, {"port": 8000}]}}),
        );
        assert_eq!(out["spec"]["ports"], json!([{"port": 8000}]));
    }

    #[test]
    fn finalizers_merge_as_a_set_and_unlisted_lists_are_replaced() {
        let live = json!({"metadata": {"finalizers": ["a", "b"]}, "spec": {"tolerations": [{"key": "x"}]}});
        let out = smp(
            live,
            json!({"metadata": {"finalizers": ["c"], "$deleteFromPrimitiveList/finalizers": ["a"]}, "spec": {"tolerations": [{"key": "y"}]}}),
        );
        assert_eq!(
            out,
            json!({"metadata": {"finalizers": ["b", "c"]}, "spec": {"tolerations": [{"key": "y"}]}})
        );
    }

    #[test]
    fn merge_patch_replaces_lists_and_null_deletes() {
        let mut d = json!({"spec": {"ports": [{"port": 80}, {"port": 81}], "type": "NodePort"}});
        apply_patch(
            PatchType::Merge,
            &mut d,
            &json!({"spec": {"ports": [{"port": 90}], "type": null}}),
        )
        .unwrap();
        assert_eq!(d, json!({"spec": {"ports": [{"port": 90}]}}));
    }

    #[test]
    fn json_patch_has_every_operation_and_says_where_it_does_not_apply() {
        let mut d = json!({"a": {"b~c": 1, "list": [1, 2]}});
        let ops = json!([
            {"op": "add", "path": "/a/list/-", "value": 3},
            {"op": "replace", "path": "/a/b~0c", "value": 2},
            {"op": "copy", "from": "/a/b~0c", "path": "/a/copy"},
            {"op": "move", "from": "/a/copy", "path": "/moved"},
            {"op": "remove", "path": "/a/list/0"},
            {"op": "test", "path": "/moved", "value": 2}
        ]);
        json_patch(&mut d, &ops).unwrap();
        assert_eq!(d, json!({"a": {"b~c": 2, "list": [2, 3]}, "moved": 2}));
        assert_eq!(
            json_patch(&mut d, &json!([{"op": "replace", "path": "/nope", "value": 1}])),
            Err(PatchError::DoesNotApply(
                "replace operation does not apply: doc is missing key: /nope: missing value".into()
            ))
        );
        assert!(matches!(
            json_patch(&mut d, &json!([{"op": "test", "path": "/moved", "value": 3}])),
            Err(PatchError::DoesNotApply(_))
        ));
        assert!(matches!(
            json_patch(&mut d, &json!({"op": "add"})),
            Err(PatchError::Malformed(_))
        ));
    }
}
