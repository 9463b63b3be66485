//! Verbs that are groups of subcommands (`kubectl config view`, `kubectl set image`): each group
//! is a table of [`Sub`]s, and the group's help, its unknown-subcommand error and each
//! subcommand's own flag checking come from that table, the way cobra derives them from a
//! command tree. The verb's row in the command table accepts every subcommand's flags; the
//! subcommand then parses the arguments again against its own, so `kubectl config
//! current-context --minify` is refused as kubectl refuses it.

use super::args::{self, FlagSpec, Parsed, GLOBAL};
use super::Ctx;
use crate::shell::io::Output;

/// A subcommand's entry point: the parsed flags, the arguments after the subcommand's name.
pub type SubFn = fn(&Ctx<'_>, &Parsed, &[String], &Output) -> i32;

/// One subcommand of a group.
pub struct Sub {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub short: &'static str,
    pub flags: &'static [FlagSpec],
    pub run: SubFn,
}

/// A group's help: `intro`, the subcommands (names padded as kubectl's help template pads them)
/// and the usage lines.
pub fn help(group: &str, intro: &str, subs: &[Sub]) -> String {
    let mut s = format!("{intro}\n\nAvailable Commands:\n");
    let w = subs.iter().map(|c| c.name.len()).max().unwrap_or(0).max(11) + 2;
    for c in subs {
        s.push_str(&format!("  {:<w$} {}\n", c.name, c.short));
    }
    s.push_str(&format!("\nUsage:\n  kubectl {group} SUBCOMMAND [options]\n\n"));
    s.push_str(&format!(
        "Use \"kubectl {group} <command> --help\" for more information about a given command.\n"
    ));
    s.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    s
}

/// `kubectl GROUP SUBCOMMAND …`: find the subcommand, check its flags, run it.
pub fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output, group: &str, intro: &str, subs: &[Sub]) -> i32 {
    let Some(first) = p.positional.first() else {
        // cobra's DefaultSubCommandRun: the help on stderr, then exit 1.
        out.err(&help(group, intro, subs));
        return 1;
    };
    let Some(sub) = subs
        .iter()
        .find(|s| s.name == first || s.aliases.contains(&first.as_str()))
    else {
        out.err_line(&format!(
            "error: unknown command {:?}\nSee 'kubectl {group} -h' for help and examples",
            p.positional.join(" ")
        ));
        return 1;
    };
    match args::parse(&p.raw, &[GLOBAL, sub.flags]) {
        Ok(q) => (sub.run)(ctx, &q, &q.positional[1..], out),
        Err(e) => {
            out.err_line(&format!("error: {e}"));
            out.err_line(&format!("See 'kubectl {group} {} --help' for usage.", sub.name));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nothing(_: &Ctx<'_>, _: &Parsed, _: &[String], _: &Output) -> i32 {
        0
    }

    #[test]
    fn help_pads_names_like_kubectl() {
        let subs = [
            Sub {
                name: "env",
                aliases: &[],
                short: "Update environment variables on a pod template",
                flags: &[],
                run: nothing,
            },
            Sub {
                name: "serviceaccount",
                aliases: &[],
                short: "Update the service account of a resource",
                flags: &[],
                run: nothing,
            },
        ];
        let h = help("set", "Configure application resources.", &subs);
        assert!(
            h.contains("\n  env              Update environment variables on a pod template\n"),
            "{h}"
        );
        assert!(
            h.contains("\n  serviceaccount   Update the service account of a resource\n"),
            "{h}"
        );
        assert!(h.contains("\nUsage:\n  kubectl set SUBCOMMAND [options]\n"), "{h}");
    }
}
