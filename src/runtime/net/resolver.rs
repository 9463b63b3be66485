//! A pod's stub resolver, as musl or glibc runs it inside a container: the names of the search
//! path in turn (`ndots:5`), each asked as a real DNS packet over UDP to the name server of the
//! pod's `/etc/resolv.conf` — the kube-dns ClusterIP. So a lookup takes the same way a real one
//! does: the pod's socket → kube-proxy's UDP flow → a CoreDNS pod → back. Scale CoreDNS to zero
//! and names stop resolving, as they would in a real cluster.
//!
//! The host and the nodes do not use the cluster DNS (their resolvers point elsewhere), so
//! cluster names do not resolve there.

use std::net::Ipv4Addr;
use std::time::Duration;

use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};

use super::addresses::KUBE_DNS_IP;
use super::dns::candidates;
use super::Origin;
use crate::runtime::Cluster;

/// `options timeout:5` (the resolv.conf default): how long one name may take to answer.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Why a name did not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveError {
    /// The name server answered: no such name (or no address for it).
    NotFound,
    /// No name server answered (CoreDNS down, kube-dns without endpoints).
    NoServer,
}

/// Resolve a host name as a client at `origin` would: IP literals as they are, `localhost`,
/// and other names through the cluster DNS from pods only. Returns the name that answered and
/// its addresses.
pub async fn resolve(cluster: &Cluster, origin: &Origin, name: &str) -> Result<(String, Vec<Ipv4Addr>), ResolveError> {
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return Ok((name.to_string(), vec![ip]));
    }
    if name.eq_ignore_ascii_case("localhost") {
        return Ok((name.to_string(), vec![Ipv4Addr::LOCALHOST]));
    }
    let Origin::Pod { namespace, .. } = origin else {
        return Err(ResolveError::NotFound);
    };
    for candidate in candidates(name, namespace) {
        let reply = query(cluster, origin, &candidate, RecordType::A).await?;
        let mut ips = addresses(&reply);
        // An ExternalName Service answers with a CNAME only: follow it once.
        if ips.is_empty() {
            if let Some(target) = reply.answers.iter().find_map(|r| match &r.data {
                RData::CNAME(c) => Some(c.0.to_ascii()),
                _ => None,
            }) {
                if let Ok(r) = query(cluster, origin, target.trim_end_matches('.'), RecordType::A).await {
                    ips = addresses(&r);
                }
            }
        }
        if !ips.is_empty() {
            return Ok((candidate, ips));
        }
    }
    Err(ResolveError::NotFound)
}

/// The name of an address (a PTR query), as `nslookup` prints beside it.
pub async fn reverse(cluster: &Cluster, origin: &Origin, ip: Ipv4Addr) -> Option<String> {
    let [a, b, c, d] = ip.octets();
    let reply = query(
        cluster,
        origin,
        &format!("{d}.{c}.{b}.{a}.in-addr.arpa"),
        RecordType::PTR,
    )
    .await
    .ok()?;
    reply.answers.iter().find_map(|r| match &r.data {
        RData::PTR(p) => Some(p.0.to_ascii().trim_end_matches('.').to_string()),
        _ => None,
    })
}

fn addresses(reply: &Message) -> Vec<Ipv4Addr> {
    reply
        .answers
        .iter()
        .filter_map(|r| match &r.data {
            RData::A(a) => Some(a.0),
            _ => None,
        })
        .collect()
}

/// Ask the pod's name server one question.
async fn query(cluster: &Cluster, origin: &Origin, fqdn: &str, ty: RecordType) -> Result<Message, ResolveError> {
    let name = Name::from_ascii(format!("{fqdn}.")).map_err(|_| ResolveError::NotFound)?;
    let mut msg = Message::new(rand::random(), MessageType::Query, OpCode::Query);
    msg.metadata.recursion_desired = true;
    msg.add_query(Query::query(name, ty));
    let bytes = msg.to_vec().map_err(|_| ResolveError::NotFound)?;
    let server = std::net::SocketAddrV4::new(KUBE_DNS_IP, 53);
    let reply = cluster
        .net()
        .exchange_udp(origin, server, &bytes, TIMEOUT)
        .await
        .map_err(|_| ResolveError::NoServer)?;
    let reply = Message::from_vec(&reply).map_err(|_| ResolveError::NoServer)?;
    match reply.metadata.response_code {
        ResponseCode::NoError | ResponseCode::NXDomain => Ok(reply),
        _ => Err(ResolveError::NotFound),
    }
}
