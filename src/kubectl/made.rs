//! How the commands that make one object (`create deployment|service|secret|configmap|
//! namespace`, `run`, `expose`) finish, the same way for all of them:
//!
//! - `--dry-run=client` prints the object as kubectl built it, without sending it. Learners
//!   generate manifests this way (`kubectl create deployment web --image=nginx --dry-run=client
//!   -o yaml > web.yaml`), so the object looks exactly like kubectl's: Go's zero values that
//!   kubectl's structs always write (`creationTimestamp: null`, `resources: {}`, `status: {}`)
//!   are there, and the namespace only when `-n` named one.
//! - `--dry-run=server` has the API server default, validate and allocate the object without
//!   storing it.
//! - `-o FORMAT` prints the object (the stored one, or the dry-run one) instead of
//!   `deployment.apps/web created`; a dry run says so: `(dry run)`, `(server dry run)`.

use serde_json::{json, Value};

use super::args::Parsed;
use super::printers::{self, Format};
use crate::io::Output;
use crate::runtime::{ApiError, Cluster, Object};

/// `--dry-run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    /// The flag as kubectl reads it; the error is kubectl's, without `error: `.
    pub fn parse(p: &Parsed) -> Result<DryRun, String> {
        match p.get("dry-run") {
            None | Some("none") => Ok(DryRun::None),
            Some("client") => Ok(DryRun::Client),
            Some("server") => Ok(DryRun::Server),
            Some(other) => Err(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            )),
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// What the command needs before it builds anything: the dry-run mode and the output format.
/// Flag errors come first, as kubectl checks its flags before it runs.
pub struct Finish {
    pub dry_run: DryRun,
    pub format: Option<Format>,
    /// `-n` was given (a client dry run then keeps the namespace in the object).
    namespace_given: bool,
}

impl Finish {
    pub fn from_flags(p: &Parsed) -> Result<Finish, String> {
        Ok(Finish {
            dry_run: DryRun::parse(p)?,
            format: Format::parse_object(p.get("output"), p.get("template"))?,
            namespace_given: p.get("namespace").is_some(),
        })
    }

    /// Send `obj` (or not), then print what kubectl prints: `kind/name VERB`, or the object.
    /// An API error is returned untouched, for the command's own wording.
    pub fn make(&self, cluster: &Cluster, obj: Object, verb: &str, out: &Output) -> Result<Object, ApiError> {
        let (made, shown) = match self.dry_run {
            DryRun::Client => {
                let shown = client_view(&obj, self.namespace_given);
                (obj, shown)
            }
            DryRun::Server => {
                let made = cluster.create_dry_run(obj)?;
                let shown = made.to_json();
                (made, shown)
            }
            DryRun::None => {
                let made = (*cluster.create(obj)?).clone();
                let shown = made.to_json();
                (made, shown)
            }
        };
        self.print(&made, &shown, verb, out);
        Ok(made)
    }

    /// Print one made object (for a command that makes several, call once per object).
    pub fn print(&self, made: &Object, shown: &Value, verb: &str, out: &Output) {
        match &self.format {
            None => out.line(&format!(
                "{} {verb}{}",
                printers::type_name(made),
                self.dry_run.suffix()
            )),
            Some(Format::Name) => out.line(&printers::type_name(made)),
            Some(f) => match printers::render_data(f, shown) {
                Ok(text) => out.out(&text),
                Err(e) => out.err_line(&format!("error: {e}")),
            },
        }
    }
}

/// The object as kubectl's client-side printing shows it: serialized from Go structs, whose
/// non-pointer struct fields are always written (`{}`), and whose creation time is written as
/// `null` when unset.
pub fn client_view(obj: &Object, namespace_given: bool) -> Value {
    let mut v = obj.to_json();
    let meta = &mut v["metadata"];
    if !namespace_given {
        if let Some(m) = meta.as_object_mut() {
            m.remove("namespace");
        }
    }
    zero_meta(meta);
    let kind = v["kind"].as_str().unwrap_or("").to_string();
    match kind.as_str() {
        "Deployment" => {
            let spec = &mut v["spec"];
            or_empty(spec, "strategy");
            zero_meta(&mut spec["template"]["metadata"]);
            zero_containers(&mut spec["template"]["spec"]);
            or_empty(&mut v, "status");
        }
        "Pod" => {
            zero_containers(&mut v["spec"]);
            or_empty(&mut v, "status");
        }
        "Service" if v.get("status").is_none() => v["status"] = json!({"loadBalancer": {}}),
        "Namespace" => {
            or_empty(&mut v, "spec");
            or_empty(&mut v, "status");
        }
        _ => {}
    }
    v
}

fn zero_meta(meta: &mut Value) {
    if let Some(m) = meta.as_object_mut() {
        m.entry("creationTimestamp").or_insert(Value::Null);
    }
}

fn or_empty(v: &mut Value, key: &str) {
    if let Some(m) = v.as_object_mut() {
        m.entry(key).or_insert_with(|| json!({}));
    }
}

fn zero_containers(pod_spec: &mut Value) {
    if let Some(cs) = pod_spec["containers"].as_array_mut() {
        for c in cs {
            or_empty(c, "resources");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kubectl::tests::testutil::{cluster, kubectl};
    use crate::runtime::Kind;

    /// `kubectl create … --dry-run=client -o yaml`, as kubectl v1.33 prints it (captured from
    /// the real binary, which needs no server for these).
    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx\n        name: nginx\n        resources: {}\nstatus: {}\n";
    const NODEPORT: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: my\n  name: my\nspec:\n  ports:\n  - name: 80-8080\n    port: 80\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: my\n  type: NodePort\nstatus:\n  loadBalancer: {}\n";
    const NAMESPACE: &str =
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: null\n  name: t\nspec: {}\nstatus: {}\n";
    const SECRET: &str =
        "apiVersion: v1\ndata:\n  a: Yg==\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: s\n";
    const CONFIGMAP: &str = "apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: c\n  namespace: kube-system\n";
    /// `kubectl run web --image=nginx --dry-run=client -o yaml`.
    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: web\n  name: web\nspec:\n  containers:\n  - image: nginx\n    name: web\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n";

    #[tokio::test(start_paused = true)]
    async fn a_client_dry_run_prints_kubectls_manifest_and_creates_nothing() {
        let c = cluster().await;
        for (line, want) in [
            (
                "create deployment web --image=nginx --dry-run=client -o yaml",
                DEPLOYMENT,
            ),
            (
                "create service nodeport my --tcp=80:8080 --dry-run=client -o yaml",
                NODEPORT,
            ),
            ("create ns t --dry-run=client -o yaml", NAMESPACE),
            (
                "create secret generic s --from-literal=a=b --dry-run=client -o yaml",
                SECRET,
            ),
            (
                "create cm c --from-literal=a=b -n kube-system --dry-run=client -o yaml",
                CONFIGMAP,
            ),
            ("run web --image=nginx --dry-run=client -o yaml", POD),
        ] {
            assert_eq!(kubectl(&c, line).await, (0, want.to_string()), "{line}");
        }
        assert!(c.get(Kind::Deployment, "default", "web").is_none());
        assert!(c.get(Kind::Service, "default", "my").is_none());
        assert!(c.get(Kind::Namespace, "", "t").is_none());
        assert!(c.get(Kind::Pod, "default", "web").is_none());
        assert_eq!(
            kubectl(&c, "create deployment web --image=nginx --dry-run=client").await,
            (0, "deployment.apps/web created (dry run)\n".into())
        );
        assert_eq!(
            kubectl(&c, "create deployment web --image=nginx --dry-run=maybe").await,
            (
                1,
                "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n".into()
            )
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_server_dry_run_checks_and_defaults_without_storing() {
        let c = cluster().await;
        let (code, text) = kubectl(&c, "create service nodeport my --tcp=80:8080 --dry-run=server -o yaml").await;
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("  clusterIP: 10."), "allocated: {text}");
        assert!(text.contains("    nodePort: 3"), "allocated: {text}");
        assert!(text.contains("  uid: "), "{text}");
        assert!(c.get(Kind::Service, "default", "my").is_none());
        assert_eq!(
            kubectl(&c, "create service nodeport my --tcp=80:8080 --dry-run=server").await,
            (0, "service/my created (server dry run)\n".into())
        );
        // The server still says when the object exists.
        assert_eq!(kubectl(&c, "create deployment web --image=nginx").await.0, 0);
        let (code, text) = kubectl(&c, "create deployment web --image=nginx --dry-run=server").await;
        assert_eq!(
            (code, text.as_str()),
            (
                1,
                "Error from server (AlreadyExists): deployments.apps \"web\" already exists\n"
            )
        );
    }

    #[tokio::test(start_paused = true)]
    async fn run_and_expose_print_what_they_made() {
        let c = cluster().await;
        assert_eq!(
            kubectl(&c, "run web --image=nginx --port=80 --expose").await,
            (0, "service/web created\npod/web created\n".into())
        );
        let svc = c.get(Kind::Service, "default", "web").unwrap();
        let spec = svc.as_service().unwrap().spec.clone().unwrap();
        assert_eq!(spec.selector.unwrap()["run"], "web");
        assert_eq!(spec.ports.unwrap()[0].port, 80);
        assert_eq!(
            kubectl(&c, "run w2 --image=nginx --expose").await,
            (1, "error: --port must be set when exposing a service\n".into())
        );
        assert_eq!(
            kubectl(&c, "run w3 --image=nginx -it --dry-run=client").await.1,
            "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n"
        );
        assert_eq!(
            kubectl(&c, "run w4 --image=nginx -o name").await,
            (0, "pod/w4\n".into())
        );
        assert_eq!(kubectl(&c, "create deployment app --image=nginx --port=80").await.0, 0);
        let (code, text) = kubectl(&c, "expose deployment app --port 80 --dry-run=client -o yaml").await;
        assert_eq!(code, 0);
        assert!(
            text.starts_with("apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n"),
            "{text}"
        );
        assert!(text.ends_with("status:\n  loadBalancer: {}\n"), "{text}");
        assert!(c.get(Kind::Service, "default", "app").is_none());
        assert_eq!(
            kubectl(&c, "expose deployment app --port 80").await,
            (0, "service/app exposed\n".into())
        );
    }
}
