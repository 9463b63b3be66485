//! Reads: `get` and `list` with label and field selectors and a resourceVersion, as the API
//! server answers them. Lists come back in the store's key order (namespace, then name), with
//! the resourceVersion they were taken at, so a watch can continue from exactly there.

use std::sync::Arc;

use super::fields::FieldSelector;
use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::selectors::Selector;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// The query of a `list` (and of a `watch`, see [`super::watch::WatchOptions`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// `None` lists every namespace (and cluster-scoped kinds ignore it).
    pub namespace: Option<String>,
    /// `app=web,tier!=db` (kubectl's `-l` syntax).
    pub label_selector: String,
    /// `status.phase=Running` (see [`FieldSelector`]).
    pub field_selector: String,
    /// `""` or `"0"`: the latest state. `"N"`: at least as new as N (the lab always serves
    /// the latest, which is what `resourceVersionMatch=NotOlderThan` allows); a version the
    /// store has not reached is refused, as the API server does after waiting for it.
    pub resource_version: String,
}

impl ListOptions {
    /// Every object of a kind in `namespace` (or all namespaces).
    pub fn in_namespace(namespace: Option<&str>) -> ListOptions {
        ListOptions {
            namespace: namespace.map(str::to_string),
            ..Default::default()
        }
    }

    /// The same query with a label selector.
    pub fn labels(mut self, selector: &str) -> ListOptions {
        self.label_selector = selector.to_string();
        self
    }

    /// The same query with a field selector.
    pub fn fields(mut self, selector: &str) -> ListOptions {
        self.field_selector = selector.to_string();
        self
    }
}

/// The parsed selectors of a query, checked against the kind.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub namespace: Option<String>,
    pub labels: Selector,
    pub fields: FieldSelector,
}

impl Filter {
    /// Parse and check the selectors of a query on `kind`.
    pub fn new(kind: Kind, namespace: Option<&str>, labels: &str, fields: &str) -> Result<Filter, ApiError> {
        let labels = Selector::parse(labels).map_err(ApiError::BadRequest)?;
        let fields = FieldSelector::parse(fields)?;
        fields.check(kind)?;
        Ok(Filter {
            namespace: namespace.filter(|_| kind.namespaced()).map(str::to_string),
            labels,
            fields,
        })
    }

    /// Does `obj` belong to the query?
    pub fn matches(&self, obj: &Object) -> bool {
        self.namespace.as_deref().is_none_or(|ns| obj.namespace() == ns)
            && self.labels.matches(obj.labels())
            && self.fields.matches(obj)
    }
}

/// What a `list` returns.
#[derive(Debug, Clone)]
pub struct ObjectList {
    pub kind: Kind,
    pub items: Vec<Arc<Object>>,
    /// The store's resourceVersion the list was taken at.
    pub resource_version: u64,
}

/// A resourceVersion parameter: `""` and `"0"` are "any"; otherwise a number, or 400.
pub(super) fn parse_resource_version(rv: &str) -> Result<Option<u64>, ApiError> {
    match rv {
        "" | "0" => Ok(None),
        _ => rv
            .parse::<u64>()
            .map(Some)
            .map_err(|_| ApiError::BadRequest(format!("invalid resource version: {rv}"))),
    }
}

impl Cluster {
    /// `GET` one object: `NotFound` in the API server's words when it is not there.
    pub fn read(&self, kind: Kind, namespace: &str, name: &str) -> Result<Arc<Object>, ApiError> {
        self.store()
            .get(&Key::new(kind, namespace, name))
            .ok_or(ApiError::NotFound {
                kind,
                name: name.to_string(),
            })
    }

    /// `LIST` a kind, filtered by namespace and selectors. The selected objects are found
    /// through the label index when the label selector has an equality.
    pub fn list_objects(&self, kind: Kind, options: &ListOptions) -> Result<ObjectList, ApiError> {
        let filter = Filter::new(
            kind,
            options.namespace.as_deref(),
            &options.label_selector,
            &options.field_selector,
        )?;
        let wanted = parse_resource_version(&options.resource_version)?;
        let (items, rv, _) = self.store().list_and_watch(kind, filter.namespace.as_deref());
        if let Some(w) = wanted.filter(|w| *w > rv) {
            return Err(ApiError::Timeout(format!(
                "Too large resource version: {w}, current: {rv}"
            )));
        }
        let items = items.into_iter().filter(|o| filter.matches(o)).collect();
        Ok(ObjectList {
            kind,
            items,
            resource_version: rv,
        })
    }

    /// Objects whose ownerReferences name `owner_uid` (what the garbage collector and
    /// `kubectl describe` follow), in any namespace.
    pub fn list_owned(&self, owner_uid: &str) -> Vec<Arc<Object>> {
        self.store().list_owned(owner_uid)
    }

    /// Events about the object with `uid`, oldest first (`describe`'s Events section).
    pub fn events_about(&self, uid: &str) -> Vec<Arc<Object>> {
        self.store().events_about(uid)
    }

    /// The store's current resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.store().resource_version()
    }

    /// Changes whenever an object of `kind` is created, changed or removed (a cache key for
    /// views derived from the kind's objects).
    pub fn kind_version(&self, kind: Kind) -> u64 {
        self.store().kind_version(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::ClusterConfig;

    #[tokio::test(start_paused = true)]
    async fn lists_filter_by_labels_and_fields_and_carry_their_version() {
        let c = Cluster::start(ClusterConfig::default()).await.unwrap();
        let nodes = c.list_objects(Kind::Node, &ListOptions::default()).unwrap();
        assert_eq!(nodes.items.len(), 3);
        assert_eq!(nodes.resource_version, c.resource_version());
        let one = ListOptions::default().fields("metadata.name=minikube-m02");
        let names: Vec<_> = c
            .list_objects(Kind::Node, &one)
            .unwrap()
            .items
            .iter()
            .map(|n| n.name().to_string())
            .collect();
        assert_eq!(names, ["minikube-m02"]);
        let svc = ListOptions::in_namespace(Some("default")).labels("component=apiserver");
        assert_eq!(c.list_objects(Kind::Service, &svc).unwrap().items.len(), 1);
        let bad = ListOptions::default().fields("spec.replicas=1");
        assert_eq!(
            c.list_objects(Kind::Deployment, &bad).unwrap_err(),
            ApiError::BadRequest("field label not supported: spec.replicas".into())
        );
        let future = ListOptions {
            resource_version: (c.resource_version() + 100).to_string(),
            ..Default::default()
        };
        assert_eq!(c.list_objects(Kind::Node, &future).unwrap_err().code(), 504);
        assert_eq!(
            c.read(Kind::Service, "default", "nope").unwrap_err().to_string(),
            "services \"nope\" not found"
        );
    }
}
