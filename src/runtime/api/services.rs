//! ClusterIP and node-port allocation, as the Service REST strategy and its allocators do.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::Arc;

use k8s_openapi::api::core::v1::Service;

use crate::runtime::error::{ApiError, FieldError};
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::Cluster;

/// The node-port range of a default API server.
pub const NODE_PORT_RANGE: std::ops::RangeInclusive<i32> = 30000..=32767;

impl Cluster {
    /// Allocate ClusterIP and node ports for a new or changed Service, checking conflicts.
    pub(super) fn allocate_service(&self, svc: &mut Service, old: Option<&Service>) -> Result<(), ApiError> {
        let name = svc.metadata.name.clone().unwrap_or_default();
        let my_uid = old.and_then(|o| o.metadata.uid.clone());
        let others: Vec<Arc<Object>> = self
            .list(Kind::Service, None)
            .into_iter()
            .filter(|o| my_uid.is_none() || o.meta().uid != my_uid)
            .collect();
        let spec = svc.spec.get_or_insert_with(Default::default);
        let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
        let old_spec = old.and_then(|o| o.spec.as_ref());
        let mut causes = Vec::new();

        // ClusterIP: kept on update, given or allocated on create.
        if ty != "ExternalName" {
            let old_ip = old_spec.and_then(|s| s.cluster_ip.clone());
            match (&spec.cluster_ip, &old_ip) {
                (Some(new), Some(old)) if !new.is_empty() && new != old => {
                    causes.push(FieldError::invalid(
                        "spec.clusterIPs[0]",
                        format!("[]string{{{new:?}}}"),
                        "may not change once set",
                    ));
                }
                (_, Some(old)) => spec.cluster_ip = Some(old.clone()),
                _ => {}
            }
            let used: HashSet<String> = others
                .iter()
                .filter_map(|o| o.as_service()?.spec.as_ref()?.cluster_ip.clone())
                .collect();
            match spec.cluster_ip.clone().filter(|s| !s.is_empty()) {
                Some(ip) if ip == "None" => {}
                Some(ip) if old_ip.is_none() => match ip.parse::<Ipv4Addr>() {
                    Ok(addr) if crate::runtime::net::addresses::in_service_cidr(addr) => {
                        if used.contains(&ip) {
                            causes.push(FieldError::invalid("spec.clusterIPs", format!("[]string{{{ip:?}}}"), &format!("failed to allocate IP {ip}: provided IP is already allocated")));
                        }
                    }
                    _ => causes.push(FieldError::invalid(
                        "spec.clusterIPs",
                        format!("[]string{{{ip:?}}}"),
                        &format!("failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
                    )),
                },
                Some(_) => {}
                None => spec.cluster_ip = Some(crate::runtime::net::addresses::allocate_cluster_ip(&used).to_string()),
            }
            if let Some(ip) = &spec.cluster_ip {
                spec.cluster_ips = Some(vec![ip.clone()]);
                if ip != "None" {
                    spec.ip_families.get_or_insert_with(|| vec!["IPv4".into()]);
                }
                spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
            }
        } else {
            spec.cluster_ip = None;
            spec.cluster_ips = None;
        }

        // Node ports.
        let wants_node_ports =
            ty == "NodePort" || (ty == "LoadBalancer" && spec.allocate_load_balancer_node_ports != Some(false));
        let mut used_ports: HashSet<i32> = others
            .iter()
            .filter_map(|o| o.as_service()?.spec.as_ref()?.ports.clone())
            .flatten()
            .filter_map(|p| p.node_port)
            .collect();
        let old_ports = old_spec.and_then(|s| s.ports.clone()).unwrap_or_default();
        for (i, p) in spec.ports.iter_mut().flatten().enumerate() {
            if !wants_node_ports {
                if ty == "ClusterIP" || ty == "ExternalName" {
                    p.node_port = None;
                }
                continue;
            }
            if p.node_port.unwrap_or(0) == 0 {
                // Keep what this port had before (kubectl apply does not repeat it).
                p.node_port = old_ports
                    .iter()
                    .find(|o| o.port == p.port && o.protocol == p.protocol)
                    .and_then(|o| o.node_port)
                    .filter(|n| !used_ports.contains(n));
            }
            match p.node_port {
                Some(n) if !NODE_PORT_RANGE.contains(&n) => causes.push(FieldError::invalid(
                    format!("spec.ports[{i}].nodePort"),
                    n,
                    "provided port is not in the valid range. The range of valid ports is 30000-32767",
                )),
                Some(n) if used_ports.contains(&n) => causes.push(FieldError::invalid(
                    format!("spec.ports[{i}].nodePort"),
                    n,
                    "provided port is already allocated",
                )),
                Some(n) => {
                    used_ports.insert(n);
                }
                None => {
                    let free: Vec<i32> = NODE_PORT_RANGE.filter(|n| !used_ports.contains(n)).collect();
                    if free.is_empty() {
                        causes.push(FieldError {
                            field: format!("spec.ports[{i}].nodePort"),
                            detail: "Internal error: range is full".into(),
                        });
                    } else {
                        let n = free[rand::random_range(0..free.len())];
                        used_ports.insert(n);
                        p.node_port = Some(n);
                    }
                }
            }
        }
        if ty != "LoadBalancer" {
            if let Some(st) = svc.status.as_mut() {
                st.load_balancer = Some(Default::default());
            }
        }
        if causes.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid {
                kind: Kind::Service,
                name,
                causes,
            })
        }
    }
}
