//! `nginx`: the welcome page on :80, with nginx's headers, error pages and access log.
//! (Mounted `conf.d/*.conf` support grows here.)

use std::sync::Arc;

use futures::future::BoxFuture;

use super::{HttpRequest, HttpResponse, PodCtx, Program};

/// The nginx version the image reports in `Server:` and error pages.
pub const NGINX_VERSION: &str = "1.27.5";

/// nginx's default `index.html`.
pub const WELCOME_PAGE: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// nginx's built-in error page for `status`.
pub fn error_page(status: u16, reason: &str) -> String {
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx/{NGINX_VERSION}</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// Add nginx's `Server` header.
pub fn with_server_header(mut resp: HttpResponse) -> HttpResponse {
    resp.headers.push(("Server".into(), format!("nginx/{NGINX_VERSION}")));
    resp
}

pub struct Nginx {
    _private: (),
}

impl Nginx {
    pub fn plain() -> Nginx {
        Nginx { _private: () }
    }
}

/// The start-up lines of the official image's entrypoint.
pub fn startup_lines() -> Vec<String> {
    vec![
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration".into(),
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/".into(),
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh".into(),
        "/docker-entrypoint.sh: Configuration complete; ready for start up".into(),
        format!("nginx/{NGINX_VERSION} start worker processes"),
    ]
}

impl Program for Nginx {
    fn ports(&self) -> Vec<u16> {
        vec![80]
    }

    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        startup_lines()
    }

    fn handle(&self, _ctx: Arc<PodCtx>, req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        Box::pin(async move {
            let path = req.target.split('?').next().unwrap_or("/");
            let resp = match path {
                "/" | "/index.html" => HttpResponse::new(200, "text/html", WELCOME_PAGE),
                "/50x.html" => HttpResponse::new(200, "text/html", error_page(500, "Internal Server Error")),
                _ => HttpResponse::new(404, "text/html", error_page(404, "Not Found")),
            };
            with_server_header(resp)
        })
    }
}
