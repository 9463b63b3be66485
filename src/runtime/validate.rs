//! Validation with the API server's wording, so kubectl prints what a real cluster would:
//! `The Service "x" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and
//! 65535, inclusive`.

use std::collections::{BTreeMap, HashSet};

use super::error::{ApiError, FieldError};
use super::object::Object;

const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const IANA_SVC_NAME_MSG: &str = "a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

pub fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

pub fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

/// Most bytes of data a ConfigMap or Secret may hold (1 MiB).
const MAX_DATA_SIZE: usize = 1024 * 1024;
/// Most bytes all annotations of an object may take, keys included (256 KiB): a big object's
/// `last-applied-configuration` runs into it.
const MAX_ANNOTATIONS_SIZE: usize = 256 * 1024;

fn too_long(field: &str, max: usize) -> FieldError {
    FieldError {
        field: field.into(),
        detail: format!("Too long: may not be more than {max} bytes"),
    }
}

/// Validate an object about to be stored. `name` problems come first, like the API server.
pub fn validate(obj: &Object) -> Result<(), ApiError> {
    let mut causes = Vec::new();
    let name = obj.name().to_string();
    if name.is_empty() {
        causes.push(FieldError::required("metadata.name"));
    } else {
        let ok = match obj {
            Object::Service(_) => is_dns1035_label(&name),
            Object::Namespace(_) => is_dns1123_label(&name),
            _ => is_dns1123_subdomain(&name),
        };
        if !ok {
            let msg = match obj {
                Object::Service(_) => DNS1035_MSG,
                _ => DNS1123_SUBDOMAIN_MSG,
            };
            causes.push(FieldError::invalid("metadata.name", format!("{name:?}"), msg));
        }
    }
    let annotations: usize = obj
        .meta()
        .annotations
        .iter()
        .flatten()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    if annotations > MAX_ANNOTATIONS_SIZE {
        causes.push(too_long("metadata.annotations", MAX_ANNOTATIONS_SIZE));
    }
    match obj {
        Object::Service(s) => {
            if let Some(spec) = &s.spec {
                let ty = spec.type_.as_deref().unwrap_or("ClusterIP");
                const TYPES: &[&str] = &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
                if !TYPES.contains(&ty) {
                    causes.push(FieldError {
                        field: "spec.type".into(),
                        detail: format!("Unsupported value: {ty:?}: supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
                    });
                }
                let ports = spec.ports.as_deref().unwrap_or(&[]);
                if ports.is_empty() && ty != "ExternalName" && spec.cluster_ip.as_deref() != Some("None") {
                    causes.push(FieldError::required("spec.ports"));
                }
                let mut names = HashSet::new();
                for (i, p) in ports.iter().enumerate() {
                    if !(1..=65535).contains(&p.port) {
                        causes.push(FieldError::invalid(
                            format!("spec.ports[{i}].port"),
                            p.port,
                            "must be between 1 and 65535, inclusive",
                        ));
                    }
                    if ports.len() > 1 && p.name.as_deref().unwrap_or("").is_empty() {
                        causes.push(FieldError::required(format!("spec.ports[{i}].name")));
                    }
                    if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
                        if !is_dns1123_label(n) {
                            causes.push(FieldError::invalid(
                                format!("spec.ports[{i}].name"),
                                format!("{n:?}"),
                                IANA_SVC_NAME_MSG,
                            ));
                        }
                        if !names.insert(n.to_string()) {
                            causes.push(FieldError {
                                field: format!("spec.ports[{i}].name"),
                                detail: format!("Duplicate value: {n:?}"),
                            });
                        }
                    }
                    if let Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(t)) = p.target_port {
                        if !(1..=65535).contains(&t) {
                            causes.push(FieldError::invalid(
                                format!("spec.ports[{i}].targetPort"),
                                t,
                                "must be between 1 and 65535, inclusive",
                            ));
                        }
                    }
                }
            }
        }
        Object::Deployment(d) => {
            if let Some(spec) = &d.spec {
                let sel = spec.selector.match_labels.clone().unwrap_or_default();
                if sel.is_empty() && spec.selector.match_expressions.as_ref().is_none_or(|e| e.is_empty()) {
                    causes.push(FieldError::required("spec.selector"));
                }
                let labels = spec
                    .template
                    .metadata
                    .as_ref()
                    .and_then(|m| m.labels.clone())
                    .unwrap_or_default();
                if !sel.is_empty() && !sel.iter().all(|(k, v)| labels.get(k) == Some(v)) {
                    causes.push(FieldError::invalid(
                        "spec.template.metadata.labels",
                        go_map(&labels),
                        "`selector` does not match template `labels`",
                    ));
                }
                if let Some(r) = spec.replicas {
                    if r < 0 {
                        causes.push(FieldError::invalid(
                            "spec.replicas",
                            r,
                            "must be greater than or equal to 0",
                        ));
                    }
                }
                let containers = spec
                    .template
                    .spec
                    .as_ref()
                    .map(|s| s.containers.as_slice())
                    .unwrap_or(&[]);
                if containers.is_empty() {
                    causes.push(FieldError::required("spec.template.spec.containers"));
                }
                for (i, c) in containers.iter().enumerate() {
                    if c.name.is_empty() {
                        causes.push(FieldError::required(format!("spec.template.spec.containers[{i}].name")));
                    }
                    if c.image.as_deref().unwrap_or("").is_empty() {
                        causes.push(FieldError::required(format!(
                            "spec.template.spec.containers[{i}].image"
                        )));
                    }
                }
            }
        }
        Object::ConfigMap(cm) => {
            let size: usize = cm.data.iter().flatten().map(|(_, v)| v.len()).sum::<usize>()
                + cm.binary_data.iter().flatten().map(|(_, v)| v.0.len()).sum::<usize>();
            if size > MAX_DATA_SIZE {
                causes.push(too_long("[]", MAX_DATA_SIZE));
            }
        }
        Object::Secret(sec) => {
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
            name,
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
}
