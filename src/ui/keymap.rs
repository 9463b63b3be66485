//! The keymap as data (as helix does it): each row is a key, the action it triggers and a
//! description. [`lookup`] maps a key press to an action, the status bar shows the rows marked
//! `status`, and the help overlay (F1) is generated from the same table, so the three can never
//! disagree.
//!
//! The command line's own keys (←/→, Home/End, Ctrl+U/K/W, ↑/↓, Tab, Enter…) are not rows here:
//! they are the shared line editor's table, [`line_editor::KEYS`], the one `k8s-lab shell`
//! reads too. [`lookup_in`] tries this table first and then that one, so a lab key bound in
//! both (Ctrl+C) means the lab's; [`LINE_HELP`] gives those keys their help text.
//!
//! The input line always has the keyboard, so nothing here may take a key a learner needs for
//! typing a command: printable characters are only bound when the input is empty (`?`), and the
//! lab's own commands sit on function keys. Ctrl+H is Backspace's (many terminals send it for
//! that key), never a lab command.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::shell::line_editor::{self, keys::normalize, Edit};

use super::strings::Tr;
use super::Lang;

/// Something a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A key of the command line's own keymap ([`line_editor::KEYS`]): the shared line editor
    /// applies it (Enter, ↑/↓, Tab and Ctrl+L reach the lab through its outcome).
    Line(Edit),
    /// Ctrl+C: cancel the running command, or abandon the typed line, or quit.
    Interrupt,
    Quit,
    /// Start the lesson over: a clean cluster and fresh progress (asks first).
    ResetLesson,
    Help,
    CloseOverlay,
    Hint,
    Solution,
    /// Put the step's solution on the command line, ready to run (again: the next command).
    RunSolution,
    /// Put the step text's Nth code block (1-based) on the command line, ready to run.
    CodeBlock(u8),
    PrevStep,
    NextStep,
    NextTab,
    /// Show the traffic view (again: back to the table shown before).
    Traffic,
    ScrollUp,
    ScrollDown,
    LessonUp,
    LessonDown,
    /// Move the keyboard between the terminal and the editor (when a buffer is open).
    ToggleEditor,
    /// In the editor: save the buffer and apply it.
    Save,
    Undo,
    Redo,
    /// In the editor: give the keyboard back to the terminal; the buffer stays open.
    LeaveEditor,
    /// In the editor: close the buffer (a dirty one asks first).
    CloseEditor,
}

impl Action {
    /// Keys that still act while the editor has the keyboard; every other key is typed into the
    /// buffer.
    pub fn global(self) -> bool {
        matches!(
            self,
            Action::Help
                | Action::Hint
                | Action::Solution
                | Action::PrevStep
                | Action::NextStep
                | Action::NextTab
                | Action::Traffic
                | Action::Quit
                | Action::LessonUp
                | Action::LessonDown
                | Action::ToggleEditor
        )
    }
}

/// When a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// Only when the input line is empty (printable keys that would otherwise be typed).
    InputEmpty,
    /// Only while an overlay (help) is open.
    Overlay,
    /// Only while the editor has the keyboard.
    Editor,
}

/// What state the screen is in, for [`lookup_in`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mode {
    /// The input line is empty.
    pub input_empty: bool,
    /// The help overlay is open.
    pub overlay: bool,
    /// The editor has the keyboard.
    pub editor: bool,
}

/// One row of the keymap.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub when: When,
    pub action: Action,
    /// What the help overlay says.
    pub desc: Tr,
    /// The short label in the status bar, for the main keys.
    pub status: Option<Tr>,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;

const fn b(code: KeyCode, mods: KeyModifiers, action: Action, desc: Tr) -> Binding {
    Binding {
        code,
        mods,
        when: When::Always,
        action,
        desc,
        status: None,
    }
}

const fn s(code: KeyCode, mods: KeyModifiers, action: Action, desc: Tr, status: Tr) -> Binding {
    Binding {
        code,
        mods,
        when: When::Always,
        action,
        desc,
        status: Some(status),
    }
}

/// Alt+N: the step text's Nth code block onto the command line (Killercoda's click-to-run).
const fn code_block(n: u8) -> Binding {
    b(
        KeyCode::Char((b'0' + n) as char),
        ALT,
        Action::CodeBlock(n),
        Tr::new(
            "레슨의 N번째 코드 블록(▶ Alt+N)을 명령 줄에 넣기",
            "put the lesson's Nth code block (▶ Alt+N) on the command line",
        ),
    )
}

/// The keymap. Order matters only for display: the status bar and the help overlay list rows in
/// this order.
pub const KEYMAP: &[Binding] = &[
    s(
        KeyCode::F(1),
        NONE,
        Action::Help,
        Tr::new("도움말 (이 화면)", "help (this screen)"),
        Tr::new("도움말", "help"),
    ),
    Binding {
        code: KeyCode::Char('?'),
        mods: NONE,
        when: When::InputEmpty,
        action: Action::Help,
        desc: Tr::new("도움말 (입력 줄이 비었을 때)", "help (when the input line is empty)"),
        status: None,
    },
    s(
        KeyCode::F(2),
        NONE,
        Action::Hint,
        Tr::new("힌트를 하나 더 보기", "show the next hint"),
        Tr::new("힌트", "hint"),
    ),
    s(
        KeyCode::F(3),
        NONE,
        Action::Solution,
        Tr::new("정답 명령 보기/숨기기", "show/hide the solution commands"),
        Tr::new("정답", "solution"),
    ),
    b(
        KeyCode::F(9),
        NONE,
        Action::RunSolution,
        Tr::new(
            "정답 명령을 명령 줄에 넣기 (Enter로 실행; 다시 누르면 다음 명령)",
            "put the solution on the command line (Enter runs it; again: the next one)",
        ),
    ),
    code_block(1),
    code_block(2),
    code_block(3),
    code_block(4),
    code_block(5),
    code_block(6),
    code_block(7),
    code_block(8),
    code_block(9),
    b(
        KeyCode::F(5),
        NONE,
        Action::PrevStep,
        Tr::new("이전 단계", "previous step"),
    ),
    s(
        KeyCode::F(6),
        NONE,
        Action::NextStep,
        Tr::new("다음 단계", "next step"),
        Tr::new("다음", "next"),
    ),
    s(
        KeyCode::F(4),
        NONE,
        Action::NextTab,
        Tr::new(
            "리소스 탭 바꾸기 (svc, pods, deploy, ep, 트래픽)",
            "next resource tab (svc, pods, deploy, ep, traffic)",
        ),
        Tr::new("탭", "tab"),
    ),
    s(
        KeyCode::F(7),
        NONE,
        Action::ToggleEditor,
        Tr::new(
            "편집기 ↔ 터미널 (edit 파일 / kubectl edit 로 열기)",
            "editor ↔ terminal (open with edit FILE / kubectl edit)",
        ),
        Tr::new("편집기", "editor"),
    ),
    s(
        KeyCode::F(8),
        NONE,
        Action::Traffic,
        Tr::new(
            "트래픽 보기: 요청이 지나간 길 (보낸 곳 → 서비스 → 파드)",
            "traffic view: each request's path (from → Service → pod)",
        ),
        Tr::new("트래픽", "traffic"),
    ),
    b(
        KeyCode::Char('e'),
        ALT,
        Action::ToggleEditor,
        Tr::new(
            "편집기 ↔ 터미널 (edit 파일 / kubectl edit 로 열기)",
            "editor ↔ terminal (open with edit FILE / kubectl edit)",
        ),
    ),
    Binding {
        code: KeyCode::Char('s'),
        mods: CTRL,
        when: When::Editor,
        action: Action::Save,
        desc: Tr::new(
            "편집기: 저장하고 적용 (kubectl apply -f / kubectl edit)",
            "editor: save and apply (kubectl apply -f / kubectl edit)",
        ),
        status: Some(Tr::new("저장·적용", "save+apply")),
    },
    Binding {
        code: KeyCode::Esc,
        mods: NONE,
        when: When::Editor,
        action: Action::LeaveEditor,
        desc: Tr::new(
            "편집기: 터미널로 (내용은 유지)",
            "editor: back to the terminal (the buffer stays)",
        ),
        status: Some(Tr::new("터미널", "terminal")),
    },
    Binding {
        code: KeyCode::Char('x'),
        mods: CTRL,
        when: When::Editor,
        action: Action::CloseEditor,
        desc: Tr::new(
            "편집기: 닫기 (저장 안 한 내용이 있으면 한 번 더)",
            "editor: close (press twice to discard unsaved changes)",
        ),
        status: Some(Tr::new("닫기", "close")),
    },
    Binding {
        code: KeyCode::Char('z'),
        mods: CTRL,
        when: When::Editor,
        action: Action::Undo,
        desc: Tr::new("편집기: 되돌리기", "editor: undo"),
        status: None,
    },
    Binding {
        code: KeyCode::Char('y'),
        mods: CTRL,
        when: When::Editor,
        action: Action::Redo,
        desc: Tr::new("편집기: 다시 하기", "editor: redo"),
        status: None,
    },
    // The same on Alt+letter, for terminals (and laptops) where F-keys are awkward.
    b(
        KeyCode::Char('h'),
        ALT,
        Action::Hint,
        Tr::new("힌트를 하나 더 보기", "show the next hint"),
    ),
    b(
        KeyCode::Char('s'),
        ALT,
        Action::Solution,
        Tr::new("정답 명령 보기/숨기기", "show/hide the solution commands"),
    ),
    b(
        KeyCode::Char('p'),
        ALT,
        Action::PrevStep,
        Tr::new("이전 단계", "previous step"),
    ),
    b(
        KeyCode::Char('n'),
        ALT,
        Action::NextStep,
        Tr::new("다음 단계", "next step"),
    ),
    b(
        KeyCode::Char('t'),
        ALT,
        Action::NextTab,
        Tr::new(
            "리소스 탭 바꾸기 (svc, pods, deploy, ep, 트래픽)",
            "next resource tab (svc, pods, deploy, ep, traffic)",
        ),
    ),
    b(
        KeyCode::Char('r'),
        ALT,
        Action::Traffic,
        Tr::new(
            "트래픽 보기: 요청이 지나간 길 (보낸 곳 → 서비스 → 파드)",
            "traffic view: each request's path (from → Service → pod)",
        ),
    ),
    s(
        KeyCode::Char('c'),
        CTRL,
        Action::Interrupt,
        Tr::new(
            "명령 취소 / 입력 버리기 / 할 일이 없으면 두 번: 종료",
            "cancel command / drop line / when idle, twice: quit",
        ),
        Tr::new("취소", "cancel"),
    ),
    s(
        KeyCode::Char('q'),
        CTRL,
        Action::Quit,
        Tr::new("종료 (진행 상황 저장됨)", "quit (progress is saved)"),
        Tr::new("종료", "quit"),
    ),
    b(
        KeyCode::F(10),
        NONE,
        Action::ResetLesson,
        Tr::new(
            "레슨을 처음부터: 클러스터와 진행 상황을 새로 (두 번 눌러 확인; 파일은 그대로)",
            "start the lesson over: a clean cluster and progress (press twice; your files stay)",
        ),
    ),
    b(
        KeyCode::Char('x'),
        ALT,
        Action::ResetLesson,
        Tr::new(
            "레슨을 처음부터 (F10과 같음)",
            "start the lesson over (the same as F10)",
        ),
    ),
    b(
        KeyCode::PageUp,
        NONE,
        Action::ScrollUp,
        Tr::new("출력 위로 스크롤", "scroll terminal output up"),
    ),
    b(
        KeyCode::PageDown,
        NONE,
        Action::ScrollDown,
        Tr::new("출력 아래로 스크롤", "scroll terminal output down"),
    ),
    b(
        KeyCode::Up,
        ALT,
        Action::LessonUp,
        Tr::new("레슨 위로 스크롤", "scroll the lesson up"),
    ),
    b(
        KeyCode::Down,
        ALT,
        Action::LessonDown,
        Tr::new("레슨 아래로 스크롤", "scroll the lesson down"),
    ),
    Binding {
        code: KeyCode::Esc,
        mods: NONE,
        when: When::Overlay,
        action: Action::CloseOverlay,
        desc: Tr::new("도움말 닫기", "close help"),
        status: None,
    },
];

/// The action bound to `key`, if any. `input_empty` and `overlay` select the conditional rows.
/// Shift is ignored for characters (`?` arrives as Shift+/ on some terminals), and key
/// releases (Windows) are ignored.
pub fn lookup(key: &KeyEvent, input_empty: bool, overlay: bool) -> Option<Action> {
    lookup_in(
        key,
        Mode {
            input_empty,
            overlay,
            editor: false,
        },
    )
}

/// [`lookup`] with the editor: while it has the keyboard, its own rows apply, and of the rest
/// only the [global](Action::global) ones (the others are typed into the buffer). Keys this
/// table does not bind go to the line editor's table ([`Action::Line`]), except in the editor.
pub fn lookup_in(key: &KeyEvent, mode: Mode) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let (code, mods) = normalize(key);
    KEYMAP
        .iter()
        .find(|bind| {
            bind.code == code
                && bind.mods == mods
                && match bind.when {
                    When::Always => !mode.editor || mode.overlay || bind.action.global(),
                    When::InputEmpty => mode.input_empty && !mode.overlay && !mode.editor,
                    When::Overlay => mode.overlay,
                    When::Editor => mode.editor && !mode.overlay,
                }
        })
        .map(|bind| bind.action)
        .or_else(|| {
            let line = !mode.editor || mode.overlay;
            line.then(|| line_editor::keys::lookup(key).map(Action::Line)).flatten()
        })
}

/// What the help overlay says for the line editor's keys. Ctrl+D is Del's row: on the lab's
/// command line an empty line does not end anything (Ctrl+Q quits). Ctrl+C is the lab's own
/// row ([`Action::Interrupt`]), so it has none here.
pub const LINE_HELP: &[(Edit, Tr)] = &[
    (Edit::Submit, Tr::new("명령 실행", "run the command")),
    (
        Edit::HistoryPrev,
        Tr::new("이전 명령 (기록)", "previous command (history)"),
    ),
    (Edit::HistoryNext, Tr::new("다음 명령 (기록)", "next command (history)")),
    (Edit::Left, Tr::new("커서 왼쪽", "cursor left")),
    (Edit::Right, Tr::new("커서 오른쪽", "cursor right")),
    (Edit::Home, Tr::new("줄 처음으로", "start of line")),
    (Edit::End, Tr::new("줄 끝으로", "end of line")),
    (
        Edit::Backspace,
        Tr::new("앞 글자 지우기", "delete the character before the cursor"),
    ),
    (
        Edit::Delete,
        Tr::new("커서 글자 지우기", "delete the character under the cursor"),
    ),
    (
        Edit::KillToStart,
        Tr::new("커서 앞을 모두 지우기", "delete to the start of the line"),
    ),
    (
        Edit::KillToEnd,
        Tr::new("커서 뒤를 모두 지우기", "delete to the end of the line"),
    ),
    (
        Edit::KillWordBack,
        Tr::new("앞 단어 지우기", "delete the word before the cursor"),
    ),
    (
        Edit::Complete,
        Tr::new("단어 완성 (두 번: 목록)", "complete the word (twice: list the choices)"),
    ),
    (Edit::ClearScreen, Tr::new("터미널 지우기", "clear the terminal pane")),
];

/// The help row a line editor key is listed in.
fn line_help_group(edit: Edit) -> Edit {
    match edit {
        Edit::DeleteOrEof => Edit::Delete,
        e => e,
    }
}

/// A line editor key the lab's own table takes (outside the editor).
fn shadowed(bind: &line_editor::Binding) -> bool {
    KEYMAP
        .iter()
        .any(|b| b.code == bind.code && b.mods == bind.mods && b.when == When::Always)
}

/// The line editor's keys as help sees them: `(key, action, description)`, in its table's
/// order, without the keys the lab takes.
fn line_rows() -> impl Iterator<Item = (KeyCode, KeyModifiers, Action, Tr)> {
    line_editor::KEYS.iter().filter(|b| !shadowed(b)).filter_map(|b| {
        let group = line_help_group(b.edit);
        let desc = LINE_HELP.iter().find(|(e, _)| *e == group)?.1;
        Some((b.code, b.mods, Action::Line(group), desc))
    })
}

/// How a key is written in the status bar and help: `Ctrl+C`, `F1`, `PgUp`, `Alt+↑`.
pub fn label(code: KeyCode, mods: KeyModifiers) -> String {
    let mut s = String::new();
    if mods.contains(KeyModifiers::CONTROL) {
        s.push_str("Ctrl+");
    }
    if mods.contains(KeyModifiers::ALT) {
        s.push_str("Alt+");
    }
    if mods.contains(KeyModifiers::SHIFT) {
        s.push_str("Shift+");
    }
    match code {
        KeyCode::F(n) => s.push_str(&format!("F{n}")),
        KeyCode::Char(c) if mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            s.push(c.to_ascii_uppercase())
        }
        KeyCode::Char(c) => s.push(c),
        KeyCode::Enter => s.push_str("Enter"),
        KeyCode::Esc => s.push_str("Esc"),
        KeyCode::Up => s.push('↑'),
        KeyCode::Down => s.push('↓'),
        KeyCode::Left => s.push('←'),
        KeyCode::Right => s.push('→'),
        KeyCode::Home => s.push_str("Home"),
        KeyCode::End => s.push_str("End"),
        KeyCode::PageUp => s.push_str("PgUp"),
        KeyCode::PageDown => s.push_str("PgDn"),
        KeyCode::Backspace => s.push_str("Backspace"),
        KeyCode::Delete => s.push_str("Del"),
        KeyCode::Tab => s.push_str("Tab"),
        other => s.push_str(&format!("{other:?}")),
    }
    s
}

/// The rows of the help overlay: every action once, with all its keys, in keymap order (the
/// line editor's keys after the lab's).
/// A run of keys that differ only in their last digit (`Alt+1` … `Alt+9`) is written
/// `Alt+1…9`.
pub fn help_rows(lang: Lang) -> Vec<(String, &'static str)> {
    // Alt+1 … Alt+9 are one row: one action on different blocks.
    let group = |a: Action| match a {
        Action::CodeBlock(_) => Action::CodeBlock(0),
        a => a,
    };
    // The lab's keys, then the command line's, then the overlay's own.
    let lab = |overlay: bool| {
        KEYMAP
            .iter()
            .filter(move |b| (b.when == When::Overlay) == overlay)
            .map(|b| (b.code, b.mods, b.action, b.desc))
    };
    let mut rows: Vec<(Action, Tr, Vec<String>)> = Vec::new();
    for (code, mods, action, desc) in lab(false).chain(line_rows()).chain(lab(true)) {
        let key = label(code, mods);
        match rows.iter_mut().find(|(a, _, _)| *a == group(action)) {
            Some(row) => row.2.push(key),
            None => rows.push((group(action), desc, vec![key])),
        }
    }
    rows.into_iter()
        .map(|(_, d, keys)| (join_keys(&keys), d.get(lang)))
        .collect()
}

fn join_keys(keys: &[String]) -> String {
    let digit_run = keys.len() > 2
        && keys.windows(2).all(|w| {
            let (a, b) = (w[0].as_bytes(), w[1].as_bytes());
            a.len() == b.len()
                && a[..a.len() - 1] == b[..b.len() - 1]
                && a[a.len() - 1].is_ascii_digit()
                && b[b.len() - 1] == a[a.len() - 1] + 1
        });
    if digit_run {
        let last = keys[keys.len() - 1].chars().last().unwrap_or('9');
        return format!("{}…{last}", keys[0]);
    }
    keys.join(", ")
}

/// The status bar entries: `(key label, short description)`.
pub fn status_entries(lang: Lang) -> Vec<(String, &'static str)> {
    status_entries_in(lang, false)
}

/// The status bar entries while the terminal (`editor` false) or the editor has the keyboard:
/// the editor shows its own keys and the global ones.
/// The editor's own keys come first there, so a short row drops lesson keys before them.
pub fn status_entries_in(lang: Lang, editor: bool) -> Vec<(String, &'static str)> {
    let own = KEYMAP.iter().filter(|bind| editor && bind.when == When::Editor);
    let rest = KEYMAP
        .iter()
        .filter(|bind| bind.when != When::Editor && (!editor || bind.action.global()));
    own.chain(rest)
        .filter_map(|bind| bind.status.map(|s| (label(bind.code, bind.mods), s.get(lang))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn printable_keys_are_typed_except_question_mark_on_empty_input() {
        assert_eq!(lookup(&key(KeyCode::Char('?'), NONE), true, false), Some(Action::Help));
        assert_eq!(
            lookup(&key(KeyCode::Char('?'), KeyModifiers::SHIFT), true, false),
            Some(Action::Help)
        );
        assert_eq!(
            lookup(&key(KeyCode::Char('?'), NONE), false, false),
            None,
            "typed inside a command"
        );
        for c in "abcdefghijklmnopqrstuvwxyz0123456789-_./:$\"'|&;<>=".chars() {
            assert_eq!(
                lookup(&key(KeyCode::Char(c), NONE), false, false),
                None,
                "{c} must be typed"
            );
            assert_eq!(lookup(&key(KeyCode::Char(c), KeyModifiers::SHIFT), false, false), None);
        }
    }

    #[test]
    fn control_keys() {
        assert_eq!(
            lookup(&key(KeyCode::Char('c'), CTRL), false, false),
            Some(Action::Interrupt)
        );
        assert_eq!(
            lookup(&key(KeyCode::Char('Q'), CTRL | KeyModifiers::SHIFT), false, false),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(&key(KeyCode::Esc, NONE), false, true),
            Some(Action::CloseOverlay)
        );
        assert_eq!(lookup(&key(KeyCode::Esc, NONE), false, false), None);
        let mut release = key(KeyCode::Enter, NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(lookup(&release, false, false), None);
    }

    #[test]
    fn every_binding_is_reachable_and_unique() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for bnd in &KEYMAP[i + 1..] {
                assert!(
                    !(a.code == bnd.code && a.mods == bnd.mods && a.when == bnd.when),
                    "{:?} bound twice",
                    a.code
                );
            }
        }
    }

    #[test]
    fn help_groups_keys_by_action() {
        let rows = help_rows(Lang::En);
        let help = rows.iter().find(|(_, d)| d.starts_with("help (this")).unwrap();
        assert_eq!(help.0, "F1, ?");
        let home = rows.iter().find(|(_, d)| *d == "start of line").unwrap();
        assert_eq!(home.0, "Home, Ctrl+A");
        let next = rows.iter().find(|(_, d)| *d == "next step").unwrap();
        assert_eq!(next.0, "F6, Alt+N");
        assert_eq!(rows.iter().filter(|(_, d)| *d == "start of line").count(), 1);
        let blocks = rows.iter().find(|(_, d)| d.contains("Nth code block")).unwrap();
        assert_eq!(blocks.0, "Alt+1…9");
        assert_eq!(
            lookup(&key(KeyCode::Char('3'), ALT), false, false),
            Some(Action::CodeBlock(3))
        );
        assert_eq!(
            lookup(&key(KeyCode::F(9), NONE), false, false),
            Some(Action::RunSolution)
        );
        let status = status_entries(Lang::Ko);
        assert_eq!(status.first().unwrap(), &("F1".to_string(), "도움말"));
        assert!(status.contains(&("Ctrl+Q".to_string(), "종료")));
        assert!(
            !status.iter().any(|(k, _)| k == "Ctrl+S"),
            "editor keys only in the editor"
        );
        let editing = status_entries_in(Lang::En, true);
        assert!(editing.contains(&("Ctrl+S".to_string(), "save+apply")));
        assert!(editing.contains(&("Ctrl+Q".to_string(), "quit")));
        assert!(
            !editing.iter().any(|(k, _)| k == "Ctrl+C"),
            "Ctrl+C is not the editor's"
        );
    }

    #[test]
    fn in_the_editor_keys_are_typed_except_its_own_and_the_global_ones() {
        let ed = Mode {
            editor: true,
            ..Mode::default()
        };
        for (code, mods, want) in [
            (KeyCode::Char('s'), CTRL, Some(Action::Save)),
            (KeyCode::Char('z'), CTRL, Some(Action::Undo)),
            (KeyCode::Char('y'), CTRL, Some(Action::Redo)),
            (KeyCode::Esc, NONE, Some(Action::LeaveEditor)),
            (KeyCode::Char('x'), CTRL, Some(Action::CloseEditor)),
            (KeyCode::F(7), NONE, Some(Action::ToggleEditor)),
            (KeyCode::F(1), NONE, Some(Action::Help)),
            (KeyCode::Char('q'), CTRL, Some(Action::Quit)),
            (KeyCode::Enter, NONE, None),
            (KeyCode::Up, NONE, None),
            (KeyCode::Backspace, NONE, None),
            (KeyCode::Char('?'), NONE, None),
            (KeyCode::Char('k'), CTRL, None),
            (KeyCode::Tab, NONE, None),
        ] {
            assert_eq!(lookup_in(&key(code, mods), ed), want, "{code:?} {mods:?}");
        }
        assert_eq!(lookup(&key(KeyCode::Char('s'), CTRL), false, false), None);
        assert_eq!(
            lookup(&key(KeyCode::F(7), NONE), false, false),
            Some(Action::ToggleEditor)
        );
    }

    #[test]
    fn the_command_lines_keys_come_from_the_line_editors_table() {
        for bind in line_editor::KEYS {
            let got = lookup(&key(bind.code, bind.mods), false, false);
            if bind.edit == Edit::Interrupt {
                assert_eq!(got, Some(Action::Interrupt), "Ctrl+C is the lab's");
            } else {
                assert_eq!(got, Some(Action::Line(bind.edit)), "{:?} {:?}", bind.code, bind.mods);
            }
        }
        assert_eq!(
            lookup(&key(KeyCode::Char('p'), CTRL), false, false),
            Some(Action::Line(Edit::HistoryPrev))
        );
        assert_eq!(
            lookup(&key(KeyCode::Up, NONE), false, true),
            Some(Action::Line(Edit::HistoryPrev)),
            "↑ reaches the help overlay (it scrolls)"
        );
        let ed = Mode {
            editor: true,
            ..Mode::default()
        };
        assert_eq!(
            lookup_in(&key(KeyCode::Char('b'), CTRL), ed),
            None,
            "typed into the editor"
        );
    }

    #[test]
    fn help_lists_every_line_editor_key_the_lab_does_not_take() {
        let rows = help_rows(Lang::En);
        for bind in line_editor::KEYS.iter().filter(|b| !shadowed(b)) {
            let label = label(bind.code, bind.mods);
            assert!(
                rows.iter().any(|(keys, _)| keys.split(", ").any(|k| k == label)),
                "{label} is missing from help"
            );
        }
        let del = rows
            .iter()
            .find(|(_, d)| *d == "delete the character under the cursor")
            .unwrap();
        assert_eq!(del.0, "Del, Ctrl+D");
        let back = rows
            .iter()
            .find(|(_, d)| d.starts_with("delete the character before"))
            .unwrap();
        assert_eq!(back.0, "Backspace, Ctrl+H");
        let up = rows.iter().find(|(_, d)| d.starts_with("previous command")).unwrap();
        assert_eq!(up.0, "↑, Ctrl+P");
        assert_eq!(rows.iter().filter(|(k, _)| k.contains("Ctrl+C")).count(), 1);
    }
}
