//! `k8s-lab lint --run`: a lesson's solutions run headlessly on a fresh cluster, the way a
//! learner would type them, and every step's checks must then pass — CI for lesson authors.
//!
//! The same runner drives the bundled lessons' own tests, which also pin which solution lines
//! are meant to fail (a typo a seed shows on purpose, a `timeout … --watch` that ends with 124).
//! A failing step's reason is kept in both languages; `app` prints the reports in the one
//! chosen with `--lang`.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{I18n, Lesson, LessonError, LessonRun};
use crate::io::Output;
use crate::runtime::ClusterConfig;

/// How one solution line ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineOutcome {
    pub line: String,
    pub status: i32,
}

/// What happened in one step.
#[derive(Debug, Clone)]
pub struct StepReport {
    pub step: String,
    /// The step's checks already held before its solution ran (the step teaches nothing new,
    /// or its checks are too weak).
    pub passed_before: bool,
    pub lines: Vec<LineOutcome>,
    /// `None` when the checks passed after the solution; else why not (in both languages).
    pub failure: Option<I18n>,
}

impl StepReport {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }
}

/// How patiently to wait for a step's checks after its solution (real time).
pub const CHECK_PATIENCE: Duration = Duration::from_secs(20);

/// Run every step's solution through the lab shell in a fresh session, then wait up to
/// `patience` for that step's checks. Output of the commands goes to `out`. The steps are
/// walked the way a learner walks them — one [`LessonRun`] (in memory), its checks seeing the
/// session's journal and the lab's traffic, F6 after each step.
pub async fn run_solutions(
    lesson: &Lesson,
    config: ClusterConfig,
    root: &Path,
    out: &Output,
    patience: Duration,
) -> Result<Vec<StepReport>, LessonError> {
    let mut session = lesson.open_session(config, root, out).await?;
    let mut run = LessonRun::open(lesson.clone(), None).map_err(|source| LessonError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let mut reports = Vec::new();
    for (i, step) in lesson.steps().iter().enumerate() {
        let _ = run.refresh(&session.cluster, &session.journal).await;
        let passed_before = run.is_done(i) && run.result().is_some_and(|r| r.passed());
        let mut lines = Vec::new();
        for line in &step.solution {
            // A learner types one line at a time; leave the controllers that moment too.
            tokio::time::sleep(Duration::from_millis(100)).await;
            let status = session.run_line(line, out).await;
            lines.push(LineOutcome {
                line: line.strip_suffix('\n').unwrap_or(line).to_string(),
                status,
            });
        }
        let deadline = Instant::now() + patience;
        let failure = loop {
            let _ = run.refresh(&session.cluster, &session.journal).await;
            let r = run.result().cloned();
            if r.as_ref().is_some_and(|r| r.passed()) {
                break None;
            }
            if Instant::now() >= deadline {
                break Some(r.and_then(|r| r.first_failure().cloned()).unwrap_or_default());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        reports.push(StepReport {
            step: step.id.0.clone(),
            passed_before,
            lines,
            failure,
        });
        let _ = run.next_step();
    }
    session.cluster.shutdown();
    Ok(reports)
}
