//! Small questions the integration tests ask a running cluster.

use std::collections::BTreeMap;

use k8s_lab::runtime::kinds::KINDS;
use k8s_lab::runtime::{Cluster, Kind};

/// How many ready addresses the Endpoints of Service `namespace/name` lists (0 when none yet).
pub fn ready_endpoints(cluster: &Cluster, namespace: &str, name: &str) -> usize {
    cluster
        .get(Kind::Endpoints, namespace, name)
        .and_then(|e| e.as_endpoints()?.subsets.clone())
        .unwrap_or_default()
        .iter()
        .map(|s| s.addresses.as_ref().map_or(0, Vec::len))
        .sum()
}

/// Every object but Events, with its resourceVersion: what "unchanged" means.
pub fn snapshot(c: &Cluster) -> BTreeMap<String, String> {
    KINDS
        .iter()
        .filter(|k| k.kind != Kind::Event)
        .flat_map(|k| c.list(k.kind, None))
        .map(|o| {
            (
                format!("{:?}/{}/{}", o.kind(), o.namespace(), o.name()),
                o.meta().resource_version.clone().unwrap_or_default(),
            )
        })
        .collect()
}
