//! The endpoints and EndpointSlice controllers: for every Service with a selector, the pods it
//! selects become its endpoints — ready ones as `addresses`, not-ready ones as
//! `notReadyAddresses` (kube-proxy serves only the ready ones). A named `targetPort` is resolved
//! per pod, from that pod's container ports.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectReference, Pod, ServicePort,
};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort as SlicePort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{all_keys, owner_ref, pod_ready, Controller};
use crate::runtime::kinds::Kind;
use crate::runtime::names::random_suffix;
use crate::runtime::object::Object;
use crate::runtime::selectors::{Requirement, Selector};
use crate::runtime::store::{Key, WatchEvent};
use crate::runtime::Cluster;

pub const CONTROLLER: Controller = Controller {
    name: "endpoint-controller",
    keys_for,
    reconcile,
    resync,
};

/// Resolved ports of one pod: (name, port, protocol).
type PortList = Vec<(String, i32, String)>;

pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

fn keys_for(cluster: &Cluster, ev: &WatchEvent) -> Vec<Key> {
    match &*ev.object {
        Object::Service(_) => vec![Key::of(&ev.object)],
        // A pod change concerns the Services in its namespace that select it now or selected it
        // before the change (its labels may have moved it out).
        Object::Pod(_) => {
            let ns = ev.object.namespace();
            let mut keys: Vec<Key> = cluster
                .store()
                .services_selecting(ns, ev.object.labels())
                .iter()
                .map(|s| Key::of(s))
                .collect();
            if let Some(old) = &ev.old {
                keys.extend(
                    cluster
                        .store()
                        .services_selecting(ns, old.labels())
                        .iter()
                        .map(|s| Key::of(s)),
                );
            }
            keys
        }
        _ => vec![],
    }
}

fn resync(cluster: &Cluster) -> Vec<Key> {
    all_keys(cluster, Kind::Service)
}

/// The port a Service port reaches on `pod`, resolving a named targetPort.
pub fn target_port(sp: &ServicePort, pod: &Pod) -> Option<i32> {
    match sp.target_port.as_ref() {
        None => Some(sp.port),
        Some(IntOrString::Int(p)) => Some(*p),
        Some(IntOrString::String(name)) => pod
            .spec
            .as_ref()?
            .containers
            .iter()
            .flat_map(|c| c.ports.iter().flatten())
            .find(|p| {
                p.name.as_deref() == Some(name.as_str())
                    && p.protocol.as_deref().unwrap_or("TCP") == sp.protocol.as_deref().unwrap_or("TCP")
            })
            .map(|p| p.container_port),
    }
}

fn reconcile(cluster: &Cluster, key: &Key) {
    let ep_key = Key::new(Kind::Endpoints, &key.namespace, &key.name);
    let Some(svc_obj) = cluster.store().get(key) else {
        let _ = cluster.store().remove(&ep_key);
        for s in slices_of(cluster, &key.namespace, &key.name) {
            let _ = cluster.store().remove(&Key::of(&s));
        }
        return;
    };
    let Some(svc) = svc_obj.as_service() else { return };
    let spec = svc.spec.clone().unwrap_or_default();
    let Some(selector) = spec.selector.clone().filter(|s| !s.is_empty()) else {
        return;
    };
    let selector = Selector::from_map(&selector);
    let ports = spec.ports.clone().unwrap_or_default();

    // The selected pods stay shared with the store (no copies); sorted by address.
    let selected = cluster.store().list_selected(Kind::Pod, &key.namespace, &selector);
    let mut pods: Vec<(Option<std::net::Ipv4Addr>, &Pod)> = selected
        .iter()
        .filter(|p| p.meta().deletion_timestamp.is_none())
        .filter_map(|p| p.as_pod())
        // A pod that finished (Succeeded or Failed) serves nothing, ready or not.
        .filter(|p| {
            let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
            !matches!(phase, Some("Succeeded" | "Failed"))
        })
        .filter_map(|p| {
            let ip = p.status.as_ref()?.pod_ip.as_ref()?;
            Some((ip.parse().ok(), p))
        })
        .collect();
    pods.sort_by_key(|(ip, _)| *ip);

    // Group pods by their resolved port list: one subset per distinct list, like the controller.
    let mut subsets: BTreeMap<PortList, (Vec<EndpointAddress>, Vec<EndpointAddress>)> = BTreeMap::new();
    let mut slice_eps: BTreeMap<Vec<(String, i32, String)>, Vec<Endpoint>> = BTreeMap::new();
    for &(_, pod) in &pods {
        let resolved: Vec<(String, i32, String)> = ports
            .iter()
            .filter_map(|sp| {
                let port = target_port(sp, pod)?;
                Some((
                    sp.name.clone().unwrap_or_default(),
                    port,
                    sp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                ))
            })
            .collect();
        if resolved.is_empty() && !ports.is_empty() {
            continue;
        }
        let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
        let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
        let target = ObjectReference {
            kind: Some("Pod".into()),
            name: pod.metadata.name.clone(),
            namespace: pod.metadata.namespace.clone(),
            uid: pod.metadata.uid.clone(),
            ..Default::default()
        };
        let addr = EndpointAddress {
            ip: ip.clone(),
            node_name: node.clone(),
            target_ref: Some(target.clone()),
            ..Default::default()
        };
        let ready = pod_ready(pod);
        let entry = subsets.entry(resolved.clone()).or_default();
        if ready {
            entry.0.push(addr)
        } else {
            entry.1.push(addr)
        }
        slice_eps.entry(resolved).or_default().push(Endpoint {
            addresses: vec![ip],
            conditions: Some(EndpointConditions {
                ready: Some(ready),
                serving: Some(ready),
                terminating: Some(false),
            }),
            node_name: node,
            target_ref: Some(target),
            ..Default::default()
        });
    }

    let subsets: Vec<EndpointSubset> = subsets
        .into_iter()
        .map(|(ps, (ready, not_ready))| EndpointSubset {
            addresses: Some(ready).filter(|v| !v.is_empty()),
            not_ready_addresses: Some(not_ready).filter(|v| !v.is_empty()),
            ports: Some(
                ps.iter()
                    .map(|(name, port, proto)| EndpointPort {
                        name: Some(name.clone()).filter(|n| !n.is_empty()),
                        port: *port,
                        protocol: Some(proto.clone()),
                        ..Default::default()
                    })
                    .collect(),
            ),
        })
        .collect();
    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    labels.insert(
        "endpoints.kubernetes.io/managed-by".into(),
        "endpoint-controller".into(),
    );
    let subsets = Some(subsets).filter(|s| !s.is_empty());
    if cluster.store().get(&ep_key).is_some() {
        let _ = cluster.store().update(&ep_key, |o| {
            if let Object::Endpoints(e) = o {
                e.subsets = subsets.clone();
                e.metadata.labels = Some(labels.clone());
            }
        });
    } else {
        let ep = Endpoints {
            metadata: ObjectMeta {
                name: Some(key.name.clone()),
                namespace: Some(key.namespace.clone()),
                labels: Some(labels),
                ..Default::default()
            },
            subsets,
        };
        let _ = cluster.create(Object::Endpoints(ep));
    }

    // EndpointSlices: one per distinct port list (at least one, possibly empty).
    let existing = slices_of(cluster, &key.namespace, &key.name);
    if slice_eps.is_empty() {
        slice_eps.insert(
            ports
                .iter()
                .map(|sp| {
                    (
                        sp.name.clone().unwrap_or_default(),
                        0,
                        sp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                    )
                })
                .collect(),
            Vec::new(),
        );
    }
    let mut slabels = svc.metadata.labels.clone().unwrap_or_default();
    slabels.insert(SERVICE_NAME_LABEL.into(), key.name.clone());
    slabels.insert(
        "endpointslice.kubernetes.io/managed-by".into(),
        "endpointslice-controller.k8s.io".into(),
    );
    let groups = slice_eps.len();
    for (i, (ps, eps)) in slice_eps.into_iter().enumerate() {
        let slice_ports: Vec<SlicePort> = ps
            .iter()
            .map(|(name, port, proto)| SlicePort {
                name: Some(name.clone()),
                port: Some(*port).filter(|p| *p > 0),
                protocol: Some(proto.clone()),
                ..Default::default()
            })
            .collect();
        let endpoints = eps;
        match existing.get(i) {
            Some(s) => {
                let _ = cluster.store().update(&Key::of(s), |o| {
                    if let Object::EndpointSlice(es) = o {
                        es.endpoints = endpoints.clone();
                        es.ports = Some(slice_ports.clone());
                        es.metadata.labels = Some(slabels.clone());
                    }
                });
            }
            None => {
                let es = EndpointSlice {
                    metadata: ObjectMeta {
                        name: Some(format!("{}-{}", key.name, random_suffix(5))),
                        generate_name: Some(format!("{}-", key.name)),
                        namespace: Some(key.namespace.clone()),
                        labels: Some(slabels.clone()),
                        owner_references: Some(vec![owner_ref(&svc_obj)]),
                        ..Default::default()
                    },
                    address_type: "IPv4".into(),
                    endpoints,
                    ports: Some(slice_ports),
                };
                let _ = cluster.create(Object::EndpointSlice(es));
            }
        }
    }
    for extra in existing.iter().skip(groups) {
        let _ = cluster.store().remove(&Key::of(extra));
    }
}

/// The EndpointSlices of Service `svc`, found through the store's label index (not by scanning
/// every slice in the namespace), in name order.
fn slices_of(cluster: &Cluster, ns: &str, svc: &str) -> Vec<std::sync::Arc<Object>> {
    let selector = Selector(vec![Requirement::Equals(SERVICE_NAME_LABEL.into(), svc.into())]);
    cluster.store().list_selected(Kind::EndpointSlice, ns, &selector)
}
