//! Built-in container images: programs that run inside the lab's pods.

/// The CoreDNS image the seeded `coredns` Deployment runs.
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.0";
