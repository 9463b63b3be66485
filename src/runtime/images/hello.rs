//! `gcr.io/google-samples/hello-go-gke:1.0`: the backend of the frontend/backend tutorial. A Go
//! server on :80 that answers every request with `{"message":"Hello"}`.

use std::sync::Arc;

use futures::future::BoxFuture;

use super::{HttpRequest, HttpResponse, PodCtx, Program};

pub struct HelloGo;

impl Program for HelloGo {
    fn command(&self) -> super::ImageCommand {
        super::ImageCommand::Server {
            binaries: &["hello-app"],
        }
    }

    fn ports(&self) -> Vec<u16> {
        vec![80]
    }

    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        vec!["Listening on port 80".into()]
    }

    fn handle(&self, _ctx: Arc<PodCtx>, _req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        Box::pin(async { HttpResponse::new(200, "application/json", "{\"message\":\"Hello\"}") })
    }
}
