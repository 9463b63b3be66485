//! Cluster DNS, per the Kubernetes DNS specification: `<svc>.<ns>.svc.cluster.local` → the
//! ClusterIP (headless: the ready pod IPs), `<a-b-c-d>.<ns>.pod.cluster.local` → that IP, and the
//! pod's search path (`<ns>.svc.cluster.local svc.cluster.local cluster.local`, `ndots:5`).
//!
//! These records are what CoreDNS answers: the kube-dns Service's pod serves them as real DNS
//! packets to the pods' resolvers ([`super::resolver`]), and the DNS server on a loopback port
//! serves them to the learner's own shell.

use std::net::Ipv4Addr;

use crate::runtime::kinds::Kind;
use crate::runtime::Cluster;

pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// The search path of a pod in `namespace`.
pub fn search_path(namespace: &str) -> Vec<String> {
    vec![
        format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
        format!("svc.{CLUSTER_DOMAIN}"),
        CLUSTER_DOMAIN.to_string(),
    ]
}

/// Names to try for `name`, in order, as a resolver with `ndots:5` does.
pub fn candidates(name: &str, namespace: &str) -> Vec<String> {
    if let Some(abs) = name.strip_suffix('.') {
        return vec![abs.to_string()];
    }
    let mut out = Vec::new();
    let dots = name.matches('.').count();
    if dots >= 5 {
        out.push(name.to_string());
    }
    out.extend(search_path(namespace).iter().map(|s| format!("{name}.{s}")));
    if dots < 5 {
        out.push(name.to_string());
    }
    out
}

/// A-records for a fully qualified name (without the trailing dot).
pub fn lookup_a(cluster: &Cluster, fqdn: &str) -> Vec<Ipv4Addr> {
    let fqdn = fqdn.trim_end_matches('.').to_ascii_lowercase();
    let Some(rest) = fqdn.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else {
        return vec![];
    };
    let parts: Vec<&str> = rest.split('.').collect();
    match parts.as_slice() {
        [svc, ns, "svc"] => {
            let Some(obj) = cluster.get(Kind::Service, ns, svc) else {
                return vec![];
            };
            let Some(spec) = obj.as_service().and_then(|s| s.spec.as_ref()) else {
                return vec![];
            };
            match spec.cluster_ip.as_deref() {
                Some("None") => headless_ips(cluster, ns, svc),
                Some(ip) => ip.parse().into_iter().collect(),
                None => vec![],
            }
        }
        [pod_ip, _ns, "pod"] => pod_ip.replace('-', ".").parse().into_iter().collect(),
        _ => vec![],
    }
}

fn headless_ips(cluster: &Cluster, ns: &str, svc: &str) -> Vec<Ipv4Addr> {
    let Some(ep) = cluster.get(Kind::Endpoints, ns, svc) else {
        return vec![];
    };
    let mut ips: Vec<Ipv4Addr> = ep
        .as_endpoints()
        .and_then(|e| e.subsets.clone())
        .unwrap_or_default()
        .iter()
        .flat_map(|s| s.addresses.clone().unwrap_or_default())
        .filter_map(|a| a.ip.parse().ok())
        .collect();
    ips.sort();
    ips.dedup();
    ips
}

/// One answer record of the cluster zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rec {
    A(Ipv4Addr),
    Cname(String),
    Srv { port: u16, target: String },
    Ptr(String),
}

/// What the cluster's DNS knows about a name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub records: Vec<Rec>,
    /// The name does not exist at all (NXDOMAIN), as opposed to existing without this type.
    pub nxdomain: bool,
    /// The name is outside the zones the lab serves (no upstream: the lab is offline).
    pub outside: bool,
}

/// The record types a query can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QType {
    A,
    Aaaa,
    Srv,
    Ptr,
    Cname,
    Any,
}

/// Answer a query for `fqdn` (no trailing dot needed) the way CoreDNS's kubernetes plugin does.
pub fn lookup(cluster: &Cluster, fqdn: &str, qtype: QType) -> Answer {
    let name = fqdn.trim_end_matches('.').to_ascii_lowercase();
    if let Some(rev) = name.strip_suffix(".in-addr.arpa") {
        let octets: Vec<&str> = rev.split('.').rev().collect();
        let ip = octets.join(".");
        let target = cluster
            .list(Kind::Service, None)
            .into_iter()
            .find(|s| s.as_service().and_then(|s| s.spec.as_ref()?.cluster_ip.as_deref()) == Some(ip.as_str()))
            .map(|s| format!("{}.{}.svc.{CLUSTER_DOMAIN}", s.name(), s.namespace()));
        return match target {
            Some(t) if matches!(qtype, QType::Ptr | QType::Any) => Answer {
                records: vec![Rec::Ptr(t)],
                ..Default::default()
            },
            Some(_) => Answer::default(),
            None => Answer {
                nxdomain: true,
                ..Default::default()
            },
        };
    }
    let Some(rest) = name.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else {
        return Answer {
            outside: true,
            ..Default::default()
        };
    };
    let parts: Vec<&str> = rest.split('.').collect();
    let want_a = matches!(qtype, QType::A | QType::Any);
    match parts.as_slice() {
        [port, proto, svc, ns, "svc"] if port.starts_with('_') && proto.starts_with('_') => {
            let Some(spec) = cluster
                .get(Kind::Service, ns, svc)
                .and_then(|o| o.as_service()?.spec.clone())
            else {
                return Answer {
                    nxdomain: true,
                    ..Default::default()
                };
            };
            let (pname, pproto) = (&port[1..], proto[1..].to_ascii_uppercase());
            let found = spec.ports.unwrap_or_default().into_iter().find(|p| {
                p.name.as_deref() == Some(pname) && p.protocol.as_deref().unwrap_or("TCP").eq_ignore_ascii_case(&pproto)
            });
            match found {
                Some(p) if matches!(qtype, QType::Srv | QType::Any) => Answer {
                    records: vec![Rec::Srv {
                        port: p.port as u16,
                        target: format!("{svc}.{ns}.svc.{CLUSTER_DOMAIN}"),
                    }],
                    ..Default::default()
                },
                Some(_) => Answer::default(),
                None => Answer {
                    nxdomain: true,
                    ..Default::default()
                },
            }
        }
        [svc, ns, "svc"] => {
            let Some(spec) = cluster
                .get(Kind::Service, ns, svc)
                .and_then(|o| o.as_service()?.spec.clone())
            else {
                return Answer {
                    nxdomain: true,
                    ..Default::default()
                };
            };
            if spec.type_.as_deref() == Some("ExternalName") {
                let target = spec.external_name.unwrap_or_default();
                return Answer {
                    records: vec![Rec::Cname(target)],
                    ..Default::default()
                };
            }
            let ips = lookup_a(cluster, &name);
            Answer {
                records: if want_a {
                    ips.into_iter().map(Rec::A).collect()
                } else {
                    vec![]
                },
                ..Default::default()
            }
        }
        [_, ns, "pod"] if cluster.get(Kind::Namespace, "", ns).is_none() => Answer {
            nxdomain: true,
            ..Default::default()
        },
        [_, _, "pod"] => {
            let ips = lookup_a(cluster, &name);
            let nxdomain = ips.is_empty();
            Answer {
                records: if want_a {
                    ips.into_iter().map(Rec::A).collect()
                } else {
                    vec![]
                },
                nxdomain,
                ..Default::default()
            }
        }
        // Namespace- and zone-level names exist but hold no address.
        [_, "svc"] | ["svc"] | [_, "pod"] | ["pod"] => Answer::default(),
        _ => Answer {
            nxdomain: true,
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_go_through_the_search_path_first() {
        assert_eq!(
            candidates("hello", "default"),
            [
                "hello.default.svc.cluster.local",
                "hello.svc.cluster.local",
                "hello.cluster.local",
                "hello"
            ]
        );
        assert_eq!(
            candidates("hello.default.svc.cluster.local.", "x"),
            ["hello.default.svc.cluster.local"]
        );
    }
}
