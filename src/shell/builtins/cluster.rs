//! Commands that reach the lab cluster: `kubectl` (handed to [`crate::kubectl`]), `curl` from
//! the learner's machine, and the two `minikube` questions the tutorials ask (`ip`,
//! `service NAME --url`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures::future::BoxFuture;

use super::Ctx;
use crate::io::{Chunk, Output};
use crate::runtime::net::Origin;
use crate::runtime::{Kind, Object};
use crate::shell::attach::attach_request;
use crate::shell::exec::forward;
use crate::shell::journal::FileObject;

pub fn kubectl(ctx: Ctx<'_>) -> BoxFuture<'_, i32> {
    Box::pin(async move {
        // The journal notes the invocation before it runs: a `--watch` ended by `timeout` or
        // Ctrl+C was still run.
        let record = {
            let s = &*ctx.session;
            let k = crate::kubectl::Ctx {
                cluster: &s.cluster,
                workspace: &s.workspace,
                stdin: ctx.stdin.as_deref(),
            };
            let objects = crate::kubectl::invocation::parse(&ctx.args)
                .map(|inv| {
                    let ns = inv.parsed.get("namespace").map(str::to_string);
                    crate::kubectl::invocation::file_objects(&k, &inv)
                        .iter()
                        .map(|o| FileObject::of(o, ns.as_deref()))
                        .collect()
                })
                .unwrap_or_default();
            s.journal.start_kubectl(ctx.args.clone(), objects)
        };
        let journal = ctx.session.journal.clone();
        let status = kubectl_run(ctx).await;
        journal.finish(record, status);
        status
    })
}

async fn kubectl_run(ctx: Ctx<'_>) -> i32 {
    {
        let request = attach_request(&ctx.args);
        if let Some(mut r) = request.clone().filter(|r| !r.from_run) {
            // `kubectl exec -it POD -- sh`: the shell itself becomes the pod's shell. A
            // `deploy/web` or `svc/web` enters the first of its pods, as kubectl does; a name
            // that does not resolve goes on to kubectl, which says why.
            let cluster = ctx.session.cluster.clone();
            if let Ok(pod) = crate::kubectl::exec::resolve_pod_in(&cluster, &r.namespace, &r.pod) {
                if cluster.get(Kind::Pod, &r.namespace, &pod).is_some() {
                    r.pod = pod;
                    return ctx.session.attach(r, &ctx.out, false).await;
                }
            }
        }
        // Notice whether kubectl already printed the attach hint, so it is not printed twice.
        let hinted = Arc::new(AtomicBool::new(false));
        let out = {
            let (h, out) = (hinted.clone(), ctx.out.clone());
            let (terminal, editor, external) = (out.is_terminal(), out.has_editor(), out.external_editor());
            Output::new(move |chunk| {
                if let Chunk::Text(_, t) = &chunk {
                    if t.contains("If you don't see a command prompt") {
                        h.store(true, Ordering::Relaxed);
                    }
                }
                forward(&out, chunk)
            })
            .with_terminal(terminal)
            .with_editor(editor)
            .with_external_editor(external)
        };
        let status = {
            let s = &*ctx.session;
            let k = crate::kubectl::Ctx {
                cluster: &s.cluster,
                workspace: &s.workspace,
                stdin: ctx.stdin.as_deref(),
            };
            crate::kubectl::run(&k, &ctx.args, &out).await
        };
        match request {
            Some(r) if r.from_run && status == 0 => {
                ctx.session.attach(r, &ctx.out, hinted.load(Ordering::Relaxed)).await
            }
            _ => status,
        }
    }
}

/// `curl` on the host: `--cacert` and `-o` use the lesson's workspace.
pub fn curl(ctx: Ctx<'_>) -> BoxFuture<'_, i32> {
    Box::pin(async move {
        let ws = &ctx.session.workspace;
        let read = |p: &str| ws.read_bytes(p).ok();
        let write = |p: &str, data: &[u8]| ws.write(p, data).map_err(|e| e.to_string());
        let files = crate::runtime::pod_shell::curl::Files {
            read: &read,
            write: &write,
        };
        crate::runtime::pod_shell::curl::run_with_files(&ctx.session.cluster, &Origin::Host, &ctx.args, &ctx.out, files)
            .await
    })
}

/// The InternalIP of the first node (what `minikube ip` prints).
/// `replay`: rebuild the work of the steps done on a cluster that is gone, by running their
/// solutions again, each shown as if typed. Runs once: afterwards there is nothing to replay.
pub fn replay(ctx: Ctx<'_>) -> BoxFuture<'_, i32> {
    Box::pin(async move {
        let Ctx { session, out, .. } = ctx;
        let lines = std::mem::take(&mut session.replay);
        if lines.is_empty() {
            out.line("replay: nothing to replay: the cluster has the work of every step done");
            return 0;
        }
        let mut failed = 0;
        for line in &lines {
            out.line(&format!("$ {line}"));
            if Box::pin(session.run_line(line, &out)).await != 0 {
                failed += 1;
            }
        }
        if failed > 0 {
            out.err_line(&format!("replay: {failed} of {} commands failed", lines.len()));
            return 1;
        }
        0
    })
}

pub fn first_node_ip(cluster: &crate::runtime::Cluster) -> Option<String> {
    let nodes = cluster.list(Kind::Node, None);
    let node = nodes
        .iter()
        .find(|n| n.name() == cluster.config().node_name)
        .or(nodes.first())?;
    let Object::Node(node) = &**node else {
        return None;
    };
    let addrs = node.status.as_ref()?.addresses.as_ref()?;
    addrs
        .iter()
        .find(|a| a.type_ == "InternalIP")
        .map(|a| a.address.clone())
}

pub fn minikube(ctx: &mut Ctx<'_>) -> i32 {
    let cluster = ctx.session.cluster.clone();
    match ctx.args.first().map(String::as_str) {
        Some("ip") => match first_node_ip(&cluster) {
            Some(ip) => {
                ctx.out.line(&ip);
                0
            }
            None => {
                ctx.out
                    .err_line("❌  Exiting due to GUEST_STATUS: state: unknown state \"minikube\"");
                80
            }
        },
        Some("service") => service(ctx, &cluster),
        Some(other) => {
            ctx.out.err_line(&format!(
                "minikube {other}: the lab only answers 'minikube ip' and 'minikube service NAME --url'"
            ));
            1
        }
        None => {
            ctx.out
                .err_line("Usage: minikube ip | minikube service NAME --url [-n NAMESPACE]");
            1
        }
    }
}

/// `minikube service NAME --url [-n NS]`: one `http://<node ip>:<nodePort>` per port.
fn service(ctx: &mut Ctx<'_>, cluster: &crate::runtime::Cluster) -> i32 {
    let mut name = None;
    let mut namespace = "default".to_string();
    let mut url = false;
    let mut args = ctx.args[1..].iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--url" => url = true,
            "-n" | "--namespace" => namespace = args.next().cloned().unwrap_or_default(),
            s if s.starts_with("--namespace=") => namespace = s["--namespace=".len()..].to_string(),
            s if s.starts_with('-') => {
                ctx.out.err_line(&format!("Error: unknown flag: {s}"));
                return 1;
            }
            s => name = Some(s.to_string()),
        }
    }
    let Some(name) = name else {
        ctx.out
            .err_line("❌  Exiting due to MK_USAGE: You must specify a service name");
        return 64;
    };
    if !url {
        ctx.out
            .err_line("The lab cannot open a browser: add --url to print the address instead.");
        return 1;
    }
    let Some(obj) = cluster.get(Kind::Service, &namespace, &name) else {
        ctx.out.err_line(&format!(
            "❌  Exiting due to SVC_NOT_FOUND: Service '{name}' was not found in '{namespace}' namespace."
        ));
        ctx.out.err_line(&format!("You may select another namespace by using 'minikube service {name} -n <namespace>'. Or list out all the services using 'minikube service list'"));
        return 83;
    };
    let Object::Service(svc) = &*obj else {
        return 1;
    };
    let ports: Vec<i32> = svc
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .map(|ps| ps.iter().filter_map(|p| p.node_port).collect())
        .unwrap_or_default();
    if ports.is_empty() {
        ctx.out
            .err_line(&format!("😿  service {namespace}/{name} has no node port"));
        return 89;
    }
    let Some(ip) = first_node_ip(cluster) else {
        return 1;
    };
    for p in ports {
        ctx.out.line(&format!("http://{ip}:{p}"));
    }
    0
}
