//! `WATCH`: a stream of changes to one kind, filtered like a list, starting where the client
//! says — as the API server's watch cache serves it.
//!
//! - `resourceVersion` unset or `"0"`: the current objects first, as synthetic `ADDED` events,
//!   then every change after them (what `kubectl get -w` sees).
//! - `resourceVersion` N: the changes after N, replayed from the store's window of recent
//!   changes ([`WATCH_HISTORY`](crate::runtime::store::WATCH_HISTORY)); older than the window is
//!   an `ERROR` event with 410 `Expired` (`too old resource version: N (M)`), and the client
//!   lists again.
//! - A filtered watch sees an object enter as `ADDED` and leave as `DELETED` when a change
//!   makes it match or stop matching, as the watch cache does.
//! - With `allowWatchBookmarks`, a `BOOKMARK` with the latest resourceVersion comes each lab
//!   minute; with `sendInitialEvents`, one marked `k8s.io/initial-events-end` follows the
//!   initial state.
//! - A watcher that falls too far behind the stream is ended with 410, like the watch cache
//!   closes a slow watcher; it starts again from its last resourceVersion.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;

use super::read::{parse_resource_version, Filter, ListOptions};
use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::{EventType, WatchEvent};
use crate::runtime::Cluster;

/// How often (lab time) a watch that allows bookmarks gets one.
pub const BOOKMARK_EVERY: Duration = Duration::from_secs(60);

/// The query of a watch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchOptions {
    /// Namespace, selectors and the resourceVersion to start from.
    pub list: ListOptions,
    /// `allowWatchBookmarks=true`.
    pub allow_bookmarks: bool,
    /// `sendInitialEvents=true`: the initial state ends with a bookmark that says so.
    pub send_initial_events: bool,
}

/// One event of a watch stream.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchItem {
    Added(Arc<Object>),
    Modified(Arc<Object>),
    Deleted(Arc<Object>),
    /// Nothing changed for this watch up to `resource_version`.
    Bookmark {
        resource_version: u64,
        /// The bookmark after the initial state of a `sendInitialEvents` watch.
        initial_events_end: bool,
    },
    /// The stream ends with this error (410 Expired when the start is too old).
    Error(ApiError),
}

impl WatchItem {
    /// The event's `type` on the wire.
    pub fn type_name(&self) -> &'static str {
        match self {
            WatchItem::Added(_) => "ADDED",
            WatchItem::Modified(_) => "MODIFIED",
            WatchItem::Deleted(_) => "DELETED",
            WatchItem::Bookmark { .. } => "BOOKMARK",
            WatchItem::Error(_) => "ERROR",
        }
    }

    /// The object the event carries (none for bookmarks and errors).
    pub fn object(&self) -> Option<&Arc<Object>> {
        match self {
            WatchItem::Added(o) | WatchItem::Modified(o) | WatchItem::Deleted(o) => Some(o),
            _ => None,
        }
    }
}

/// An open watch; [`Watch::next`] gives its events in resourceVersion order.
pub struct Watch {
    kind: Kind,
    filter: Filter,
    queue: VecDeque<WatchItem>,
    rx: broadcast::Receiver<WatchEvent>,
    /// The resourceVersion of the last change this watch has passed.
    rv: u64,
    bookmarks: bool,
    cluster: Cluster,
    ended: bool,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("kind", &self.kind)
            .field("rv", &self.rv)
            .finish_non_exhaustive()
    }
}

impl Cluster {
    /// Open a watch on `kind`. Bad selectors are refused here, before any event.
    pub fn watch_objects(&self, kind: Kind, options: &WatchOptions) -> Result<Watch, ApiError> {
        let l = &options.list;
        let filter = Filter::new(kind, l.namespace.as_deref(), &l.label_selector, &l.field_selector)?;
        let mut queue = VecDeque::new();
        let (rx, rv) = match parse_resource_version(&l.resource_version)? {
            None => {
                let (items, rv, rx) = self.store().list_and_watch(kind, filter.namespace.as_deref());
                queue.extend(items.into_iter().filter(|o| filter.matches(o)).map(WatchItem::Added));
                if options.send_initial_events && options.allow_bookmarks {
                    queue.push_back(WatchItem::Bookmark {
                        resource_version: rv,
                        initial_events_end: true,
                    });
                }
                (rx, rv)
            }
            Some(from) => match self.store().watch_since(from) {
                Ok((past, rx)) => {
                    let mut rv = from;
                    for ev in past {
                        rv = ev.rv;
                        queue.extend(translate(kind, &filter, &ev));
                    }
                    (rx, rv)
                }
                Err(oldest) => {
                    queue.push_back(WatchItem::Error(ApiError::Expired(format!(
                        "too old resource version: {from} ({oldest})"
                    ))));
                    let mut w = self.watch_parts(kind, filter, queue, self.store().watch(), from, false);
                    w.ended = true;
                    return Ok(w);
                }
            },
        };
        Ok(self.watch_parts(kind, filter, queue, rx, rv, options.allow_bookmarks))
    }

    fn watch_parts(
        &self,
        kind: Kind,
        filter: Filter,
        queue: VecDeque<WatchItem>,
        rx: broadcast::Receiver<WatchEvent>,
        rv: u64,
        bookmarks: bool,
    ) -> Watch {
        Watch {
            kind,
            filter,
            queue,
            rx,
            rv,
            bookmarks,
            cluster: self.clone(),
            ended: false,
        }
    }
}

/// What one store change means to a watch on `kind` with `filter`.
fn translate(kind: Kind, filter: &Filter, ev: &WatchEvent) -> Option<WatchItem> {
    if ev.object.kind() != kind {
        return None;
    }
    let now = filter.matches(&ev.object);
    match ev.event {
        EventType::Added => now.then(|| WatchItem::Added(ev.object.clone())),
        EventType::Deleted => now.then(|| WatchItem::Deleted(ev.object.clone())),
        EventType::Modified => {
            let before = ev.old.as_deref().is_some_and(|o| filter.matches(o));
            match (before, now) {
                (true, true) => Some(WatchItem::Modified(ev.object.clone())),
                (false, true) => Some(WatchItem::Added(ev.object.clone())),
                (true, false) => Some(WatchItem::Deleted(ev.object.clone())),
                (false, false) => None,
            }
        }
    }
}

impl Watch {
    /// The next event; `None` once the stream has ended (after an `Error`, or when the
    /// cluster shuts down).
    pub async fn next(&mut self) -> Option<WatchItem> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            if self.ended {
                return None;
            }
            let got = if self.bookmarks {
                let clock = self.cluster.clock().clone();
                tokio::select! {
                    r = self.rx.recv() => r,
                    _ = clock.sleep(BOOKMARK_EVERY) => {
                        return Some(WatchItem::Bookmark { resource_version: self.rv, initial_events_end: false });
                    }
                }
            } else {
                self.rx.recv().await
            };
            match got {
                Ok(ev) => {
                    self.rv = ev.rv;
                    if let Some(item) = translate(self.kind, &self.filter, &ev) {
                        return Some(item);
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    self.ended = true;
                    let oldest = self.cluster.store().watch_since(self.rv).err().unwrap_or(self.rv);
                    return Some(WatchItem::Error(ApiError::Expired(format!(
                        "too old resource version: {} ({oldest})",
                        self.rv
                    ))));
                }
                Err(broadcast::error::RecvError::Closed) => {
                    self.ended = true;
                    return None;
                }
            }
        }
    }

    /// The resourceVersion of the last change this watch has passed (where to start again).
    pub fn resource_version(&self) -> u64 {
        self.rv
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::ClusterConfig;
    use k8s_openapi::api::core::v1::ConfigMap;

    fn cm(name: &str, labels: &[(&str, &str)]) -> Object {
        let mut c = ConfigMap::default();
        c.metadata.name = Some(name.into());
        c.metadata.namespace = Some("default".into());
        c.metadata.labels = Some(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        Object::ConfigMap(c)
    }

    fn names(items: &[WatchItem]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i.object() {
                Some(o) => format!("{} {}", i.type_name(), o.name()),
                None => i.type_name().to_string(),
            })
            .collect()
    }

    async fn take(w: &mut Watch, n: usize) -> Vec<WatchItem> {
        let mut out = Vec::new();
        for _ in 0..n {
            out.push(w.next().await.unwrap());
        }
        out
    }

    #[tokio::test(start_paused = true)]
    async fn a_watch_without_a_version_starts_with_the_current_objects() {
        let c = Cluster::start(ClusterConfig::default()).await.unwrap();
        c.create(cm("a", &[("app", "x")])).unwrap();
        let opts = WatchOptions {
            list: ListOptions::in_namespace(Some("default")).labels("app=x"),
            ..Default::default()
        };
        let mut w = c.watch_objects(Kind::ConfigMap, &opts).unwrap();
        c.create(cm("b", &[("app", "x")])).unwrap();
        c.create(cm("other", &[("app", "y")])).unwrap();
        // `a` leaves the selection by a label change: the watch sees it deleted.
        c.update(cm("a", &[("app", "y")])).unwrap();
        assert_eq!(names(&take(&mut w, 3).await), ["ADDED a", "ADDED b", "DELETED a"]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_watch_from_a_version_replays_what_came_after_it() {
        let c = Cluster::start(ClusterConfig::default()).await.unwrap();
        let from = c.create(cm("a", &[])).unwrap();
        let rv = from.meta().resource_version.clone().unwrap();
        c.update(cm("a", &[("v", "2")])).unwrap();
        c.delete(Kind::ConfigMap, "default", "a").unwrap();
        let opts = WatchOptions {
            list: ListOptions {
                namespace: Some("default".into()),
                field_selector: "metadata.name=a".into(),
                resource_version: rv,
                ..Default::default()
            },
            ..Default::default()
        };
        let mut w = c.watch_objects(Kind::ConfigMap, &opts).unwrap();
        assert_eq!(names(&take(&mut w, 2).await), ["MODIFIED a", "DELETED a"]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_version_older_than_the_window_is_gone() {
        let c = Cluster::start(ClusterConfig::default()).await.unwrap();
        let first = c.create(cm("first", &[])).unwrap();
        let rv: u64 = first.meta().resource_version.as_deref().unwrap().parse().unwrap();
        for i in 0..crate::runtime::store::WATCH_HISTORY + 10 {
            c.create(cm(&format!("cm-{i}"), &[])).unwrap();
        }
        let opts = WatchOptions {
            list: ListOptions {
                resource_version: rv.to_string(),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut w = c.watch_objects(Kind::ConfigMap, &opts).unwrap();
        match w.next().await {
            Some(WatchItem::Error(e)) => {
                assert_eq!(e.code(), 410);
                assert!(
                    e.to_string().starts_with(&format!("too old resource version: {rv} (")),
                    "{e}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(w.next().await.is_none(), "the stream ends after its error");
    }

    #[tokio::test(start_paused = true)]
    async fn bookmarks_mark_the_end_of_the_initial_state_and_then_each_minute() {
        let c = Cluster::start(ClusterConfig::default()).await.unwrap();
        c.create(cm("a", &[])).unwrap();
        let opts = WatchOptions {
            list: ListOptions::in_namespace(Some("default")).fields("metadata.name=a"),
            allow_bookmarks: true,
            send_initial_events: true,
        };
        let mut w = c.watch_objects(Kind::ConfigMap, &opts).unwrap();
        let rv = c.resource_version();
        let first = take(&mut w, 2).await;
        assert_eq!(names(&first), ["ADDED a", "BOOKMARK"]);
        assert_eq!(
            first[1],
            WatchItem::Bookmark {
                resource_version: rv,
                initial_events_end: true
            }
        );
        let started = tokio::time::Instant::now();
        match w.next().await {
            Some(WatchItem::Bookmark {
                initial_events_end: false,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() >= c.clock().to_real(BOOKMARK_EVERY));
    }
}
