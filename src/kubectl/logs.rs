//! `kubectl logs`: the lines a pod's container wrote (nginx access logs, server start lines),
//! with `--tail`, `--timestamps` and `-f` (woken by the lab's traffic events, which is when
//! servers write log lines, plus a slow tick for lines written without traffic).

use std::time::Duration;

use super::args::Parsed;
use super::errors::server_error;
use super::Ctx;
use crate::io::Output;
use crate::runtime::{ApiError, Kind};

/// `kubectl logs [-f] [-c CONTAINER] [--tail=N] [--timestamps] POD|TYPE/NAME`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    // Flags are parsed before anything is asked of the cluster, as cobra does.
    let tail: Option<usize> = match p.get("tail").map(|t| (t, t.parse::<i64>())) {
        None => None,
        Some((_, Ok(n))) => usize::try_from(n).ok(),
        Some((t, Err(_))) => {
            return super::fail(
                out,
                &format!("invalid argument \"{t}\" for \"--tail\" flag: strconv.ParseInt: parsing \"{t}\": invalid syntax\nSee 'kubectl logs --help' for usage."),
            )
        }
    };
    let Some(target) = p.positional.first() else {
        out.err_line("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
        return 1;
    };
    let ns = p.namespace();
    let pod_name = match target.split_once('/') {
        Some((t, n)) if Kind::resolve(t) == Some(Kind::Pod) => n.to_string(),
        Some(_) => match super::exec::resolve_pod(ctx, &ns, target) {
            Ok(n) => n,
            Err(e) => {
                out.err_line(&e);
                return 1;
            }
        },
        None => target.clone(),
    };
    let Some(obj) = ctx.cluster.get(Kind::Pod, &ns, &pod_name) else {
        out.err_line(&server_error(&ApiError::NotFound {
            kind: Kind::Pod,
            name: pod_name,
        }));
        return 1;
    };
    let names: Vec<String> = obj
        .as_pod()
        .and_then(|p| p.spec.as_ref())
        .map(|s| s.containers.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    let container = match p.get("container") {
        Some(c) if !names.iter().any(|n| n == c) => {
            out.err_line(&format!("error: container {c} is not valid for pod {pod_name}"));
            return 1;
        }
        Some(c) => c.to_string(),
        None => {
            if names.len() > 1 {
                out.err_line(&format!(
                    "Defaulted container \"{}\" out of: {}",
                    names[0],
                    names.join(", ")
                ));
            }
            names.first().cloned().unwrap_or_default()
        }
    };
    let Some(running) = ctx.cluster.pod_containers(&ns, &pod_name) else {
        let reason = obj
            .as_pod()
            .and_then(|p| p.status.as_ref())
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.name == container).cloned())
            .and_then(|c| c.state?.waiting?.reason)
            .unwrap_or_else(|| "ContainerCreating".into());
        out.err_line(&format!("Error from server (BadRequest): container \"{container}\" in pod \"{pod_name}\" is waiting to start: {reason}"));
        return 1;
    };
    let Some(c) = running.container(Some(&container)) else {
        return 1;
    };
    let timestamps = p.on("timestamps");
    let fmt = |(t, l): &(chrono::DateTime<chrono::Utc>, String)| {
        if timestamps {
            format!("{} {l}", t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true))
        } else {
            l.clone()
        }
    };
    let (lines, mut next) = if p.on("previous") {
        match c.logs.previous() {
            Some(l) => (l, 0),
            None => {
                out.err_line(&format!("Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{pod_name}\" not found"));
                return 1;
            }
        }
    } else {
        c.logs.since(0)
    };
    let start = tail.map_or(0, |n| lines.len().saturating_sub(n));
    for l in &lines[start..] {
        out.line(&fmt(l));
    }
    if !p.on("follow") || p.on("previous") {
        return 0;
    }
    // Follow by sequence number: the log is a ring, and lines that leave it while we wait
    // must not make us print the rest again.
    let mut traffic = ctx.cluster.net().traffic();
    loop {
        tokio::select! {
            _ = traffic.recv() => {}
            _ = ctx.cluster.clock().sleep(Duration::from_secs(1)) => {}
        }
        let (lines, after) = c.logs.since(next);
        for l in &lines {
            out.line(&fmt(l));
        }
        next = after;
        if ctx
            .cluster
            .running_pod(&ns, &pod_name)
            .is_none_or(|r| r.uid != running.uid)
        {
            return 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kubectl::tests::testutil::{cluster, kubectl};

    #[tokio::test(start_paused = true)]
    async fn logs_of_a_server() {
        let c = cluster().await;
        kubectl(&c, "run web --image=nginx --port=80").await;
        assert!(kubectl(&c, "logs web")
            .await
            .1
            .starts_with("Error from server (BadRequest): container \"web\" in pod \"web\" is waiting to start: "));
        assert!(
            c.wait_until(std::time::Duration::from_secs(60), |c| c
                .running_pod("default", "web")
                .is_some())
                .await
        );
        kubectl(&c, "exec web -- curl -s http://localhost/").await;
        let (code, t) = kubectl(&c, "logs web --tail=1").await;
        assert_eq!(code, 0);
        assert_eq!(t.lines().count(), 1, "{t}");
        assert!(t.contains("\"GET / HTTP/1.1\" 200"), "{t}");
        assert_eq!(
            kubectl(&c, "logs nope").await.1,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        assert!(kubectl(&c, "logs")
            .await
            .1
            .starts_with("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"));
    }
}
