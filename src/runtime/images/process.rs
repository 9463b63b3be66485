//! What a container's main process (PID 1) does over time.
//!
//! The kubelet needs to know whether a container keeps running, exits by itself and with which
//! code, or cannot start at all — that decides `Completed`, `Error`, `CrashLoopBackOff` and the
//! pod's phase. It follows from the image's entrypoint and the container's `command`, `args` and
//! `stdin`, as a container runtime would run them: `command` replaces the image's entrypoint,
//! `args` its default arguments; a shell with no script and no stdin exits at once; `sleep 5`
//! exits after five seconds; a `while true` loop never does.

use std::time::Duration;

use k8s_openapi::api::core::v1::Container;

/// How an image runs when the container gives no `command`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageCommand {
    /// A server (nginx, hello-app …): runs until stopped. `binaries` are the names a `command`
    /// may use to start the same server (`nginx -g 'daemon off;'`).
    Server { binaries: &'static [&'static str] },
    /// A tool image whose default command is `argv` (`sh` for busybox, `curl` for curl).
    Tool { argv: &'static [&'static str] },
}

/// What the main process does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MainProcess {
    /// The image's server: listens on its ports until stopped.
    Serve,
    /// Runs until stopped without serving (`sleep infinity`, a `while true` loop, an attached
    /// shell).
    Idle,
    /// Exits with status 0 after this long (`sleep N`, a shell without input).
    Sleep(Duration),
    /// Runs this command once with the pod's tools; exits with its status.
    Run(Vec<String>),
    /// The executable is not in the image: the container cannot start.
    Missing(String),
}

/// Commands the pod's tools can run to completion (see `pod_shell::run_in_pod`).
const TOOLS: &[&str] = &[
    "curl", "wget", "printenv", "env", "hostname", "echo", "true", "false", "cat", "nslookup", "ls",
];

/// Shells, as PID 1.
const SHELLS: &[&str] = &["sh", "bash", "ash"];

fn base(arg: &str) -> &str {
    arg.rsplit('/').next().unwrap_or(arg)
}

/// The main process of `container` in an image that runs as `image`.
pub fn main_process(image: ImageCommand, container: &Container) -> MainProcess {
    let command = container.command.clone().filter(|c| !c.is_empty());
    let args = container.args.clone().unwrap_or_default();
    if command.is_none() {
        if let ImageCommand::Server { .. } = image {
            return MainProcess::Serve;
        }
    }
    let argv: Vec<String> = match (command, image) {
        (Some(c), _) => c.into_iter().chain(args).collect(),
        (None, ImageCommand::Tool { argv }) if args.is_empty() => argv.iter().map(|s| s.to_string()).collect(),
        (None, _) => args,
    };
    let Some(first) = argv.first() else {
        return MainProcess::Serve;
    };
    if let ImageCommand::Server { binaries } = image {
        if binaries.contains(&base(first)) {
            return MainProcess::Serve;
        }
    }
    let stdin = container.stdin == Some(true);
    command_process(&argv, stdin)
}

fn command_process(argv: &[String], stdin: bool) -> MainProcess {
    let name = base(&argv[0]);
    let rest = &argv[1..];
    match name {
        "sleep" => match rest.first().map(String::as_str) {
            Some("infinity") => MainProcess::Idle,
            Some(n) => match parse_seconds(n) {
                Some(d) => MainProcess::Sleep(d),
                None => MainProcess::Run(argv.to_vec()),
            },
            None => MainProcess::Run(argv.to_vec()),
        },
        "tail" if rest.iter().any(|a| a == "-f" || a == "-F") => MainProcess::Idle,
        _ if SHELLS.contains(&name) => match rest {
            [flag, script, ..] if flag == "-c" => script_process(script, argv),
            [] if stdin => MainProcess::Idle,
            // A shell with no script and nothing on stdin reads EOF and exits.
            [] => MainProcess::Sleep(Duration::ZERO),
            _ => MainProcess::Run(argv.to_vec()),
        },
        _ if TOOLS.contains(&name) => MainProcess::Run(argv.to_vec()),
        _ => MainProcess::Missing(argv[0].clone()),
    }
}

/// A `sh -c` script: endless loops and waits idle; a single `sleep` sleeps; anything else runs.
fn script_process(script: &str, argv: &[String]) -> MainProcess {
    let s = script.split_whitespace().collect::<Vec<_>>().join(" ");
    let endless = [
        "while true",
        "while :",
        "until false",
        "sleep infinity",
        "tail -f",
        "tail -F",
    ];
    if endless.iter().any(|e| s.contains(e)) {
        return MainProcess::Idle;
    }
    match s.split(' ').collect::<Vec<_>>().as_slice() {
        ["sleep", n] => parse_seconds(n).map_or(MainProcess::Idle, MainProcess::Sleep),
        ["exec", rest @ ..] if !rest.is_empty() => {
            command_process(&rest.iter().map(|w| w.to_string()).collect::<Vec<_>>(), false)
        }
        _ => MainProcess::Run(argv.to_vec()),
    }
}

/// `sleep`'s argument: seconds, optionally with a `s`, `m`, `h` or `d` suffix.
fn parse_seconds(arg: &str) -> Option<Duration> {
    let (num, mult) = match arg.chars().last()? {
        's' => (&arg[..arg.len() - 1], 1.0),
        'm' => (&arg[..arg.len() - 1], 60.0),
        'h' => (&arg[..arg.len() - 1], 3600.0),
        'd' => (&arg[..arg.len() - 1], 86400.0),
        _ => (arg, 1.0),
    };
    let n: f64 = num.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    Some(Duration::from_secs_f64(n * mult))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUSYBOX: ImageCommand = ImageCommand::Tool { argv: &["sh"] };
    const CURL: ImageCommand = ImageCommand::Tool { argv: &["curl"] };
    const NGINX: ImageCommand = ImageCommand::Server { binaries: &["nginx"] };

    fn container(command: &[&str], args: &[&str], stdin: bool) -> Container {
        let v = |a: &[&str]| (!a.is_empty()).then(|| a.iter().map(|s| s.to_string()).collect());
        Container {
            name: "c".into(),
            command: v(command),
            args: v(args),
            stdin: stdin.then_some(true),
            ..Default::default()
        }
    }

    fn words(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn servers_serve_unless_told_to_run_something_else() {
        assert_eq!(main_process(NGINX, &container(&[], &[], false)), MainProcess::Serve);
        assert_eq!(
            main_process(NGINX, &container(&[], &["-g", "daemon off;"], false)),
            MainProcess::Serve
        );
        assert_eq!(
            main_process(NGINX, &container(&["/usr/sbin/nginx", "-g", "daemon off;"], &[], false)),
            MainProcess::Serve
        );
        assert_eq!(
            main_process(NGINX, &container(&["sleep", "3600"], &[], false)),
            MainProcess::Sleep(Duration::from_secs(3600))
        );
        assert_eq!(
            main_process(NGINX, &container(&["python", "app.py"], &[], false)),
            MainProcess::Missing("python".into())
        );
    }

    #[test]
    fn shells_exit_without_input_and_wait_with_it() {
        assert_eq!(
            main_process(BUSYBOX, &container(&[], &[], false)),
            MainProcess::Sleep(Duration::ZERO)
        );
        assert_eq!(main_process(BUSYBOX, &container(&[], &[], true)), MainProcess::Idle);
        assert_eq!(
            main_process(
                BUSYBOX,
                &container(&["sh", "-c", "while true; do sleep 1; done"], &[], false)
            ),
            MainProcess::Idle
        );
        assert_eq!(
            main_process(BUSYBOX, &container(&[], &["sh", "-c", "sleep 10"], false)),
            MainProcess::Sleep(Duration::from_secs(10))
        );
        assert_eq!(
            main_process(BUSYBOX, &container(&["/bin/sh", "-c"], &["echo hi; exit 1"], false)),
            MainProcess::Run(words(&["/bin/sh", "-c", "echo hi; exit 1"]))
        );
    }

    #[test]
    fn tools_run_to_completion() {
        assert_eq!(
            main_process(CURL, &container(&[], &[], false)),
            MainProcess::Run(words(&["curl"]))
        );
        assert_eq!(
            main_process(CURL, &container(&[], &["curl", "-s", "http://web"], false)),
            MainProcess::Run(words(&["curl", "-s", "http://web"]))
        );
        assert_eq!(
            main_process(BUSYBOX, &container(&["sleep"], &["infinity"], false)),
            MainProcess::Idle
        );
        assert_eq!(
            main_process(BUSYBOX, &container(&["sleep", "1m"], &[], false)),
            MainProcess::Sleep(Duration::from_secs(60))
        );
        assert_eq!(
            main_process(BUSYBOX, &container(&["tail", "-f", "/dev/null"], &[], false)),
            MainProcess::Idle
        );
    }
}
