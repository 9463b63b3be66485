//! `nginx` (and `bprashanth/nginxhttps`): serves what its configuration says — the welcome page
//! on :80 by default, or what a ConfigMap mounted at `/etc/nginx/conf.d` asks for, with TLS from
//! a mounted Secret — with nginx's headers, error pages and access log.

pub mod conf;

use std::collections::BTreeMap;
use std::sync::Arc;

use bytes::Bytes;
use futures::future::BoxFuture;

use super::{HttpRequest, HttpResponse, PodCtx, Program};
use crate::runtime::net::http::{fetch, FetchRequest};

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

/// The image's own `/etc/nginx/conf.d/default.conf`.
pub const DEFAULT_CONF: &str = "server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
";

const HTML_DIR: &str = "/usr/share/nginx/html";

/// nginx configured from the container's `/etc/nginx/conf.d/*.conf` (the image's default when
/// nothing is mounted there).
pub struct Nginx {
    config: conf::Config,
    tls: BTreeMap<u16, Arc<rustls::ServerConfig>>,
    log: Vec<String>,
}

impl Nginx {
    /// Read the configuration the container sees.
    pub fn from_ctx(ctx: &PodCtx) -> Nginx {
        let mut files: Vec<(String, String)> = ctx
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("/etc/nginx/conf.d/") && p.ends_with(".conf"))
            .map(|(p, b)| (p.clone(), String::from_utf8_lossy(b).into_owned()))
            .collect();
        if files.is_empty() && !ctx.files.keys().any(|p| p.starts_with("/etc/nginx/conf.d/")) {
            files.push(("/etc/nginx/conf.d/default.conf".into(), DEFAULT_CONF.into()));
        }
        let mut log = startup_lines();
        let mut parsed = Vec::new();
        for (path, text) in &files {
            match conf::parse(text, path) {
                Ok(d) => parsed.push((path.clone(), d)),
                Err(e) => log.push(e),
            }
        }
        let config = conf::interpret(&parsed);
        log.extend(config.warnings.iter().cloned());
        let mut tls = BTreeMap::new();
        for s in &config.servers {
            for l in s.listens.iter().filter(|l| l.ssl) {
                let (Some(cert), Some(key)) = (&s.ssl_certificate, &s.ssl_certificate_key) else {
                    log.push(format!("nginx: [emerg] no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive on port {}", l.port));
                    continue;
                };
                let (Some(cert_pem), Some(key_pem)) = (ctx.files.get(cert), ctx.files.get(key)) else {
                    let missing = if ctx.files.contains_key(cert) { key } else { cert };
                    log.push(format!("nginx: [emerg] cannot load certificate \"{missing}\": BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory)"));
                    continue;
                };
                match crate::runtime::net::tls::server_config(cert_pem, key_pem) {
                    Ok(c) => {
                        tls.insert(l.port, c);
                    }
                    Err(e) => log.push(format!("nginx: [emerg] {e} (\"{cert}\")")),
                }
            }
        }
        Nginx { config, tls, log }
    }

    fn server_for(&self, port: u16) -> Option<&conf::Server> {
        let on_port: Vec<&conf::Server> = self
            .config
            .servers
            .iter()
            .filter(|s| s.listens.iter().any(|l| l.port == port))
            .collect();
        on_port
            .iter()
            .find(|s| s.listens.iter().any(|l| l.port == port && l.default))
            .or_else(|| on_port.first())
            .copied()
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") | Some("htm") => "text/html",
        Some("json") => "application/json",
        Some("css") => "text/css",
        Some("js") => "application/javascript",
        Some("txt") => "text/plain",
        _ => "application/octet-stream",
    }
}

/// A file under the document root: mounted files first, then the image's own html folder.
fn static_file(ctx: &PodCtx, full: &str) -> Option<(Bytes, &'static str)> {
    if let Some(b) = ctx.files.get(full) {
        return Some((Bytes::from(b.clone()), content_type(full)));
    }
    match full {
        p if p == format!("{HTML_DIR}/index.html") => Some((Bytes::from_static(WELCOME_PAGE.as_bytes()), "text/html")),
        p if p == format!("{HTML_DIR}/50x.html") => {
            Some((Bytes::from(error_page(500, "Internal Server Error")), "text/html"))
        }
        _ => None,
    }
}

impl Program for Nginx {
    fn command(&self) -> crate::runtime::images::ImageCommand {
        crate::runtime::images::ImageCommand::Server {
            binaries: &["nginx", "docker-entrypoint.sh"],
        }
    }

    fn ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self
            .config
            .servers
            .iter()
            .flat_map(|s| s.listens.iter())
            .filter(|l| !l.ssl || self.tls.contains_key(&l.port))
            .map(|l| l.port)
            .collect();
        ports.sort();
        ports.dedup();
        ports
    }

    fn startup_log(&self, _ctx: &PodCtx) -> Vec<String> {
        self.log.clone()
    }

    fn tls(&self, port: u16) -> Option<Arc<rustls::ServerConfig>> {
        self.tls.get(&port).cloned()
    }

    fn handle(&self, ctx: Arc<PodCtx>, req: HttpRequest) -> BoxFuture<'static, HttpResponse> {
        let server = self.server_for(req.port).cloned();
        let upstreams = self.config.upstreams.clone();
        Box::pin(async move {
            let Some(server) = server else {
                return with_server_header(HttpResponse::new(404, "text/html", error_page(404, "Not Found")));
            };
            let path = req.target.split('?').next().unwrap_or("/").to_string();
            let loc = server
                .locations
                .iter()
                .filter(|l| {
                    if l.exact {
                        l.prefix == path
                    } else {
                        path.starts_with(&l.prefix)
                    }
                })
                .max_by_key(|l| (l.exact, l.prefix.len()))
                .cloned()
                .unwrap_or_default();
            if let Some((code, text)) = &loc.ret {
                let mut r = match (code, text) {
                    (301 | 302 | 303 | 307 | 308, Some(url)) => {
                        let mut r = HttpResponse::new(*code, "text/html", error_page(*code, reason(*code)));
                        r.headers.push(("Location".into(), url.clone()));
                        r
                    }
                    (_, Some(t)) => HttpResponse::new(*code, "application/octet-stream", t.clone()),
                    (_, None) => HttpResponse::new(*code, "text/html", error_page(*code, reason(*code))),
                };
                r.headers.retain(|(k, _)| k != "X");
                return with_server_header(r);
            }
            if let Some(target) = &loc.proxy_pass {
                return with_server_header(proxy(&ctx, &req, target, &upstreams).await);
            }
            let root = loc.root.clone().unwrap_or(server.root.clone());
            let index = loc.index.clone().unwrap_or(server.index.clone());
            let candidates: Vec<String> = if path.ends_with('/') {
                index.iter().map(|i| format!("{root}{path}{i}")).collect()
            } else {
                vec![format!("{root}{path}")]
            };
            for c in candidates {
                if let Some((body, ct)) = static_file(&ctx, &c) {
                    return with_server_header(HttpResponse::new(200, ct, body));
                }
            }
            with_server_header(HttpResponse::new(404, "text/html", error_page(404, "Not Found")))
        })
    }
}

fn reason(code: u16) -> &'static str {
    hyper::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// `proxy_pass http://name[:port][/path]`, through the pod's DNS and the Service proxy.
pub async fn proxy(ctx: &PodCtx, req: &HttpRequest, target: &str, upstreams: &[(String, Vec<String>)]) -> HttpResponse {
    let rest = target.strip_prefix("http://").unwrap_or(target);
    let (authority, base_path) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i..])),
        None => (rest, None),
    };
    let authority = upstreams
        .iter()
        .find(|(n, _)| n == authority)
        .and_then(|(_, servers)| servers.first().cloned())
        .unwrap_or_else(|| authority.to_string());
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().unwrap_or(80)),
        None => (authority.clone(), 80),
    };
    let path = match base_path {
        Some(b) => format!("{}{}", b.trim_end_matches('/'), req.target),
        None => req.target.clone(),
    };
    let upstream = FetchRequest {
        method: req.method.clone(),
        host: host.clone(),
        port,
        target: path,
        headers: vec![("Host".into(), host), ("Connection".into(), "close".into())],
        body: req.body.clone(),
    };
    let origin = ctx.origin();
    match ctx
        .cluster
        .clock()
        .timeout(PROXY_CONNECT_TIMEOUT, fetch(&ctx.cluster, &origin, &upstream))
        .await
    {
        Ok(Ok(resp)) => {
            let mut r = resp.response;
            r.headers
                .retain(|(k, _)| !k.eq_ignore_ascii_case("server") && !k.eq_ignore_ascii_case("date"));
            r
        }
        Ok(Err(_)) => HttpResponse::new(502, "text/html", error_page(502, "Bad Gateway")),
        Err(_) => HttpResponse::new(504, "text/html", error_page(504, "Gateway Time-out")),
    }
}

/// nginx's default `proxy_connect_timeout`.
const PROXY_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
