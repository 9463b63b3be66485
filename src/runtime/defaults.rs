//! Defaulting, as the API server does it before storing: the fields `kubectl get -o yaml` shows
//! that nobody wrote (`protocol: TCP`, `sessionAffinity: None`, `restartPolicy: Always` …).

use k8s_openapi::api::apps::v1::{Deployment, DeploymentStrategy, ReplicaSet, RollingUpdateDeployment};
use k8s_openapi::api::core::v1::{PodSecurityContext, PodSpec, PodTemplateSpec, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::object::Object;

pub fn apply_defaults(obj: &mut Object) {
    match obj {
        Object::Namespace(n) => namespace(n),
        Object::Service(s) => service(s),
        Object::Deployment(d) => deployment(d),
        Object::ReplicaSet(r) => replicaset(r),
        Object::Pod(p) => {
            if let Some(spec) = p.spec.as_mut() {
                pod_spec(spec)
            }
        }
        // SetDefaults_Secret.
        Object::Secret(s) if s.type_.is_none() => s.type_ = Some("Opaque".into()),
        _ => {}
    }
}

/// The namespace registry's defaults: the name label (so selectors can pick namespaces), the
/// `kubernetes` finalizer and phase `Active`.
fn namespace(n: &mut k8s_openapi::api::core::v1::Namespace) {
    let name = n.metadata.name.clone().unwrap_or_default();
    n.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("kubernetes.io/metadata.name".into(), name);
    n.spec
        .get_or_insert_with(Default::default)
        .finalizers
        .get_or_insert_with(|| vec!["kubernetes".into()]);
    n.status
        .get_or_insert_with(Default::default)
        .phase
        .get_or_insert_with(|| "Active".into());
}

fn service(s: &mut Service) {
    let spec = s.spec.get_or_insert_with(Default::default);
    let ty = spec.type_.get_or_insert_with(|| "ClusterIP".into()).clone();
    if ty != "ExternalName" {
        spec.session_affinity.get_or_insert_with(|| "None".into());
        spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
    }
    if ty == "NodePort" || ty == "LoadBalancer" {
        spec.external_traffic_policy.get_or_insert_with(|| "Cluster".into());
    }
    if ty == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
    for p in spec.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".into());
        if p.target_port.is_none() || p.target_port == Some(IntOrString::Int(0)) {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    let status = s.status.get_or_insert_with(Default::default);
    status.load_balancer.get_or_insert_with(Default::default);
}

fn deployment(d: &mut Deployment) {
    let spec = d.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    let strategy = spec.strategy.get_or_insert_with(DeploymentStrategy::default);
    let ty = strategy.type_.get_or_insert_with(|| "RollingUpdate".into()).clone();
    if ty == "RollingUpdate" {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        ru.max_surge.get_or_insert(IntOrString::String("25%".into()));
        ru.max_unavailable.get_or_insert(IntOrString::String("25%".into()));
    }
    template(&mut spec.template);
}

fn replicaset(r: &mut ReplicaSet) {
    let spec = r.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    if let Some(t) = spec.template.as_mut() {
        template(t);
    }
}

fn template(t: &mut PodTemplateSpec) {
    if let Some(spec) = t.spec.as_mut() {
        pod_spec(spec);
    }
}

pub fn pod_spec(spec: &mut PodSpec) {
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".into());
    spec.security_context.get_or_insert_with(PodSecurityContext::default);
    for c in spec.containers.iter_mut() {
        if c.image_pull_policy.is_none() {
            let image = c.image.as_deref().unwrap_or("");
            let tag = image
                .rsplit('/')
                .next()
                .and_then(|last| last.split_once(':'))
                .map(|(_, t)| t);
            let always = matches!(tag, None | Some("latest")) && !image.contains('@');
            c.image_pull_policy = Some(if always { "Always" } else { "IfNotPresent" }.into());
        }
        c.termination_message_path
            .get_or_insert_with(|| "/dev/termination-log".into());
        c.termination_message_policy.get_or_insert_with(|| "File".into());
        c.resources.get_or_insert_with(Default::default);
        for p in c.ports.iter_mut().flatten() {
            p.protocol.get_or_insert_with(|| "TCP".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, ServicePort, ServiceSpec};

    #[test]
    fn service_ports_get_protocol_and_target_port() {
        let mut s = Service {
            spec: Some(ServiceSpec {
                ports: Some(vec![ServicePort {
                    port: 80,
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        service(&mut s);
        let spec = s.spec.unwrap();
        assert_eq!(spec.type_.as_deref(), Some("ClusterIP"));
        assert_eq!(spec.session_affinity.as_deref(), Some("None"));
        let p = &spec.ports.unwrap()[0];
        assert_eq!(p.protocol.as_deref(), Some("TCP"));
        assert_eq!(p.target_port, Some(IntOrString::Int(80)));
    }

    #[test]
    fn image_pull_policy_follows_the_tag() {
        let mut spec = PodSpec {
            containers: vec![
                Container {
                    name: "a".into(),
                    image: Some("nginx".into()),
                    ..Default::default()
                },
                Container {
                    name: "b".into(),
                    image: Some("gcr.io/x/y:1.0".into()),
                    ..Default::default()
                },
                Container {
                    name: "c".into(),
                    image: Some("localhost:5000/y".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        pod_spec(&mut spec);
        let p: Vec<_> = spec
            .containers
            .iter()
            .map(|c| c.image_pull_policy.clone().unwrap())
            .collect();
        assert_eq!(p, ["Always", "IfNotPresent", "Always"]);
    }
}
