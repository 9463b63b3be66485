//! `kubectl describe`: kubectl v1.33's describers (`k8s.io/kubectl/pkg/describe`) for
//! services, deployments, replica sets, pods, nodes and endpoints, written as tab-separated text
//! and laid out by Go's tabwriter rules ([`super::gotab`]), with the object's events at the end.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, Endpoints, Node, Pod, PodTemplateSpec, Service, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::age::since;
use super::args::Parsed;
use super::errors::server_error;
use super::printers::columns::{format_labels, selector_string};
use super::resources::{parse_targets, Target};
use super::Ctx;
use crate::io::Output;
use crate::runtime::api::LAST_APPLIED;
use crate::runtime::selectors::Selector;
use crate::runtime::{ApiError, Cluster, Kind, Object};

const L1: &str = "  ";
const L2: &str = "    ";
const L3: &str = "      ";

fn rfc1123z(t: Option<&Time>) -> String {
    t.map(|t| t.0.format("%a, %d %b %Y %H:%M:%S %z").to_string())
        .unwrap_or_default()
}

/// `printLabelsMultiline`: first pair on the title line, the rest on their own lines.
fn labels_multiline(w: &mut String, title: &str, labels: Option<&BTreeMap<String, String>>) {
    let _ = write!(w, "{title}:\t");
    match labels.filter(|l| !l.is_empty()) {
        None => w.push_str("<none>\n"),
        Some(l) => {
            for (i, (k, v)) in l.iter().enumerate() {
                if i > 0 {
                    w.push('\t');
                }
                let _ = writeln!(w, "{k}={v}");
            }
        }
    }
}

/// `printAnnotationsMultiline`: `key: value`, without kubectl's last-applied annotation.
fn annotations_multiline(w: &mut String, title: &str, ann: Option<&BTreeMap<String, String>>) {
    let _ = write!(w, "{title}:\t");
    let items: Vec<(&String, &String)> = ann
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != LAST_APPLIED)
        .collect();
    if items.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    for (i, (k, v)) in items.iter().enumerate() {
        if i > 0 {
            w.push('\t');
        }
        let _ = writeln!(w, "{k}: {v}");
    }
}

/// `DescribeEvents`: the object's events, oldest first, or `Events: <none>`.
fn events(w: &mut String, cluster: &Cluster, obj: &Object, now: DateTime<Utc>) {
    let uid = obj.meta().uid.clone();
    let ns = if obj.kind().namespaced() {
        Some(obj.namespace())
    } else {
        None
    };
    let mut evs: Vec<_> = cluster
        .list(Kind::Event, ns)
        .into_iter()
        .filter_map(|e| e.as_event().cloned())
        .filter(|e| {
            let io = &e.involved_object;
            (uid.is_some() && io.uid == uid)
                || (io.uid.is_none()
                    && io.name.as_deref() == Some(obj.name())
                    && io.kind.as_deref() == Some(obj.kind().info().name))
        })
        .collect();
    if evs.is_empty() {
        w.push_str("Events:\t<none>\n");
        return;
    }
    // Oldest first; events recorded in the same instant keep the order they were written in.
    evs.sort_by_key(|e| {
        let written = e
            .metadata
            .resource_version
            .as_deref()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        (e.last_timestamp.as_ref().map(|t| t.0), written)
    });
    // `w.Flush()` in DescribeEvents: the events table aligns on its own.
    w.push('\u{0}');
    w.push_str("Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
    for e in evs {
        let first = e
            .event_time
            .as_ref()
            .map(|t| super::age::human_duration(now - t.0))
            .unwrap_or_else(|| since(e.first_timestamp.as_ref(), now));
        let count = e.count.unwrap_or(1);
        let interval = if count > 1 {
            format!("{} (x{count} over {first})", since(e.last_timestamp.as_ref(), now))
        } else {
            first
        };
        let source = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .filter(|s| !s.is_empty())
            .or(e.reporting_component.clone())
            .unwrap_or_default();
        let _ = writeln!(
            w,
            "  {}\t{}\t{}\t{}\t{}",
            e.type_.unwrap_or_default(),
            e.reason.unwrap_or_default(),
            interval,
            source,
            e.message.unwrap_or_default().trim()
        );
    }
}

fn target_port(tp: Option<&IntOrString>, port: i32) -> String {
    match tp {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => port.to_string(),
    }
}

/// Endpoints of a Service's port from its EndpointSlices (`formatEndpointSlices`).
fn service_endpoints(cluster: &Cluster, svc: &Service, port_name: &str) -> String {
    let slices: Vec<_> = cluster
        .list(
            Kind::EndpointSlice,
            Some(svc.metadata.namespace.as_deref().unwrap_or("default")),
        )
        .into_iter()
        .filter_map(|o| {
            if let Object::EndpointSlice(s) = o.as_ref() {
                Some(s.clone())
            } else {
                None
            }
        })
        .filter(|s| {
            s.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("kubernetes.io/service-name"))
                == svc.metadata.name.as_ref()
        })
        .collect();
    if slices.is_empty() {
        // Fall back to the Endpoints object if the lab keeps no slices for this Service.
        return match cluster.get(
            Kind::Endpoints,
            svc.metadata.namespace.as_deref().unwrap_or("default"),
            svc.metadata.name.as_deref().unwrap_or(""),
        ) {
            Some(e) => endpoints_for_port(e.as_endpoints().expect("Endpoints kind"), port_name),
            None => "<none>".into(),
        };
    }
    let max = 3;
    let mut list = Vec::new();
    let mut count = 0;
    let mut more = false;
    for s in &slices {
        for p in s.ports.iter().flatten() {
            if p.name.as_deref().unwrap_or("") != port_name {
                continue;
            }
            for ep in &s.endpoints {
                if ep.conditions.as_ref().and_then(|c| c.ready) == Some(false) {
                    continue;
                }
                count += ep.addresses.len();
                for a in &ep.addresses {
                    if list.len() == max {
                        more = true;
                        break;
                    }
                    list.push(format!("{a}:{}", p.port.unwrap_or(0)));
                }
            }
        }
    }
    if more {
        format!("{} + {} more...", list.join(","), count - max)
    } else {
        list.join(",")
    }
}

fn endpoints_for_port(e: &Endpoints, port_name: &str) -> String {
    let subsets = e.subsets.clone().unwrap_or_default();
    if subsets.is_empty() {
        return "<none>".into();
    }
    let mut list = Vec::new();
    let mut count = 0;
    let mut more = false;
    for ss in &subsets {
        for p in ss
            .ports
            .iter()
            .flatten()
            .filter(|p| p.name.as_deref().unwrap_or("") == port_name)
        {
            let addrs = ss.addresses.clone().unwrap_or_default();
            count += addrs.len();
            for a in &addrs {
                if list.len() == 3 {
                    more = true;
                    break;
                }
                list.push(format!("{}:{}", a.ip, p.port));
            }
        }
    }
    if more {
        format!("{} + {} more...", list.join(","), count - 3)
    } else {
        list.join(",")
    }
}

fn describe_service(cluster: &Cluster, obj: &Object, s: &Service, now: DateTime<Utc>) -> String {
    let mut w = String::new();
    let spec = s.spec.clone().unwrap_or_default();
    let _ = writeln!(w, "Name:\t{}", s.metadata.name.as_deref().unwrap_or(""));
    let _ = writeln!(w, "Namespace:\t{}", s.metadata.namespace.as_deref().unwrap_or(""));
    labels_multiline(&mut w, "Labels", s.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", s.metadata.annotations.as_ref());
    let _ = writeln!(w, "Selector:\t{}", format_labels(spec.selector.as_ref()));
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let _ = writeln!(w, "Type:\t{ty}");
    if let Some(p) = &spec.ip_family_policy {
        let _ = writeln!(w, "IP Family Policy:\t{p}");
    }
    let fam = spec.ip_families.clone().unwrap_or_default();
    let _ = writeln!(
        w,
        "IP Families:\t{}",
        if fam.is_empty() { "<none>".into() } else { fam.join(",") }
    );
    let _ = writeln!(w, "IP:\t{}", spec.cluster_ip.clone().unwrap_or_default());
    let ips = spec.cluster_ips.clone().unwrap_or_default();
    let _ = writeln!(
        w,
        "IPs:\t{}",
        if ips.is_empty() { "<none>".into() } else { ips.join(",") }
    );
    if let Some(ext) = spec.external_ips.as_ref().filter(|e| !e.is_empty()) {
        let _ = writeln!(w, "External IPs:\t{}", ext.join(","));
    }
    if let Some(ip) = spec.load_balancer_ip.as_ref().filter(|s| !s.is_empty()) {
        let _ = writeln!(w, "Desired LoadBalancer IP:\t{ip}");
    }
    if let Some(name) = spec.external_name.as_ref().filter(|s| !s.is_empty()) {
        let _ = writeln!(w, "External Name:\t{name}");
    }
    // `buildIngressString`: the IP with its ipMode (`127.0.1.1 (VIP)`), else the hostname.
    let ingress: Vec<String> = s
        .status
        .as_ref()
        .and_then(|st| st.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|i| match i.ip.filter(|ip| !ip.is_empty()) {
            Some(ip) => match i.ip_mode {
                Some(mode) => format!("{ip} ({mode})"),
                None => ip,
            },
            None => i.hostname.unwrap_or_default(),
        })
        .collect();
    if !ingress.is_empty() {
        let _ = writeln!(w, "LoadBalancer Ingress:\t{}", ingress.join(", "));
    }
    for p in spec.ports.iter().flatten() {
        let name = p
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<unset>".into());
        let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
        let _ = writeln!(w, "Port:\t{name}\t{}/{proto}", p.port);
        let _ = writeln!(
            w,
            "TargetPort:\t{}/{proto}",
            target_port(p.target_port.as_ref(), p.port)
        );
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            let _ = writeln!(w, "NodePort:\t{name}\t{np}/{proto}");
        }
        let _ = writeln!(
            w,
            "Endpoints:\t{}",
            service_endpoints(cluster, s, p.name.as_deref().unwrap_or(""))
        );
    }
    let _ = writeln!(
        w,
        "Session Affinity:\t{}",
        spec.session_affinity.clone().unwrap_or_else(|| "None".into())
    );
    if let Some(p) = spec.external_traffic_policy.as_ref().filter(|p| !p.is_empty()) {
        let _ = writeln!(w, "External Traffic Policy:\t{p}");
    }
    if let Some(p) = &spec.internal_traffic_policy {
        let _ = writeln!(w, "Internal Traffic Policy:\t{p}");
    }
    if let Some(hc) = spec.health_check_node_port.filter(|n| *n != 0) {
        let _ = writeln!(w, "HealthCheck NodePort:\t{hc}");
    }
    if let Some(r) = spec.load_balancer_source_ranges.as_ref().filter(|r| !r.is_empty()) {
        let _ = writeln!(w, "LoadBalancer Source Ranges:\t{}", r.join(","));
    }
    if let Some(td) = spec.traffic_distribution.as_ref().filter(|t| !t.is_empty()) {
        let _ = writeln!(w, "Traffic Distribution:\t{td}");
    }
    events(&mut w, cluster, obj, now);
    w
}

fn container_ports(c: &Container) -> (String, String) {
    let ports = c.ports.clone().unwrap_or_default();
    let p: Vec<String> = ports
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p.container_port,
                p.protocol.clone().unwrap_or_else(|| "TCP".into())
            )
        })
        .collect();
    let h: Vec<String> = ports
        .iter()
        .map(|p| {
            format!(
                "{}/{}",
                p.host_port.unwrap_or(0),
                p.protocol.clone().unwrap_or_else(|| "TCP".into())
            )
        })
        .collect();
    (p.join(", "), h.join(", "))
}

fn state(w: &mut String, title: &str, st: &ContainerState) {
    if let Some(r) = &st.running {
        let _ = writeln!(w, "{L2}{title}:\tRunning");
        let _ = writeln!(w, "{L3}Started:\t{}", rfc1123z(r.started_at.as_ref()));
    } else if let Some(t) = &st.terminated {
        let _ = writeln!(w, "{L2}{title}:\tTerminated");
        if let Some(r) = t.reason.as_ref().filter(|r| !r.is_empty()) {
            let _ = writeln!(w, "{L3}Reason:\t{r}");
        }
        if let Some(m) = t.message.as_ref().filter(|r| !r.is_empty()) {
            let _ = writeln!(w, "{L3}Message:\t{m}");
        }
        let _ = writeln!(w, "{L3}Exit Code:\t{}", t.exit_code);
        let _ = writeln!(w, "{L3}Started:\t{}", rfc1123z(t.started_at.as_ref()));
        let _ = writeln!(w, "{L3}Finished:\t{}", rfc1123z(t.finished_at.as_ref()));
    } else {
        let _ = writeln!(w, "{L2}{title}:\tWaiting");
        if let Some(r) = st
            .waiting
            .as_ref()
            .and_then(|x| x.reason.clone())
            .filter(|r| !r.is_empty())
        {
            let _ = writeln!(w, "{L3}Reason:\t{r}");
        }
    }
}

/// `describeContainers`.
fn containers(w: &mut String, label: &str, cs: &[Container], statuses: &[ContainerStatus], space: &str) {
    let _ = writeln!(w, "{space}{label}:");
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in cs {
        let st = statuses.iter().find(|s| s.name == c.name);
        let _ = writeln!(w, "{L1}{name_indent}{}:", c.name);
        if let Some(s) = st {
            let _ = writeln!(w, "{L2}Container ID:\t{}", s.container_id.clone().unwrap_or_default());
        }
        let _ = writeln!(w, "{L2}Image:\t{}", c.image.clone().unwrap_or_default());
        if let Some(s) = st {
            let _ = writeln!(w, "{L2}Image ID:\t{}", s.image_id);
        }
        let (ports, host_ports) = container_ports(c);
        let none = |s: String| {
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s
            }
        };
        if ports.contains(',') {
            let _ = writeln!(w, "{L2}Ports:\t{ports}");
        } else {
            let _ = writeln!(w, "{L2}Port:\t{}", none(ports));
        }
        if host_ports.contains(',') {
            let _ = writeln!(w, "{L2}Host Ports:\t{host_ports}");
        } else {
            let _ = writeln!(w, "{L2}Host Port:\t{}", none(host_ports));
        }
        if let Some(cmd) = c.command.as_ref().filter(|c| !c.is_empty()) {
            let _ = writeln!(w, "{L2}Command:");
            for x in cmd {
                let _ = writeln!(w, "{L3}{x}");
            }
        }
        if let Some(args) = c.args.as_ref().filter(|c| !c.is_empty()) {
            let _ = writeln!(w, "{L2}Args:");
            for x in args {
                let _ = writeln!(w, "{L3}{x}");
            }
        }
        if let Some(s) = st {
            state(w, "State", &s.state.clone().unwrap_or_default());
            if let Some(last) = s.last_state.as_ref().filter(|l| l.terminated.is_some()) {
                state(w, "Last State", last);
            }
            let _ = writeln!(w, "{L2}Ready:\t{}", if s.ready { "True" } else { "False" });
            let _ = writeln!(w, "{L2}Restart Count:\t{}", s.restart_count);
        }
        let env = c.env.clone().unwrap_or_default();
        if env.is_empty() {
            let _ = writeln!(w, "{L2}Environment:\t<none>");
        } else {
            let _ = writeln!(w, "{L2}Environment:");
            for e in env {
                let _ = writeln!(w, "{L3}{}:\t{}", e.name, e.value.unwrap_or_default());
            }
        }
        let mut mounts = c.volume_mounts.clone().unwrap_or_default();
        if mounts.is_empty() {
            let _ = writeln!(w, "{L2}Mounts:\t<none>");
        } else {
            let _ = writeln!(w, "{L2}Mounts:");
            mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
            for m in mounts {
                let mut flags = vec![if m.read_only == Some(true) {
                    "ro".to_string()
                } else {
                    "rw".to_string()
                }];
                if let Some(sp) = m.sub_path.filter(|s| !s.is_empty()) {
                    flags.push(format!("path={sp:?}"));
                }
                let _ = writeln!(w, "{L3}{} from {} ({})", m.mount_path, m.name, flags.join(","));
            }
        }
    }
}

/// `describeVolumes`.
fn volumes(w: &mut String, vols: &[Volume], space: &str) {
    if vols.is_empty() {
        let _ = writeln!(w, "{space}Volumes:\t<none>");
        return;
    }
    let _ = writeln!(w, "{space}Volumes:");
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        let _ = writeln!(w, "{L1}{name_indent}{}:", v.name);
        if let Some(s) = &v.secret {
            let _ = writeln!(w, "{L2}Type:\tSecret (a volume populated by a Secret)");
            let _ = writeln!(w, "{L2}SecretName:\t{}", s.secret_name.clone().unwrap_or_default());
            let _ = writeln!(w, "{L2}Optional:\t{}", s.optional.unwrap_or(false));
        } else if let Some(c) = &v.config_map {
            let _ = writeln!(w, "{L2}Type:\tConfigMap (a volume populated by a ConfigMap)");
            let _ = writeln!(w, "{L2}Name:\t{}", c.name);
            let _ = writeln!(w, "{L2}Optional:\t{}", c.optional.unwrap_or(false));
        } else if v.empty_dir.is_some() {
            let _ = writeln!(
                w,
                "{L2}Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)"
            );
            let _ = writeln!(w, "{L2}Medium:\t");
            let _ = writeln!(w, "{L2}SizeLimit:\t<unset>");
        } else if let Some(h) = &v.host_path {
            let _ = writeln!(w, "{L2}Type:\tHostPath (bare host directory volume)");
            let _ = writeln!(w, "{L2}Path:\t{}", h.path);
            let _ = writeln!(w, "{L2}HostPathType:\t{}", h.type_.clone().unwrap_or_default());
        } else {
            let _ = writeln!(w, "{L2}<unknown>");
        }
    }
}

/// `DescribePodTemplate`: tab-separated text, to be laid out by the caller (`kubectl rollout
/// history` prints it as it is).
pub(crate) fn pod_template(w: &mut String, t: Option<&PodTemplateSpec>) {
    w.push_str("Pod Template:\n");
    let Some(t) = t else {
        w.push_str("  <unset>");
        return;
    };
    let meta = t.metadata.clone().unwrap_or_default();
    labels_multiline(w, "  Labels", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        annotations_multiline(w, "  Annotations", meta.annotations.as_ref());
    }
    let spec = t.spec.clone().unwrap_or_default();
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        let _ = writeln!(w, "{L1}Service Account:\t{sa}");
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|i| !i.is_empty()) {
        containers(w, "Init Containers", init, &[], "  ");
    }
    containers(w, "Containers", &spec.containers, &[], "  ");
    volumes(w, spec.volumes.as_deref().unwrap_or_default(), "  ");
    labels_multiline(w, "  Node-Selectors", spec.node_selector.as_ref());
    tolerations(w, "  Tolerations", &spec.tolerations.clone().unwrap_or_default());
}

fn tolerations(w: &mut String, title: &str, ts: &[k8s_openapi::api::core::v1::Toleration]) {
    let _ = write!(w, "{title}:\t");
    if ts.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    for (i, t) in ts.iter().enumerate() {
        if i > 0 {
            w.push('\t');
        }
        w.push_str(t.key.as_deref().unwrap_or(""));
        if let Some(v) = t.value.as_ref().filter(|v| !v.is_empty()) {
            let _ = write!(w, "={v}");
        }
        if let Some(e) = t.effect.as_ref().filter(|v| !v.is_empty()) {
            let _ = write!(w, ":{e}");
        }
        if let Some(o) = t.operator.as_ref().filter(|v| !v.is_empty()) {
            let _ = write!(w, " op={o}");
        }
        if let Some(s) = t.toleration_seconds {
            let _ = write!(w, " for {s}s");
        }
        w.push('\n');
    }
}

fn rs_summary(rss: &[&ReplicaSet]) -> String {
    if rss.is_empty() {
        return "<none>".into();
    }
    rss.iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name.as_deref().unwrap_or(""),
                rs.status.as_ref().map_or(0, |s| s.replicas),
                rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn int_or_string(v: Option<&IntOrString>, default: &str) -> String {
    match v {
        Some(IntOrString::Int(n)) => n.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => default.to_string(),
    }
}

fn describe_deployment(cluster: &Cluster, obj: &Object, d: &Deployment, now: DateTime<Utc>) -> String {
    let mut w = String::new();
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let _ = writeln!(w, "Name:\t{}", d.metadata.name.as_deref().unwrap_or(""));
    let _ = writeln!(w, "Namespace:\t{}", d.metadata.namespace.as_deref().unwrap_or(""));
    let _ = writeln!(
        w,
        "CreationTimestamp:\t{}",
        rfc1123z(d.metadata.creation_timestamp.as_ref())
    );
    labels_multiline(&mut w, "Labels", d.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", d.metadata.annotations.as_ref());
    let _ = writeln!(w, "Selector:\t{}", selector_string(Some(&spec.selector)));
    let _ = writeln!(
        w,
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
        spec.replicas.unwrap_or(1),
        st.updated_replicas.unwrap_or(0),
        st.replicas.unwrap_or(0),
        st.available_replicas.unwrap_or(0),
        st.unavailable_replicas.unwrap_or(0)
    );
    let strategy = spec.strategy.clone().unwrap_or_default();
    let _ = writeln!(
        w,
        "StrategyType:\t{}",
        strategy.type_.clone().unwrap_or_else(|| "RollingUpdate".into())
    );
    let _ = writeln!(w, "MinReadySeconds:\t{}", spec.min_ready_seconds.unwrap_or(0));
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") == "RollingUpdate" {
        let ru = strategy.rolling_update.clone().unwrap_or_default();
        let _ = writeln!(
            w,
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
            int_or_string(ru.max_unavailable.as_ref(), "25%"),
            int_or_string(ru.max_surge.as_ref(), "25%")
        );
    }
    pod_template(&mut w, Some(&spec.template));
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.push_str("Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n");
        for c in conds {
            let _ = writeln!(
                w,
                "  {} \t{}\t{}",
                c.type_,
                c.status,
                c.reason.clone().unwrap_or_default()
            );
        }
    }
    let owned: Vec<Arc<Object>> = cluster
        .list(
            Kind::ReplicaSet,
            Some(d.metadata.namespace.as_deref().unwrap_or("default")),
        )
        .into_iter()
        .filter(|rs| {
            rs.meta()
                .owner_references
                .iter()
                .flatten()
                .any(|o| Some(&o.uid) == d.metadata.uid.as_ref())
        })
        .collect();
    let template_hash = |rs: &ReplicaSet| {
        rs.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("pod-template-hash"))
            .cloned()
    };
    let mut template_json = serde_json::to_value(&spec.template).unwrap_or_default();
    let rs_list: Vec<&ReplicaSet> = owned.iter().filter_map(|o| o.as_replicaset()).collect();
    // The new ReplicaSet has the Deployment's template (ignoring the pod-template-hash label).
    if let Some(l) = template_json
        .pointer_mut("/metadata/labels")
        .and_then(|l| l.as_object_mut())
    {
        l.remove("pod-template-hash");
    }
    let is_new = |rs: &ReplicaSet| {
        let mut t = serde_json::to_value(rs.spec.as_ref().and_then(|s| s.template.clone())).unwrap_or_default();
        if let Some(l) = t.pointer_mut("/metadata/labels").and_then(|l| l.as_object_mut()) {
            l.remove("pod-template-hash");
        }
        t == template_json && template_hash(rs).is_some()
    };
    let new: Vec<&ReplicaSet> = rs_list.iter().copied().filter(|rs| is_new(rs)).take(1).collect();
    let old: Vec<&ReplicaSet> = rs_list
        .iter()
        .copied()
        .filter(|rs| !new.iter().any(|n| n.metadata.name == rs.metadata.name))
        .filter(|rs| {
            rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0) > 0
                || rs.status.as_ref().is_some_and(|s| s.replicas > 0)
        })
        .collect();
    let _ = writeln!(w, "OldReplicaSets:\t{}", rs_summary(&old));
    let _ = writeln!(w, "NewReplicaSet:\t{}", rs_summary(&new));
    events(&mut w, cluster, obj, now);
    w
}

fn controller_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> Option<String> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| format!("{}/{}", o.kind, o.name))
}

fn describe_replicaset(cluster: &Cluster, obj: &Object, rs: &ReplicaSet, now: DateTime<Utc>) -> String {
    let mut w = String::new();
    let spec = rs.spec.clone().unwrap_or_default();
    let _ = writeln!(w, "Name:\t{}", rs.metadata.name.as_deref().unwrap_or(""));
    let _ = writeln!(w, "Namespace:\t{}", rs.metadata.namespace.as_deref().unwrap_or(""));
    let _ = writeln!(w, "Selector:\t{}", selector_string(Some(&spec.selector)));
    labels_multiline(&mut w, "Labels", rs.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", rs.metadata.annotations.as_ref());
    if let Some(c) = controller_of(&rs.metadata) {
        let _ = writeln!(w, "Controlled By:\t{c}");
    }
    let _ = writeln!(
        w,
        "Replicas:\t{} current / {} desired",
        rs.status.as_ref().map_or(0, |s| s.replicas),
        spec.replicas.unwrap_or(1)
    );
    let sel = Selector::from_label_selector(&spec.selector);
    let pods: Vec<Pod> = cluster
        .list(Kind::Pod, Some(rs.metadata.namespace.as_deref().unwrap_or("default")))
        .into_iter()
        .filter(|p| {
            p.meta()
                .owner_references
                .iter()
                .flatten()
                .any(|o| Some(&o.uid) == rs.metadata.uid.as_ref())
                && sel.matches(p.labels())
        })
        .filter_map(|p| p.as_pod().cloned())
        .collect();
    let phase = |ph: &str| {
        pods.iter()
            .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some(ph))
            .count()
    };
    let _ = writeln!(
        w,
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed",
        phase("Running"),
        phase("Pending"),
        phase("Succeeded"),
        phase("Failed")
    );
    pod_template(&mut w, spec.template.as_ref());
    events(&mut w, cluster, obj, now);
    w
}

fn describe_pod(cluster: &Cluster, obj: &Object, p: &Pod, now: DateTime<Utc>) -> String {
    let mut w = String::new();
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    let _ = writeln!(w, "Name:\t{}", p.metadata.name.as_deref().unwrap_or(""));
    let _ = writeln!(w, "Namespace:\t{}", p.metadata.namespace.as_deref().unwrap_or(""));
    if let Some(pr) = spec.priority {
        let _ = writeln!(w, "Priority:\t{pr}");
    }
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        let _ = writeln!(w, "Service Account:\t{sa}");
    }
    match spec.node_name.as_ref().filter(|n| !n.is_empty()) {
        Some(n) => {
            let _ = writeln!(w, "Node:\t{n}/{}", st.host_ip.clone().unwrap_or_default());
        }
        None => w.push_str("Node:\t<none>\n"),
    }
    if let Some(t) = &st.start_time {
        let _ = writeln!(w, "Start Time:\t{}", rfc1123z(Some(t)));
    }
    labels_multiline(&mut w, "Labels", p.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", p.metadata.annotations.as_ref());
    let finished = matches!(st.phase.as_deref(), Some("Failed" | "Succeeded"));
    if let Some(dt) = p.metadata.deletion_timestamp.as_ref().filter(|_| !finished) {
        let _ = writeln!(
            w,
            "Status:\tTerminating (lasts {})",
            super::age::human_duration(now - dt.0)
        );
        let _ = writeln!(
            w,
            "Termination Grace Period:\t{}s",
            p.metadata.deletion_grace_period_seconds.unwrap_or(30)
        );
    } else {
        let _ = writeln!(w, "Status:\t{}", st.phase.clone().unwrap_or_default());
    }
    if let Some(r) = st.reason.as_ref().filter(|r| !r.is_empty()) {
        let _ = writeln!(w, "Reason:\t{r}");
    }
    if let Some(m) = st.message.as_ref().filter(|r| !r.is_empty()) {
        let _ = writeln!(w, "Message:\t{m}");
    }
    let _ = writeln!(w, "IP:\t{}", st.pod_ip.clone().unwrap_or_default());
    let ips = st.pod_ips.clone().unwrap_or_default();
    if ips.is_empty() {
        w.push_str("IPs:\t<none>\n");
    } else {
        w.push_str("IPs:\n");
        for ip in ips {
            let _ = writeln!(w, "{L1}IP:\t{}", ip.ip);
        }
    }
    if let Some(c) = controller_of(&p.metadata) {
        let _ = writeln!(w, "Controlled By:\t{c}");
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|i| !i.is_empty()) {
        containers(
            &mut w,
            "Init Containers",
            init,
            st.init_container_statuses.as_deref().unwrap_or_default(),
            "",
        );
    }
    containers(
        &mut w,
        "Containers",
        &spec.containers,
        st.container_statuses.as_deref().unwrap_or_default(),
        "",
    );
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.push_str("Conditions:\n  Type\tStatus\n");
        for c in conds {
            let _ = writeln!(w, "  {} \t{} ", c.type_, c.status);
        }
    }
    volumes(&mut w, spec.volumes.as_deref().unwrap_or_default(), "");
    let qos = st.qos_class.clone().unwrap_or_else(|| {
        let any = spec.containers.iter().any(|c| {
            c.resources
                .as_ref()
                .is_some_and(|r| r.limits.is_some() || r.requests.is_some())
        });
        if any {
            "Burstable".into()
        } else {
            "BestEffort".into()
        }
    });
    let _ = writeln!(w, "QoS Class:\t{qos}");
    labels_multiline(&mut w, "Node-Selectors", spec.node_selector.as_ref());
    tolerations(&mut w, "Tolerations", &spec.tolerations.clone().unwrap_or_default());
    events(&mut w, cluster, obj, now);
    w
}

fn describe_endpoints(cluster: &Cluster, obj: &Object, e: &Endpoints, now: DateTime<Utc>) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "Name:\t{}", e.metadata.name.as_deref().unwrap_or(""));
    let _ = writeln!(w, "Namespace:\t{}", e.metadata.namespace.as_deref().unwrap_or(""));
    labels_multiline(&mut w, "Labels", e.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", e.metadata.annotations.as_ref());
    w.push_str("Subsets:\n");
    for ss in e.subsets.iter().flatten() {
        let ready: Vec<String> = ss.addresses.iter().flatten().map(|a| a.ip.clone()).collect();
        let not_ready: Vec<String> = ss.not_ready_addresses.iter().flatten().map(|a| a.ip.clone()).collect();
        let none = |v: Vec<String>| {
            if v.is_empty() {
                "<none>".to_string()
            } else {
                v.join(",")
            }
        };
        let _ = writeln!(w, "{L1}Addresses:\t{}", none(ready));
        let _ = writeln!(w, "{L1}NotReadyAddresses:\t{}", none(not_ready));
        let ports = ss.ports.clone().unwrap_or_default();
        if ports.is_empty() {
            let _ = writeln!(w, "{L1}Ports: <none>");
        } else {
            let _ = writeln!(w, "{L1}Ports:");
            let _ = writeln!(w, "{L2}Name\tPort\tProtocol");
            let _ = writeln!(w, "{L2}----\t----\t--------");
            for p in ports {
                let name = p.name.filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
                let _ = writeln!(
                    w,
                    "{L2}{name}\t{}\t{}",
                    p.port,
                    p.protocol.unwrap_or_else(|| "TCP".into())
                );
            }
        }
        w.push('\n');
    }
    events(&mut w, cluster, obj, now);
    w
}

fn describe_node(cluster: &Cluster, obj: &Object, n: &Node, now: DateTime<Utc>) -> String {
    let mut w = String::new();
    let st = n.status.clone().unwrap_or_default();
    let _ = writeln!(w, "Name:\t{}", n.metadata.name.as_deref().unwrap_or(""));
    let mut roles: Vec<String> = n
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/").map(String::from))
        .collect();
    roles.sort();
    let _ = writeln!(
        w,
        "Roles:\t{}",
        if roles.is_empty() {
            "<none>".into()
        } else {
            roles.join(",")
        }
    );
    labels_multiline(&mut w, "Labels", n.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", n.metadata.annotations.as_ref());
    let _ = writeln!(
        w,
        "CreationTimestamp:\t{}",
        rfc1123z(n.metadata.creation_timestamp.as_ref())
    );
    let taints: Vec<String> = n
        .spec
        .as_ref()
        .and_then(|s| s.taints.clone())
        .unwrap_or_default()
        .into_iter()
        .map(|t| {
            format!(
                "{}{}:{}",
                t.key,
                t.value.map(|v| format!("={v}")).unwrap_or_default(),
                t.effect
            )
        })
        .collect();
    let _ = writeln!(
        w,
        "Taints:\t{}",
        if taints.is_empty() {
            "<none>".into()
        } else {
            taints.join("\n\t")
        }
    );
    let _ = writeln!(
        w,
        "Unschedulable:\t{}",
        n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false)
    );
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.push_str("Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n  ----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in conds {
            let _ = writeln!(
                w,
                "  {} \t{} \t{} \t{} \t{} \t{}",
                c.type_,
                c.status,
                rfc1123z(c.last_heartbeat_time.as_ref()),
                rfc1123z(c.last_transition_time.as_ref()),
                c.reason.clone().unwrap_or_default(),
                c.message.clone().unwrap_or_default()
            );
        }
    }
    w.push_str("Addresses:\n");
    for a in st.addresses.iter().flatten() {
        let _ = writeln!(w, "  {}:\t{}", a.type_, a.address);
    }
    for (title, res) in [("Capacity", &st.capacity), ("Allocatable", &st.allocatable)] {
        if let Some(r) = res {
            let _ = writeln!(w, "{title}:");
            for (k, v) in r {
                let _ = writeln!(w, "  {k}:\t{}", v.0);
            }
        }
    }
    if let Some(i) = &st.node_info {
        w.push_str("System Info:\n");
        for (k, v) in [
            ("Machine ID", &i.machine_id),
            ("System UUID", &i.system_uuid),
            ("Boot ID", &i.boot_id),
            ("Kernel Version", &i.kernel_version),
            ("OS Image", &i.os_image),
            ("Operating System", &i.operating_system),
            ("Architecture", &i.architecture),
            ("Container Runtime Version", &i.container_runtime_version),
            ("Kubelet Version", &i.kubelet_version),
            ("Kube-Proxy Version", &i.kube_proxy_version),
        ] {
            let _ = writeln!(w, "  {k}:\t{v}");
        }
    }
    if let Some(cidr) = n.spec.as_ref().and_then(|s| s.pod_cidr.clone()) {
        let _ = writeln!(w, "PodCIDR:\t{cidr}");
        let _ = writeln!(
            w,
            "PodCIDRs:\t{}",
            n.spec
                .as_ref()
                .and_then(|s| s.pod_cidrs.clone())
                .unwrap_or_default()
                .join(",")
        );
    }
    let name = n.metadata.name.clone().unwrap_or_default();
    let pods: Vec<Arc<Object>> = cluster
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| {
            p.as_pod()
                .and_then(|p| p.spec.as_ref())
                .and_then(|s| s.node_name.as_deref())
                == Some(name.as_str())
        })
        .filter(|p| {
            !matches!(
                p.as_pod()
                    .and_then(|p| p.status.as_ref())
                    .and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    let _ = writeln!(w, "Non-terminated Pods:\t({} in total)", pods.len());
    w.push('\u{0}');
    w.push_str("  Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n  ---------\t----\t------------\t----------\t---------------\t-------------\t---\n");
    for p in &pods {
        let _ = writeln!(
            w,
            "  {}\t{}\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t{}",
            p.namespace(),
            p.name(),
            since(p.meta().creation_timestamp.as_ref(), now)
        );
    }
    w.push('\u{0}');
    events(&mut w, cluster, obj, now);
    w
}

fn describe_configmap(
    cluster: &Cluster,
    obj: &Object,
    cm: &k8s_openapi::api::core::v1::ConfigMap,
    now: DateTime<Utc>,
) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "Name:\t{}", obj.name());
    let _ = writeln!(w, "Namespace:\t{}", obj.namespace());
    labels_multiline(&mut w, "Labels", cm.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", cm.metadata.annotations.as_ref());
    w.push_str("\nData\n====\n");
    for (k, v) in cm.data.iter().flatten() {
        let _ = writeln!(w, "{k}:\n----\n{v}");
    }
    w.push_str("\nBinaryData\n====\n");
    for (k, v) in cm.binary_data.iter().flatten() {
        let _ = writeln!(w, "{k}: {} bytes", v.0.len());
    }
    w.push('\n');
    events(&mut w, cluster, obj, now);
    w
}

fn describe_secret(obj: &Object, s: &k8s_openapi::api::core::v1::Secret) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "Name:\t{}", obj.name());
    let _ = writeln!(w, "Namespace:\t{}", obj.namespace());
    labels_multiline(&mut w, "Labels", s.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", s.metadata.annotations.as_ref());
    let ty = s.type_.clone().unwrap_or_default();
    let _ = writeln!(w, "\nType:\t{ty}");
    w.push_str("\nData\n====\n");
    for (k, v) in s.data.iter().flatten() {
        if k == "token" && ty == "kubernetes.io/service-account-token" {
            let _ = writeln!(w, "{k}:\t{}", String::from_utf8_lossy(&v.0));
        } else {
            let _ = writeln!(w, "{k}:\t{} bytes", v.0.len());
        }
    }
    w
}

fn describe_namespace(obj: &Object, ns: &k8s_openapi::api::core::v1::Namespace) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "Name:\t{}", obj.name());
    labels_multiline(&mut w, "Labels", ns.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", ns.metadata.annotations.as_ref());
    let _ = writeln!(
        w,
        "Status:\t{}",
        ns.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_default()
    );
    if let Some(conds) = ns
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .filter(|c| !c.is_empty())
    {
        w.push_str("Conditions:\n  Type\tStatus\tLastTransitionTime\tReason\tMessage\n  ----\t------\t------------------\t------\t-------\n");
        for c in conds {
            let _ = writeln!(
                w,
                "  {}\t{}\t{}\t{}\t{}",
                c.type_,
                c.status,
                rfc1123z(c.last_transition_time.as_ref()),
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or("")
            );
        }
    }
    w.push_str("\nNo resource quota.\n\nNo LimitRange resource.\n");
    w
}

fn describe_endpoint_slice(
    cluster: &Cluster,
    obj: &Object,
    eps: &k8s_openapi::api::discovery::v1::EndpointSlice,
    now: DateTime<Utc>,
) -> String {
    let mut w = String::new();
    let _ = writeln!(w, "Name:\t{}", obj.name());
    let _ = writeln!(w, "Namespace:\t{}", obj.namespace());
    labels_multiline(&mut w, "Labels", eps.metadata.labels.as_ref());
    annotations_multiline(&mut w, "Annotations", eps.metadata.annotations.as_ref());
    let _ = writeln!(w, "AddressType:\t{}", eps.address_type);
    match eps.ports.as_ref().filter(|p| !p.is_empty()) {
        None => w.push_str("Ports: <unset>\n"),
        Some(ports) => {
            w.push_str("Ports:\n  Name\tPort\tProtocol\n  ----\t----\t--------\n");
            for p in ports {
                let name = p
                    .name
                    .clone()
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "<unset>".into());
                let num = p.port.map_or("<unset>".to_string(), |n| n.to_string());
                let _ = writeln!(
                    w,
                    "  {name}\t{num}\t{}",
                    p.protocol.clone().unwrap_or_else(|| "TCP".into())
                );
            }
        }
    }
    if eps.endpoints.is_empty() {
        w.push_str("Endpoints: <none>\n");
    } else {
        w.push_str("Endpoints:\n");
        for ep in &eps.endpoints {
            let addrs = if ep.addresses.is_empty() {
                "<none>".to_string()
            } else {
                ep.addresses.join(", ")
            };
            let _ = writeln!(w, "  - Addresses:\t{addrs}");
            let _ = writeln!(w, "{L2}Conditions:");
            let ready = ep
                .conditions
                .as_ref()
                .and_then(|c| c.ready)
                .map_or("<unset>".to_string(), |r| r.to_string());
            let _ = writeln!(w, "{L3}Ready:\t{ready}");
            let _ = writeln!(
                w,
                "{L2}Hostname:\t{}",
                ep.hostname.clone().unwrap_or_else(|| "<unset>".into())
            );
            if let Some(t) = &ep.target_ref {
                let _ = writeln!(
                    w,
                    "{L2}TargetRef:\t{}/{}",
                    t.kind.clone().unwrap_or_default(),
                    t.name.clone().unwrap_or_default()
                );
            }
            let _ = writeln!(
                w,
                "{L2}NodeName:\t{}",
                ep.node_name.clone().unwrap_or_else(|| "<unset>".into())
            );
            let _ = writeln!(w, "{L2}Zone:\t{}", ep.zone.clone().unwrap_or_else(|| "<unset>".into()));
        }
    }
    events(&mut w, cluster, obj, now);
    w
}

/// Lay out a description: `\0` marks a tabwriter flush (kubectl flushes before tables).
fn layout(text: &str) -> String {
    text.split('\u{0}')
        .map(|block| super::gotab::format(block, 0, 2))
        .collect()
}

/// The description of one object.
pub fn describe_object(cluster: &Cluster, obj: &Object) -> String {
    let now = cluster.clock().now();
    let text = match obj {
        Object::Service(s) => describe_service(cluster, obj, s, now),
        Object::Deployment(d) => describe_deployment(cluster, obj, d, now),
        Object::ReplicaSet(rs) => describe_replicaset(cluster, obj, rs, now),
        Object::Pod(p) => describe_pod(cluster, obj, p, now),
        Object::Endpoints(e) => describe_endpoints(cluster, obj, e, now),
        Object::Node(n) => describe_node(cluster, obj, n, now),
        Object::ConfigMap(cm) => describe_configmap(cluster, obj, cm, now),
        Object::Secret(sec) => describe_secret(obj, sec),
        Object::Namespace(ns) => describe_namespace(obj, ns),
        Object::EndpointSlice(eps) => describe_endpoint_slice(cluster, obj, eps, now),
        other => {
            let mut w = String::new();
            let _ = writeln!(w, "Name:\t{}", other.name());
            if other.kind().namespaced() {
                let _ = writeln!(w, "Namespace:\t{}", other.namespace());
            }
            labels_multiline(&mut w, "Labels", Some(other.labels()));
            annotations_multiline(&mut w, "Annotations", other.meta().annotations.as_ref());
            events(&mut w, cluster, other, now);
            w
        }
    };
    layout(&text)
}

/// `kubectl describe TYPE [NAME_PREFIX…] [-l selector]`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    if p.positional.is_empty() {
        return super::fail(out, "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.");
    }
    let targets = match parse_targets(&p.positional) {
        Ok(t) => t,
        Err(e) => return super::fail(out, &e),
    };
    let all_ns = p.on("all-namespaces");
    let ns = p.namespace();
    let sel = match Selector::parse(p.get("selector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return super::fail(out, &e.to_string()),
    };
    if targets.iter().any(|t| t.kind() == Kind::Endpoints) {
        out.err_line(super::get::ENDPOINTS_WARNING);
    }
    let mut objs: Vec<Arc<Object>> = Vec::new();
    let mut errs = Vec::new();
    for t in &targets {
        match t {
            Target::All(k) => {
                let list_ns = if all_ns || !k.namespaced() {
                    None
                } else {
                    Some(ns.as_str())
                };
                objs.extend(
                    ctx.cluster
                        .list(*k, list_ns)
                        .into_iter()
                        .filter(|o| sel.matches(o.labels())),
                );
            }
            Target::Named(k, name) => match ctx.cluster.get(*k, &ns, name) {
                Some(o) => objs.push(o),
                None => {
                    // kubectl describe falls back to a name-prefix match.
                    let matches: Vec<_> = ctx
                        .cluster
                        .list(*k, Some(&ns))
                        .into_iter()
                        .filter(|o| o.name().starts_with(name.as_str()))
                        .collect();
                    if matches.is_empty() {
                        errs.push(server_error(&ApiError::NotFound {
                            kind: *k,
                            name: name.clone(),
                        }));
                    }
                    objs.extend(matches);
                }
            },
        }
    }
    if objs.is_empty() && errs.is_empty() {
        if all_ns {
            out.err_line("No resources found");
        } else {
            out.err_line(&format!("No resources found in {ns} namespace."));
        }
        return 0;
    }
    for (i, o) in objs.iter().enumerate() {
        if i > 0 {
            out.out("\n\n");
        }
        out.out(&describe_object(ctx.cluster, o));
    }
    for e in &errs {
        out.err_line(e);
    }
    i32::from(!errs.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};

    #[tokio::test(start_paused = true)]
    async fn service_description() {
        let c = cluster().await;
        kubectl(
            &c,
            "create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1 --port=8080",
        )
        .await;
        kubectl(&c, "expose deployment/kubernetes-bootcamp --type=NodePort --port 8080").await;
        let s = c.get(Kind::Service, "default", "kubernetes-bootcamp").unwrap();
        let spec = s.as_service().unwrap().spec.clone().unwrap();
        let ip = spec.cluster_ip.clone().unwrap();
        let np = spec.ports.as_ref().unwrap()[0].node_port.unwrap();
        let (code, t) = kubectl(&c, "describe services/kubernetes-bootcamp").await;
        assert_eq!(code, 0, "{t}");
        let expected_head = format!(
            "Name:                     kubernetes-bootcamp\n\
             Namespace:                default\n\
             Labels:                   app=kubernetes-bootcamp\n\
             Annotations:              <none>\n\
             Selector:                 app=kubernetes-bootcamp\n\
             Type:                     NodePort\n\
             IP Family Policy:         SingleStack\n\
             IP Families:              IPv4\n\
             IP:                       {ip}\n\
             IPs:                      {ip}\n\
             Port:                     <unset>  8080/TCP\n\
             TargetPort:               8080/TCP\n\
             NodePort:                 <unset>  {np}/TCP\n"
        );
        assert!(t.starts_with(&expected_head), "{t}");
        assert!(t.contains("\nSession Affinity:         None\n"), "{t}");
        assert!(
            t.contains("\nExternal Traffic Policy:  Cluster\n") || !t.contains("External Traffic"),
            "{t}"
        );
        assert!(
            t.contains("\nEndpoints:  ") || t.contains("\nEndpoints:                "),
            "{t}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn deployment_description_and_errors() {
        let c = cluster().await;
        kubectl(
            &c,
            "create deployment backend --image=gcr.io/google-samples/hello-go-gke:1.0 --port=80 --replicas=3",
        )
        .await;
        let (_, t) = kubectl(&c, "describe deployment backend").await;
        for want in [
            "Name:                   backend\n",
            "Selector:               app=backend\n",
            "Replicas:               3 desired | ",
            "StrategyType:           RollingUpdate\n",
            "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n",
            "Pod Template:\n  Labels:  app=backend\n  Containers:\n   hello-go-gke:\n    Image:         gcr.io/google-samples/hello-go-gke:1.0\n    Port:          80/TCP\n    Host Port:     0/TCP\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n",
        ] {
            assert!(t.contains(want), "missing {want:?} in\n{t}");
        }
        let (_, all) = kubectl(&c, "describe deployment").await;
        assert_eq!(all, t, "describe without a name describes every deployment");
        assert_eq!(
            kubectl(&c, "describe deployment nope").await,
            (
                1,
                "Error from server (NotFound): deployments.apps \"nope\" not found\n".into()
            )
        );
        assert_eq!(
            kubectl(&c, "describe pods -n kube-public").await,
            (0, "No resources found in kube-public namespace.\n".into())
        );
    }

    #[tokio::test(start_paused = true)]
    async fn configmap_secret_and_namespace() {
        let c = cluster().await;
        kubectl(&c, "create configmap cfg --from-literal=a=hello").await;
        let (_, t) = kubectl(&c, "describe cm cfg").await;
        assert_eq!(
            t,
            "Name:         cfg\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\na:\n----\nhello\n\nBinaryData\n====\n\nEvents:  <none>\n"
        );
        kubectl(&c, "create secret generic s --from-literal=password=abc").await;
        let (_, t) = kubectl(&c, "describe secret s").await;
        assert_eq!(
            t,
            "Name:         s\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\npassword:  3 bytes\n"
        );
        let (_, t) = kubectl(&c, "describe ns default").await;
        assert_eq!(
            t,
            "Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"
        );
    }

    #[test]
    fn labels_are_one_per_line() {
        let mut w = String::new();
        labels_multiline(
            &mut w,
            "Labels",
            Some(&BTreeMap::from([
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "2".to_string()),
            ])),
        );
        w.push_str("Namespace:\tdefault\n");
        assert_eq!(layout(&w), "Labels:     a=1\n            b=2\nNamespace:  default\n");
    }
}
