//! Small questions the integration tests ask a running cluster.

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
