//! The lesson loop in a real terminal (tmux), as a learner meets it: lesson 3 done from start to
//! end in other ways than its solutions (kind aliases, the editor instead of a heredoc, `kind/name`,
//! curl to another node, a request from outside the lab), each step judged by what happened;
//! the solution box keeping a heredoc's indentation; the lesson ending on its summary; and
//! lesson 5 skipped through with F6, which passes nothing, and its `<pending>` that can be seen.
//!
//! The lessons bind their own loopback addresses, so the tests here run one at a time.

mod support;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::tmux::{temp_home, Tmux};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const STEP: Duration = Duration::from_secs(30);

/// Type a line and wait until the current step says it is done.
fn wait_done(tmux: &Tmux, what: &str) -> String {
    tmux.wait_for(what, STEP, |s| s.contains("✓ Done!"))
}

/// The cells of the resources pane's row for `name`.
fn row(screen: &str, name: &str) -> Option<Vec<String>> {
    screen
        .lines()
        .filter_map(|l| l.split("││").nth(1))
        .map(|cell| cell.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .find(|cells| cells.first().map(String::as_str) == Some(name))
}

/// The request counts the traffic view shows for my-app's pods, added up (its flows, above
/// "last requests").
fn served_by_my_app(screen: &str) -> u64 {
    screen
        .lines()
        .filter_map(|l| l.split("││").nth(1))
        .take_while(|cell| !cell.contains("last requests"))
        .filter(|cell| cell.contains("▶ my-app-"))
        .filter_map(|cell| {
            cell.trim_end_matches('│')
                .split_whitespace()
                .last()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

/// Column (in characters) where `needle` starts on the first line that has it.
fn column_of(screen: &str, needle: &str) -> Option<usize> {
    screen
        .lines()
        .find_map(|l| l.find(needle).map(|byte| l[..byte].chars().count()))
}

#[test]
fn lesson3_done_another_way_passes_every_step_and_ends_on_its_summary() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("loop3");
    let tmux = Tmux::open("loop3", &home, (160, 45), "start lesson3 --lang en");
    let s = tmux.wait_for("the first frame", Duration::from_secs(20), |s| {
        s.contains("Resources") && row(s, "kubernetes").is_some()
    });
    // The step's markdown table is drawn as a table, not as `| a | b |` text.
    assert!(s.contains("│ type ") && s.contains("┬"), "a drawn table:\n{s}");
    assert!(!s.contains("| type |"), "no raw markdown:\n{s}");

    // The hint renders its markdown: code style, no raw backticks.
    tmux.keys(&["F2"]);
    let s = tmux.wait_for("the hint", Duration::from_secs(10), |s| s.contains("followed by"));
    let hint = s.lines().find(|l| l.contains("followed by")).unwrap();
    assert!(
        hint.contains("kubectl get followed by nodes") && !hint.contains('`'),
        "{hint}"
    );

    // 1. nodes, by their short name.
    tmux.type_line("kubectl get no");
    wait_done(&tmux, "step 1");
    tmux.keys(&["F6"]);

    // 2. the Deployment, with `create` instead of the solution's flags order.
    tmux.type_line("kubectl create deploy my-app --replicas=3 --image=luksa/kubia");
    wait_done(&tmux, "step 2");
    tmux.keys(&["F6"]);

    // 3. The solution box keeps the heredoc's indentation…
    tmux.keys(&["F3"]);
    let s = tmux.wait_for("the solution", Duration::from_secs(10), |s| {
        s.contains("name: teva-nodeport-service")
    });
    let (meta, name) = (
        column_of(&s, "metadata:").unwrap(),
        column_of(&s, "name: teva-nodeport-service").unwrap(),
    );
    assert_eq!(name, meta + 2, "name: sits under metadata:, indented:\n{s}");
    tmux.keys(&["F3"]);
    // …but the learner writes the Service in the editor and saves it with Ctrl+S. Tab Tab
    // after `edit ` in the empty workspace says how to make a file.
    tmux.cmd(&["send-keys", "-t", &tmux.0, "-l", "edit "]);
    tmux.keys(&["Tab", "Tab"]);
    tmux.wait_for("the no-files note", Duration::from_secs(10), |s| {
        s.contains("No files here yet")
    });
    tmux.keys(&["C-u"]);
    tmux.type_line("edit np.yaml");
    tmux.wait_for("the editor", Duration::from_secs(10), |s| s.contains("np.yaml"));
    for line in [
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  name: teva-nodeport-service",
        "spec:",
        "  type: NodePort",
        "  selector:",
        "    app: my-app",
        "  ports:",
        "  - port: 80",
        "    targetPort: 8080",
        "    nodePort: 30008",
    ] {
        tmux.type_line(line);
    }
    tmux.wait_for("a valid manifest", Duration::from_secs(10), |s| s.contains("no errors"));
    // A stray word breaks the YAML; one Ctrl+Z takes the whole word back.
    tmux.cmd(&["send-keys", "-t", &tmux.0, "-l", "junk"]);
    tmux.wait_for("the error marker", Duration::from_secs(10), |s| {
        !s.contains("no errors")
    });
    tmux.keys(&["C-z"]);
    tmux.wait_for("valid again", Duration::from_secs(10), |s| s.contains("no errors"));
    tmux.keys(&["C-s"]);
    tmux.wait_for("the apply", Duration::from_secs(10), |s| {
        s.contains("service/teva-nodeport-service created")
    });
    tmux.keys(&["Escape"]);
    wait_done(&tmux, "step 3");
    tmux.keys(&["F6"]);

    // 4. Any node: the second node's address typed out, and the first through minikube ip.
    tmux.type_line("curl -s http://127.0.2.2:30008");
    tmux.type_line("curl -s $(minikube ip):30008");
    wait_done(&tmux, "step 4");
    // The step's own check probed node 3 as well; the traffic view counts only the learner's
    // two requests.
    tmux.keys(&["F8"]);
    let s = tmux.wait_for("the traffic view", Duration::from_secs(10), |s| {
        s.contains("last requests")
    });
    assert_eq!(served_by_my_app(&s), 2, "two requests, the probe left out:\n{s}");
    tmux.keys(&["F8", "F6"]);

    // 5. The same node port again, with create and a heredoc typed on the command line.
    for line in [
        "kubectl create -f - <<EOF",
        "apiVersion: v1",
        "kind: Service",
        "metadata:",
        "  name: dup-nodeport",
        "spec:",
        "  type: NodePort",
        "  selector: {app: my-app}",
        "  ports: [{port: 80, targetPort: 8080, nodePort: 30008}]",
        "EOF",
    ] {
        tmux.type_line(line);
    }
    tmux.wait_for("the refusal", Duration::from_secs(10), |s| {
        s.contains("already allocated")
    });
    wait_done(&tmux, "step 5");
    tmux.keys(&["F6"]);

    // 6. A LoadBalancer made with expose, watched as service/NAME.
    tmux.type_line(
        "kubectl expose deployment my-app --name=backend-service --type=LoadBalancer --port=80 --target-port=8080",
    );
    tmux.type_line("timeout 10 kubectl get service/backend-service -w");
    let s = wait_done(&tmux, "step 6");
    tmux.keys(&["F6"]);

    // 7. describe as kind/name, and the request from outside the lab (this test process is
    // the learner's own terminal).
    tmux.type_line("kubectl describe svc/backend-service");
    let ext = row(&s, "backend-service")
        .and_then(|cells| cells.get(3).cloned())
        .unwrap();
    let t0 = Instant::now();
    loop {
        match support::http::try_get(&format!("{ext}:80")) {
            Ok(r) if r.contains("You've hit my-app-") => break,
            r if t0.elapsed() > STEP => panic!("no answer from {ext}: {r:?}"),
            _ => std::thread::sleep(Duration::from_millis(200)),
        }
    }
    wait_done(&tmux, "step 7");
    tmux.keys(&["F6"]);

    // 8. The ClusterIP from outside, typed as a number: no answer, and the lesson ends.
    let s = tmux.screen();
    let cluster_ip = row(&s, "teva-nodeport-service")
        .and_then(|c| c.get(2).cloned())
        .unwrap();
    tmux.type_line(&format!("curl --max-time 2 http://{cluster_ip}"));
    let s = tmux.wait_for("the summary", STEP, |s| s.contains("Lesson complete"));
    assert!(s.contains("Steps done: 8 of 8"), "every step done:\n{s}");
    assert!(!s.contains('↷'), "nothing skipped:\n{s}");
    assert!(s.contains("lesson4"), "the way to the next lesson:\n{s}");
    tmux.keys(&["C-q"]);
    tmux.wait_for("the exit", Duration::from_secs(10), |s| s.contains("EXITED 0"));
    drop(tmux);
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn lesson5_skipped_through_passes_nothing_and_its_pending_can_be_seen() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = temp_home("skip5");
    let tmux = Tmux::open("skip5", &home, (160, 45), "start lesson5 --lang en");
    tmux.wait_for("the first frame", Duration::from_secs(20), |s| {
        s.contains("Resources") && row(s, "kubernetes").is_some()
    });
    // F6 through all eight steps on an empty cluster: the clean-up step is not "done" because
    // nothing was ever there to clean up.
    tmux.keys(&["F6"; 8]);
    let s = tmux.wait_for("the summary", Duration::from_secs(10), |s| {
        s.contains("Lesson complete")
    });
    assert!(s.contains("Steps done: 0 of 8"), "no step passes:\n{s}");
    for n in 1..=8 {
        assert!(s.contains(&format!("↷ {n}. ")), "step {n} is shown as skipped:\n{s}");
        assert!(!s.contains(&format!("✓ {n}. ")), "step {n} is not done:\n{s}");
    }
    let list = std::process::Command::new(env!("CARGO_BIN_EXE_k8s-lab"))
        .args(["list", "--lang", "en"])
        .env("K8S_LAB_HOME", &home)
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    let line = list.lines().find(|l| l.starts_with("lesson5")).unwrap();
    assert!(line.contains(" 0/8 "), "list counts no step done: {line}");

    // Back to the Service step: the Service is made in the same step as the watch, so the
    // learner sees <pending> turn into an address.
    tmux.keys(&["F5", "F5", "F5", "F5"]);
    tmux.type_line("kubectl apply -f https://k8s.io/examples/service/access/frontend-service.yaml");
    tmux.type_line("timeout 10 kubectl get svc frontend -w");
    let s = tmux.wait_for("the watch", STEP, |s| {
        s.lines()
            .any(|l| l.contains("frontend") && l.contains("127.0.1.1") && l.contains("80:"))
    });
    let watch = s
        .lines()
        .skip_while(|l| !l.contains("get svc frontend -w"))
        .collect::<Vec<_>>();
    assert!(
        watch.iter().any(|l| l.contains("<pending>")),
        "the first line of the watch is <pending>:\n{s}"
    );
    tmux.keys(&["C-q"]);
    tmux.wait_for("the exit", Duration::from_secs(10), |s| s.contains("EXITED 0"));
    drop(tmux);
    let _ = std::fs::remove_dir_all(&home);
}
