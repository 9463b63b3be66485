//! `gcr.io/google-samples/hello-frontend:1.0`: nginx on :80 with the tutorial's configuration
//! baked into the image (`upstream hello { server hello; }`, `location / { proxy_pass
//! http://hello; }`). Each request really travels: `hello` is resolved through the pod's DNS
//! search path to the Service's ClusterIP, and the connection goes through the Service proxy to
//! one backend pod.

use std::sync::Arc;

use futures::future::BoxFuture;

use super::nginx::{conf, proxy, startup_lines, with_server_header};
use super::{HttpRequest, HttpResponse, PodCtx, Program};

/// The configuration file the image ships (`frontend-nginx.conf` of the tutorial).
pub const FRONTEND_CONF: &str = "upstream hello {
    server hello;
}

server {
    listen 80;

    location / {
        proxy_pass http://hello;
    }
}
";

pub struct HelloFrontend {
    upstreams: Vec<(String, Vec<String>)>,
}

impl HelloFrontend {
    pub fn new() -> HelloFrontend {
        let parsed = conf::parse(FRONTEND_CONF, "/etc/nginx/conf.d/frontend.conf").expect("the built-in config parses");
        let cfg = conf::interpret(&[("/etc/nginx/conf.d/frontend.conf".into(), parsed)]);
        HelloFrontend {
            upstreams: cfg.upstreams,
        }
    }
}

impl Default for HelloFrontend {
    fn default() -> Self {
        HelloFrontend::new()
    }
}

impl Program for HelloFrontend {
    fn command(&self) -> super::ImageCommand {
        super::ImageCommand::Server {
            binaries: &["nginx", "docker-entrypoint.sh"],
        }
    }

    fn ports(&self) -> Vec<u16> {
        vec![80]
    }

    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        startup_lines()
    }

    fn handle(&self, ctx: Arc<PodCtx>, req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        let upstreams = self.upstreams.clone();
        Box::pin(async move { with_server_header(proxy(&ctx, &req, "http://hello", &upstreams).await) })
    }
}
