//! `-o custom-columns=HEADER:.path,…`: one column per JSONPath, values printed the way Go's
//! `%v` prints unstructured data (`[map[ip:10.244.1.5]]`), `<none>` when nothing matched.

use serde_json::Value;

use super::jsonpath::{JsonPath, JsonPathError};

/// A parsed `custom-columns` spec.
#[derive(Debug)]
pub struct CustomColumns {
    columns: Vec<(String, JsonPath)>,
}

impl CustomColumns {
    pub fn parse(spec: &str) -> Result<CustomColumns, String> {
        if spec.is_empty() {
            return Err("custom-columns format specified but no custom columns given".into());
        }
        let mut columns = Vec::new();
        for part in spec.split(',') {
            let Some((header, path)) = part.split_once(':') else {
                return Err(format!(
                    "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                ));
            };
            let path = relaxed(path);
            let jp = JsonPath::parse(&path).map_err(|e: JsonPathError| e.to_string())?;
            columns.push((header.to_string(), jp));
        }
        Ok(CustomColumns { columns })
    }

    pub fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|(h, _)| h.clone()).collect()
    }

    /// The cells for one object.
    pub fn row(&self, obj: &Value) -> Vec<String> {
        self.columns.iter().map(|(_, jp)| cell(jp, obj)).collect()
    }
}

/// `RelaxedJSONPathExpression`: `.a.b` or `{.a.b}` → `{.a.b}`.
fn relaxed(p: &str) -> String {
    let p = p.trim();
    let inner = p.strip_prefix('{').and_then(|x| x.strip_suffix('}')).unwrap_or(p);
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    format!("{{.{inner}}}")
}

fn cell(jp: &JsonPath, obj: &Value) -> String {
    let vals = jp.results(obj);
    if vals.is_empty() {
        return "<none>".into();
    }
    vals.iter().map(go_format).collect::<Vec<_>>().join(",")
}

/// Go's `fmt.Sprintf("%v", v)` for unstructured JSON data.
pub fn go_format(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_format).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => format!(
            "map[{}]",
            m.iter()
                .map(|(k, v)| format!("{k}:{}", go_format(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_print_like_go() {
        let cc = CustomColumns::parse("POD_IP:.status.podIPs,NAME:{.metadata.name},NODE:.spec.nodeName").unwrap();
        assert_eq!(cc.headers(), vec!["POD_IP", "NAME", "NODE"]);
        let pod = json!({"metadata": {"name": "p"}, "status": {"podIPs": [{"ip": "10.244.1.5"}]}});
        assert_eq!(cc.row(&pod), vec!["[map[ip:10.244.1.5]]", "p", "<none>"]);
        assert_eq!(
            go_format(&json!({"b": 1, "a": [true, null]})),
            "map[a:[true <nil>] b:1]"
        );
        assert!(CustomColumns::parse("NAME")
            .unwrap_err()
            .starts_with("unexpected custom-columns spec: NAME"));
    }
}
