//! What the resource arguments of `get`, `delete`, `describe` … name, the way kubectl's resource
//! builder reads them: `svc`, `svc,pods`, `svc a b`, `deployments,svc my-nginx`, `svc/a pod/b`,
//! and `all`.

use crate::runtime::Kind;

/// One thing to act on: every object of a kind, or one named object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    All(Kind),
    Named(Kind, String),
}

impl Target {
    pub fn kind(&self) -> Kind {
        match self {
            Target::All(k) | Target::Named(k, _) => *k,
        }
    }
}

/// The types `kubectl get all` expands to (those the lab serves), in kubectl's order.
const ALL: &[Kind] = &[Kind::Pod, Kind::Service, Kind::Deployment, Kind::ReplicaSet];

fn resolve_types(typed: &str) -> Result<Vec<Kind>, String> {
    let mut kinds = Vec::new();
    for t in typed.split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            kinds.extend_from_slice(ALL);
            continue;
        }
        kinds.push(Kind::resolve(t).ok_or_else(|| format!("the server doesn't have a resource type \"{t}\""))?);
    }
    Ok(kinds)
}

/// Parse resource arguments into targets. Errors are kubectl's messages without `error: `.
pub fn parse_targets(args: &[String]) -> Result<Vec<Target>, String> {
    if args.is_empty() {
        return Ok(Vec::new());
    }
    if args.iter().any(|a| a.contains('/')) {
        let mut out = Vec::new();
        for a in args {
            let Some((t, name)) = a.split_once('/') else {
                return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            let kind = Kind::resolve(t).ok_or_else(|| format!("the server doesn't have a resource type \"{t}\""))?;
            if name.is_empty() {
                return Err("arguments in resource/name form must have a single resource and name".into());
            }
            out.push(Target::Named(kind, name.to_string()));
        }
        return Ok(out);
    }
    let kinds = resolve_types(&args[0])?;
    let names = &args[1..];
    let mut out = Vec::new();
    for k in kinds {
        if names.is_empty() {
            out.push(Target::All(k));
        } else {
            out.extend(names.iter().map(|n| Target::Named(k, n.clone())));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn the_forms_kubectl_accepts() {
        assert_eq!(parse_targets(&s(&["svc"])).unwrap(), vec![Target::All(Kind::Service)]);
        assert_eq!(
            parse_targets(&s(&["deployments,svc", "my-nginx"])).unwrap(),
            vec![
                Target::Named(Kind::Deployment, "my-nginx".into()),
                Target::Named(Kind::Service, "my-nginx".into())
            ]
        );
        assert_eq!(
            parse_targets(&s(&["services/kubernetes-bootcamp", "pod/x"])).unwrap(),
            vec![
                Target::Named(Kind::Service, "kubernetes-bootcamp".into()),
                Target::Named(Kind::Pod, "x".into())
            ]
        );
        assert_eq!(parse_targets(&s(&["all"])).unwrap().len(), 4);
    }

    #[test]
    fn errors() {
        assert_eq!(
            parse_targets(&s(&["servcies"])).unwrap_err(),
            "the server doesn't have a resource type \"servcies\""
        );
        assert!(parse_targets(&s(&["svc", "svc/a"]))
            .unwrap_err()
            .starts_with("there is no need to specify a resource type"));
    }
}
