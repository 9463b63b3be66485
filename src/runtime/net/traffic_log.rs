//! What the data plane served lately, for whoever asks after the fact (lesson checks), and the
//! mark that keeps the lab's own probes apart from the learner's requests.
//!
//! The broadcast channel of [`super::Net::traffic`] is for live views: a receiver sees only
//! what happens after it subscribed, and a slow one loses events. A check asks a different
//! question — "was such a request served since the step began?" — so every event is also kept
//! in a small ring, with the moment it happened. The ring is bounded: the lab can serve a
//! million requests (the soak test) without growing, and a check only ever looks at the last
//! few minutes of a learner's work.
//!
//! A *probe* is a request the lab sends on its own (an `http` check). Its connections carry
//! the mark through every hop — kube-proxy, the pod that answers, and whatever that pod asks in
//! turn (the frontend's nginx asking `hello`) — so the traffic view and traffic checks can
//! leave all of it out. The mark travels the way the caller's name does (the hop table), and
//! code that starts a probe runs it inside [`probing`].

use std::collections::VecDeque;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::TrafficEvent;
use crate::runtime::moments::{from_unix_ms, to_unix_ms};

/// How many of the learner's requests a saved cluster keeps (the lab's probes are never
/// saved): enough for any step's "send N requests", small enough that a save stays cheap.
pub const SAVED_TRAFFIC: usize = 256;

/// A learner's request as it is saved with the cluster (see [`crate::runtime::persist`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTraffic {
    /// Unix milliseconds.
    pub at: u64,
    pub from: String,
    pub service: Option<String>,
    pub pod: Option<String>,
    pub bytes: u64,
    pub status: Option<u16>,
    pub latency_us: u64,
    pub summary: String,
    pub dialled: Option<std::net::SocketAddrV4>,
}

/// How many events the ring keeps.
pub const TRAFFIC_LOG_LEN: usize = 4096;

/// One event with the moment it was emitted.
#[derive(Debug, Clone, PartialEq)]
pub struct TrafficRecord {
    pub at: Instant,
    pub event: TrafficEvent,
}

/// The bounded ring of recent traffic.
#[derive(Debug, Default)]
pub struct TrafficLog {
    ring: Mutex<VecDeque<TrafficRecord>>,
}

impl TrafficLog {
    pub fn push(&self, event: TrafficEvent) {
        let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        if ring.len() >= TRAFFIC_LOG_LEN {
            ring.pop_front();
        }
        ring.push_back(TrafficRecord {
            at: Instant::now(),
            event,
        });
    }

    /// Every kept event emitted at or after `since` (all of them for `None`), oldest first.
    pub fn since(&self, since: Option<Instant>) -> Vec<TrafficRecord> {
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        ring.iter()
            .filter(|r| since.is_none_or(|s| r.at >= s))
            .cloned()
            .collect()
    }
}

impl TrafficLog {
    /// The latest learner's requests, to save.
    pub fn export(&self) -> Vec<SavedTraffic> {
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<SavedTraffic> = ring
            .iter()
            .rev()
            .filter(|r| !r.event.probe)
            .take(SAVED_TRAFFIC)
            .map(|r| {
                let e = &r.event;
                SavedTraffic {
                    at: to_unix_ms(r.at),
                    from: e.from.clone(),
                    service: e.service.clone(),
                    pod: e.pod.clone(),
                    bytes: e.bytes,
                    status: e.status,
                    latency_us: e.latency.as_micros() as u64,
                    summary: e.summary.clone(),
                    dialled: e.dialled,
                }
            })
            .collect();
        out.reverse();
        out
    }

    /// Put saved requests back in front of the ring (a restored cluster, before it serves
    /// anything). Requests this process's clock cannot place are left out.
    pub fn import(&self, saved: &[SavedTraffic]) {
        let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let old: Vec<TrafficRecord> = saved
            .iter()
            .filter_map(|t| {
                Some(TrafficRecord {
                    at: from_unix_ms(t.at)?,
                    event: TrafficEvent {
                        from: t.from.clone(),
                        service: t.service.clone(),
                        pod: t.pod.clone(),
                        bytes: t.bytes,
                        status: t.status,
                        latency: Duration::from_micros(t.latency_us),
                        summary: t.summary.clone(),
                        dialled: t.dialled,
                        probe: false,
                    },
                })
            })
            .collect();
        for r in old.into_iter().rev() {
            if ring.len() >= TRAFFIC_LOG_LEN {
                break;
            }
            ring.push_front(r);
        }
    }
}

tokio::task_local! {
    static PROBE: bool;
}

/// Run `fut` as a probe: every connection and datagram it opens is marked, and so is every
/// traffic event that follows from it.
pub async fn probing<F: Future>(fut: F) -> F::Output {
    PROBE.scope(true, fut).await
}

/// Run `fut` as a probe when `probe` is set (a server answering a probe), else as it is.
pub async fn probing_if<F: Future>(probe: bool, fut: F) -> F::Output {
    if probe {
        PROBE.scope(true, fut).await
    } else {
        fut.await
    }
}

/// True inside [`probing`].
pub fn is_probing() -> bool {
    PROBE.try_with(|p| *p).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(summary: &str) -> TrafficEvent {
        TrafficEvent {
            from: "host".into(),
            service: None,
            pod: None,
            bytes: 0,
            status: None,
            latency: std::time::Duration::ZERO,
            summary: summary.into(),
            dialled: None,
            probe: false,
        }
    }

    #[test]
    fn the_ring_keeps_the_newest_and_filters_by_time() {
        let log = TrafficLog::default();
        for i in 0..TRAFFIC_LOG_LEN + 10 {
            log.push(ev(&i.to_string()));
        }
        let all = log.since(None);
        assert_eq!(all.len(), TRAFFIC_LOG_LEN);
        assert_eq!(all[0].event.summary, "10");
        let mark = Instant::now();
        log.push(ev("after"));
        let later = log.since(Some(mark));
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].event.summary, "after");
    }

    #[tokio::test]
    async fn probing_is_scoped() {
        assert!(!is_probing());
        assert!(probing(async { is_probing() }).await);
        assert!(!probing_if(false, async { is_probing() }).await);
        assert!(!is_probing());
    }
}
