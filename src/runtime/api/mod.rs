//! The API server: the one door into the cluster. Every read and write of the lab's kubectl,
//! the lessons' checks and the TUI (and, later, the HTTP front end) goes through the verbs here,
//! so they all get the same answers: defaulting and validation run on every write, whoever
//! writes, and every error is an [`ApiError`] that renders as a `metav1.Status`.
//!
//! Module map:
//! - [`read`] — get and list, with label and [`fields`] selectors and a resourceVersion.
//! - [`watch`] — watch streams from a resourceVersion: initial state, bookmarks, 410 Gone.
//! - [`status`] — every error as a `metav1.Status` (code, reason, details, causes).
//! - [`write`] — create and update (`PUT`): admission, defaulting, validation, optimistic
//!   concurrency on `resourceVersion`, dry-run, field validation of JSON bodies.
//! - [`patch`] — JSON patch, JSON merge patch and strategic merge patch (with the merge keys of
//!   the real types), written through the update path.
//! - [`subresources`] — `scale` (an `autoscaling/v1` Scale) and `status`.
//! - [`apply`] — `kubectl apply`'s client-side three-way merge, done here for the lab's kubectl.
//! - [`services`] — ClusterIP and node-port allocation (the Service REST strategy).
//! - [`events`] — the event recorder and the Event TTL.
//! - `fixtures` (tests only) — stored state written directly, for states no controller reaches.
//! - [`delete`] — deletion: graceful pods, finalizers, propagation, namespaces.

pub mod apply;
pub mod delete;
pub mod events;
pub mod fields;
#[cfg(test)]
pub mod fixtures;
pub mod patch;
pub mod read;
pub mod services;
pub mod status;
pub mod subresources;
pub mod watch;
pub mod write;

pub use apply::{three_way_merge, ApplyOutcome, LAST_APPLIED};
pub use delete::{DeleteOptions, Propagation};
pub use events::{EVENT_TTL, MAX_EVENTS};
pub use fields::FieldSelector;
pub use patch::PatchType;
pub use read::{ListOptions, ObjectList};
pub use services::NODE_PORT_RANGE;
pub use status::Status;
pub use watch::{Watch, WatchItem, WatchOptions};

use super::error::ApiError;
use super::object::Object;

/// `?fieldValidation=`: what a write does with fields the schema does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidation {
    Ignore,
    /// The API server's default when the client says nothing.
    #[default]
    Warn,
    /// kubectl's default (`--validate=strict`).
    Strict,
}

impl FieldValidation {
    /// The query parameter's value, if it is one the API server takes.
    pub fn parse(s: &str) -> Option<FieldValidation> {
        match s {
            "Ignore" => Some(FieldValidation::Ignore),
            "Warn" | "" => Some(FieldValidation::Warn),
            "Strict" => Some(FieldValidation::Strict),
            _ => None,
        }
    }
}

/// The options every write takes (`?dryRun=All&fieldManager=…&fieldValidation=…`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    pub dry_run: bool,
    /// Who writes (`kubectl-client-side-apply`, `kubectl-edit`, …). Kept for server-side
    /// apply's field ownership, which the lab does not track yet.
    pub field_manager: Option<String>,
    pub field_validation: FieldValidation,
}

impl WriteOptions {
    /// A dry run (`--dry-run=server`).
    pub fn dry_run() -> WriteOptions {
        WriteOptions {
            dry_run: true,
            ..Default::default()
        }
    }
}

/// The API server's limit on a request body (`--max-request-bytes` defaults to 3 MiB). A write
/// whose object, as kubectl would send it in JSON, is bigger gets `RequestEntityTooLarge`.
pub const MAX_REQUEST_BYTES: usize = 3 * 1024 * 1024;

/// The request-size check the API server makes before it decodes a body.
fn check_request_size(obj: &Object) -> Result<(), ApiError> {
    if obj.json_size() > MAX_REQUEST_BYTES {
        return Err(ApiError::RequestEntityTooLarge {
            limit: MAX_REQUEST_BYTES,
        });
    }
    Ok(())
}
