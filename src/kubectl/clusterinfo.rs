//! `kubectl cluster-info`: where the control plane is, and the cluster's add-on Services.
//!
//! kubectl lists the Services labelled `kubernetes.io/cluster-service=true` in `kube-system`
//! (or `-n`): the lab's CoreDNS `kube-dns` is one. Each is shown as the API server's proxy URL for
//! it, or its load-balancer address if it has one. The API server URL is the one the lab's
//! kubeconfig names ([`super::config::api_server_url`]). kubectl colours the names green and the
//! links yellow; the lab does so only on a real terminal, where the codes show as colours.

use super::args::Parsed;
use super::config::api_server_url;
use super::{fail, Ctx};
use crate::io::Output;
use crate::runtime::selectors::Selector;
use crate::runtime::{Kind, Object};

/// go-colortext's codes for `ct.Green`, `ct.Yellow` and `ct.ResetColor`.
const GREEN: &str = "\x1b[0;32m";
const YELLOW: &str = "\x1b[0;33m";
const RESET: &str = "\x1b[0m";

/// `kubectl cluster-info`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    if p.positional.first().map(String::as_str) == Some("dump") {
        return fail(out, "k8s-lab does not implement \"kubectl cluster-info dump\"");
    }
    let ns = p.get("namespace").filter(|n| !n.is_empty()).unwrap_or("kube-system");
    let host = api_server_url(ctx.cluster);
    let color = out.is_terminal();
    let line = |name: &str, link: &str| {
        if color {
            out.line(&format!("{GREEN}{name}{RESET} is running at {YELLOW}{link}{RESET}"));
        } else {
            out.line(&format!("{name} is running at {link}"));
        }
    };
    line("Kubernetes control plane", &host);
    let selector = Selector::parse("kubernetes.io/cluster-service=true").expect("a valid selector");
    let mut services = ctx.cluster.list(Kind::Service, Some(ns));
    services.retain(|s| selector.matches(s.labels()));
    services.sort_by(|a, b| a.name().cmp(b.name()));
    for s in services {
        let Object::Service(svc) = s.as_ref() else { continue };
        let name = s
            .labels()
            .get("kubernetes.io/name")
            .cloned()
            .unwrap_or_else(|| s.name().to_string());
        line(&name, &link(&host, svc));
    }
    out.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    0
}

/// Where kubectl says a Service runs: every port on its load-balancer address, or else the API
/// server's proxy path for its first port (`kube-dns:dns`, with `https:` when it looks like TLS).
fn link(host: &str, svc: &k8s_openapi::api::core::v1::Service) -> String {
    let ports = svc.spec.as_ref().and_then(|s| s.ports.clone()).unwrap_or_default();
    let ingress = svc
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .and_then(|i| i.first());
    if let Some(ing) = ingress {
        let ip = ing
            .ip
            .clone()
            .filter(|ip| !ip.is_empty())
            .or_else(|| ing.hostname.clone())
            .unwrap_or_default();
        return ports.iter().map(|p| format!("http://{ip}:{} ", p.port)).collect();
    }
    let name = svc.metadata.name.clone().unwrap_or_default();
    let namespace = svc.metadata.namespace.clone().unwrap_or_default();
    let path_name = match ports.first() {
        Some(port) => {
            let port_name = port.name.clone().unwrap_or_default();
            let scheme = if port_name == "https" || port.port == 443 {
                "https"
            } else {
                ""
            };
            join_scheme_name_port(scheme, &name, &port_name)
        }
        None => name,
    };
    format!("{host}/api/v1/namespaces/{namespace}/services/{path_name}/proxy")
}

/// apimachinery's `JoinSchemeNamePort`: `scheme:name:port`, `name:port` or `name`.
fn join_scheme_name_port(scheme: &str, name: &str, port: &str) -> String {
    if !scheme.is_empty() {
        format!("{scheme}:{name}:{port}")
    } else if !port.is_empty() {
        format!("{name}:{port}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};
    use crate::runtime::{Key, Object};
    use crate::workspace::Workspace;

    const PLAIN: &str = "Kubernetes control plane is running at https://127.0.2.1:8443\nCoreDNS is running at https://127.0.2.1:8443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";

    #[tokio::test(start_paused = true)]
    async fn control_plane_and_coredns_plain_when_not_a_terminal() {
        let c = cluster().await;
        assert_eq!(kubectl(&c, "cluster-info").await, (0, PLAIN.to_string()));
        // Another namespace has no cluster services: only the control plane.
        assert_eq!(
            kubectl(&c, "cluster-info -n default").await.1,
            "Kubernetes control plane is running at https://127.0.2.1:8443\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn colours_on_a_terminal() {
        let c = cluster().await;
        let (out, buf) = Output::buffer();
        let out = out.with_terminal(true);
        let ws = Workspace::new(std::env::temp_dir());
        let ctx = Ctx {
            cluster: &c,
            workspace: &ws,
            stdin: None,
        };
        assert_eq!(crate::kubectl::run(&ctx, &["cluster-info".to_string()], &out).await, 0);
        assert!(
            buf.text().starts_with(
                "\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33mhttps://127.0.2.1:8443\x1b[0m\n\x1b[0;32mCoreDNS\x1b[0m is running at \x1b[0;33mhttps://"
            ),
            "{:?}",
            buf.text()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn load_balancer_services_show_their_address() {
        let c = cluster().await;
        let key = Key::new(Kind::Service, "kube-system", "kube-dns");
        c.modify_status(key.kind, &key.namespace, &key.name, |o| {
            if let Object::Service(s) = o {
                s.status =
                    serde_json::from_value(serde_json::json!({"loadBalancer": {"ingress": [{"ip": "127.0.1.9"}]}}))
                        .unwrap();
            }
        })
        .unwrap();
        let (_, t) = kubectl(&c, "cluster-info").await;
        assert!(
            t.contains("\nCoreDNS is running at http://127.0.1.9:53 http://127.0.1.9:53 http://127.0.1.9:9153 \n"),
            "{t}"
        );
    }

    #[test]
    fn proxy_names() {
        assert_eq!(
            join_scheme_name_port("https", "kubernetes", "https"),
            "https:kubernetes:https"
        );
        assert_eq!(join_scheme_name_port("", "kube-dns", ""), "kube-dns");
    }
}
