//! [`Object`]: one enum over the `k8s-openapi` types the lab serves.
//!
//! The store holds typed objects (so controllers read `spec.replicas`, not JSON paths), while
//! kubectl's printers need a uniform view (metadata, JSON for `-o yaml|json|jsonpath`). The enum
//! gives both: a `match` per variant hidden behind a macro, and serde for the JSON view.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::kinds::Kind;

/// A Kubernetes object of one of the kinds in [`super::kinds::KINDS`].
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Namespace(Namespace),
    Node(Node),
    Pod(Pod),
    Service(Service),
    Endpoints(Endpoints),
    EndpointSlice(EndpointSlice),
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    Event(Event),
    ConfigMap(ConfigMap),
    Secret(Secret),
}

macro_rules! each_variant {
    ($self:expr, $bind:ident => $body:expr) => {
        match $self {
            Object::Namespace($bind) => $body,
            Object::Node($bind) => $body,
            Object::Pod($bind) => $body,
            Object::Service($bind) => $body,
            Object::Endpoints($bind) => $body,
            Object::EndpointSlice($bind) => $body,
            Object::Deployment($bind) => $body,
            Object::ReplicaSet($bind) => $body,
            Object::Event($bind) => $body,
            Object::ConfigMap($bind) => $body,
            Object::Secret($bind) => $body,
        }
    };
}

impl Object {
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::Pod(_) => Kind::Pod,
            Object::Service(_) => Kind::Service,
            Object::Endpoints(_) => Kind::Endpoints,
            Object::EndpointSlice(_) => Kind::EndpointSlice,
            Object::Deployment(_) => Kind::Deployment,
            Object::ReplicaSet(_) => Kind::ReplicaSet,
            Object::Event(_) => Kind::Event,
            Object::ConfigMap(_) => Kind::ConfigMap,
            Object::Secret(_) => Kind::Secret,
        }
    }

    pub fn meta(&self) -> &ObjectMeta {
        each_variant!(self, o => &o.metadata)
    }

    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        each_variant!(self, o => &mut o.metadata)
    }

    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or("")
    }

    /// The object as JSON, with `apiVersion` and `kind` first, as the API server returns it.
    /// How many bytes this object takes as JSON (what a client sends), without building the text.
    pub fn json_size(&self) -> usize {
        struct Count(usize);
        impl std::io::Write for Count {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0 += buf.len();
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut c = Count(0);
        each_variant!(self, o => { let _ = serde_json::to_writer(&mut c, o); });
        c.0
    }

    pub fn to_json(&self) -> serde_json::Value {
        each_variant!(self, o => serde_json::to_value(o).expect("k8s-openapi types serialize"))
    }

    /// Decode JSON into the typed object of `kind`. Unknown fields are ignored here; strict
    /// decoding with field paths lives in [`super::manifest`].
    pub fn from_json(kind: Kind, value: serde_json::Value) -> Result<Object, serde_json::Error> {
        Ok(match kind {
            Kind::Namespace => Object::Namespace(serde_json::from_value(value)?),
            Kind::Node => Object::Node(serde_json::from_value(value)?),
            Kind::Pod => Object::Pod(serde_json::from_value(value)?),
            Kind::Service => Object::Service(serde_json::from_value(value)?),
            Kind::Endpoints => Object::Endpoints(serde_json::from_value(value)?),
            Kind::EndpointSlice => Object::EndpointSlice(serde_json::from_value(value)?),
            Kind::Deployment => Object::Deployment(serde_json::from_value(value)?),
            Kind::ReplicaSet => Object::ReplicaSet(serde_json::from_value(value)?),
            Kind::Event => Object::Event(serde_json::from_value(value)?),
            Kind::ConfigMap => Object::ConfigMap(serde_json::from_value(value)?),
            Kind::Secret => Object::Secret(serde_json::from_value(value)?),
        })
    }

    pub fn labels(&self) -> &std::collections::BTreeMap<String, String> {
        static EMPTY: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
        self.meta().labels.as_ref().unwrap_or(&EMPTY)
    }

    /// A Service's ClusterIP (`None` for other kinds, ExternalName, or not yet allocated).
    pub fn cluster_ip(&self) -> Option<&str> {
        self.as_service()?.spec.as_ref()?.cluster_ip.as_deref()
    }

    /// A LoadBalancer Service's first ingress address, once the load balancer has one.
    pub fn lb_ingress_ip(&self) -> Option<&str> {
        self.as_service()?
            .status
            .as_ref()?
            .load_balancer
            .as_ref()?
            .ingress
            .as_ref()?
            .first()?
            .ip
            .as_deref()
    }

    /// The same as `==`, but looks first where writers usually make their change (status, then
    /// metadata) and last at the spec, so a real change is found without walking the whole
    /// object. The store calls this on every write to drop the ones that change nothing.
    pub fn same_as(&self, other: &Object) -> bool {
        macro_rules! status_first {
            ($a:expr, $b:expr) => {
                $a.status == $b.status && $a.metadata == $b.metadata && $a.spec == $b.spec
            };
        }
        match (self, other) {
            (Object::Pod(a), Object::Pod(b)) => status_first!(a, b),
            (Object::Deployment(a), Object::Deployment(b)) => status_first!(a, b),
            (Object::ReplicaSet(a), Object::ReplicaSet(b)) => status_first!(a, b),
            (Object::Service(a), Object::Service(b)) => status_first!(a, b),
            (Object::Node(a), Object::Node(b)) => status_first!(a, b),
            (Object::Endpoints(a), Object::Endpoints(b)) => a.subsets == b.subsets && a.metadata == b.metadata,
            (Object::EndpointSlice(a), Object::EndpointSlice(b)) => a.endpoints == b.endpoints && a == b,
            (a, b) => a == b,
        }
    }

    /// Do two objects have the same `spec` (what bumps `metadata.generation`)? Compared typed,
    /// field by field, not through JSON. Objects without a spec (or of different kinds, which
    /// the store never compares) count as the same.
    pub fn same_spec(&self, other: &Object) -> bool {
        match (self, other) {
            (Object::Pod(a), Object::Pod(b)) => a.spec == b.spec,
            (Object::Deployment(a), Object::Deployment(b)) => a.spec == b.spec,
            (Object::ReplicaSet(a), Object::ReplicaSet(b)) => a.spec == b.spec,
            (Object::Service(a), Object::Service(b)) => a.spec == b.spec,
            (Object::Node(a), Object::Node(b)) => a.spec == b.spec,
            (Object::Namespace(a), Object::Namespace(b)) => a.spec == b.spec,
            _ => true,
        }
    }

    pub fn as_pod(&self) -> Option<&Pod> {
        if let Object::Pod(p) = self {
            Some(p)
        } else {
            None
        }
    }
    pub fn as_service(&self) -> Option<&Service> {
        if let Object::Service(s) = self {
            Some(s)
        } else {
            None
        }
    }
    pub fn as_deployment(&self) -> Option<&Deployment> {
        if let Object::Deployment(d) = self {
            Some(d)
        } else {
            None
        }
    }
    pub fn as_replicaset(&self) -> Option<&ReplicaSet> {
        if let Object::ReplicaSet(r) = self {
            Some(r)
        } else {
            None
        }
    }
    pub fn as_endpoints(&self) -> Option<&Endpoints> {
        if let Object::Endpoints(e) = self {
            Some(e)
        } else {
            None
        }
    }
    pub fn as_node(&self) -> Option<&Node> {
        if let Object::Node(n) = self {
            Some(n)
        } else {
            None
        }
    }
    pub fn as_event(&self) -> Option<&Event> {
        if let Object::Event(e) = self {
            Some(e)
        } else {
            None
        }
    }
}

macro_rules! impl_from {
    ($($ty:ident),*) => {
        $(impl From<$ty> for Object {
            fn from(o: $ty) -> Object { Object::$ty(o) }
        })*
    };
}
impl_from!(
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    Deployment,
    ReplicaSet,
    Event,
    ConfigMap,
    Secret
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_type_meta() {
        let mut svc = Service::default();
        svc.metadata.name = Some("hello".into());
        let obj = Object::from(svc);
        let json = obj.to_json();
        assert_eq!(json["apiVersion"], "v1");
        assert_eq!(json["kind"], "Service");
        let back = Object::from_json(Kind::Service, json).unwrap();
        assert_eq!(back.name(), "hello");
        assert_eq!(back.kind(), Kind::Service);
    }
}
