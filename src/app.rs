//! What the binary's commands do: open a lesson in the TUI or in the plain shell, list lessons,
//! reset progress, lint lesson files. `main.rs` only parses the command line and calls these.
//! This is also where the lesson engine ([`crate::lessons::LessonRun`]) meets the UI's
//! [`crate::ui::LessonSource`].

use std::path::PathBuf;

use anyhow::Context;
use futures::future::BoxFuture;

use crate::lessons::{self, placeholders, Lang, Lesson, LessonRun};
use crate::runtime::Cluster;
use crate::shell::io::Output;
use crate::shell::journal::Journal;
use crate::shell::Session;
use crate::ui::{self, LessonSource, LessonView, StepView, UiOptions};

/// The language from `--lang`, else from `LANG` (`en*` → English), else Korean.
pub fn pick_lang(flag: Option<&str>) -> anyhow::Result<Lang> {
    match flag {
        Some("ko") => Ok(Lang::Ko),
        Some("en") => Ok(Lang::En),
        Some(other) => anyhow::bail!("unknown language {other:?}: use ko or en"),
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

fn find(lesson: &str, lessons_dir: Option<&PathBuf>) -> anyhow::Result<Lesson> {
    let dirs: Vec<PathBuf> = lessons_dir.into_iter().cloned().collect();
    lessons::find_in(lesson, &dirs).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Open `lesson`'s cluster and workspace, run its setup. Setup output goes to `out`.
async fn open(lesson: &Lesson, out: &Output) -> anyhow::Result<Session> {
    let root = lesson.default_workspace_root();
    lesson
        .open_session(lesson.cluster_config(), &root, out)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// `k8s-lab start LESSON`: the full-screen lab.
pub async fn start(lesson: &str, lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<()> {
    let lesson = find(lesson, lessons_dir)?;
    let (out, buf) = Output::buffer();
    let session = open(&lesson, &out)
        .await
        .with_context(|| format!("setting up {}:\n{}", lesson.id(), buf.text()))?;
    let cluster = session.cluster.clone();
    let progress = lesson.default_progress_path();
    let run = LessonRun::open(lesson, Some(progress)).context("reading progress")?;
    let source = RunSource {
        run,
        cluster: cluster.clone(),
        journal: session.journal.clone(),
    };
    let result = ui::run(cluster.clone(), session, Box::new(source), UiOptions { lang }).await;
    cluster.shutdown();
    result
}

/// `k8s-lab shell [--lesson LESSON]`: the command line without the TUI, on stdin/stdout.
pub async fn shell(lesson: Option<&str>, lessons_dir: Option<&PathBuf>) -> anyhow::Result<i32> {
    let (out, _) = Output::channel();
    let mut session = match lesson {
        Some(l) => {
            let lesson = find(l, lessons_dir)?;
            let (setup_out, buf) = Output::buffer();
            let s = open(&lesson, &setup_out)
                .await
                .with_context(|| format!("setting up {}:\n{}", lesson.id(), buf.text()))?;
            drop(out);
            s
        }
        None => {
            let cluster = Cluster::start(Default::default()).await?;
            let dir = lessons::data_dir().join("workspaces").join("shell");
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            Session::new(cluster, crate::workspace::Workspace::new(dir))
        }
    };
    let code = crate::shell::repl::run_stdin(&mut session).await?;
    session.cluster.shutdown();
    Ok(code)
}

/// `k8s-lab list`: every lesson with its progress.
pub fn list(lessons_dir: Option<&PathBuf>, lang: Lang) -> anyhow::Result<String> {
    let mut all = lessons::bundled();
    if let Some(dir) = lessons_dir {
        for l in lessons::load_dir(dir).map_err(|e| anyhow::anyhow!("{e}"))? {
            match l {
                Ok(l) => all.push(l),
                Err(e) => eprintln!("{e}"),
            }
        }
    }
    let mut table = crate::kubectl::table::Table::new(match lang {
        Lang::Ko => &["ID", "이름", "진행", "제목"],
        Lang::En => &["ID", "SLUG", "PROGRESS", "TITLE"],
    });
    for l in &all {
        let run = LessonRun::open(l.clone(), Some(l.default_progress_path()))?;
        let done = (0..l.steps().len()).filter(|i| run.is_done(*i)).count();
        table.push(vec![
            l.id().to_string(),
            l.slug().to_string(),
            format!("{done}/{}", l.steps().len()),
            l.title().get(lang).to_string(),
        ]);
    }
    Ok(table.render(false))
}

/// `k8s-lab reset LESSON`: forget progress (the workspace files stay).
pub fn reset(lesson: &str, lessons_dir: Option<&PathBuf>) -> anyhow::Result<String> {
    let lesson = find(lesson, lessons_dir)?;
    let path = lesson.default_progress_path();
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(format!("{}: progress reset", lesson.id())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(format!("{}: no progress to reset", lesson.id())),
        Err(e) => Err(e).with_context(|| format!("removing {}", path.display())),
    }
}

/// The UI's view of a running lesson: what `start` gives the TUI (tests drive it the same way).
/// `journal` is the session's ([`Session::journal`]): checks read the learner's commands there.
pub fn lesson_source(run: LessonRun, cluster: Cluster, journal: Journal) -> Box<dyn LessonSource> {
    Box::new(RunSource { run, cluster, journal })
}

/// A running lesson as the UI sees it.
struct RunSource {
    run: LessonRun,
    cluster: Cluster,
    /// The session's journal: what the learner ran, after expansion, kubectl invocations parsed.
    journal: Journal,
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
            title: lesson.title().get(lang).to_string(),
            steps,
            current,
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
/// warnings. With `run`, each lesson that loads also runs its solutions on a fresh cluster
/// ([`lessons::verify`]). Exit status 1 when any lesson does not load or any step fails.
pub async fn lint(path: &std::path::Path, run: bool) -> anyhow::Result<i32> {
    let mut failed = false;
    let mut loaded = Vec::new();
    let mut report = |name: String, result: Result<Vec<String>, lessons::LessonError>| match result {
        Ok(warnings) => {
            println!("ok: {name}");
            for w in warnings {
                println!("  warning: {w}");
            }
        }
        Err(e) => {
            failed = true;
            println!("error: {e}");
        }
    };
    if !path.exists() {
        // A lesson id or slug (`k8s-lab lint lesson1`).
        let query = path.to_string_lossy();
        let lesson = lessons::find(&query).map_err(|e| anyhow::anyhow!("{e}"))?;
        report(lesson.id().to_string(), lesson.lint_result());
        loaded.push(lesson);
    } else if path.is_dir() {
        for l in lessons::load_dir(path).map_err(|e| anyhow::anyhow!("{e}"))? {
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
            failed |= !run_lesson(lesson).await?;
        }
    }
    Ok(if failed { 1 } else { 0 })
}

/// `lint --run` for one lesson, in a scratch workspace on a 10× clock. True if every step passed.
async fn run_lesson(lesson: &lessons::Lesson) -> anyhow::Result<bool> {
    println!("run: {}", lesson.id());
    let mut config = lesson.cluster_config();
    config.clock_speed = config.clock_speed.max(10.0);
    let root = std::env::temp_dir().join(format!("k8s-lab-lint-{}-{}", lesson.id(), std::process::id()));
    let (out, _buf) = crate::shell::io::Output::buffer();
    let result = lessons::verify::run_solutions(lesson, config, &root, &out, lessons::verify::CHECK_PATIENCE).await;
    let _ = std::fs::remove_dir_all(&root);
    let reports = result.map_err(|e| anyhow::anyhow!("{}: {e}", lesson.id()))?;
    print!("{}", lessons::verify::render(&reports));
    Ok(reports.iter().all(|r| r.passed()))
}
