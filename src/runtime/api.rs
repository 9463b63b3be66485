//! The API server's write path: defaulting, validation, allocation (ClusterIPs, node ports),
//! `kubectl apply`'s three-way merge and events. Deletion lives in `deletion.rs`.

use std::collections::{BTreeMap, HashSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};
use serde_json::Value;

use super::error::{ApiError, FieldError};
use super::kinds::Kind;
use super::object::Object;
use super::store::Key;
use super::{defaults, validate, Cluster};

/// The annotation where `kubectl apply` keeps what was last applied.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// What `kubectl apply` did to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    Unchanged,
}

impl ApplyOutcome {
    pub fn verb(self) -> &'static str {
        match self {
            ApplyOutcome::Created => "created",
            ApplyOutcome::Configured => "configured",
            ApplyOutcome::Unchanged => "unchanged",
        }
    }
}

/// The node-port range of a default API server.
pub const NODE_PORT_RANGE: std::ops::RangeInclusive<i32> = 30000..=32767;

/// The API server's limit on a request body (`--max-request-bytes` defaults to 3 MiB). A write
/// whose object, as kubectl would send it in JSON, is bigger gets `RequestEntityTooLarge`.
pub const MAX_REQUEST_BYTES: usize = 3 * 1024 * 1024;

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

/// The request-size check the API server makes before it decodes a body.
fn check_request_size(obj: &Object) -> Result<(), ApiError> {
    if obj.json_size() > MAX_REQUEST_BYTES {
        return Err(ApiError::RequestEntityTooLarge {
            limit: MAX_REQUEST_BYTES,
        });
    }
    Ok(())
}

/// The service strategy's `dropTypeDependentFields`: a Service changed to a type without node
/// ports loses the node ports it had, unless the change also set new ones.
fn drop_type_dependent_fields(new: &mut Service, old: &Service) {
    let needs_node_ports = |s: &Service| {
        matches!(
            s.spec.as_ref().and_then(|s| s.type_.as_deref()),
            Some("NodePort" | "LoadBalancer")
        )
    };
    if !needs_node_ports(old) || needs_node_ports(new) {
        return;
    }
    let old_ports: Vec<Option<i32>> = old
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .map(|p| p.node_port)
        .collect();
    let Some(ports) = new.spec.as_mut().and_then(|s| s.ports.as_mut()) else {
        return;
    };
    let same = ports.len() == old_ports.len() && ports.iter().zip(&old_ports).all(|(p, o)| p.node_port == *o);
    if same {
        for p in ports {
            p.node_port = None;
        }
    }
}

impl Cluster {
    /// Create an object (`kubectl create`). The namespace defaults to `default`.
    pub fn create(&self, mut obj: Object) -> Result<Arc<Object>, ApiError> {
        check_request_size(&obj)?;
        self.prepare_new(&mut obj)?;
        let is_event = obj.kind() == Kind::Event;
        let created = self.store().create(obj, self.clock().now())?;
        if is_event {
            self.sweep_events(false);
        }
        Ok(created)
    }

    /// What [`Cluster::create`] would store, without storing it (`--dry-run=server`): defaulted,
    /// validated and allocated, with a uid and a creation time; an existing object is still
    /// `AlreadyExists`.
    pub fn create_dry_run(&self, mut obj: Object) -> Result<Object, ApiError> {
        check_request_size(&obj)?;
        self.prepare_new(&mut obj)?;
        let key = Key::of(&obj);
        if self.store().get(&key).is_some() {
            return Err(ApiError::AlreadyExists {
                kind: key.kind,
                name: key.name,
            });
        }
        let now = self.clock().now();
        let meta = obj.meta_mut();
        meta.uid = Some(super::store::new_uid());
        meta.creation_timestamp = Some(Time(now));
        Ok(obj)
    }

    fn prepare_new(&self, obj: &mut Object) -> Result<(), ApiError> {
        let kind = obj.kind();
        let meta = obj.meta_mut();
        if kind.namespaced() {
            if meta.namespace.as_deref().unwrap_or("").is_empty() {
                meta.namespace = Some("default".into());
            }
        } else {
            meta.namespace = None;
        }
        if meta.name.as_deref().unwrap_or("").is_empty() {
            if let Some(prefix) = meta.generate_name.clone() {
                meta.name = Some(format!("{prefix}{}", super::names::random_suffix(5)));
            }
        }
        meta.resource_version = None;
        meta.uid = None;
        if kind.namespaced() {
            let ns = obj.namespace().to_string();
            if kind != Kind::Event {
                let Some(namespace) = self.get(Kind::Namespace, "", &ns) else {
                    return Err(ApiError::NotFound {
                        kind: Kind::Namespace,
                        name: ns,
                    });
                };
                // The NamespaceLifecycle admission plugin.
                if super::deletion::is_terminating(&namespace) {
                    return Err(ApiError::Forbidden {
                        kind,
                        name: obj.name().to_string(),
                        message: format!(
                            "unable to create new content in namespace {ns} because it is being terminated"
                        ),
                    });
                }
            }
        }
        defaults::apply_defaults(obj);
        validate::validate(obj)?;
        if let Object::Service(svc) = obj {
            self.allocate_service(svc, None)?;
        }
        Ok(())
    }

    /// Replace an object (`kubectl replace`, controllers, `kubectl edit`).
    pub fn update(&self, mut obj: Object) -> Result<Arc<Object>, ApiError> {
        check_request_size(&obj)?;
        if obj.kind().namespaced() && obj.namespace().is_empty() {
            obj.meta_mut().namespace = Some("default".into());
        }
        let key = Key::of(&obj);
        let old = self.store().get(&key).ok_or(ApiError::NotFound {
            kind: key.kind,
            name: key.name.clone(),
        })?;
        if let (Object::Service(new), Object::Service(old_svc)) = (&mut obj, old.as_ref()) {
            drop_type_dependent_fields(new, old_svc);
        }
        defaults::apply_defaults(&mut obj);
        validate::validate(&obj)?;
        if let (Object::Pod(new), Object::Pod(old_pod)) = (&obj, old.as_ref()) {
            validate::pod_update(new, old_pod)?;
        }
        if let (Object::Service(new), Object::Service(old_svc)) = (&mut obj, old.as_ref()) {
            self.allocate_service(new, Some(old_svc))?;
        }
        let had_finalizers = old.meta().finalizers.as_ref().is_some_and(|f| !f.is_empty());
        let new = self.store().replace(obj)?;
        if had_finalizers {
            self.finish_if_finalized(&new);
        }
        Ok(new)
    }

    /// `kubectl apply`: create, or three-way merge the manifest into the live object.
    pub fn apply(&self, obj: Object) -> Result<(Arc<Object>, ApplyOutcome), ApiError> {
        let mut obj = obj;
        if obj.kind().namespaced() && obj.namespace().is_empty() {
            obj.meta_mut().namespace = Some("default".into());
        }
        let mut applied = obj.to_json();
        strip_last_applied(&mut applied);
        let annotation = serde_json::to_string(&applied).unwrap_or_default();
        let key = Key::of(&obj);
        obj.meta_mut()
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(LAST_APPLIED.into(), annotation.clone() + "\n");
        // kubectl sends the object with its annotation (a create) or a patch that carries the
        // annotation (an update); the lab measures both as the object it would create.
        check_request_size(&obj)?;
        let Some(live) = self.store().get(&key) else {
            return self.create(obj).map(|o| (o, ApplyOutcome::Created));
        };
        let last: Value = live
            .meta()
            .annotations
            .as_ref()
            .and_then(|a| a.get(LAST_APPLIED))
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(Value::Null);
        let mut merged = live.to_json();
        three_way_merge(&mut merged, &last, &applied);
        merged["metadata"]["annotations"][LAST_APPLIED] = Value::String(annotation + "\n");
        let mut new_obj = Object::from_json(key.kind, merged).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        new_obj.meta_mut().resource_version = None;
        let before_rv = live.meta().resource_version.clone();
        let after = self.update(new_obj)?;
        let outcome = if after.meta().resource_version == before_rv {
            ApplyOutcome::Unchanged
        } else {
            ApplyOutcome::Configured
        };
        Ok((after, outcome))
    }

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

    /// Allocate ClusterIP and node ports for a new or changed Service, checking conflicts.
    fn allocate_service(&self, svc: &mut Service, old: Option<&Service>) -> Result<(), ApiError> {
        let name = svc.metadata.name.clone().unwrap_or_default();
        let my_uid = old.and_then(|o| o.metadata.uid.clone());
        let others: Vec<Arc<Object>> = self
            .list(Kind::Service, None)
            .into_iter()
            .filter(|o| my_uid.is_none() || o.meta().uid != my_uid)
            .collect();
        let spec = svc.spec.get_or_insert_with(Default::default);
        let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
        let old_spec = old.and_then(|o| o.spec.as_ref());
        let mut causes = Vec::new();

        // ClusterIP: kept on update, given or allocated on create.
        if ty != "ExternalName" {
            let old_ip = old_spec.and_then(|s| s.cluster_ip.clone());
            match (&spec.cluster_ip, &old_ip) {
                (Some(new), Some(old)) if !new.is_empty() && new != old => {
                    causes.push(FieldError::invalid(
                        "spec.clusterIPs[0]",
                        format!("[]string{{{new:?}}}"),
                        "may not change once set",
                    ));
                }
                (_, Some(old)) => spec.cluster_ip = Some(old.clone()),
                _ => {}
            }
            let used: HashSet<String> = others
                .iter()
                .filter_map(|o| o.as_service()?.spec.as_ref()?.cluster_ip.clone())
                .collect();
            match spec.cluster_ip.clone().filter(|s| !s.is_empty()) {
                Some(ip) if ip == "None" => {}
                Some(ip) if old_ip.is_none() => match ip.parse::<Ipv4Addr>() {
                    Ok(addr) if super::net::addresses::in_service_cidr(addr) => {
                        if used.contains(&ip) {
                            causes.push(FieldError::invalid("spec.clusterIPs", format!("[]string{{{ip:?}}}"), &format!("failed to allocate IP {ip}: provided IP is already allocated")));
                        }
                    }
                    _ => causes.push(FieldError::invalid(
                        "spec.clusterIPs",
                        format!("[]string{{{ip:?}}}"),
                        &format!("failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
                    )),
                },
                Some(_) => {}
                None => spec.cluster_ip = Some(super::net::addresses::allocate_cluster_ip(&used).to_string()),
            }
            if let Some(ip) = &spec.cluster_ip {
                spec.cluster_ips = Some(vec![ip.clone()]);
                if ip != "None" {
                    spec.ip_families.get_or_insert_with(|| vec!["IPv4".into()]);
                }
                spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
            }
        } else {
            spec.cluster_ip = None;
            spec.cluster_ips = None;
        }

        // Node ports.
        let wants_node_ports =
            ty == "NodePort" || (ty == "LoadBalancer" && spec.allocate_load_balancer_node_ports != Some(false));
        let mut used_ports: HashSet<i32> = others
            .iter()
            .filter_map(|o| o.as_service()?.spec.as_ref()?.ports.clone())
            .flatten()
            .filter_map(|p| p.node_port)
            .collect();
        let old_ports = old_spec.and_then(|s| s.ports.clone()).unwrap_or_default();
        for (i, p) in spec.ports.iter_mut().flatten().enumerate() {
            if !wants_node_ports {
                if ty == "ClusterIP" || ty == "ExternalName" {
                    p.node_port = None;
                }
                continue;
            }
            if p.node_port.unwrap_or(0) == 0 {
                // Keep what this port had before (kubectl apply does not repeat it).
                p.node_port = old_ports
                    .iter()
                    .find(|o| o.port == p.port && o.protocol == p.protocol)
                    .and_then(|o| o.node_port)
                    .filter(|n| !used_ports.contains(n));
            }
            match p.node_port {
                Some(n) if !NODE_PORT_RANGE.contains(&n) => causes.push(FieldError::invalid(
                    format!("spec.ports[{i}].nodePort"),
                    n,
                    "provided port is not in the valid range. The range of valid ports is 30000-32767",
                )),
                Some(n) if used_ports.contains(&n) => causes.push(FieldError::invalid(
                    format!("spec.ports[{i}].nodePort"),
                    n,
                    "provided port is already allocated",
                )),
                Some(n) => {
                    used_ports.insert(n);
                }
                None => {
                    let free: Vec<i32> = NODE_PORT_RANGE.filter(|n| !used_ports.contains(n)).collect();
                    if free.is_empty() {
                        causes.push(FieldError {
                            field: format!("spec.ports[{i}].nodePort"),
                            detail: "Internal error: range is full".into(),
                        });
                    } else {
                        let n = free[rand::random_range(0..free.len())];
                        used_ports.insert(n);
                        p.node_port = Some(n);
                    }
                }
            }
        }
        if ty != "LoadBalancer" {
            if let Some(st) = svc.status.as_mut() {
                st.load_balancer = Some(Default::default());
            }
        }
        if causes.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid {
                kind: Kind::Service,
                name,
                causes,
            })
        }
    }
}

fn strip_last_applied(v: &mut Value) {
    if let Some(meta) = v.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        if let Some(ann) = meta.get_mut("annotations").and_then(|a| a.as_object_mut()) {
            ann.remove(LAST_APPLIED);
            if ann.is_empty() {
                meta.remove("annotations");
            }
        }
    }
    if let Some(o) = v.as_object_mut() {
        o.remove("status");
    }
}

/// Merge `new` into `live`: fields in `new` win, fields that were in `last` (the previous
/// apply) but are gone from `new` are removed, fields nobody applied (status, allocated values,
/// controller annotations) are kept. Lists are replaced whole.
pub fn three_way_merge(live: &mut Value, last: &Value, new: &Value) {
    match (live, new) {
        (Value::Object(live_map), Value::Object(new_map)) => {
            if let Value::Object(last_map) = last {
                for k in last_map.keys() {
                    if !new_map.contains_key(k) {
                        live_map.remove(k);
                    }
                }
            }
            for (k, nv) in new_map {
                let lv = last.get(k).unwrap_or(&Value::Null);
                match live_map.get_mut(k) {
                    Some(existing) if existing.is_object() && nv.is_object() => three_way_merge(existing, lv, nv),
                    _ => {
                        live_map.insert(k.clone(), nv.clone());
                    }
                }
            }
        }
        (live, new) => *live = new.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn merge_removes_what_was_unapplied_and_keeps_what_others_set() {
        let mut live =
            json!({"spec": {"replicas": 3, "paused": true, "strategy": {"type": "RollingUpdate"}}, "status": {"x": 1}});
        let last = json!({"spec": {"replicas": 3, "paused": true}});
        let new = json!({"spec": {"replicas": 5}});
        three_way_merge(&mut live, &last, &new);
        assert_eq!(
            live,
            json!({"spec": {"replicas": 5, "strategy": {"type": "RollingUpdate"}}, "status": {"x": 1}})
        );
    }

    fn config_map(name: &str, value: String) -> Object {
        let mut cm = k8s_openapi::api::core::v1::ConfigMap::default();
        cm.metadata.name = Some(name.into());
        cm.data = Some([("k".to_string(), value)].into());
        Object::ConfigMap(cm)
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_over_three_mebibytes_is_refused_before_validation() {
        let c = Cluster::start(crate::runtime::ClusterConfig::default()).await.unwrap();
        let big = config_map("big", "x".repeat(MAX_REQUEST_BYTES));
        let e = c.create(big.clone()).unwrap_err();
        assert_eq!(e.to_string(), "Request entity too large: limit is 3145728");
        assert_eq!(e.reason(), "RequestEntityTooLarge");
        // apply sends the annotation too: 2 MB of data is 4 MB on the wire.
        let e = c.apply(config_map("half", "x".repeat(2_000_000))).unwrap_err();
        assert!(matches!(e, ApiError::RequestEntityTooLarge { .. }), "{e:?}");
        // Under the limit the ConfigMap's own 1 MiB rule speaks.
        let e = c
            .create(config_map("over-data", "x".repeat(MAX_REQUEST_BYTES / 2)))
            .unwrap_err();
        assert!(
            e.to_string().contains("Too long: may not be more than 1048576 bytes"),
            "{e}"
        );
        assert!(c.get(Kind::ConfigMap, "default", "big").is_none());
        c.shutdown();
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

    #[tokio::test(start_paused = true)]
    async fn a_service_made_cluster_ip_loses_its_node_ports() {
        let c = Cluster::start(crate::runtime::ClusterConfig::default()).await.unwrap();
        let svc: Service = serde_json::from_value(json!({
            "metadata": {"name": "np"},
            "spec": {"type": "NodePort", "ports": [{"port": 80}]}
        }))
        .unwrap();
        let made = c.create(Object::Service(svc)).unwrap();
        let mut changed = made.as_service().unwrap().clone();
        changed.spec.as_mut().unwrap().type_ = Some("ClusterIP".into());
        let after = c.update(Object::Service(changed)).unwrap();
        assert_eq!(
            after
                .as_service()
                .unwrap()
                .spec
                .as_ref()
                .unwrap()
                .ports
                .as_ref()
                .unwrap()[0]
                .node_port,
            None
        );
        let mut asked: Service = serde_json::from_value(json!({
            "metadata": {"name": "cip"},
            "spec": {"type": "ClusterIP", "ports": [{"port": 80, "nodePort": 30080}]}
        }))
        .unwrap();
        asked.metadata.namespace = Some("default".into());
        assert_eq!(
            c.create(Object::Service(asked)).unwrap_err().to_string(),
            "The Service \"cip\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
        );
        c.shutdown();
    }
}
