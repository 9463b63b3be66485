//! A terminal attached to a pod: `kubectl run NAME --image=… -i --tty` (and `kubectl exec -it POD
//! -- sh`) hand the learner's command line to a shell inside the container until `exit`.
//!
//! The lab has no process to attach a terminal to, so the shell itself switches mode: lines
//! are still parsed here (quotes, pipes, `$VAR`), but commands run as the container's programs
//! ([`crate::runtime::pod_shell::run_in_pod`]: curl, nslookup, printenv, cat of pod files …)
//! together with the text tools busybox also has (grep, head, wc …). Host-only commands —
//! kubectl, minikube, files of the workspace — are "not found", as they would be in the pod.

use std::time::Duration;

use super::builtins::{self, Ctx};
use super::Session;
use crate::io::Output;
use crate::runtime::{Kind, Object};

/// The pod a session is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// `kubectl run` (says "Session ended…" on exit) rather than `kubectl exec`.
    pub from_run: bool,
    /// `--rm`: delete the pod when the session ends.
    pub remove: bool,
    /// The shell prompt of the container's image.
    pub prompt: String,
}

/// A `kubectl` command line that attaches the terminal, as read from its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachRequest {
    pub namespace: String,
    pub pod: String,
    pub container: Option<String>,
    pub from_run: bool,
    pub remove: bool,
}

/// Programs of the pod's image, run by the pod shell.
const POD_PROGRAMS: &[&str] = &[
    "curl", "wget", "printenv", "env", "hostname", "nslookup", "cat", "sh", "bash", "ash",
];

/// Lab builtins that a busybox shell has too.
const SHARED: &[&str] = &[
    "echo", "grep", "head", "tail", "wc", "sort", "sleep", "timeout", "true", "false", ":", "export", "unset", "clear",
    "history", "help",
];

/// Does `kubectl ARGS` attach a terminal? `run NAME -i [-t]` without a command, or
/// `exec -i -t POD -- sh|bash|ash`.
pub fn attach_request(args: &[String]) -> Option<AttachRequest> {
    let (before, command) = match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], Some(&args[i + 1..])),
        None => (args, None),
    };
    let mut namespace = "default".to_string();
    let mut container = None;
    let (mut stdin, mut remove) = (false, false);
    let mut positional = Vec::new();
    let mut it = before.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-n" | "--namespace" => namespace = it.next()?.clone(),
            "-c" | "--container" => container = Some(it.next()?.clone()),
            "-i" | "--stdin" | "--stdin=true" | "-it" | "-ti" => stdin = true,
            "--rm" | "--rm=true" => remove = true,
            "-t" | "--tty" | "--tty=true" => {}
            s if s.starts_with("--namespace=") => namespace = s["--namespace=".len()..].to_string(),
            s if s.starts_with("--container=") => container = Some(s["--container=".len()..].to_string()),
            s if s.starts_with('-') => {
                // Other flags: `--image=x` carries its value; `--image x` is not used by the
                // lessons and would be read as a positional, which only matters for `run`.
            }
            s => positional.push(s.to_string()),
        }
    }
    if !stdin {
        return None;
    }
    match positional.as_slice() {
        [verb, name, ..] if verb == "run" && command.is_none_or(|c| c.is_empty()) => Some(AttachRequest {
            namespace,
            pod: name.clone(),
            container,
            from_run: true,
            remove,
        }),
        [verb, name, ..] if verb == "exec" => {
            let cmd = command?;
            let shell = cmd.len() == 1 && matches!(cmd[0].rsplit('/').next(), Some("sh" | "bash" | "ash"));
            shell.then(|| AttachRequest {
                namespace,
                pod: name.clone(),
                container,
                from_run: false,
                remove: false,
            })
        }
        _ => None,
    }
}

/// The prompt a container's shell shows.
fn prompt_for(image: &str, pod: &str) -> String {
    if image.contains("busyboxplus") {
        format!("[ root@{pod}:/ ]$ ")
    } else if image.contains("busybox") || image.contains("curl") {
        "/ # ".to_string()
    } else {
        format!("root@{pod}:/# ")
    }
}

impl Session {
    /// The prompt to show before the next command: the folder, as bash shows it
    /// (`~/lesson5$ `), or the pod's own while attached.
    pub fn prompt(&self) -> String {
        match &self.attached {
            Some(a) => a.prompt.clone(),
            None => format!("{}$ ", self.workspace.shown(&self.cwd)),
        }
    }

    /// Attach to the pod once it runs (kubectl waits up to a minute for that).
    pub(crate) async fn attach(&mut self, req: AttachRequest, out: &Output, hint_printed: bool) -> i32 {
        let cluster = self.cluster.clone();
        let (ns, name) = (req.namespace.clone(), req.pod.clone());
        let running = cluster
            .wait_until(Duration::from_secs(60), |c| c.running_pod(&ns, &name).is_some())
            .await;
        if !running {
            out.err_line(&format!(
                "error: timed out waiting for the condition on pods/{}",
                req.pod
            ));
            return 1;
        }
        let Some(obj) = cluster.get(Kind::Pod, &req.namespace, &req.pod) else {
            return 1;
        };
        let Object::Pod(pod) = &*obj else { return 1 };
        let containers = pod.spec.as_ref().map(|s| s.containers.clone()).unwrap_or_default();
        let chosen = match &req.container {
            Some(c) => containers.iter().find(|x| &x.name == c),
            None => containers.first(),
        };
        let Some(container) = chosen else {
            out.err_line(&format!(
                "error: container {} not found in pod {}",
                req.container.unwrap_or_default(),
                req.pod
            ));
            return 1;
        };
        if req.from_run && !hint_printed {
            out.err_line("If you don't see a command prompt, try pressing enter.");
        }
        self.attached = Some(Attached {
            namespace: req.namespace,
            pod: req.pod.clone(),
            container: container.name.clone(),
            from_run: req.from_run,
            remove: req.remove,
            prompt: prompt_for(container.image.as_deref().unwrap_or(""), &req.pod),
        });
        0
    }

    /// Leave the pod: kubectl's farewell, and `--rm` deletes the pod. Returns kubectl's status.
    async fn detach(&mut self, status: i32, out: &Output) -> i32 {
        let Some(a) = self.attached.take() else {
            return status;
        };
        if a.from_run && !a.remove {
            out.err_line(&format!(
                "Session ended, resume using 'kubectl attach {} -c {} -i -t' command when the pod is running",
                a.pod, a.container
            ));
        }
        if a.remove {
            let args: Vec<String> = ["delete", "pod", &a.pod, "-n", &a.namespace]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let k = crate::kubectl::Ctx {
                cluster: &self.cluster,
                workspace: &self.workspace,
                stdin: None,
            };
            crate::kubectl::run(&k, &args, out).await;
        }
        if a.from_run {
            // `kubectl run -it` ends normally when its session does.
            return 0;
        }
        // `kubectl exec -it … -- sh` passes the shell's status on, in kubectl's words.
        if status != 0 {
            out.err_line(&format!("command terminated with exit code {status}"));
        }
        status
    }

    /// Run one command inside the attached pod.
    pub(crate) async fn run_attached(&mut self, mut argv: Vec<String>, stdin: Option<String>, out: &Output) -> i32 {
        let Some(a) = self.attached.clone() else {
            return 1;
        };
        let name = argv[0].clone();
        if name == "exit" {
            let status = match argv.get(1).map(|n| n.parse::<i64>()) {
                None => self.last_status,
                Some(Ok(n)) => (n & 0xff) as i32,
                Some(Err(_)) => {
                    out.err_line(&format!("sh: exit: {}: numeric argument required", argv[1]));
                    2
                }
            };
            return self.detach(status, out).await;
        }
        if POD_PROGRAMS.contains(&name.as_str()) {
            let Some(pod) = self.cluster.running_pod(&a.namespace, &a.pod) else {
                out.err_line(&format!("error: pod {} is no longer running", a.pod));
                self.attached = None;
                return 1;
            };
            return crate::runtime::pod_shell::run_in_pod(
                &self.cluster,
                &pod,
                Some(&a.container),
                &argv,
                stdin.as_deref(),
                out,
            )
            .await;
        }
        if SHARED.contains(&name.as_str()) {
            if let Some(b) = builtins::lookup(&name) {
                argv.remove(0);
                let ctx = Ctx {
                    session: self,
                    name,
                    args: argv,
                    stdin,
                    out: out.clone(),
                };
                return b.call(ctx).await;
            }
        }
        out.err_line(&format!("sh: {name}: not found"));
        127
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn recognises_attaching_commands() {
        let r = attach_request(&v("run curl --image=radial/busyboxplus:curl -i --tty")).unwrap();
        assert_eq!(
            (r.pod.as_str(), r.namespace.as_str(), r.from_run, r.remove),
            ("curl", "default", true, false)
        );
        let r = attach_request(&v("run -n lab tmp --rm -it --image=busybox")).unwrap();
        assert_eq!((r.pod.as_str(), r.namespace.as_str(), r.remove), ("tmp", "lab", true));
        let r = attach_request(&v("exec -it web-1 -c web -- /bin/sh")).unwrap();
        assert_eq!(
            (r.pod.as_str(), r.container.as_deref(), r.from_run),
            ("web-1", Some("web"), false)
        );
        assert_eq!(attach_request(&v("run curl --image=busybox")), None);
        assert_eq!(attach_request(&v("run curl --image=busybox -it -- nslookup x")), None);
        assert_eq!(attach_request(&v("exec -ti web-1 -- curl http://localhost:8080")), None);
        assert_eq!(attach_request(&v("exec web-1 -- sh")), None);
        assert_eq!(attach_request(&v("get pods -i")), None);
        assert_eq!(attach_request(&v("run -n")), None);
    }

    #[test]
    fn prompts_follow_the_image() {
        assert_eq!(prompt_for("radial/busyboxplus:curl", "curl"), "[ root@curl:/ ]$ ");
        assert_eq!(prompt_for("busybox", "b"), "/ # ");
        assert_eq!(prompt_for("nginx", "web"), "root@web:/# ");
    }
}
