//! Key scripts and snapshots of the YAML editor: open (`edit FILE`, `kubectl edit`), type, see
//! the validation marker, save (Ctrl+S → write + `kubectl apply -f`), a failed apply or edit
//! keeping the buffer, and nothing typed lost on close or quit.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect};
use super::editor::Target;
use super::tests::{busy_app, find, render, rows};
use super::Lang;
use crate::io::{Chunk, EditorRequest, Output};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Type text into whatever has the keyboard; `\n` is Enter.
fn type_text(app: &mut App, s: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for c in s.chars() {
        fx.extend(app.on_key(if c == '\n' {
            key(KeyCode::Enter)
        } else {
            key(KeyCode::Char(c))
        }));
    }
    fx
}

fn open_file(app: &mut App, path: &str, text: &str) {
    app.on_output(Chunk::Editor(EditorRequest::File {
        path: path.into(),
        text: text.into(),
    }));
}

fn texts(app: &App) -> Vec<String> {
    app.scrollback.lines.iter().map(|(_, l)| l.clone()).collect()
}

const TYPED: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - prot: 80\n";

#[test]
fn open_type_save_applies_and_a_failed_apply_keeps_the_buffer() {
    let mut app = busy_app(Lang::En, (100, 30));
    let typed_line = app.input.text().to_string();
    open_file(&mut app, "/web.yaml", "");
    assert!(app.editing(), "the editor takes the keyboard");
    assert!(type_text(&mut app, TYPED).is_empty(), "typing runs nothing");
    assert_eq!(app.input.text(), typed_line, "the terminal's input line is untouched");
    let ed = app.editor.as_ref().unwrap();
    assert!(ed.dirty());
    let p = ed.problem.clone().expect("prot is not a field");
    assert_eq!(p.line, Some(6));
    assert!(
        p.message.contains("unknown field \"spec.ports[0].prot\""),
        "{}",
        p.message
    );

    let fx = app.on_key(ctrl('s'));
    assert_eq!(
        fx,
        vec![Effect::Save {
            path: "/web.yaml".into(),
            text: TYPED.into()
        }]
    );
    let fx = app.on_saved("/web.yaml", Ok(()));
    assert_eq!(fx, vec![Effect::Run("kubectl apply -f /web.yaml".into())]);
    assert!(!app.editor.as_ref().unwrap().dirty(), "saved");
    assert_eq!(texts(&app).last().unwrap(), "$ kubectl apply -f /web.yaml");
    app.on_output(Chunk::Text(
        crate::io::Stream::Err,
        "Error from server (BadRequest): …\n".into(),
    ));
    app.on_command_done(1);
    let ed = app.editor.as_ref().unwrap();
    assert_eq!(ed.text(), TYPED, "a failed apply keeps the buffer exactly as typed");
    assert!(ed.failure.as_deref().unwrap().contains("apply failed"));
    assert!(app.editing());

    // Fix it: the marker goes away, the next save applies cleanly.
    let ed = app.editor.as_mut().unwrap();
    ed.goto_line(6);
    // "  - prot" → "  - port": delete the r, step over the o, type r.
    for k in [KeyCode::Right; 5].into_iter().chain([KeyCode::Delete, KeyCode::Right]) {
        app.on_key(key(k));
    }
    type_text(&mut app, "r");
    let ed = app.editor.as_ref().unwrap();
    assert_eq!(ed.text(), TYPED.replace("prot", "port"));
    assert_eq!(ed.problem, None);
    assert_eq!(ed.failure, None, "a change clears the old failure");
    app.on_key(ctrl('s'));
    app.on_saved("/web.yaml", Ok(()));
    app.on_command_done(0);
    assert_eq!(app.notice.as_deref(), Some("Saved and applied"));
}

#[test]
fn save_failure_is_shown_and_nothing_runs() {
    let mut app = busy_app(Lang::En, (100, 30));
    open_file(&mut app, "/x.yaml", "kind: Service\n");
    type_text(&mut app, "a");
    app.on_key(ctrl('s'));
    assert_eq!(app.on_saved("/x.yaml", Err("disk full".into())), vec![]);
    let ed = app.editor.as_ref().unwrap();
    assert!(ed.dirty(), "not saved");
    assert_eq!(ed.failure.as_deref(), Some("Could not save: disk full"));
}

#[test]
fn undo_redo_focus_toggle_and_paste() {
    let mut app = busy_app(Lang::En, (100, 30));
    open_file(&mut app, "/a.yaml", "");
    type_text(&mut app, "kind: Pod");
    app.on_key(ctrl('z'));
    assert_eq!(
        app.editor.as_ref().unwrap().text(),
        "kind: \n",
        "Ctrl+Z undoes the word"
    );
    app.on_key(ctrl('y'));
    assert_eq!(app.editor.as_ref().unwrap().text(), "kind: Pod\n", "Ctrl+Y redoes");
    app.on_key(key(KeyCode::Esc));
    assert!(!app.editing() && app.editor.is_some(), "Esc leaves; the buffer stays");
    type_text(&mut app, "x");
    assert!(app.input.text().ends_with('x'), "keys reach the input line again");
    assert_eq!(app.editor.as_ref().unwrap().text(), "kind: Pod\n");
    app.on_key(key(KeyCode::F(7)));
    assert!(app.editing(), "F7 comes back");
    assert_eq!(
        app.on_paste("\nmetadata:\n  name: p"),
        vec![],
        "paste runs nothing in the editor"
    );
    assert_eq!(app.editor.as_ref().unwrap().text(), "kind: Pod\nmetadata:\n  name: p\n");
    let mut fresh = busy_app(Lang::En, (100, 30));
    fresh.on_key(key(KeyCode::F(7)));
    assert!(!fresh.editing());
    assert!(fresh.notice.as_deref().unwrap().contains("edit FILE"));
}

#[test]
fn nothing_typed_is_lost_on_close_quit_or_another_open() {
    let mut app = busy_app(Lang::En, (100, 30));
    open_file(&mut app, "/a.yaml", "kind: Pod\n");
    type_text(&mut app, "x");
    assert_eq!(app.on_key(ctrl('q')), vec![], "the first Ctrl+Q only warns");
    assert!(app.notice.as_deref().unwrap().contains("unsaved"));
    app.on_key(key(KeyCode::Esc));
    open_file(&mut app, "/b.yaml", "");
    assert_eq!(
        app.editor.as_ref().unwrap().name(),
        "a.yaml",
        "a dirty buffer is not replaced"
    );
    assert!(texts(&app).last().unwrap().contains("unsaved changes in a.yaml"));
    app.on_key(key(KeyCode::F(7)));
    app.on_key(ctrl('x'));
    assert!(app.editor.is_some(), "the first Ctrl+X only asks");
    app.on_key(ctrl('x'));
    assert!(app.editor.is_none() && !app.editing());
    assert_eq!(
        app.on_key(ctrl('q')),
        vec![Effect::Quit],
        "nothing unsaved: quit at once"
    );
}

#[tokio::test(start_paused = true)]
async fn kubectl_edit_opens_the_live_object_and_saving_finishes_the_edit() {
    let cluster = crate::runtime::Cluster::start(crate::runtime::ClusterConfig::default())
        .await
        .unwrap();
    let ws = crate::workspace::Workspace::new(std::env::temp_dir());
    let ctx = crate::kubectl::Ctx {
        cluster: &cluster,
        workspace: &ws,
        stdin: None,
    };
    for line in [
        "create deployment my-nginx --image=nginx --port=80",
        "expose deployment my-nginx",
    ] {
        let args: Vec<String> = line.split(' ').map(String::from).collect();
        let (out, buf) = Output::buffer();
        assert_eq!(crate::kubectl::run(&ctx, &args, &out).await, 0, "{}", buf.text());
    }
    let session = crate::kubectl::edit::begin(&cluster, &["svc".into(), "my-nginx".into()], "default").unwrap();
    let finish = |app: &mut App, fx: Vec<Effect>| {
        let [Effect::FinishEdit { session, text }] = fx.as_slice() else {
            panic!("{fx:?}");
        };
        let (out, buf) = Output::buffer();
        let status = crate::kubectl::edit::finish(&cluster, session, text, &out);
        app.on_edit_finished(status, buf.chunks());
    };
    let mut app = busy_app(Lang::En, (100, 30));
    app.on_output(Chunk::Editor(EditorRequest::Object(Box::new(session.clone()))));
    assert!(app.editing());
    assert!(matches!(app.editor.as_ref().unwrap().target, Target::Object(_)));
    assert_eq!(app.editor.as_ref().unwrap().problem, None, "the live object is valid");
    // Close without changes: kubectl's words.
    app.on_key(ctrl('x'));
    assert!(app.editor.is_none());
    assert_eq!(texts(&app).last().unwrap(), "Edit cancelled, no changes made.");

    // `kubectl edit` twice, the first left unchanged (Esc back to the terminal): the first one
    // ends as kubectl's would, and the second one is open.
    app.on_output(Chunk::Editor(EditorRequest::Object(Box::new(session.clone()))));
    app.on_key(key(KeyCode::Esc));
    let before = texts(&app).len();
    app.on_output(Chunk::Editor(EditorRequest::Object(Box::new(session.clone()))));
    assert_eq!(texts(&app)[before..], ["Edit cancelled, no changes made."]);
    assert!(app.editing(), "the second edit has the keyboard");
    app.on_key(ctrl('x'));
    assert_eq!(texts(&app)[before..], ["Edit cancelled, no changes made."; 2]);
    assert!(app.editor.is_none());
    // A file left open unchanged is just replaced: no kubectl words for it.
    open_file(&mut app, "/a.yaml", "kind: Pod\n");
    app.on_output(Chunk::Editor(EditorRequest::Object(Box::new(session.clone()))));
    assert_eq!(texts(&app).len(), before + 2);
    app.on_key(ctrl('x'));

    // A broken edit: the editor stays open with the text and the error.
    app.on_output(Chunk::Editor(EditorRequest::Object(Box::new(session.clone()))));
    // (A repeated key would not do: like kubectl, the lab keeps the last one.)
    app.on_paste("spec: [NodePort\n");
    let broken = app.editor.as_ref().unwrap().text();
    let fx = app.on_key(ctrl('s'));
    finish(&mut app, fx);
    let ed = app.editor.as_ref().expect("kept open");
    assert_eq!(ed.text(), broken);
    assert!(ed.failure.as_deref().unwrap().starts_with("error:"), "{:?}", ed.failure);

    // Undo the paste, change the type, save: the Service changes and the editor closes.
    for _ in 0..10 {
        app.on_key(ctrl('z'));
    }
    let line = app
        .editor
        .as_ref()
        .unwrap()
        .textarea
        .lines()
        .iter()
        .position(|l| l == "  type: ClusterIP");
    app.editor.as_mut().unwrap().goto_line(line.expect("type line"));
    app.on_key(key(KeyCode::End));
    for _ in 0.."ClusterIP".len() {
        app.on_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "NodePort");
    let fx = app.on_key(ctrl('s'));
    finish(&mut app, fx);
    assert!(app.editor.is_none(), "closed after a good save");
    assert_eq!(texts(&app).last().unwrap(), "service/my-nginx edited");
    let svc = cluster
        .get(crate::runtime::Kind::Service, "default", "my-nginx")
        .unwrap();
    assert_eq!(
        svc.as_service().unwrap().spec.as_ref().unwrap().type_.as_deref(),
        Some("NodePort")
    );
}

/// The editor at the minimum size with a validation error, in both languages.
fn editor_screen(lang: Lang) -> (App, ratatui::Terminal<ratatui::backend::TestBackend>) {
    let mut app = busy_app(lang, (80, 24));
    let text = "# 서비스 — web\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - prot: 80\n    targetPort: 8080\n---\n";
    open_file(&mut app, "/web.yaml", text);
    type_text(&mut app, " ");
    let t = render(&app);
    (app, t)
}

#[test]
fn editor_pane_korean_with_an_error_marker() {
    let (_, t) = editor_screen(Lang::Ko);
    let screen = rows(t.backend().buffer());
    assert!(
        screen.iter().any(|r| r.contains("✗10 ") && r.contains("prot")),
        "{screen:#?}"
    );
    assert!(screen.iter().any(|r| r.contains("● 수정됨")));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn editor_pane_english_with_an_error_marker() {
    let (app, t) = editor_screen(Lang::En);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "✗10").expect("marker");
    assert_eq!(buf[(x, y)].fg, ratatui::style::Color::Red);
    let (kx, ky) = find(buf, "kind").unwrap();
    assert_eq!(buf[(kx, ky)].fg, ratatui::style::Color::Cyan, "keys are highlighted");
    assert!(find(buf, "line 10: ").is_some(), "the message names the line");
    assert!(
        find(buf, "Ctrl+S save+apply").is_some(),
        "the status bar shows the editor's keys"
    );
    assert!(app.editing());
    insta::assert_snapshot!(t.backend());
}

#[test]
fn alt_arrows_scroll_the_lesson_while_the_editor_has_the_keyboard() {
    let mut app = busy_app(Lang::En, (100, 30));
    let long = "a line of the lesson\n\n".repeat(40);
    app.lesson.steps[1].markdown = long;
    assert!(
        crate::ui::panes::lesson::max_scroll(&app) > 6,
        "the step text must scroll"
    );
    open_file(&mut app, "/web.yaml", "kind: Service\n");
    let alt = |code| KeyEvent::new(code, KeyModifiers::ALT);
    app.on_key(alt(KeyCode::Down));
    app.on_key(alt(KeyCode::Down));
    assert_eq!(app.lesson_scroll, 6, "two steps of three rows");
    app.on_key(alt(KeyCode::Up));
    assert_eq!(app.lesson_scroll, 3);
    let ed = app.editor.as_ref().unwrap();
    assert!(
        !ed.dirty() && ed.cursor() == (0, 0),
        "nothing typed or moved in the buffer"
    );
    assert!(app.editing(), "the editor keeps the keyboard");
    // Back in the terminal, the lesson shows where it was scrolled to.
    app.on_key(key(KeyCode::Esc));
    let screen = rows(render(&app).backend().buffer()).join("\n");
    assert!(screen.contains("▲▼ Alt+↑/↓"), "scrolled, with more below:\n{screen}");
}
