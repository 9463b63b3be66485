//! `k8s-lab shell`: the lab's command line without the TUI, reading stdin.
//!
//! On a terminal it prints a `$ ` prompt (and `> ` while a command is incomplete) and relies on
//! the terminal's own line editing (backspace, Ctrl+U, Ctrl+W). With piped input — scripts,
//! tests, screen readers — it prints only what the commands print. Output is written as it
//! arrives, so `kubectl get … --watch` streams. Ctrl+C cancels the running command by dropping
//! its future and the shell carries on; end of input ends the shell with the last status.

use std::io::{IsTerminal, Write};

use tokio::io::{AsyncBufReadExt, BufReader};

use super::io::{Chunk, Output, Stream};
use super::Session;

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
        Chunk::Clear => {
            if tty {
                let mut o = std::io::stdout().lock();
                let _ = o.write_all(b"\x1b[2J\x1b[H");
                let _ = o.flush();
            }
        }
    }
}

fn prompt(tty: bool, continuation: bool, main: &str) {
    if tty {
        let mut o = std::io::stdout().lock();
        let _ = o.write_all(if continuation { "> " } else { main }.as_bytes());
        let _ = o.flush();
    }
}

/// Read commands from stdin until EOF or `exit`; returns the shell's exit status.
pub async fn run_stdin(session: &mut Session) -> anyhow::Result<i32> {
    let tty = std::io::stdin().is_terminal();
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut text = String::new();
    loop {
        prompt(tty, !text.is_empty(), &session.prompt());
        let line = tokio::select! {
            l = lines.next_line() => l?,
            _ = tokio::signal::ctrl_c() => {
                // Like bash: forget the half-typed command and prompt again.
                text.clear();
                session.last_status = 130;
                if tty {
                    println!();
                }
                continue;
            }
        };
        let Some(line) = line else {
            if !text.is_empty() {
                // The input ended inside a quote or heredoc: let the parser say so.
                run_one(session, &text, tty).await;
            }
            if tty {
                println!("exit");
            }
            return Ok(session.exit.unwrap_or(session.last_status));
        };
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&line);
        if Session::needs_more(&text) {
            continue;
        }
        let command = std::mem::take(&mut text);
        run_one(session, &command, tty).await;
        if let Some(status) = session.exit {
            return Ok(status);
        }
    }
}

/// Run one command line, streaming its output; Ctrl+C cancels it.
async fn run_one(session: &mut Session, command: &str, tty: bool) -> i32 {
    let (out, mut rx) = Output::channel();
    let interrupted = {
        let run = session.run_line(command, &out);
        tokio::pin!(run);
        loop {
            tokio::select! {
                biased;
                Some(chunk) = rx.recv() => write_chunk(chunk, tty),
                _ = &mut run => break false,
                _ = tokio::signal::ctrl_c() => break true,
            }
        }
    };
    // The command's future is gone; print whatever it wrote before it ended.
    drop(out);
    while let Ok(chunk) = rx.try_recv() {
        write_chunk(chunk, tty);
    }
    if interrupted {
        if tty {
            println!();
        }
        session.last_status = 130;
    }
    session.last_status
}
