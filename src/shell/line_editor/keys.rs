//! The line editor's keymap as data: one row per key and the [`Edit`] it asks for. Both front
//! ends read this table — `k8s-lab shell` through [`decode`], the TUI's keymap after its own
//! rows (the lab's keys win where both bind a key, as Ctrl+C does) — and the TUI's help overlay
//! lists it, so a key works the same on both command lines and is described where it works.
//!
//! Printable characters are not rows: [`typed`] says which key presses type one.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::Edit;

/// One row of the line editor's keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub edit: Edit,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn k(code: KeyCode, mods: KeyModifiers, edit: Edit) -> Binding {
    Binding { code, mods, edit }
}

/// The keys of the command line, in the order help lists them (a key first, then its readline
/// alias). Ctrl+H is Backspace: many terminals send it for that key.
pub const KEYS: &[Binding] = &[
    k(KeyCode::Enter, NONE, Edit::Submit),
    k(KeyCode::Up, NONE, Edit::HistoryPrev),
    k(KeyCode::Char('p'), CTRL, Edit::HistoryPrev),
    k(KeyCode::Down, NONE, Edit::HistoryNext),
    k(KeyCode::Char('n'), CTRL, Edit::HistoryNext),
    k(KeyCode::Left, NONE, Edit::Left),
    k(KeyCode::Char('b'), CTRL, Edit::Left),
    k(KeyCode::Right, NONE, Edit::Right),
    k(KeyCode::Char('f'), CTRL, Edit::Right),
    k(KeyCode::Home, NONE, Edit::Home),
    k(KeyCode::Char('a'), CTRL, Edit::Home),
    k(KeyCode::End, NONE, Edit::End),
    k(KeyCode::Char('e'), CTRL, Edit::End),
    k(KeyCode::Backspace, NONE, Edit::Backspace),
    k(KeyCode::Char('h'), CTRL, Edit::Backspace),
    k(KeyCode::Delete, NONE, Edit::Delete),
    k(KeyCode::Char('d'), CTRL, Edit::DeleteOrEof),
    k(KeyCode::Char('u'), CTRL, Edit::KillToStart),
    k(KeyCode::Char('k'), CTRL, Edit::KillToEnd),
    k(KeyCode::Char('w'), CTRL, Edit::KillWordBack),
    k(KeyCode::Tab, NONE, Edit::Complete),
    k(KeyCode::Char('l'), CTRL, Edit::ClearScreen),
    k(KeyCode::Char('c'), CTRL, Edit::Interrupt),
];

/// A key as the keymaps compare it: Shift is dropped for characters (`?` arrives as Shift+/ on
/// some terminals) and a Ctrl+letter is lower case.
pub fn normalize(key: &KeyEvent) -> (KeyCode, KeyModifiers) {
    match key.code {
        KeyCode::Char(c) => {
            let mods = key.modifiers - KeyModifiers::SHIFT;
            let c = if mods.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            };
            (KeyCode::Char(c), mods)
        }
        code => (code, key.modifiers),
    }
}

/// The edit [`KEYS`] binds to `key`, if any (key releases, sent on Windows, are none).
pub fn lookup(key: &KeyEvent) -> Option<Edit> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let (code, mods) = normalize(key);
    KEYS.iter().find(|b| b.code == code && b.mods == mods).map(|b| b.edit)
}

/// The character a key press types: a plain or shifted character, or one with Ctrl+Alt
/// (AltGr arrives so on Windows). Alt+letter and Ctrl+letter type nothing.
pub fn typed(key: &KeyEvent) -> Option<char> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    let mods = key.modifiers - KeyModifiers::SHIFT;
    (mods.is_empty() || mods == KeyModifiers::CONTROL | KeyModifiers::ALT).then_some(c)
}

/// What a key press does on the command line: a row of [`KEYS`], or a typed character.
pub fn decode(key: &KeyEvent) -> Option<Edit> {
    lookup(key).or_else(|| typed(key).map(Edit::Char))
}
