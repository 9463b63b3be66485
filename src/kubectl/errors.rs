//! How kubectl words errors: `Error from server (Reason): …` for API errors, the
//! `The Service "x" is invalid: …` form for validation errors (kubectl's `CheckErr` rewrites those
//! from the Status causes), and `error when creating "SOURCE": …` for writes from a manifest.

use crate::runtime::error::ApiError;

/// An API error as kubectl prints it on its own (`kubectl get svc nope`).
pub fn server_error(e: &ApiError) -> String {
    match e {
        ApiError::Invalid { .. } => invalid(e),
        _ => format!("Error from server ({}): {e}", e.reason()),
    }
}

/// An API error from writing an object read from `source` (`kubectl apply -f`, `create -f`).
/// `verb` is `creating`, `applying` or `patching`.
pub fn write_error(e: &ApiError, verb: &str, source: &str) -> String {
    match e {
        ApiError::Invalid { .. } => invalid(e),
        _ => format!(
            "Error from server ({}): error when {verb} \"{source}\": {e}",
            e.reason()
        ),
    }
}

/// The API server's own `Status` message, as kubectl shows it inside a list of errors: an
/// invalid object reads `Deployment.apps "web" is invalid: [a, b]` there.
pub fn status_message(e: &ApiError) -> String {
    let ApiError::Invalid { kind, name, causes } = e else {
        return e.to_string();
    };
    let info = kind.info();
    let qualified = if info.group.is_empty() {
        info.name.to_string()
    } else {
        format!("{}.{}", info.name, info.group)
    };
    let mut seen: Vec<String> = Vec::new();
    for c in causes {
        let m = format!("{}: {}", c.field, c.detail);
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    match seen.len() {
        0 => format!("{qualified} \"{name}\" is invalid"),
        1 => format!("{qualified} \"{name}\" is invalid: {}", seen[0]),
        _ => format!("{qualified} \"{name}\" is invalid: [{}]", seen.join(", ")),
    }
}

/// `MultilineError("The Kind \"name\" is invalid: ", causes)`.
fn invalid(e: &ApiError) -> String {
    let ApiError::Invalid { kind, name, causes } = e else {
        return e.to_string();
    };
    let prefix = format!("The {} \"{}\" is invalid: ", kind.info().name, name);
    match causes.len() {
        0 => prefix.trim_end().to_string(),
        1 => format!("{prefix}{}: {}", causes[0].field, causes[0].detail),
        _ => {
            let mut s = prefix;
            for c in causes {
                s.push_str(&format!("\n* {}: {}", c.field, c.detail));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::error::FieldError;
    use crate::runtime::Kind;

    #[test]
    fn wording() {
        let nf = ApiError::NotFound {
            kind: Kind::Service,
            name: "backend".into(),
        };
        assert_eq!(
            server_error(&nf),
            "Error from server (NotFound): services \"backend\" not found"
        );
        let ns = ApiError::NotFound {
            kind: Kind::Namespace,
            name: "x".into(),
        };
        assert_eq!(
            write_error(&ns, "creating", "STDIN"),
            "Error from server (NotFound): error when creating \"STDIN\": namespaces \"x\" not found"
        );
        let inv = ApiError::Invalid {
            kind: Kind::Service,
            name: "dup-nodeport".into(),
            causes: vec![FieldError::invalid(
                "spec.ports[0].nodePort",
                30008,
                "provided port is already allocated",
            )],
        };
        assert_eq!(
            write_error(&inv, "creating", "STDIN"),
            "The Service \"dup-nodeport\" is invalid: spec.ports[0].nodePort: Invalid value: 30008: provided port is already allocated"
        );
        let two = ApiError::Invalid {
            kind: Kind::Service,
            name: "s".into(),
            causes: vec![
                FieldError::required("spec.ports"),
                FieldError::required("spec.selector"),
            ],
        };
        assert_eq!(
            server_error(&two),
            "The Service \"s\" is invalid: \n* spec.ports: Required value\n* spec.selector: Required value"
        );
    }
}
