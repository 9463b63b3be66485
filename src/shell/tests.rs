//! Whole-line tests: a real [`Session`] on a real lab cluster (paused time), checked against what
//! bash prints for the same line.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use super::Session;
use crate::io::Output;
use crate::runtime::{Cluster, ClusterConfig};
use crate::workspace::Workspace;

/// A scratch workspace folder, removed when dropped.
pub(crate) struct Scratch(pub std::path::PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) async fn session_with(config: ClusterConfig) -> (Session, Scratch) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "k8s-lab-shell-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let cluster = Cluster::start(config).await.unwrap();
    (Session::new(cluster, Workspace::new(&dir)), Scratch(dir))
}

pub(crate) async fn session() -> (Session, Scratch) {
    session_with(ClusterConfig::default()).await
}

/// Run a line; (status, stdout+stderr as the terminal shows them).
pub(crate) async fn run(s: &mut Session, line: &str) -> (i32, String) {
    let (out, buf) = Output::buffer();
    let status = s.run_line(line, &out).await;
    (status, buf.text())
}

/// Run a line; (status, stdout, stderr).
pub(crate) async fn run3(s: &mut Session, line: &str) -> (i32, String, String) {
    let (out, buf) = Output::buffer();
    let status = s.run_line(line, &out).await;
    (status, buf.stdout(), buf.stderr())
}

async fn out(s: &mut Session, line: &str) -> String {
    run(s, line).await.1
}

#[tokio::test(start_paused = true)]
async fn echo_and_quoting() {
    let (mut s, _d) = session().await;
    assert_eq!(out(&mut s, "echo hello   world").await, "hello world\n");
    assert_eq!(out(&mut s, "echo 'a   b' \"c   d\"").await, "a   b c   d\n");
    assert_eq!(
        out(&mut s, r#"echo "it's" 'say "hi"' \$HOME a\ b"#).await,
        "it's say \"hi\" $HOME a b\n"
    );
    assert_eq!(out(&mut s, "echo -n x; echo y").await, "xy\n");
    assert_eq!(out(&mut s, r"echo -e 'a\tb\n'").await, "a\tb\n\n");
    assert_eq!(out(&mut s, r"echo 'a\nb'").await, "a\\nb\n");
    assert_eq!(out(&mut s, "echo -x").await, "-x\n");
    assert_eq!(out(&mut s, "echo").await, "\n");
    assert_eq!(out(&mut s, "echo a # comment").await, "a\n");
}

#[tokio::test(start_paused = true)]
async fn variables_and_status() {
    let (mut s, _d) = session().await;
    assert_eq!(run(&mut s, "A=1").await, (0, String::new()));
    assert_eq!(out(&mut s, "echo $A ${A} \"$A\" '$A' x${A}y").await, "1 1 1 $A x1y\n");
    assert_eq!(out(&mut s, "export B=two C; echo $B$C").await, "two\n");
    assert_eq!(out(&mut s, "unset A; echo [$A]").await, "[]\n");
    assert_eq!(out(&mut s, "false; echo $?; true; echo $?").await, "1\n0\n");
    assert_eq!(
        out(&mut s, "echo ${U:-default} ${B:+set} ${#B} ${U-x}").await,
        "default set 3 x\n"
    );
    assert_eq!(
        out(&mut s, "echo ${N:=assigned}; echo $N").await,
        "assigned\nassigned\n"
    );
    let (status, text) = run(&mut s, "echo ${U:?is missing}; echo not reached").await;
    assert_eq!((status, text.as_str()), (1, "sh: U: is missing\n"));
    assert_eq!(out(&mut s, "echo $?").await, "1\n");
    // Inside `$(…)` only the substitution is abandoned.
    assert_eq!(
        out(&mut s, "echo $(echo ${U:?gone}; echo in) after").await,
        "sh: U: gone\nafter\n"
    );
    // A prefix assignment does not stay in the shell.
    assert_eq!(out(&mut s, "Z=1 true; echo [$Z]").await, "[]\n");
    assert_eq!(s.vars.get("B").map(String::as_str), Some("two"));
}

#[tokio::test(start_paused = true)]
async fn export_lists_and_rejects_bad_names() {
    let (mut s, _d) = session().await;
    run(&mut s, "export X='a \"q\" $b'").await;
    assert_eq!(out(&mut s, "export").await, "declare -x X=\"a \\\"q\\\" \\$b\"\n");
    let (st, text) = run(&mut s, "export 1A=b OK=1").await;
    assert_eq!(st, 1);
    assert_eq!(text, "sh: export: '1A=b': not a valid identifier\n");
    assert_eq!(out(&mut s, "echo $OK").await, "1\n");
}

#[tokio::test(start_paused = true)]
async fn and_or_semicolon() {
    let (mut s, _d) = session().await;
    assert_eq!(out(&mut s, "true && echo a || echo b").await, "a\n");
    assert_eq!(out(&mut s, "false && echo a || echo b").await, "b\n");
    assert_eq!(out(&mut s, "false || false || echo c; echo d").await, "c\nd\n");
    assert_eq!(run(&mut s, "true && false").await.0, 1);
    assert_eq!(run(&mut s, "! true").await.0, 1);
    assert_eq!(run(&mut s, "! false").await.0, 0);
    assert_eq!(out(&mut s, "echo a; ").await, "a\n");
}

#[tokio::test(start_paused = true)]
async fn command_substitution() {
    let (mut s, _d) = session().await;
    assert_eq!(out(&mut s, "echo $(echo hi)").await, "hi\n");
    assert_eq!(out(&mut s, "echo \"[$(echo -e 'a\\nb\\n\\n')]\"").await, "[a\nb]\n");
    // Unquoted: split on whitespace into separate arguments.
    assert_eq!(out(&mut s, "echo $(echo -e 'a\\n  b') | wc -w").await, "2\n");
    assert_eq!(out(&mut s, "echo x$(echo '1 2')y").await, "x1 2y\n");
    assert_eq!(out(&mut s, "echo $(echo $(echo nested))").await, "nested\n");
    assert_eq!(
        out(&mut s, "echo \"$(echo \"$(echo deep) quotes\")\"").await,
        "deep quotes\n"
    );
    assert_eq!(out(&mut s, "echo `echo old`").await, "old\n");
    // Variables set inside do not leak out.
    assert_eq!(out(&mut s, "echo $(Q=1; echo $Q)[$Q]").await, "1[]\n");
    // `export NAME=$(…)` keeps newlines (no splitting in declarations), like bash.
    run(&mut s, "export L=$(echo -e 'p1\\np2')").await;
    assert_eq!(s.vars.get("L").map(String::as_str), Some("p1\np2"));
    assert_eq!(out(&mut s, "echo Name: $L").await, "Name: p1 p2\n");
    // Status of an assignment is that of its substitution.
    assert_eq!(run(&mut s, "V=$(false)").await.0, 1);
    assert_eq!(out(&mut s, "echo $(exit 3) $?").await, "3\n");
    // stderr inside $(…) is not captured.
    let (_, o, e) = run3(&mut s, "X=$(nosuch)").await;
    assert_eq!((o.as_str(), e.as_str()), ("", "sh: nosuch: command not found\n"));
}

#[tokio::test(start_paused = true)]
async fn pipelines_carry_stdout_only() {
    let (mut s, _d) = session().await;
    assert_eq!(out(&mut s, "echo -e 'b\\na\\nc' | sort").await, "a\nb\nc\n");
    assert_eq!(out(&mut s, "echo -e 'b\\na\\nc' | sort -r | head -n 2").await, "c\nb\n");
    let (st, o, e) = run3(&mut s, "nosuch | echo after").await;
    assert_eq!(
        (st, o.as_str(), e.as_str()),
        (0, "after\n", "sh: nosuch: command not found\n")
    );
    assert_eq!(run(&mut s, "echo a | false").await.0, 1);
    assert_eq!(run(&mut s, "false | true").await.0, 0);
    assert_eq!(out(&mut s, "nosuch 2>&1 | grep -c found").await, "1\n");
    // Pipeline stages are subshells.
    assert_eq!(out(&mut s, "P=1 | true; echo [$P]").await, "[]\n");
}

#[tokio::test(start_paused = true)]
async fn heredocs() {
    let (mut s, _d) = session().await;
    run(&mut s, "N=web").await;
    let text = "cat <<EOF\nname: $N\nliteral: \\$N\nEOF";
    assert_eq!(out(&mut s, text).await, "name: web\nliteral: $N\n");
    assert_eq!(out(&mut s, "cat <<'EOF'\nname: $N\nEOF").await, "name: $N\n");
    assert_eq!(
        out(&mut s, "cat <<-EOF\n\t\tindented $N\n\tEOF").await,
        "indented web\n"
    );
    assert_eq!(
        out(&mut s, "cat <<EOF | grep -c x\nx\ny\nx\nEOF\necho done").await,
        "2\ndone\n"
    );
    assert_eq!(out(&mut s, "grep b <<< 'a b'").await, "a b\n");
    let (st, text) = run(&mut s, "cat <<EOF\nunterminated").await;
    assert_eq!(st, 0);
    assert_eq!(
        text,
        "sh: warning: here-document delimited by end-of-file (wanted 'EOF')\nunterminated\n"
    );
}

#[tokio::test(start_paused = true)]
async fn redirections_write_into_the_workspace() {
    let (mut s, d) = session().await;
    assert_eq!(out(&mut s, "echo one > /tmp/f.txt; echo two >> /tmp/f.txt").await, "");
    assert_eq!(std::fs::read_to_string(d.0.join("tmp/f.txt")).unwrap(), "one\ntwo\n");
    assert_eq!(out(&mut s, "cat < /tmp/f.txt | wc -l").await, "2\n");
    assert_eq!(out(&mut s, "nosuch 2>/dev/null; echo $?").await, "127\n");
    assert_eq!(
        out(&mut s, "nosuch > /tmp/e.txt 2>&1; cat /tmp/e.txt").await,
        "sh: nosuch: command not found\n"
    );
    let outside = format!("sh: ../../etc/passwd: {}\n", s.workspace.outside());
    assert_eq!(out(&mut s, "echo x > ../../etc/passwd").await, outside);
    assert_eq!(
        out(&mut s, "cat < /nope").await,
        "sh: /nope: No such file or directory\n"
    );
    assert_eq!(out(&mut s, "echo a >&2").await, "a\n");
    let (_, o, e) = run3(&mut s, "echo a >&2").await;
    assert_eq!((o.as_str(), e.as_str()), ("", "a\n"));
}

#[tokio::test(start_paused = true)]
async fn subshells_keep_variables_local() {
    let (mut s, _d) = session().await;
    assert_eq!(out(&mut s, "(S=1; echo in $S); echo out [$S]").await, "in 1\nout []\n");
    assert_eq!(out(&mut s, "(echo a; echo b) | wc -l").await, "2\n");
}

#[tokio::test(start_paused = true)]
async fn unknown_commands_and_syntax_errors() {
    let (mut s, _d) = session().await;
    assert_eq!(
        run(&mut s, "k8s-lab start lesson1").await,
        (127, "sh: k8s-lab: command not found\n".into())
    );
    assert_eq!(
        run(&mut s, "| grep x").await,
        (2, "sh: syntax error near unexpected token '|'\n".into())
    );
    assert_eq!(out(&mut s, "echo $?").await, "2\n");
    let (st, text) = run(&mut s, "echo 'open").await;
    assert_eq!(st, 2);
    assert_eq!(
        text,
        "sh: unexpected EOF while looking for matching '''\nsh: syntax error: unexpected end of file\n"
    );
    assert_eq!(
        run(&mut s, "echo ${a b}").await,
        (2, "sh: ${a b}: bad substitution\n".into())
    );
}

#[tokio::test(start_paused = true)]
async fn empty_line_keeps_status() {
    let (mut s, _d) = session().await;
    run(&mut s, "false").await;
    assert_eq!(run(&mut s, "").await.0, 1);
    assert_eq!(run(&mut s, "   # just a comment").await.0, 1);
    assert_eq!(s.history, vec!["false".to_string(), "   # just a comment".to_string()]);
}

#[tokio::test(start_paused = true)]
async fn sleep_uses_the_lab_clock() {
    let (mut s, _d) = session_with(ClusterConfig {
        clock_speed: 10.0,
        ..ClusterConfig::default()
    })
    .await;
    let t0 = Instant::now();
    assert_eq!(run(&mut s, "sleep 20").await, (0, String::new()));
    assert_eq!(Instant::now() - t0, Duration::from_secs(2));
    let t0 = Instant::now();
    run(&mut s, "sleep 1m 0.5").await;
    assert_eq!(Instant::now() - t0, Duration::from_millis(6050));
    assert_eq!(
        run(&mut s, "sleep abc").await,
        (
            1,
            "sleep: invalid time interval 'abc'\nTry 'sleep --help' for more information.\n".into()
        )
    );
    assert_eq!(run(&mut s, "sleep").await.0, 1);
}

#[tokio::test(start_paused = true)]
async fn timeout_stops_the_command_with_124() {
    let (mut s, _d) = session().await;
    let t0 = Instant::now();
    assert_eq!(run(&mut s, "timeout 3 sleep 100; echo $?").await, (0, "124\n".into()));
    assert_eq!(Instant::now() - t0, Duration::from_secs(3));
    assert_eq!(run(&mut s, "timeout 3 echo fast").await, (0, "fast\n".into()));
    assert_eq!(run(&mut s, "timeout 3 false").await.0, 1);
    assert_eq!(run(&mut s, "timeout 1 sleep 5 && echo no || echo yes").await.1, "yes\n");
    assert_eq!(run(&mut s, "timeout --preserve-status 1 sleep 5").await.0, 143);
    assert_eq!(
        run(&mut s, "timeout 1 nosuch").await,
        (
            127,
            "timeout: failed to run command 'nosuch': No such file or directory\n".into()
        )
    );
    assert_eq!(
        run(&mut s, "timeout").await,
        (
            125,
            "timeout: missing operand\nTry 'timeout --help' for more information.\n".into()
        )
    );
    assert_eq!(run(&mut s, "timeout x sleep 1").await.0, 125);
    // Lab-clock speed applies to timeout too.
    let (mut fast, _d2) = session_with(ClusterConfig {
        clock_speed: 5.0,
        ..ClusterConfig::default()
    })
    .await;
    let t0 = Instant::now();
    assert_eq!(run(&mut fast, "timeout 10 sleep 60").await.0, 124);
    assert_eq!(Instant::now() - t0, Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_cancels_and_the_session_goes_on() {
    let (mut s, _d) = session().await;
    let (o, buf) = Output::buffer();
    let t0 = Instant::now();
    let r = tokio::time::timeout(
        Duration::from_secs(2),
        s.run_line("echo start; sleep 100; echo never", &o),
    )
    .await;
    assert!(r.is_err());
    assert_eq!(Instant::now() - t0, Duration::from_secs(2));
    assert_eq!(buf.text(), "start\n");
    // Nothing keeps running in the background.
    tokio::time::sleep(Duration::from_secs(200)).await;
    assert_eq!(buf.text(), "start\n");
    assert_eq!(out(&mut s, "echo still here").await, "still here\n");
}

#[tokio::test(start_paused = true)]
async fn grep_options() {
    let (mut s, _d) = session().await;
    run(
        &mut s,
        "echo -e 'KUBERNETES_SERVICE_HOST=10.96.0.1\\nHOSTNAME=x\\nMY_NGINX_SERVICE_PORT=80\\nservice' > /tmp/env",
    )
    .await;
    assert_eq!(
        out(&mut s, "cat /tmp/env | grep SERVICE").await,
        "KUBERNETES_SERVICE_HOST=10.96.0.1\nMY_NGINX_SERVICE_PORT=80\n"
    );
    assert_eq!(out(&mut s, "grep -i service /tmp/env | wc -l").await, "3\n");
    assert_eq!(out(&mut s, "grep -v SERVICE /tmp/env").await, "HOSTNAME=x\nservice\n");
    assert_eq!(out(&mut s, "grep -c SERVICE /tmp/env").await, "2\n");
    assert_eq!(
        out(&mut s, "grep -n HOST /tmp/env").await,
        "1:KUBERNETES_SERVICE_HOST=10.96.0.1\n2:HOSTNAME=x\n"
    );
    assert_eq!(out(&mut s, "grep -w service /tmp/env").await, "service\n");
    assert_eq!(out(&mut s, "grep -E 'HOST(NAME)?=' /tmp/env | wc -l").await, "2\n");
    assert_eq!(out(&mut s, "grep 'HOST\\(NAME\\)\\?=' /tmp/env | wc -l").await, "2\n");
    assert_eq!(out(&mut s, "grep -o '[0-9]\\+' /tmp/env").await, "10\n96\n0\n1\n80\n");
    assert_eq!(run(&mut s, "grep nothing /tmp/env").await, (1, String::new()));
    assert_eq!(
        run(&mut s, "grep x /nope").await,
        (2, "grep: /nope: No such file or directory\n".into())
    );
    assert_eq!(run(&mut s, "grep -Z x").await.0, 2);
    assert_eq!(run(&mut s, "grep").await.0, 2);
    assert_eq!(
        run(&mut s, "grep 'a\\(' /tmp/env").await,
        (2, "grep: Unmatched ( or \\(\n".into())
    );
    assert_eq!(out(&mut s, "grep -q SERVICE /tmp/env && echo yes").await, "yes\n");
    assert_eq!(
        out(&mut s, "grep -H -c x /tmp/env -").await,
        "/tmp/env:1\n(standard input):0\n"
    );
}

#[tokio::test(start_paused = true)]
async fn grep_context_like_gnu() {
    let (mut s, _d) = session().await;
    let lines: Vec<String> = (1..=12).map(|i| format!("l{i}")).collect();
    run(&mut s, &format!("echo -e '{}' > /tmp/n", lines.join("\\n"))).await;
    assert_eq!(
        out(&mut s, "grep -C 1 -e l3 -e l9 /tmp/n").await,
        "l2\nl3\nl4\n--\nl8\nl9\nl10\n"
    );
    assert_eq!(out(&mut s, "grep l5 -A 2 /tmp/n").await, "l5\nl6\nl7\n");
    assert_eq!(out(&mut s, "grep -B2 -n l5 /tmp/n").await, "3-l3\n4-l4\n5:l5\n");
    assert_eq!(out(&mut s, "grep -C1 -e l3 -e l5 /tmp/n").await, "l2\nl3\nl4\nl5\nl6\n");
    assert_eq!(out(&mut s, "grep -A1 l1 /tmp/n").await, "l1\nl2\n--\nl10\nl11\nl12\n");
}

#[tokio::test(start_paused = true)]
async fn head_tail_wc_sort_cat() {
    let (mut s, _d) = session().await;
    run(&mut s, "echo -e '3\\n10\\n2\\n2\\n1' > /tmp/nums").await;
    assert_eq!(out(&mut s, "head -n 2 /tmp/nums").await, "3\n10\n");
    assert_eq!(out(&mut s, "head -2 /tmp/nums").await, "3\n10\n");
    assert_eq!(out(&mut s, "head -n -3 /tmp/nums").await, "3\n10\n");
    assert_eq!(out(&mut s, "tail -n 2 /tmp/nums").await, "2\n1\n");
    assert_eq!(out(&mut s, "tail -1 /tmp/nums").await, "1\n");
    assert_eq!(out(&mut s, "tail -n +4 /tmp/nums").await, "2\n1\n");
    assert_eq!(out(&mut s, "sort /tmp/nums | head -n 2").await, "1\n10\n");
    assert_eq!(out(&mut s, "sort -n /tmp/nums").await, "1\n2\n2\n3\n10\n");
    assert_eq!(out(&mut s, "sort -nru /tmp/nums").await, "10\n3\n2\n1\n");
    assert_eq!(out(&mut s, "wc -l /tmp/nums").await, "5 /tmp/nums\n");
    assert_eq!(out(&mut s, "cat /tmp/nums | wc").await, "      5       5      11\n");
    assert_eq!(out(&mut s, "wc /tmp/nums").await, " 5  5 11 /tmp/nums\n");
    assert_eq!(out(&mut s, "echo a b | wc -w -l").await, "      1       2\n");
    assert_eq!(out(&mut s, "cat /tmp/nums /tmp/nums | wc -l").await, "10\n");
    assert_eq!(
        run(&mut s, "cat /tmp/missing").await,
        (1, "cat: /tmp/missing: No such file or directory\n".into())
    );
    assert_eq!(
        run(&mut s, "head -n x /tmp/nums").await,
        (1, "head: invalid number of lines: 'x'\n".into())
    );
    assert_eq!(
        run(&mut s, "head --bogus").await,
        (
            1,
            "head: unrecognized option '--bogus'\nTry 'head --help' for more information.\n".into()
        )
    );
    assert_eq!(
        run(&mut s, "tail /nope").await,
        (
            1,
            "tail: cannot open '/nope' for reading: No such file or directory\n".into()
        )
    );
    assert_eq!(
        out(&mut s, "head -n1 /tmp/nums /tmp/nums").await,
        "==> /tmp/nums <==\n3\n\n==> /tmp/nums <==\n3\n"
    );
}

#[tokio::test(start_paused = true)]
async fn cd_pwd_ls_stay_in_the_workspace() {
    let (mut s, d) = session().await;
    std::fs::create_dir_all(d.0.join("sub")).unwrap();
    std::fs::write(d.0.join("sub/a.yaml"), "kind: Service\n").unwrap();
    let home = s.workspace.label();
    assert_eq!(out(&mut s, "pwd").await, format!("{home}\n"));
    assert_eq!(
        out(&mut s, "cd sub; pwd; cat a.yaml; ls").await,
        format!("{home}/sub\nkind: Service\na.yaml\n")
    );
    assert_eq!(out(&mut s, "cd ../../..; pwd").await, format!("{home}\n"));
    assert_eq!(
        run(&mut s, "cd nope").await,
        (1, "sh: cd: nope: No such file or directory\n".into())
    );
    assert_eq!(out(&mut s, "ls").await, "sub/\n");
}

#[tokio::test(start_paused = true)]
async fn history_help_clear_exit() {
    let (mut s, _d) = session().await;
    run(&mut s, "echo one").await;
    assert_eq!(out(&mut s, "history").await, "    1  echo one\n    2  history\n");
    let help = out(&mut s, "help").await;
    for b in super::builtins::TABLE.iter().filter(|b| b.name != ":") {
        assert!(help.contains(b.name), "{}", b.name);
    }
    assert_eq!(
        out(&mut s, "help grep").await.lines().next(),
        Some("grep: grep [-i -v -c -w -E -n -A N -B N -C N] PATTERN [FILE]…")
    );
    assert_eq!(run(&mut s, "help nope").await.0, 1);
    let (o, buf) = Output::buffer();
    s.run_line("clear", &o).await;
    assert_eq!(buf.chunks(), vec![crate::io::Chunk::Clear]);
    assert_eq!(run(&mut s, "exit 3; echo no").await, (3, String::new()));
    assert_eq!(s.exit, Some(3));
}

#[tokio::test(start_paused = true)]
async fn minikube_ip_and_service_url() {
    use crate::runtime::Object;
    use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
    let (mut s, _d) = session().await;
    assert_eq!(run(&mut s, "minikube ip").await, (0, "127.0.2.1\n".into()));
    assert_eq!(
        out(&mut s, "echo http://$(minikube ip):30008").await,
        "http://127.0.2.1:30008\n"
    );
    let svc = Service {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some("web".into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            type_: Some("NodePort".into()),
            ports: Some(vec![ServicePort {
                port: 80,
                node_port: Some(30080),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    };
    s.cluster.create(Object::Service(svc)).unwrap();
    assert_eq!(
        run(&mut s, "minikube service web --url").await,
        (0, "http://127.0.2.1:30080\n".into())
    );
    let (st, text) = run(&mut s, "minikube service nope --url").await;
    assert_eq!(st, 83);
    assert!(text.contains("SVC_NOT_FOUND"));
    assert_eq!(run(&mut s, "minikube delete").await.0, 1);
}

#[tokio::test(start_paused = true)]
async fn kubectl_and_curl_are_dispatched() {
    let (mut s, _d) = session().await;
    // Whatever kubectl answers, the shell hands it the arguments and prints its output.
    let (st, text) = run(&mut s, "kubectl definitely-not-a-verb").await;
    assert_ne!(st, 0);
    assert!(text.contains("definitely-not-a-verb"), "{text}");
    let (st, text) = run(&mut s, "curl -s http://127.0.2.1:30999/").await;
    assert_ne!(st, 0);
    assert!(!text.contains("command not found"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn openssl_writes_key_and_certificate() {
    let (mut s, d) = session().await;
    let (st, o, e) = run3(&mut s, "openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout /tmp/nginx.key -out /tmp/nginx.crt -subj \"/CN=my-nginx/O=my-nginx\"").await;
    assert_eq!((st, o.as_str()), (0, ""));
    assert!(e.ends_with("\n-----\n"), "{e}");
    let key = std::fs::read_to_string(d.0.join("tmp/nginx.key")).unwrap();
    let crt = std::fs::read_to_string(d.0.join("tmp/nginx.crt")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(crt.starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(run(&mut s, "openssl x509 -in /tmp/nginx.crt").await.0, 1);
}

fn pod(name: &str, image: &str) -> crate::runtime::Object {
    use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
    crate::runtime::Object::Pod(Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            labels: Some([("run".to_string(), name.to_string())].into()),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: name.into(),
                image: Some(image.into()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        ..Default::default()
    })
}

#[tokio::test(start_paused = true)]
async fn exec_it_sh_attaches_the_command_line_to_the_pod() {
    let (mut s, _d) = session().await;
    s.cluster.create(pod("box", "busybox")).unwrap();
    assert_eq!(run(&mut s, "kubectl exec -it box -- sh").await, (0, String::new()));
    assert_eq!(s.prompt(), "/ # ");
    assert_eq!(out(&mut s, "hostname").await, "box\n");
    assert_eq!(out(&mut s, "timeout 5 hostname").await, "box\n");
    assert_eq!(out(&mut s, "printenv | grep -c KUBERNETES_SERVICE_HOST").await, "1\n");
    assert_eq!(out(&mut s, "cat /etc/resolv.conf | grep -c nameserver").await, "1\n");
    assert_eq!(
        run(&mut s, "kubectl get pods").await,
        (127, "sh: kubectl: not found\n".into())
    );
    assert_eq!(run(&mut s, "minikube ip").await.0, 127);
    assert_eq!(out(&mut s, "A=1; echo $A | wc -c").await, "2\n");
    // `exit` leaves the pod (no farewell for exec) and the host shell is back; a failing
    // status comes back the way kubectl exec reports it.
    assert_eq!(
        run(&mut s, "exit 3").await,
        (3, "command terminated with exit code 3\n".into())
    );
    assert_eq!(run(&mut s, "kubectl exec -it box -- sh").await, (0, String::new()));
    assert_eq!(run(&mut s, "exit").await, (0, String::new()));
    assert_eq!(s.exit, None);
    assert_eq!(
        s.prompt(),
        format!("{}$ ", s.workspace.label()),
        "the lab's prompt, with its folder"
    );
    assert_eq!(run(&mut s, "minikube ip").await, (0, "127.0.2.1\n".into()));
}

#[tokio::test(start_paused = true)]
async fn run_it_attaches_and_says_how_to_resume() {
    let (mut s, _d) = session().await;
    s.cluster.create(pod("curl", "radial/busyboxplus:curl")).unwrap();
    let req = super::attach::attach_request(
        &["run", "curl", "--image=radial/busyboxplus:curl", "-i", "--tty"].map(String::from),
    )
    .unwrap();
    let (o, buf) = Output::buffer();
    assert_eq!(s.attach(req, &o, false).await, 0);
    assert_eq!(buf.text(), "If you don't see a command prompt, try pressing enter.\n");
    assert_eq!(s.prompt(), "[ root@curl:/ ]$ ");
    let text = out(&mut s, "nslookup kubernetes").await;
    assert!(text.contains("10.96.0.1"), "{text}");
    assert_eq!(run(&mut s, "nosuch").await, (127, "sh: nosuch: not found\n".into()));
    assert_eq!(
        run(&mut s, "exit").await,
        (
            0,
            "Session ended, resume using 'kubectl attach curl -c curl -i -t' command when the pod is running\n".into()
        )
    );
    assert_eq!(out(&mut s, "echo back").await, "back\n");
}

#[tokio::test(start_paused = true)]
async fn attaching_to_a_pod_that_never_runs_times_out() {
    let (mut s, _d) = session().await;
    s.cluster.create(pod("bad", "no-such-image")).unwrap();
    let req = super::attach::attach_request(&["run", "bad", "-it", "--image=no-such-image"].map(String::from)).unwrap();
    let (o, buf) = Output::buffer();
    assert_eq!(s.attach(req, &o, false).await, 1);
    assert_eq!(buf.text(), "error: timed out waiting for the condition on pods/bad\n");
    assert!(s.attached.is_none());
}

#[tokio::test(start_paused = true)]
async fn cancelling_inside_a_subshell_leaves_the_shell_as_it_was() {
    let (mut s, d) = session().await;
    std::fs::create_dir_all(d.0.join("sub")).unwrap();
    run(&mut s, "A=1").await;
    let (o, _buf) = Output::buffer();
    let r = tokio::time::timeout(Duration::from_secs(1), s.run_line("B=$(A=2; cd sub; sleep 100)", &o)).await;
    assert!(r.is_err());
    let r = tokio::time::timeout(Duration::from_secs(1), s.run_line("(A=3; sleep 100) | cat", &o)).await;
    assert!(r.is_err());
    let home = s.workspace.label();
    assert_eq!(out(&mut s, "echo $A [$B]; pwd").await, format!("1 []\n{home}\n"));
    assert_eq!(out(&mut s, "(cd sub; pwd); pwd").await, format!("{home}/sub\n{home}\n"));
    assert_eq!(run(&mut s, "(exit 4); echo $?").await, (0, "4\n".into()));
    assert_eq!(s.exit, None);
}

#[tokio::test(start_paused = true)]
async fn globs_match_workspace_files() {
    let (mut s, d) = session().await;
    for f in ["run-my-nginx.yaml", "curlpod.yaml", "default.conf"] {
        std::fs::write(d.0.join(f), "x").unwrap();
    }
    assert_eq!(out(&mut s, "echo *.yaml").await, "curlpod.yaml run-my-nginx.yaml\n");
    assert_eq!(
        out(&mut s, "echo '*.yaml' \\*.yaml \"*\".conf").await,
        "*.yaml *.yaml *.conf\n"
    );
    assert_eq!(out(&mut s, "echo *.none").await, "*.none\n");
    assert_eq!(
        out(&mut s, "echo jsonpath={.items[*].metadata.name}").await,
        "jsonpath={.items[*].metadata.name}\n"
    );
    assert_eq!(out(&mut s, "P='*.conf'; echo $P \"$P\"").await, "default.conf *.conf\n");
    assert_eq!(out(&mut s, "cat *.conf | wc -c").await, "1\n");
}

#[tokio::test(start_paused = true)]
async fn arithmetic_expansion() {
    let (mut s, _d) = session().await;
    run(&mut s, "N=4").await;
    assert_eq!(
        out(&mut s, "echo $((N*2+1)) $(( $N - 1 )) \"$((2**8))\" $((N > 3))").await,
        "9 3 256 1\n"
    );
    assert_eq!(out(&mut s, "echo $(( $(echo 6) / 4 ))").await, "1\n");
    // `$((` that is really a command substitution of a subshell still works.
    assert_eq!(out(&mut s, "echo $((echo a); (echo b))").await, "a b\n");
    assert!(Session::needs_more("echo $((1 +"));
    assert!(!Session::needs_more("echo $((1 + 2))"));
}

#[tokio::test(start_paused = true)]
async fn home_pwd_and_env() {
    let (mut s, d) = session().await;
    std::fs::create_dir_all(d.0.join("sub")).unwrap();
    // The root is a home folder named for the workspace (`~/lesson5` in a lesson).
    let home = s.workspace.label();
    assert!(home.starts_with("~/"), "{home}");
    assert_eq!(
        out(&mut s, "echo ~ ~/x '~' $HOME; cd sub; echo $PWD; pwd").await,
        format!("{home} {home}/x ~ {home}\n{home}/sub\n{home}/sub\n")
    );
    assert_eq!(
        out(&mut s, "cd ~; pwd; cd ~/sub; pwd; cd -").await,
        format!("{home}\n{home}/sub\n{home}\n")
    );
    std::fs::write(d.0.join("sub/a.txt"), "hi\n").unwrap();
    assert_eq!(
        out(&mut s, &format!("cat ~/sub/a.txt {home}/sub/a.txt")).await,
        "hi\nhi\n"
    );
    assert_eq!(
        run(&mut s, "cat ~/../../etc/passwd").await.0,
        1,
        "never outside the workspace"
    );
    run(&mut s, "export NODE_PORT=30080 A=1").await;
    assert_eq!(out(&mut s, "printenv NODE_PORT").await, "30080\n");
    assert_eq!(run(&mut s, "printenv NOPE").await, (1, String::new()));
    assert_eq!(out(&mut s, "env | grep -c =").await, "3\n");
}

#[tokio::test(start_paused = true)]
async fn grep_at_the_end_of_a_pipeline_streams() {
    let (mut s, _d) = session().await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let w = seen.clone();
    let t0 = Instant::now();
    let o = Output::new(move |c| {
        if let crate::io::Chunk::Text(_, t) = c {
            w.lock().unwrap().push((Instant::now() - t0, t));
        }
    });
    let line = "(echo web-1; sleep 5; echo db; echo -n web-2) | grep -n web";
    let r = tokio::time::timeout(Duration::from_secs(2), s.run_line(line, &o)).await;
    assert!(r.is_err(), "still running");
    assert_eq!(*seen.lock().unwrap(), vec![(Duration::ZERO, "1:web-1\n".to_string())]);
    assert_eq!(s.run_line(line, &o).await, 0);
    assert_eq!(
        seen.lock().unwrap().last().cloned(),
        Some((Duration::from_secs(7), "3:web-2\n".to_string()))
    );
    assert_eq!(run(&mut s, "echo a | grep b").await, (1, String::new()));
    assert_eq!(
        run(&mut s, "echo a | ! grep b").await,
        (2, "sh: syntax error near unexpected token '!'\n".into())
    );
    assert_eq!(run(&mut s, "! echo a | grep b").await.0, 0);
    assert_eq!(run(&mut s, "echo a | grep -c a").await, (0, "1\n".into()));
    assert_eq!(
        run(&mut s, "nosuch | grep a").await,
        (1, "sh: nosuch: command not found\n".into())
    );
    assert_eq!(run(&mut s, "echo aXb | grep -o X | grep -c X").await, (0, "1\n".into()));
}

#[tokio::test(start_paused = true)]
async fn the_terminal_banner_names_the_dns_port() {
    let cluster = crate::runtime::Cluster::start(crate::runtime::ClusterConfig {
        node_block: 46,
        ..Default::default()
    })
    .await
    .unwrap();
    let port = cluster.dns_addr().unwrap().port();
    let session = Session::new(cluster.clone(), crate::workspace::Workspace::new(std::env::temp_dir()));
    let banner = crate::shell::repl::banner(&session);
    assert!(
        banner.contains(&format!(
            "dig @127.0.0.1 -p {port} kubernetes.default.svc.cluster.local"
        )),
        "{banner}"
    );
    cluster.shutdown();
}

#[tokio::test(start_paused = true)]
async fn host_curl_writes_and_reads_workspace_files() {
    let (mut s, _scratch) = session_with(ClusterConfig {
        node_block: 51,
        ..Default::default()
    })
    .await;
    run(&mut s, "kubectl create deployment web --image=nginx").await;
    run(
        &mut s,
        "kubectl create service nodeport web --tcp=80:80 --node-port=30951",
    )
    .await;
    run(&mut s, "kubectl rollout status deployment/web").await;
    s.cluster.settle(Duration::from_secs(5)).await;
    assert_eq!(
        run(&mut s, "curl -s -o index.html http://127.0.51.1:30951/").await,
        (0, String::new())
    );
    let (code, page) = run(&mut s, "cat index.html").await;
    assert_eq!(code, 0);
    assert!(page.contains("Welcome to nginx!"), "{page}");
    assert_eq!(
        run(&mut s, "curl -sS --cacert missing.crt https://127.0.51.1:30951/").await,
        (77, "curl: (77) error setting certificate file: missing.crt\n".into())
    );
    s.cluster.shutdown();
}

#[tokio::test(start_paused = true)]
async fn exec_it_into_a_deployment_enters_its_first_pod() {
    let (mut s, _d) = session().await;
    assert_eq!(run(&mut s, "kubectl create deployment web --image=nginx").await.0, 0);
    let running = |c: &crate::runtime::Cluster| {
        c.list(crate::runtime::Kind::Pod, Some("default"))
            .iter()
            .any(|p| c.running_pod("default", p.name()).is_some())
    };
    assert!(s.cluster.wait_until(std::time::Duration::from_secs(60), running).await);
    let pod = s.cluster.list(crate::runtime::Kind::Pod, Some("default"))[0]
        .name()
        .to_string();
    assert_eq!(run(&mut s, "kubectl exec -it deploy/web -- sh").await.0, 0);
    assert_eq!(s.prompt(), format!("root@{pod}:/# "), "the shell is the pod's now");
    assert_eq!(out(&mut s, "hostname").await, format!("{pod}\n"));
    assert_eq!(run(&mut s, "exit").await.0, 0);
    assert!(s.attached.is_none());
    let (code, text) = run(&mut s, "kubectl exec -it deploy/nope -- sh").await;
    assert_eq!(code, 1);
    assert!(text.contains("deployments.apps \"nope\" not found"), "{text}");
}

#[tokio::test(start_paused = true)]
async fn pipes_substitutions_and_files_stop_at_the_capture_limit() {
    use crate::shell::MAX_CAPTURE_BYTES;
    use crate::workspace::MAX_FILE_BYTES;
    let (mut s, _d) = session().await;
    let note = format!("sh: output stopped at {MAX_CAPTURE_BYTES} bytes");
    let tail = format!("\n{MAX_CAPTURE_BYTES}\n");
    // A file at the read limit, printed twice: each place that collects it keeps the limit
    // and says so.
    s.workspace.write("/big.txt", &vec![b'x'; MAX_FILE_BYTES]).unwrap();
    let (_, text) = run(&mut s, "cat big.txt big.txt | wc -c").await;
    assert!(
        text.starts_with(&note) && text.ends_with(&tail),
        "{}",
        &text[..100.min(text.len())]
    );
    let (code, text) = run(&mut s, "B=$(cat big.txt big.txt); echo ${#B}").await;
    assert_eq!(code, 0);
    assert!(
        text.starts_with(&note) && text.ends_with(&tail),
        "{}",
        &text[..100.min(text.len())]
    );
    let (_, text) = run(&mut s, "cat big.txt big.txt > twice.txt; wc -c < twice.txt").await;
    assert!(
        text.starts_with(&note) && text.ends_with(&tail),
        "{}",
        &text[..100.min(text.len())]
    );
    // A file the learner made bigger than the lab reads.
    s.workspace.write("/huge.txt", &vec![b'y'; MAX_FILE_BYTES + 1]).unwrap();
    assert_eq!(
        run(&mut s, "cat huge.txt").await,
        (1, "cat: huge.txt: File too large\n".into())
    );
    // And no word grows past the limit: a variable doubled again and again stops with a message.
    s.vars.insert("A".into(), "x".repeat(MAX_CAPTURE_BYTES / 2));
    let (code, text) = run(&mut s, "C=$A$A$A; echo never").await;
    assert_eq!(code, 1);
    assert_eq!(
        text,
        format!("sh: the expansion is over {MAX_CAPTURE_BYTES} bytes, more than the lab's shell holds\n")
    );
    assert!(!s.vars.contains_key("C"));
}

#[tokio::test(start_paused = true)]
async fn history_is_a_ring() {
    use crate::shell::{MAX_HISTORY, MAX_HISTORY_BYTES};
    let (mut s, _d) = session().await;
    for i in 0..MAX_HISTORY + 10 {
        run(&mut s, &format!("true {i}")).await;
    }
    assert_eq!(s.history.len(), MAX_HISTORY);
    assert_eq!(s.history.last().unwrap(), &format!("true {}", MAX_HISTORY + 9));
    let big = format!("true {}", "b".repeat(MAX_HISTORY_BYTES / 3));
    for _ in 0..5 {
        run(&mut s, &big).await;
    }
    assert!(s.history.iter().map(String::len).sum::<usize>() <= MAX_HISTORY_BYTES);
    let huge = format!("true {}", "h".repeat(MAX_HISTORY_BYTES * 2));
    run(&mut s, &huge).await;
    assert_eq!(s.history, vec![huge], "the newest command always stays");
}
