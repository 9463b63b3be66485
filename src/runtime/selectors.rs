//! Label selectors: the `app=hello,tier=backend` matching behind Services, ReplicaSets and `-l`.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// A parsed selector requirement (`kubectl get -l` syntax or a `LabelSelector`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl Requirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }
}

/// A conjunction of requirements; empty matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Requirement>);

impl Selector {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| r.matches(labels))
    }

    /// From a map (`Service.spec.selector`): every pair must match.
    pub fn from_map(m: &BTreeMap<String, String>) -> Selector {
        Selector(
            m.iter()
                .map(|(k, v)| Requirement::Equals(k.clone(), v.clone()))
                .collect(),
        )
    }

    pub fn from_label_selector(ls: &LabelSelector) -> Selector {
        let mut reqs: Vec<Requirement> = ls
            .match_labels
            .iter()
            .flatten()
            .map(|(k, v)| Requirement::Equals(k.clone(), v.clone()))
            .collect();
        for e in ls.match_expressions.iter().flatten() {
            let vals = e.values.clone().unwrap_or_default();
            reqs.push(match e.operator.as_str() {
                "In" => Requirement::In(e.key.clone(), vals),
                "NotIn" => Requirement::NotIn(e.key.clone(), vals),
                "Exists" => Requirement::Exists(e.key.clone()),
                _ => Requirement::DoesNotExist(e.key.clone()),
            });
        }
        Selector(reqs)
    }

    /// Parse kubectl's `-l` syntax: `a=b,c!=d,e in (x,y),!f,g`.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        let mut parts = Vec::new();
        let (mut depth, mut cur) = (0, String::new());
        for ch in s.chars() {
            match ch {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut cur));
                    continue;
                }
                _ => {}
            }
            cur.push(ch);
        }
        parts.push(cur);
        for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let words: Vec<&str> = part.split_whitespace().collect();
            let req = if let Some(k) = part.strip_prefix('!') {
                Requirement::DoesNotExist(k.trim().to_string())
            } else if let Some((k, v)) = part.split_once("!=") {
                Requirement::NotEquals(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once("==") {
                Requirement::Equals(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once('=') {
                Requirement::Equals(k.trim().into(), v.trim().into())
            } else if words.len() >= 2 && (words[1] == "in" || words[1] == "notin") {
                let after_key = part[part.find(words[0]).unwrap_or(0) + words[0].len()..].trim_start();
                let rest = after_key.strip_prefix(words[1]).unwrap_or("").trim();
                let inner = rest
                    .strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .ok_or_else(|| format!("unable to parse requirement: found '{rest}', expected: '('"))?;
                let vals = inner
                    .split(',')
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect();
                if words[1] == "in" {
                    Requirement::In(words[0].into(), vals)
                } else {
                    Requirement::NotIn(words[0].into(), vals)
                }
            } else if words.len() == 1 {
                Requirement::Exists(part.to_string())
            } else {
                return Err(format!(
                    "unable to parse requirement: found '{}', expected: ',' or 'end of string'",
                    words[1]
                ));
            };
            reqs.push(req);
        }
        Ok(Selector(reqs))
    }
}

/// The selector as the API writes it (`labels.Selector.String()`): requirements sorted by key,
/// set values sorted, joined by commas — `app=web,tier in (a,b),!legacy`.
impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = |r: &Requirement| match r {
            Requirement::Equals(k, _)
            | Requirement::NotEquals(k, _)
            | Requirement::In(k, _)
            | Requirement::NotIn(k, _)
            | Requirement::Exists(k)
            | Requirement::DoesNotExist(k) => k.clone(),
        };
        let mut reqs: Vec<&Requirement> = self.0.iter().collect();
        reqs.sort_by_key(|r| key(r));
        let set = |vs: &Vec<String>| {
            let mut v = vs.clone();
            v.sort();
            v.join(",")
        };
        let parts: Vec<String> = reqs
            .into_iter()
            .map(|r| match r {
                Requirement::Equals(k, v) => format!("{k}={v}"),
                Requirement::NotEquals(k, v) => format!("{k}!={v}"),
                Requirement::In(k, vs) => format!("{k} in ({})", set(vs)),
                Requirement::NotIn(k, vs) => format!("{k} notin ({})", set(vs)),
                Requirement::Exists(k) => k.clone(),
                Requirement::DoesNotExist(k) => format!("!{k}"),
            })
            .collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn parses_kubectl_selectors() {
        let s = Selector::parse("instance in (x),!gone").unwrap();
        assert!(s.matches(&labels(&[("instance", "x")])));
        assert!(!s.matches(&labels(&[("instance", "y")])));
        let s = Selector::parse("app=hello,tier!=frontend,env in (a, b),!legacy").unwrap();
        assert!(s.matches(&labels(&[("app", "hello"), ("tier", "backend"), ("env", "a")])));
        assert!(!s.matches(&labels(&[("app", "hello"), ("tier", "frontend"), ("env", "a")])));
        assert!(!s.matches(&labels(&[("app", "hello"), ("env", "a"), ("legacy", "1")])));
        assert!(Selector::parse("").unwrap().matches(&labels(&[])));
    }
}
