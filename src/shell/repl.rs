//! `k8s-lab shell`: the lab's command line without the TUI, reading stdin.
//!
//! On a terminal it prints a `$ ` prompt (and `> ` while a command is incomplete) and edits the
//! line with [`super::line_editor`] (arrows, history, Tab). With piped input — scripts,
//! tests, screen readers — it prints only what the commands print. Output is written as it
//! arrives, so `kubectl get … --watch` streams. Ctrl+C cancels the running command by dropping
//! its future and the shell carries on; end of input ends the shell with the last status.

use std::io::{IsTerminal, Write};

use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};

use super::line_editor::{self, Outcome};
use super::Session;
use crate::io::{Chunk, Output, Stream};

/// Write one chunk to the process's stdout or stderr.
fn write_chunk(chunk: Chunk, tty: bool) {
    match chunk {
        Chunk::Text(Stream::Out, s) => {
            let mut o = std::io::stdout().lock();
            let _ = o.write_all(s.as_bytes());
            let _ = o.flush();
        }
        Chunk::Text(Stream::Err, s) => {
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(s.as_bytes());
            let _ = e.flush();
        }
        // No editor here (`edit` says so itself; `kubectl edit` runs $EDITOR on a terminal).
        Chunk::Editor(_) => {}
        Chunk::Clear => {
            if tty {
                let mut o = std::io::stdout().lock();
                let _ = o.write_all(b"\x1b[2J\x1b[H");
                let _ = o.flush();
            }
        }
    }
}

/// Read commands from stdin until EOF or `exit`; returns the shell's exit status.
pub async fn run_stdin(session: &mut Session) -> anyhow::Result<i32> {
    let tty = std::io::stdin().is_terminal();
    let sink = move |c| write_chunk(c, tty);
    if tty {
        eprintln!("{}", banner(session));
        let terminal = Terminal {
            cluster: session.cluster.clone(),
            workspace: session.workspace.clone(),
        };
        run_source(session, terminal, true, sink).await
    } else {
        run_lines(session, BufReader::new(tokio::io::stdin()), false, sink).await
    }
}

/// What a learner at a terminal is told first: how to leave, and where the cluster's DNS server
/// answers real queries from their own shell.
pub fn banner(session: &Session) -> String {
    let mut s = String::from("k8s-lab shell — kubectl and a small sh; `help` lists the commands, Ctrl+D leaves.");
    if let Some(dns) = session.cluster.dns_addr() {
        s.push_str(&format!(
            "\nCluster DNS: {dns} (try: dig @{} -p {} kubernetes.default.svc.cluster.local)",
            dns.ip(),
            dns.port()
        ));
    }
    s
}

/// The loop behind [`run_stdin`], over any line source and output sink (tests drive it with a
/// byte slice). With `tty`, prompts are written to the sink's stdout.
pub async fn run_lines<R, F>(session: &mut Session, reader: R, tty: bool, sink: F) -> anyhow::Result<i32>
where
    R: AsyncBufRead + Unpin,
    F: Fn(Chunk) + Clone + Send + Sync + 'static,
{
    let echo: Option<Box<dyn Fn(Chunk) + Send + Sync>> = if tty { Some(Box::new(sink.clone())) } else { None };
    run_source(
        session,
        Piped {
            reader,
            buf: Vec::new(),
            len: 0,
            echo,
        },
        tty,
        sink,
    )
    .await
}

/// One line of input, or why there is none.
enum Input {
    Line(String),
    /// A line longer than [`super::MAX_LINE_BYTES`] (this many bytes), skipped whole.
    TooLong(usize),
    Interrupted,
    Eof,
}

/// Where command lines come from: a pipe or file, or the terminal with line editing.
trait Source {
    /// The next line; the source shows `prompt` if it shows prompts at all.
    async fn next(&mut self, prompt: &str, history: &[String]) -> std::io::Result<Input>;
}

struct Piped<R> {
    reader: R,
    /// Bytes of the line being read (kept if the read is interrupted), at most one past the
    /// line limit.
    buf: Vec<u8>,
    /// How long the line being read is, counting what did not fit in `buf`.
    len: usize,
    echo: Option<Box<dyn Fn(Chunk) + Send + Sync>>,
}

impl<R: AsyncBufRead + Unpin> Source for Piped<R> {
    async fn next(&mut self, prompt: &str, _history: &[String]) -> std::io::Result<Input> {
        if let Some(echo) = &self.echo {
            echo(Chunk::Text(Stream::Out, prompt.to_string()));
        }
        tokio::select! {
            r = read_bounded_line(&mut self.reader, &mut self.buf, &mut self.len) => {
                r?;
                if self.len == 0 {
                    return Ok(Input::Eof);
                }
                let newline = self.buf.last() == Some(&b'\n');
                let len = std::mem::take(&mut self.len) - usize::from(newline);
                if newline {
                    self.buf.pop();
                }
                if len > super::MAX_LINE_BYTES {
                    self.buf.clear();
                    return Ok(Input::TooLong(len));
                }
                // Bytes that are not UTF-8 become U+FFFD instead of ending the shell.
                let line = String::from_utf8_lossy(&self.buf).into_owned();
                self.buf.clear();
                Ok(Input::Line(line))
            }
            _ = tokio::signal::ctrl_c() => {
                self.buf.clear();
                if let Some(echo) = &self.echo {
                    echo(Chunk::Text(Stream::Out, "\n".into()));
                }
                Ok(Input::Interrupted)
            }
        }
    }
}

/// Read up to and including the next newline into `buf`, keeping no more than one byte past
/// [`super::MAX_LINE_BYTES`] of it; `len` counts every byte of the line. Cancel-safe: what was
/// read stays in `buf` and `len`.
async fn read_bounded_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    len: &mut usize,
) -> std::io::Result<()> {
    loop {
        let avail = reader.fill_buf().await?;
        if avail.is_empty() {
            return Ok(());
        }
        let (take, done) = match avail.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        let room = (super::MAX_LINE_BYTES + 2).saturating_sub(buf.len());
        buf.extend_from_slice(&avail[..take.min(room)]);
        if done && take > room {
            // Keep the newline's place so the caller sees where the line ended.
            buf.push(b'\n');
        }
        *len += take;
        reader.consume(take);
        if done {
            return Ok(());
        }
    }
}

/// A terminal: lines come from the line editor, which completes from this lab.
struct Terminal {
    cluster: crate::runtime::Cluster,
    workspace: crate::workspace::Workspace,
}

impl Source for Terminal {
    async fn next(&mut self, prompt: &str, history: &[String]) -> std::io::Result<Input> {
        let completer = super::complete::lab_completer(self.cluster.clone(), self.workspace.clone());
        Ok(match line_editor::read_line(prompt, history, completer).await? {
            Outcome::Submit(l) => Input::Line(l),
            Outcome::Interrupted => Input::Interrupted,
            _ => Input::Eof,
        })
    }
}

async fn run_source<S, F>(session: &mut Session, mut source: S, tty: bool, sink: F) -> anyhow::Result<i32>
where
    S: Source,
    F: Fn(Chunk) + Clone + Send + Sync + 'static,
{
    let mut text = String::new();
    let mut continuation = super::Continuation::default();
    loop {
        let prompt = if text.is_empty() {
            session.prompt()
        } else {
            "> ".to_string()
        };
        let line = match source.next(&prompt, &session.history).await? {
            Input::Line(l) => l,
            Input::TooLong(len) => {
                sink(Chunk::Text(Stream::Err, format!("{}\n", super::line_too_long(len))));
                text.clear();
                continuation.reset();
                session.last_status = 2;
                continue;
            }
            Input::Interrupted => {
                // Like bash: forget the half-typed command and prompt again.
                text.clear();
                continuation.reset();
                session.last_status = 130;
                continue;
            }
            Input::Eof => {
                if !text.is_empty() {
                    // The input ended inside a quote or heredoc: let the parser say so.
                    run_one(session, &text, tty, sink.clone()).await;
                }
                if tty {
                    sink(Chunk::Text(Stream::Out, "exit\n".into()));
                }
                return Ok(session.exit.unwrap_or(session.last_status));
            }
        };
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&line);
        if text.len() > super::MAX_COMMAND_BYTES {
            // An unclosed quote or heredoc that goes on and on: give it up.
            sink(Chunk::Text(
                Stream::Err,
                format!("{}\n", super::command_too_long(text.len())),
            ));
            text.clear();
            continuation.reset();
            session.last_status = 2;
            continue;
        }
        if continuation.needs_more(&text, &line) {
            continue;
        }
        continuation.reset();
        let command = std::mem::take(&mut text);
        run_one(session, &command, tty, sink.clone()).await;
        if let Some(status) = session.exit {
            return Ok(status);
        }
    }
}

/// Run one command line, streaming its output; Ctrl+C cancels it.
async fn run_one<F>(session: &mut Session, command: &str, tty: bool, sink: F) -> i32
where
    F: Fn(Chunk) + Clone + Send + Sync + 'static,
{
    let (out, mut rx) = Output::channel();
    // Colours only when both ends are a terminal: stdin for the prompt, stdout for the codes.
    let out = out.with_terminal(tty && std::io::stdout().is_terminal());
    // `kubectl edit` runs the learner's own editor only when a person is at the terminal.
    let out = out.with_external_editor(if tty && std::io::stdin().is_terminal() {
        crate::io::ExternalEditor::from_env(|k| std::env::var(k).ok()).map(std::sync::Arc::new)
    } else {
        None
    });
    let interrupted = {
        let run = session.run_line(command, &out);
        tokio::pin!(run);
        loop {
            tokio::select! {
                biased;
                Some(chunk) = rx.recv() => sink(chunk),
                _ = &mut run => break false,
                _ = tokio::signal::ctrl_c() => break true,
            }
        }
    };
    // The command's future is gone; print whatever it wrote before it ended.
    drop(out);
    while let Ok(chunk) = rx.try_recv() {
        sink(chunk);
    }
    if interrupted {
        if tty {
            sink(Chunk::Text(Stream::Out, "\n".into()));
        }
        session.last_status = 130;
    }
    session.last_status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::tests::session;
    use std::sync::{Arc, Mutex};

    async fn feed(input: &str, tty: bool) -> (i32, String) {
        let (mut s, _d) = session().await;
        let seen = Arc::new(Mutex::new(String::new()));
        let w = seen.clone();
        let sink = move |c: Chunk| {
            if let Chunk::Text(_, t) = c {
                w.lock().unwrap().push_str(&t);
            }
        };
        let status = run_lines(&mut s, input.as_bytes(), tty, sink).await.unwrap();
        let text = seen.lock().unwrap().clone();
        (status, text)
    }

    #[tokio::test(start_paused = true)]
    async fn piped_input_prints_only_output() {
        assert_eq!(
            feed("echo a\nN=y\ncat <<EOF\nx $N\nEOF\n", false).await,
            (0, "a\nx y\n".into())
        );
        assert_eq!(
            feed("echo 'multi\nline'\nfalse\n", false).await,
            (1, "multi\nline\n".into())
        );
        assert_eq!(feed("echo a \\\n  b | wc -w\n", false).await, (0, "2\n".into()));
        assert_eq!(feed("echo a |\n grep a\n", false).await, (0, "a\n".into()));
    }

    #[tokio::test(start_paused = true)]
    async fn invalid_utf8_and_a_missing_final_newline_are_fine() {
        let (mut s, _d) = session().await;
        let seen = Arc::new(Mutex::new(String::new()));
        let w = seen.clone();
        let sink = move |c: Chunk| {
            if let Chunk::Text(_, t) = c {
                w.lock().unwrap().push_str(&t);
            }
        };
        let input: &[u8] = b"echo \xff\xfe ok\necho last";
        assert_eq!(run_lines(&mut s, input, false, sink).await.unwrap(), 0);
        assert_eq!(*seen.lock().unwrap(), "\u{fffd}\u{fffd} ok\nlast\n");
    }

    #[tokio::test(start_paused = true)]
    async fn a_line_past_the_limit_is_a_message_and_the_next_line_runs() {
        use crate::shell::{MAX_COMMAND_BYTES, MAX_LINE_BYTES};
        let long = format!("echo {}\necho after\n", "x".repeat(MAX_LINE_BYTES));
        let (_, text) = feed(&long, false).await;
        assert_eq!(
            text,
            format!(
                "sh: the line is {} bytes long; the lab's shell reads lines of up to {MAX_LINE_BYTES} bytes\nafter\n",
                MAX_LINE_BYTES + 5
            )
        );
        // Exactly at the limit is fine, and so is the last line without a newline.
        let at = format!("echo {}", "y".repeat(MAX_LINE_BYTES - 5));
        assert_eq!(feed(&at, false).await.1.len(), MAX_LINE_BYTES - 5 + 1);
        // A heredoc that never ends stops at the command limit.
        let lines = MAX_COMMAND_BYTES / 1000 + 2;
        let endless = format!(
            "cat <<EOF\n{}echo after\n",
            format!("{}\n", "z".repeat(999)).repeat(lines)
        );
        let (_, text) = feed(&endless, false).await;
        assert!(
            text.starts_with("sh: the command is "),
            "{}",
            &text[..80.min(text.len())]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn exit_ends_the_loop_with_its_status() {
        assert_eq!(feed("echo a\nexit 3\necho never\n", false).await, (3, "a\n".into()));
        assert_eq!(feed("false\n", false).await, (1, String::new()));
    }

    #[tokio::test(start_paused = true)]
    async fn input_ending_inside_a_quote_is_a_syntax_error() {
        let (status, text) = feed("echo ok\necho 'open\n", false).await;
        assert_eq!(status, 2);
        assert_eq!(
            text,
            "ok\nsh: unexpected EOF while looking for matching '''\nsh: syntax error: unexpected end of file\n"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn terminal_gets_prompts_and_continuation_prompts() {
        let (status, text) = feed("echo 'a\nb'\ntrue\n", true).await;
        assert_eq!(status, 0);
        // The prompt names the folder, as bash's does (`~/lesson5$ `).
        let p = text.split("$ ").next().unwrap().to_string() + "$ ";
        assert!(p.starts_with("~/"), "{text}");
        assert_eq!(text, format!("{p}> a\nb\n{p}{p}exit\n"));
    }

    #[tokio::test(start_paused = true)]
    async fn output_streams_while_the_command_runs() {
        let (mut s, _d) = session().await;
        let seen = Arc::new(Mutex::new(Vec::new()));
        let w = seen.clone();
        let sink = move |c: Chunk| {
            if let Chunk::Text(_, t) = c {
                w.lock().unwrap().push((tokio::time::Instant::now(), t));
            }
        };
        let t0 = tokio::time::Instant::now();
        run_lines(&mut s, "echo first; sleep 5; echo second\n".as_bytes(), false, sink)
            .await
            .unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0], (t0, "first\n".to_string()));
        assert_eq!(seen[1].0 - t0, std::time::Duration::from_secs(5));
    }
}
