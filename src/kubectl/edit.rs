//! `kubectl edit` in two steps, because the editor belongs to the UI: [`begin`] gives the text
//! kubectl would open in `$EDITOR` (the object's YAML under kubectl's comment header), and
//! [`finish`] takes the edited text and applies the learner's changes the way kubectl does (a
//! patch from the original to the edited object, so changes made meanwhile by controllers
//! survive). Without an editor (`kubectl edit` typed in a plain shell) [`run`] says so.

use super::args::Parsed;
use super::errors::server_error;
use super::resources::{parse_targets, Target};
use super::Ctx;
use crate::runtime::api::three_way_merge;
use crate::runtime::{ApiError, Cluster, Kind, Object};
use crate::shell::io::Output;

/// The header kubectl puts above the object in the editor.
pub const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// An edit in progress: which object, and the JSON it had when the editor opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditSession {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    original: serde_json::Value,
    /// The text to open in the editor.
    pub text: String,
}

/// Start editing the object `args` name (`svc my-nginx`, `service/my-nginx`) in `namespace`.
/// The error is the whole line kubectl would print.
pub fn begin(cluster: &Cluster, args: &[String], namespace: &str) -> Result<EditSession, String> {
    let targets = parse_targets(args).map_err(|e| format!("error: {e}"))?;
    let (kind, name) = match targets.as_slice() {
        [Target::Named(k, n)] => (*k, n.clone()),
        [] => return Err("error: You must provide one or more resources by argument or filename.".into()),
        _ => return Err("error: the lab edits one object at a time".into()),
    };
    let obj = cluster.get(kind, namespace, &name).ok_or_else(|| {
        server_error(&ApiError::NotFound {
            kind,
            name: name.clone(),
        })
    })?;
    let original = obj.to_json();
    let text = format!("{HEADER}{}", super::printers::yaml::to_yaml(&original));
    Ok(EditSession {
        kind,
        namespace: obj.namespace().to_string(),
        name,
        original,
        text,
    })
}

/// Apply the edited text. Prints `service/my-nginx edited`, or `Edit cancelled, no changes
/// made.`, or the error; returns kubectl's exit code.
pub fn finish(cluster: &Cluster, session: &EditSession, edited: &str, out: &Output) -> i32 {
    let body: String = edited
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    if body.trim().is_empty() {
        out.err_line("Edit cancelled, no changes made.");
        return 0;
    }
    let new = match crate::runtime::manifest::yaml_to_json(&body) {
        Ok(v) => v,
        Err(e) => {
            out.err_line(&format!("error: {e}"));
            return 1;
        }
    };
    if new == session.original {
        out.err_line("Edit cancelled, no changes made.");
        return 0;
    }
    let Some(live) = cluster.get(session.kind, &session.namespace, &session.name) else {
        out.err_line(&server_error(&ApiError::NotFound {
            kind: session.kind,
            name: session.name.clone(),
        }));
        return 1;
    };
    let mut merged = live.to_json();
    three_way_merge(&mut merged, &session.original, &new);
    let obj = match Object::from_json(session.kind, merged) {
        Ok(mut o) => {
            o.meta_mut().resource_version = None;
            o
        }
        Err(e) => {
            out.err_line(&format!(
                "error: {} \"{}\" is invalid: {e}",
                session.kind.info().qualified_plural(),
                session.name
            ));
            return 1;
        }
    };
    let tn = super::printers::type_name(&obj);
    match cluster.update(obj) {
        Ok(_) => {
            out.line(&format!("{tn} edited"));
            0
        }
        Err(e) => {
            out.err_line(&server_error(&e));
            1
        }
    }
}

/// `kubectl edit`: in the TUI (an output [with an editor](Output::has_editor)) the object opens
/// in the lab's YAML editor, which calls [`finish`] on save; elsewhere there is no editor to open.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    match begin(ctx.cluster, &p.positional, &p.namespace()) {
        Ok(session) if out.has_editor() => {
            out.open_editor(crate::shell::io::EditorRequest::Object(Box::new(session)));
            0
        }
        Ok(_) => super::fail(
            out,
            "kubectl edit needs an editor: use the lab's YAML editor, or kubectl patch / kubectl apply -f",
        ),
        Err(e) => {
            out.err_line(&e);
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{cluster, kubectl};
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn edit_a_service_type() {
        let c = cluster().await;
        kubectl(&c, "create deployment my-nginx --image=nginx --port=80").await;
        kubectl(&c, "expose deployment my-nginx --type=NodePort").await;
        let s = begin(&c, &["svc".into(), "my-nginx".into()], "default").unwrap();
        assert!(
            s.text.starts_with(HEADER) && s.text.contains("\n  type: NodePort\n"),
            "{}",
            s.text
        );
        let (out, buf) = Output::buffer();
        assert_eq!(finish(&c, &s, &s.text, &out), 0);
        assert_eq!(buf.text(), "Edit cancelled, no changes made.\n");
        let (out, buf) = Output::buffer();
        assert_eq!(
            finish(&c, &s, &s.text.replace("type: NodePort", "type: LoadBalancer"), &out),
            0
        );
        assert_eq!(buf.text(), "service/my-nginx edited\n");
        let svc = c.get(Kind::Service, "default", "my-nginx").unwrap();
        assert_eq!(
            svc.as_service().unwrap().spec.as_ref().unwrap().type_.as_deref(),
            Some("LoadBalancer")
        );
        assert_eq!(
            begin(&c, &["svc".into(), "nope".into()], "default").unwrap_err(),
            "Error from server (NotFound): services \"nope\" not found"
        );
    }
}
