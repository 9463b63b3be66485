//! `kubectl edit` in two steps, because the editor belongs to the UI: [`begin`] gives the text
//! kubectl would open in `$EDITOR` (the object's YAML under kubectl's comment header), and
//! [`finish`] takes the edited text and applies the learner's changes the way kubectl does (a
//! patch from the original to the edited object, so changes made meanwhile by controllers
//! survive). In `k8s-lab shell` the learner's `$EDITOR` edits a temporary file instead
//! ([`super::external_editor`]); with no editor at all [`run`] says how else to edit.

use super::args::Parsed;
use super::errors::server_error;
use super::resources::{parse_targets, Target};
use super::Ctx;
use crate::io::Output;
use crate::runtime::api::three_way_merge;
use crate::runtime::{ApiError, Cluster, Kind, Object};

/// The header kubectl puts above the object in the editor.
pub const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// An edit in progress: which object, and the JSON it had when the editor opened. It is the
/// output layer's plain [`ObjectEdit`](crate::io::ObjectEdit), so the TUI can hold it without
/// knowing kubectl.
pub type EditSession = crate::io::ObjectEdit;

/// The kind of the object `session` edits.
fn kind_of(session: &EditSession) -> Option<Kind> {
    Kind::from_type_meta(&session.api_version, &session.kind)
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
        api_version: kind.info().api_version(),
        kind: kind.info().name.to_string(),
        namespace: obj.namespace().to_string(),
        name,
        original,
        text,
    })
}

/// What applying an edited text came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Nothing to do: the text was empty or unchanged (kubectl's message).
    Cancelled(&'static str),
    /// The object was updated: `service/my-nginx`.
    Edited(String),
    /// The text is not YAML: the parser's message.
    SyntaxError(String),
    /// The server refused the object as invalid: kubectl's resource name (`services`), and the
    /// error as kubectl prints it on its own.
    Invalid {
        resource: String,
        causes: Vec<String>,
        message: String,
    },
    /// Any other error, as kubectl prints it.
    Failed(String),
}

/// The text without its comment lines (kubectl's `ManualStrip`).
pub fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Apply the edited text the way kubectl does: comments dropped, an unchanged object sends
/// nothing, and the change goes in as a patch from the original to the edited object. Both
/// editors (the TUI's and `$EDITOR` in `k8s-lab shell`) save through here.
pub fn apply_edit(cluster: &Cluster, session: &EditSession, edited: &str) -> Applied {
    let body = strip_comments(edited);
    if body.trim().is_empty() {
        return Applied::Cancelled("Edit cancelled, no changes made.");
    }
    let new = match crate::runtime::manifest::yaml_to_json(&body) {
        Ok(v) => v,
        Err(e) => return Applied::SyntaxError(e.to_string()),
    };
    if new == session.original {
        return Applied::Cancelled("Edit cancelled, no changes made.");
    }
    let Some(kind) = kind_of(session) else {
        return Applied::Failed(format!(
            "error: the server doesn't have a resource type \"{}\"",
            session.kind
        ));
    };
    let resource = kind.info().qualified_plural();
    let Some(live) = cluster.get(kind, &session.namespace, &session.name) else {
        return Applied::Failed(server_error(&ApiError::NotFound {
            kind,
            name: session.name.clone(),
        }));
    };
    let mut merged = live.to_json();
    three_way_merge(&mut merged, &session.original, &new);
    let obj = match Object::from_json(kind, merged) {
        Ok(mut o) => {
            o.meta_mut().resource_version = None;
            o
        }
        Err(e) => {
            return Applied::Invalid {
                resource: resource.to_string(),
                causes: vec![e.to_string()],
                message: format!("error: {resource} \"{}\" is invalid: {e}", session.name),
            }
        }
    };
    let tn = super::printers::type_name(&obj);
    match cluster.update(obj) {
        Ok(_) => Applied::Edited(tn),
        Err(e @ ApiError::Invalid { .. }) => {
            let ApiError::Invalid { causes, .. } = &e else {
                unreachable!()
            };
            Applied::Invalid {
                resource: resource.to_string(),
                causes: causes.iter().map(|c| format!("{}: {}", c.field, c.detail)).collect(),
                message: server_error(&e),
            }
        }
        Err(e) => Applied::Failed(server_error(&e)),
    }
}

/// Apply the edited text from the TUI's editor. Prints `service/my-nginx edited`, or `Edit
/// cancelled, no changes made.`, or the error; returns kubectl's exit code.
pub fn finish(cluster: &Cluster, session: &EditSession, edited: &str, out: &Output) -> i32 {
    match apply_edit(cluster, session, edited) {
        Applied::Cancelled(msg) => {
            out.err_line(msg);
            0
        }
        Applied::Edited(tn) => {
            out.line(&format!("{tn} edited"));
            0
        }
        Applied::SyntaxError(e) => {
            out.err_line(&format!("error: {e}"));
            1
        }
        Applied::Invalid { message, .. } | Applied::Failed(message) => {
            out.err_line(&message);
            1
        }
    }
}

/// What `kubectl edit` says where it has no editor to open.
pub const NO_EDITOR: &str = "kubectl edit has no editor to open here. Set KUBE_EDITOR or EDITOR in your environment before starting k8s-lab shell on a terminal (e.g. EDITOR=nano k8s-lab shell), or use the TUI (k8s-lab start), whose YAML editor opens, or change the object with kubectl patch, or with kubectl apply -f FILE";

/// `kubectl edit`: in the TUI (an output [with an editor](Output::has_editor)) the object opens
/// in the lab's YAML editor, which calls [`finish`] on save; in `k8s-lab shell` on a terminal
/// the learner's own `$KUBE_EDITOR`/`$EDITOR` runs ([`super::external_editor`]); elsewhere
/// there is no editor to open, and the message says what to do instead.
pub async fn run(ctx: &Ctx<'_>, p: &Parsed, out: &Output) -> i32 {
    match begin(ctx.cluster, &p.positional, &p.namespace()) {
        Ok(session) if out.has_editor() => {
            out.open_editor(crate::io::EditorRequest::Object(Box::new(session)));
            0
        }
        Ok(session) => match out.external_editor() {
            Some(editor) => super::external_editor::edit(ctx, &session, &editor, out).await,
            None => super::fail(out, NO_EDITOR),
        },
        Err(e) => {
            out.err_line(&e);
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl};

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
