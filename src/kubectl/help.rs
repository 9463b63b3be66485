//! `kubectl <verb> --help`: one help page per command, kept as data ([`Help`]) and laid out the
//! way kubectl v1.33's help template lays it out, so a learner who later reads real kubectl's
//! help finds the same sections in the same places.
//!
//! The layout (kubectl's `templates.MainUsageTemplate` over cobra):
//!
//! ```text
//! LONG DESCRIPTION
//!
//! Aliases:                   (create's generators with another name)
//! deployment, deploy
//!
//! Examples:
//!   # a comment
//!   kubectl …
//!   (two spaces)
//!   # …
//!
//! Available Commands:        (groups only)
//!   name          short
//!
//! Options:
//!     -o, --output='':
//! \tdescription
//!
//! Usage:
//!   kubectl …
//!
//! Use "kubectl GROUP <command> --help" for more information about a given command.   (groups)
//! Use "kubectl options" for a list of global command-line options (applies to all commands).
//! ```
//!
//! Flags are sorted by name as pflag sorts them; each is `    -s, --long=DEFAULT:` (or
//! `    --long=DEFAULT:`) with the description on the next line after a tab, and kubectl's
//! spelling of the default (`''` for strings, `[]` for lists, `false`, `-1`, `0s`). A page lists
//! only the flags the lab accepts for that command; the shorthand comes from the command's
//! parser table ([`FlagSpec`]), so help and parsing cannot disagree about it. The words are the
//! lab's own; the pages themselves are in [`super::help_pages`].

use super::args::FlagSpec;
use super::help_pages::PAGES;
use super::{create, rollout};

/// One example: comment lines (split on `\n`, each printed as `# …`) and the command.
pub struct Example {
    pub comment: &'static str,
    pub command: &'static str,
}

/// One flag on a help page: its long name, its default as kubectl prints it, what it does.
pub struct FlagDoc {
    pub long: &'static str,
    pub default: &'static str,
    pub doc: &'static str,
}

/// One command's help page.
pub struct Help {
    /// The description: the first line is the summary, further paragraphs follow blank lines.
    pub long: &'static str,
    pub examples: &'static [Example],
    pub flags: &'static [FlagDoc],
    /// The usage line after `kubectl ` (kubectl's own syntax summary).
    pub usage: &'static str,
}

/// A help page and the command path it documents (`"get"`, `"set image"`).
pub struct Page {
    pub path: &'static str,
    pub help: &'static Help,
}

/// The page for a command path (`"get"`, `"set image"`, `"create svc nodeport"`).
pub fn page(path: &str) -> Option<&'static Help> {
    let path = canonical(path);
    PAGES.iter().find(|p| p.path == path).map(|p| p.help)
}

/// A command path with the generators' aliases spelled out (`create deploy` is `create
/// deployment`), as cobra names a command by its own name whichever alias was typed.
pub fn canonical(path: &str) -> String {
    let mut words: Vec<&str> = path.split(' ').collect();
    if let ["create", generator, ..] = words.as_mut_slice() {
        if let Some((name, _)) = create::ALIASES.iter().find(|(_, alias)| alias == generator) {
            *generator = name;
        }
    }
    words.join(" ")
}

/// The words after `verb` that name the most specific page for `kubectl VERB POSITIONAL…
/// --help` (`service nodeport` for `create svc nodeport web`), or the first word as before.
pub fn sub_path(verb: &str, positional: &[String]) -> Option<String> {
    (1..=positional.len().min(2))
        .rev()
        .map(|n| positional[..n].join(" "))
        .find(|sub| page(&format!("{verb} {sub}")).is_some())
        .or_else(|| positional.first().cloned())
}

/// The flags a subcommand reads, for groups whose subcommands share the group's parser
/// (`rollout`, `create`): each page lists only these.
pub fn own_flags(path: &str) -> Option<&'static [FlagSpec]> {
    let path = canonical(path);
    match path.split_once(' ') {
        Some(("rollout", sub)) => rollout::sub_flags(sub),
        Some(("create", sub)) => create::sub_flags(sub),
        _ => None,
    }
}

/// A subcommand that is a group of its own (`create service`): its subcommands; and the other
/// names of a subcommand (`create deployment` is also `create deploy`).
fn nested(path: &str) -> (Vec<(&'static str, &'static str)>, Vec<&'static str>) {
    match path.split_once(' ') {
        Some(("create", sub)) => (
            create::subcommands_of(sub).to_vec(),
            create::ALIASES
                .iter()
                .filter(|(n, _)| *n == sub)
                .map(|(_, a)| *a)
                .collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    }
}

/// Lay `help` out for the command `path` (`"get"`, `"set image"`). `commands` are a group's
/// subcommands (name, summary) from the group's own dispatch table, so the list cannot name one
/// the group does not run; `specs` are the flags the command's parser accepts (for the
/// shorthands).
pub fn render(path: &str, help: &Help, commands: &[(&str, &str)], specs: &[&[FlagSpec]]) -> String {
    let path = canonical(path);
    let (below, aliases) = nested(&path);
    let commands = if commands.is_empty() { &below[..] } else { commands };
    let mut s = format!("{}\n\n", help.long.trim());
    if let Some(name) = path.rsplit(' ').next().filter(|_| !aliases.is_empty()) {
        // cobra's "Aliases:" section: the name and its aliases, not indented.
        s.push_str(&format!("Aliases:\n{name}, {}\n\n", aliases.join(", ")));
    }
    if !help.examples.is_empty() {
        s.push_str("Examples:\n");
        let examples: Vec<String> = help
            .examples
            .iter()
            .map(|e| {
                let mut x: String = e.comment.lines().map(|c| format!("  # {c}\n")).collect();
                x.push_str(&format!("  {}\n", e.command));
                x
            })
            .collect();
        s.push_str(&examples.join("  \n"));
        s.push('\n');
    }
    if !commands.is_empty() {
        s.push_str("Available Commands:\n");
        // cobra pads names to the longest (at least 11), plus two.
        let w = commands.iter().map(|(n, _)| n.len()).max().unwrap_or(0).max(11) + 2;
        for (name, short) in commands {
            s.push_str(&format!("  {name:<w$} {short}\n"));
        }
        s.push('\n');
    }
    if !help.flags.is_empty() {
        s.push_str("Options:\n");
        let mut flags: Vec<&FlagDoc> = help.flags.iter().collect();
        flags.sort_by_key(|f| f.long);
        let blocks: Vec<String> = flags
            .iter()
            .map(|f| {
                let short = specs
                    .iter()
                    .flat_map(|s| s.iter())
                    .find(|spec| spec.long == f.long)
                    .and_then(|spec| spec.short);
                let name = match short {
                    Some(c) => format!("    -{c}, --{}", f.long),
                    None => format!("    --{}", f.long),
                };
                format!("{name}={}:\n\t{}\n", f.default, f.doc)
            })
            .collect();
        s.push_str(&blocks.join("\n"));
        s.push('\n');
    }
    s.push_str(&format!("Usage:\n  kubectl {}\n\n", help.usage));
    if !commands.is_empty() {
        s.push_str(&format!(
            "Use \"kubectl {path} <command> --help\" for more information about a given command.\n"
        ));
    }
    s.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    s
}

#[cfg(test)]
mod tests {
    use super::super::args::{self, GLOBAL};
    use super::super::verbs::{self, VERBS};
    use super::*;

    /// The flags a page's command parses (a subcommand's own when it has a table of them).
    fn specs_of(path: &str) -> Vec<&'static [FlagSpec]> {
        let mut words = path.split(' ');
        let verb = words.next().unwrap();
        let own = own_flags(path)
            .or_else(|| words.next().and_then(|sub| verbs::sub_flags(verb, sub)))
            .or_else(|| verbs::flags_of(verb))
            .unwrap_or_else(|| panic!("no parser for {path}"));
        vec![GLOBAL, own]
    }

    fn is_bool(default: &str) -> bool {
        default == "false" || default == "true"
    }

    #[test]
    fn every_verb_has_a_page() {
        for v in VERBS {
            let h = page(v.name).unwrap_or_else(|| panic!("kubectl {} has no help page", v.name));
            assert!(!h.long.trim().is_empty(), "{}", v.name);
            let group = !verbs::subcommands_of(v.name).is_empty();
            assert!(group || !h.examples.is_empty(), "{} has no examples", v.name);
            assert!(h.usage.starts_with(v.name), "{}: {}", v.name, h.usage);
            let text = verbs::help_text(v.name, None).unwrap();
            assert!(text.contains("\n\nUsage:\n  kubectl "), "{text}");
        }
    }

    #[test]
    fn every_page_documents_a_command_the_lab_runs() {
        for p in PAGES {
            let mut words = p.path.split(' ');
            let verb = words.next().unwrap();
            assert!(verbs::flags_of(verb).is_some(), "{}", p.path);
            if let Some(sub) = words.next() {
                assert!(
                    verbs::subcommands_of(verb).iter().any(|(n, _)| *n == sub),
                    "kubectl {verb} has no subcommand {sub}"
                );
                if let Some(leaf) = words.next() {
                    assert!(
                        nested(&format!("{verb} {sub}")).0.iter().any(|(n, _)| *n == leaf),
                        "kubectl {verb} {sub} has no subcommand {leaf}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_listed_flag_is_accepted_by_its_command() {
        for p in PAGES {
            let specs = specs_of(p.path);
            for f in p.help.flags {
                let given = format!("--{}={}", f.long, if is_bool(f.default) { "true" } else { "x" });
                let parsed = args::parse(std::slice::from_ref(&given), &specs);
                assert!(
                    !matches!(parsed, Err(args::ArgError::UnknownFlag(_))),
                    "kubectl {} --help lists {given}, which its parser refuses",
                    p.path
                );
                let spec = specs.iter().flat_map(|s| s.iter()).find(|s| s.long == f.long).unwrap();
                assert_eq!(
                    spec.takes_value,
                    !is_bool(f.default),
                    "kubectl {} --{}: the help's default {} and the parser disagree on whether it is a boolean",
                    p.path,
                    f.long,
                    f.default
                );
            }
        }
    }

    #[test]
    fn every_subcommand_of_rollout_and_create_has_a_page() {
        for (sub, _) in verbs::subcommands_of("rollout") {
            assert!(page(&format!("rollout {sub}")).is_some(), "rollout {sub}");
        }
        for (sub, _) in verbs::subcommands_of("create") {
            assert!(page(&format!("create {sub}")).is_some(), "create {sub}");
            for (leaf, _) in create::subcommands_of(sub) {
                assert!(page(&format!("create {sub} {leaf}")).is_some(), "create {sub} {leaf}");
            }
        }
    }

    /// A subcommand of `rollout` or `create` is parsed with its group's flags; the flags it reads
    /// (its page's list) must be among them, with the same shorthand and kind.
    #[test]
    fn subcommand_flags_are_parsed_by_their_group() {
        for p in PAGES {
            let Some(own) = own_flags(p.path) else { continue };
            let verb = p.path.split(' ').next().unwrap();
            let group = verbs::flags_of(verb).unwrap();
            for f in own {
                assert!(
                    group
                        .iter()
                        .any(|g| g.long == f.long && g.short == f.short && g.takes_value == f.takes_value),
                    "kubectl {} reads --{}, which kubectl {verb} does not parse that way",
                    p.path,
                    f.long
                );
            }
        }
        // A page listing a flag its subcommand does not read is refused (the test above).
        let ns: Vec<&str> = own_flags("create namespace").unwrap().iter().map(|f| f.long).collect();
        assert_eq!(
            ns,
            ["dry-run", "output", "template", "save-config", "validate"],
            "namespace has no flags of its own"
        );
        assert!(!own_flags("rollout status")
            .unwrap()
            .iter()
            .any(|f| f.long == "to-revision"));
    }

    #[test]
    fn create_deployment_help_has_kubectls_layout() {
        let h = verbs::help_text("create", Some("deployment")).unwrap();
        // `create deploy` is the same page.
        assert_eq!(verbs::help_text("create", Some("deploy")).unwrap(), h);
        let lines: Vec<&str> = h.lines().collect();
        assert_eq!(lines[0], "Create a Deployment that runs the given images.");
        assert_eq!(lines[1], "");
        let al = lines.iter().position(|l| *l == "Aliases:").unwrap();
        assert_eq!(&lines[al..al + 4], ["Aliases:", "deployment, deploy", "", "Examples:"]);
        let ex = al + 3;
        assert!(lines[ex + 1].starts_with("  # "), "{h}");
        assert!(lines[ex + 2].starts_with("  kubectl create deployment "), "{h}");
        assert_eq!(lines[ex + 3], "  ");
        assert!(lines[ex + 4].starts_with("  # "), "{h}");
        let opts = lines.iter().position(|l| *l == "Options:").unwrap();
        assert_eq!(lines[opts - 1], "");
        assert!(lines[opts - 2].starts_with("  kubectl create deployment "), "{h}");
        // Sorted by long name, each with its description on the next line and a blank after.
        let flags = [
            "    --dry-run='none':",
            "    --image=[]:",
            "    -o, --output='':",
            "    --port=-1:",
            "    -r, --replicas=1:",
            "    --template='':",
        ];
        for (i, f) in flags.iter().enumerate() {
            assert_eq!(lines[opts + 1 + 3 * i], *f, "{h}");
            assert!(lines[opts + 2 + 3 * i].starts_with('\t') && lines[opts + 2 + 3 * i].len() > 10);
        }
        assert_eq!(lines[opts + 3 * flags.len()], "");
        assert_eq!(lines[opts + 3 * flags.len() + 1], "Usage:");
        // Flags the lab's generator does not read are not advertised.
        assert!(!h.contains("--tcp") && !h.contains("--save-config"), "{h}");
        assert!(h.ends_with(
            "\n\nUsage:\n  kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
        ), "{h}");
    }

    #[test]
    fn nested_create_groups_list_their_commands() {
        let h = verbs::help_text("create", Some("svc")).unwrap();
        assert!(
            h.contains("\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\n"),
            "{h}"
        );
        let h = verbs::help_text("create", Some("secret")).unwrap();
        assert!(
            h.contains("\n\nAvailable Commands:\n  generic       Create a secret from a local file, directory, or literal value\n  tls           Create a TLS secret\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n\nUse \"kubectl create secret <command> --help\""),
            "{h}"
        );
        assert!(!h.contains("Aliases:"), "{h}");
        // A generator below a group has its own page, found from the words typed.
        let words: Vec<String> = ["svc", "nodeport", "web"].map(String::from).to_vec();
        let sub = sub_path("create", &words).unwrap();
        assert_eq!(sub, "svc nodeport");
        let h = verbs::help_text("create", Some(&sub)).unwrap();
        assert!(h.contains("\n\n    --node-port=0:\n\t"), "{h}");
        assert!(h.contains("\n\n    --tcp=[]:\n\t"), "{h}");
        assert!(h.contains("\nUsage:\n  kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]\n"), "{h}");
        assert!(!h.contains("<command>") && !h.contains("Aliases:"), "{h}");
        let words: Vec<String> = ["status", "deployment/web"].map(String::from).to_vec();
        assert_eq!(sub_path("rollout", &words).as_deref(), Some("status"));
        let words: Vec<String> = ["nope", "x"].map(String::from).to_vec();
        assert_eq!(sub_path("create", &words).as_deref(), Some("nope"));
    }

    #[tokio::test(start_paused = true)]
    async fn subcommand_help_flags_show_their_pages() {
        use crate::kubectl::tests::testutil::{cluster, kubectl};
        let c = cluster().await;
        for (line, verb, sub) in [
            ("rollout status --help", "rollout", "status"),
            ("rollout history deployment/web -h", "rollout", "history"),
            ("rollout undo -h", "rollout", "undo"),
            ("rollout restart -h", "rollout", "restart"),
            ("rollout pause -h", "rollout", "pause"),
            ("rollout resume -h", "rollout", "resume"),
            ("create deployment web --help", "create", "deployment"),
            ("create deploy -h", "create", "deployment"),
            ("create cm -h", "create", "configmap"),
            ("create ns -h", "create", "namespace"),
            ("create service -h", "create", "service"),
            ("create secret --help", "create", "secret"),
        ] {
            let page = verbs::help_text(verb, Some(sub)).unwrap();
            assert!(page != verbs::help_text(verb, None).unwrap(), "{line}");
            assert_eq!(kubectl(&c, line).await, (0, page), "{line}");
        }
        c.shutdown();
    }

    #[test]
    fn rollout_status_help_lists_its_own_flags() {
        let h = verbs::help_text("rollout", Some("status")).unwrap();
        assert!(h.contains("\nOptions:\n    --revision=0:\n\t"), "{h}");
        assert!(h.contains("\n\n    -l, --selector='':\n\t"), "{h}");
        assert!(h.contains("\n\n    --timeout=0s:\n\t"), "{h}");
        assert!(h.contains("\n\n    -w, --watch=true:\n\t"), "{h}");
        assert!(!h.contains("--to-revision") && !h.contains("--output"), "{h}");
        assert!(h.ends_with("\n\nUsage:\n  kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"), "{h}");
    }

    #[test]
    fn get_help_has_kubectls_layout() {
        let h = verbs::help_text("get", None).unwrap();
        let lines: Vec<&str> = h.lines().collect();
        assert!(lines[0].ends_with('.'), "{h}");
        assert_eq!(lines[1], "");
        let ex = lines.iter().position(|l| *l == "Examples:").unwrap();
        assert!(lines[ex + 1].starts_with("  # "), "{h}");
        assert!(lines[ex + 2].starts_with("  kubectl get "), "{h}");
        assert_eq!(lines[ex + 3], "  ");
        assert!(lines[ex + 4].starts_with("  # "), "{h}");
        let opts = lines.iter().position(|l| *l == "Options:").unwrap();
        assert_eq!(lines[opts - 1], "");
        assert!(lines[opts - 2].starts_with("  kubectl get "), "{h}");
        assert_eq!(lines[opts + 1], "    -A, --all-namespaces=false:");
        assert!(lines[opts + 2].starts_with('\t') && lines[opts + 2].len() > 10);
        assert_eq!(lines[opts + 3], "");
        assert_eq!(lines[opts + 4], "    --chunk-size=500:");
        for flag in [
            "\n    -o, --output='':\n\t",
            "\n    --show-labels=false:\n\t",
            "\n    -f, --filename=[]:\n\t",
            "\n    --field-selector='':\n\t",
            "\n    -L, --label-columns=[]:\n\t",
            "\n    -l, --selector='':\n\t",
            "\n    -w, --watch=false:\n\t",
        ] {
            assert!(h.contains(flag), "{flag:?} in\n{h}");
        }
        // pflag's order: sorted by long name.
        assert!(h.find("--ignore-not-found").unwrap() < h.find("--label-columns").unwrap());
        assert!(h.ends_with(
            "\n\nUsage:\n  kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
        ), "{h}");
        // A flag kubectl has and the lab does not is not advertised.
        assert!(!h.contains("--kustomize") && !h.contains("--raw"), "{h}");
    }

    #[test]
    fn group_help_lists_its_commands_and_points_at_them() {
        let h = verbs::help_text("set", None).unwrap();
        // cobra pads names to at least 11 columns, plus two.
        assert!(
            h.contains("\n\nAvailable Commands:\n  env           Update environment variables on a pod template\n  image         Update"),
            "{h}"
        );
        assert!(!h.contains("Options:"), "{h}");
        assert!(h.ends_with(
            "\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n\nUse \"kubectl set <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
        ), "{h}");
        // A subcommand's own page, with its own flags.
        let h = verbs::help_text("config", Some("view")).unwrap();
        assert!(h.contains("\nOptions:\n    --flatten=false:\n\t"), "{h}");
        assert!(h.contains("\n    -o, --output='yaml':\n\t"), "{h}");
        assert!(h.contains("\nUsage:\n  kubectl config view [flags] [options]\n"), "{h}");
        assert!(!h.contains("<command>"), "{h}");
    }
}
