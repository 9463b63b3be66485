//! Every string the UI itself shows, in Korean and English, in one place so a translator (or
//! a reviewer checking that nothing is left in one language) reads one file.

use super::Lang;

/// A UI string in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub ko: &'static str,
    pub en: &'static str,
}

impl Tr {
    pub const fn new(ko: &'static str, en: &'static str) -> Tr {
        Tr { ko, en }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ko => self.ko,
            Lang::En => self.en,
        }
    }
}

pub const LESSON: Tr = Tr::new("레슨", "Lesson");
pub const STEPS: Tr = Tr::new("단계", "Steps");
pub const RESOURCES: Tr = Tr::new("리소스", "Resources");
pub const TERMINAL: Tr = Tr::new("터미널", "Terminal");
pub const HELP_TITLE: Tr = Tr::new("도움말 — 키", "Help — keys");
pub const HELP_CLOSE: Tr = Tr::new("Esc: 닫기", "Esc: close");
pub const HINT: Tr = Tr::new("힌트", "Hint");
pub const NO_HINTS: Tr = Tr::new("이 단계에는 힌트가 없습니다.", "This step has no hints.");
pub const NO_MORE_HINTS: Tr = Tr::new("힌트를 모두 보았습니다.", "No more hints.");
pub const SOLUTION: Tr = Tr::new("정답", "Solution");
pub const NO_SOLUTION: Tr = Tr::new(
    "이 단계에는 정답 명령이 없습니다.",
    "This step has no solution commands.",
);
pub const STEP_DONE: Tr = Tr::new("완료! F6: 다음 단계", "Done! F6: next step");
pub const CHECK: Tr = Tr::new("확인", "Check");
pub const RUNNING: Tr = Tr::new("실행 중 — Ctrl+C: 취소", "running — Ctrl+C: cancel");
pub const SCROLLED: Tr = Tr::new("스크롤됨 — PgDn", "scrolled — PgDn");
pub const EMPTY_TABLE: Tr = Tr::new("리소스가 없습니다", "No resources found");
pub const TOO_SMALL: Tr = Tr::new("터미널 창이 너무 작습니다", "The terminal window is too small");
pub const TOO_SMALL_SIZE: Tr = Tr::new("현재 {w}×{h}, 최소 {mw}×{mh}", "now {w}×{h}, at least {mw}×{mh}");
pub const TOO_SMALL_HINT: Tr = Tr::new(
    "창을 키우거나 글꼴을 줄이세요. Ctrl+Q: 종료",
    "Enlarge the window or use a smaller font. Ctrl+Q: quit",
);
pub const QUEUED: Tr = Tr::new("대기 중인 명령", "queued");
pub const NO_LESSON_STEPS: Tr = Tr::new("이 레슨에는 단계가 없습니다.", "This lesson has no steps.");
pub const SHELL_GONE: Tr = Tr::new(
    "내부 오류: 셸이 멈췄습니다. 진행 상황은 저장되어 있습니다.",
    "internal error: the shell stopped. Your progress is saved.",
);

/// Fill `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_language_and_fills_placeholders() {
        assert_eq!(TERMINAL.get(Lang::Ko), "터미널");
        assert_eq!(TERMINAL.get(Lang::En), "Terminal");
        let s = fill(
            TOO_SMALL_SIZE.get(Lang::En),
            &[
                ("w", "70".into()),
                ("h", "20".into()),
                ("mw", "80".into()),
                ("mh", "24".into()),
            ],
        );
        assert_eq!(s, "now 70×20, at least 80×24");
    }
}
