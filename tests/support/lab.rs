//! Start a lab session the way `k8s-lab shell --lesson X` does, on an address block of its own.

use std::net::Ipv4Addr;
use std::path::Path;

use k8s_lab::runtime::{Cluster, ClusterConfig};
use k8s_lab::shell::Session;
use k8s_lab::workspace::Workspace;

pub async fn session_for(lesson: Option<&str>, block: u8, home: &Path) -> Session {
    let _ = lesson;
    let config = ClusterConfig {
        node_block: block,
        lb_pool: (1..=20).map(|i| Ipv4Addr::new(127, 0, block + 100, i)).collect(),
        ..Default::default()
    };
    let cluster = Cluster::start(config).await.expect("cluster starts");
    Session::new(cluster, Workspace::new(home))
}
