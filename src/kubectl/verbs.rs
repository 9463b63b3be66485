//! The command table: every verb as data (name, aliases, one-line help, its flags, the function
//! that runs it), like helix's command tables. `kubectl help`, the unknown-command suggestions and
//! flag checking all come from this one table.

use std::future::Future;
use std::pin::Pin;

use super::args::{self, switch, val, FlagSpec, Parsed, GLOBAL};
use super::{
    apply, clusterinfo, config, create, delete, describe, edit, exec, expose, get, help as pages, info, logs, mutate,
    portforward, rollout, set, Ctx,
};
use crate::io::Output;

/// A verb's entry point.
pub type VerbFn = for<'a> fn(&'a Ctx<'a>, &'a Parsed, &'a Output) -> Pin<Box<dyn Future<Output = i32> + Send + 'a>>;

/// One kubectl command.
pub struct Verb {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub short: &'static str,
    pub flags: &'static [FlagSpec],
    pub run: VerbFn,
}

macro_rules! entry {
    ($path:path) => {{
        fn f<'a>(c: &'a Ctx<'a>, p: &'a Parsed, o: &'a Output) -> Pin<Box<dyn Future<Output = i32> + Send + 'a>> {
            Box::pin($path(c, p, o))
        }
        f
    }};
}

const GET_FLAGS: &[FlagSpec] = &[
    switch("all-namespaces", Some('A')),
    val("selector", Some('l')),
    val("output", Some('o')),
    switch("watch", Some('w')),
    switch("watch-only", None),
    switch("show-labels", None),
    switch("no-headers", None),
    val("filename", Some('f')),
    val("sort-by", None),
    val("field-selector", None),
    val("label-columns", Some('L')),
    val("template", None),
    switch("show-kind", None),
    switch("ignore-not-found", None),
    val("chunk-size", None),
];

const APPLY_FLAGS: &[FlagSpec] = &[
    val("filename", Some('f')),
    val("output", Some('o')),
    switch("recursive", Some('R')),
    val("validate", None),
    val("dry-run", None),
    val("field-manager", None),
    switch("server-side", None),
    switch("force-conflicts", None),
    switch("save-config", None),
];

const CREATE_FLAGS: &[FlagSpec] = &[
    val("tcp", None),
    val("node-port", None),
    val("external-name", None),
    val("clusterip", None),
    val("filename", Some('f')),
    val("output", Some('o')),
    val("image", None),
    val("replicas", Some('r')),
    val("port", None),
    val("cert", None),
    val("key", None),
    val("from-file", None),
    val("from-literal", None),
    val("type", None),
    val("validate", None),
    val("dry-run", None),
    val("template", None),
    switch("save-config", None),
];

const EXPOSE_FLAGS: &[FlagSpec] = &[
    val("port", None),
    val("target-port", None),
    val("name", None),
    val("type", None),
    val("protocol", None),
    val("selector", None),
    val("labels", Some('l')),
    val("external-ip", None),
    val("session-affinity", None),
    val("load-balancer-ip", None),
    val("filename", Some('f')),
    val("dry-run", None),
    val("output", Some('o')),
    val("template", None),
];

const SCALE_FLAGS: &[FlagSpec] = &[
    val("replicas", None),
    val("selector", Some('l')),
    switch("all", None),
    val("current-replicas", None),
    val("timeout", None),
];

const LABEL_FLAGS: &[FlagSpec] = &[
    switch("overwrite", None),
    val("selector", Some('l')),
    switch("all", None),
    switch("list", None),
    val("resource-version", None),
];

const PATCH_FLAGS: &[FlagSpec] = &[val("patch", Some('p')), val("type", None), val("output", Some('o'))];

const DELETE_FLAGS: &[FlagSpec] = &[
    val("filename", Some('f')),
    val("selector", Some('l')),
    switch("all", None),
    switch("all-namespaces", Some('A')),
    switch("force", None),
    switch("now", None),
    val("grace-period", None),
    switch("wait", None),
    val("timeout", None),
    switch("ignore-not-found", None),
    val("cascade", None),
];

const WAIT_FLAGS: &[FlagSpec] = &[
    val("for", None),
    val("timeout", None),
    val("selector", Some('l')),
    switch("all", None),
    switch("all-namespaces", Some('A')),
];

const DESCRIBE_FLAGS: &[FlagSpec] = &[
    val("selector", Some('l')),
    switch("all-namespaces", Some('A')),
    val("filename", Some('f')),
    switch("show-events", None),
    val("chunk-size", None),
];

const RUN_FLAGS: &[FlagSpec] = &[
    val("image", None),
    val("port", None),
    val("labels", Some('l')),
    switch("stdin", Some('i')),
    switch("tty", Some('t')),
    switch("rm", None),
    val("restart", None),
    switch("command", None),
    val("env", None),
    switch("expose", None),
    val("dry-run", None),
    val("output", Some('o')),
    val("template", None),
];

/// Every `kubectl rollout` subcommand's flags (the subcommand decides which it reads).
const ROLLOUT_FLAGS: &[FlagSpec] = &[
    val("timeout", None),
    switch("watch", Some('w')),
    val("revision", None),
    val("to-revision", None),
    val("dry-run", None),
    val("output", Some('o')),
    val("template", None),
    val("selector", Some('l')),
];

const EXEC_FLAGS: &[FlagSpec] = &[
    switch("stdin", Some('i')),
    switch("tty", Some('t')),
    val("container", Some('c')),
    switch("quiet", Some('q')),
    val("filename", Some('f')),
];

const LOGS_FLAGS: &[FlagSpec] = &[
    switch("follow", Some('f')),
    val("container", Some('c')),
    val("tail", None),
    switch("timestamps", None),
    switch("previous", Some('p')),
    val("since", None),
    switch("all-containers", None),
    val("selector", Some('l')),
];

const API_RESOURCES_FLAGS: &[FlagSpec] = &[
    switch("namespaced", None),
    switch("no-headers", None),
    val("output", Some('o')),
    val("api-group", None),
    switch("cached", None),
    val("verbs", None),
    val("sort-by", None),
];

const VERSION_FLAGS: &[FlagSpec] = &[switch("client", None), val("output", Some('o'))];

const REPLACE_FLAGS: &[FlagSpec] = &[
    val("filename", Some('f')),
    switch("force", None),
    val("output", Some('o')),
];

const EDIT_FLAGS: &[FlagSpec] = &[val("output", Some('o')), val("filename", Some('f'))];

const PORT_FORWARD_FLAGS: &[FlagSpec] = &[val("address", None), val("pod-running-timeout", None)];

/// Every verb the lab implements, in the order `kubectl --help` lists them.
#[rustfmt::skip]
pub const VERBS: &[Verb] = &[
    Verb { name: "create", aliases: &[], short: "Create a resource from a file or from stdin", flags: CREATE_FLAGS, run: entry!(create::run) },
    Verb { name: "expose", aliases: &[], short: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service", flags: EXPOSE_FLAGS, run: entry!(expose::run) },
    Verb { name: "run", aliases: &[], short: "Run a particular image on the cluster", flags: RUN_FLAGS, run: entry!(exec::run) },
    Verb { name: "set", aliases: &[], short: "Set specific features on objects", flags: set::FLAGS, run: entry!(set::run) },
    Verb { name: "get", aliases: &[], short: "Display one or many resources", flags: GET_FLAGS, run: entry!(get::run) },
    Verb { name: "edit", aliases: &[], short: "Edit a resource on the server", flags: EDIT_FLAGS, run: entry!(edit::run) },
    Verb { name: "delete", aliases: &[], short: "Delete resources by file names, stdin, resources and names, or by resources and label selector", flags: DELETE_FLAGS, run: entry!(delete::delete) },
    Verb { name: "rollout", aliases: &[], short: "Manage the rollout of a resource", flags: ROLLOUT_FLAGS, run: entry!(rollout::run) },
    Verb { name: "scale", aliases: &[], short: "Set a new size for a deployment, replica set, or replication controller", flags: SCALE_FLAGS, run: entry!(mutate::scale) },
    Verb { name: "cluster-info", aliases: &[], short: "Display cluster information", flags: &[], run: entry!(clusterinfo::run) },
    Verb { name: "describe", aliases: &[], short: "Show details of a specific resource or group of resources", flags: DESCRIBE_FLAGS, run: entry!(describe::run) },
    Verb { name: "logs", aliases: &["log"], short: "Print the logs for a container in a pod", flags: LOGS_FLAGS, run: entry!(logs::run) },
    Verb { name: "exec", aliases: &[], short: "Execute a command in a container", flags: EXEC_FLAGS, run: entry!(exec::exec) },
    Verb { name: "port-forward", aliases: &[], short: "Forward one or more local ports to a pod", flags: PORT_FORWARD_FLAGS, run: entry!(portforward::run) },
    Verb { name: "apply", aliases: &[], short: "Apply a configuration to a resource by file name or stdin", flags: APPLY_FLAGS, run: entry!(apply::apply) },
    Verb { name: "patch", aliases: &[], short: "Update fields of a resource", flags: PATCH_FLAGS, run: entry!(mutate::patch) },
    Verb { name: "replace", aliases: &[], short: "Replace a resource by file name or stdin", flags: REPLACE_FLAGS, run: entry!(mutate::replace) },
    Verb { name: "wait", aliases: &[], short: "Experimental: Wait for a specific condition on one or many resources", flags: WAIT_FLAGS, run: entry!(delete::wait) },
    Verb { name: "label", aliases: &[], short: "Update the labels on a resource", flags: LABEL_FLAGS, run: entry!(mutate::label) },
    Verb { name: "annotate", aliases: &[], short: "Update the annotations on a resource", flags: LABEL_FLAGS, run: entry!(mutate::annotate) },
    Verb { name: "api-resources", aliases: &[], short: "Print the supported API resources on the server", flags: API_RESOURCES_FLAGS, run: entry!(info::api_resources) },
    Verb { name: "config", aliases: &[], short: "Modify kubeconfig files", flags: config::FLAGS, run: entry!(config::run) },
    Verb { name: "version", aliases: &[], short: "Print the client and server version information", flags: VERSION_FLAGS, run: entry!(info::version) },
];

/// Every command real kubectl has, in its help order (cobra suggests from these).
const KUBECTL_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "api-resources",
    "api-versions",
    "config",
    "plugin",
    "version",
    "options",
    "help",
];

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// cobra's `SuggestionsFor`: distance ≤ 2 or a prefix match.
pub fn suggestions(typed: &str) -> Vec<&'static str> {
    KUBECTL_COMMANDS
        .iter()
        .copied()
        .filter(|c| levenshtein(typed, c) <= 2 || c.starts_with(&typed.to_lowercase()))
        .collect()
}

/// The flags a verb accepts (for callers that parse a command line themselves).
pub fn flags_of(name: &str) -> Option<&'static [FlagSpec]> {
    find(name).map(|v| v.flags)
}

/// A group verb's subcommands (name, one-line summary) from its dispatch table; empty for a verb
/// that is not a group.
pub fn subcommands_of(verb: &str) -> Vec<(&'static str, &'static str)> {
    match verb {
        "config" => config::commands(),
        "create" => create::SUBCOMMANDS.to_vec(),
        "rollout" => rollout::commands(),
        "set" => set::commands(),
        _ => Vec::new(),
    }
}

/// The flags of one subcommand, for groups whose subcommands parse their own.
pub fn sub_flags(verb: &str, sub: &str) -> Option<&'static [FlagSpec]> {
    match verb {
        "config" => config::sub_flags(sub),
        "set" => set::sub_flags(sub),
        _ => None,
    }
}

/// `kubectl VERB [SUB] --help`: the subcommand's page when it has one, else the verb's (see
/// [`super::help`]). `None` for a verb the lab does not have.
pub fn help_text(verb: &str, sub: Option<&str>) -> Option<String> {
    let v = find(verb)?;
    if let Some(sub) = sub {
        let path = format!("{} {sub}", v.name);
        if let Some(page) = pages::page(&path) {
            let own = sub_flags(v.name, sub).unwrap_or(v.flags);
            return Some(pages::render(&path, page, &[], &[GLOBAL, own]));
        }
    }
    let page = pages::page(v.name)?;
    Some(pages::render(v.name, page, &subcommands_of(v.name), &[GLOBAL, v.flags]))
}

fn find(name: &str) -> Option<&'static Verb> {
    VERBS.iter().find(|v| v.name == name || v.aliases.contains(&name))
}

/// The verb the lab runs for `name` (a name or an alias: `log` → `logs`).
pub fn lookup(name: &str) -> Option<&'static Verb> {
    find(name)
}

/// Where the verb is in `args`: leading global flags (`kubectl -n x get pods`) come first and
/// are kept, to be parsed with the verb's flags. `args.len()` when there is no verb.
pub fn verb_index(args: &[String]) -> usize {
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') && args[i] != "--" {
        let takes_value = |a: &str| {
            let body = a.trim_start_matches('-');
            !body.contains('=')
                && GLOBAL
                    .iter()
                    .any(|f| f.takes_value && (f.long == body || (a.len() == 2 && f.short == body.chars().next())))
        };
        if takes_value(&args[i]) {
            i += 1;
        }
        i += 1;
    }
    i
}

/// kubectl's top-level help, generated from [`VERBS`].
pub fn help() -> String {
    let mut s = String::from("kubectl controls the Kubernetes cluster manager.\n\nCommands:\n");
    let w = VERBS.iter().map(|v| v.name.len()).max().unwrap_or(0);
    for v in VERBS {
        s.push_str(&format!("  {:<w$}   {}\n", v.name, v.short));
    }
    s.push_str("\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n");
    s
}

/// Split off the verb (global flags may come first), parse the rest and run it.
pub async fn dispatch(ctx: &Ctx<'_>, args: &[String], out: &Output) -> i32 {
    let i = verb_index(args);
    if i >= args.len() {
        if args.iter().any(|a| a == "--help" || a == "-h") || args.is_empty() {
            out.out(&help());
            return 0;
        }
        out.out(&help());
        return 0;
    }
    let name = args[i].as_str();
    if name == "help" {
        out.out(&help());
        return 0;
    }
    let Some(verb) = find(name) else {
        // A command real kubectl has and the lab's does not: say so, rather than suggest the
        // very name that was typed.
        if KUBECTL_COMMANDS.contains(&name) {
            out.err_line(&format!(
                "error: \"kubectl {name}\" is a real kubectl command that the lab's kubectl does not have"
            ));
            return 1;
        }
        let mut msg = format!("error: unknown command \"{name}\" for \"kubectl\"");
        let s = suggestions(name);
        if !s.is_empty() {
            msg.push_str("\n\nDid you mean this?\n");
            for c in s {
                msg.push_str(&format!("\t{c}\n"));
            }
        }
        out.err(&format!("{}\n", msg.trim_end_matches('\n')));
        return 1;
    };
    let rest: Vec<String> = args[..i].iter().chain(args[i + 1..].iter()).cloned().collect();
    // cobra parses the flags first (an unknown flag is an error even with --help), then shows
    // the help when -h/--help was among them.
    let flags_end = rest.iter().position(|a| a == "--").unwrap_or(rest.len());
    let wants_help = rest[..flags_end].iter().any(|a| a == "--help" || a == "-h");
    let rest: Vec<String> = if wants_help {
        rest.iter()
            .enumerate()
            .filter(|(n, a)| *n >= flags_end || (*a != "--help" && *a != "-h"))
            .map(|(_, a)| a.clone())
            .collect()
    } else {
        rest
    };
    let parsed = match args::parse(&rest, &[GLOBAL, verb.flags]) {
        Ok(p) => p,
        Err(e) => {
            out.err_line(&format!("error: {e}"));
            out.err_line(&format!("See 'kubectl {} --help' for usage.", verb.name));
            return 1;
        }
    };
    // A subcommand that shares its group's parser (`rollout status`, `create deployment`)
    // still takes only its own flags, as cobra's subcommands do.
    if let Some(sub) = super::help::sub_path(verb.name, &parsed.positional) {
        let path = format!("{} {sub}", verb.name);
        if let Some(own) = super::help::own_flags(&path) {
            if let Err(e) = args::parse(&rest, &[GLOBAL, own]) {
                out.err_line(&format!("error: {e}"));
                out.err_line(&format!(
                    "See 'kubectl {} --help' for usage.",
                    super::help::canonical(&path)
                ));
                return 1;
            }
        }
    }
    if wants_help {
        let sub = super::help::sub_path(verb.name, &parsed.positional);
        out.out(&help_text(verb.name, sub.as_deref()).unwrap_or_else(|| format!("{}\n", verb.short)));
        return 0;
    }
    (verb.run)(ctx, &parsed, out).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_follow_cobra() {
        assert_eq!(suggestions("gett"), vec!["set", "get"]);
        assert_eq!(suggestions("describ"), vec!["describe"]);
        assert!(suggestions("xyzzy").is_empty());
    }

    #[test]
    fn the_issue5_verbs_are_in_the_table() {
        let h = help();
        for line in [
            "  set             Set specific features on objects\n",
            "  cluster-info    Display cluster information\n",
            "  port-forward    Forward one or more local ports to a pod\n",
            "  config          Modify kubeconfig files\n",
        ] {
            assert!(h.contains(line), "{line:?} in\n{h}");
        }
        assert_eq!(suggestions("port-foward"), vec!["port-forward"]);
        assert_eq!(suggestions("cluster-inf"), vec!["cluster-info"]);
        assert_eq!(suggestions("confg"), vec!["config"]);
        assert!(flags_of("port-forward").unwrap().iter().any(|f| f.long == "address"));
    }

    #[test]
    fn help_lists_every_verb() {
        let h = help();
        for v in VERBS {
            assert!(h.contains(v.name), "{}", v.name);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn help_flag_shows_the_page_after_parsing_flags() {
        use crate::kubectl::tests::testutil::{cluster, kubectl};
        let c = cluster().await;
        let page = help_text("get", None).unwrap();
        assert_eq!(kubectl(&c, "get pods --help").await, (0, page.clone()));
        assert_eq!(kubectl(&c, "-n kube-system get -h").await, (0, page));
        assert_eq!(kubectl(&c, "logs -h").await.1, help_text("logs", None).unwrap());
        assert_eq!(kubectl(&c, "log -h").await.1, help_text("logs", None).unwrap());
        let (code, view) = kubectl(&c, "config view --help").await;
        assert_eq!(code, 0);
        assert!(view.starts_with("Print the kubeconfig settings.\n"), "{view}");
        // cobra refuses an unknown flag before it looks at --help.
        assert_eq!(
            kubectl(&c, "get --bogus --help").await,
            (
                1,
                "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n".into()
            )
        );
        // After `--`, -h belongs to the command run in the pod.
        assert_ne!(
            kubectl(&c, "exec nope -- ls -h").await.1,
            help_text("exec", None).unwrap()
        );
        // A group alone prints its page (and exits 1, as cobra does).
        let (code, set) = kubectl(&c, "set").await;
        assert_eq!((code, set), (1, help_text("set", None).unwrap()));
        c.shutdown();
    }
}

#[cfg(test)]
mod subcommand_flag_tests {
    use crate::kubectl::tests::testutil::{cluster, kubectl};

    #[tokio::test(start_paused = true)]
    async fn a_subcommand_refuses_its_siblings_flags() {
        let c = cluster().await;
        for (line, flag, page) in [
            (
                "rollout status deployment/web --to-revision=1",
                "--to-revision",
                "rollout status",
            ),
            (
                "create deployment web --image=nginx --tcp=80:80",
                "--tcp",
                "create deployment",
            ),
            (
                "create svc nodeport web --image=nginx",
                "--image",
                "create service nodeport",
            ),
            (
                "create ns shop --from-literal=a=b",
                "--from-literal",
                "create namespace",
            ),
        ] {
            assert_eq!(
                kubectl(&c, line).await,
                (
                    1,
                    format!("error: unknown flag: {flag}\nSee 'kubectl {page} --help' for usage.\n")
                ),
                "{line}"
            );
        }
        // Their own flags, and the ones every generator takes, still work.
        assert_eq!(
            kubectl(
                &c,
                "create deployment web --image=nginx --save-config --validate=strict"
            )
            .await,
            (0, "deployment.apps/web created\n".into())
        );
    }
}
