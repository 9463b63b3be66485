//! Pods over time, as kubectl shows them: containers that exit and restart (`Completed`,
//! `CrashLoopBackOff`, `RESTARTS 1 (5s ago)`), pods that finish (`Succeeded`, `Failed`), images
//! without the command, and readiness and liveness probes.

use std::time::Duration;

use super::testutil::{cluster, kubectl, kubectl_in};
use crate::runtime::{Cluster, Kind};
use crate::workspace::Workspace;

async fn apply(c: &Cluster, yaml: &str) {
    let ws = Workspace::new(std::env::temp_dir());
    let (code, out) = kubectl_in(c, &ws, Some(yaml), "apply -f -").await;
    assert_eq!(code, 0, "{out}");
}

async fn sleep(c: &Cluster, secs: f64) {
    c.clock().sleep(Duration::from_secs_f64(secs)).await;
}

/// The STATUS and RESTARTS cells of `kubectl get pod NAME`.
async fn status_of(c: &Cluster, name: &str) -> (String, String, String) {
    let (_, t) = kubectl(c, &format!("get pod {name} --no-headers")).await;
    let cells: Vec<&str> = t.split("  ").map(str::trim).filter(|s| !s.is_empty()).collect();
    (cells[1].to_string(), cells[2].to_string(), cells[3].to_string())
}

fn container_status(c: &Cluster, name: &str) -> k8s_openapi::api::core::v1::ContainerStatus {
    c.get(Kind::Pod, "default", name)
        .unwrap()
        .as_pod()
        .unwrap()
        .status
        .clone()
        .unwrap()
        .container_statuses
        .unwrap()[0]
        .clone()
}

#[tokio::test(start_paused = true)]
async fn a_shell_without_input_completes_and_crash_loops() {
    let c = cluster().await;
    assert_eq!(kubectl(&c, "run box --image=busybox").await.1, "pod/box created\n");
    sleep(&c, 5.0).await;
    // Exited at once, restarted at once, exited again: now it waits out the back-off.
    let (_, status, restarts) = status_of(&c, "box").await;
    assert_eq!(status, "CrashLoopBackOff");
    assert!(restarts.starts_with("1 ("), "{restarts}");
    let cs = container_status(&c, "box");
    let waiting = cs.state.unwrap().waiting.unwrap();
    assert_eq!(waiting.reason.as_deref(), Some("CrashLoopBackOff"));
    let uid = c.get(Kind::Pod, "default", "box").unwrap().meta().uid.clone().unwrap();
    assert_eq!(
        waiting.message.unwrap(),
        format!("back-off 10s restarting failed container=box pod=box_default({uid})")
    );
    let last = cs.last_state.unwrap().terminated.unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref()), (0, Some("Completed")));
    // Ten seconds later it runs again (restart 2) and the next back-off is 20 s.
    sleep(&c, 10.0).await;
    assert_eq!(container_status(&c, "box").restart_count, 2);
    let msg = container_status(&c, "box")
        .state
        .unwrap()
        .waiting
        .unwrap()
        .message
        .unwrap();
    assert!(msg.starts_with("back-off 20s "), "{msg}");
    let (_, events) = kubectl(&c, "get events --field-selector involvedObject.name=box").await;
    assert!(
        events.contains("Back-off restarting failed container box in pod box_default("),
        "{events}"
    );
}

#[tokio::test(start_paused = true)]
async fn pods_that_never_restart_succeed_or_fail() {
    let c = cluster().await;
    kubectl(&c, "run nap --image=busybox --restart=Never -- sleep 5").await;
    sleep(&c, 3.0).await;
    assert_eq!(status_of(&c, "nap").await.1, "Running");
    sleep(&c, 5.0).await;
    assert_eq!(
        status_of(&c, "nap").await,
        ("0/1".into(), "Completed".into(), "0".into())
    );
    let pod = c.get(Kind::Pod, "default", "nap").unwrap();
    assert_eq!(
        pod.as_pod().unwrap().status.as_ref().unwrap().phase.as_deref(),
        Some("Succeeded")
    );

    kubectl(
        &c,
        "run boom --image=busybox --restart=Never -- sh -c 'echo going down; exit 3'",
    )
    .await;
    sleep(&c, 5.0).await;
    assert_eq!(status_of(&c, "boom").await.1, "Error");
    let t = container_status(&c, "boom").state.unwrap().terminated.unwrap();
    assert_eq!((t.exit_code, t.reason.as_deref()), (3, Some("Error")));
    assert_eq!(kubectl(&c, "logs boom").await, (0, "going down\n".into()));
    let (_, described) = kubectl(&c, "describe pod boom").await;
    assert!(described.contains("Status:       Failed\n"), "{described}");
    assert!(
        described.contains("    State:          Terminated\n      Reason:       Error\n      Exit Code:    3\n"),
        "{described}"
    );
    assert_eq!(
        kubectl(&c, "exec boom -- echo hi").await.1,
        "error: cannot exec into a container in a completed pod; current phase is Failed\n"
    );
    // A finished pod is not an endpoint, even for a Service that selects it.
    assert!(c.running_pod("default", "boom").is_none());
    kubectl(&c, "expose pod boom --port=80").await;
    sleep(&c, 2.0).await;
    let ep = c.get(Kind::Endpoints, "default", "boom").unwrap();
    let subsets = ep.as_endpoints().unwrap().subsets.clone().unwrap_or_default();
    assert!(
        subsets
            .iter()
            .all(|s| s.addresses.is_none() && s.not_ready_addresses.is_none()),
        "{subsets:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_missing_executable_is_a_start_error() {
    let c = cluster().await;
    kubectl(&c, "run py --image=nginx --command -- python app.py").await;
    sleep(&c, 5.0).await;
    let cs = container_status(&c, "py");
    let last = cs.last_state.unwrap().terminated.unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref()), (128, Some("StartError")));
    assert!(last
        .message
        .unwrap()
        .contains("exec: \"python\": executable file not found in $PATH"));
    let (_, events) = kubectl(&c, "get events --field-selector involvedObject.name=py").await;
    assert!(events.contains("Error: failed to create containerd task"), "{events}");
    // nginx did not start, so nothing listens on port 80.
    let pod = c.running_pod("default", "py").unwrap();
    assert!(c.net().route(std::net::SocketAddrV4::new(pod.ip, 80)).is_none());
}

const PROBED: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - name: http
      containerPort: 80
    readinessProbe:
      httpGet: {path: /ready.html, port: http}
      periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
";

#[tokio::test(start_paused = true)]
async fn readiness_decides_whether_a_pod_gets_traffic() {
    let c = cluster().await;
    apply(&c, PROBED).await;
    sleep(&c, 10.0).await;
    assert_eq!(status_of(&c, "web").await.0, "0/1");
    assert_eq!(status_of(&c, "web").await.1, "Running");
    let ep = c.get(Kind::Endpoints, "default", "web").unwrap();
    let subsets = ep.as_endpoints().unwrap().subsets.clone().unwrap();
    assert!(subsets[0].addresses.is_none());
    assert_eq!(subsets[0].not_ready_addresses.as_ref().unwrap().len(), 1);
    let (_, events) = kubectl(&c, "get events --field-selector reason=Unhealthy").await;
    assert!(
        events.contains("Readiness probe failed: HTTP probe failed with statuscode: 404"),
        "{events}"
    );
    // The probe's requests are in nginx's access log, from the node, as kube-probe.
    let (_, logs) = kubectl(&c, "logs web").await;
    assert!(
        logs.contains("\"GET /ready.html HTTP/1.1\" 404") && logs.contains("kube-probe/1.33"),
        "{logs}"
    );

    // Probes cannot change on a live pod: a new pod probing a page that exists becomes ready
    // and an endpoint.
    kubectl(&c, "delete pod web").await;
    apply(&c, &PROBED.replace("/ready.html", "/")).await;
    sleep(&c, 10.0).await;
    assert_eq!(status_of(&c, "web").await.0, "1/1");
    let ep = c.get(Kind::Endpoints, "default", "web").unwrap();
    assert_eq!(
        ep.as_endpoints().unwrap().subsets.clone().unwrap()[0]
            .addresses
            .as_ref()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_liveness_probe_restarts_the_container() {
    let c = cluster().await;
    apply(
        &c,
        "apiVersion: v1
kind: Pod
metadata:
  name: live
spec:
  containers:
  - name: live
    image: nginx
    livenessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 1
      failureThreshold: 2
",
    )
    .await;
    sleep(&c, 8.0).await;
    let cs = container_status(&c, "live");
    assert!(cs.restart_count >= 1, "{cs:?}");
    let last = cs.last_state.unwrap().terminated.unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref()), (0, Some("Completed")));
    let (_, events) = kubectl(&c, "get events --field-selector involvedObject.name=live").await;
    assert!(
        events.contains("Container live failed liveness probe, will be restarted"),
        "{events}"
    );
    assert!(events.contains("Liveness probe failed: dial tcp 10.244."), "{events}");
    assert!(kubectl(&c, "logs live --previous").await.0 == 0);
    assert_eq!(
        kubectl(&c, "logs web --previous").await.1,
        "Error from server (NotFound): pods \"web\" not found\n"
    );
}

#[tokio::test(start_paused = true)]
async fn sleep_as_pid_1_waits_out_the_grace_period() {
    let c = cluster().await;
    kubectl(&c, "run server --image=nginx").await;
    kubectl(&c, "run sleeper --image=nginx --command -- sleep 3600").await;
    sleep(&c, 5.0).await;
    let started = c.clock().now();
    assert_eq!(kubectl(&c, "delete pod server").await.0, 0);
    let server_took = c.clock().now() - started;
    assert!(server_took < chrono::Duration::seconds(2), "{server_took}");
    let started = c.clock().now();
    assert_eq!(kubectl(&c, "delete pod sleeper --grace-period=20").await.0, 0);
    let sleeper_took = c.clock().now() - started;
    assert!(
        sleeper_took >= chrono::Duration::seconds(20) && sleeper_took < chrono::Duration::seconds(25),
        "{sleeper_took}"
    );
    assert_eq!(
        kubectl(&c, "delete pod server --now --grace-period=5").await.1,
        "error: --now and --grace-period cannot be specified together\n"
    );
}

#[tokio::test(start_paused = true)]
async fn a_running_pods_spec_is_fixed_but_for_its_image() {
    let c = cluster().await;
    kubectl(&c, "run web --image=nginx").await;
    sleep(&c, 5.0).await;
    let (code, out) = kubectl(&c, "set env pod/web MODE=debug").await;
    assert_eq!(code, 1);
    assert!(
        out.contains("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"),
        "{out}"
    );
    assert_eq!(
        kubectl(&c, "label pod web tier=web").await,
        (0, "pod/web labeled\n".into())
    );
    assert_eq!(
        kubectl(&c, "set image pod/web web=nginx:1.27").await,
        (0, "pod/web image updated\n".into())
    );
}

#[tokio::test(start_paused = true)]
async fn a_new_image_restarts_the_container_in_place() {
    let c = cluster().await;
    kubectl(&c, "run web --image=nginx").await;
    sleep(&c, 5.0).await;
    let ip_before = c
        .get(Kind::Pod, "default", "web")
        .unwrap()
        .as_pod()
        .unwrap()
        .status
        .clone()
        .unwrap()
        .pod_ip;
    let id_before = container_status(&c, "web").container_id;
    assert_eq!(
        kubectl(&c, "set image pod/web web=bprashanth/nginxhttps:1.0").await.0,
        0
    );
    sleep(&c, 5.0).await;
    let cs = container_status(&c, "web");
    assert_eq!(cs.restart_count, 1);
    assert_eq!(cs.image, "docker.io/bprashanth/nginxhttps:1.0");
    assert!(cs.state.unwrap().running.is_some());
    assert_ne!(cs.container_id, id_before, "a new container");
    let last = cs.last_state.unwrap().terminated.unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref()), (0, Some("Completed")));
    let pod = c.get(Kind::Pod, "default", "web").unwrap();
    assert_eq!(
        pod.as_pod().unwrap().status.clone().unwrap().pod_ip,
        ip_before,
        "same sandbox, same IP"
    );
    let (_, events) = kubectl(&c, "get events --field-selector involvedObject.name=web").await;
    assert!(
        events.contains("Container web definition changed, will be restarted"),
        "{events}"
    );
    assert!(
        events.contains("Pulling image \"bprashanth/nginxhttps:1.0\""),
        "{events}"
    );
    let (_, status) = kubectl(&c, "get pod web --no-headers").await;
    assert!(status.contains("Running") && status.contains(" 1 ("), "{status}");

    // A typo'd image waits in back-off; the corrected one is pulled without waiting it out.
    kubectl(&c, "run typo --image=ngnix").await;
    sleep(&c, 20.0).await;
    assert_eq!(status_of(&c, "typo").await.1, "ImagePullBackOff");
    assert_eq!(kubectl(&c, "set image pod/typo typo=nginx").await.0, 0);
    sleep(&c, 5.0).await;
    assert_eq!(status_of(&c, "typo").await.1, "Running");
}
