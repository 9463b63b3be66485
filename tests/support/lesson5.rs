//! Lesson 5's objects (seed 000): three `hello` backends behind the `hello` Service, and the
//! nginx frontend behind a LoadBalancer, as the tests that follow a request through them use.

use k8s_lab::runtime::manifest::decode_manifests;
use k8s_lab::runtime::Cluster;

pub const BACKEND: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: hello
      tier: backend
      track: stable
  replicas: 3
  template:
    metadata:
      labels:
        app.kubernetes.io/name: hello
        tier: backend
        track: stable
    spec:
      containers:
        - name: hello
          image: "gcr.io/google-samples/hello-go-gke:1.0"
          ports:
            - name: http
              containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  selector:
    app.kubernetes.io/name: hello
    tier: backend
  ports:
  - protocol: TCP
    port: 80
    targetPort: http
"#;

pub const FRONTEND: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  selector:
    matchLabels:
      app: hello
      tier: frontend
      track: stable
  replicas: 1
  template:
    metadata:
      labels:
        app: hello
        tier: frontend
        track: stable
    spec:
      containers:
        - name: nginx
          image: "gcr.io/google-samples/hello-frontend:1.0"
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
spec:
  selector:
    app: hello
    tier: frontend
  ports:
  - protocol: "TCP"
    port: 80
    targetPort: 80
  type: LoadBalancer
"#;

/// Apply every document of `text`.
pub fn apply(cluster: &Cluster, text: &str) {
    for obj in decode_manifests(text, "test") {
        cluster.apply(obj.expect("manifest decodes")).expect("apply succeeds");
    }
}
