//! `kubectl port-forward` against a live lab cluster: real TCP clients on the forwarded ports,
//! cancellation closing them, and kubectl's wording for every way it can fail.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use crate::io::{Buffer, Output};
use crate::kubectl::tests::testutil::{cluster, kubectl, split};
use crate::kubectl::Ctx;
use crate::runtime::net::bind_loopback;
use crate::runtime::{Cluster, Kind};
use crate::workspace::Workspace;

/// Start `kubectl LINE` as a task (it runs until aborted, like a real port-forward).
fn start(c: &Cluster, line: &str) -> (JoinHandle<i32>, Buffer) {
    let (out, buf) = Output::buffer();
    let (c, args) = (c.clone(), split(line));
    let task = tokio::spawn(async move {
        let ws = Workspace::new(std::env::temp_dir());
        let ctx = Ctx {
            cluster: &c,
            workspace: &ws,
            stdin: None,
        };
        crate::kubectl::run(&ctx, &args, &out).await
    });
    (task, buf)
}

/// Wait (briefly) until the output contains `needle`; the output so far.
async fn wait_for(buf: &Buffer, needle: &str) -> String {
    for _ in 0..500 {
        if buf.text().contains(needle) {
            return buf.text();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{needle:?} never appeared in:\n{}", buf.text())
}

/// The local port of the `Forwarding from 127.0.0.1:PORT -> …` line.
fn local_port(text: &str) -> u16 {
    let line = text
        .lines()
        .find(|l| l.starts_with("Forwarding from 127.0.0.1:"))
        .unwrap_or_else(|| panic!("no forwarding line in {text}"));
    line["Forwarding from 127.0.0.1:".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A plain HTTP/1.0 GET over a real socket; the whole response.
async fn http_get(port: u16) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("the forwarded port accepts");
    s.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut body = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut body))
        .await
        .expect("the response ends")
        .unwrap();
    String::from_utf8_lossy(&body).into_owned()
}

/// A running nginx Deployment `web` and the name of one of its pods.
async fn nginx(c: &Cluster) -> String {
    assert_eq!(kubectl(c, "create deployment web --image=nginx").await.0, 0);
    let (code, t) = kubectl(c, "rollout status deployment/web --timeout=120s").await;
    assert_eq!(code, 0, "{t}");
    c.list(Kind::Pod, Some("default"))
        .into_iter()
        .find(|p| p.labels().get("app").map(String::as_str) == Some("web"))
        .unwrap()
        .name()
        .to_string()
}

#[tokio::test(start_paused = true)]
async fn a_real_client_gets_nginx_through_the_forwarded_port_until_cancelled() {
    let c = cluster().await;
    let pod = nginx(&c).await;
    let (task, buf) = start(&c, &format!("port-forward pod/{pod} :80"));
    let text = wait_for(&buf, "Forwarding from 127.0.0.1:").await;
    let port = local_port(&text);
    assert_ne!(port, 0, "`:80` picked a real free port");
    assert!(
        text.starts_with(&format!("Forwarding from 127.0.0.1:{port} -> 80\n")),
        "{text}"
    );
    let page = http_get(port).await;
    assert!(page.lines().next().unwrap().ends_with(" 200 OK"), "{page}");
    assert!(page.contains("<h1>Welcome to nginx!</h1>"), "{page}");
    wait_for(&buf, &format!("Handling connection for {port}\n")).await;
    // A second connection is served as well.
    assert!(http_get(port).await.contains("Welcome to nginx!"));
    assert_eq!(
        buf.text().matches("Handling connection for").count(),
        2,
        "{}",
        buf.text()
    );
    // Ctrl+C drops the command's future: the listener goes with it.
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        TcpStream::connect(("127.0.0.1", port)).await.is_err(),
        "port {port} still open"
    );
}

#[tokio::test(start_paused = true)]
async fn services_and_deployments_forward_to_one_of_their_pods() {
    let c = cluster().await;
    nginx(&c).await;
    let (code, t) = kubectl(&c, "expose deployment web --port=8080 --target-port=80").await;
    assert_eq!(code, 0, "{t}");
    // The Service port 8080 is the pod's port 80: kubectl prints the pod side.
    let (task, buf) = start(&c, "port-forward svc/web :8080 --address 127.0.0.1");
    let text = wait_for(&buf, "Forwarding from").await;
    let port = local_port(&text);
    assert_eq!(
        text,
        format!("Forwarding from 127.0.0.1:{port} -> 80\n"),
        "only the address asked for"
    );
    assert!(http_get(port).await.contains("Welcome to nginx!"));
    task.abort();
    let (task, buf) = start(&c, "port-forward deploy/web 0:80 --address=localhost");
    let port = local_port(&wait_for(&buf, "Forwarding from 127.0.0.1:").await);
    assert!(http_get(port).await.contains("Welcome to nginx!"));
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn a_port_nothing_listens_on_ends_the_command_as_kubectl_does() {
    let c = cluster().await;
    let pod = nginx(&c).await;
    let (task, buf) = start(&c, &format!("port-forward {pod} :81"));
    let port = local_port(&wait_for(&buf, "Forwarding from 127.0.0.1:").await);
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest).await;
    assert!(rest.is_empty(), "nothing came back");
    assert_eq!(task.await.unwrap(), 1);
    let text = buf.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[lines.len() - 3],
        format!("Handling connection for {port}"),
        "{text}"
    );
    let klog = lines[lines.len() - 2];
    assert!(
        klog.starts_with('E')
            && klog.contains(" portforward.go:424] \"Unhandled Error\" err=\"an error occurred forwarding "),
        "{klog}"
    );
    assert!(
        klog.contains(&format!("{port} -> 81: error forwarding port 81 to pod ")),
        "{klog}"
    );
    assert!(
        klog.ends_with("IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 [::1]:81: connect: connection refused \" logger=\"UnhandledError\""),
        "{klog}"
    );
    assert_eq!(lines[lines.len() - 1], "error: lost connection to pod");
}

#[tokio::test(start_paused = true)]
async fn a_local_port_in_use_is_reported_per_port_then_overall() {
    let c = cluster().await;
    let pod = nginx(&c).await;
    let taken = bind_loopback("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let port = taken.local_addr().unwrap().port();
    // Hold [::1] too where the machine has it, so `localhost` finds no free address at all.
    let _taken6 = bind_loopback(format!("[::1]:{port}").parse().unwrap()).await;
    let (code, t) = kubectl(&c, &format!("port-forward pod/{pod} {port}:80")).await;
    assert_eq!(code, 1, "{t}");
    assert!(
        t.starts_with(&format!(
            "Unable to listen on port {port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{port}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:{port}: bind: "
        )),
        "{t}"
    );
    assert!(
        t.ends_with(&format!(
            "]\nerror: unable to listen on any of the requested ports: [{{{port} 80}}]\n"
        )),
        "{t}"
    );
    // One free port of two is enough.
    let (task, buf) = start(&c, &format!("port-forward pod/{pod} {port}:80 :80 --address 127.0.0.1"));
    let text = wait_for(&buf, "Forwarding from").await;
    assert!(
        text.starts_with(&format!("Unable to listen on port {port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{port}: bind: address already in use]\nForwarding from 127.0.0.1:")),
        "{text}"
    );
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn refusals_before_listening() {
    let c = cluster().await;
    let pod = nginx(&c).await;
    let cases = [
        (
            format!("port-forward pod/{pod}"),
            "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n".to_string(),
        ),
        ("port-forward nope 8080:80".into(), "Error from server (NotFound): pods \"nope\" not found\n".into()),
        ("port-forward svc/nope 80".into(), "Error from server (NotFound): services \"nope\" not found\n".into()),
        (
            "port-forward cm/kube-root-ca.crt 80".into(),
            "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n".into(),
        ),
        (
            "port-forward svc/kubernetes 443".into(),
            "error: cannot attach to *v1.Service: invalid service 'kubernetes': Service is defined without a selector\n".into(),
        ),
        (
            format!("port-forward {pod} 8080:http"),
            format!("error: Pod '{pod}' does not have a named port 'http'\n"),
        ),
        (
            format!("port-forward {pod} 8080:80 --address 0.0.0.0"),
            "error: k8s-lab listens on loopback addresses only, and 0.0.0.0 is not one (use localhost, 127.0.0.1 or ::1)\n".into(),
        ),
        (
            format!("port-forward {pod} 8080:80 --address 192.168.1.5,localhost"),
            "error: k8s-lab listens on loopback addresses only, and 192.168.1.5 is not one (use localhost, 127.0.0.1 or ::1)\n".into(),
        ),
        (
            format!("port-forward {pod} 8080:80 --address myhost"),
            "error: myhost is not a valid IP\n".into(),
        ),
        (
            format!("port-forward {pod} web:80"),
            "error: error parsing local port 'web': strconv.ParseUint: parsing \"web\": invalid syntax\n".into(),
        ),
        (
            format!("port-forward {pod} 80 --pod-running-timeout=soon"),
            "error: invalid argument \"soon\" for \"--pod-running-timeout\" flag: time: invalid duration \"soon\"\nSee 'kubectl port-forward --help' for usage.\n".into(),
        ),
        (
            format!("port-forward {pod} 80 --adress=x"),
            "error: unknown flag: --adress\nSee 'kubectl port-forward --help' for usage.\n".into(),
        ),
    ];
    for (line, want) in cases {
        assert_eq!(kubectl(&c, &line).await, (1, want), "{line}");
    }
}

#[tokio::test(start_paused = true)]
async fn pods_that_are_not_running_or_not_there() {
    let c = cluster().await;
    assert_eq!(kubectl(&c, "run broken --image=example.com/no-such-image").await.0, 0);
    c.clock().sleep(Duration::from_secs(5)).await;
    assert_eq!(
        kubectl(&c, "port-forward broken 8080:80").await,
        (
            1,
            "error: unable to forward port because pod is not running. Current status=Pending\n".into()
        )
    );
    // A Deployment with no pods: kubectl waits for one, then gives up.
    assert_eq!(
        kubectl(&c, "create deployment idle --image=nginx --replicas=0").await.0,
        0
    );
    assert_eq!(
        kubectl(&c, "port-forward deployment/idle 80 --pod-running-timeout=3s").await,
        (1, "error: timed out waiting for the condition\n".into())
    );
    // A forwarded pod that is deleted ends the session.
    let pod = nginx(&c).await;
    let (task, buf) = start(&c, &format!("port-forward {pod} :80"));
    wait_for(&buf, "Forwarding from 127.0.0.1:").await;
    assert_eq!(kubectl(&c, &format!("delete pod {pod} --now")).await.0, 0);
    assert_eq!(task.await.unwrap(), 1);
    assert!(
        buf.text().ends_with("error: lost connection to pod\n"),
        "{}",
        buf.text()
    );
}
