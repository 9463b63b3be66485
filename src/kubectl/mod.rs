//! kubectl: the verbs, flags, printers and error messages of kubectl v1.33, against the
//! embedded cluster.

pub mod table;

use crate::runtime::Cluster;
use crate::shell::io::Output;
use crate::workspace::Workspace;

/// What a kubectl invocation runs against.
pub struct Ctx<'a> {
    pub cluster: &'a Cluster,
    pub workspace: &'a Workspace,
    /// Data on stdin (`kubectl apply -f -`).
    pub stdin: Option<&'a str>,
}

/// Run `kubectl ARGS…` (without the leading `kubectl`). Output and errors go to `out` in
/// kubectl's words; the return value is kubectl's exit code. Long-running forms (`--watch`,
/// `rollout status`) run until done or until the future is dropped (Ctrl+C, `timeout`).
pub async fn run(ctx: &Ctx<'_>, args: &[String], out: &Output) -> i32 {
    let _ = ctx;
    out.err_line(&format!(
        "error: unknown command {:?} for \"kubectl\"",
        args.first().map(String::as_str).unwrap_or("")
    ));
    1
}

/// The table `kubectl get <kind>` prints, for live views (the TUI's resources pane).
pub fn get_table(cluster: &Cluster, kind: crate::runtime::Kind, namespace: Option<&str>) -> table::Table {
    let _ = (cluster, kind, namespace);
    table::Table::default()
}
