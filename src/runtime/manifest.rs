//! Manifests (YAML or JSON, one or many documents) → typed [`Object`]s.
//!
//! This is the only module that touches the YAML library. Decoding is strict the way kubectl's
//! default `--validate=strict` is: fields the schema does not know are reported with their path
//! (k8s-openapi would drop them silently; `serde_ignored` catches them). YAML syntax errors carry
//! a line and column. Each document is decoded on its own, so one bad document does not hide the
//! good ones around it.

use serde::Deserialize;

use super::kinds::Kind;
use super::object::Object;

/// Why one document of a manifest could not be turned into an object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The YAML itself is broken.
    #[error("error converting YAML to JSON: yaml: line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// `apiVersion` or `kind` missing.
    #[error(
        "error validating data: [{0}]; if you choose to ignore these errors, turn validation off with --validate=false"
    )]
    MissingTypeMeta(String),
    /// A kind this lab (or Kubernetes) does not serve.
    #[error("resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{source_name}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first")]
    UnknownKind {
        name: String,
        namespace: String,
        source_name: String,
        kind: String,
        api_version: String,
    },
    /// Fields the schema does not have (strict decoding).
    #[error(
        "{kind} in version \"{version}\" cannot be handled as a {kind}: strict decoding error: {}",
        unknown_list(fields)
    )]
    UnknownFields {
        kind: String,
        version: String,
        name: String,
        fields: Vec<String>,
    },
    /// A value of the wrong type.
    #[error("{kind} in version \"{version}\" cannot be handled as a {kind}: {message}")]
    BadValue {
        kind: String,
        version: String,
        name: String,
        message: String,
    },
    /// The document is not a mapping.
    #[error("error validating data: the document is not an object")]
    NotAnObject,
}

fn unknown_list(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| format!("unknown field \"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ManifestError {
    /// True for errors the API server would report (kubectl prefixes them with
    /// `Error from server (BadRequest): error when creating …`), false for client-side ones.
    pub fn is_server_side(&self) -> bool {
        matches!(
            self,
            ManifestError::UnknownFields { .. } | ManifestError::BadValue { .. }
        )
    }

    /// The object's name, when the document got far enough to have one.
    pub fn object_name(&self) -> Option<&str> {
        match self {
            ManifestError::UnknownFields { name, .. } | ManifestError::BadValue { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// Parse YAML (or JSON, which is YAML) into JSON values, one per non-empty document.
pub fn parse_documents(text: &str) -> Vec<Result<serde_json::Value, ManifestError>> {
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        match serde_yaml::Value::deserialize(doc) {
            Ok(serde_yaml::Value::Null) => {}
            Ok(v) => match serde_json::to_value(&v) {
                Ok(j) => out.push(Ok(j)),
                Err(e) => out.push(Err(ManifestError::Syntax {
                    line: 0,
                    column: 0,
                    message: e.to_string(),
                })),
            },
            Err(e) => {
                let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
                let message = strip_location(&e.to_string());
                out.push(Err(ManifestError::Syntax { line, column, message }));
                // After a syntax error the rest of the stream cannot be trusted.
                break;
            }
        }
    }
    out
}

fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Decode a JSON value into a typed object, strictly.
pub fn decode_value(value: serde_json::Value, source_name: &str) -> Result<Object, ManifestError> {
    let serde_json::Value::Object(map) = &value else {
        return Err(ManifestError::NotAnObject);
    };
    let api_version = map.get("apiVersion").and_then(|v| v.as_str()).unwrap_or("");
    let kind_name = map.get("kind").and_then(|v| v.as_str()).unwrap_or("");
    let name = value
        .pointer("/metadata/name")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let namespace = value
        .pointer("/metadata/namespace")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    match (api_version.is_empty(), kind_name.is_empty()) {
        (true, true) => {
            return Err(ManifestError::MissingTypeMeta(
                "apiVersion not set, kind not set".into(),
            ))
        }
        (true, false) => return Err(ManifestError::MissingTypeMeta("apiVersion not set".into())),
        (false, true) => return Err(ManifestError::MissingTypeMeta("kind not set".into())),
        _ => {}
    }
    let Some(kind) = Kind::from_type_meta(api_version, kind_name) else {
        return Err(ManifestError::UnknownKind {
            name,
            namespace,
            source_name: source_name.to_string(),
            kind: kind_name.to_string(),
            api_version: api_version.to_string(),
        });
    };
    let version = kind.info().version.to_string();
    let mut unknown = Vec::new();
    let result = decode_kind(kind, &value, &mut |path| unknown.push(path));
    match result {
        Err((path, e)) => Err(ManifestError::BadValue {
            kind: kind_name.to_string(),
            version,
            name,
            message: super::json_errors::unmarshal_message(kind_name, &path, &e.to_string()),
        }),
        Ok(_) if !unknown.is_empty() => Err(ManifestError::UnknownFields {
            kind: kind_name.to_string(),
            version,
            name,
            fields: unknown,
        }),
        Ok(obj) => Ok(obj),
    }
}

fn decode_kind(
    kind: Kind,
    value: &serde_json::Value,
    unknown: &mut dyn FnMut(String),
) -> Result<Object, (String, serde_json::Error)> {
    fn strict<'a, T: Deserialize<'a>>(
        value: &'a serde_json::Value,
        unknown: &mut dyn FnMut(String),
    ) -> Result<T, (String, serde_json::Error)> {
        let mut note = |path: serde_ignored::Path| unknown(api_field_path(&path.to_string()));
        let ignoring = serde_ignored::Deserializer::new(value, &mut note);
        serde_path_to_error::deserialize(ignoring).map_err(|e| (e.path().to_string(), e.into_inner()))
    }
    Ok(match kind {
        Kind::Namespace => Object::Namespace(strict(value, unknown)?),
        Kind::Node => Object::Node(strict(value, unknown)?),
        Kind::Pod => Object::Pod(strict(value, unknown)?),
        Kind::Service => Object::Service(strict(value, unknown)?),
        Kind::Endpoints => Object::Endpoints(strict(value, unknown)?),
        Kind::EndpointSlice => Object::EndpointSlice(strict(value, unknown)?),
        Kind::Deployment => Object::Deployment(strict(value, unknown)?),
        Kind::ReplicaSet => Object::ReplicaSet(strict(value, unknown)?),
        Kind::Event => Object::Event(strict(value, unknown)?),
        Kind::ConfigMap => Object::ConfigMap(strict(value, unknown)?),
        Kind::Secret => Object::Secret(strict(value, unknown)?),
    })
}

/// serde_ignored's `spec.?.ports.?.0.name` → the API server's `spec.ports[0].name`.
fn api_field_path(raw: &str) -> String {
    let mut out = String::new();
    for seg in raw.split('.').filter(|s| *s != "?") {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(seg);
        }
    }
    out
}

/// Parse and decode every document of a manifest text.
pub fn decode_manifests(text: &str, source_name: &str) -> Vec<Result<Object, ManifestError>> {
    parse_documents(text)
        .into_iter()
        .map(|d| d.and_then(|v| decode_value(v, source_name)))
        .collect()
}

/// Render a JSON value as YAML the way kubectl's `-o yaml` does (two-space indent, lists not
/// indented under their key).
pub fn to_yaml(value: &serde_json::Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// Parse a single YAML document into JSON (for editors and checks); errors carry line/column.
pub fn yaml_to_json(text: &str) -> Result<serde_json::Value, ManifestError> {
    match parse_documents(text).into_iter().next() {
        Some(r) => r,
        None => Ok(serde_json::Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_several_documents() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n";
        let objs = decode_manifests(text, "STDIN");
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[0].as_ref().unwrap().name(), "a");
        assert_eq!(objs[1].as_ref().unwrap().kind(), Kind::Deployment);
    }

    #[test]
    fn unknown_fields_are_reported_with_their_path() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selectr:\n    app: x\n  ports:\n  - port: 80\n    targetPrt: 8080\n";
        let err = decode_manifests(text, "STDIN").remove(0).unwrap_err();
        match &err {
            ManifestError::UnknownFields { fields, .. } => {
                let mut fields = fields.clone();
                fields.sort();
                assert_eq!(
                    fields,
                    vec!["spec.ports[0].targetPrt".to_string(), "spec.selectr".to_string()]
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().contains(
            "strict decoding error: unknown field \"spec.ports[0].targetPrt\", unknown field \"spec.selectr\""
        ));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n   bad: [\n";
        let err = decode_manifests(text, "STDIN").remove(0).unwrap_err();
        let ManifestError::Syntax { line, column, .. } = err else {
            panic!("{err:?}")
        };
        assert!(line >= 5, "line {line}");
        assert!(column > 0);
    }

    #[test]
    fn unknown_kind_and_missing_kind() {
        let err = decode_manifests("apiVersion: v1\nkind: Frob\nmetadata:\n  name: a\n", "x.yaml")
            .remove(0)
            .unwrap_err();
        assert!(err
            .to_string()
            .contains("no matches for kind \"Frob\" in version \"v1\""));
        let err = decode_manifests("apiVersion: v1\nmetadata:\n  name: a\n", "x.yaml")
            .remove(0)
            .unwrap_err();
        assert!(err.to_string().contains("kind not set"));
    }
}
