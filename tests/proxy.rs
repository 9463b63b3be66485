//! kube-proxy behaviour seen from a client: a Service without endpoints refuses connections, a
//! connection whose endpoint goes away is closed, new connections go to the endpoints left.

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::net::{Origin, Route};
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind};
use support::cluster::ready_endpoints;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const APP: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 2
  selector:
    matchLabels: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
---
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  selector: {app: kubia}
  ports:
  - port: 80
    targetPort: 8080
"#;

async fn wait_route(cluster: &Cluster, virt: std::net::SocketAddrV4, listener: bool) {
    for _ in 0..500 {
        let done = match cluster.net().route(virt) {
            Some(Route::Listener(_)) => listener,
            Some(Route::Reject) => !listener,
            None => false,
        };
        if done {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "route of {virt} never became {}",
        if listener { "a listener" } else { "reject" }
    );
}

/// One HTTP/1.1 request on an open connection; returns the body.
async fn request(stream: &mut tokio::net::TcpStream) -> String {
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: kubia\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = stream.read(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf[..n]).to_string();
    text.split("\r\n\r\n").nth(1).unwrap_or("").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_follow_the_endpoints() {
    let cluster = Cluster::start(ClusterConfig {
        node_block: 16,
        clock_speed: 20.0,
        ..Default::default()
    })
    .await
    .unwrap();
    for obj in decode_manifests(APP, "t") {
        cluster.apply(obj.unwrap()).unwrap();
    }
    let cip: Ipv4Addr = cluster
        .get(Kind::Service, "default", "kubia")
        .unwrap()
        .cluster_ip()
        .unwrap()
        .to_string()
        .parse()
        .unwrap();
    let virt = std::net::SocketAddrV4::new(cip, 80);
    let client = Origin::Pod {
        namespace: "default".into(),
        name: "client".into(),
        ip: Ipv4Addr::new(10, 244, 9, 9),
    };

    // Before any pod is ready the Service has no endpoints: connection refused at once.
    wait_route(&cluster, virt, false).await;
    assert_eq!(cluster.net().route(virt), Some(Route::Reject));
    let err = cluster.net().connect(&client, SocketAddr::V4(virt)).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);

    let ready = cluster
        .wait_until(Duration::from_secs(120), |c| {
            ready_endpoints(c, "default", "kubia") == 2
        })
        .await;
    assert!(ready);
    wait_route(&cluster, virt, true).await;

    // From inside the cluster a ClusterIP is translated at connect time (iptables' DNAT): the
    // connection goes straight to a pod's socket, not through the proxy's listener, and the
    // pod learns who called through which Service.
    let Some(Route::Listener(proxy_socket)) = cluster.net().route(virt) else {
        panic!("the ClusterIP has a listener")
    };
    let pod_sockets: Vec<SocketAddr> = cluster
        .list(Kind::Pod, Some("default"))
        .iter()
        .filter_map(|p| {
            let ip: Ipv4Addr = p.as_pod()?.status.as_ref()?.pod_ip.as_ref()?.parse().ok()?;
            match cluster.net().route(std::net::SocketAddrV4::new(ip, 8080)) {
                Some(Route::Listener(real)) => Some(real),
                _ => None,
            }
        })
        .collect();
    let mut traffic = cluster.net().traffic();
    let mut conn = cluster.net().connect(&client, SocketAddr::V4(virt)).await.unwrap();
    let peer = conn.peer_addr().unwrap();
    assert!(pod_sockets.contains(&peer), "{peer} is not one of {pod_sockets:?}");
    assert_ne!(peer, proxy_socket);
    let body = request(&mut conn).await;
    let ev = traffic.recv().await.unwrap();
    assert_eq!(ev.from, "pod/client via default/kubia:80");
    assert_eq!(ev.service.as_deref(), Some("default/kubia:80"));
    assert_eq!(ev.status, Some(200));
    let victim = body
        .trim()
        .strip_prefix("You've hit ")
        .expect("kubia answers")
        .to_string();
    cluster.delete(Kind::Pod, "default", &victim).unwrap();

    // The open connection is closed (EOF or reset) soon after the endpoint is removed.
    let mut buf = [0u8; 64];
    let closed = tokio::time::timeout(Duration::from_secs(10), conn.read(&mut buf))
        .await
        .expect("connection closed in time");
    assert!(
        matches!(closed, Ok(0) | Err(_)),
        "connection should be closed, read {closed:?}"
    );

    // New connections reach the pod that is left.
    for _ in 0..5 {
        let mut c = cluster.net().connect(&client, SocketAddr::V4(virt)).await.unwrap();
        let body = request(&mut c).await;
        assert!(
            body.starts_with("You've hit kubia-") && !body.contains(&victim),
            "{body}"
        );
    }
    cluster.shutdown();
}
