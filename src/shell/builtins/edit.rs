//! `edit FILE` (alias `open`): open a workspace file in the lab's YAML editor. The shell cannot
//! draw an editor, so it reads the file and asks the screen to open it; in a plain
//! `k8s-lab shell` there is no screen, and it says how to write a file instead.

use super::Ctx;
use crate::io::EditorRequest;

pub fn edit(ctx: &mut Ctx<'_>) -> i32 {
    let name = ctx.name.clone();
    let [file] = ctx.args.as_slice() else {
        ctx.out.err_line(&format!("{name}: usage: {name} FILE"));
        return 2;
    };
    if !ctx.out.has_editor() {
        ctx.out.err_line(&format!(
            "{name}: the YAML editor is part of the lab's screen (k8s-lab start); here, write files with cat > {file} <<EOF"
        ));
        return 1;
    }
    let path = super::core::normalize(&ctx.session.path(file));
    let text = match ctx.session.workspace.resolve(&path) {
        None => {
            let why = ctx.session.workspace.outside();
            ctx.out.err_line(&format!("{name}: {file}: {why}"));
            return 1;
        }
        Some(p) if p.is_dir() => {
            ctx.out.err_line(&format!("{name}: {file}: Is a directory"));
            return 1;
        }
        Some(p) if !p.exists() => String::new(),
        Some(_) => match ctx.session.read_file(&path) {
            Ok(t) => t,
            Err(e) => {
                ctx.out.err_line(&format!("{name}: {file}: {e}"));
                return 1;
            }
        },
    };
    ctx.out.open_editor(EditorRequest::File { path, text });
    0
}

#[cfg(test)]
mod tests {
    use crate::io::{Chunk, EditorRequest, Output};

    #[tokio::test(start_paused = true)]
    async fn edit_asks_the_screen_to_open_the_file_and_says_so_without_one() {
        let (mut session, _dir) = crate::shell::tests::session().await;
        session.workspace.write("/svc.yaml", b"kind: Service\n").unwrap();
        let (out, buf) = Output::buffer();
        assert_eq!(session.run_line("edit svc.yaml", &out.with_editor(true)).await, 0);
        assert_eq!(
            buf.chunks(),
            vec![Chunk::Editor(EditorRequest::File {
                path: "/svc.yaml".into(),
                text: "kind: Service\n".into()
            })]
        );
        let (out, buf) = Output::buffer();
        assert_eq!(session.run_line("open new.yaml", &out.with_editor(true)).await, 0);
        assert_eq!(
            buf.chunks(),
            vec![Chunk::Editor(EditorRequest::File {
                path: "/new.yaml".into(),
                text: String::new()
            })]
        );
        let (out, buf) = Output::buffer();
        assert_eq!(session.run_line("edit svc.yaml", &out).await, 1);
        assert!(buf.stderr().contains("k8s-lab start"), "{}", buf.text());
    }

    /// `kubectl edit` typed in the TUI's shell reaches the editor through the kubectl builtin's
    /// own output (it used to lose the "has an editor" mark there).
    #[tokio::test(start_paused = true)]
    async fn kubectl_edit_through_the_shell_opens_the_editor() {
        let (mut session, _dir) = crate::shell::tests::session().await;
        let (out, buf) = Output::buffer();
        assert_eq!(
            session
                .run_line("kubectl edit svc kubernetes", &out.with_editor(true))
                .await,
            0
        );
        let chunks = buf.chunks();
        assert!(
            matches!(chunks.as_slice(), [Chunk::Editor(EditorRequest::Object(_))]),
            "{chunks:?}"
        );
    }
}
