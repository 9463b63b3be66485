//! UDP in the lab: the route table for datagram ports (a pod's `53/UDP`, a Service's UDP port)
//! and the one place that sends a datagram on a client's behalf.
//!
//! UDP has no connection to refuse or to time out, so the lab reproduces what a client sees on a
//! real network: a port nobody listens on at a pod IP answers with ICMP "port unreachable"
//! (`ConnectionRefused` on a connected socket), a Service with no endpoints is REJECTed by
//! kube-proxy the same way, and an address nobody routes (a ClusterIP seen from the host) just
//! never answers — the caller's timeout ends the wait. As for TCP, every real socket is a
//! loopback socket: [`bind_udp_loopback`] refuses anything else, and virtual addresses are
//! translated before a packet is sent.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

use super::{addresses, is_loopback, refuse_foreign, Net, Origin};
use crate::runtime::Cluster;

/// Where a virtual UDP address leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UdpRoute {
    /// A real loopback UDP socket.
    Socket(SocketAddr),
    /// Answer with "port unreachable" (a Service with no endpoints: kube-proxy's REJECT rule).
    Reject,
}

/// The largest datagram the lab reads (DNS over UDP with EDNS stays far below it).
pub const MAX_DATAGRAM: usize = 65_535;

/// Bind a UDP socket, refusing any non-loopback address. Synchronous so kube-proxy's reconcile
/// can call it; must run inside a tokio runtime.
pub fn bind_udp_loopback(addr: SocketAddr) -> io::Result<UdpSocket> {
    if !is_loopback(addr.ip()) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("k8s-lab binds loopback addresses only, not {addr}"),
        ));
    }
    let sock = std::net::UdpSocket::bind(addr)?;
    sock.set_nonblocking(true)?;
    UdpSocket::from_std(sock)
}

/// A fresh client socket on 127.0.0.1 connected to `real` (which must be loopback), so the
/// kernel reports ICMP errors to it and drops datagrams from anyone else.
pub async fn connect_udp_loopback(real: SocketAddr) -> io::Result<UdpSocket> {
    if !is_loopback(real.ip()) {
        return Err(refuse_foreign(real));
    }
    let sock = bind_udp_loopback(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    sock.connect(real).await?;
    Ok(sock)
}

impl Net {
    pub fn set_udp_route(&self, virt: SocketAddrV4, route: UdpRoute) {
        self.udp_routes.write().unwrap().insert(virt, route);
    }

    pub fn remove_udp_route(&self, virt: SocketAddrV4) {
        self.udp_routes.write().unwrap().remove(&virt);
    }

    pub fn udp_route(&self, virt: SocketAddrV4) -> Option<UdpRoute> {
        self.udp_routes.read().unwrap().get(&virt).copied()
    }

    /// Where a datagram from `origin` to `addr` really goes: `Ok(Some(real))`, `Ok(None)` for
    /// a black hole (nothing ever answers), or the error the sender's socket reports.
    fn udp_destination(&self, origin: &Origin, addr: SocketAddrV4) -> io::Result<Option<SocketAddr>> {
        let ip = *addr.ip();
        let refused = || io::Error::new(io::ErrorKind::ConnectionRefused, "connection refused");
        // A pod's own localhost is its network namespace: its containers' ports.
        if let (Origin::Pod { ip: pod_ip, .. }, true) = (origin, ip == Ipv4Addr::LOCALHOST) {
            return match self.udp_route(SocketAddrV4::new(*pod_ip, addr.port())) {
                Some(UdpRoute::Socket(real)) => Ok(Some(real)),
                _ => Err(refused()),
            };
        }
        let virtual_addr = addresses::in_service_cidr(ip) || addresses::in_pod_cidr(ip);
        if virtual_addr && *origin == Origin::Host {
            return Ok(None);
        }
        match self.udp_route(addr) {
            Some(UdpRoute::Socket(real)) => Ok(Some(real)),
            Some(UdpRoute::Reject) => Err(refused()),
            None if addresses::in_pod_cidr(ip) => Err(refused()),
            None if addresses::in_service_cidr(ip) => Ok(None),
            None if ip.is_loopback() => Ok(Some(SocketAddr::V4(addr))),
            None => Err(refuse_foreign(SocketAddr::V4(addr))),
        }
    }

    /// Send `request` from `origin` to `addr` and wait for one reply, the way a stub resolver
    /// asks its name server: the request is sent again after half of `timeout` (musl's retry),
    /// and `TimedOut` comes when nothing answered in time. The proxy and the pod that answer
    /// learn who asked (for traffic events and logs) through the same hop table as TCP.
    pub async fn exchange_udp(
        &self,
        origin: &Origin,
        addr: SocketAddrV4,
        request: &[u8],
        timeout: Duration,
    ) -> io::Result<Vec<u8>> {
        let timed_out = || io::Error::new(io::ErrorKind::TimedOut, "timed out");
        let Some(real) = self.udp_destination(origin, addr)? else {
            tokio::time::sleep(timeout).await;
            return Err(timed_out());
        };
        let sock = connect_udp_loopback(real).await?;
        let local = sock.local_addr()?;
        let hop = super::Hop {
            from: origin.label(),
            dialled: Some(addr),
            probe: false,
        };
        self.note_hop_info(local, hop);
        let result = async {
            let mut buf = vec![0u8; MAX_DATAGRAM];
            for _ in 0..2 {
                sock.send(request).await?;
                if let Ok(r) = tokio::time::timeout(timeout / 2, sock.recv(&mut buf)).await {
                    let n = r?;
                    return Ok(buf[..n].to_vec());
                }
            }
            Err(timed_out())
        }
        .await;
        // Whoever answered took the hop already; a black-holed request leaves none behind.
        self.take_hop(local);
        result
    }
}

/// Answer every datagram on `sock` with `answer(request, sender)` (`None`: no reply). The
/// sender is the hop table's name for whoever asked (`pod/frontend-…`, `host`).
pub async fn serve_datagrams<F>(cluster: Cluster, sock: UdpSocket, answer: F)
where
    F: Fn(&[u8], Option<String>) -> Option<Vec<u8>> + Send + 'static,
{
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        let Ok((n, peer)) = sock.recv_from(&mut buf).await else {
            continue;
        };
        let from = cluster.net().take_hop(peer);
        if let Some(reply) = answer(&buf[..n], from) {
            let _ = sock.send_to(&reply, peer).await;
        }
    }
}

/// Answer messages sent over TCP behind a two-byte length, as DNS does over TCP, with the same
/// `answer` as the UDP port.
pub async fn serve_framed_tcp<F>(cluster: Cluster, listener: TcpListener, answer: F)
where
    F: Fn(&[u8], Option<String>) -> Option<Vec<u8>> + Clone + Send + Sync + 'static,
{
    loop {
        let Ok((mut stream, peer)) = listener.accept().await else {
            continue;
        };
        let from = cluster.net().take_hop(peer);
        let answer = answer.clone();
        tokio::spawn(async move {
            loop {
                let Ok(len) = stream.read_u16().await else { return };
                let mut msg = vec![0u8; usize::from(len)];
                if stream.read_exact(&mut msg).await.is_err() {
                    return;
                }
                let Some(reply) = answer(&msg, from.clone()) else {
                    return;
                };
                let Ok(len) = u16::try_from(reply.len()) else { return };
                if stream.write_u16(len).await.is_err() || stream.write_all(&reply).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod() -> Origin {
        Origin::Pod {
            namespace: "default".into(),
            name: "p".into(),
            ip: Ipv4Addr::new(10, 244, 2, 3),
        }
    }

    /// An echo server that also reports who asked, as the hop table says.
    async fn echo(net: std::sync::Arc<Net>) -> SocketAddr {
        let sock = bind_udp_loopback("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = sock.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 1500];
            loop {
                let (n, peer) = sock.recv_from(&mut buf).await.unwrap();
                let from = net.take_hop(peer).unwrap_or_default();
                let mut reply = buf[..n].to_vec();
                reply.extend_from_slice(format!(" from {from}").as_bytes());
                sock.send_to(&reply, peer).await.unwrap();
            }
        });
        addr
    }

    #[tokio::test]
    async fn virtual_udp_addresses_are_mapped_and_the_sender_is_known() {
        let net = std::sync::Arc::new(Net::new());
        let real = echo(net.clone()).await;
        let virt: SocketAddrV4 = "10.244.1.7:53".parse().unwrap();
        net.set_udp_route(virt, UdpRoute::Socket(real));
        let reply = net
            .exchange_udp(&pod(), virt, b"ping", Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(reply, b"ping from pod/p");
        assert!(net.hops.read().unwrap().is_empty(), "the hop was taken by the server");
        // Nobody listens on that pod port: ICMP port unreachable.
        let err = net
            .exchange_udp(&pod(), "10.244.1.7:54".parse().unwrap(), b"x", Duration::from_secs(5))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        // REJECT (a Service without endpoints) is refused too.
        let svc: SocketAddrV4 = "10.96.0.10:53".parse().unwrap();
        net.set_udp_route(svc, UdpRoute::Reject);
        let err = net
            .exchange_udp(&pod(), svc, b"x", Duration::from_secs(5))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        // A foreign address is never sent to.
        let err = net
            .exchange_udp(&pod(), "8.8.8.8:53".parse().unwrap(), b"x", Duration::from_secs(5))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        let any = SocketAddr::from((Ipv4Addr::new(0, 0, 0, 0), 0));
        assert!(bind_udp_loopback(any).is_err(), "the wildcard address is refused");
    }

    #[tokio::test(start_paused = true)]
    async fn unrouted_addresses_time_out_after_a_retry() {
        let net = Net::new();
        let svc: SocketAddrV4 = "10.96.0.10:53".parse().unwrap();
        net.set_udp_route(svc, UdpRoute::Socket("127.0.0.1:9".parse().unwrap()));
        // From the host a ClusterIP is not routed at all.
        let started = tokio::time::Instant::now();
        let err = net
            .exchange_udp(&Origin::Host, svc, b"x", Duration::from_secs(5))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(5));
        // A ClusterIP port no Service has: dropped.
        let err = net
            .exchange_udp(&pod(), "10.96.0.99:53".parse().unwrap(), b"x", Duration::from_secs(5))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    }
}
