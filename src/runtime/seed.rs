//! What a fresh cluster already has: the four namespaces, the nodes, the `kubernetes` and
//! `kube-dns` Services, CoreDNS, and the `kube-root-ca.crt` ConfigMap in every namespace.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    ConfigMap, Container, ContainerPort, EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Namespace,
    NamespaceSpec, NamespaceStatus, Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, PodSpec,
    PodTemplateSpec, Service, ServicePort, ServiceSpec,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::net::addresses::{node_ip, KUBERNETES_SERVICE_IP, KUBE_DNS_IP};
use super::{Cluster, Object};

/// The Kubernetes version the lab's nodes report.
pub const KUBELET_VERSION: &str = "v1.33.1";

/// A PEM block standing in for the cluster CA in `kube-root-ca.crt` (the lab has no API TLS).
pub const ROOT_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBfzCCASWgAwIBAgIBADAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwprOHMtbGFi\nLWNhMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAwMFowFTETMBEGA1UEAxMK\nazhzLWxhYi1jYTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABHJtbGFiLWNhIGtl\neSBpcyBub3QgdXNlZCBmb3IgYW55dGhpbmcgLSBpdCBpcyBhIHBsYWNlaG9sZGVy\nIGtleSBmb3IgazhzLWxhYo0xMDAwCgYIKoZIzj0EAwIDSAAwRQIgazhzLWxhYi1j\nYS1zaWduYXR1cmUtcGxhY2Vob2xkZXItMDAwMDACIQCrOHMtbGFiLWNhLXNpZ25h\ndHVyZS1wbGFjZWhvbGRlci0wMDA=\n-----END CERTIFICATE-----\n";

/// Names of the cluster's nodes: `minikube`, `minikube-m02`, `minikube-m03` …
pub fn node_names(prefix: &str, count: usize) -> Vec<String> {
    (0..count.max(1))
        .map(|i| {
            if i == 0 {
                prefix.to_string()
            } else {
                format!("{prefix}-m{:02}", i + 1)
            }
        })
        .collect()
}

fn labels(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

/// The name of the ConfigMap the root-CA publisher keeps in every namespace.
pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";

/// The `kube-root-ca.crt` ConfigMap of one namespace.
pub fn root_ca_configmap(namespace: &str) -> Object {
    Object::ConfigMap(ConfigMap {
        metadata: meta(ROOT_CA_CONFIGMAP, Some(namespace), &[]),
        data: Some([("ca.crt".to_string(), ROOT_CA.to_string())].into()),
        ..Default::default()
    })
}

fn meta(name: &str, namespace: Option<&str>, l: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: namespace.map(Into::into),
        labels: if l.is_empty() { None } else { labels(l) },
        ..Default::default()
    }
}

pub fn seed(cluster: &Cluster) -> anyhow::Result<()> {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        cluster.create(Object::Namespace(Namespace {
            metadata: meta(ns, None, &[("kubernetes.io/metadata.name", ns)]),
            spec: Some(NamespaceSpec {
                finalizers: Some(vec!["kubernetes".into()]),
            }),
            status: Some(NamespaceStatus {
                phase: Some("Active".into()),
                ..Default::default()
            }),
        }))?;
        // The root-CA publisher may have been quicker.
        match cluster.create(root_ca_configmap(ns)) {
            Ok(_) | Err(crate::runtime::ApiError::AlreadyExists { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let cfg = cluster.config().clone();
    let now = cluster.clock().now();
    for (i, name) in node_names(&cfg.node_name, cfg.nodes).iter().enumerate() {
        let mut l = vec![
            ("beta.kubernetes.io/arch", "amd64"),
            ("beta.kubernetes.io/os", "linux"),
            ("kubernetes.io/arch", "amd64"),
            ("kubernetes.io/hostname", name.as_str()),
            ("kubernetes.io/os", "linux"),
        ];
        if i == 0 {
            l.push(("node-role.kubernetes.io/control-plane", ""));
        }
        let quantity = |s: &str| Quantity(s.to_string());
        let resources: BTreeMap<String, Quantity> = [
            ("cpu".to_string(), quantity("2")),
            ("ephemeral-storage".to_string(), quantity("61202244Ki")),
            ("memory".to_string(), quantity("8025424Ki")),
            ("pods".to_string(), quantity(&cfg.max_pods.to_string())),
        ]
        .into();
        let cond = |t: &str, s: &str, reason: &str, msg: &str| NodeCondition {
            type_: t.into(),
            status: s.into(),
            reason: Some(reason.into()),
            message: Some(msg.into()),
            last_heartbeat_time: Some(Time(now)),
            last_transition_time: Some(Time(now)),
        };
        cluster.create(Object::Node(Node {
            metadata: meta(name, None, &l),
            spec: Some(NodeSpec {
                pod_cidr: Some(format!("10.244.{i}.0/24")),
                pod_cidrs: Some(vec![format!("10.244.{i}.0/24")]),
                ..Default::default()
            }),
            status: Some(NodeStatus {
                addresses: Some(vec![
                    NodeAddress {
                        type_: "InternalIP".into(),
                        address: node_ip(cfg.node_block, i).to_string(),
                    },
                    NodeAddress {
                        type_: "Hostname".into(),
                        address: name.clone(),
                    },
                ]),
                allocatable: Some(resources.clone()),
                capacity: Some(resources),
                conditions: Some(vec![
                    cond(
                        "MemoryPressure",
                        "False",
                        "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available",
                    ),
                    cond(
                        "DiskPressure",
                        "False",
                        "KubeletHasNoDiskPressure",
                        "kubelet has no disk pressure",
                    ),
                    cond(
                        "PIDPressure",
                        "False",
                        "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available",
                    ),
                    cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                ]),
                node_info: Some(NodeSystemInfo {
                    architecture: "amd64".into(),
                    container_runtime_version: "k8s-lab://0.1.0".into(),
                    kernel_version: "6.1.0-k8s-lab".into(),
                    kube_proxy_version: KUBELET_VERSION.into(),
                    kubelet_version: KUBELET_VERSION.into(),
                    operating_system: "linux".into(),
                    os_image: "k8s-lab embedded node".into(),
                    boot_id: super::store::new_uid(),
                    machine_id: super::store::new_uid().replace('-', ""),
                    system_uuid: super::store::new_uid(),
                    ..Default::default()
                }),
                ..Default::default()
            }),
        }))?;
    }

    cluster.create(Object::Service(Service {
        metadata: meta(
            "kubernetes",
            Some("default"),
            &[("component", "apiserver"), ("provider", "kubernetes")],
        ),
        spec: Some(ServiceSpec {
            cluster_ip: Some(KUBERNETES_SERVICE_IP.to_string()),
            ports: Some(vec![ServicePort {
                name: Some("https".into()),
                port: 443,
                target_port: Some(IntOrString::Int(8443)),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    }))?;
    cluster.create(Object::Endpoints(Endpoints {
        metadata: meta(
            "kubernetes",
            Some("default"),
            &[("endpointslice.kubernetes.io/skip-mirror", "true")],
        ),
        subsets: Some(vec![EndpointSubset {
            addresses: Some(vec![EndpointAddress {
                ip: node_ip(cluster.config().node_block, 0).to_string(),
                ..Default::default()
            }]),
            ports: Some(vec![EndpointPort {
                name: Some("https".into()),
                port: 8443,
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }]),
    }))?;

    let dns_labels = [
        ("k8s-app", "kube-dns"),
        ("kubernetes.io/cluster-service", "true"),
        ("kubernetes.io/name", "CoreDNS"),
    ];
    let port = |name: &str, port: i32, proto: &str| ServicePort {
        name: Some(name.into()),
        port,
        protocol: Some(proto.into()),
        target_port: Some(IntOrString::Int(port)),
        ..Default::default()
    };
    cluster.create(Object::Service(Service {
        metadata: meta("kube-dns", Some("kube-system"), &dns_labels),
        spec: Some(ServiceSpec {
            cluster_ip: Some(KUBE_DNS_IP.to_string()),
            selector: labels(&[("k8s-app", "kube-dns")]),
            ports: Some(vec![
                port("dns", 53, "UDP"),
                port("dns-tcp", 53, "TCP"),
                port("metrics", 9153, "TCP"),
            ]),
            ..Default::default()
        }),
        status: None,
    }))?;
    let cport = |name: &str, port: i32, proto: &str| ContainerPort {
        name: Some(name.into()),
        container_port: port,
        protocol: Some(proto.into()),
        ..Default::default()
    };
    cluster.create(Object::Deployment(Deployment {
        metadata: meta("coredns", Some("kube-system"), &[("k8s-app", "kube-dns")]),
        spec: Some(DeploymentSpec {
            replicas: Some(1),
            selector: LabelSelector {
                match_labels: labels(&[("k8s-app", "kube-dns")]),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: labels(&[("k8s-app", "kube-dns")]),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: "coredns".into(),
                        image: Some(super::images::COREDNS_IMAGE.into()),
                        args: Some(vec!["-conf".into(), "/etc/coredns/Corefile".into()]),
                        ports: Some(vec![
                            cport("dns", 53, "UDP"),
                            cport("dns-tcp", 53, "TCP"),
                            cport("metrics", 9153, "TCP"),
                        ]),
                        ..Default::default()
                    }],
                    dns_policy: Some("Default".into()),
                    priority_class_name: Some("system-cluster-critical".into()),
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        status: None,
    }))?;
    Ok(())
}
