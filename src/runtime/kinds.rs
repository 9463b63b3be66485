//! The resource types the embedded cluster serves, as one table.
//!
//! kubectl resolves what a learner types (`svc`, `services`, `deploy`, `deployment.apps`) through
//! this table, prints `deployment.apps/backend created` from it, and the store keys objects by
//! [`Kind`]. Keeping every name in one place means a new type is one row, not a hunt.

/// A resource type the lab knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
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
    Secret,
}

/// Names and API coordinates of one resource type, as the API server's discovery reports them.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: Kind,
    /// The `kind:` field, e.g. `Deployment`.
    pub name: &'static str,
    /// Lower-case plural, the resource name in URLs and in `kubectl get`.
    pub plural: &'static str,
    pub singular: &'static str,
    pub short_names: &'static [&'static str],
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub namespaced: bool,
}

impl KindInfo {
    /// `apps/v1` or `v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `deployments.apps` or `services`: how API errors name the resource.
    pub fn qualified_plural(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// `deployment.apps` or `service`: how kubectl names the type in `type/name` output.
    pub fn qualified_singular(&self) -> String {
        if self.group.is_empty() {
            self.singular.to_string()
        } else {
            format!("{}.{}", self.singular, self.group)
        }
    }
}

/// Every resource type, in the order `kubectl api-resources` lists them (core first).
pub const KINDS: &[KindInfo] = &[
    KindInfo {
        kind: Kind::ConfigMap,
        name: "ConfigMap",
        plural: "configmaps",
        singular: "configmap",
        short_names: &["cm"],
        group: "",
        version: "v1",
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Endpoints,
        name: "Endpoints",
        plural: "endpoints",
        singular: "endpoints",
        short_names: &["ep"],
        group: "",
        version: "v1",
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Event,
        name: "Event",
        plural: "events",
        singular: "event",
        short_names: &["ev"],
        group: "",
        version: "v1",
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Namespace,
        name: "Namespace",
        plural: "namespaces",
        singular: "namespace",
        short_names: &["ns"],
        group: "",
        version: "v1",
        namespaced: false,
    },
    KindInfo {
        kind: Kind::Node,
        name: "Node",
        plural: "nodes",
        singular: "node",
        short_names: &["no"],
        group: "",
        version: "v1",
        namespaced: false,
    },
    KindInfo {
        kind: Kind::Pod,
        name: "Pod",
        plural: "pods",
        singular: "pod",
        short_names: &["po"],
        group: "",
        version: "v1",
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Secret,
        name: "Secret",
        plural: "secrets",
        singular: "secret",
        short_names: &[],
        group: "",
        version: "v1",
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Service,
        name: "Service",
        plural: "services",
        singular: "service",
        short_names: &["svc"],
        group: "",
        version: "v1",
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Deployment,
        name: "Deployment",
        plural: "deployments",
        singular: "deployment",
        short_names: &["deploy"],
        group: "apps",
        version: "v1",
        namespaced: true,
    },
    KindInfo {
        kind: Kind::ReplicaSet,
        name: "ReplicaSet",
        plural: "replicasets",
        singular: "replicaset",
        short_names: &["rs"],
        group: "apps",
        version: "v1",
        namespaced: true,
    },
    KindInfo {
        kind: Kind::EndpointSlice,
        name: "EndpointSlice",
        plural: "endpointslices",
        singular: "endpointslice",
        short_names: &[],
        group: "discovery.k8s.io",
        version: "v1",
        namespaced: true,
    },
];

impl Kind {
    pub fn info(self) -> &'static KindInfo {
        KINDS
            .iter()
            .find(|k| k.kind == self)
            .expect("every Kind has a row in KINDS")
    }

    /// Resolve what a user typed as a resource type: plural, singular, short name, kind name,
    /// optionally qualified with the group (`deployments.apps`), case-insensitive like kubectl.
    pub fn resolve(typed: &str) -> Option<Kind> {
        let typed = typed.to_ascii_lowercase();
        let (base, group) = match typed.split_once('.') {
            Some((b, g)) => (b.to_string(), Some(g.to_string())),
            None => (typed.clone(), None),
        };
        KINDS
            .iter()
            .find(|k| {
                let name_ok = k.plural == base
                    || k.singular == base
                    || k.name.eq_ignore_ascii_case(&base)
                    || k.short_names.contains(&base.as_str());
                let group_ok = match &group {
                    None => true,
                    Some(g) => {
                        k.group == g
                            || g.starts_with(&format!("{}.", k.version))
                            || (k.group.is_empty() && g == k.version)
                    }
                };
                name_ok && group_ok
            })
            .map(|k| k.kind)
    }

    /// The kind for an `apiVersion`/`kind` pair in a manifest.
    pub fn from_type_meta(api_version: &str, kind: &str) -> Option<Kind> {
        KINDS
            .iter()
            .find(|k| k.name == kind && k.api_version() == api_version)
            .map(|k| k.kind)
    }

    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_the_names_learners_type() {
        assert_eq!(Kind::resolve("svc"), Some(Kind::Service));
        assert_eq!(Kind::resolve("services"), Some(Kind::Service));
        assert_eq!(Kind::resolve("Service"), Some(Kind::Service));
        assert_eq!(Kind::resolve("deploy"), Some(Kind::Deployment));
        assert_eq!(Kind::resolve("deployments.apps"), Some(Kind::Deployment));
        assert_eq!(Kind::resolve("ep"), Some(Kind::Endpoints));
        assert_eq!(Kind::resolve("po"), Some(Kind::Pod));
        assert_eq!(Kind::resolve("servcies"), None);
        assert_eq!(Kind::resolve("deployments.core"), None);
    }

    #[test]
    fn type_meta_needs_the_right_group() {
        assert_eq!(Kind::from_type_meta("apps/v1", "Deployment"), Some(Kind::Deployment));
        assert_eq!(Kind::from_type_meta("v1", "Deployment"), None);
        assert_eq!(Kind::Deployment.info().qualified_singular(), "deployment.apps");
        assert_eq!(Kind::Service.info().qualified_plural(), "services");
    }
}
