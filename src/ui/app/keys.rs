//! A key press: looked up in the keymap ([`crate::ui::keymap`]), then routed to the help
//! overlay, the YAML editor, the command line, or one of the lab's own actions (hints, steps,
//! tabs, scrolling, quitting). The command line's keys go on to `command_line.rs`.

use crossterm::event::{KeyEvent, KeyEventKind};

use crate::shell::line_editor::{self, Edit};
use crate::ui::editor::Editor;
use crate::ui::keymap::{self, Action};
use crate::ui::strings;

use super::{App, Effect, TAB_COUNT, TRAFFIC_TAB};

/// Rows the lesson moves per Alt+↑/↓.
const LESSON_STEP: usize = 3;

impl App {
    /// A key press. Returns what the event loop must do.
    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        self.notice = None;
        let input_empty = self.input.text().is_empty() && self.pending.is_empty();
        let mode = keymap::Mode {
            input_empty,
            overlay: self.help,
            editor: self.editing(),
        };
        let action = keymap::lookup_in(&key, mode);
        if !matches!(action, Some(Action::Line(_))) {
            self.input.key_elsewhere();
        }
        if action != Some(Action::Quit) {
            self.confirm_quit = false;
        }
        if action != Some(Action::ResetLesson) {
            self.confirm_reset = false;
        }
        if action != Some(Action::Interrupt) {
            self.confirm_interrupt = false;
        }
        if self.help {
            let max = crate::ui::panes::help::max_scroll(self);
            let page = (self.size.1 as usize).saturating_sub(4).max(1);
            let scroll = match action {
                Some(Action::Line(Edit::HistoryPrev)) => Some(self.help_scroll.min(max).saturating_sub(1)),
                Some(Action::Line(Edit::HistoryNext)) => Some((self.help_scroll + 1).min(max)),
                Some(Action::ScrollUp) => Some(self.help_scroll.min(max).saturating_sub(page)),
                Some(Action::ScrollDown) => Some((self.help_scroll + page).min(max)),
                _ => None,
            };
            if let Some(to) = scroll {
                self.help_scroll = to;
                return Vec::new();
            }
            return match action {
                Some(Action::Quit) => vec![Effect::Quit],
                Some(Action::Interrupt) => {
                    self.help = false;
                    self.interrupt()
                }
                _ => {
                    self.help = false;
                    Vec::new()
                }
            };
        }
        if self.editing() && action.is_none() {
            if let Some(ed) = &mut self.editor {
                ed.input(key);
            }
            self.scroll_editor();
            return Vec::new();
        }
        let Some(action) = action else {
            if let Some(c) = line_editor::keys::typed(&key) {
                self.input.apply(Edit::Char(c));
                self.scroll = 0;
            }
            return Vec::new();
        };
        self.act(action)
    }

    pub(super) fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Line(edit) => return self.line_edit(edit),
            Action::Interrupt => return self.interrupt(),
            Action::Quit => {
                if self.editor.as_ref().is_some_and(Editor::dirty) && !self.confirm_quit {
                    self.confirm_quit = true;
                    self.notice = Some(self.tr(strings::CONFIRM_QUIT).to_string());
                    return Vec::new();
                }
                return vec![Effect::Quit];
            }
            Action::ResetLesson => {
                if !self.confirm_reset {
                    self.confirm_reset = true;
                    self.notice = Some(self.tr(strings::CONFIRM_RESET).to_string());
                    return Vec::new();
                }
                self.confirm_reset = false;
                return vec![Effect::Reset];
            }
            Action::ToggleEditor => {
                if self.editor.is_some() {
                    self.editor_focus = !self.editor_focus;
                    self.scroll_editor();
                    self.clamp_scroll();
                } else {
                    self.notice = Some(self.tr(strings::NO_EDITOR).to_string());
                }
            }
            Action::LeaveEditor => {
                self.editor_focus = false;
                self.clamp_scroll();
            }
            Action::CloseEditor => self.close_editor(),
            Action::Save => return self.save(),
            Action::Undo | Action::Redo => {
                if let Some(ed) = &mut self.editor {
                    if action == Action::Undo {
                        ed.undo();
                    } else {
                        ed.redo();
                    }
                }
                self.scroll_editor();
            }
            Action::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
            Action::CloseOverlay => self.help = false,
            Action::Hint => return self.reveal_hint(),
            Action::Solution => {
                let has = self.current_step().is_some_and(|s| !s.solution.is_empty());
                if has {
                    self.show_solution = !self.show_solution;
                    if self.show_solution {
                        self.lesson_scroll = usize::MAX;
                    }
                } else {
                    self.notice = Some(self.tr(strings::NO_SOLUTION).to_string());
                }
            }
            Action::RunSolution => {
                let cmds = self.current_step().map(|s| s.solution.clone()).unwrap_or_default();
                if cmds.is_empty() || self.lesson.ended {
                    self.notice = Some(self.tr(strings::NO_SOLUTION).to_string());
                } else {
                    let i = self.solution_next % cmds.len();
                    if self.stage(&cmds[i]) {
                        self.solution_next = i + 1;
                        let note = strings::fill(
                            self.tr(strings::SOLUTION_STAGED),
                            &[("i", (i + 1).to_string()), ("n", cmds.len().to_string())],
                        );
                        self.notice = Some(note);
                    }
                }
            }
            Action::CodeBlock(n) => {
                let blocks = self
                    .current_step()
                    .filter(|_| !self.lesson.ended)
                    .map(|s| crate::ui::markdown::code_blocks(&s.markdown))
                    .unwrap_or_default();
                match blocks.get(usize::from(n).saturating_sub(1)) {
                    Some(block) => {
                        let block = block.clone();
                        if self.stage(&block) {
                            self.notice = Some(self.tr(strings::BLOCK_STAGED).to_string());
                        }
                    }
                    None => {
                        let note = strings::fill(self.tr(strings::NO_BLOCK), &[("n", n.to_string())]);
                        self.notice = Some(note);
                    }
                }
            }
            Action::PrevStep => return vec![Effect::PrevStep],
            Action::NextStep => return vec![Effect::NextStep],
            Action::NextTab => {
                self.tab = (self.tab + 1) % TAB_COUNT;
                self.clamp_scroll();
            }
            Action::Traffic => {
                if self.traffic_shown() {
                    self.tab = self.table_tab;
                } else {
                    self.table_tab = self.tab;
                    self.tab = TRAFFIC_TAB;
                }
                self.clamp_scroll();
            }
            Action::ScrollUp => {
                self.scroll = self.scroll.saturating_add(self.page());
                self.clamp_scroll();
            }
            Action::ScrollDown => self.scroll = self.scroll.saturating_sub(self.page()),
            Action::LessonUp => {
                let max = crate::ui::panes::lesson::max_scroll(self);
                self.lesson_scroll = self.lesson_scroll.min(max).saturating_sub(LESSON_STEP);
            }
            Action::LessonDown => {
                let max = crate::ui::panes::lesson::max_scroll(self);
                self.lesson_scroll = self.lesson_scroll.saturating_add(LESSON_STEP).min(max);
            }
        }
        Vec::new()
    }
}
