//! The kubelet's probes: `httpGet`, `tcpSocket` and `exec` checks against a running container,
//! with the prober's failure messages (`HTTP probe failed with statuscode: 503`,
//! `dial tcp 10.244.1.5:8080: connect: connection refused`).
//!
//! Probes come from the pod's node, as the kubelet's do, so they show up in the traffic view
//! and in nginx's access log with the `kube-probe/1.33` user agent.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Container, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::RunningPod;
use crate::io::Output;
use crate::runtime::net::http::{self, FetchError, FetchRequest};
use crate::runtime::net::{tls, Origin};
use crate::runtime::pod_shell;
use crate::runtime::Cluster;

/// Which probe: the word the kubelet uses in events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Startup,
    Readiness,
    Liveness,
}

impl ProbeKind {
    pub fn word(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
        }
    }
}

/// A probe with the API's defaults filled in.
#[derive(Debug, Clone)]
pub struct ProbeSpec {
    pub kind: ProbeKind,
    pub action: Action,
    pub initial_delay: Duration,
    pub period: Duration,
    pub timeout: Duration,
    pub success_threshold: u32,
    pub failure_threshold: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Http {
        https: bool,
        host: Option<String>,
        port: u16,
        path: String,
        headers: Vec<(String, String)>,
    },
    Tcp {
        host: Option<String>,
        port: u16,
    },
    Exec(Vec<String>),
    /// A probe the lab cannot run (unresolvable named port, gRPC); always fails with this.
    Unsupported(String),
}

/// The container's probe of `kind`, if it has one.
pub fn probe_spec(container: &Container, kind: ProbeKind) -> Option<ProbeSpec> {
    let p: &Probe = match kind {
        ProbeKind::Startup => container.startup_probe.as_ref(),
        ProbeKind::Readiness => container.readiness_probe.as_ref(),
        ProbeKind::Liveness => container.liveness_probe.as_ref(),
    }?;
    let secs = |v: Option<i32>, d: i32| Duration::from_secs(v.unwrap_or(d).max(0) as u64);
    Some(ProbeSpec {
        kind,
        action: action(container, p),
        initial_delay: secs(p.initial_delay_seconds, 0),
        period: secs(p.period_seconds, 10).max(Duration::from_secs(1)),
        timeout: secs(p.timeout_seconds, 1).max(Duration::from_secs(1)),
        success_threshold: p.success_threshold.unwrap_or(1).max(1) as u32,
        failure_threshold: p.failure_threshold.unwrap_or(3).max(1) as u32,
    })
}

/// A named port resolves against the container's own ports.
fn port_number(container: &Container, port: &IntOrString) -> Result<u16, String> {
    match port {
        IntOrString::Int(n) => u16::try_from(*n).map_err(|_| format!("invalid port number: {n}")),
        IntOrString::String(name) => container
            .ports
            .iter()
            .flatten()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .and_then(|p| u16::try_from(p.container_port).ok())
            .ok_or_else(|| format!("couldn't find port: {name} in {}", container.name)),
    }
}

fn action(container: &Container, p: &Probe) -> Action {
    if let Some(h) = &p.http_get {
        return match port_number(container, &h.port) {
            Ok(port) => Action::Http {
                https: h.scheme.as_deref() == Some("HTTPS"),
                host: h.host.clone().filter(|h| !h.is_empty()),
                port,
                path: h.path.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| "/".into()),
                headers: h
                    .http_headers
                    .iter()
                    .flatten()
                    .map(|h| (h.name.clone(), h.value.clone()))
                    .collect(),
            },
            Err(e) => Action::Unsupported(e),
        };
    }
    if let Some(t) = &p.tcp_socket {
        return match port_number(container, &t.port) {
            Ok(port) => Action::Tcp {
                host: t.host.clone().filter(|h| !h.is_empty()),
                port,
            },
            Err(e) => Action::Unsupported(e),
        };
    }
    if let Some(e) = &p.exec {
        return Action::Exec(e.command.clone().unwrap_or_default());
    }
    if p.grpc.is_some() {
        return Action::Unsupported("gRPC probes are not supported in the lab".into());
    }
    Action::Unsupported("probe has no handler".into())
}

/// Run one probe against `pod`'s container `container`. `Err` is the prober's message.
pub async fn run(
    cluster: &Cluster,
    pod: &Arc<RunningPod>,
    container: &str,
    node_ip: Ipv4Addr,
    spec: &ProbeSpec,
) -> Result<(), String> {
    let origin = Origin::Node {
        name: pod.node.clone(),
        ip: node_ip,
    };
    let attempt = async {
        match &spec.action {
            Action::Http {
                https,
                host,
                port,
                path,
                headers,
            } => http_probe(cluster, &origin, pod, *https, host.as_deref(), *port, path, headers).await,
            Action::Tcp { host, port } => {
                let host = host.clone().unwrap_or_else(|| pod.ip.to_string());
                http::connect(cluster, &origin, &host, *port)
                    .await
                    .map(drop)
                    .map_err(|_| format!("dial tcp {host}:{port}: connect: connection refused"))
            }
            Action::Exec(argv) if argv.is_empty() => Err("exec probe has no command".into()),
            Action::Exec(argv) => {
                let (out, buf) = Output::buffer();
                match pod_shell::run_in_pod(cluster, pod, Some(container), argv, None, &out).await {
                    0 => Ok(()),
                    _ => Err(buf.text().trim_end().to_string()),
                }
            }
            Action::Unsupported(why) => Err(why.clone()),
        }
    };
    match cluster.clock().timeout(spec.timeout, attempt).await {
        Ok(r) => r,
        Err(_) => Err(match &spec.action {
            Action::Http { .. } => "context deadline exceeded (Client.Timeout exceeded while awaiting headers)".into(),
            _ => format!("command timed out after {}s", spec.timeout.as_secs()),
        }),
    }
}

#[allow(clippy::too_many_arguments)]
async fn http_probe(
    cluster: &Cluster,
    origin: &Origin,
    pod: &RunningPod,
    https: bool,
    host: Option<&str>,
    port: u16,
    path: &str,
    headers: &[(String, String)],
) -> Result<(), String> {
    let host = host.map(str::to_string).unwrap_or_else(|| pod.ip.to_string());
    let scheme = if https { "https" } else { "http" };
    let url = format!("{scheme}://{host}:{port}{path}");
    let refused = |e: FetchError| match e {
        FetchError::Refused { .. } => {
            format!("Get \"{url}\": dial tcp {host}:{port}: connect: connection refused")
        }
        other => format!("Get \"{url}\": {other}"),
    };
    let mut req = FetchRequest::get(&host, port, path);
    req.headers = vec![
        ("Host".into(), format!("{host}:{port}")),
        ("User-Agent".into(), "kube-probe/1.33".into()),
        ("Accept".into(), "*/*".into()),
    ];
    req.headers.extend(headers.iter().cloned());
    let (stream, _) = http::connect(cluster, origin, &host, port).await.map_err(refused)?;
    let response = if https {
        // The kubelet does not verify the certificate of an HTTPS probe.
        let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| e.to_string())?;
        let tls_stream = tokio_rustls::TlsConnector::from(tls::client_config(tls::Trust::Insecure))
            .connect(name, stream)
            .await
            .map_err(|e| format!("Get \"{url}\": {e}"))?;
        http::send(tls_stream, &req).await
    } else {
        http::send(stream, &req).await
    };
    let (resp, _) = response.map_err(|e| format!("Get \"{url}\": {e}"))?;
    if (200..400).contains(&resp.status) {
        Ok(())
    } else {
        Err(format!("HTTP probe failed with statuscode: {}", resp.status))
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{ContainerPort, ExecAction, HTTPGetAction, TCPSocketAction};

    use super::*;

    fn container(probe: Probe) -> Container {
        Container {
            name: "web".into(),
            ports: Some(vec![ContainerPort {
                name: Some("http".into()),
                container_port: 8080,
                ..Default::default()
            }]),
            readiness_probe: Some(probe),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_and_named_ports_follow_the_api() {
        let c = container(Probe {
            http_get: Some(HTTPGetAction {
                port: IntOrString::String("http".into()),
                path: Some("/healthz".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
        let s = probe_spec(&c, ProbeKind::Readiness).unwrap();
        assert_eq!(s.period, Duration::from_secs(10));
        assert_eq!(s.timeout, Duration::from_secs(1));
        assert_eq!((s.success_threshold, s.failure_threshold), (1, 3));
        assert_eq!(
            s.action,
            Action::Http {
                https: false,
                host: None,
                port: 8080,
                path: "/healthz".into(),
                headers: vec![]
            }
        );
        assert!(probe_spec(&c, ProbeKind::Liveness).is_none());

        let c = container(Probe {
            tcp_socket: Some(TCPSocketAction {
                port: IntOrString::String("grpc".into()),
                ..Default::default()
            }),
            period_seconds: Some(2),
            ..Default::default()
        });
        let s = probe_spec(&c, ProbeKind::Readiness).unwrap();
        assert_eq!(s.period, Duration::from_secs(2));
        assert_eq!(s.action, Action::Unsupported("couldn't find port: grpc in web".into()));

        let c = container(Probe {
            exec: Some(ExecAction {
                command: Some(vec!["cat".into(), "/tmp/healthy".into()]),
            }),
            ..Default::default()
        });
        assert_eq!(
            probe_spec(&c, ProbeKind::Readiness).unwrap().action,
            Action::Exec(vec!["cat".into(), "/tmp/healthy".into()])
        );
    }
}
