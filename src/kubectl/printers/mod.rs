//! kubectl's output formats (`-o wide|yaml|json|name|jsonpath=…|go-template=…|custom-columns=…`)
//! and the code that turns a set of objects into that output.

pub mod columns;
pub mod custom_columns;
pub mod gotemplate;
pub mod jsonpath;
pub mod yaml;

use serde_json::Value;

use crate::runtime::Object;

/// What `-o` asked for.
pub enum Format {
    Table { wide: bool },
    Name,
    Yaml,
    Json,
    JsonPath(jsonpath::JsonPath),
    GoTemplate(String),
    CustomColumns(custom_columns::CustomColumns),
}

const ALLOWED: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

impl Format {
    /// Parse `-o` (and `--template` for `-o go-template` / `-o jsonpath`). Errors are kubectl's
    /// message without the `error: ` prefix.
    pub fn parse(output: Option<&str>, template: Option<&str>) -> Result<Format, String> {
        let Some(o) = output.filter(|o| !o.is_empty()) else {
            return Ok(Format::Table { wide: false });
        };
        let (name, arg) = match o.split_once('=') {
            Some((n, a)) => (n, Some(a.to_string())),
            None => (o, None),
        };
        let arg = arg.or(template.map(String::from));
        match name {
            "wide" => Ok(Format::Table { wide: true }),
            "name" => Ok(Format::Name),
            "yaml" => Ok(Format::Yaml),
            "json" => Ok(Format::Json),
            "jsonpath" => {
                let t = arg
                    .filter(|t| !t.is_empty())
                    .ok_or("template format specified but no template given")?;
                jsonpath::JsonPath::parse(&t)
                    .map(Format::JsonPath)
                    .map_err(|e| format!("error parsing jsonpath {t}, {e}"))
            }
            "go-template" | "template" => {
                let t = arg
                    .filter(|t| !t.is_empty())
                    .ok_or("template format specified but no template given")?;
                let mut check = gtmpl::Template::default();
                check
                    .parse(t.as_str())
                    .map_err(|e| format!("error parsing template {t}, {e}"))?;
                Ok(Format::GoTemplate(t))
            }
            "custom-columns" => {
                custom_columns::CustomColumns::parse(arg.as_deref().unwrap_or("")).map(Format::CustomColumns)
            }
            _ => Err(format!(
                "unable to match a printer suitable for the output format \"{o}\", allowed formats are: {ALLOWED}"
            )),
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self, Format::Table { .. })
    }

    /// `-o` for commands that print objects but no tables (`rollout`, `set`, `config view`):
    /// kubectl's print flags without the table printers. `None` when `-o` was not given.
    pub fn parse_object(output: Option<&str>, template: Option<&str>) -> Result<Option<Format>, String> {
        let Some(o) = output.filter(|o| !o.is_empty()) else {
            return Ok(None);
        };
        let name = o.split_once('=').map_or(o, |(n, _)| n);
        if matches!(name, "wide" | "custom-columns") {
            return Err(format!(
                "unable to match a printer suitable for the output format \"{o}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
            ));
        }
        Format::parse(Some(o), template).map(Some)
    }
}

/// `kind/name` as `-o name` and multi-type tables print it: `deployment.apps/backend`.
pub fn type_name(obj: &Object) -> String {
    format!("{}/{}", obj.kind().info().qualified_singular(), obj.name())
}

/// The `List` kubectl wraps several objects in for `-o yaml|json|jsonpath`.
pub fn list_value(objs: &[Value]) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": objs,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// JSON the way kubectl prints it: four-space indent, a trailing newline.
pub fn to_json_text(v: &impl serde::Serialize) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    v.serialize(&mut ser).expect("JSON values serialize");
    let mut s = go_json_escape(&String::from_utf8(buf).expect("serde_json writes UTF-8"));
    s.push('\n');
    s
}

/// Go's `encoding/json` escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings; in JSON text
/// those characters can only occur inside strings, so a plain replace is exact.
pub fn go_json_escape(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Render `data` (one object, or a List) in a non-table format.
pub fn render_data(format: &Format, data: &Value) -> Result<String, String> {
    match format {
        Format::Yaml => Ok(yaml::to_yaml(data)),
        Format::Json => Ok(to_json_text(data)),
        Format::JsonPath(jp) => jp.execute(data).map_err(|e| e.to_string()),
        Format::GoTemplate(t) => gotemplate::render(t, data),
        Format::Table { .. } | Format::Name | Format::CustomColumns(_) => Ok(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_their_errors() {
        assert!(matches!(
            Format::parse(Some("wide"), None),
            Ok(Format::Table { wide: true })
        ));
        assert!(
            matches!(Format::parse(Some("go-template"), Some("{{.a}}")), Ok(Format::GoTemplate(t)) if t == "{{.a}}")
        );
        assert_eq!(
            Format::parse(Some("foo"), None).err().unwrap(),
            format!("unable to match a printer suitable for the output format \"foo\", allowed formats are: {ALLOWED}")
        );
        assert_eq!(
            Format::parse(Some("jsonpath={.a"), None).err().unwrap(),
            "error parsing jsonpath {.a, unclosed action"
        );
    }

    #[test]
    fn json_escapes_like_go() {
        assert_eq!(
            to_json_text(&serde_json::json!({"m": "<a&b>"})),
            "{\n    \"m\": \"\\u003ca\\u0026b\\u003e\"\n}\n"
        );
    }

    #[test]
    fn json_uses_four_spaces_and_lists_wrap_items() {
        let v = list_value(&[serde_json::json!({"a": 1})]);
        assert_eq!(
            to_json_text(&v),
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"a\": 1\n        }\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
        );
    }
}
