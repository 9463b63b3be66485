//! Checks judge outcomes: each bundled lesson done through a real lab session, every step a
//! *different but correct* way from its solution — other kind aliases and `kind/name` forms,
//! files (and the editor's save) instead of URLs and heredocs, `-f -` from a pipe or a `<`,
//! flags in other spellings, curl to another node, a request from outside the lab — and every
//! step must pass. Before that, on the same session, a learner who only presses F6 passes none.
//!
//! The lesson engine, the lab shell, its journal, the cluster and its data plane are the real
//! ones (`LessonRun` as the TUI drives it); the clock runs 10× so waits are short.

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use k8s_lab::io::Output;
use k8s_lab::lessons::{self, Lang, LessonRun};
use k8s_lab::shell::Session;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One step done another way. Lines go to the lab shell, except:
/// - `@save PATH` + newline + text: the editor's Ctrl+S (write the file, then
///   `kubectl apply -f PATH` through the same session, as the TUI does);
/// - `@write PATH` + newline + text: a file the learner wrote;
/// - `@outside ADDR`: an HTTP request from the learner's own terminal, not through the lab.
///
/// `{b}` in a line is the test's node block (node addresses are `127.0.{b}.N`); `$NAME` in an
/// `@outside` line is the session's variable.
type Way = (&'static str, Vec<String>);

/// A step's id and its lines.
fn way(step: &'static str, lines: &[&str]) -> Way {
    (step, lines.iter().map(|l| l.to_string()).collect())
}

fn home(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("k8s-lab-checks-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A plain HTTP/1.0 GET from this process, the way `curl` in another terminal would send it.
async fn outside_get(addr: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.write_all(b"GET / HTTP/1.0\r\nHost: lab\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.unwrap();
    answer
}

async fn do_line(session: &mut Session, line: &str, out: &Output) {
    if let Some(rest) = line.strip_prefix("@save ").or_else(|| line.strip_prefix("@write ")) {
        let (path, text) = rest.split_once('\n').expect("a path, then the file");
        session.write_file(path, text.as_bytes()).unwrap();
        if line.starts_with("@save ") {
            session.run_line(&format!("kubectl apply -f {path}"), out).await;
        }
    } else if let Some(addr) = line.strip_prefix("@outside ") {
        let mut addr = addr.to_string();
        for (k, v) in &session.vars {
            addr = addr.replace(&format!("${k}"), v);
        }
        let answer = outside_get(&addr).await;
        let status = answer.lines().next().unwrap_or_default();
        assert!(
            status.starts_with("HTTP/1.") && status.contains(" 200 "),
            "{addr}: {answer}"
        );
    } else {
        tokio::time::timeout(Duration::from_secs(60), session.run_line(line, out))
            .await
            .unwrap_or_else(|_| panic!("`{line}` did not finish"));
    }
}

/// Refresh until the current step passes, or fail with what the lesson would tell the learner.
async fn until_done(run: &mut LessonRun, session: &Session, buf: &k8s_lab::io::Buffer, id: &str) {
    let started = Instant::now();
    loop {
        run.refresh(&session.cluster, &session.journal).await.unwrap();
        if run.is_done(run.current()) {
            return;
        }
        if started.elapsed() > Duration::from_secs(40) {
            panic!(
                "{id}: step {} did not pass: {:?}\n--- output ---\n{}",
                run.current_step().id.0,
                run.status(Lang::En),
                buf.text()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn walk(id: &str, block: u8, ways: &[Way]) {
    let lesson = lessons::find(id).unwrap();
    let dir = home(id);
    let mut config = support::lab::config_for(&lesson, block);
    config.clock_speed = 10.0;
    let (out, buf) = Output::buffer();
    let mut session = lesson
        .open_session(config, &dir.join("workspace"), &out)
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));

    // Only F6, from the first step to the last: nothing passes, the clean-up included.
    let mut skipper = LessonRun::open(lesson.clone(), None).unwrap();
    loop {
        skipper.refresh(&session.cluster, &session.journal).await.unwrap();
        if !skipper.next_step().unwrap() {
            break;
        }
    }
    skipper.refresh(&session.cluster, &session.journal).await.unwrap();
    let steps = lesson.steps().len();
    let done: Vec<&str> = (0..steps)
        .filter(|i| skipper.is_done(*i))
        .map(|i| lesson.steps()[i].id.0.as_str())
        .collect();
    assert!(done.is_empty(), "{id}: F6 alone passed {done:?}");

    assert_eq!(
        ways.iter().map(|w| w.0).collect::<Vec<_>>(),
        lesson.steps().iter().map(|s| s.id.0.as_str()).collect::<Vec<_>>(),
        "{id}: one way per step, in order"
    );
    let mut run = LessonRun::open(lesson.clone(), None).unwrap();
    for (i, (step, lines)) in ways.iter().enumerate() {
        assert_eq!(run.current(), i, "{id}: on step {step}");
        if (id, *step) == ("lesson3", "every-node") {
            probes_do_not_pass_a_traffic_check(&mut run, &session).await;
        }
        for line in lines {
            let line = line.replace("{b}", &block.to_string());
            tokio::time::sleep(Duration::from_millis(50)).await;
            do_line(&mut session, &line, &out).await;
        }
        until_done(&mut run, &session, &buf, id).await;
        run.next_step().unwrap();
    }
    assert!(run.finished(), "{id}: every step done");
    session.cluster.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}

/// On lesson 3's "every node" step, before the learner sends anything: the step's `http` check
/// probes node 3 (and is answered), yet the traffic checks stay unpassed, and everything the
/// probe caused is marked in the traffic log.
async fn probes_do_not_pass_a_traffic_check(run: &mut LessonRun, session: &Session) {
    for _ in 0..3 {
        run.refresh(&session.cluster, &session.journal).await.unwrap();
    }
    assert!(!run.is_done(run.current()));
    let why = run.status(Lang::En).unwrap();
    assert!(
        why.contains("the lab has not served a request from your machine"),
        "{why}"
    );
    let served: Vec<_> = session
        .cluster
        .net()
        .traffic_since(None)
        .into_iter()
        .filter(|r| r.event.pod.as_deref().is_some_and(|p| p.contains("my-app")))
        .collect();
    assert!(!served.is_empty(), "the probe reached a pod");
    assert!(served.iter().all(|r| r.event.probe), "{served:?}");
}

fn deployment(name: &str, label: &str, replicas: u32, image: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels: {{app: {label}}}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: {label}}}\n  template:\n    metadata:\n      labels: {{app: {label}}}\n    spec:\n      containers:\n      - name: {name}\n        image: {image}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson1_another_way() {
    let deploy = format!(
        "@write bootcamp.yaml\n{}",
        deployment(
            "kubernetes-bootcamp",
            "kubernetes-bootcamp",
            1,
            "gcr.io/google-samples/kubernetes-bootcamp:v1"
        )
    );
    let ways = vec![
        way("list-services", &["kubectl get svc"]),
        way(
            "deploy-bootcamp",
            &[
                &deploy,
                "kubectl apply -f bootcamp.yaml",
                "kubectl rollout status deploy/kubernetes-bootcamp",
            ],
        ),
        way(
            "expose",
            &["kubectl expose deploy kubernetes-bootcamp --port=8080 --type=NodePort"],
        ),
        way(
            "reach-node-port",
            &[
                "NP=$(kubectl get svc kubernetes-bootcamp -o jsonpath='{.spec.ports[0].nodePort}')",
                "@outside 127.0.{b}.1:$NP",
            ],
        ),
        way(
            "query-by-label",
            &[
                "kubectl get po --selector=app=kubernetes-bootcamp",
                "kubectl get services --selector app=kubernetes-bootcamp",
            ],
        ),
        way(
            "add-label",
            &[
                "P=$(kubectl get pods -o jsonpath='{.items[0].metadata.name}')",
                "kubectl label po $P version=v1",
            ],
        ),
        way(
            "delete-service",
            &[
                "kubectl delete svc/kubernetes-bootcamp",
                "kubectl exec $P -- curl -s http://127.0.0.1:8080",
            ],
        ),
    ];
    walk("lesson1", 93, &ways).await;
}

const KUBIA_NAMED: &str = "apiVersion: v1
kind: Service
metadata:
  name: kubia-named
spec:
  selector: {app: kubia}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: https, port: 443, targetPort: 8443}
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson2_another_way() {
    let deploy = format!("@write kubia.yaml\n{}", deployment("kubia", "kubia", 3, "luksa/kubia"));
    let named = format!("@write named.yaml\n{KUBIA_NAMED}");
    let ways = vec![
        way("deploy-kubia", &[&deploy, "kubectl apply -f kubia.yaml", "kubectl rollout status deploy/kubia"]),
        way(
            "expose-kubia",
            &["kubectl create -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: kubia\nspec:\n  selector: {app: kubia}\n  ports:\n  - port: 80\n    targetPort: 8080\nEOF"],
        ),
        way(
            "curl-cluster-ip",
            &[
                "P=$(kubectl get pods -l app=kubia -o jsonpath='{.items[1].metadata.name}')",
                "kubectl exec $P -- curl -s http://$(kubectl get svc kubia -o jsonpath='{.spec.clusterIP}'):80",
            ],
        ),
        way(
            "env-vars",
            // Judged by what the new pods see, so a rolling restart does as well as a delete.
            &["kubectl rollout restart deployment kubia", "kubectl rollout status deployments/kubia"],
        ),
        way(
            "dns",
            &[
                "P=$(kubectl get pods -l app=kubia -o jsonpath='{.items[2].metadata.name}')",
                "kubectl exec $P -- curl -s http://kubia.default",
                "kubectl exec $P -- curl -s http://kubia.default.svc",
            ],
        ),
        way(
            "named-ports",
            &[&named, "kubectl apply -f named.yaml", "kubectl exec deploy/kubia -- curl -s http://kubia-named"],
        ),
        way("coredns", &["kubectl -n kube-system get po -lk8s-app=kube-dns"]),
    ];
    walk("lesson2", 94, &ways).await;
}

const NODEPORT: &str = "apiVersion: v1
kind: Service
metadata:
  name: teva-nodeport-service
spec:
  type: NodePort
  selector: {app: my-app}
  ports:
  - {port: 80, targetPort: 8080, nodePort: 30008}
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson3_another_way() {
    let deploy = format!(
        "@write my-app.yaml\n{}",
        deployment("my-app", "my-app", 3, "luksa/kubia")
    );
    let nodeport = format!("@save /nodeport.yaml\n{NODEPORT}");
    let dup = format!(
        "@save /dup.yaml\n{}",
        NODEPORT.replace("teva-nodeport-service", "dup-nodeport")
    );
    let lb = format!(
        "@write lb.yaml\n{}",
        NODEPORT
            .replace("teva-nodeport-service", "backend-service")
            .replace("NodePort", "LoadBalancer")
            .replace(", nodePort: 30008", "")
    );
    let ways = vec![
        way("nodes", &["kubectl get no"]),
        way("deploy-my-app", &[&deploy, "kubectl create -f my-app.yaml", "kubectl rollout status deployment my-app"]),
        way("nodeport", &[&nodeport]),
        way(
            "every-node",
            &[
                "curl -s http://$(minikube ip):30008",
                "curl -s http://$(kubectl get node minikube-m02 -o jsonpath='{.status.addresses[0].address}'):30008",
            ],
        ),
        way("duplicate-port", &[&dup]),
        way("loadbalancer", &[&lb, "kubectl apply -f lb.yaml && timeout 5 kubectl get svc/backend-service -w"]),
        way(
            "curl-lb",
            &[
                "curl -s $(kubectl get svc backend-service -o jsonpath='{.status.loadBalancer.ingress[0].ip}')",
                "kubectl describe service/backend-service",
            ],
        ),
        way(
            "clusterip-inside-only",
            &["timeout 2 curl -s http://$(kubectl get services teva-nodeport-service -o jsonpath='{.spec.clusterIP}'):80"],
        ),
    ];
    walk("lesson3", 95, &ways).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson4_another_way() {
    let ways = vec![
        way("run-nginx", &["kubectl create -f run-my-nginx.yaml", "kubectl rollout status deploy/my-nginx"]),
        way("expose-nginx", &["kubectl expose deploy my-nginx", "kubectl get endpoints/my-nginx"]),
        way(
            "env-vars",
            &[
                "kubectl scale --replicas=0 deploy/my-nginx",
                "kubectl scale deployments my-nginx --replicas 2",
                "kubectl rollout status deployment/my-nginx",
            ],
        ),
        way(
            "dns",
            &[
                "kubectl run curl --image=radial/busyboxplus:curl -it",
                "nslookup my-nginx.default",
                "curl -s http://my-nginx.default.svc.cluster.local",
                "exit",
            ],
        ),
        way(
            "tls-secret",
            &[
                "openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout /tmp/k.key -out /tmp/c.crt -subj \"/CN=my-nginx/O=my-nginx\"",
                "kubectl create secret tls nginxsecret --cert=/tmp/c.crt --key=/tmp/k.key",
                "kubectl create configmap nginxconfigmap --from-file default.conf",
            ],
        ),
        way(
            "secure-app",
            &[
                "kubectl delete deploy/my-nginx svc/my-nginx",
                "kubectl apply -f nginx-secure-app.yaml",
                "kubectl rollout status deploy/my-nginx",
                "kubectl create -f curlpod.yaml",
                "kubectl rollout status deploy/curl-deployment",
                "C=$(kubectl get po -l app=curlpod -o jsonpath='{.items[0].metadata.name}')",
                "kubectl exec $C -- curl -s --cacert /etc/nginx/ssl/tls.crt https://my-nginx",
            ],
        ),
        way(
            "https-node-port",
            &["curl -sk https://127.0.{b}.2:$(kubectl get svc my-nginx -o jsonpath='{.spec.ports[?(@.name==\"https\")].nodePort}')"],
        ),
        way(
            "loadbalancer",
            &[
                "kubectl patch service/my-nginx --type=merge -p '{\"spec\":{\"type\":\"LoadBalancer\"}}'",
                "timeout 5 kubectl get svc my-nginx -w",
                "curl -sk https://$(kubectl get svc my-nginx -o jsonpath='{.status.loadBalancer.ingress[0].ip}')",
            ],
        ),
    ];
    walk("lesson4", 96, &ways).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson5_another_way() {
    let ways = vec![
        way(
            "backend",
            &[
                "kubectl apply -f backend-deployment.yaml",
                "kubectl rollout status deploy/backend",
            ],
        ),
        way("inspect-backend", &["kubectl describe deployments.apps/backend"]),
        way("hello-service", &["kubectl apply -f - < backend-service.yaml"]),
        way("frontend", &["kubectl create -f frontend-deployment.yaml"]),
        way(
            "external-ip",
            &["cat frontend-service.yaml | kubectl create -f - && timeout 5 kubectl get svc frontend -w"],
        ),
        way(
            "curl-frontend",
            &["curl -s $(kubectl get svc frontend -o jsonpath='{.status.loadBalancer.ingress[0].ip}'):80"],
        ),
        way("endpoints", &["kubectl get ep/hello"]),
        way(
            "cleanup",
            &[
                "kubectl delete svc/frontend svc/hello",
                "kubectl delete deploy frontend backend",
            ],
        ),
    ];
    walk("lesson5", 97, &ways).await;
}
