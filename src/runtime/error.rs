//! API errors, shaped like the API server's `Status` so kubectl can print them in its own words.

use super::kinds::Kind;

/// One field problem in an `Invalid` error: `spec.ports[0].port: Invalid value: 70000: must be …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// Already rendered: `Invalid value: 30008: provided port is already allocated`,
    /// `Required value`, `Unsupported value: "Foo": supported values: …`.
    pub detail: String,
}

impl FieldError {
    pub fn invalid(field: impl Into<String>, value: impl std::fmt::Display, why: &str) -> Self {
        FieldError {
            field: field.into(),
            detail: format!("Invalid value: {value}: {why}"),
        }
    }
    pub fn required(field: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            detail: "Required value".into(),
        }
    }
}

/// An error from the embedded API server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("{} \"{name}\" not found", kind.info().qualified_plural())]
    NotFound { kind: Kind, name: String },
    #[error("{} \"{name}\" already exists", kind.info().qualified_plural())]
    AlreadyExists { kind: Kind, name: String },
    #[error("{}", render_invalid(*kind, name, causes))]
    Invalid {
        kind: Kind,
        name: String,
        causes: Vec<FieldError>,
    },
    /// Refused by admission: `pods "x" is forbidden: unable to create new content in …`.
    #[error("{} \"{name}\" is forbidden: {message}", kind.info().qualified_plural())]
    Forbidden { kind: Kind, name: String, message: String },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// The request body was over the API server's limit (`limit` bytes).
    #[error("Request entity too large: limit is {limit}")]
    RequestEntityTooLarge { limit: usize },
    /// A watch from a resourceVersion the server no longer remembers (410, reason `Expired`):
    /// `too old resource version: 12 (340)`. The client lists again.
    #[error("{0}")]
    Expired(String),
    /// A patch that does not apply to the object (422 with no field causes), as a JSON patch
    /// naming a missing path: kubectl says `The request is invalid: …`.
    #[error("{0}")]
    Unprocessable(String),
    /// A verb the resource does not have (405): `the server does not allow this method on the
    /// requested resource`.
    #[error("the server does not allow this method on the requested resource")]
    MethodNotAllowed,
    /// A request body in a format the verb does not take (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A `resourceVersion` newer than the server has seen, or a wait that ran out (504).
    #[error("{0}")]
    Timeout(String),
}

fn render_invalid(kind: Kind, name: &str, causes: &[FieldError]) -> String {
    let list: Vec<String> = causes.iter().map(|c| format!("{}: {}", c.field, c.detail)).collect();
    let joined = if list.len() == 1 {
        list[0].clone()
    } else {
        format!("[{}]", list.join(", "))
    };
    format!("The {} \"{}\" is invalid: {}", kind.info().name, name, joined)
}

impl ApiError {
    /// The `reason` of the API `Status`, as kubectl shows it in `Error from server (Reason)`.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Invalid { .. } => "Invalid",
            ApiError::Forbidden { .. } => "Forbidden",
            ApiError::BadRequest(_) => "BadRequest",
            ApiError::Conflict(_) => "Conflict",
            ApiError::RequestEntityTooLarge { .. } => "RequestEntityTooLarge",
            ApiError::Expired(_) => "Expired",
            ApiError::Unprocessable(_) => "Invalid",
            ApiError::MethodNotAllowed => "MethodNotAllowed",
            ApiError::UnsupportedMediaType(_) => "UnsupportedMediaType",
            ApiError::Timeout(_) => "Timeout",
        }
    }

    /// The HTTP status code the API server answers with.
    pub fn code(&self) -> u16 {
        match self {
            ApiError::NotFound { .. } => 404,
            ApiError::AlreadyExists { .. } | ApiError::Conflict(_) => 409,
            ApiError::Invalid { .. } | ApiError::Unprocessable(_) => 422,
            ApiError::Forbidden { .. } => 403,
            ApiError::BadRequest(_) => 400,
            ApiError::RequestEntityTooLarge { .. } => 413,
            ApiError::Expired(_) => 410,
            ApiError::MethodNotAllowed => 405,
            ApiError::UnsupportedMediaType(_) => 415,
            ApiError::Timeout(_) => 504,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_like_the_api_server() {
        let e = ApiError::NotFound {
            kind: Kind::Service,
            name: "backend".into(),
        };
        assert_eq!(e.to_string(), "services \"backend\" not found");
        let e = ApiError::NotFound {
            kind: Kind::Deployment,
            name: "x".into(),
        };
        assert_eq!(e.to_string(), "deployments.apps \"x\" not found");
        let e = ApiError::Invalid {
            kind: Kind::Service,
            name: "dup".into(),
            causes: vec![FieldError::invalid(
                "spec.ports[0].nodePort",
                30008,
                "provided port is already allocated",
            )],
        };
        let f = ApiError::Forbidden {
            kind: Kind::Namespace,
            name: "default".into(),
            message: "this namespace may not be deleted".into(),
        };
        assert_eq!(
            f.to_string(),
            "namespaces \"default\" is forbidden: this namespace may not be deleted"
        );
        assert_eq!(f.reason(), "Forbidden");
        assert_eq!(
            e.to_string(),
            "The Service \"dup\" is invalid: spec.ports[0].nodePort: Invalid value: 30008: provided port is already allocated"
        );
    }
}
