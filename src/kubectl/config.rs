//! `kubectl config view|current-context|get-contexts|use-context`: the kubeconfig kubectl reads.
//!
//! Tutorials open with these commands to show which cluster kubectl talks to. The lab has no
//! kubeconfig file — its kubectl runs inside the lab — so [`KubeConfig::of`] builds the one
//! `minikube start --embed-certs` would write, from the cluster itself: the profile is named after
//! the first node, the API server is that node's address on 8443 (minikube's port; the address is
//! shown, never served), the CA is the cluster CA that `kube-root-ca.crt` publishes, and the user
//! holds a client certificate made once per lab process. There is one context, so `use-context`
//! can only switch to it, and nothing needs saving.
//!
//! Printing follows kubectl: `view` is YAML by default with certificate data shortened to
//! `DATA+OMITTED` and tokens to `REDACTED` ([`KubeConfig::shorten`]) unless `--raw`/`--flatten`;
//! `--minify` keeps what the current context uses; `-o json` keeps clientcmd's field order.

use std::sync::OnceLock;

use base64::Engine as _;
use serde::Serialize;

use super::args::{switch, val, FlagSpec, Parsed};
use super::printers::{self, Format};
use super::subcommands::{self, Sub};
use super::tabwriter::TabWriter;
use super::{fail, fail_all, Ctx};
use crate::io::Output;
use crate::runtime::net::addresses::node_ip;
use crate::runtime::seed::ROOT_CA;
use crate::runtime::{Cluster, Kind};

/// The port minikube's API server listens on.
pub const API_SERVER_PORT: u16 = 8443;

/// The minikube release that writes the `cluster_info`/`context_info` extensions (the one that
/// starts Kubernetes v1.33 by default).
const MINIKUBE_VERSION: &str = "v1.36.0";

/// The API server address kubectl is configured with: the first node's address, as minikube's
/// kubeconfig names its control-plane node.
pub fn api_server_url(cluster: &Cluster) -> String {
    format!("https://{}:{API_SERVER_PORT}", node_ip(cluster.config().node_block, 0))
}

/// A kubeconfig (clientcmd's `v1.Config`); field order is clientcmd's, which `-o json` shows.
#[derive(Debug, Clone, Serialize)]
pub struct KubeConfig {
    kind: &'static str,
    #[serde(rename = "apiVersion")]
    api_version: &'static str,
    preferences: serde_json::Map<String, serde_json::Value>,
    clusters: Vec<NamedCluster>,
    users: Vec<NamedUser>,
    contexts: Vec<NamedContext>,
    #[serde(rename = "current-context")]
    current_context: String,
}

#[derive(Debug, Clone, Serialize)]
struct NamedCluster {
    name: String,
    cluster: ClusterEntry,
}

#[derive(Debug, Clone, Serialize)]
struct ClusterEntry {
    server: String,
    #[serde(rename = "certificate-authority-data", skip_serializing_if = "String::is_empty")]
    certificate_authority_data: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extensions: Vec<NamedExtension>,
}

#[derive(Debug, Clone, Serialize)]
struct NamedExtension {
    name: String,
    extension: Extension,
}

/// What minikube records about itself in the kubeconfig.
#[derive(Debug, Clone, Serialize)]
struct Extension {
    #[serde(rename = "last-update")]
    last_update: String,
    provider: &'static str,
    version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct NamedUser {
    name: String,
    user: User,
}

#[derive(Debug, Clone, Default, Serialize)]
struct User {
    #[serde(rename = "client-certificate-data", skip_serializing_if = "String::is_empty")]
    client_certificate_data: String,
    #[serde(rename = "client-key-data", skip_serializing_if = "String::is_empty")]
    client_key_data: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    token: String,
}

#[derive(Debug, Clone, Serialize)]
struct NamedContext {
    name: String,
    context: Context,
}

#[derive(Debug, Clone, Serialize)]
struct Context {
    cluster: String,
    user: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    namespace: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extensions: Vec<NamedExtension>,
}

/// kubectl prints shortened data as the base64 text of these words.
const DATA_OMITTED: &str = "DATA+OMITTED";
const REDACTED: &str = "REDACTED";

/// The lab user's client certificate and key (PEM), made once per process: like minikube's
/// `client.crt`, it names the user `minikube-user` in group `system:masters`.
fn client_credentials() -> &'static (String, String) {
    static CREDENTIALS: OnceLock<(String, String)> = OnceLock::new();
    CREDENTIALS.get_or_init(|| {
        let make = || -> Result<(String, String), rcgen::Error> {
            let key = rcgen::KeyPair::generate()?;
            let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
            params.distinguished_name = rcgen::DistinguishedName::new();
            params
                .distinguished_name
                .push(rcgen::DnType::OrganizationName, "system:masters");
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, "minikube-user");
            let cert = params.self_signed(&key)?;
            Ok((cert.pem(), key.serialize_pem()))
        };
        make().unwrap_or_default()
    })
}

impl KubeConfig {
    /// The kubeconfig minikube would have written for this cluster.
    pub fn of(cluster: &Cluster) -> KubeConfig {
        let name = cluster.config().node_name.clone();
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        // minikube stamps the moment it configured the cluster; the lab's is when its first node
        // came up.
        let born = cluster
            .get(Kind::Node, "", &name)
            .and_then(|n| n.meta().creation_timestamp.clone())
            .map_or_else(|| cluster.clock().now(), |t| t.0);
        let stamp = |ext: &str| {
            vec![NamedExtension {
                name: ext.to_string(),
                extension: Extension {
                    last_update: born.format("%a, %d %b %Y %H:%M:%S UTC").to_string(),
                    provider: "minikube.sigs.k8s.io",
                    version: MINIKUBE_VERSION,
                },
            }]
        };
        let (cert, key) = client_credentials();
        KubeConfig {
            kind: "Config",
            api_version: "v1",
            preferences: Default::default(),
            clusters: vec![NamedCluster {
                name: name.clone(),
                cluster: ClusterEntry {
                    server: api_server_url(cluster),
                    certificate_authority_data: b64(ROOT_CA),
                    extensions: stamp("cluster_info"),
                },
            }],
            users: vec![NamedUser {
                name: name.clone(),
                user: User {
                    client_certificate_data: b64(cert),
                    client_key_data: b64(key),
                    token: String::new(),
                },
            }],
            contexts: vec![NamedContext {
                name: name.clone(),
                context: Context {
                    cluster: name.clone(),
                    user: name.clone(),
                    namespace: "default".into(),
                    extensions: stamp("context_info"),
                },
            }],
            current_context: name,
        }
    }

    pub fn current_context(&self) -> &str {
        &self.current_context
    }

    fn context(&self, name: &str) -> Option<&NamedContext> {
        self.contexts.iter().find(|c| c.name == name)
    }

    /// clientcmd's `ShortenConfig`: certificate and key data become `DATA+OMITTED`, tokens
    /// `REDACTED`, for a human-readable view.
    pub fn shorten(&mut self) {
        for u in &mut self.users {
            for data in [&mut u.user.client_certificate_data, &mut u.user.client_key_data] {
                if !data.is_empty() {
                    *data = DATA_OMITTED.into();
                }
            }
            if !u.user.token.is_empty() {
                u.user.token = REDACTED.into();
            }
        }
        for c in &mut self.clusters {
            if !c.cluster.certificate_authority_data.is_empty() {
                c.cluster.certificate_authority_data = DATA_OMITTED.into();
            }
        }
    }

    /// clientcmd's `MinifyConfig`: keep only the current context and what it refers to.
    pub fn minify(&mut self) -> Result<(), String> {
        if self.current_context.is_empty() {
            return Err("current-context must exist in order to minify".into());
        }
        let ctx = self
            .context(&self.current_context)
            .ok_or_else(|| format!("cannot locate context {}", self.current_context))?
            .clone();
        if !self.clusters.iter().any(|c| c.name == ctx.context.cluster) {
            return Err(format!("cannot locate cluster {}", ctx.context.cluster));
        }
        if !self.users.iter().any(|u| u.name == ctx.context.user) {
            return Err(format!("cannot locate user {}", ctx.context.user));
        }
        self.clusters.retain(|c| c.name == ctx.context.cluster);
        self.users.retain(|u| u.name == ctx.context.user);
        self.contexts = vec![ctx];
        Ok(())
    }

    fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a kubeconfig serializes")
    }
}

const VIEW_FLAGS: &[FlagSpec] = &[
    switch("minify", None),
    switch("raw", None),
    switch("flatten", None),
    val("output", Some('o')),
    val("template", None),
];

const GET_CONTEXTS_FLAGS: &[FlagSpec] = &[switch("no-headers", None), val("output", Some('o'))];

/// Every flag of every subcommand, for the command table (each subcommand then checks its own).
pub const FLAGS: &[FlagSpec] = &[
    switch("minify", None),
    switch("raw", None),
    switch("flatten", None),
    val("output", Some('o')),
    val("template", None),
    switch("no-headers", None),
];

/// The subcommands the lab has, in the order `kubectl config` lists them.
const SUBCOMMANDS: &[Sub] = &[
    Sub {
        name: "current-context",
        aliases: &[],
        short: "Display the current-context",
        flags: &[],
        run: current_context,
    },
    Sub {
        name: "get-contexts",
        aliases: &[],
        short: "Describe one or many contexts",
        flags: GET_CONTEXTS_FLAGS,
        run: get_contexts,
    },
    Sub {
        name: "use-context",
        aliases: &["use"],
        short: "Set the current-context in a kubeconfig file",
        flags: &[],
        run: use_context,
    },
    Sub {
        name: "view",
        aliases: &[],
        short: "Display merged kubeconfig settings or a specified kubeconfig file",
        flags: VIEW_FLAGS,
        run: view,
    },
];

/// The subcommands for the group's help page.
pub fn commands() -> Vec<(&'static str, &'static str)> {
    subcommands::commands(SUBCOMMANDS)
}

/// One subcommand's own flags.
pub fn sub_flags(name: &str) -> Option<&'static [FlagSpec]> {
    subcommands::flags_of(SUBCOMMANDS, name)
}

/// `kubectl config SUBCOMMAND …`.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    subcommands::run(ctx, p, out, "config", SUBCOMMANDS)
}

/// `kubectl config view [--minify] [--raw] [-o FORMAT]`.
fn view(ctx: &Ctx<'_>, p: &Parsed, args: &[String], out: &Output) -> i32 {
    if !args.is_empty() {
        return fail(
            out,
            &format!(
                "unexpected arguments: [{}]\nSee 'kubectl config view -h' for help and examples",
                args.join(" ")
            ),
        );
    }
    let format = match Format::parse_object(p.get("output"), p.get("template")) {
        Ok(f) => f.unwrap_or(Format::Yaml),
        Err(e) => return fail(out, &e),
    };
    let mut cfg = KubeConfig::of(ctx.cluster);
    if p.on("minify") {
        if let Some(c) = p.get("context").filter(|c| !c.is_empty()) {
            cfg.current_context = c.to_string();
        }
        if let Err(e) = cfg.minify() {
            return fail(out, &e);
        }
    }
    if !p.on("raw") && !p.on("flatten") {
        cfg.shorten();
    }
    let text = match &format {
        Format::Json => Ok(printers::to_json_text(&cfg)),
        // The name printer finds no metadata on a Config.
        Format::Name => Ok("config/<unknown>\n".to_string()),
        f => printers::render_data(f, &cfg.to_value()),
    };
    match text {
        Ok(t) => {
            out.out(&t);
            0
        }
        Err(e) => fail(out, &e),
    }
}

/// `kubectl config current-context`.
fn current_context(ctx: &Ctx<'_>, _p: &Parsed, _args: &[String], out: &Output) -> i32 {
    let cfg = KubeConfig::of(ctx.cluster);
    if cfg.current_context().is_empty() {
        return fail(out, "current-context is not set");
    }
    out.line(cfg.current_context());
    0
}

/// `kubectl config get-contexts [NAME…] [-o name] [--no-headers]`.
fn get_contexts(ctx: &Ctx<'_>, p: &Parsed, args: &[String], out: &Output) -> i32 {
    let output = p.get("output").unwrap_or("");
    const VALID: &[&str] = &[
        "",
        "json",
        "yaml",
        "wide",
        "name",
        "custom-columns",
        "custom-columns-file",
        "go-template",
        "go-template-file",
        "jsonpath",
        "jsonpath-file",
    ];
    if !VALID.contains(&output) {
        return fail(out, &format!("output must be one of '' or 'name': {output}"));
    }
    let name_only = output == "name";
    if !name_only && !output.is_empty() {
        out.line(&format!(
            "--output {output} is not available in kubectl config get-contexts; resetting to default output format"
        ));
    }
    let cfg = KubeConfig::of(ctx.cluster);
    let mut errors = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    if args.is_empty() {
        names.extend(cfg.contexts.iter().map(|c| c.name.as_str()));
    } else {
        for a in args {
            match cfg.context(a) {
                Some(c) => names.push(&c.name),
                None => errors.push(format!("context {a} not found")),
            }
        }
    }
    names.sort_unstable();
    let mut rows = Vec::new();
    if !p.on("no-headers") && !name_only {
        rows.push(
            ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
                .map(String::from)
                .to_vec(),
        );
    }
    for n in names {
        let Some(c) = cfg.context(n) else { continue };
        if name_only {
            out.line(n);
            continue;
        }
        let current = if n == cfg.current_context { "*" } else { "" };
        rows.push(vec![
            current.to_string(),
            n.to_string(),
            c.context.cluster.clone(),
            c.context.user.clone(),
            c.context.namespace.clone(),
        ]);
    }
    out.out(&TabWriter::new().render(&rows));
    fail_all(out, &errors)
}

/// `kubectl config use-context NAME`.
fn use_context(ctx: &Ctx<'_>, _p: &Parsed, args: &[String], out: &Output) -> i32 {
    let [name] = args else {
        return fail(out, &format!("Unexpected args: [{}]", args.join(" ")));
    };
    if name.is_empty() {
        return fail(out, "empty context names are not allowed");
    }
    if KubeConfig::of(ctx.cluster).context(name).is_none() {
        return fail(out, &format!("no context exists with the name: {name:?}"));
    }
    out.line(&format!("Switched to context {name:?}."));
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};

    #[tokio::test(start_paused = true)]
    async fn view_prints_a_minikube_kubeconfig_with_data_omitted() {
        let c = cluster().await;
        let (code, t) = kubectl(&c, "config view").await;
        assert_eq!(code, 0, "{t}");
        let born = c
            .get(Kind::Node, "", "minikube")
            .unwrap()
            .meta()
            .creation_timestamp
            .clone()
            .unwrap()
            .0;
        let stamp = born.format("%a, %d %b %Y %H:%M:%S UTC");
        let ext = |name: &str| {
            format!("    - extension:\n        last-update: {stamp}\n        provider: minikube.sigs.k8s.io\n        version: v1.36.0\n      name: {name}\n")
        };
        let want = format!(
            "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: DATA+OMITTED\n    extensions:\n{}    server: https://127.0.2.1:8443\n  name: minikube\ncontexts:\n- context:\n    cluster: minikube\n    extensions:\n{}    namespace: default\n    user: minikube\n  name: minikube\ncurrent-context: minikube\nkind: Config\npreferences: {{}}\nusers:\n- name: minikube\n  user:\n    client-certificate-data: DATA+OMITTED\n    client-key-data: DATA+OMITTED\n",
            ext("cluster_info"),
            ext("context_info")
        );
        assert_eq!(t, want);
        // --minify keeps the same single context; --raw shows the real data.
        assert_eq!(kubectl(&c, "config view --minify").await.1, want);
        let (_, raw) = kubectl(
            &c,
            "config view --raw -o jsonpath={.clusters[0].cluster.certificate-authority-data}",
        )
        .await;
        let pem = base64::engine::general_purpose::STANDARD.decode(raw.trim()).unwrap();
        assert_eq!(
            String::from_utf8(pem).unwrap(),
            ROOT_CA,
            "the cluster CA, as kube-root-ca.crt has it"
        );
        let (_, key) = kubectl(&c, "config view --raw -o jsonpath={.users[0].user.client-key-data}").await;
        let key = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(key.trim()).unwrap()).unwrap();
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{key}");
    }

    #[tokio::test(start_paused = true)]
    async fn view_jsonpath_json_and_errors() {
        let c = cluster().await;
        assert_eq!(
            kubectl(&c, "config view -o jsonpath={.clusters[0].cluster.server}").await,
            (0, "https://127.0.2.1:8443".to_string())
        );
        assert_eq!(
            kubectl(&c, "config view -o jsonpath='{.users[0].user.client-key-data}'")
                .await
                .1,
            "DATA+OMITTED"
        );
        let (_, json) = kubectl(&c, "config view -o json").await;
        assert!(
            json.starts_with("{\n    \"kind\": \"Config\",\n    \"apiVersion\": \"v1\",\n    \"preferences\": {},\n    \"clusters\": [\n        {\n            \"name\": \"minikube\",\n            \"cluster\": {\n                \"server\": \"https://127.0.2.1:8443\",\n                \"certificate-authority-data\": \"DATA+OMITTED\",\n"),
            "clientcmd's field order, not sorted:\n{json}"
        );
        assert!(json.ends_with("    \"current-context\": \"minikube\"\n}\n"), "{json}");
        assert_eq!(
            kubectl(&c, "config view --minify --context=kind-kind").await.1,
            "error: cannot locate context kind-kind\n"
        );
        assert_eq!(
            kubectl(&c, "config view extra").await.1,
            "error: unexpected arguments: [extra]\nSee 'kubectl config view -h' for help and examples\n"
        );
        let (code, t) = kubectl(&c, "config view -o wide").await;
        assert_eq!(code, 1);
        assert!(
            t.starts_with("error: unable to match a printer suitable for the output format \"wide\""),
            "{t}"
        );
        assert_eq!(
            kubectl(&c, "config current-context --minify").await.1,
            "error: unknown flag: --minify\nSee 'kubectl config current-context --help' for usage.\n"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn contexts() {
        let c = cluster().await;
        assert_eq!(kubectl(&c, "config current-context").await, (0, "minikube\n".into()));
        assert_eq!(
            kubectl(&c, "config get-contexts").await.1,
            "CURRENT   NAME       CLUSTER    AUTHINFO   NAMESPACE\n*         minikube   minikube   minikube   default\n"
        );
        assert_eq!(kubectl(&c, "config get-contexts -o name").await.1, "minikube\n");
        assert_eq!(
            kubectl(&c, "config get-contexts --no-headers").await.1,
            "*     minikube   minikube   minikube   default\n"
        );
        assert_eq!(
            kubectl(&c, "config get-contexts docker-desktop").await,
            (
                1,
                "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\nerror: context docker-desktop not found\n".into()
            )
        );
        assert_eq!(
            kubectl(&c, "config use-context minikube").await,
            (0, "Switched to context \"minikube\".\n".into())
        );
        assert_eq!(
            kubectl(&c, "config use kind-kind").await,
            (1, "error: no context exists with the name: \"kind-kind\"\n".into())
        );
        let (code, t) = kubectl(&c, "config").await;
        assert_eq!(code, 1);
        assert!(t.contains("\n  current-context   Display the current-context\n"), "{t}");
        assert_eq!(
            kubectl(&c, "config set-cluster x").await.1,
            "error: unknown command \"set-cluster x\"\nSee 'kubectl config -h' for help and examples\n"
        );
    }

    #[test]
    fn shortening_follows_clientcmd() {
        let mut cfg = KubeConfig {
            kind: "Config",
            api_version: "v1",
            preferences: Default::default(),
            clusters: vec![],
            users: vec![NamedUser {
                name: "admin".into(),
                user: User {
                    token: "abc".into(),
                    ..Default::default()
                },
            }],
            contexts: vec![],
            current_context: String::new(),
        };
        cfg.shorten();
        assert_eq!(
            cfg.to_value()["users"][0]["user"],
            serde_json::json!({"token": "REDACTED"})
        );
        assert_eq!(
            cfg.minify().unwrap_err(),
            "current-context must exist in order to minify"
        );
    }
}
