//! `kubectl delete` and `kubectl wait`. Deleting waits until the objects are really gone
//! (kubectl's default `--wait=true`), which matters for pods: they terminate gracefully first.

use std::sync::Arc;
use std::time::Duration;

use super::args::Parsed;
use super::errors::server_error;
use super::resources::{parse_targets, Target};
use super::Ctx;
use crate::io::Output;
use crate::runtime::api::delete::{DeleteOptions, Propagation};
use crate::runtime::selectors::Selector;
use crate::runtime::{ApiError, Cluster, Key, Object};

const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// Parse a Go duration like `120s`, `2m`, `1h30m`, `500ms`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    if let Ok(n) = s.parse::<u64>() {
        return Some(Duration::from_secs(n));
    }
    let mut total = Duration::ZERO;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if c == 'm' && chars.peek() == Some(&'s') {
            unit.push(chars.next()?);
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        let secs = match unit.as_str() {
            "h" => n * 3600.0,
            "m" => n * 60.0,
            "s" => n,
            "ms" => n / 1000.0,
            _ => return None,
        };
        total += Duration::from_secs_f64(secs);
    }
    if !num.is_empty() {
        return None;
    }
    Some(total)
}

/// kubectl's `parseCascadingFlag`: a policy name, or a Go boolean with a deprecation warning.
fn cascading_strategy(value: &str, out: &Output) -> Result<Propagation, String> {
    let boolean = match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    };
    match (value, boolean) {
        ("background", _) => Ok(Propagation::Background),
        ("foreground", _) => Ok(Propagation::Foreground),
        ("orphan", _) => Ok(Propagation::Orphan),
        (_, Some(b)) => {
            let (policy, name) = if b {
                (Propagation::Background, "background")
            } else {
                (Propagation::Orphan, "orphan")
            };
            out.err_line(&format!(
                "warning: --cascade={value} is deprecated (boolean value) and can be replaced with --cascade={name}."
            ));
            Ok(policy)
        }
        _ => Err(format!(
            "invalid cascade value ({value}). Must be \"background\", \"foreground\", or \"orphan\""
        )),
    }
}

/// Wait (lab time) until `key` no longer exists. True if it is gone.
pub async fn wait_gone(cluster: &Cluster, key: &Key, timeout: Duration) -> bool {
    let k = key.clone();
    cluster
        .wait_until(timeout, move |c| c.get(k.kind, &k.namespace, &k.name).is_none())
        .await
}

/// `kubectl delete`.
pub async fn delete(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let ns = p.namespace();
    let propagation = match cascading_strategy(p.get("cascade").unwrap_or("background"), out) {
        Ok(c) => c,
        Err(e) => return super::fail(out, &e),
    };
    let mut objs: Vec<Arc<Object>> = Vec::new();
    let mut errs: Vec<String> = Vec::new();
    let files = p.all("filename");
    if !files.is_empty() {
        let sources = match super::apply::read_sources(ctx, &files) {
            Ok(s) => s,
            Err(e) => return super::fail(out, &e),
        };
        let (decoded, derrs) = super::apply::decode_all(&sources, "deleting");
        errs.extend(derrs);
        for (mut o, _) in decoded {
            if let Err(e) = super::apply::set_namespace(&mut o, p) {
                return super::fail(out, &e);
            }
            match ctx.cluster.get(o.kind(), o.namespace(), o.name()) {
                Some(live) => objs.push(live),
                None => errs.push(server_error(&ApiError::NotFound {
                    kind: o.kind(),
                    name: o.name().to_string(),
                })),
            }
        }
    } else {
        if p.positional.is_empty() {
            out.err_line(NO_RESOURCES);
            return 1;
        }
        let targets = match parse_targets(&p.positional) {
            Ok(t) => t,
            Err(e) => return super::fail(out, &e),
        };
        let sel = match p.get("selector").map(Selector::parse).transpose() {
            Ok(s) => s,
            Err(e) => return super::fail(out, &e.to_string()),
        };
        let list_ns = if p.on("all-namespaces") {
            None
        } else {
            Some(ns.as_str())
        };
        for t in &targets {
            match t {
                Target::Named(kind, name) => match ctx.cluster.get(*kind, &ns, name) {
                    Some(o) => objs.push(o),
                    None => errs.push(server_error(&ApiError::NotFound {
                        kind: *kind,
                        name: name.clone(),
                    })),
                },
                Target::All(kind) => {
                    if sel.is_none() && !p.on("all") {
                        return super::fail(out, "resource(s) were provided, but no name was specified");
                    }
                    let sel = sel.clone().unwrap_or_default();
                    let list_ns = if kind.namespaced() { list_ns } else { None };
                    objs.extend(
                        ctx.cluster
                            .list(*kind, list_ns)
                            .into_iter()
                            .filter(|o| sel.matches(o.labels())),
                    );
                }
            }
        }
        let listing = targets.iter().all(|t| matches!(t, Target::All(_)));
        if objs.is_empty() && errs.is_empty() && listing {
            out.err_line("No resources found");
            return 0;
        }
    }
    // kubectl's rules: `--now` is a grace period of 1 s, `--grace-period=0` means 1 s unless
    // `--force`, and `--force` alone means 0 (removal without waiting for the kubelet).
    let mut grace: i64 = match p.get("grace-period").map(str::parse::<i64>) {
        None => -1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            let v = p.get("grace-period").unwrap_or_default();
            return super::fail(
                out,
                &format!("invalid argument \"{v}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"),
            );
        }
    };
    if p.on("now") {
        if grace != -1 {
            return super::fail(out, "--now and --grace-period cannot be specified together");
        }
        grace = 1;
    }
    if grace == 0 && !p.on("force") {
        grace = 1;
    }
    if p.on("force") && grace < 0 {
        grace = 0;
    }
    let force = grace == 0;
    let options = DeleteOptions {
        propagation,
        grace_period_seconds: (grace >= 0).then_some(grace),
        ..Default::default()
    };
    if force {
        out.err_line("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let mut deleted = Vec::new();
    for o in &objs {
        let key = Key::of(o);
        let r = ctx
            .cluster
            .delete_with(key.kind, &key.namespace, &key.name, options.clone());
        match r {
            Ok(_) => {
                let word = if force { "force deleted" } else { "deleted" };
                out.line(&format!(
                    "{} \"{}\" {word}",
                    o.kind().info().qualified_singular(),
                    o.name()
                ));
                deleted.push(key);
            }
            Err(e) => errs.push(server_error(&e)),
        }
    }
    if p.get("wait") != Some("false") {
        let timeout = p
            .get("timeout")
            .and_then(parse_duration)
            .filter(|d| !d.is_zero())
            .unwrap_or(Duration::from_secs(7 * 24 * 3600));
        for key in &deleted {
            wait_gone(ctx.cluster, key, timeout).await;
        }
    }
    for e in &errs {
        out.err_line(e);
    }
    i32::from(!errs.is_empty())
}

/// `kubectl wait --for=delete|condition=C[=V] TYPE/NAME… [--timeout=30s]`.
pub async fn wait(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let cond = p.get("for").unwrap_or("");
    enum Want {
        Delete,
        Condition(String, String),
    }
    let want = if cond == "delete" {
        Want::Delete
    } else if let Some(c) = cond.strip_prefix("condition=") {
        let (name, value) = c.split_once('=').unwrap_or((c, "true"));
        Want::Condition(name.to_lowercase(), value.to_lowercase())
    } else {
        return super::fail(out, &format!("unrecognized condition: \"{cond}\""));
    };
    let timeout = match p.get("timeout") {
        Some(t) => match parse_duration(t) {
            Some(d) => d,
            None => {
                return super::fail(
                    out,
                    &format!("invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\""),
                )
            }
        },
        None => Duration::from_secs(30),
    };
    let targets = match parse_targets(&p.positional) {
        Ok(t) if !t.is_empty() => t,
        Ok(_) => {
            out.err_line(NO_RESOURCES);
            return 1;
        }
        Err(e) => return super::fail(out, &e),
    };
    let ns = p.namespace();
    let mut keys = Vec::new();
    for t in &targets {
        match t {
            Target::Named(k, n) => keys.push(Key::new(*k, &ns, n)),
            Target::All(k) => {
                let sel = match Selector::parse(p.get("selector").unwrap_or("")) {
                    Ok(s) => s,
                    Err(e) => return super::fail(out, &e.to_string()),
                };
                keys.extend(
                    ctx.cluster
                        .list(*k, Some(&ns))
                        .iter()
                        .filter(|o| sel.matches(o.labels()))
                        .map(|o| Key::of(o)),
                );
            }
        }
    }
    if keys.is_empty() {
        return super::fail(out, "no matching resources found");
    }
    let mut code = 0;
    for key in keys {
        let shown = format!("{}/{}", key.kind.info().qualified_singular(), key.name);
        let ok = match &want {
            Want::Delete => wait_gone(ctx.cluster, &key, timeout).await,
            Want::Condition(name, value) => {
                if ctx.cluster.get(key.kind, &key.namespace, &key.name).is_none() {
                    out.err_line(&server_error(&ApiError::NotFound {
                        kind: key.kind,
                        name: key.name.clone(),
                    }));
                    code = 1;
                    continue;
                }
                let k = key.clone();
                let (name, value) = (name.clone(), value.clone());
                ctx.cluster
                    .wait_until(timeout, move |c| {
                        c.get(k.kind, &k.namespace, &k.name).is_some_and(|o| {
                            o.to_json()
                                .pointer("/status/conditions")
                                .and_then(|v| v.as_array())
                                .is_some_and(|cs| {
                                    cs.iter().any(|x| {
                                        x["type"].as_str().is_some_and(|t| t.to_lowercase() == name)
                                            && x["status"].as_str().is_some_and(|s| s.to_lowercase() == value)
                                    })
                                })
                        })
                    })
                    .await
            }
        };
        if ok {
            out.line(&format!("{shown} condition met"));
        } else {
            out.err_line(&format!(
                "error: timed out waiting for the condition on {}/{}",
                key.kind.info().qualified_plural(),
                key.name
            ));
            code = 1;
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};
    use crate::runtime::Kind;

    #[test]
    fn go_durations() {
        assert_eq!(parse_duration("120s"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("x"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn delete_names_types_and_missing_ones() {
        let c = cluster().await;
        kubectl(&c, "create deployment frontend --image=nginx --port=80").await;
        kubectl(&c, "expose deployment frontend").await;
        assert_eq!(
            kubectl(&c, "delete services frontend backend").await,
            (
                1,
                "service \"frontend\" deleted\nError from server (NotFound): services \"backend\" not found\n".into()
            )
        );
        kubectl(&c, "expose deployment frontend").await;
        assert_eq!(
            kubectl(&c, "delete deployments,svc frontend").await.1,
            "deployment.apps \"frontend\" deleted\nservice \"frontend\" deleted\n"
        );
        assert!(c.get(Kind::Deployment, "default", "frontend").is_none());
        assert_eq!(
            kubectl(&c, "delete svc").await.1,
            "error: resource(s) were provided, but no name was specified\n"
        );
        assert!(kubectl(&c, "delete")
            .await
            .1
            .starts_with("error: You must provide one or more resources by argument or filename.\n"));
        assert_eq!(
            kubectl(&c, "delete svc -l app=nothing").await,
            (0, "No resources found\n".into())
        );
    }

    #[tokio::test(start_paused = true)]
    async fn delete_by_label_and_wait_for_delete() {
        let c = cluster().await;
        kubectl(&c, "create deployment web --image=nginx --port=80").await;
        kubectl(&c, "expose deployment web").await;
        assert_eq!(
            kubectl(&c, "delete service -l app=web").await.1,
            "service \"web\" deleted\n"
        );
        assert_eq!(
            kubectl(&c, "wait --for=delete deployment/web --timeout=1s").await,
            (
                1,
                "error: timed out waiting for the condition on deployments.apps/web\n".into()
            )
        );
        let c2 = c.clone();
        tokio::spawn(async move {
            c2.clock().sleep(Duration::from_secs(3)).await;
            c2.delete(Kind::Deployment, "default", "web").unwrap();
        });
        assert_eq!(
            kubectl(&c, "wait --for=delete deployment/web --timeout=120s").await,
            (0, "deployment.apps/web condition met\n".into())
        );
        assert_eq!(
            kubectl(&c, "wait deployment/web").await.1,
            "error: unrecognized condition: \"\"\n"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn cascade_orphan_keeps_the_replicaset_and_its_pods() {
        let c = cluster().await;
        kubectl(&c, "create deployment web --image=nginx --replicas=2").await;
        kubectl(&c, "rollout status deployment/web").await;
        assert_eq!(
            kubectl(&c, "delete deployment web --cascade=false").await,
            (
                0,
                "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\ndeployment.apps \"web\" deleted\n".into()
            )
        );
        c.settle(Duration::from_secs(5)).await;
        let rs = c.list(Kind::ReplicaSet, Some("default"));
        assert_eq!(rs.len(), 1, "the ReplicaSet stays");
        assert!(rs[0].meta().owner_references.is_none(), "and has no owner any more");
        assert_eq!(c.list(Kind::Pod, Some("default")).len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn cascade_foreground_removes_the_owner_last() {
        let c = cluster().await;
        kubectl(&c, "create deployment web --image=nginx --replicas=2").await;
        kubectl(&c, "rollout status deployment/web").await;
        let mut rx = c.watch();
        assert_eq!(
            kubectl(&c, "delete deployment web --cascade=foreground").await,
            (0, "deployment.apps \"web\" deleted\n".into())
        );
        assert!(c.list(Kind::Deployment, Some("default")).is_empty());
        assert!(c.list(Kind::ReplicaSet, Some("default")).is_empty());
        assert!(c.list(Kind::Pod, Some("default")).is_empty());
        // The Deployment carried the finalizer and was removed after its pods and ReplicaSet.
        let mut removed = Vec::new();
        let mut held = false;
        while let Ok(ev) = rx.try_recv() {
            if ev.object.kind() == Kind::Deployment
                && ev
                    .object
                    .meta()
                    .finalizers
                    .iter()
                    .flatten()
                    .any(|f| f == "foregroundDeletion")
            {
                held = true;
            }
            if ev.event == crate::runtime::EventType::Deleted {
                removed.push(ev.object.kind());
            }
        }
        assert!(held, "the Deployment waited with the foregroundDeletion finalizer");
        assert_eq!(removed.last(), Some(&Kind::Deployment), "removed: {removed:?}");
        assert!(removed.iter().filter(|k| **k == Kind::Pod).count() >= 2);
    }

    #[tokio::test(start_paused = true)]
    async fn cascade_values_and_namespaces() {
        let c = cluster().await;
        assert_eq!(
            kubectl(&c, "delete svc kubernetes --cascade=sideways").await,
            (
                1,
                "error: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"\n"
                    .into()
            )
        );
        assert_eq!(
            kubectl(&c, "delete namespace default").await,
            (
                1,
                "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted\n".into()
            )
        );
        kubectl(&c, "create namespace shop").await;
        kubectl(&c, "create deployment web --image=nginx -n shop").await;
        kubectl(&c, "rollout status deployment/web -n shop").await;
        assert_eq!(
            kubectl(&c, "delete namespace shop --wait=false").await,
            (0, "namespace \"shop\" deleted\n".into())
        );
        let described = kubectl(&c, "describe ns shop").await.1;
        assert!(
            described.contains("Labels:       kubernetes.io/metadata.name=shop\n"),
            "{described}"
        );
        assert!(
            described.contains("Status:       Terminating\nConditions:\n  Type "),
            "{described}"
        );
        assert!(
            described.contains("  NamespaceContentRemaining                    True    "),
            "{described}"
        );
        assert!(
            described.contains("SomeResourcesRemain     Some resources are remaining: pods. has 1 resource instances"),
            "{described}"
        );
        assert!(kubectl(&c, "get ns shop").await.1.contains("shop   Terminating   "));
        assert_eq!(
            kubectl(&c, "create configmap late -n shop --from-literal=a=b").await.1,
            "error: failed to create configmap: configmaps \"late\" is forbidden: unable to create new content in namespace shop because it is being terminated\n"
        );
        kubectl(&c, "wait --for=delete namespace/shop --timeout=60s").await;
        assert!(c.list(Kind::Pod, Some("shop")).is_empty());
        assert_eq!(
            kubectl(&c, "get ns shop").await.1,
            "Error from server (NotFound): namespaces \"shop\" not found\n"
        );
    }
}
