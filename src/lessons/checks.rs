//! The checks engine: is a step done?
//!
//! Checks are data (see [`super::format::Check`]); this module looks at the evidence — the live
//! cluster, the kubectl commands the learner ran as kubectl read them (the shell's
//! [`Journal`]), and the requests the lab served (the runtime's traffic log) — and answers
//! with a verdict and a reason in both languages. The reason matters as much as the verdict:
//! a learner stuck on "0 endpoints" needs to hear that the Service's selector matches no pod,
//! not just "not yet". Reasons are words, never a regex. Passing checks explain themselves
//! too, so the lesson pane can show a checklist of what is already right.
//!
//! Checks only read: they never change the cluster. `http` checks send one real request through
//! the lab's data plane (the same `curl` the learner uses), bounded by a timeout on lab time
//! and marked as a probe, so neither the traffic view nor `traffic` checks count it.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Endpoints, Pod};

use super::format::{Check, CheckEntry, HttpFrom, I18n, KubectlCheck, Since, Step, TrafficCheck, TrafficFrom, Via};
use super::placeholders::{self, find_object, json_value_text};
use crate::io::Output;
use crate::kubectl::invocation;
use crate::runtime::net::traffic_log::TrafficRecord;
use crate::runtime::net::Origin;
use crate::runtime::selectors::Selector;
use crate::runtime::{Cluster, Kind, Object};
use crate::shell::journal::{Journal, KubectlRecord, Recorded};

/// The verdict on one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub passed: bool,
    /// Why, in both languages: what is right, or what is still missing.
    pub reason: I18n,
}

impl CheckResult {
    fn pass(ko: impl Into<String>, en: impl Into<String>) -> CheckResult {
        CheckResult {
            passed: true,
            reason: I18n::new(ko, en),
        }
    }
    fn fail(ko: impl Into<String>, en: impl Into<String>) -> CheckResult {
        CheckResult {
            passed: false,
            reason: I18n::new(ko, en),
        }
    }
    fn fail_with(reason: I18n) -> CheckResult {
        CheckResult { passed: false, reason }
    }
}

/// The verdict on a whole step: every check, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    pub results: Vec<CheckResult>,
}

impl StepResult {
    /// A step passes when all its checks pass (a step without checks passes at once).
    pub fn passed(&self) -> bool {
        self.results.iter().all(|r| r.passed)
    }

    /// The first failing check's reason, if any.
    pub fn first_failure(&self) -> Option<&I18n> {
        self.results.iter().find(|r| !r.passed).map(|r| &r.reason)
    }
}

/// Everything a check may look at.
pub struct Evidence<'a> {
    pub cluster: &'a Cluster,
    /// The learner's lines and kubectl invocations in this session, oldest first.
    pub journal: Recorded,
    /// The requests the lab served lately, oldest first (probes included; checks skip them).
    pub traffic: Vec<TrafficRecord>,
    /// Where `since: step` begins; `None` counts everything of the session.
    pub step_began: Option<Instant>,
    /// Objects seen to exist during this lesson ([`seen_key`]), for `object_absent`.
    pub seen: BTreeSet<String>,
}

impl<'a> Evidence<'a> {
    /// The evidence of a session: its journal and the cluster's traffic log.
    pub fn new(cluster: &'a Cluster, journal: &Journal, step_began: Option<Instant>, seen: BTreeSet<String>) -> Self {
        Evidence {
            cluster,
            journal: journal.since(None),
            traffic: cluster.net().traffic_since(None),
            step_began,
            seen,
        }
    }

    /// The evidence `step` needs: when none of its checks looks beyond the step, only what
    /// happened since `step_began` is copied out of the journal and the traffic log.
    pub fn for_step(
        step: &Step,
        cluster: &'a Cluster,
        journal: &Journal,
        step_began: Option<Instant>,
        seen: BTreeSet<String>,
    ) -> Self {
        let lesson_wide = step.checks.iter().any(|CheckEntry(c)| match c {
            Check::Kubectl(k) => k.since == Since::Lesson,
            Check::Traffic(t) => t.since == Since::Lesson,
            _ => false,
        });
        let cutoff = if lesson_wide { None } else { step_began };
        Evidence {
            cluster,
            journal: journal.since(cutoff),
            traffic: cluster.net().traffic_since(cutoff),
            step_began,
            seen,
        }
    }

    /// The cluster alone: no commands run, nothing served, nothing seen before.
    pub fn cluster_only(cluster: &'a Cluster) -> Self {
        Evidence {
            cluster,
            journal: Recorded::default(),
            traffic: Vec::new(),
            step_began: None,
            seen: BTreeSet::new(),
        }
    }

    fn counts(&self, since: Since, at: Instant) -> bool {
        match (since, self.step_began) {
            (Since::Step, Some(began)) => at >= began,
            _ => true,
        }
    }
}

/// How `object_absent` remembers that an object existed: `Service/default/frontend`.
pub fn seen_key(kind: Kind, namespace: Option<&str>, name: &str) -> String {
    let ns = if kind.namespaced() {
        namespace.unwrap_or("default")
    } else {
        ""
    };
    format!("{}/{ns}/{name}", kind.info().name)
}

/// The `object_absent` checks of `step` whose objects exist now, as [`seen_key`]s.
pub fn existing_absence_targets(step: &Step, cluster: &Cluster) -> Vec<String> {
    let mut keys = Vec::new();
    for CheckEntry(check) in &step.checks {
        if let Check::ObjectAbsent(r) = check {
            let Ok(name) = placeholders::render(r.name.as_str(), cluster) else {
                continue;
            };
            if find_object(cluster, r.kind.0, r.namespace.as_deref(), &name).is_some() {
                keys.push(seen_key(r.kind.0, r.namespace.as_deref(), &name));
            }
        }
    }
    keys
}

/// How long an `http` check waits for an answer (real time: a request is not a lab process).
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(5);

/// Evaluate every check of a step.
pub async fn evaluate_step(step: &Step, ev: &Evidence<'_>) -> StepResult {
    let mut results = Vec::with_capacity(step.checks.len());
    for CheckEntry(check) in &step.checks {
        results.push(evaluate(check, ev).await);
    }
    StepResult { results }
}

/// Evaluate one check against the evidence.
pub async fn evaluate(check: &Check, ev: &Evidence<'_>) -> CheckResult {
    let cluster = ev.cluster;
    match check {
        Check::ObjectExists(r) => {
            let name = match placeholders::render(r.name.as_str(), cluster) {
                Ok(n) => n,
                Err(why) => return CheckResult::fail_with(why),
            };
            let kind = r.kind.0.info().name;
            match find_object(cluster, r.kind.0, r.namespace.as_deref(), &name) {
                Some(o) => CheckResult::pass(
                    format!("{kind} {}이(가) 있습니다", o.name()),
                    format!("the {kind} {} exists", o.name()),
                ),
                None => CheckResult::fail(
                    format!(
                        "{kind} {name}이(가) 아직 없습니다{}",
                        ns_note_ko(r.namespace.as_deref())
                    ),
                    format!(
                        "there is no {kind} named {name}{} yet",
                        ns_note_en(r.namespace.as_deref())
                    ),
                ),
            }
        }
        Check::ObjectAbsent(r) => {
            let name = match placeholders::render(r.name.as_str(), cluster) {
                Ok(n) => n,
                Err(why) => return CheckResult::fail_with(why),
            };
            let kind = r.kind.0.info().name;
            match find_object(cluster, r.kind.0, r.namespace.as_deref(), &name) {
                // Gone only counts for something that was there: an empty cluster has nothing
                // to clean up.
                None if !ev.seen.contains(&seen_key(r.kind.0, r.namespace.as_deref(), &name)) => CheckResult::fail(
                    format!("이 레슨에서 {kind} {name}이(가) 만들어진 적이 없어 아직 지울 것이 없습니다"),
                    format!("the {kind} {name} has not existed in this lesson yet, so there is nothing to delete"),
                ),
                None => CheckResult::pass(
                    format!("{kind} {name}은(는) 삭제되었습니다"),
                    format!("the {kind} {name} is gone"),
                ),
                Some(o) if o.meta().deletion_timestamp.is_some() => CheckResult::fail(
                    format!("{kind} {name}이(가) 종료되는 중입니다"),
                    format!("the {kind} {name} is still terminating"),
                ),
                Some(_) => CheckResult::fail(
                    format!("{kind} {name}이(가) 아직 남아 있습니다"),
                    format!("the {kind} {name} still exists"),
                ),
            }
        }
        Check::FieldEquals(f) => {
            let (name, want) = match (
                placeholders::render(f.name.as_str(), cluster),
                placeholders::render(f.value.as_str(), cluster),
            ) {
                (Ok(n), Ok(v)) => (n, v),
                (Err(why), _) | (_, Err(why)) => return CheckResult::fail_with(why),
            };
            let kind = f.kind.0.info().name;
            let Some(obj) = find_object(cluster, f.kind.0, f.namespace.as_deref(), &name) else {
                return CheckResult::fail(
                    format!("{kind} {name}이(가) 아직 없습니다"),
                    format!("there is no {kind} named {name} yet"),
                );
            };
            let got = json_value_text(&f.jsonpath, &obj.to_json());
            let path = &f.jsonpath.text;
            if got == want {
                CheckResult::pass(
                    format!("{kind} {name}의 {path}는 {want}입니다"),
                    format!("{kind} {name} has {path} = {want}"),
                )
            } else if got.is_empty() {
                CheckResult::fail(
                    format!("{kind} {name}의 {path}에 값이 없습니다 ({want}이어야 합니다)"),
                    format!("{kind} {name} has no value at {path} (expected {want})"),
                )
            } else {
                CheckResult::fail(
                    format!("{kind} {name}의 {path}는 {got}입니다 ({want}이어야 합니다)"),
                    format!("{kind} {name} has {path} = {got}, expected {want}"),
                )
            }
        }
        Check::ReadyEndpoints(r) => ready_endpoints(
            cluster,
            r.namespace.as_deref().unwrap_or("default"),
            &r.service,
            r.count,
        ),
        Check::DeploymentReady(r) => deployment_ready(cluster, r.namespace.as_deref().unwrap_or("default"), &r.name),
        Check::LoadbalancerAddress(r) => {
            loadbalancer_address(cluster, r.namespace.as_deref().unwrap_or("default"), &r.service)
        }
        Check::Http(h) => {
            let url = match placeholders::render(h.url.as_str(), cluster) {
                Ok(u) => u,
                Err(why) => return CheckResult::fail_with(why),
            };
            let body_contains = match h
                .body_contains
                .as_ref()
                .map(|b| placeholders::render(b.as_str(), cluster))
            {
                None => None,
                Some(Ok(b)) => Some(b),
                Some(Err(why)) => return CheckResult::fail_with(why),
            };
            http(cluster, &h.from, &url, h.status, body_contains.as_deref()).await
        }
        Check::CommandRan(c) => {
            let re = &c.pattern.0;
            let mut lines = ev.journal.lines.iter().filter(|l| ev.counts(Since::Step, l.at));
            match lines.rfind(|l| re.is_match(&l.text)) {
                Some(line) => {
                    CheckResult::pass(format!("실행한 명령: {}", line.text), format!("you ran: {}", line.text))
                }
                // Never the regex: it means nothing to a learner.
                None => CheckResult::fail(
                    "이 단계에서 할 명령을 아직 실행하지 않았습니다",
                    "you have not run this step's command yet",
                ),
            }
        }
        Check::Kubectl(k) => kubectl_ran(k, ev),
        Check::Traffic(t) => traffic_served(t, ev),
        Check::PodsHaveEnv(p) => pods_have_env(cluster, p),
    }
}

/// Do the running pods that `p.selector` picks see `p.var`? Read from the containers
/// themselves (what `printenv` in them prints), not from the spec: the Service variables are
/// fixed by the kubelet when a container starts.
fn pods_have_env(cluster: &Cluster, p: &super::format::PodsHaveEnv) -> CheckResult {
    let ns = p.namespace.as_deref().unwrap_or("default");
    let (sel_text, var) = (&p.selector, &p.var);
    let Ok(sel) = Selector::parse(sel_text) else {
        return CheckResult::fail(
            format!("셀렉터 {sel_text}를 읽을 수 없습니다"),
            format!("the selector {sel_text} cannot be read"),
        );
    };
    let pods: Vec<String> = cluster
        .list(Kind::Pod, Some(ns))
        .iter()
        .filter(|o| sel.matches(o.labels()) && o.meta().deletion_timestamp.is_none())
        .map(|o| o.name().to_string())
        .collect();
    let running: Vec<(String, bool)> = pods
        .iter()
        .filter_map(|name| {
            let pod = cluster.running_pod(ns, name)?;
            let has = pod.container(None).is_some_and(|c| c.ctx.env_var(var).is_some());
            Some((name.clone(), has))
        })
        .collect();
    let want = p.count.unwrap_or(1).max(1);
    let without: Vec<&str> = running
        .iter()
        .filter(|(_, has)| !has)
        .map(|(n, _)| n.as_str())
        .collect();
    if running.len() < want {
        return CheckResult::fail(
            format!(
                "{sel_text} 파드 중 실행 중인 것이 {}개입니다 ({want}개가 있어야 합니다)",
                running.len()
            ),
            format!("{} pods with {sel_text} are running, {want} are needed", running.len()),
        );
    }
    if without.is_empty() {
        return CheckResult::pass(
            format!("실행 중인 {sel_text} 파드 {}개 모두에 {var}가 있습니다", running.len()),
            format!("all {} running pods with {sel_text} have {var}", running.len()),
        );
    }
    let names = without.join(", ");
    CheckResult::fail(
        format!(
            "{names}에는 {var}가 없습니다: 서비스보다 먼저 시작된 파드입니다. 지우면 새로 만들어지는 파드가 받습니다"
        ),
        format!(
            "{names} do not have {var}: they started before the Service existed. Delete them; the pods that replace them get it"
        ),
    )
}

/// The command a kubectl check wants, in words: "kubectl describe on the Deployment backend
/// with --watch" (plain text: the status line shows it as it is, without markdown).
pub fn describe_kubectl(k: &KubectlCheck) -> I18n {
    let target_en = match (&k.kind, &k.name) {
        (Some(kind), Some(name)) => format!(" on the {} {name}", kind.info().name),
        (Some(kind), None) => format!(" on {}", kind.info().plural),
        _ => String::new(),
    };
    let target_ko = match (&k.kind, &k.name) {
        (Some(kind), Some(name)) => format!(" ({} {name} 대상)", kind.info().name),
        (Some(kind), None) => format!(" ({} 대상)", kind.info().name),
        _ => String::new(),
    };
    let flags: Vec<&str> = k.flags.iter().map(|(_, _, written)| written.as_str()).collect();
    let (flags_en, flags_ko) = if flags.is_empty() {
        (String::new(), String::new())
    } else {
        let f = flags.join(" ");
        (format!(" with {f}"), format!(", {f} 포함"))
    };
    let ns_en = k
        .namespace
        .as_ref()
        .map(|n| format!(" in namespace {n}"))
        .unwrap_or_default();
    let ns_ko = k
        .namespace
        .as_ref()
        .map(|n| format!(", 네임스페이스 {n}"))
        .unwrap_or_default();
    I18n::new(
        format!("{}{target_ko}{flags_ko}{ns_ko}", verbs(&k.verbs, " 또는 ")),
        format!("{}{target_en}{flags_en}{ns_en}", verbs(&k.verbs, " or ")),
    )
}

/// `kubectl apply or kubectl create`.
fn verbs(verbs: &[String], or: &str) -> String {
    verbs
        .iter()
        .map(|v| format!("kubectl {v}"))
        .collect::<Vec<_>>()
        .join(or)
}

/// Does one kubectl invocation do what `k` asks?
fn kubectl_matches(k: &KubectlCheck, rec: &KubectlRecord) -> bool {
    let Some(inv) = invocation::parse(&rec.argv) else {
        return false;
    };
    if !k.verbs.iter().any(|v| v == inv.verb) || !k.flags.iter().all(|(long, value, _)| inv.has_flag(long, value)) {
        return false;
    }
    let ns_ok = |ns: Option<&str>| match (&k.namespace, ns) {
        (None, _) | (_, None) => true,
        (Some(want), Some(got)) => want == got,
    };
    let Some(kind) = k.kind else {
        return ns_ok(inv.namespace().as_deref());
    };
    let on_line = inv.named().into_iter().any(|n| {
        n.kind == kind
            && match (&k.name, &n.name) {
                (None, _) => true,
                (Some(want), Some(got)) => want == got,
                (Some(_), None) => false,
            }
    }) && ns_ok(inv.namespace().as_deref());
    let flag_ns = inv.parsed.get("namespace").map(str::to_string);
    let in_files = rec.objects.iter().any(|o| {
        o.kind == kind
            && k.name.as_ref().is_none_or(|n| *n == o.name)
            && ns_ok(Some(o.namespace.as_deref().or(flag_ns.as_deref()).unwrap_or("default")))
    });
    on_line || in_files
}

fn kubectl_ran(k: &KubectlCheck, ev: &Evidence<'_>) -> CheckResult {
    let want = describe_kubectl(k);
    let mut failed = None;
    for rec in ev.journal.kubectl.iter().rev().filter(|r| ev.counts(k.since, r.at)) {
        if !kubectl_matches(k, rec) {
            continue;
        }
        let line = format!("kubectl {}", rec.argv.join(" "));
        match (rec.status, k.succeeded) {
            // Still running or stopped (a watch ended by Ctrl+C or `timeout`): it ran.
            (None | Some(0), true) => {
                return CheckResult::pass(format!("실행한 명령: {line}"), format!("you ran: {line}"));
            }
            (Some(code), false) if code != 0 => {
                return CheckResult::pass(
                    format!("kubectl이 거절했습니다: {line}"),
                    format!("kubectl refused: {line}"),
                );
            }
            (Some(code), true) => {
                failed.get_or_insert((line, code));
            }
            (_, false) => {}
        }
    }
    if !k.succeeded {
        let when_ko = if k.since == Since::Step {
            "이 단계에서 "
        } else {
            ""
        };
        let when_en = if k.since == Since::Step { " in this step" } else { "" };
        return CheckResult::fail(
            format!(
                "{when_ko}kubectl이 {} 명령을 거절하는 것을 아직 보지 못했습니다",
                want.ko
            ),
            format!("you have not seen kubectl refuse {}{when_en} yet", want.en),
        );
    }
    let when_ko = if k.since == Since::Step {
        "이 단계에서 "
    } else {
        ""
    };
    let when_en = if k.since == Since::Step { " in this step" } else { "" };
    match failed {
        Some((line, code)) => CheckResult::fail(
            format!(
                "{line} 명령이 오류로 끝났습니다 (종료 코드 {code}): 출력된 오류를 고쳐 {} 명령을 다시 실행하세요",
                want.ko
            ),
            format!(
                "{line} ended with an error (exit status {code}): fix what it says and run {} again",
                want.en
            ),
        ),
        None => CheckResult::fail(
            format!("{when_ko}아직 {} 명령을 실행하지 않았습니다", want.ko),
            format!("you have not run {}{when_en} yet", want.en),
        ),
    }
}

/// The request a traffic check wants, in words.
pub fn describe_traffic(t: &TrafficCheck) -> I18n {
    let (mut ko, mut en) = (Vec::<String>::new(), Vec::<String>::new());
    match &t.from {
        TrafficFrom::Any => {}
        TrafficFrom::Host => {
            ko.push("내 컴퓨터(호스트)에서".into());
            en.push("from your machine".into());
        }
        TrafficFrom::Pod(None) => {
            ko.push("파드 안에서".into());
            en.push("from inside a pod".into());
        }
        TrafficFrom::Pod(Some(p)) => {
            ko.push(format!("파드 {p}…에서"));
            en.push(format!("from the pod {p}…"));
        }
        TrafficFrom::Node(None) => {
            ko.push("노드에서".into());
            en.push("from a node".into());
        }
        TrafficFrom::Node(Some(n)) => {
            ko.push(format!("노드 {n}에서"));
            en.push(format!("from the node {n}"));
        }
    }
    if let Some(svc) = &t.service {
        ko.push(format!("Service {svc}을(를) 거쳐"));
        en.push(format!("through the Service {svc}"));
    }
    match t.via {
        Some(Via::NodePort) => {
            ko.push("노드 주소의 NodePort로".into());
            en.push("to a node's address (NodePort)".into());
        }
        Some(Via::LoadBalancer) => {
            ko.push("로드밸런서 주소(EXTERNAL-IP)로".into());
            en.push("to the load balancer's address (EXTERNAL-IP)".into());
        }
        Some(Via::ClusterIp) => {
            ko.push("ClusterIP로".into());
            en.push("to the ClusterIP".into());
        }
        None => {}
    }
    if let Some(n) = &t.node {
        ko.push(format!("노드 {n}의 주소로"));
        en.push(format!("to the address of node {n}"));
    }
    if let Some(p) = t.to_port {
        ko.push(format!("포트 {p}로"));
        en.push(format!("on port {p}"));
    }
    if let Some(p) = &t.served_by {
        ko.push(format!("파드 {p}…가 응답한"));
        en.push(format!("answered by a pod {p}…"));
    }
    if let Some(s) = t.status.filter(|_| t.answered) {
        ko.push(format!("상태 코드 {s}인"));
        en.push(format!("with status {s}"));
    }
    I18n::new(ko.join(" "), en.join(" "))
}

/// `host via default/x:80` → `host`.
fn sender(from: &str) -> &str {
    from.split_once(" via ").map_or(from, |(who, _)| who)
}

/// `default/hello:80` or `default/hello:53/UDP` → (`default`, `hello`).
fn service_of(label: &str) -> Option<(&str, &str)> {
    let (ns, rest) = label.split_once('/')?;
    Some((ns, rest.split(':').next()?))
}

fn node_ip(cluster: &Cluster, name: &str) -> Option<Ipv4Addr> {
    let node = cluster.get(Kind::Node, "", name)?;
    let addrs = node.as_node()?.status.as_ref()?.addresses.clone()?;
    addrs
        .iter()
        .find(|a| a.type_ == "InternalIP")
        .and_then(|a| a.address.parse().ok())
}

fn node_ips(cluster: &Cluster) -> Vec<Ipv4Addr> {
    cluster
        .list(Kind::Node, None)
        .iter()
        .filter_map(|n| node_ip(cluster, n.name()))
        .collect()
}

fn lb_ips(cluster: &Cluster) -> Vec<Ipv4Addr> {
    cluster
        .list(Kind::Service, None)
        .iter()
        .filter_map(|o| o.as_service()?.status.as_ref()?.load_balancer.as_ref()?.ingress.clone())
        .flatten()
        .filter_map(|i| i.ip?.parse().ok())
        .collect()
}

fn traffic_served(t: &TrafficCheck, ev: &Evidence<'_>) -> CheckResult {
    let cluster = ev.cluster;
    let want = describe_traffic(t);
    let node_addr = match &t.node {
        Some(n) => match node_ip(cluster, n) {
            Some(ip) => Some(ip),
            None => {
                return CheckResult::fail(format!("노드 {n}이(가) 없습니다"), format!("there is no node {n}"));
            }
        },
        None => None,
    };
    let (nodes, lbs) = (node_ips(cluster), lb_ips(cluster));
    let served: Vec<&TrafficRecord> = ev
        .traffic
        .iter()
        .filter(|r| !r.event.probe && r.event.pod.is_some() == t.answered && ev.counts(t.since, r.at))
        .collect();
    let matches = |r: &&&TrafficRecord| {
        let e = &r.event;
        let who = sender(&e.from);
        let from_ok = match &t.from {
            TrafficFrom::Any => true,
            TrafficFrom::Host => who == "host",
            TrafficFrom::Pod(p) => who
                .strip_prefix("pod/")
                .is_some_and(|n| p.as_ref().is_none_or(|p| n.starts_with(p.as_str()))),
            TrafficFrom::Node(n) => who
                .strip_prefix("node/")
                .is_some_and(|got| n.as_ref().is_none_or(|n| got == n)),
        };
        let svc = e.service.as_deref().and_then(service_of);
        let service_ok = t.service.as_ref().is_none_or(|want| {
            svc.is_some_and(|(ns, name)| name == want && t.namespace.as_deref().is_none_or(|w| w == ns))
        });
        let ip = e.dialled.map(|d| *d.ip());
        let via_ok = match t.via {
            None => true,
            Some(Via::NodePort) => ip.is_some_and(|ip| nodes.contains(&ip)),
            Some(Via::LoadBalancer) => ip.is_some_and(|ip| lbs.contains(&ip)),
            Some(Via::ClusterIp) => ip.is_some_and(crate::runtime::net::addresses::in_service_cidr),
        };
        let node_ok = node_addr.is_none_or(|n| ip == Some(n));
        let port_ok = t.to_port.is_none_or(|p| e.dialled.map(|d| d.port()) == Some(p));
        let pod_ok = t.served_by.as_ref().is_none_or(|prefix| {
            e.pod
                .as_deref()
                .is_some_and(|p| p.rsplit_once('/').map_or(p, |(_, n)| n).starts_with(prefix.as_str()))
        });
        let status_ok = !t.answered || t.status.is_none_or(|s| e.status == Some(s));
        from_ok && service_ok && via_ok && node_ok && port_ok && pod_ok && status_ok
    };
    let hits: Vec<&&TrafficRecord> = served.iter().filter(matches).collect();
    // A pod's HTTP server and kube-proxy both report one request; count the server's reports
    // when there are any.
    let http = hits.iter().filter(|r| r.event.status.is_some()).count();
    let n = if http > 0 { http } else { hits.len() };
    if n >= t.count && !t.answered {
        let last = &hits[hits.len() - 1].event;
        let to = last.dialled.map(|d| d.to_string()).unwrap_or_default();
        return CheckResult::pass(
            format!(
                "{to}(으)로 보낸 요청에는 아무 파드도 응답하지 않았습니다: {}",
                last.summary
            ),
            format!("nothing answered the request to {to}: {}", last.summary),
        );
    }
    if !t.answered {
        let when_ko = if t.since == Since::Step {
            "이 단계에서 "
        } else {
            ""
        };
        let when_en = if t.since == Since::Step { " in this step" } else { "" };
        return CheckResult::fail(
            format!(
                "{when_ko}아직 {} 요청을 보내 보지 않았습니다 (응답이 없어야 합니다)",
                want.ko
            ),
            format!(
                "you have not sent a request {}{when_en} yet (it should get no answer)",
                want.en
            ),
        );
    }
    if n >= t.count {
        let last = &hits[hits.len() - 1].event;
        let (who, pod) = (sender(&last.from), last.pod.clone().unwrap_or_default());
        let answer = last.status.map(|s| format!(" ({s})")).unwrap_or_default();
        return CheckResult::pass(
            format!("{who}의 요청을 {pod}이(가) 응답했습니다{answer}"),
            format!("a request from {who} was answered by {pod}{answer}"),
        );
    }
    let when_ko = if t.since == Since::Step {
        "이 단계에서 "
    } else {
        ""
    };
    let when_en = if t.since == Since::Step { " in this step" } else { "" };
    if n > 0 {
        // Some matching requests were served, just not enough of them.
        let more = t.count - n;
        return CheckResult::fail(
            format!(
                "{when_ko}{} 요청을 {}번 중 {n}번 처리했습니다: {more}번 더 보내세요",
                want.ko, t.count
            ),
            format!(
                "the lab served {n} of the {} requests {}{when_en} so far: send {more} more",
                t.count, want.en
            ),
        );
    }
    // What the lab did serve helps a learner who sent the request a slightly wrong way.
    let seen = served.last().map(|r| {
        let e = &r.event;
        let to = e.dialled.map(|d| format!(" → {d}")).unwrap_or_default();
        let via = e
            .service
            .as_deref()
            .map(|s| format!(" → Service {s}"))
            .unwrap_or_default();
        let status = e.status.map(|s| format!(" ({s})")).unwrap_or_default();
        format!(
            "{}{to}{via} → {}{status}",
            sender(&e.from),
            e.pod.clone().unwrap_or_default()
        )
    });
    let (seen_ko, seen_en) = match seen {
        Some(s) => (
            format!("; 마지막으로 처리된 요청: {s}"),
            format!("; the last request served was {s}"),
        ),
        None => (String::new(), String::new()),
    };
    CheckResult::fail(
        format!("{when_ko}아직 랩이 {} 요청을 처리한 적이 없습니다{seen_ko}", want.ko),
        format!("the lab has not served a request {}{when_en} yet{seen_en}", want.en),
    )
}

fn ns_note_ko(ns: Option<&str>) -> String {
    ns.map(|n| format!(" (네임스페이스 {n})")).unwrap_or_default()
}

fn ns_note_en(ns: Option<&str>) -> String {
    ns.map(|n| format!(" in namespace {n}")).unwrap_or_default()
}

fn pod_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

fn ready_addresses(ep: &Endpoints) -> usize {
    ep.subsets
        .iter()
        .flatten()
        .map(|s| s.addresses.as_ref().map_or(0, Vec::len))
        .sum()
}

fn ready_endpoints(cluster: &Cluster, ns: &str, name: &str, want: usize) -> CheckResult {
    let Some(svc_obj) = cluster.get(Kind::Service, ns, name) else {
        return CheckResult::fail(
            format!("Service {name}이(가) 아직 없습니다"),
            format!("there is no Service named {name} yet"),
        );
    };
    let have = cluster
        .get(Kind::Endpoints, ns, name)
        .and_then(|o| o.as_endpoints().map(ready_addresses))
        .unwrap_or(0);
    if have == want {
        return CheckResult::pass(
            format!("Service {name}에 준비된 엔드포인트가 {have}개 있습니다"),
            format!("the Service {name} has {have} ready endpoints"),
        );
    }
    let head_ko = format!("Service {name}의 준비된 엔드포인트는 {have}개입니다 ({want}개여야 합니다)");
    let head_en = format!("the Service {name} has {have} ready endpoints, expected {want}");
    let selector = svc_obj
        .as_service()
        .and_then(|s| s.spec.as_ref())
        .and_then(|s| s.selector.clone())
        .unwrap_or_default();
    if selector.is_empty() {
        return CheckResult::fail(
            format!("{head_ko}: 셀렉터가 없어서 파드를 고르지 않습니다"),
            format!("{head_en}: it has no selector, so it picks no pods"),
        );
    }
    let sel_text = selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    let sel = Selector::from_map(&selector);
    let pods = cluster.list(Kind::Pod, Some(ns));
    let matching: Vec<_> = pods
        .iter()
        .filter(|p| sel.matches(p.labels()) && p.meta().deletion_timestamp.is_none())
        .collect();
    let ready = matching.iter().filter(|p| p.as_pod().is_some_and(pod_ready)).count();
    if matching.is_empty() {
        CheckResult::fail(
            format!("{head_ko}: 셀렉터 {sel_text}와(과) 맞는 파드가 없습니다"),
            format!("{head_en}: its selector {sel_text} matches no pod"),
        )
    } else if ready < want && ready == have {
        CheckResult::fail(
            format!(
                "{head_ko}: 셀렉터 {sel_text}와(과) 맞는 파드 {}개 중 {ready}개만 Ready입니다",
                matching.len()
            ),
            format!(
                "{head_en}: {} pods match its selector {sel_text}, {ready} of them Ready",
                matching.len()
            ),
        )
    } else {
        CheckResult::fail(
            format!(
                "{head_ko}: 셀렉터 {sel_text}와(과) 맞는 파드가 {}개, 그중 Ready {ready}개",
                matching.len()
            ),
            format!(
                "{head_en}: its selector {sel_text} matches {} pods, {ready} of them Ready",
                matching.len()
            ),
        )
    }
}

fn deployment_ready(cluster: &Cluster, ns: &str, name: &str) -> CheckResult {
    let obj = cluster.get(Kind::Deployment, ns, name);
    let Some(d) = obj.as_deref().and_then(Object::as_deployment) else {
        return CheckResult::fail(
            format!("Deployment {name}이(가) 아직 없습니다"),
            format!("there is no Deployment named {name} yet"),
        );
    };
    let want = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    let st = d.status.clone().unwrap_or_default();
    let (ready, updated) = (st.ready_replicas.unwrap_or(0), st.updated_replicas.unwrap_or(0));
    let observed = st.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0);
    if ready >= want && updated >= want && observed {
        CheckResult::pass(
            format!("Deployment {name}의 파드 {want}개가 모두 준비되었습니다"),
            format!("the Deployment {name} has all {want} pods ready"),
        )
    } else {
        CheckResult::fail(
            format!("Deployment {name}의 파드 {want}개 중 {ready}개가 준비되었습니다"),
            format!("the Deployment {name} has {ready} of {want} pods ready"),
        )
    }
}

fn loadbalancer_address(cluster: &Cluster, ns: &str, name: &str) -> CheckResult {
    let obj = cluster.get(Kind::Service, ns, name);
    let Some(svc) = obj.as_deref().and_then(Object::as_service) else {
        return CheckResult::fail(
            format!("Service {name}이(가) 아직 없습니다"),
            format!("there is no Service named {name} yet"),
        );
    };
    let ty = svc
        .spec
        .as_ref()
        .and_then(|s| s.type_.clone())
        .unwrap_or_else(|| "ClusterIP".into());
    if ty != "LoadBalancer" {
        return CheckResult::fail(
            format!("Service {name}의 타입은 {ty}입니다 (LoadBalancer여야 합니다)"),
            format!("the Service {name} is of type {ty}, not LoadBalancer"),
        );
    }
    let ingress = svc
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .and_then(|i| i.first())
        .and_then(|i| i.ip.clone().or_else(|| i.hostname.clone()));
    match ingress {
        Some(addr) => CheckResult::pass(
            format!("Service {name}의 EXTERNAL-IP는 {addr}입니다"),
            format!("the Service {name} has the external address {addr}"),
        ),
        None => CheckResult::fail(
            format!("Service {name}의 EXTERNAL-IP가 아직 <pending>입니다"),
            format!("the Service {name} is still <pending>: no external address yet"),
        ),
    }
}

/// Where an HTTP check's request starts.
fn origin(cluster: &Cluster, from: &HttpFrom) -> Result<Origin, I18n> {
    match from {
        HttpFrom::Host => Ok(Origin::Host),
        HttpFrom::Node(name) => {
            let nodes = cluster.list(Kind::Node, None);
            let node = match name {
                Some(n) => nodes.iter().find(|o| o.name() == n),
                None => nodes.first(),
            };
            let Some(node) = node else {
                let n = name.clone().unwrap_or_default();
                return Err(I18n::new(
                    format!("노드 {n}이(가) 없습니다"),
                    format!("there is no node {n}"),
                ));
            };
            let ip = node
                .as_node()
                .and_then(|n| n.status.as_ref())
                .and_then(|s| s.addresses.as_ref())
                .and_then(|a| a.iter().find(|a| a.type_ == "InternalIP"))
                .and_then(|a| a.address.parse::<Ipv4Addr>().ok());
            match ip {
                Some(ip) => Ok(Origin::Node {
                    name: node.name().to_string(),
                    ip,
                }),
                None => Err(I18n::new(
                    format!("노드 {}에 주소가 없습니다", node.name()),
                    format!("the node {} has no address", node.name()),
                )),
            }
        }
        HttpFrom::Pod(prefix) => {
            let pod = find_object(cluster, Kind::Pod, None, prefix);
            let running = pod.as_ref().and_then(|o| match o.as_ref() {
                Object::Pod(p) => {
                    let st = p.status.as_ref()?;
                    (st.phase.as_deref() == Some("Running")).then_some(())?;
                    st.pod_ip.as_ref()?.parse::<Ipv4Addr>().ok()
                }
                _ => None,
            });
            match (pod, running) {
                (Some(o), Some(ip)) => Ok(Origin::Pod {
                    namespace: o.namespace().to_string(),
                    name: o.name().to_string(),
                    ip,
                }),
                (Some(o), None) => Err(I18n::new(
                    format!("파드 {}이(가) 아직 실행 중이 아닙니다", o.name()),
                    format!("the pod {} is not running yet", o.name()),
                )),
                (None, _) => Err(I18n::new(
                    format!("이름이 {prefix}(으)로 시작하는 파드가 없습니다"),
                    format!("there is no pod whose name starts with {prefix}"),
                )),
            }
        }
    }
}

/// The parts of curl's output an HTTP check looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HttpAnswer {
    status: Option<u16>,
    body: String,
}

/// Split `curl -i` output into status and body; without headers the whole output is the body.
fn parse_curl_output(text: &str) -> HttpAnswer {
    if text.starts_with("HTTP/") {
        let status = text
            .lines()
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok());
        let body = match (text.find("\r\n\r\n"), text.find("\n\n")) {
            (Some(a), Some(b)) if b < a => &text[b + 2..],
            (Some(a), _) => &text[a + 4..],
            (None, Some(b)) => &text[b + 2..],
            (None, None) => "",
        };
        HttpAnswer {
            status,
            body: body.to_string(),
        }
    } else {
        HttpAnswer {
            status: None,
            body: text.to_string(),
        }
    }
}

async fn http(
    cluster: &Cluster,
    from: &HttpFrom,
    url: &str,
    status: Option<u16>,
    body_contains: Option<&str>,
) -> CheckResult {
    let origin = match origin(cluster, from) {
        Ok(o) => o,
        Err(why) => return CheckResult::fail_with(why),
    };
    let mut args = vec!["-s".to_string(), "-S".to_string()];
    if status.is_some() {
        args.push("-i".into());
    }
    if url.starts_with("https://") {
        args.push("-k".into());
    }
    args.push(url.to_string());
    let (out, buf) = Output::buffer();
    // The request is a probe: marked through every hop, left out of the learner's traffic.
    let code = tokio::time::timeout(
        HTTP_TIMEOUT,
        crate::runtime::net::traffic_log::probing(crate::runtime::pod_shell::curl(cluster, &origin, &args, &out)),
    )
    .await;
    let who = origin.label();
    let code = match code {
        Ok(c) => c,
        Err(_) => {
            return CheckResult::fail(
                format!(
                    "{who}에서 보낸 {url} 요청에 {}초 동안 응답이 없습니다",
                    HTTP_TIMEOUT.as_secs()
                ),
                format!(
                    "a request from {who} to {url} got no answer within {} seconds",
                    HTTP_TIMEOUT.as_secs()
                ),
            )
        }
    };
    if code != 0 {
        let err = buf.stderr().trim().to_string();
        return CheckResult::fail(
            format!("{who}에서 {url} 요청이 실패했습니다: {err}"),
            format!("a request from {who} to {url} failed: {err}"),
        );
    }
    let answer = parse_curl_output(&buf.stdout());
    if let Some(want) = status {
        if answer.status != Some(want) {
            let got = answer.status.map_or("?".to_string(), |s| s.to_string());
            return CheckResult::fail(
                format!("{who}에서 {url} 요청의 상태 코드는 {got}입니다 ({want}이어야 합니다)"),
                format!("a request from {who} to {url} got status {got}, expected {want}"),
            );
        }
    }
    if let Some(needle) = body_contains {
        if !answer.body.contains(needle) {
            let shown: String = answer.body.trim().chars().take(120).collect();
            return CheckResult::fail(
                format!("{who}에서 {url} 요청의 응답에 {needle}이(가) 없습니다 (받은 응답: {shown})"),
                format!("the answer from {url} (asked from {who}) does not contain {needle}; it was: {shown}"),
            );
        }
    }
    let body: String = answer.body.trim().chars().take(120).collect();
    CheckResult::pass(
        format!("{who}에서 {url} 요청 성공: {body}"),
        format!("{url} answered {who}: {body}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::format::parse;
    use crate::runtime::Key;
    use k8s_openapi::api::apps::v1::DeploymentStatus;
    use k8s_openapi::api::core::v1::{
        EndpointAddress, EndpointSubset, LoadBalancerIngress, LoadBalancerStatus, PodCondition, PodStatus, Service,
        ServicePort, ServiceSpec, ServiceStatus,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    /// Decode the checks of a one-step lesson written inline.
    fn checks(yaml: &str) -> Vec<Check> {
        let text = format!(
            "format_version: 1\nid: t\nslug: t\ntitle: {{en: T}}\nsteps:\n- id: s\n  title: {{en: S}}\n  checks:\n{}",
            yaml.lines().map(|l| format!("  {l}\n")).collect::<String>()
        );
        parse("t.yaml", &text)
            .unwrap()
            .steps
            .remove(0)
            .checks
            .into_iter()
            .map(|c| c.0)
            .collect()
    }

    fn one(yaml: &str) -> Check {
        checks(yaml).remove(0)
    }

    fn meta(name: &str, labels: &[(&str, &str)]) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            labels: Some(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
            ..Default::default()
        }
    }

    fn service(name: &str, selector: &[(&str, &str)], ty: &str) -> Object {
        Object::Service(Service {
            metadata: meta(name, &[]),
            spec: Some(ServiceSpec {
                selector: Some(selector.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
                ports: Some(vec![ServicePort {
                    port: 80,
                    ..Default::default()
                }]),
                type_: Some(ty.into()),
                ..Default::default()
            }),
            status: None,
        })
    }

    /// A pod as a kubelet reports it, with no spec: it goes into the store directly, past the
    /// API's validation (which would ask for containers), and no controller touches it.
    fn pod(name: &str, labels: &[(&str, &str)], ready: bool) -> Object {
        Object::Pod(Pod {
            metadata: meta(name, labels),
            spec: None,
            status: Some(PodStatus {
                phase: Some(if ready { "Running" } else { "Pending" }.into()),
                pod_ip: Some("10.244.1.5".into()),
                conditions: Some(vec![PodCondition {
                    type_: "Ready".into(),
                    status: if ready { "True" } else { "False" }.into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        })
    }

    /// Put (or replace) the Endpoints object with `n` ready addresses, as the endpoints
    /// controller would.
    fn set_endpoints(cluster: &Cluster, name: &str, n: u8) {
        let ep = Endpoints {
            metadata: meta(name, &[]),
            subsets: Some(vec![EndpointSubset {
                addresses: Some(
                    (0..n)
                        .map(|i| EndpointAddress {
                            ip: format!("10.244.1.{i}"),
                            ..Default::default()
                        })
                        .collect(),
                ),
                ..Default::default()
            }]),
        };
        if cluster.get(Kind::Endpoints, "default", name).is_some() {
            cluster.put_stored(Object::Endpoints(ep.clone()));
        } else {
            cluster.create(Object::Endpoints(ep)).unwrap();
        }
    }

    async fn lab(block: u8) -> Cluster {
        Cluster::start(crate::lessons::test_config(block)).await.unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn object_exists_and_absent() {
        let cluster = lab(61).await;
        let exists = one("- object_exists: {kind: svc, name: hello}");
        let absent = one("- object_absent: {kind: Service, name: hello}");
        let r = evaluate(&exists, &Evidence::cluster_only(&cluster)).await;
        assert!(!r.passed);
        assert_eq!(r.reason.en, "there is no Service named hello yet");
        assert!(
            !evaluate(&absent, &Evidence::cluster_only(&cluster)).await.passed,
            "never there, so not deleted either"
        );
        cluster
            .create(service("hello", &[("app", "hello")], "ClusterIP"))
            .unwrap();
        assert!(evaluate(&exists, &Evidence::cluster_only(&cluster)).await.passed);
        let r = evaluate(&absent, &Evidence::cluster_only(&cluster)).await;
        assert!(!r.passed);
        assert_eq!(r.reason.en, "the Service hello still exists");
        let in_ns = one("- object_exists: {kind: svc, name: kube-dns, namespace: kube-system}");
        assert!(evaluate(&in_ns, &Evidence::cluster_only(&cluster)).await.passed);
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn ready_endpoints_explains_a_selector_that_matches_nothing() {
        let cluster = lab(62).await;
        let check = one("- ready_endpoints: {service: hello, count: 3}");
        assert_eq!(
            evaluate(&check, &Evidence::cluster_only(&cluster)).await.reason.en,
            "there is no Service named hello yet"
        );
        cluster
            .create(service("hello", &[("app", "helo")], "ClusterIP"))
            .unwrap();
        for i in 0..3 {
            cluster.put_stored(pod(&format!("backend-{i}"), &[("app", "hello")], true));
        }
        let r = evaluate(&check, &Evidence::cluster_only(&cluster)).await;
        assert!(!r.passed);
        assert_eq!(
            r.reason.en,
            "the Service hello has 0 ready endpoints, expected 3: its selector app=helo matches no pod"
        );
        assert!(r.reason.ko.contains("app=helo"));

        cluster.put_stored(service("hello", &[("app", "hello")], "ClusterIP"));
        cluster.put_stored(pod("backend-2", &[("app", "hello")], false));
        set_endpoints(&cluster, "hello", 2);
        let r = evaluate(&check, &Evidence::cluster_only(&cluster)).await;
        assert_eq!(
            r.reason.en,
            "the Service hello has 2 ready endpoints, expected 3: 3 pods match its selector app=hello, 2 of them Ready"
        );

        set_endpoints(&cluster, "hello", 3);
        let r = evaluate(&check, &Evidence::cluster_only(&cluster)).await;
        assert!(r.passed, "{r:?}");
        assert_eq!(r.reason.en, "the Service hello has 3 ready endpoints");
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn deployment_ready_counts_ready_replicas() {
        let cluster = lab(63).await;
        let check = one("- deployment_ready: {name: backend}");
        assert!(!evaluate(&check, &Evidence::cluster_only(&cluster)).await.passed);
        let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: backend}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: hello}}\n  template:\n    metadata: {labels: {app: hello}}\n    spec: {containers: [{name: hello, image: 'gcr.io/google-samples/hello-go-gke:1.0'}]}\n";
        for obj in crate::runtime::manifest::decode_manifests(manifest, "t") {
            cluster.create(obj.unwrap()).unwrap();
        }
        let key = Key::new(Kind::Deployment, "default", "backend");
        let set_ready = |n: i32| {
            cluster
                .modify_status(key.kind, &key.namespace, &key.name, |o| {
                    if let Object::Deployment(d) = o {
                        d.status = Some(DeploymentStatus {
                            ready_replicas: Some(n),
                            updated_replicas: Some(3),
                            replicas: Some(3),
                            observed_generation: Some(1),
                            ..Default::default()
                        });
                    }
                })
                .unwrap();
        };
        set_ready(1);
        let r = evaluate(&check, &Evidence::cluster_only(&cluster)).await;
        assert!(!r.passed);
        assert_eq!(r.reason.en, "the Deployment backend has 1 of 3 pods ready");
        set_ready(3);
        assert!(evaluate(&check, &Evidence::cluster_only(&cluster)).await.passed);
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn loadbalancer_address_waits_for_ingress() {
        let cluster = lab(64).await;
        let check = one("- loadbalancer_address: {service: frontend}");
        cluster
            .create(service("frontend", &[("tier", "frontend")], "ClusterIP"))
            .unwrap();
        assert_eq!(
            evaluate(&check, &Evidence::cluster_only(&cluster)).await.reason.en,
            "the Service frontend is of type ClusterIP, not LoadBalancer"
        );
        let key = Key::new(Kind::Service, "default", "frontend");
        cluster.put_stored(service("frontend", &[("tier", "frontend")], "LoadBalancer"));
        assert_eq!(
            evaluate(&check, &Evidence::cluster_only(&cluster)).await.reason.en,
            "the Service frontend is still <pending>: no external address yet"
        );
        cluster
            .modify_status(key.kind, &key.namespace, &key.name, |o| {
                if let Object::Service(s) = o {
                    s.status = Some(ServiceStatus {
                        load_balancer: Some(LoadBalancerStatus {
                            ingress: Some(vec![LoadBalancerIngress {
                                ip: Some("127.0.1.1".into()),
                                ..Default::default()
                            }]),
                        }),
                        ..Default::default()
                    });
                }
            })
            .unwrap();
        let r = evaluate(&check, &Evidence::cluster_only(&cluster)).await;
        assert!(r.passed);
        assert!(r.reason.en.contains("127.0.1.1"));
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn field_equals_reads_jsonpath_and_placeholders() {
        let cluster = lab(65).await;
        cluster
            .create(service("frontend", &[("tier", "frontend")], "LoadBalancer"))
            .unwrap();
        let ok = one("- field_equals: {kind: svc, name: frontend, jsonpath: '{.spec.type}', value: LoadBalancer}");
        assert!(evaluate(&ok, &Evidence::cluster_only(&cluster)).await.passed);
        let port = one("- field_equals: {kind: svc, name: frontend, jsonpath: '{.spec.ports[0].port}', value: 80}");
        assert!(evaluate(&port, &Evidence::cluster_only(&cluster)).await.passed);
        let wrong = one("- field_equals: {kind: svc, name: frontend, jsonpath: .spec.type, value: NodePort}");
        assert_eq!(
            evaluate(&wrong, &Evidence::cluster_only(&cluster)).await.reason.en,
            "Service frontend has .spec.type = LoadBalancer, expected NodePort"
        );
        let live = one("- field_equals: {kind: svc, name: kubernetes, jsonpath: .spec.clusterIP, value: '{{svc:kubernetes:cluster_ip}}'}");
        assert!(evaluate(&live, &Evidence::cluster_only(&cluster)).await.passed);
        cluster.shutdown();
    }

    /// A journal holding `lines` as if typed (kubectl invocations are not parsed here).
    fn typed(lines: &[&str]) -> Journal {
        let j = Journal::default();
        for l in lines {
            j.record_line(l);
        }
        j
    }

    #[tokio::test(start_paused = true)]
    async fn command_ran_searches_history_and_never_shows_its_regex() {
        let cluster = lab(66).await;
        let check = one("- command_ran: {pattern: '^kubectl get (svc|services?) frontend .*--watch'}");
        let j = typed(&["kubectl get pods"]);
        let r = evaluate(&check, &Evidence::new(&cluster, &j, None, BTreeSet::new())).await;
        assert!(!r.passed);
        assert_eq!(r.reason.en, "you have not run this step's command yet");
        assert!(!r.reason.ko.contains("kubectl get (svc"), "{:?}", r.reason);
        let j = typed(&["kubectl get svc frontend --watch", "ls"]);
        let r = evaluate(&check, &Evidence::new(&cluster, &j, None, BTreeSet::new())).await;
        assert!(r.passed);
        assert_eq!(r.reason.en, "you ran: kubectl get svc frontend --watch");
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn http_explains_where_it_could_not_start() {
        let cluster = lab(67).await;
        let from_pod = one("- http: {from: 'pod:frontend', url: 'http://hello', body_contains: Hello}");
        assert_eq!(
            evaluate(&from_pod, &Evidence::cluster_only(&cluster)).await.reason.en,
            "there is no pod whose name starts with frontend"
        );
        cluster.put_stored(pod("frontend-abc", &[("tier", "frontend")], false));
        assert_eq!(
            evaluate(&from_pod, &Evidence::cluster_only(&cluster)).await.reason.en,
            "the pod frontend-abc is not running yet"
        );
        let to_pending = one("- http: {url: 'http://{{svc:frontend:external_ip}}'}");
        cluster
            .create(service("frontend", &[("tier", "frontend")], "LoadBalancer"))
            .unwrap();
        let r = evaluate(&to_pending, &Evidence::cluster_only(&cluster)).await;
        assert!(!r.passed);
        assert!(r.reason.en.contains("no external address yet"), "{r:?}");
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn pods_have_env_reads_what_the_running_containers_see() {
        let cluster = lab(89).await;
        let check = one("- pods_have_env: {selector: app=web, var: WEB_SERVICE_HOST, count: 2}");
        let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: luksa/kubia}]}\n";
        for obj in crate::runtime::manifest::decode_manifests(deploy, "t") {
            cluster.create(obj.unwrap()).unwrap();
        }
        let running = |c: &Cluster| {
            c.list(Kind::Pod, Some("default"))
                .iter()
                .filter(|p| p.meta().deletion_timestamp.is_none() && c.running_pod("default", p.name()).is_some())
                .count()
                == 2
        };
        assert!(cluster.wait_until(Duration::from_secs(60), running).await);
        // The Service comes after the pods: they have no variables for it.
        cluster.create(service("web", &[("app", "web")], "ClusterIP")).unwrap();
        let r = evaluate(&check, &Evidence::cluster_only(&cluster)).await;
        assert!(!r.passed);
        assert!(r.reason.en.contains("started before the Service existed"), "{r:?}");
        for p in cluster.list(Kind::Pod, Some("default")) {
            cluster.remove_stored(p.kind(), p.namespace(), p.name()).unwrap();
        }
        assert!(cluster.wait_until(Duration::from_secs(60), running).await);
        let r = evaluate(&check, &Evidence::cluster_only(&cluster)).await;
        assert!(r.passed, "{r:?}");
        assert_eq!(r.reason.en, "all 2 running pods with app=web have WEB_SERVICE_HOST");
        cluster.shutdown();
    }

    /// The UI runs checks on spawned tasks: the futures must be `Send`.
    #[allow(dead_code)]
    fn futures_are_send(check: &Check, step: &Step, ev: &Evidence<'_>) {
        fn is_send<T: Send>(_: T) {}
        is_send(evaluate(check, ev));
        is_send(evaluate_step(step, ev));
    }

    #[test]
    fn curl_output_is_split_into_status_and_body() {
        let a = parse_curl_output("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{\"message\":\"Hello\"}");
        assert_eq!(
            a,
            HttpAnswer {
                status: Some(200),
                body: "{\"message\":\"Hello\"}".into()
            }
        );
        let b = parse_curl_output("{\"message\":\"Hello\"}\n");
        assert_eq!(b.status, None);
        assert!(b.body.contains("Hello"));
        let c = parse_curl_output("HTTP/1.1 404 Not Found\n\nnope");
        assert_eq!(
            c,
            HttpAnswer {
                status: Some(404),
                body: "nope".into()
            }
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_step_passes_when_all_checks_pass() {
        let cluster = lab(68).await;
        let text = "format_version: 1\nid: t\nslug: t\ntitle: {en: T}\nsteps:\n- id: s\n  title: {en: S}\n  checks:\n  - object_exists: {kind: svc, name: kubernetes}\n  - command_ran: {pattern: curl}\n";
        let step = parse("t.yaml", text).unwrap().steps.remove(0);
        let r = evaluate_step(&step, &Evidence::cluster_only(&cluster)).await;
        assert!(!r.passed());
        assert_eq!(r.results.len(), 2);
        assert!(r.results[0].passed);
        assert!(r.first_failure().unwrap().en.contains("not run"));
        let j = typed(&["curl x"]);
        let ev = Evidence::new(&cluster, &j, None, BTreeSet::new());
        assert!(evaluate_step(&step, &ev).await.passed());
        cluster.shutdown();
    }

    use crate::shell::tests::{run, session_with};

    const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: backend-service\nspec:\n  selector: {app: my-app}\n  ports:\n  - port: 80\n";

    fn ev<'a>(cluster: &'a Cluster, j: &Journal) -> Evidence<'a> {
        Evidence::new(cluster, j, None, BTreeSet::new())
    }

    #[tokio::test(start_paused = true)]
    async fn kubectl_checks_read_the_command_as_kubectl_does() {
        let (mut s, _dir) = session_with(crate::lessons::test_config(80)).await;
        let c = s.cluster.clone();
        let describe = one("- kubectl: {verb: describe, kind: svc, name: backend-service}");
        let r = evaluate(&describe, &ev(&c, &s.journal)).await;
        assert!(!r.passed);
        assert_eq!(
            r.reason.en,
            "you have not run kubectl describe on the Service backend-service in this step yet"
        );
        // A file the learner wrote, applied: the apply counts for the object in it.
        s.write_file("svc.yaml", SVC.as_bytes()).unwrap();
        let apply = one("- kubectl: {verb: apply, kind: Service, name: backend-service}");
        assert!(!evaluate(&apply, &ev(&c, &s.journal)).await.passed);
        assert_eq!(run(&mut s, "kubectl apply -f svc.yaml").await.0, 0);
        assert!(evaluate(&apply, &ev(&c, &s.journal)).await.passed);
        // `kind/name` after expansion, inside `$(…)` and a pipe.
        assert_eq!(
            run(&mut s, "T=svc; echo $(kubectl describe $T/backend-service | head -n 1)")
                .await
                .0,
            0
        );
        let r = evaluate(&describe, &ev(&c, &s.journal)).await;
        assert!(r.passed, "{r:?}");
        assert_eq!(r.reason.en, "you ran: kubectl describe svc/backend-service");
        // A watch in any spelling, stopped by `timeout`, still ran.
        let watch = one("- kubectl: {verb: get, kind: Service, name: backend-service, flags: [--watch]}");
        run(&mut s, "timeout 1 kubectl get servics backend-service -w").await;
        assert!(
            !evaluate(&watch, &ev(&c, &s.journal)).await.passed,
            "an unknown type is no Service"
        );
        assert_eq!(
            run(&mut s, "timeout 1 kubectl get -w service/backend-service").await.0,
            124
        );
        assert!(evaluate(&watch, &ev(&c, &s.journal)).await.passed);
        // Flags with values match in their short, long and `=` forms; other values do not.
        let sel = one("- kubectl: {verb: get, kind: pods, flags: ['--selector app=my-app']}");
        run(&mut s, "kubectl get po -lapp=other").await;
        assert!(!evaluate(&sel, &ev(&c, &s.journal)).await.passed);
        run(&mut s, "kubectl get pod -l app=my-app").await;
        assert!(evaluate(&sel, &ev(&c, &s.journal)).await.passed);
        c.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn kubectl_checks_take_stdin_and_know_failures() {
        let (mut s, _dir) = session_with(crate::lessons::test_config(81)).await;
        let c = s.cluster.clone();
        let apply = one("- kubectl: {verb: apply, kind: Service, name: backend-service}");
        let heredoc = format!("kubectl apply -f - <<EOF\n{SVC}EOF");
        assert_eq!(run(&mut s, &heredoc).await.0, 0);
        assert!(
            evaluate(&apply, &ev(&c, &s.journal)).await.passed,
            "-f - with a heredoc"
        );
        // The same Service again with a taken node port: kubectl refuses it.
        let np = "apiVersion: v1\nkind: Service\nmetadata: {name: np1}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 30100}]\n";
        let dup = np.replace("np1", "np2");
        assert_eq!(run(&mut s, &format!("kubectl apply -f - <<EOF\n{np}EOF")).await.0, 0);
        let refused = one("- kubectl: {verb: apply, kind: svc, name: np2, succeeded: false}");
        let created = one("- kubectl: {verb: create, kind: svc, name: np2}");
        assert!(!evaluate(&refused, &ev(&c, &s.journal)).await.passed);
        assert_ne!(run(&mut s, &format!("kubectl create -f - <<EOF\n{dup}EOF")).await.0, 0);
        let r = evaluate(&created, &ev(&c, &s.journal)).await;
        assert!(!r.passed);
        assert!(r.reason.en.contains("ended with an error (exit status 1)"), "{r:?}");
        assert!(
            !evaluate(&refused, &ev(&c, &s.journal)).await.passed,
            "create is not apply"
        );
        assert_ne!(run(&mut s, &format!("kubectl apply -f - <<EOF\n{dup}EOF")).await.0, 0);
        assert!(evaluate(&refused, &ev(&c, &s.journal)).await.passed);
        // Either verb will do when the author says so.
        let made = one("- kubectl: {verb: [apply, create], kind: Service, name: np1}");
        assert!(evaluate(&made, &ev(&c, &s.journal)).await.passed);
        let either_refused = one("- kubectl: {verb: [apply, create], kind: svc, name: np2, succeeded: false}");
        let r = evaluate(&either_refused, &ev(&c, &s.journal)).await;
        assert!(r.passed, "{r:?}");
        let none = one("- kubectl: {verb: [replace, create], kind: svc, name: backend-service}");
        let r = evaluate(&none, &ev(&c, &s.journal)).await;
        assert_eq!(
            r.reason.en,
            "you have not run kubectl replace or kubectl create on the Service backend-service in this step yet"
        );
        // Only what ran since the step began counts.
        let later = Evidence::new(&c, &s.journal, Some(Instant::now()), BTreeSet::new());
        assert!(!evaluate(&apply, &later).await.passed);
        c.shutdown();
    }

    #[test]
    fn kubectl_checks_are_checked_when_the_lesson_loads() {
        let bad = |yaml: &str| {
            let text = format!(
                "format_version: 1\nid: t\nslug: t\ntitle: {{en: T}}\nsteps:\n- id: s\n  title: {{en: S}}\n  checks:\n  {yaml}\n"
            );
            parse("t.yaml", &text).unwrap_err().to_string()
        };
        assert!(bad("- kubectl: {verb: frob}").contains("kubectl has no verb \"frob\""));
        assert!(bad("- kubectl: {verb: [apply, get], flags: [-w]}").contains("for kubectl apply"));
        assert!(bad("- kubectl: {verb: get, flags: [--replicas=3]}").contains("unknown flag: --replicas"));
        assert!(bad("- kubectl: {verb: get, name: x}").contains("needs its kind"));
        assert!(bad("- traffic: {from: laptop}").contains("invalid from"));
        assert!(bad("- traffic: {via: wormhole}").contains("unknown variant"));
    }

    /// One served request, as a pod's HTTP server reports it.
    fn served(
        from: &str,
        svc: &str,
        pod: &str,
        dialled: &str,
        status: u16,
        probe: bool,
    ) -> crate::runtime::net::TrafficEvent {
        crate::runtime::net::TrafficEvent {
            from: format!("{from} via {svc}"),
            service: Some(svc.into()),
            pod: Some(format!("default/{pod}")),
            bytes: 20,
            status: Some(status),
            latency: Duration::from_millis(1),
            summary: "GET /".into(),
            dialled: Some(dialled.parse().unwrap()),
            probe,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn traffic_checks_count_what_was_served_to_the_learner() {
        let cluster = lab(82).await;
        let node2 = node_ip(&cluster, "minikube-m02").unwrap();
        let check = one(
            "- traffic: {from: host, service: web, node: minikube-m02, to_port: 30008, status: 200, served_by: web}",
        );
        let none = || Evidence::new(&cluster, &Journal::default(), None, BTreeSet::new());
        let r = evaluate(&check, &none()).await;
        assert!(!r.passed);
        assert_eq!(
            r.reason.en,
            "the lab has not served a request from your machine through the Service web to the address of node minikube-m02 on port 30008 answered by a pod web… with status 200 in this step yet"
        );
        // The lab's own probe does not count, however well it went.
        let at = format!("{node2}:30008");
        cluster
            .net()
            .emit(served("host", "default/web:80", "web-a", &at, 200, true));
        assert!(!evaluate(&check, &none()).await.passed);
        // Another node, or a pod as the sender, is not what the step asks …
        let node1 = node_ip(&cluster, "minikube").unwrap();
        cluster.net().emit(served(
            "host",
            "default/web:80",
            "web-a",
            &format!("{node1}:30008"),
            200,
            false,
        ));
        cluster
            .net()
            .emit(served("pod/x", "default/web:80", "web-a", &at, 200, false));
        let r = evaluate(&check, &none()).await;
        assert!(!r.passed);
        assert!(
            r.reason.en.contains(&format!(
                "the last request served was pod/x → {at} → Service default/web:80 → default/web-a (200)"
            )),
            "{r:?}"
        );
        // … the learner's request to node 2 is.
        cluster
            .net()
            .emit(served("host", "default/web:80", "web-b", &at, 200, false));
        let r = evaluate(&check, &none()).await;
        assert!(r.passed, "{r:?}");
        assert_eq!(r.reason.en, "a request from host was answered by default/web-b (200)");
        let twice = one("- traffic: {from: host, service: web, via: node_port, count: 3}");
        let r = evaluate(&twice, &none()).await;
        assert!(!r.passed);
        assert!(r.reason.en.contains("served 2 of the 3 requests"), "{r:?}");
        assert!(r.reason.en.ends_with("so far: send 1 more"), "{r:?}");
        assert!(
            r.reason.ko.contains("3번 중 2번") && r.reason.ko.contains("1번 더"),
            "{r:?}"
        );
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn events_inside_a_probe_are_marked_and_not_counted() {
        let cluster = lab(83).await;
        let check = one("- traffic: {service: web}");
        cluster
            .net()
            .emit(served("host", "default/web:80", "web-a", "127.0.83.1:1", 200, false));
        let before = cluster.net().traffic_since(None).len();
        crate::runtime::net::traffic_log::probing(async {
            cluster
                .net()
                .emit(served("host", "default/web:80", "web-a", "127.0.83.1:1", 200, false));
        })
        .await;
        let log = cluster.net().traffic_since(None);
        assert_eq!(log.len(), before + 1);
        assert!(!log[before - 1].event.probe && log[before].event.probe);
        let later = Evidence {
            step_began: Some(log[before].at),
            ..Evidence::new(&cluster, &Journal::default(), None, BTreeSet::new())
        };
        assert!(
            !evaluate(&check, &later).await.passed,
            "only the probe's event is that recent"
        );
        assert!(
            evaluate(
                &check,
                &Evidence::new(&cluster, &Journal::default(), None, BTreeSet::new())
            )
            .await
            .passed
        );
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn absence_passes_only_for_what_existed_in_the_lesson() {
        let cluster = lab(84).await;
        let gone = one("- object_absent: {kind: deploy, name: backend}");
        let r = evaluate(&gone, &Evidence::cluster_only(&cluster)).await;
        assert!(!r.passed, "an empty cluster has nothing to clean up");
        assert_eq!(
            r.reason.en,
            "the Deployment backend has not existed in this lesson yet, so there is nothing to delete"
        );
        assert!(!r.reason.ko.is_empty());
        let mut seen = BTreeSet::new();
        seen.insert(seen_key(Kind::Deployment, None, "backend"));
        let ev = Evidence::new(&cluster, &Journal::default(), None, seen);
        let r = evaluate(&gone, &ev).await;
        assert!(r.passed, "{r:?}");
        assert_eq!(r.reason.en, "the Deployment backend is gone");
        cluster.shutdown();
    }
}
