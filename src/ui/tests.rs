//! Whole-screen and pane snapshots (`TestBackend` + insta), drawn from hand-built state, and
//! checks of what snapshots cannot see (styles, cursor position).
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test --lib ui::`, review the `.snap` diffs,
//! and commit them; CI runs with `INSTA_UPDATE=no`.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

use crate::io::{Chunk, Stream};
use crate::kubectl::table::Table;

use super::app::{App, ResourceTab};
use super::{draw, theme, Lang, LessonView, StepView};

pub(crate) fn lesson(lang: Lang) -> LessonView {
    let ko = lang == Lang::Ko;
    let step = |title: &str, markdown: &str, done: bool| StepView {
        title: title.into(),
        markdown: markdown.into(),
        done,
        ..Default::default()
    };
    let mut steps = vec![
        step(
            if ko {
                "백엔드 디플로이먼트 만들기"
            } else {
                "Create the backend Deployment"
            },
            "",
            true,
        ),
        step(
            if ko {
                "백엔드 서비스 만들기"
            } else {
                "Create the backend Service"
            },
            if ko {
                "프론트엔드는 `hello` 라는 이름의 **서비스**를 통해 백엔드에 연결합니다. 서비스는 \
                 셀렉터로 파드를 고르고, 파드가 바뀌어도 같은 주소를 유지합니다.\n\n\
                 ## 할 일\n\n\
                 1. 서비스 매니페스트를 적용합니다:\n\n\
                 ```\nkubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml\n```\n\n\
                 2. 서비스를 확인합니다: `kubectl get svc hello`\n"
            } else {
                "The frontend reaches the backend through a **Service** named `hello`. A Service \
                 picks pods with its selector and keeps one address while pods come and go.\n\n\
                 ## To do\n\n\
                 1. Apply the Service manifest:\n\n\
                 ```\nkubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml\n```\n\n\
                 2. Look at it: `kubectl get svc hello`\n"
            },
            false,
        ),
        step(
            if ko {
                "프론트엔드 만들기"
            } else {
                "Create the frontend"
            },
            "",
            false,
        ),
        step(
            if ko {
                "LoadBalancer 로 노출하기"
            } else {
                "Expose it with a LoadBalancer"
            },
            "",
            false,
        ),
        step(
            if ko {
                "curl 로 확인하기"
            } else {
                "Check it with curl"
            },
            "",
            false,
        ),
    ];
    steps[1].check_status = Some(
        if ko {
            "서비스 hello 가 아직 없습니다"
        } else {
            "Service hello does not exist yet"
        }
        .into(),
    );
    steps[1].hints = vec![if ko {
        "URL 은 레슨에 들어 있어 오프라인에서도 됩니다."
    } else {
        "The URL is bundled with the lesson; it works offline."
    }
    .into()];
    steps[1].solution = vec!["kubectl apply -f https://k8s.io/examples/service/access/backend-service.yaml".into()];
    LessonView {
        title: if ko {
            "레슨 5: 프론트엔드와 백엔드 연결하기"
        } else {
            "Lesson 5: connect a frontend to a backend"
        }
        .into(),
        steps,
        current: 1,
        ..Default::default()
    }
}

pub(crate) fn svc_table(external_ip: &str) -> Table {
    let mut t = Table::new(&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    t.push(vec![
        "hello".into(),
        "ClusterIP".into(),
        "10.104.23.11".into(),
        "<none>".into(),
        "80/TCP".into(),
        "2m".into(),
    ]);
    t.push(vec![
        "kubernetes".into(),
        "ClusterIP".into(),
        "10.96.0.1".into(),
        "<none>".into(),
        "443/TCP".into(),
        "9m".into(),
    ]);
    t.push(vec![
        "frontend".into(),
        "LoadBalancer".into(),
        "10.101.3.7".into(),
        external_ip.into(),
        "80:31234/TCP".into(),
        "5s".into(),
    ]);
    t
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// A lab in the middle of lesson 5: one command ran, one is being typed.
pub(crate) fn busy_app(lang: Lang, size: (u16, u16)) -> App {
    let mut app = App::new(lang, lesson(lang), size);
    app.set_tables(vec![(ResourceTab::Services, svc_table("<pending>"))], Instant::now());
    for c in "kubectl get svc".chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
    app.on_key(key(KeyCode::Enter));
    app.on_output(Chunk::Text(Stream::Out, svc_table("<pending>").render(false)));
    app.on_command_done(0);
    for c in "kubectl get svc hello".chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
    app.on_key(key(KeyCode::Enter));
    app.on_output(Chunk::Text(
        Stream::Err,
        "Error from server (NotFound): services \"hello\" not found\n".into(),
    ));
    app.on_command_done(1);
    for c in "kubectl apply -f ".chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
    app
}

pub(crate) fn render(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|f| draw::draw(f, app)).unwrap();
    terminal
}

/// The buffer's rows as text (wide characters once).
pub(crate) fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            let mut s = String::new();
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
                s.push_str(sym);
            }
            s
        })
        .collect()
}

/// Where `needle` starts on screen (column, row).
pub(crate) fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let first = needle.chars().next()?;
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            if buf[(x, y)].symbol().starts_with(first) {
                let mut s = String::new();
                let mut cx = x;
                while cx < buf.area.width && s.chars().count() < needle.chars().count() {
                    let sym = buf[(cx, y)].symbol();
                    s.push_str(sym);
                    cx += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
                }
                if s == needle {
                    return Some((x, y));
                }
            }
        }
    }
    None
}

#[test]
fn whole_screen_korean() {
    let app = busy_app(Lang::Ko, (110, 32));
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn whole_screen_english() {
    let app = busy_app(Lang::En, (110, 32));
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn minimum_size_korean() {
    let app = busy_app(Lang::Ko, (80, 24));
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn hints_and_solution_korean() {
    let mut app = busy_app(Lang::Ko, (110, 32));
    app.on_key(key(KeyCode::F(2)));
    app.on_key(key(KeyCode::F(3)));
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn help_overlay_korean_at_minimum_size() {
    let mut app = App::new(Lang::Ko, lesson(Lang::Ko), (80, 24));
    app.on_key(key(KeyCode::F(1)));
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn help_overlay_english() {
    let mut app = App::new(Lang::En, lesson(Lang::En), (120, 40));
    app.on_key(key(KeyCode::Char('?')));
    insta::assert_snapshot!(render(&app).backend());
}

#[test]
fn too_small_terminal_says_so() {
    for (lang, name) in [(Lang::Ko, "too_small_ko"), (Lang::En, "too_small_en")] {
        let app = busy_app(lang, (70, 20));
        insta::assert_snapshot!(name, render(&app).backend());
    }
}

#[test]
fn input_line_has_focus_on_the_first_frame() {
    let app = App::new(Lang::Ko, lesson(Lang::Ko), (100, 30));
    let mut terminal = render(&app);
    let areas = draw::layout(app.size);
    // The cursor sits right after the prompt, in the input row.
    terminal
        .backend_mut()
        .assert_cursor_position((areas.input.x + 2, areas.input.y));
    assert!(terminal.backend().cursor_visible());
    let row = rows(terminal.backend().buffer())[areas.input.y as usize].clone();
    assert!(row.contains("│$ "), "{row}");
}

#[test]
fn cursor_follows_wide_characters() {
    let mut app = App::new(Lang::Ko, lesson(Lang::Ko), (100, 30));
    for c in "echo 안녕".chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
    let mut terminal = render(&app);
    let areas = draw::layout(app.size);
    terminal
        .backend_mut()
        .assert_cursor_position((areas.input.x + 2 + 5 + 4, areas.input.y));
}

#[test]
fn changed_cell_is_highlighted_on_screen_then_fades() {
    let mut app = App::new(Lang::En, lesson(Lang::En), (110, 32));
    let t0 = Instant::now();
    app.set_tables(vec![(ResourceTab::Services, svc_table("<pending>"))], t0);
    app.set_tables(vec![(ResourceTab::Services, svc_table("127.0.1.1"))], t0);
    let terminal = render(&app);
    let buf = terminal.backend().buffer();
    let (x, y) = find(buf, "127.0.1.1").expect("new address on screen");
    let hl = theme::changed_cell();
    let cell = &buf[(x, y)];
    assert_eq!((Some(cell.fg), Some(cell.bg)), (hl.fg, hl.bg));
    assert!(cell.modifier.contains(ratatui::style::Modifier::BOLD));
    let (px, py) = find(buf, "80:31234/TCP").unwrap();
    assert_eq!(buf[(px, py)].bg, ratatui::style::Color::Reset, "only the changed cell");
    let (hx, hy) = find(buf, "hello").unwrap();
    assert_eq!(
        buf[(hx, hy)].bg,
        ratatui::style::Color::Reset,
        "unchanged rows are not highlighted"
    );
    app.expire(t0 + super::app::HIGHLIGHT);
    let terminal = render(&app);
    let buf = terminal.backend().buffer();
    let (x, y) = find(buf, "127.0.1.1").unwrap();
    assert_eq!(buf[(x, y)].bg, ratatui::style::Color::Reset, "the highlight faded");
}

#[test]
fn stderr_is_red_and_tabs_switch_tables() {
    let mut app = busy_app(Lang::En, (110, 32));
    let mut pods = Table::new(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    pods.push(vec![
        "hello-6c8f5d9b7d-x2x8q".into(),
        "1/1".into(),
        "Running".into(),
        "0".into(),
        "1m".into(),
    ]);
    app.set_tables(vec![(ResourceTab::Pods, pods)], Instant::now());
    let terminal = render(&app);
    let buf = terminal.backend().buffer();
    let (x, y) = find(buf, "Error from server").unwrap();
    assert_eq!(buf[(x, y)].fg, theme::stderr().fg.unwrap());
    assert!(find(buf, "hello-6c8f5d9b7d-x2x8q").is_none());
    app.on_key(key(KeyCode::F(4)));
    let terminal = render(&app);
    assert!(find(terminal.backend().buffer(), "hello-6c8f5d9b7d-x2x8q").is_some());
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn scrolled_terminal_shows_older_output_and_says_so() {
    let mut app = App::new(Lang::En, lesson(Lang::En), (100, 30));
    for i in 0..60 {
        app.on_output(Chunk::Text(Stream::Out, format!("line {i}\n")));
    }
    let buf_rows = rows(render(&app).backend().buffer());
    assert!(buf_rows.iter().any(|r| r.contains("line 59")));
    app.on_key(key(KeyCode::PageUp));
    let buf_rows = rows(render(&app).backend().buffer());
    assert!(
        !buf_rows.iter().any(|r| r.contains("line 59")),
        "scrolled away from the end"
    );
    assert!(buf_rows.iter().any(|r| r.contains("scrolled — PgDn")));
    app.on_key(key(KeyCode::PageDown));
    let buf_rows = rows(render(&app).backend().buffer());
    assert!(buf_rows.iter().any(|r| r.contains("line 59")));
}

#[test]
fn korean_lesson_text_stays_inside_its_pane() {
    let app = busy_app(Lang::Ko, (80, 24));
    let terminal = render(&app);
    let buf = terminal.backend().buffer();
    let lesson = draw::layout(app.size).lesson;
    let right_border = lesson.x + lesson.width - 1;
    for y in lesson.y + 1..lesson.y + lesson.height - 1 {
        assert_eq!(
            buf[(right_border, y)].symbol(),
            "│",
            "row {y} overflows: {}",
            rows(buf)[y as usize]
        );
    }
}

/// Draw one pane alone into a `w`×`h` screen.
fn pane(w: u16, h: u16, f: impl FnOnce(&mut ratatui::Frame, ratatui::layout::Rect)) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|frame| f(frame, frame.area())).unwrap();
    terminal
}

#[test]
fn lesson_pane_korean_narrow() {
    let mut app = busy_app(Lang::Ko, (80, 24));
    app.lesson.steps[1].done = true;
    let t = pane(34, 30, |f, a| super::panes::lesson::render(f, a, &app));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn resources_pane_english_each_tab() {
    let mut app = App::new(Lang::En, lesson(Lang::En), (110, 32));
    let mut deploy = Table::new(&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    deploy.push(vec![
        "backend".into(),
        "3/3".into(),
        "3".into(),
        "3".into(),
        "2m".into(),
    ]);
    let mut ep = Table::new(&["NAME", "ENDPOINTS", "AGE"]);
    ep.push(vec![
        "hello".into(),
        "10.244.1.3:80,10.244.2.4:80,10.244.3.2:80".into(),
        "2m".into(),
    ]);
    app.set_tables(
        vec![
            (ResourceTab::Services, svc_table("127.0.1.1")),
            (ResourceTab::Deployments, deploy),
            (ResourceTab::Endpoints, ep),
        ],
        Instant::now(),
    );
    let mut screens = String::new();
    for _ in 0..super::app::TAB_COUNT {
        let t = pane(44, 7, |f, a| super::panes::resources::render(f, a, &app));
        screens.push_str(&format!("{}\n", t.backend()));
        app.on_key(key(KeyCode::F(4)));
    }
    assert_eq!(app.tab, 0, "F4 cycles through the five tabs");
    insta::assert_snapshot!(screens);
}

#[test]
fn status_bar_both_languages() {
    let mut out = String::new();
    for lang in [Lang::Ko, Lang::En] {
        let mut app = App::new(lang, lesson(lang), (80, 24));
        let t = pane(80, 1, |f, a| super::panes::status::render(f, a, &app));
        out.push_str(&format!("{}\n", t.backend()));
        app.on_key(key(KeyCode::F(3)));
        app.on_key(key(KeyCode::F(3)));
        app.on_key(key(KeyCode::F(2)));
        app.on_key(key(KeyCode::F(2)));
        let t = pane(80, 1, |f, a| super::panes::status::render(f, a, &app));
        out.push_str(&format!("{}\n", t.backend()));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn terminal_title_says_when_a_command_runs() {
    let mut app = App::new(Lang::Ko, lesson(Lang::Ko), (100, 30));
    for c in "kubectl get svc -w".chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
    app.on_key(key(KeyCode::Enter));
    let title_row = draw::layout(app.size).terminal.y as usize;
    let row = rows(render(&app).backend().buffer())[title_row].clone();
    assert!(row.contains("실행 중 — Ctrl+C: 취소"), "{row}");
    app.on_command_done(0);
    let row = rows(render(&app).backend().buffer())[title_row].clone();
    assert!(!row.contains("실행 중"), "{row}");
}

#[test]
fn a_long_input_line_scrolls_sideways_to_keep_the_cursor_visible() {
    let mut app = App::new(Lang::Ko, lesson(Lang::Ko), (100, 30));
    let long = format!("echo {}끝", "가".repeat(60));
    for c in long.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
    let terminal = render(&app);
    let input = draw::layout(app.size).input;
    let row = rows(terminal.backend().buffer())[input.y as usize].clone();
    assert!(row.contains("가끝"), "the end of the line is shown: {row}");
    let pos = terminal.backend().cursor_position();
    assert!(pos.x < input.x + input.width && pos.y == input.y, "{pos:?}");
    app.on_key(key(KeyCode::Home));
    let row = rows(render(&app).backend().buffer())[input.y as usize].clone();
    assert!(row.contains("$ echo 가가"), "Home shows the start again: {row}");
}

#[tokio::test(start_paused = true)]
async fn exit_keeps_the_lab_terminal_usable() {
    use crate::ui::LineRunner;
    let cluster = crate::runtime::Cluster::start(crate::runtime::ClusterConfig {
        node_block: 45,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("k8s-lab-ui-exit-{}", std::process::id()));
    let mut session = crate::shell::Session::new(cluster.clone(), crate::workspace::Workspace::new(&dir));
    let (out, buf) = crate::io::Output::buffer();
    LineRunner::run_line(&mut session, "exit", &out).await;
    assert!(buf.stderr().contains("Ctrl+Q"), "{}", buf.text());
    let (out, buf) = crate::io::Output::buffer();
    assert_eq!(LineRunner::run_line(&mut session, "echo still here", &out).await, 0);
    assert_eq!(buf.stdout(), "still here\n");
    cluster.shutdown();
}

/// A two-row `get svc` table (kubernetes, frontend with the given EXTERNAL-IP) for state tests.
pub(crate) fn two_service_table(external_ip: &str) -> crate::kubectl::table::Table {
    let mut t = crate::kubectl::table::Table::new(&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    t.push(vec![
        "kubernetes".into(),
        "ClusterIP".into(),
        "10.96.0.1".into(),
        "<none>".into(),
        "443/TCP".into(),
        "5m".into(),
    ]);
    t.push(vec![
        "frontend".into(),
        "LoadBalancer".into(),
        "10.101.3.7".into(),
        external_ip.into(),
        "80:31234/TCP".into(),
        "3s".into(),
    ]);
    t
}

/// Lesson 5's traffic after a few `curl`s: each request crosses two hops (host → frontend →
/// frontend pod, then frontend pod → hello → one of three backends), plus a refused connection
/// to a Service without endpoints. Everything but the last request has faded by `t0 + FLASH`.
pub(crate) fn lesson5_traffic(app: &mut App, t0: Instant) -> Instant {
    use super::traffic::tests::served;
    use super::traffic::FLASH;
    let frontend = "frontend-7c9f8d6b5-x2k9p";
    let backends = [
        "backend-5d8f7c9b6-4hqzn",
        "backend-5d8f7c9b6-m7x2d",
        "backend-5d8f7c9b6-tw9kc",
    ];
    let mut events = Vec::new();
    for (i, pick) in [0, 1, 2, 0, 1, 0, 2, 0].iter().enumerate() {
        let mut back = served(&format!("pod/{frontend} via default/hello:80"), backends[*pick], 200);
        back.latency = std::time::Duration::from_micros(400 + 30 * i as u64);
        let mut front = served("host via default/frontend:80", frontend, 200);
        front.latency = std::time::Duration::from_micros(1250 + 100 * i as u64);
        events.push(back);
        events.push(front);
    }
    let refused = crate::runtime::net::TrafficEvent {
        from: "host".into(),
        service: Some("default/my-nginx:80".into()),
        pod: None,
        bytes: 0,
        status: None,
        latency: std::time::Duration::ZERO,
        summary: "connection refused: no endpoints".into(),
        dialled: None,
        probe: false,
    };
    app.on_traffic(&events[..events.len() - 2], t0, "12:00:01");
    app.on_traffic([&refused], t0, "12:00:02");
    let t1 = t0 + FLASH;
    app.expire(t1);
    app.on_traffic(&events[events.len() - 2..], t1, "12:00:03");
    t1
}

fn traffic_app(lang: Lang) -> App {
    let mut app = App::new(lang, lesson(lang), (110, 32));
    lesson5_traffic(&mut app, Instant::now());
    app.on_key(key(KeyCode::F(8)));
    app
}

#[test]
fn traffic_pane_english() {
    let app = traffic_app(Lang::En);
    let t = pane(96, 20, |f, a| super::panes::resources::render(f, a, &app));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn traffic_pane_korean() {
    let app = traffic_app(Lang::Ko);
    let t = pane(96, 20, |f, a| super::panes::resources::render(f, a, &app));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn traffic_view_shows_both_hops_and_the_spread_over_three_pods() {
    let app = traffic_app(Lang::En);
    let t = pane(96, 20, |f, a| super::panes::resources::render(f, a, &app));
    let text = rows(t.backend().buffer());
    let line_of = |needle: &str| {
        text.iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} missing:\n{}", text.join("\n")))
    };
    let hop1 = line_of("host                         ─▶ frontend:80");
    let hop2 = line_of("pod/frontend-7c9f8d6b5-x2k9p ─▶ hello:80");
    assert!(hop1 < hop2, "the hop that feeds another comes first");
    for (pod, n) in [("4hqzn", 4), ("m7x2d", 2), ("tw9kc", 2)] {
        let row = &text[line_of(pod)];
        let count = row.rsplit('█').next().unwrap().trim_end_matches([' ', '│']).trim();
        assert_eq!(count, n.to_string(), "{pod}: {row}");
    }
    assert!(text[line_of("my-nginx:80")].contains("refused (no endpoints)"));
}

#[test]
fn a_new_request_is_highlighted_then_fades() {
    let mut app = App::new(Lang::En, lesson(Lang::En), (110, 32));
    let t1 = lesson5_traffic(&mut app, Instant::now());
    app.on_key(key(KeyCode::F(8)));
    let hl = theme::changed_cell();
    let t = render(&app);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "12:00:03").expect("the newest request is listed");
    assert_eq!(buf[(x, y)].bg, hl.bg.unwrap(), "the new request lights up");
    let (x, y) = find(buf, "12:00:02").unwrap();
    assert_eq!(buf[(x, y)].bg, ratatui::style::Color::Reset, "an older one does not");
    assert_eq!(app.next_deadline(), Some(t1 + super::traffic::FLASH));
    assert!(app.expire(t1 + super::traffic::FLASH));
    let t = render(&app);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "12:00:03").unwrap();
    assert_eq!(buf[(x, y)].bg, ratatui::style::Color::Reset, "faded");
    // F8 again goes back to the table shown before; traffic then redraws nothing.
    app.on_key(key(KeyCode::F(8)));
    assert_eq!(app.tab, 0);
    let ev = super::traffic::tests::served("host", "web-1", 200);
    assert!(!app.on_traffic([&ev], t1, "12:00:04"), "hidden view: no redraw");
    assert_eq!(app.traffic.total, 18, "but still counted");
}

/// Every word of every help description, read off the screen while scrolling the overlay down
/// to its end: nothing is cut at any size.
#[test]
fn the_help_box_fits_its_lines_at_every_size() {
    for lang in [Lang::En, Lang::Ko] {
        for size in [(80, 24), (100, 30), (160, 45), (220, 60)] {
            // A short lesson title: a long one ends in `…` by design, and this looks for cuts
            // in the help box.
            let mut view = lesson(lang);
            view.title = "T".into();
            let mut app = App::new(lang, view, size);
            app.on_key(key(KeyCode::F(1)));
            let mut seen = String::new();
            let mut last = None;
            loop {
                let t = render(&app);
                let screen = rows(t.backend().buffer()).join("\n").replace("Alt+1…9", "");
                assert!(!screen.contains('…'), "{lang:?} {size:?}: a cut line\n{screen}");
                seen.push_str(&screen);
                if last == Some(app.help_scroll) {
                    break;
                }
                last = Some(app.help_scroll);
                app.on_key(key(KeyCode::PageDown));
            }
            for (_, desc) in crate::ui::keymap::help_rows(lang) {
                for word in desc.split_whitespace() {
                    assert!(seen.contains(word), "{lang:?} {size:?}: {word:?} of {desc:?} not shown");
                }
            }
            let t = render(&app);
            let box_w = crate::ui::panes::help::layout(t.backend().buffer().area, &app)
                .area
                .width;
            assert!(box_w <= size.0, "{size:?}");
            if size.0 >= 160 {
                assert!(box_w > 64, "{size:?}: the box uses a wide screen ({box_w})");
            }
        }
    }
}

/// The end of a lesson: the step list with ✓ and ↷, the summary in the text's place, the way
/// to the next lesson, and the status bar's position.
fn ended(lang: Lang) -> App {
    let mut view = lesson(lang);
    view.id = "lesson2".into();
    view.position = Some((2, 5));
    view.next_lesson = Some("lesson3".into());
    view.current = view.steps.len() - 1;
    for (i, s) in view.steps.iter_mut().enumerate() {
        s.done = i != 2;
        s.skipped = i == 2;
    }
    view.ended = true;
    view.elapsed_secs = Some(723);
    App::new(lang, view, (100, 30))
}

#[test]
fn a_finished_lesson_shows_its_summary_english() {
    let app = ended(Lang::En);
    let t = render(&app);
    let screen = rows(t.backend().buffer()).join("\n");
    assert!(!screen.contains("F6: next step"), "{screen}");
    assert!(screen.contains("k8s-lab start lesson3"), "{screen}");
    assert!(screen.contains("↷ 3."), "a skipped step is not ticked: {screen}");
    assert!(screen.contains("step 5/5 · lesson 2/5"), "{screen}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn a_finished_lesson_shows_its_summary_korean() {
    let mut app = ended(Lang::Ko);
    app.lesson.next_lesson = None;
    insta::assert_snapshot!(render(&app).backend());
}

/// A heredoc solution keeps its manifest's indentation on screen, line for line.
#[test]
fn a_heredoc_solution_keeps_its_indentation() {
    for lang in [Lang::En, Lang::Ko] {
        let mut view = lesson(lang);
        view.steps[1].solution = vec![
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: dup-nodeport\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30009\nEOF\n".into(),
        ];
        let mut app = App::new(lang, view, (120, 40));
        app.on_key(key(KeyCode::F(3)));
        let t = render(&app);
        let screen = rows(t.backend().buffer()).join("\n");
        for line in [
            "$ kubectl apply -f - <<EOF",
            "    metadata:",
            "      name: dup-nodeport",
            "      - port: 80",
            "        nodePort: 30009",
        ] {
            assert!(
                screen.contains(&format!("│{line}")) || screen.contains(&format!(" {line}")),
                "{lang:?}: {line:?} not on screen:\n{screen}"
            );
        }
        assert!(screen.contains("  name: dup-nodeport"), "{screen}");
    }
}
