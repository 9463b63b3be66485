//! The `k8s-lab` binary: everything it does is in [`k8s_lab::cli::run`], where it can be tested.

use std::process::ExitCode;

fn main() -> ExitCode {
    k8s_lab::cli::run(std::env::args_os().collect())
}
