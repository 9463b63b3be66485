//! `metav1.Status`: the shape every API error travels in. The lab's kubectl reads `reason` and
//! the message from [`ApiError`] directly; an HTTP front end encodes [`Status::to_json`] as the
//! response body with [`Status::code`] as the HTTP status, so both see the same error.

use serde_json::{json, Value};

use crate::runtime::error::{ApiError, FieldError};

/// One field problem of an `Invalid` status (`details.causes[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCause {
    /// `FieldValueInvalid`, `FieldValueRequired`, …
    pub reason: &'static str,
    /// The cause without its field: `Invalid value: 30008: provided port is already allocated`.
    pub message: String,
    pub field: String,
}

/// `details` of a failure status: which object, and the field causes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusDetails {
    pub name: String,
    pub group: String,
    /// The resource's plural name (`services`), as the API server fills `details.kind` for
    /// NotFound and AlreadyExists, or the kind's name (`Service`) for Invalid.
    pub kind: String,
    pub causes: Vec<StatusCause>,
}

/// A failure `Status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<StatusDetails>,
}

/// The cause reason the field package gives a detail: `Invalid value: …` is
/// `FieldValueInvalid`, `Required value` is `FieldValueRequired`, and so on.
fn cause_reason(detail: &str) -> &'static str {
    const REASONS: &[(&str, &str)] = &[
        ("Invalid value", "FieldValueInvalid"),
        ("Required value", "FieldValueRequired"),
        ("Unsupported value", "FieldValueNotSupported"),
        ("Duplicate value", "FieldValueDuplicate"),
        ("Forbidden", "FieldValueForbidden"),
        ("Too long", "FieldValueTooLong"),
        ("Too many", "FieldValueTooMany"),
        ("Not found", "FieldValueNotFound"),
        ("Internal error", "InternalError"),
    ];
    REASONS
        .iter()
        .find(|(prefix, _)| detail.starts_with(prefix))
        .map_or("FieldValueInvalid", |(_, r)| r)
}

fn cause(c: &FieldError) -> StatusCause {
    StatusCause {
        reason: cause_reason(&c.detail),
        message: c.detail.clone(),
        field: c.field.clone(),
    }
}

impl Status {
    /// The status the API server sends for `e`.
    pub fn of(e: &ApiError) -> Status {
        let details = match e {
            ApiError::NotFound { kind, name }
            | ApiError::AlreadyExists { kind, name }
            | ApiError::Forbidden { kind, name, .. } => Some(StatusDetails {
                name: name.clone(),
                group: kind.info().group.to_string(),
                kind: kind.info().plural.to_string(),
                causes: Vec::new(),
            }),
            ApiError::Invalid { kind, name, causes } => Some(StatusDetails {
                name: name.clone(),
                group: kind.info().group.to_string(),
                kind: kind.info().name.to_string(),
                causes: causes.iter().map(cause).collect(),
            }),
            _ => None,
        };
        Status {
            code: e.code(),
            reason: e.reason(),
            message: e.to_string(),
            details,
        }
    }

    /// The `Status` object as JSON (`kind: Status`, `apiVersion: v1`).
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(d) = &self.details {
            let mut dj = serde_json::Map::new();
            if !d.name.is_empty() {
                dj.insert("name".into(), d.name.clone().into());
            }
            if !d.group.is_empty() {
                dj.insert("group".into(), d.group.clone().into());
            }
            dj.insert("kind".into(), d.kind.clone().into());
            if !d.causes.is_empty() {
                let causes: Vec<Value> = d
                    .causes
                    .iter()
                    .map(|c| json!({"reason": c.reason, "message": c.message, "field": c.field}))
                    .collect();
                dj.insert("causes".into(), causes.into());
            }
            v["details"] = Value::Object(dj);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::Kind;

    #[test]
    fn not_found_is_a_404_with_the_resource_in_its_details() {
        let s = Status::of(&ApiError::NotFound {
            kind: Kind::Deployment,
            name: "web".into(),
        });
        assert_eq!(
            s.to_json(),
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "deployments.apps \"web\" not found", "reason": "NotFound",
                "details": {"name": "web", "group": "apps", "kind": "deployments"}, "code": 404})
        );
    }

    #[test]
    fn invalid_is_a_422_with_one_cause_per_field() {
        let e = ApiError::Invalid {
            kind: Kind::Service,
            name: "dup".into(),
            causes: vec![
                FieldError::invalid("spec.ports[0].nodePort", 30008, "provided port is already allocated"),
                FieldError::required("spec.ports"),
            ],
        };
        let s = Status::of(&e);
        assert_eq!((s.code, s.reason), (422, "Invalid"));
        let d = s.details.unwrap();
        assert_eq!(d.kind, "Service");
        assert_eq!(
            d.causes
                .iter()
                .map(|c| (c.reason, c.field.as_str()))
                .collect::<Vec<_>>(),
            [
                ("FieldValueInvalid", "spec.ports[0].nodePort"),
                ("FieldValueRequired", "spec.ports")
            ]
        );
    }

    #[test]
    fn every_error_has_the_api_servers_code() {
        let cases = [
            (ApiError::Conflict("x".into()), 409, "Conflict"),
            (
                ApiError::Expired("too old resource version: 1 (5)".into()),
                410,
                "Expired",
            ),
            (ApiError::BadRequest("x".into()), 400, "BadRequest"),
            (ApiError::MethodNotAllowed, 405, "MethodNotAllowed"),
            (ApiError::Unprocessable("x".into()), 422, "Invalid"),
            (
                ApiError::RequestEntityTooLarge { limit: 3 },
                413,
                "RequestEntityTooLarge",
            ),
        ];
        for (e, code, reason) in cases {
            assert_eq!((Status::of(&e).code, Status::of(&e).reason), (code, reason), "{e:?}");
        }
    }
}
