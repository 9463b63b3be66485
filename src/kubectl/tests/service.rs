//! Services as kubectl shows them: the load-balancer pool running out and freeing up, a type
//! change that gives back the address and the node port, named target ports resolved per pod,
//! and several ports on one Service.

use std::net::Ipv4Addr;
use std::time::Duration;

use super::testutil::{kubectl, kubectl_in};
use crate::runtime::{Cluster, ClusterConfig, Kind};
use crate::workspace::Workspace;

async fn cluster_with_pool(block: u8, pool: &[Ipv4Addr]) -> Cluster {
    Cluster::start(ClusterConfig {
        node_block: block,
        lb_pool: pool.to_vec(),
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn sleep(c: &Cluster, secs: u64) {
    c.clock().sleep(Duration::from_secs(secs)).await;
}

fn lb_ip(c: &Cluster, name: &str) -> Option<String> {
    c.get(Kind::Service, "default", name)?
        .lb_ingress_ip()
        .map(str::to_string)
}

#[tokio::test(start_paused = true)]
async fn an_exhausted_pool_leaves_a_service_pending_until_an_address_is_given_back() {
    let pool = [Ipv4Addr::new(127, 0, 48, 1)];
    let c = cluster_with_pool(48, &pool).await;
    kubectl(&c, "create service loadbalancer first --tcp=8080:80").await;
    sleep(&c, 1).await;
    kubectl(&c, "create service loadbalancer second --tcp=8080:80").await;
    sleep(&c, 8).await;
    assert_eq!(lb_ip(&c, "first").as_deref(), Some("127.0.48.1"));
    assert_eq!(lb_ip(&c, "second"), None);
    let (_, t) = kubectl(&c, "get svc second --no-headers").await;
    assert!(t.contains("LoadBalancer") && t.contains("<pending>"), "{t}");
    let (_, d) = kubectl(&c, "describe svc second").await;
    assert!(
        d.contains("Warning  SyncLoadBalancerFailed") && d.contains("no available IPs in the pool (1 in use)"),
        "{d}"
    );
    let node_port = |c: &Cluster, name: &str| {
        c.get(Kind::Service, "default", name)
            .unwrap()
            .as_service()
            .unwrap()
            .spec
            .clone()
            .unwrap()
            .ports
            .unwrap()[0]
            .node_port
    };
    assert!(node_port(&c, "first").is_some());

    // Back to ClusterIP: the address and the node port are released…
    assert_eq!(
        kubectl(&c, r#"patch svc first -p '{"spec":{"type":"ClusterIP"}}'"#)
            .await
            .1,
        "service/first patched\n"
    );
    assert_eq!(lb_ip(&c, "first"), None);
    assert_eq!(node_port(&c, "first"), None);
    let (_, t) = kubectl(&c, "get svc first --no-headers").await;
    assert!(
        t.contains("ClusterIP") && t.contains("8080/TCP") && !t.contains(':'),
        "{t}"
    );
    // …and the waiting Service gets the address on its next try.
    sleep(&c, 15).await;
    assert_eq!(lb_ip(&c, "second").as_deref(), Some("127.0.48.1"));
}

const NAMED_PORTS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: old
  labels: {app: shop}
spec:
  containers:
  - name: web
    image: luksa/kubia
    ports:
    - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Pod
metadata:
  name: new
  labels: {app: shop}
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - {name: http, containerPort: 80}
    - {name: https, containerPort: 443}
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector: {app: shop}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: https, port: 443, targetPort: https}
";

#[tokio::test(start_paused = true)]
async fn a_named_target_port_is_resolved_for_each_pod() {
    let c = cluster_with_pool(49, &[]).await;
    let ws = Workspace::new(std::env::temp_dir());
    assert_eq!(kubectl_in(&c, &ws, Some(NAMED_PORTS), "apply -f -").await.0, 0);
    sleep(&c, 10).await;
    let (_, t) = kubectl(&c, "get svc shop --no-headers").await;
    assert!(t.contains("80/TCP,443/TCP"), "{t}");
    let ep = c.get(Kind::Endpoints, "default", "shop").unwrap();
    let mut seen: Vec<(String, Vec<(String, i32)>)> = ep
        .as_endpoints()
        .unwrap()
        .subsets
        .clone()
        .unwrap()
        .into_iter()
        .flat_map(|s| {
            let mut ports: Vec<(String, i32)> = s
                .ports
                .unwrap_or_default()
                .into_iter()
                .map(|p| (p.name.unwrap_or_default(), p.port))
                .collect();
            ports.sort();
            s.addresses
                .unwrap_or_default()
                .into_iter()
                .map(move |a| (a.target_ref.unwrap().name.unwrap(), ports.clone()))
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "new".to_string(),
                vec![("http".to_string(), 80), ("https".to_string(), 443)]
            ),
            // The old pod has no port named `https`, so it serves only `http`, on its own 8080.
            ("old".to_string(), vec![("http".to_string(), 8080)]),
        ]
    );
}

/// `kubectl get svc,ns`: each resource group is its own table, aligned on its own (kubectl
/// forgets the remembered widths between groups), with an empty line between them — and none
/// with `--no-headers`.
#[tokio::test(start_paused = true)]
async fn each_kind_of_a_multi_kind_get_is_aligned_on_its_own() {
    let c = super::testutil::cluster().await;
    let (_, out) = kubectl(&c, "get svc,ns").await;
    let tables: Vec<&str> = out.split("\n\n").collect();
    assert_eq!(tables.len(), 2, "{out}");
    assert!(
        tables[0].starts_with("NAME                 TYPE        CLUSTER-IP"),
        "{out}"
    );
    // The namespace table's columns are its own: STATUS is as wide as `Active` plus 3, not as
    // the Services table's TYPE column.
    assert!(
        tables[1].starts_with("NAME                        STATUS   AGE\n"),
        "{out}"
    );
    assert!(tables[1].contains("\nnamespace/default           Active   "), "{out}");
    let (_, bare) = kubectl(&c, "get svc,ns --no-headers").await;
    assert!(!bare.contains("\n\n"), "{bare}");
    c.shutdown();
}
