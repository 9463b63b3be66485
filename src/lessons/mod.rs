//! Lessons as data: a lesson is a YAML file (format v1, see `lessons/README.md`) plus a folder
//! of files, loaded into a [`Lesson`] that the UI and `k8s-lab shell` drive.
//!
//! - [`format`] — the file format (serde, strict) and the only YAML calls of this module.
//! - [`placeholders`] — `{{svc:frontend:external_ip}}`: live values in text and checks.
//! - [`checks`] — is a step done, and if not, why (in Korean and English).
//! - [`progress`] — current step, done steps, hints used; saved atomically.
//! - [`run`] — one learner in one lesson: re-check, mark done, move, open hints.
//! - [`bundle`] — the lessons compiled into the binary.
//!
//! Lessons are data, never code: `setup` lines go through the lab's own shell, which only knows
//! kubectl and a few builtins, so a lesson file cannot run a host command. All files a lesson
//! names must stay inside its folder.

pub mod bundle;
pub mod checks;
pub mod format;
pub mod lint_words;
pub mod placeholders;
pub mod progress;
pub mod run;
pub mod verify;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use checks::{evaluate, evaluate_step, CheckResult, Evidence, StepResult};
pub use format::{Check, CheckEntry, FormatError, I18n, Lang, LessonFile, Step};
pub use progress::{data_dir, Progress};
pub use run::LessonRun;

use crate::io::Output;
use crate::runtime::ClusterConfig;
use crate::shell::Session;
use crate::workspace::{write_atomic, Workspace};

/// Where a lesson came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary (`lessons/<name>`).
    Bundled(String),
    /// A file on disk.
    Path(PathBuf),
}

/// A loaded, checked lesson with its files in memory.
#[derive(Debug, Clone)]
pub struct Lesson {
    file: LessonFile,
    origin: Origin,
    /// Files to copy into the workspace: path relative to the `files` folder → contents.
    files: BTreeMap<String, Vec<u8>>,
    /// URL → contents served in place of the network.
    urls: BTreeMap<String, String>,
}

/// Why a lesson could not be found or loaded.
#[derive(Debug, thiserror::Error)]
pub enum LessonError {
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error("no lesson called {query:?}; the bundled lessons are: {}", known.join(", "))]
    NotFound { query: String, known: Vec<String> },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("the lab cluster did not start: {0}")]
    Cluster(String),
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// The lesson loads, but `lint` refuses it (see [`Lesson::refusals`]).
    #[error("{}", .0.join("\n"))]
    Refused(Vec<String>),
}

impl LessonError {
    /// The error as the learner or author reads it in `lang`: the English of `Display`, or its
    /// Korean from [`lint_words`]. A format error keeps its `file:line:col:` in front and a
    /// file error its path; only the words after them change.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            LessonError::Format(e) => FormatError {
                message: lint_words::translate(&e.message, lang),
                ..e.clone()
            }
            .to_string(),
            LessonError::Io { path, source } => {
                format!(
                    "{}: {}",
                    path.display(),
                    lint_words::translate(&source.to_string(), lang)
                )
            }
            LessonError::Refused(lines) => lines
                .iter()
                .map(|l| lint_words::translate(l, lang))
                .collect::<Vec<_>>()
                .join("\n"),
            other => lint_words::translate(&other.to_string(), lang),
        }
    }
}

/// The file in a workspace that holds the lesson's saved cluster (hidden from `ls`).
pub const CLUSTER_SNAPSHOT: &str = ".k8s-lab-cluster.json";

/// The file in a workspace that holds the lab shell's variables and folder.
pub const SHELL_STATE: &str = ".k8s-lab-shell.json";

/// Where a durable session's cluster came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// No saved cluster: a fresh one, with the lesson's setup run.
    Fresh,
    /// The cluster saved in the workspace, brought back.
    FromSnapshot,
    /// The saved cluster could not be read; it was set aside at `aside` and a fresh one started.
    Broken { aside: PathBuf, why: String },
}

/// Why `setup` failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("lesson setup command {line:?} failed with exit status {status}")]
pub struct SetupError {
    pub line: String,
    pub status: i32,
}

impl Lesson {
    pub fn id(&self) -> &str {
        &self.file.id.0
    }

    pub fn slug(&self) -> &str {
        &self.file.slug.0
    }

    pub fn title(&self) -> &I18n {
        &self.file.title
    }

    pub fn description(&self) -> &I18n {
        &self.file.description
    }

    pub fn steps(&self) -> &[Step] {
        &self.file.steps
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.file.steps.iter().find(|s| s.id.0 == id)
    }

    pub fn setup(&self) -> &[String] {
        &self.file.setup
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The decoded file, for tools that need every detail.
    pub fn file(&self) -> &LessonFile {
        &self.file
    }

    /// URL → contents this lesson serves (already registered by [`Lesson::prepare_workspace`]).
    pub fn urls(&self) -> &BTreeMap<String, String> {
        &self.urls
    }

    /// Files copied into the workspace (relative path → contents).
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    /// The cluster this lesson wants.
    pub fn cluster_config(&self) -> ClusterConfig {
        let c = &self.file.cluster;
        let mut cfg = ClusterConfig {
            nodes: c.nodes,
            node_name: c.node_name.0.clone(),
            lb_delay: Duration::from_secs_f64(c.loadbalancer.delay_seconds),
            clock_speed: c.clock_speed,
            container_start: Duration::from_secs_f64(c.container_start_seconds),
            max_pods: c.max_pods,
            ..ClusterConfig::default()
        };
        if !c.loadbalancer.pool.is_empty() {
            cfg.lb_pool = c.loadbalancer.pool.iter().flat_map(|p| p.0.iter().copied()).collect();
        }
        cfg
    }

    /// Where this lesson's workspace lives by default: `<data dir>/workspaces/<id>`.
    pub fn default_workspace_root(&self) -> PathBuf {
        data_dir().join("workspaces").join(self.id())
    }

    /// Where this lesson's progress is saved by default.
    pub fn default_progress_path(&self) -> PathBuf {
        Progress::path_in(&data_dir(), self.id())
    }

    /// Copy the lesson's files into `root` and register its URLs. A file the learner changed is
    /// never overwritten; a file the learner left alone is updated when the lesson's copy
    /// changes (the lab remembers what it wrote in `.k8s-lab-files.json`).
    pub fn prepare_workspace(&self, root: &Path) -> io::Result<Workspace> {
        std::fs::create_dir_all(root)?;
        let state_path = root.join(WRITTEN_STATE);
        let mut written: BTreeMap<String, String> = std::fs::read_to_string(&state_path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let mut ws = Workspace::new(root);
        for (rel, data) in &self.files {
            let target = ws
                .resolve(rel)
                .ok_or_else(|| io::Error::new(io::ErrorKind::PermissionDenied, rel.clone()))?;
            let new_hash = fnv64(data);
            let write = match std::fs::read(&target) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => true,
                Err(e) => return Err(e),
                Ok(existing) => {
                    let current = fnv64(&existing);
                    current != new_hash && written.get(rel) == Some(&current)
                }
            };
            if write {
                write_atomic(&target, data)?;
                written.insert(rel.clone(), new_hash);
            }
        }
        let state = serde_json::to_string_pretty(&written).map_err(io::Error::other)?;
        write_atomic(&state_path, state.as_bytes())?;
        for (url, contents) in &self.urls {
            ws.add_url(url.clone(), contents.clone());
        }
        Ok(ws)
    }

    /// Everything `k8s-lab start`/`k8s-lab shell --lesson` does before the learner types: start
    /// the cluster with `config` (usually [`Lesson::cluster_config`]; tests move it to an address
    /// block of their own), prepare the workspace at `root`, open a shell session on both and
    /// run `setup`, whose output goes to `out`.
    pub async fn open_session(&self, config: ClusterConfig, root: &Path, out: &Output) -> Result<Session, LessonError> {
        let workspace = self.prepare_workspace(root).map_err(|source| LessonError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        let cluster = crate::runtime::Cluster::start(config)
            .await
            .map_err(|e| LessonError::Cluster(e.to_string()))?;
        let mut session = Session::new(cluster, workspace);
        if let Err(e) = self.run_setup(&mut session, out).await {
            session.cluster.shutdown();
            return Err(e.into());
        }
        Ok(session)
    }

    /// Where this lesson's cluster is saved inside the workspace at `root`.
    pub fn snapshot_path(root: &Path) -> PathBuf {
        root.join(CLUSTER_SNAPSHOT)
    }

    /// [`Lesson::open_session`] for a learner: the cluster saved in the workspace comes back
    /// as it was (setup is not run again: its effects are in the snapshot); without one a
    /// fresh cluster starts and runs setup. Either way the cluster is saved from then on.
    pub async fn open_durable_session(
        &self,
        config: ClusterConfig,
        root: &Path,
        out: &Output,
    ) -> Result<(Session, Restored), LessonError> {
        let path = Lesson::snapshot_path(root);
        let io_err = |source| LessonError::Io {
            path: path.clone(),
            source,
        };
        let loaded = crate::runtime::persist::load(&path).map_err(io_err)?;
        let (session, restored) = match loaded {
            crate::runtime::persist::Loaded::Found(snap) => {
                let workspace = self.prepare_workspace(root).map_err(|source| LessonError::Io {
                    path: root.to_path_buf(),
                    source,
                })?;
                let cluster = crate::runtime::Cluster::restore(config, &snap)
                    .await
                    .map_err(|e| LessonError::Cluster(e.to_string()))?;
                (Session::new(cluster, workspace), Restored::FromSnapshot)
            }
            crate::runtime::persist::Loaded::Missing => (self.open_session(config, root, out).await?, Restored::Fresh),
            crate::runtime::persist::Loaded::Broken { aside, why } => (
                self.open_session(config, root, out).await?,
                Restored::Broken { aside, why },
            ),
        };
        if let Err(source) = session.cluster.persist_to(path.clone()) {
            session.cluster.shutdown();
            return Err(io_err(source));
        }
        // The shell's variables belong with the cluster they were read from: a fresh cluster
        // starts with a fresh shell.
        let shell_state = root.join(SHELL_STATE);
        if restored != Restored::FromSnapshot {
            let _ = std::fs::remove_file(&shell_state);
        }
        let mut session = session;
        session.persist_to(shell_state);
        Ok((session, restored))
    }

    /// Run the `setup` lines through the lab shell, stopping at the first failure. Setup lines
    /// do not stay in the learner's history or journal (so they cannot satisfy command checks).
    pub async fn run_setup(&self, session: &mut Session, out: &Output) -> Result<(), SetupError> {
        let history = std::mem::take(&mut session.history);
        let mark = session.journal.mark();
        let mut result = Ok(());
        for line in &self.file.setup {
            let status = session.run_line(line, out).await;
            if status != 0 {
                result = Err(SetupError {
                    line: line.clone(),
                    status,
                });
                break;
            }
        }
        session.history = history;
        session.journal.truncate(mark);
        result
    }

    /// A step's markdown in `lang` with its placeholders filled from the cluster; values not
    /// there yet show as `<pending>`.
    pub fn step_text(&self, step: &Step, lang: Lang, cluster: &crate::runtime::Cluster) -> String {
        placeholders::render_or(step.text.get(lang), cluster, "<pending>")
    }

    /// The hints of a step that `shown` tiers reveal, in `lang`.
    pub fn hints<'a>(&self, step: &'a Step, lang: Lang, shown: usize) -> Vec<&'a str> {
        step.hints.iter().take(shown).map(|h| h.get(lang)).collect()
    }

    /// Things an author should fix that do not stop the lesson from loading.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        let lang_gap = |what: String, t: &I18n, w: &mut Vec<String>| {
            if !t.is_empty() && (t.ko.is_empty() || t.en.is_empty()) {
                let missing = if t.ko.is_empty() { "ko" } else { "en" };
                w.push(format!("{what} has no {missing} text"));
            }
        };
        lang_gap("title".into(), &self.file.title, &mut w);
        lang_gap("description".into(), &self.file.description, &mut w);
        for s in &self.file.steps {
            let at = format!("step {}", s.id);
            lang_gap(format!("{at}: title"), &s.title, &mut w);
            lang_gap(format!("{at}: text"), &s.text, &mut w);
            lang_gap(format!("{at}: goal"), &s.goal, &mut w);
            for (i, h) in s.hints.iter().enumerate() {
                lang_gap(format!("{at}: hints[{i}]"), h, &mut w);
            }
            if s.checks.is_empty() {
                w.push(format!("{at}: has no checks, so it is done as soon as it is opened"));
            }
            if s.solution.is_empty() {
                w.push(format!("{at}: has no solution"));
            }
        }
        w
    }
}

impl Lesson {
    /// What `lint` refuses in a lesson that loads: checks whose failure would show the learner
    /// a regex (`command_ran`), each with the semantic form to use instead.
    pub fn refusals(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.file.steps {
            for (i, CheckEntry(c)) in s.checks.iter().enumerate() {
                if let Check::CommandRan(c) = c {
                    let re = c.pattern.0.as_str();
                    let suggestion = if re.contains("curl") || re.contains("http") {
                        "a `traffic` check on the request the lab served, e.g. `traffic: {from: host, service: my-app, via: node_port, status: 200}`"
                    } else if re.contains("kubectl") {
                        "a `kubectl` check on the command as kubectl reads it, e.g. `kubectl: {verb: get, kind: Service, name: frontend, flags: [--watch]}`"
                    } else {
                        "a check on the outcome: `object_exists`, `field_equals`, `traffic` or `kubectl`"
                    };
                    out.push(format!(
                        "step {}: checks[{i}]: command_ran {re:?} would show the learner a regex when it fails; use {suggestion}",
                        s.id
                    ));
                }
            }
        }
        out
    }

    /// `lint`'s verdict: the warnings, or the refusals when there are any.
    pub fn lint_result(&self) -> Result<Vec<String>, LessonError> {
        let refused = self.refusals();
        if refused.is_empty() {
            Ok(self.warnings())
        } else {
            Err(LessonError::Refused(
                refused.into_iter().map(|r| format!("{}: {r}", self.id())).collect(),
            ))
        }
    }
}

/// The file in a workspace that remembers what the lab wrote there.
const WRITTEN_STATE: &str = ".k8s-lab-files.json";

/// FNV-1a, as hex: a stable fingerprint of file contents (std's hasher may change between
/// Rust releases, and this file outlives the binary).
fn fnv64(data: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// Reads the files a lesson names, from the binary or from disk.
trait FileSource {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>>;
    fn list(&self, dir: &str) -> io::Result<Vec<(String, Vec<u8>)>>;
}

struct BundledSource;

impl FileSource for BundledSource {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        bundle::file(rel)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not bundled"))
    }
    fn list(&self, dir: &str) -> io::Result<Vec<(String, Vec<u8>)>> {
        let files = bundle::files_under(dir);
        if files.is_empty() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no such bundled folder"));
        }
        Ok(files.into_iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect())
    }
}

/// Most files a lesson's `files:` folder may hold.
pub const MAX_LESSON_FILES: usize = 1000;
/// Most bytes one lesson file (a manifest, a certificate) may have: what one manifest may.
pub const MAX_LESSON_FILE_BYTES: usize = crate::runtime::manifest::MAX_MANIFEST_BYTES;
/// Most bytes all of a lesson's files may add up to (they are copied into the workspace).
pub const MAX_LESSON_FILES_BYTES: usize = 4 * MAX_LESSON_FILE_BYTES;

struct DirSource {
    base: PathBuf,
}

fn refused(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, message)
}

/// A file's bytes, refused past `limit` (nothing beyond it is read).
fn read_at_most(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(refused(format!("the file is bigger than {limit} bytes")));
    }
    Ok(bytes)
}

impl DirSource {
    /// `rel` inside the base folder, refusing symlinks that lead out of it.
    fn inside(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.base.join(rel);
        let (real, base) = (path.canonicalize()?, self.base.canonicalize()?);
        if !real.starts_with(&base) {
            return Err(refused("leads outside the lesson folder".into()));
        }
        Ok(real)
    }

    /// Every file under `dir` (recursively), with paths relative to `root`; symlinks that lead
    /// out of the lesson folder are refused, a folder reached twice (a link to a parent) is
    /// walked once, and the count and size limits hold.
    fn walk(
        &self,
        base_real: &Path,
        root: &Path,
        dir: &Path,
        seen: &mut std::collections::HashSet<PathBuf>,
        total: &mut usize,
        out: &mut Vec<(String, Vec<u8>)>,
    ) -> io::Result<()> {
        if !seen.insert(dir.canonicalize()?) {
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<io::Result<_>>()?;
        entries.sort();
        for path in entries {
            let real = path.canonicalize()?;
            if !real.starts_with(base_real) {
                return Err(refused(format!("{} leads outside the lesson folder", path.display())));
            }
            if real.is_dir() {
                self.walk(base_real, root, &path, seen, total, out)?;
                continue;
            }
            if out.len() == MAX_LESSON_FILES {
                return Err(refused(format!("more than {MAX_LESSON_FILES} files")));
            }
            let bytes = read_at_most(&real, MAX_LESSON_FILE_BYTES)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            *total += bytes.len();
            if *total > MAX_LESSON_FILES_BYTES {
                return Err(refused(format!(
                    "the files add up to more than {MAX_LESSON_FILES_BYTES} bytes"
                )));
            }
            let rel = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            out.push((rel, bytes));
        }
        Ok(())
    }
}

impl FileSource for DirSource {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        read_at_most(&self.inside(rel)?, MAX_LESSON_FILE_BYTES)
    }
    fn list(&self, dir: &str) -> io::Result<Vec<(String, Vec<u8>)>> {
        if !self.inside(dir)?.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "not a folder"));
        }
        let mut out = Vec::new();
        let root = self.base.join(dir);
        let (mut seen, mut total) = (std::collections::HashSet::new(), 0);
        self.walk(
            &self.base.canonicalize()?,
            &root,
            &root,
            &mut seen,
            &mut total,
            &mut out,
        )?;
        out.sort();
        Ok(out)
    }
}

/// 1-based line and column of byte offset `i` in `text`.
fn position(text: &str, i: usize) -> (Option<usize>, Option<usize>) {
    let before = &text[..i];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.chars().count(), |nl| before[nl + 1..].chars().count())
        + 1;
    (Some(line), Some(col))
}

/// Line and column of the first place `needle` occurs in `text`.
fn locate(text: &str, needle: &str) -> (Option<usize>, Option<usize>) {
    text.find(needle).map_or((None, None), |i| position(text, i))
}

/// Decode and check a lesson whose text is `text`, reading its files through `source`.
fn build(name: &str, text: &str, origin: Origin, source: &dyn FileSource) -> Result<Lesson, FormatError> {
    let file = format::parse(name, text)?;
    let err_at = |needle: &str, message: String| {
        let (line, column) = locate(text, needle);
        FormatError {
            file: name.to_string(),
            line,
            column,
            message,
        }
    };
    if file.steps.is_empty() {
        return Err(err_at("steps:", "a lesson needs at least one step".into()));
    }
    let mut seen = std::collections::BTreeSet::new();
    for s in &file.steps {
        if !seen.insert(&s.id.0) {
            let needle = format!("id: {}", s.id);
            let mut e = err_at(
                &needle,
                format!("step id {:?} is used twice; step ids must be unique", s.id.0),
            );
            if let Some((i, _)) = text.match_indices(&needle).nth(1) {
                (e.line, e.column) = position(text, i);
            }
            return Err(e);
        }
        if s.title.is_empty() {
            return Err(err_at(&format!("id: {}", s.id), format!("step {} has no title", s.id)));
        }
    }
    for s in &file.steps {
        let texts = [&s.text, &s.goal]
            .into_iter()
            .chain(&s.hints)
            .flat_map(|t| [&t.ko, &t.en])
            .chain(&s.solution);
        for t in texts {
            if let Err(msg) = placeholders::validate(t) {
                let needle = placeholders::first_invalid(t).unwrap_or_default();
                return Err(err_at(&needle, format!("step {}: {msg}", s.id)));
            }
        }
    }
    if file.title.is_empty() {
        return Err(err_at("title:", "the lesson has no title".into()));
    }
    let mut files = BTreeMap::new();
    if let Some(dir) = &file.files {
        let listed = source.list(dir.as_str()).map_err(|e| {
            err_at(
                dir.as_str(),
                format!("files: cannot read the folder {:?}: {e}", dir.as_str()),
            )
        })?;
        files.extend(listed);
    }
    let mut urls = BTreeMap::new();
    for (url, rel) in &file.urls {
        if !crate::workspace::Workspace::is_url(url) {
            return Err(err_at(url, format!("urls: {url:?} is not an http:// or https:// URL")));
        }
        // The file's place is after its URL (which may contain the same text).
        let at_file = |message: String| {
            let mut e = err_at(&format!("{url}: {}", rel.as_str()), message);
            if e.line.is_some() {
                e.column = e.column.map(|c| c + url.chars().count() + 2);
            }
            e
        };
        let data = source
            .read(rel.as_str())
            .map_err(|e| at_file(format!("urls: cannot read {:?}: {e}", rel.as_str())))?;
        let contents =
            String::from_utf8(data).map_err(|_| at_file(format!("urls: {:?} is not UTF-8 text", rel.as_str())))?;
        urls.insert(url.clone(), contents);
    }
    Ok(Lesson {
        file,
        origin,
        files,
        urls,
    })
}

/// Every bundled lesson, in file-name order. A bundled lesson that does not load is a bug in
/// this build, caught by the tests; here it is skipped rather than taking the lab down.
pub fn bundled() -> Vec<Lesson> {
    bundle::lesson_files()
        .into_iter()
        .filter_map(|(name, bytes)| {
            let text = std::str::from_utf8(bytes).ok()?;
            build(name, text, Origin::Bundled(name.to_string()), &BundledSource).ok()
        })
        .collect()
}

/// Load a lesson file from disk; its files are looked up next to it.
pub fn load_path(path: &Path) -> Result<Lesson, LessonError> {
    let io_error = |source| LessonError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = read_at_most(path, format::MAX_LESSON_BYTES).map_err(io_error)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        io_error(io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = path.display().to_string();
    Ok(build(
        &name,
        &text,
        Origin::Path(path.to_path_buf()),
        &DirSource { base },
    )?)
}

/// Every lesson file (`*.yaml`, `*.yml`) at the top of `dir`, loaded or with its error.
pub fn load_dir(dir: &Path) -> Result<Vec<Result<Lesson, LessonError>>, LessonError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LessonError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    Ok(paths.iter().map(|p| load_path(p)).collect())
}

/// `k8s-lab lint FILE`: load a lesson file and list what its author should improve. An error
/// means the file does not load at all.
pub fn lint(path: &Path) -> Result<Vec<String>, LessonError> {
    load_path(path)?.lint_result()
}

/// Find a lesson by bundled id or slug, or load it from a path (`./my-lesson.yaml`).
pub fn find(query: &str) -> Result<Lesson, LessonError> {
    find_in(query, &[])
}

/// Like [`find`], also searching the lesson folders given with `--lessons DIR` (they come
/// before the bundled lessons, so an instructor can replace one).
pub fn find_in(query: &str, dirs: &[PathBuf]) -> Result<Lesson, LessonError> {
    let looks_like_path =
        query.ends_with(".yaml") || query.ends_with(".yml") || query.contains('/') || query.contains('\\');
    if looks_like_path || Path::new(query).is_file() {
        return load_path(Path::new(query));
    }
    let mut known = Vec::new();
    for dir in dirs {
        for lesson in load_dir(dir)? {
            let lesson = lesson?;
            if lesson.id() == query || lesson.slug() == query {
                return Ok(lesson);
            }
            known.push(lesson.id().to_string());
        }
    }
    for lesson in bundled() {
        if lesson.id() == query || lesson.slug() == query {
            return Ok(lesson);
        }
        known.push(format!("{} ({})", lesson.id(), lesson.slug()));
    }
    Err(LessonError::NotFound {
        query: query.to_string(),
        known,
    })
}

/// A cluster config for tests on an address block of its own (nodes at 127.0.`block`.x, load
/// balancers at 127.0.`block+100`.x), so tests running at once do not fight over listeners.
#[cfg(test)]
pub(crate) fn test_config(block: u8) -> ClusterConfig {
    ClusterConfig {
        node_block: block,
        lb_pool: (1..=20)
            .map(|i| std::net::Ipv4Addr::new(127, 0, block + 100, i))
            .collect(),
        ..ClusterConfig::default()
    }
}

#[cfg(test)]
mod durable_tests;
#[cfg(test)]
mod lint_words_tests;
#[cfg(test)]
mod tests;
