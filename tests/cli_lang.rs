//! The real `k8s-lab` binary speaks the language of `--lang` (else of `LANG`) in everything it
//! prints outside the TUI: `lint`'s verdicts and the lesson errors in them, clap's help, and
//! clap's usage errors — with clap's exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/lessons/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `k8s-lab ARGS` with `env_lang` as the environment's language, and a data folder of its own
/// (never made: nothing here saves anything).
fn k8s_lab(args: &[&str], env_lang: &str) -> Output {
    let home: PathBuf = std::env::temp_dir().join(format!("k8s-lab-cli-lang-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_k8s-lab"))
        .args(args)
        .env("K8S_LAB_HOME", &home)
        .env_remove("LC_ALL")
        .env("LANG", env_lang)
        .output()
        .unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn lint_speaks_the_chosen_language() {
    let bad = fixture("unknown_key.yaml");
    let out = k8s_lab(&["--lang", "ko", "lint", &bad], "en_US.UTF-8");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        format!("오류: {bad}:8:5: steps[0]: 알 수 없는 키 `hint`: 쓸 수 있는 키는 `id`, `title`, `text`, `goal`, `hints`, `solution`, `checks`입니다\n")
    );

    let out = k8s_lab(&["--lang", "en", "lint", &bad], "C.UTF-8");
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout,
        format!("error: {bad}:8:5: steps[0]: unknown field `hint`, expected one of `id`, `title`, `text`, `goal`, `hints`, `solution`, `checks`\n")
    );

    let good = fixture("good/my-lesson.yaml");
    let out = k8s_lab(&["lint", &good, "--lang=ko"], "en_US.UTF-8");
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout,
        format!("통과: {good}\n  경고: description에 ko 글이 없습니다\n")
    );

    // A refused check: lesson id, step and check in front, the refusal in Korean.
    let out = k8s_lab(
        &["--lang", "ko", "lint", &fixture("regex/old-regex-check.yaml")],
        "C.UTF-8",
    );
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.starts_with("오류: old-regex-check: 단계 watch: checks[0]: command_ran "),
        "{stdout}"
    );
    assert!(stdout.contains("학습자에게 정규식을 보여 줍니다"), "{stdout}");

    // A lesson that is not there.
    let out = k8s_lab(&["--lang", "ko", "lint", "no-such-lesson"], "C.UTF-8");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("\"no-such-lesson\" 라는 레슨이 없습니다"), "{stderr}");
}

#[test]
fn without_lang_the_environment_decides() {
    let bad = fixture("bad_kind.yaml");
    let (stdout, _) = text(&k8s_lab(&["lint", &bad], "en_US.UTF-8"));
    assert!(stdout.starts_with(&format!("error: {bad}:9:24: ")), "{stdout}");
    assert!(stdout.contains("unknown kind \"Servise\""), "{stdout}");
    let (stdout, _) = text(&k8s_lab(&["lint", &bad], "ko_KR.UTF-8"));
    assert!(stdout.starts_with(&format!("오류: {bad}:9:24: ")), "{stdout}");
    assert!(stdout.contains("알 수 없는 종류 \"Servise\""), "{stdout}");

    let out = k8s_lab(&["--help"], "en_US.UTF-8");
    let (stdout, _) = text(&out);
    assert!(stdout.contains("Usage: k8s-lab [OPTIONS] <COMMAND>"), "{stdout}");
    assert!(
        stdout.contains("\nCommands:\n") && stdout.contains("\nOptions:\n"),
        "{stdout}"
    );
    let out = k8s_lab(&["reset"], "en_US.UTF-8");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.starts_with("error: the following required arguments were not provided:\n  <LESSON>\n"),
        "{stderr}"
    );
}

#[test]
fn help_speaks_korean() {
    let out = k8s_lab(&["--lang", "ko", "--help"], "en_US.UTF-8");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    for want in [
        "사용법: k8s-lab [옵션] <명령>",
        "\n명령:\n",
        "\n옵션:\n",
        "  lint   레슨 파일을 검사하고",
        "도움말을 봅니다",
    ] {
        assert!(stdout.contains(want), "{want:?} not in\n{stdout}");
    }
    assert!(!stdout.contains("Usage") && !stdout.contains("Print help"), "{stdout}");

    let out = k8s_lab(&["--lang", "ko", "start", "--help"], "en_US.UTF-8");
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    for want in [
        "사용법: k8s-lab start [옵션] [레슨]",
        "\n인자:\n  [레슨]  열 레슨",
        "레슨을 전체 화면 실습실에서 엽니다",
    ] {
        assert!(stdout.contains(want), "{want:?} not in\n{stdout}");
    }
    assert!(!stdout.contains("Arguments") && !stdout.contains("Options"), "{stdout}");
}

#[test]
fn usage_errors_speak_korean_with_exit_code_2() {
    let out = k8s_lab(&["--lang", "ko", "reset"], "en_US.UTF-8");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(
        stderr,
        "오류: 꼭 있어야 할 인자가 빠졌습니다:\n  <레슨>\n\n사용법: k8s-lab reset [옵션] <레슨>\n\n자세한 설명은 '--help' 로 볼 수 있습니다.\n"
    );

    let out = k8s_lab(&["--lang", "ko", "bogus"], "en_US.UTF-8");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.starts_with("오류: 'bogus' 라는 명령은 없습니다\n"), "{stderr}");
    assert!(stderr.contains("사용법: k8s-lab [옵션] <명령>"), "{stderr}");

    let (_, stderr) = text(&k8s_lab(&["--lang", "ko", "strat"], "en_US.UTF-8"));
    assert!(stderr.contains("도움말: 비슷한 명령이 있습니다: 'start'"), "{stderr}");

    // No command: the help, on stderr, exit 2 — as clap does.
    let out = k8s_lab(&["--lang", "ko"], "en_US.UTF-8");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("'k8s-lab' 다음에 명령이 있어야 하는데 없습니다"),
        "{stderr}"
    );

    // A language the lab does not speak is refused, in the environment's language.
    let out = k8s_lab(&["--lang", "fr", "list"], "ko_KR.UTF-8");
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("\"fr\" 라는 언어는 없습니다"), "{stderr}");
}
