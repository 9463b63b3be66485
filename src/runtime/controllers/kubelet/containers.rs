//! Starting one container in its pod's sandbox: its environment, its program and main process,
//! its log, its ports, the `Created`/`Started` events and the `running` status it reports.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{Container, ContainerStatus};

use super::running::RunningContainer;
use super::sandbox::Sandbox;
use super::service_env::SharedEnv;
use super::start::{announced, Restart};
use super::status;
use crate::runtime::images::process::{main_process, MainProcess};
use crate::runtime::images::server::LogSink;
use crate::runtime::images::{Factory, PodCtx, Program};
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// What every container of one pod start shares.
pub(super) struct PodStart<'a> {
    pub(super) cluster: &'a Cluster,
    pub(super) key: &'a Key,
    pub(super) obj: &'a Object,
    pub(super) node: &'a str,
    pub(super) restart: Option<&'a Restart>,
    pub(super) service_env: &'a SharedEnv,
    /// When the containers started (lab time): their logs' first lines and `startedAt`.
    pub(super) now: DateTime<Utc>,
}

/// A container that started: what the kubelet runs, the status it reports, and what its
/// supervisor needs.
pub(super) struct Started {
    pub(super) running: RunningContainer,
    pub(super) status: ContainerStatus,
    pub(super) spec: Container,
    pub(super) main: MainProcess,
}

/// Start container `c` from `image` (whose program `factory` makes) with its mounted `files`.
pub(super) async fn start(
    p: &PodStart<'_>,
    sandbox: &mut Sandbox,
    c: Container,
    image: String,
    factory: Factory,
    files: Arc<BTreeMap<String, Vec<u8>>>,
) -> Started {
    let env = env(p, sandbox.ip, &c);
    let ctx = Arc::new(PodCtx {
        cluster: p.cluster.clone(),
        namespace: p.key.namespace.clone(),
        pod_name: p.key.name.clone(),
        pod_ip: sandbox.ip,
        node: p.node.to_string(),
        container: c.name.clone(),
        image: image.clone(),
        env,
        service_env: p.service_env.clone(),
        files,
    });
    let program = factory(&ctx);
    let main = main_process(program.command(), &c);
    let serves = main == MainProcess::Serve;
    let announce = announced(p.restart, &c.name);
    let logs = logs(p, &c, &program, &ctx, serves, announce);
    if serves {
        sandbox.listen(p.cluster, p.obj, &program, &ctx, &logs).await;
        sandbox.listen_datagrams(p.cluster, p.obj, &program, &ctx).await;
    }
    if announce {
        p.cluster.record_event(
            p.obj,
            "Normal",
            "Created",
            &format!("Created container: {}", c.name),
            "kubelet",
        );
        p.cluster.record_event(
            p.obj,
            "Normal",
            "Started",
            &format!("Started container {}", c.name),
            "kubelet",
        );
    }
    let status = status::running_status(&p.key.name, &c, &image, p.now);
    let running = RunningContainer {
        name: c.name.clone(),
        image,
        program,
        ctx,
        logs,
        serves,
        scratch: Mutex::default(),
    };
    Started {
        running,
        status,
        spec: c,
        main,
    }
}

/// The container's environment (the Service variables come separately, shared): `PATH`,
/// `HOSTNAME`, its `env` (values and the downward API's fields), `HOME`.
fn env(p: &PodStart<'_>, ip: Ipv4Addr, c: &Container) -> BTreeMap<String, String> {
    let key = p.key;
    let mut env = BTreeMap::new();
    env.insert(
        "PATH".to_string(),
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
    );
    env.insert("HOSTNAME".to_string(), key.name.clone());
    for e in c.env.iter().flatten() {
        let value = match (&e.value, &e.value_from) {
            (Some(v), _) => v.clone(),
            (None, Some(from)) => match from.field_ref.as_ref().map(|f| f.field_path.as_str()) {
                Some("metadata.name") => key.name.clone(),
                Some("metadata.namespace") => key.namespace.clone(),
                Some("status.podIP") => ip.to_string(),
                Some("spec.nodeName") => p.node.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        env.insert(e.name.clone(), value);
    }
    env.insert("HOME".to_string(), "/root".to_string());
    env
}

/// The container's log. A restart keeps each container's log; a restarted container's becomes
/// `--previous`. A server logs its start-up lines when it (re)starts.
fn logs(
    p: &PodStart<'_>,
    c: &Container,
    program: &Arc<dyn Program>,
    ctx: &PodCtx,
    serves: bool,
    announce: bool,
) -> LogSink {
    let kept = p.restart.and_then(|r| r.logs.get(&c.name).cloned());
    let logs = kept.clone().unwrap_or_default();
    if kept.is_some() && announce {
        logs.rotate();
    }
    if serves && (kept.is_none() || announce) {
        for line in program.startup_log(ctx) {
            logs.push(p.now, line);
        }
    }
    logs
}
