//! The YAML editor's state: a [`tui_textarea::TextArea`] for the text (cursor, undo/redo), what
//! the buffer belongs to (a workspace file or a `kubectl edit` of a live object), what was last
//! saved (the dirty mark), and the live validation result.
//!
//! Validation runs the same decoder `kubectl apply` uses
//! ([`crate::runtime::manifest::decode_manifests`]) on every change, so the learner sees the
//! error kubectl would print before saving, with a marker on the line it is about.
//! [`super::panes::editor`] draws this; [`super::app::App`] routes keys here.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_textarea::{CursorMove, Input, Key, TextArea};

use crate::kubectl::edit::EditSession;
use crate::runtime::manifest::{decode_manifests, ManifestError};

/// What the buffer is saved into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A workspace file (path from the workspace root); Ctrl+S writes it and applies it.
    File { path: String },
    /// `kubectl edit`: Ctrl+S applies the edit to the live object.
    Object(Box<EditSession>),
}

/// The first thing wrong with the buffer: the line it is about (0-based) and kubectl's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub message: String,
}

/// Edits the text area remembers for undo.
const MAX_EDITS: usize = 2000;

#[derive(Debug, Clone)]
pub struct Editor {
    pub textarea: TextArea<'static>,
    pub target: Target,
    /// The text as last saved (or opened): the buffer is dirty when it differs.
    saved: String,
    pub problem: Option<Problem>,
    /// Why the last save or apply failed; cleared by the next change or a good save.
    pub failure: Option<String>,
    /// The first buffer row shown, kept so the view does not jump while the cursor moves.
    pub top: usize,
    /// Ctrl+X was pressed once on a dirty buffer: a second one discards it.
    pub confirm_close: bool,
    /// Undo by groups, not by characters: how many of the text area's own edits each group
    /// holds, oldest first, and the kind of the last edit (whether the next one joins it).
    undo_groups: Vec<usize>,
    redo_groups: Vec<usize>,
    last_edit: Option<EditKind>,
}

/// What an edit was, for grouping: typing a word joins the edit before it; a space after a
/// word, a newline, a delete after typing (or the other way), a paste or a cursor move starts
/// a new group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditKind {
    Word,
    Space,
    Delete,
}

fn edit_kind(key: &KeyEvent) -> Option<EditKind> {
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if plain && c.is_whitespace() => Some(EditKind::Space),
        KeyCode::Char(_) if plain => Some(EditKind::Word),
        KeyCode::Tab => Some(EditKind::Space),
        KeyCode::Backspace | KeyCode::Delete => Some(EditKind::Delete),
        _ => None,
    }
}

impl Editor {
    pub fn new(target: Target, text: &str) -> Editor {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut textarea = TextArea::new(lines);
        textarea.set_tab_length(2);
        textarea.set_max_histories(MAX_EDITS);
        let mut ed = Editor {
            textarea,
            target,
            saved: String::new(),
            problem: None,
            failure: None,
            top: 0,
            confirm_close: false,
            undo_groups: Vec::new(),
            redo_groups: Vec::new(),
            last_edit: None,
        };
        ed.saved = ed.text();
        ed.validate();
        ed
    }

    /// The buffer, ending in one `\n` (as files and kubectl write YAML).
    pub fn text(&self) -> String {
        let mut text = self.textarea.lines().join("\n");
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    pub fn dirty(&self) -> bool {
        self.text() != self.saved
    }

    /// The buffer was saved as it is now.
    pub fn mark_saved(&mut self) {
        self.saved = self.text();
    }

    /// What the title calls the buffer: the file, or `service/my-nginx`.
    pub fn name(&self) -> String {
        match &self.target {
            Target::File { path } => path.trim_start_matches('/').to_string(),
            Target::Object(s) => format!("{}/{}", s.kind.to_lowercase(), s.name),
        }
    }

    /// The cursor: (row, column in chars).
    pub fn cursor(&self) -> (usize, usize) {
        let c = self.textarea.cursor();
        (c.0, c.1)
    }

    /// Type a key into the buffer. True if the text changed.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        let Some(input) = to_input(key) else {
            return false;
        };
        let changed = self.textarea.input(input);
        let kind = edit_kind(&key);
        if changed {
            // A word joins what was typed before it; a space joins the word it ends.
            let joins = match (self.last_edit, kind) {
                (Some(EditKind::Word), Some(EditKind::Word | EditKind::Space)) => true,
                (Some(a), Some(b)) => a == b,
                _ => false,
            };
            self.record_edit(joins);
            self.last_edit = if key.code == KeyCode::Enter { None } else { kind };
        } else if kind.is_none() {
            // A cursor move ends the group.
            self.last_edit = None;
        }
        self.changed(changed)
    }

    pub fn paste(&mut self, text: &str) -> bool {
        let changed = self.textarea.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
        if changed {
            self.record_edit(false);
            self.last_edit = None;
        }
        self.changed(changed)
    }

    /// One more edit of the text area: into the open group, or a new one.
    fn record_edit(&mut self, joins: bool) {
        self.redo_groups.clear();
        match self.undo_groups.last_mut() {
            Some(n) if joins => *n += 1,
            _ => self.undo_groups.push(1),
        }
        // The text area forgets its oldest edits past MAX_EDITS: forget their groups too.
        let mut total: usize = self.undo_groups.iter().sum();
        while total > MAX_EDITS && !self.undo_groups.is_empty() {
            total -= self.undo_groups.remove(0);
        }
    }

    /// Ctrl+Z: undo the last group of edits (a word, a deletion, a paste).
    pub fn undo(&mut self) -> bool {
        self.last_edit = None;
        let Some(n) = self.undo_groups.pop() else {
            let changed = self.textarea.undo();
            return self.changed(changed);
        };
        let mut changed = false;
        for _ in 0..n {
            changed |= self.textarea.undo();
        }
        self.redo_groups.push(n);
        self.changed(changed)
    }

    /// Ctrl+Y: redo the last undone group.
    pub fn redo(&mut self) -> bool {
        self.last_edit = None;
        let Some(n) = self.redo_groups.pop() else {
            let changed = self.textarea.redo();
            return self.changed(changed);
        };
        let mut changed = false;
        for _ in 0..n {
            changed |= self.textarea.redo();
        }
        self.undo_groups.push(n);
        self.changed(changed)
    }

    /// Put the cursor at the start of `row` (the error line, say).
    pub fn goto_line(&mut self, row: usize) {
        self.textarea
            .move_cursor(CursorMove::Jump(row.min(u16::MAX as usize) as u16, 0));
    }

    fn changed(&mut self, changed: bool) -> bool {
        if changed {
            self.confirm_close = false;
            self.failure = None;
            self.validate();
        }
        changed
    }

    /// Decode the buffer as `kubectl apply` would and keep the first error.
    pub fn validate(&mut self) {
        let text = self.text();
        let source = match &self.target {
            Target::File { path } => path.trim_start_matches('/').to_string(),
            Target::Object(_) => "edit".to_string(),
        };
        let results = decode_manifests(&text, &source);
        self.problem = results.iter().enumerate().find_map(|(doc, r)| {
            let e = r.as_ref().err()?;
            Some(Problem {
                line: error_line(&text, doc, e),
                message: e.to_string(),
            })
        });
    }

    /// Keep the cursor inside a view `height` rows tall: move `top` only as far as needed.
    pub fn scroll_to_cursor(&mut self, height: usize) {
        self.top = visible_top(self.top, self.cursor().0, height);
    }
}

/// The first row to show so that `cursor` is visible in `height` rows, moving from `top` as
/// little as possible.
pub fn visible_top(top: usize, cursor: usize, height: usize) -> usize {
    let height = height.max(1);
    if cursor < top {
        cursor
    } else if cursor >= top + height {
        cursor + 1 - height
    } else {
        top
    }
}

/// crossterm's key as the textarea's input (its own conversion is for its crossterm version).
fn to_input(key: KeyEvent) -> Option<Input> {
    let k = match key.code {
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::F(n) => Key::F(n),
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Enter => Key::Enter,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Tab => Key::Tab,
        KeyCode::Delete => Key::Delete,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        _ => return None,
    };
    Some(Input {
        key: k,
        ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
        alt: key.modifiers.contains(KeyModifiers::ALT),
        shift: key.modifiers.contains(KeyModifiers::SHIFT),
    })
}

/// The 0-based line an error is about: YAML syntax errors carry it; unknown fields and wrong
/// types name a field path, found by walking the keys' indentation in document `doc`.
fn error_line(text: &str, doc: usize, e: &ManifestError) -> Option<usize> {
    match e {
        ManifestError::Syntax { line, .. } if *line > 0 => Some(line - 1),
        ManifestError::UnknownFields { fields, .. } => fields.first().and_then(|f| find_path(text, doc, f)),
        ManifestError::BadValue { message, .. } => bad_value_path(message).and_then(|p| find_path(text, doc, &p)),
        _ => document_start(text, doc),
    }
}

/// The field path in a wrong-type message: `… Go struct field ServicePort.spec.ports.port of
/// type int32` gives `spec.ports.port`.
fn bad_value_path(message: &str) -> Option<String> {
    let after = message.split("struct field ").nth(1)?;
    let field = after.split_whitespace().next()?;
    let mut parts = field.split('.');
    parts.next(); // the Go type
    let path: Vec<&str> = parts.collect();
    (!path.is_empty()).then(|| path.join("."))
}

/// The first line of document `doc` (documents are separated by `---` lines).
fn document_start(text: &str, doc: usize) -> Option<usize> {
    if doc == 0 {
        return Some(0);
    }
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("---"))
        .nth(doc - 1)
        .map(|(i, _)| i + 1)
}

/// The line of `spec.ports[0].prot` in document `doc`: each key is looked for below the
/// previous one, deeper indented, before the block ends.
fn find_path(text: &str, doc: usize, path: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = document_start(text, doc)?;
    let mut min_indent = 0usize;
    let mut found = None;
    for key in path.split('.') {
        let key = key.split('[').next().unwrap_or(key);
        if key.is_empty() {
            continue;
        }
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(at) {
            if line.starts_with("---") && i > at {
                break;
            }
            let body = line.trim_start();
            let indent = line.len() - body.len();
            let body = body.trim_start_matches("- ");
            let indent = indent + (line.trim_start().len() - body.len());
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            if found.is_some() && indent < min_indent {
                break;
            }
            if indent >= min_indent && (body.starts_with(&format!("{key}:"))) {
                hit = Some((i, indent));
                break;
            }
        }
        let (i, indent) = hit?;
        found = Some(i);
        at = i + 1;
        min_indent = indent + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n";

    fn file(text: &str) -> Editor {
        Editor::new(
            Target::File {
                path: "/svc.yaml".into(),
            },
            text,
        )
    }

    #[test]
    fn a_valid_manifest_has_no_problem_and_is_clean_until_changed() {
        let mut ed = file(SVC);
        assert_eq!(ed.problem, None);
        assert_eq!(ed.text(), SVC);
        assert!(!ed.dirty());
        ed.input(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
        assert!(ed.dirty());
        assert!(ed.problem.is_some(), "xapiVersion is not a field");
        ed.undo();
        assert!(!ed.dirty());
        assert_eq!(ed.problem, None);
        ed.redo();
        assert!(ed.text().starts_with("xapiVersion"));
    }

    #[test]
    fn ctrl_z_undoes_a_word_at_a_time() {
        let mut ed = file("");
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        for c in "name: web".chars() {
            ed.input(key(c));
        }
        ed.input(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        for c in "port".chars() {
            ed.input(key(c));
        }
        ed.input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        ed.input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        let lines = |ed: &Editor| ed.textarea.lines().join("|");
        assert_eq!(lines(&ed), "name: web|po");
        ed.undo();
        assert_eq!(lines(&ed), "name: web|port", "both deletes at once");
        ed.undo();
        assert_eq!(lines(&ed), "name: web|", "the word");
        ed.undo();
        assert_eq!(lines(&ed), "name: web", "the newline");
        ed.undo();
        assert_eq!(lines(&ed), "name: ", "the word after the space");
        ed.undo();
        assert_eq!(lines(&ed), "", "the first word and the space it ended");
        ed.redo();
        ed.redo();
        assert_eq!(lines(&ed), "name: web");
        ed.paste("\nspec: {}");
        ed.undo();
        assert_eq!(lines(&ed), "name: web", "a paste is one group");
    }

    #[test]
    fn errors_point_at_their_line() {
        let ed = file(&SVC.replace("  - port: 80", "  - prot: 80"));
        let p = ed.problem.unwrap();
        assert_eq!(p.line, Some(8), "{}", p.message);
        assert!(
            p.message.contains("unknown field \"spec.ports[0].prot\""),
            "{}",
            p.message
        );
        let ed = file(&SVC.replace("port: 80", "port: eighty"));
        let p = ed.problem.unwrap();
        assert_eq!(p.line, Some(8), "{}", p.message);
        let ed = file(&SVC.replace("    app: web", "    app: [web"));
        let p = ed.problem.unwrap();
        assert!(p.message.starts_with("error converting YAML to JSON"), "{}", p.message);
        assert!(p.line.is_some_and(|l| (6..=9).contains(&l)), "{p:?}");
        let two = format!("{SVC}---\n{}", SVC.replace("targetPort", "targetPrt"));
        let p = file(&two).problem.unwrap();
        assert_eq!(p.line, Some(20), "the second document's line: {}", p.message);
    }

    #[test]
    fn the_view_follows_the_cursor_without_jumping() {
        assert_eq!(visible_top(0, 3, 10), 0);
        assert_eq!(visible_top(0, 12, 10), 3);
        assert_eq!(visible_top(5, 7, 10), 5);
        assert_eq!(visible_top(5, 2, 10), 2);
    }
}
