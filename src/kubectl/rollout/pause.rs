//! `kubectl rollout pause|resume|restart`: three patches of a Deployment's spec that kubectl
//! computes client-side (its `ObjectPauser`, `ObjectResumer` and `ObjectRestarter`) and sends as
//! one patch per object. They share everything but the change itself, so each is a [`Patcher`]:
//! the word printed on success, the wording when the kind has no such operation, and the edit,
//! which may refuse (`is already paused`).
//!
//! Pausing only sets `spec.paused`; what it means (no new ReplicaSet until resumed) is the
//! Deployment controller's business.

use k8s_openapi::api::apps::v1::Deployment;

use super::{output_format, print_result, resolve, Ctx, Parsed};
use crate::io::Output;
use crate::kubectl::errors::server_error;
use crate::runtime::api::WriteOptions;
use crate::runtime::{Kind, Object};

/// One of the spec patches.
pub struct Patcher {
    /// The word after `deployment.apps/NAME` on success.
    pub done: &'static str,
    /// The error for kinds without this operation.
    pub unsupported: &'static str,
    /// Change the Deployment (given the current time), or say why not.
    pub edit: fn(&mut Deployment, &str) -> Result<(), &'static str>,
}

pub const PAUSE: Patcher = Patcher {
    done: "paused",
    unsupported: "pausing is not supported",
    edit: pause,
};

pub const RESUME: Patcher = Patcher {
    done: "resumed",
    unsupported: "resuming is not supported",
    edit: resume,
};

pub const RESTART: Patcher = Patcher {
    done: "restarted",
    unsupported: "restarting is not supported",
    edit: restart,
};

fn paused(d: &Deployment) -> bool {
    d.spec.as_ref().and_then(|s| s.paused) == Some(true)
}

fn pause(d: &mut Deployment, _: &str) -> Result<(), &'static str> {
    if paused(d) {
        return Err("is already paused");
    }
    d.spec.get_or_insert_with(Default::default).paused = Some(true);
    Ok(())
}

/// `paused: false` is omitted from the patch kubectl sends, so the field goes away.
fn resume(d: &mut Deployment, _: &str) -> Result<(), &'static str> {
    if !paused(d) {
        return Err("is not paused");
    }
    d.spec.get_or_insert_with(Default::default).paused = None;
    Ok(())
}

/// A new template annotation is a new template: the controller rolls out fresh pods.
fn restart(d: &mut Deployment, now: &str) -> Result<(), &'static str> {
    if paused(d) {
        return Err("can't restart paused deployment (run rollout resume first)");
    }
    let spec = d.spec.get_or_insert_with(Default::default);
    let meta = spec.template.metadata.get_or_insert_with(Default::default);
    meta.annotations
        .get_or_insert_with(Default::default)
        .insert("kubectl.kubernetes.io/restartedAt".into(), now.to_string());
    Ok(())
}

/// `kubectl rollout pause|resume|restart (TYPE NAME | TYPE/NAME | TYPE -l SELECTOR)…`.
pub fn run(ctx: &Ctx<'_>, p: &Parsed, args: &[String], out: &Output, patcher: &Patcher) -> i32 {
    let format = match output_format(p) {
        Ok(f) => f,
        Err(e) => return super::fail(out, &e),
    };
    let found = match resolve(ctx, p, args) {
        Ok(r) => r,
        Err(e) => return super::fail(out, &e),
    };
    let now = ctx
        .cluster
        .clock()
        .now()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut errors = found.errors;
    for obj in &found.objects {
        match patch(ctx, obj, patcher, &now) {
            Ok(updated) => {
                if let Err(e) = print_result(out, format.as_ref(), &updated, patcher.done) {
                    errors.push(format!("error: {e}"));
                }
            }
            Err(e) => errors.push(e),
        }
    }
    super::finish(out, &errors)
}

/// Apply the patch to one object; errors are whole lines in kubectl's words.
fn patch(ctx: &Ctx<'_>, obj: &Object, patcher: &Patcher, now: &str) -> Result<std::sync::Arc<Object>, String> {
    let refuse = |why: &str| {
        format!(
            "error: {} \"{}\" {why}",
            obj.kind().info().qualified_plural(),
            obj.name()
        )
    };
    let Object::Deployment(d) = obj else {
        return Err(refuse(patcher.unsupported));
    };
    // Like kubectl: decide on the object as read, then patch only the changed field.
    (patcher.edit)(&mut d.clone(), now).map_err(refuse)?;
    ctx.cluster
        .modify(
            Kind::Deployment,
            obj.namespace(),
            obj.name(),
            |o| {
                if let Object::Deployment(live) = o {
                    let _ = (patcher.edit)(live, now);
                }
            },
            &WriteOptions::default(),
        )
        .map_err(|e| format!("error: failed to patch: {}", server_error(&e)))
}
