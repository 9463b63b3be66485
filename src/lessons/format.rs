//! Lesson file format v1: the serde model of `lessons/*.yaml`, and the only module of
//! [`crate::lessons`] that calls the YAML library.
//!
//! Lessons are written by people, so the decoder is strict: every struct denies unknown keys
//! (a typo such as `hint:` for `hints:` fails with its line and column instead of being dropped),
//! and values that need more than a type check — resource kinds, file paths, regexes, load
//! balancer addresses, placeholders — are checked while decoding, so their errors point at the
//! exact spot too. What can only be checked across the whole file (unique step ids, files that
//! must exist) is checked by [`super::Lesson`] after decoding.

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::placeholders;
use crate::runtime::Kind;

/// The only format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A lesson file that could not be read, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct FormatError {
    /// The file's name as the author knows it (`lesson5.yaml`, `./my-lesson.yaml`).
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl FormatError {
    pub fn new(file: &str, message: impl Into<String>) -> FormatError {
        FormatError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn render(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{}:{}: {}", self.file, l, c, self.message),
            (Some(l), None) => format!("{}:{}: {}", self.file, l, self.message),
            _ => format!("{}: {}", self.file, self.message),
        }
    }
}

/// Text in both languages of the lab. One of the two may be left out; readers then see the other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct I18n {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ko: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

/// A language of the lab's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl I18n {
    pub fn new(ko: impl Into<String>, en: impl Into<String>) -> I18n {
        I18n {
            ko: ko.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`, or in the other language if this one was left out.
    pub fn get(&self, lang: Lang) -> &str {
        let (want, other) = match lang {
            Lang::Ko => (&self.ko, &self.en),
            Lang::En => (&self.en, &self.ko),
        };
        if want.is_empty() {
            other
        } else {
            want
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ko.is_empty() && self.en.is_empty()
    }
}

/// The whole lesson file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFile {
    pub format_version: Version,
    /// Short id used on the command line: `lesson5`.
    pub id: Ident,
    /// A readable id: `frontend-backend`.
    pub slug: Ident,
    pub title: I18n,
    #[serde(default)]
    pub description: I18n,
    #[serde(default)]
    pub cluster: ClusterSpec,
    /// A folder next to the lesson file whose contents are copied into the workspace.
    #[serde(default)]
    pub files: Option<RelPath>,
    /// URL → file in the lesson folder, served instead of the network (the lab is offline).
    #[serde(default)]
    pub urls: BTreeMap<String, RelPath>,
    /// Command lines run through the lab shell before the learner starts.
    #[serde(default)]
    pub setup: Vec<String>,
    pub steps: Vec<Step>,
}

/// `format_version`: must be [`FORMAT_VERSION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(pub u32);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u32::deserialize(d)?;
        if v != FORMAT_VERSION {
            return Err(de::Error::custom(format!(
                "format_version {v} is not supported: this k8s-lab reads format_version {FORMAT_VERSION}"
            )));
        }
        Ok(Version(v))
    }
}

/// An id or slug: lower-case letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident(pub String);

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let ok = !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            return Err(de::Error::custom(format!(
                "invalid id {s:?}: use lower-case letters, digits, '-' and '_'"
            )));
        }
        Ok(Ident(s))
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A path inside the lesson folder: relative, `/`-separated, no `..`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelPath(pub String);

impl RelPath {
    /// Check and normalise (`./a//b` → `a/b`).
    pub fn parse(s: &str) -> Result<RelPath, String> {
        if s.starts_with('/') || s.starts_with('\\') || s.get(1..2) == Some(":") {
            return Err(format!("path {s:?} must be relative to the lesson folder"));
        }
        let mut parts = Vec::new();
        for part in s.split(['/', '\\']) {
            match part {
                "" | "." => {}
                ".." => return Err(format!("path {s:?} leaves the lesson folder ('..' is not allowed)")),
                p => parts.push(p),
            }
        }
        if parts.is_empty() {
            return Err(format!("path {s:?} names no file"));
        }
        Ok(RelPath(parts.join("/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for RelPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RelPath::parse(&s).map_err(de::Error::custom)
    }
}

/// The `cluster:` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    #[serde(default = "default_nodes", deserialize_with = "node_count")]
    pub nodes: usize,
    #[serde(default = "default_node_name")]
    pub node_name: Ident,
    #[serde(default)]
    pub loadbalancer: LoadBalancerSpec,
    #[serde(default = "one", deserialize_with = "positive")]
    pub clock_speed: f64,
    #[serde(default = "default_container_start", deserialize_with = "non_negative")]
    pub container_start_seconds: f64,
    /// Pods per node (the kubelet's `maxPods`): a lesson about capacity can make it small.
    #[serde(default = "default_max_pods", deserialize_with = "max_pods")]
    pub max_pods: u32,
}

impl Default for ClusterSpec {
    fn default() -> Self {
        ClusterSpec {
            nodes: default_nodes(),
            node_name: default_node_name(),
            loadbalancer: LoadBalancerSpec::default(),
            clock_speed: 1.0,
            container_start_seconds: default_container_start(),
            max_pods: default_max_pods(),
        }
    }
}

/// `cluster.loadbalancer`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerSpec {
    /// How long a LoadBalancer Service shows `<pending>` (lab seconds).
    #[serde(default = "default_lb_delay", deserialize_with = "non_negative")]
    pub delay_seconds: f64,
    /// Addresses to hand out, each `127.x.y.z` or a range `127.0.1.1-127.0.1.9`. Empty: the
    /// lab's default pool.
    #[serde(default)]
    pub pool: Vec<PoolEntry>,
}

impl Default for LoadBalancerSpec {
    fn default() -> Self {
        LoadBalancerSpec {
            delay_seconds: default_lb_delay(),
            pool: Vec::new(),
        }
    }
}

/// One entry of the load-balancer pool: loopback addresses only, since the lab listens on them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolEntry(pub Vec<Ipv4Addr>);

impl PoolEntry {
    pub fn parse(s: &str) -> Result<PoolEntry, String> {
        let addr = |a: &str| -> Result<Ipv4Addr, String> {
            let ip: Ipv4Addr = a.trim().parse().map_err(|_| format!("{a:?} is not an IPv4 address"))?;
            if !ip.is_loopback() {
                return Err(format!(
                    "load balancer address {ip} is not a loopback address (127.0.0.0/8): the lab only listens on loopback"
                ));
            }
            Ok(ip)
        };
        match s.split_once('-') {
            None => Ok(PoolEntry(vec![addr(s)?])),
            Some((a, b)) => {
                let (a, b) = (u32::from(addr(a)?), u32::from(addr(b)?));
                if b < a || b - a > 4096 {
                    return Err(format!("range {s:?} is empty or too large (at most 4096 addresses)"));
                }
                Ok(PoolEntry((a..=b).map(Ipv4Addr::from).collect()))
            }
        }
    }
}

impl<'de> Deserialize<'de> for PoolEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PoolEntry::parse(&s).map_err(de::Error::custom)
    }
}

fn default_nodes() -> usize {
    3
}
fn default_node_name() -> Ident {
    Ident("minikube".into())
}
fn one() -> f64 {
    1.0
}
fn default_lb_delay() -> f64 {
    4.0
}
fn default_container_start() -> f64 {
    2.0
}

fn default_max_pods() -> u32 {
    crate::runtime::DEFAULT_MAX_PODS
}

fn max_pods<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = u32::deserialize(d)?;
    if !(1..=1000).contains(&n) {
        return Err(de::Error::custom(format!(
            "max_pods must be between 1 and 1000, not {n}"
        )));
    }
    Ok(n)
}

fn node_count<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = usize::deserialize(d)?;
    if !(1..=10).contains(&n) {
        return Err(de::Error::custom(format!("nodes must be between 1 and 10, not {n}")));
    }
    Ok(n)
}

fn positive<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    if !(v.is_finite() && v > 0.0 && v <= 1000.0) {
        return Err(de::Error::custom(format!(
            "must be a number above 0 and at most 1000, not {v}"
        )));
    }
    Ok(v)
}

fn non_negative<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    if !(v.is_finite() && (0.0..=3600.0).contains(&v)) {
        return Err(de::Error::custom(format!(
            "must be between 0 and 3600 seconds, not {v}"
        )));
    }
    Ok(v)
}

/// One step of a lesson.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: Ident,
    pub title: I18n,
    /// Markdown; may contain placeholders.
    #[serde(default)]
    pub text: I18n,
    /// One sentence: what is true when the step is done.
    #[serde(default)]
    pub goal: I18n,
    /// Shown one at a time, each more direct than the last.
    #[serde(default)]
    pub hints: Vec<I18n>,
    /// Command lines that complete the step, in order.
    #[serde(default)]
    pub solution: Vec<String>,
    /// All must pass for the step to be done.
    #[serde(default)]
    pub checks: Vec<CheckEntry>,
}

/// A check as written: `- kind_of_check: {fields}` (a one-key map).
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct CheckEntry(#[serde(with = "serde_yaml::with::singleton_map")] pub Check);

/// Declarative checks: what must be true in the cluster or the shell history.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// An object of `kind` named `name` exists.
    ObjectExists(ObjectRef),
    /// No object of `kind` named `name` exists (cleanup steps).
    ObjectAbsent(ObjectRef),
    /// A field (kubectl-style JSONPath) of an object has a value.
    FieldEquals(FieldEquals),
    /// The Endpoints of a Service list exactly `count` ready addresses.
    ReadyEndpoints(ReadyEndpoints),
    /// A Deployment has all its replicas updated and ready.
    DeploymentReady(NamedRef),
    /// Every running pod a label selector picks has an environment variable (the Service
    /// variables the kubelet sets only for Services that existed when the pod started).
    PodsHaveEnv(PodsHaveEnv),
    /// A LoadBalancer Service has an address in `status.loadBalancer.ingress`.
    LoadbalancerAddress(ServiceRef),
    /// An HTTP request from the host, a node or a pod gets the expected answer.
    Http(HttpCheck),
    /// A command matching a regex is in the shell history. Kept so old lesson files load;
    /// `lint` refuses it (its reason would show the learner a regex): use `kubectl` or
    /// `traffic`.
    CommandRan(CommandRan),
    /// The learner ran a kubectl command that, as kubectl reads it, does this.
    Kubectl(KubectlCheck),
    /// The lab served a request like this to the learner (probes left out).
    Traffic(TrafficCheck),
}

/// Which of the learner's commands and requests a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Since {
    /// Since the step began (or since the previous step passed, when the learner carried on
    /// before pressing F6).
    #[default]
    Step,
    /// Anywhere in this session of the lesson.
    Lesson,
}

/// `kubectl: {verb, kind, name, namespace, flags}` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct KubectlRaw {
    verb: OneOrMore,
    #[serde(default)]
    kind: Option<KindRef>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default = "yes")]
    succeeded: bool,
    #[serde(default)]
    since: Since,
}

fn yes() -> bool {
    true
}

/// `verb: apply` or `verb: [apply, create]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMore {
    One(String),
    More(Vec<String>),
}

/// A kubectl command the learner must have run: its verb, the object it acts on (named on the
/// command line or in a `-f` input), and flags it must have had, all as kubectl reads them.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "KubectlRaw")]
pub struct KubectlCheck {
    /// The verbs that will do, by their own names (`logs` for `log`): `[apply, create]` when
    /// either makes the object.
    pub verbs: Vec<String>,
    pub kind: Option<Kind>,
    pub name: Option<String>,
    /// `None`: any namespace.
    pub namespace: Option<String>,
    /// Long name, value (`true` for a switch), and the flag as the author wrote it.
    pub flags: Vec<(String, String, String)>,
    /// True: the command must have succeeded (or still be running, or been stopped, as a
    /// watch is). False: kubectl must have refused it (a lesson that shows an error on purpose).
    pub succeeded: bool,
    pub since: Since,
}

impl TryFrom<KubectlRaw> for KubectlCheck {
    type Error = String;
    fn try_from(raw: KubectlRaw) -> Result<Self, String> {
        let typed = match raw.verb {
            OneOrMore::One(v) => vec![v],
            OneOrMore::More(v) => v,
        };
        if typed.is_empty() {
            return Err("verb: name at least one kubectl verb".into());
        }
        let mut verbs = Vec::new();
        for v in &typed {
            let verb = crate::kubectl::verbs::lookup(v)
                .ok_or_else(|| format!("kubectl has no verb {v:?} (e.g. get, describe, apply, delete)"))?
                .name;
            verbs.push(verb.to_string());
        }
        let mut flags = Vec::new();
        for f in &raw.flags {
            let words: Vec<String> = f.split_whitespace().map(str::to_string).collect();
            // A flag must mean the same for every verb that will do.
            let mut parsed = None;
            for verb in &verbs {
                let (long, value) = crate::kubectl::invocation::parse_flag(verb, &words)
                    .map_err(|e| format!("flags: {f:?} for kubectl {verb}: {e}"))?;
                parsed = Some((long.to_string(), value));
            }
            let (long, value) = parsed.unwrap_or_default();
            flags.push((long, value, f.clone()));
        }
        if raw.name.is_some() && raw.kind.is_none() {
            return Err("a kubectl check with a name needs its kind too".into());
        }
        Ok(KubectlCheck {
            verbs,
            kind: raw.kind.map(|k| k.0),
            name: raw.name,
            namespace: raw.namespace,
            flags,
            succeeded: raw.succeeded,
            since: raw.since,
        })
    }
}

/// Where a request the lab served came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrafficFrom {
    #[default]
    Any,
    /// The learner's machine: the lab shell's `curl`, or a real one in another terminal.
    Host,
    /// A pod (any, or the first whose name starts with the prefix).
    Pod(Option<String>),
    /// A node's shell (any, or the one named).
    Node(Option<String>),
}

impl TrafficFrom {
    pub fn parse(s: &str) -> Result<TrafficFrom, String> {
        match s.split_once(':') {
            None if s == "any" => Ok(TrafficFrom::Any),
            None if s == "host" => Ok(TrafficFrom::Host),
            None if s == "pod" => Ok(TrafficFrom::Pod(None)),
            None if s == "node" => Ok(TrafficFrom::Node(None)),
            Some(("pod", p)) if !p.is_empty() => Ok(TrafficFrom::Pod(Some(p.to_string()))),
            Some(("node", n)) if !n.is_empty() => Ok(TrafficFrom::Node(Some(n.to_string()))),
            _ => Err(format!(
                "invalid from {s:?}: use any, host, pod, pod:<name-prefix>, node or node:<name>"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for TrafficFrom {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TrafficFrom::parse(&s).map_err(de::Error::custom)
    }
}

/// Which kind of address the client dialled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// A node's address (a NodePort).
    NodePort,
    /// A load balancer's ingress address.
    LoadBalancer,
    /// A ClusterIP (from inside the lab).
    ClusterIp,
}

/// A request the lab must have served: from where, through which Service, to which address,
/// answered how and by which pod.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficCheck {
    #[serde(default)]
    pub from: TrafficFrom,
    /// The Service the request went through.
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub via: Option<Via>,
    /// The dialled address is this node's.
    #[serde(default)]
    pub node: Option<String>,
    /// The dialled port.
    #[serde(default)]
    pub to_port: Option<u16>,
    /// The HTTP status of the answer.
    #[serde(default)]
    pub status: Option<u16>,
    /// The answering pod's name starts with this.
    #[serde(default)]
    pub served_by: Option<String>,
    /// At least this many such requests.
    #[serde(default = "one_request")]
    pub count: usize,
    /// False: the request must have found *no* pod (refused, or a cluster address dialled
    /// from outside the cluster, which leads nowhere).
    #[serde(default = "yes")]
    pub answered: bool,
    #[serde(default)]
    pub since: Since,
}

fn one_request() -> usize {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectRef {
    pub kind: KindRef,
    pub name: Template,
    #[serde(default)]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldEquals {
    pub kind: KindRef,
    pub name: Template,
    #[serde(default)]
    pub namespace: Option<String>,
    pub jsonpath: JsonPath,
    #[serde(deserialize_with = "scalar_template")]
    pub value: Template,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadyEndpoints {
    pub service: String,
    #[serde(default)]
    pub namespace: Option<String>,
    pub count: usize,
}

/// `pods_have_env: {selector: app=kubia, var: KUBIA_SERVICE_HOST, count: 3}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodsHaveEnv {
    /// A label selector as `kubectl get -l` takes it.
    #[serde(deserialize_with = "label_selector")]
    pub selector: String,
    #[serde(default)]
    pub namespace: Option<String>,
    pub var: String,
    /// How many running pods must there be (default: at least one).
    #[serde(default)]
    pub count: Option<usize>,
}

fn label_selector<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    crate::runtime::selectors::Selector::parse(&text)
        .map_err(|e| serde::de::Error::custom(format!("selector {text:?}: {e}")))?;
    Ok(text)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedRef {
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRef {
    pub service: String,
    #[serde(default)]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpCheck {
    #[serde(default)]
    pub from: HttpFrom,
    pub url: Template,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub body_contains: Option<Template>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandRan {
    pub pattern: Pattern,
}

/// A resource type as kubectl would accept it (`Service`, `svc`, `deployment`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindRef(pub Kind);

impl<'de> Deserialize<'de> for KindRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Kind::resolve(&s).map(KindRef).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown kind {s:?}: use a resource type kubectl knows, e.g. Service, Deployment, Pod"
            ))
        })
    }
}

/// Where an HTTP check runs from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum HttpFrom {
    /// The learner's machine: only node and load-balancer addresses answer.
    #[default]
    Host,
    /// A node (the first one, or the one named).
    Node(Option<String>),
    /// The first running pod whose name starts with the prefix.
    Pod(String),
}

impl HttpFrom {
    pub fn parse(s: &str) -> Result<HttpFrom, String> {
        match s.split_once(':') {
            None if s == "host" => Ok(HttpFrom::Host),
            None if s == "node" => Ok(HttpFrom::Node(None)),
            Some(("node", n)) if !n.is_empty() => Ok(HttpFrom::Node(Some(n.to_string()))),
            Some(("pod", p)) if !p.is_empty() => Ok(HttpFrom::Pod(p.to_string())),
            _ => Err(format!(
                "invalid from {s:?}: use host, node, node:<name> or pod:<name-prefix>"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for HttpFrom {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        HttpFrom::parse(&s).map_err(de::Error::custom)
    }
}

/// A regex over shell history lines; compiled when the lesson loads.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        regex::Regex::new(&s)
            .map(Pattern)
            .map_err(|e| de::Error::custom(format!("invalid pattern: {e}")))
    }
}

/// A kubectl-style JSONPath (`{.spec.type}` or `.spec.type`), checked when the lesson loads.
#[derive(Debug, Clone)]
pub struct JsonPath {
    /// As the author wrote it, for messages.
    pub text: String,
    pub path: serde_json_path::JsonPath,
}

impl JsonPath {
    pub fn parse(s: &str) -> Result<JsonPath, String> {
        let inner = s.trim();
        let inner = inner
            .strip_prefix('{')
            .and_then(|i| i.strip_suffix('}'))
            .unwrap_or(inner)
            .trim();
        let expr = if inner.starts_with('$') {
            inner.to_string()
        } else if inner.starts_with('.') || inner.starts_with('[') {
            format!("${inner}")
        } else {
            return Err(format!(
                "invalid jsonpath {s:?}: start it with '.', e.g. {{.spec.type}}"
            ));
        };
        let path = serde_json_path::JsonPath::parse(&expr).map_err(|e| format!("invalid jsonpath {s:?}: {e}"))?;
        Ok(JsonPath {
            text: s.to_string(),
            path,
        })
    }
}

impl<'de> Deserialize<'de> for JsonPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        JsonPath::parse(&s).map_err(de::Error::custom)
    }
}

/// Text with `{{…}}` placeholders (see [`super::placeholders`]), checked when the lesson loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(pub String);

impl Template {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        placeholders::validate(&s).map_err(de::Error::custom)?;
        Ok(Template(s))
    }
}

/// `value:` of `field_equals` may be written as a number or boolean (`port: 80`).
fn scalar_template<'de, D: Deserializer<'de>>(d: D) -> Result<Template, D::Error> {
    struct Scalar;
    impl Visitor<'_> for Scalar {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string, number or boolean")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    let s = d.deserialize_any(Scalar)?;
    placeholders::validate(&s).map_err(de::Error::custom)?;
    Ok(Template(s))
}

/// Decode a lesson file. `file` names it in errors.
/// Most bytes a lesson file may have: lessons are text for people, a megabyte is plenty.
pub const MAX_LESSON_BYTES: usize = 1024 * 1024;

pub fn parse(file: &str, text: &str) -> Result<LessonFile, FormatError> {
    if text.len() > MAX_LESSON_BYTES {
        return Err(FormatError::new(
            file,
            format!(
                "the file is {} bytes; a lesson file may have at most {MAX_LESSON_BYTES}",
                text.len()
            ),
        ));
    }
    // Aliases are fine in a lesson, a billion laughs is not: the typed decoding below would
    // expand every one of them.
    if let Err(e) = crate::runtime::manifest::check_expansion(text) {
        return Err(FormatError::new(file, e.to_string()));
    }
    serde_yaml::from_str::<LessonFile>(text).map_err(|e| {
        let loc = e.location();
        let mut message = e.to_string();
        // The library appends " at line L column C"; we print the place in front instead.
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
        let (mut line, mut column) = (loc.as_ref().map(|l| l.line()), loc.as_ref().map(|l| l.column()));
        // A refused path is reported at the document's start; point at the path itself.
        if let Some(path) = message.strip_prefix("path \"").and_then(|r| r.split('"').next()) {
            let raw = path.replace("\\\\", "\\");
            if let Some(i) = text
                .find(&format!(": {raw}"))
                .or_else(|| text.find(&format!(": '{raw}'")))
            {
                let before = &text[..i + 2];
                line = Some(before.matches('\n').count() + 1);
                column = Some(before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1);
            }
        }
        FormatError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "format_version: 1\nid: demo\nslug: demo\ntitle: {ko: 데모, en: Demo}\nsteps: []\n";

    #[test]
    fn minimal_file_gets_defaults() {
        let f = parse("demo.yaml", MINIMAL).unwrap();
        assert_eq!(f.id.0, "demo");
        assert_eq!(f.cluster.nodes, 3);
        assert_eq!(f.cluster.node_name.0, "minikube");
        assert_eq!(f.cluster.loadbalancer.delay_seconds, 4.0);
        assert!(f.cluster.loadbalancer.pool.is_empty());
    }

    #[test]
    fn unknown_key_has_line_and_column() {
        let text = MINIMAL.replace("steps: []", "stepz: []");
        let e = parse("demo.yaml", &text).unwrap_err();
        assert_eq!(e.line, Some(5));
        assert_eq!(e.column, Some(1));
        assert!(e.message.contains("unknown field `stepz`"), "{e}");
        assert!(e.to_string().starts_with("demo.yaml:5:1: "), "{e}");
    }

    #[test]
    fn checks_are_one_key_maps() {
        let text = MINIMAL.replace(
            "steps: []",
            "steps:\n- id: a\n  title: {en: A}\n  checks:\n  - object_exists: {kind: svc, name: hello}\n  - http: {from: 'pod:frontend', url: 'http://hello', status: 200}\n  - field_equals: {kind: Service, name: hello, jsonpath: '{.spec.ports[0].port}', value: 80}\n",
        );
        let f = parse("demo.yaml", &text).unwrap();
        let checks = &f.steps[0].checks;
        assert!(matches!(&checks[0].0, Check::ObjectExists(r) if r.kind.0 == Kind::Service));
        assert!(
            matches!(&checks[1].0, Check::Http(h) if h.from == HttpFrom::Pod("frontend".into()) && h.status == Some(200))
        );
        assert!(matches!(&checks[2].0, Check::FieldEquals(f) if f.value.0 == "80"));
    }

    #[test]
    fn paths_must_stay_in_the_folder() {
        assert_eq!(RelPath::parse("./a//b.yaml").unwrap().0, "a/b.yaml");
        assert!(RelPath::parse("../x").unwrap_err().contains("leaves the lesson folder"));
        assert!(RelPath::parse("a/../../x").is_err());
        assert!(RelPath::parse("/etc/passwd").unwrap_err().contains("relative"));
        assert!(RelPath::parse("C:\\x").is_err());
    }

    #[test]
    fn pool_takes_loopback_addresses_and_ranges() {
        assert_eq!(
            PoolEntry::parse("127.0.1.1").unwrap().0,
            vec![Ipv4Addr::new(127, 0, 1, 1)]
        );
        assert_eq!(PoolEntry::parse("127.0.1.1-127.0.1.3").unwrap().0.len(), 3);
        assert!(PoolEntry::parse("10.0.0.1")
            .unwrap_err()
            .contains("not a loopback address"));
        assert!(PoolEntry::parse("127.0.1.3-127.0.1.1").is_err());
    }

    #[test]
    fn jsonpath_accepts_kubectl_braces() {
        assert!(JsonPath::parse("{.spec.type}").is_ok());
        assert!(JsonPath::parse(".status.loadBalancer.ingress[0].ip").is_ok());
        assert!(JsonPath::parse("spec.type").is_err());
    }

    #[test]
    fn from_values() {
        assert_eq!(HttpFrom::parse("host").unwrap(), HttpFrom::Host);
        assert_eq!(HttpFrom::parse("node").unwrap(), HttpFrom::Node(None));
        assert_eq!(
            HttpFrom::parse("node:minikube-m02").unwrap(),
            HttpFrom::Node(Some("minikube-m02".into()))
        );
        assert!(HttpFrom::parse("pod:").is_err());
        assert!(HttpFrom::parse("laptop").is_err());
    }

    #[test]
    fn other_versions_are_refused() {
        let e = parse("demo.yaml", &MINIMAL.replace("format_version: 1", "format_version: 2")).unwrap_err();
        assert!(e.message.contains("format_version 2 is not supported"), "{e}");
        assert_eq!(e.line, Some(1));
    }
}
