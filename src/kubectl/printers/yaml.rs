//! `-o yaml` the way kubectl prints it: JSON turned into YAML by sigs.k8s.io/yaml, i.e. go-yaml
//! v2's emitter — keys sorted, lists not indented under their key, strings quoted only when a
//! plain scalar would read back as something else (`"80"`, `"2024-01-01T00:00:00Z"`, `""`),
//! single quotes for strings that start with an indicator (`'{"a":1}'`), literal blocks (`|`) for
//! multi-line strings, and long plain strings folded after column 80.

use serde_json::Value;

const BEST_WIDTH: usize = 80;

/// Render a JSON value as kubectl's YAML.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => mapping(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => sequence(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0, 0));
            out.push('\n');
        }
    }
    out
}

fn mapping(out: &mut String, m: &serde_json::Map<String, Value>, indent: usize) {
    let mut first = true;
    for (k, v) in m {
        if !first || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        first = false;
        let key = string_scalar(k, indent, indent, false);
        out.push_str(&key);
        out.push(':');
        value_after_key(out, v, indent, indent + key.len() + 1);
    }
}

fn value_after_key(out: &mut String, v: &Value, indent: usize, column: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            mapping(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            sequence(out, a, indent);
        }
        Value::String(s) if s.contains('\n') => {
            out.push(' ');
            literal(out, s, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2, column + 1));
            out.push('\n');
        }
    }
}

fn sequence(out: &mut String, a: &[Value], indent: usize) {
    for item in a {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => mapping(out, m, indent + 2),
            Value::Array(inner) if !inner.is_empty() => {
                // go-yaml writes a nested sequence on the same line: `- - a`.
                let mut nested = String::new();
                sequence(&mut nested, inner, indent + 2);
                out.push_str(nested.trim_start());
            }
            Value::String(s) if s.contains('\n') => literal(out, s, indent + 2),
            other => {
                out.push_str(&scalar(other, indent + 2, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// A literal block scalar (`|`, `|-`, `|+`) with its lines at `indent`.
fn literal(out: &mut String, s: &str, indent: usize) {
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let ind = if s.starts_with(' ') || s.starts_with('\n') {
        "2"
    } else {
        ""
    };
    out.push('|');
    out.push_str(ind);
    out.push_str(chomp);
    out.push('\n');
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn scalar(v: &Value, indent: usize, column: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_scalar(s, indent, column, true),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// True if go-yaml v2 would read the plain scalar `s` as something other than a string.
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y", "yes", "Yes",
        "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "+.inf",
        "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit() || matches!(first, '-' | '+' | '.')) {
        return false;
    }
    let plain = s.replace('_', "");
    let body = plain.strip_prefix(['-', '+']).unwrap_or(&plain);
    if body.parse::<i64>().is_ok() || body.parse::<u64>().is_ok() {
        return true;
    }
    if let Some(h) = body.strip_prefix("0x") {
        if !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    if let Some(b) = body.strip_prefix("0b") {
        if !b.is_empty() && b.chars().all(|c| c == '0' || c == '1') {
            return true;
        }
    }
    if body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        && body.chars().any(|c| c.is_ascii_digit())
        && body.parse::<f64>().is_ok()
    {
        return true;
    }
    // Base-60 numbers (`1:20`) and timestamps (`2001-12-14`, `2001-12-14T21:59:43Z`).
    if body.contains(':')
        && body
            .split(':')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.'))
    {
        return true;
    }
    is_timestamp(s)
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    date && (b.len() == 10 || matches!(b[10], b'T' | b't' | b' '))
}

/// Whether the emitter may write `s` as a plain scalar in block context.
fn plain_allowed(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let Some(&first) = chars.first() else { return false };
    if first.is_whitespace() || chars.last().is_some_and(|c| c.is_whitespace()) {
        return false;
    }
    if "#,[]{}&*!|>'\"%@`".contains(first) {
        return false;
    }
    let followed_by_space = |i: usize| chars.get(i + 1).is_none_or(|c| c.is_whitespace());
    if matches!(first, '-' | '?' | ':') && followed_by_space(0) {
        return false;
    }
    for (i, &c) in chars.iter().enumerate() {
        if c == ':' && followed_by_space(i) {
            return false;
        }
        if c == '#' && i > 0 && chars[i - 1].is_whitespace() {
            return false;
        }
        if c.is_control() || c == '\u{feff}' {
            return false;
        }
    }
    true
}

fn string_scalar(s: &str, indent: usize, column: usize, allow_breaks: bool) -> String {
    if resolves_to_non_string(s) || s.chars().any(|c| c.is_control() && c != '\n') {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return fold(s, indent, column, allow_breaks);
    }
    format!("'{}'", fold(&s.replace('\'', "''"), indent, column + 1, allow_breaks))
}

/// go-yaml's line folding: at a single space past column 80, break and indent.
fn fold(s: &str, indent: usize, column: usize, allow_breaks: bool) -> String {
    let mut out = String::new();
    let mut col = column;
    let chars: Vec<char> = s.chars().collect();
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_space = chars.get(i + 1) == Some(&' ');
            if allow_breaks && !prev_space && col > BEST_WIDTH && !next_space {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
            } else {
                out.push(c);
                col += 1;
            }
            prev_space = true;
        } else {
            out.push(c);
            col += 1;
            prev_space = false;
        }
    }
    out
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_yaml_layout() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\"}\n"},
                "creationTimestamp": "2024-01-02T03:04:05Z",
                "labels": {"app": "web"},
                "resourceVersion": "17",
                "name": "web"
            },
            "spec": {"ports": [{"port": 80, "targetPort": "http"}], "selector": {"app": "web"}, "clusterIPs": ["10.96.0.9"], "x": [], "y": {}},
            "status": {"loadBalancer": {}},
            "data": {"empty": "", "bool": "true", "json": "{\"a\":1}", "colon": "a: b", "url": "http://x:80/y", "star": "*"}
        });
        assert_eq!(
            to_yaml(&v),
            r#"apiVersion: v1
data:
  bool: "true"
  colon: 'a: b'
  empty: ""
  json: '{"a":1}'
  star: '*'
  url: http://x:80/y
kind: Service
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1"}
  creationTimestamp: "2024-01-02T03:04:05Z"
  labels:
    app: web
  name: web
  resourceVersion: "17"
spec:
  clusterIPs:
  - 10.96.0.9
  ports:
  - port: 80
    targetPort: http
  selector:
    app: web
  x: []
  "y": {}
status:
  loadBalancer: {}
"#
        );
    }

    #[test]
    fn lists_of_lists_blocks_and_folding() {
        assert_eq!(
            to_yaml(&json!({"a": [["x", "y"], "z"]})),
            "a:\n- - x\n  - \"y\"\n- z\n",
            "go-yaml v2 reads y as a bool, so it quotes it"
        );
        assert_eq!(to_yaml(&json!({"m": "line1\nline2"})), "m: |-\n  line1\n  line2\n");
        let long = "word ".repeat(20).trim_end().to_string();
        let y = to_yaml(&json!({"status": {"message": long}}));
        assert_eq!(
            y,
            format!(
                "status:\n  message: {}\n    word word word word word\n",
                "word ".repeat(15).trim_end()
            )
        );
    }
}
