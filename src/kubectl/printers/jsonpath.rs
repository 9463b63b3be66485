//! `-o jsonpath=…`: kubectl's JSONPath template language (k8s.io/client-go/util/jsonpath), not
//! RFC 9535. Text outside `{…}` is printed as is; inside: `.a.b`, `['a.b']`, `[0]`, `[-1:]`,
//! `[*]`, `..name`, filters `[?(@.name=="https")]`, `{range …}…{end}` and `{"\n"}` literals.
//! Several results of one expression are joined with spaces; maps and lists print as JSON.

use serde_json::Value;

/// A parse or evaluation error, in kubectl's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JsonPathError(pub String);

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Expr(Vec<Step>),
    Range(Vec<Step>, Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Recursive(String),
    Wildcard,
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Filter(Vec<Step>, Option<(String, Value)>),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    nodes: Vec<Node>,
}

impl JsonPath {
    pub fn parse(template: &str) -> Result<JsonPath, JsonPathError> {
        let actions = split_actions(template)?;
        let mut stack: Vec<(Vec<Step>, Vec<Node>)> = vec![(Vec::new(), Vec::new())];
        for a in actions {
            match a {
                Action::Text(t) => stack.last_mut().unwrap().1.push(Node::Text(t)),
                Action::Code(code) => {
                    let code = code.trim();
                    if let Some(expr) = code.strip_prefix("range ") {
                        stack.push((parse_expr(expr.trim())?, Vec::new()));
                    } else if code == "end" {
                        if stack.len() == 1 {
                            return Err(JsonPathError("not in range, nothing to end".into()));
                        }
                        let (expr, body) = stack.pop().unwrap();
                        stack.last_mut().unwrap().1.push(Node::Range(expr, body));
                    } else if code.starts_with('"') || code.starts_with('\'') {
                        stack.last_mut().unwrap().1.push(Node::Text(unquote(code)?));
                    } else {
                        stack.last_mut().unwrap().1.push(Node::Expr(parse_expr(code)?));
                    }
                }
            }
        }
        if stack.len() != 1 {
            return Err(JsonPathError("unclosed range".into()));
        }
        Ok(JsonPath {
            nodes: stack.pop().unwrap().1,
        })
    }

    /// The values the template's expressions select (for custom columns).
    pub fn results(&self, data: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        for n in &self.nodes {
            if let Node::Expr(steps) = n {
                out.extend(eval(steps, data, data));
            }
        }
        out
    }

    /// Evaluate against `data` (missing keys print nothing, as `kubectl get` allows them).
    pub fn execute(&self, data: &Value) -> Result<String, JsonPathError> {
        let mut out = String::new();
        exec_nodes(&self.nodes, data, data, &mut out)?;
        Ok(out)
    }
}

fn exec_nodes(nodes: &[Node], root: &Value, cur: &Value, out: &mut String) -> Result<(), JsonPathError> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Expr(steps) => {
                let results = eval(steps, root, cur);
                let texts: Vec<String> = results.iter().map(to_text).collect();
                out.push_str(&texts.join(" "));
            }
            Node::Range(steps, body) => {
                let results = eval(steps, root, cur);
                let items: Vec<Value> = if results.len() == 1 {
                    match &results[0] {
                        Value::Array(a) => a.clone(),
                        other => vec![other.clone()],
                    }
                } else {
                    results
                };
                for item in &items {
                    exec_nodes(body, root, item, out)?;
                }
            }
        }
    }
    Ok(())
}

fn to_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(_) | Value::Object(_) => super::go_json_escape(&serde_json::to_string(v).unwrap_or_default()),
        other => other.to_string(),
    }
}

fn eval(steps: &[Step], root: &Value, cur: &Value) -> Vec<Value> {
    let _ = root;
    let mut vals = vec![cur.clone()];
    for s in steps {
        let mut next = Vec::new();
        for v in &vals {
            apply(s, v, &mut next);
        }
        vals = next;
    }
    vals
}

fn apply(step: &Step, v: &Value, next: &mut Vec<Value>) {
    match step {
        Step::Field(f) => {
            if let Some(x) = v.get(f) {
                next.push(x.clone());
            }
        }
        Step::Recursive(f) => collect_recursive(v, f, next),
        Step::Wildcard => match v {
            Value::Array(a) => next.extend(a.iter().cloned()),
            Value::Object(m) => next.extend(m.values().cloned()),
            _ => {}
        },
        Step::Index(i) => {
            if let Value::Array(a) = v {
                let len = a.len() as i64;
                let idx = if *i < 0 { len + i } else { *i };
                if (0..len).contains(&idx) {
                    next.push(a[idx as usize].clone());
                }
            }
        }
        Step::Slice(start, end, step) => {
            if let Value::Array(a) = v {
                let len = a.len() as i64;
                let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                let s = norm(start.unwrap_or(0));
                let e = norm(end.unwrap_or(len));
                let st = step.unwrap_or(1).max(1);
                let mut i = s;
                while i < e {
                    next.push(a[i as usize].clone());
                    i += st;
                }
            }
        }
        Step::Filter(path, cmp) => {
            if let Value::Array(a) = v {
                for item in a {
                    let found = eval(path, item, item);
                    let ok = match cmp {
                        None => !found.is_empty(),
                        Some((op, lit)) => found.iter().any(|f| compare(f, op, lit)),
                    };
                    if ok {
                        next.push(item.clone());
                    }
                }
            }
        }
    }
}

fn collect_recursive(v: &Value, f: &str, next: &mut Vec<Value>) {
    if let Some(x) = v.get(f) {
        next.push(x.clone());
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| collect_recursive(x, f, next)),
        Value::Object(m) => m.values().for_each(|x| collect_recursive(x, f, next)),
        _ => {}
    }
}

fn compare(a: &Value, op: &str, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) {
        return match op {
            "==" => x == y,
            "!=" => x != y,
            "<" => x < y,
            ">" => x > y,
            "<=" => x <= y,
            ">=" => x >= y,
            _ => false,
        };
    }
    match op {
        "==" => a == b,
        "!=" => a != b,
        _ => false,
    }
}

enum Action {
    Text(String),
    Code(String),
}

fn split_actions(t: &str) -> Result<Vec<Action>, JsonPathError> {
    let mut out = Vec::new();
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    let mut text = String::new();
    while i < chars.len() {
        if chars[i] == '{' {
            if !text.is_empty() {
                out.push(Action::Text(std::mem::take(&mut text)));
            }
            let mut j = i + 1;
            let mut quote: Option<char> = None;
            let mut code = String::new();
            loop {
                if j >= chars.len() {
                    return Err(JsonPathError("unclosed action".into()));
                }
                let c = chars[j];
                match quote {
                    Some(q) => {
                        if c == '\\' && j + 1 < chars.len() {
                            code.push(c);
                            code.push(chars[j + 1]);
                            j += 2;
                            continue;
                        }
                        if c == q {
                            quote = None;
                        }
                    }
                    None if c == '"' || c == '\'' => quote = Some(c),
                    None if c == '}' => break,
                    None => {}
                }
                code.push(c);
                j += 1;
            }
            out.push(Action::Code(code));
            i = j + 1;
        } else {
            text.push(chars[i]);
            i += 1;
        }
    }
    if !text.is_empty() {
        out.push(Action::Text(text));
    }
    Ok(out)
}

fn unquote(s: &str) -> Result<String, JsonPathError> {
    let q = s.chars().next().unwrap_or('"');
    let inner = s
        .strip_prefix(q)
        .and_then(|x| x.strip_suffix(q))
        .ok_or_else(|| JsonPathError(format!("unterminated quoted string {s}")))?;
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn parse_literal(s: &str) -> Result<Value, JsonPathError> {
    let s = s.trim();
    if s.starts_with('"') || s.starts_with('\'') {
        return Ok(Value::String(unquote(s)?));
    }
    if let Ok(n) = s.parse::<i64>() {
        return Ok(Value::from(n));
    }
    if let Ok(f) = s.parse::<f64>() {
        return Ok(Value::from(f));
    }
    match s {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        _ => Err(JsonPathError(format!("unrecognized filter value {s}"))),
    }
}

fn parse_expr(s: &str) -> Result<Vec<Step>, JsonPathError> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut steps = Vec::new();
    if i < chars.len() && (chars[i] == '$' || chars[i] == '@') {
        i += 1;
    }
    let ident = |i: &mut usize| {
        let mut name = String::new();
        while *i < chars.len() && chars[*i] != '.' && chars[*i] != '[' {
            name.push(chars[*i]);
            *i += 1;
        }
        name
    };
    while i < chars.len() {
        match chars[i] {
            '.' => {
                if i + 1 < chars.len() && chars[i + 1] == '.' {
                    i += 2;
                    let name = ident(&mut i);
                    steps.push(Step::Recursive(name));
                } else {
                    i += 1;
                    let name = ident(&mut i);
                    match name.as_str() {
                        "" => {}
                        "*" => steps.push(Step::Wildcard),
                        _ => steps.push(Step::Field(name)),
                    }
                }
            }
            '[' => {
                let mut depth = 0;
                let mut j = i;
                let mut quote: Option<char> = None;
                loop {
                    if j >= chars.len() {
                        return Err(JsonPathError(format!("unterminated array in {s}")));
                    }
                    let c = chars[j];
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) => {}
                        None if c == '"' || c == '\'' => quote = Some(c),
                        None if c == '[' => depth += 1,
                        None if c == ']' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        None => {}
                    }
                    j += 1;
                }
                let inner: String = chars[i + 1..j].iter().collect();
                steps.push(parse_bracket(inner.trim())?);
                i = j + 1;
            }
            _ => {
                let name = ident(&mut i);
                steps.push(Step::Field(name));
            }
        }
    }
    Ok(steps)
}

fn parse_bracket(inner: &str) -> Result<Step, JsonPathError> {
    if inner == "*" {
        return Ok(Step::Wildcard);
    }
    if let Some(f) = inner.strip_prefix("?(").and_then(|x| x.strip_suffix(')')) {
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if let Some((l, r)) = split_outside_quotes(f, op) {
                return Ok(Step::Filter(
                    parse_expr(l.trim())?,
                    Some((op.to_string(), parse_literal(r)?)),
                ));
            }
        }
        return Ok(Step::Filter(parse_expr(f.trim())?, None));
    }
    if inner.starts_with('\'') || inner.starts_with('"') {
        return Ok(Step::Field(unquote(inner)?));
    }
    if inner.contains(':') {
        let parts: Vec<&str> = inner.split(':').collect();
        let num = |s: &str| -> Result<Option<i64>, JsonPathError> {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse()
                    .map(Some)
                    .map_err(|_| JsonPathError(format!("invalid array index {s}")))
            }
        };
        return Ok(Step::Slice(
            num(parts[0])?,
            num(parts.get(1).copied().unwrap_or(""))?,
            num(parts.get(2).copied().unwrap_or(""))?,
        ));
    }
    inner
        .parse::<i64>()
        .map(Step::Index)
        .map_err(|_| JsonPathError(format!("invalid array index {inner}")))
}

fn split_outside_quotes<'a>(s: &'a str, op: &str) -> Option<(&'a str, &'a str)> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if s[i..].starts_with(op) => return Some((&s[..i], &s[i + op.len()..])),
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: &str, v: &Value) -> String {
        JsonPath::parse(t).unwrap().execute(v).unwrap()
    }

    fn list() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a"}, "status": {"addresses": [{"address": "127.0.2.1"}]}},
            {"metadata": {"name": "b"}, "status": {"addresses": [{"address": "127.0.2.2"}]}},
            {"metadata": {"name": "c"}}
        ]})
    }

    #[test]
    fn paths_indexes_and_slices() {
        let l = list();
        assert_eq!(run("{.items[0].metadata.name}", &l), "a");
        assert_eq!(run("{.items[1].status.addresses[0].address}", &l), "127.0.2.2");
        assert_eq!(run("{.items[*].metadata.name}", &l), "a b c");
        assert_eq!(run("{.items[-1:].metadata.name}", &l), "c");
        assert_eq!(run("{.items[0:2].metadata.name}", &l), "a b");
        assert_eq!(run("{.items[5].metadata.name}", &l), "");
        assert_eq!(run("{..name}", &l), "a b c");
        assert_eq!(run("{$.kind}", &l), "List");
        assert_eq!(run("name: {.items[0]['metadata']['name']}!", &l), "name: a!");
    }

    #[test]
    fn range_literals_and_json_values() {
        let l = list();
        assert_eq!(run(r#"{range .items[*]}{.metadata.name}{"\n"}{end}"#, &l), "a\nb\nc\n");
        assert_eq!(run("{.items[0].metadata}", &l), r#"{"name":"a"}"#);
        let svc =
            json!({"spec": {"ports": [{"name": "http", "nodePort": 30001}, {"name": "https", "nodePort": 30443}]}});
        assert_eq!(run(r#"{.spec.ports[?(@.name=="https")].nodePort}"#, &svc), "30443");
        assert_eq!(run("{.spec.ports[?(@.nodePort>30100)].name}", &svc), "https");
        assert_eq!(run("{.spec.ports[*].nodePort}", &svc), "30001 30443");
    }

    #[test]
    fn parse_errors() {
        assert_eq!(JsonPath::parse("{.items[0").unwrap_err().to_string(), "unclosed action");
        assert_eq!(
            JsonPath::parse("{end}").unwrap_err().to_string(),
            "not in range, nothing to end"
        );
    }
}
