//! Tests of the Korean catalog for lesson-file messages ([`super::lint_words`]): the matcher,
//! nested prefixes, the English fallback, and that every message the loader can write (read
//! off its source) and every message real bad lessons get has a Korean form.

use std::path::Path;

use super::lint_words::{has_korean, translate, WORDS};
use super::*;

fn ko(en: &str) -> String {
    translate(en, Lang::Ko)
}

fn hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

/// Three or more plain English words in a row outside quotes and backticks: a message left
/// (partly) untranslated. Quoted text is the author's own and stays as written.
fn english_run(s: &str) -> Option<String> {
    let mut plain = String::new();
    let mut quote = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '`' | '"') => quote = Some(c),
            None => plain.push(c),
        }
    }
    let words: Vec<&str> = plain.split(' ').collect();
    words
        .windows(3)
        .find(|w| {
            w.iter()
                .all(|t| t.len() > 1 && t.chars().all(|c| c.is_ascii_alphabetic()))
        })
        .map(|w| w.join(" "))
}

#[test]
fn english_stays_english() {
    let msg = "steps[0]: unknown field `hint`, expected one of `id`, `title`";
    assert_eq!(translate(msg, Lang::En), msg);
}

#[test]
fn whole_messages_and_slots() {
    assert_eq!(ko("missing field `title`"), "`title` 키가 없습니다 (꼭 있어야 합니다)");
    assert_eq!(
        ko("nodes must be between 1 and 10, not 12"),
        "노드 수(nodes)는 1에서 10 사이여야 합니다. 12은(는) 안 됩니다"
    );
    assert_eq!(
        ko("path \"../../secret.yaml\" leaves the lesson folder ('..' is not allowed)"),
        "경로 \"../../secret.yaml\"이(가) 레슨 폴더 밖으로 나갑니다 ('..'는 쓸 수 없습니다)"
    );
    // The more specific shape wins: two names are not read as one name with "` or `" in it.
    assert_eq!(
        ko("unknown field `x`, expected `a` or `b`"),
        "알 수 없는 키 `x`: `a`, `b`만 쓸 수 있습니다"
    );
    assert_eq!(
        ko("unknown field `x`, expected `a`"),
        "알 수 없는 키 `x`: `a`만 쓸 수 있습니다"
    );
    // Braces of the placeholder syntax are text, not slots.
    assert_eq!(
        ko("placeholder {{svc:x}} needs three parts: {{SOURCE:NAME:FIELD}}"),
        "플레이스홀더 {{svc:x}}은(는) 세 부분으로 되어 있어야 합니다: {{SOURCE:NAME:FIELD}} (종류:이름:필드)"
    );
    // A slot's text that looks like a slot number is copied, not filled again.
    assert_eq!(ko("missing field `{2}`"), "`{2}` 키가 없습니다 (꼭 있어야 합니다)");
}

#[test]
fn nested_messages_are_translated_inside_out() {
    // serde's found/expected parts are messages of their own.
    assert_eq!(
        ko("invalid type: string \"x\", expected struct I18n"),
        "형식이 맞지 않습니다 (와야 할 것: 맵(I18n), 실제: 문자열 \"x\")"
    );
    // A YAML path in front is kept; a step prefix is translated; both nest.
    assert_eq!(
        ko("steps[0].checks[1]: unknown variant `service_exists`, expected one of `object_exists`, `http`"),
        "steps[0].checks[1]: 알 수 없는 값 `service_exists`: `object_exists`, `http` 중 하나를 쓰세요"
    );
    assert_eq!(ko("step a: title has no ko text"), "단계 a: title에 ko 글이 없습니다");
    assert_eq!(
        ko("steps[0].checks[0]: flags: \"--nope\" for kubectl get: unknown flag: --nope"),
        "steps[0].checks[0]: flags: kubectl get의 \"--nope\": 알 수 없는 플래그: --nope"
    );
    // lint's refusal: lesson id, step, check index, then the refusal and its suggestion.
    let refusal = "old: step watch: checks[0]: command_ran \"^curl\" would show the learner a regex when it fails; use a check on the outcome: `object_exists`, `field_equals`, `traffic` or `kubectl`";
    assert_eq!(
        ko(refusal),
        "old: 단계 watch: checks[0]: command_ran \"^curl\"은(는) 실패할 때 학습자에게 정규식을 보여 줍니다. 대신 쓸 것: 결과를 보는 검사: `object_exists`, `field_equals`, `traffic`, `kubectl` 중 하나"
    );
    // The YAML parser's problem and context, with the place between them.
    assert_eq!(
        ko("did not find expected key at line 8 column 4, while parsing a block mapping"),
        "키가 와야 할 자리에 키가 없습니다 (들여쓰기를 확인하세요) (8행 4열, 들여쓴 맵을 읽는 중)"
    );
    // An inner message nobody translated stays English inside the Korean frame.
    assert_eq!(
        ko("urls: cannot read \"a.txt\": the disk is on fire"),
        "urls: \"a.txt\"을(를) 읽을 수 없습니다: the disk is on fire"
    );
}

#[test]
fn unknown_text_falls_back_to_english() {
    for s in ["the disk is on fire", "", "steps[0]: the disk is on fire", "a: b: c"] {
        assert_eq!(ko(s), s);
        assert!(!has_korean(s), "{s}");
    }
    // A path in front alone is not a translation.
    assert!(!has_korean("steps[0]: something new"));
}

#[test]
fn every_shape_is_well_formed() {
    for (en, k) in WORDS {
        assert!(hangul(k), "no Korean for {en:?}: {k:?}");
        assert!(
            !en.contains("{}{}") && !en.contains("{}{msg}") && !en.contains("{msg}{"),
            "{en:?}"
        );
        let slots = en.matches("{}").count() + en.matches("{msg}").count();
        for n in 1..=slots {
            assert!(k.contains(&format!("{{{n}}}")), "{k:?} does not use slot {n} of {en:?}");
        }
        assert!(
            !k.contains(&format!("{{{}}}", slots + 1)),
            "{k:?} uses a slot {en:?} lacks"
        );
        let sample = en.replace("{msg}", "x y").replace("{}", "x");
        assert!(has_korean(&sample), "{en:?} does not match its own sample {sample:?}");
    }
}

/// The string literals of a Rust source (comments and the tests at its end left out), each
/// with whether it is a format string (the first argument of `format!` or `#[error]`).
fn literals(source: &str) -> Vec<(String, bool)> {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' => {
                // A char literal ('x', '\n', '\'') or a lifetime ('de).
                if b.get(i + 1) == Some(&b'\\') {
                    i += 3;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    let len = code[i + 1..].chars().next().map_or(1, char::len_utf8);
                    i += if b.get(i + 1 + len) == Some(&b'\'') { len + 2 } else { 1 };
                }
            }
            b'"' => {
                let before = code[..i].trim_end();
                let is_format = before.ends_with("format!(") || before.ends_with("#[error(");
                let mut s = String::new();
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        match b[i + 1] {
                            b'n' => s.push('\n'),
                            b'\n' => {
                                i += 2;
                                while b[i].is_ascii_whitespace() {
                                    i += 1;
                                }
                                continue;
                            }
                            c => s.push(c as char),
                        }
                        i += 2;
                    } else {
                        let c = code[i..].chars().next().unwrap();
                        s.push(c);
                        i += c.len_utf8();
                    }
                }
                i += 1;
                out.push((s, is_format));
            }
            _ => i += 1,
        }
    }
    out
}

/// A format string with its `{…}` arguments filled with samples (`"x"` for `{:?}`, `x` else).
fn sample(format: &str) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let spec: String = chars.by_ref().take_while(|c| *c != '}').collect();
                out.push_str(if spec.ends_with(":?") { "\"x\"" } else { "x" });
            }
            c => out.push(c),
        }
    }
    out
}

/// Literals of the loader that are not messages to a lesson author.
const NOT_MESSAGES: &[&str] = &[
    // Where serde_yaml's own place is cut off a message.
    " at line ",
];

/// Every English message the loader writes — read off its source, so a new one without a
/// Korean form fails here. English literals right after a Korean one are that text's own
/// English twin (`I18n::new(ko, en)`) and need no entry.
#[test]
fn every_message_of_the_loader_has_korean() {
    let sources = [
        ("mod.rs", include_str!("mod.rs")),
        ("format.rs", include_str!("format.rs")),
        ("placeholders.rs", include_str!("placeholders.rs")),
        ("verify.rs", include_str!("verify.rs")),
    ];
    let mut checked = 0;
    for (file, source) in sources {
        let mut after_korean = false;
        for (lit, is_format) in literals(source) {
            if hangul(&lit) {
                after_korean = true;
                continue;
            }
            let twin = std::mem::take(&mut after_korean);
            let words = lit
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| ",;:()`'\"".contains(c)))
                .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
                .count();
            if words < 2 || twin || NOT_MESSAGES.contains(&lit.as_str()) {
                continue;
            }
            let text = if is_format { sample(&lit) } else { lit.clone() };
            let k = ko(&text);
            assert!(
                has_korean(&text) && hangul(&k),
                "{file}: no Korean for {lit:?} (as {text:?})"
            );
            checked += 1;
        }
    }
    assert!(
        checked > 40,
        "only {checked} messages found: is the scan still reading the sources?"
    );
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lessons")
        .join(name)
}

const HEAD: &str = "format_version: 1\nid: demo\nslug: demo\ntitle: {en: Demo}\n";
const STEP: &str = "steps:\n- id: a\n  title: {en: A}\n";

/// Lesson texts that each fail in their own way: syntax, serde's shapes, and the loader's
/// own checks.
fn bad_lessons() -> Vec<String> {
    let check = |c: &str| format!("{HEAD}{STEP}  checks:\n  - {c}\n");
    let mut v: Vec<String> = [
        "",
        "x\n",
        "steps: [\n",
        "steps:\n\t- id: a\n",
        "format_version: 1\nid: demo\nslug: demo\nsteps: []\n",
        "format_version: 2\nid: demo\nslug: demo\ntitle: {en: Demo}\nsteps: []\n",
        "format_version: one\nid: demo\nslug: demo\ntitle: {en: Demo}\nsteps: []\n",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    v.extend(
        [
            "steps:\n- id: a\n  title: {en: A}\n   bad: x\n",
            "steps:\n- id: a\n  title: x\n",
            "steps:\n- id: a\n  title: {en: A}\n  id: b\n",
            "steps:\n- id: A\n  title: {en: A}\n",
            "steps:\n- id: a\n  title: {}\n",
            "steps:\n- id: a\n  title: {en: A}\n- id: a\n  title: {en: B}\n",
            "steps:\n- id: a\n  title: {en: A}\n  text: {en: '{{svc:x}}'}\n",
            "steps:\n- id: a\n  title: {en: A}\n  text: {en: '{{bogus:x:y}}'}\n",
            "steps:\n- id: a\n  title: {en: A}\n  text: {en: '{{svc::name}}'}\n",
            "steps:\n- id: a\n  title: {en: A}\n  text: {en: '{{svc:x:nope}}'}\n",
            "steps:\n- id: a\n  title: {en: A}\n  text: {en: '{{svc:x:spec}}'}\n",
            "steps:\n- id: a\n  title: {en: A}\n  hints: x\n",
            "steps:\n- id: a\n  title: {en: A}\n  solution: [[1]]\n",
            "steps:\n- id: a\n  title: {en: A, de: B}\n",
            "steps: []\n",
            "steps: {}\n",
            "cluster: {nodes: many}\nsteps: []\n",
            "cluster: {nodes: -1}\nsteps: []\n",
            "cluster: {nodes: 11}\nsteps: []\n",
            "cluster: {clock_speed: 0}\nsteps: []\n",
            "cluster: {container_start_seconds: 5000}\nsteps: []\n",
            "cluster: {node_name: Node1}\nsteps: []\n",
            "cluster: {loadbalancer: {pool: [nope]}}\nsteps: []\n",
            "cluster: {loadbalancer: {pool: [192.168.1.1]}}\nsteps: []\n",
            "cluster: {loadbalancer: {pool: ['127.0.0.9-127.0.0.1']}}\nsteps: []\n",
            "cluster: {loadbalancer: {delay_seconds: true}}\nsteps: []\n",
            "cluster: {nodez: 3}\nsteps: []\n",
            "files: /etc\nsteps: []\n",
            "files: ../x\nsteps: []\n",
            "files: .\nsteps: []\n",
            "urls: {'ftp://x': a.txt}\nsteps:\n- id: a\n  title: {en: A}\n",
            "setup: {a: b}\nsteps: []\n",
        ]
        .into_iter()
        .map(|rest| format!("{HEAD}{rest}")),
    );
    v.extend(
        [
            "kubectl: {verb: []}",
            "kubectl: {verb: get, name: x}",
            "kubectl: {verb: 5}",
            "kubectl: {verb: frob}",
            "kubectl: {verb: get, flags: [--nope]}",
            "kubectl: {verb: get, flags: ['-w -o']}",
            "kubectl: {verb: get, kind: Servise}",
            "kubectl: {verb: get, since: forever}",
            "traffic: {via: nodeport}",
            "traffic: {from: laptop}",
            "traffic: {to_port: 70000}",
            "http: {url: x, status: 99999}",
            "http: {url: x, status: [1]}",
            "http: {url: x, from: laptop}",
            "http: {url: x, status: 200, status: 201}",
            "http: x",
            "http: {}",
            "{http: {url: x}, traffic: {}}",
            "service_exists: {name: x}",
            "pods_have_env: {selector: 'a in b', var: X}",
            "pods_have_env: {selector: 'a b', var: X}",
            "field_equals: {kind: svc, name: x, jsonpath: spec, value: 1}",
            "field_equals: {kind: svc, name: x, jsonpath: '{.spec[}', value: 1}",
            "field_equals: {kind: svc, name: x, jsonpath: .a, value: [1]}",
            "field_equals: {kind: svc, name: x, jsonpath: .a, value: '{{svc:x}}'}",
            "object_exists: {kind: svc}",
            "object_exists: {kind: svc, name: x, extra: 1}",
            "ready_endpoints: {service: x, count: lots}",
            "command_ran: {pattern: '(('}",
        ]
        .into_iter()
        .map(check),
    );
    v
}

/// Every way a lesson above and the invalid fixtures fail gets Korean with no English
/// sentence left in it, and its place in front unchanged.
#[test]
fn real_bad_lessons_get_korean() {
    let mut messages = Vec::new();
    for text in bad_lessons() {
        match build("bad.yaml", &text, Origin::Bundled("bad.yaml".into()), &BundledSource) {
            Ok(_) => panic!("this lesson loads, but it is here to fail:\n{text}"),
            Err(e) => messages.push(e),
        }
    }
    for name in [
        "bad_check_kind.yaml",
        "bad_kind.yaml",
        "bad_placeholder.yaml",
        "duplicate_step.yaml",
        "missing_url_file.yaml",
        "non_loopback_pool.yaml",
        "path_escape.yaml",
        "unknown_key.yaml",
    ] {
        match load_path(&fixture(name)) {
            Err(LessonError::Format(e)) => messages.push(e),
            other => panic!("{name}: {other:?}"),
        }
    }
    for e in messages {
        let k = ko(&e.message);
        assert!(has_korean(&e.message) && hangul(&k), "no Korean for {:?}", e.message);
        // The regex library's own report is quoted as it is.
        if !e.message.starts_with("steps[0].checks[0].command_ran: invalid pattern") {
            assert_eq!(english_run(&k), None, "English left in {k:?} (from {:?})", e.message);
        }
        let localized = LessonError::Format(e.clone()).localized(Lang::Ko);
        let place = e.to_string().split(&e.message).next().unwrap().to_string();
        assert_eq!(localized, format!("{place}{k}"), "the place in front stays as it was");
    }
}

/// `lint`'s warnings and refusals of a lesson that loads.
#[test]
fn lint_warnings_and_refusals_get_korean() {
    let text = format!(
        "{HEAD}steps:\n- id: a\n  title: {{en: A}}\n  text: {{en: Text}}\n  goal: {{ko: 목표}}\n  hints: [{{en: H}}]\n- id: watch\n  title: {{ko: 보기, en: Watch}}\n  solution: [kubectl get svc -w]\n  checks:\n  - command_ran: {{pattern: 'kubectl get svc'}}\n  - command_ran: {{pattern: '^curl'}}\n  - command_ran: {{pattern: 'x'}}\n"
    );
    let l = build("w.yaml", &text, Origin::Bundled("w.yaml".into()), &BundledSource).unwrap();
    let warnings = l.warnings();
    assert!(warnings.len() >= 6, "{warnings:?}");
    for w in &warnings {
        let k = ko(w);
        assert!(hangul(&k), "{w}");
        assert_eq!(english_run(&k), None, "{k}");
    }
    let Err(refused) = l.lint_result() else {
        panic!("command_ran must be refused")
    };
    let LessonError::Refused(lines) = &refused else {
        panic!("{refused:?}")
    };
    assert_eq!(lines.len(), 3);
    let k = refused.localized(Lang::Ko);
    assert_eq!(k.lines().count(), 3, "{k}");
    for line in k.lines() {
        assert!(line.starts_with("demo: 단계 watch: checks["), "{line}");
        assert_eq!(english_run(line), None, "{line}");
    }
    assert_eq!(refused.localized(Lang::En), refused.to_string());
}

/// The other ways a lesson does not open, as `lint` and `start` print them.
#[test]
fn other_lesson_errors_get_korean() {
    let io = load_path(Path::new("/nonexistent/k8s-lab/lesson.yaml")).unwrap_err();
    let k = io.localized(Lang::Ko);
    assert!(k.starts_with("/nonexistent/k8s-lab/lesson.yaml: "), "{k}");
    assert!(k.contains("그런 파일이나 폴더가 없습니다"), "{k}");
    let setup = LessonError::Setup(SetupError {
        line: "kubectl frob".into(),
        status: 1,
    });
    assert_eq!(
        setup.localized(Lang::Ko),
        "레슨 준비 명령 \"kubectl frob\"이(가) 종료 코드 1(으)로 실패했습니다"
    );
    let cluster = LessonError::Cluster("no free port".into());
    assert_eq!(
        cluster.localized(Lang::Ko),
        "실습 클러스터가 시작되지 않았습니다: no free port"
    );
    assert_eq!(
        cluster.localized(Lang::En),
        "the lab cluster did not start: no free port"
    );
}
