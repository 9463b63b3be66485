//! Cluster DNS, per the Kubernetes DNS specification: `<svc>.<ns>.svc.cluster.local` → the
//! ClusterIP (headless: the ready pod IPs), `<a-b-c-d>.<ns>.pod.cluster.local` → that IP, and the
//! pod's search path (`<ns>.svc.cluster.local svc.cluster.local cluster.local`, `ndots:5`).
//!
//! The resolver answers in-process for the lab's own clients (curl in a pod, the frontend's
//! nginx); the same answers back the real DNS server on a loopback port.

use std::net::Ipv4Addr;

use super::Origin;
use crate::runtime::kinds::Kind;
use crate::runtime::Cluster;

pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// The search path of a pod in `namespace`.
pub fn search_path(namespace: &str) -> Vec<String> {
    vec![format!("{namespace}.svc.{CLUSTER_DOMAIN}"), format!("svc.{CLUSTER_DOMAIN}"), CLUSTER_DOMAIN.to_string()]
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
    let Some(rest) = fqdn.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else { return vec![] };
    let parts: Vec<&str> = rest.split('.').collect();
    match parts.as_slice() {
        [svc, ns, "svc"] => {
            let Some(obj) = cluster.get(Kind::Service, ns, svc) else { return vec![] };
            let Some(spec) = obj.as_service().and_then(|s| s.spec.as_ref()) else { return vec![] };
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
    let Some(ep) = cluster.get(Kind::Endpoints, ns, svc) else { return vec![] };
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

/// Resolve a host name as a client at `origin` would: IP literals as they are, `localhost`,
/// and cluster names only from inside the cluster (a pod's resolver points at kube-dns; the
/// host's and the nodes' do not). Returns the name that answered and its addresses.
pub fn resolve(cluster: &Cluster, origin: &Origin, name: &str) -> Option<(String, Vec<Ipv4Addr>)> {
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return Some((name.to_string(), vec![ip]));
    }
    if name.eq_ignore_ascii_case("localhost") {
        return Some((name.to_string(), vec![Ipv4Addr::LOCALHOST]));
    }
    let Origin::Pod { namespace, .. } = origin else { return None };
    candidates(name, namespace).into_iter().find_map(|c| {
        let ips = lookup_a(cluster, &c);
        (!ips.is_empty()).then_some((c, ips))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_go_through_the_search_path_first() {
        assert_eq!(
            candidates("hello", "default"),
            ["hello.default.svc.cluster.local", "hello.svc.cluster.local", "hello.cluster.local", "hello"]
        );
        assert_eq!(candidates("hello.default.svc.cluster.local.", "x"), ["hello.default.svc.cluster.local"]);
    }

    #[tokio::test(start_paused = true)]
    async fn services_resolve_from_pods_only() {
        let cluster = Cluster::start(Default::default()).await.unwrap();
        let pod = Origin::Pod { namespace: "default".into(), name: "p".into(), ip: Ipv4Addr::new(10, 244, 0, 2) };
        let (name, ips) = resolve(&cluster, &pod, "kubernetes").unwrap();
        assert_eq!(name, "kubernetes.default.svc.cluster.local");
        assert_eq!(ips, vec![Ipv4Addr::new(10, 96, 0, 1)]);
        let (_, ips) = resolve(&cluster, &pod, "kube-dns.kube-system").unwrap();
        assert_eq!(ips, vec![Ipv4Addr::new(10, 96, 0, 10)]);
        assert!(resolve(&cluster, &pod, "nope").is_none());
        assert!(resolve(&cluster, &Origin::Host, "kubernetes").is_none());
        cluster.shutdown();
    }
}
