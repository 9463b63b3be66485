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
pub mod server;
pub mod tools;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use futures::future::BoxFuture;

use super::net::Origin;
use super::Cluster;

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
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
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
        HttpResponse { status, headers: vec![("Content-Type".into(), content_type.into())], body: body.into() }
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
    pub env: BTreeMap<String, String>,
}

impl PodCtx {
    pub fn origin(&self) -> Origin {
        Origin::Pod { namespace: self.namespace.clone(), name: self.pod_name.clone(), ip: self.pod_ip }
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
    /// Answer one HTTP request.
    fn handle(&self, ctx: Arc<PodCtx>, req: HttpRequest) -> BoxFuture<'static, HttpResponse>;
    /// Access-log line for a request (nginx's combined format by default).
    fn access_log(&self, ctx: &PodCtx, req: &HttpRequest, resp: &HttpResponse) -> Option<String> {
        Some(server::combined_log_line(ctx, req, resp))
    }
    /// The shell prompt of an interactive session (`kubectl run -it`).
    fn prompt(&self) -> &'static str {
        "/ # "
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

/// The program for an image reference, or `None` if the image does not exist.
pub fn lookup(image: &str) -> Option<Arc<dyn Program>> {
    let (repo, tag) = parse_image(image);
    Some(match (repo.as_str(), tag.as_str()) {
        ("nginx", _) => Arc::new(nginx::Nginx::plain()),
        ("gcr.io/google-samples/hello-go-gke", "1.0") => Arc::new(hello::HelloGo),
        ("gcr.io/google-samples/hello-frontend", "1.0") => Arc::new(frontend::HelloFrontend),
        ("gcr.io/google-samples/kubernetes-bootcamp", "v1") => Arc::new(bootcamp::Bootcamp),
        ("luksa/kubia", _) => Arc::new(kubia::Kubia),
        ("radial/busyboxplus", "curl") => Arc::new(tools::Tools::busyboxplus()),
        ("curlimages/curl", _) | ("busybox", _) => Arc::new(tools::Tools::plain()),
        ("registry.k8s.io/coredns/coredns", _) => Arc::new(tools::CoreDns),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_are_normalised() {
        assert_eq!(parse_image("nginx"), ("nginx".into(), "latest".into()));
        assert_eq!(parse_image("docker.io/library/nginx:1.27"), ("nginx".into(), "1.27".into()));
        assert_eq!(parse_image("localhost:5000/app"), ("localhost:5000/app".into(), "latest".into()));
        assert!(lookup("gcr.io/google-samples/hello-go-gke:1.0").is_some());
        assert!(lookup("gcr.io/google-samples/hello-go-gke:2.0").is_none());
        assert!(lookup("nginx:1.27").is_some());
        assert!(lookup("ngnix").is_none());
    }
}
