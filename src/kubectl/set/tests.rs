//! `kubectl set image|env` against a live lab cluster: each change is a real rollout (a new
//! ReplicaSet and revision), and kubectl's wording for what it refuses.

use crate::kubectl::tests::testutil::{cluster, kubectl, kubectl_in};
use crate::runtime::{Cluster, Kind};
use crate::workspace::Workspace;

/// A rolled-out nginx Deployment `web` with one container, `nginx`.
async fn web(c: &Cluster) {
    assert_eq!(
        kubectl(c, "create deployment web --image=nginx:1.25 --replicas=2")
            .await
            .0,
        0
    );
    rolled_out(c).await;
}

async fn rolled_out(c: &Cluster) {
    let (code, t) = kubectl(c, "rollout status deployment/web --timeout=120s").await;
    assert_eq!(code, 0, "{t}");
}

fn container(c: &Cluster) -> k8s_openapi::api::core::v1::Container {
    let d = c.get(Kind::Deployment, "default", "web").unwrap();
    let spec = d.as_deployment().unwrap().spec.clone().unwrap();
    spec.template.spec.unwrap().containers[0].clone()
}

fn revisions(text: &str) -> Vec<String> {
    text.lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn set_image_rolls_out_a_new_revision() {
    let c = cluster().await;
    web(&c).await;
    assert_eq!(
        kubectl(&c, "set image deployment/web nginx=nginx:1.27").await,
        (0, "deployment.apps/web image updated\n".into())
    );
    rolled_out(&c).await;
    assert_eq!(container(&c).image.as_deref(), Some("nginx:1.27"));
    let (_, history) = kubectl(&c, "rollout history deployment/web").await;
    assert_eq!(revisions(&history), ["1", "2"], "{history}");
    let mut pods = c.list(Kind::Pod, Some("default"));
    pods.retain(|p| p.meta().deletion_timestamp.is_none());
    assert_eq!(pods.len(), 2);
    assert!(
        pods.iter()
            .all(|p| p.as_pod().unwrap().spec.as_ref().unwrap().containers[0]
                .image
                .as_deref()
                == Some("nginx:1.27")),
        "the old pods were replaced"
    );
    // `TYPE NAME` and the wildcard.
    assert_eq!(
        kubectl(&c, "set image deploy web *=nginx:1.28").await,
        (0, "deployment.apps/web image updated\n".into())
    );
    rolled_out(&c).await;
    assert_eq!(container(&c).image.as_deref(), Some("nginx:1.28"));
    // The same image again changes nothing, so kubectl sends nothing and says nothing.
    assert_eq!(
        kubectl(&c, "set image deployment/web nginx=nginx:1.28").await,
        (0, String::new())
    );
    assert_eq!(
        revisions(&kubectl(&c, "rollout history deployment/web").await.1),
        ["1", "2", "3"]
    );
    let (_, yaml) = kubectl(&c, "set image deployment/web nginx=nginx:1.29 -o yaml").await;
    assert!(yaml.starts_with("apiVersion: apps/v1\nkind: Deployment\n"), "{yaml}");
    assert!(yaml.contains("- image: nginx:1.29\n"), "{yaml}");
}

#[tokio::test(start_paused = true)]
async fn set_image_refusals() {
    let c = cluster().await;
    web(&c).await;
    let cases = [
        ("set image deployment/web nginx2=nginx:1.27", "error: unable to find container named \"nginx2\"\n"),
        (
            "set image deployment/nope nginx=nginx:1.27",
            "Error from server (NotFound): deployments.apps \"nope\" not found\n",
        ),
        ("set image deployment/web", "error: at least one image update is required\n"),
        (
            "set image deployment/web *=a nginx=b",
            "error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n",
        ),
        ("set image deployment/web nginx-", "error: invalid image format: nginx-\n"),
        (
            "set image nginx=x deployment/web",
            "error: all resources must be specified before image changes: deployment/web\n",
        ),
        (
            "set image svc/kubernetes nginx=x",
            "error: services/kubernetes the object is not a pod or does not have a pod template: *v1.Service\n",
        ),
        (
            "set image deployment/web nginx=",
            "error: failed to patch image update to pod template: Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value\n",
        ),
        ("set image deployment nginx=x", "error: resource(s) were provided, but no name was specified\n"),
        ("set image deployment/web nginx=x -c y", "error: unknown shorthand flag: 'c' in -c\nSee 'kubectl set image --help' for usage.\n"),
        ("set imag deployment/web", "error: unknown command \"imag deployment/web\"\nSee 'kubectl set -h' for help and examples\n"),
    ];
    for (line, want) in cases {
        assert_eq!(kubectl(&c, line).await, (1, want.to_string()), "{line}");
    }
    assert_eq!(
        container(&c).image.as_deref(),
        Some("nginx:1.25"),
        "nothing was changed"
    );
    assert!(kubectl(&c, "set image")
        .await
        .1
        .starts_with("error: You must provide one or more resources"));
    let (code, help) = kubectl(&c, "set").await;
    assert_eq!(code, 1);
    assert!(
        help.contains(&format!(
            "\n  image{}Update the image of a pod template\n",
            " ".repeat(9)
        )),
        "{help}"
    );
}

#[tokio::test(start_paused = true)]
async fn set_image_on_a_pod_and_by_selector() {
    let c = cluster().await;
    web(&c).await;
    assert_eq!(kubectl(&c, "run solo --image=nginx:1.25").await.0, 0);
    assert_eq!(
        kubectl(&c, "set image pod/solo solo=nginx:1.27").await,
        (0, "pod/solo image updated\n".into())
    );
    let pod = c.get(Kind::Pod, "default", "solo").unwrap();
    assert_eq!(
        pod.as_pod().unwrap().spec.as_ref().unwrap().containers[0]
            .image
            .as_deref(),
        Some("nginx:1.27")
    );
    assert_eq!(
        kubectl(&c, "set image deployments -l app=web nginx=nginx:1.26").await,
        (0, "deployment.apps/web image updated\n".into())
    );
    assert_eq!(
        kubectl(&c, "set image deployments --all -l app=web nginx=nginx:1.26").await,
        (1, "error: cannot set --all and --selector at the same time\n".into())
    );
}

#[tokio::test(start_paused = true)]
async fn set_env_adds_changes_lists_and_removes() {
    let c = cluster().await;
    web(&c).await;
    assert_eq!(
        kubectl(&c, "set env deployment/web GREETING=hello MODE=dev").await,
        (0, "deployment.apps/web env updated\n".into())
    );
    rolled_out(&c).await;
    let env = |c: &Cluster| -> Vec<(String, String)> {
        container(c)
            .env
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.name, e.value.unwrap_or_default()))
            .collect()
    };
    assert_eq!(
        env(&c),
        [("GREETING".into(), "hello".into()), ("MODE".into(), "dev".into())]
    );
    assert_eq!(
        revisions(&kubectl(&c, "rollout history deployment/web").await.1),
        ["1", "2"]
    );
    // The new pods have it.
    let pod = c
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .find(|p| p.meta().deletion_timestamp.is_none())
        .unwrap();
    let (_, printed) = kubectl(&c, &format!("exec {} -- printenv GREETING", pod.name())).await;
    assert_eq!(printed, "hello\n");
    assert_eq!(
        kubectl(&c, "set env deployment/web --list").await.1,
        "# Deployment web, container nginx\nGREETING=hello\nMODE=dev\n"
    );
    assert_eq!(
        kubectl(&c, "set env deployment/web MODE=prod --overwrite=false").await,
        (
            1,
            "error: deployments/web 'MODE' already has a value (dev), and --overwrite is false\n".into()
        )
    );
    assert_eq!(
        kubectl(&c, "set env deployment/web MODE- -e EXTRA=1").await,
        (0, "deployment.apps/web env updated\n".into())
    );
    assert_eq!(
        env(&c),
        [("GREETING".into(), "hello".into()), ("EXTRA".into(), "1".into())]
    );
    let ws = Workspace::new(std::env::temp_dir());
    assert_eq!(
        kubectl_in(&c, &ws, Some("FROM_STDIN=yes\n"), "set env deployment/web -").await,
        (0, "deployment.apps/web env updated\n".into())
    );
    assert_eq!(env(&c).last().unwrap().0, "FROM_STDIN");
    assert_eq!(
        kubectl(&c, "set env deployment/web GREETING=hello").await,
        (0, String::new())
    );
    assert_eq!(
        kubectl(&c, "set env deployment/web -c sidecar A=1").await,
        (
            0,
            "warning: Deployment/web does not have any containers matching \"sidecar\"\n".into()
        )
    );
    assert_eq!(
        kubectl(&c, "set env deployment/web 1A=x").await.1,
        "error: \"1A\" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')\n"
    );
    assert_eq!(
        kubectl(&c, "set env A=1").await.1,
        "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"
    );
    assert_eq!(
        kubectl(&c, "set env deployment/web --list -o yaml").await.1,
        "error: --list and --output may not be specified together\n"
    );
}
