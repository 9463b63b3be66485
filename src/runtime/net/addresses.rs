//! The address model: which virtual cluster address stands for which loopback socket.
//!
//! | thing | shown as | really is |
//! |---|---|---|
//! | pod IP | 10.244.N.M | a 127.0.0.1:ephemeral listener per container port |
//! | ClusterIP | 10.96.0.0/12 | translated to one endpoint at connect time (DNAT); also a 127.0.0.1:ephemeral proxy listener per Service port |
//! | node IP | 127.0.2.N | itself |
//! | LoadBalancer | 127.0.1.N | itself (port may fall back) |

use std::collections::HashSet;
use std::net::Ipv4Addr;

/// `kubernetes` Service address.
pub const KUBERNETES_SERVICE_IP: Ipv4Addr = Ipv4Addr::new(10, 96, 0, 1);
/// `kube-dns` Service address.
pub const KUBE_DNS_IP: Ipv4Addr = Ipv4Addr::new(10, 96, 0, 10);

/// Is `ip` inside the Service CIDR 10.96.0.0/12?
pub fn in_service_cidr(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    o[0] == 10 && (96..112).contains(&o[1])
}

/// Is `ip` a pod address (10.244.0.0/16)?
pub fn in_pod_cidr(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    o[0] == 10 && o[1] == 244
}

/// The address of node number `index` (0-based) in the lab's node block `127.0.<block>.0/24`:
/// 127.0.2.1, 127.0.2.2 … for the default block 2.
pub fn node_ip(block: u8, index: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, block, (index + 1).min(254) as u8)
}

/// A random free ClusterIP from 10.96.0.0/12 (the low addresses are left for well-known ones).
pub fn allocate_cluster_ip(used: &HashSet<String>) -> Ipv4Addr {
    loop {
        let n: u32 = rand::random_range(256..(1 << 20) - 1);
        let ip = Ipv4Addr::from(u32::from(Ipv4Addr::new(10, 96, 0, 0)) + n);
        if !used.contains(&ip.to_string()) {
            return ip;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_ips_stay_in_range() {
        let used = HashSet::new();
        for _ in 0..1000 {
            let ip = allocate_cluster_ip(&used);
            assert!(in_service_cidr(ip), "{ip}");
            assert_ne!(ip, KUBE_DNS_IP);
        }
        assert!(!in_service_cidr(Ipv4Addr::new(10, 112, 0, 1)));
        assert!(in_pod_cidr(Ipv4Addr::new(10, 244, 1, 5)));
    }
}
