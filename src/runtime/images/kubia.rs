//! `luksa/kubia` (from "Kubernetes in Action"): a Node.js server on :8080 that says which pod
//! answered — the easiest way to watch a Service spread requests.

use std::sync::Arc;

use futures::future::BoxFuture;

use super::{HttpRequest, HttpResponse, PodCtx, Program};

pub struct Kubia;

impl Program for Kubia {
    fn command(&self) -> super::ImageCommand {
        super::ImageCommand::Server { binaries: &["node"] }
    }

    fn ports(&self) -> Vec<u16> {
        vec![8080]
    }

    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        vec!["Kubia server starting...".into()]
    }

    fn handle(&self, ctx: Arc<PodCtx>, _req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        Box::pin(async move { HttpResponse::text(200, format!("You've hit {}\n", ctx.pod_name)) })
    }

    fn access_log(&self, _ctx: &PodCtx, req: &HttpRequest, _resp: &HttpResponse) -> Option<String> {
        Some(format!("Received request from ::ffff:{}", req.peer.ip()))
    }
}
