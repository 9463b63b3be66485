//! The `scale` and `status` subresources. `scale` reads and writes a workload's replica count
//! as an `autoscaling/v1` `Scale` (what `kubectl scale` and autoscalers use); `status` writes
//! only an object's status, keeping its spec and metadata (what controllers write).

use std::sync::Arc;

use k8s_openapi::api::autoscaling::v1::{Scale, ScaleSpec, ScaleStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::write::conflict;
use super::WriteOptions;
use crate::runtime::error::ApiError;
use crate::runtime::kinds::Kind;
use crate::runtime::object::Object;
use crate::runtime::selectors::Selector;
use crate::runtime::Cluster;

/// A workload's replicas and selector, if it has a scale subresource.
fn scale_of(obj: &Object) -> Option<(i32, i32, String)> {
    let (spec_replicas, status_replicas, selector) = match obj {
        Object::Deployment(d) => (
            d.spec.as_ref().and_then(|s| s.replicas),
            d.status.as_ref().and_then(|s| s.replicas),
            d.spec.as_ref().map(|s| Selector::from_label_selector(&s.selector)),
        ),
        Object::ReplicaSet(rs) => (
            rs.spec.as_ref().and_then(|s| s.replicas),
            rs.status.as_ref().map(|s| s.replicas),
            rs.spec.as_ref().map(|s| Selector::from_label_selector(&s.selector)),
        ),
        _ => return None,
    };
    Some((
        spec_replicas.unwrap_or(1),
        status_replicas.unwrap_or(0),
        selector.map(|s| s.to_string()).unwrap_or_default(),
    ))
}

impl Cluster {
    /// `GET …/scale`.
    pub fn read_scale(&self, kind: Kind, namespace: &str, name: &str) -> Result<Scale, ApiError> {
        let obj = self.read(kind, namespace, name)?;
        let (spec, status, selector) = scale_of(&obj).ok_or(ApiError::MethodNotAllowed)?;
        let m = obj.meta();
        Ok(Scale {
            metadata: ObjectMeta {
                name: m.name.clone(),
                namespace: m.namespace.clone(),
                uid: m.uid.clone(),
                resource_version: m.resource_version.clone(),
                creation_timestamp: m.creation_timestamp.clone(),
                ..Default::default()
            },
            spec: Some(ScaleSpec { replicas: Some(spec) }),
            status: Some(ScaleStatus {
                replicas: status,
                selector: Some(selector),
            }),
        })
    }

    /// `PUT …/scale`: set the replica count. The workload is written through the update path,
    /// so its validation applies; a `resourceVersion` in `scale` is a precondition.
    pub fn update_scale(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        scale: &Scale,
        options: &WriteOptions,
    ) -> Result<Scale, ApiError> {
        let live = self.read(kind, namespace, name)?;
        scale_of(&live).ok_or(ApiError::MethodNotAllowed)?;
        if let Some(rv) = &scale.metadata.resource_version {
            if Some(rv) != live.meta().resource_version.as_ref() {
                return Err(conflict(&live));
            }
        }
        let replicas = scale.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
        if replicas < 0 {
            return Err(ApiError::Invalid {
                kind,
                name: name.to_string(),
                causes: vec![crate::runtime::error::FieldError::invalid(
                    "spec.replicas",
                    replicas,
                    "must be greater than or equal to 0",
                )],
            });
        }
        let mut obj = (*live).clone();
        match &mut obj {
            Object::Deployment(d) => d.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
            Object::ReplicaSet(rs) => rs.spec.get_or_insert_with(Default::default).replicas = Some(replicas),
            _ => unreachable!("scale_of checked the kind"),
        }
        let written = self.update_with(obj, options)?;
        let mut out = self.read_scale(kind, namespace, name)?;
        if options.dry_run {
            out.spec = Some(ScaleSpec {
                replicas: Some(replicas),
            });
            out.metadata.resource_version = written.meta().resource_version.clone();
        }
        Ok(out)
    }

    /// `PUT …/status`: replace the object's status, keeping the live spec and metadata. A
    /// `resourceVersion` in `obj` is a precondition.
    pub fn update_status(&self, obj: Object, options: &WriteOptions) -> Result<Arc<Object>, ApiError> {
        let live = self.read(obj.kind(), obj.namespace(), obj.name())?;
        if let Some(rv) = &obj.meta().resource_version {
            if Some(rv) != live.meta().resource_version.as_ref() {
                return Err(conflict(&live));
            }
        }
        let mut next = live.to_json();
        next["status"] = obj.to_json().get("status").cloned().unwrap_or(serde_json::Value::Null);
        if next["status"].is_null() {
            next.as_object_mut().map(|m| m.remove("status"));
        }
        let next = Object::from_json(obj.kind(), next).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        if options.dry_run {
            return Ok(Arc::new(next));
        }
        let key = crate::runtime::store::Key::of(&next);
        self.store().update(&key, |o| *o = next)
    }
}

impl Cluster {
    /// Read an object, change its status with `f` and write it back through the status
    /// subresource (what a controller does), reading again on a conflict.
    pub fn modify_status(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        mut f: impl FnMut(&mut Object),
    ) -> Result<Arc<Object>, ApiError> {
        loop {
            let live = self.read(kind, namespace, name)?;
            let mut obj = (*live).clone();
            f(&mut obj);
            match self.update_status(obj, &WriteOptions::default()) {
                Err(ApiError::Conflict(_)) => continue,
                r => return r,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::api::patch::PatchType;
    use crate::runtime::manifest::decode_manifests;
    use crate::runtime::ClusterConfig;
    use serde_json::json;

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";

    async fn cluster_with_web() -> Cluster {
        let c = Cluster::start(ClusterConfig::default()).await.unwrap();
        c.create(decode_manifests(DEPLOY, "t").remove(0).unwrap()).unwrap();
        c
    }

    #[tokio::test(start_paused = true)]
    async fn scale_reads_and_writes_replicas_and_checks_its_version() {
        let c = cluster_with_web().await;
        let s = c.read_scale(Kind::Deployment, "default", "web").unwrap();
        assert_eq!(s.spec.as_ref().unwrap().replicas, Some(2));
        assert_eq!(s.status.as_ref().unwrap().selector.as_deref(), Some("app=web"));
        let mut want = s.clone();
        want.spec = Some(ScaleSpec { replicas: Some(5) });
        let dry = c
            .update_scale(Kind::Deployment, "default", "web", &want, &WriteOptions::dry_run())
            .unwrap();
        assert_eq!(dry.spec.unwrap().replicas, Some(5));
        let live = c.get(Kind::Deployment, "default", "web").unwrap();
        assert_eq!(
            live.as_deployment().unwrap().spec.as_ref().unwrap().replicas,
            Some(2),
            "dry run"
        );
        c.update_scale(Kind::Deployment, "default", "web", &want, &WriteOptions::default())
            .unwrap();
        let live = c.get(Kind::Deployment, "default", "web").unwrap();
        assert_eq!(live.as_deployment().unwrap().spec.as_ref().unwrap().replicas, Some(5));
        // The old resourceVersion is stale now.
        let e = c
            .update_scale(Kind::Deployment, "default", "web", &want, &WriteOptions::default())
            .unwrap_err();
        assert_eq!(e.code(), 409, "{e}");
        assert_eq!(
            c.read_scale(Kind::Service, "default", "kubernetes").unwrap_err(),
            ApiError::MethodNotAllowed
        );
    }

    #[tokio::test(start_paused = true)]
    async fn patches_go_through_validation_and_dry_runs_store_nothing() {
        let c = cluster_with_web().await;
        let bad = json!({"spec": {"replicas": -1}});
        let e = c
            .patch(
                Kind::Deployment,
                "default",
                "web",
                PatchType::Merge,
                &bad,
                &WriteOptions::default(),
            )
            .unwrap_err();
        assert_eq!(e.reason(), "Invalid", "{e}");
        let p = json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}});
        let (o, _) = c
            .patch(
                Kind::Deployment,
                "default",
                "web",
                PatchType::Strategic,
                &p,
                &WriteOptions::dry_run(),
            )
            .unwrap();
        let image = |o: &Object| {
            o.as_deployment()
                .unwrap()
                .spec
                .as_ref()
                .unwrap()
                .template
                .spec
                .as_ref()
                .unwrap()
                .containers[0]
                .image
                .clone()
        };
        assert_eq!(image(&o).as_deref(), Some("nginx:1.27"));
        assert_eq!(
            image(&c.get(Kind::Deployment, "default", "web").unwrap()).as_deref(),
            Some("nginx")
        );
        let stale = json!({"metadata": {"resourceVersion": "1"}, "spec": {"replicas": 3}});
        let e = c
            .patch(
                Kind::Deployment,
                "default",
                "web",
                PatchType::Merge,
                &stale,
                &WriteOptions::default(),
            )
            .unwrap_err();
        assert_eq!(e.code(), 409);
        let unknown = json!({"spec": {"replicaz": 3}});
        let strict = WriteOptions {
            field_validation: super::super::FieldValidation::Strict,
            ..Default::default()
        };
        let e = c
            .patch(Kind::Deployment, "default", "web", PatchType::Merge, &unknown, &strict)
            .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("strict decoding error: unknown field \"spec.replicaz\""),
            "{e}"
        );
        let (_, warnings) = c
            .patch(
                Kind::Deployment,
                "default",
                "web",
                PatchType::Merge,
                &unknown,
                &WriteOptions::default(),
            )
            .unwrap();
        assert_eq!(warnings, ["unknown field \"spec.replicaz\""]);
        let missing = json!([{"op": "replace", "path": "/spec/paused2", "value": true}]);
        let e = c
            .patch(
                Kind::Deployment,
                "default",
                "web",
                PatchType::Json,
                &missing,
                &WriteOptions::default(),
            )
            .unwrap_err();
        assert_eq!(e.code(), 422);
    }

    #[tokio::test(start_paused = true)]
    async fn a_status_write_keeps_the_spec() {
        let c = cluster_with_web().await;
        let mut obj = (*c.get(Kind::Deployment, "default", "web").unwrap()).clone();
        if let Object::Deployment(d) = &mut obj {
            d.spec.as_mut().unwrap().replicas = Some(9);
            d.status.get_or_insert_with(Default::default).observed_generation = Some(42);
            d.metadata.resource_version = None;
        }
        let after = c.update_status(obj, &WriteOptions::default()).unwrap();
        let d = after.as_deployment().unwrap();
        assert_eq!(d.spec.as_ref().unwrap().replicas, Some(2));
        assert_eq!(d.status.as_ref().unwrap().observed_generation, Some(42));
    }
}
