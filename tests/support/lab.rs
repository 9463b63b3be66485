//! Start a lab session the way `k8s-lab shell --lesson X` does, on an address block of its own
//! so that transcripts can run in parallel without fighting over node ports.

use std::net::Ipv4Addr;
use std::path::Path;

use k8s_lab::io::Output;
use k8s_lab::lessons;
use k8s_lab::runtime::{Cluster, ClusterConfig};
use k8s_lab::shell::Session;
use k8s_lab::workspace::Workspace;

/// `lesson`'s cluster moved to the address block `block` (nodes at 127.0.`block`.x, load
/// balancers at 127.0.`block+100`.x).
pub fn config_for(lesson: &lessons::Lesson, block: u8) -> ClusterConfig {
    let mut config = lesson.cluster_config();
    config.node_block = block;
    config.lb_pool = (1..=20).map(|i| Ipv4Addr::new(127, 0, block + 100, i)).collect();
    config
}

pub async fn session_for(lesson: Option<&str>, block: u8, home: &Path) -> Session {
    let pool: Vec<Ipv4Addr> = (1..=20).map(|i| Ipv4Addr::new(127, 0, block + 100, i)).collect();
    let Some(id) = lesson else {
        let config = ClusterConfig {
            node_block: block,
            lb_pool: pool,
            ..Default::default()
        };
        let cluster = Cluster::start(config).await.expect("cluster starts");
        return Session::new(cluster, Workspace::new(home));
    };
    let lesson = lessons::find(id).unwrap_or_else(|e| panic!("lesson {id}: {e}"));
    let config = config_for(&lesson, block);
    let (out, buf) = Output::buffer();
    match lesson.open_session(config, &home.join("workspace"), &out).await {
        Ok(s) => s,
        Err(e) => panic!("lesson {id} setup failed: {e}\n{}", buf.text()),
    }
}

/// Run one command line; its exit status and everything it printed.
pub async fn run(s: &mut Session, line: &str) -> (i32, String) {
    let (out, buf) = Output::buffer();
    let code = s.run_line(line, &out).await;
    (code, buf.text())
}
