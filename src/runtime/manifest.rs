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
        "error validating data: {0}; if you choose to ignore these errors, turn validation off with --validate=false"
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
    /// An item of a `kind: List` of a kind nobody serves (kubectl words it differently from a
    /// document's).
    #[error("unable to recognize no matches for kind \"{kind}\" in version \"{api_version}\"")]
    UnknownListItemKind { kind: String, api_version: String },
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
    /// The document is not a mapping (kubectl's client-side check, before the kind).
    #[error("error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false")]
    NotAnObject,
    /// YAML that parses but does not become JSON: an alias bomb, `.inf`, a mapping as a key.
    #[error("error converting YAML to JSON: {0}")]
    Convert(String),
    /// More objects than the lab takes from one manifest ([`MAX_OBJECTS`]).
    #[error("the lab reads at most {limit} objects from one manifest; split it into several files")]
    TooManyObjects { limit: usize },
    /// The manifest text is bigger than the lab reads ([`MAX_MANIFEST_BYTES`]).
    #[error("the file is {size} bytes; the lab reads manifests of up to {limit} bytes")]
    TooBig { size: usize, limit: usize },
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

/// Most bytes of manifest text the lab reads from one file, URL or stdin. kubectl itself reads
/// any size and the API server refuses each object over [`super::api::MAX_REQUEST_BYTES`]; the
/// lab stops earlier so that a huge file never reaches the YAML parser, whose memory grows with
/// the text. A little more than one full request, so one object at the request limit still
/// gets the API server's own message.
pub const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;

/// Most objects the lab takes from one manifest (documents, and the items of `kind: List`).
pub const MAX_OBJECTS: usize = 1000;

/// The nesting depth the YAML parser refuses past (`recursion limit exceeded`); fixed in the
/// parser, named here so the limit is written down where the others are.
pub const MAX_DEPTH: usize = 128;

/// What alias expansion may add to a document, in nodes plus scalar bytes, beyond twice the
/// text's length (which a document without aliases cannot exceed). Past it the document is a
/// "billion laughs" and gets Go's `document contains excessive aliasing`.
pub const ALIAS_BUDGET: usize = 1_000_000;

/// Go's yaml.v2 message for an alias bomb, which kubectl prints after `yaml: `.
const EXCESSIVE_ALIASING: &str = "document contains excessive aliasing";

/// How much a document may still expand to, and whether it ran out.
struct Budget {
    left: usize,
    exceeded: bool,
}

impl Budget {
    fn spend<E: serde::de::Error>(&mut self, n: usize) -> Result<(), E> {
        match self.left.checked_sub(n) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => {
                self.exceeded = true;
                Err(E::custom(EXCESSIVE_ALIASING))
            }
        }
    }
}

/// Builds a JSON value straight from the YAML events, as sigs.k8s.io/yaml's `YAMLToJSON`
/// converts: a repeated key keeps its last value, scalar keys become strings, a custom tag is
/// dropped. Every node and every scalar byte is paid for from the [`Budget`], so an alias
/// expanded a million times stops at the budget instead of filling memory.
struct JsonSeed<'b>(&'b mut Budget);

impl<'de> serde::de::DeserializeSeed<'de> for JsonSeed<'_> {
    type Value = serde_json::Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(JsonVisitor(self.0))
    }
}

struct JsonVisitor<'b>(&'b mut Budget);

/// Go's `%v` of a float that JSON cannot hold (`json: unsupported value: +Inf`).
fn go_float(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    }
}

impl<'de> serde::de::Visitor<'de> for JsonVisitor<'_> {
    type Value = serde_json::Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.0.spend(1)?;
        Ok(v.into())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.spend(1)?;
        Ok(v.into())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.spend(1)?;
        Ok(v.into())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.spend(1)?;
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom(format!("{NOT_JSON}{}", go_float(v))))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.0.spend(1 + v.len())?;
        Ok(v.into())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.0.spend(1)?;
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.0.spend(1)?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(JsonSeed(self.0))? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        self.0.spend(1)?;
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key_seed(JsonSeed(self.0))? {
            let key = match k {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => "null".to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                other => {
                    return Err(serde::de::Error::custom(format!(
                        "{NOT_JSON_KEY}{}",
                        if other.is_array() {
                            "[]interface {}"
                        } else {
                            "map[interface {}]interface {}"
                        }
                    )))
                }
            };
            let v = map.next_value_seed(JsonSeed(self.0))?;
            out.insert(key, v);
        }
        Ok(serde_json::Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(JsonSeed(self.0))
    }
}

/// Marks a float JSON cannot hold, so the error reads as Go's JSON encoder words it.
const NOT_JSON: &str = "\u{0}json: unsupported value: ";
/// Marks a mapping used as a key.
const NOT_JSON_KEY: &str = "\u{0}json: unsupported map key of type: ";

/// Parse YAML (or JSON, which is YAML) into JSON values, one per non-empty document. A syntax
/// error, an alias bomb or a document past [`MAX_OBJECTS`] ends the list: after it the rest
/// of the stream cannot be trusted, as kubectl's stream decoder stops there too.
pub fn parse_documents(text: &str) -> Vec<Result<serde_json::Value, ManifestError>> {
    let mut out = Vec::new();
    let budget_size = text.len().saturating_mul(2).saturating_add(ALIAS_BUDGET);
    for doc in serde_yaml::Deserializer::from_str(text) {
        let mut budget = Budget {
            left: budget_size,
            exceeded: false,
        };
        let parsed = serde::de::DeserializeSeed::deserialize(JsonSeed(&mut budget), doc);
        match parsed {
            Ok(serde_json::Value::Null) => {}
            Ok(v) => {
                if out.len() == MAX_OBJECTS {
                    out.push(Err(ManifestError::TooManyObjects { limit: MAX_OBJECTS }));
                    break;
                }
                out.push(Ok(v));
            }
            Err(e) => {
                let message = e.to_string();
                if budget.exceeded || message.starts_with("repetition limit exceeded") {
                    out.push(Err(ManifestError::Convert(format!("yaml: {EXCESSIVE_ALIASING}"))));
                } else if let Some(i) = message.find('\u{0}') {
                    let rest = strip_location(&message[i + 1..]);
                    out.push(Err(ManifestError::Convert(rest)));
                } else {
                    let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
                    out.push(Err(ManifestError::Syntax {
                        line,
                        column,
                        message: strip_location(&message),
                    }));
                }
                break;
            }
        }
    }
    out
}

/// Whether `text` stays within the alias-expansion budget of [`parse_documents`], for YAML that
/// is decoded some other way (lesson files): `Err` with Go's words for a bomb.
pub fn check_expansion(text: &str) -> Result<(), ManifestError> {
    for doc in parse_documents(text) {
        if let Err(e @ ManifestError::Convert(_)) = doc {
            if e.to_string().contains(EXCESSIVE_ALIASING) {
                return Err(e);
            }
        }
    }
    Ok(())
}

fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// kubectl's client-side check of a document before anything else (`GetObjectKind`): it must
/// be a mapping with string `apiVersion` and `kind`. Its failure stops the rest of the file.
fn check_type_meta(value: &serde_json::Value) -> Result<(), ManifestError> {
    let serde_json::Value::Object(map) = value else {
        return Err(ManifestError::NotAnObject);
    };
    let mut problems: Vec<String> = Vec::new();
    match map.get("apiVersion") {
        None | Some(serde_json::Value::Null) => problems.push("apiVersion not set".into()),
        Some(serde_json::Value::String(v)) => {
            if v.matches('/').count() > 1 {
                problems.push(format!("unexpected GroupVersion string: {v}"));
            }
        }
        Some(_) => problems.push("apiVersion isn't string type".into()),
    }
    match map.get("kind") {
        None | Some(serde_json::Value::Null) => problems.push("kind not set".into()),
        Some(serde_json::Value::String(_)) => {}
        Some(_) => problems.push("kind isn't string type".into()),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ManifestError::MissingTypeMeta(aggregate(problems)))
    }
}

/// Go's `utilerrors.Aggregate` text: one message alone, several in brackets, repeats dropped.
fn aggregate(messages: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for m in messages {
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    if seen.len() == 1 {
        seen.remove(0)
    } else {
        format!("[{}]", seen.join(", "))
    }
}

/// `kind: List` (apiVersion v1), which kubectl takes apart and writes item by item.
fn is_list(value: &serde_json::Value) -> bool {
    value.get("kind").and_then(|k| k.as_str()) == Some("List")
        && value.get("apiVersion").and_then(|k| k.as_str()) == Some("v1")
}

/// Decode a JSON value into a typed object, strictly.
pub fn decode_value(value: serde_json::Value, source_name: &str) -> Result<Object, ManifestError> {
    let kind_name = value.get("kind").and_then(|v| v.as_str()).unwrap_or("").to_string();
    let name = value
        .pointer("/metadata/name")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let (obj, unknown) = decode_value_lenient(value, source_name)?;
    if !unknown.is_empty() {
        return Err(ManifestError::UnknownFields {
            kind: kind_name,
            version: obj.kind().info().version.to_string(),
            name,
            fields: unknown,
        });
    }
    Ok(obj)
}

/// Decode a JSON value into a typed object, returning the paths of the fields the schema does
/// not know (`spec.foo`, `spec.ports[0].bar`) instead of refusing them. The API server decides
/// what they mean (field validation Strict, Warn or Ignore).
pub fn decode_value_lenient(
    value: serde_json::Value,
    source_name: &str,
) -> Result<(Object, Vec<String>), ManifestError> {
    check_type_meta(&value)?;
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
    match decode_kind(kind, &value, &mut |path| unknown.push(path)) {
        Err((path, e)) => Err(ManifestError::BadValue {
            kind: kind_name.to_string(),
            version,
            name,
            message: super::json_errors::unmarshal_message(kind_name, &path, &e.to_string()),
        }),
        Ok(obj) => Ok((obj, unknown)),
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

/// Parse and decode every document of a manifest text, in order, the way kubectl's resource
/// builder visits them:
///
/// - a syntax error, an alias bomb, or a document that is not an object or lacks its
///   `apiVersion`/`kind` ends the file there (the documents before it still count);
/// - an unknown kind, an unknown field or a wrong type is that document's own error, and the
///   documents after it are still read;
/// - a `kind: List` stands for its items;
/// - past [`MAX_OBJECTS`] objects the rest is refused.
pub fn decode_manifests(text: &str, source_name: &str) -> Vec<Result<Object, ManifestError>> {
    let mut out = Vec::new();
    for doc in parse_documents(text) {
        let value = match doc {
            Ok(v) => v,
            Err(e) => {
                out.push(Err(e));
                break;
            }
        };
        if let Err(e) = check_type_meta(&value) {
            out.push(Err(e));
            break;
        }
        let mut items = Vec::new();
        if let Err(e) = flatten(value, &mut items) {
            out.push(Err(e));
            break;
        }
        for item in items {
            if out.len() == MAX_OBJECTS {
                out.push(Err(ManifestError::TooManyObjects { limit: MAX_OBJECTS }));
                return out;
            }
            let (item, in_list) = item;
            out.push(decode_value(item, source_name).map_err(|e| match e {
                ManifestError::UnknownKind { kind, api_version, .. } if in_list => {
                    ManifestError::UnknownListItemKind { kind, api_version }
                }
                e => e,
            }));
        }
    }
    out
}

/// A document, or the items of a `kind: List` (lists inside lists too). The items' own
/// `apiVersion` and `kind` are checked first, all of them, as kubectl's `validateList` does.
/// Each item comes with whether it was inside a List.
fn flatten(value: serde_json::Value, out: &mut Vec<(serde_json::Value, bool)>) -> Result<(), ManifestError> {
    flatten_at(value, false, out)
}

fn flatten_at(
    value: serde_json::Value,
    in_list: bool,
    out: &mut Vec<(serde_json::Value, bool)>,
) -> Result<(), ManifestError> {
    if !is_list(&value) {
        out.push((value, in_list));
        return Ok(());
    }
    let Some(serde_json::Value::Array(items)) = value.get("items").cloned() else {
        return Err(ManifestError::NotAnObject);
    };
    let problems: Vec<String> = items
        .iter()
        .filter_map(|i| match check_type_meta(i) {
            Err(ManifestError::MissingTypeMeta(m)) => Some(m.trim_start_matches('[').trim_end_matches(']').to_string()),
            Err(_) => Some("invalid object to validate".to_string()),
            Ok(()) => None,
        })
        .flat_map(|m| m.split(", ").map(str::to_string).collect::<Vec<_>>())
        .collect();
    if !problems.is_empty() {
        return Err(ManifestError::MissingTypeMeta(aggregate(problems)));
    }
    for item in items {
        flatten_at(item, true, out)?;
    }
    Ok(())
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

    /// The classic "billion laughs": nine levels of ten aliases each.
    fn laughs() -> String {
        let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a \"lol\"\n");
        let mut prev = 'a';
        for c in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] {
            s.push_str(&format!("  {c}: &{c} [{}]\n", vec![format!("*{prev}"); 10].join(",")));
            prev = c;
        }
        s
    }

    #[test]
    fn an_alias_bomb_is_refused_with_gos_words_and_bounded_work() {
        let errs = decode_manifests(&laughs(), "lol.yaml");
        assert_eq!(errs.len(), 1);
        let e = errs.into_iter().next().unwrap().unwrap_err();
        assert_eq!(
            e.to_string(),
            "error converting YAML to JSON: yaml: document contains excessive aliasing"
        );
        // One big anchor used many times: quadratic, and stopped by the same budget.
        let big = format!(
            "a: &a [{}]\nb: [{}]\n",
            vec!["x"; 50_000].join(","),
            vec!["*a"; 200].join(",")
        );
        let e = parse_documents(&big).remove(0).unwrap_err();
        assert!(matches!(e, ManifestError::Convert(_)), "{e:?}");
        // A few aliases are fine.
        let ok = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: &l {app: web}\n  annotations: *l\n";
        assert!(decode_manifests(ok, "x").remove(0).is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_at_its_place_not_a_stack_overflow() {
        for text in [
            format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
            format!("a: {}1{}\n", "{\"b\": ".repeat(10_000), "}".repeat(10_000)),
            (0..10_000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect::<String>(),
        ] {
            let e = parse_documents(&text).remove(0).unwrap_err();
            let ManifestError::Syntax { message, line, .. } = &e else {
                panic!("{e:?}")
            };
            assert_eq!(message, "recursion limit exceeded");
            assert!(*line >= 1);
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_like_yaml_to_json() {
        let text =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n  name: second\ndata:\n  1: one\n  true: yes\n";
        let obj = decode_manifests(text, "x").remove(0).unwrap();
        assert_eq!(obj.name(), "second");
        let Object::ConfigMap(cm) = obj else { panic!() };
        let data = cm.data.unwrap();
        assert_eq!(data["1"], "one");
        assert_eq!(data["true"], "yes");
    }

    #[test]
    fn floats_json_cannot_hold_are_gos_json_error() {
        let e = parse_documents("a: .inf\n").remove(0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "error converting YAML to JSON: json: unsupported value: +Inf"
        );
        let e = parse_documents("a: .nan\n").remove(0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "error converting YAML to JSON: json: unsupported value: NaN"
        );
    }

    #[test]
    fn a_list_stands_for_its_items() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: List\n  items:\n  - {apiVersion: v1, kind: Secret, metadata: {name: b}}\n- {apiVersion: v1, kind: Frob, metadata: {name: c}}\n";
        let objs = decode_manifests(text, "list.yaml");
        assert_eq!(objs.len(), 3);
        assert_eq!(objs[0].as_ref().unwrap().name(), "a");
        assert_eq!(objs[1].as_ref().unwrap().kind(), Kind::Secret);
        assert_eq!(
            objs[2].as_ref().unwrap_err().to_string(),
            "unable to recognize no matches for kind \"Frob\" in version \"v1\""
        );
        let bad = "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n- {kind: ConfigMap}\n";
        assert_eq!(
            decode_manifests(bad, "x").remove(0).unwrap_err().to_string(),
            "error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false"
        );
    }

    #[test]
    fn a_document_without_a_kind_ends_the_file_and_an_unknown_kind_does_not() {
        let cm = |n: &str| format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}\n");
        let text = [cm("a"), "metadata: {name: b}\n".into(), cm("c")].join("---\n");
        let r = decode_manifests(&text, "x");
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(r[0].is_ok());
        assert!(matches!(r[1], Err(ManifestError::MissingTypeMeta(_))));
        let text = [cm("a"), "apiVersion: v1\nkind: Frob\n".into(), cm("c")].join("---\n");
        let r = decode_manifests(&text, "x");
        assert_eq!(r.len(), 3);
        assert!(r[2].is_ok());
        let e = decode_manifests("- a\n- b\n", "x").remove(0).unwrap_err();
        assert_eq!(e.to_string(), "error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false");
    }

    #[test]
    fn more_than_the_object_limit_is_refused_after_the_limit() {
        let text = (0..MAX_OBJECTS + 5)
            .map(|i| format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n"))
            .collect::<Vec<_>>()
            .join("---\n");
        let r = decode_manifests(&text, "x");
        assert_eq!(r.len(), MAX_OBJECTS + 1);
        assert!(matches!(r[MAX_OBJECTS], Err(ManifestError::TooManyObjects { .. })));
        let list = format!(
            "apiVersion: v1\nkind: List\nitems:\n{}",
            (0..MAX_OBJECTS + 1)
                .map(|i| format!("- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}}}}}\n"))
                .collect::<String>()
        );
        let r = decode_manifests(&list, "x");
        assert_eq!(r.len(), MAX_OBJECTS + 1);
        assert!(r[MAX_OBJECTS].is_err());
    }
}
