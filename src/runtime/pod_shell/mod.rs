//! What runs inside a pod for `kubectl exec` and `kubectl run -it`, and the lab's own `curl`
//! (which the host shell uses too, with [`Origin::Host`]).
//!
//! A pod's programs are the commands its image would have: `curl`, `printenv`, `cat` of the
//! files the kubelet writes (`/etc/resolv.conf`, `/etc/hosts`, `/etc/hostname`), `hostname`,
//! `echo`, `nslookup`, `wget`, `sh -c`. They run with the pod's network identity, so names
//! resolve through the pod's DNS search path and `localhost` is the pod itself.

pub mod curl;

use crate::io::Output;
use crate::runtime::controllers::kubelet::RunningPod;
use crate::runtime::kinds::Kind;
use crate::runtime::net::{dns, resolver, Origin};
use crate::runtime::Cluster;

/// `curl ARGS…` from `origin`. Returns curl's exit code.
pub async fn curl(cluster: &Cluster, origin: &Origin, args: &[String], out: &Output) -> i32 {
    curl::run(cluster, origin, args, out).await
}

/// Run `argv` in container `container` (first one if `None`) of a pod. Returns the exit code;
/// errors are printed the way kubectl prints them.
pub async fn exec(
    cluster: &Cluster,
    namespace: &str,
    pod: &str,
    container: Option<&str>,
    argv: &[String],
    stdin: Option<&str>,
    out: &Output,
) -> i32 {
    let Some(obj) = cluster.get(Kind::Pod, namespace, pod) else {
        out.err_line(&format!("Error from server (NotFound): pods \"{pod}\" not found"));
        return 1;
    };
    let spec_containers: Vec<String> = obj
        .as_pod()
        .and_then(|p| p.spec.as_ref())
        .map(|s| s.containers.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    if let Some(c) = container {
        if !spec_containers.iter().any(|n| n == c) {
            out.err_line(&format!(
                "Error from server (BadRequest): container {c} is not valid for pod {pod}"
            ));
            return 1;
        }
    }
    let Some(running) = cluster.running_pod(namespace, pod) else {
        let phase = obj
            .as_pod()
            .and_then(|p| p.status.as_ref()?.phase.clone())
            .unwrap_or_else(|| "Pending".into());
        if phase == "Pending" {
            let name = container
                .map(str::to_string)
                .or_else(|| spec_containers.first().cloned())
                .unwrap_or_default();
            out.err_line(&format!(
                "error: unable to upgrade connection: container not found (\"{name}\")"
            ));
        } else {
            out.err_line(&format!(
                "error: cannot exec into a container in a completed pod; current phase is {phase}"
            ));
        }
        return 1;
    };
    if argv.is_empty() {
        out.err_line("error: you must specify at least one command for the container");
        return 1;
    }
    let code = run_in_pod(cluster, &running, container, argv, stdin, out).await;
    if code != 0 {
        out.err_line(&format!("command terminated with exit code {code}"));
    }
    code
}

/// Run one command inside a running pod (no kubectl wording around it).
pub async fn run_in_pod(
    cluster: &Cluster,
    pod: &RunningPod,
    container: Option<&str>,
    argv: &[String],
    stdin: Option<&str>,
    out: &Output,
) -> i32 {
    let Some(c) = pod.container(container) else { return 1 };
    let origin = Origin::Pod {
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
        ip: pod.ip,
    };
    let args = &argv[1..];
    match argv[0].rsplit('/').next().unwrap_or("") {
        "curl" => {
            let files = c.ctx.files.clone();
            let scratch = &c.scratch;
            let read = move |p: &str| {
                files
                    .get(p)
                    .cloned()
                    .or_else(|| scratch.lock().unwrap().get(p).cloned())
            };
            let write = |p: &str, data: &[u8]| {
                scratch.lock().unwrap().insert(absolute(p), data.to_vec());
                Ok(())
            };
            curl::run_with_files(
                cluster,
                &origin,
                args,
                out,
                curl::Files {
                    read: &read,
                    write: &write,
                },
            )
            .await
        }
        "wget" => wget(cluster, &origin, args, out).await,
        "printenv" => {
            if args.is_empty() {
                for (k, v) in c.ctx.env_vars() {
                    out.line(&format!("{k}={v}"));
                }
                0
            } else {
                let mut code = 0;
                for a in args {
                    match c.ctx.env_var(a) {
                        Some(v) => out.line(v),
                        None => code = 1,
                    }
                }
                code
            }
        }
        "env" => {
            for (k, v) in c.ctx.env_vars() {
                out.line(&format!("{k}={v}"));
            }
            0
        }
        "hostname" => {
            out.line(&pod.name);
            0
        }
        "echo" => {
            out.line(&args.join(" "));
            0
        }
        "sleep" => match args.first().map(|a| a.parse::<f64>()) {
            Some(Ok(secs)) if secs >= 0.0 => {
                cluster.clock().sleep(std::time::Duration::from_secs_f64(secs)).await;
                0
            }
            Some(_) => {
                out.err_line(&format!("sleep: invalid number '{}'", args[0]));
                1
            }
            None => {
                out.err_line("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...");
                1
            }
        },
        "true" => 0,
        "false" => 1,
        "cat" => {
            if args.is_empty() {
                out.out(stdin.unwrap_or(""));
                return 0;
            }
            let mut code = 0;
            for f in args {
                let mounted = c
                    .ctx
                    .files
                    .get(f.as_str())
                    .or(c.scratch.lock().unwrap().get(&absolute(f)))
                    .map(|b| String::from_utf8_lossy(b).into_owned());
                match mounted.or_else(|| pod_file(cluster, pod, f)) {
                    Some(text) => out.out(&text),
                    None => {
                        out.err_line(&format!("cat: {f}: No such file or directory"));
                        code = 1;
                    }
                }
            }
            code
        }
        "nslookup" => nslookup(cluster, pod, args, out).await,
        "ls" => {
            let dir = args
                .iter()
                .find(|a| !a.starts_with('-'))
                .map(|d| d.trim_end_matches('/').to_string())
                .unwrap_or_else(|| "/".into());
            let dir = absolute(&dir);
            let prefix = if dir.ends_with('/') {
                dir.clone()
            } else {
                format!("{dir}/")
            };
            let written: Vec<String> = c.scratch.lock().unwrap().keys().cloned().collect();
            let mut names: Vec<String> = c
                .ctx
                .files
                .keys()
                .chain(written.iter())
                .filter_map(|p| p.strip_prefix(&prefix))
                .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
                .collect();
            if dir == "/etc" {
                names.extend(["hostname", "hosts", "resolv.conf"].map(String::from));
            }
            names.sort();
            names.dedup();
            if names.is_empty() && !c.ctx.files.contains_key(&dir) && !written.contains(&dir) {
                out.err_line(&format!("ls: cannot access '{dir}': No such file or directory"));
                return 2;
            }
            if names.is_empty() {
                out.line(&dir);
            }
            for n in names {
                out.line(&n);
            }
            0
        }
        "sh" | "bash" | "ash" => {
            if args.first().map(String::as_str) == Some("-c") {
                let Some(script) = args.get(1) else {
                    out.err_line("sh: -c requires an argument");
                    return 2;
                };
                let mut code = 0;
                for part in script.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
                    let words: Vec<String> = part
                        .split_whitespace()
                        .map(|w| w.trim_matches(['"', '\'']).to_string())
                        .collect();
                    // The shell's own builtins end or pause the script.
                    match words.first().map(String::as_str) {
                        Some("exit") => return words.get(1).and_then(|n| n.parse().ok()).unwrap_or(code),
                        Some("sleep") => {
                            let secs = words.get(1).and_then(|n| n.parse::<f64>().ok()).unwrap_or(0.0);
                            cluster
                                .clock()
                                .sleep(std::time::Duration::from_secs_f64(secs.max(0.0)))
                                .await;
                            code = 0;
                            continue;
                        }
                        _ => {}
                    }
                    code = Box::pin(run_in_pod(cluster, pod, container, &words, stdin, out)).await;
                }
                code
            } else {
                0
            }
        }
        other => {
            out.err_line(&format!(
                "OCI runtime exec failed: exec failed: unable to start container process: exec: \"{other}\": executable file not found in $PATH: unknown"
            ));
            126
        }
    }
}

/// A path as the container's process sees it (its working directory is `/`).
fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

/// The files the kubelet writes into every container.
pub fn pod_file(cluster: &Cluster, pod: &RunningPod, path: &str) -> Option<String> {
    match path {
        "/etc/resolv.conf" => {
            let dns_policy = cluster
                .get(Kind::Pod, &pod.namespace, &pod.name)
                .and_then(|o| o.as_pod()?.spec.as_ref()?.dns_policy.clone())
                .unwrap_or_else(|| "ClusterFirst".into());
            if dns_policy == "Default" {
                return Some("nameserver 127.0.0.53\noptions edns0 trust-ad\n".into());
            }
            Some(format!(
                "search {}\nnameserver {}\noptions ndots:5\n",
                dns::search_path(&pod.namespace).join(" "),
                crate::runtime::net::addresses::KUBE_DNS_IP
            ))
        }
        "/etc/hostname" => Some(format!("{}\n", pod.name)),
        "/etc/hosts" => Some(format!(
            "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{}\t{}\n",
            pod.ip, pod.name
        )),
        _ => None,
    }
}

/// busybox's `nslookup NAME`.
///
/// Every line comes from real queries: the server's own name is a PTR lookup (so with CoreDNS
/// down only its address is printed), and the answer is the search path's first hit.
async fn nslookup(cluster: &Cluster, pod: &RunningPod, args: &[String], out: &Output) -> i32 {
    let Some(name) = args.first() else {
        out.err_line("BusyBox v1.22.1 (2014-09-13 22:15:30 PDT) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]");
        return 1;
    };
    let server = crate::runtime::net::addresses::KUBE_DNS_IP;
    let origin = Origin::Pod {
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
        ip: pod.ip,
    };
    out.line(&format!("Server:    {server}"));
    match resolver::reverse(cluster, &origin, server).await {
        Some(server_name) => out.line(&format!("Address 1: {server} {server_name}")),
        None => out.line(&format!("Address 1: {server}")),
    }
    out.line("");
    match resolver::resolve(cluster, &origin, name).await {
        Ok((fqdn, ips)) => {
            out.line(&format!("Name:      {name}"));
            for (i, ip) in ips.iter().enumerate() {
                out.line(&format!("Address {}: {ip} {fqdn}", i + 1));
            }
            0
        }
        Err(_) => {
            out.err_line(&format!("nslookup: can't resolve '{name}'"));
            1
        }
    }
}

/// busybox's `wget -qO- URL` (and `-O -`).
async fn wget(cluster: &Cluster, origin: &Origin, args: &[String], out: &Output) -> i32 {
    let url = args.iter().rev().find(|a| !a.starts_with('-')).cloned();
    let Some(url) = url else {
        out.err_line("wget: missing URL");
        return 1;
    };
    let quiet = args.iter().any(|a| a.starts_with('-') && a.contains('q'));
    let mut curl_args = vec!["-s".to_string(), url.clone()];
    if !quiet {
        out.err_line(&format!("Connecting to {url}"));
    }
    let (buf_out, buf) = Output::buffer();
    let code = curl::run(cluster, origin, &curl_args.split_off(0), &buf_out).await;
    out.out(&buf.stdout());
    if code != 0 {
        out.err_line("wget: can't connect to remote host: Connection refused");
        return 1;
    }
    0
}
