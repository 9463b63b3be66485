//! What learners run inside pods with `kubectl exec`: curl's `-L`, `-o` and `-w`, files a
//! container writes, `sleep`.

use std::time::Duration;

use super::testutil::{cluster, kubectl, kubectl_in};
use crate::runtime::Cluster;
use crate::workspace::Workspace;

const SITE: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: site
data:
  default.conf: |
    server {
      listen 80;
      location = /old { return 301 /new; }
      location = /loop { return 302 /loop; }
      location = /new { return 200 'moved here'; }
    }
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  volumes:
  - name: conf
    configMap: {name: site}
  containers:
  - name: nginx
    image: nginx
    volumeMounts:
    - {name: conf, mountPath: /etc/nginx/conf.d}
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

async fn site() -> Cluster {
    let c = cluster().await;
    let ws = Workspace::new(std::env::temp_dir());
    assert_eq!(kubectl_in(&c, &ws, Some(SITE), "apply -f -").await.0, 0);
    kubectl(
        &c,
        "run client --image=radial/busyboxplus:curl -- sh -c 'while true; do sleep 1; done'",
    )
    .await;
    c.clock().sleep(Duration::from_secs(10)).await;
    c
}

#[tokio::test(start_paused = true)]
async fn curl_follows_redirects_only_when_asked() {
    let c = site().await;
    let (code, t) = kubectl(&c, "exec client -- curl -s http://web/old").await;
    assert_eq!(code, 0);
    assert!(t.contains("301 Moved Permanently"), "{t}");
    assert_eq!(
        kubectl(&c, "exec client -- curl -sL http://web/old").await,
        (0, "moved here".into())
    );
    let (_, t) = kubectl(&c, "exec client -- curl -siL http://web/old").await;
    assert!(t.starts_with("HTTP/1.1 301 Moved Permanently\r\n"), "{t}");
    assert!(
        t.contains("Location: /new\r\n") && t.contains("HTTP/1.1 200 OK\r\n"),
        "{t}"
    );
    assert!(t.ends_with("moved here"), "{t}");
    assert_eq!(
        kubectl(&c, "exec client -- curl -sSL http://web/loop").await,
        (
            47,
            "curl: (47) Maximum (50) redirects followed\ncommand terminated with exit code 47\n".into()
        )
    );
}

#[tokio::test(start_paused = true)]
async fn curl_writes_files_in_the_container() {
    let c = site().await;
    assert_eq!(
        kubectl(&c, "exec client -- curl -s -o /dev/null -w %{http_code} http://web/new").await,
        (0, "200".into())
    );
    let (code, t) = kubectl(&c, "exec client -- curl -o page.txt http://web/new").await;
    assert_eq!(code, 0);
    assert!(t.starts_with("  % Total    % Received % Xferd  Average Speed"), "{t}");
    assert!(t.contains("\n100    10  100    10    0     0 "), "{t}");
    assert_eq!(
        kubectl(&c, "exec client -- cat /page.txt").await,
        (0, "moved here".into())
    );
    assert_eq!(kubectl(&c, "exec client -- ls /").await.1, "page.txt\n");
    // Another container has its own filesystem.
    assert_eq!(kubectl(&c, "exec web -- cat /page.txt").await.0, 1);
}

#[tokio::test(start_paused = true)]
async fn sleep_in_a_pod_takes_lab_time() {
    let c = site().await;
    let t0 = c.clock().now();
    assert_eq!(kubectl(&c, "exec client -- sleep 3").await, (0, String::new()));
    assert!(c.clock().now() - t0 >= chrono::Duration::seconds(3));
    assert_eq!(
        kubectl(&c, "exec client -- sleep soon").await,
        (
            1,
            "sleep: invalid number 'soon'\ncommand terminated with exit code 1\n".into()
        )
    );
}
