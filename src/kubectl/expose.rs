//! `kubectl expose`: make a Service for a Deployment, ReplicaSet, Pod or Service, taking the
//! selector, labels and ports from the object the way kubectl's service generator does.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::args::Parsed;
use super::errors::server_error;
use super::resources::{parse_targets, Target};
use super::Ctx;
use crate::io::Output;
use crate::runtime::{ApiError, Object};

/// What `expose` learns from an object: selector, labels and (port, protocol) pairs.
type Introspected = (BTreeMap<String, String>, BTreeMap<String, String>, Vec<(i32, String)>);

/// Selector, labels and (port, protocol) list of an exposable object.
fn introspect(obj: &Object) -> Result<Introspected, String> {
    let labels = obj.labels().clone();
    let pod_ports = |spec: Option<&k8s_openapi::api::core::v1::PodSpec>| -> Vec<(i32, String)> {
        spec.map(|s| {
            s.containers
                .iter()
                .flat_map(|c| c.ports.iter().flatten())
                .map(|p| (p.container_port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
                .collect()
        })
        .unwrap_or_default()
    };
    let from_label_selector = |sel: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector| -> Result<BTreeMap<String, String>, String> {
        if sel.match_expressions.as_ref().is_some_and(|e| !e.is_empty()) {
            return Err("couldn't retrieve selectors via --selector flag or introspection: the deployment has match expressions".into());
        }
        Ok(sel.match_labels.clone().unwrap_or_default())
    };
    match obj {
        Object::Deployment(d) => {
            let spec = d.spec.as_ref().ok_or("deployment has no spec")?;
            Ok((
                from_label_selector(&spec.selector)?,
                labels,
                pod_ports(spec.template.spec.as_ref()),
            ))
        }
        Object::ReplicaSet(rs) => {
            let spec = rs.spec.as_ref().ok_or("replicaset has no spec")?;
            Ok((
                from_label_selector(&spec.selector)?,
                labels,
                pod_ports(spec.template.as_ref().and_then(|t| t.spec.as_ref())),
            ))
        }
        Object::Pod(p) => Ok((labels.clone(), labels, pod_ports(p.spec.as_ref()))),
        Object::Service(s) => {
            let spec = s.spec.clone().unwrap_or_default();
            let ports = spec
                .ports
                .unwrap_or_default()
                .into_iter()
                .map(|p| (p.port, p.protocol.unwrap_or_else(|| "TCP".into())))
                .collect();
            Ok((spec.selector.unwrap_or_default(), labels, ports))
        }
        other => Err(format!("cannot expose a {}", other.kind().info().name)),
    }
}

fn parse_port(s: &str) -> IntOrString {
    match s.parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(s.to_string()),
    }
}

/// `kubectl expose`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    if p.positional.is_empty() {
        out.err_line("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
        return 1;
    }
    let targets = match parse_targets(&p.positional) {
        Ok(t) => t,
        Err(e) => return super::fail(out, &e),
    };
    let finish = match super::made::Finish::from_flags(p) {
        Ok(f) => f,
        Err(e) => return super::fail(out, &e),
    };
    let ns = p.namespace();
    let mut code = 0;
    for t in targets {
        let Target::Named(kind, name) = t else {
            return super::fail(out, "resource(s) were provided, but no name was specified");
        };
        let Some(obj) = ctx.cluster.get(kind, &ns, &name) else {
            out.err_line(&server_error(&ApiError::NotFound { kind, name }));
            code = 1;
            continue;
        };
        let (mut selector, mut labels, ports) = match introspect(&obj) {
            Ok(x) => x,
            Err(e) => return super::fail(out, &e),
        };
        if let Some(s) = p.get("selector") {
            selector = s
                .split(',')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        }
        if let Some(l) = p.get("labels") {
            labels = l
                .split(',')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        }
        let protocol = p.get("protocol").map(String::from);
        let mut service_ports: Vec<ServicePort> = match p.get("port") {
            Some(port) => {
                let Ok(n) = port.parse::<i32>() else {
                    return super::fail(out, &format!("invalid argument \"{port}\" for \"--port\" flag"));
                };
                vec![ServicePort {
                    port: n,
                    protocol: Some(protocol.clone().unwrap_or_else(|| "TCP".into())),
                    ..Default::default()
                }]
            }
            None => {
                if ports.is_empty() {
                    return super::fail(out, "couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
                }
                let many = ports.len() > 1;
                ports
                    .iter()
                    .enumerate()
                    .map(|(i, (port, proto))| ServicePort {
                        name: many.then(|| format!("port-{}", i + 1)),
                        port: *port,
                        protocol: Some(protocol.clone().unwrap_or_else(|| proto.clone())),
                        ..Default::default()
                    })
                    .collect()
            }
        };
        for sp in &mut service_ports {
            sp.target_port = Some(match p.get("target-port") {
                Some(tp) => parse_port(tp),
                None => IntOrString::Int(sp.port),
            });
        }
        let svc_name = p.get("name").map(String::from).unwrap_or_else(|| name.clone());
        let svc = Service {
            metadata: ObjectMeta {
                name: Some(svc_name.clone()),
                namespace: Some(ns.clone()),
                labels: if labels.is_empty() { None } else { Some(labels) },
                ..Default::default()
            },
            spec: Some(ServiceSpec {
                selector: Some(selector),
                ports: Some(service_ports),
                type_: p.get("type").map(String::from),
                external_ips: p.get("external-ip").map(|ip| vec![ip.to_string()]),
                session_affinity: p.get("session-affinity").map(String::from),
                load_balancer_ip: p.get("load-balancer-ip").map(String::from),
                ..Default::default()
            }),
            status: None,
        };
        match finish.make(ctx.cluster, Object::Service(svc), "exposed", out) {
            Ok(_) => {}
            Err(e) => {
                out.err_line(&server_error(&e));
                code = 1;
            }
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};
    use crate::runtime::Kind;

    #[tokio::test(start_paused = true)]
    async fn expose_deployment_takes_selector_labels_and_ports() {
        let c = cluster().await;
        kubectl(
            &c,
            "create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1 --port=8080",
        )
        .await;
        assert_eq!(
            kubectl(&c, "expose deployment/kubernetes-bootcamp --type=NodePort").await,
            (0, "service/kubernetes-bootcamp exposed\n".into())
        );
        let s = c.get(Kind::Service, "default", "kubernetes-bootcamp").unwrap();
        let s = s.as_service().unwrap();
        let spec = s.spec.as_ref().unwrap();
        assert_eq!(spec.selector.as_ref().unwrap()["app"], "kubernetes-bootcamp");
        assert_eq!(s.metadata.labels.as_ref().unwrap()["app"], "kubernetes-bootcamp");
        let port = &spec.ports.as_ref().unwrap()[0];
        assert_eq!(
            (port.port, port.target_port.clone()),
            (8080, Some(IntOrString::Int(8080)))
        );
        assert!(port.node_port.is_some());
        assert_eq!(
            kubectl(
                &c,
                "expose deployment kubernetes-bootcamp --name=kubia --port=80 --target-port=8080"
            )
            .await
            .1,
            "service/kubia exposed\n"
        );
        let s = c.get(Kind::Service, "default", "kubia").unwrap();
        let port = &s.as_service().unwrap().spec.as_ref().unwrap().ports.as_ref().unwrap()[0];
        assert_eq!(
            (port.port, port.target_port.clone()),
            (80, Some(IntOrString::Int(8080)))
        );
        assert_eq!(
            kubectl(&c, "expose deployment nope").await,
            (
                1,
                "Error from server (NotFound): deployments.apps \"nope\" not found\n".into()
            )
        );
        kubectl(&c, "create deployment noport --image=nginx").await;
        assert_eq!(
            kubectl(&c, "expose deployment noport").await.1,
            "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n"
        );
    }
}
