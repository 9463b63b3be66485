//! The cluster DNS as a real DNS server: UDP and TCP on a loopback port, answering from
//! [`super::dns::lookup`], so `dig @127.0.0.1 -p PORT my-nginx.default.svc.cluster.local` works
//! from the learner's own shell. Names outside the cluster zone get SERVFAIL: the lab has no
//! upstream resolver (it is offline).

use std::net::{Ipv4Addr, SocketAddr};

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::{A, CNAME, PTR, SRV};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::dns::{lookup, QType, Rec};
use super::udp::{bind_udp_loopback, serve_datagrams, serve_framed_tcp};
use crate::runtime::Cluster;

/// CoreDNS's default TTL for cluster records.
const TTL: u32 = 30;

/// Build the reply to one DNS message (`None` if it cannot even be parsed).
pub fn answer(cluster: &Cluster, request: &[u8]) -> Option<Vec<u8>> {
    let req = Message::from_vec(request).ok()?;
    let mut resp = Message::new(req.metadata.id, MessageType::Response, req.metadata.op_code);
    resp.metadata.recursion_desired = req.metadata.recursion_desired;
    resp.metadata.recursion_available = true;
    resp.metadata.authoritative = true;
    for q in &req.queries {
        resp.add_query(q.clone());
        let name = q.name.to_ascii();
        let qtype = match q.query_type {
            RecordType::A => QType::A,
            RecordType::AAAA => QType::Aaaa,
            RecordType::SRV => QType::Srv,
            RecordType::PTR => QType::Ptr,
            RecordType::CNAME => QType::Cname,
            RecordType::ANY => QType::Any,
            _ => QType::Aaaa, // exists-or-not semantics with no records
        };
        let a = lookup(cluster, &name, qtype);
        if a.outside {
            resp.metadata.response_code = ResponseCode::ServFail;
            resp.metadata.authoritative = false;
            continue;
        }
        if a.nxdomain {
            resp.metadata.response_code = ResponseCode::NXDomain;
        }
        for r in a.records {
            let rdata = match r {
                Rec::A(ip) => RData::A(A(ip)),
                Rec::Cname(t) => RData::CNAME(CNAME(fqdn(&t)?)),
                Rec::Srv { port, target } => RData::SRV(SRV::new(0, 100, port, fqdn(&target)?)),
                Rec::Ptr(t) => RData::PTR(PTR(fqdn(&t)?)),
            };
            resp.add_answer(Record::from_rdata(q.name.clone(), TTL, rdata));
        }
    }
    resp.to_vec().ok()
}

fn fqdn(name: &str) -> Option<Name> {
    let n = if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    };
    Name::from_ascii(n).ok()
}

/// Serve DNS on 127.0.0.1 (UDP and TCP, same port) for the learner's own shell. Returns the
/// address. (Inside the lab, pods ask CoreDNS through the kube-dns Service instead.)
pub async fn start(cluster: &Cluster) -> std::io::Result<SocketAddr> {
    let udp = bind_udp_loopback(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    let addr = udp.local_addr()?;
    let tcp = super::bind_loopback(addr)
        .await
        .or(super::bind_loopback(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await)?;
    let cl = cluster.clone();
    cluster.spawn(serve_datagrams(cluster.clone(), udp, move |req, _| answer(&cl, req)));
    let cl = cluster.clone();
    cluster.spawn(serve_framed_tcp(cluster.clone(), tcp, move |req, _| answer(&cl, req)));
    Ok(addr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::Query;

    async fn ask(addr: SocketAddr, name: &str, ty: RecordType) -> Message {
        let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let mut q = Message::query();
        q.metadata.id = 4242;
        q.add_query(Query::query(Name::from_ascii(name).unwrap(), ty));
        sock.send_to(&q.to_vec().unwrap(), addr).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(std::time::Duration::from_secs(5), sock.recv(&mut buf))
            .await
            .unwrap()
            .unwrap();
        Message::from_vec(&buf[..n]).unwrap()
    }

    #[tokio::test]
    async fn answers_real_packets_for_cluster_names() {
        let cluster = Cluster::start(crate::runtime::ClusterConfig {
            node_block: 44,
            ..Default::default()
        })
        .await
        .unwrap();
        let addr = cluster.dns_addr().expect("the DNS server is up");
        assert!(addr.ip().is_loopback());

        let r = ask(addr, "kubernetes.default.svc.cluster.local.", RecordType::A).await;
        assert_eq!(r.metadata.id, 4242);
        assert_eq!(r.metadata.response_code, ResponseCode::NoError);
        assert_eq!(r.answers.len(), 1);
        assert_eq!(r.answers[0].data, RData::A(A(Ipv4Addr::new(10, 96, 0, 1))));

        let r = ask(
            addr,
            "_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local.",
            RecordType::SRV,
        )
        .await;
        let RData::SRV(srv) = &r.answers[0].data else {
            panic!("{r:?}")
        };
        assert_eq!(srv.port, 53);
        assert_eq!(srv.target.to_ascii(), "kube-dns.kube-system.svc.cluster.local.");

        let r = ask(addr, "10.0.96.10.in-addr.arpa.", RecordType::PTR).await;
        assert_eq!(r.answers.len(), 1);

        let r = ask(addr, "nope.default.svc.cluster.local.", RecordType::A).await;
        assert_eq!(r.metadata.response_code, ResponseCode::NXDomain);
        let r = ask(addr, "example.com.", RecordType::A).await;
        assert_eq!(r.metadata.response_code, ResponseCode::ServFail);
        cluster.shutdown();
    }
}
