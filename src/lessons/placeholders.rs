//! Placeholders: live cluster values inside lesson text, solutions and checks.
//!
//! A lesson cannot know the address a LoadBalancer will get or the name a pod will have, so it
//! writes `{{svc:frontend:external_ip}}` and the lab fills it in from the running cluster.
//!
//! Syntax: `{{SOURCE:NAME:FIELD}}`
//! - `SOURCE` is a resource type as kubectl spells it (`svc`, `service`, `pod`, `node`,
//!   `deploy`, …).
//! - `NAME` is the object's name, optionally `namespace/name`. For pods it may also be a name
//!   prefix (`frontend` finds `frontend-7d9c…-x2x4q`) or a label selector (`app=kubia`); for any
//!   type a number picks the N-th object (0-based) in name order.
//! - `FIELD` is a shortcut (`external_ip`, `cluster_ip`, `node_port`, `port`, `ip`, `name`, …) or
//!   a JSONPath starting with `.` (`.status.loadBalancer.ingress[0].ip`).
//!
//! Only `{{word:` starts a placeholder, so Go templates in commands
//! (`-o go-template='{{(index .spec.ports 0).nodePort}}'`) pass through untouched.

use std::sync::Arc;

use super::format::{I18n, JsonPath, Lang};
use crate::runtime::selectors::Selector;
use crate::runtime::{Cluster, Kind, Object};

/// One parsed placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub kind: Kind,
    pub namespace: Option<String>,
    pub name: String,
    /// The JSONPath the field stands for (shortcuts expanded).
    pub path: String,
    /// What the author wrote between the braces.
    pub source: String,
}

/// Shortcut fields: (kind it applies to, or `None` for every kind; name; JSONPath).
const SHORTCUTS: &[(Option<Kind>, &str, &str)] = &[
    (None, "name", ".metadata.name"),
    (None, "namespace", ".metadata.namespace"),
    (Some(Kind::Service), "cluster_ip", ".spec.clusterIP"),
    (Some(Kind::Service), "external_ip", ".status.loadBalancer.ingress[0].ip"),
    (Some(Kind::Service), "node_port", ".spec.ports[0].nodePort"),
    (Some(Kind::Service), "port", ".spec.ports[0].port"),
    (Some(Kind::Service), "type", ".spec.type"),
    (Some(Kind::Pod), "ip", ".status.podIP"),
    (Some(Kind::Pod), "node", ".spec.nodeName"),
    (
        Some(Kind::Node),
        "ip",
        ".status.addresses[?(@.type=='InternalIP')].address",
    ),
];

/// A piece of a template: literal text or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Hole(&'a str),
}

/// Split text into literal pieces and `{{word:…}}` holes.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let word_len = after
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let lead = after.len() - after.trim_start().len();
        let is_hole = word_len > 0 && after[lead + word_len..].starts_with(':');
        match (is_hole, after.find("}}")) {
            (true, Some(end)) => {
                out.push(Piece::Text(&rest[..start]));
                out.push(Piece::Hole(after[..end].trim()));
                rest = &after[end + 2..];
            }
            _ => {
                out.push(Piece::Text(&rest[..start + 2]));
                rest = after;
            }
        }
    }
    out.push(Piece::Text(rest));
    out.retain(|p| *p != Piece::Text(""));
    out
}

/// Parse the inside of one placeholder (`svc:frontend:external_ip`).
pub fn parse(inner: &str) -> Result<Placeholder, String> {
    let mut parts = inner.splitn(3, ':');
    let (src, name, field) = (parts.next().unwrap_or(""), parts.next(), parts.next());
    let (Some(name), Some(field)) = (name, field) else {
        return Err(format!(
            "placeholder {{{{{inner}}}}} needs three parts: {{{{SOURCE:NAME:FIELD}}}}"
        ));
    };
    let kind = Kind::resolve(src.trim()).ok_or_else(|| {
        format!("placeholder {{{{{inner}}}}}: unknown source {src:?} (use a resource type: svc, pod, node, …)")
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("placeholder {{{{{inner}}}}} names no object"));
    }
    let (namespace, name) = match name.split_once('/') {
        Some((ns, n)) => (Some(ns.to_string()), n.to_string()),
        None => (None, name.to_string()),
    };
    let field = field.trim();
    let path = if field.starts_with('.') {
        JsonPath::parse(field)?;
        field.to_string()
    } else {
        let hit = SHORTCUTS
            .iter()
            .find(|(k, f, _)| *f == field && k.is_none_or(|k| k == kind));
        match hit {
            Some((_, _, p)) => p.to_string(),
            None => {
                let known: Vec<&str> = SHORTCUTS
                    .iter()
                    .filter(|(k, _, _)| k.is_none_or(|k| k == kind))
                    .map(|(_, f, _)| *f)
                    .collect();
                return Err(format!(
                    "placeholder {{{{{inner}}}}}: unknown field {field:?} for {}; use one of {} or a JSONPath such as .metadata.name",
                    kind.info().name,
                    known.join(", ")
                ));
            }
        }
    };
    Ok(Placeholder {
        kind,
        namespace,
        name,
        path,
        source: inner.to_string(),
    })
}

/// Check every placeholder in `text` (lesson load time).
pub fn validate(text: &str) -> Result<(), String> {
    for p in pieces(text) {
        if let Piece::Hole(inner) = p {
            parse(inner)?;
        }
    }
    Ok(())
}

/// The first placeholder in `text` that does not parse, as written (`{{svc:x:nope}}`).
pub fn first_invalid(text: &str) -> Option<String> {
    pieces(text).into_iter().find_map(|p| match p {
        Piece::Hole(inner) if parse(inner).is_err() => Some(inner.to_string()),
        _ => None,
    })
}

/// True if `text` contains at least one placeholder.
pub fn has_placeholders(text: &str) -> bool {
    pieces(text).iter().any(|p| matches!(p, Piece::Hole(_)))
}

/// Find the object a placeholder or check names. See the module docs for the name forms.
pub fn find_object(cluster: &Cluster, kind: Kind, namespace: Option<&str>, name: &str) -> Option<Arc<Object>> {
    let ns = namespace.unwrap_or("default");
    if let Some(o) = cluster.get(kind, ns, name) {
        return Some(o);
    }
    let list = cluster.list(kind, kind.namespaced().then_some(ns));
    if let Ok(i) = name.parse::<usize>() {
        return list.get(i).cloned();
    }
    if kind != Kind::Pod {
        return None;
    }
    let live = |o: &&Arc<Object>| o.meta().deletion_timestamp.is_none();
    let candidates: Vec<&Arc<Object>> = if name.contains('=') {
        let sel = Selector::parse(name).ok()?;
        list.iter().filter(|o| sel.matches(o.labels())).filter(live).collect()
    } else {
        list.iter()
            .filter(|o| o.name().starts_with(name))
            .filter(live)
            .collect()
    };
    let running = |o: &&&Arc<Object>| {
        o.as_pod()
            .and_then(|p| p.status.as_ref())
            .and_then(|s| s.phase.as_deref())
            == Some("Running")
    };
    candidates
        .iter()
        .find(running)
        .or(candidates.first())
        .map(|o| (*o).clone())
}

/// The value of one placeholder, or why it has none yet (in both languages).
pub fn resolve(p: &Placeholder, cluster: &Cluster) -> Result<String, I18n> {
    let kind_name = p.kind.info().name;
    let Some(obj) = find_object(cluster, p.kind, p.namespace.as_deref(), &p.name) else {
        return Err(I18n::new(
            format!("{kind_name} {}이(가) 아직 없습니다", p.name),
            format!("there is no {kind_name} {} yet", p.name),
        ));
    };
    let value = JsonPath::parse(&p.path)
        .ok()
        .map(|jp| json_value_text(&jp, &obj.to_json()))
        .unwrap_or_default();
    if value.is_empty() {
        let (ko, en) = if p.path == ".status.loadBalancer.ingress[0].ip" {
            (
                format!(
                    "{kind_name} {}에 아직 외부 주소가 없습니다 (EXTERNAL-IP가 <pending>)",
                    obj.name()
                ),
                format!(
                    "the {kind_name} {} has no external address yet (EXTERNAL-IP is <pending>)",
                    obj.name()
                ),
            )
        } else {
            (
                format!("{kind_name} {}의 {} 값이 아직 없습니다", obj.name(), p.path),
                format!("the {kind_name} {} has no value at {} yet", obj.name(), p.path),
            )
        };
        return Err(I18n::new(ko, en));
    }
    Ok(value)
}

/// What a JSONPath selects, printed the way `kubectl -o jsonpath` prints it: strings bare,
/// other values as JSON, several results separated by spaces.
pub fn json_value_text(path: &JsonPath, value: &serde_json::Value) -> String {
    path.path
        .query(value)
        .all()
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Fill every placeholder, or say which one has no value yet.
pub fn render(text: &str, cluster: &Cluster) -> Result<String, I18n> {
    let mut out = String::new();
    for p in pieces(text) {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Hole(inner) => {
                let ph = parse(inner).map_err(|e| I18n::new(super::lint_words::translate(&e, Lang::Ko), e))?;
                out.push_str(&resolve(&ph, cluster)?);
            }
        }
    }
    Ok(out)
}

/// Fill what can be filled; a placeholder without a value becomes `missing` (the lesson pane
/// shows e.g. `<pending>` until the address arrives).
pub fn render_or(text: &str, cluster: &Cluster, missing: &str) -> String {
    let mut out = String::new();
    for p in pieces(text) {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Hole(inner) => match parse(inner).ok().and_then(|ph| resolve(&ph, cluster).ok()) {
                Some(v) => out.push_str(&v),
                None => out.push_str(missing),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{LoadBalancerIngress, LoadBalancerStatus, Service, ServiceStatus};

    #[test]
    fn go_templates_are_not_placeholders() {
        let cmd = "kubectl get svc x -o go-template='{{(index .spec.ports 0).nodePort}}{{\"\\n\"}}{{range .items}}{{.metadata.name}}{{end}}'";
        assert!(!has_placeholders(cmd));
        assert!(validate(cmd).is_ok());
        assert!(has_placeholders("curl http://{{svc:frontend:external_ip}}/"));
    }

    #[test]
    fn parses_shortcuts_namespaces_and_jsonpaths() {
        let p = parse("svc:frontend:external_ip").unwrap();
        assert_eq!(
            (p.kind, p.name.as_str(), p.path.as_str()),
            (Kind::Service, "frontend", ".status.loadBalancer.ingress[0].ip")
        );
        let p = parse("service:kube-system/kube-dns:.spec.clusterIP").unwrap();
        assert_eq!(p.namespace.as_deref(), Some("kube-system"));
        assert_eq!(p.name, "kube-dns");
        assert!(parse("svcs:frontend:ip").unwrap_err().contains("unknown source"));
        assert!(parse("svc:frontend:ip").unwrap_err().contains("unknown field \"ip\""));
        assert!(parse("svc:frontend").unwrap_err().contains("three parts"));
        assert!(validate("a {{svc:frontend:nope}} b").is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn renders_live_values() {
        let cluster = Cluster::start(crate::lessons::test_config(70)).await.unwrap();
        let mut svc = Service::default();
        svc.metadata.name = Some("frontend".into());
        svc.spec = Some(k8s_openapi::api::core::v1::ServiceSpec {
            ports: Some(vec![k8s_openapi::api::core::v1::ServicePort {
                port: 80,
                ..Default::default()
            }]),
            ..Default::default()
        });
        cluster.create(Object::Service(svc)).unwrap();
        let text = "curl http://{{svc:frontend:external_ip}}/";
        let err = render(text, &cluster).unwrap_err();
        assert!(err.en.contains("no external address yet"), "{err:?}");
        assert_eq!(render_or(text, &cluster, "<pending>"), "curl http://<pending>/");
        cluster
            .modify_status(Kind::Service, "default", "frontend", |o| {
                if let Object::Service(s) = o {
                    s.status = Some(ServiceStatus {
                        load_balancer: Some(LoadBalancerStatus {
                            ingress: Some(vec![LoadBalancerIngress {
                                ip: Some("127.0.1.1".into()),
                                ..Default::default()
                            }]),
                        }),
                        ..Default::default()
                    });
                }
            })
            .unwrap();
        assert_eq!(render(text, &cluster).unwrap(), "curl http://127.0.1.1/");
        assert_eq!(render("{{svc:kubernetes:cluster_ip}}", &cluster).unwrap(), "10.96.0.1");
        assert_eq!(
            render("{{svc:kube-system/kube-dns:cluster_ip}}", &cluster).unwrap(),
            "10.96.0.10"
        );
        assert_eq!(
            render("{{node:minikube:ip}} {{node:1:name}}", &cluster).unwrap(),
            "127.0.70.1 minikube-m02"
        );
        let dns_tcp = "{{svc:kube-system/kube-dns:.spec.ports[?(@.name==\"dns-tcp\")].protocol}}";
        assert_eq!(render(dns_tcp, &cluster).unwrap(), "TCP");
        assert_eq!(
            render("{{pod:k8s-app=kube-dns:namespace}}", &cluster).unwrap_err().en,
            "there is no Pod k8s-app=kube-dns yet"
        );
        let coredns = |c: &Cluster| !c.list(Kind::Pod, Some("kube-system")).is_empty();
        assert!(cluster.wait_until(std::time::Duration::from_secs(60), coredns).await);
        assert!(render("{{pod:kube-system/k8s-app=kube-dns:name}}", &cluster)
            .unwrap()
            .starts_with("coredns-"));
        assert!(render("{{svc:nope:name}}", &cluster)
            .unwrap_err()
            .en
            .contains("there is no Service nope"));
        cluster.shutdown();
    }
}
