//! The cloud's load-balancer controller (like MetalLB or minikube tunnel): a LoadBalancer Service
//! stays `<pending>` for the lesson's delay, then gets the next free address of the pool in
//! `status.loadBalancer.ingress`, with the `EnsuringLoadBalancer` / `EnsuredLoadBalancer` events.
//! An exhausted pool leaves it pending with a Warning event. (kube-proxy then listens on the
//! address; see [`crate::runtime::net::proxy`].)

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::Mutex;

use k8s_openapi::api::core::v1::{LoadBalancerIngress, LoadBalancerStatus, ServiceStatus};

use super::{all_keys, Controller};
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::{Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "service-controller",
    keys_for,
    reconcile,
    resync,
};

/// The Services whose load balancer is being provisioned (by uid): one provisioning each.
#[derive(Debug, Default)]
pub struct State {
    pending: Mutex<HashSet<String>>,
}

fn pending(cluster: &Cluster) -> &Mutex<HashSet<String>> {
    &cluster.controllers().loadbalancer.pending
}

fn keys_for(_: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    match &*ev.object {
        Object::Service(_) => vec![Key::of(&ev.object)],
        _ => vec![],
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    all_keys(cluster, Kind::Service)
}

fn is_lb(obj: &Object) -> bool {
    obj.as_service().and_then(|s| s.spec.as_ref()?.type_.as_deref()) == Some("LoadBalancer")
}

fn ingress_ips(obj: &Object) -> Vec<String> {
    obj.as_service()
        .and_then(|s| s.status.as_ref()?.load_balancer.as_ref()?.ingress.clone())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| i.ip)
        .collect()
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let Some(obj) = cluster.store().get(key) else { return };
    if !is_lb(&obj) || !ingress_ips(&obj).is_empty() || obj.meta().deletion_timestamp.is_some() {
        return;
    }
    let uid = obj.meta().uid.clone().unwrap_or_default();
    {
        let mut pending = pending(cluster).lock().unwrap();
        if !pending.insert(uid.clone()) {
            return;
        }
    }
    cluster.record_event(
        &obj,
        "Normal",
        "EnsuringLoadBalancer",
        "Ensuring load balancer",
        "service-controller",
    );
    let cl = cluster.clone();
    let key = key.clone();
    cluster.spawn(async move {
        cl.clock().sleep(cl.config().lb_delay).await;
        let done = provision(&cl, &key, &uid);
        if !done {
            // Try again later (the pool may free up).
            cl.clock()
                .sleep(cl.config().lb_delay.max(std::time::Duration::from_secs(5)))
                .await;
        }
        pending(&cl).lock().unwrap().remove(&uid);
        if !done {
            // Re-trigger a reconcile by re-reading: the watch loop will see no change, so call it.
            reconcile(&cl, &key);
        }
    });
}

/// Give the Service an address. Returns false if it must be retried.
fn provision(cluster: &Cluster, key: &Key, uid: &str) -> bool {
    let Some(obj) = cluster.store().get(key) else {
        return true;
    };
    if obj.meta().uid.as_deref() != Some(uid) || !is_lb(&obj) || !ingress_ips(&obj).is_empty() {
        return true;
    }
    let used: HashSet<String> = cluster
        .list(Kind::Service, None)
        .iter()
        .flat_map(|s| ingress_ips(s))
        .collect();
    let free: Option<Ipv4Addr> = cluster
        .config()
        .lb_pool
        .iter()
        .copied()
        .find(|ip| !used.contains(&ip.to_string()));
    let Some(ip) = free else {
        let msg = format!(
            "Error syncing load balancer: failed to ensure load balancer: no available IPs in the pool ({} in use)",
            used.len()
        );
        cluster.record_event(&obj, "Warning", "SyncLoadBalancerFailed", &msg, "service-controller");
        return false;
    };
    let updated = cluster.store().update(key, |o| {
        if let Object::Service(s) = o {
            let st = s.status.get_or_insert_with(ServiceStatus::default);
            st.load_balancer = Some(LoadBalancerStatus {
                ingress: Some(vec![LoadBalancerIngress {
                    ip: Some(ip.to_string()),
                    ip_mode: Some("VIP".into()),
                    ..Default::default()
                }]),
            });
        }
    });
    if let Ok(o) = updated {
        cluster.record_event(
            &o,
            "Normal",
            "EnsuredLoadBalancer",
            "Ensured load balancer",
            "service-controller",
        );
    }
    true
}
