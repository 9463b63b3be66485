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
///
/// The log is a ring, like a kubelet's rotated log file: the newest [`MAX_LOG_LINES`] lines and
/// at most [`MAX_LOG_BYTES`] of them. Every line has a sequence number, so `kubectl logs -f`
/// asks for "what came after line N" and neither misses nor repeats lines when old ones go.
#[derive(Clone, Default, Debug)]
pub struct LogSink(Arc<Mutex<Logs>>);

#[derive(Default, Debug)]
struct Logs {
    current: std::collections::VecDeque<LogLine>,
    /// Bytes of text in `current`.
    bytes: usize,
    /// Lines ever written (the sequence number the next line gets).
    written: u64,
    previous: Option<Vec<LogLine>>,
}

/// A log line with the lab time it was written.
pub type LogLine = (chrono::DateTime<chrono::Utc>, String);

/// Most lines a container keeps (older ones are dropped, like log rotation).
pub const MAX_LOG_LINES: usize = 10_000;
/// Most bytes of log a container keeps: the kubelet's default `containerLogMaxSize` (10 Mi).
pub const MAX_LOG_BYTES: usize = 10 * 1024 * 1024;
/// Most bytes of a request body a built-in server reads; a bigger one is answered `413`, as
/// nginx does past its default `client_max_body_size` of 1m.
pub const MAX_REQUEST_BODY: usize = 1024 * 1024;
/// Most bytes of a request head (request line and headers) a built-in server reads; a bigger
/// one is answered `431`. hyper's smallest setting; nginx's default buffers hold 8 KiB a line.
const MAX_REQUEST_HEAD: usize = 16 * 1024;

impl LogSink {
    pub fn push(&self, at: chrono::DateTime<chrono::Utc>, line: String) {
        let mut logs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        logs.bytes += line.len();
        logs.current.push_back((at, line));
        logs.written += 1;
        while logs.current.len() > MAX_LOG_LINES || (logs.bytes > MAX_LOG_BYTES && logs.current.len() > 1) {
            if let Some((_, old)) = logs.current.pop_front() {
                logs.bytes -= old.len();
            }
        }
    }

    pub fn lines(&self) -> Vec<LogLine> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .current
            .iter()
            .cloned()
            .collect()
    }

    /// The lines numbered `from` and after that are still kept, and the number the next line
    /// will get. Lines before `from` that were dropped meanwhile are simply gone.
    pub fn since(&self, from: u64) -> (Vec<LogLine>, u64) {
        let logs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let first = logs.written - logs.current.len() as u64;
        let skip = from.saturating_sub(first) as usize;
        (logs.current.iter().skip(skip).cloned().collect(), logs.written)
    }

    /// The log of the previous container instance, if it restarted.
    pub fn previous(&self) -> Option<Vec<LogLine>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).previous.clone()
    }

    /// The container restarted: its log so far becomes the previous one.
    pub fn rotate(&self) {
        let mut logs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let current = std::mem::take(&mut logs.current);
        logs.bytes = 0;
        logs.previous = Some(current.into());
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
            let mut http = hyper::server::conn::http1::Builder::new();
            http.max_buf_size(MAX_REQUEST_HEAD);
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
    // Read no more of the body than the limit: past it the answer is 413 and nothing is kept.
    let body = match http_body_util::Limited::new(body, MAX_REQUEST_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return too_large(),
    };
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

/// nginx's answer to a body past `client_max_body_size`.
fn too_large() -> hyper::Response<Full<Bytes>> {
    let page = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    hyper::Response::builder()
        .status(413)
        .header("content-type", "text/html")
        .header("connection", "close")
        .body(Full::new(Bytes::from_static(page.as_bytes())))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(0, 0).unwrap()
    }

    #[test]
    fn the_log_is_a_ring_of_lines_and_bytes() {
        let log = LogSink::default();
        for i in 0..MAX_LOG_LINES + 500 {
            log.push(at(), format!("line {i}"));
        }
        let lines = log.lines();
        assert_eq!(lines.len(), MAX_LOG_LINES);
        assert_eq!(lines[0].1, "line 500");
        let big = "x".repeat(MAX_LOG_BYTES / 4);
        for _ in 0..10 {
            log.push(at(), big.clone());
        }
        let bytes: usize = log.lines().iter().map(|(_, l)| l.len()).sum();
        assert!(bytes <= MAX_LOG_BYTES, "{bytes}");
    }

    #[test]
    fn following_by_sequence_number_neither_repeats_nor_misses_across_the_turn() {
        let log = LogSink::default();
        for i in 0..MAX_LOG_LINES {
            log.push(at(), format!("{i}"));
        }
        let (all, mut next) = log.since(0);
        assert_eq!(all.len(), MAX_LOG_LINES);
        let mut seen = Vec::new();
        for round in 0..5 {
            // Enough new lines that old ones leave the ring in between.
            for i in 0..3000 {
                log.push(at(), format!("r{round}-{i}"));
            }
            let (lines, after) = log.since(next);
            seen.extend(lines.into_iter().map(|(_, l)| l));
            next = after;
        }
        assert_eq!(seen.len(), 15_000, "every new line once");
        assert_eq!(seen[0], "r0-0");
        assert_eq!(seen.last().unwrap(), "r4-2999");
        // Asked for lines already gone: what is kept from there on.
        let (lines, _) = log.since(0);
        assert_eq!(lines.len(), MAX_LOG_LINES);
    }
}
