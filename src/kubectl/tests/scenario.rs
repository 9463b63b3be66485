//! End-to-end runs of the seed tutorials' kubectl commands against a live lab cluster (the
//! controllers run on paused time), checking the lines the acceptance transcripts check.

use std::time::Duration;

use super::testutil::{cluster, kubectl, kubectl_in};
use crate::workspace::Workspace;

const BACKEND: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: backend\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: hello\n      tier: backend\n      track: stable\n  replicas: 3\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: hello\n        tier: backend\n        track: stable\n    spec:\n      containers:\n        - name: hello\n          image: \"gcr.io/google-samples/hello-go-gke:1.0\"\n          ports:\n            - name: http\n              containerPort: 80\n";
const HELLO_SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  selector:\n    app.kubernetes.io/name: hello\n    tier: backend\n  ports:\n  - protocol: TCP\n    port: 80\n    targetPort: http\n";
const FRONTEND_SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: frontend\nspec:\n  selector:\n    app: hello\n    tier: frontend\n  ports:\n  - protocol: \"TCP\"\n    port: 80\n    targetPort: 80\n  type: LoadBalancer\n";

fn lines_with(text: &str, needle: &str) -> usize {
    text.lines()
        .filter(|l| l.split_whitespace().collect::<Vec<_>>().join(" ").contains(needle))
        .count()
}

#[tokio::test(start_paused = true)]
async fn seed000_frontend_backend() {
    let c = cluster().await;
    let mut ws = Workspace::new(std::env::temp_dir());
    ws.add_url(
        "https://k8s.io/examples/service/access/backend-deployment.yaml",
        BACKEND,
    );
    ws.add_url("https://k8s.io/examples/service/access/backend-service.yaml", HELLO_SVC);
    ws.add_url(
        "https://k8s.io/examples/service/access/frontend-service.yaml",
        FRONTEND_SVC,
    );
    let run = |line: &'static str| {
        let (c, ws) = (c.clone(), ws.clone());
        async move { kubectl_in(&c, &ws, None, line).await }
    };
    assert_eq!(
        run("apply -f https://k8s.io/examples/service/access/backend-deployment.yaml")
            .await
            .1,
        "deployment.apps/backend created\n"
    );
    let (code, t) = run("rollout status deployment/backend").await;
    assert_eq!(code, 0);
    assert!(t.ends_with("deployment \"backend\" successfully rolled out\n"), "{t}");
    let (_, t) = run("get deployment backend").await;
    assert!(
        t.starts_with("NAME      READY   UP-TO-DATE   AVAILABLE   AGE\nbackend   3/3     3            3           "),
        "{t}"
    );
    let (_, t) = run("describe deployment backend").await;
    for want in [
        "Name: backend",
        "Namespace: default",
        "Selector: app.kubernetes.io/name=hello,tier=backend,track=stable",
        "Replicas: 3 desired | 3 updated | 3 total | 3 available | 0 unavailable",
        "StrategyType: RollingUpdate",
        "Image: gcr.io/google-samples/hello-go-gke:1.0",
        "Port: 80/TCP",
        "Available True MinimumReplicasAvailable",
        "NewReplicaSet: backend-",
        "Normal ScalingReplicaSet",
        "deployment-controller Scaled up replica set backend-",
    ] {
        assert_eq!(lines_with(&t, want), 1, "missing {want:?} in\n{t}");
    }
    assert_eq!(
        run("apply -f https://k8s.io/examples/service/access/backend-service.yaml")
            .await
            .1,
        "service/hello created\n"
    );
    assert_eq!(
        run("apply -f https://k8s.io/examples/service/access/frontend-service.yaml")
            .await
            .1,
        "service/frontend created\n"
    );
    c.clock().sleep(Duration::from_secs(1)).await;
    let (_, t) = run("get endpoints hello").await;
    let row = t.lines().last().unwrap();
    assert!(row.starts_with("hello   ") && row.matches(":80").count() == 3, "{t}");
    let (out, buf) = crate::io::Output::buffer();
    let (c2, ws2) = (c.clone(), ws.clone());
    let watch = tokio::spawn(async move {
        let ctx = crate::kubectl::Ctx {
            cluster: &c2,
            workspace: &ws2,
            stdin: None,
        };
        let args: Vec<String> = ["get", "service", "frontend", "--watch"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        crate::kubectl::run(&ctx, &args, &out).await
    });
    c.clock().sleep(Duration::from_secs(10)).await;
    watch.abort();
    let t = buf.text();
    let rows: Vec<&str> = t.lines().collect();
    assert_eq!(rows.len(), 3, "{t}");
    assert!(rows[1].contains("<pending>") && !rows[2].contains("<pending>"), "{t}");
    assert_eq!(rows[0].find("PORT(S)"), rows[2].find("80:"), "{t}");
    let (_, t) = run("describe svc frontend").await;
    for want in [
        "Type: LoadBalancer",
        "LoadBalancer Ingress: ",
        "Normal EnsuringLoadBalancer",
        "Normal EnsuredLoadBalancer",
    ] {
        assert_eq!(lines_with(&t, want), 1, "missing {want:?} in\n{t}");
    }
    assert_eq!(
        run("delete services frontend backend").await.1,
        "service \"frontend\" deleted\nError from server (NotFound): services \"backend\" not found\n"
    );
    assert_eq!(
        run("delete deployment backend").await.1,
        "deployment.apps \"backend\" deleted\n"
    );
}

#[tokio::test(start_paused = true)]
async fn seed003_labels_and_nodeport() {
    let c = cluster().await;
    kubectl(
        &c,
        "create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1",
    )
    .await;
    assert!(kubectl(&c, "rollout status deployment/kubernetes-bootcamp")
        .await
        .1
        .ends_with("successfully rolled out\n"));
    assert_eq!(
        kubectl(
            &c,
            "expose deployment/kubernetes-bootcamp --type=\"NodePort\" --port 8080"
        )
        .await
        .1,
        "service/kubernetes-bootcamp exposed\n"
    );
    c.clock().sleep(Duration::from_secs(1)).await;
    let (_, t) = kubectl(&c, "describe services/kubernetes-bootcamp").await;
    for want in [
        "Port: <unset> 8080/TCP",
        "TargetPort: 8080/TCP",
        "NodePort: <unset> 3",
        "Endpoints: 10.244.",
    ] {
        assert_eq!(lines_with(&t, want), 1, "missing {want:?} in\n{t}");
    }
    let (_, pod) = kubectl(
        &c,
        "get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'",
    )
    .await;
    let pod = pod.trim().to_string();
    assert!(pod.starts_with("kubernetes-bootcamp-"), "{pod}");
    let (_, t) = kubectl(&c, &format!("label pods {pod} version=v1")).await;
    assert_eq!(t, format!("pod/{pod} labeled\n"));
    let (_, t) = kubectl(&c, &format!("describe pods {pod}")).await;
    assert_eq!(lines_with(&t, "version=v1"), 1, "{t}");
    let (_, t) = kubectl(&c, "get pods --show-labels").await;
    assert!(t.lines().nth(1).unwrap().ends_with(",version=v1"), "{t}");
    assert!(
        t.lines()
            .nth(1)
            .unwrap()
            .contains("   app=kubernetes-bootcamp,pod-template-hash="),
        "{t}"
    );
    let (_, t) = kubectl(&c, "get pods -l run=nothing -o wide").await;
    assert_eq!(t, "No resources found in default namespace.\n");
    let (_, t) = kubectl(&c, "get pods -o wide").await;
    assert!(
        t.starts_with("NAME ")
            && t.lines().next().unwrap().ends_with("NOMINATED NODE   READINESS GATES")
            && t.contains("   IP           NODE "),
        "{t}"
    );
    let (_, t) = kubectl(&c, "get pods -o custom-columns=POD_IP:.status.podIPs").await;
    assert!(t.starts_with("POD_IP\n[map[ip:10.244."), "{t}");
    assert_eq!(
        kubectl(&c, "delete service -l app=kubernetes-bootcamp").await.1,
        "service \"kubernetes-bootcamp\" deleted\n"
    );
    let (code, t) = kubectl(&c, "delete pods -l app=kubernetes-bootcamp").await;
    assert_eq!((code, t), (0, format!("pod \"{pod}\" deleted\n")));
    assert!(
        kubectl(&c, &format!("get pod {pod}"))
            .await
            .1
            .starts_with("Error from server (NotFound)"),
        "delete waits until the pod is gone"
    );
}

const RUN_MY_NGINX: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-nginx\n  labels:\n    run: my-nginx\nspec:\n  selector:\n    matchLabels:\n      run: my-nginx\n  replicas: 2\n  template:\n    metadata:\n      labels:\n        run: my-nginx\n    spec:\n      containers:\n      - name: my-nginx\n        image: nginx\n        ports:\n        - containerPort: 80\n";
const SECURE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: my-nginx\n  labels:\n    run: my-nginx\nspec:\n  type: NodePort\n  ports:\n  - port: 8080\n    targetPort: 80\n    protocol: TCP\n    name: http\n  - port: 443\n    protocol: TCP\n    name: https\n  selector:\n    run: my-nginx\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-nginx\nspec:\n  selector:\n    matchLabels:\n      run: my-nginx\n  replicas: 1\n  template:\n    metadata:\n      labels:\n        run: my-nginx\n    spec:\n      containers:\n      - name: nginxhttps\n        image: bprashanth/nginxhttps:1.0\n        ports:\n        - containerPort: 443\n        - containerPort: 80\n";

#[tokio::test(start_paused = true)]
async fn seed004_connect_applications() {
    let c = cluster().await;
    let dir = std::env::temp_dir().join(format!("k8s-lab-seed004-{}", std::process::id()));
    let ws = Workspace::new(&dir);
    ws.write("run-my-nginx.yaml", RUN_MY_NGINX.as_bytes()).unwrap();
    ws.write("nginx-secure-app.yaml", SECURE.as_bytes()).unwrap();
    let k = |line: String| {
        let (c, ws) = (c.clone(), ws.clone());
        async move { kubectl_in(&c, &ws, None, &line).await }
    };
    assert_eq!(
        k("apply -f ./run-my-nginx.yaml".into()).await.1,
        "deployment.apps/my-nginx created\n"
    );
    assert!(k("rollout status deployment/my-nginx".into())
        .await
        .1
        .ends_with("successfully rolled out\n"));
    let (_, t) = k("get pods -l run=my-nginx -o custom-columns=POD_IP:.status.podIPs".into()).await;
    assert_eq!(t.lines().filter(|l| l.starts_with("[map[ip:10.244.")).count(), 2, "{t}");
    assert_eq!(
        k("expose deployment/my-nginx".into()).await.1,
        "service/my-nginx exposed\n"
    );
    c.clock().sleep(Duration::from_secs(1)).await;
    let (_, t) = k("get svc my-nginx".into()).await;
    assert!(t.starts_with("NAME       TYPE        CLUSTER-IP"), "{t}");
    assert!(t.lines().nth(1).unwrap().contains("   <none>        80/TCP    "), "{t}");
    let (_, t) = k("describe svc my-nginx".into()).await;
    for want in [
        "Labels: run=my-nginx",
        "Selector: run=my-nginx",
        "Type: ClusterIP",
        "Port: <unset> 80/TCP",
        "TargetPort: 80/TCP",
        "Session Affinity: None",
    ] {
        assert_eq!(lines_with(&t, want), 1, "missing {want:?} in\n{t}");
    }
    let eps = t.lines().find(|l| l.starts_with("Endpoints:")).unwrap();
    assert_eq!(eps.matches(":80").count(), 2, "{t}");
    let (_, t) = k("describe endpointslices -l kubernetes.io/service-name=my-nginx".into()).await;
    assert_eq!(lines_with(&t, "AddressType: IPv4"), 1, "{t}");
    assert_eq!(lines_with(&t, "- Addresses: 10.244."), 2, "{t}");
    assert_eq!(lines_with(&t, "TargetRef: Pod/my-nginx-"), 2, "{t}");
    let (_, t) = k("get ep my-nginx".into()).await;
    assert!(t.starts_with("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\nNAME       ENDPOINTS"), "{t}");
    let (_, pod) = k("get pods -l run=my-nginx -o jsonpath={.items[0].metadata.name}".into()).await;
    assert_eq!(
        k("scale deployment my-nginx --replicas=0".into()).await.1,
        "deployment.apps/my-nginx scaled\n"
    );
    assert_eq!(
        k("scale deployment my-nginx --replicas=2".into()).await.1,
        "deployment.apps/my-nginx scaled\n"
    );
    assert_eq!(
        k(format!("wait --for=delete pod/{pod} --timeout=120s")).await.1,
        format!("pod/{pod} condition met\n")
    );
    k("rollout status deployment/my-nginx".into()).await;
    let (_, newest) = k(
        "get pods -l run=my-nginx --sort-by=.metadata.creationTimestamp -o jsonpath={.items[-1:].metadata.name}".into(),
    )
    .await;
    assert!(newest.starts_with("my-nginx-") && newest != pod, "{newest}");
    let (_, t) = k("get services kube-dns --namespace=kube-system".into()).await;
    assert!(
        t.contains("kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   "),
        "{t}"
    );
    assert_eq!(
        k("delete deployments,svc my-nginx".into()).await.1,
        "deployment.apps \"my-nginx\" deleted\nservice \"my-nginx\" deleted\n"
    );
    assert_eq!(
        k("create -f ./nginx-secure-app.yaml".into()).await.1,
        "service/my-nginx created\ndeployment.apps/my-nginx created\n"
    );
    let (_, y) = k("get svc my-nginx -o yaml".into()).await;
    assert!(
        y.contains("    nodePort: 3") && y.contains("    targetPort: 80\n"),
        "{y}"
    );
    let (_, https) = k(r#"get svc my-nginx -o jsonpath='{.spec.ports[?(@.name=="https")].nodePort}'"#.into()).await;
    assert!(
        https.parse::<i32>().is_ok_and(|p| (30000..=32767).contains(&p)),
        "{https}"
    );
    assert_eq!(
        k(r#"patch svc my-nginx -p '{"spec":{"type":"LoadBalancer"}}'"#.into())
            .await
            .1,
        "service/my-nginx patched\n"
    );
    c.clock().sleep(Duration::from_secs(10)).await;
    let (_, t) = k("describe service my-nginx".into()).await;
    assert_eq!(lines_with(&t, "LoadBalancer Ingress: 127.0.1."), 1, "{t}");
    std::fs::remove_dir_all(dir).ok();
}
