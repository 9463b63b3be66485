//! What changed when kubectl became a client of the API layer only: each of these went
//! around it before (kubectl's own patcher, its own field matching, a direct store write for
//! `scale`, a direct removal for `delete --force`) and behaved unlike a cluster.

use super::testutil::{cluster, kubectl};
use crate::runtime::Kind;

#[tokio::test(start_paused = true)]
async fn a_json_patch_on_a_missing_path_is_refused_as_the_api_server_refuses_it() {
    let c = cluster().await;
    kubectl(&c, "create deployment web --image=nginx").await;
    let (code, out) = kubectl(
        &c,
        r#"patch deployment web --type=json -p '[{"op":"replace","path":"/spec/nope","value":1}]'"#,
    )
    .await;
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "The request is invalid: replace operation does not apply: doc is missing key: /spec/nope: missing value\n"
    );
}

#[tokio::test(start_paused = true)]
async fn a_strategic_patch_merges_containers_by_name() {
    let c = cluster().await;
    kubectl(&c, "create deployment web --image=nginx").await;
    let (code, out) = kubectl(
        &c,
        r#"patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}'"#,
    )
    .await;
    assert_eq!((code, out.as_str()), (0, "deployment.apps/web patched\n"));
    let (_, images) = kubectl(
        &c,
        "get deploy web -o jsonpath={.spec.template.spec.containers[*].name}",
    )
    .await;
    assert_eq!(images, "nginx", "one container, merged by name, not a second one");
}

#[tokio::test(start_paused = true)]
async fn field_selectors_are_the_kinds_own() {
    let c = cluster().await;
    kubectl(&c, "create deployment web --image=nginx").await;
    let (code, out) = kubectl(&c, "get deploy --field-selector status.phase=Running").await;
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "Error from server (BadRequest): Unable to find \"apps/v1, Resource=deployments\" that match label selector \"\", field selector \"status.phase=Running\": field label not supported: status.phase\n"
    );
    let (code, out) = kubectl(&c, "get deploy --field-selector metadata.name=web -o name").await;
    assert_eq!((code, out.as_str()), (0, "deployment.apps/web\n"));
}

#[tokio::test(start_paused = true)]
async fn force_delete_goes_through_delete_and_still_orphans_when_asked() {
    let c = cluster().await;
    kubectl(&c, "create deployment web --image=nginx --replicas=2").await;
    c.clock().sleep(std::time::Duration::from_secs(5)).await;
    let rs = c.list(Kind::ReplicaSet, Some("default")).remove(0);
    // Before, `--force` removed the object straight from the store, skipping propagation: an
    // orphaning force delete took the ReplicaSet's pods' owner with it but left them owned.
    let (code, _) = kubectl(&c, &format!("delete rs {} --force --cascade=orphan", rs.name())).await;
    assert_eq!(code, 0);
    let pods = c.list(Kind::Pod, Some("default"));
    assert!(!pods.is_empty());
    assert!(
        pods.iter().all(|p| p
            .meta()
            .owner_references
            .as_ref()
            .is_none_or(|r| r.iter().all(|r| r.uid != rs.meta().uid.clone().unwrap()))),
        "the orphaned pods lost their owner reference"
    );
}

#[tokio::test(start_paused = true)]
async fn scale_goes_through_the_scale_subresource_and_its_validation() {
    let c = cluster().await;
    kubectl(&c, "create deployment web --image=nginx").await;
    let (code, out) = kubectl(&c, "scale deployment web --replicas=3").await;
    assert_eq!((code, out.as_str()), (0, "deployment.apps/web scaled\n"));
    let d = c.get(Kind::Deployment, "default", "web").unwrap();
    assert_eq!(d.as_deployment().unwrap().spec.as_ref().unwrap().replicas, Some(3));
    assert_eq!(d.meta().generation, Some(2), "a spec change bumps the generation");
}
