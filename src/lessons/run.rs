//! [`LessonRun`]: one learner going through one lesson — the lesson, their saved progress and
//! the latest verdict on the step they are on.
//!
//! The UI and `k8s-lab shell` both need the same loop: after every command and every cluster
//! change, re-check the current step, remember when it passes, save progress, move between
//! steps, open hints. Keeping that here (not in the UI) means the TUI, the stdin shell and the
//! tests share one behaviour, and the UI only turns a [`LessonRun`] into what it draws.

use std::io;
use std::path::PathBuf;
use std::time::Instant;

use super::checks::{evaluate_step, existing_absence_targets, Evidence, StepResult};
use super::format::{Lang, Step};
use super::placeholders;
use super::progress::Progress;
use super::Lesson;
use crate::runtime::Cluster;
use crate::shell::journal::Journal;

/// A lesson in progress.
#[derive(Debug, Clone)]
pub struct LessonRun {
    lesson: Lesson,
    progress: Progress,
    /// Where progress is saved; `None` keeps it in memory (tests, `--no-save`).
    path: Option<PathBuf>,
    /// The latest verdict on the current step (`None` until the first refresh).
    result: Option<StepResult>,
    /// The lesson has ended: its last step was passed or left with F6. The UI shows the
    /// summary until the learner goes back (F5).
    ended: bool,
    /// Where the current step's commands and requests start counting (`since: step`), kept
    /// in the progress across restarts; `None` on a lesson's first step, before any move:
    /// everything counts.
    step_began: Option<Instant>,
    /// When the current step first passed in this session. A learner who carries on before
    /// pressing F6 has begun the next step from that moment.
    passed_at: Option<Instant>,
}

/// Now, in Unix seconds (what `started_at`/`finished_at` hold).
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl LessonRun {
    /// Start or resume `lesson`, with progress saved at `path` (see
    /// [`Lesson::default_progress_path`]).
    pub fn open(lesson: Lesson, path: Option<PathBuf>) -> io::Result<LessonRun> {
        let mut progress = match &path {
            Some(p) => Progress::load(p, lesson.id())?,
            None => Progress::new(lesson.id()),
        };
        // Pin the step the learner starts on. Left open, "the first step not done" would move
        // on by itself the moment the current step passes.
        let start = progress.current_index(&lesson);
        progress.go_to(&lesson, start);
        // Kept in memory until the first save: `list` opens every lesson without starting it.
        progress.started_at.get_or_insert_with(unix_now);
        let last = lesson.steps().len().saturating_sub(1);
        let ended = progress.finished_at.is_some() && start == last;
        // Saved moments come back to the millisecond; start a hair early so that nothing the
        // learner did right as the step began falls before it.
        let step_began = progress
            .step_began
            .and_then(|ms| crate::runtime::moments::from_unix_ms(ms.saturating_sub(2)));
        Ok(LessonRun {
            lesson,
            progress,
            path,
            result: None,
            ended,
            step_began,
            passed_at: None,
        })
    }

    /// True once the lesson has ended (see [`LessonRun::next_step`]): time for the summary.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Seconds from the lesson's first opening to its end, once it has ended.
    pub fn elapsed_secs(&self) -> Option<u64> {
        let (a, b) = (self.progress.started_at?, self.progress.finished_at?);
        Some(b.saturating_sub(a))
    }

    /// End the lesson: remember when (the first time), show the summary.
    fn end(&mut self) -> io::Result<()> {
        self.ended = true;
        self.progress.finished_at.get_or_insert_with(unix_now);
        self.save()
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    /// Where the current step's `since: step` counting begins (`None`: everything counts).
    pub fn step_began(&self) -> Option<Instant> {
        self.step_began
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Index of the current step.
    pub fn current(&self) -> usize {
        self.progress.current_index(&self.lesson)
    }

    pub fn current_step(&self) -> &Step {
        &self.lesson.steps()[self.current()]
    }

    /// The latest verdict on the current step.
    pub fn result(&self) -> Option<&StepResult> {
        self.result.as_ref()
    }

    /// True when the step at `index` has passed (now or in an earlier session).
    pub fn is_done(&self, index: usize) -> bool {
        self.lesson
            .steps()
            .get(index)
            .is_some_and(|s| self.progress.is_done(&s.id.0))
    }

    /// True when the step at `index` was moved past (F6) without passing.
    pub fn is_skipped(&self, index: usize) -> bool {
        self.lesson
            .steps()
            .get(index)
            .is_some_and(|s| self.progress.is_skipped(&s.id.0))
    }

    /// True when every step is done.
    pub fn finished(&self) -> bool {
        self.progress.finished(&self.lesson)
    }

    /// Re-check the current step against the cluster, the learner's `journal` (the session's
    /// [`Journal`]) and the lab's traffic. When it passes for the first time it is marked done
    /// and progress is saved; the learner stays on it until they move on. Returns true if
    /// anything shown changed (verdict or done marks).
    ///
    /// Every refresh also notes which objects of the lesson's `object_absent` checks exist now,
    /// so that a clean-up step later passes only for what really was there.
    pub async fn refresh(&mut self, cluster: &Cluster, journal: &Journal) -> io::Result<bool> {
        let mut save = false;
        for step in self.lesson.steps() {
            for key in existing_absence_targets(step, cluster) {
                save |= self.progress.seen.insert(key);
            }
        }
        let step = self.current_step().clone();
        let evidence = Evidence::for_step(&step, cluster, journal, self.step_began, self.progress.seen.clone());
        let result = evaluate_step(&step, &evidence).await;
        let mut changed = self.result.as_ref() != Some(&result);
        if result.passed() {
            self.passed_at.get_or_insert_with(Instant::now);
            if self.progress.done.insert(step.id.0.clone()) {
                self.progress.skipped.remove(&step.id.0);
                changed = true;
                save = true;
            }
        }
        if save {
            self.save()?;
            if self.current() + 1 == self.lesson.steps().len() {
                // The last step passed: the lesson is over.
                self.end()?;
            }
        }
        self.result = Some(result);
        Ok(changed)
    }

    /// Go to the next step. A step left without passing is marked skipped (shown and counted
    /// as such, never as done). From the last step it ends the lesson; returns false once it
    /// has ended.
    pub fn next_step(&mut self) -> io::Result<bool> {
        if self.ended {
            return Ok(false);
        }
        let here = self.current();
        let Some(step) = self.lesson.steps().get(here) else {
            return Ok(false);
        };
        let id = step.id.0.clone();
        if !self.progress.is_done(&id) {
            self.progress.skipped.insert(id);
        }
        if here + 1 >= self.lesson.steps().len() {
            self.end()?;
            return Ok(true);
        }
        self.go(here + 1)
    }

    /// Go back one step (from the summary: back to the last step). Returns false at the first
    /// step.
    pub fn prev_step(&mut self) -> io::Result<bool> {
        if std::mem::take(&mut self.ended) {
            return Ok(true);
        }
        match self.current().checked_sub(1) {
            Some(i) => self.go(i),
            None => Ok(false),
        }
    }

    fn go(&mut self, index: usize) -> io::Result<bool> {
        if index >= self.lesson.steps().len() || index == self.current() {
            return Ok(false);
        }
        let forward = index > self.current();
        // Moving on from a step that passed: what the learner did since it passed belongs to
        // the next step already.
        let began = match self.passed_at {
            Some(at) if forward => at,
            _ => Instant::now(),
        };
        self.progress.go_to(&self.lesson, index);
        self.step_began = Some(began);
        self.progress.step_began = Some(crate::runtime::moments::to_unix_ms(began));
        self.passed_at = None;
        self.result = None;
        self.save()?;
        Ok(true)
    }

    /// Tie this progress to the cluster it runs on. Progress with no done steps, or done on
    /// this very cluster, simply follows it. Progress whose steps were done on another cluster
    /// (a reset, a lost or an old save) disagrees with it: the indexes of those steps are
    /// returned so the lab can say so and offer to replay their solutions
    /// ([`LessonRun::replay_lines`]). Either way the progress follows this cluster from now on:
    /// the learner has been told once, and is not told again at every start.
    pub fn adopt_cluster(&mut self, cluster_id: &str) -> io::Result<Vec<usize>> {
        if self.progress.cluster_id.as_deref() == Some(cluster_id) {
            return Ok(Vec::new());
        }
        let gone: Vec<usize> = (0..self.lesson.steps().len()).filter(|i| self.is_done(*i)).collect();
        self.progress.cluster_id = Some(cluster_id.to_string());
        self.save()?;
        Ok(gone)
    }

    /// The solution lines of the done steps, in lesson order: what rebuilds their work on a
    /// fresh cluster.
    pub fn replay_lines(&self) -> Vec<String> {
        self.lesson
            .steps()
            .iter()
            .filter(|s| self.progress.is_done(&s.id.0))
            .flat_map(|s| s.solution.iter().cloned())
            .collect()
    }

    /// Open the next hint tier of the current step; returns how many are open.
    pub fn reveal_hint(&mut self) -> io::Result<usize> {
        let step = self.current_step();
        let (id, available) = (step.id.0.clone(), step.hints.len());
        let n = self.progress.reveal_hint(&id, available);
        self.save()?;
        Ok(n)
    }

    /// The open hints of the current step, in `lang`, placeholders filled.
    pub fn hints(&self, lang: Lang, cluster: &Cluster) -> Vec<String> {
        let step = self.current_step();
        let shown = self.progress.hints_shown(&step.id.0);
        step.hints
            .iter()
            .take(shown)
            .map(|h| placeholders::render_or(h.get(lang), cluster, "<pending>"))
            .collect()
    }

    /// One line for the status area: what passed, or the first thing still missing.
    pub fn status(&self, lang: Lang) -> Option<String> {
        let r = self.result.as_ref()?;
        Some(match r.first_failure() {
            Some(why) => why.get(lang).to_string(),
            None => match lang {
                Lang::Ko => "✔ 이 단계를 마쳤습니다".to_string(),
                Lang::En => "✔ This step is done".to_string(),
            },
        })
    }

    fn save(&self) -> io::Result<()> {
        match &self.path {
            Some(p) => self.progress.save(p),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{find, test_config};

    #[tokio::test(start_paused = true)]
    async fn passing_a_step_marks_it_done_and_saves() {
        let dir = std::env::temp_dir().join(format!("k8s-lab-run-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = Progress::path_in(&dir, "lesson5");
        let lesson = find("lesson5").unwrap();
        let cluster = Cluster::start(test_config(75)).await.unwrap();
        let mut run = LessonRun::open(lesson.clone(), Some(path.clone())).unwrap();
        assert_eq!(run.current(), 0);
        assert!(run.status(Lang::En).is_none());

        // Step 2 only needs the describe command in the journal, run in this step.
        let journal = Journal::default();
        ran(&journal, &["describe", "deployment", "backend"], 0);
        assert!(run.next_step().unwrap());
        assert_eq!(run.current_step().id.0, "inspect-backend");
        assert!(run.refresh(&cluster, &journal).await.unwrap());
        assert!(!run.is_done(1), "run before the step began");
        assert_eq!(
            run.status(Lang::En).unwrap(),
            "you have not run kubectl describe on the Deployment backend in this step yet"
        );
        assert!(
            !run.refresh(&cluster, &journal).await.unwrap(),
            "same verdict, nothing changed"
        );
        ran(&journal, &["describe", "deploy/backend"], 0);
        assert!(run.refresh(&cluster, &journal).await.unwrap());
        assert!(run.is_done(1));
        assert_eq!(run.current(), 1, "the learner stays until they move on");
        assert_eq!(run.status(Lang::Ko).unwrap(), "✔ 이 단계를 마쳤습니다");

        assert_eq!(run.reveal_hint().unwrap(), 1);
        assert_eq!(
            run.hints(Lang::En, &cluster),
            ["`kubectl describe` takes a resource type and a name."]
        );

        // A new session resumes where the learner was, with the step done and the hint open.
        let again = LessonRun::open(lesson, Some(path)).unwrap();
        assert_eq!(again.current(), 1);
        assert!(again.is_done(1) && !again.is_done(0));
        assert_eq!(again.progress().hints_shown("inspect-backend"), 1);
        cluster.shutdown();
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// Note a finished kubectl invocation in `journal`, as the shell does.
    fn ran(journal: &Journal, argv: &[&str], status: i32) {
        let id = journal.start_kubectl(argv.iter().map(|a| a.to_string()).collect(), Vec::new());
        journal.finish(id, status);
    }

    #[allow(dead_code)]
    fn refresh_is_send(run: &mut LessonRun, cluster: &Cluster, journal: &Journal) {
        fn is_send<T: Send>(_: T) {}
        is_send(run.refresh(cluster, journal));
    }

    #[tokio::test(start_paused = true)]
    async fn skipping_every_step_passes_none_not_even_the_clean_up() {
        let cluster = Cluster::start(test_config(85)).await.unwrap();
        let lesson = find("lesson5").unwrap();
        let mut run = LessonRun::open(lesson.clone(), None).unwrap();
        let journal = Journal::default();
        loop {
            run.refresh(&cluster, &journal).await.unwrap();
            if !run.next_step().unwrap() {
                break;
            }
        }
        let last = lesson.steps().len() - 1;
        assert_eq!(run.current_step().id.0, "cleanup");
        assert!(!run.is_done(last), "{:?}", run.status(Lang::En));
        assert!(run
            .status(Lang::En)
            .unwrap()
            .contains("has not existed in this lesson yet"));
        assert_eq!((0..=last).filter(|i| run.is_done(*i)).count(), 0);
        assert_eq!((0..last).filter(|i| run.is_skipped(*i)).count(), last);
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn a_clean_up_passes_once_its_objects_were_seen_and_are_gone() {
        let cluster = Cluster::start(test_config(86)).await.unwrap();
        let lesson = find("lesson5").unwrap();
        let mut run = LessonRun::open(lesson.clone(), None).unwrap();
        let journal = Journal::default();
        let base = "https://k8s.io/examples/service/access/";
        for f in [
            "backend-deployment",
            "backend-service",
            "frontend-deployment",
            "frontend-service",
        ] {
            let text = &lesson.urls()[&format!("{base}{f}.yaml")];
            for obj in crate::runtime::manifest::decode_manifests(text, f) {
                cluster.create(obj.unwrap()).unwrap();
            }
        }
        // Seen on the first step already; progress remembers it.
        run.refresh(&cluster, &journal).await.unwrap();
        assert_eq!(run.progress().seen.len(), 4, "{:?}", run.progress().seen);
        while run.current_step().id.0 != "cleanup" {
            run.next_step().unwrap();
        }
        run.refresh(&cluster, &journal).await.unwrap();
        assert!(!run.is_done(run.current()));
        assert!(run.status(Lang::En).unwrap().contains("still exists"));
        for (kind, name) in [
            (crate::runtime::Kind::Service, "frontend"),
            (crate::runtime::Kind::Service, "hello"),
            (crate::runtime::Kind::Deployment, "frontend"),
            (crate::runtime::Kind::Deployment, "backend"),
        ] {
            cluster.remove_stored(kind, "default", name).unwrap();
        }
        run.refresh(&cluster, &journal).await.unwrap();
        assert!(run.is_done(run.current()), "{:?}", run.status(Lang::En));
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn a_fresh_lesson_stays_on_its_first_step_when_it_passes() {
        let cluster = Cluster::start(test_config(79)).await.unwrap();
        let mut run = LessonRun::open(find("lesson1").unwrap(), None).unwrap();
        assert_eq!(run.current(), 0);
        let journal = Journal::default();
        ran(&journal, &["get", "services"], 0);
        assert!(run.refresh(&cluster, &journal).await.unwrap());
        assert!(run.is_done(0));
        assert_eq!(run.current(), 0, "no step moves on by itself, not even the first");
        assert!(run.next_step().unwrap());
        assert_eq!(run.current(), 1);
        cluster.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn commands_count_for_the_step_they_were_run_in() {
        let dir = std::env::temp_dir().join(format!("k8s-lab-run-since-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("two.yaml");
        std::fs::write(
            &path,
            "format_version: 1\nid: two\nslug: two\ntitle: {en: Two}\nsteps:\n- id: svc\n  title: {en: S}\n  checks:\n  - kubectl: {verb: get, kind: svc}\n- id: nodes\n  title: {en: N}\n  checks:\n  - kubectl: {verb: get, kind: node}\n- id: again\n  title: {en: A}\n  checks:\n  - kubectl: {verb: get, kind: svc}\n",
        )
        .unwrap();
        let cluster = Cluster::start(test_config(87)).await.unwrap();
        let mut run = LessonRun::open(crate::lessons::load_path(&path).unwrap(), None).unwrap();
        let journal = Journal::default();
        ran(&journal, &["get", "services"], 0);
        run.refresh(&cluster, &journal).await.unwrap();
        assert!(run.is_done(0));
        // The learner carries on before pressing F6: that counts for the next step.
        ran(&journal, &["get", "no"], 0);
        run.next_step().unwrap();
        run.refresh(&cluster, &journal).await.unwrap();
        assert!(run.is_done(1), "{:?}", run.status(Lang::En));
        // What ran in an earlier step does not pass a later one that asks the same.
        run.next_step().unwrap();
        run.refresh(&cluster, &journal).await.unwrap();
        assert!(!run.is_done(2), "`get services` ran two steps ago");
        ran(&journal, &["get", "svc/kubernetes"], 0);
        run.refresh(&cluster, &journal).await.unwrap();
        assert!(run.is_done(2));
        cluster.shutdown();
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn moving_stops_at_the_ends() {
        let mut run = LessonRun::open(find("lesson5").unwrap(), None).unwrap();
        assert!(!run.prev_step().unwrap());
        let last = run.lesson().steps().len() - 1;
        for _ in 0..last {
            assert!(run.next_step().unwrap());
        }
        assert_eq!(run.current(), last);
        assert!(!run.ended());
        assert!(run.next_step().unwrap(), "F6 on the last step ends the lesson");
        assert!(run.ended());
        assert!(run.is_skipped(last), "left without passing: skipped");
        assert!(run.elapsed_secs().is_some());
        assert!(!run.next_step().unwrap(), "nothing after the end");
        assert!(run.prev_step().unwrap(), "F5 leaves the summary");
        assert!(!run.ended());
        assert_eq!(run.current(), last);
        assert!(run.prev_step().unwrap());
        assert_eq!(run.current(), last - 1);
        assert!(!run.finished());
    }
}
