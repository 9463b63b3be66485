//! The lesson's checks run in their own task, so a slow check (an HTTP request that waits for
//! its timeout) never stalls the screen or the keyboard.
//!
//! The actor owns the [`LessonSource`]. The event loop sends it requests — re-check (after a
//! store change or a finished command), next step, previous step — and reads the latest
//! [`LessonView`] from a `watch` channel, which keeps only the newest value: views the loop had
//! no time to show are simply skipped.
//!
//! Scheduling rules:
//! - re-check requests that arrive while checks run are merged into one more run afterwards (a
//!   busy cluster cannot starve a check by restarting it forever);
//! - moving to another step abandons the running checks (they are about the old step) and
//!   checks the new step; opening a hint interrupts them too, and they run again.

use futures::future::BoxFuture;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::runtime::Cluster;

use super::{Lang, LessonSource, LessonView};

/// What the event loop asks of the lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonRequest {
    /// Re-run the checks; `history` is every command line run so far.
    Check {
        history: Vec<String>,
    },
    NextStep,
    PrevStep,
    RevealHint,
}

/// The loop's side of the lesson actor.
pub struct LessonHandle {
    requests: mpsc::UnboundedSender<LessonRequest>,
    /// The newest view.
    pub views: watch::Receiver<LessonView>,
    task: JoinHandle<()>,
}

impl LessonHandle {
    pub fn send(&self, request: LessonRequest) {
        let _ = self.requests.send(request);
    }

    /// Stop the actor (running checks are dropped).
    pub fn shutdown(self) {}
}

impl Drop for LessonHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Start the actor. The first view is available at once; the checks run once at start.
pub fn spawn_lesson(mut source: Box<dyn LessonSource>, cluster: Cluster, lang: Lang) -> LessonHandle {
    let (views_tx, views) = watch::channel(source.view(lang));
    let (requests, mut rx) = mpsc::unbounded_channel::<LessonRequest>();
    let task = tokio::spawn(async move {
        let mut history: Vec<String> = Vec::new();
        let mut want_check = true;
        loop {
            let mut navigate = None;
            if want_check {
                want_check = false;
                let snapshot = history.clone();
                let mut changed = false;
                {
                    let mut checks: BoxFuture<'_, bool> = source.refresh(&cluster, &snapshot);
                    loop {
                        tokio::select! {
                            c = &mut checks => {
                                changed = c;
                                break;
                            }
                            request = rx.recv() => match request {
                                None => return,
                                Some(LessonRequest::Check { history: h }) => {
                                    history = h;
                                    want_check = true;
                                }
                                Some(nav) => {
                                    navigate = Some(nav);
                                    break;
                                }
                            },
                        }
                    }
                }
                if changed {
                    views_tx.send_replace(source.view(lang));
                }
                if navigate.is_some() {
                    // The checks were interrupted: whatever happens next, run them again.
                    want_check = true;
                }
            } else {
                match rx.recv().await {
                    None => return,
                    Some(LessonRequest::Check { history: h }) => {
                        history = h;
                        want_check = true;
                    }
                    Some(nav) => navigate = Some(nav),
                }
            }
            let (changed, moved) = match navigate {
                Some(LessonRequest::NextStep) => (source.next_step(), true),
                Some(LessonRequest::PrevStep) => (source.prev_step(), true),
                Some(LessonRequest::RevealHint) => (source.reveal_hint(), false),
                _ => (false, false),
            };
            if changed {
                views_tx.send_replace(source.view(lang));
                want_check |= moved;
            }
        }
    });
    LessonHandle { requests, views, task }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::runtime::ClusterConfig;
    use crate::ui::{StaticLesson, StepView};

    /// Checks take `delay`; each completed run marks the current step done and counts.
    struct Slow {
        inner: StaticLesson,
        delay: Duration,
        runs: Arc<AtomicUsize>,
        started: Arc<AtomicUsize>,
    }

    impl LessonSource for Slow {
        fn view(&self, lang: Lang) -> LessonView {
            self.inner.view(lang)
        }
        fn refresh<'a>(&'a mut self, _cluster: &'a Cluster, history: &'a [String]) -> BoxFuture<'a, bool> {
            Box::pin(async move {
                self.started.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(self.delay).await;
                self.runs.fetch_add(1, Ordering::SeqCst);
                let cur = self.inner.view.current;
                let done = !history.is_empty();
                let step = &mut self.inner.view.steps[cur];
                let changed = step.done != done;
                step.done = done;
                changed
            })
        }
        fn next_step(&mut self) -> bool {
            self.inner.next_step()
        }
        fn prev_step(&mut self) -> bool {
            self.inner.prev_step()
        }
        fn reveal_hint(&mut self) -> bool {
            let cur = self.inner.view.current;
            self.inner.view.steps[cur].hints_shown += 1;
            true
        }
    }

    fn slow(delay: Duration) -> (Slow, Arc<AtomicUsize>, Arc<AtomicUsize>) {
        let runs = Arc::new(AtomicUsize::new(0));
        let started = Arc::new(AtomicUsize::new(0));
        let view = LessonView {
            title: "t".into(),
            steps: vec![StepView::default(), StepView::default()],
            current: 0,
            ..Default::default()
        };
        let s = Slow {
            inner: StaticLesson { view },
            delay,
            runs: runs.clone(),
            started: started.clone(),
        };
        (s, runs, started)
    }

    #[tokio::test(start_paused = true)]
    async fn checks_run_off_the_loop_and_publish_the_new_view() {
        let cluster = Cluster::start(ClusterConfig::default()).await.unwrap();
        let (s, runs, _) = slow(Duration::from_secs(5));
        let mut h = spawn_lesson(Box::new(s), cluster, Lang::Ko);
        assert!(!h.views.borrow().steps[0].done, "the first view is there at once");
        h.send(LessonRequest::Check {
            history: vec!["kubectl get svc".into()],
        });
        h.views.changed().await.unwrap();
        assert!(h.views.borrow_and_update().steps[0].done);
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "the start-up run, then one with the history"
        );
        h.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn a_stream_of_check_requests_does_not_starve_a_slow_check() {
        let cluster = Cluster::start(ClusterConfig::default()).await.unwrap();
        let (s, runs, started) = slow(Duration::from_secs(5));
        let h = spawn_lesson(Box::new(s), cluster, Lang::Ko);
        for _ in 0..120 {
            h.send(LessonRequest::Check {
                history: vec!["x".into()],
            });
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // 12 s of requests every 100 ms: 5 s runs complete back to back, merged.
        assert!(runs.load(Ordering::SeqCst) >= 2, "runs: {runs:?}");
        assert!(
            started.load(Ordering::SeqCst) <= 3,
            "merged, not one per request: {started:?}"
        );
        h.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn an_opened_hint_is_remembered_and_the_checks_rerun() {
        let cluster = Cluster::start(ClusterConfig::default()).await.unwrap();
        let (s, runs, started) = slow(Duration::from_secs(5));
        let mut h = spawn_lesson(Box::new(s), cluster, Lang::Ko);
        tokio::time::sleep(Duration::from_secs(1)).await;
        h.send(LessonRequest::RevealHint);
        h.views.changed().await.unwrap();
        assert_eq!(h.views.borrow_and_update().steps[0].hints_shown, 1);
        tokio::time::sleep(Duration::from_secs(10)).await;
        assert_eq!(
            (started.load(Ordering::SeqCst), runs.load(Ordering::SeqCst)),
            (2, 1),
            "interrupted, then run again"
        );
        h.shutdown();
    }

    #[tokio::test(start_paused = true)]
    async fn next_step_does_not_wait_for_running_checks() {
        let cluster = Cluster::start(ClusterConfig::default()).await.unwrap();
        let (s, _, _) = slow(Duration::from_secs(60));
        let mut h = spawn_lesson(Box::new(s), cluster, Lang::Ko);
        tokio::time::sleep(Duration::from_millis(10)).await;
        h.send(LessonRequest::NextStep);
        let moved = tokio::time::timeout(Duration::from_secs(1), h.views.changed()).await;
        assert!(moved.is_ok(), "the step changed while a 60 s check was running");
        assert_eq!(h.views.borrow().current, 1);
        h.shutdown();
    }
}
