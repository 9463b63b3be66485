//! `kubectl rollout status`: follow a Deployment's rollout with kubectl's
//! `DeploymentStatusViewer` messages, one per watch event, until it has rolled out. Nothing
//! special happens for a paused Deployment, as in kubectl: it waits (until `--timeout`) for
//! replicas that will not be updated before `kubectl rollout resume`.

use k8s_openapi::api::apps::v1::Deployment;
use tokio::sync::broadcast;

use super::super::delete::parse_duration;
use super::{group_kind, int_flag, resolve, Ctx, Parsed};
use crate::io::Output;
use crate::runtime::controllers::deployment::revisions::REVISION;
use crate::runtime::{EventType, Key, Kind, Object};

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

/// `--revision=N`: kubectl refuses to follow any other revision than the one rolling out.
fn check_revision(d: &Deployment, revision: i64) -> Result<(), String> {
    if revision == 0 {
        return Ok(());
    }
    let ann = d.metadata.annotations.as_ref().and_then(|a| a.get(REVISION));
    let running: i64 = match ann {
        None => 0,
        Some(v) => v.parse().map_err(|e| {
            format!(
                "cannot get the revision of deployment {:?}: {e}",
                d.metadata.name.as_deref().unwrap_or("")
            )
        })?,
    };
    if running != revision {
        return Err(format!(
            "desired revision ({revision}) is different from the running revision ({running})"
        ));
    }
    Ok(())
}

/// `kubectl rollout status (TYPE NAME | TYPE/NAME) [--revision=N] [-w=false] [--timeout=D]`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, args: &[String], out: &Output) -> i32 {
    let revision = match int_flag(p, "revision") {
        Ok(r) => r,
        Err(e) => return super::flag_error(out, "status", &e),
    };
    if revision < 0 {
        return super::fail(out, &format!("revision must be a positive integer: {revision}"));
    }
    // Subscribe before reading, so no change between the read and the watch is missed.
    let rx = ctx.cluster.watch();
    let found = match resolve(ctx, p, args) {
        Ok(r) => r,
        Err(e) => return super::fail(out, &e),
    };
    if let Some(e) = found.errors.first() {
        out.err_line(e);
        return 1;
    }
    let [obj] = found.objects.as_slice() else {
        return super::fail(
            out,
            &format!(
                "rollout status is only supported on individual resources and resource collections - {} resources were found",
                found.objects.len()
            ),
        );
    };
    if obj.kind() != Kind::Deployment {
        return super::fail(
            out,
            &format!("no status viewer has been implemented for {}", group_kind(obj.kind())),
        );
    }
    follow(ctx, p, out, rx, obj.clone(), revision).await
}

/// Print the status line for every change of the Deployment until it has rolled out.
async fn follow(
    ctx: &Ctx<'_>,
    p: &Parsed,
    out: &Output,
    mut rx: broadcast::Receiver<crate::runtime::WatchEvent>,
    obj: std::sync::Arc<Object>,
    revision: i64,
) -> i32 {
    let timeout = p.get("timeout").and_then(parse_duration).filter(|d| !d.is_zero());
    let key = Key::of(&obj);
    let watch_flag = p.get("watch") != Some("false");
    let follow = async {
        let mut current = obj;
        loop {
            let Some(d) = current.as_deployment() else {
                return 1;
            };
            match check_revision(d, revision).and_then(|()| deployment_status(d)) {
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
                        if let Some(o) = ctx.cluster.get(key.kind, &key.namespace, &key.name) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};
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
