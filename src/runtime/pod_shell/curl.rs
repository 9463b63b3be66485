//! The lab's `curl`: the flags the tutorials use, curl 8's error messages and exit codes, real
//! HTTP through [`crate::runtime::net::http`]. The same program runs in pods (`kubectl exec …
//! -- curl`) and in the lab shell on the host, where only node and load-balancer addresses are
//! reachable.

use std::time::{Duration, Instant};

use crate::io::Output;
use crate::runtime::net::http::{self, FetchError, FetchRequest};
use crate::runtime::net::tls::{self, Trust};
use crate::runtime::net::Origin;
use crate::runtime::Cluster;

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CurlArgs {
    pub url: String,
    pub silent: bool,
    pub show_error: bool,
    pub insecure: bool,
    pub verbose: bool,
    pub include: bool,
    pub head: bool,
    pub output: Option<String>,
    pub headers: Vec<String>,
    pub follow: bool,
    pub cacert: Option<String>,
    pub connect_timeout: Option<f64>,
    pub max_time: Option<f64>,
    pub write_out: Option<String>,
    pub method: Option<String>,
    pub data: Option<String>,
    pub fail: bool,
}

/// Parse curl's arguments; `Err` holds curl's message and exit code.
pub fn parse_args(args: &[String]) -> Result<CurlArgs, (String, i32)> {
    let mut a = CurlArgs::default();
    let mut it = args.iter().peekable();
    let mut url = None;
    let need = |it: &mut std::iter::Peekable<std::slice::Iter<String>>, flag: &str| -> Result<String, (String, i32)> {
        it.next().cloned().ok_or_else(|| (format!("curl: option {flag}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information"), 2))
    };
    let num = |s: String, flag: &str| -> Result<f64, (String, i32)> {
        s.parse::<f64>().map_err(|_| (format!("curl: option {flag}: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information"), 2))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-s" | "--silent" => a.silent = true,
            "-S" | "--show-error" => a.show_error = true,
            "-k" | "--insecure" => a.insecure = true,
            "-v" | "--verbose" => a.verbose = true,
            "-i" | "--include" => a.include = true,
            "-I" | "--head" => a.head = true,
            "-L" | "--location" => a.follow = true,
            "-f" | "--fail" => a.fail = true,
            "-o" | "--output" => a.output = Some(need(&mut it, arg)?),
            "-H" | "--header" => a.headers.push(need(&mut it, arg)?),
            "--cacert" => a.cacert = Some(need(&mut it, arg)?),
            "--connect-timeout" => a.connect_timeout = Some(num(need(&mut it, arg)?, arg)?),
            "-m" | "--max-time" => a.max_time = Some(num(need(&mut it, arg)?, arg)?),
            "-w" | "--write-out" => a.write_out = Some(need(&mut it, arg)?),
            "-X" | "--request" => a.method = Some(need(&mut it, arg)?),
            "-d" | "--data" | "--data-raw" => a.data = Some(need(&mut it, arg)?),
            s if s.starts_with("--") => {
                return Err((
                    format!(
                        "curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
                    ),
                    2,
                ));
            }
            s if s.starts_with('-') && s.len() > 2 => {
                // Bundled short flags: -sS, -sk, -sSL …; a value flag must come last.
                let chars: Vec<char> = s[1..].chars().collect();
                for (i, c) in chars.iter().enumerate() {
                    let last = i + 1 == chars.len();
                    match c {
                        's' => a.silent = true,
                        'S' => a.show_error = true,
                        'k' => a.insecure = true,
                        'v' => a.verbose = true,
                        'i' => a.include = true,
                        'I' => a.head = true,
                        'L' => a.follow = true,
                        'f' => a.fail = true,
                        'o' | 'H' | 'm' | 'w' | 'X' | 'd' if last => {
                            let flag = format!("-{c}");
                            let v = need(&mut it, &flag)?;
                            match c {
                                'o' => a.output = Some(v),
                                'H' => a.headers.push(v),
                                'm' => a.max_time = Some(num(v, &flag)?),
                                'w' => a.write_out = Some(v),
                                'X' => a.method = Some(v),
                                _ => a.data = Some(v),
                            }
                        }
                        other => {
                            return Err((format!("curl: option -{other}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"), 2));
                        }
                    }
                }
            }
            s if s.starts_with('-') && s.len() == 2 => {
                return Err((
                    format!(
                        "curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
                    ),
                    2,
                ));
            }
            _ => url = Some(arg.clone()),
        }
    }
    a.url = url.ok_or_else(|| {
        (
            "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information".to_string(),
            2,
        )
    })?;
    Ok(a)
}

/// A parsed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub target: String,
}

pub fn parse_url(raw: &str) -> Result<Url, (String, i32)> {
    let (scheme, rest) = match raw.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), raw),
    };
    if scheme != "http" && scheme != "https" {
        return Err((format!("curl: (1) Protocol \"{scheme}\" not supported"), 1));
    }
    let (authority, target) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let target = if target.starts_with('?') {
        format!("/{target}")
    } else {
        target.to_string()
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() => match p.parse::<u16>() {
            Ok(p) => (h.to_string(), p),
            Err(_) => {
                return Err((
                    "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535".to_string(),
                    3,
                ))
            }
        },
        Some((h, _)) => (h.to_string(), default_port),
        None => (authority.to_string(), default_port),
    };
    if host.is_empty() {
        return Err(("curl: (3) URL rejected: No host part in the URL".to_string(), 3));
    }
    Ok(Url {
        scheme,
        host,
        port,
        target,
    })
}

/// Default connect timeout when none is given: a laptop's curl would wait minutes for a
/// black-holed address; the lab says so sooner.
fn default_connect_timeout(origin: &Origin) -> Duration {
    match origin {
        Origin::Host => Duration::from_secs(5),
        _ => Duration::from_secs(10),
    }
}

/// Reads a file as the client sees it (`--cacert`): the pod's mounted files, or the workspace.
pub type FileReader<'a> = &'a (dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync);

/// Writes a file where the client runs (`-o`): the pod's own filesystem, or the workspace.
pub type FileWriter<'a> = &'a (dyn Fn(&str, &[u8]) -> Result<(), String> + Send + Sync);

/// The files curl can read (`--cacert`) and write (`-o`).
#[derive(Clone, Copy)]
pub struct Files<'a> {
    pub read: FileReader<'a>,
    pub write: FileWriter<'a>,
}

impl Files<'static> {
    /// Nothing to read, nowhere to write (lesson checks, wget).
    pub fn none() -> Files<'static> {
        Files {
            read: &|_| None,
            write: &|_, _| Err("Read-only file system".into()),
        }
    }
}

/// Most redirects `-L` follows (curl's default `--max-redirs`).
const MAX_REDIRECTS: u32 = 50;

/// Run curl. Returns its exit code.
pub async fn run(cluster: &Cluster, origin: &Origin, args: &[String], out: &Output) -> i32 {
    run_with_files(cluster, origin, args, out, Files::none()).await
}

/// Run curl with access to files (`--cacert`, `-o`).
pub async fn run_with_files(
    cluster: &Cluster,
    origin: &Origin,
    args: &[String],
    out: &Output,
    files: Files<'_>,
) -> i32 {
    let mut args = args.to_vec();
    let mut redirects = 0;
    loop {
        match transfer(cluster, origin, &args, out, files, redirects).await {
            Step::Done(code) => return code,
            Step::Follow(next) => {
                args = next;
                redirects += 1;
            }
        }
    }
}

/// How one transfer ended.
enum Step {
    Done(i32),
    /// `-L` and a redirect: the arguments of the next transfer.
    Follow(Vec<String>),
}

/// One transfer; with `-L`, a redirect asks for the next one.
async fn transfer(
    cluster: &Cluster,
    origin: &Origin,
    args: &[String],
    out: &Output,
    files: Files<'_>,
    redirects: u32,
) -> Step {
    let mut follow = None;
    let code = transfer_once(cluster, origin, args, out, files, redirects, &mut follow).await;
    match follow {
        Some(next) => Step::Follow(next),
        None => Step::Done(code),
    }
}

/// The transfer itself; sets `follow` to the next arguments when `-L` meets a redirect.
async fn transfer_once(
    cluster: &Cluster,
    origin: &Origin,
    args: &[String],
    out: &Output,
    files: Files<'_>,
    redirects: u32,
    follow: &mut Option<Vec<String>>,
) -> i32 {
    let a = match parse_args(args) {
        Ok(a) => a,
        Err((msg, code)) => {
            out.err_line(&msg);
            return code;
        }
    };
    let report = |msg: &str, code: i32| {
        if !a.silent || a.show_error {
            out.err_line(&format!("curl: ({code}) {msg}"));
        }
        code
    };
    let url = match parse_url(&a.url) {
        Ok(u) => u,
        Err((msg, code)) => {
            if !a.silent || a.show_error {
                out.err_line(&msg);
            }
            return code;
        }
    };
    let trust = if url.scheme != "https" {
        None
    } else if a.insecure {
        Some(Trust::Insecure)
    } else {
        match &a.cacert {
            Some(path) => match (files.read)(path) {
                Some(pem) => Some(Trust::from_pem(&pem)),
                None => return report(&format!("error setting certificate file: {path}"), 77),
            },
            // A pod's CA bundle has public CAs only: none of them signed a lab certificate.
            None => Some(Trust::Roots(Vec::new())),
        }
    };
    let started = Instant::now();
    let clock = cluster.clock();
    let ct = a
        .connect_timeout
        .map(Duration::from_secs_f64)
        .unwrap_or_else(|| default_connect_timeout(origin));
    let elapsed_ms = || (started.elapsed().as_secs_f64() * 1000.0 * clock.speed()).round() as u64;
    let ip = match http::resolve_one(cluster, origin, &url.host).await {
        Ok(ip) => ip,
        Err(_) => return report(&format!("Could not resolve host: {}", url.host), 6),
    };
    let connected = clock
        .timeout(ct, http::connect(cluster, origin, &ip.to_string(), url.port))
        .await;
    let (stream, _) = match connected {
        Err(_) => {
            return report(
                &format!(
                    "Failed to connect to {ip} port {} after {} ms: Timeout was reached",
                    url.port,
                    elapsed_ms()
                ),
                28,
            )
        }
        Ok(Err(FetchError::Denied(m))) => return report(&m, 7),
        Ok(Err(_)) => {
            return report(
                &format!(
                    "Failed to connect to {ip} port {} after {} ms: Couldn't connect to server",
                    url.port,
                    elapsed_ms()
                ),
                7,
            )
        }
        Ok(Ok(s)) => s,
    };
    let method = a.method.clone().unwrap_or_else(|| {
        if a.head {
            "HEAD".into()
        } else if a.data.is_some() {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    let host_header = if url.port == 80 {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    };
    let mut headers = vec![
        ("Host".to_string(), host_header),
        ("User-Agent".to_string(), "curl/8.14.1".to_string()),
        ("Accept".to_string(), "*/*".to_string()),
    ];
    for h in &a.headers {
        if let Some((k, v)) = h.split_once(':') {
            headers.retain(|(ek, _)| !ek.eq_ignore_ascii_case(k.trim()));
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let req = FetchRequest {
        method: method.clone(),
        host: url.host.clone(),
        port: url.port,
        target: url.target.clone(),
        headers,
        body: a.data.clone().unwrap_or_default().into(),
    };
    if a.verbose {
        out.err_line(&format!("*   Trying {ip}:{}...", url.port));
        out.err_line(&format!("* Connected to {} ({ip}) port {}", url.host, url.port));
        out.err_line(&format!("> {method} {} HTTP/1.1", url.target));
        for (k, v) in &req.headers {
            out.err_line(&format!("> {k}: {v}"));
        }
        out.err_line(">");
    }
    let exchange = async {
        match trust {
            None => Ok(http::send(stream, &req).await),
            Some(trust) => {
                let Ok(name) = rustls::pki_types::ServerName::try_from(url.host.clone()) else {
                    let msg = format!(
                        "SSL: no alternative certificate subject name matches target host name '{}'",
                        url.host
                    );
                    return Err((60, msg));
                };
                match tokio_rustls::TlsConnector::from(tls::client_config(trust))
                    .connect(name, stream)
                    .await
                {
                    Ok(tls_stream) => Ok(http::send(tls_stream, &req).await),
                    Err(e) => Err(tls::curl_error(&e, &url.host, true)),
                }
            }
        }
    };
    let result = match a.max_time {
        Some(m) => match clock.timeout(Duration::from_secs_f64(m), exchange).await {
            Ok(r) => r,
            Err(_) => {
                let msg = format!(
                    "Operation timed out after {} milliseconds with 0 bytes received",
                    elapsed_ms()
                );
                return report(&msg, 28);
            }
        },
        None => exchange.await,
    };
    let sent = match result {
        Ok(s) => s,
        Err((code, msg)) => return report(&msg, code),
    };
    let (resp, version) = match sent {
        Ok(r) => r,
        Err(FetchError::EmptyReply) => return report("Empty reply from server", 52),
        Err(_) => return report("Recv failure: Connection reset by peer", 56),
    };
    let version = match version.as_str() {
        "HTTP/1.0" => "HTTP/1.0",
        _ => "HTTP/1.1",
    };
    let status_line = format!("{version} {} {}", resp.status, reason(resp.status));
    if a.verbose {
        out.err_line(&format!("< {status_line}"));
        for (k, v) in &resp.headers {
            out.err_line(&format!("< {k}: {v}"));
        }
        out.err_line("<");
    }
    if a.follow && matches!(resp.status, 301 | 302 | 303 | 307 | 308) {
        if let Some(location) = header(&resp.headers, "location") {
            if redirects >= MAX_REDIRECTS {
                return report(&format!("Maximum ({MAX_REDIRECTS}) redirects followed"), 47);
            }
            if a.include {
                out.out(&head_text(&status_line, &resp.headers));
            }
            let next = absolute_url(&url, location);
            *follow = Some(
                args.iter()
                    .map(|x| if *x == a.url { next.clone() } else { x.clone() })
                    .collect(),
            );
            return 0;
        }
    }
    if a.fail && resp.status >= 400 {
        return report(&format!("The requested URL returned error: {}", resp.status), 22);
    }
    let mut bytes = Vec::new();
    if a.include || a.head {
        bytes.extend_from_slice(head_text(&status_line, &resp.headers).as_bytes());
    }
    if !a.head {
        bytes.extend_from_slice(&resp.body);
    }
    match a.output.as_deref() {
        None => out.out(&String::from_utf8_lossy(&bytes)),
        Some(path) => {
            if !a.silent {
                out.err(&progress_meter(bytes.len(), started.elapsed().mul_f64(clock.speed())));
            }
            if path != "/dev/null" {
                if let Err(e) = (files.write)(path, &bytes) {
                    out.err_line(&format!("Warning: Failed to open the file {path}: {e}"));
                    return report(
                        &format!(
                            "Failure writing output to destination, passed {} returned 0",
                            bytes.len()
                        ),
                        23,
                    );
                }
            }
        }
    }
    if let Some(w) = &a.write_out {
        let w = w
            .replace("%{http_code}", &resp.status.to_string())
            .replace("%{size_download}", &resp.body.len().to_string())
            .replace("\\n", "\n");
        out.out(&w);
    }
    0
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The status line and headers as curl `-i` prints them.
fn head_text(status_line: &str, headers: &[(String, String)]) -> String {
    let mut text = format!("{status_line}\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text
}

/// A `Location` made absolute against the URL it came from.
fn absolute_url(base: &Url, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let authority = format!("{}://{}:{}", base.scheme, base.host, base.port);
    if location.starts_with('/') {
        return format!("{authority}{location}");
    }
    let dir = base.target.split('?').next().unwrap_or("/");
    let dir = &dir[..dir.rfind('/').map_or(0, |i| i + 1)];
    format!("{authority}{dir}{location}")
}

/// curl's progress meter for a finished transfer written to a file (shown unless `-s`).
fn progress_meter(size: usize, took: Duration) -> String {
    let speed = (size as f64 / took.as_secs_f64().max(0.001)) as u64;
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100 {size:>5}  100 {size:>5}    0     0 {:>6}      0 --:--:-- --:--:-- --:--:-- {:>6}\n",
        meter_size(speed),
        meter_size(speed)
    )
}

/// curl's five-character sizes: `615`, `12345`, `120k`, `3456k`, `12.3M`.
fn meter_size(n: u64) -> String {
    if n < 100_000 {
        n.to_string()
    } else if n < 10_000 * 1024 {
        format!("{}k", n / 1024)
    } else if n < 100 * 1024 * 1024 {
        format!("{:.1}M", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{}M", n / (1024 * 1024))
    }
}

fn reason(status: u16) -> &'static str {
    hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn parses_bundled_flags_and_urls() {
        let a = parse_args(&v(&["-sS", "http://my-nginx", "--connect-timeout", "2"])).unwrap();
        assert!(a.silent && a.show_error);
        assert_eq!(a.connect_timeout, Some(2.0));
        assert_eq!(
            parse_url("127.0.2.1:30008").unwrap(),
            Url {
                scheme: "http".into(),
                host: "127.0.2.1".into(),
                port: 30008,
                target: "/".into()
            }
        );
        assert_eq!(parse_url("https://my-nginx/x?y=1").unwrap().port, 443);
        assert_eq!(parse_args(&v(&["-s"])).unwrap_err().1, 2);
        assert_eq!(
            parse_args(&v(&["--nope", "x"])).unwrap_err().0.lines().next().unwrap(),
            "curl: option --nope: is unknown"
        );
        assert_eq!(parse_url("ftp://x").unwrap_err().1, 1);
    }
}
