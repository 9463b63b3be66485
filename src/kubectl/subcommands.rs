//! Verbs that are groups of subcommands (`kubectl config view`, `kubectl set image`): each group
//! is a table of [`Sub`]s, and the group's list of commands in its help, its unknown-subcommand error and each
//! subcommand's own flag checking come from that table, the way cobra derives them from a
//! command tree. The verb's row in the command table accepts every subcommand's flags; the
//! subcommand then parses the arguments again against its own, so `kubectl config
//! current-context --minify` is refused as kubectl refuses it.

use super::args::{self, FlagSpec, Parsed, GLOBAL};
use super::Ctx;
use crate::io::Output;

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

/// A group's subcommands as its help lists them (name, summary).
pub fn commands(subs: &[Sub]) -> Vec<(&'static str, &'static str)> {
    subs.iter().map(|s| (s.name, s.short)).collect()
}

/// The flags of the subcommand `name` (or one of its aliases).
pub fn flags_of(subs: &[Sub], name: &str) -> Option<&'static [FlagSpec]> {
    subs.iter()
        .find(|s| s.name == name || s.aliases.contains(&name))
        .map(|s| s.flags)
}

/// `kubectl GROUP SUBCOMMAND …`: find the subcommand, check its flags, run it.
pub fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output, group: &str, subs: &[Sub]) -> i32 {
    let Some(first) = p.positional.first() else {
        // cobra's DefaultSubCommandRun: the help on stderr, then exit 1.
        out.err(&super::verbs::help_text(group, None).unwrap_or_default());
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
