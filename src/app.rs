//! What the binary's commands do: open a lesson in the TUI or in the plain shell, list lessons,
//! reset progress, lint lesson files. `main.rs` only parses the command line and calls these.
//! This is also where the lesson engine ([`crate::lessons::LessonRun`]) meets the UI's
//! [`crate::ui::LessonSource`].

use std::path::PathBuf;

use anyhow::Context;
use futures::future::BoxFuture;

use crate::io::Output;
use crate::lessons::{self, placeholders, Lang, Lesson, LessonRun};
use crate::runtime::Cluster;
use crate::shell::journal::Journal;
use crate::shell::Session;
use crate::ui::{self, strings, LessonSource, LessonView, StepView, UiOptions};

/// The language from `--lang`, else from `LANG` (`en*` → English), else Korean.
pub fn pick_lang(flag: Option<&str>) -> anyhow::Result<Lang> {
    match flag {
        Some("ko") => Ok(Lang::Ko),
        Some("en") => Ok(Lang::En),
        Some(other) => anyhow::bail!(strings::fill(
            strings::CLI_UNKNOWN_LANG.en,
            &[("lang", format!("{other:?}"))]
        )),
        None => {
            let env = std::env::var("LC_ALL")
                .ok()
                .filter(|v| !v.is_empty())
                .or_else(|| std::env::var("LANG").ok());
            Ok(match env.as_deref() {
                Some(l) if l.starts_with("en") => Lang::En,
                _ => Lang::Ko,
            })
        }
    }
}

/// A lesson by id, slug or path; not finding one is said in the learner's language.
fn find(lesson: &str, lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<Lesson> {
    let dirs: Vec<PathBuf> = lessons_dir.into_iter().cloned().collect();
    lessons::find_in(lesson, &dirs).map_err(|e| match e {
        lessons::LessonError::NotFound { query, known } => anyhow::anyhow!(strings::fill(
            strings::CLI_NOT_FOUND.get(lang),
            &[("query", query), ("known", known.join(", "))]
        )),
        e => anyhow::anyhow!(e.localized(lang)),
    })
}

/// Every lesson (the bundled ones and an instructor's folder), for `list` and the picker.
/// A lesson of the folder that does not load is said on stderr, in `lang`.
fn all_lessons(lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<Vec<Lesson>> {
    let mut all = lessons::bundled();
    if let Some(dir) = lessons_dir {
        for l in lessons::load_dir(dir).map_err(|e| anyhow::anyhow!(e.localized(lang)))? {
            match l {
                Ok(l) => all.push(l),
                Err(e) => eprintln!("{}", e.localized(lang)),
            }
        }
    }
    Ok(all)
}

/// The `list` table's headers and one row per lesson: id, slug, steps done, title.
fn lesson_rows(all: &[Lesson], lang: Lang) -> anyhow::Result<(Vec<String>, Vec<Vec<String>>)> {
    let headers = match lang {
        Lang::Ko => strings::CLI_HEADERS_KO,
        Lang::En => strings::CLI_HEADERS_EN,
    };
    let mut rows = Vec::new();
    for l in all {
        let run = LessonRun::open(l.clone(), Some(l.default_progress_path()))?;
        let done = (0..l.steps().len()).filter(|i| run.is_done(*i)).count();
        rows.push(vec![
            l.id().to_string(),
            l.slug().to_string(),
            format!("{done}/{}", l.steps().len()),
            l.title().get(lang).to_string(),
        ]);
    }
    Ok((headers.iter().map(|h| h.to_string()).collect(), rows))
}

/// Open `lesson`'s cluster (the one saved in its workspace, else a fresh one with setup run)
/// and its progress, and tie them together. Setup output goes to `out`. Returns the session,
/// the progress, and what the learner must be told first (in `lang`), if anything: a saved
/// cluster that could not be read, or steps marked done whose work is not in this cluster
/// (then `replay` in the session runs their solutions again).
async fn open(lesson: &Lesson, out: &Output, lang: Lang) -> anyhow::Result<(Session, LessonRun, Option<String>)> {
    let root = lesson.default_workspace_root();
    let (mut session, restored) = lesson
        .open_durable_session(lesson.cluster_config(), &root, out)
        .await
        .map_err(|e| anyhow::anyhow!(e.localized(lang)))?;
    let mut run = match LessonRun::open(lesson.clone(), Some(lesson.default_progress_path())) {
        Ok(r) => r,
        Err(e) => {
            session.cluster.shutdown();
            return Err(anyhow::Error::new(e).context(strings::CLI_READ_PROGRESS.get(lang)));
        }
    };
    let mut notes = Vec::new();
    if restored == lessons::Restored::FromSnapshot {
        notes.push(strings::CLI_RESTORED.get(lang).to_string());
    }
    if let lessons::Restored::Broken { aside, why } = &restored {
        notes.push(strings::fill(
            strings::CLI_SNAPSHOT_BROKEN.get(lang),
            &[("why", why.clone()), ("aside", aside.display().to_string())],
        ));
    }
    let gone = run
        .adopt_cluster(session.cluster.cluster_id())
        .context(strings::CLI_SAVING_PROGRESS.get(lang))?;
    if !gone.is_empty() {
        let steps = gone.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(", ");
        session.replay = run.replay_lines();
        notes.push(strings::fill(
            strings::CLI_PROGRESS_WITHOUT_CLUSTER.get(lang),
            &[("steps", steps)],
        ));
    }
    let notice = (!notes.is_empty()).then(|| notes.join("\n"));
    Ok((session, run, notice))
}

/// `k8s-lab start LESSON`: the full-screen lab. With no lesson named, a picker (the `list`
/// view) chooses one first; off a terminal, the list is printed with how to name one.
pub async fn start(lesson: Option<&str>, lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<()> {
    let lesson = match lesson {
        Some(l) => find(l, lessons_dir, lang)?,
        None => {
            let all = all_lessons(lessons_dir, lang)?;
            let (headers, rows) = lesson_rows(&all, lang)?;
            use std::io::IsTerminal;
            if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
                print!("{}", list_table(&headers, &rows));
                anyhow::bail!(strings::CLI_NO_TTY.get(lang));
            }
            match ui::picker::pick(ui::picker::Picker::new(lang, headers, rows)).await? {
                Some(i) => all[i].clone(),
                None => return Ok(()),
            }
        }
    };
    let (out, buf) = Output::buffer();
    let (session, run, notice) = open(&lesson, &out, lang).await.with_context(|| {
        let head = strings::fill(strings::CLI_SETUP.get(lang), &[("id", lesson.id().to_string())]);
        format!("{head}\n{}", buf.text())
    })?;
    let cluster = session.cluster.clone();
    let source = RunSource::new(run, cluster.clone(), session.journal.clone());
    let result = ui::run(cluster.clone(), session, Box::new(source), UiOptions { lang, notice }).await;
    let saved = cluster.flush();
    cluster.shutdown();
    saved.context(strings::CLI_SAVING_CLUSTER.get(lang))?;
    match result? {
        ui::Exit::Quit => {
            // On the normal screen again: say that leaving lost nothing.
            println!(
                "{}",
                strings::fill(strings::QUIT_SAVED.get(lang), &[("lesson", lesson.id().to_string())])
            );
            Ok(())
        }
        // F10 twice: forget this cluster and progress, and open the lesson anew.
        ui::Exit::Reset => {
            forget(&lesson, lang)?;
            restart(&lesson, lessons_dir, lang)
        }
    }
}

/// Open `lesson` again in a fresh process, as `k8s-lab start` would: the same binary exec'd in
/// place (same pid, same terminal), so nothing of the old cluster or of the terminal's input
/// reader is left over. Returns only if the exec failed.
fn restart(lesson: &Lesson, lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context(strings::CLI_FINDING_BINARY.get(lang))?;
    let mut cmd = std::process::Command::new(exe);
    let target = match lesson.origin() {
        lessons::Origin::Path(p) => p.display().to_string(),
        lessons::Origin::Bundled(_) => lesson.id().to_string(),
    };
    cmd.args(["start", &target, "--lang", if lang == Lang::Ko { "ko" } else { "en" }]);
    if let Some(dir) = lessons_dir {
        cmd.arg("--lessons").arg(dir);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        Err(anyhow::Error::new(cmd.exec()).context(strings::CLI_RESTARTING.get(lang)))
    }
    #[cfg(not(unix))]
    {
        let status = cmd.status().context(strings::CLI_RESTARTING.get(lang))?;
        std::process::exit(status.code().unwrap_or(1));
    }
}

/// `k8s-lab shell [--lesson LESSON]`: the command line without the TUI, on stdin/stdout.
pub async fn shell(lesson: Option<&str>, lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<i32> {
    let mut session = match lesson {
        Some(l) => {
            let lesson = find(l, lessons_dir, lang)?;
            let (setup_out, buf) = Output::buffer();
            let (s, _run, notice) = open(&lesson, &setup_out, lang).await.with_context(|| {
                let head = strings::fill(strings::CLI_SETUP.get(lang), &[("id", lesson.id().to_string())]);
                format!("{head}\n{}", buf.text())
            })?;
            if let Some(n) = notice {
                eprintln!("{n}");
            }
            s
        }
        None => {
            let cluster = Cluster::start(Default::default()).await?;
            let dir = lessons::data_dir().join("workspaces").join("shell");
            std::fs::create_dir_all(&dir).with_context(|| {
                strings::fill(strings::CLI_CREATING.get(lang), &[("path", dir.display().to_string())])
            })?;
            Session::new(cluster, crate::workspace::Workspace::new(dir))
        }
    };
    let code = crate::shell::repl::run_stdin(&mut session).await?;
    let saved = session.cluster.flush();
    session.cluster.shutdown();
    saved.context(strings::CLI_SAVING_CLUSTER.get(lang))?;
    Ok(code)
}

/// `k8s-lab list`: every lesson with its progress.
pub fn list(lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<String> {
    let all = all_lessons(lessons_dir, lang)?;
    let (headers, rows) = lesson_rows(&all, lang)?;
    Ok(list_table(&headers, &rows))
}

fn list_table(headers: &[String], rows: &[Vec<String>]) -> String {
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut table = crate::kubectl::table::Table::new(&names);
    for row in rows {
        table.push(row.clone());
    }
    table.render(false)
}

/// `k8s-lab reset LESSON`: forget progress and the saved cluster, so the next start is a clean
/// one (the learner's workspace files stay).
pub fn reset(lesson: &str, lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<String> {
    let lesson = find(lesson, lessons_dir, lang)?;
    let (had_progress, had_cluster) = forget(&lesson, lang)?;
    let id = [("id", lesson.id().to_string())];
    Ok(strings::fill(
        match (had_progress, had_cluster) {
            (false, false) => strings::CLI_NOTHING_TO_RESET.get(lang),
            (true, false) => strings::CLI_RESET.get(lang),
            (_, true) => strings::CLI_RESET_CLUSTER.get(lang),
        },
        &id,
    ))
}

/// Remove a lesson's progress and saved cluster; says which of them there were.
fn forget(lesson: &Lesson, lang: Lang) -> anyhow::Result<(bool, bool)> {
    let removing = |path: &std::path::Path| {
        strings::fill(strings::CLI_REMOVING.get(lang), &[("path", path.display().to_string())])
    };
    let path = lesson.default_progress_path();
    let had_progress = match std::fs::remove_file(&path) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e).with_context(|| removing(&path)),
    };
    let root = lesson.default_workspace_root();
    let snap = Lesson::snapshot_path(&root);
    let had_cluster = crate::runtime::persist::remove(&snap).with_context(|| removing(&snap))?;
    let shell = root.join(lessons::SHELL_STATE);
    crate::runtime::persist::remove(&shell).with_context(|| removing(&shell))?;
    Ok((had_progress, had_cluster))
}

/// The UI's view of a running lesson: what `start` gives the TUI (tests drive it the same way).
/// `journal` is the session's ([`Session::journal`]): checks read the learner's commands there.
pub fn lesson_source(run: LessonRun, cluster: Cluster, journal: Journal) -> Box<dyn LessonSource> {
    Box::new(RunSource::new(run, cluster, journal))
}

/// A running lesson as the UI sees it.
struct RunSource {
    run: LessonRun,
    cluster: Cluster,
    /// The session's journal: what the learner ran, after expansion, kubectl invocations parsed.
    journal: Journal,
    /// (1-based position, count) among the bundled lessons, and the id of the next one.
    position: Option<(usize, usize)>,
    next_lesson: Option<String>,
}

impl RunSource {
    fn new(run: LessonRun, cluster: Cluster, journal: Journal) -> RunSource {
        let ids: Vec<String> = lessons::bundled().iter().map(|l| l.id().to_string()).collect();
        let at = ids.iter().position(|id| id == run.lesson().id());
        RunSource {
            position: at.map(|i| (i + 1, ids.len())),
            next_lesson: at.and_then(|i| ids.get(i + 1).cloned()),
            run,
            cluster,
            journal,
        }
    }
}

impl LessonSource for RunSource {
    fn view(&self, lang: Lang) -> LessonView {
        let lesson = self.run.lesson();
        let current = self.run.current();
        let steps = lesson
            .steps()
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let here = i == current;
                StepView {
                    title: step.title.get(lang).to_string(),
                    markdown: if here {
                        lesson.step_text(step, lang, &self.cluster)
                    } else {
                        String::new()
                    },
                    done: self.run.is_done(i),
                    skipped: self.run.is_skipped(i),
                    check_status: if here { self.run.status(lang) } else { None },
                    hints: if here {
                        step.hints
                            .iter()
                            .map(|h| placeholders::render_or(h.get(lang), &self.cluster, "<pending>"))
                            .collect()
                    } else {
                        Vec::new()
                    },
                    hints_shown: if here {
                        self.run.progress().hints_shown(&step.id.0)
                    } else {
                        0
                    },
                    solution: if here { step.solution.clone() } else { Vec::new() },
                }
            })
            .collect();
        LessonView {
            id: lesson.id().to_string(),
            title: lesson.title().get(lang).to_string(),
            steps,
            current,
            position: self.position,
            next_lesson: self.next_lesson.clone(),
            ended: self.run.ended(),
            elapsed_secs: self.run.elapsed_secs(),
        }
    }

    /// The UI's `history` (lines as typed) is not needed: the journal has the same lines, and
    /// the kubectl invocations as the shell ran them.
    fn refresh<'a>(&'a mut self, cluster: &'a Cluster, _history: &'a [String]) -> BoxFuture<'a, bool> {
        Box::pin(async move { self.run.refresh(cluster, &self.journal).await.unwrap_or(false) })
    }

    fn next_step(&mut self) -> bool {
        self.run.next_step().unwrap_or(false)
    }

    fn prev_step(&mut self) -> bool {
        self.run.prev_step().unwrap_or(false)
    }

    fn reveal_hint(&mut self) -> bool {
        self.run.reveal_hint().map(|n| n > 0).unwrap_or(false)
    }
}

/// `k8s-lab lint PATH` (a lesson file or a folder of them): errors with line and column, then
/// warnings, all in `lang`. With `run`, each lesson that loads also runs its solutions on a
/// fresh cluster ([`lessons::verify`]). Exit status 1 when any lesson does not load or any step
/// fails.
pub async fn lint(path: &std::path::Path, run: bool, lang: Lang) -> anyhow::Result<i32> {
    let mut failed = false;
    let mut loaded = Vec::new();
    let mut report = |name: String, result: Result<Vec<String>, lessons::LessonError>| {
        print!("{}", lint_report(&name, &result, lang));
        failed |= result.is_err();
    };
    if !path.exists() {
        // A lesson id or slug (`k8s-lab lint lesson1`).
        let lesson = find(&path.to_string_lossy(), None, lang)?;
        report(lesson.id().to_string(), lesson.lint_result());
        loaded.push(lesson);
    } else if path.is_dir() {
        for l in lessons::load_dir(path).map_err(|e| anyhow::anyhow!(e.localized(lang)))? {
            match l {
                Ok(l) => {
                    let name = match l.origin() {
                        lessons::Origin::Path(p) => p.display().to_string(),
                        lessons::Origin::Bundled(n) => n.clone(),
                    };
                    report(name, l.lint_result());
                    loaded.push(l);
                }
                Err(e) => report(String::new(), Err(e)),
            }
        }
    } else {
        let result = lessons::lint(path);
        loaded.extend(lessons::load_path(path).ok());
        report(path.display().to_string(), result);
    }
    if run {
        for lesson in &loaded {
            failed |= !run_lesson(lesson, lang).await?;
        }
    }
    Ok(if failed { 1 } else { 0 })
}

/// What `lint` prints for one lesson called `name`: `ok:` and its warnings, or `error:` and
/// why it does not load, in `lang`.
pub fn lint_report(name: &str, result: &Result<Vec<String>, lessons::LessonError>, lang: Lang) -> String {
    let mut out = String::new();
    match result {
        Ok(warnings) => {
            out.push_str(&strings::fill(
                strings::LINT_OK.get(lang),
                &[("name", name.to_string())],
            ));
            out.push('\n');
            for w in warnings {
                let w = lessons::lint_words::translate(w, lang);
                out.push_str(&strings::fill(strings::LINT_WARNING.get(lang), &[("warning", w)]));
                out.push('\n');
            }
        }
        Err(e) => {
            out.push_str(&strings::fill(
                strings::LINT_ERROR.get(lang),
                &[("error", e.localized(lang))],
            ));
            out.push('\n');
        }
    }
    out
}

/// `lint --run` for one lesson, in a scratch workspace on a 10× clock. True if every step passed.
async fn run_lesson(lesson: &lessons::Lesson, lang: Lang) -> anyhow::Result<bool> {
    println!(
        "{}",
        strings::fill(strings::LINT_RUN.get(lang), &[("id", lesson.id().to_string())])
    );
    let mut config = lesson.cluster_config();
    config.clock_speed = config.clock_speed.max(10.0);
    let root = std::env::temp_dir().join(format!("k8s-lab-lint-{}-{}", lesson.id(), std::process::id()));
    let (out, _buf) = crate::io::Output::buffer();
    let result = lessons::verify::run_solutions(lesson, config, &root, &out, lessons::verify::CHECK_PATIENCE).await;
    let _ = std::fs::remove_dir_all(&root);
    let reports = result.map_err(|e| anyhow::anyhow!("{}: {}", lesson.id(), e.localized(lang)))?;
    print!("{}", run_report(&reports, lang));
    Ok(reports.iter().all(|r| r.passed()))
}

/// The `lint --run` report in `lang`: one line per step, the reason for a failing one, and the
/// solution lines that exited non-zero (which may be on purpose).
pub fn run_report(reports: &[lessons::verify::StepReport], lang: Lang) -> String {
    let mut s = String::new();
    for r in reports {
        let step = ("step", r.step.clone());
        s.push_str(&match &r.failure {
            None => strings::fill(strings::LINT_STEP_OK.get(lang), std::slice::from_ref(&step)),
            Some(why) => strings::fill(
                strings::LINT_STEP_FAIL.get(lang),
                &[step.clone(), ("why", why.get(lang).to_string())],
            ),
        });
        s.push('\n');
        if r.passed_before {
            s.push_str(&strings::fill(strings::LINT_PASSED_BEFORE.get(lang), &[step]));
            s.push('\n');
        }
        for l in r.lines.iter().filter(|l| l.status != 0) {
            let first = l.line.lines().next().unwrap_or("");
            s.push_str(&strings::fill(
                strings::LINT_EXITED.get(lang),
                &[("status", l.status.to_string()), ("line", first.to_string())],
            ));
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use lessons::verify::{LineOutcome, StepReport};
    use lessons::I18n;

    fn reports() -> Vec<StepReport> {
        vec![
            StepReport {
                step: "make".into(),
                passed_before: true,
                lines: vec![LineOutcome {
                    line: "kubectl get svc nope".into(),
                    status: 1,
                }],
                failure: None,
            },
            StepReport {
                step: "expose".into(),
                passed_before: false,
                lines: Vec::new(),
                failure: Some(I18n::new("서비스 web이 아직 없습니다", "there is no Service web yet")),
            },
        ]
    }

    #[test]
    fn the_run_report_is_in_the_chosen_language() {
        assert_eq!(
            run_report(&reports(), Lang::En),
            "  ok: step make\n    warning: the checks of step make pass before its solution runs\n    note: `kubectl get svc nope` exited with 1\n  FAIL: step expose: there is no Service web yet\n"
        );
        assert_eq!(
            run_report(&reports(), Lang::Ko),
            "  통과: 단계 make\n    경고: 단계 make의 검사는 풀이를 실행하기 전부터 통과합니다\n    참고: `kubectl get svc nope`의 종료 코드는 1입니다\n  실패: 단계 expose: 서비스 web이 아직 없습니다\n"
        );
    }

    #[test]
    fn the_lint_frame_is_in_the_chosen_language() {
        let ok: Result<Vec<String>, lessons::LessonError> = Ok(vec!["description has no ko text".into()]);
        assert_eq!(
            lint_report("a.yaml", &ok, Lang::En),
            "ok: a.yaml\n  warning: description has no ko text\n"
        );
        assert_eq!(
            lint_report("a.yaml", &ok, Lang::Ko),
            "통과: a.yaml\n  경고: description에 ko 글이 없습니다\n"
        );
        let bad = Err(lessons::LessonError::Format(lessons::FormatError {
            file: "a.yaml".into(),
            line: Some(5),
            column: Some(1),
            message: "missing field `steps`".into(),
        }));
        assert_eq!(
            lint_report("a.yaml", &bad, Lang::En),
            "error: a.yaml:5:1: missing field `steps`\n"
        );
        assert_eq!(
            lint_report("a.yaml", &bad, Lang::Ko),
            "오류: a.yaml:5:1: `steps` 키가 없습니다 (꼭 있어야 합니다)\n"
        );
    }
}
