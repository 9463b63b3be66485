//! Create and update: what the API server does to an object before it is stored — namespace
//! admission (NamespaceLifecycle), defaulting, validation, the Service strategy — and the
//! optimistic concurrency of `PUT`.

use std::sync::Arc;

use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::{check_request_size, FieldValidation, WriteOptions};
use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::store::Key;
use crate::runtime::{defaults, validate, Cluster};

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

/// The 409 of a write whose resourceVersion is not the live one.
pub(super) fn conflict(live: &Object) -> ApiError {
    ApiError::Conflict(format!(
        "Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again",
        live.kind().info().qualified_plural(),
        live.name()
    ))
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
        meta.uid = Some(crate::runtime::store::new_uid());
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
                meta.name = Some(format!("{prefix}{}", crate::runtime::names::random_suffix(5)));
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
                if super::delete::is_terminating(&namespace) {
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
        let old = self.prepare_update(&mut obj)?;
        let had_finalizers = old.meta().finalizers.as_ref().is_some_and(|f| !f.is_empty());
        let new = self.store().replace(obj)?;
        if had_finalizers {
            self.finish_if_finalized(&new);
        }
        Ok(new)
    }

    /// What [`Cluster::update`] would store, without storing it (`?dryRun=All`): defaulted,
    /// validated and allocated, with the live object's identity and resourceVersion. A stale
    /// resourceVersion is still a conflict.
    pub fn update_dry_run(&self, mut obj: Object) -> Result<Object, ApiError> {
        let old = self.prepare_update(&mut obj)?;
        if let Some(rv) = obj.meta().resource_version.as_ref() {
            if Some(rv) != old.meta().resource_version.as_ref() {
                return Err(conflict(&old));
            }
        }
        let (o, n) = (old.meta(), obj.meta_mut());
        n.uid = o.uid.clone();
        n.creation_timestamp = o.creation_timestamp.clone();
        n.generation = o.generation;
        n.resource_version = o.resource_version.clone();
        Ok(obj)
    }

    /// Everything an update does before it stores: returns the live object it replaces.
    fn prepare_update(&self, obj: &mut Object) -> Result<Arc<Object>, ApiError> {
        check_request_size(obj)?;
        if obj.kind().namespaced() && obj.namespace().is_empty() {
            obj.meta_mut().namespace = Some("default".into());
        }
        let key = Key::of(obj);
        let old = self.store().get(&key).ok_or(ApiError::NotFound {
            kind: key.kind,
            name: key.name.clone(),
        })?;
        if let (Object::Service(new), Object::Service(old_svc)) = (&mut *obj, old.as_ref()) {
            drop_type_dependent_fields(new, old_svc);
        }
        defaults::apply_defaults(obj);
        validate::validate(obj)?;
        if let (Object::Pod(new), Object::Pod(old_pod)) = (&*obj, old.as_ref()) {
            validate::pod_update(new, old_pod)?;
        }
        if let (Object::Service(new), Object::Service(old_svc)) = (&mut *obj, old.as_ref()) {
            self.allocate_service(new, Some(old_svc))?;
        }
        Ok(old)
    }

    /// Read an object, change it with `f` and write it back through the update path, reading
    /// again when someone wrote in between (client-go's `RetryOnConflict` around a get and an
    /// update). `f` may run more than once.
    pub fn modify(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        mut f: impl FnMut(&mut Object),
        options: &WriteOptions,
    ) -> Result<Arc<Object>, ApiError> {
        const ATTEMPTS: usize = 5;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let live = self.read(kind, namespace, name)?;
            let mut obj = (*live).clone();
            f(&mut obj);
            obj.meta_mut().resource_version = live.meta().resource_version.clone();
            match self.update_with(obj, options) {
                Err(ApiError::Conflict(_)) if attempt < ATTEMPTS => continue,
                r => return r,
            }
        }
    }

    /// `POST` with the request's options: a dry run stores nothing.
    pub fn create_with(&self, obj: Object, options: &WriteOptions) -> Result<Arc<Object>, ApiError> {
        if options.dry_run {
            return self.create_dry_run(obj).map(Arc::new);
        }
        self.create(obj)
    }

    /// `PUT` with the request's options: a dry run stores nothing.
    pub fn update_with(&self, obj: Object, options: &WriteOptions) -> Result<Arc<Object>, ApiError> {
        if options.dry_run {
            return self.update_dry_run(obj).map(Arc::new);
        }
        self.update(obj)
    }

    /// Decode a request body into an object of `kind`, handling unknown fields as
    /// `validation` says: Strict refuses them (400, `strict decoding error: unknown field
    /// "spec.foo"`), Warn decodes and returns a warning for each, Ignore drops them.
    pub fn decode(
        &self,
        kind: Kind,
        body: serde_json::Value,
        validation: FieldValidation,
    ) -> Result<(Object, Vec<String>), ApiError> {
        let (obj, unknown) = crate::runtime::manifest::decode_value_lenient(body, "")
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
        if obj.kind() != kind {
            let info = kind.info();
            return Err(ApiError::BadRequest(format!(
                "the API version in the data ({}) does not match the expected API version ({})",
                obj.kind().info().api_version(),
                info.api_version()
            )));
        }
        match validation {
            FieldValidation::Strict if !unknown.is_empty() => Err(ApiError::BadRequest(
                crate::runtime::manifest::ManifestError::UnknownFields {
                    kind: kind.info().name.to_string(),
                    version: kind.info().version.to_string(),
                    name: obj.name().to_string(),
                    fields: unknown,
                }
                .to_string(),
            )),
            FieldValidation::Warn => {
                let warnings = unknown.iter().map(|f| format!("unknown field \"{f}\"")).collect();
                Ok((obj, warnings))
            }
            _ => Ok((obj, Vec::new())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::MAX_REQUEST_BYTES;
    use super::*;
    use serde_json::json;

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
