//! The HTTP server around a [`Program`]: hyper on a loopback listener, one task per connection,
//! access-log lines into the container's log, and a traffic event per request.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::{HttpRequest, HttpResponse, PodCtx, Program};
use crate::runtime::net::{Hop, TrafficEvent};

/// A container's log: lines with the lab time they were written, and the log of the container
/// instance before the last restart (`kubectl logs --previous`).
#[derive(Clone, Default, Debug)]
pub struct LogSink(Arc<Mutex<Logs>>);

#[derive(Default, Debug)]
struct Logs {
    current: Vec<LogLine>,
    previous: Option<Vec<LogLine>>,
}

/// A log line with the lab time it was written.
pub type LogLine = (chrono::DateTime<chrono::Utc>, String);

/// Most lines a container keeps (older ones are dropped, like log rotation).
const MAX_LOG_LINES: usize = 10_000;

impl LogSink {
    pub fn push(&self, at: chrono::DateTime<chrono::Utc>, line: String) {
        let v = &mut self.0.lock().unwrap().current;
        if v.len() >= MAX_LOG_LINES {
            v.drain(..MAX_LOG_LINES / 10);
        }
        v.push((at, line));
    }

    pub fn lines(&self) -> Vec<LogLine> {
        self.0.lock().unwrap().current.clone()
    }

    /// The log of the previous container instance, if it restarted.
    pub fn previous(&self) -> Option<Vec<LogLine>> {
        self.0.lock().unwrap().previous.clone()
    }

    /// The container restarted: its log so far becomes the previous one.
    pub fn rotate(&self) {
        let mut logs = self.0.lock().unwrap();
        let current = std::mem::take(&mut logs.current);
        logs.previous = Some(current);
    }
}

/// nginx's `combined` log format.
pub fn combined_log_line(ctx: &PodCtx, req: &HttpRequest, resp: &HttpResponse) -> String {
    let now = ctx.cluster.clock().now();
    format!(
        "{} - - [{}] \"{} {} {}\" {} {} \"{}\" \"{}\" \"-\"",
        req.peer.ip(),
        now.format("%d/%b/%Y:%H:%M:%S %z"),
        req.method,
        req.target,
        req.version,
        resp.status,
        resp.body.len(),
        req.header("referer").unwrap_or("-"),
        req.header("user-agent").unwrap_or("-"),
    )
}

/// Serve `program` on `listener` until the task is aborted. The open connections belong to
/// this task: when the container stops, they close with it, as a real server's would.
pub async fn serve(listener: TcpListener, program: Arc<dyn Program>, ctx: Arc<PodCtx>, port: u16, logs: LogSink) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            Some(_) = connections.join_next() => continue,
        };
        let Ok((stream, peer)) = accepted else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (program, ctx, logs) = (program.clone(), ctx.clone(), logs.clone());
        let tls = program.tls(port);
        // Who called is read when the first request arrives: by then the caller has written
        // its hop (see `Net::connect_as`); a connection that sends nothing clears it at the end.
        let from = Arc::new(std::sync::OnceLock::<Hop>::new());
        let net_ctx = ctx.clone();
        connections.spawn(async move {
            let caller = from.clone();
            let svc = service_fn(move |req: hyper::Request<Incoming>| {
                let (program, ctx, logs) = (program.clone(), ctx.clone(), logs.clone());
                let from = caller
                    .get_or_init(|| {
                        ctx.cluster.net().take_hop_info(peer).unwrap_or_else(|| Hop {
                            from: "host".to_string(),
                            dialled: None,
                            probe: false,
                        })
                    })
                    .clone();
                async move { Ok::<_, Infallible>(handle_one(program, ctx, logs, req, peer, port, from).await) }
            });
            let http = hyper::server::conn::http1::Builder::new();
            match tls {
                Some(cfg) => {
                    // A failed handshake (a client that does not trust us) just ends the connection.
                    if let Ok(tls_stream) = tokio_rustls::TlsAcceptor::from(cfg).accept(stream).await {
                        let _ = http.serve_connection(TokioIo::new(tls_stream), svc).await;
                    }
                }
                None => {
                    let _ = http.serve_connection(TokioIo::new(stream), svc).await;
                }
            }
            if from.get().is_none() {
                net_ctx.cluster.net().take_hop(peer);
            }
        });
    }
}

async fn handle_one(
    program: Arc<dyn Program>,
    ctx: Arc<PodCtx>,
    logs: LogSink,
    req: hyper::Request<Incoming>,
    peer: SocketAddr,
    port: u16,
    hop: Hop,
) -> hyper::Response<Full<Bytes>> {
    let Hop { from, dialled, probe } = hop;
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let request = HttpRequest {
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_else(|| "/".into()),
        version: format!("{:?}", parts.version),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body,
        peer,
        port,
    };
    // A probe's request stays a probe in what the pod asks in turn (nginx's proxy_pass).
    let resp = crate::runtime::net::traffic_log::probing_if(probe, program.handle(ctx.clone(), request.clone())).await;
    if let Some(line) = program.access_log(&ctx, &request, &resp) {
        logs.push(ctx.cluster.clock().now(), line);
    }
    // A caller that came through a Service says so in its hop: `pod/x via default/hello:80`.
    let service = from.split_once(" via ").map(|(_, svc)| svc.to_string());
    ctx.cluster.net().emit(TrafficEvent {
        from,
        service,
        pod: Some(format!("{}/{}", ctx.namespace, ctx.pod_name)),
        bytes: resp.body.len() as u64,
        status: Some(resp.status),
        latency: started.elapsed(),
        summary: format!("{} {}", request.method, request.target),
        dialled,
        probe,
    });
    to_hyper(resp, request.method == "HEAD")
}

fn to_hyper(resp: HttpResponse, head: bool) -> hyper::Response<Full<Bytes>> {
    let mut b = hyper::Response::builder().status(resp.status);
    for (k, v) in &resp.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    let body = if head { Bytes::new() } else { resp.body };
    b.body(Full::new(body))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}
