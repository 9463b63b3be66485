//! The columns `kubectl get` prints for each kind, as kubectl v1.33's
//! `pkg/printers/internalversion/printers.go` computes them (READY, STATUS, PORT(S),
//! EXTERNAL-IP, ENDPOINTS …). Pure functions of an object and "now", so the TUI's live tables and
//! `kubectl get` share them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, LoadBalancerStatus, Namespace, Node, Pod, PodSpec, Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::kubectl::age::since;
use crate::runtime::{Kind, Object};

/// Column headers for `kind` (`wide` adds the `-o wide` ones).
pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::Service => (
            &["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
            &["SELECTOR"],
        ),
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Event => (
            &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            &["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"],
        ),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::Secret => (&["NAME", "TYPE", "DATA", "AGE"], &[]),
    };
    let mut h = base.to_vec();
    if wide {
        h.extend_from_slice(extra);
    }
    h
}

/// One row for `obj`; the NAME cell (if the kind has one) is `name` as given, so callers can
/// print `service/x` when several kinds are shown.
pub fn row(obj: &Object, name: &str, now: DateTime<Utc>, wide: bool) -> Vec<String> {
    let age = since(obj.meta().creation_timestamp.as_ref(), now);
    let mut r = vec![name.to_string()];
    let extra: Vec<String> = match obj {
        Object::Pod(p) => {
            r.extend(pod_cells(p, now));
            r.push(age);
            vec![
                p.status
                    .as_ref()
                    .and_then(|s| s.pod_ip.clone())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(none),
                p.spec
                    .as_ref()
                    .and_then(|s| s.node_name.clone())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(none),
                p.status
                    .as_ref()
                    .and_then(|s| s.nominated_node_name.clone())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(none),
                readiness_gates(p),
            ]
        }
        Object::Service(s) => {
            r.extend(service_cells(s, wide));
            r.push(age);
            vec![format_labels(s.spec.as_ref().and_then(|s| s.selector.as_ref()))]
        }
        Object::Deployment(d) => {
            let spec = d.spec.as_ref();
            let st = d.status.as_ref();
            let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
            let ready = st.and_then(|s| s.ready_replicas).unwrap_or(0);
            r.push(format!("{ready}/{desired}"));
            r.push(st.and_then(|s| s.updated_replicas).unwrap_or(0).to_string());
            r.push(st.and_then(|s| s.available_replicas).unwrap_or(0).to_string());
            r.push(age);
            let (c, i) = containers_images(spec.and_then(|s| s.template.spec.as_ref()));
            vec![c, i, selector_string(spec.map(|s| &s.selector))]
        }
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.as_ref();
            let st = rs.status.as_ref();
            r.push(spec.and_then(|s| s.replicas).unwrap_or(1).to_string());
            r.push(st.map(|s| s.replicas).unwrap_or(0).to_string());
            r.push(st.and_then(|s| s.ready_replicas).unwrap_or(0).to_string());
            r.push(age);
            let (c, i) = containers_images(spec.and_then(|s| s.template.as_ref()).and_then(|t| t.spec.as_ref()));
            vec![c, i, selector_string(spec.map(|s| &s.selector))]
        }
        Object::Endpoints(e) => {
            r.push(format_endpoints(e));
            r.push(age);
            vec![]
        }
        Object::EndpointSlice(s) => {
            r.extend(endpoint_slice_cells(s));
            r.push(age);
            vec![]
        }
        Object::Node(n) => {
            r.extend(node_cells(n));
            r.insert(3, age);
            node_wide(n)
        }
        Object::Namespace(ns) => {
            r.push(namespace_phase(ns));
            r.push(age);
            vec![]
        }
        Object::ConfigMap(cm) => {
            r.push(configmap_count(cm).to_string());
            r.push(age);
            vec![]
        }
        Object::Secret(s) => {
            r.push(s.type_.clone().unwrap_or_default());
            r.push(
                s.data.as_ref().map_or(0, |d| d.len()).to_string(), /* stringData is folded into data by the server */
            );
            r.push(age);
            vec![]
        }
        Object::Event(e) => return event_row(e, now, wide),
    };
    if wide {
        r.extend(extra);
    }
    r
}

fn none() -> String {
    "<none>".into()
}

/// `labels.FormatLabels`: `k=v,k2=v2` in key order, or `<none>`.
pub fn format_labels(m: Option<&BTreeMap<String, String>>) -> String {
    match m {
        Some(m) if !m.is_empty() => m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
        _ => none(),
    }
}

/// `metav1.LabelSelectorAsSelector(...).String()`: requirements sorted by key.
pub fn selector_string(sel: Option<&LabelSelector>) -> String {
    let Some(sel) = sel else { return none() };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in sel.match_labels.iter().flatten() {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in sel.match_expressions.iter().flatten() {
        let mut vals = e.values.clone().unwrap_or_default();
        vals.sort();
        let s = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, vals.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, vals.join(",")),
            "Exists" => e.key.clone(),
            _ => format!("!{}", e.key),
        };
        reqs.push((e.key.clone(), s));
    }
    if reqs.is_empty() {
        return none();
    }
    reqs.sort();
    reqs.into_iter().map(|(_, s)| s).collect::<Vec<_>>().join(",")
}

fn containers_images(spec: Option<&PodSpec>) -> (String, String) {
    let cs = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
    (
        cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(","),
        cs.iter()
            .map(|c| c.image.clone().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// READY, STATUS and RESTARTS of a pod, computed like kubectl's `printPod`.
pub fn pod_cells(p: &Pod, now: DateTime<Utc>) -> [String; 3] {
    let spec_containers = p.spec.as_ref().map_or(0, |s| s.containers.len());
    let status = p.status.clone().unwrap_or_default();
    let mut reason = status.phase.clone().unwrap_or_default();
    if let Some(r) = status.reason.as_ref().filter(|r| !r.is_empty()) {
        reason = r.clone();
    }
    let mut restarts = 0;
    let mut ready = 0;
    let mut last_restart: Option<DateTime<Utc>> = None;
    let mut initializing = false;
    let init_total = p
        .spec
        .as_ref()
        .and_then(|s| s.init_containers.as_ref())
        .map_or(0, |v| v.len());
    for (i, c) in status.init_container_statuses.iter().flatten().enumerate() {
        restarts += c.restart_count;
        let st = c.state.clone().unwrap_or_default();
        if let Some(t) = st.terminated.as_ref() {
            if t.exit_code == 0 {
                continue;
            }
            reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None if t.signal.unwrap_or(0) != 0 => {
                    format!("Init:Signal:{}", t.signal.unwrap_or(0))
                }
                None => format!("Init:ExitCode:{}", t.exit_code),
            };
            initializing = true;
        } else if let Some(w) = st
            .waiting
            .as_ref()
            .and_then(|w| w.reason.clone())
            .filter(|r| !r.is_empty() && r != "PodInitializing")
        {
            reason = format!("Init:{w}");
            initializing = true;
        } else {
            reason = format!("Init:{i}/{init_total}");
            initializing = true;
        }
        break;
    }
    if !initializing {
        restarts = 0;
        let mut has_running = false;
        for c in status.container_statuses.iter().flatten().rev() {
            restarts += c.restart_count;
            if let Some(t) = c
                .last_state
                .as_ref()
                .and_then(|s| s.terminated.as_ref())
                .and_then(|t| t.finished_at.as_ref())
            {
                if last_restart.is_none_or(|l| t.0 > l) {
                    last_restart = Some(t.0);
                }
            }
            let st = c.state.clone().unwrap_or_default();
            if let Some(w) = st
                .waiting
                .as_ref()
                .and_then(|w| w.reason.clone())
                .filter(|r| !r.is_empty())
            {
                reason = w;
            } else if let Some(t) = st.terminated.as_ref() {
                reason = match t.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None if t.signal.unwrap_or(0) != 0 => {
                        format!("Signal:{}", t.signal.unwrap_or(0))
                    }
                    None => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && st.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = status
                .conditions
                .iter()
                .flatten()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running".into() } else { "NotReady".into() };
        }
    }
    if p.metadata.deletion_timestamp.is_some() {
        reason = if status.reason.as_deref() == Some("NodeLost") {
            "Unknown".into()
        } else {
            "Terminating".into()
        };
    }
    let restarts = match last_restart {
        Some(t) => format!("{restarts} ({} ago)", crate::kubectl::age::human_duration(now - t)),
        None => restarts.to_string(),
    };
    [format!("{ready}/{spec_containers}"), reason, restarts]
}

fn readiness_gates(p: &Pod) -> String {
    let gates = p
        .spec
        .as_ref()
        .and_then(|s| s.readiness_gates.clone())
        .unwrap_or_default();
    if gates.is_empty() {
        return none();
    }
    let conds = p.status.as_ref().and_then(|s| s.conditions.clone()).unwrap_or_default();
    let ok = gates
        .iter()
        .filter(|g| conds.iter().any(|c| c.type_ == g.condition_type && c.status == "True"))
        .count();
    format!("{ok}/{}", gates.len())
}

/// TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S) of a Service.
pub fn service_cells(s: &Service, wide: bool) -> [String; 4] {
    let spec = s.spec.clone().unwrap_or_default();
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = spec
        .cluster_ips
        .as_ref()
        .and_then(|v| v.first().cloned())
        .or(spec.cluster_ip.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(none);
    let external_ips = spec.external_ips.clone().unwrap_or_default();
    let external = match ty.as_str() {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                none()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = lb_status_string(s.status.as_ref().and_then(|st| st.load_balancer.as_ref()), wide);
            if !external_ips.is_empty() {
                let mut all: Vec<String> = lb.split(',').filter(|x| !x.is_empty()).map(String::from).collect();
                all.extend(external_ips);
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".into()
            }
        }
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".into(),
    };
    [ty, cluster_ip, external, port_string(s)]
}

/// `loadBalancerStatusStringer`: ingress IPs/hostnames, cut to 16 characters unless wide.
pub fn lb_status_string(st: Option<&LoadBalancerStatus>, wide: bool) -> String {
    let ing: Vec<String> = st
        .and_then(|s| s.ingress.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|i| {
            i.ip.clone()
                .filter(|x| !x.is_empty())
                .or(i.hostname.clone().filter(|x| !x.is_empty()))
        })
        .collect();
    let r = ing.join(",");
    if !wide && r.len() > 16 {
        format!("{}...", &r[..13])
    } else {
        r
    }
}

/// `makePortString`: `80:31234/TCP,443/TCP`, or `<none>`.
pub fn port_string(s: &Service) -> String {
    let ports = s.spec.as_ref().and_then(|s| s.ports.clone()).unwrap_or_default();
    if ports.is_empty() {
        return none();
    }
    ports
        .iter()
        .map(|p| {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            match p.node_port.filter(|n| *n != 0) {
                Some(n) => format!("{}:{}/{}", p.port, n, proto),
                None => format!("{}/{}", p.port, proto),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `formatEndpoints`: `ip:port,…` with at most three shown, then ` + N more...`.
pub fn format_endpoints(e: &Endpoints) -> String {
    let subsets = e.subsets.clone().unwrap_or_default();
    if subsets.is_empty() {
        return none();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in &subsets {
        let addrs = ss.addresses.clone().unwrap_or_default();
        let ports = ss.ports.clone().unwrap_or_default();
        if ports.is_empty() {
            count += addrs.len();
            for a in &addrs {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for p in &ports {
            count += addrs.len();
            for a in &addrs {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(format!("{}:{}", a.ip, p.port));
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

fn endpoint_slice_cells(s: &EndpointSlice) -> [String; 3] {
    let ports: Vec<String> = s
        .ports
        .iter()
        .flatten()
        .filter_map(|p| p.port)
        .map(|p| p.to_string())
        .collect();
    let ports = if ports.is_empty() {
        "<unset>".to_string()
    } else {
        ports.join(",")
    };
    let max = 3;
    let mut list = Vec::new();
    let mut count = 0;
    let mut more = false;
    for ep in &s.endpoints {
        count += ep.addresses.len();
        for a in &ep.addresses {
            if list.len() == max {
                more = true;
                break;
            }
            list.push(a.clone());
        }
    }
    let eps = if list.is_empty() {
        "<unset>".to_string()
    } else if more {
        format!("{} + {} more...", list.join(","), count - max)
    } else {
        list.join(",")
    };
    [s.address_type.clone(), ports, eps]
}

/// STATUS, ROLES and VERSION of a node (AGE is inserted by the caller).
fn node_cells(n: &Node) -> [String; 3] {
    let conds = n.status.as_ref().and_then(|s| s.conditions.clone()).unwrap_or_default();
    let mut status = match conds.iter().find(|c| c.type_ == "Ready") {
        Some(c) if c.status == "True" => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false) {
        status.push_str(",SchedulingDisabled");
    }
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in n.metadata.labels.iter().flatten() {
        if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
            if !r.is_empty() {
                roles.push(r.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    let roles = if roles.is_empty() { none() } else { roles.join(",") };
    let version = n
        .status
        .as_ref()
        .and_then(|s| s.node_info.as_ref())
        .map(|i| i.kubelet_version.clone())
        .unwrap_or_default();
    [status, roles, version]
}

fn node_wide(n: &Node) -> Vec<String> {
    let addrs = n.status.as_ref().and_then(|s| s.addresses.clone()).unwrap_or_default();
    let addr = |t: &str| {
        addrs
            .iter()
            .find(|a| a.type_ == t)
            .map(|a| a.address.clone())
            .unwrap_or_else(none)
    };
    let info = n.status.as_ref().and_then(|s| s.node_info.clone()).unwrap_or_default();
    let unknown = |s: String| {
        if s.is_empty() {
            "<unknown>".to_string()
        } else {
            s
        }
    };
    vec![
        addr("InternalIP"),
        addr("ExternalIP"),
        unknown(info.os_image),
        unknown(info.kernel_version),
        unknown(info.container_runtime_version),
    ]
}

fn namespace_phase(ns: &Namespace) -> String {
    ns.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default()
}

fn configmap_count(cm: &ConfigMap) -> usize {
    cm.data.as_ref().map_or(0, |d| d.len()) + cm.binary_data.as_ref().map_or(0, |d| d.len())
}

fn event_row(e: &Event, now: DateTime<Utc>, wide: bool) -> Vec<String> {
    let first = e
        .first_timestamp
        .as_ref()
        .map(|t| t.0)
        .or(e.event_time.as_ref().map(|t| t.0));
    let last = e
        .last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or(e.event_time.as_ref().map(|t| t.0))
        .or(first);
    let fmt = |t: Option<DateTime<Utc>>| {
        t.map_or("<unknown>".to_string(), |t| {
            crate::kubectl::age::human_duration(now - t)
        })
    };
    let count = e.count.unwrap_or(1);
    let last_seen = if count > 1 {
        format!("{} (x{} over {})", fmt(last), count, fmt(first))
    } else {
        fmt(last)
    };
    let obj = format!(
        "{}/{}",
        e.involved_object.kind.clone().unwrap_or_default().to_lowercase(),
        e.involved_object.name.clone().unwrap_or_default()
    );
    let mut r = vec![
        last_seen,
        e.type_.clone().unwrap_or_default(),
        e.reason.clone().unwrap_or_default(),
        obj,
        e.message.clone().unwrap_or_default().trim().to_string(),
    ];
    if wide {
        let source = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .or(e.reporting_component.clone())
            .unwrap_or_default();
        r.push(e.involved_object.field_path.clone().unwrap_or_default());
        r.push(source);
        r.push(fmt(first));
        r.push(count.to_string());
        r.push(e.metadata.name.clone().unwrap_or_default());
    }
    r
}
