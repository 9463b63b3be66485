//! The line editor's keys and edits, as both front ends get them: key events go through
//! [`decode`] (the one keymap), so a broken row fails here.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::*;
use crate::shell::complete::Completion;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Press a key as a terminal sends it; completion from the shell's command names.
fn press(ed: &mut LineEditor, k: KeyEvent) -> Outcome {
    let edit = decode(&k).unwrap_or_else(|| panic!("{k:?} does nothing"));
    ed.apply_with(edit, command_names)
}

fn typed(ed: &mut LineEditor, s: &str) {
    for c in s.chars() {
        press(ed, key(KeyCode::Char(c)));
    }
}

fn line(ed: &LineEditor) -> (&str, usize) {
    (ed.text(), ed.cursor())
}

#[test]
fn editing_keys() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "kubctl get");
    press(&mut ed, key(KeyCode::Home));
    for _ in 0..3 {
        press(&mut ed, key(KeyCode::Right));
    }
    typed(&mut ed, "e");
    assert_eq!(ed.text(), "kubectl get");
    press(&mut ed, key(KeyCode::End));
    press(&mut ed, key(KeyCode::Backspace));
    assert_eq!(ed.text(), "kubectl ge");
    press(&mut ed, ctrl('w'));
    assert_eq!(ed.text(), "kubectl ");
    press(&mut ed, key(KeyCode::Home));
    press(&mut ed, key(KeyCode::Delete));
    assert_eq!(ed.text(), "ubectl ");
    press(&mut ed, key(KeyCode::End));
    press(&mut ed, key(KeyCode::Left));
    press(&mut ed, ctrl('k'));
    assert_eq!(ed.text(), "ubectl");
    press(&mut ed, ctrl('u'));
    assert_eq!(line(&ed), ("", 0));
    assert_eq!(press(&mut ed, ctrl('d')), Outcome::Eof);
    typed(&mut ed, "x");
    assert_eq!(press(&mut ed, ctrl('c')), Outcome::Interrupted);
    assert_eq!(ed.text(), "", "Ctrl+C drops the line");
    typed(&mut ed, "x");
    assert_eq!(press(&mut ed, key(KeyCode::Enter)), Outcome::Submit("x".into()));
    assert_eq!(line(&ed), ("", 0), "Enter takes the line out");
    assert_eq!(press(&mut ed, ctrl('l')), Outcome::ClearScreen);
}

#[test]
fn readline_aliases_move_and_delete_like_their_keys() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "abcd");
    press(&mut ed, ctrl('a'));
    assert_eq!(ed.cursor(), 0, "Ctrl+A is Home");
    press(&mut ed, ctrl('f'));
    assert_eq!(ed.cursor(), 1, "Ctrl+F is →");
    press(&mut ed, ctrl('e'));
    assert_eq!(ed.cursor(), 4, "Ctrl+E is End");
    press(&mut ed, ctrl('b'));
    assert_eq!(ed.cursor(), 3, "Ctrl+B is ←");
    press(&mut ed, ctrl('h'));
    assert_eq!(line(&ed), ("abd", 2), "Ctrl+H is Backspace");
    assert_eq!(press(&mut ed, ctrl('d')), Outcome::Editing);
    assert_eq!(line(&ed), ("ab", 2), "Ctrl+D on a line deletes under the cursor");
    let shifted = KeyEvent::new(KeyCode::Char('A'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
    press(&mut ed, shifted);
    assert_eq!(ed.cursor(), 0, "Ctrl+Shift+A is Ctrl+A");
}

#[test]
fn what_a_key_types() {
    assert_eq!(decode(&key(KeyCode::Char('x'))), Some(Edit::Char('x')));
    let shift = KeyEvent::new(KeyCode::Char('X'), KeyModifiers::SHIFT);
    assert_eq!(decode(&shift), Some(Edit::Char('X')));
    let altgr = KeyEvent::new(KeyCode::Char('@'), KeyModifiers::CONTROL | KeyModifiers::ALT);
    assert_eq!(decode(&altgr), Some(Edit::Char('@')), "AltGr on Windows");
    let alt = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
    assert_eq!(decode(&alt), None, "Alt+letter types nothing");
    assert_eq!(decode(&ctrl('z')), None, "an unbound Ctrl+letter types nothing");
    let mut release = key(KeyCode::Char('x'));
    release.kind = KeyEventKind::Release;
    assert_eq!(decode(&release), None);
    let mut release = key(KeyCode::Enter);
    release.kind = KeyEventKind::Release;
    assert_eq!(decode(&release), None);
}

#[test]
fn every_key_is_bound_once() {
    for (i, a) in KEYS.iter().enumerate() {
        for b in &KEYS[i + 1..] {
            assert!(
                !(a.code == b.code && a.mods == b.mods),
                "{:?} {:?} bound twice",
                a.code,
                a.mods
            );
        }
    }
}

#[test]
fn multibyte_text_is_edited_by_characters() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "K한글");
    press(&mut ed, key(KeyCode::Left));
    assert_eq!((ed.cursor(), ed.byte_cursor()), (2, 4));
    press(&mut ed, key(KeyCode::Backspace));
    assert_eq!(line(&ed), ("K글", 1));
    press(&mut ed, key(KeyCode::Delete));
    assert_eq!(line(&ed), ("K", 1));
}

#[test]
fn ctrl_w_stops_at_any_blank() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "echo a\tbc  ");
    press(&mut ed, ctrl('w'));
    assert_eq!(ed.text(), "echo a\t", "tabs end a word as spaces do");
}

#[test]
fn the_line_stops_at_the_shells_limit_in_bytes() {
    let mut ed = LineEditor::new(&[]);
    let full = "é".repeat(crate::shell::MAX_LINE_BYTES / 2);
    assert!(ed.insert(&full));
    press(&mut ed, key(KeyCode::Char('x')));
    assert_eq!(
        ed.text().len(),
        crate::shell::MAX_LINE_BYTES,
        "a full line takes no more keys"
    );
    assert!(!ed.insert("y"));
}

#[test]
fn history_browsing_keeps_the_draft() {
    let mut ed = LineEditor::new(&["one".into(), "two".into()]);
    typed(&mut ed, "dra");
    press(&mut ed, key(KeyCode::Up));
    assert_eq!(ed.text(), "two");
    press(&mut ed, key(KeyCode::Up));
    press(&mut ed, key(KeyCode::Up));
    assert_eq!(ed.text(), "one");
    press(&mut ed, key(KeyCode::Down));
    assert_eq!(ed.text(), "two");
    press(&mut ed, key(KeyCode::Down));
    assert_eq!(line(&ed), ("dra", 3));
    press(&mut ed, key(KeyCode::Down));
    assert_eq!(ed.text(), "dra");
    press(&mut ed, ctrl('p'));
    assert_eq!(ed.text(), "two", "Ctrl+P is ↑");
    press(&mut ed, ctrl('n'));
    assert_eq!(ed.text(), "dra", "Ctrl+N is ↓");
}

#[test]
fn history_skips_multi_line_commands_and_stays_at_the_oldest() {
    let mut ed = LineEditor::new(&["one".into(), "cat <<EOF\nx\nEOF".into(), "two".into()]);
    press(&mut ed, key(KeyCode::Up));
    press(&mut ed, key(KeyCode::Up));
    assert_eq!(ed.text(), "one", "the heredoc is not recalled");
    press(&mut ed, key(KeyCode::Backspace));
    press(&mut ed, key(KeyCode::Up));
    assert_eq!(ed.text(), "on", "past the oldest nothing moves");
    press(&mut ed, key(KeyCode::Down));
    assert_eq!(ed.text(), "two");
    press(&mut ed, key(KeyCode::Down));
    assert_eq!(ed.text(), "");
}

#[test]
fn remembered_commands_are_browsed_and_taking_the_line_ends_browsing() {
    let mut ed = LineEditor::new(&[]);
    ed.remember("kubectl get svc".into());
    ed.remember("kubectl get svc".into());
    ed.remember("kubectl get pods".into());
    assert_eq!(
        ed.history(),
        ["kubectl get svc", "kubectl get pods"],
        "not twice in a row"
    );
    typed(&mut ed, "x");
    press(&mut ed, key(KeyCode::Up));
    assert_eq!(ed.take(), "kubectl get pods");
    press(&mut ed, key(KeyCode::Down));
    assert_eq!(ed.text(), "", "no draft left to restore after a new line");
    press(&mut ed, key(KeyCode::Up));
    assert_eq!(ed.text(), "kubectl get pods", "browsing starts again from the newest");
}

#[test]
fn history_keeps_the_shells_limits() {
    let mut ed = LineEditor::new(&[]);
    for i in 0..crate::shell::MAX_HISTORY + 5 {
        ed.remember(format!("echo {i}"));
    }
    assert_eq!(ed.history().len(), crate::shell::MAX_HISTORY);
    assert_eq!(ed.history()[0], "echo 5");
}

#[test]
fn tab_completes_unique_command_names() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "kube");
    press(&mut ed, key(KeyCode::Tab));
    assert_eq!(ed.text(), "kubectl ");
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "h");
    press(&mut ed, key(KeyCode::Tab));
    assert_eq!(ed.text(), "h", "head, help and history all start with h");
}

fn names(line: &str, cursor: usize) -> Completion {
    let start = line[..cursor].rfind(' ').map_or(0, |i| i + 1);
    let word = &line[start..cursor];
    let candidates = ["frontend", "frontend-nginx", "hello"]
        .iter()
        .filter(|c| c.starts_with(word))
        .map(|c| c.to_string())
        .collect();
    Completion { start, candidates }
}

#[test]
fn tab_inserts_the_common_part_then_lists_the_choices() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "kubectl get svc f");
    let tab = |ed: &mut LineEditor| ed.apply_with(Edit::Complete, names);
    assert_eq!(tab(&mut ed), Outcome::Editing);
    assert_eq!(ed.text(), "kubectl get svc frontend");
    assert_eq!(
        tab(&mut ed),
        Outcome::Editing,
        "the first Tab with nothing to add only rings"
    );
    assert_eq!(
        tab(&mut ed),
        Outcome::Candidates(vec!["frontend".into(), "frontend-nginx".into()])
    );
    assert_eq!(
        tab(&mut ed),
        Outcome::Candidates(vec!["frontend".into(), "frontend-nginx".into()]),
        "and again"
    );
    typed(&mut ed, "-");
    tab(&mut ed);
    assert_eq!(
        ed.text(),
        "kubectl get svc frontend-nginx ",
        "one choice: completed with a space"
    );
    press(&mut ed, key(KeyCode::Home));
    assert_eq!(tab(&mut ed), Outcome::Editing);
}

#[test]
fn any_other_key_makes_the_next_tab_a_first_one() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "kubectl get svc frontend");
    assert_eq!(ed.apply_with(Edit::Complete, names), Outcome::Editing);
    press(&mut ed, key(KeyCode::Right));
    assert_eq!(
        ed.apply_with(Edit::Complete, names),
        Outcome::Editing,
        "rings, lists nothing"
    );
    assert!(matches!(ed.apply_with(Edit::Complete, names), Outcome::Candidates(_)));
    ed.key_elsewhere();
    assert_eq!(
        ed.apply_with(Edit::Complete, names),
        Outcome::Editing,
        "a lab key between"
    );
}

#[test]
fn tab_is_a_request_the_caller_answers() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "edit ");
    press(&mut ed, key(KeyCode::Left));
    assert_eq!(
        ed.apply(Edit::Complete),
        Outcome::Complete {
            line: "edit ".into(),
            cursor: 4
        }
    );
    press(&mut ed, key(KeyCode::End));
    let none = Completion {
        start: 5,
        candidates: vec![],
    };
    ed.apply(Edit::Complete);
    assert_eq!(ed.completed(none.clone()), Outcome::Editing);
    ed.apply(Edit::Complete);
    assert_eq!(
        ed.completed(none),
        Outcome::NoChoices,
        "the second Tab says there is nothing"
    );
    let past = Completion {
        start: 9,
        candidates: vec!["x".into()],
    };
    ed.apply(Edit::Complete);
    assert_eq!(ed.completed(past), Outcome::Editing);
    assert_eq!(ed.text(), "edit ", "an answer for a word past the cursor is ignored");
}

#[test]
fn render_places_the_cursor_by_display_width() {
    let mut ed = LineEditor::new(&[]);
    typed(&mut ed, "echo 한국");
    press(&mut ed, key(KeyCode::Left));
    press(&mut ed, key(KeyCode::Left));
    assert_eq!(ed.render("$ "), "\r$ echo 한국\x1b[K\x1b[4D");
    press(&mut ed, key(KeyCode::End));
    assert_eq!(ed.render("$ "), "\r$ echo 한국\x1b[K");
}
