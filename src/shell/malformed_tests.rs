//! Malformed command lines: each gives an error (or a defined result) and the session keeps
//! working afterwards. Expectations are what bash (and GNU tools) print, with `sh:` as prefix.

use super::tests::{run, session};

/// (line, expected status, text the output must contain — empty: output must be empty).
const CASES: &[(&str, i32, &str)] = &[
    // Unbalanced quotes and brackets.
    ("echo 'abc", 2, "unexpected EOF while looking for matching '''"),
    ("echo \"abc", 2, "unexpected EOF while looking for matching '\"'"),
    ("echo `abc", 2, "unexpected EOF while looking for matching '`'"),
    ("echo $(echo a", 2, "unexpected EOF while looking for matching ')'"),
    ("echo $(", 2, "unexpected EOF"),
    ("$(", 2, "unexpected EOF"),
    ("echo ${", 2, "unexpected EOF while looking for matching '}'"),
    ("echo ${A", 2, "unexpected EOF while looking for matching '}'"),
    ("echo ${A:-x", 2, "matching '}'"),
    ("(echo a", 2, "matching ')'"),
    ("echo \"$(echo 'a)\"", 2, "unexpected EOF"),
    ("echo 'a\"b", 2, "matching '''"),
    ("\"", 2, "syntax error: unexpected end of file"),
    ("'", 2, "syntax error: unexpected end of file"),
    ("echo \"a\\", 2, "unexpected end of file"),
    // Lone and doubled operators.
    ("|", 2, "syntax error near unexpected token '|'"),
    ("| grep x", 2, "near unexpected token '|'"),
    ("&&", 2, "near unexpected token '&&'"),
    ("|| echo x", 2, "near unexpected token '||'"),
    (";", 2, "near unexpected token ';'"),
    (";;", 2, "near unexpected token ';;'"),
    ("echo a ;;", 2, "near unexpected token ';;'"),
    ("echo a; ; echo b", 2, "near unexpected token ';'"),
    ("echo a | | grep a", 2, "near unexpected token '|'"),
    ("echo a && && echo b", 2, "near unexpected token '&&'"),
    ("echo a || || echo b", 2, "near unexpected token '||'"),
    ("echo a |", 2, "unexpected end of file"),
    ("echo a &&", 2, "unexpected end of file"),
    ("echo a ||", 2, "unexpected end of file"),
    ("echo a | ;", 2, "near unexpected token ';'"),
    ("echo a && ;", 2, "near unexpected token ';'"),
    (")", 2, "near unexpected token ')'"),
    ("echo )", 2, "near unexpected token ')'"),
    ("()", 2, "near unexpected token ')'"),
    ("echo a(", 2, "near unexpected token '('"),
    ("echo (a)", 2, "near unexpected token '('"),
    ("&", 2, "near unexpected token '&'"),
    ("sleep 5 &", 2, "background jobs"),
    ("echo a & echo b", 2, "background jobs"),
    ("a |& b", 2, "near unexpected token '&'"),
    // Redirections without targets.
    ("echo >", 2, "near unexpected token 'newline'"),
    ("echo <", 2, "near unexpected token 'newline'"),
    ("echo >>", 2, "near unexpected token 'newline'"),
    ("echo > | cat", 2, "near unexpected token '|'"),
    ("echo 2>&", 2, "near unexpected token"),
    ("echo >&x", 2, "near unexpected token"),
    ("cat <<", 2, "near unexpected token 'newline'"),
    ("cat <<<", 2, "near unexpected token 'newline'"),
    ("echo a >&5", 1, "5: Bad file descriptor"),
    ("echo <> f", 2, "not supported"),
    ("cat < /no/such/file", 1, "No such file or directory"),
    ("echo a > /", 1, "Is a directory"),
    ("echo a > ../escape", 1, "outside the lesson folder"),
    ("echo a > $(echo x y)", 1, "ambiguous redirect"),
    // Bad substitutions.
    ("echo ${}", 2, "${}: bad substitution"),
    ("echo ${a b}", 2, "${a b}: bad substitution"),
    ("echo ${a/b/c}", 2, "bad substitution"),
    ("echo ${!A}", 2, "${!A}: bad substitution"),
    ("echo ${#}", 0, "0"),
    ("echo ${1:=x}", 2, "bad substitution"),
    ("echo ${A:?}", 1, "A: parameter null or not set"),
    ("echo ${A?gone}", 1, "A: gone"),
    ("echo $", 0, "$"),
    ("echo $$$", 0, "$"),
    ("echo \"$\"", 0, "$"),
    ("echo $((1+2))", 0, "3"),
    (
        "echo $((1+))",
        1,
        "sh: 1+: syntax error: operand expected (error token is \"+\")",
    ),
    ("echo $((1/0))", 1, "sh: 1/0: division by 0 (error token is \"0\")"),
    ("echo $((1 2))", 1, "syntax error in expression (error token is \"2\")"),
    ("echo $((", 2, "unexpected EOF"),
    ("echo $((1+2)", 2, "unexpected EOF"),
    ("echo $((09))", 1, "value too great for base"),
    // Unknown commands and flags.
    ("nosuchcommand", 127, "sh: nosuchcommand: command not found"),
    ("k8s-lab", 127, "sh: k8s-lab: command not found"),
    ("./script.sh", 127, "command not found"),
    ("/bin/ls", 127, "command not found"),
    ("rm -rf /", 127, "sh: rm: command not found"),
    ("\"\"", 127, "sh: : command not found"),
    ("grep -Z x", 2, "grep: invalid option -- 'Z'"),
    ("grep --nope x", 2, "grep: unrecognized option '--nope'"),
    ("grep -A x y", 2, "x: invalid context length argument"),
    ("grep -e", 2, "option requires an argument -- 'e'"),
    ("grep '['", 2, "Unmatched ["),
    ("grep -E '(a'", 2, "Unmatched ( or \\("),
    ("grep '\\(a\\)\\1'", 2, "back-references"),
    ("head -z", 1, "head: invalid option -- 'z'"),
    ("head -n", 1, "option requires an argument -- 'n'"),
    ("tail -n abc", 1, "invalid number of lines"),
    ("wc -q", 1, "wc: invalid option -- 'q'"),
    ("sort -Q", 2, "sort: invalid option -- 'Q'"),
    ("sort -k 0", 2, "invalid number at field start"),
    ("sleep -1", 1, "invalid time interval '-1'"),
    ("sleep 1x", 1, "invalid time interval"),
    ("timeout", 125, "missing operand"),
    ("timeout 5", 125, "missing operand"),
    ("timeout abc echo", 125, "invalid time interval 'abc'"),
    ("timeout --bogus 1 echo", 125, "unrecognized option '--bogus'"),
    ("timeout -s", 125, "requires an argument"),
    ("export -z", 2, "export: -z: invalid option"),
    ("export =x", 1, "not a valid identifier"),
    ("export 'a b=c'", 1, "not a valid identifier"),
    ("unset 1x", 1, "not a valid identifier"),
    ("exit abc", 2, "numeric argument required"),
    ("history x", 1, "numeric argument required"),
    ("cd /nope", 1, "No such file or directory"),
    ("cd a b", 1, "too many arguments"),
    ("help nope", 1, "no help topics match"),
    ("minikube", 1, "Usage: minikube"),
    ("minikube service", 64, "You must specify a service name"),
    ("minikube service x", 1, "--url"),
    ("openssl", 1, "openssl"),
    ("openssl req", 1, "-x509"),
    ("openssl req -x509 -nodes -subj bad", 1, "Can't parse"),
    ("openssl req -x509 -nodes -subj /CN=x -days -5", 1, "Invalid number"),
    ("openssl req -x509 -nodes -subj /CN=x -newkey rsa:99", 1, "2048 to 4096"),
    ("cat /etc/../../x", 1, "outside the lesson folder"),
    ("ls /nope", 2, "cannot access '/nope'"),
    ("ls -Z", 2, "ls: invalid option -- 'Z'"),
    // Control characters, odd bytes, huge input.
    ("\x01\x02\x03", 127, "command not found"),
    ("echo \x1b[31mred", 0, "\x1b[31mred"),
    ("echo a\rb", 0, "a\rb"),
    ("\x7f", 127, "command not found"),
    ("echo \u{0}", 0, "\u{0}"),
    ("\u{feff}echo x", 127, "command not found"),
    ("echo 日本語 '한국어'", 0, "日本語 한국어"),
    ("\t\t", 0, ""),
    ("   ", 0, ""),
    ("#", 0, ""),
    ("echo a\\", 0, "a\\"),
    ("echo \\", 0, "\\"),
    ("!", 1, ""),
    ("! ;", 1, ""),
    ("=", 127, "sh: =: command not found"),
    ("A==b", 0, ""),
    ("cat <<EOF", 0, "here-document delimited by end-of-file"),
    ("cat <<'E\"OF'\nx\nE\"OF", 0, "x"),
    ("cat <<$(echo x)\nx", 2, "heredoc delimiter must be plain text"),
    ("echo `echo \\`", 2, "unexpected EOF"),
    ("{ echo a; }", 127, "sh: {: command not found"),
    (
        "if true; then echo a; fi",
        2,
        "sh: if: loops and if/case blocks are not part of the lab's shell",
    ),
    (
        "while true; do curl 127.0.2.1:30080; done",
        2,
        "sh: while: loops and if/case blocks",
    ),
    ("for i in $(seq 100000); do echo $i; done", 2, "sh: for: loops"),
    ("echo while; echo 'for'", 0, "while\nfor"),
];

#[tokio::test(start_paused = true)]
async fn malformed_lines_error_and_the_session_survives() {
    assert!(CASES.len() >= 100, "{} cases", CASES.len());
    let (mut s, _d) = session().await;
    for (line, status, want) in CASES {
        let (st, text) = run(&mut s, line).await;
        assert_eq!(st, *status, "status of {line:?}: {text:?}");
        if want.is_empty() {
            assert_eq!(text, "", "output of {line:?}");
        } else {
            assert!(text.contains(want), "{line:?} printed {text:?}, wanted {want:?}");
        }
        assert_eq!(s.exit.take().is_some(), line.starts_with("exit"), "{line:?}");
        let (st, text) = run(&mut s, "echo ok").await;
        assert_eq!((st, text.as_str()), (0, "ok\n"), "after {line:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn huge_and_hostile_inputs_do_not_break_the_session() {
    let (mut s, _d) = session().await;
    let big = format!("echo {}", "x".repeat(1_000_000));
    let (st, text) = run(&mut s, &big).await;
    assert_eq!((st, text.len()), (0, 1_000_001));
    let many = "echo a; ".repeat(20_000);
    let (st, text) = run(&mut s, &many).await;
    assert_eq!((st, text.len()), (0, 40_000));
    let nested = "$(".repeat(100_000);
    let (st, text) = run(&mut s, &format!("echo {nested}")).await;
    assert_eq!(st, 2);
    assert!(text.contains("nested too deeply"), "{text}");
    let pipes = format!("echo a{}", " | cat".repeat(500));
    assert_eq!(run(&mut s, &pipes).await, (0, "a\n".into()));
    let quotes = "'".repeat(100_001);
    assert_eq!(run(&mut s, &quotes).await.0, 2);
    let mixed: String = (0u8..=255).map(char::from).collect();
    let _ = run(&mut s, &mixed).await;
    let _ = run(&mut s, &mixed.chars().rev().collect::<String>()).await;
    s.exit = None;
    assert_eq!(run(&mut s, "echo ok").await, (0, "ok\n".into()));
}
