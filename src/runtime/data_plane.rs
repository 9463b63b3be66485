//! The data plane as the rest of the lab reads it: the containers the kubelet runs for a pod
//! (`kubectl logs` and `exec`, the pod shell, the UI) and the listeners kube-proxy bound for a
//! Service's load balancer (`describe`, the UI). The state is the kubelet's and kube-proxy's
//! ([`crate::runtime::controllers::kubelet`], [`crate::runtime::net::proxy`]); this is where
//! the cluster answers for it.

use std::net::{SocketAddr, SocketAddrV4};
use std::sync::Arc;

use super::controllers::kubelet::{self, RunningPod};
use super::net::proxy;
use super::Cluster;

impl Cluster {
    /// The pod's containers, running or finished (what `kubectl logs` reads).
    pub fn pod_containers(&self, namespace: &str, name: &str) -> Option<Arc<RunningPod>> {
        kubelet::pod_containers(self, namespace, name)
    }

    /// The running pod `namespace/name`, if its containers are up.
    pub fn running_pod(&self, namespace: &str, name: &str) -> Option<Arc<RunningPod>> {
        kubelet::running_pod(self, namespace, name)
    }

    /// The load-balancer listener actually bound for `ip:port` (differs from it when the port
    /// had to fall back).
    pub fn lb_listener(&self, namespace: &str, name: &str) -> Vec<(SocketAddrV4, SocketAddr)> {
        proxy::lb_listener(self, namespace, name)
    }
}
