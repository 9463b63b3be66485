//! `gcr.io/google-samples/kubernetes-bootcamp:v1`: the Kubernetes Basics tutorial app on :8080.

use std::sync::Arc;

use futures::future::BoxFuture;

use super::{HttpRequest, HttpResponse, PodCtx, Program};

pub struct Bootcamp;

impl Program for Bootcamp {
    fn command(&self) -> super::ImageCommand {
        super::ImageCommand::Server { binaries: &["node"] }
    }

    fn ports(&self) -> Vec<u16> {
        vec![8080]
    }

    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        vec!["Kubernetes Bootcamp App Started At: now | Running On:  ".into()]
    }

    fn handle(&self, ctx: Arc<PodCtx>, _req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        Box::pin(async move {
            HttpResponse::text(
                200,
                format!("Hello Kubernetes bootcamp! | Running on: {} | v=1\n", ctx.pod_name),
            )
        })
    }

    fn access_log(&self, ctx: &PodCtx, _req: &HttpRequest, _resp: &HttpResponse) -> Option<String> {
        Some(format!(
            "Running On: {} | Total Requests: n | App Uptime: n seconds | Log Time: now",
            ctx.pod_name
        ))
    }
}
