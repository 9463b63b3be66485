//! What the learner did in this shell, as the lab ran it: every command line, and every kubectl
//! invocation with its arguments *after* expansion and the objects its `-f` inputs decoded to.
//!
//! Lesson checks judge a command by what kubectl was asked to do, not by how the line was
//! spelled (`timeout 10 kubectl get svc frontend -w`, `kubectl describe $(echo svc/backend)`,
//! a heredoc on `-f -`, the editor's Ctrl+S). The shell is the one place that sees all of that,
//! so it keeps this journal; the lesson engine reads it. Subshells (`$(…)`, pipeline stages)
//! share their parent's journal: what ran in them ran.
//!
//! Every record carries the moment it started ([`std::time::Instant`], the same clock the
//! runtime's traffic log uses), so a check can ask "since this step began".
//!
//! The journal is a ring: it keeps the last [`JOURNAL_LEN`] lines and kubectl invocations, and
//! no more than [`JOURNAL_BYTES`] of their text, so a script piping a hundred thousand lines
//! into `k8s-lab shell` does not grow it. A check looks at one step's window, which is recent.
//! Marks and ids count from the journal's start, so they stay right after old records go.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::runtime::kinds::KINDS;
use crate::runtime::moments::{from_unix_ms, to_unix_ms};
use crate::runtime::{Kind, Object};

/// How many lines and kubectl invocations of each a saved journal keeps: a step's checks look
/// at what the learner did in that step, never at thousands of commands.
pub const SAVED_RECORDS: usize = 200;

/// One command line as typed (a heredoc's body included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRecord {
    pub at: Instant,
    pub text: String,
}

/// An object named in a manifest a kubectl command read (`-f FILE`, `-f URL`, `-f -`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileObject {
    pub kind: Kind,
    /// The manifest's namespace, or `-n`, or `None` when neither says (kubectl's default).
    pub namespace: Option<String>,
    pub name: String,
}

impl FileObject {
    pub fn of(obj: &Object, namespace_flag: Option<&str>) -> FileObject {
        let ns = obj.namespace();
        FileObject {
            kind: obj.kind(),
            namespace: if !ns.is_empty() {
                Some(ns.to_string())
            } else {
                namespace_flag.filter(|n| !n.is_empty()).map(str::to_string)
            },
            name: obj.name().to_string(),
        }
    }
}

/// One kubectl invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubectlRecord {
    pub at: Instant,
    /// The arguments after `kubectl`, expanded (`$VAR`, `$(…)`, quotes removed).
    pub argv: Vec<String>,
    /// What the `-f` inputs decoded to (empty without `-f`, or when they did not decode).
    pub objects: Vec<FileObject>,
    /// kubectl's exit status; `None` while running or when it was stopped (Ctrl+C, `timeout`).
    pub status: Option<i32>,
}

/// Most line records and most kubectl records the journal keeps (each).
pub const JOURNAL_LEN: usize = 1000;
/// Most bytes of text (lines, arguments, object names) the journal keeps in all.
pub const JOURNAL_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Default)]
struct Entries {
    lines: VecDeque<LineRecord>,
    kubectl: VecDeque<KubectlRecord>,
    /// How many records of each kind were dropped from the front (ids and marks count them).
    lines_dropped: usize,
    kubectl_dropped: usize,
    /// Bytes of text held now.
    bytes: usize,
}

fn line_cost(l: &LineRecord) -> usize {
    l.text.len() + 32
}

fn kubectl_cost(k: &KubectlRecord) -> usize {
    k.argv.iter().map(|a| a.len() + 8).sum::<usize>()
        + k.objects
            .iter()
            .map(|o| o.name.len() + o.namespace.as_ref().map_or(0, String::len) + 16)
            .sum::<usize>()
        + 32
}

impl Entries {
    /// Drop the oldest records until both rings fit their count and the text fits its bytes.
    fn trim(&mut self) {
        while self.lines.len() > JOURNAL_LEN {
            self.drop_line();
        }
        while self.kubectl.len() > JOURNAL_LEN {
            self.drop_kubectl();
        }
        while self.bytes > JOURNAL_BYTES && (self.lines.len() > 1 || self.kubectl.len() > 1) {
            // The older front goes first.
            let line_first = match (self.lines.front(), self.kubectl.front()) {
                (Some(l), Some(k)) => l.at <= k.at && self.lines.len() > 1 || self.kubectl.len() <= 1,
                (Some(_), None) => true,
                _ => false,
            };
            if line_first {
                self.drop_line();
            } else {
                self.drop_kubectl();
            }
        }
    }

    fn drop_line(&mut self) {
        if let Some(l) = self.lines.pop_front() {
            self.bytes = self.bytes.saturating_sub(line_cost(&l));
            self.lines_dropped += 1;
        }
    }

    fn drop_kubectl(&mut self) {
        if let Some(k) = self.kubectl.pop_front() {
            self.bytes = self.bytes.saturating_sub(kubectl_cost(&k));
            self.kubectl_dropped += 1;
        }
    }
}

/// The journal: a cheap-clone handle shared by a session and its subshells.
#[derive(Debug, Clone, Default)]
pub struct Journal(Arc<Mutex<Entries>>);

/// A point in the journal, to forget what came after it (a lesson's setup lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    lines: usize,
    kubectl: usize,
}

/// Which kubectl record [`Journal::finish`] completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KubectlId(usize);

/// Lines and kubectl invocations from some moment on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub lines: Vec<LineRecord>,
    pub kubectl: Vec<KubectlRecord>,
}

impl Journal {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn record_line(&self, text: &str) {
        let mut e = self.lock();
        let record = LineRecord {
            at: Instant::now(),
            text: text.to_string(),
        };
        e.bytes += line_cost(&record);
        e.lines.push_back(record);
        e.trim();
    }

    /// Note a kubectl invocation as it starts.
    pub fn start_kubectl(&self, argv: Vec<String>, objects: Vec<FileObject>) -> KubectlId {
        let mut e = self.lock();
        let record = KubectlRecord {
            at: Instant::now(),
            argv,
            objects,
            status: None,
        };
        e.bytes += kubectl_cost(&record);
        e.kubectl.push_back(record);
        let id = KubectlId(e.kubectl_dropped + e.kubectl.len() - 1);
        e.trim();
        id
    }

    /// Note how a kubectl invocation ended (nothing, if its record is gone from the ring).
    pub fn finish(&self, id: KubectlId, status: i32) {
        let mut e = self.lock();
        let Some(i) = id.0.checked_sub(e.kubectl_dropped) else {
            return;
        };
        if let Some(r) = e.kubectl.get_mut(i) {
            r.status = Some(status);
        }
    }

    pub fn mark(&self) -> Mark {
        let e = self.lock();
        Mark {
            lines: e.lines_dropped + e.lines.len(),
            kubectl: e.kubectl_dropped + e.kubectl.len(),
        }
    }

    /// Forget everything recorded after `mark`.
    pub fn truncate(&self, mark: Mark) {
        let mut e = self.lock();
        let keep_lines = mark.lines.saturating_sub(e.lines_dropped);
        while e.lines.len() > keep_lines {
            if let Some(l) = e.lines.pop_back() {
                e.bytes = e.bytes.saturating_sub(line_cost(&l));
            }
        }
        let keep_kubectl = mark.kubectl.saturating_sub(e.kubectl_dropped);
        while e.kubectl.len() > keep_kubectl {
            if let Some(k) = e.kubectl.pop_back() {
                e.bytes = e.bytes.saturating_sub(kubectl_cost(&k));
            }
        }
    }

    /// What was recorded at or after `since` (everything for `None`), oldest first.
    pub fn since(&self, since: Option<Instant>) -> Recorded {
        let e = self.lock();
        let keep = |at: Instant| since.is_none_or(|s| at >= s);
        Recorded {
            lines: e.lines.iter().filter(|l| keep(l.at)).cloned().collect(),
            kubectl: e.kubectl.iter().filter(|k| keep(k.at)).cloned().collect(),
        }
    }
}

/// The journal as it is saved with the workspace (see [`crate::shell::saved`]): the latest
/// [`SAVED_RECORDS`] of each kind, with their moments as Unix milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedJournal {
    #[serde(default)]
    pub lines: Vec<SavedLine>,
    #[serde(default)]
    pub kubectl: Vec<SavedKubectl>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedLine {
    pub at: u64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedKubectl {
    pub at: u64,
    pub argv: Vec<String>,
    #[serde(default)]
    pub objects: Vec<SavedFileObject>,
    pub status: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFileObject {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

fn latest<T>(v: &VecDeque<T>) -> impl Iterator<Item = &T> {
    v.iter().skip(v.len().saturating_sub(SAVED_RECORDS))
}

impl Journal {
    /// What a restart should bring back.
    pub fn export(&self) -> SavedJournal {
        let e = self.lock();
        SavedJournal {
            lines: latest(&e.lines)
                .map(|l| SavedLine {
                    at: to_unix_ms(l.at),
                    text: l.text.clone(),
                })
                .collect(),
            kubectl: latest(&e.kubectl)
                .map(|k| SavedKubectl {
                    at: to_unix_ms(k.at),
                    argv: k.argv.clone(),
                    objects: k
                        .objects
                        .iter()
                        .map(|o| SavedFileObject {
                            kind: KINDS
                                .iter()
                                .find(|i| i.kind == o.kind)
                                .map_or("", |i| i.name)
                                .to_string(),
                            namespace: o.namespace.clone(),
                            name: o.name.clone(),
                        })
                        .collect(),
                    status: k.status,
                })
                .collect(),
        }
    }

    /// Put a saved journal back in front of what this journal holds (a restored session, before
    /// its first command). Records whose moment or kind this process cannot place are left out.
    pub fn import(&self, saved: &SavedJournal) {
        let lines = saved.lines.iter().filter_map(|l| {
            Some(LineRecord {
                at: from_unix_ms(l.at)?,
                text: l.text.clone(),
            })
        });
        let kubectl = saved.kubectl.iter().filter_map(|k| {
            Some(KubectlRecord {
                at: from_unix_ms(k.at)?,
                argv: k.argv.clone(),
                objects: k
                    .objects
                    .iter()
                    .map(|o| {
                        Some(FileObject {
                            kind: KINDS.iter().find(|i| i.name == o.kind)?.kind,
                            namespace: o.namespace.clone(),
                            name: o.name.clone(),
                        })
                    })
                    .collect::<Option<Vec<_>>>()?,
                status: k.status,
            })
        });
        let lines: Vec<LineRecord> = lines.collect();
        let kubectl: Vec<KubectlRecord> = kubectl.collect();
        let mut e = self.lock();
        for l in lines.into_iter().rev() {
            e.bytes += line_cost(&l);
            e.lines.push_front(l);
        }
        for k in kubectl.into_iter().rev() {
            e.bytes += kubectl_cost(&k);
            e.kubectl.push_front(k);
        }
        e.trim();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_kept_in_order_and_setup_can_be_forgotten() {
        let j = Journal::default();
        j.record_line("kubectl apply -f setup.yaml");
        let id = j.start_kubectl(vec!["apply".into()], Vec::new());
        j.finish(id, 0);
        let before = j.mark();
        let since = Instant::now();
        j.record_line("kubectl get svc");
        let id = j.start_kubectl(vec!["get".into(), "svc".into()], Vec::new());
        let all = j.since(None);
        assert_eq!(all.lines.len(), 2);
        assert_eq!(all.kubectl[0].status, Some(0));
        assert_eq!(all.kubectl[1].status, None, "still running");
        j.finish(id, 1);
        let recent = j.since(Some(since));
        assert_eq!(recent.lines.len(), 1);
        assert_eq!(recent.kubectl[0].argv, ["get", "svc"]);
        assert_eq!(recent.kubectl[0].status, Some(1));
        j.truncate(before);
        assert_eq!(j.since(None).lines, all.lines[..1]);
        assert_eq!(j.since(None).kubectl.len(), 1);
        let shared = j.clone();
        shared.record_line("echo hi");
        assert_eq!(j.since(None).lines.len(), 2, "clones share one journal");
    }

    #[test]
    fn a_saved_journal_comes_back_with_its_moments_and_objects() {
        let j = Journal::default();
        j.record_line("kubectl apply -f web.yaml");
        let id = j.start_kubectl(
            vec!["apply".into(), "-f".into(), "web.yaml".into()],
            vec![FileObject {
                kind: Kind::Service,
                namespace: None,
                name: "web".into(),
            }],
        );
        j.finish(id, 0);
        let saved = j.export();
        let text = serde_json::to_string(&saved).unwrap();
        let back: SavedJournal = serde_json::from_str(&text).unwrap();
        let restored = Journal::default();
        restored.record_line("later");
        restored.import(&back);
        let all = restored.since(None);
        assert_eq!(
            all.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            ["kubectl apply -f web.yaml", "later"]
        );
        assert_eq!(all.kubectl.len(), 1);
        assert_eq!(all.kubectl[0].objects[0].kind, Kind::Service);
        assert_eq!(all.kubectl[0].status, Some(0));
        let age = Instant::now() - all.kubectl[0].at;
        assert!(age < std::time::Duration::from_secs(5), "{age:?}");
        for i in 0..SAVED_RECORDS + 10 {
            j.record_line(&format!("echo {i}"));
        }
        let saved = j.export();
        assert_eq!(saved.lines.len(), SAVED_RECORDS, "a saved journal is bounded");
        assert_eq!(saved.lines.last().unwrap().text, format!("echo {}", SAVED_RECORDS + 9));
    }

    #[test]
    fn the_journal_is_a_ring_and_its_ids_survive_the_turn() {
        let j = Journal::default();
        let first = j.start_kubectl(vec!["get".into()], Vec::new());
        let mark = j.mark();
        for i in 0..JOURNAL_LEN * 3 {
            j.record_line(&format!("echo {i}"));
            let id = j.start_kubectl(vec!["get".into(), format!("{i}")], Vec::new());
            j.finish(id, 0);
        }
        let all = j.since(None);
        assert_eq!(all.lines.len(), JOURNAL_LEN);
        assert_eq!(all.kubectl.len(), JOURNAL_LEN);
        assert_eq!(all.lines.last().unwrap().text, format!("echo {}", JOURNAL_LEN * 3 - 1));
        assert!(
            all.kubectl.iter().all(|k| k.status == Some(0)),
            "ids point at the right records"
        );
        j.finish(first, 7); // long gone: nothing happens
        let id = j.start_kubectl(vec!["logs".into()], Vec::new());
        j.finish(id, 3);
        assert_eq!(j.since(None).kubectl.last().unwrap().status, Some(3));
        // A mark from before the ring turned forgets everything after it.
        j.truncate(mark);
        assert!(j.since(None).lines.is_empty());
        assert!(j.since(None).kubectl.is_empty());
        // Bytes are bounded too: a few huge lines push the old ones out.
        let big = "x".repeat(JOURNAL_BYTES / 4);
        for _ in 0..10 {
            j.record_line(&big);
        }
        let kept: usize = j.since(None).lines.iter().map(|l| l.text.len()).sum();
        assert!(kept <= JOURNAL_BYTES, "{kept}");
        assert!(!j.since(None).lines.is_empty());
    }
}
