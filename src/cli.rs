//! The `k8s-lab` command line: its arguments, and clap's help and usage errors in the
//! language of `--lang`.
//!
//! clap talks while it parses (`--help`, a missing argument), so the language must be known
//! before clap runs: [`lang_before_parsing`] looks for `--lang` in the raw arguments, else
//! takes the one of `LC_ALL`/`LANG`. English is clap's own output, untouched. For Korean,
//! [`command`] gives every about and help text, value name, heading and usage line its Korean
//! form (all from [`crate::ui::strings`]), and [`korean_error`] says clap's usage errors in
//! Korean from the error's context, in clap's layout. Exit codes stay clap's: 0 for help and
//! version, 2 for usage errors. This lives in the library so it can be tested;
//! `main.rs` only calls [`run`].

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::lessons::Lang;
use crate::ui::strings::{self, fill, Tr};

#[derive(Debug, Parser)]
#[command(name = "k8s-lab", version, about = strings::CLI_ABOUT.en)]
pub struct Cli {
    #[arg(long, global = true, help = strings::CLI_ARG_LESSONS.en, value_name = strings::CLI_VALUE_FOLDER.en)]
    pub lessons: Option<PathBuf>,
    #[arg(long, global = true, help = strings::CLI_ARG_LANG.en, value_name = strings::CLI_VALUE_LANG.en)]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

// The texts of each command and argument are in `ui::strings` (see `TEXTS` below).
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(about = strings::CLI_CMD_START.en)]
    Start {
        #[arg(help = strings::CLI_ARG_START_LESSON.en, value_name = strings::CLI_VALUE_LESSON.en)]
        lesson: Option<String>,
    },
    #[command(about = strings::CLI_CMD_SHELL.en)]
    Shell {
        #[arg(long, help = strings::CLI_ARG_SHELL_LESSON.en, value_name = strings::CLI_VALUE_LESSON.en)]
        lesson: Option<String>,
    },
    #[command(about = strings::CLI_CMD_LIST.en)]
    List,
    #[command(about = strings::CLI_CMD_RESET.en)]
    Reset {
        #[arg(help = strings::CLI_ARG_RESET_LESSON.en, value_name = strings::CLI_VALUE_LESSON.en)]
        lesson: String,
    },
    #[command(about = strings::CLI_CMD_LINT.en)]
    Lint {
        #[arg(help = strings::CLI_ARG_LINT_PATH.en, value_name = strings::CLI_VALUE_PATH.en)]
        path: PathBuf,
        #[arg(long, help = strings::CLI_ARG_LINT_RUN.en)]
        run: bool,
    },
}

/// One text of the command line: (subcommand, or `None` for `k8s-lab` itself; argument, or
/// `None` for the command's about; its text; its value name).
pub(crate) type CliText = (Option<&'static str>, Option<&'static str>, Tr, Option<Tr>);

/// Every text of the command line (the derive above reads the English halves).
pub(crate) const TEXTS: &[CliText] = &[
    (None, None, strings::CLI_ABOUT, None),
    (
        None,
        Some("lessons"),
        strings::CLI_ARG_LESSONS,
        Some(strings::CLI_VALUE_FOLDER),
    ),
    (None, Some("lang"), strings::CLI_ARG_LANG, Some(strings::CLI_VALUE_LANG)),
    (Some("start"), None, strings::CLI_CMD_START, None),
    (
        Some("start"),
        Some("lesson"),
        strings::CLI_ARG_START_LESSON,
        Some(strings::CLI_VALUE_LESSON),
    ),
    (Some("shell"), None, strings::CLI_CMD_SHELL, None),
    (
        Some("shell"),
        Some("lesson"),
        strings::CLI_ARG_SHELL_LESSON,
        Some(strings::CLI_VALUE_LESSON),
    ),
    (Some("list"), None, strings::CLI_CMD_LIST, None),
    (Some("reset"), None, strings::CLI_CMD_RESET, None),
    (
        Some("reset"),
        Some("lesson"),
        strings::CLI_ARG_RESET_LESSON,
        Some(strings::CLI_VALUE_LESSON),
    ),
    (Some("lint"), None, strings::CLI_CMD_LINT, None),
    (
        Some("lint"),
        Some("path"),
        strings::CLI_ARG_LINT_PATH,
        Some(strings::CLI_VALUE_PATH),
    ),
    (Some("lint"), Some("run"), strings::CLI_ARG_LINT_RUN, None),
];

/// The language `--lang` names in the raw arguments (`--lang ko`, `--lang=en`), if it names
/// one the lab speaks. Arguments after `--` are not options.
pub fn lang_in_args(args: &[OsString]) -> Option<Lang> {
    let mut value = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        } else if a == "--lang" {
            value = it.next().map(|v| v.into_owned());
        } else if let Some(v) = a.strip_prefix("--lang=") {
            value = Some(v.to_string());
        }
    }
    match value.as_deref() {
        Some("ko") => Some(Lang::Ko),
        Some("en") => Some(Lang::En),
        _ => None,
    }
}

/// The language clap speaks in: `--lang`'s, else that of the environment (`LC_ALL`, `LANG`).
pub fn lang_before_parsing(args: &[OsString]) -> Lang {
    lang_in_args(args).unwrap_or_else(|| crate::app::pick_lang(None).unwrap_or_default())
}

/// The parser in `lang`: clap's own for English; with every text in Korean for Korean.
pub fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Ko => korean(cmd),
    }
}

fn korean(mut cmd: clap::Command) -> clap::Command {
    cmd = cmd
        .subcommand_value_name(strings::CLI_VALUE_COMMAND.ko)
        .subcommand_help_heading(strings::CLI_HEADING_COMMANDS.ko);
    for (sub, arg, text, value) in TEXTS {
        let edit = |c: clap::Command| match arg {
            None => c.about(text.ko),
            Some(id) => c.mut_arg(*id, |a| {
                let a = a.help(text.ko);
                match value {
                    Some(v) => a.value_name(v.ko),
                    None => a,
                }
            }),
        };
        cmd = match sub {
            None => edit(cmd),
            Some(s) => cmd.mut_subcommand(*s, edit),
        };
    }
    // Building adds what clap makes itself (`-h`, `-V`, the `help` command, the global options
    // in each command) and fixes each command's name in its usage; then those get Korean too.
    cmd.build();
    korean_after_build(cmd)
}

/// Korean for what clap added while building `cmd`, and its usage line and help layout, for
/// `cmd` and every command under it.
fn korean_after_build(mut cmd: clap::Command) -> clap::Command {
    let has = |cmd: &clap::Command, id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
    if has(&cmd, "help") {
        cmd = cmd.mut_arg("help", |a| a.help(strings::CLI_HELP_FLAG.ko));
    }
    if has(&cmd, "version") {
        cmd = cmd.mut_arg("version", |a| a.help(strings::CLI_VERSION_FLAG.ko));
    }
    if cmd.get_name() == "help" {
        cmd = cmd.about(strings::CLI_HELP_COMMAND.ko);
    }
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .strip_prefix("Usage: ")
        .unwrap_or(&usage)
        .replace("[OPTIONS]", &format!("[{}]", strings::CLI_VALUE_OPTIONS.ko))
        .replace("[COMMAND]", &format!("[{}]", strings::CLI_VALUE_COMMAND.ko))
        .replace("<COMMAND>", &format!("<{}>", strings::CLI_VALUE_COMMAND.ko));
    let template = help_template(&cmd);
    cmd = cmd.override_usage(usage).help_template(template);
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for s in subs {
        cmd = cmd.mut_subcommand(s, korean_after_build);
    }
    cmd
}

/// clap's help layout with Korean headings, and only the sections `cmd` has.
fn help_template(cmd: &clap::Command) -> String {
    let mut t = format!(
        "{{before-help}}{{about-with-newline}}\n{}: {{usage}}",
        strings::CLI_HEADING_USAGE.ko
    );
    let mut section = |heading: Tr, tag: &str| t.push_str(&format!("\n\n{}:\n{{{tag}}}", heading.ko));
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        section(strings::CLI_HEADING_COMMANDS, "subcommands");
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        section(strings::CLI_HEADING_ARGUMENTS, "positionals");
    }
    if cmd.get_arguments().any(|a| !a.is_positional() && !a.is_hide_set()) {
        section(strings::CLI_HEADING_OPTIONS, "options");
    }
    t.push_str("{after-help}");
    t
}

/// Parse `args` (with the program's name first) in `lang`.
pub fn parse(args: &[OsString], lang: Lang) -> Result<Cli, clap::Error> {
    let matches = command(lang).try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// The text of a context value, as clap prints it in its messages.
fn text(v: Option<&ContextValue>) -> Option<String> {
    match v? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A usage error in Korean, laid out as clap lays out its English one: what is wrong, tips,
/// the usage line, where to read more.
pub fn korean_error(e: &clap::Error) -> String {
    let ko = |t: Tr, args: &[(&str, String)]| fill(t.ko, args);
    let get = |k: ContextKind| text(e.get(k));
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut s = format!("{} ", strings::CLI_ERROR.ko);
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            get(ContextKind::InvalidSubcommand).map(|name| ko(strings::CLI_ERR_SUBCOMMAND, &[("name", name)]))
        }
        ErrorKind::UnknownArgument => Some(ko(strings::CLI_ERR_ARGUMENT, &[("arg", arg)])),
        ErrorKind::MissingRequiredArgument => match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(missing)) => Some(
                std::iter::once(strings::CLI_ERR_MISSING.ko.to_string())
                    .chain(missing.iter().map(|m| format!("  {m}")))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            _ => None,
        },
        ErrorKind::InvalidValue => {
            let mut m = if value.is_empty() {
                ko(strings::CLI_ERR_EMPTY_VALUE, &[("arg", arg)])
            } else {
                ko(strings::CLI_ERR_VALUE, &[("arg", arg), ("value", value)])
            };
            if let Some(ContextValue::Strings(valid)) = e.get(ContextKind::ValidValue) {
                if !valid.is_empty() {
                    m.push_str(&format!(
                        "\n  [{}: {}]",
                        strings::CLI_ERR_POSSIBLE_VALUES.ko,
                        valid.join(", ")
                    ));
                }
            }
            Some(m)
        }
        ErrorKind::MissingSubcommand => get(ContextKind::InvalidSubcommand).map(|name| {
            let mut m = ko(strings::CLI_ERR_NO_SUBCOMMAND, &[("name", name)]);
            if let Some(ContextValue::Strings(valid)) = e.get(ContextKind::ValidSubcommand) {
                if !valid.is_empty() {
                    m.push_str(&format!(
                        "\n  [{}: {}]",
                        strings::CLI_ERR_SUBCOMMANDS.ko,
                        valid.join(", ")
                    ));
                }
            }
            m
        }),
        ErrorKind::TooManyValues => Some(ko(strings::CLI_ERR_TOO_MANY, &[("arg", arg), ("value", value)])),
        ErrorKind::TooFewValues => Some(ko(
            strings::CLI_ERR_TOO_FEW,
            &[
                ("arg", arg),
                ("min", get(ContextKind::MinValues).unwrap_or_default()),
                ("actual", get(ContextKind::ActualNumValues).unwrap_or_default()),
            ],
        )),
        ErrorKind::WrongNumberOfValues => Some(ko(
            strings::CLI_ERR_WRONG_NUMBER,
            &[
                ("arg", arg),
                ("expected", get(ContextKind::ExpectedNumValues).unwrap_or_default()),
                ("actual", get(ContextKind::ActualNumValues).unwrap_or_default()),
            ],
        )),
        ErrorKind::ArgumentConflict => {
            let arg = get(ContextKind::InvalidArg)
                .or_else(|| get(ContextKind::InvalidSubcommand))
                .unwrap_or_default();
            Some(match e.get(ContextKind::PriorArg) {
                Some(ContextValue::String(p)) if *p == arg => ko(strings::CLI_ERR_REPEATED, &[("arg", arg)]),
                Some(ContextValue::String(p)) => ko(strings::CLI_ERR_CONFLICT, &[("arg", arg), ("other", p.clone())]),
                Some(ContextValue::Strings(others)) => {
                    std::iter::once(ko(strings::CLI_ERR_CONFLICT_MANY, &[("arg", arg)]))
                        .chain(others.iter().map(|o| format!("  {o}")))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
                _ => ko(strings::CLI_ERR_CONFLICT_OTHERS, &[("arg", arg)]),
            })
        }
        ErrorKind::NoEquals => Some(ko(strings::CLI_ERR_NO_EQUALS, &[("arg", arg)])),
        ErrorKind::ValueValidation => Some(ko(strings::CLI_ERR_VALUE, &[("arg", arg), ("value", value)])),
        ErrorKind::InvalidUtf8 => Some(strings::CLI_ERR_UTF8.ko.to_string()),
        _ => None,
    };
    s.push_str(&what.unwrap_or_else(|| strings::CLI_ERR_OTHER.ko.to_string()));

    // Tips, as clap gives them: similar names, then how to pass a value that looks like a flag.
    let mut tips = Vec::new();
    for (kind, tr) in [
        (ContextKind::SuggestedSubcommand, strings::CLI_SIMILAR_SUBCOMMAND),
        (ContextKind::SuggestedArg, strings::CLI_SIMILAR_ARGUMENT),
        (ContextKind::SuggestedValue, strings::CLI_SIMILAR_VALUE),
    ] {
        let names = match e.get(kind) {
            Some(ContextValue::String(n)) => vec![n.clone()],
            Some(ContextValue::Strings(n)) => n.clone(),
            _ => continue,
        };
        let names = names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
        tips.push(ko(tr, &[("names", names)]));
    }
    if let Some(ContextValue::StyledStrs(suggested)) = e.get(ContextKind::Suggested) {
        for tip in suggested {
            tips.push(as_value_tip(&tip.to_string()));
        }
    }
    if !tips.is_empty() {
        s.push('\n');
        for t in tips {
            s.push_str(&format!("\n  {} {t}", strings::CLI_TIP.ko));
        }
    }
    if let Some(usage) = get(ContextKind::Usage) {
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
        s.push_str(&format!("\n\n{}: {usage}", strings::CLI_HEADING_USAGE.ko));
    }
    // clap offers `--help` where the command has it (not inside `k8s-lab help …`).
    let english = e.render().to_string();
    match english
        .rsplit_once("For more information, try '")
        .and_then(|(_, f)| f.split_once("'."))
    {
        Some((flag, _)) => s.push_str(&format!(
            "\n\n{}\n",
            fill(strings::CLI_MORE.ko, &[("flag", flag.to_string())])
        )),
        None => s.push('\n'),
    }
    s
}

/// clap's "to pass 'X' as a value, use 'Y'" in Korean; another tip as clap wrote it.
fn as_value_tip(tip: &str) -> String {
    let parsed = tip
        .strip_prefix("to pass '")
        .and_then(|t| t.split_once("' as a value, use '"))
        .and_then(|(arg, rest)| Some((arg, rest.strip_suffix('\'')?)));
    match parsed {
        Some((arg, with)) => fill(
            strings::CLI_AS_VALUE.ko,
            &[("arg", arg.to_string()), ("use", with.to_string())],
        ),
        None => tip.to_string(),
    }
}

/// What the binary prints and exits with for a clap error in `lang`: help and version as
/// clap renders them (stdout), usage errors on stderr — clap's own in English, Korean from
/// [`korean_error`].
pub fn report_error(e: &clap::Error, lang: Lang) -> ExitCode {
    let own_words = matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::DisplayVersion
    );
    if lang == Lang::En || own_words {
        let _ = e.print();
    } else {
        eprint!("{}", korean_error(e));
    }
    ExitCode::from(e.exit_code().clamp(0, 255) as u8)
}

/// The whole binary: parse `args`, then run the command.
pub fn run(args: Vec<OsString>) -> ExitCode {
    let lang = lang_before_parsing(&args);
    let cli = match parse(&args, lang) {
        Ok(cli) => cli,
        Err(e) => return report_error(&e, lang),
    };
    let lang = match cli.lang.as_deref() {
        None => lang,
        Some(other) => match crate::app::pick_lang(Some(other)) {
            Ok(l) => l,
            Err(_) => {
                eprintln!(
                    "k8s-lab: {}",
                    fill(strings::CLI_UNKNOWN_LANG.get(lang), &[("lang", format!("{other:?}"))])
                );
                return ExitCode::from(2);
            }
        },
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("k8s-lab: {}: {e}", strings::CLI_NO_RUNTIME.get(lang));
            return ExitCode::FAILURE;
        }
    };
    let dir = cli.lessons.as_ref();
    let result: anyhow::Result<i32> = rt.block_on(async {
        use crate::app;
        match &cli.command {
            Command::Start { lesson } => app::start(lesson.as_deref(), dir, lang).await.map(|()| 0),
            Command::Shell { lesson } => app::shell(lesson.as_deref(), dir, lang).await,
            Command::List => app::list(dir, lang).map(|t| {
                print!("{t}");
                0
            }),
            Command::Reset { lesson } => app::reset(lesson, dir, lang).map(|m| {
                println!("{m}");
                0
            }),
            Command::Lint { path, run } => app::lint(path, *run, lang).await,
        }
    });
    // Pods, proxies and listeners are tasks of this runtime: do not wait for them.
    rt.shutdown_background();
    match result {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(e) => {
            eprintln!("k8s-lab: {e:#}");
            ExitCode::FAILURE
        }
    }
}
