//! `kubectl create`: from files (see [`super::apply`]) or with a generator —
//! `create deployment`, `create secret tls|generic`, `create configmap`, `create namespace` —
//! building the same objects kubectl's generators build.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{ConfigMap, Container, ContainerPort, Namespace, PodSpec, PodTemplateSpec, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::ByteString;

use super::args::{switch, val, FlagSpec, Parsed};
use super::errors::server_error;
use super::made::Finish;
use super::Ctx;
use crate::io::Output;
use crate::runtime::Object;

/// The generators the lab has, as `kubectl create --help` lists them (name, summary).
pub const SUBCOMMANDS: &[(&str, &str)] = &[
    (
        "configmap",
        "Create a config map from a local file, directory or literal value",
    ),
    ("deployment", "Create a deployment with the specified name"),
    ("namespace", "Create a namespace with the specified name"),
    ("secret", "Create a secret using a specified subcommand"),
    ("service", "Create a service using a specified subcommand"),
];

/// The generators' other names (name, alias), which kubectl's help shows under "Aliases:".
pub const ALIASES: &[(&str, &str)] = &[
    ("configmap", "cm"),
    ("deployment", "deploy"),
    ("namespace", "ns"),
    ("service", "svc"),
];

/// `kubectl create secret`'s subcommands the lab has (name, summary).
pub const SECRET_SUBCOMMANDS: &[(&str, &str)] = &[
    (
        "generic",
        "Create a secret from a local file, directory, or literal value",
    ),
    ("tls", "Create a TLS secret"),
];

/// `kubectl create service`'s subcommands (name, summary).
pub const SERVICE_SUBCOMMANDS: &[(&str, &str)] = &[
    ("clusterip", "Create a ClusterIP service"),
    ("externalname", "Create an ExternalName service"),
    ("loadbalancer", "Create a LoadBalancer service"),
    ("nodeport", "Create a NodePort service"),
];

/// The subcommands of a generator that is itself a group (`service`, `secret`).
pub fn subcommands_of(generator: &str) -> &'static [(&'static str, &'static str)] {
    match generator {
        "secret" => SECRET_SUBCOMMANDS,
        "service" | "svc" => SERVICE_SUBCOMMANDS,
        _ => &[],
    }
}

/// The flags each generator reads (`"deployment"`, `"service nodeport"`), out of the ones
/// `kubectl create` parses; its help page lists no others.
pub fn sub_flags(path: &str) -> Option<&'static [FlagSpec]> {
    const TCP: FlagSpec = val("tcp", None);
    const FROM_FILE: FlagSpec = val("from-file", None);
    const FROM_LITERAL: FlagSpec = val("from-literal", None);
    // Every generator prints what it made the same way (see `super::made`).
    const DRY_RUN: FlagSpec = val("dry-run", None);
    const OUTPUT: FlagSpec = val("output", Some('o'));
    const TEMPLATE: FlagSpec = val("template", None);
    // Accepted by every generator, as kubectl's are; the lab stores every object the same way.
    const SAVE_CONFIG: FlagSpec = switch("save-config", None);
    const VALIDATE: FlagSpec = val("validate", None);
    const DEPLOYMENT: &[FlagSpec] = &[
        val("image", None),
        val("port", None),
        val("replicas", Some('r')),
        DRY_RUN,
        OUTPUT,
        TEMPLATE,
        SAVE_CONFIG,
        VALIDATE,
    ];
    const CONFIGMAP: &[FlagSpec] = &[
        FROM_FILE,
        FROM_LITERAL,
        DRY_RUN,
        OUTPUT,
        TEMPLATE,
        SAVE_CONFIG,
        VALIDATE,
    ];
    const NAMESPACE: &[FlagSpec] = &[DRY_RUN, OUTPUT, TEMPLATE, SAVE_CONFIG, VALIDATE];
    const SECRET_GENERIC: &[FlagSpec] = &[
        FROM_FILE,
        FROM_LITERAL,
        val("type", None),
        DRY_RUN,
        OUTPUT,
        TEMPLATE,
        SAVE_CONFIG,
        VALIDATE,
    ];
    const SECRET_TLS: &[FlagSpec] = &[
        val("cert", None),
        val("key", None),
        DRY_RUN,
        OUTPUT,
        TEMPLATE,
        SAVE_CONFIG,
        VALIDATE,
    ];
    const CLUSTERIP: &[FlagSpec] = &[
        val("clusterip", None),
        TCP,
        DRY_RUN,
        OUTPUT,
        TEMPLATE,
        SAVE_CONFIG,
        VALIDATE,
    ];
    const EXTERNALNAME: &[FlagSpec] = &[
        val("external-name", None),
        TCP,
        DRY_RUN,
        OUTPUT,
        TEMPLATE,
        SAVE_CONFIG,
        VALIDATE,
    ];
    const LOADBALANCER: &[FlagSpec] = &[TCP, DRY_RUN, OUTPUT, TEMPLATE, SAVE_CONFIG, VALIDATE];
    const NODEPORT: &[FlagSpec] = &[
        val("node-port", None),
        TCP,
        DRY_RUN,
        OUTPUT,
        TEMPLATE,
        SAVE_CONFIG,
        VALIDATE,
    ];
    match path {
        "deployment" => Some(DEPLOYMENT),
        "configmap" => Some(CONFIGMAP),
        "namespace" => Some(NAMESPACE),
        "secret" | "service" => Some(&[]),
        "secret generic" => Some(SECRET_GENERIC),
        "secret tls" => Some(SECRET_TLS),
        "service clusterip" => Some(CLUSTERIP),
        "service externalname" => Some(EXTERNALNAME),
        "service loadbalancer" => Some(LOADBALANCER),
        "service nodeport" => Some(NODEPORT),
        _ => None,
    }
}

/// `kubectl create …`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    let sub = p.positional.first().map(String::as_str);
    let Some(generator) = sub else {
        return super::apply::create_from_files(ctx, p, out).await;
    };
    let finish = match Finish::from_flags(p) {
        Ok(f) => f,
        Err(e) => return super::fail(out, &e),
    };
    let obj = match generator {
        "deployment" | "deploy" => deployment(p),
        "secret" => secret(ctx, p),
        "configmap" | "cm" => configmap(ctx, p),
        "namespace" | "ns" => namespace(p),
        "service" | "svc" => service(p),
        other => Err(format!("unknown command \"{other}\" for \"kubectl create\"")),
    };
    let mut obj = match obj {
        Ok(o) => o,
        Err(e) => return super::fail(out, &e),
    };
    if obj.kind().namespaced() {
        obj.meta_mut().namespace = Some(p.namespace());
    }
    match finish.make(ctx.cluster, obj, "created", out) {
        Ok(_) => 0,
        // `create configmap` and `create secret` wrap the API error in their own words, which
        // also drops the `Error from server (Reason)` prefix.
        Err(e) => match sub {
            // (`%v` of the API error: its Status message, `ConfigMap "x" is invalid: …`.)
            Some("configmap" | "cm") => super::fail(
                out,
                &format!("failed to create configmap: {}", super::errors::status_message(&e)),
            ),
            Some("secret") => super::fail(
                out,
                &format!("failed to create secret {}", super::errors::status_message(&e)),
            ),
            _ => {
                out.err_line(&server_error(&e));
                1
            }
        },
    }
}

fn one_name(p: &Parsed) -> Result<String, String> {
    let names = &p.positional[1..];
    if names.len() != 1 {
        return Err(format!("exactly one NAME is required, got {}", names.len()));
    }
    Ok(names[0].clone())
}

/// The container name kubectl derives from an image: basename without tag or digest.
pub fn container_name(image: &str) -> String {
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split(':').next().unwrap_or(base);
    let base = base.split('@').next().unwrap_or(base);
    base.replace('_', "-")
}

fn deployment(p: &Parsed) -> Result<Object, String> {
    let images = p.all("image");
    if images.is_empty() {
        return Err("required flag(s) \"image\" not set".into());
    }
    let name = one_name(p)?;
    let replicas: i32 = match p.get("replicas") {
        Some(r) => r.parse().map_err(|_| format!("invalid argument \"{r}\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"{r}\": invalid syntax"))?,
        None => 1,
    };
    let port: Option<i32> = match p.get("port") {
        Some(s) => Some(s.parse().map_err(|_| {
            format!("invalid argument \"{s}\" for \"--port\" flag: strconv.ParseInt: parsing \"{s}\": invalid syntax")
        })?),
        None => None,
    };
    let labels = BTreeMap::from([("app".to_string(), name.clone())]);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let containers = images
        .iter()
        .map(|img| {
            let mut n = container_name(img);
            let count = seen.entry(n.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                n = format!("{n}-{}", *count - 1);
            }
            Container {
                name: n,
                image: Some(img.clone()),
                ports: port.map(|p| {
                    vec![ContainerPort {
                        container_port: p,
                        ..Default::default()
                    }]
                }),
                ..Default::default()
            }
        })
        .collect();
    Ok(Object::Deployment(Deployment {
        metadata: ObjectMeta {
            name: Some(name),
            labels: Some(labels.clone()),
            ..Default::default()
        },
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector {
                match_labels: Some(labels.clone()),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers,
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        status: None,
    }))
}

/// At most `limit` bytes of a workspace file. A ConfigMap or Secret bigger than one request
/// fails at the API server anyway, so nothing past that is read (the object made from what was
/// read is still too big, and gets the API server's `Request entity too large`).
fn read_file(ctx: &Ctx<'_>, path: &str, limit: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let real = ctx
        .workspace
        .resolve(path)
        .ok_or_else(|| format!("open {path}: {}", ctx.workspace.outside()))?;
    let file = std::fs::File::open(&real).map_err(|_| format!("open {path}: no such file or directory"))?;
    let mut bytes = Vec::new();
    file.take(limit as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("read {path}: {}", crate::io::io_message(&e)))?;
    Ok(bytes)
}

/// `--from-file=[key=]path` (a folder adds each file) and `--from-literal=key=value`.
fn collect_data(ctx: &Ctx<'_>, p: &Parsed) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut data = BTreeMap::new();
    // What is still worth reading: one byte past a request means the request is refused.
    let mut budget = crate::runtime::api::MAX_REQUEST_BYTES + 1;
    for spec in p.all("from-file") {
        let (key, path) = match spec.split_once('=') {
            Some((k, v)) => (Some(k.to_string()), v.to_string()),
            None => (None, spec.clone()),
        };
        let real = ctx.workspace.resolve(&path);
        if real.as_ref().is_some_and(|r| r.is_dir()) {
            let mut names: Vec<String> = std::fs::read_dir(real.unwrap())
                .map_err(|e| e.to_string())?
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect();
            names.sort();
            for name in names {
                let inner = format!("{}/{name}", path.trim_end_matches('/'));
                // kubectl takes the folder's regular files only: links and folders in it are
                // skipped (so a link out of the lesson folder is never followed).
                let regular = ctx
                    .workspace
                    .resolve(&inner)
                    .and_then(|r| std::fs::symlink_metadata(r).ok())
                    .is_some_and(|m| m.file_type().is_file());
                if !regular {
                    continue;
                }
                let bytes = read_file(ctx, &inner, budget)?;
                budget = budget.saturating_sub(bytes.len());
                data.insert(name, bytes);
            }
            continue;
        }
        let bytes = read_file(ctx, &path, budget)?;
        budget = budget.saturating_sub(bytes.len());
        let key = key.unwrap_or_else(|| path.rsplit('/').next().unwrap_or(&path).to_string());
        if data.contains_key(&key) {
            return Err(format!(
                "cannot add key \"{key}\", another key by that name already exists in Data for ConfigMap \"{}\"",
                p.positional.get(1).cloned().unwrap_or_default()
            ));
        }
        data.insert(key, bytes);
    }
    for lit in p.all("from-literal") {
        let Some((k, v)) = lit.split_once('=') else {
            return Err(format!("invalid literal source {lit}, expected key=value"));
        };
        data.insert(k.to_string(), v.as_bytes().to_vec());
    }
    Ok(data)
}

fn configmap(ctx: &Ctx<'_>, p: &Parsed) -> Result<Object, String> {
    let name = one_name(p)?;
    let data = collect_data(ctx, p)?;
    let mut text = BTreeMap::new();
    let mut binary = BTreeMap::new();
    for (k, v) in data {
        match String::from_utf8(v) {
            Ok(s) => {
                text.insert(k, s);
            }
            Err(e) => {
                binary.insert(k, ByteString(e.into_bytes()));
            }
        }
    }
    Ok(Object::ConfigMap(ConfigMap {
        metadata: ObjectMeta {
            name: Some(name),
            ..Default::default()
        },
        data: Some(text),
        binary_data: if binary.is_empty() { None } else { Some(binary) },
        ..Default::default()
    }))
}

fn secret(ctx: &Ctx<'_>, p: &Parsed) -> Result<Object, String> {
    let kind = p.positional.get(1).map(String::as_str);
    let mut rest = p.clone();
    rest.positional = p.positional[1..].to_vec();
    let (ty, data) = match kind {
        Some("tls") => {
            let name = one_name(&rest)?;
            let cert = p.get("cert").ok_or("required flag(s) \"cert\" not set")?;
            let key = p.get("key").ok_or("required flag(s) \"key\" not set")?;
            let c = read_file(ctx, cert, crate::runtime::api::MAX_REQUEST_BYTES + 1)?;
            let k = read_file(ctx, key, crate::runtime::api::MAX_REQUEST_BYTES + 1)?;
            if !String::from_utf8_lossy(&c).contains("-----BEGIN") {
                return Err("failed to load key pair tls: failed to find any PEM data in certificate input".into());
            }
            if !String::from_utf8_lossy(&k).contains("-----BEGIN") {
                return Err("failed to load key pair tls: failed to find any PEM data in key input".into());
            }
            let _ = name;
            (
                "kubernetes.io/tls",
                BTreeMap::from([("tls.crt".to_string(), c), ("tls.key".to_string(), k)]),
            )
        }
        Some("generic") => {
            one_name(&rest)?;
            // No --type: the API server makes it Opaque (kubectl leaves it out).
            (p.get("type").unwrap_or(""), collect_data(ctx, &rest)?)
        }
        Some(other) => return Err(format!("unknown command \"{other}\" for \"kubectl create secret\"")),
        None => return Err("you must specify a type of secret: docker-registry, generic or tls".into()),
    };
    let name = rest.positional[1].clone();
    Ok(Object::Secret(Secret {
        metadata: ObjectMeta {
            name: Some(name),
            ..Default::default()
        },
        type_: (!ty.is_empty()).then(|| ty.to_string()),
        data: Some(data.into_iter().map(|(k, v)| (k, ByteString(v))).collect()),
        ..Default::default()
    }))
}

/// `create service clusterip|nodeport|loadbalancer|externalname NAME --tcp=PORT[:TARGET]…`:
/// kubectl's generator names each port `PORT-TARGET` and selects (and labels) `app=NAME`.
fn service(p: &Parsed) -> Result<Object, String> {
    use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let ty = match p.positional.get(1).map(String::as_str) {
        Some("clusterip") => "ClusterIP",
        Some("nodeport") => "NodePort",
        Some("loadbalancer") => "LoadBalancer",
        Some("externalname") => "ExternalName",
        Some(other) => return Err(format!("unknown command \"{other}\" for \"kubectl create service\"")),
        None => {
            return Err("you must specify a type of service: clusterip, externalname, loadbalancer or nodeport".into())
        }
    };
    let mut rest = p.clone();
    rest.positional = p.positional[1..].to_vec();
    let name = one_name(&rest)?;
    let tcp = p.all("tcp");
    if tcp.is_empty() && ty != "ExternalName" {
        return Err("required flag(s) \"tcp\" not set".into());
    }
    let node_port: Option<i32> = p.get("node-port").and_then(|n| n.parse().ok()).filter(|n| *n != 0);
    let mut ports = Vec::new();
    for spec in tcp.iter().flat_map(|t| t.split(',')) {
        let (port, target) = spec.split_once(':').unwrap_or((spec, spec));
        let port_n: i32 = port.parse().map_err(|_| format!("invalid port: {port}"))?;
        let target_v = match target.parse::<i32>() {
            Ok(n) => IntOrString::Int(n),
            Err(_) => IntOrString::String(target.to_string()),
        };
        ports.push(ServicePort {
            name: Some(format!("{port}-{target}")),
            port: port_n,
            target_port: Some(target_v),
            protocol: Some("TCP".into()),
            node_port: if ty == "NodePort" { node_port } else { None },
            ..Default::default()
        });
    }
    let labels = BTreeMap::from([("app".to_string(), name.clone())]);
    Ok(Object::Service(Service {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            labels: Some(labels.clone()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            type_: Some(ty.to_string()),
            selector: (ty != "ExternalName").then_some(labels),
            ports: (!ports.is_empty()).then_some(ports),
            external_name: p.get("external-name").map(String::from),
            cluster_ip: p.get("clusterip").map(String::from),
            ..Default::default()
        }),
        status: None,
    }))
}

fn namespace(p: &Parsed) -> Result<Object, String> {
    let name = one_name(p)?;
    Ok(Object::Namespace(Namespace {
        metadata: ObjectMeta {
            name: Some(name),
            ..Default::default()
        },
        ..Default::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl, kubectl_in};
    use crate::runtime::Kind;
    use crate::workspace::Workspace;

    #[test]
    fn container_names_from_images() {
        assert_eq!(
            container_name("gcr.io/google-samples/kubernetes-bootcamp:v1"),
            "kubernetes-bootcamp"
        );
        assert_eq!(container_name("luksa/kubia"), "kubia");
        assert_eq!(container_name("nginx@sha256:abc"), "nginx");
        assert_eq!(container_name("my_app:1"), "my-app");
    }

    #[tokio::test(start_paused = true)]
    async fn create_deployment_like_kubectl() {
        let c = cluster().await;
        assert_eq!(
            kubectl(
                &c,
                "create deployment kubia --image=luksa/kubia --replicas=3 --port=8080"
            )
            .await,
            (0, "deployment.apps/kubia created\n".into())
        );
        let d = c.get(Kind::Deployment, "default", "kubia").unwrap();
        let d = d.as_deployment().unwrap();
        let spec = d.spec.as_ref().unwrap();
        assert_eq!(spec.replicas, Some(3));
        assert_eq!(d.metadata.labels.as_ref().unwrap()["app"], "kubia");
        assert_eq!(spec.selector.match_labels.as_ref().unwrap()["app"], "kubia");
        let ctr = &spec.template.spec.as_ref().unwrap().containers[0];
        assert_eq!(
            (ctr.name.as_str(), ctr.image.as_deref()),
            ("kubia", Some("luksa/kubia"))
        );
        assert_eq!(ctr.ports.as_ref().unwrap()[0].container_port, 8080);
        assert_eq!(
            kubectl(&c, "create deployment x").await,
            (1, "error: required flag(s) \"image\" not set\n".into())
        );
        assert_eq!(
            kubectl(&c, "create deployment --image=nginx").await,
            (1, "error: exactly one NAME is required, got 0\n".into())
        );
        assert_eq!(
            kubectl(&c, "create deployment kubia --image=nginx").await,
            (
                1,
                "Error from server (AlreadyExists): deployments.apps \"kubia\" already exists\n".into()
            )
        );
    }

    #[tokio::test(start_paused = true)]
    async fn create_service_generators() {
        let c = cluster().await;
        assert_eq!(
            kubectl(&c, "create service nodeport web --tcp=80:8080 --node-port=30080").await,
            (0, "service/web created\n".into())
        );
        let (_, t) = kubectl(&c, "get svc web --no-headers").await;
        assert!(
            t.starts_with("web   NodePort   10.") && t.contains("   80:30080/TCP   "),
            "{t}"
        );
        let s = c.get(Kind::Service, "default", "web").unwrap();
        let spec = s.as_service().unwrap().spec.clone().unwrap();
        assert_eq!(spec.ports.unwrap()[0].name.as_deref(), Some("80-8080"));
        assert_eq!(spec.selector.unwrap()["app"], "web");
        assert_eq!(
            kubectl(&c, "create service clusterip x").await.1,
            "error: required flag(s) \"tcp\" not set\n"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn secrets_and_configmaps_from_files() {
        let c = cluster().await;
        let dir = std::env::temp_dir().join(format!("k8s-lab-create-{}", std::process::id()));
        let ws = Workspace::new(&dir);
        ws.write(
            "/tmp/nginx.crt",
            b"-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        ws.write(
            "/tmp/nginx.key",
            b"-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        ws.write("default.conf", b"server { listen 80; }\n").unwrap();
        assert_eq!(
            kubectl_in(
                &c,
                &ws,
                None,
                "create secret tls nginxsecret --key /tmp/nginx.key --cert /tmp/nginx.crt"
            )
            .await,
            (0, "secret/nginxsecret created\n".into())
        );
        assert_eq!(
            kubectl_in(
                &c,
                &ws,
                None,
                "create configmap nginxconfigmap --from-file=default.conf --from-literal=a=b"
            )
            .await
            .1,
            "configmap/nginxconfigmap created\n"
        );
        assert_eq!(
            kubectl_in(&c, &ws, None, "create configmap nginxconfigmap --from-literal=a=b").await,
            (
                1,
                "error: failed to create configmap: configmaps \"nginxconfigmap\" already exists\n".into()
            )
        );
        assert_eq!(
            kubectl_in(
                &c,
                &ws,
                None,
                "create secret tls nginxsecret --key /tmp/nginx.key --cert /tmp/nginx.crt"
            )
            .await,
            (
                1,
                "error: failed to create secret secrets \"nginxsecret\" already exists\n".into()
            )
        );
        let cm = c.get(Kind::ConfigMap, "default", "nginxconfigmap").unwrap();
        let Object::ConfigMap(cm) = cm.as_ref() else { panic!() };
        assert_eq!(cm.data.as_ref().unwrap()["default.conf"], "server { listen 80; }\n");
        assert_eq!(cm.data.as_ref().unwrap()["a"], "b");
        let (_, t) = kubectl_in(&c, &ws, None, "get secrets").await;
        assert!(
            t.starts_with(
                "NAME          TYPE                DATA   AGE\nnginxsecret   kubernetes.io/tls   2      0s\n"
            ),
            "{t}"
        );
        let (_, t) = kubectl_in(&c, &ws, None, "get configmaps").await;
        assert_eq!(
            t,
            "NAME               DATA   AGE\nkube-root-ca.crt   1      0s\nnginxconfigmap     2      0s\n"
        );
        assert_eq!(
            kubectl_in(
                &c,
                &ws,
                None,
                "create secret tls s --key /tmp/none.key --cert /tmp/nginx.crt"
            )
            .await
            .1,
            "error: open /tmp/none.key: no such file or directory\n"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
