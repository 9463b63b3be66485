//! Tests of the command line in both languages ([`crate::cli`]).

use std::ffi::OsString;

use clap::error::ErrorKind;

use crate::cli::{self, command, korean_error, lang_in_args, parse, TEXTS};
use crate::lessons::Lang;

fn args(line: &str) -> Vec<OsString> {
    std::iter::once("k8s-lab")
        .chain(line.split_whitespace())
        .map(OsString::from)
        .collect()
}

fn err(line: &str, lang: Lang) -> clap::Error {
    parse(&args(line), lang).expect_err(line)
}

fn help(line: &str, lang: Lang) -> String {
    let e = err(line, lang);
    assert!(
        matches!(
            e.kind(),
            ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        ),
        "{line}: {e}"
    );
    e.render().to_string()
}

fn hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

#[test]
fn the_language_is_read_before_parsing() {
    assert_eq!(lang_in_args(&args("--lang ko start")), Some(Lang::Ko));
    assert_eq!(lang_in_args(&args("start --lang=en")), Some(Lang::En));
    assert_eq!(lang_in_args(&args("reset --lang en x --lang ko")), Some(Lang::Ko));
    assert_eq!(lang_in_args(&args("start --lang fr")), None);
    assert_eq!(lang_in_args(&args("start --lang")), None);
    assert_eq!(lang_in_args(&args("lint -- --lang en")), None);
    assert_eq!(lang_in_args(&args("lint x")), None);
}

#[test]
fn parsing_is_the_same_in_both_languages() {
    for lang in [Lang::Ko, Lang::En] {
        let c = parse(&args("--lang ko lint lessons/ --run --lessons d"), lang).unwrap();
        assert_eq!(c.lang.as_deref(), Some("ko"));
        assert_eq!(c.lessons.as_deref(), Some(std::path::Path::new("d")));
        assert!(matches!(c.command, cli::Command::Lint { run: true, .. }));
    }
}

/// Every command and argument has its texts in the table, so `--lang ko` leaves none English.
#[test]
fn every_command_and_argument_has_korean() {
    let mut cmd = command(Lang::En);
    cmd.build();
    let has = |sub: Option<&str>, arg: Option<&str>| TEXTS.iter().any(|(s, a, _, _)| *s == sub && *a == arg);
    assert!(has(None, None));
    for a in cmd
        .get_arguments()
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
    {
        assert!(has(None, Some(a.get_id().as_str())), "--{}", a.get_id());
    }
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        assert!(has(Some(sub.get_name()), None), "{}", sub.get_name());
        for a in sub.get_arguments().filter(|a| !a.is_global_set()) {
            let id = a.get_id().as_str();
            if id != "help" && !["lessons", "lang"].contains(&id) {
                assert!(has(Some(sub.get_name()), Some(id)), "{} {id}", sub.get_name());
            }
        }
    }
    for (_, _, t, v) in TEXTS {
        assert!(hangul(t.ko), "{}", t.en);
        assert!(v.is_none_or(|v| hangul(v.ko)), "{}", t.en);
    }
}

#[test]
fn korean_help_has_korean_headings_and_texts() {
    let top = help("--help", Lang::Ko);
    for want in [
        "사용법: k8s-lab [옵션] <명령>",
        "\n명령:\n",
        "\n옵션:\n",
        "레슨을 전체 화면 실습실에서 엽니다",
        "--lang <언어>",
        "도움말을 봅니다",
        "버전을 봅니다",
        "이 도움말이나 주어진 명령의 도움말을 봅니다",
    ] {
        assert!(top.contains(want), "{want:?} in\n{top}");
    }
    for english in ["Usage", "Commands:", "Options:", "Print help", "OPTIONS", "COMMAND"] {
        assert!(!top.contains(english), "{english:?} in\n{top}");
    }
    let start = help("start --help", Lang::Ko);
    for want in [
        "사용법: k8s-lab start [옵션] [레슨]",
        "\n인자:\n  [레슨]",
        "열 레슨",
        "\n옵션:\n",
        "--lessons <폴더>",
        "도움말을 봅니다",
    ] {
        assert!(start.contains(want), "{want:?} in\n{start}");
    }
    assert!(!start.contains("Print") && !start.contains("Arguments"), "{start}");
    // `help start` shows the same as `start --help`.
    assert_eq!(help("help start", Lang::Ko), start);
    let lint = help("lint -h", Lang::Ko);
    assert!(lint.contains("사용법: k8s-lab lint [옵션] <경로>"), "{lint}");
    assert!(
        lint.contains("--run") && lint.contains("모든 단계의 풀이도 실행합니다"),
        "{lint}"
    );
    // No command at all: the help, on stderr, as a usage error.
    let e = err("", Lang::Ko);
    assert_eq!(e.kind(), ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand);
    assert!(e.use_stderr() && e.exit_code() == 2);
    assert!(e.render().to_string().contains("사용법: k8s-lab [옵션] <명령>"));
}

#[test]
fn english_help_is_clap_s_own() {
    let top = help("--help", Lang::En);
    assert!(top.starts_with("A terminal learning lab for Kubernetes Services, with an embedded cluster\n\nUsage: k8s-lab [OPTIONS] <COMMAND>\n\nCommands:\n  start  Open a lesson"), "{top}");
    assert!(
        top.contains("\nOptions:\n      --lessons <LESSONS>  A folder of lesson files"),
        "{top}"
    );
    assert!(
        top.contains("  -h, --help               Print help\n  -V, --version            Print version"),
        "{top}"
    );
    let start = help("start --help", Lang::En);
    assert!(
        start.contains("Usage: k8s-lab start [OPTIONS] [LESSON]\n\nArguments:\n  [LESSON]  The lesson to open"),
        "{start}"
    );
}

/// Each usage error kind the command line can meet, in Korean: what, tips, usage, `--help`;
/// laid out in as many lines as clap's English.
#[test]
fn usage_errors_in_korean() {
    let cases: &[(&str, ErrorKind, &[&str])] = &[
        ("bogus", ErrorKind::InvalidSubcommand, &["오류: 'bogus' 라는 명령은 없습니다", "사용법: k8s-lab [옵션] <명령>", "자세한 설명은 '--help' 로 볼 수 있습니다."]),
        ("strat", ErrorKind::InvalidSubcommand, &["오류: 'strat' 라는 명령은 없습니다\n\n  도움말: 비슷한 명령이 있습니다: 'start'\n\n사용법: k8s-lab [옵션] <명령>"]),
        ("reset", ErrorKind::MissingRequiredArgument, &["오류: 꼭 있어야 할 인자가 빠졌습니다:\n  <레슨>\n\n사용법: k8s-lab reset [옵션] <레슨>"]),
        ("list --frob", ErrorKind::UnknownArgument, &["오류: 알 수 없는 인자 '--frob' 가 있습니다", "사용법: k8s-lab list [옵션]"]),
        ("lint --runn x", ErrorKind::UnknownArgument, &["도움말: 비슷한 인자가 있습니다: '--run'"]),
        ("reset -x", ErrorKind::UnknownArgument, &["도움말: '-x' 를 값으로 넘기려면 '-- -x' 처럼 쓰세요"]),
        ("lint a b", ErrorKind::UnknownArgument, &["오류: 알 수 없는 인자 'b' 가 있습니다"]),
        ("list --lang", ErrorKind::InvalidValue, &["오류: '--lang <언어>' 에는 값이 있어야 하는데 없습니다"]),
        ("lint --run=3 x", ErrorKind::TooManyValues, &["오류: '--run' 에는 값을 더 줄 수 없는데 '3' 가 있습니다"]),
        ("--lang ko", ErrorKind::MissingSubcommand, &["오류: 'k8s-lab' 다음에 명령이 있어야 하는데 없습니다", "[명령: start, shell, list, reset, lint, help]"]),
        ("list --lang ko --lang en", ErrorKind::ArgumentConflict, &["오류: '--lang <언어>' 는 한 번만 쓸 수 있습니다"]),
    ];
    for (line, kind, wants) in cases {
        let e = err(line, Lang::Ko);
        assert_eq!(e.kind(), *kind, "{line}: {e}");
        assert_eq!(e.exit_code(), 2, "{line}");
        assert!(e.use_stderr(), "{line}");
        let k = korean_error(&e);
        for want in *wants {
            assert!(k.contains(want), "{line}: {want:?} not in\n{k}");
        }
        assert!(
            !k.contains("error:") && !k.contains("Usage") && !k.contains("tip:"),
            "{line}:\n{k}"
        );
        let english = err(line, Lang::En).render().to_string();
        assert_eq!(
            k.lines().count(),
            english.lines().count(),
            "{line}: layout differs\n{k}\n---\n{english}"
        );
    }
}

#[test]
fn help_and_version_exit_0_on_stdout() {
    for line in ["--help", "start --help", "-V", "help reset"] {
        for lang in [Lang::Ko, Lang::En] {
            let e = err(line, lang);
            assert_eq!(e.exit_code(), 0, "{line}");
            assert!(!e.use_stderr(), "{line}");
        }
    }
    assert_eq!(
        err("-V", Lang::Ko).render().to_string(),
        format!("k8s-lab {}\n", env!("CARGO_PKG_VERSION"))
    );
}
