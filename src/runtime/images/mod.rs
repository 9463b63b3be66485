//! Built-in container images: the programs that run inside the lab's pods.
//!
//! An image is a [`Program`]: the TCP ports it listens on and how it answers an HTTP request.
//! The kubelet binds one loopback listener per port, runs the HTTP server around the program
//! ([`server`]), writes access-log lines and reports traffic. An image the catalog does not know
//! cannot be "pulled" (ErrImagePull → ImagePullBackOff), as on a real node.

pub mod bootcamp;
pub mod frontend;
pub mod hello;
pub mod kubia;
pub mod nginx;
pub mod process;
pub mod server;
pub mod tools;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;

use super::net::Origin;
use super::Cluster;
pub use process::ImageCommand;

/// The CoreDNS image the seeded `coredns` Deployment runs.
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.0";

/// An HTTP request as a program sees it.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: String,
    /// Path and query, e.g. `/` or `/index.html?x=1`.
    pub target: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// Who connected (as the pod sees it: the proxy's or the client's address).
    pub peer: SocketAddr,
    /// The container port the request came in on.
    pub port: u16,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An HTTP response from a program.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl HttpResponse {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn text(status: u16, body: impl Into<Bytes>) -> HttpResponse {
        HttpResponse::new(status, "text/plain; charset=utf-8", body)
    }
}

/// What a running container knows about where it runs.
#[derive(Debug, Clone)]
pub struct PodCtx {
    pub cluster: Cluster,
    pub namespace: String,
    pub pod_name: String,
    pub pod_ip: Ipv4Addr,
    pub node: String,
    pub container: String,
    pub image: String,
    /// The container's own variables (PATH, HOSTNAME, HOME, its `env:`); they win over
    /// `service_env`.
    pub env: BTreeMap<String, String>,
    /// The Service variables fixed at start, shared by every pod started with the same Services.
    pub service_env: Arc<BTreeMap<String, String>>,
    /// Files mounted into the container (Secret and ConfigMap volumes), by absolute path.
    pub files: Arc<BTreeMap<String, Vec<u8>>>,
}

impl PodCtx {
    /// One variable as the process sees it.
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env
            .get(name)
            .or_else(|| self.service_env.get(name))
            .map(String::as_str)
    }

    /// Every variable, sorted by name.
    pub fn env_vars(&self) -> Vec<(&str, &str)> {
        let mut all: BTreeMap<&str, &str> = self.service_env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        all.extend(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        all.into_iter().collect()
    }

    pub fn origin(&self) -> Origin {
        Origin::Pod {
            namespace: self.namespace.clone(),
            name: self.pod_name.clone(),
            ip: self.pod_ip,
        }
    }
}

/// A container image's program.
pub trait Program: Send + Sync + 'static {
    /// TCP ports the program listens on inside the pod.
    fn ports(&self) -> Vec<u16>;
    /// Lines the program logs when it starts.
    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        Vec::new()
    }
    /// The TLS configuration of a port that speaks HTTPS.
    fn tls(&self, _port: u16) -> Option<Arc<rustls::ServerConfig>> {
        None
    }
    /// Answer one HTTP request.
    fn handle(&self, ctx: Arc<PodCtx>, req: HttpRequest) -> BoxFuture<'static, HttpResponse>;
    /// Access-log line for a request (nginx's combined format by default).
    fn access_log(&self, ctx: &PodCtx, req: &HttpRequest, resp: &HttpResponse) -> Option<String> {
        Some(server::combined_log_line(ctx, req, resp))
    }
    /// How long the program takes to exit after SIGTERM, given the pod's grace period. Servers
    /// exit at once; a shell as PID 1 ignores SIGTERM and is killed when the grace period ends.
    fn stop_delay(&self, _grace: Duration) -> Duration {
        Duration::from_millis(800)
    }
    /// How the image runs without a `command` (see [`process::main_process`]).
    fn command(&self) -> ImageCommand {
        ImageCommand::Server { binaries: &[] }
    }
    /// The shell prompt of an interactive session (`kubectl run -it`).
    fn prompt(&self) -> &'static str {
        "/ # "
    }
    /// UDP ports the program answers on inside the pod (CoreDNS's 53).
    fn udp_ports(&self) -> Vec<u16> {
        Vec::new()
    }
    /// TCP ports that carry the same messages as the UDP ports, each behind a two-byte length
    /// (DNS over TCP).
    fn framed_tcp_ports(&self) -> Vec<u16> {
        Vec::new()
    }
    /// Answer one datagram that came in on `port` (`None`: no reply).
    fn datagram(&self, _ctx: &PodCtx, _port: u16, _request: &[u8]) -> Option<Vec<u8>> {
        None
    }
}

/// Split `registry/repo:tag` into (repository without `docker.io/library/`, tag).
pub fn parse_image(image: &str) -> (String, String) {
    let (repo, tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (image, "latest"),
    };
    let repo = repo.split('@').next().unwrap_or(repo);
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    (repo.to_string(), tag.to_string())
}

/// Starts an image's program for one container (the program may read the container's files).
pub type Factory = fn(&PodCtx) -> Arc<dyn Program>;

/// The catalog: image repository (and tag, where only one exists) → program.
const CATALOG: &[(&str, Option<&str>, Factory)] = &[
    ("nginx", None, |ctx| Arc::new(nginx::Nginx::from_ctx(ctx))),
    ("bprashanth/nginxhttps", Some("1.0"), |ctx| {
        Arc::new(nginx::Nginx::from_ctx(ctx))
    }),
    ("gcr.io/google-samples/hello-go-gke", Some("1.0"), |_| {
        Arc::new(hello::HelloGo)
    }),
    ("gcr.io/google-samples/hello-frontend", Some("1.0"), |_| {
        Arc::new(frontend::HelloFrontend::new())
    }),
    ("gcr.io/google-samples/kubernetes-bootcamp", Some("v1"), |_| {
        Arc::new(bootcamp::Bootcamp)
    }),
    ("luksa/kubia", None, |_| Arc::new(kubia::Kubia)),
    ("radial/busyboxplus", Some("curl"), |_| {
        Arc::new(tools::Tools::busyboxplus())
    }),
    ("curlimages/curl", None, |_| Arc::new(tools::Tools::curl())),
    ("busybox", None, |_| Arc::new(tools::Tools::plain())),
    ("registry.k8s.io/coredns/coredns", None, |_| Arc::new(tools::CoreDns)),
];

/// The program factory for an image reference, or `None` if the image does not exist.
pub fn lookup(image: &str) -> Option<Factory> {
    let (repo, tag) = parse_image(image);
    CATALOG
        .iter()
        .find(|(r, t, _)| *r == repo && t.is_none_or(|t| t == tag))
        .map(|(_, _, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_are_normalised() {
        assert_eq!(parse_image("nginx"), ("nginx".into(), "latest".into()));
        assert_eq!(
            parse_image("docker.io/library/nginx:1.27"),
            ("nginx".into(), "1.27".into())
        );
        assert_eq!(
            parse_image("localhost:5000/app"),
            ("localhost:5000/app".into(), "latest".into())
        );
        assert!(lookup("gcr.io/google-samples/hello-go-gke:1.0").is_some());
        assert!(lookup("gcr.io/google-samples/hello-go-gke:2.0").is_none());
        assert!(lookup("nginx:1.27").is_some());
        assert!(lookup("ngnix").is_none());
    }
}
