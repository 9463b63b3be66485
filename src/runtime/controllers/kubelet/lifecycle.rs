//! A running container's life after it started: its probes, its exit, and the restart policy.
//!
//! One supervisor task per container runs its main process and its probes. Readiness decides
//! the container's `ready` flag and so the pod's `Ready` condition (and whether Services send it
//! traffic); a liveness or startup probe that keeps failing kills the container. When the main
//! process exits, `restartPolicy` decides: restart (at once the first time, then after the
//! kubelet's back-off of 10 s, 20 s, 40 s … up to 5 min, shown as `CrashLoopBackOff`), or stay
//! terminated, and once every container is terminated for good the pod is `Succeeded` or
//! `Failed`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus,
    Pod,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::node_ip_and_index;
use super::probes::{self, ProbeKind, ProbeSpec};
use super::running::RunningPod;
use super::status::pseudo_hex;
use crate::io::{Chunk, Output};
use crate::runtime::images::process::MainProcess;
use crate::runtime::object::Object;
use crate::runtime::pod_shell;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// The kubelet's container restart back-off: first delay and cap.
const BACKOFF_START: Duration = Duration::from_secs(10);
const BACKOFF_MAX: Duration = Duration::from_secs(300);
/// A container that ran this long without failing starts its back-off afresh.
const BACKOFF_RESET: Duration = Duration::from_secs(600);

/// Exit code of a process killed with SIGKILL after its grace period.
const SIGKILL_EXIT: i32 = 137;

/// What the supervisor of one container needs.
pub struct Supervised {
    pub cluster: Cluster,
    pub pod: Arc<RunningPod>,
    pub key: Key,
    pub uid: String,
    pub container: String,
    pub main: MainProcess,
    /// The image's program exits cleanly on SIGTERM (servers do; a shell as PID 1 does not).
    pub exits_on_term: bool,
    pub node_ip: std::net::Ipv4Addr,
    pub restart_policy: String,
    pub startup: Option<ProbeSpec>,
    pub readiness: Option<ProbeSpec>,
    pub liveness: Option<ProbeSpec>,
}

/// How one run of the container ended.
struct Exit {
    code: i32,
    reason: &'static str,
    message: Option<String>,
}

/// Whether a container needs a supervisor at all: one that runs until stopped and has no probes
/// has nothing to watch (most pods; ten thousand idle supervisors would cost memory for nothing).
pub fn needed(main: &MainProcess, has_probes: bool) -> bool {
    has_probes || !matches!(main, MainProcess::Serve | MainProcess::Idle)
}

/// Give each container of a pod that just started the supervisor it needs (see [`needed`]); the
/// supervisors are the pod's, stopped with its sandbox.
pub(super) fn supervise_pod(
    cluster: &Cluster,
    key: &Key,
    rp: &Arc<RunningPod>,
    pod: &Pod,
    supervised: Vec<(Container, MainProcess)>,
) {
    let (node_ip, _) = node_ip_and_index(cluster, &rp.node);
    let node_ip = node_ip.parse().unwrap_or(std::net::Ipv4Addr::LOCALHOST);
    let restart_policy = pod
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.clone())
        .unwrap_or_else(|| "Always".into());
    for (c, main) in supervised {
        let has_probes = c.readiness_probe.is_some() || c.liveness_probe.is_some() || c.startup_probe.is_some();
        if !needed(&main, has_probes) {
            continue;
        }
        let s = Supervised {
            cluster: cluster.clone(),
            pod: rp.clone(),
            key: key.clone(),
            uid: rp.uid.clone(),
            container: c.name.clone(),
            exits_on_term: main == MainProcess::Serve,
            main,
            node_ip,
            restart_policy: restart_policy.clone(),
            startup: probes::probe_spec(&c, ProbeKind::Startup),
            readiness: probes::probe_spec(&c, ProbeKind::Readiness),
            liveness: probes::probe_spec(&c, ProbeKind::Liveness),
        };
        let h = cluster.spawn_handle(supervise(s));
        rp.supervisors.lock().unwrap().push(h);
    }
}

/// Run the container until it is terminated for good (or the pod goes away, which aborts us).
pub async fn supervise(s: Supervised) {
    let mut backoff: Option<Duration> = None;
    let mut restarts = 0;
    loop {
        let started = s.pod_clock_now();
        let exit = run_once(&s).await;
        let finished = s.pod_clock_now();
        terminate(&s, &exit, started, finished);
        let restart = match s.restart_policy.as_str() {
            "Never" => false,
            "OnFailure" => exit.code != 0,
            _ => true,
        };
        if !restart {
            finish_pod_if_done(&s);
            return;
        }
        if (finished - started).to_std().unwrap_or_default() >= BACKOFF_RESET {
            backoff = None;
        }
        if let Some(delay) = backoff {
            crash_loop(&s, delay);
            s.cluster().clock().sleep(delay).await;
        }
        backoff = Some(backoff.map_or(BACKOFF_START, |d| (d * 2).min(BACKOFF_MAX)));
        restarts += 1;
        restart_container(&s, restarts);
    }
}

impl Supervised {
    fn cluster(&self) -> &Cluster {
        &self.cluster
    }
    fn pod_clock_now(&self) -> DateTime<Utc> {
        self.cluster().clock().now()
    }
    fn logs(&self) -> Option<&crate::runtime::images::server::LogSink> {
        self.pod.container(Some(&self.container)).map(|c| &c.logs)
    }
}

/// Run the main process and the probes until the container exits or is killed.
async fn run_once(s: &Supervised) -> Exit {
    let cluster = s.cluster().clone();
    let main = main_process(s);
    tokio::pin!(main);
    let mut started = s.startup.is_none();
    let mut probes: Vec<ProbeState> = [&s.startup, &s.readiness, &s.liveness]
        .into_iter()
        .flatten()
        .map(|spec| ProbeState::new(spec.clone()))
        .collect();
    let t_start = cluster.clock().now();
    let mut elapsed = Duration::ZERO;
    loop {
        let due: Vec<usize> = (0..probes.len())
            .filter(|i| probes[*i].active(started) && probes[*i].next_at <= elapsed)
            .collect();
        for i in due {
            let spec = probes[i].spec.clone();
            // Boxed: a probe's HTTP exchange is a large future, and most containers never probe.
            let result = Box::pin(probes::run(&cluster, &s.pod, &s.container, s.node_ip, &spec)).await;
            probes[i].next_at = elapsed + spec.period;
            match probes[i].observe(result) {
                Verdict::Unchanged => {}
                Verdict::Succeeded if spec.kind == ProbeKind::Startup => {
                    started = true;
                    set_started(s);
                    if s.readiness.is_none() {
                        set_ready(s, true);
                    }
                }
                Verdict::Succeeded => {
                    if spec.kind == ProbeKind::Readiness {
                        set_ready(s, true);
                    }
                }
                Verdict::Failed(msg) => {
                    report_failure(s, spec.kind, &msg);
                    if spec.kind == ProbeKind::Readiness {
                        set_ready(s, false);
                    }
                }
                Verdict::GaveUp(msg) => {
                    report_failure(s, spec.kind, &msg);
                    if spec.kind == ProbeKind::Readiness {
                        set_ready(s, false);
                        continue;
                    }
                    return Box::pin(kill(s, spec.kind)).await;
                }
            }
        }
        let next = probes
            .iter()
            .filter(|p| p.active(started))
            .map(|p| p.next_at)
            .min()
            .map(|t| t.saturating_sub(elapsed));
        let sleep = async {
            match next {
                Some(d) => cluster.clock().sleep(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            exit = &mut main => return exit,
            _ = sleep => {}
        }
        // Probes are due by the schedule, not by how late the timer fired.
        elapsed = (cluster.clock().now() - t_start)
            .to_std()
            .unwrap_or_default()
            .max(elapsed + next.unwrap_or_default());
    }
}

/// The main process itself.
async fn main_process(s: &Supervised) -> Exit {
    let cluster = s.cluster();
    match &s.main {
        MainProcess::Serve | MainProcess::Idle => std::future::pending().await,
        MainProcess::Sleep(d) => {
            cluster.clock().sleep(*d).await;
            completed(0)
        }
        MainProcess::Run(argv) => {
            let out = s.logs().map_or_else(
                || Output::new(|_| {}),
                |logs| {
                    let (logs, clock) = (logs.clone(), cluster.clock().clone());
                    let pending = std::sync::Mutex::new(String::new());
                    Output::new(move |chunk| {
                        if let Chunk::Text(_, text) = chunk {
                            let mut p = pending.lock().unwrap();
                            p.push_str(&text);
                            while let Some(i) = p.find('\n') {
                                let line: String = p.drain(..=i).collect();
                                logs.push(clock.now(), line.trim_end_matches('\n').to_string());
                            }
                        }
                    })
                },
            );
            let code = Box::pin(pod_shell::run_in_pod(
                cluster,
                &s.pod,
                Some(&s.container),
                argv,
                None,
                &out,
            ))
            .await;
            completed(code)
        }
        MainProcess::Missing(bin) => {
            let message = format!("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{bin}\": executable file not found in $PATH: unknown");
            cluster.record_event(
                &pod_object(s),
                "Warning",
                "Failed",
                &format!("Error: {message}"),
                "kubelet",
            );
            Exit {
                code: 128,
                reason: "StartError",
                message: Some(message),
            }
        }
    }
}

fn completed(code: i32) -> Exit {
    Exit {
        code,
        reason: if code == 0 { "Completed" } else { "Error" },
        message: None,
    }
}

/// A liveness or startup probe gave up: the kubelet stops the container.
async fn kill(s: &Supervised, kind: ProbeKind) -> Exit {
    let cluster = s.cluster();
    let probe = match kind {
        ProbeKind::Startup => "startup",
        _ => "liveness",
    };
    cluster.record_event(
        &pod_object(s),
        "Normal",
        "Killing",
        &format!("Container {} failed {probe} probe, will be restarted", s.container),
        "kubelet",
    );
    if s.exits_on_term {
        completed(0)
    } else {
        let grace = current_pod(s)
            .and_then(|p| p.spec?.termination_grace_period_seconds)
            .unwrap_or(30)
            .max(0) as u64;
        cluster.clock().sleep(Duration::from_secs(grace)).await;
        completed(SIGKILL_EXIT)
    }
}

struct ProbeState {
    spec: ProbeSpec,
    next_at: Duration,
    successes: u32,
    failures: u32,
    /// Readiness starts unknown (not ready); liveness and startup start healthy.
    passing: Option<bool>,
}

enum Verdict {
    Unchanged,
    Succeeded,
    Failed(String),
    GaveUp(String),
}

impl ProbeState {
    fn new(spec: ProbeSpec) -> ProbeState {
        ProbeState {
            next_at: spec.initial_delay,
            spec,
            successes: 0,
            failures: 0,
            passing: None,
        }
    }

    /// The startup probe runs until it succeeds; the others wait for it.
    fn active(&self, started: bool) -> bool {
        match self.spec.kind {
            ProbeKind::Startup => !started,
            _ => started,
        }
    }

    fn observe(&mut self, result: Result<(), String>) -> Verdict {
        match result {
            Ok(()) => {
                self.failures = 0;
                self.successes += 1;
                if self.passing != Some(true) && self.successes >= self.spec.success_threshold {
                    self.passing = Some(true);
                    return Verdict::Succeeded;
                }
                Verdict::Unchanged
            }
            Err(msg) => {
                self.successes = 0;
                self.failures += 1;
                if self.failures >= self.spec.failure_threshold {
                    self.failures = 0;
                    self.passing = Some(false);
                    return Verdict::GaveUp(msg);
                }
                Verdict::Failed(msg)
            }
        }
    }
}

fn report_failure(s: &Supervised, kind: ProbeKind, msg: &str) {
    s.cluster().record_event(
        &pod_object(s),
        "Warning",
        "Unhealthy",
        &format!("{} probe failed: {msg}", kind.word()),
        "kubelet",
    );
}

fn current_pod(s: &Supervised) -> Option<Pod> {
    let obj = s.cluster().store().get(&s.key)?;
    (obj.meta().uid.as_deref() == Some(s.uid.as_str())).then(|| obj.as_pod().cloned())?
}

fn pod_object(s: &Supervised) -> Object {
    Object::Pod(current_pod(s).unwrap_or_default())
}

/// Change this container's status (and the pod's conditions that follow from it).
fn update_status(s: &Supervised, f: impl FnOnce(&mut ContainerStatus, &mut Pod)) {
    let now = s.pod_clock_now();
    let uid = s.uid.clone();
    let _ = s.cluster().store().update(&s.key, |o| {
        let Object::Pod(p) = o else { return };
        if p.metadata.uid.as_deref() != Some(uid.as_str()) || p.metadata.deletion_timestamp.is_some() {
            return;
        }
        let mut pod = p.clone();
        let Some(cs) = pod
            .status
            .as_mut()
            .and_then(|st| st.container_statuses.as_mut())
            .and_then(|v| v.iter_mut().find(|c| c.name == s.container))
        else {
            return;
        };
        let mut cs_new = cs.clone();
        f(&mut cs_new, p);
        if let Some(cs) = p
            .status
            .as_mut()
            .and_then(|st| st.container_statuses.as_mut())
            .and_then(|v| v.iter_mut().find(|c| c.name == s.container))
        {
            *cs = cs_new;
        }
        super::status::sync_ready_conditions(p, now);
    });
}

fn set_ready(s: &Supervised, ready: bool) {
    update_status(s, |cs, _| {
        if cs.state.as_ref().is_some_and(|st| st.running.is_some()) {
            cs.ready = ready;
        }
    });
}

fn set_started(s: &Supervised) {
    update_status(s, |cs, _| cs.started = Some(true));
}

fn container_id(s: &Supervised, run: i32) -> String {
    format!(
        "containerd://{}",
        pseudo_hex(&format!("{}{}{run}", s.pod.name, s.container), 64)
    )
}

fn terminate(s: &Supervised, exit: &Exit, started: DateTime<Utc>, finished: DateTime<Utc>) {
    update_status(s, |cs, _| {
        cs.ready = false;
        cs.started = Some(false);
        cs.state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: exit.code,
                reason: Some(exit.reason.into()),
                message: exit.message.clone(),
                started_at: Some(Time(started)),
                finished_at: Some(Time(finished)),
                container_id: cs.container_id.clone(),
                signal: None,
            }),
            ..Default::default()
        });
    });
}

/// Waiting out the back-off: `CrashLoopBackOff`, with the kubelet's message and event.
fn crash_loop(s: &Supervised, delay: Duration) {
    let who = format!("{}_{}({})", s.pod.name, s.pod.namespace, s.uid);
    update_status(s, |cs, _| {
        let last = cs.state.take();
        cs.last_state = last;
        cs.state = Some(ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some("CrashLoopBackOff".into()),
                message: Some(format!(
                    "back-off {} restarting failed container={} pod={who}",
                    go_duration(delay),
                    s.container
                )),
            }),
            ..Default::default()
        });
    });
    s.cluster().record_event(
        &pod_object(s),
        "Warning",
        "BackOff",
        &format!("Back-off restarting failed container {} in pod {who}", s.container),
        "kubelet",
    );
}

/// Go's `time.Duration` string for whole seconds: `10s`, `1m20s`, `5m0s`.
fn go_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 {
        format!("{secs}s")
    } else {
        format!("{}m{}s", secs / 60, secs % 60)
    }
}

fn restart_container(s: &Supervised, restarts: i32) {
    let cluster = s.cluster();
    let obj = pod_object(s);
    let image = s
        .pod
        .container(Some(&s.container))
        .map(|c| c.image.clone())
        .unwrap_or_default();
    cluster.record_event(
        &obj,
        "Normal",
        "Pulled",
        &format!("Container image \"{image}\" already present on machine"),
        "kubelet",
    );
    cluster.record_event(
        &obj,
        "Normal",
        "Created",
        &format!("Created container: {}", s.container),
        "kubelet",
    );
    cluster.record_event(
        &obj,
        "Normal",
        "Started",
        &format!("Started container {}", s.container),
        "kubelet",
    );
    if let Some(logs) = s.logs() {
        logs.rotate();
    }
    let now = s.pod_clock_now();
    let ready = s.readiness.is_none() && s.startup.is_none();
    let id = container_id(s, restarts);
    update_status(s, |cs, _| {
        if cs.state.as_ref().is_some_and(|st| st.terminated.is_some()) {
            cs.last_state = cs.state.take();
        }
        cs.restart_count = restarts;
        cs.ready = ready;
        cs.started = Some(s.startup.is_none());
        cs.container_id = Some(id);
        cs.state = Some(ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(Time(now)),
            }),
            ..Default::default()
        });
    });
}

/// Every container terminated for good: the pod is `Succeeded` (all exited 0) or `Failed`.
fn finish_pod_if_done(s: &Supervised) {
    let now = s.pod_clock_now();
    let uid = s.uid.clone();
    let policy = s.restart_policy.clone();
    let done = s.cluster().store().update(&s.key, |o| {
        let Object::Pod(p) = o else { return };
        if p.metadata.uid.as_deref() != Some(uid.as_str()) {
            return;
        }
        let Some(st) = p.status.as_mut() else { return };
        let exits: Vec<Option<i32>> = st
            .container_statuses
            .iter()
            .flatten()
            .map(|c| c.state.as_ref()?.terminated.as_ref().map(|t| t.exit_code))
            .collect();
        let finished = |code: &Option<i32>| match code {
            Some(0) => true,
            Some(_) => policy == "Never",
            None => false,
        };
        if exits.is_empty() || !exits.iter().all(finished) {
            return;
        }
        let succeeded = exits.iter().all(|c| *c == Some(0));
        st.phase = Some(if succeeded { "Succeeded" } else { "Failed" }.into());
        for c in st.conditions.iter_mut().flatten() {
            let off = matches!(
                c.type_.as_str(),
                "Ready" | "ContainersReady" | "PodReadyToStartContainers"
            );
            if off && c.status != "False" {
                c.status = "False".into();
                c.last_transition_time = Some(Time(now));
            }
            if matches!(c.type_.as_str(), "Ready" | "ContainersReady") {
                c.reason = Some("PodCompleted".into());
                c.message = None;
            }
        }
    });
    if done.is_ok_and(|p| {
        p.as_pod()
            .and_then(|p| p.status.as_ref()?.phase.as_deref())
            .is_some_and(|ph| ph == "Succeeded" || ph == "Failed")
    }) {
        super::running::finish(s.cluster(), &s.key, &s.uid);
    }
}
