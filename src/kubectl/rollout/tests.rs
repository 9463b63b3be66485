//! `kubectl rollout` against a live lab cluster (paused time): the revisions a series of
//! template changes leaves, rolling back and forth, pausing, and kubectl's exact wording.

use crate::kubectl::tests::testutil::{cluster, kubectl, kubectl_in};
use crate::runtime::{Cluster, Kind};
use crate::workspace::Workspace;

fn manifest(image: &str, replicas: i32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: web\n        image: {image}\n        ports:\n        - containerPort: 80\n"
    )
}

/// `kubectl apply` the Deployment with `image` and wait until it has rolled out.
async fn roll_out(c: &Cluster, image: &str) {
    let ws = Workspace::new(std::env::temp_dir());
    let (code, t) = kubectl_in(c, &ws, Some(&manifest(image, 2)), "apply -f -").await;
    assert_eq!(code, 0, "{t}");
    let (code, t) = kubectl(c, "rollout status deployment/web --timeout=120s").await;
    assert_eq!(code, 0, "{t}");
}

fn image(c: &Cluster) -> String {
    let d = c.get(Kind::Deployment, "default", "web").unwrap();
    let spec = d.as_deployment().unwrap().spec.clone().unwrap();
    spec.template.spec.unwrap().containers[0].image.clone().unwrap()
}

/// The name of the ReplicaSet running `image`, with its revision annotations.
fn replica_set(c: &Cluster, image: &str) -> (String, String, Option<String>) {
    let rs = c
        .list(Kind::ReplicaSet, Some("default"))
        .into_iter()
        .find(|r| {
            let t = r.as_replicaset().unwrap().spec.clone().unwrap().template.unwrap();
            t.spec.unwrap().containers[0].image.as_deref() == Some(image)
        })
        .unwrap_or_else(|| panic!("no ReplicaSet runs {image}"));
    let ann = rs.meta().annotations.clone().unwrap_or_default();
    (
        rs.name().to_string(),
        ann["deployment.kubernetes.io/revision"].clone(),
        ann.get("deployment.kubernetes.io/revision-history").cloned(),
    )
}

fn table(revisions: &[(i64, &str)]) -> String {
    let mut s = String::from("deployment.apps/web \nREVISION  CHANGE-CAUSE\n");
    for (r, cause) in revisions {
        s.push_str(&format!("{r:<10}{cause}\n"));
    }
    s.push('\n');
    s
}

#[tokio::test(start_paused = true)]
async fn history_lists_revisions_and_undo_makes_an_old_one_the_newest() {
    let c = cluster().await;
    for v in ["nginx:1.25", "nginx:1.26", "nginx:1.27"] {
        roll_out(&c, v).await;
    }
    let none = "<none>";
    assert_eq!(
        kubectl(&c, "rollout history deployment/web").await,
        (0, table(&[(1, none), (2, none), (3, none)]))
    );
    assert_eq!(
        kubectl(&c, "rollout undo deployment/web").await,
        (0, "deployment.apps/web rolled back\n".into())
    );
    assert_eq!(image(&c), "nginx:1.26", "back to revision 2's template");
    assert_eq!(kubectl(&c, "rollout status deploy web").await.0, 0);
    assert_eq!(
        kubectl(&c, "rollout history deploy web").await.1,
        table(&[(1, none), (3, none), (4, none)])
    );
    let (_, rev, history) = replica_set(&c, "nginx:1.26");
    assert_eq!((rev.as_str(), history.as_deref()), ("4", Some("2")));

    assert_eq!(
        kubectl(&c, "rollout undo deployment.apps/web --to-revision=1").await,
        (0, "deployment.apps/web rolled back\n".into())
    );
    assert_eq!(image(&c), "nginx:1.25");
    kubectl(&c, "rollout status deployment/web").await;
    assert_eq!(
        kubectl(&c, "rollout history deployment/web").await.1,
        table(&[(3, none), (4, none), (5, none)])
    );
    assert_eq!(
        kubectl(&c, "rollout undo deployment/web --to-revision=5").await.1,
        "deployment.apps/web skipped rollback (current template already matches revision 5)\n"
    );
    assert_eq!(
        kubectl(&c, "rollout undo deployment/web --to-revision=2").await,
        (1, "error: unable to find specified revision 2 in history\n".into())
    );
    c.shutdown();
}

#[tokio::test(start_paused = true)]
async fn one_revision_shows_its_pod_template_and_change_cause() {
    let c = cluster().await;
    roll_out(&c, "nginx:1.25").await;
    roll_out(&c, "nginx:1.26").await;
    let (code, t) = kubectl(&c, "annotate deployment web kubernetes.io/change-cause='image 1.26'").await;
    assert_eq!(code, 0, "{t}");
    assert_eq!(
        kubectl(&c, "rollout history deployment/web").await.1,
        table(&[(1, "<none>"), (2, "image 1.26")])
    );
    let (name, _, _) = replica_set(&c, "nginx:1.26");
    let hash = name.trim_start_matches("web-");
    let want = format!(
        "deployment.apps/web with revision #2\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash={hash}\n  Annotations:\tkubernetes.io/change-cause: image 1.26\n  Containers:\n   web:\n    Image:\tnginx:1.26\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n\n"
    );
    assert_eq!(
        kubectl(&c, "rollout history deployment/web --revision=2").await,
        (0, want)
    );
    assert_eq!(
        kubectl(&c, "rollout history deployment/web --revision=3").await,
        (1, "error: unable to find the specified revision\n".into())
    );
    // Rolling back brings the ReplicaSet's change cause back to the Deployment.
    kubectl(&c, "rollout undo deployment/web").await;
    kubectl(&c, "rollout undo deployment/web").await;
    let d = c.get(Kind::Deployment, "default", "web").unwrap();
    let ann = d.meta().annotations.clone().unwrap();
    assert_eq!(ann["kubernetes.io/change-cause"], "image 1.26");
    assert!(ann.contains_key("kubectl.kubernetes.io/last-applied-configuration"));
    c.shutdown();
}

#[tokio::test(start_paused = true)]
async fn a_paused_deployment_scales_but_rolls_out_nothing_until_resumed() {
    let c = cluster().await;
    roll_out(&c, "nginx:1.25").await;
    assert_eq!(
        kubectl(&c, "rollout pause deployment/web").await,
        (0, "deployment.apps/web paused\n".into())
    );
    assert_eq!(
        kubectl(&c, "rollout pause deployment/web").await,
        (1, "error: deployments.apps \"web\" is already paused\n".into())
    );
    let ws = Workspace::new(std::env::temp_dir());
    kubectl_in(&c, &ws, Some(&manifest("nginx:1.26", 2)), "apply -f -").await;
    assert_eq!(c.list(Kind::ReplicaSet, Some("default")).len(), 1, "no new ReplicaSet");
    let (_, t) = kubectl(&c, "get deployment web -o jsonpath={.status.conditions[1].reason}").await;
    assert_eq!(t, "DeploymentPaused");
    assert_eq!(kubectl(&c, "scale deployment web --replicas=3").await.0, 0);
    let (_, t) = kubectl(&c, "get rs -o jsonpath={.items[0].spec.replicas}").await;
    assert_eq!(t, "3", "scaling still works");
    // kubectl looks the revision up before it checks for a pause.
    assert_eq!(
        kubectl(&c, "rollout undo deployment/web").await.1,
        "error: no rollout history found for deployment \"web\"\n"
    );
    assert_eq!(
        kubectl(&c, "rollout undo deployment/web --to-revision=1").await.1,
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again\n"
    );
    assert_eq!(
        kubectl(&c, "rollout restart deployment/web").await.1,
        "error: deployments.apps \"web\" can't restart paused deployment (run rollout resume first)\n"
    );
    // kubectl has nothing special for a paused Deployment: it waits for the new replicas.
    let (code, t) = kubectl(&c, "rollout status deployment/web --timeout=5s").await;
    assert_eq!(code, 1);
    let (last, waiting) = t
        .lines()
        .collect::<Vec<_>>()
        .split_last()
        .map(|(l, w)| (*l, w.to_vec()))
        .unwrap();
    assert_eq!(last, "error: timed out waiting for the condition");
    assert!(!waiting.is_empty(), "{t}");
    assert!(
        waiting
            .iter()
            .all(|l| *l
                == "Waiting for deployment \"web\" rollout to finish: 0 out of 3 new replicas have been updated..."),
        "{t}"
    );
    assert_eq!(
        kubectl(&c, "rollout resume deployment/web").await,
        (0, "deployment.apps/web resumed\n".into())
    );
    assert_eq!(
        kubectl(&c, "rollout resume deployment/web").await.1,
        "error: deployments.apps \"web\" is not paused\n"
    );
    let (code, t) = kubectl(&c, "rollout status deployment/web").await;
    assert_eq!(code, 0, "{t}");
    assert_eq!(replica_set(&c, "nginx:1.26").1, "2");
    let (_, t) = kubectl(&c, "get deployment web -o yaml").await;
    assert!(!t.contains("paused"), "resume removes spec.paused:\n{t}");
    assert_eq!(
        kubectl(&c, "rollout restart deployment/web").await,
        (0, "deployment.apps/web restarted\n".into())
    );
    kubectl(&c, "rollout status deployment/web").await;
    assert_eq!(
        kubectl(&c, "rollout history deployment/web").await.1,
        table(&[(1, "<none>"), (2, "<none>"), (3, "<none>")]),
        "a restart is a new revision"
    );
    c.shutdown();
}

#[tokio::test(start_paused = true)]
async fn output_formats_and_dry_runs() {
    let c = cluster().await;
    roll_out(&c, "nginx:1.25").await;
    roll_out(&c, "nginx:1.26").await;
    let (old, _, _) = replica_set(&c, "nginx:1.25");
    let (new, _, _) = replica_set(&c, "nginx:1.26");
    assert_eq!(
        kubectl(&c, "rollout history deployment/web -o name").await.1,
        format!("replicaset.apps/{old}\nreplicaset.apps/{new}\n")
    );
    let (_, t) = kubectl(&c, "rollout history deployment/web -o yaml").await;
    assert!(t.starts_with("apiVersion: apps/v1\nkind: ReplicaSet\n"), "{t}");
    assert_eq!(t.matches("\n---\n").count(), 1, "two documents: {t}");
    let (_, t) = kubectl(
        &c,
        "rollout history deployment/web --revision=1 -o jsonpath={.metadata.name}",
    )
    .await;
    assert_eq!(t, old);
    assert!(kubectl(&c, "rollout history deployment/web -o wide")
        .await
        .1
        .starts_with("error: unable to match a printer suitable for the output format \"wide\""));

    let (code, t) = kubectl(&c, "rollout undo deployment/web --dry-run=client").await;
    assert_eq!(code, 0);
    assert!(
        t.starts_with("deployment.apps/web Pod Template:\n  Labels:\tapp=web\n"),
        "{t}"
    );
    assert!(t.contains("    Image:\tnginx:1.25\n"), "{t}");
    assert!(t.ends_with("  Tolerations:\t<none>\n (dry run)\n"), "{t}");
    assert_eq!(
        kubectl(&c, "rollout undo deployment/web --dry-run=server").await.1,
        "deployment.apps/web rolled back (server dry run)\n"
    );
    assert_eq!(image(&c), "nginx:1.26", "a dry run changes nothing");
    assert_eq!(
        kubectl(&c, "rollout undo deployment/web --dry-run=maybe").await.1,
        "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n"
    );
    assert_eq!(
        kubectl(&c, "rollout pause deployment/web -o name").await.1,
        "deployment.apps/web\n"
    );
    c.shutdown();
}

#[tokio::test(start_paused = true)]
async fn errors_in_kubectls_words() {
    let c = cluster().await;
    let run = |line: &'static str| {
        let c = c.clone();
        async move { kubectl(&c, line).await }
    };
    let (code, t) = run("rollout").await;
    assert_eq!(code, 1);
    assert!(t.starts_with("Follow and steer the rollouts of resources.\n"), "{t}");
    assert!(t.contains("\nAvailable Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n"), "{t}");
    assert_eq!(
        run("rollout rewind deployment/web").await,
        (
            1,
            "error: unknown command \"rewind deployment/web\"\nSee 'kubectl rollout -h' for help and examples\n".into()
        )
    );
    assert_eq!(
        run("rollout history deployment/nope").await,
        (
            1,
            "Error from server (NotFound): deployments.apps \"nope\" not found\n".into()
        )
    );
    assert_eq!(
        run("rollout history").await.1,
        "error: required resource not specified\n"
    );
    assert_eq!(
        run("rollout history svc/kubernetes").await.1,
        "error: no history viewer has been implemented for \"Service\"\n"
    );
    assert_eq!(
        run("rollout undo svc kubernetes").await.1,
        "error: no rollbacker has been implemented for \"Service\"\n"
    );
    assert_eq!(
        run("rollout pause service/kubernetes").await.1,
        "error: services \"kubernetes\" pausing is not supported\n"
    );
    assert_eq!(
        run("rollout restart service/kubernetes").await.1,
        "error: services \"kubernetes\" restarting is not supported\n"
    );
    assert_eq!(
        run("rollout status svc/kubernetes").await.1,
        "error: no status viewer has been implemented for Service\n"
    );

    roll_out(&c, "nginx:1.25").await;
    assert_eq!(
        run("rollout undo deployment/web").await,
        (1, "error: no rollout history found for deployment \"web\"\n".into())
    );
    assert_eq!(
        run("rollout history deployment/web --revision=-1").await.1,
        "error: revision must be a positive integer: -1\n"
    );
    assert_eq!(
        run("rollout history deployment/web --revision=two").await.1,
        "error: invalid argument \"two\" for \"--revision\" flag: strconv.ParseInt: parsing \"two\": invalid syntax\nSee 'kubectl rollout history --help' for usage.\n"
    );
    assert_eq!(
        run("rollout history deployment").await.1,
        table(&[(1, "<none>")]),
        "a bare type means every Deployment in the namespace"
    );
    assert_eq!(
        run("rollout history deployment web nope").await.1,
        format!(
            "{}Error from server (NotFound): deployments.apps \"nope\" not found\n",
            table(&[(1, "<none>")])
        )
    );
    c.shutdown();
}
