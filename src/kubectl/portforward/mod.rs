//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…`: a real local port that leads into a pod.
//!
//! This is how a learner reaches a ClusterIP Service or a pod from their own browser or `curl`,
//! so the listener is real (on 127.0.0.1, and [::1] where the machine has it) and the bytes reach
//! the pod's real loopback server. kubectl's steps are kept, because each has its own error that
//! learners meet: find the object (a bare name is a pod); pick one of its pods the way kubectl's
//! `AttachablePodForObject` does ([`pick`]), waiting up to `--pod-running-timeout` for one to
//! exist; turn a Service port into the pod's target port and named ports into numbers
//! ([`ports`]); refuse a pod that is not Running; then listen ([`forward`]). Only loopback
//! `--address` values are accepted: the lab never listens on an address another machine can reach.

mod forward;
mod pick;
mod ports;

use std::net::IpAddr;
use std::time::Duration;

use super::args::Parsed;
use super::delete::parse_duration;
use super::errors::server_error;
use super::{fail, Ctx};
use crate::io::Output;
use crate::runtime::{ApiError, Kind, Object};

pub use forward::ForwardedPort;

/// kubectl's default `--pod-running-timeout`.
const POD_RUNNING_TIMEOUT: Duration = Duration::from_secs(60);

/// One address to listen on: kubectl's `listenAddress`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenAddress {
    /// As kubectl prints it (`127.0.0.1`, `::1`).
    pub text: String,
    pub ip: IpAddr,
    /// `localhost` expands to two addresses of which one is enough ("all" in kubectl); an address
    /// named on its own must work ("any").
    pub required: bool,
}

/// kubectl's `parseAddresses`, plus the lab's rule: loopback only. Sorted and deduplicated as
/// kubectl does. Errors are messages without `error: `.
pub fn parse_addresses(given: &[String]) -> Result<Vec<ListenAddress>, String> {
    let mut out: Vec<ListenAddress> = Vec::new();
    let mut add = |a: ListenAddress| {
        if let Some(slot) = out.iter_mut().find(|o| o.text == a.text) {
            if a.required {
                *slot = a;
            }
        } else {
            out.push(a);
        }
    };
    for a in given {
        if a == "localhost" {
            for ip in ["127.0.0.1", "::1"] {
                add(ListenAddress {
                    text: ip.to_string(),
                    ip: ip.parse().expect("a literal address"),
                    required: false,
                });
            }
            continue;
        }
        let ip: IpAddr = a.parse().map_err(|_| format!("{a} is not a valid IP"))?;
        if !ip.is_loopback() {
            return Err(format!(
                "k8s-lab listens on loopback addresses only, and {a} is not one (use localhost, 127.0.0.1 or ::1)"
            ));
        }
        add(ListenAddress {
            text: ip.to_string(),
            ip,
            required: true,
        });
    }
    out.sort_by(|a, b| a.text.cmp(&b.text));
    Ok(out)
}

/// What a resource argument names: kubectl's `ResourceNames("pods", arg)`.
fn resolve(ctx: &Ctx<'_>, ns: &str, typed: &str) -> Result<std::sync::Arc<Object>, String> {
    let (kind, name) = match typed.split_once('/') {
        Some((t, name)) => {
            let kind =
                Kind::resolve(t).ok_or_else(|| format!("error: the server doesn't have a resource type \"{t}\""))?;
            if name.is_empty() {
                return Err("error: arguments in resource/name form must have a single resource and name".into());
            }
            (kind, name)
        }
        None => (Kind::Pod, typed),
    };
    ctx.cluster.get(kind, ns, name).ok_or_else(|| {
        server_error(&ApiError::NotFound {
            kind,
            name: name.to_string(),
        })
    })
}

/// `kubectl port-forward`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    // pflag parses the duration before the command runs; kubectl checks its sign later.
    let timeout = match p.get("pod-running-timeout").map(|t| (t, parse_duration(t))) {
        None => POD_RUNNING_TIMEOUT,
        Some((_, Some(d))) => d,
        Some((t, None)) => {
            out.err_line(&format!(
                "error: invalid argument \"{t}\" for \"--pod-running-timeout\" flag: time: invalid duration \"{t}\""
            ));
            out.err_line("See 'kubectl port-forward --help' for usage.");
            return 1;
        }
    };
    if p.positional.len() < 2 {
        return fail(
            out,
            "TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples",
        );
    }
    if timeout.is_zero() {
        return fail(
            out,
            "--pod-running-timeout must be higher than zero\nSee 'kubectl port-forward -h' for help and examples",
        );
    }
    let ns = p.namespace();
    let specs = &p.positional[1..];
    let prepared = async {
        let obj = resolve(ctx, &ns, &p.positional[0])?;
        let pod = pick::attachable_pod(ctx.cluster, &obj, timeout).await?;
        let translated = match obj.as_ref() {
            Object::Service(svc) => ports::for_service(specs, svc, &pod),
            _ => ports::for_pod(specs, &pod),
        }
        .map_err(|e| format!("error: {e}"))?;
        Ok::<_, String>((pod, translated))
    };
    let (pod, translated) = match prepared.await {
        Ok(x) => x,
        Err(line) => {
            out.err_line(&line);
            return 1;
        }
    };
    // kubectl looks at the pod again just before forwarding.
    let Some(pod) = ctx.cluster.get(Kind::Pod, &ns, pod.name()) else {
        out.err_line(&server_error(&ApiError::NotFound {
            kind: Kind::Pod,
            name: pod.name().to_string(),
        }));
        return 1;
    };
    let phase = pod
        .as_pod()
        .and_then(|p| p.status.as_ref())
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    if phase != "Running" {
        return fail(
            out,
            &format!("unable to forward port because pod is not running. Current status={phase}"),
        );
    }
    let mut given: Vec<String> = p
        .all("address")
        .iter()
        .flat_map(|a| a.split(','))
        .map(|a| a.trim().to_string())
        .collect();
    if given.is_empty() {
        given.push("localhost".into());
    }
    let addresses = match parse_addresses(&given) {
        Ok(a) => a,
        Err(e) => return fail(out, &e),
    };
    let forwarded = match ports::parse(&translated) {
        Ok(f) => f,
        Err(e) => return fail(out, &e),
    };
    forward::forward(ctx.cluster, &pod, &addresses, forwarded, out).await
}

#[cfg(test)]
mod tests;
