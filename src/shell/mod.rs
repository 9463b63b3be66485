//! The learner's command line: sh-like parsing (quotes, `;`, `&&`, `||`, `|`, `$(…)`, `$VAR`,
//! heredocs) and builtins, dispatching `kubectl` to [`crate::kubectl`].
//!
//! - [`parse`] turns text into an [`ast::Script`] (pure, no I/O);
//! - [`expand`] turns words into arguments when a command runs;
//! - [`exec`] runs the tree: pipelines, `&&`/`||`, redirections;
//! - [`builtins`] is the table of commands (`kubectl`, `curl`, `grep`, `timeout` …);
//! - [`journal`] records every line and kubectl invocation as run, for lesson checks;
//! - [`repl`] reads lines from stdin for `k8s-lab shell`.

pub mod arith;
pub mod ast;
pub mod attach;
pub mod builtins;
pub mod complete;
pub mod exec;
pub mod expand;
pub mod glob;
pub mod journal;
pub mod line_editor;
pub mod parse;
pub mod repl;
pub mod saved;

#[cfg(test)]
mod malformed_tests;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::BTreeMap;

use crate::runtime::Cluster;

/// Most bytes of one line the shell reads (from a pipe, a file or a paste). Bash has no such
/// limit; the lab has one so a pasted megabyte without a newline is a message, not memory.
pub const MAX_LINE_BYTES: usize = 256 * 1024;
/// Most bytes of one command, its continuation lines and heredoc included: a heredoc can carry
/// the biggest manifest the lab reads.
pub const MAX_COMMAND_BYTES: usize = crate::runtime::manifest::MAX_MANIFEST_BYTES;
/// Most bytes a pipe, a `$(…)` or a `> file` collects from one command; the command is stopped
/// there (see [`exec::until_full`]).
pub const MAX_CAPTURE_BYTES: usize = 16 * 1024 * 1024;
/// Most commands `history` keeps, like bash's default `HISTSIZE`.
pub const MAX_HISTORY: usize = 1000;
/// Most bytes of history kept (the newest command always stays).
pub const MAX_HISTORY_BYTES: usize = 1024 * 1024;

/// Add `line` to `history`, dropping the oldest commands past [`MAX_HISTORY`] or
/// [`MAX_HISTORY_BYTES`].
pub fn push_history(history: &mut Vec<String>, line: String) {
    history.push(line);
    let mut drop = history.len().saturating_sub(MAX_HISTORY);
    let mut bytes: usize = history[drop..].iter().map(String::len).sum();
    for l in history.iter().take(history.len() - 1).skip(drop) {
        if bytes <= MAX_HISTORY_BYTES {
            break;
        }
        bytes -= l.len();
        drop += 1;
    }
    if drop > 0 {
        history.drain(..drop);
    }
}

/// Whether a command typed line by line is complete yet, re-parsing only when the newest line
/// could complete it: inside a heredoc only its delimiter line can, so a pasted manifest of
/// thousands of lines costs one parse per delimiter, not one per line.
#[derive(Debug, Default)]
pub struct Continuation {
    waiting: Option<parse::Missing>,
}

impl Continuation {
    /// `text` is the command so far, `last` its newest line.
    pub fn needs_more(&mut self, text: &str, last: &str) -> bool {
        if let Some(parse::Missing::Heredoc(delim)) = &self.waiting {
            if last != delim && last.trim_start_matches('\t') != delim {
                return true;
            }
        }
        self.waiting = parse::missing(text);
        self.waiting.is_some()
    }

    /// A new command starts.
    pub fn reset(&mut self) {
        self.waiting = None;
    }
}

/// The message for a command over [`MAX_COMMAND_BYTES`].
pub fn command_too_long(len: usize) -> String {
    format!("sh: the command is {len} bytes long; the lab's shell takes commands of up to {MAX_COMMAND_BYTES} bytes")
}

/// The message for a line over [`MAX_LINE_BYTES`].
pub fn line_too_long(len: usize) -> String {
    format!("sh: the line is {len} bytes long; the lab's shell reads lines of up to {MAX_LINE_BYTES} bytes")
}
use crate::io::Output;
use crate::workspace::Workspace;

/// One learner's shell: variables, history, workspace, and the cluster it talks to.
pub struct Session {
    pub cluster: Cluster,
    pub workspace: Workspace,
    pub vars: BTreeMap<String, String>,
    pub history: Vec<String>,
    /// Every line and kubectl invocation as the lab ran it, for lesson checks (shared with
    /// subshells).
    pub journal: journal::Journal,
    pub last_status: i32,
    /// The current directory inside the workspace (`/` is the root; the learner sees it as
    /// [`Workspace::label`], `~/lesson5`).
    pub cwd: String,
    /// Set by `exit`: the shell should end with this status.
    pub exit: Option<i32>,
    /// Where variables and the folder are saved after each line (see [`saved`]); `None` keeps
    /// them in memory only.
    pub saver: Option<saved::Saver>,
    /// Lines `replay` runs: the solutions of lesson steps that were done on a cluster that is
    /// gone (set when the lab opens a lesson whose progress and cluster disagree).
    pub replay: Vec<String>,
    /// Set while the command line is attached to a pod (`kubectl run -it`, `kubectl exec -it
    /// … -- sh`): commands then run inside that pod until `exit`.
    pub attached: Option<attach::Attached>,
    /// Status of the last `$(…)` in the command being expanded (`A=$(false)` returns 1).
    subst_status: Option<i32>,
    /// An expansion error (`${A:?}`) abandons the rest of the line, as in interactive bash.
    abort: bool,
}

impl Session {
    pub fn new(cluster: Cluster, workspace: Workspace) -> Session {
        Session {
            cluster,
            workspace,
            vars: BTreeMap::new(),
            history: Vec::new(),
            replay: Vec::new(),
            saver: None,
            journal: journal::Journal::default(),
            last_status: 0,
            cwd: "/".into(),
            exit: None,
            attached: None,
            subst_status: None,
            abort: false,
        }
    }

    /// Run one command line (which may span several lines for a heredoc). Returns its exit
    /// status. Dropping the future cancels the command (Ctrl+C).
    pub async fn run_line(&mut self, line: &str, out: &Output) -> i32 {
        let line = line.strip_suffix('\n').unwrap_or(line);
        if line.len() > MAX_COMMAND_BYTES {
            out.err_line(&command_too_long(line.len()));
            self.last_status = 2;
            return 2;
        }
        if !line.trim().is_empty() {
            push_history(&mut self.history, line.to_string());
            self.journal.record_line(line);
        }
        let parsed = match parse::parse(line, parse::Mode::Final) {
            Ok(p) => p,
            Err(e) => {
                for m in e.messages() {
                    out.err_line(&m);
                }
                self.last_status = 2;
                return 2;
            }
        };
        for w in &parsed.warnings {
            out.err_line(w);
        }
        if parsed.script.items.is_empty() {
            return self.last_status;
        }
        self.abort = false;
        let status = self.exec_script(&parsed.script, None, out).await;
        self.abort = false;
        self.last_status = status;
        self.save_state(out);
        status
    }

    /// Keep this shell's variables, folder and journal in `path` from now on, starting from
    /// what is saved there (a restart brings back `export`ed values later steps use, and the
    /// commands a half-done step has seen).
    pub fn persist_to(&mut self, path: std::path::PathBuf) {
        let (saver, saved) = saved::Saver::open(path);
        self.vars.extend(saved.vars);
        self.journal.import(&saved.journal);
        if !saved.cwd.is_empty() && self.workspace.resolve(&saved.cwd).is_some_and(|p| p.is_dir()) {
            self.cwd = saved.cwd;
        }
        self.saver = Some(saver);
    }

    fn save_state(&mut self, out: &Output) {
        let now = saved::SavedShell {
            vars: self.vars.clone(),
            cwd: self.cwd.clone(),
            journal: self.journal.export(),
        };
        if let Some(saver) = self.saver.as_mut() {
            if let Err(e) = saver.save(now) {
                out.err_line(&format!("k8s-lab: could not save the shell's variables: {e}"));
            }
        }
    }

    /// True when `text` is not a complete command yet: an open quote, a trailing `\`, or a
    /// heredoc whose terminator has not been seen. The reader then asks for more lines.
    pub fn needs_more(text: &str) -> bool {
        parse::needs_more(text)
    }

    /// A subshell: a copy of this shell whose changes (variables, `cd`, `exit`) are thrown away.
    fn fork(&self) -> Session {
        Session {
            cluster: self.cluster.clone(),
            workspace: self.workspace.clone(),
            vars: self.vars.clone(),
            history: self.history.clone(),
            journal: self.journal.clone(),
            last_status: self.last_status,
            cwd: self.cwd.clone(),
            exit: None,
            replay: Vec::new(),
            saver: None,
            attached: self.attached.clone(),
            subst_status: None,
            abort: false,
        }
    }

    /// Run `script` as `$(…)` does: in a copy of the shell, collecting its stdout.
    pub(crate) async fn capture(&mut self, script: &ast::Script, out: &Output) -> (String, i32) {
        let (o, cap) = exec::capture_stdout(out);
        let mut sub = self.fork();
        let status = exec::until_full(std::slice::from_ref(&cap), sub.exec_script(script, None, &o), out).await;
        self.last_status = status;
        (cap.take(), status)
    }

    /// A path as typed, made absolute against the current directory (still workspace-relative).
    pub fn path(&self, typed: &str) -> String {
        if let Some(rest) = self.workspace.strip_label(typed) {
            return rest.to_string();
        }
        if typed.starts_with('/') {
            typed.to_string()
        } else {
            format!("{}/{typed}", self.cwd.trim_end_matches('/'))
        }
    }

    /// Read a workspace file, relative to the current directory.
    pub fn read_file(&self, typed: &str) -> Result<String, String> {
        let p = self
            .workspace
            .resolve(&self.path(typed))
            .ok_or_else(|| self.workspace.outside())?;
        if p.is_dir() {
            return Err("Is a directory".into());
        }
        crate::workspace::read_bounded(&p)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| crate::io::io_message(&e))
    }

    /// Write a workspace file atomically, relative to the current directory.
    pub fn write_file(&self, typed: &str, data: &[u8]) -> Result<(), String> {
        self.check_writable(typed)?;
        self.workspace
            .write(&self.path(typed), data)
            .map_err(|e| crate::io::io_message(&e))
    }

    fn check_writable(&self, typed: &str) -> Result<(), String> {
        let p = self
            .workspace
            .resolve(&self.path(typed))
            .ok_or_else(|| self.workspace.outside())?;
        if p.is_dir() || p == self.workspace.root() {
            return Err("Is a directory".into());
        }
        Ok(())
    }
}
