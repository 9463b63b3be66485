//! The lesson pane's state: a new lesson snapshot (a step done, another step, hints opened in
//! an earlier session) and revealing hints one at a time.

use crate::ui::{strings, LessonView};

use super::{App, Effect};

impl App {
    /// A new lesson snapshot. Moving to another step resets hints, solution and scroll.
    pub fn set_lesson(&mut self, view: LessonView) {
        let same_step =
            view.current == self.lesson.current && view.title == self.lesson.title && view.ended == self.lesson.ended;
        let was_done = self.current_step().is_some_and(|s| s.done);
        let last = view.current + 1 >= view.steps.len();
        if same_step && !was_done && view.steps.get(view.current).is_some_and(|s| s.done) {
            // The learner's last action completed the step: say so where the eyes are.
            let done = if last {
                strings::STEP_DONE_LAST
            } else {
                strings::STEP_DONE
            };
            self.notice = Some(format!("✓ {}", self.tr(done)));
        }
        let opened = view.steps.get(view.current).map_or(0, |s| s.hints_shown);
        if !same_step {
            self.solution_next = 0;
            self.hints_shown = opened;
            self.show_solution = false;
            self.lesson_scroll = 0;
        } else {
            self.hints_shown = self.hints_shown.max(opened);
        }
        self.lesson = view;
    }

    pub(super) fn reveal_hint(&mut self) -> Vec<Effect> {
        let total = self.current_step().map_or(0, |s| s.hints.len());
        if total == 0 {
            self.notice = Some(self.tr(strings::NO_HINTS).to_string());
        } else if self.hints_shown >= total {
            self.notice = Some(self.tr(strings::NO_MORE_HINTS).to_string());
        } else {
            self.hints_shown += 1;
            self.lesson_scroll = usize::MAX;
            return vec![Effect::HintRevealed];
        }
        Vec::new()
    }
}
