//! The YAML editor's life as the UI sees it: opened by the shell (`edit FILE`, `kubectl
//! edit`), given and taken the keyboard, saved (a file is then applied with `kubectl apply -f`,
//! a `kubectl edit` finished), and closed — never losing unsaved text on the way.

use crate::io::{Chunk, EditorRequest};
use crate::ui::editor::{Editor, Target};
use crate::ui::strings;

use super::{App, Effect, LineKind};

impl App {
    /// Open what the shell asked for (`edit FILE`, `kubectl edit`) and give it the keyboard. A
    /// buffer with unsaved changes is never replaced: the request is refused with a note.
    pub fn open_editor(&mut self, req: EditorRequest) {
        if let Some(ed) = self.editor.as_ref().filter(|e| e.dirty()) {
            let note = strings::fill(self.tr(strings::BUFFER_BUSY), &[("name", ed.name())]);
            self.scrollback.end_line();
            self.scrollback.push(LineKind::Err, &format!("{note}\n"));
            return;
        }
        if self
            .editor
            .as_ref()
            .is_some_and(|e| matches!(e.target, Target::Object(_)))
        {
            // An unchanged `kubectl edit` left open ends here, as kubectl's editor closed
            // without changes would.
            self.cancel_edit_note();
        }
        let (target, text) = match req {
            EditorRequest::File { path, text } => (Target::File { path }, text),
            EditorRequest::Object(session) => {
                let text = session.text.clone();
                (Target::Object(session), text)
            }
        };
        self.editor = Some(Editor::new(target, &text));
        self.editor_focus = true;
        self.clamp_scroll();
    }

    /// Ctrl+X: close the buffer; with unsaved changes only on the second press. Closing a
    /// `kubectl edit` says what kubectl says when the editor quits without saving.
    pub(super) fn close_editor(&mut self) {
        let Some(ed) = &mut self.editor else {
            return;
        };
        if ed.dirty() && !ed.confirm_close {
            ed.confirm_close = true;
            self.notice = Some(self.tr(strings::CONFIRM_CLOSE).to_string());
            return;
        }
        if matches!(ed.target, Target::Object(_)) {
            self.cancel_edit_note();
        }
        self.editor = None;
        self.editor_focus = false;
        self.clamp_scroll();
    }

    /// What kubectl prints when its editor closes with nothing changed.
    pub(super) fn cancel_edit_note(&mut self) {
        self.scrollback.end_line();
        self.scrollback
            .push(LineKind::Err, "Edit cancelled, no changes made.\n");
        self.scroll = 0;
    }

    /// Ctrl+S: ask the event loop to write the file (then apply it) or finish the `kubectl edit`.
    pub(super) fn save(&mut self) -> Vec<Effect> {
        let Some(ed) = &self.editor else {
            return Vec::new();
        };
        let text = ed.text();
        match &ed.target {
            Target::File { path } => vec![Effect::Save {
                path: path.clone(),
                text,
            }],
            Target::Object(session) => vec![Effect::FinishEdit {
                session: session.clone(),
                text,
            }],
        }
    }

    /// The file of an [`Effect::Save`] was written (or not). On success the buffer is clean and
    /// `kubectl apply -f PATH` runs in the terminal, as if typed.
    pub fn on_saved(&mut self, path: &str, result: Result<(), String>) -> Vec<Effect> {
        match result {
            Ok(()) => {
                if let Some(ed) = &mut self.editor {
                    ed.mark_saved();
                    ed.failure = None;
                }
                let line = format!("kubectl apply -f {path}");
                self.apply_line = Some(line.clone());
                self.scroll = 0;
                if self.running || !self.pending.is_empty() {
                    self.queue.push_back(line);
                    return Vec::new();
                }
                self.accept_line(line)
            }
            Err(err) => {
                let msg = strings::fill(self.tr(strings::SAVE_FAILED), &[("err", err)]);
                if let Some(ed) = &mut self.editor {
                    ed.failure = Some(msg);
                }
                Vec::new()
            }
        }
    }

    /// The `kubectl edit` of an [`Effect::FinishEdit`] ran, printing `output`. Success closes
    /// the editor; a failure keeps it open with the text and the error, as kubectl reopens the
    /// file.
    pub fn on_edit_finished(&mut self, status: i32, output: Vec<Chunk>) {
        let mut text = String::new();
        for chunk in output {
            if let Chunk::Text(_, t) = &chunk {
                text.push_str(t);
            }
            self.on_output(chunk);
        }
        self.scrollback.end_line();
        if status == 0 {
            self.editor = None;
            self.editor_focus = false;
            self.clamp_scroll();
        } else if let Some(ed) = &mut self.editor {
            ed.failure = Some(text.trim_end().to_string());
        }
    }

    /// Keep the editor's cursor in view after a key.
    pub(super) fn scroll_editor(&mut self) {
        let area = self.areas().editor;
        if let Some(ed) = &self.editor {
            let (text, _) = crate::ui::panes::editor::parts(area, ed, self.lang);
            let h = text.height as usize;
            if let Some(ed) = &mut self.editor {
                ed.scroll_to_cursor(h);
            }
        }
    }
}
