//! Test helpers: a cluster and a `kubectl` that takes a command line, as the shell would split it.

use crate::io::Output;
use crate::runtime::{Cluster, ClusterConfig};
use crate::workspace::Workspace;

/// Split a command line on spaces, honouring single and double quotes.
pub fn split(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                any = true;
            }
            None if c == ' ' => {
                if !cur.is_empty() || any {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() || any {
        out.push(cur);
    }
    out
}

pub async fn cluster() -> Cluster {
    Cluster::start(ClusterConfig::default()).await.expect("cluster starts")
}

/// Run `kubectl LINE` (without `kubectl`); returns the exit code and stdout+stderr.
pub async fn kubectl(cluster: &Cluster, line: &str) -> (i32, String) {
    kubectl_in(cluster, &Workspace::new(std::env::temp_dir()), None, line).await
}

pub async fn kubectl_in(cluster: &Cluster, ws: &Workspace, stdin: Option<&str>, line: &str) -> (i32, String) {
    let (out, buf) = Output::buffer();
    let ctx = crate::kubectl::Ctx {
        cluster,
        workspace: ws,
        stdin,
    };
    let code = crate::kubectl::run(&ctx, &split(line), &out).await;
    (code, buf.text())
}
