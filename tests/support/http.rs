//! One plain HTTP/1.1 GET over a real socket, as a learner's own terminal sends it (the lab's
//! node and load-balancer addresses answer from outside the lab process).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// `GET /` to `addr`, the whole response (status line, headers, body), or why not: while pods
/// start a Service may refuse or reset.
pub fn try_get(addr: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    s.write_all(b"GET / HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")?;
    let mut resp = String::new();
    s.read_to_string(&mut resp)?;
    Ok(resp)
}
