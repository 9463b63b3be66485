//! `kubectl edit` in `k8s-lab shell`: the learner's own editor, run the way kubectl runs it.
//!
//! kubectl picks the editor from `KUBE_EDITOR`, then `EDITOR` (falling back to `vi`; the lab
//! does not fall back, it says how to set one instead, because a surprise `vi` is a trap for a
//! beginner). An editor command without spaces runs as is; with spaces it is split on them;
//! with quotes or backslashes it goes to the user's shell (`$SHELL -c 'CMD "FILE"'`), as
//! kubectl's `editor.NewDefaultEditor` does. The command comes from the learner's own
//! environment, never from a lesson, and only runs when the shell reads a terminal.
//!
//! The loop is kubectl's `editoptions.go`: write the object under the comment header to a temp
//! file (`/tmp/kubectl-edit-N.yaml`, in the lesson workspace's `tmp` folder, so `cat` and
//! `kubectl apply -f` in the lab find it), run the editor, and save through the same
//! [`apply_edit`] as the TUI. An unchanged file cancels; a syntax error or an object the server
//! refuses reopens the file with the reasons in the header; saving the same refused text again
//! gives up and keeps the file: `A copy of your changes has been stored to "…"`.

use std::path::Path;

use super::edit::{apply_edit, strip_comments, Applied, EditSession, HEADER};
use super::Ctx;
use crate::io::{ExternalEditor, Output};

/// A fresh temp file name, as kubectl's `os.CreateTemp("", "kubectl-edit-*.yaml")` makes.
fn temp_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    format!(
        "/tmp/kubectl-edit-{}.yaml",
        (nanos ^ std::process::id().rotate_left(16)).wrapping_add(n) % 1_000_000_000
    )
}

/// The header with the reasons the last save was refused (kubectl's `editHeader.writeTo`).
fn header(reasons: &[(String, Vec<String>)]) -> String {
    let mut h = String::from(HEADER);
    for (head, causes) in reasons {
        if causes.is_empty() {
            h.push_str(&format!("# {head}\n"));
        } else {
            h.push_str(&format!("# {head}:\n"));
        }
        for c in causes {
            h.push_str(&format!("# * {}\n", c.replace('\n', "\n# ")));
        }
        h.push_str("#\n");
    }
    h
}

/// Edit `session`'s object in `editor`; prints what kubectl prints and returns its exit code.
pub async fn edit(ctx: &Ctx<'_>, session: &EditSession, editor: &ExternalEditor, out: &Output) -> i32 {
    let shown = temp_name();
    let Some(path) = ctx.workspace.resolve(&shown) else {
        return super::fail(out, "no temporary folder in the lesson workspace");
    };
    let mut text = session.text.clone();
    // The text of the last save that failed, to notice the same text saved again.
    let mut refused: Option<String> = None;
    loop {
        if let Err(e) = ctx.workspace.write(&shown, text.as_bytes()) {
            return super::fail(out, &format!("cannot write {shown}: {e}"));
        }
        if let Err(e) = editor.run(&path).await {
            keep(&path, &shown, out);
            return super::fail(out, &e);
        }
        // The learner's editor may have written anything; the lab reads no more than a file.
        let edited = match crate::workspace::read_bounded(&path)
            .and_then(|b| String::from_utf8(b).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
        {
            Ok(t) => t,
            Err(e) => return super::fail(out, &format!("cannot read {shown}: {e}")),
        };
        if refused
            .as_deref()
            .is_some_and(|r| strip_comments(r) == strip_comments(&edited))
        {
            keep(&path, &shown, out);
            return super::fail(out, "Edit cancelled, no valid changes were saved.");
        }
        let reason = match apply_edit(ctx.cluster, session, &edited) {
            Applied::Cancelled(msg) => {
                remove(&path);
                out.err_line(msg);
                return 0;
            }
            Applied::Edited(name) => {
                remove(&path);
                out.line(&format!("{name} edited"));
                return 0;
            }
            Applied::SyntaxError(e) => (format!("The edited file had a syntax error: {e}"), Vec::new()),
            Applied::Invalid { resource, causes, .. } => {
                out.err_line(&format!("error: {resource} \"{}\" is invalid", session.name));
                (format!("{resource} \"{}\" was not valid", session.name), causes)
            }
            Applied::Failed(msg) => {
                out.err_line(&msg);
                keep(&path, &shown, out);
                return 1;
            }
        };
        text = format!("{}{}", header(&[reason]), strip_comments(&edited));
        refused = Some(edited);
    }
}

/// kubectl's `preservedFile`: say where the learner's text is.
fn keep(path: &Path, shown: &str, out: &Output) {
    if path.exists() {
        out.err_line(&format!("A copy of your changes has been stored to \"{shown}\""));
    }
}

fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::kubectl::tests::testutil::{cluster, kubectl, split};
    use crate::runtime::Kind;
    use crate::workspace::Workspace;

    /// Run `kubectl LINE` with `editor` (a shell command given the file) as `$EDITOR`.
    async fn edit_with(c: &crate::runtime::Cluster, ws: &Workspace, editor: &str, line: &str) -> (i32, String) {
        let ed = ExternalEditor::from_env(|k| match k {
            "EDITOR" => Some(editor.to_string()),
            "SHELL" => Some("/bin/sh".to_string()),
            _ => None,
        })
        .map(Arc::new);
        let (out, buf) = Output::buffer();
        let out = out.with_external_editor(ed);
        let ctx = Ctx {
            cluster: c,
            workspace: ws,
            stdin: None,
        };
        let code = super::super::run(&ctx, &split(line), &out).await;
        (code, buf.text())
    }

    fn tmp_files(ws: &Workspace) -> Vec<String> {
        std::fs::read_dir(ws.root().join("tmp"))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[tokio::test(start_paused = true)]
    async fn edit_with_the_learners_editor() {
        let dir = tempdir("edit");
        let ws = Workspace::new(&dir);
        let c = cluster().await;
        kubectl(&c, "create deployment my-nginx --image=nginx --port=80").await;
        kubectl(&c, "expose deployment my-nginx --type=NodePort").await;

        // An editor that saves without changing anything.
        assert_eq!(
            edit_with(&c, &ws, "true", "edit svc my-nginx").await,
            (0, "Edit cancelled, no changes made.\n".into())
        );
        // An editor that changes the type, and sees kubectl's header.
        let seen = dir.join("seen.txt");
        let script = format!(
            "sh -c 'head -n 1 \"$0\" > {}; sed -i \"s/type: NodePort/type: LoadBalancer/\" \"$0\"'",
            seen.display()
        );
        assert_eq!(
            edit_with(&c, &ws, &script, "edit service/my-nginx").await,
            (0, "service/my-nginx edited\n".into())
        );
        assert_eq!(
            std::fs::read_to_string(&seen).unwrap(),
            "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
        );
        let svc = c.get(Kind::Service, "default", "my-nginx").unwrap();
        assert_eq!(
            svc.as_service().unwrap().spec.as_ref().unwrap().type_.as_deref(),
            Some("LoadBalancer")
        );
        assert!(
            tmp_files(&ws).is_empty(),
            "the temp file is removed: {:?}",
            tmp_files(&ws)
        );

        // An invalid change: refused, reopened with the reason, saved again unchanged → kept.
        let reasons = dir.join("reasons.txt");
        let script = format!(
            "sh -c 'grep \"^# \\*\" \"$0\" >> {}; sed -i \"s/type: LoadBalancer/type: Bogus/\" \"$0\"'",
            reasons.display()
        );
        let (code, text) = edit_with(&c, &ws, &script, "edit svc my-nginx").await;
        assert_eq!(code, 1, "{text}");
        let files = tmp_files(&ws);
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(
            text,
            format!(
                "error: services \"my-nginx\" is invalid\nA copy of your changes has been stored to \"/tmp/{}\"\nerror: Edit cancelled, no valid changes were saved.\n",
                files[0]
            )
        );
        assert!(files[0].starts_with("kubectl-edit-") && files[0].ends_with(".yaml"));
        let kept = std::fs::read_to_string(ws.root().join("tmp").join(&files[0])).unwrap();
        assert!(
            kept.contains("# services \"my-nginx\" was not valid:\n# * spec.type"),
            "{kept}"
        );
        assert!(kept.contains("\n  type: Bogus\n"), "{kept}");
        // The second opening showed the reason.
        assert!(std::fs::read_to_string(&reasons).unwrap().starts_with("# * spec.type"));
        let svc = c.get(Kind::Service, "default", "my-nginx").unwrap();
        assert_eq!(
            svc.as_service().unwrap().spec.as_ref().unwrap().type_.as_deref(),
            Some("LoadBalancer")
        );

        // A failing editor.
        let (code, text) = edit_with(&c, &ws, "false", "edit svc my-nginx").await;
        assert_eq!(code, 1);
        assert!(
            text.contains("error: there was a problem with the editor \"false "),
            "{text}"
        );
        // No editor: say how else to edit.
        let (code, text) = kubectl(&c, "edit svc my-nginx").await;
        assert_eq!((code, text), (1, format!("error: {}\n", super::super::edit::NO_EDITOR)));
        c.shutdown();
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempdir(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("k8s-lab-{tag}-{}-{}", std::process::id(), temp_name().len()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
