//! `-o go-template=…`: Go's text/template through the `gtmpl` crate, over the object's JSON
//! (converted to `gtmpl::Value`, the way kubectl runs templates over unstructured maps).

use std::collections::HashMap;

use gtmpl::Value as G;
use serde_json::Value;

/// Convert JSON to a template value: objects become maps, integers stay integers so
/// `{{.spec.ports[0].nodePort}}`-style output prints `30008`, not `30008.0`.
pub fn to_gtmpl(v: &Value) -> G {
    match v {
        Value::Null => G::Nil,
        Value::Bool(b) => G::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                G::from(i)
            } else if let Some(u) = n.as_u64() {
                G::from(u)
            } else {
                G::from(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::String(s) => G::String(s.clone()),
        Value::Array(a) => G::Array(a.iter().map(to_gtmpl).collect()),
        Value::Object(m) => G::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), to_gtmpl(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

/// Render `template` over `data`; errors carry gtmpl's message.
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    let mut t = gtmpl::Template::default();
    t.parse(template).map_err(|e| e.to_string())?;
    let ctx = gtmpl::Context::from(to_gtmpl(data));
    t.render(&ctx).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn index_range_and_printf() {
        let svc = json!({"spec": {"ports": [{"nodePort": 30008, "port": 80}]}});
        assert_eq!(render("{{(index .spec.ports 0).nodePort}}", &svc).unwrap(), "30008");
        let list = json!({"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]});
        assert_eq!(
            render("{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}", &list).unwrap(),
            "a\nb\n"
        );
        assert_eq!(render("{{printf \"%s-%d\" \"x\" 3}}", &json!({})).unwrap(), "x-3");
        assert!(render("{{range .items}", &list).is_err());
    }
}
