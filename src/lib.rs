//! k8s-lab: a terminal learning lab for Kubernetes Services.
//!
//! Layout, top layer first. A module imports only modules below it
//! (`ui → lessons → shell → kubectl → runtime → io`; `workspace` is a leaf like `io`), and only
//! the runtime touches the object store: `tests/layering.rs` checks both.
//! - [`cli`] — the command line (clap), its help and usage errors in the chosen language.
//! - [`app`] — what the binary's commands do; where lessons meet the UI.
//! - [`runtime`] — the embedded cluster: object store, controllers, data plane (real loopback
//!   sockets), DNS, built-in images and pod shells. [`runtime::api`] is its one door: the
//!   Kubernetes API's verbs, which everything above uses.
//! - [`kubectl`] — kubectl's verbs, argument parsing, printers and error wording; a client of
//!   [`runtime::api`].
//! - [`shell`] — the learner's command line: quoting, pipes, `$(…)`, variables and builtins;
//!   its journal records every kubectl invocation as run, for lesson checks; its line editor
//!   (keys, history, Tab) is the command line of both `k8s-lab shell` and the UI.
//! - [`lessons`] — lessons as data: loading, checks (on the cluster, the journal and the
//!   traffic the lab served), progress.
//! - [`ui`] — the ratatui application.
//! - [`workspace`] — the learner's files and the lesson's bundled URLs.
//! - [`io`] — where output goes (terminal pane, stdout, a pipe, a test); imports nothing of the
//!   crate.

pub mod app;
pub mod cli;
pub mod io;
pub mod kubectl;
pub mod lessons;
pub mod runtime;
pub mod shell;
pub mod ui;
pub mod workspace;

#[cfg(test)]
mod cli_tests;
