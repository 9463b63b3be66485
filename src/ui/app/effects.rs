//! What the UI asks of the event loop. [`super::App`]'s update functions never do I/O; they
//! return these, and the event loop runs the command, writes the file or quits. Kept apart so
//! the whole contract between the state and the loop reads on one screen.

use crate::kubectl::edit::EditSession;

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Run this command text (possibly several lines, for a heredoc) in the shell.
    Run(String),
    /// Cancel the running command.
    Cancel,
    Quit,
    /// Quit the UI so the lab starts the lesson over (confirmed by the learner).
    Reset,
    NextStep,
    PrevStep,
    /// A hint was opened: let the lesson remember it.
    HintRevealed,
    /// Tab: complete `line` at byte `cursor`; the answer comes back to [`App::apply_completion`].
    Complete {
        line: String,
        cursor: usize,
    },
    /// Ctrl+S on a file: write `text` to the workspace file `path` (atomically), then report to
    /// [`App::on_saved`], which runs the apply.
    Save {
        path: String,
        text: String,
    },
    /// Ctrl+S on `kubectl edit`: apply the edit ([`crate::kubectl::edit::finish`]) and report to
    /// [`App::on_edit_finished`].
    FinishEdit {
        session: Box<EditSession>,
        text: String,
    },
}
