//! Field selectors (`?fieldSelector=status.phase!=Running`), with the fields each kind really
//! offers. The API server answers only fields its field-label conversion knows for the kind
//! (`metadata.name` and `metadata.namespace` everywhere, a few more per kind) and refuses the
//! rest with `field label not supported: X`; `=`, `==` and `!=` are the only operators.

use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;

/// One requirement: `field=value` or `field!=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRequirement {
    pub field: String,
    pub equal: bool,
    pub value: String,
}

/// A parsed field selector; empty selects everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector(pub Vec<FieldRequirement>);

/// The fields each kind can be selected by, besides `metadata.name` and `metadata.namespace`
/// (the field-label conversions of the API types, as of Kubernetes 1.33).
fn extra_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        Kind::Node => &["spec.unschedulable"],
        Kind::Namespace => &["status.phase"],
        Kind::Secret => &["type"],
        Kind::Service => &["spec.clusterIP", "spec.type"],
        Kind::ReplicaSet => &["status.replicas"],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        Kind::Endpoints | Kind::EndpointSlice | Kind::Deployment | Kind::ConfigMap => &[],
    }
}

impl FieldSelector {
    /// Parse `a=b,c!=d`; the error is the API server's (fields.ParseSelector).
    pub fn parse(s: &str) -> Result<FieldSelector, ApiError> {
        let mut reqs = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, equal, value) = if let Some((k, v)) = part.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = part.split_once("==") {
                (k, true, v)
            } else if let Some((k, v)) = part.split_once('=') {
                (k, true, v)
            } else {
                return Err(ApiError::BadRequest(format!(
                    "invalid selector: '{part}'; can't understand '{part}'"
                )));
            };
            reqs.push(FieldRequirement {
                field: field.trim().to_string(),
                equal,
                value: value.trim().to_string(),
            });
        }
        Ok(FieldSelector(reqs))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Refuse fields `kind` cannot be selected by.
    pub fn check(&self, kind: Kind) -> Result<(), ApiError> {
        for r in &self.0 {
            let known = matches!(r.field.as_str(), "metadata.name" | "metadata.namespace")
                || extra_fields(kind).contains(&r.field.as_str());
            if !known {
                return Err(ApiError::BadRequest(format!("field label not supported: {}", r.field)));
            }
        }
        Ok(())
    }

    /// Does `obj` meet every requirement? Fields are read as the API server's field sets
    /// have them (a missing string is `""`, a bool `"false"`).
    pub fn matches(&self, obj: &Object) -> bool {
        self.0
            .iter()
            .all(|r| (field_value(obj, &r.field) == r.value) == r.equal)
    }

    /// The name a selector pins, if it pins one (`metadata.name=x`): a single-object watch.
    pub fn pinned_name(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|r| r.equal && r.field == "metadata.name")
            .map(|r| r.value.as_str())
    }
}

/// The value of a selectable field of `obj`, as the API server's `ToSelectableFields` sets it.
fn field_value(obj: &Object, field: &str) -> String {
    let s = |v: Option<&String>| v.cloned().unwrap_or_default();
    match field {
        "metadata.name" => return obj.name().to_string(),
        "metadata.namespace" => return obj.namespace().to_string(),
        _ => {}
    }
    match obj {
        Object::Pod(p) => {
            let spec = p.spec.as_ref();
            let status = p.status.as_ref();
            match field {
                "spec.nodeName" => s(spec.and_then(|s| s.node_name.as_ref())),
                "spec.restartPolicy" => s(spec.and_then(|s| s.restart_policy.as_ref())),
                "spec.schedulerName" => s(spec.and_then(|s| s.scheduler_name.as_ref())),
                "spec.serviceAccountName" => s(spec.and_then(|s| s.service_account_name.as_ref())),
                "spec.hostNetwork" => spec.and_then(|s| s.host_network).unwrap_or(false).to_string(),
                "status.phase" => s(status.and_then(|s| s.phase.as_ref())),
                "status.podIP" => s(status.and_then(|s| s.pod_ip.as_ref())),
                "status.podIPs" => status
                    .and_then(|s| s.pod_ips.as_ref())
                    .map(|ips| ips.iter().map(|i| i.ip.clone()).collect::<Vec<_>>().join(","))
                    .unwrap_or_default(),
                "status.nominatedNodeName" => s(status.and_then(|s| s.nominated_node_name.as_ref())),
                _ => String::new(),
            }
        }
        Object::Node(n) => match field {
            "spec.unschedulable" => n
                .spec
                .as_ref()
                .and_then(|s| s.unschedulable)
                .unwrap_or(false)
                .to_string(),
            _ => String::new(),
        },
        Object::Namespace(n) => match field {
            "status.phase" => s(n.status.as_ref().and_then(|s| s.phase.as_ref())),
            _ => String::new(),
        },
        Object::Secret(sec) => match field {
            "type" => s(sec.type_.as_ref()),
            _ => String::new(),
        },
        Object::Service(svc) => {
            let spec = svc.spec.as_ref();
            match field {
                "spec.clusterIP" => s(spec.and_then(|s| s.cluster_ip.as_ref())),
                "spec.type" => s(spec.and_then(|s| s.type_.as_ref())),
                _ => String::new(),
            }
        }
        Object::ReplicaSet(rs) => match field {
            "status.replicas" => rs.status.as_ref().map_or(0, |s| s.replicas).to_string(),
            _ => String::new(),
        },
        Object::Event(e) => {
            let io = &e.involved_object;
            match field {
                "involvedObject.kind" => s(io.kind.as_ref()),
                "involvedObject.namespace" => s(io.namespace.as_ref()),
                "involvedObject.name" => s(io.name.as_ref()),
                "involvedObject.uid" => s(io.uid.as_ref()),
                "involvedObject.apiVersion" => s(io.api_version.as_ref()),
                "involvedObject.resourceVersion" => s(io.resource_version.as_ref()),
                "involvedObject.fieldPath" => s(io.field_path.as_ref()),
                "reason" => s(e.reason.as_ref()),
                "reportingComponent" => s(e.reporting_component.as_ref()),
                "source" => s(e.source.as_ref().and_then(|s| s.component.as_ref())),
                "type" => s(e.type_.as_ref()),
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Pod, PodStatus};

    fn pod(name: &str, phase: &str) -> Object {
        let mut p = Pod::default();
        p.metadata.name = Some(name.into());
        p.metadata.namespace = Some("default".into());
        p.status = Some(PodStatus {
            phase: Some(phase.into()),
            ..Default::default()
        });
        Object::Pod(p)
    }

    #[test]
    fn selects_by_the_fields_a_kind_offers() {
        let sel = FieldSelector::parse("status.phase!=Running,metadata.namespace==default").unwrap();
        sel.check(Kind::Pod).unwrap();
        assert!(sel.matches(&pod("a", "Pending")));
        assert!(!sel.matches(&pod("b", "Running")));
        assert_eq!(
            FieldSelector::parse("metadata.name=a").unwrap().pinned_name(),
            Some("a")
        );
    }

    #[test]
    fn refuses_fields_the_kind_does_not_offer_in_the_api_servers_words() {
        let sel = FieldSelector::parse("status.phase=Running").unwrap();
        assert_eq!(
            sel.check(Kind::Deployment).unwrap_err().to_string(),
            "field label not supported: status.phase"
        );
        assert_eq!(
            FieldSelector::parse("phase").unwrap_err().to_string(),
            "invalid selector: 'phase'; can't understand 'phase'"
        );
    }
}
