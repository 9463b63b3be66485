//! The forwarding itself: real listeners on loopback addresses, and for every connection a real
//! connection to the pod's port, made the way the kubelet makes it — from inside the pod's network
//! namespace to `localhost:PORT` ([`Origin::Pod`] to 127.0.0.1, which the lab's [`Net`] maps to
//! the container's loopback listener).
//!
//! Everything lives inside the command's future: listener loops and connections run in a
//! [`JoinSet`] owned by it, so when the shell drops the future (Ctrl+C, `timeout`) every socket
//! closes with it, as when kubectl exits. Like kubectl since 1.23, a connection the pod refuses
//! ends the whole command (`error: lost connection to pod`), and so does the pod going away.
//!
//! [`Net`]: crate::runtime::net::Net

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpStream;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinSet;

use super::ListenAddress;
use crate::io::Output;
use crate::kubectl::fail;
use crate::runtime::names::fnv32a;
use crate::runtime::net::{bind_loopback, Origin};
use crate::runtime::{Cluster, EventType, Kind, Object};

/// A local port and the pod port it leads to (client-go's `ForwardedPort`; kubectl prints a list
/// of them as `[{8080 80}]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForwardedPort {
    pub local: u16,
    pub remote: u16,
}

impl std::fmt::Display for ForwardedPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{{} {}}}", self.local, self.remote)
    }
}

/// The pod being forwarded to.
#[derive(Clone)]
struct Target {
    namespace: String,
    name: String,
    uid: String,
}

/// Go's `net.JoinHostPort`.
fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// An OS error in Go's words: `address already in use`, not `Address already in use (os error 98)`.
fn go_errno(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s);
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A hex string derived from `seed`, for the container runtime's ids in error messages.
fn runtime_id(seed: &str, len: usize) -> String {
    let mut out = String::new();
    let mut i = 0u32;
    while out.len() < len {
        out.push_str(&format!("{:08x}", fnv32a(format!("{seed}/{i}").as_bytes())));
        i += 1;
    }
    out.truncate(len);
    out
}

/// What containerd tells the kubelet when the pod's port does not answer (the text kubectl logs).
fn forward_error(t: &Target, port: ForwardedPort, reason: &str) -> String {
    let sandbox = runtime_id(&t.uid, 64);
    let netns = runtime_id(&format!("netns/{}", t.uid), 32);
    let netns = format!(
        "{}-{}-{}-{}-{}",
        &netns[..8],
        &netns[8..12],
        &netns[12..16],
        &netns[16..20],
        &netns[20..]
    );
    let r = port.remote;
    format!(
        "an error occurred forwarding {} -> {r}: error forwarding port {r} to pod {sandbox}, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-{netns}\": failed to connect to localhost:{r} inside namespace \"{sandbox}\", IPv4: dial tcp4 127.0.0.1:{r}: connect: {reason} IPv6 dial tcp6 [::1]:{r}: connect: {reason} ",
        port.local
    )
}

/// klog's line for `runtime.HandleError` in client-go's port forwarder.
fn klog_error(cluster: &Cluster, err: &str) -> String {
    let now = cluster.clock().now().with_timezone(&chrono::Local);
    let quoted = err.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "E{} {:>7} portforward.go:424] \"Unhandled Error\" err=\"{quoted}\" logger=\"UnhandledError\"",
        now.format("%m%d %H:%M:%S%.6f"),
        std::process::id()
    )
}

/// Copy bytes between a local connection and the pod's port until both sides are done. An `Err`
/// is the forwarding error kubectl would log.
async fn handle(cluster: Cluster, t: Target, mut local: TcpStream, port: ForwardedPort) -> Result<(), String> {
    let pod = cluster
        .get(Kind::Pod, &t.namespace, &t.name)
        .filter(|p| p.meta().uid.as_deref() == Some(t.uid.as_str()));
    let ip = pod
        .as_deref()
        .and_then(Object::as_pod)
        .and_then(|p| p.status.as_ref()?.pod_ip.as_ref()?.parse::<Ipv4Addr>().ok());
    let Some(ip) = ip else {
        return Err(forward_error(&t, port, "connection refused"));
    };
    let origin = Origin::Pod {
        namespace: t.namespace.clone(),
        name: t.name.clone(),
        ip,
    };
    let to = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port.remote);
    match cluster.net().connect(&origin, to).await {
        Ok(mut remote) => {
            let _ = tokio::io::copy_bidirectional(&mut local, &mut remote).await;
            Ok(())
        }
        Err(e) => Err(forward_error(&t, port, &go_errno(&e))),
    }
}

/// Listen on every address for every port (client-go's `forward`), print `Forwarding from …`,
/// then serve until cancelled or until the pod is lost. Returns kubectl's exit code.
pub async fn forward(
    cluster: &Cluster,
    pod: &Arc<Object>,
    addresses: &[ListenAddress],
    mut ports: Vec<ForwardedPort>,
    out: &Output,
) -> i32 {
    let target = Target {
        namespace: pod.namespace().to_string(),
        name: pod.name().to_string(),
        uid: pod.meta().uid.clone().unwrap_or_default(),
    };
    let mut tasks = JoinSet::new();
    let (accepted_tx, mut accepted) = mpsc::unbounded_channel::<(TcpStream, ForwardedPort)>();
    let mut listening = false;
    for port in ports.iter_mut() {
        let mut errors = Vec::new();
        let (mut optional_ok, mut optional_failed, mut required_failed) = (0, 0, 0);
        for a in addresses {
            let proto = if a.ip.is_ipv4() { "tcp4" } else { "tcp6" };
            match bind_loopback(SocketAddr::new(a.ip, port.local)).await {
                Ok(listener) => {
                    // `:80` asked for any port: the one the first listener got serves the rest.
                    port.local = listener.local_addr().map_or(port.local, |l| l.port());
                    out.line(&format!(
                        "Forwarding from {} -> {}",
                        join_host_port(&a.text, port.local),
                        port.remote
                    ));
                    optional_ok += usize::from(!a.required);
                    let (tx, p) = (accepted_tx.clone(), *port);
                    tasks.spawn(async move {
                        while let Ok((stream, _)) = listener.accept().await {
                            if tx.send((stream, p)).is_err() {
                                return;
                            }
                        }
                    });
                }
                Err(e) => {
                    errors.push(format!(
                        "unable to create listener: Error listen {proto} {}: bind: {}",
                        join_host_port(&a.text, port.local),
                        go_errno(&e)
                    ));
                    if a.required {
                        required_failed += 1;
                    } else {
                        optional_failed += 1;
                    }
                }
            }
        }
        if (optional_ok == 0 && optional_failed > 0) || required_failed > 0 {
            out.err_line(&format!(
                "Unable to listen on port {}: Listeners failed to create with the following errors: [{}]",
                port.local,
                errors.join(" ")
            ));
        } else {
            listening = true;
        }
    }
    drop(accepted_tx);
    if !listening {
        let list: Vec<String> = ports.iter().map(ForwardedPort::to_string).collect();
        return fail(
            out,
            &format!("unable to listen on any of the requested ports: [{}]", list.join(" ")),
        );
    }
    let (lost_tx, mut lost) = mpsc::unbounded_channel::<String>();
    let mut watch = cluster.watch();
    loop {
        tokio::select! {
            Some((stream, port)) = accepted.recv() => {
                out.line(&format!("Handling connection for {}", port.local));
                let (c, t, lost_tx) = (cluster.clone(), target.clone(), lost_tx.clone());
                tasks.spawn(async move {
                    if let Err(e) = handle(c, t, stream, port).await {
                        let _ = lost_tx.send(e);
                    }
                });
            }
            Some(err) = lost.recv() => {
                out.err_line(&klog_error(cluster, &err));
                return fail(out, "lost connection to pod");
            }
            ev = watch.recv() => {
                let gone = match ev {
                    Ok(ev) => {
                        ev.event == EventType::Deleted
                            && ev.object.kind() == Kind::Pod
                            && ev.object.meta().uid.as_deref() == Some(target.uid.as_str())
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => cluster
                        .get(Kind::Pod, &target.namespace, &target.name)
                        .is_none_or(|p| p.meta().uid.as_deref() != Some(target.uid.as_str())),
                    Err(broadcast::error::RecvError::Closed) => true,
                };
                if gone {
                    return fail(out, "lost connection to pod");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_words() {
        assert_eq!(join_host_port("::1", 8080), "[::1]:8080");
        assert_eq!(join_host_port("127.0.0.1", 80), "127.0.0.1:80");
        let e = std::io::Error::from_raw_os_error(98);
        assert_eq!(go_errno(&e), "address already in use");
        assert_eq!(
            ForwardedPort {
                local: 8080,
                remote: 80
            }
            .to_string(),
            "{8080 80}"
        );
        let id = runtime_id("uid-1", 64);
        assert_eq!(id.len(), 64);
        assert_eq!(id, runtime_id("uid-1", 64), "stable for a pod");
        assert_ne!(id, runtime_id("uid-2", 64));
    }
}
