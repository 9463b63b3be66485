//! The event recorder (repeats folded into a count, names that sort by time) and the Event
//! TTL of `--event-ttl`, with a cap that keeps the lab's memory bounded.

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};

use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::Cluster;

/// How long an Event lives after its last update, on the lab clock (`--event-ttl`, 1h).
pub const EVENT_TTL: std::time::Duration = std::time::Duration::from_secs(3600);
/// Most Events the lab keeps at once. A real cluster has no such cap (etcd holds them for the
/// hour); the lab keeps its memory bounded when something makes thousands of objects an hour.
pub const MAX_EVENTS: usize = 10_000;
/// When over [`MAX_EVENTS`], the oldest are dropped down to this many, so the sweep runs once
/// per thousand new events rather than on every one.
const EVENTS_AFTER_SWEEP: usize = MAX_EVENTS * 9 / 10;
/// How often (lab time) expired Events are looked for.
const EVENT_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

impl Cluster {
    /// Record an event about `regarding`, folding repeats into a count like the event recorder.
    pub fn record_event(&self, regarding: &Object, type_: &str, reason: &str, message: &str, component: &str) {
        let ns = match regarding.namespace() {
            "" => "default".to_string(),
            ns => ns.to_string(),
        };
        if self.get(Kind::Namespace, "", &ns).is_none() {
            return; // The namespace is gone; the API server would refuse the event.
        }
        let uid = regarding.meta().uid.clone();
        let now = self.clock().now();
        let about = uid.as_deref().map(|u| self.store().events_about(u)).unwrap_or_default();
        let existing = about.into_iter().find(|e| {
            let Object::Event(ev) = e.as_ref() else { return false };
            ev.involved_object.uid == uid
                && ev.reason.as_deref() == Some(reason)
                && ev.message.as_deref() == Some(message)
        });
        if let Some(e) = existing {
            let _ = self.store().update(&Key::of(&e), |o| {
                if let Object::Event(ev) = o {
                    ev.count = Some(ev.count.unwrap_or(1) + 1);
                    ev.last_timestamp = Some(Time(now));
                }
            });
            return;
        }
        let info = regarding.kind().info();
        let mut ev = Event {
            involved_object: ObjectReference {
                api_version: Some(info.api_version()),
                kind: Some(info.name.to_string()),
                name: Some(regarding.name().to_string()),
                namespace: if regarding.kind().namespaced() {
                    Some(ns.clone())
                } else {
                    None
                },
                uid,
                resource_version: regarding.meta().resource_version.clone(),
                ..Default::default()
            },
            reason: Some(reason.into()),
            message: Some(message.into()),
            type_: Some(type_.into()),
            count: Some(1),
            first_timestamp: Some(Time(now)),
            last_timestamp: Some(Time(now)),
            event_time: None::<MicroTime>,
            reporting_component: Some(component.into()),
            reporting_instance: Some(String::new()),
            source: Some(EventSource {
                component: Some(component.into()),
                host: None,
            }),
            ..Default::default()
        };
        // The event recorder names events `<object>.<UnixNano in hex>`, so listing them by name
        // lists each object's events in the order they happened.
        let mut nanos = now.timestamp_nanos_opt().unwrap_or_default();
        ev.metadata.namespace = Some(ns.clone());
        loop {
            ev.metadata.name = Some(format!("{}.{:x}", regarding.name(), nanos));
            match self.store().create(Object::Event(ev.clone()), now) {
                Err(ApiError::AlreadyExists { .. }) => nanos += 1,
                _ => break,
            }
        }
        self.sweep_events(false);
    }

    /// Forget Events the way a real cluster does — [`EVENT_TTL`] after their last update — and,
    /// past [`MAX_EVENTS`], the oldest ones. Runs at most once a lab minute unless over the cap
    /// (`force` runs it now).
    pub fn sweep_events(&self, force: bool) {
        let now = self.clock().now();
        let over_cap = self.store().count(Kind::Event) > MAX_EVENTS;
        {
            let mut last = self.event_sweep().lock().unwrap_or_else(|e| e.into_inner());
            let due = last.is_none_or(|t| (now - t).to_std().unwrap_or_default() >= EVENT_SWEEP_EVERY);
            if !(force || over_cap || due) {
                return;
            }
            *last = Some(now);
        }
        let last_seen = |o: &Object| {
            o.as_event()
                .and_then(|e| {
                    e.last_timestamp
                        .as_ref()
                        .map(|t| t.0)
                        .or(e.event_time.as_ref().map(|t| t.0))
                        .or(e.first_timestamp.as_ref().map(|t| t.0))
                })
                .or(o.meta().creation_timestamp.as_ref().map(|t| t.0))
                .unwrap_or(now)
        };
        let ttl = chrono::Duration::from_std(EVENT_TTL).unwrap_or_default();
        let mut kept = Vec::new();
        for e in self.store().list(Kind::Event, None) {
            let seen = last_seen(&e);
            if now - seen >= ttl {
                let _ = self.store().remove(&Key::of(&e));
            } else {
                kept.push((seen, e));
            }
        }
        if kept.len() > MAX_EVENTS {
            kept.sort_by_key(|(seen, _)| *seen);
            let extra = kept.len() - EVENTS_AFTER_SWEEP;
            for (_, e) in kept.into_iter().take(extra) {
                let _ = self.store().remove(&Key::of(&e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::{Kind, Object};

    #[tokio::test(start_paused = true)]
    async fn events_are_named_by_time_so_names_sort_chronologically() {
        let c = Cluster::start(crate::runtime::ClusterConfig::default()).await.unwrap();
        let svc = c.get(Kind::Service, "default", "kubernetes").unwrap();
        for reason in ["First", "Second", "Third"] {
            c.record_event(&svc, "Normal", reason, reason, "test");
        }
        // Same instant, different messages: each gets its own name.
        c.clock().sleep(std::time::Duration::from_millis(5)).await;
        c.record_event(&svc, "Normal", "Fourth", "a", "test");
        c.record_event(&svc, "Normal", "Fifth", "b", "test");
        let mut events: Vec<_> = c
            .list(Kind::Event, Some("default"))
            .into_iter()
            .filter(|e| e.name().starts_with("kubernetes."))
            .collect();
        events.sort_by(|a, b| a.name().cmp(b.name()));
        let reasons: Vec<_> = events
            .iter()
            .map(|e| e.as_event().unwrap().reason.clone().unwrap())
            .collect();
        assert_eq!(reasons, ["First", "Second", "Third", "Fourth", "Fifth"]);
    }

    #[tokio::test(start_paused = true)]
    async fn events_expire_after_an_hour_and_never_pass_the_cap() {
        let c = Cluster::start(crate::runtime::ClusterConfig::default()).await.unwrap();
        let svc = c.get(Kind::Service, "default", "kubernetes").unwrap();
        c.record_event(&svc, "Normal", "Old", "old", "test");
        c.clock().sleep(EVENT_TTL + std::time::Duration::from_secs(61)).await;
        c.record_event(&svc, "Normal", "New", "new", "test");
        let reasons: Vec<String> = c
            .list(Kind::Event, Some("default"))
            .iter()
            .filter_map(|e| e.as_event()?.reason.clone())
            .collect();
        assert!(reasons.contains(&"New".to_string()), "{reasons:?}");
        assert!(
            !reasons.contains(&"Old".to_string()),
            "an event past its TTL is gone: {reasons:?}"
        );
        for i in 0..MAX_EVENTS + 50 {
            // One event each about many pods, as a big scale-up makes them.
            let mut pod = k8s_openapi::api::core::v1::Pod::default();
            pod.metadata.name = Some(format!("p{i}"));
            pod.metadata.namespace = Some("default".into());
            pod.metadata.uid = Some(format!("uid-{i}"));
            c.record_event(&Object::Pod(pod), "Normal", "Scheduled", "assigned", "test");
            assert!(c.store().count(Kind::Event) <= MAX_EVENTS + 1);
        }
        assert!(c.store().count(Kind::Event) <= MAX_EVENTS);
        c.shutdown();
    }
}
