//! `gcr.io/google-samples/hello-frontend:1.0`: nginx on :80 with the tutorial's configuration,
//! `upstream hello { server hello; }` and `location / { proxy_pass http://hello; }`. Each request
//! really travels: the name `hello` is resolved through the pod's DNS search path to the Service's
//! ClusterIP, and the connection goes through the Service proxy to one backend pod.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;

use super::nginx::{error_page, startup_lines, with_server_header};
use super::{HttpRequest, HttpResponse, PodCtx, Program};
use crate::runtime::net::http::{fetch, FetchRequest};

pub struct HelloFrontend;

/// nginx's default `proxy_connect_timeout`.
const PROXY_CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

impl Program for HelloFrontend {
    fn ports(&self) -> Vec<u16> {
        vec![80]
    }

    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        startup_lines()
    }

    fn handle(&self, ctx: Arc<PodCtx>, req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        Box::pin(async move {
            let upstream = FetchRequest {
                method: req.method.clone(),
                host: "hello".into(),
                port: 80,
                target: req.target.clone(),
                // nginx's proxy defaults: HTTP/1.0 upstream, Host set to the upstream name.
                headers: vec![("Host".into(), "hello".into()), ("Connection".into(), "close".into())],
                body: req.body.clone(),
            };
            let origin = ctx.origin();
            let result = ctx.cluster.clock().timeout(PROXY_CONNECT_TIMEOUT, fetch(&ctx.cluster, &origin, &upstream)).await;
            match result {
                Ok(Ok(resp)) => {
                    let mut r = resp.response;
                    r.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("server") && !k.eq_ignore_ascii_case("date"));
                    with_server_header(r)
                }
                Ok(Err(_)) => with_server_header(HttpResponse::new(502, "text/html", error_page(502, "Bad Gateway"))),
                Err(_) => with_server_header(HttpResponse::new(504, "text/html", error_page(504, "Gateway Time-out"))),
            }
        })
    }
}
