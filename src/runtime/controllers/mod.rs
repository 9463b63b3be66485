//! Controllers: each watches the store and makes the world match the objects, the way
//! kube-controller-manager, the scheduler, the kubelet and the cloud controller do.
//!
//! Every reconcile function is level-triggered and idempotent: it looks at the current state of
//! the object it is given (and what it owns), never at why it was called. Watch events only say
//! *which* objects to look at; a lagging watcher re-lists everything.

use super::Cluster;

pub fn start(_cluster: &Cluster) {}
