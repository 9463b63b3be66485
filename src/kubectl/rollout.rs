//! `kubectl rollout status|restart`: follow a Deployment's rollout with kubectl's
//! `DeploymentStatusViewer` messages, one per watch event, until it has rolled out.

use k8s_openapi::api::apps::v1::Deployment;
use tokio::sync::broadcast;

use super::args::Parsed;
use super::delete::parse_duration;
use super::errors::server_error;
use super::resources::{parse_targets, Target};
use super::Ctx;
use crate::runtime::{ApiError, EventType, Key, Kind, Object};
use crate::shell::io::Output;

/// kubectl's `DeploymentStatusViewer.Status`: the line to print and whether the rollout is done.
pub fn deployment_status(d: &Deployment) -> Result<(String, bool), String> {
    let name = d.metadata.name.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > st.observed_generation.unwrap_or(0) {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    let progressing = st.conditions.iter().flatten().find(|c| c.type_ == "Progressing");
    if progressing.is_some_and(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded")) {
        return Err(format!("deployment \"{name}\" exceeded its progress deadline"));
    }
    let desired = d.spec.as_ref().and_then(|s| s.replicas);
    let updated = st.updated_replicas.unwrap_or(0);
    let replicas = st.replicas.unwrap_or(0);
    let available = st.available_replicas.unwrap_or(0);
    if let Some(desired) = desired.filter(|d| updated < *d) {
        return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...\n"), false));
    }
    if replicas > updated {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n",
                replicas - updated
            ),
            false,
        ));
    }
    if available < updated {
        return Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"), false));
    }
    Ok((format!("deployment \"{name}\" successfully rolled out\n"), true))
}

fn one_deployment(p: &Parsed, args: &[String]) -> Result<(Kind, String), String> {
    let targets = parse_targets(args)?;
    match targets.as_slice() {
        [] => Err("required resource not specified".into()),
        [Target::Named(k, n)] => Ok((*k, n.clone())),
        [Target::All(_)] => Err("required resource not specified".into()),
        _ => {
            let _ = p;
            Err("only one resource is supported".into())
        }
    }
}

/// `kubectl rollout status|restart …`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let Some(sub) = p.positional.first() else {
        out.err_line("error: Required resource not specified.");
        return 1;
    };
    let (kind, name) = match one_deployment(p, &p.positional[1..]) {
        Ok(x) => x,
        Err(e) => return super::fail(out, &e),
    };
    let ns = p.namespace();
    match sub.as_str() {
        "status" => status(ctx, p, out, kind, &ns, &name).await,
        "restart" => restart(ctx, out, kind, &ns, &name),
        other => super::fail(out, &format!("unknown command \"{other}\" for \"kubectl rollout\"")),
    }
}

async fn status(ctx: &Ctx<'_>, p: &Parsed, out: &Output, kind: Kind, ns: &str, name: &str) -> i32 {
    if kind != Kind::Deployment {
        return super::fail(
            out,
            &format!("no status viewer has been implemented for {}", kind.info().name),
        );
    }
    let timeout = p.get("timeout").and_then(parse_duration).filter(|d| !d.is_zero());
    let mut rx = ctx.cluster.watch();
    let Some(obj) = ctx.cluster.get(kind, ns, name) else {
        out.err_line(&server_error(&ApiError::NotFound {
            kind,
            name: name.to_string(),
        }));
        return 1;
    };
    let key = Key::of(&obj);
    let watch_flag = p.get("watch") != Some("false");
    let follow = async {
        let mut current = obj;
        loop {
            let Some(d) = current.as_deployment() else {
                return 1;
            };
            match deployment_status(d) {
                Ok((line, done)) => {
                    out.out(&line);
                    if done || !watch_flag {
                        return 0;
                    }
                }
                Err(e) => return super::fail(out, &e),
            }
            loop {
                match rx.recv().await {
                    Ok(ev) if Key::of(&ev.object) == key => {
                        if ev.event == EventType::Deleted {
                            return super::fail(out, "object has been deleted");
                        }
                        current = ev.object.clone();
                        break;
                    }
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        if let Some(o) = ctx.cluster.store().get(&key) {
                            current = o;
                            break;
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return 1,
                }
            }
        }
    };
    match timeout {
        Some(t) => match ctx.cluster.clock().timeout(t, follow).await {
            Ok(code) => code,
            Err(_) => super::fail(out, "timed out waiting for the condition"),
        },
        None => follow.await,
    }
}

fn restart(ctx: &Ctx<'_>, out: &Output, kind: Kind, ns: &str, name: &str) -> i32 {
    if kind != Kind::Deployment {
        return super::fail(out, &format!("restarting is not supported for {}", kind.info().name));
    }
    let now = ctx
        .cluster
        .clock()
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let r = ctx.cluster.store().update(&Key::new(kind, ns, name), |o| {
        if let Object::Deployment(d) = o {
            let spec = d.spec.get_or_insert_with(Default::default);
            let meta = spec.template.metadata.get_or_insert_with(Default::default);
            meta.annotations
                .get_or_insert_with(Default::default)
                .insert("kubectl.kubernetes.io/restartedAt".into(), now.clone());
        }
    });
    match r {
        Ok(_) => {
            out.line(&format!("deployment.apps/{name} restarted"));
            0
        }
        Err(e) => {
            out.err_line(&server_error(&e));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{cluster, kubectl};
    use super::*;
    use k8s_openapi::api::apps::v1::{DeploymentSpec, DeploymentStatus};

    fn dep(gen: i64, observed: i64, desired: i32, replicas: i32, updated: i32, available: i32) -> Deployment {
        let mut d = Deployment::default();
        d.metadata.name = Some("backend".into());
        d.metadata.generation = Some(gen);
        d.spec = Some(DeploymentSpec {
            replicas: Some(desired),
            ..Default::default()
        });
        d.status = Some(DeploymentStatus {
            observed_generation: Some(observed),
            replicas: Some(replicas),
            updated_replicas: Some(updated),
            available_replicas: Some(available),
            ..Default::default()
        });
        d
    }

    #[test]
    fn status_messages() {
        let s = |d| deployment_status(&d).unwrap();
        assert_eq!(
            s(dep(2, 1, 3, 0, 0, 0)),
            ("Waiting for deployment spec update to be observed...\n".into(), false)
        );
        assert_eq!(
            s(dep(1, 1, 3, 1, 1, 0)).0,
            "Waiting for deployment \"backend\" rollout to finish: 1 out of 3 new replicas have been updated...\n"
        );
        assert_eq!(
            s(dep(1, 1, 3, 4, 3, 3)).0,
            "Waiting for deployment \"backend\" rollout to finish: 1 old replicas are pending termination...\n"
        );
        assert_eq!(
            s(dep(1, 1, 3, 3, 3, 1)).0,
            "Waiting for deployment \"backend\" rollout to finish: 1 of 3 updated replicas are available...\n"
        );
        assert_eq!(
            s(dep(1, 1, 3, 3, 3, 3)),
            ("deployment \"backend\" successfully rolled out\n".into(), true)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn follows_the_controllers_until_rolled_out() {
        let c = cluster().await;
        kubectl(
            &c,
            "create deployment backend --image=gcr.io/google-samples/hello-go-gke:1.0 --port=80 --replicas=3",
        )
        .await;
        let (code, t) = kubectl(&c, "rollout status deployment/backend").await;
        assert_eq!(code, 0, "{t}");
        assert!(t.ends_with("deployment \"backend\" successfully rolled out\n"), "{t}");
        assert_eq!(
            kubectl(&c, "rollout status deployment nope").await.1,
            "Error from server (NotFound): deployments.apps \"nope\" not found\n"
        );
        assert_eq!(
            kubectl(&c, "rollout status").await.1,
            "error: required resource not specified\n"
        );
    }
}
