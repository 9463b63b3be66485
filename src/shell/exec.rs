//! Running a parsed [`Script`]: `;`, `&&`, `||`, pipelines, redirections, subshells and the
//! dispatch of one command to the table in [`super::builtins`].
//!
//! Everything runs inside the one future returned by [`Session::run_line`] — no spawned tasks —
//! so dropping that future (Ctrl+C, `timeout`) stops whatever is running, however deep.
//!
//! Pipelines run their commands one after the other: each command's stdout is collected and
//! becomes the next command's stdin, while stderr goes straight to the terminal. The lab's
//! commands all finish on their own or under `timeout`, so this gives sh's results without
//! juggling concurrent stages.

use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;

use super::ast::{AndOr, Command, Connector, Pipeline, RedirOp, Redirect, Script, SimpleCommand};
use super::builtins::{self, Ctx};
use super::{Session, MAX_CAPTURE_BYTES};
use crate::io::{Chunk, Output, Stream};

/// Text collected from a command's stdout, up to [`MAX_CAPTURE_BYTES`]. Past that it is full:
/// what follows is dropped and the command writing it is stopped (see [`until_full`]), as a
/// real command is by a pipe nobody reads or a file-size limit.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<CapturedInner>);

#[derive(Default)]
pub(crate) struct CapturedInner {
    text: Mutex<String>,
    full: std::sync::atomic::AtomicBool,
    filled: tokio::sync::Notify,
}

impl Captured {
    pub(crate) fn take(&self) -> String {
        std::mem::take(&mut *self.0.text.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn is_full(&self) -> bool {
        self.0.full.load(std::sync::atomic::Ordering::Acquire)
    }

    fn push(&self, s: &str) {
        if self.is_full() {
            return;
        }
        let mut text = self.0.text.lock().unwrap_or_else(|e| e.into_inner());
        let room = MAX_CAPTURE_BYTES.saturating_sub(text.len());
        if s.len() <= room {
            text.push_str(s);
            return;
        }
        let mut cut = room;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        text.push_str(&s[..cut]);
        self.0.full.store(true, std::sync::atomic::Ordering::Release);
        self.0.filled.notify_one();
    }

    /// Resolves once the capture is full.
    async fn filled(&self) {
        if !self.is_full() {
            self.0.filled.notified().await;
        }
    }
}

/// Run `fut`, stopping it (status 141, like a command killed by `SIGPIPE`) as soon as one of
/// `caps` is full, with a note saying why.
pub(crate) async fn until_full<F: std::future::Future<Output = i32>>(caps: &[Captured], fut: F, out: &Output) -> i32 {
    if caps.is_empty() {
        return fut.await;
    }
    let full = futures::future::select_all(caps.iter().map(|c| Box::pin(c.filled())));
    let status = tokio::select! {
        biased;
        status = fut => status,
        _ = full => 141,
    };
    // Cut output is worth a word even when the command finished by itself.
    if caps.iter().any(Captured::is_full) {
        out.err_line(&format!(
            "sh: output stopped at {MAX_CAPTURE_BYTES} bytes (the lab's limit for a pipe, $(…) or file)"
        ));
        return 141;
    }
    status
}

/// Send `chunk` on to `out` unchanged.
pub(crate) fn forward(out: &Output, chunk: Chunk) {
    match chunk {
        Chunk::Text(Stream::Out, s) => out.out(&s),
        Chunk::Text(Stream::Err, s) => out.err(&s),
        Chunk::Clear => out.clear(),
        Chunk::Editor(req) => out.open_editor(req),
    }
}

/// An output whose stdout is collected (for `|` and `$(…)`); stderr still reaches `out`.
pub(crate) fn capture_stdout(out: &Output) -> (Output, Captured) {
    let cap = Captured::default();
    let c = cap.clone();
    let out = out.clone();
    let o = Output::new(move |chunk| match chunk {
        Chunk::Text(Stream::Out, s) => c.push(&s),
        other => forward(&out, other),
    });
    (o, cap)
}

/// An output whose stdout goes through a streaming grep on its way to `out`.
fn filtered(out: &Output, filter: Arc<Mutex<builtins::grep::LineFilter>>) -> Output {
    let out = out.clone();
    Output::new(move |chunk| match chunk {
        Chunk::Text(Stream::Out, s) => {
            let kept = filter.lock().unwrap_or_else(|e| e.into_inner()).feed(&s);
            out.out(&kept);
        }
        other => forward(&out, other),
    })
}

/// Where fd 1 or 2 points after redirections.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Target {
    Stdout,
    Stderr,
    Null,
    File(usize),
}

struct FileOut {
    path: String,
    append: bool,
    data: Captured,
}

/// The result of applying a command's redirections.
struct Redirected {
    stdin: Option<String>,
    out: Output,
    files: Vec<FileOut>,
}

impl Session {
    /// Run a whole script; returns the status of the last command.
    pub(crate) fn exec_script<'a>(
        &'a mut self,
        script: &'a Script,
        stdin: Option<&'a str>,
        out: &'a Output,
    ) -> BoxFuture<'a, i32> {
        Box::pin(async move {
            let mut status = self.last_status;
            for item in &script.items {
                status = self.exec_and_or(item, stdin, out).await;
                if self.exit.is_some() || self.abort {
                    break;
                }
            }
            status
        })
    }

    async fn exec_and_or(&mut self, item: &AndOr, stdin: Option<&str>, out: &Output) -> i32 {
        let mut status = self.exec_pipeline(&item.first, stdin, out).await;
        self.last_status = status;
        for (conn, p) in &item.rest {
            if self.exit.is_some() || self.abort {
                break;
            }
            let run = match conn {
                Connector::And => status == 0,
                Connector::Or => status != 0,
            };
            if run {
                status = self.exec_pipeline(p, stdin, out).await;
                self.last_status = status;
            }
        }
        status
    }

    async fn exec_pipeline(&mut self, p: &Pipeline, stdin: Option<&str>, out: &Output) -> i32 {
        let status = if p.commands.is_empty() {
            0
        } else if p.commands.len() == 1 {
            self.exec_command(&p.commands[0], stdin, out).await
        } else {
            // Each stage of a pipeline is a subshell: it runs on a copy of the shell, so variable
            // changes and `exit` do not survive it — and a cancelled pipeline leaves the shell
            // exactly as it was.
            let mut input: Option<String> = stdin.map(str::to_string);
            let mut status = 0;
            let mut last = p.commands.len() - 1;
            // `… | grep PATTERN` filters output as it arrives (for `--watch`).
            let mut filter = None;
            if let Some(f) = self.streaming_grep(&p.commands[last], out).await {
                filter = Some(Arc::new(Mutex::new(f)));
                last -= 1;
            }
            for (i, cmd) in p.commands.iter().enumerate().take(last + 1) {
                if i == last {
                    if let Some(f) = &filter {
                        let (o, real) = (filtered(out, f.clone()), out);
                        self.fork().exec_command(cmd, input.as_deref(), &o).await;
                        let mut f = f.lock().unwrap_or_else(|e| e.into_inner());
                        real.out(&f.finish());
                        status = i32::from(!f.matched);
                        break;
                    }
                }
                let mut stage = self.fork();
                if i < last {
                    let (o, cap) = capture_stdout(out);
                    until_full(
                        std::slice::from_ref(&cap),
                        stage.exec_command(cmd, input.as_deref(), &o),
                        out,
                    )
                    .await;
                    input = Some(cap.take());
                } else {
                    status = stage.exec_command(cmd, input.as_deref(), out).await;
                }
            }
            status
        };
        if p.bang {
            i32::from(status == 0)
        } else {
            status
        }
    }

    /// The last stage of a pipeline as a streaming grep, when it is a plain `grep` whose options
    /// work line by line (see [`builtins::grep::LineFilter`]).
    async fn streaming_grep(&mut self, cmd: &Command, out: &Output) -> Option<builtins::grep::LineFilter> {
        let Command::Simple(c) = cmd else { return None };
        if !c.assigns.is_empty() || !c.redirects.is_empty() {
            return None;
        }
        if c.words.first()?.literal_text()? != "grep" {
            return None;
        }
        let args = self.fork().expand_args(&c.words[1..], out).await.ok()?;
        builtins::grep::LineFilter::new(&args)
    }

    fn exec_command<'a>(&'a mut self, cmd: &'a Command, stdin: Option<&'a str>, out: &'a Output) -> BoxFuture<'a, i32> {
        Box::pin(async move {
            match cmd {
                Command::Simple(c) => self.exec_simple(c, stdin, out).await,
                Command::Subshell(script, redirects) => {
                    self.subst_status = None;
                    let r = match self.redirect(redirects, stdin, out).await {
                        Ok(r) => r,
                        Err(status) => return status,
                    };
                    let caps: Vec<Captured> = r.files.iter().map(|f| f.data.clone()).collect();
                    let mut sub = self.fork();
                    let status = until_full(&caps, sub.exec_script(script, r.stdin.as_deref(), &r.out), out).await;
                    self.finish_redirects(r.files, &r.out, status)
                }
            }
        })
    }

    async fn exec_simple(&mut self, c: &SimpleCommand, stdin: Option<&str>, out: &Output) -> i32 {
        self.subst_status = None;
        let mut assigns = Vec::with_capacity(c.assigns.len());
        for (name, word) in &c.assigns {
            match self.expand_string(word, out).await {
                Ok(v) => assigns.push((name.clone(), v)),
                Err(e) => {
                    out.err_line(&e.0);
                    self.abort = true;
                    return 1;
                }
            }
        }
        let args = match self.expand_args(&c.words, out).await {
            Ok(a) => a,
            Err(e) => {
                out.err_line(&e.0);
                self.abort = true;
                return 1;
            }
        };
        let r = match self.redirect(&c.redirects, stdin, out).await {
            Ok(r) => r,
            Err(status) => return status,
        };
        if args.is_empty() {
            // `A=b` alone sets a variable; its status is that of the last `$(…)` in it.
            for (name, value) in assigns {
                self.vars.insert(name, value);
            }
            let status = self.subst_status.unwrap_or(0);
            return self.finish_redirects(r.files, &r.out, status);
        }
        // `A=b cmd`: the lab's commands have no environment, so the assignment only lives for the
        // command — which is the same as not setting it at all.
        let caps: Vec<Captured> = r.files.iter().map(|f| f.data.clone()).collect();
        let status = until_full(&caps, self.run_argv(args, r.stdin, &r.out), out).await;
        self.finish_redirects(r.files, &r.out, status)
    }

    /// Run one command by name from the dispatch table.
    pub(crate) fn run_argv<'a>(
        &'a mut self,
        mut argv: Vec<String>,
        stdin: Option<String>,
        out: &'a Output,
    ) -> BoxFuture<'a, i32> {
        Box::pin(async move {
            if argv.is_empty() {
                return 0;
            }
            if self.attached.is_some() {
                return self.run_attached(argv, stdin, out).await;
            }
            let name = argv.remove(0);
            match builtins::lookup(&name) {
                Some(b) => {
                    let ctx = Ctx {
                        session: self,
                        name: name.clone(),
                        args: argv,
                        stdin,
                        out: out.clone(),
                    };
                    b.call(ctx).await
                }
                None => {
                    out.err_line(&format!("sh: {name}: command not found"));
                    127
                }
            }
        })
    }

    /// Apply redirections: read stdin sources, and route fd 1 and 2.
    async fn redirect(&mut self, redirects: &[Redirect], stdin: Option<&str>, out: &Output) -> Result<Redirected, i32> {
        let mut input = stdin.map(str::to_string);
        let mut fds = [Target::Stdout, Target::Stdout, Target::Stderr];
        let mut files: Vec<FileOut> = Vec::new();
        for r in redirects {
            match &r.op {
                RedirOp::In(w) => {
                    let path = self.expand_target(w, out).await?;
                    match self.read_file(&path) {
                        Ok(text) => {
                            if r.fd == 0 {
                                input = Some(text)
                            }
                        }
                        Err(e) => {
                            out.err_line(&format!("sh: {path}: {e}"));
                            return Err(1);
                        }
                    }
                }
                RedirOp::Heredoc(w) => {
                    let body = self.expand_string(w, out).await.map_err(|e| {
                        out.err_line(&e.0);
                        1
                    })?;
                    if r.fd == 0 {
                        input = Some(body);
                    }
                }
                RedirOp::HereString(w) => {
                    let s = self.expand_string(w, out).await.map_err(|e| {
                        out.err_line(&e.0);
                        1
                    })?;
                    if r.fd == 0 {
                        input = Some(s + "\n");
                    }
                }
                RedirOp::Out(w) | RedirOp::Append(w) => {
                    let path = self.expand_target(w, out).await?;
                    let append = matches!(r.op, RedirOp::Append(_));
                    let target = match path.as_str() {
                        "/dev/null" => Target::Null,
                        "/dev/stdout" => fds[1],
                        "/dev/stderr" => fds[2],
                        _ => {
                            if let Err(e) = self.check_writable(&path) {
                                out.err_line(&format!("sh: {path}: {e}"));
                                return Err(1);
                            }
                            files.push(FileOut {
                                path,
                                append,
                                data: Captured::default(),
                            });
                            Target::File(files.len() - 1)
                        }
                    };
                    if let Some(slot) = fds.get_mut(r.fd as usize) {
                        *slot = target;
                    }
                }
                RedirOp::Dup(to) => {
                    let Some(t) = fds.get(*to as usize).copied().filter(|_| *to != 0) else {
                        out.err_line(&format!("sh: {to}: Bad file descriptor"));
                        return Err(1);
                    };
                    if let Some(slot) = fds.get_mut(r.fd as usize) {
                        *slot = t;
                    }
                }
            }
        }
        let routed = if fds[1] == Target::Stdout && fds[2] == Target::Stderr {
            out.clone()
        } else {
            let out = out.clone();
            let sinks: Vec<Captured> = files.iter().map(|f| f.data.clone()).collect();
            let (t1, t2) = (fds[1], fds[2]);
            Output::new(move |chunk| {
                let (target, s) = match chunk {
                    Chunk::Text(Stream::Out, s) => (t1, s),
                    Chunk::Text(Stream::Err, s) => (t2, s),
                    Chunk::Clear => return out.clear(),
                    Chunk::Editor(req) => return out.open_editor(req),
                };
                match target {
                    Target::Stdout => out.out(&s),
                    Target::Stderr => out.err(&s),
                    Target::Null => {}
                    Target::File(i) => {
                        if let Some(c) = sinks.get(i) {
                            c.push(&s)
                        }
                    }
                }
            })
        };
        Ok(Redirected {
            stdin: input,
            out: routed,
            files,
        })
    }

    async fn expand_target(&mut self, w: &super::ast::Word, out: &Output) -> Result<String, i32> {
        match self.expand_fields(w, out).await {
            Ok(f) if f.len() == 1 => Ok(f.into_iter().next().unwrap_or_default()),
            Ok(_) => {
                out.err_line("sh: ambiguous redirect");
                Err(1)
            }
            Err(e) => {
                out.err_line(&e.0);
                Err(1)
            }
        }
    }

    /// Write what went to `> file` once the command is done.
    fn finish_redirects(&mut self, files: Vec<FileOut>, out: &Output, status: i32) -> i32 {
        let mut status = status;
        for f in files {
            let mut data = f.data.take();
            if f.append {
                if let Ok(old) = self.read_file(&f.path) {
                    data = old + &data;
                }
            }
            if let Err(e) = self.write_file(&f.path, data.as_bytes()) {
                out.err_line(&format!("sh: {}: {e}", f.path));
                status = 1;
            }
        }
        status
    }
}
