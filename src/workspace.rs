//! The learner's files: a folder per lesson where `kubectl apply -f ./x.yaml`, `/tmp/nginx.key`
//! and `--from-file=default.conf` are found, and the URL aliases that let a seed's
//! `https://k8s.io/examples/…` address resolve to a file the lesson bundles (the lab is offline).
//!
//! Every path a command names is resolved here, and nothing resolves outside the workspace root:
//! not `..` past it, and not a symbolic link whose target lies outside it (a link the learner
//! made with their own shell to `/etc`, or to a folder of theirs). Such a path is refused with
//! [`Workspace::outside`], in each command's own frame (`cat: X: outside the lesson folder
//! ~/lesson5`). Links that stay inside the folder work as links do.
//!
//! The learner sees the root as a home-like folder named for the lesson, `~/lesson5` (see
//! [`Workspace::label`]): `pwd` prints it, `~` expands to it, the editor's save applies
//! `~/lesson5/dup.yaml`. Inside, paths stay workspace-relative (`/` is the root), and a typed
//! path that starts with the label resolves to the root, like any other.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Most bytes of a workspace file the lab reads into memory (`cat`, `< file`, `curl --cacert`).
/// The learner's own shell can make bigger files in the folder; the lab says they are too big.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Read `path` whole, or `File too large` (EFBIG's words) past [`MAX_FILE_BYTES`].
pub fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(io::Error::new(io::ErrorKind::FileTooLarge, "File too large"));
    }
    Ok(bytes)
}

#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
    /// URL → file contents (bundled with the lesson).
    url_aliases: BTreeMap<String, String>,
}

impl Workspace {
    pub fn new(root: impl Into<PathBuf>) -> Workspace {
        Workspace {
            root: root.into(),
            url_aliases: BTreeMap::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How the learner sees the root: `~/` and the folder's name (`~/lesson5`).
    pub fn label(&self) -> String {
        let name = self.root.file_name().and_then(|n| n.to_str()).unwrap_or("lab");
        format!("~/{name}")
    }

    /// A workspace-relative path (`/dup.yaml`, as the shell keeps it) as the learner sees it:
    /// `~/lesson5/dup.yaml`.
    pub fn shown(&self, path: &str) -> String {
        let rest = path.trim_start_matches('/');
        if rest.is_empty() {
            self.label()
        } else {
            format!("{}/{rest}", self.label())
        }
    }

    /// `typed` without a leading [`Workspace::label`] (`~/lesson5/x` → `/x`), if it has one.
    pub fn strip_label<'a>(&self, typed: &'a str) -> Option<&'a str> {
        let label = self.label();
        let rest = typed.strip_prefix(label.as_str())?;
        if rest.is_empty() {
            Some("/")
        } else if rest.starts_with('/') {
            Some(rest)
        } else {
            None
        }
    }

    /// Serve `url` with `contents`.
    pub fn add_url(&mut self, url: impl Into<String>, contents: impl Into<String>) {
        self.url_aliases.insert(url.into(), contents.into());
    }

    pub fn is_url(name: &str) -> bool {
        name.starts_with("http://") || name.starts_with("https://")
    }

    /// The contents behind a URL, if the lesson bundles it.
    pub fn fetch_url(&self, url: &str) -> Option<&str> {
        self.url_aliases.get(url).map(String::as_str)
    }

    /// Why a path was refused: `outside the lesson folder ~/lesson5`.
    pub fn outside(&self) -> String {
        format!("outside the lesson folder {}", self.label())
    }

    /// Whether `path` (lexically inside the root) stays inside it once symbolic links are
    /// followed: the deepest part of it that exists must resolve under the root. A dangling
    /// link counts as its own folder (a write replaces the link, a read finds nothing).
    fn really_inside(&self, path: &Path) -> bool {
        let Ok(root) = self.root.canonicalize() else {
            return true; // no folder yet: no link in it either
        };
        let mut probe = path.to_path_buf();
        loop {
            if let Ok(real) = probe.canonicalize() {
                return real.starts_with(&root);
            }
            if probe == self.root || !probe.pop() {
                return true;
            }
        }
    }

    /// Map a path as the learner typed it to a real path inside the workspace. Absolute paths
    /// (`/tmp/nginx.key`) are taken relative to the workspace root; `..` may not climb out, and
    /// neither may a symbolic link.
    pub fn resolve(&self, typed: &str) -> Option<PathBuf> {
        let out = self.resolve_lexically(typed)?;
        self.really_inside(&out).then_some(out)
    }

    fn resolve_lexically(&self, typed: &str) -> Option<PathBuf> {
        let typed = self.strip_label(typed).unwrap_or(typed);
        let mut out = self.root.clone();
        let mut depth = 0usize;
        for c in Path::new(typed).components() {
            match c {
                Component::Normal(p) => {
                    out.push(p);
                    depth += 1;
                }
                Component::ParentDir => {
                    if depth == 0 {
                        return None;
                    }
                    out.pop();
                    depth -= 1;
                }
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        Some(out)
    }

    pub fn read(&self, typed: &str) -> io::Result<String> {
        let p = self
            .resolve(typed)
            .ok_or_else(|| io::Error::new(io::ErrorKind::PermissionDenied, self.outside()))?;
        String::from_utf8(read_bounded(&p)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    pub fn read_bytes(&self, typed: &str) -> io::Result<Vec<u8>> {
        let p = self
            .resolve(typed)
            .ok_or_else(|| io::Error::new(io::ErrorKind::PermissionDenied, self.outside()))?;
        read_bounded(&p)
    }

    /// Write a file atomically (temp file + rename), creating folders as needed.
    pub fn write(&self, typed: &str, data: &[u8]) -> io::Result<()> {
        let p = self
            .resolve(typed)
            .ok_or_else(|| io::Error::new(io::ErrorKind::PermissionDenied, self.outside()))?;
        write_atomic(&p, data)
    }
}

/// Write `data` to `path` so that a crash leaves either the old or the new file, never a mix.
pub fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        let ws = Workspace::new("/w");
        assert_eq!(ws.resolve("/tmp/nginx.key").unwrap(), PathBuf::from("/w/tmp/nginx.key"));
        assert_eq!(
            ws.resolve("./run-my-nginx.yaml").unwrap(),
            PathBuf::from("/w/run-my-nginx.yaml")
        );
        assert_eq!(ws.resolve("a/../b").unwrap(), PathBuf::from("/w/b"));
        assert!(ws.resolve("../etc/passwd").is_none());
        assert!(ws.resolve("/../../etc/passwd").is_none());
    }

    #[test]
    fn the_root_is_shown_as_a_home_folder_named_for_the_lesson() {
        let ws = Workspace::new("/data/workspaces/lesson5");
        assert_eq!(ws.label(), "~/lesson5");
        assert_eq!(ws.shown("/"), "~/lesson5");
        assert_eq!(ws.shown("/dup.yaml"), "~/lesson5/dup.yaml");
        let root = PathBuf::from("/data/workspaces/lesson5");
        assert_eq!(ws.resolve("~/lesson5/dup.yaml").unwrap(), root.join("dup.yaml"));
        assert_eq!(ws.resolve("~/lesson5").unwrap(), root);
        assert_eq!(ws.strip_label("~/lesson55/x"), None, "only the folder itself");
        assert!(
            ws.resolve("~/lesson5/../../etc/passwd").is_none(),
            "still inside the root"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_may_not_lead_out_of_the_root() {
        let base = std::env::temp_dir().join(format!("k8s-lab-ws-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (root, away) = (base.join("lesson5"), base.join("away"));
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(&away).unwrap();
        std::fs::write(away.join("secret.txt"), "no").unwrap();
        std::fs::write(root.join("sub/a.yaml"), "a").unwrap();
        std::os::unix::fs::symlink(&away, root.join("out")).unwrap();
        std::os::unix::fs::symlink(away.join("secret.txt"), root.join("secret.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("sub"), root.join("in")).unwrap();
        std::os::unix::fs::symlink(base.join("nowhere"), root.join("dangling")).unwrap();
        let ws = Workspace::new(&root);
        assert!(ws.resolve("out").is_none());
        assert!(ws.resolve("out/secret.txt").is_none());
        assert!(ws.resolve("out/new-file").is_none(), "no writing through a link either");
        assert!(ws.resolve("secret.txt").is_none());
        assert_eq!(ws.read("in/a.yaml").unwrap(), "a", "links inside the folder work");
        assert!(ws.resolve("dangling").is_some());
        assert!(ws.write("out/new-file", b"x").is_err());
        assert!(!away.join("new-file").exists());
        assert_eq!(
            ws.read("secret.txt").unwrap_err().to_string(),
            "outside the lesson folder ~/lesson5"
        );
        std::fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = std::env::temp_dir().join(format!("k8s-lab-ws-{}", std::process::id()));
        let ws = Workspace::new(&dir);
        ws.write("/tmp/a.txt", b"one").unwrap();
        ws.write("/tmp/a.txt", b"two").unwrap();
        assert_eq!(ws.read("/tmp/a.txt").unwrap(), "two");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
