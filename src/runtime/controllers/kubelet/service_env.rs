//! The Service environment variables a container gets when it starts (`HELLO_SERVICE_HOST` …),
//! and the cache that lets the pods of a namespace started between two Service changes share
//! one map.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::runtime::kinds::Kind;
use crate::runtime::Cluster;

/// Environment variables shared between containers.
pub type SharedEnv = Arc<BTreeMap<String, String>>;

/// [`service_env`], shared while the Services stay the same (with many Services the map is
/// large, and every pod of a namespace started in between gets the same one).
pub fn shared_service_env(cluster: &Cluster, namespace: &str, links: bool) -> Arc<BTreeMap<String, String>> {
    let version = cluster.store().kind_version(Kind::Service);
    let key = (namespace.to_string(), links);
    let mut cache = super::state(cluster).service_env.lock().unwrap();
    if let Some((v, env)) = cache.get(&key) {
        if *v == version {
            return env.clone();
        }
    }
    let env = Arc::new(service_env(cluster, namespace, links));
    cache.insert(key, (version, env.clone()));
    env
}

/// The Service environment variables a container gets at start (docker-link style), for the
/// Services that exist now: those of its namespace (unless `enableServiceLinks: false`) and the
/// `kubernetes` Service.
pub fn service_env(cluster: &Cluster, namespace: &str, links: bool) -> BTreeMap<String, String> {
    let mut services = Vec::new();
    if let Some(k) = cluster.get(Kind::Service, "default", "kubernetes") {
        services.push(k);
    }
    if links {
        services.extend(
            cluster
                .list(Kind::Service, Some(namespace))
                .into_iter()
                .filter(|s| !(namespace == "default" && s.name() == "kubernetes")),
        );
    }
    let mut env = BTreeMap::new();
    for s in services {
        let Some(spec) = s.as_service().and_then(|s| s.spec.as_ref()) else {
            continue;
        };
        let Some(ip) = spec.cluster_ip.as_deref().filter(|ip| *ip != "None" && !ip.is_empty()) else {
            continue;
        };
        let ports = spec.ports.clone().unwrap_or_default();
        let Some(first) = ports.first() else { continue };
        let prefix = s.name().to_ascii_uppercase().replace('-', "_");
        env.insert(format!("{prefix}_SERVICE_HOST"), ip.to_string());
        env.insert(format!("{prefix}_SERVICE_PORT"), first.port.to_string());
        let first_proto = first
            .protocol
            .clone()
            .unwrap_or_else(|| "TCP".into())
            .to_ascii_lowercase();
        env.insert(format!("{prefix}_PORT"), format!("{first_proto}://{ip}:{}", first.port));
        for p in &ports {
            if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                env.insert(
                    format!("{prefix}_SERVICE_PORT_{}", name.to_ascii_uppercase().replace('-', "_")),
                    p.port.to_string(),
                );
            }
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            let base = format!("{prefix}_PORT_{}_{}", p.port, proto.to_ascii_uppercase());
            let lower = proto.to_ascii_lowercase();
            env.insert(base.clone(), format!("{lower}://{ip}:{}", p.port));
            env.insert(format!("{base}_PROTO"), lower);
            env.insert(format!("{base}_PORT"), p.port.to_string());
            env.insert(format!("{base}_ADDR"), ip.to_string());
        }
    }
    env
}
