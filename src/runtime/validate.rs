//! Validation with the API server's wording, so kubectl prints what a real cluster would:
//! `The Service "x" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and
//! 65535, inclusive`.
//!
//! The checks follow `k8s.io/apimachinery/pkg/util/validation` and the core and apps
//! validators in the order they run, because the order is what kubectl prints: object metadata
//! first (name, labels, annotations), then the spec. Every length limit the API server enforces
//! on names, labels and keys is one of the constants below; together with the request-size
//! limit in [`super::api`] they are what keeps a hostile manifest from growing the store.

use std::collections::{BTreeMap, HashSet};

use k8s_openapi::api::core::v1::{ContainerPort, PodSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::error::{ApiError, FieldError};
use super::object::Object;

/// Longest DNS (RFC 1123 / RFC 1035) label: Service and Namespace names, container names.
pub const DNS_LABEL_MAX: usize = 63;
/// Longest DNS subdomain: most object names, label-key prefixes.
pub const DNS_SUBDOMAIN_MAX: usize = 253;
/// Longest label value, and the name part of a label or annotation key.
pub const LABEL_VALUE_MAX: usize = 63;
/// Longest named port (an IANA service name).
pub const PORT_NAME_MAX: usize = 15;
/// Longest ConfigMap or Secret key.
pub const CONFIG_KEY_MAX: usize = 253;
/// Most bytes of data a ConfigMap or Secret may hold (1 MiB).
pub const MAX_DATA_SIZE: usize = 1024 * 1024;
/// Most bytes all annotations of an object may take, keys included (256 KiB): a big object's
/// `last-applied-configuration` runs into it.
pub const MAX_ANNOTATIONS_SIZE: usize = 256 * 1024;

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MSG: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const CONFIG_KEY_FMT: &str = "[-._a-zA-Z0-9]+";
const CONFIG_KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

/// `validation.MaxLenError`.
fn max_len(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `validation.RegexError`: the message, its examples and the pattern.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut s = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            s.push_str(" or ");
        }
        s.push_str(&format!("'{e}', "));
    }
    s.push_str(&format!("regex used for validation is '{fmt}')"));
    s
}

fn alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, any length.
fn matches_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && b.iter().all(|&c| alnum_lower(c) || c == b'-') && alnum_lower(b[0]) && alnum_lower(b[b.len() - 1])
}

/// Labels joined by dots, any length.
fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
fn matches_qualified_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// `IsDNS1123Label`.
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS_LABEL_MAX {
        errs.push(max_len(DNS_LABEL_MAX));
    }
    if !matches_dns1123_label(s) {
        errs.push(regex_error(
            DNS1123_LABEL_MSG,
            DNS1123_LABEL_FMT,
            &["my-name", "123-abc"],
        ));
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS_SUBDOMAIN_MAX {
        errs.push(max_len(DNS_SUBDOMAIN_MAX));
    }
    if !matches_dns1123_subdomain(s) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `IsDNS1035Label`.
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS_LABEL_MAX {
        errs.push(max_len(DNS_LABEL_MAX));
    }
    if !(matches_dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()) {
        errs.push(regex_error(DNS1035_MSG, DNS1035_FMT, &["my-name", "abc-123"]));
    }
    errs
}

pub fn is_dns1123_label(s: &str) -> bool {
    dns1123_label(s).is_empty()
}

pub fn is_dns1123_subdomain(s: &str) -> bool {
    dns1123_subdomain(s).is_empty()
}

pub fn is_dns1035_label(s: &str) -> bool {
    dns1035_label(s).is_empty()
}

/// `IsQualifiedName`: a label or annotation key, `[prefix/]name`.
pub fn qualified_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(
                    QUALIFIED_NAME_MSG,
                    QUALIFIED_NAME_FMT,
                    &["MyName", "my.name", "123-abc"]
                )
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > LABEL_VALUE_MAX {
        errs.push(format!("name part {}", max_len(LABEL_VALUE_MAX)));
    }
    if !matches_qualified_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `IsValidLabelValue`.
pub fn label_value(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > LABEL_VALUE_MAX {
        errs.push(max_len(LABEL_VALUE_MAX));
    }
    if !s.is_empty() && !matches_qualified_name(s) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `IsValidPortName`: a named container port or a Service's named targetPort.
pub fn port_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > PORT_NAME_MAX {
        errs.push(max_len(PORT_NAME_MAX));
    }
    if s.is_empty() || !s.bytes().all(|b| alnum_lower(b) || b == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

/// `IsConfigMapKey`.
pub fn config_key(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > CONFIG_KEY_MAX {
        errs.push(max_len(CONFIG_KEY_MAX));
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        errs.push(regex_error(
            CONFIG_KEY_MSG,
            CONFIG_KEY_FMT,
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    if s == "." {
        errs.push("must not be '.'".into());
    } else if s == ".." {
        errs.push("must not be '..'".into());
    } else if s.starts_with("..") {
        errs.push("must not start with '..'".into());
    }
    errs
}

/// A string value as Go's `%q` prints it in a field error.
fn quoted(s: &str) -> String {
    format!("{s:?}")
}

fn too_long(field: &str, max: usize) -> FieldError {
    FieldError {
        field: field.into(),
        detail: format!("Too long: may not be more than {max} bytes"),
    }
}

fn unsupported(field: String, value: &str, supported: &[&str]) -> FieldError {
    let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
    FieldError {
        field,
        detail: format!("Unsupported value: {value:?}: supported values: {}", list.join(", ")),
    }
}

fn duplicate(field: String, value: &str) -> FieldError {
    FieldError {
        field,
        detail: format!("Duplicate value: {value:?}"),
    }
}

/// Each message as an `Invalid value` of `field`.
fn invalid_each(causes: &mut Vec<FieldError>, field: &str, value: &str, msgs: Vec<String>) {
    for m in msgs {
        causes.push(FieldError::invalid(field, quoted(value), &m));
    }
}

/// `ValidateLabels`: every key a qualified name, every value a label value.
fn labels(causes: &mut Vec<FieldError>, field: &str, labels: Option<&BTreeMap<String, String>>) {
    for (k, v) in labels.into_iter().flatten() {
        invalid_each(causes, field, k, qualified_name(k));
        invalid_each(causes, field, v, label_value(v));
    }
}

/// `ValidateAnnotations`: keys are qualified names (case aside), and all of them fit 256 KiB.
fn annotations(causes: &mut Vec<FieldError>, field: &str, annotations: Option<&BTreeMap<String, String>>) {
    let mut size = 0usize;
    for (k, v) in annotations.into_iter().flatten() {
        invalid_each(causes, field, k, qualified_name(&k.to_lowercase()));
        size += k.len() + v.len();
    }
    if size > MAX_ANNOTATIONS_SIZE {
        causes.push(too_long(field, MAX_ANNOTATIONS_SIZE));
    }
}

/// `ValidateObjectMeta`: the name in the format its kind asks for, then labels and annotations.
fn object_meta(causes: &mut Vec<FieldError>, obj: &Object) {
    let name = obj.name();
    if name.is_empty() {
        causes.push(FieldError::required("metadata.name"));
    } else {
        let msgs = match obj {
            Object::Service(_) => dns1035_label(name),
            Object::Namespace(_) => dns1123_label(name),
            _ => dns1123_subdomain(name),
        };
        invalid_each(causes, "metadata.name", name, msgs);
    }
    labels(causes, "metadata.labels", obj.meta().labels.as_ref());
    annotations(causes, "metadata.annotations", obj.meta().annotations.as_ref());
}

/// `validateContainerPorts`.
fn container_ports(causes: &mut Vec<FieldError>, path: &str, ports: &[ContainerPort]) {
    let mut names = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        let at = format!("{path}[{i}]");
        if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = port_name(n);
            if !msgs.is_empty() {
                invalid_each(causes, &format!("{at}.name"), n, msgs);
            } else if !names.insert(n) {
                causes.push(duplicate(format!("{at}.name"), n));
            }
        }
        if p.container_port == 0 {
            causes.push(FieldError::required(format!("{at}.containerPort")));
        } else if !(1..=65535).contains(&p.container_port) {
            causes.push(FieldError::invalid(
                format!("{at}.containerPort"),
                p.container_port,
                "must be between 1 and 65535, inclusive",
            ));
        }
        if let Some(h) = p.host_port.filter(|h| *h != 0) {
            if !(1..=65535).contains(&h) {
                causes.push(FieldError::invalid(
                    format!("{at}.hostPort"),
                    h,
                    "must be between 1 and 65535, inclusive",
                ));
            }
        }
        match p.protocol.as_deref() {
            None | Some("") => causes.push(FieldError::required(format!("{at}.protocol"))),
            Some(proto) if !PROTOCOLS.contains(&proto) => {
                causes.push(unsupported(format!("{at}.protocol"), proto, PROTOCOLS))
            }
            _ => {}
        }
    }
}

/// `validateContainers` for the regular containers of a pod spec at `path`.
fn pod_spec(causes: &mut Vec<FieldError>, path: &str, spec: Option<&PodSpec>) {
    let containers = spec.map(|s| s.containers.as_slice()).unwrap_or(&[]);
    if containers.is_empty() {
        causes.push(FieldError::required(format!("{path}.containers")));
        return;
    }
    let mut names = HashSet::new();
    for (i, c) in containers.iter().enumerate() {
        let at = format!("{path}.containers[{i}]");
        if c.name.is_empty() {
            causes.push(FieldError::required(format!("{at}.name")));
        } else {
            invalid_each(causes, &format!("{at}.name"), &c.name, dns1123_label(&c.name));
        }
        if c.image.as_deref().unwrap_or("").is_empty() {
            causes.push(FieldError::required(format!("{at}.image")));
        }
        container_ports(causes, &format!("{at}.ports"), c.ports.as_deref().unwrap_or(&[]));
        if !names.insert(c.name.as_str()) {
            causes.push(duplicate(format!("{at}.name"), &c.name));
        }
    }
}

/// A Service's ports, selector and type, in `ValidateService`'s order.
fn service(causes: &mut Vec<FieldError>, spec: &k8s_openapi::api::core::v1::ServiceSpec) {
    let ty = spec.type_.as_deref().unwrap_or("ClusterIP");
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    if ports.is_empty() && ty != "ExternalName" && spec.cluster_ip.as_deref() != Some("None") {
        causes.push(FieldError::required("spec.ports"));
    }
    let mut names = HashSet::new();
    for (i, p) in ports.iter().enumerate() {
        let at = format!("spec.ports[{i}]");
        match p.name.as_deref().filter(|n| !n.is_empty()) {
            None if ports.len() > 1 => causes.push(FieldError::required(format!("{at}.name"))),
            None => {}
            Some(n) => {
                invalid_each(causes, &format!("{at}.name"), n, dns1123_label(n));
                if !names.insert(n) {
                    causes.push(duplicate(format!("{at}.name"), n));
                }
            }
        }
        if !(1..=65535).contains(&p.port) {
            causes.push(FieldError::invalid(
                format!("{at}.port"),
                p.port,
                "must be between 1 and 65535, inclusive",
            ));
        }
        match p.protocol.as_deref() {
            Some(proto) if !PROTOCOLS.contains(&proto) => {
                causes.push(unsupported(format!("{at}.protocol"), proto, PROTOCOLS))
            }
            _ => {}
        }
        match &p.target_port {
            Some(IntOrString::Int(t)) if !(1..=65535).contains(t) => causes.push(FieldError::invalid(
                format!("{at}.targetPort"),
                t,
                "must be between 1 and 65535, inclusive",
            )),
            Some(IntOrString::String(t)) => invalid_each(causes, &format!("{at}.targetPort"), t, port_name(t)),
            _ => {}
        }
    }
    labels(causes, "spec.selector", spec.selector.as_ref());
    const TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    if !TYPES.contains(&ty) {
        causes.push(unsupported("spec.type".into(), ty, TYPES));
    }
    if ty == "ClusterIP" {
        for (i, p) in ports.iter().enumerate() {
            if p.node_port.unwrap_or(0) != 0 {
                causes.push(FieldError {
                    field: format!("spec.ports[{i}].nodePort"),
                    detail: "Forbidden: may not be used when `type` is 'ClusterIP'".into(),
                });
            }
        }
    }
}

/// A workload's replicas, selector and pod template (`ValidateDeploymentSpec`,
/// `ValidateReplicaSetSpec`): `template` is where the template sits (`spec.template`).
fn workload(
    causes: &mut Vec<FieldError>,
    replicas: Option<i32>,
    selector: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
    template: Option<&k8s_openapi::api::core::v1::PodTemplateSpec>,
) {
    if let Some(r) = replicas.filter(|r| *r < 0) {
        causes.push(FieldError::invalid(
            "spec.replicas",
            r,
            "must be greater than or equal to 0",
        ));
    }
    let sel = selector.and_then(|s| s.match_labels.clone()).unwrap_or_default();
    let has_expressions = selector
        .and_then(|s| s.match_expressions.as_ref())
        .is_some_and(|e| !e.is_empty());
    match selector {
        Some(s) if !sel.is_empty() || has_expressions => {
            labels(causes, "spec.selector.matchLabels", s.match_labels.as_ref());
        }
        _ => causes.push(FieldError::required("spec.selector")),
    }
    let meta = template.and_then(|t| t.metadata.as_ref());
    let template_labels = meta.and_then(|m| m.labels.clone()).unwrap_or_default();
    if !sel.is_empty() && !sel.iter().all(|(k, v)| template_labels.get(k) == Some(v)) {
        causes.push(FieldError::invalid(
            "spec.template.metadata.labels",
            go_map(&template_labels),
            "`selector` does not match template `labels`",
        ));
    }
    // The API server names the template's labels `spec.template.labels` here.
    labels(causes, "spec.template.labels", meta.and_then(|m| m.labels.as_ref()));
    annotations(
        causes,
        "spec.template.annotations",
        meta.and_then(|m| m.annotations.as_ref()),
    );
    pod_spec(causes, "spec.template.spec", template.and_then(|t| t.spec.as_ref()));
}

/// Validate an object about to be stored. Metadata problems come first, like the API server.
pub fn validate(obj: &Object) -> Result<(), ApiError> {
    let mut causes = Vec::new();
    object_meta(&mut causes, obj);
    match obj {
        Object::Service(s) => {
            if let Some(spec) = &s.spec {
                service(&mut causes, spec);
            }
        }
        Object::Pod(p) => pod_spec(&mut causes, "spec", p.spec.as_ref()),
        Object::Deployment(d) => {
            if let Some(spec) = &d.spec {
                workload(&mut causes, spec.replicas, Some(&spec.selector), Some(&spec.template));
            }
        }
        Object::ReplicaSet(r) => {
            if let Some(spec) = &r.spec {
                workload(&mut causes, spec.replicas, Some(&spec.selector), spec.template.as_ref());
            }
        }
        Object::ConfigMap(cm) => {
            for k in cm.data.iter().flatten().map(|(k, _)| k) {
                invalid_each(&mut causes, &format!("data[{k}]"), k, config_key(k));
            }
            for k in cm.binary_data.iter().flatten().map(|(k, _)| k) {
                invalid_each(&mut causes, &format!("binaryData[{k}]"), k, config_key(k));
            }
            let size: usize = cm.data.iter().flatten().map(|(_, v)| v.len()).sum::<usize>()
                + cm.binary_data.iter().flatten().map(|(_, v)| v.0.len()).sum::<usize>();
            if size > MAX_DATA_SIZE {
                causes.push(too_long("[]", MAX_DATA_SIZE));
            }
        }
        Object::Secret(sec) => {
            for k in sec.data.iter().flatten().map(|(k, _)| k) {
                invalid_each(&mut causes, &format!("data[{k}]"), k, config_key(k));
            }
            let size: usize = sec.data.iter().flatten().map(|(_, v)| v.0.len()).sum::<usize>()
                + sec.string_data.iter().flatten().map(|(_, v)| v.len()).sum::<usize>();
            if size > MAX_DATA_SIZE {
                causes.push(too_long("data", MAX_DATA_SIZE));
            }
        }
        _ => {}
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid {
            kind: obj.kind(),
            name: obj.name().to_string(),
            causes,
        })
    }
}

/// What a running pod's spec may change (the API server's `updatablePodSpecFields`).
const UPDATABLE_POD_SPEC_FIELDS: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// A pod's spec is fixed once created, but for images, the deadline, added tolerations and the
/// grace period. (The API server adds a diff of the two specs to the message; the lab does not.)
pub fn pod_update(
    new: &k8s_openapi::api::core::v1::Pod,
    old: &k8s_openapi::api::core::v1::Pod,
) -> Result<(), ApiError> {
    let (Some(new_spec), Some(old_spec)) = (&new.spec, &old.spec) else {
        return Ok(());
    };
    let mut comparable = new_spec.clone();
    for (c, o) in comparable.containers.iter_mut().zip(&old_spec.containers) {
        c.image = o.image.clone();
    }
    for (c, o) in comparable
        .init_containers
        .iter_mut()
        .flatten()
        .zip(old_spec.init_containers.iter().flatten())
    {
        c.image = o.image.clone();
    }
    comparable.active_deadline_seconds = old_spec.active_deadline_seconds;
    comparable.termination_grace_period_seconds = old_spec.termination_grace_period_seconds;
    let added_only = old_spec
        .tolerations
        .iter()
        .flatten()
        .all(|t| new_spec.tolerations.iter().flatten().any(|n| n == t));
    if added_only {
        comparable.tolerations = old_spec.tolerations.clone();
    }
    if comparable == *old_spec {
        return Ok(());
    }
    Err(ApiError::Invalid {
        kind: super::kinds::Kind::Pod,
        name: new.metadata.name.clone().unwrap_or_default(),
        causes: vec![FieldError {
            field: "spec".into(),
            detail: format!("Forbidden: pod updates may not change fields other than {UPDATABLE_POD_SPEC_FIELDS}"),
        }],
    })
}

/// Go's `%#v` of a `map[string]string`, as validation messages print label maps.
pub fn go_map(m: &BTreeMap<String, String>) -> String {
    let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};

    #[test]
    fn names_follow_rfc1123_and_1035() {
        assert!(is_dns1123_subdomain("backend.v1"));
        assert!(!is_dns1123_subdomain("Backend"));
        assert!(is_dns1035_label("hello"));
        assert!(!is_dns1035_label("1hello"));
    }

    #[test]
    fn service_port_out_of_range_is_invalid() {
        let mut s = Service::default();
        s.metadata.name = Some("x".into());
        s.spec = Some(ServiceSpec {
            ports: Some(vec![ServicePort {
                port: 70000,
                ..Default::default()
            }]),
            ..Default::default()
        });
        let e = validate(&Object::Service(s)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "The Service \"x\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"
        );
    }

    #[test]
    fn lengths_are_reported_before_the_format_like_the_api_server() {
        let long = "a".repeat(64);
        assert_eq!(
            dns1035_label(&long),
            vec!["must be no more than 63 characters".to_string()]
        );
        assert_eq!(
            dns1123_label(&long),
            vec!["must be no more than 63 characters".to_string()]
        );
        // A subdomain's labels are not held to 63 on their own: only the whole name is.
        assert!(dns1123_subdomain(&"a".repeat(200)).is_empty());
        assert_eq!(
            dns1123_subdomain(&"a".repeat(254)),
            vec!["must be no more than 253 characters".to_string()]
        );
        let both = dns1123_subdomain(&format!("A{}", "a".repeat(253)));
        assert_eq!(both.len(), 2, "{both:?}");
        assert!(both[1].starts_with("a lowercase RFC 1123 subdomain"));
    }

    #[test]
    fn label_keys_and_values() {
        assert!(qualified_name("app").is_empty());
        assert!(qualified_name("example.com/App_1").is_empty());
        assert_eq!(qualified_name("/x"), vec!["prefix part must be non-empty".to_string()]);
        assert_eq!(
            qualified_name(&"k".repeat(64)),
            vec!["name part must be no more than 63 characters".to_string()]
        );
        assert!(qualified_name("a/b/c")[0].starts_with("a qualified name must consist of"));
        assert!(label_value("").is_empty());
        assert_eq!(
            label_value(&"v".repeat(64)),
            vec!["must be no more than 63 characters".to_string()]
        );
        assert!(label_value("-x")[0].starts_with("a valid label must be an empty string"));
    }

    #[test]
    fn port_names_and_config_keys() {
        assert!(port_name("http").is_empty());
        assert_eq!(
            port_name("http-web-server-1"),
            vec!["must be no more than 15 characters".to_string()]
        );
        assert_eq!(
            port_name("80"),
            vec!["must contain at least one letter (a-z)".to_string()]
        );
        assert_eq!(
            port_name("a--b"),
            vec!["must not contain consecutive hyphens".to_string()]
        );
        assert!(config_key("app.conf").is_empty());
        assert_eq!(config_key(".."), vec!["must not be '..'".to_string()]);
        assert!(config_key("a b")[0].starts_with("a valid config key"));
    }

    #[test]
    fn a_thousand_containers_are_valid_and_a_duplicate_name_is_not() {
        use k8s_openapi::api::core::v1::{Container, Pod};
        let containers: Vec<Container> = (0..1000)
            .map(|i| Container {
                name: format!("c{i}"),
                image: Some("busybox".into()),
                ..Default::default()
            })
            .collect();
        let mut pod = Pod::default();
        pod.metadata.name = Some("many".into());
        pod.spec = Some(PodSpec {
            containers,
            ..Default::default()
        });
        assert!(validate(&Object::Pod(pod.clone())).is_ok());
        pod.spec.as_mut().unwrap().containers[999].name = "c0".into();
        assert_eq!(
            validate(&Object::Pod(pod)).unwrap_err().to_string(),
            "The Pod \"many\" is invalid: spec.containers[999].name: Duplicate value: \"c0\""
        );
    }
}
