//! A learner's progress through one lesson: the current step, the steps done, and how many hint
//! tiers were opened per step.
//!
//! Progress is a small JSON file per lesson (`<data dir>/progress/<lesson id>.json`), written
//! with [`crate::workspace::write_atomic`] so a crash or `kill -9` leaves the old or the new file,
//! never half of one. It refers to steps by id, not by position, so an instructor who inserts a
//! step does not shift everyone's progress. A file that cannot be read is not fatal: the learner
//! starts the lesson over and the broken file is kept beside it for inspection.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Lesson;
use crate::workspace::write_atomic;

/// The env var that moves everything the lab keeps (progress, workspaces) to another folder.
pub const HOME_ENV: &str = "K8S_LAB_HOME";

/// Where the lab keeps its data: `$K8S_LAB_HOME` if set, else the platform's data dir
/// (`~/.local/share/k8s-lab` on Linux), else `./.k8s-lab`.
pub fn data_dir() -> PathBuf {
    data_dir_from(std::env::var_os(HOME_ENV))
}

/// [`data_dir`] with the value of `K8S_LAB_HOME` passed in (so tests need not touch the
/// process environment).
pub fn data_dir_from(home: Option<std::ffi::OsString>) -> PathBuf {
    if let Some(home) = home.filter(|h| !h.is_empty()) {
        return PathBuf::from(home);
    }
    directories::ProjectDirs::from("", "", "k8s-lab")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".k8s-lab"))
}

/// Progress in one lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The lesson this belongs to.
    pub lesson: String,
    /// The step the learner is on (its id); `None` before the first step is opened.
    #[serde(default)]
    pub current: Option<String>,
    /// Ids of the steps whose checks have passed.
    #[serde(default)]
    pub done: BTreeSet<String>,
    /// Step id → how many hint tiers have been shown.
    #[serde(default)]
    pub hints: BTreeMap<String, usize>,
    /// Ids of the steps the learner moved past (F6) without their checks passing. A skipped
    /// step is not done; passing it later moves it from here to `done`.
    #[serde(default)]
    pub skipped: BTreeSet<String>,
    /// The cluster the steps were done on ([`crate::runtime::Cluster::cluster_id`]); a
    /// different cluster (reset, lost, or an old save) means the done steps are not in it.
    #[serde(default)]
    pub cluster_id: Option<String>,
    /// When the learner first opened the lesson (Unix seconds).
    #[serde(default)]
    pub started_at: Option<u64>,
    /// When the last step was left done or skipped, ending the lesson (Unix seconds).
    #[serde(default)]
    pub finished_at: Option<u64>,
    /// Objects that `object_absent` checks name and that were seen to exist during this
    /// lesson (`Service/default/frontend`): deleting only counts for what was there.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub seen: BTreeSet<String>,
    /// When the learner arrived at the current step (Unix milliseconds): a restart keeps
    /// counting the step's commands and requests from there (`since: step`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_began: Option<u64>,
}

impl Progress {
    pub fn new(lesson: &str) -> Progress {
        Progress {
            lesson: lesson.to_string(),
            ..Default::default()
        }
    }

    /// Index of the current step in `lesson` (the first step not done if the saved id is gone).
    pub fn current_index(&self, lesson: &Lesson) -> usize {
        let steps = lesson.steps();
        if let Some(i) = self
            .current
            .as_ref()
            .and_then(|id| steps.iter().position(|s| &s.id.0 == id))
        {
            return i;
        }
        steps
            .iter()
            .position(|s| !self.done.contains(&s.id.0))
            .unwrap_or(steps.len().saturating_sub(1))
    }

    /// Go to step `index` (clamped).
    pub fn go_to(&mut self, lesson: &Lesson, index: usize) {
        let steps = lesson.steps();
        if let Some(step) = steps.get(index.min(steps.len().saturating_sub(1))) {
            self.current = Some(step.id.0.clone());
        }
    }

    /// Mark a step done and move to the next step not done yet. Returns true if this was new.
    pub fn complete(&mut self, lesson: &Lesson, step_id: &str) -> bool {
        let new = self.done.insert(step_id.to_string());
        let steps = lesson.steps();
        let here = steps.iter().position(|s| s.id.0 == step_id).unwrap_or(0);
        let next = steps
            .iter()
            .enumerate()
            .skip(here + 1)
            .find(|(_, s)| !self.done.contains(&s.id.0))
            .map(|(i, _)| i);
        if let Some(i) = next {
            self.current = Some(steps[i].id.0.clone());
        }
        new
    }

    pub fn is_done(&self, step_id: &str) -> bool {
        self.done.contains(step_id)
    }

    /// True when the learner moved past this step without passing it.
    pub fn is_skipped(&self, step_id: &str) -> bool {
        self.skipped.contains(step_id) && !self.done.contains(step_id)
    }

    /// True when every step of the lesson is done.
    pub fn finished(&self, lesson: &Lesson) -> bool {
        lesson.steps().iter().all(|s| self.done.contains(&s.id.0))
    }

    /// How many hint tiers of a step are open.
    pub fn hints_shown(&self, step_id: &str) -> usize {
        self.hints.get(step_id).copied().unwrap_or(0)
    }

    /// Open the next hint tier of a step (at most `available`). Returns how many are open now.
    pub fn reveal_hint(&mut self, step_id: &str, available: usize) -> usize {
        let n = self.hints.entry(step_id.to_string()).or_insert(0);
        *n = (*n + 1).min(available);
        *n
    }

    /// The default file for a lesson's progress under `dir` (usually [`data_dir`]).
    pub fn path_in(dir: &Path, lesson_id: &str) -> PathBuf {
        dir.join("progress").join(format!("{lesson_id}.json"))
    }

    /// Read progress; a missing file is a fresh start. A corrupt file is moved aside to
    /// `<file>.broken` and a fresh start returned, so a bad file never locks a learner out.
    pub fn load(path: &Path, lesson_id: &str) -> io::Result<Progress> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Progress::new(lesson_id)),
            Err(e) => return Err(e),
        };
        match serde_json::from_str::<Progress>(&text) {
            Ok(p) if p.lesson == lesson_id => Ok(p),
            _ => {
                let mut aside = path.as_os_str().to_owned();
                aside.push(".broken");
                std::fs::rename(path, PathBuf::from(aside))?;
                Ok(Progress::new(lesson_id))
            }
        }
    }

    /// Write progress atomically.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        text.push('\n');
        write_atomic(path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons;

    fn temp_dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("k8s-lab-progress-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn round_trip_in_a_temp_dir() {
        let dir = temp_dir("rt");
        let lesson = lessons::find("lesson5").unwrap();
        let path = Progress::path_in(&dir, lesson.id());
        let mut p = Progress::load(&path, "lesson5").unwrap();
        assert_eq!(p, Progress::new("lesson5"));
        assert_eq!(p.current_index(&lesson), 0);
        let first = lesson.steps()[0].id.0.clone();
        assert_eq!(p.reveal_hint(&first, 2), 1);
        assert_eq!(p.reveal_hint(&first, 2), 2);
        assert_eq!(p.reveal_hint(&first, 2), 2, "no more tiers than the step has");
        assert!(p.complete(&lesson, &first));
        assert!(!p.complete(&lesson, &first));
        assert_eq!(p.current_index(&lesson), 1);
        p.seen.insert("Service/default/frontend".into());
        p.save(&path).unwrap();
        let back = Progress::load(&path, "lesson5").unwrap();
        assert_eq!(back, p);
        assert_eq!(back.hints_shown(&first), 2);
        assert!(back.is_done(&first));
        assert!(
            back.seen.contains("Service/default/frontend"),
            "what was seen survives a restart"
        );
        assert!(!back.finished(&lesson));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn corrupt_file_is_moved_aside() {
        let dir = temp_dir("bad");
        let path = Progress::path_in(&dir, "lesson5");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{not json").unwrap();
        let p = Progress::load(&path, "lesson5").unwrap();
        assert_eq!(p, Progress::new("lesson5"));
        assert!(!path.exists());
        assert!(path.with_extension("json.broken").exists());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn k8s_lab_home_moves_the_data_dir() {
        assert_eq!(
            data_dir_from(Some("/tmp/lab-home".into())),
            PathBuf::from("/tmp/lab-home")
        );
        let default = data_dir_from(None);
        assert_ne!(default, PathBuf::from("/tmp/lab-home"));
        assert!(
            default.ends_with("k8s-lab") || default.ends_with(".k8s-lab"),
            "{}",
            default.display()
        );
        assert_eq!(data_dir_from(Some("".into())), default, "an empty value is ignored");
    }

    #[test]
    fn unknown_saved_step_falls_back_to_first_not_done() {
        let lesson = lessons::find("lesson5").unwrap();
        let mut p = Progress::new("lesson5");
        p.current = Some("a-step-that-was-removed".into());
        p.done.insert(lesson.steps()[0].id.0.clone());
        assert_eq!(p.current_index(&lesson), 1);
        p.go_to(&lesson, 99);
        assert_eq!(p.current_index(&lesson), lesson.steps().len() - 1);
    }
}
