//! The shell's own state that a learner builds up and later steps lean on — variables
//! (`export NODE_PORT=$(…)`), the current folder, and the journal of what ran (so a step
//! half done before a restart keeps the commands already typed) — saved with the workspace after every
//! command line that changed them, so a restart (or `kill -9`) brings them back with the
//! cluster. Written atomically; a file that cannot be read is ignored (the shell starts empty,
//! as a new terminal would).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedShell {
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    #[serde(default)]
    pub cwd: String,
    #[serde(default)]
    pub journal: super::journal::SavedJournal,
}

/// Where a session keeps its [`SavedShell`] and what it last wrote there.
#[derive(Debug, Clone)]
pub struct Saver {
    path: PathBuf,
    last: SavedShell,
}

impl Saver {
    /// Read what was saved at `path` (nothing, if there is no readable file) and keep saving
    /// there.
    pub fn open(path: PathBuf) -> (Saver, SavedShell) {
        let saved = read(&path).unwrap_or_default();
        (
            Saver {
                path,
                last: saved.clone(),
            },
            saved,
        )
    }

    /// Write `now` if it differs from what was last written. Errors are returned, not fatal.
    pub fn save(&mut self, now: SavedShell) -> std::io::Result<()> {
        if now == self.last {
            return Ok(());
        }
        let text = serde_json::to_vec_pretty(&now).map_err(std::io::Error::other)?;
        crate::workspace::write_atomic(&self.path, &text)?;
        self.last = now;
        Ok(())
    }
}

fn read(path: &Path) -> Option<SavedShell> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 1 << 20 {
        return None;
    }
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_only_changes_and_reads_them_back() {
        let dir = std::env::temp_dir().join(format!("k8s-lab-saved-shell-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("shell.json");
        let (mut saver, first) = Saver::open(path.clone());
        assert_eq!(first, SavedShell::default());
        assert!(!path.exists());
        saver.save(SavedShell::default()).unwrap();
        assert!(!path.exists(), "nothing changed, nothing written");
        let now = SavedShell {
            vars: [("NODE_PORT".to_string(), "30008".to_string())].into(),
            cwd: "/sub".into(),
            ..SavedShell::default()
        };
        saver.save(now.clone()).unwrap();
        assert_eq!(Saver::open(path.clone()).1, now);
        std::fs::write(&path, "{broken").unwrap();
        assert_eq!(Saver::open(path).1, SavedShell::default(), "a broken file starts empty");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
