//! Where command output goes: the terminal pane, stdout of `k8s-lab shell`, a pipe's buffer or a
//! test. stdout and stderr go through one sink so they stay in the order they were written.
//!
//! This is the crate's leaf: it imports nothing of the crate, so the cluster (kubelet probes,
//! pod shells), kubectl, the shell, lessons and the UI can all write to one sink without
//! importing each other. What crosses to a screen is plain data ([`editor`]).

pub mod editor;

pub use editor::{EditorRequest, ExternalEditor, ObjectEdit};

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

/// Which stream a chunk belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// One piece of output. Text chunks carry their own newlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    Text(Stream, String),
    /// `clear`: wipe the terminal pane.
    Clear,
    /// `edit FILE` or `kubectl edit`: open this in the lab's YAML editor. Only sent to an output
    /// that [has an editor](Output::has_editor).
    Editor(EditorRequest),
}

/// A cheap-clone output sink.
#[derive(Clone)]
pub struct Output {
    sink: Arc<dyn Fn(Chunk) + Send + Sync>,
    /// The sink is a terminal that shows ANSI colours (`k8s-lab shell` on a tty). Pipes, files,
    /// `$(…)`, the TUI pane and tests are not: colour codes there would be noise.
    terminal: bool,
    /// The sink is the TUI's terminal pane, which can open files in its editor.
    editor: bool,
    /// `k8s-lab shell` on a terminal with `$KUBE_EDITOR`/`$EDITOR` set: `kubectl edit` runs it.
    external_editor: Option<Arc<ExternalEditor>>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Output")
    }
}

impl Output {
    pub fn new(f: impl Fn(Chunk) + Send + Sync + 'static) -> Output {
        Output {
            sink: Arc::new(f),
            terminal: false,
            editor: false,
            external_editor: None,
        }
    }

    /// The same sink, marked as (or as not) a colour terminal.
    pub fn with_terminal(mut self, terminal: bool) -> Output {
        self.terminal = terminal;
        self
    }

    /// Whether this output reaches a terminal that shows colours, as Go programs decide with
    /// `isatty`: commands that colour their output (`kubectl cluster-info`) ask this.
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// The same sink, marked as (or as not) the TUI's pane with an editor.
    pub fn with_editor(mut self, editor: bool) -> Output {
        self.editor = editor;
        self
    }

    /// Whether [`Output::open_editor`] reaches an editor (the TUI), rather than nothing (a plain
    /// shell, a pipe, `$(…)`).
    pub fn has_editor(&self) -> bool {
        self.editor
    }

    /// The same sink, with (or without) the learner's own editor for `kubectl edit`.
    pub fn with_external_editor(mut self, editor: Option<Arc<ExternalEditor>>) -> Output {
        self.external_editor = editor;
        self
    }

    /// The learner's own editor, when `kubectl edit` may run it (`k8s-lab shell` on a terminal).
    pub fn external_editor(&self) -> Option<Arc<ExternalEditor>> {
        self.external_editor.clone()
    }

    /// Ask the screen to open `req` in its editor.
    pub fn open_editor(&self, req: EditorRequest) {
        (self.sink)(Chunk::Editor(req))
    }

    /// Write to stdout.
    pub fn out(&self, s: &str) {
        if !s.is_empty() {
            (self.sink)(Chunk::Text(Stream::Out, s.to_string()))
        }
    }

    /// Write to stderr.
    pub fn err(&self, s: &str) {
        if !s.is_empty() {
            (self.sink)(Chunk::Text(Stream::Err, s.to_string()))
        }
    }

    /// Write one line (a newline is added) to stdout.
    pub fn line(&self, s: &str) {
        self.out(&format!("{s}\n"))
    }

    /// Write one line to stderr.
    pub fn err_line(&self, s: &str) {
        self.err(&format!("{s}\n"))
    }

    pub fn clear(&self) {
        (self.sink)(Chunk::Clear)
    }

    /// A sink that collects everything; read it with [`Buffer::text`].
    pub fn buffer() -> (Output, Buffer) {
        let buf = Buffer::default();
        let b = buf.clone();
        (Output::new(move |c| b.0.lock().unwrap().push(c)), buf)
    }

    /// A sink that forwards chunks to a channel (the TUI, the stdin shell).
    pub fn channel() -> (Output, mpsc::UnboundedReceiver<Chunk>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Output::new(move |c| drop(tx.send(c))), rx)
    }
}

/// Collected output.
#[derive(Clone, Default, Debug)]
pub struct Buffer(Arc<Mutex<Vec<Chunk>>>);

impl Buffer {
    /// stdout and stderr interleaved, as a terminal shows them.
    pub fn text(&self) -> String {
        self.collect(|_| true)
    }

    /// Only stdout (what a pipe or `$(…)` captures).
    pub fn stdout(&self) -> String {
        self.collect(|s| s == Stream::Out)
    }

    pub fn stderr(&self) -> String {
        self.collect(|s| s == Stream::Err)
    }

    pub fn chunks(&self) -> Vec<Chunk> {
        self.0.lock().unwrap().clone()
    }

    fn collect(&self, want: impl Fn(Stream) -> bool) -> String {
        let mut s = String::new();
        for c in self.0.lock().unwrap().iter() {
            if let Chunk::Text(st, t) = c {
                if want(*st) {
                    s.push_str(t);
                }
            }
        }
        s
    }
}

/// An I/O error in coreutils' words ("No such file or directory"), without "(os error 2)".
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "No such file or directory".into(),
        PermissionDenied => "Permission denied".into(),
        IsADirectory => "Is a directory".into(),
        NotADirectory => "Not a directory".into(),
        FileTooLarge => "File too large".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_keeps_order_and_splits_streams() {
        let (out, buf) = Output::buffer();
        out.line("a");
        out.err_line("b");
        out.line("c");
        assert_eq!(buf.text(), "a\nb\nc\n");
        assert_eq!(buf.stdout(), "a\nc\n");
        assert_eq!(buf.stderr(), "b\n");
    }

    #[test]
    fn only_a_marked_sink_is_a_terminal() {
        let (out, _) = Output::buffer();
        assert!(!out.is_terminal(), "buffers (tests, pipes) are not terminals");
        let tty = out.with_terminal(true);
        assert!(tty.clone().is_terminal(), "clones keep the mark");
        assert!(!Output::new(|_| {}).is_terminal());
    }
}
