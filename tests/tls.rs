//! Seed 004's HTTPS part against the runtime: a TLS Secret and an nginx ConfigMap mounted into
//! `bprashanth/nginxhttps:1.0`, real TLS on 443, curl that verifies with `--cacert`, fails with
//! error 60 without it, and `-k` through a NodePort from the host.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::Duration;

use k8s_lab::io::Output;
use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::net::Origin;
use k8s_lab::runtime::{Cluster, ClusterConfig, Kind, Object};
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use k8s_openapi::ByteString;

const DEFAULT_CONF: &str = "server {\n        listen 80 default_server;\n        listen [::]:80 default_server ipv6only=on;\n\n        listen 443 ssl;\n\n        root /usr/share/nginx/html;\n        index index.html;\n\n        server_name localhost;\n        ssl_certificate /etc/nginx/ssl/tls.crt;\n        ssl_certificate_key /etc/nginx/ssl/tls.key;\n\n        location / {\n                try_files $uri $uri/ =404;\n        }\n}\n";

const APP: &str = r#"
apiVersion: v1
kind: Service
metadata:
  name: my-nginx
  labels:
    run: my-nginx
spec:
  type: NodePort
  ports:
  - port: 8080
    targetPort: 80
    protocol: TCP
    name: http
  - port: 443
    protocol: TCP
    name: https
  selector:
    run: my-nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 1
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      volumes:
      - name: secret-volume
        secret:
          secretName: nginxsecret
      - name: configmap-volume
        configMap:
          name: nginxconfigmap
      containers:
      - name: nginxhttps
        image: bprashanth/nginxhttps:1.0
        ports:
        - containerPort: 443
        - containerPort: 80
        volumeMounts:
        - mountPath: /etc/nginx/ssl
          name: secret-volume
        - mountPath: /etc/nginx/conf.d
          name: configmap-volume
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: curl-deployment
spec:
  selector:
    matchLabels:
      app: curlpod
  replicas: 1
  template:
    metadata:
      labels:
        app: curlpod
    spec:
      volumes:
      - name: secret-volume
        secret:
          secretName: nginxsecret
      containers:
      - name: curlpod
        command:
        - sh
        - -c
        - while true; do sleep 1; done
        image: radial/busyboxplus:curl
        volumeMounts:
        - mountPath: /etc/nginx/ssl
          name: secret-volume
"#;

/// A certificate like `openssl req -x509 -nodes -newkey rsa:2048 -subj "/CN=my-nginx/O=my-nginx"`
/// makes: CN only (no subjectAltName) and marked as a CA.
fn openssl_style_cert() -> (String, String) {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(rcgen::DnType::CommonName, "my-nginx");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "my-nginx");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), key.serialize_pem())
}

async fn exec(cluster: &Cluster, pod: &str, argv: &[&str]) -> (i32, String) {
    let (out, buf) = Output::buffer();
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let code = k8s_lab::runtime::pod_shell::exec(cluster, "default", pod, None, &argv, None, &out).await;
    (code, buf.text())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_a_mounted_secret_and_configmap() {
    let cluster = Cluster::start(ClusterConfig {
        node_block: 15,
        clock_speed: 20.0,
        lb_pool: vec![Ipv4Addr::new(127, 0, 115, 1)],
        ..Default::default()
    })
    .await
    .unwrap();
    let (cert, key) = openssl_style_cert();
    let mut secret = Secret {
        type_: Some("kubernetes.io/tls".into()),
        ..Default::default()
    };
    secret.metadata.name = Some("nginxsecret".into());
    secret.data = Some(BTreeMap::from([
        ("tls.crt".to_string(), ByteString(cert.clone().into_bytes())),
        ("tls.key".to_string(), ByteString(key.into_bytes())),
    ]));
    let mut cm = ConfigMap::default();
    cm.metadata.name = Some("nginxconfigmap".into());
    cm.data = Some(BTreeMap::from([("default.conf".to_string(), DEFAULT_CONF.to_string())]));

    // The Deployment comes first: its pod waits in ContainerCreating (FailedMount) until the
    // Secret exists, like a real kubelet.
    for obj in decode_manifests(APP, "test") {
        cluster.create(obj.unwrap()).unwrap();
    }
    let failed_mount = cluster
        .wait_until(Duration::from_secs(30), |c| {
            c.list(Kind::Event, Some("default"))
                .iter()
                .any(|e| e.as_event().and_then(|e| e.reason.as_deref()) == Some("FailedMount"))
        })
        .await;
    assert!(failed_mount, "a missing Secret is reported as FailedMount");
    cluster.create(Object::Secret(secret)).unwrap();
    cluster.create(Object::ConfigMap(cm)).unwrap();

    let up = cluster
        .wait_until(Duration::from_secs(120), |c| {
            ["my-nginx", "curl-deployment"].iter().all(|d| {
                c.get(Kind::Deployment, "default", d)
                    .and_then(|o| o.as_deployment()?.status.as_ref()?.available_replicas)
                    == Some(1)
            })
        })
        .await;
    assert!(up, "both deployments become available");
    let ready = cluster
        .wait_until(Duration::from_secs(30), |c| {
            c.get(Kind::Endpoints, "default", "my-nginx")
                .and_then(|e| e.as_endpoints()?.subsets.clone())
                .is_some_and(|s| !s.is_empty())
        })
        .await;
    assert!(ready);
    // kube-proxy applies the endpoints right after they are written.
    let cip = cluster
        .get(Kind::Service, "default", "my-nginx")
        .unwrap()
        .cluster_ip()
        .unwrap()
        .to_string();
    let virt = std::net::SocketAddrV4::new(cip.parse().unwrap(), 443);
    for _ in 0..300 {
        if matches!(
            cluster.net().route(virt),
            Some(k8s_lab::runtime::net::Route::Listener(_))
        ) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let curl_pod = cluster
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .find(|p| p.name().starts_with("curl-deployment-"))
        .unwrap()
        .name()
        .to_string();

    let (code, text) = exec(
        &cluster,
        &curl_pod,
        &["curl", "https://my-nginx", "--cacert", "/etc/nginx/ssl/tls.crt"],
    )
    .await;
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("<title>Welcome to nginx!</title>"), "{text}");

    let (code, text) = exec(&cluster, &curl_pod, &["curl", "-sS", "https://my-nginx"]).await;
    assert_eq!(code, 60);
    assert!(
        text.starts_with("curl: (60) SSL certificate problem: self-signed certificate"),
        "{text}"
    );
    assert!(text.contains("command terminated with exit code 60"), "{text}");

    // The name must match: the ClusterIP is not in the certificate.
    let (code, text) = exec(
        &cluster,
        &curl_pod,
        &[
            "curl",
            "-s",
            "-S",
            &format!("https://{cip}"),
            "--cacert",
            "/etc/nginx/ssl/tls.crt",
        ],
    )
    .await;
    assert_eq!(code, 60, "{text}");

    // From the host, through the https NodePort, with -k.
    let svc = cluster.get(Kind::Service, "default", "my-nginx").unwrap();
    let https_port = svc
        .as_service()
        .unwrap()
        .spec
        .as_ref()
        .unwrap()
        .ports
        .as_ref()
        .unwrap()
        .iter()
        .find(|p| p.name.as_deref() == Some("https"))
        .unwrap()
        .node_port
        .unwrap();
    let (out, buf) = Output::buffer();
    let code = k8s_lab::runtime::pod_shell::curl(
        &cluster,
        &Origin::Host,
        &["-k".into(), format!("https://127.0.15.1:{https_port}")],
        &out,
    )
    .await;
    assert_eq!(code, 0, "{}", buf.text());
    assert!(buf.text().contains("<h1>Welcome to nginx!</h1>"));

    // Plain HTTP still answers on the http port, and the pod sees its mounted files.
    let (code, text) = exec(&cluster, &curl_pod, &["curl", "-s", "http://my-nginx:8080"]).await;
    assert_eq!(code, 0);
    assert!(text.contains("Welcome to nginx!"));
    let (code, text) = exec(&cluster, &curl_pod, &["cat", "/etc/nginx/ssl/tls.crt"]).await;
    assert_eq!((code, text), (0, cert));
    cluster.shutdown();
}
