//! The traffic view's model: what the data plane's [`TrafficEvent`]s add up to, as a plain
//! struct the pane draws from (and tests check without a terminal).
//!
//! Two kinds of event arrive (see `runtime::net`):
//! - a pod's HTTP server reports each request it answered: `pod` is `ns/name`, `status` is set,
//!   and `from` says who sent it and, when it came through a Service, which one:
//!   `pod/frontend-… via default/hello:80`, `host via default/frontend:80`, or just `host` for a
//!   request straight to the pod's IP;
//! - kube-proxy reports each connection it proxied (`connection`, `pod` without namespace) or
//!   refused (`connection refused: no endpoints`).
//!
//! Requests are counted from the pods' reports, which carry the status and the Service, so a
//! proxied HTTP request is counted once. Refused connections can only come from kube-proxy:
//! they are counted on their Service. kube-proxy's `connection` record (sent when the
//! connection closes, after the pod's report) is used to check the pod's word: a pod can report
//! a proxied request without its hop (its server accepted the connection before kube-proxy noted
//! where it came from), and then the request is moved from "direct" to the Service kube-proxy
//! says it went through.
//!
//! The result is grouped the way a learner reads a request's path: per Service (the hop), the
//! sources that sent to it and the pods that answered, with counts, plus a ring of the last
//! [`RECENT`] requests. A pod that is a source of one hop and a backend of another links the two
//! (lesson 5: host → frontend → frontend pod, then frontend pod → hello → backend pods); [`hops`]
//! orders Services so that a hop comes after the hop that feeds it.
//!
//! Time enters as arguments (`now` for highlights, `clock` for the time shown), as in
//! [`super::app`].

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use crate::runtime::net::TrafficEvent;

/// Requests kept in the "last requests" list.
pub const RECENT: usize = 20;
/// Most hops (Services) the pane keeps, and most pods and senders per hop. Pods come and go
/// (a Deployment scaled up and down makes new names each time): the ones that answered longest
/// ago make room, so the model stays bounded over a day of traffic.
pub const MAX_FLOWS: usize = 64;
pub const MAX_FLOW_ENTRIES: usize = 64;
/// How long a new request (and the count it changed) stays highlighted.
pub const FLASH: Duration = super::app::HIGHLIGHT;
/// The summary kube-proxy gives a connection refused for lack of endpoints.
const REFUSED: &str = "connection refused: no endpoints";
/// The summary kube-proxy gives a connection it proxied.
const CONNECTION: &str = "connection";

/// One request (or refused connection) in the "last requests" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Wall-clock time it was seen, `HH:MM:SS`.
    pub time: String,
    /// Who sent it: `host`, `pod/frontend-…`, `node/…`.
    pub from: String,
    /// The Service it went through (`default/hello:80`), if any.
    pub service: Option<String>,
    /// The pod that answered (`backend-…`, without namespace), if any.
    pub pod: Option<String>,
    /// HTTP status; `None` for a refused connection.
    pub status: Option<u16>,
    pub latency: Duration,
    /// `GET /` or `connection refused: no endpoints`.
    pub summary: String,
    /// Highlighted until then (a new request).
    pub flash: Option<Instant>,
}

impl Request {
    pub fn refused(&self) -> bool {
        self.summary == REFUSED
    }
}

/// A counter that lights up when it moves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Count {
    pub n: u64,
    pub flash: Option<Instant>,
}

impl Count {
    fn bump(&mut self, now: Instant) {
        self.n += 1;
        self.flash = Some(now + FLASH);
    }
}

/// One hop: a Service (or, under the empty key, pods reached directly) with who sent to it and
/// which pods answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flow {
    /// Sender → requests sent.
    pub sources: BTreeMap<String, u64>,
    /// Pod name (without namespace) → requests answered.
    pub pods: BTreeMap<String, Count>,
    /// Connections refused because the Service had no endpoints.
    pub refused: Count,
}

impl Flow {
    pub fn total(&self) -> u64 {
        self.pods.values().map(|c| c.n).sum::<u64>() + self.refused.n
    }
}

/// Everything the traffic pane shows.
#[derive(Debug, Clone, Default)]
pub struct TrafficModel {
    /// Service label (`default/hello:80`, or `""` for requests straight to a pod) → its hop.
    pub flows: BTreeMap<String, Flow>,
    /// The last [`RECENT`] requests, newest first.
    pub recent: VecDeque<Request>,
    /// Requests and refusals counted so far.
    pub total: u64,
    /// Events dropped because the UI fell behind (the broadcast channel lagged).
    pub missed: u64,
    /// (Service, pod) → requests the pod reported with that hop whose kube-proxy connection
    /// record has not arrived yet.
    pending: BTreeMap<(String, String), u64>,
}

/// Split a server's `from` into the sender and the Service it came through:
/// `pod/frontend-x via default/hello:80` → (`pod/frontend-x`, `Some("default/hello:80")`).
pub fn split_from(from: &str) -> (&str, Option<&str>) {
    match from.split_once(" via ") {
        Some((who, svc)) => (who, Some(svc)),
        None => (from, None),
    }
}

/// `ns/name` → `name`.
fn pod_name(pod: &str) -> &str {
    pod.rsplit_once('/').map_or(pod, |(_, n)| n)
}

impl TrafficModel {
    /// Take one event. Returns true if the model changed (an event it counts or lists).
    pub fn record(&mut self, ev: &TrafficEvent, now: Instant, clock: &str) -> bool {
        // The lab's own probes (lesson checks) are not the learner's traffic.
        if ev.probe {
            return false;
        }
        let (from, service, pod) = match (&ev.service, ev.status) {
            // A pod's HTTP server: the request as it arrived (only servers report a status).
            (_, Some(_)) => {
                let (who, svc) = split_from(&ev.from);
                let pod = ev.pod.as_deref().map(pod_name).map(str::to_string);
                let svc = ev.service.as_deref().or(svc);
                (who.to_string(), svc.map(str::to_string), pod)
            }
            // kube-proxy refusing a connection: only it knows.
            (Some(svc), None) if ev.summary == REFUSED => (ev.from.clone(), Some(svc.clone()), None),
            // kube-proxy's record of a proxied connection: the pod reports its requests itself.
            (Some(svc), None) if ev.summary == CONNECTION => {
                return match &ev.pod {
                    Some(pod) => self.proxied(svc, pod, &ev.from, now),
                    None => false,
                }
            }
            _ => return false,
        };
        if let (Some(svc), Some(pod)) = (&service, &pod) {
            *self.pending.entry((svc.clone(), pod.clone())).or_default() += 1;
        }
        let flow = self.flows.entry(service.clone().unwrap_or_default()).or_default();
        *flow.sources.entry(from.clone()).or_default() += 1;
        match &pod {
            Some(p) => flow.pods.entry(p.clone()).or_default().bump(now),
            None => flow.refused.bump(now),
        }
        self.total += 1;
        self.recent.push_front(Request {
            time: clock.to_string(),
            from,
            service,
            pod,
            status: ev.status,
            latency: ev.latency,
            summary: ev.summary.clone(),
            flash: Some(now + FLASH),
        });
        self.recent.truncate(RECENT);
        self.trim();
        true
    }

    /// Keep within [`MAX_FLOWS`] and [`MAX_FLOW_ENTRIES`]: drop the pods that answered longest
    /// ago, the senders that sent least, and the hops quiet the longest.
    fn trim(&mut self) {
        for flow in self.flows.values_mut() {
            while flow.pods.len() > MAX_FLOW_ENTRIES {
                let oldest = flow.pods.iter().min_by_key(|(_, c)| c.flash).map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    flow.pods.remove(&k);
                }
            }
            while flow.sources.len() > MAX_FLOW_ENTRIES {
                let least = flow.sources.iter().min_by_key(|(_, n)| **n).map(|(k, _)| k.clone());
                if let Some(k) = least {
                    flow.sources.remove(&k);
                }
            }
        }
        while self.flows.len() > MAX_FLOWS {
            let quiet = self
                .flows
                .iter()
                .min_by_key(|(_, f)| f.pods.values().filter_map(|c| c.flash).max().max(f.refused.flash))
                .map(|(k, _)| k.clone());
            if let Some(k) = quiet {
                self.flows.remove(&k);
            }
        }
        let flows = &self.flows;
        self.pending
            .retain(|(svc, pod), n| *n > 0 && flows.get(svc).is_some_and(|f| f.pods.contains_key(pod)));
    }

    /// kube-proxy proxied a connection from `from` through `svc` to `pod`. If the pod reported
    /// a request with that hop, this is its connection: nothing new. Otherwise the pod's last
    /// request without a hop came through `svc`: move it there. True if the model changed.
    fn proxied(&mut self, svc: &str, pod: &str, from: &str, now: Instant) -> bool {
        let key = (svc.to_string(), pod.to_string());
        if let Some(n) = self.pending.get_mut(&key).filter(|n| **n > 0) {
            *n -= 1;
            return false;
        }
        let Some(direct) = self.flows.get_mut("") else {
            return false;
        };
        let Some(count) = direct.pods.get_mut(pod).filter(|c| c.n > 0) else {
            return false;
        };
        count.n -= 1;
        if count.n == 0 {
            direct.pods.remove(pod);
        }
        let entry = self
            .recent
            .iter_mut()
            .find(|r| r.service.is_none() && r.pod.as_deref() == Some(pod));
        let sender = entry.as_ref().map_or(from.to_string(), |r| r.from.clone());
        if let Some(r) = entry {
            r.service = Some(svc.to_string());
            r.flash = Some(now + FLASH);
        }
        if let Some(n) = direct.sources.get_mut(&sender) {
            *n -= 1;
            if *n == 0 {
                direct.sources.remove(&sender);
            }
        }
        if direct.pods.is_empty() && direct.refused.n == 0 {
            self.flows.remove("");
        }
        let flow = self.flows.entry(svc.to_string()).or_default();
        *flow.sources.entry(sender).or_default() += 1;
        flow.pods.entry(pod.to_string()).or_default().bump(now);
        self.trim();
        true
    }

    /// The broadcast channel dropped `n` events.
    pub fn lagged(&mut self, n: u64) {
        self.missed += n;
    }

    /// The Services in the order a request travels them: a hop whose senders are all pods
    /// answering another hop comes after that hop; otherwise by name. Direct requests (`""`)
    /// come last.
    pub fn hops(&self) -> Vec<(&str, &Flow)> {
        let mut depth: BTreeMap<&str, usize> = self.flows.keys().map(|k| (k.as_str(), 0)).collect();
        // A few rounds settle chains as long as there are Services (cycles stop at the bound).
        for _ in 0..self.flows.len() {
            let mut moved = false;
            for (svc, flow) in &self.flows {
                let fed_by = flow
                    .sources
                    .keys()
                    .filter_map(|src| {
                        let pod = src.strip_prefix("pod/")?;
                        self.flows
                            .iter()
                            .filter(|(other, f)| *other != svc && f.pods.contains_key(pod))
                            .map(|(other, _)| depth[other.as_str()] + 1)
                            .max()
                    })
                    .max()
                    .unwrap_or(0);
                let d = fed_by.min(self.flows.len());
                if d > depth[svc.as_str()] {
                    depth.insert(svc, d);
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        let mut out: Vec<(&str, &Flow)> = self.flows.iter().map(|(k, f)| (k.as_str(), f)).collect();
        out.sort_by_key(|(k, _)| (k.is_empty(), depth[k], *k));
        out
    }

    /// When the next highlight ends, if any is shown.
    pub fn next_deadline(&self) -> Option<Instant> {
        let counts = self
            .flows
            .values()
            .flat_map(|f| f.pods.values().chain(std::iter::once(&f.refused)))
            .filter_map(|c| c.flash);
        counts.chain(self.recent.iter().filter_map(|r| r.flash)).min()
    }

    /// Drop highlights that ended. True if one did.
    pub fn expire(&mut self, now: Instant) -> bool {
        let mut changed = false;
        let mut fade = |flash: &mut Option<Instant>| {
            if flash.is_some_and(|t| t <= now) {
                *flash = None;
                changed = true;
            }
        };
        for flow in self.flows.values_mut() {
            for c in flow.pods.values_mut() {
                fade(&mut c.flash);
            }
            fade(&mut flow.refused.flash);
        }
        for r in &mut self.recent {
            fade(&mut r.flash);
        }
        changed
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A pod's report of one HTTP request.
    pub(crate) fn served(from: &str, pod: &str, status: u16) -> TrafficEvent {
        TrafficEvent {
            from: from.into(),
            service: None,
            pod: Some(format!("default/{pod}")),
            bytes: 20,
            status: Some(status),
            latency: Duration::from_micros(850),
            summary: "GET /".into(),
            dialled: None,
            probe: false,
        }
    }

    /// kube-proxy's report of one connection.
    fn proxied(from: &str, svc: &str, pod: Option<&str>) -> TrafficEvent {
        TrafficEvent {
            from: from.into(),
            service: Some(svc.into()),
            pod: pod.map(String::from),
            bytes: 0,
            status: None,
            latency: Duration::ZERO,
            summary: if pod.is_some() {
                "connection".into()
            } else {
                REFUSED.into()
            },
            dialled: None,
            probe: false,
        }
    }

    #[test]
    fn splits_the_sender_from_the_service() {
        assert_eq!(
            split_from("pod/frontend-abc via default/hello:80"),
            ("pod/frontend-abc", Some("default/hello:80"))
        );
        assert_eq!(split_from("host"), ("host", None));
    }

    #[test]
    fn counts_requests_per_service_and_pod_once_each() {
        let mut m = TrafficModel::default();
        let t0 = Instant::now();
        for pod in ["backend-a", "backend-b", "backend-a", "backend-c"] {
            assert!(m.record(&served("pod/frontend-x via default/hello:80", pod, 200), t0, "12:00:00"));
            // kube-proxy's connection record of the same request is not counted again.
            assert!(!m.record(
                &proxied("pod/frontend-x", "default/hello:80", Some(pod)),
                t0,
                "12:00:00"
            ));
        }
        let hello = &m.flows["default/hello:80"];
        let counts: Vec<(&str, u64)> = hello.pods.iter().map(|(p, c)| (p.as_str(), c.n)).collect();
        assert_eq!(counts, [("backend-a", 2), ("backend-b", 1), ("backend-c", 1)]);
        assert_eq!(hello.sources.get("pod/frontend-x"), Some(&4));
        assert_eq!(m.total, 4);
        assert_eq!(m.recent.len(), 4);
        assert_eq!(m.recent[0].pod.as_deref(), Some("backend-c"), "newest first");
        assert_eq!(m.recent[0].service.as_deref(), Some("default/hello:80"));
        assert_eq!(m.recent[0].from, "pod/frontend-x");
    }

    #[test]
    fn the_labs_own_probes_are_left_out() {
        let mut m = TrafficModel::default();
        let t0 = Instant::now();
        let mut probe = served("host via default/frontend:80", "frontend-a", 200);
        probe.probe = true;
        assert!(!m.record(&probe, t0, "12:00:00"));
        let mut hop = proxied("host", "default/frontend:80", Some("frontend-a"));
        hop.probe = true;
        assert!(!m.record(&hop, t0, "12:00:00"));
        assert_eq!(m.total, 0);
        assert!(m.recent.is_empty() && m.flows.is_empty());
        assert!(m.record(
            &served("host via default/frontend:80", "frontend-a", 200),
            t0,
            "12:00:01"
        ));
        assert_eq!(m.total, 1);
    }

    #[test]
    fn refusals_and_direct_requests_have_their_own_places() {
        let mut m = TrafficModel::default();
        let t0 = Instant::now();
        assert!(m.record(&proxied("host", "default/hello:80", None), t0, "12:00:00"));
        assert!(m.record(&served("host", "backend-a", 404), t0, "12:00:01"));
        assert_eq!(m.flows["default/hello:80"].refused.n, 1);
        assert!(m.flows["default/hello:80"].pods.is_empty());
        assert_eq!(m.flows[""].pods["backend-a"].n, 1, "straight to the pod's IP");
        assert!(m.recent[1].refused());
        assert_eq!(m.recent[0].status, Some(404));
        assert_eq!(m.hops().last().unwrap().0, "", "direct requests come last");
    }

    #[test]
    fn a_request_reported_without_its_hop_is_moved_to_the_service_kube_proxy_names() {
        let mut m = TrafficModel::default();
        let t0 = Instant::now();
        // The pod's server accepted before kube-proxy noted the hop: it says `host`.
        m.record(&served("host", "frontend-x", 200), t0, "t");
        assert_eq!(m.flows[""].pods["frontend-x"].n, 1);
        // A request that did keep its hop, to the same pod.
        m.record(&served("host via default/frontend:80", "frontend-x", 200), t0, "t");
        // kube-proxy's records of both connections, in either order.
        assert!(!m.record(&proxied("host", "default/frontend:80", Some("frontend-x")), t0, "t"));
        let t1 = t0 + Duration::from_millis(10);
        assert!(m.record(&proxied("host", "default/frontend:80", Some("frontend-x")), t1, "t"));
        assert!(!m.flows.contains_key(""), "nothing left direct: {:?}", m.flows);
        let front = &m.flows["default/frontend:80"];
        assert_eq!(front.pods["frontend-x"].n, 2);
        assert_eq!(front.sources.get("host"), Some(&2));
        assert_eq!(m.total, 2);
        assert!(m
            .recent
            .iter()
            .all(|r| r.service.as_deref() == Some("default/frontend:80")));
        // A third record with nothing to move changes nothing; a request to the pod's own IP
        // (no kube-proxy record at all) stays direct.
        assert!(!m.record(&proxied("host", "default/frontend:80", Some("frontend-x")), t1, "t"));
        m.record(&served("pod/debug", "frontend-x", 200), t1, "t");
        assert_eq!(m.flows[""].pods["frontend-x"].n, 1);
        assert_eq!(m.flows["default/frontend:80"].pods["frontend-x"].n, 2);
    }

    #[test]
    fn the_ring_keeps_the_last_twenty() {
        let mut m = TrafficModel::default();
        let t0 = Instant::now();
        for i in 0..25 {
            m.record(
                &served("host via default/web:80", &format!("web-{i}"), 200),
                t0,
                "12:00:00",
            );
        }
        assert_eq!(m.recent.len(), RECENT);
        assert_eq!(m.recent[0].pod.as_deref(), Some("web-24"));
        assert_eq!(m.recent[RECENT - 1].pod.as_deref(), Some("web-5"));
        assert_eq!(m.total, 25, "counts keep everything");
    }

    #[test]
    fn a_hop_fed_by_another_hops_pod_comes_after_it() {
        let mut m = TrafficModel::default();
        let t0 = Instant::now();
        // The backend answers first (the frontend's request finishes after its upstream's),
        // and "hello" sorts before "zfrontend": the order must still follow the path.
        m.record(
            &served("pod/zfrontend-x via default/hello:80", "backend-a", 200),
            t0,
            "t",
        );
        m.record(&served("host via default/zfrontend:80", "zfrontend-x", 200), t0, "t");
        let order: Vec<&str> = m.hops().iter().map(|(k, _)| *k).collect();
        assert_eq!(order, ["default/zfrontend:80", "default/hello:80"]);
    }

    #[test]
    fn new_requests_flash_then_fade() {
        let mut m = TrafficModel::default();
        let t0 = Instant::now();
        assert_eq!(m.next_deadline(), None);
        m.record(&served("host via default/web:80", "web-a", 200), t0, "t");
        let t1 = t0 + Duration::from_millis(500);
        m.record(&served("host via default/web:80", "web-b", 200), t1, "t");
        assert_eq!(m.next_deadline(), Some(t0 + FLASH));
        assert!(m.flows["default/web:80"].pods["web-a"].flash.is_some());
        assert!(!m.expire(t0 + FLASH - Duration::from_millis(1)));
        assert!(m.expire(t0 + FLASH));
        assert!(m.flows["default/web:80"].pods["web-a"].flash.is_none());
        assert!(m.recent[0].flash.is_some(), "the later one still shows");
        assert_eq!(m.next_deadline(), Some(t1 + FLASH));
        assert!(m.expire(t1 + FLASH));
        assert_eq!(m.next_deadline(), None, "no timer when nothing fades");
    }

    #[test]
    fn pods_senders_and_hops_that_come_and_go_stay_bounded() {
        let mut m = TrafficModel::default();
        let t0 = Instant::now();
        for i in 0..1000u64 {
            let now = t0 + Duration::from_millis(i);
            let svc = format!("default/svc-{}:80", i % 200);
            m.record(
                &served(&format!("pod/client-{i} via {svc}"), &format!("web-{i}"), 200),
                now,
                "00:00:00",
            );
        }
        assert!(m.flows.len() <= MAX_FLOWS);
        assert!(m
            .flows
            .values()
            .all(|f| f.pods.len() <= MAX_FLOW_ENTRIES && f.sources.len() <= MAX_FLOW_ENTRIES));
        assert_eq!(m.total, 1000);
        // The newest hop is kept.
        assert!(m.flows.contains_key("default/svc-199:80"));
        let mut one = TrafficModel::default();
        for i in 0..1000u64 {
            one.record(
                &served("host", &format!("web-{i}"), 200),
                t0 + Duration::from_millis(i),
                "00:00:00",
            );
        }
        let pods = &one.flows[""].pods;
        assert_eq!(pods.len(), MAX_FLOW_ENTRIES);
        assert!(pods.contains_key("web-999"), "the newest pods stay");
    }
}
