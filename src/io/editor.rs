//! Plain data the shell hands to a screen that can edit: a file or a live object to open in the
//! TUI's editor, and the learner's own `$KUBE_EDITOR`/`$EDITOR` for `k8s-lab shell`. Nothing here
//! knows kubectl's types, so the output sink stays a leaf that every layer can use.

use std::path::Path;
use std::process::Command;

/// What to open in the TUI's editor. The shell cannot show an editor itself (it writes chunks),
/// so it asks the screen to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorRequest {
    /// A workspace file: its path from the workspace root (`/svc.yaml`) and its text (empty for
    /// a new file).
    File { path: String, text: String },
    /// `kubectl edit`: the live object as it was opened.
    Object(Box<ObjectEdit>),
}

/// A live object opened for `kubectl edit`: which object, its JSON when it was opened (the base
/// of the three-way merge on save) and the text shown in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectEdit {
    /// `v1`, `apps/v1`.
    pub api_version: String,
    /// `Service`, `Deployment`.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub original: serde_json::Value,
    /// The text to open in the editor.
    pub text: String,
}

/// How to start the learner's editor on a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalEditor {
    args: Vec<String>,
    /// The last argument is a shell command line; the file is appended to it, quoted.
    shell: bool,
}

impl ExternalEditor {
    /// The editor named by `KUBE_EDITOR` or `EDITOR` (looked up with `env`), if either is set.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Option<ExternalEditor> {
        let editor = ["KUBE_EDITOR", "EDITOR"]
            .iter()
            .filter_map(|k| env(k))
            .find(|v| !v.trim().is_empty())?;
        if !editor.contains(' ') {
            return Some(ExternalEditor {
                args: vec![editor],
                shell: false,
            });
        }
        if !editor.contains(['"', '\'', '\\']) {
            return Some(ExternalEditor {
                args: editor.split(' ').map(String::from).collect(),
                shell: false,
            });
        }
        let shell = env("SHELL")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "/bin/bash".into());
        Some(ExternalEditor {
            args: vec![shell, "-c".into(), editor],
            shell: true,
        })
    }

    /// The command line that edits `path`.
    pub fn argv(&self, path: &Path) -> Vec<String> {
        let mut args = self.args.clone();
        let file = path.display().to_string();
        if self.shell {
            let last = args.pop().unwrap_or_default();
            args.push(format!("{last} {}", go_quote(&file)));
        } else {
            args.push(file);
        }
        args
    }

    /// Run the editor on `path` with the terminal, and wait for it.
    pub async fn run(&self, path: &Path) -> Result<(), String> {
        let argv = self.argv(path);
        let shown = argv.join(" ");
        let status = tokio::task::spawn_blocking(move || Command::new(&argv[0]).args(&argv[1..]).status())
            .await
            .map_err(|e| e.to_string())?;
        match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!("there was a problem with the editor \"{shown}\": {s}")),
            Err(e) => Err(format!("unable to launch the editor \"{shown}\": {e}")),
        }
    }
}

/// Go's `%q` for a path: double quotes, with `"` and `\` escaped.
fn go_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_editor_comes_from_the_environment_as_kubectl_reads_it() {
        assert_eq!(ExternalEditor::from_env(env(&[])), None);
        assert_eq!(ExternalEditor::from_env(env(&[("EDITOR", "  ")])), None);
        let e = ExternalEditor::from_env(env(&[("EDITOR", "nano"), ("KUBE_EDITOR", "vim")])).unwrap();
        assert_eq!(e.argv(Path::new("/w/f.yaml")), ["vim", "/w/f.yaml"]);
        let e = ExternalEditor::from_env(env(&[("EDITOR", "code --wait")])).unwrap();
        assert_eq!(e.argv(Path::new("/w/f.yaml")), ["code", "--wait", "/w/f.yaml"]);
        let e = ExternalEditor::from_env(env(&[("EDITOR", "emacs -nw 'x'"), ("SHELL", "/bin/zsh")])).unwrap();
        assert_eq!(
            e.argv(Path::new("/w/a \"b\".yaml")),
            ["/bin/zsh", "-c", "emacs -nw 'x' \"/w/a \\\"b\\\".yaml\""]
        );
    }
}
