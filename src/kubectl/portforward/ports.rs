//! The port arguments of `port-forward`: `8080:80`, `80`, `:80` (any free local port),
//! `8080:http` (a named container port) and, for a Service, its port mapped to the pod's
//! target port — the Service itself is never used, only the pod behind it. Each step has
//! kubectl's own error (`Service web does not have a service port 81`).

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::ForwardedPort;
use crate::runtime::Object;

/// kubectl's `splitPort`: `LOCAL:REMOTE`, or one port for both (also for malformed input, which
/// [`parse`] rejects later).
fn split_port(spec: &str) -> (&str, &str) {
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() == 2 {
        (parts[0], parts[1])
    } else {
        (parts[0], parts[0])
    }
}

fn pod_of(obj: &Object) -> &Pod {
    obj.as_pod().expect("attachable_pod returns pods")
}

/// kubectl's `LookupContainerPortNumberByName`.
fn container_port_by_name(pod: &Pod, name: &str, pod_name: &str) -> Result<i32, String> {
    let spec = pod.spec.as_ref();
    let containers = spec
        .map(|s| s.containers.iter().chain(s.init_containers.iter().flatten()))
        .into_iter()
        .flatten();
    for c in containers {
        if let Some(p) = c
            .ports
            .iter()
            .flatten()
            .find(|p| p.name.as_deref().unwrap_or("") == name)
        {
            return Ok(p.container_port);
        }
    }
    Err(format!("Pod '{pod_name}' does not have a named port '{name}'"))
}

/// Ports (by number) only ever forwarded over UDP, which port-forward cannot carry.
fn udp_only(ports: impl Iterator<Item = (i32, String)>) -> BTreeSet<i32> {
    let (mut udp, mut tcp) = (BTreeSet::new(), BTreeSet::new());
    for (port, proto) in ports {
        match proto.as_str() {
            "UDP" => udp.insert(port),
            _ => tcp.insert(port),
        };
    }
    udp.difference(&tcp).copied().collect()
}

fn refuse_udp(udp: &BTreeSet<i32>, port: i32, typed: &str) -> Result<(), String> {
    if udp.contains(&port) {
        return Err(format!("UDP protocol is not supported for {typed}"));
    }
    Ok(())
}

/// Ports for a pod (or a controller's pod): named remote ports become numbers.
pub fn for_pod(specs: &[String], pod_obj: &Object) -> Result<Vec<String>, String> {
    let pod = pod_of(pod_obj);
    let name = pod_obj.name();
    let udp = udp_only(
        pod.spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .flat_map(|c| c.ports.iter().flatten())
            .map(|p| (p.container_port, p.protocol.clone().unwrap_or_else(|| "TCP".into()))),
    );
    for spec in specs {
        let (_, remote) = split_port(spec);
        let number = match remote.parse::<i32>() {
            Ok(n) => n,
            Err(_) => container_port_by_name(pod, remote, name)?,
        };
        refuse_udp(&udp, number, remote)?;
    }
    let mut out = Vec::new();
    for spec in specs {
        let (local, remote) = split_port(spec);
        if remote.is_empty() {
            return Err("remote port cannot be empty".into());
        }
        let number = match remote.parse::<i32>() {
            Ok(_) => remote.to_string(),
            Err(_) => container_port_by_name(pod, remote, name)?.to_string(),
        };
        out.push(if local != remote {
            format!("{local}:{number}")
        } else {
            number
        });
    }
    Ok(out)
}

/// Ports for a Service: the Service port (by number or name) becomes the target port of the pod
/// that was picked (kubectl's `translateServicePortToTargetPort`).
pub fn for_service(specs: &[String], svc: &Service, pod_obj: &Object) -> Result<Vec<String>, String> {
    let pod = pod_of(pod_obj);
    let svc_name = svc.metadata.name.clone().unwrap_or_default();
    let spec = svc.spec.clone().unwrap_or_default();
    let svc_ports = spec.ports.clone().unwrap_or_default();
    let by_name = |name: &str| {
        svc_ports
            .iter()
            .find(|p| p.name.as_deref().unwrap_or("") == name)
            .map(|p| p.port)
            .ok_or_else(|| format!("Service '{svc_name}' does not have a named port '{name}'"))
    };
    let udp = udp_only(
        svc_ports
            .iter()
            .map(|p| (p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into()))),
    );
    for s in specs {
        let (_, remote) = split_port(s);
        let number = match remote.parse::<i32>() {
            Ok(n) => n,
            Err(_) => by_name(remote)?,
        };
        refuse_udp(&udp, number, remote)?;
    }
    let mut out = Vec::new();
    for s in specs {
        let (local, remote) = split_port(s);
        let mut local = local.to_string();
        let number = match remote.parse::<i32>() {
            Ok(n) => n,
            Err(_) => {
                let n = by_name(remote)?;
                if local == remote {
                    local = n.to_string();
                }
                n
            }
        };
        let target = if spec.cluster_ip.as_deref() == Some("None") {
            number
        } else {
            let port = svc_ports
                .iter()
                .find(|p| p.port == number)
                .ok_or_else(|| format!("Service {svc_name} does not have a service port {number}"))?;
            match &port.target_port {
                None | Some(IntOrString::Int(0)) => port.port,
                Some(IntOrString::Int(n)) => *n,
                Some(IntOrString::String(name)) => container_port_by_name(pod, name, pod_obj.name())?,
            }
        };
        let remote = target.to_string();
        out.push(if local != remote {
            format!("{local}:{remote}")
        } else {
            remote
        });
    }
    Ok(out)
}

/// Go's `strconv.ParseUint(s, 10, 16)` and its error text.
fn parse_u16(s: &str) -> Result<u16, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.ParseUint: parsing {s:?}: invalid syntax"));
    }
    s.parse::<u16>()
        .map_err(|_| format!("strconv.ParseUint: parsing {s:?}: value out of range"))
}

/// client-go's `parsePorts`: the final `LOCAL:REMOTE` pairs (`:5000` and `0:5000` pick any free
/// local port).
pub fn parse(specs: &[String]) -> Result<Vec<ForwardedPort>, String> {
    let mut out = Vec::new();
    for spec in specs {
        let parts: Vec<&str> = spec.split(':').collect();
        let (local, remote) = match parts.as_slice() {
            [one] => (*one, *one),
            [l, r] => (if l.is_empty() { "0" } else { *l }, *r),
            _ => return Err(format!("invalid port format '{spec}'")),
        };
        let local = parse_u16(local).map_err(|e| format!("error parsing local port '{local}': {e}"))?;
        let remote = parse_u16(remote).map_err(|e| format!("error parsing remote port '{remote}': {e}"))?;
        if remote == 0 {
            return Err("remote port must be > 0".into());
        }
        out.push(ForwardedPort { local, remote });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn pod() -> Object {
        Object::Pod(
            serde_json::from_value(json!({
                "metadata": {"name": "web-1"},
                "spec": {"containers": [{"name": "web", "ports": [
                    {"name": "http", "containerPort": 8080},
                    {"name": "stats", "containerPort": 9000, "protocol": "UDP"}
                ]}]}
            }))
            .unwrap(),
        )
    }

    fn svc() -> Service {
        serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"clusterIP": "10.96.0.20", "ports": [
                {"name": "front", "port": 80, "targetPort": "http"},
                {"name": "alt", "port": 81, "targetPort": 8081},
                {"name": "metrics", "port": 9000, "protocol": "UDP", "targetPort": 9000}
            ]}
        }))
        .unwrap()
    }

    #[test]
    fn pod_ports_resolve_names() {
        assert_eq!(
            for_pod(&s(&["8888:http", "80", ":80"]), &pod()).unwrap(),
            s(&["8888:8080", "80", ":80"])
        );
        assert_eq!(for_pod(&s(&["http"]), &pod()).unwrap(), s(&["8080"]));
        assert_eq!(
            for_pod(&s(&["8080:nope"]), &pod()).unwrap_err(),
            "Pod 'web-1' does not have a named port 'nope'"
        );
        // kubectl looks the empty name up first: only a pod with an unnamed port gets further.
        assert_eq!(
            for_pod(&s(&["8080:"]), &pod()).unwrap_err(),
            "Pod 'web-1' does not have a named port ''"
        );
        let unnamed = Object::Pod(
            serde_json::from_value(json!({
                "metadata": {"name": "web-2"},
                "spec": {"containers": [{"name": "web", "ports": [{"containerPort": 80}]}]}
            }))
            .unwrap(),
        );
        assert_eq!(
            for_pod(&s(&["8080:"]), &unnamed).unwrap_err(),
            "remote port cannot be empty"
        );
        assert_eq!(
            for_pod(&s(&["9000"]), &pod()).unwrap_err(),
            "UDP protocol is not supported for 9000"
        );
    }

    #[test]
    fn service_ports_become_target_ports() {
        let p = pod();
        assert_eq!(for_service(&s(&["8080:80"]), &svc(), &p).unwrap(), s(&["8080"]));
        assert_eq!(for_service(&s(&["80"]), &svc(), &p).unwrap(), s(&["80:8080"]));
        assert_eq!(for_service(&s(&["front"]), &svc(), &p).unwrap(), s(&["80:8080"]));
        assert_eq!(for_service(&s(&[":81"]), &svc(), &p).unwrap(), s(&[":8081"]));
        assert_eq!(
            for_service(&s(&["82"]), &svc(), &p).unwrap_err(),
            "Service web does not have a service port 82"
        );
        assert_eq!(
            for_service(&s(&["x"]), &svc(), &p).unwrap_err(),
            "Service 'web' does not have a named port 'x'"
        );
        assert_eq!(
            for_service(&s(&["metrics"]), &svc(), &p).unwrap_err(),
            "UDP protocol is not supported for metrics"
        );
    }

    #[test]
    fn final_ports_parse_like_client_go() {
        assert_eq!(
            parse(&s(&["8080:80", ":443", "5000"])).unwrap(),
            vec![
                ForwardedPort {
                    local: 8080,
                    remote: 80
                },
                ForwardedPort { local: 0, remote: 443 },
                ForwardedPort {
                    local: 5000,
                    remote: 5000
                }
            ]
        );
        assert_eq!(parse(&s(&["1:2:3"])).unwrap_err(), "invalid port format '1:2:3'");
        assert_eq!(
            parse(&s(&["abc:80"])).unwrap_err(),
            "error parsing local port 'abc': strconv.ParseUint: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            parse(&s(&["8080:70000"])).unwrap_err(),
            "error parsing remote port '70000': strconv.ParseUint: parsing \"70000\": value out of range"
        );
        assert_eq!(parse(&s(&["8080:0"])).unwrap_err(), "remote port must be > 0");
    }
}
