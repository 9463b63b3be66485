//! `kubectl <verb> --help`: one help page per command, kept as data ([`Help`]) and laid out the
//! way kubectl v1.33's help template lays it out, so a learner who later reads real kubectl's
//! help finds the same sections in the same places.
//!
//! The layout (kubectl's `templates.MainUsageTemplate` over cobra):
//!
//! ```text
//! LONG DESCRIPTION
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

/// The page for a command path (`"get"`, `"set image"`).
pub fn page(path: &str) -> Option<&'static Help> {
    PAGES.iter().find(|p| p.path == path).map(|p| p.help)
}

/// Lay `help` out for the command `path` (`"get"`, `"set image"`). `commands` are a group's
/// subcommands (name, summary) from the group's own dispatch table, so the list cannot name one
/// the group does not run; `specs` are the flags the command's parser accepts (for the
/// shorthands).
pub fn render(path: &str, help: &Help, commands: &[(&str, &str)], specs: &[&[FlagSpec]]) -> String {
    let mut s = format!("{}\n\n", help.long.trim());
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
        let own = words
            .next()
            .and_then(|sub| verbs::sub_flags(verb, sub))
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
