//! Key scripts and update calls against [`App`], without a terminal: every concern of the
//! state machine in one place, driven as the event loop would drive it.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::io::{Chunk, Stream};
use crate::ui::StepView;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_str(app: &mut App, s: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in s.chars() {
        effects.extend(app.on_key(key(KeyCode::Char(c))));
    }
    effects
}

fn app() -> App {
    let lesson = LessonView {
        title: "t".into(),
        steps: vec![StepView {
            title: "s".into(),
            hints: vec!["h1".into(), "h2".into()],
            solution: vec!["kubectl get svc".into()],
            ..Default::default()
        }],
        current: 0,
        ..Default::default()
    };
    App::new(Lang::En, lesson, (100, 30))
}

fn texts(app: &App) -> Vec<String> {
    app.scrollback.lines.iter().map(|(_, l)| l.clone()).collect()
}

#[test]
fn tab_asks_for_a_completion_and_a_second_tab_lists_the_choices() {
    use crate::shell::complete::Completion;
    let mut app = app();
    type_str(&mut app, "kubectl get svc f");
    let effects = app.on_key(key(KeyCode::Tab));
    assert_eq!(
        effects,
        vec![Effect::Complete {
            line: "kubectl get svc f".into(),
            cursor: 17
        }]
    );
    let two = Completion {
        start: 16,
        candidates: vec!["frontend".into(), "frontend-nginx".into()],
    };
    app.apply_completion(two.clone());
    assert_eq!(app.input.text(), "kubectl get svc frontend");
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(two.clone());
    assert!(
        texts(&app).iter().all(|l| !l.contains("frontend-nginx")),
        "one Tab only rings"
    );
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(two);
    assert_eq!(
        texts(&app)[texts(&app).len() - 2..],
        [
            "$ kubectl get svc frontend".to_string(),
            "frontend  frontend-nginx".to_string()
        ]
    );
    assert_eq!(app.input.text(), "kubectl get svc frontend", "the line is kept");
    type_str(&mut app, "-");
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(Completion {
        start: 16,
        candidates: vec!["frontend-nginx".into()],
    });
    assert_eq!(app.input.text(), "kubectl get svc frontend-nginx ");
}

#[test]
fn edit_tab_tab_with_no_files_says_how_to_make_one() {
    use crate::shell::complete::Completion;
    let mut app = app();
    type_str(&mut app, "edit ");
    let none = Completion {
        start: 5,
        candidates: vec![],
    };
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(none.clone());
    assert!(texts(&app).is_empty(), "one Tab only rings");
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(none.clone());
    assert_eq!(
        texts(&app),
        [
            "$ edit ",
            "No files here yet. Make one: edit new.yaml (Ctrl+S saves it and applies it)"
        ]
    );
    assert_eq!(app.input.text(), "edit ");
    // Elsewhere, no choices still means no words.
    app.on_key(ctrl('u'));
    type_str(&mut app, "kubectl get svc zz");
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(none.clone());
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(none);
    assert_eq!(texts(&app).len(), 2);
}

#[test]
fn typing_a_line_and_enter_requests_the_command() {
    let mut app = app();
    assert!(type_str(&mut app, "kubectl get svc").is_empty());
    assert_eq!(app.input.text(), "kubectl get svc");
    let fx = app.on_key(key(KeyCode::Enter));
    assert_eq!(fx, vec![Effect::Run("kubectl get svc".into())]);
    assert!(app.running);
    assert_eq!(app.input.text(), "");
    assert_eq!(texts(&app), vec!["$ kubectl get svc"]);
    assert_eq!(app.history(), vec!["kubectl get svc"]);
}

#[test]
fn empty_line_just_echoes_a_prompt() {
    let mut app = app();
    assert!(app.on_key(key(KeyCode::Enter)).is_empty());
    assert!(!app.running);
    assert_eq!(texts(&app), vec!["$ "]);
}

#[test]
fn up_and_down_walk_the_history_and_restore_the_draft() {
    let mut app = app();
    for cmd in ["kubectl get svc", "kubectl get pods"] {
        type_str(&mut app, cmd);
        app.on_key(key(KeyCode::Enter));
        app.on_command_done(0);
    }
    type_str(&mut app, "kub");
    app.on_key(key(KeyCode::Up));
    assert_eq!(app.input.text(), "kubectl get pods");
    app.on_key(key(KeyCode::Up));
    assert_eq!(app.input.text(), "kubectl get svc");
    app.on_key(key(KeyCode::Up));
    assert_eq!(app.input.text(), "kubectl get svc", "stays at the oldest");
    app.on_key(key(KeyCode::Down));
    assert_eq!(app.input.text(), "kubectl get pods");
    app.on_key(key(KeyCode::Down));
    assert_eq!(app.input.text(), "kub", "the draft comes back");
    assert_eq!(app.on_key(key(KeyCode::Up)), vec![]);
    assert_eq!(
        app.on_key(key(KeyCode::Enter)),
        vec![Effect::Run("kubectl get pods".into())]
    );
}

#[test]
fn ctrl_c_cancels_a_running_command_then_quits_when_idle() {
    let mut app = app();
    type_str(&mut app, "kubectl get svc -w");
    app.on_key(key(KeyCode::Enter));
    app.on_output(Chunk::Text(Stream::Out, "NAME   TYPE\n".into()));
    assert_eq!(app.on_key(ctrl('c')), vec![Effect::Cancel]);
    assert_eq!(app.on_key(ctrl('c')), vec![], "one cancel per command");
    assert_eq!(texts(&app).last().unwrap(), "^C");
    app.on_command_done(130);
    assert!(!app.running);
    type_str(&mut app, "abc");
    assert_eq!(app.on_key(ctrl('c')), vec![], "a typed line is dropped first");
    assert_eq!(texts(&app).last().unwrap(), "$ abc^C");
    assert_eq!(app.input.text(), "");
    assert_eq!(app.on_key(ctrl('c')), vec![], "nothing to cancel: ask first");
    assert_eq!(
        app.notice.as_deref(),
        Some("Ctrl+C again or Ctrl+Q to quit — your cluster is saved")
    );
    assert_eq!(app.on_key(ctrl('c')), vec![Effect::Quit], "the second one quits");
    assert_eq!(app.on_key(ctrl('q')), vec![Effect::Quit]);
}

#[test]
fn two_quick_ctrl_c_after_a_watch_do_not_quit() {
    let mut app = app();
    type_str(&mut app, "kubectl get svc -w");
    app.on_key(key(KeyCode::Enter));
    assert_eq!(app.on_key(ctrl('c')), vec![Effect::Cancel]);
    app.on_command_done(130);
    assert_eq!(app.on_key(ctrl('c')), vec![], "the second Ctrl+C only asks");
    assert!(app.notice.as_deref().unwrap().contains("Ctrl+Q"));
    type_str(&mut app, "k");
    assert_eq!(app.notice, None, "any other key clears the question");
    app.on_key(ctrl('u'));
    assert_eq!(app.on_key(ctrl('c')), vec![], "and the next Ctrl+C asks again");
    let mut ko = App::new(Lang::Ko, app.lesson.clone(), (100, 30));
    ko.on_key(ctrl('c'));
    assert_eq!(
        ko.notice.as_deref(),
        Some("Ctrl+C 한 번 더 또는 Ctrl+Q: 종료 — 클러스터는 저장되어 있습니다")
    );
}

#[test]
fn f10_twice_starts_the_lesson_over_and_anything_between_cancels() {
    let mut app = app();
    assert_eq!(app.on_key(key(KeyCode::F(10))), vec![], "the first F10 only asks");
    assert!(app.notice.as_deref().unwrap().contains("F10 (Alt+X) again resets"));
    type_str(&mut app, "k");
    assert_eq!(app.notice, None, "any other key takes the question back");
    assert_eq!(app.on_key(key(KeyCode::F(10))), vec![]);
    assert_eq!(app.on_key(key(KeyCode::F(10))), vec![Effect::Reset]);
    let alt_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
    assert_eq!(app.on_key(alt_x), vec![]);
    assert_eq!(
        app.on_key(key(KeyCode::F(10))),
        vec![Effect::Reset],
        "Alt+X and F10 are one key"
    );
}

const HEREDOC: &str = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: dup-nodeport\nspec:\n  ports:\n  - port: 80\nEOF\n";

#[test]
fn f9_puts_a_heredoc_solution_on_the_command_line_and_enter_runs_it_whole() {
    let mut app = app();
    app.lesson.steps[0].solution = vec![HEREDOC.into(), "kubectl get svc".into()];
    assert_eq!(app.on_key(key(KeyCode::F(9))), vec![]);
    assert_eq!(app.input.text(), "EOF", "the last line waits on the input line");
    assert_eq!(app.pending.len(), 8);
    assert_eq!(texts(&app)[0], "$ kubectl apply -f - <<EOF");
    assert_eq!(texts(&app)[4], ">   name: dup-nodeport", "indentation kept");
    assert_eq!(
        app.notice.as_deref(),
        Some("Solution 1/2 is on the command line — Enter runs it")
    );
    let fx = app.on_key(key(KeyCode::Enter));
    assert_eq!(fx, vec![Effect::Run(HEREDOC.trim_end().into())], "byte for byte");
    app.on_command_done(0);
    app.on_key(key(KeyCode::F(9)));
    assert_eq!(app.input.text(), "kubectl get svc", "again: the next command");
    assert!(app.pending.is_empty());
    app.on_key(key(KeyCode::F(9)));
    assert_eq!(app.input.text(), "EOF", "and round again");
    // Ctrl+C drops the staged command as it drops a typed one.
    assert_eq!(app.on_key(ctrl('c')), vec![]);
    assert!(app.pending.is_empty() && app.input.text().is_empty());
}

#[test]
fn alt_digit_puts_that_code_block_on_the_command_line() {
    let mut app = app();
    app.lesson.steps[0].markdown =
        "Look:\n\n```\nkubectl get nodes\n```\n\nThen:\n\n```yaml\nspec:\n  type: NodePort\n```\n".into();
    let alt = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT);
    app.on_key(alt('1'));
    assert_eq!(app.input.text(), "kubectl get nodes");
    app.on_key(alt('2'));
    assert_eq!(app.pending, vec!["spec:".to_string()]);
    assert_eq!(app.input.text(), "  type: NodePort");
    app.on_key(ctrl('c'));
    app.on_key(alt('3'));
    assert_eq!(app.notice.as_deref(), Some("This step has no code block 3."));
    assert!(app.input.text().is_empty());
}

#[test]
fn lines_entered_while_running_are_queued() {
    let mut app = app();
    type_str(&mut app, "sleep 5");
    app.on_key(key(KeyCode::Enter));
    type_str(&mut app, "kubectl get svc");
    assert_eq!(app.on_key(key(KeyCode::Enter)), vec![]);
    assert_eq!(app.on_command_done(0), vec![Effect::Run("kubectl get svc".into())]);
}

#[test]
fn heredoc_lines_continue_until_complete() {
    let mut app = app();
    app.needs_more = |t| t.contains("<<EOF") && !t.ends_with("\nEOF");
    type_str(&mut app, "kubectl apply -f - <<EOF");
    assert_eq!(app.on_key(key(KeyCode::Enter)), vec![]);
    type_str(&mut app, "kind: Service");
    assert_eq!(app.on_key(key(KeyCode::Enter)), vec![]);
    type_str(&mut app, "EOF");
    let fx = app.on_key(key(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Run("kubectl apply -f - <<EOF\nkind: Service\nEOF".into())]
    );
    assert_eq!(
        texts(&app),
        vec!["$ kubectl apply -f - <<EOF", "> kind: Service", "> EOF"]
    );
    app.on_command_done(0);
    type_str(&mut app, "cat <<EOF");
    app.on_key(key(KeyCode::Enter));
    type_str(&mut app, "?");
    assert!(!app.help, "a `?` starting a heredoc line is text");
    assert_eq!(app.input.text(), "?");
}

#[test]
fn paste_runs_each_complete_line() {
    let mut app = app();
    let fx = app.on_paste("echo a\r\necho b\nech");
    assert_eq!(fx, vec![Effect::Run("echo a".into())]);
    assert_eq!(app.queue, vec!["echo b".to_string()]);
    assert_eq!(app.input.text(), "ech");
}

#[test]
fn output_chunks_join_lines_and_clear() {
    let mut app = app();
    app.on_output(Chunk::Text(Stream::Out, "a".into()));
    app.on_output(Chunk::Text(Stream::Out, "b\nc\n".into()));
    app.on_output(Chunk::Text(Stream::Err, "Error\n".into()));
    assert_eq!(texts(&app), vec!["ab", "c", "Error"]);
    assert_eq!(app.scrollback.lines[2].0, LineKind::Err);
    app.on_output(Chunk::Clear);
    assert!(app.scrollback.lines.is_empty());
    for i in 0..SCROLLBACK_LIMIT + 10 {
        app.on_output(Chunk::Text(Stream::Out, format!("{i}\n")));
    }
    assert_eq!(app.scrollback.lines.len(), SCROLLBACK_LIMIT);
    assert_eq!(
        app.scrollback.lines.back().unwrap().1,
        format!("{}", SCROLLBACK_LIMIT + 9)
    );
    // A megabyte without a newline, in pieces: no line passes the line bound, nothing is lost
    // but what the ring drops.
    app.on_output(Chunk::Clear);
    for _ in 0..256 {
        app.on_output(Chunk::Text(Stream::Out, "é".repeat(2048)));
    }
    assert!(app
        .scrollback
        .lines
        .iter()
        .all(|(_, l)| l.len() <= SCROLLBACK_LINE_BYTES));
    let total: usize = app.scrollback.lines.iter().map(|(_, l)| l.len()).sum();
    assert_eq!(total, 256 * 2048 * 2);
    app.on_output(Chunk::Text(Stream::Out, "\nnext\n".into()));
    assert_eq!(app.scrollback.lines.back().unwrap().1, "next");
}

#[test]
fn line_editing_keys() {
    let mut app = app();
    type_str(&mut app, "kubectl get svc");
    app.on_key(ctrl('w'));
    assert_eq!(app.input.text(), "kubectl get ");
    app.on_key(key(KeyCode::Home));
    app.on_key(key(KeyCode::Delete));
    type_str(&mut app, "K");
    assert_eq!(app.input.text(), "Kubectl get ");
    app.on_key(ctrl('k'));
    assert_eq!(app.input.text(), "K");
    type_str(&mut app, "한글");
    app.on_key(key(KeyCode::Left));
    app.on_key(key(KeyCode::Backspace));
    assert_eq!(app.input.text(), "K글");
    app.on_key(ctrl('u'));
    assert_eq!(app.input.text(), "글");
    assert_eq!(app.input.cursor(), 0);
}

#[test]
fn question_mark_opens_help_only_on_empty_input_and_any_key_closes_it() {
    let mut app = app();
    type_str(&mut app, "?");
    assert!(app.help);
    app.on_key(key(KeyCode::Esc));
    assert!(!app.help);
    type_str(&mut app, "a?");
    assert!(!app.help);
    assert_eq!(app.input.text(), "a?");
    app.on_key(key(KeyCode::F(1)));
    assert!(app.help);
    app.on_key(key(KeyCode::Char('x')));
    assert!(!app.help);
    assert_eq!(app.input.text(), "a?", "the closing key is not typed");
}

#[test]
fn hints_are_revealed_one_at_a_time_and_reset_on_step_change() {
    let mut app = app();
    assert_eq!(app.on_key(key(KeyCode::F(2))), vec![Effect::HintRevealed]);
    assert_eq!(app.hints_shown, 1);
    app.on_key(key(KeyCode::F(2)));
    app.on_key(key(KeyCode::F(2)));
    assert_eq!(app.hints_shown, 2);
    assert_eq!(app.notice.as_deref(), Some("No more hints."));
    app.on_key(key(KeyCode::F(3)));
    assert!(app.show_solution);
    assert_eq!(app.on_key(key(KeyCode::F(6))), vec![Effect::NextStep]);
    let mut v = app.lesson.clone();
    v.steps.push(StepView::default());
    v.current = 1;
    app.set_lesson(v);
    assert_eq!((app.hints_shown, app.show_solution, app.lesson_scroll), (0, false, 0));
    assert_eq!(app.on_key(key(KeyCode::F(2))), vec![]);
    assert_eq!(app.notice.as_deref(), Some("This step has no hints."));
    // Hints opened in an earlier session stay open.
    let mut v = app.lesson.clone();
    v.current = 0;
    v.steps[0].hints_shown = 1;
    app.set_lesson(v);
    assert_eq!(app.hints_shown, 1);
}

#[test]
fn completing_a_step_shows_a_notice() {
    let mut app = app();
    let mut v = app.lesson.clone();
    app.set_lesson(v.clone());
    assert_eq!(app.notice, None);
    v.steps[0].done = true;
    app.set_lesson(v.clone());
    assert_eq!(
        app.notice.as_deref(),
        Some("✓ Done! F6: finish the lesson"),
        "the only step is the last: no next step to promise"
    );
    app.notice = None;
    app.set_lesson(v.clone());
    assert_eq!(app.notice, None, "only when it changes");
    let mut two = v;
    two.steps[0].done = false;
    two.steps.push(StepView::default());
    app.set_lesson(two.clone());
    two.steps[0].done = true;
    app.set_lesson(two);
    assert_eq!(app.notice.as_deref(), Some("✓ Done! F6: next step"));
}

#[test]
fn a_changed_cell_is_highlighted_for_two_seconds() {
    let mut app = app();
    let t0 = Instant::now();
    assert!(app.set_tables(
        vec![(ResourceTab::Services, crate::ui::tests::two_service_table("<pending>"))],
        t0
    ));
    assert!(
        app.tables[0].highlights.is_empty(),
        "the first snapshot highlights nothing"
    );
    assert!(
        !app.set_tables(
            vec![(ResourceTab::Services, crate::ui::tests::two_service_table("<pending>"))],
            t0
        ),
        "no change"
    );
    let mut older = crate::ui::tests::two_service_table("<pending>");
    older.rows[0][5] = "6m".into();
    assert!(
        !app.set_tables(vec![(ResourceTab::Services, older)], t0),
        "only AGE changed: no redraw"
    );
    let mut later = crate::ui::tests::two_service_table("127.0.1.1");
    later.rows[1][5] = "8s".into();
    assert!(app.set_tables(vec![(ResourceTab::Services, later)], t0));
    assert!(app.tables[0].is_highlighted("frontend", "EXTERNAL-IP"));
    assert!(
        !app.tables[0].is_highlighted("frontend", "AGE"),
        "AGE changes on its own"
    );
    assert!(!app.tables[0].is_highlighted("kubernetes", "EXTERNAL-IP"));
    assert_eq!(app.tables[0].highlights.len(), 1);
    assert_eq!(app.next_deadline(), Some(t0 + HIGHLIGHT));
    assert!(!app.expire(t0 + Duration::from_millis(1999)));
    assert!(app.expire(t0 + HIGHLIGHT));
    assert!(app.tables[0].highlights.is_empty());
    assert_eq!(app.next_deadline(), None, "no timer when nothing fades");
}

#[test]
fn the_dns_port_is_told_in_the_terminal() {
    let mut a = app();
    a.note_dns("127.0.0.1:40123".parse().unwrap());
    let (kind, line) = a.scrollback.lines.back().unwrap();
    assert_eq!(*kind, LineKind::Notice);
    assert_eq!(
        line,
        "The cluster DNS answers on 127.0.0.1:40123. From your own shell: dig @127.0.0.1 -p 40123 kubernetes.default.svc.cluster.local"
    );
}

#[test]
fn new_rows_are_highlighted_whole_and_deleted_rows_forgotten() {
    let mut app = app();
    let t0 = Instant::now();
    let mut one = crate::ui::tests::two_service_table("<pending>");
    one.rows.truncate(1);
    app.set_tables(vec![(ResourceTab::Services, one.clone())], t0);
    app.set_tables(
        vec![(ResourceTab::Services, crate::ui::tests::two_service_table("<pending>"))],
        t0,
    );
    assert_eq!(app.tables[0].highlights.len(), 5, "all but AGE");
    app.set_tables(vec![(ResourceTab::Services, one)], t0);
    assert!(app.tables[0].highlights.is_empty());
}

#[test]
fn page_up_scrolls_and_new_output_keeps_the_view_still() {
    let mut app = app();
    for i in 0..100 {
        app.on_output(Chunk::Text(Stream::Out, format!("line {i}\n")));
    }
    app.on_key(key(KeyCode::PageUp));
    let s = app.scroll;
    assert!(s > 0);
    app.on_output(Chunk::Text(Stream::Out, "more\n".into()));
    assert_eq!(app.scroll, s + 1);
    app.on_output(Chunk::Text(Stream::Out, "open".into()));
    assert_eq!(app.scroll, s + 2);
    app.on_output(Chunk::Text(Stream::Out, " line continues\n".into()));
    assert_eq!(app.scroll, s + 2, "extending a line adds no row");
    let width = crate::ui::draw::layout(app.size).output.width as usize;
    app.on_output(Chunk::Text(Stream::Out, format!("{}\n", "x".repeat(width * 2 + 1))));
    assert_eq!(app.scroll, s + 5, "a long line adds the rows it wraps to");
    assert_eq!(app.scroll_rows(), 100 + 1 + 1 + 3);
    for _ in 0..50 {
        app.on_key(key(KeyCode::PageUp));
    }
    assert!(app.scroll <= 101, "clamped to the top");
    type_str(&mut app, "x");
    assert_eq!(app.scroll, 0, "typing returns to the bottom");
}

#[test]
fn a_pasted_megabyte_line_is_a_note_and_a_pasted_manifest_stays_whole() {
    let mut a = app();
    let fx = a.on_paste(&format!("echo {}\n", "x".repeat(crate::shell::MAX_LINE_BYTES)));
    assert!(fx.is_empty(), "nothing runs");
    assert!(a.input.text().is_empty());
    assert!(
        texts(&a).last().unwrap().starts_with("sh: the line is "),
        "{:?}",
        texts(&a).last()
    );
    // A heredoc of thousands of lines: one command, run when its delimiter comes.
    let body: String = (0..5000).map(|i| format!("  k{i}: v\n")).collect();
    let fx = a.on_paste(&format!("kubectl apply -f - <<EOF\n{body}EOF\n"));
    let [Effect::Run(cmd)] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(cmd.lines().count(), 5002);
    assert!(a.pending.is_empty());
}

#[test]
fn the_shells_readline_keys_work_on_the_lab_command_line() {
    let mut app = app();
    for cmd in ["kubectl get svc", "kubectl get pods"] {
        type_str(&mut app, cmd);
        app.on_key(key(KeyCode::Enter));
        app.on_command_done(0);
    }
    app.on_key(ctrl('p'));
    assert_eq!(app.input.text(), "kubectl get pods", "Ctrl+P is ↑");
    app.on_key(ctrl('p'));
    app.on_key(ctrl('n'));
    assert_eq!(app.input.text(), "kubectl get pods", "Ctrl+N is ↓");
    app.on_key(ctrl('a'));
    app.on_key(ctrl('f'));
    app.on_key(ctrl('d'));
    assert_eq!(app.input.text(), "kbectl get pods", "Ctrl+D deletes under the cursor");
    app.on_key(ctrl('e'));
    app.on_key(ctrl('b'));
    app.on_key(ctrl('h'));
    assert_eq!(app.input.text(), "kbectl get pos", "Ctrl+H is Backspace");
    app.on_key(ctrl('u'));
    app.on_key(ctrl('k'));
    assert_eq!(app.on_key(ctrl('d')), vec![], "an empty line does not end the lab");
    assert!(app.notice.is_none());
}

#[test]
fn a_typed_key_between_tabs_makes_the_next_tab_a_first_one() {
    use crate::shell::complete::Completion;
    let mut app = app();
    type_str(&mut app, "kubectl get svc frontend");
    let two = Completion {
        start: 16,
        candidates: vec!["frontend".into(), "frontend-nginx".into()],
    };
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(two.clone());
    type_str(&mut app, "-");
    app.on_key(key(KeyCode::Backspace));
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(two.clone());
    assert!(texts(&app).is_empty(), "typing in between: this Tab only rings");
    app.on_key(key(KeyCode::F(2)));
    app.on_key(key(KeyCode::Tab));
    app.apply_completion(two);
    assert!(texts(&app).is_empty(), "a lab key in between: this Tab only rings");
}

#[test]
fn ctrl_l_clears_the_pane_and_keeps_the_line() {
    let mut app = app();
    app.on_output(Chunk::Text(Stream::Out, "old\n".into()));
    type_str(&mut app, "kubectl");
    assert_eq!(app.on_key(ctrl('l')), vec![]);
    assert!(app.scrollback.lines.is_empty());
    assert_eq!(app.input.text(), "kubectl");
}
