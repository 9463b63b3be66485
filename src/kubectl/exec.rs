//! `kubectl exec` and `kubectl run`: commands inside pods, through the lab's pod shell.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Container, ContainerPort, Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::args::Parsed;
use super::errors::server_error;
use super::Ctx;
use crate::io::Output;
use crate::runtime::selectors::Selector;
use crate::runtime::{ApiError, Kind, Object};

/// Resolve `POD`, `pod/POD`, `deployment/NAME` … to a pod name (kubectl picks the first pod of
/// a controller, sorted by name).
pub fn resolve_pod(ctx: &Ctx<'_>, ns: &str, typed: &str) -> Result<String, String> {
    resolve_pod_in(ctx.cluster, ns, typed)
}

/// [`resolve_pod`] on a cluster (for the shell, which attaches to the pod `exec -it` names).
pub fn resolve_pod_in(cluster: &crate::runtime::Cluster, ns: &str, typed: &str) -> Result<String, String> {
    let Some((t, name)) = typed.split_once('/') else {
        return Ok(typed.to_string());
    };
    let kind = Kind::resolve(t).ok_or_else(|| format!("error: the server doesn't have a resource type \"{t}\""))?;
    if kind == Kind::Pod {
        return Ok(name.to_string());
    }
    let obj = cluster.get(kind, ns, name).ok_or_else(|| {
        server_error(&ApiError::NotFound {
            kind,
            name: name.to_string(),
        })
    })?;
    let sel = match obj.as_ref() {
        Object::Deployment(d) => d.spec.as_ref().map(|s| Selector::from_label_selector(&s.selector)),
        Object::ReplicaSet(r) => r.spec.as_ref().map(|s| Selector::from_label_selector(&s.selector)),
        Object::Service(s) => s
            .spec
            .as_ref()
            .and_then(|s| s.selector.as_ref())
            .map(Selector::from_map),
        _ => None,
    }
    .ok_or_else(|| {
        format!(
            "error: cannot attach to {}: selector for {} not implemented",
            kind.info().name,
            kind.info().name
        )
    })?;
    cluster
        .list(Kind::Pod, Some(ns))
        .into_iter()
        .find(|p| sel.matches(p.labels()))
        .map(|p| p.name().to_string())
        .ok_or_else(|| "error: no pods found".to_string())
}

/// `kubectl exec [-i] [-t] POD [-c CONTAINER] -- COMMAND [args…]`.
pub async fn exec(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let Some(target) = p.positional.first() else {
        return super::fail(out, "pod, type/name or --filename must be specified");
    };
    let command = match &p.command {
        Some(c) => c.clone(),
        None if p.positional.len() > 1 => {
            return super::fail(
                out,
                "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
            );
        }
        None => Vec::new(),
    };
    if command.is_empty() {
        return super::fail(out, "you must specify at least one command for the container");
    }
    let ns = p.namespace();
    let pod = match resolve_pod(ctx, &ns, target) {
        Ok(p) => p,
        Err(e) => {
            out.err_line(&e);
            return 1;
        }
    };
    let stdin = if p.on("stdin") { ctx.stdin } else { None };
    crate::runtime::pod_shell::exec(ctx.cluster, &ns, &pod, p.get("container"), &command, stdin, out).await
}

/// `kubectl run NAME --image=IMAGE [--port=N] [--labels=k=v] [-i] [-t] [--restart=Never] [-- CMD]`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let Some(name) = p.positional.first().cloned() else {
        return super::fail(out, "NAME is required for run");
    };
    let Some(image) = p.get("image") else {
        return super::fail(out, "required flag(s) \"image\" not set");
    };
    let labels: BTreeMap<String, String> = match p.get("labels") {
        Some(l) => l
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        None => BTreeMap::from([("run".to_string(), name.clone())]),
    };
    let interactive = p.on("stdin") || p.on("tty");
    let finish = match super::made::Finish::from_flags(p) {
        Ok(f) => f,
        Err(e) => return super::fail(out, &e),
    };
    if interactive && finish.dry_run != super::made::DryRun::None {
        return super::fail(
            out,
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        );
    }
    let port: Option<i32> = match p.get("port") {
        None => None,
        Some(v) => match v.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                return super::fail(
                    out,
                    &format!(
                    "invalid argument \"{v}\" for \"--port\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
                ),
                )
            }
        },
    };
    if p.on("expose") && port.is_none() {
        return super::fail(out, "--port must be set when exposing a service");
    }
    let command = p.command.clone().filter(|c| !c.is_empty());
    let (cmd, args) = if p.on("command") {
        (command, None)
    } else {
        (None, command)
    };
    let pod = Pod {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(p.namespace()),
            labels: Some(labels),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: name.clone(),
                image: Some(image.to_string()),
                ports: port.map(|n| {
                    vec![ContainerPort {
                        container_port: n,
                        ..Default::default()
                    }]
                }),
                stdin: interactive.then_some(true),
                stdin_once: interactive.then_some(true),
                tty: p.on("tty").then_some(true),
                command: cmd,
                args,
                ..Default::default()
            }],
            restart_policy: Some(p.get("restart").unwrap_or("Always").to_string()),
            dns_policy: Some("ClusterFirst".into()),
            ..Default::default()
        }),
        status: None,
    };
    // `--expose`: the Service first, selecting the pod's labels on its port.
    if let (true, Some(port)) = (p.on("expose"), port) {
        let selector = pod.metadata.labels.clone();
        let svc = k8s_openapi::api::core::v1::Service {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                namespace: Some(p.namespace()),
                ..Default::default()
            },
            spec: Some(k8s_openapi::api::core::v1::ServiceSpec {
                selector,
                ports: Some(vec![k8s_openapi::api::core::v1::ServicePort {
                    port,
                    target_port: Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(port)),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            status: None,
        };
        if let Err(e) = finish.make(ctx.cluster, Object::Service(svc), "created", out) {
            out.err_line(&server_error(&e));
            return 1;
        }
    }
    // An attached run says nothing about creating the pod: its shell is what comes next.
    let made = if interactive {
        ctx.cluster.create(Object::Pod(pod)).map(|_| ())
    } else {
        finish.make(ctx.cluster, Object::Pod(pod), "created", out).map(|_| ())
    };
    if let Err(e) = made {
        out.err_line(&server_error(&e));
        return 1;
    }
    if !interactive {
        return 0;
    }
    let ns = p.namespace();
    let running = ctx
        .cluster
        .wait_until(Duration::from_secs(60), |c| c.running_pod(&ns, &name).is_some())
        .await;
    if !running {
        return super::fail(out, &format!("timed out waiting for the condition on pods/{name}"));
    }
    out.line("If you don't see a command prompt, try pressing enter.");
    0
}

/// For the shell: when `args` (without `kubectl`) is an interactive `run -i -t` or
/// `attach`/`exec -it` without a command, the pod (namespace, name, container) whose shell the
/// session should enter after [`run`] succeeds.
pub fn interactive_target(args: &[String]) -> Option<(String, String, String)> {
    let verb = args.first()?;
    let flags: &[super::args::FlagSpec] = match verb.as_str() {
        "run" => super::verbs::flags_of("run")?,
        "attach" | "exec" => super::verbs::flags_of("exec")?,
        _ => return None,
    };
    let p = super::args::parse(&args[1..], &[super::args::GLOBAL, flags]).ok()?;
    let interactive = p.on("stdin") && p.on("tty");
    let name = p.positional.first()?.clone();
    if !interactive || (verb == "exec" && p.command.as_ref().is_some_and(|c| !c.is_empty())) {
        return None;
    }
    let container = p.get("container").map(String::from).unwrap_or_else(|| name.clone());
    Some((p.namespace(), name, container))
}

/// What kubectl prints when the learner leaves an interactive `kubectl run` session.
pub fn session_ended(pod: &str, container: &str) -> String {
    format!("Session ended, resume using 'kubectl attach {pod} -c {container} -i -t' command when the pod is running")
}

#[cfg(test)]
mod tests {
    use crate::kubectl::tests::testutil::{cluster, kubectl};

    #[test]
    fn interactive_sessions_for_the_shell() {
        let a = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(
            super::interactive_target(&a("run curl --image=radial/busyboxplus:curl -i --tty")),
            Some(("default".into(), "curl".into(), "curl".into()))
        );
        assert_eq!(super::interactive_target(&a("run curl --image=x")), None);
        assert_eq!(super::interactive_target(&a("exec -it web -- curl x")), None);
        assert_eq!(
            super::session_ended("curl", "curl"),
            "Session ended, resume using 'kubectl attach curl -c curl -i -t' command when the pod is running"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn exec_argument_errors() {
        let c = cluster().await;
        assert_eq!(
            kubectl(&c, "exec").await.1,
            "error: pod, type/name or --filename must be specified\n"
        );
        assert_eq!(
            kubectl(&c, "exec p").await.1,
            "error: you must specify at least one command for the container\n"
        );
        assert_eq!(
            kubectl(&c, "exec p ls").await.1,
            "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n"
        );
        assert_eq!(
            kubectl(&c, "exec nope -- ls").await.1,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn run_creates_a_pod_and_exec_reaches_it() {
        let c = cluster().await;
        assert_eq!(
            kubectl(&c, "run web --image=luksa/kubia --port=8080").await,
            (0, "pod/web created\n".into())
        );
        let running = c
            .wait_until(std::time::Duration::from_secs(60), |c| {
                c.running_pod("default", "web").is_some()
            })
            .await;
        assert!(running);
        let (code, t) = kubectl(&c, "exec -ti web -- curl -s http://localhost:8080").await;
        assert_eq!((code, t.as_str()), (0, "You've hit web\n"));
        let (_, t) = kubectl(&c, "get pods --show-labels").await;
        assert!(
            t.lines()
                .nth(1)
                .unwrap()
                .starts_with("web    1/1     Running   0          "),
            "{t}"
        );
        assert!(t.lines().nth(1).unwrap().ends_with("run=web"), "{t}");
    }
}
