//! Images without a server: `radial/busyboxplus:curl`, `curlimages/curl`, `busybox` (shells for
//! `kubectl exec` and `kubectl run -it`), and CoreDNS, whose DNS answers come from the lab's
//! resolver ([`crate::runtime::net`]) rather than from a socket in the pod.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;

use super::{HttpRequest, HttpResponse, PodCtx, Program};

pub struct Tools {
    prompt: &'static str,
    command: &'static [&'static str],
}

impl Tools {
    /// `radial/busyboxplus:curl`: busybox with curl; runs `/bin/sh`.
    pub fn busyboxplus() -> Tools {
        Tools {
            prompt: "[ root@curl:/ ]$ ",
            command: &["/bin/sh"],
        }
    }
    /// `busybox`: runs `sh`.
    pub fn plain() -> Tools {
        Tools {
            prompt: "/ # ",
            command: &["sh"],
        }
    }
    /// `curlimages/curl`: its entrypoint runs `curl`.
    pub fn curl() -> Tools {
        Tools {
            prompt: "/ # ",
            command: &["curl"],
        }
    }
}

impl Program for Tools {
    fn ports(&self) -> Vec<u16> {
        Vec::new()
    }

    fn handle(&self, _ctx: Arc<PodCtx>, _req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        Box::pin(async { HttpResponse::text(404, "") })
    }

    fn prompt(&self) -> &'static str {
        self.prompt
    }

    fn command(&self) -> super::ImageCommand {
        super::ImageCommand::Tool { argv: self.command }
    }

    fn stop_delay(&self, grace: Duration) -> Duration {
        grace
    }
}

/// CoreDNS: answers DNS on 53 (UDP, and TCP behind a length) from the cluster's records, and
/// serves its health (:8080 `/health`) and metrics (:9153) endpoints over HTTP.
pub struct CoreDns;

impl Program for CoreDns {
    fn command(&self) -> super::ImageCommand {
        super::ImageCommand::Server { binaries: &["coredns"] }
    }

    fn ports(&self) -> Vec<u16> {
        vec![8080, 9153]
    }

    fn udp_ports(&self) -> Vec<u16> {
        vec![53]
    }

    fn framed_tcp_ports(&self) -> Vec<u16> {
        vec![53]
    }

    fn datagram(&self, ctx: &PodCtx, port: u16, request: &[u8]) -> Option<Vec<u8>> {
        (port == 53)
            .then(|| crate::runtime::net::dns_server::answer(&ctx.cluster, request))
            .flatten()
    }

    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        vec![
            ".:53".into(),
            "[INFO] plugin/reload: Running configuration SHA512 = lab".into(),
            "CoreDNS-1.12.0".into(),
            "linux/amd64, go1.23.3, 51e11f1".into(),
        ]
    }

    fn handle(&self, _ctx: Arc<PodCtx>, req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        Box::pin(async move {
            match (req.port, req.target.as_str()) {
                (8080, "/health") => HttpResponse::text(200, "OK"),
                (9153, "/metrics") => HttpResponse::text(200, "# HELP coredns_build_info A metric with a constant '1' value.\ncoredns_build_info{version=\"1.12.0\"} 1\n"),
                _ => HttpResponse::text(404, "404 page not found\n"),
            }
        })
    }

    fn access_log(&self, _ctx: &PodCtx, _req: &HttpRequest, _resp: &HttpResponse) -> Option<String> {
        None
    }
}
