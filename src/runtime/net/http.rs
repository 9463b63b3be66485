//! The lab's HTTP client (hyper over [`super::Net::connect`]): used by `curl`, by nginx's
//! `proxy_pass` in the frontend image and by lesson checks. Names are resolved as the client's
//! origin would resolve them; errors keep enough detail for curl's messages.

use std::net::{Ipv4Addr, SocketAddr};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::{resolver, Origin};
use crate::runtime::images::HttpResponse;
use crate::runtime::Cluster;

/// A request to send.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    pub method: String,
    pub host: String,
    pub port: u16,
    /// Path and query.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl FetchRequest {
    pub fn get(host: &str, port: u16, target: &str) -> FetchRequest {
        FetchRequest {
            method: "GET".into(),
            host: host.into(),
            port,
            target: target.into(),
            headers: vec![],
            body: Bytes::new(),
        }
    }
}

/// A response, with where it came from.
#[derive(Debug, Clone)]
pub struct FetchResponse {
    pub response: HttpResponse,
    pub version: String,
    pub remote: SocketAddr,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("Could not resolve host: {0}")]
    Resolve(String),
    #[error("Failed to connect to {host} port {port}: Couldn't connect to server")]
    Refused { host: String, port: u16 },
    #[error("{0}")]
    Denied(String),
    #[error("Recv failure: Connection reset by peer")]
    Reset,
    #[error("Empty reply from server")]
    EmptyReply,
}

/// Resolve `host` for `origin` (first address).
pub async fn resolve_one(cluster: &Cluster, origin: &Origin, host: &str) -> Result<Ipv4Addr, FetchError> {
    resolver::resolve(cluster, origin, host)
        .await
        .ok()
        .and_then(|(_, ips)| ips.first().copied())
        .ok_or_else(|| FetchError::Resolve(host.to_string()))
}

/// Resolve and connect. Unreachable addresses never complete: wrap in a timeout.
pub async fn connect(
    cluster: &Cluster,
    origin: &Origin,
    host: &str,
    port: u16,
) -> Result<(TcpStream, SocketAddr), FetchError> {
    let ip = resolve_one(cluster, origin, host).await?;
    let addr = SocketAddr::from((ip, port));
    match cluster.net().connect(origin, addr).await {
        Ok(s) => Ok((s, addr)),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(FetchError::Denied(e.to_string())),
        Err(_) => Err(FetchError::Refused {
            host: ip.to_string(),
            port,
        }),
    }
}

/// Send one request on an open connection and read the whole response.
pub async fn send<S>(stream: S, req: &FetchRequest) -> Result<(HttpResponse, String), FetchError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|_| FetchError::Reset)?;
    let driver = tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut b = hyper::Request::builder()
        .method(req.method.as_str())
        .uri(req.target.as_str());
    let has_host = req.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host"));
    if !has_host {
        let host = if req.port == 80 {
            req.host.clone()
        } else {
            format!("{}:{}", req.host, req.port)
        };
        b = b.header("Host", host);
    }
    for (k, v) in &req.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    let request = b
        .body(Full::new(req.body.clone()))
        .map_err(|_| FetchError::EmptyReply)?;
    let result = sender.send_request(request).await;
    let resp = match result {
        Ok(r) => r,
        Err(e) if e.is_incomplete_message() => {
            driver.abort();
            return Err(FetchError::EmptyReply);
        }
        Err(_) => {
            driver.abort();
            return Err(FetchError::Reset);
        }
    };
    let version = format!("{:?}", resp.version());
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                canonical_header(k.as_str()),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .map_err(|_| FetchError::Reset)?;
    driver.abort();
    Ok((HttpResponse { status, headers, body }, version))
}

/// `content-type` → `Content-Type`, as servers usually spell headers on the wire.
pub fn canonical_header(name: &str) -> String {
    name.split('-')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Resolve, connect and send.
pub async fn fetch(cluster: &Cluster, origin: &Origin, req: &FetchRequest) -> Result<FetchResponse, FetchError> {
    let (stream, remote) = connect(cluster, origin, &req.host, req.port).await?;
    let (response, version) = send(stream, req).await?;
    Ok(FetchResponse {
        response,
        version,
        remote,
    })
}
