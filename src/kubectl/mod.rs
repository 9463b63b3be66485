//! kubectl: the verbs, flags, printers and error messages of kubectl v1.33, against the
//! embedded cluster.
//!
//! [`run`] splits off the verb, parses its flags ([`args`]) against the verb's row in the
//! command table ([`verbs`]) and calls it. Verbs print through [`Output`] in kubectl's words
//! and return kubectl's exit code.
//!
//! - [`args`], [`verbs`], [`resources`]: the command line, the command table, resource arguments;
//!   [`subcommands`]: verbs that are groups (`config`, `set`); [`help`] and [`help_pages`]:
//!   `kubectl VERB --help` in kubectl's layout, from one table per command.
//! - [`get`], [`describe`], [`apply`], [`create`], [`expose`], [`mutate`] (scale, label,
//!   annotate, patch, replace), [`delete`] (and wait), [`rollout`], [`set`] (image, env),
//!   [`exec`] (and run), [`portforward`], [`logs`], [`edit`] (and [`external_editor`]), [`info`] (version,
//!   api-resources), [`clusterinfo`], [`config`] (the kubeconfig): one module per verb family.
//! - [`printers`]: table columns per kind, yaml, json, name, jsonpath, go-template,
//!   custom-columns; [`tabwriter`] and [`gotab`] lay tables out like Go; [`age`] is AGE.
//! - [`invocation`]: a command line as kubectl reads it (verb, flags, the objects it names),
//!   for lesson checks that judge what was asked, not how it was spelled.
//! - [`errors`]: how API errors read (`Error from server (NotFound): …`).

pub mod age;
pub mod apply;
pub mod args;
pub mod clusterinfo;
pub mod config;
pub mod create;
pub mod delete;
pub mod describe;
pub mod edit;
pub mod errors;
pub mod exec;
pub mod expose;
pub mod external_editor;
pub mod get;
pub mod gotab;
pub mod help;
pub mod help_pages;
pub mod info;
pub mod invocation;
pub mod logs;
pub mod made;
pub mod mutate;
pub mod portforward;
pub mod printers;
pub mod resources;
pub mod rollout;
pub mod set;
pub mod subcommands;
pub mod table;
pub mod tabwriter;
pub mod verbs;

#[cfg(test)]
mod tests;

use crate::io::Output;
use crate::runtime::Cluster;
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
    let code = verbs::dispatch(ctx, args, out).await;
    // The next command should see the controllers' reaction to this one (Endpoints, node
    // ports, scheduling), as it would after a human's pause; see `Cluster::settle`.
    ctx.cluster.settle(SETTLE_LIMIT).await;
    code
}

/// The longest a kubectl command waits for the controllers to catch up before returning.
const SETTLE_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The table `kubectl get <kind>` prints, for live views (the TUI's resources pane).
pub fn get_table(cluster: &Cluster, kind: crate::runtime::Kind, namespace: Option<&str>) -> table::Table {
    get::table(cluster, kind, namespace)
}

/// Print `error: MSG` on stderr and return exit code 1.
pub(crate) fn fail(out: &Output, msg: &str) -> i32 {
    out.err_line(&format!("error: {msg}"));
    1
}

/// Report the errors a command collected as kubectl's `CheckErr` reports an aggregate: one error
/// reads `error: MSG` (unless it already starts so, or is an API error, which reads `Error from
/// server …`), several are printed one per line as they are. Returns the exit code (0 when
/// there were none).
pub(crate) fn fail_all(out: &Output, errors: &[String]) -> i32 {
    match errors {
        [] => 0,
        [one] => {
            let mut msg = if one.starts_with("error: ") || one.starts_with("Error from server") {
                one.clone()
            } else {
                format!("error: {one}")
            };
            if !msg.ends_with('\n') {
                msg.push('\n');
            }
            out.err(&msg);
            1
        }
        many => {
            for e in many {
                out.err_line(e);
            }
            1
        }
    }
}
