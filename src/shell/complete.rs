//! Tab completion for the lab's command line: command names, kubectl verbs and their flags,
//! resource types, the names of objects in the cluster, namespaces, output formats and files.
//!
//! [`complete`] only reads the line; where the words come from is behind [`Source`], so the
//! same rules serve `k8s-lab shell` on a terminal and the TUI's terminal pane, and tests can
//! feed fixed names. The caller inserts the common prefix of the candidates and, when several
//! remain, shows them (as bash does on a second Tab).

use crate::kubectl::args::GLOBAL;
use crate::kubectl::verbs::VERBS;
use crate::runtime::kinds::{Kind, KINDS};

/// Where completion words come from.
pub trait Source {
    /// Names of objects of `kind` in `namespace` (cluster-scoped kinds ignore it).
    fn names(&self, kind: Kind, namespace: &str) -> Vec<String>;
    /// Files and folders (folders end with `/`) in the workspace folder `dir` (`""` is its root).
    fn files(&self, dir: &str) -> Vec<String>;
    /// The shell's own commands.
    fn commands(&self) -> Vec<String>;
}

/// What to put in place of the word under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the line where the completed word starts.
    pub start: usize,
    /// Whole words (not suffixes), sorted, no duplicates.
    pub candidates: Vec<String>,
}

impl Completion {
    /// What to type after the `word_len` bytes already typed: the rest of what every candidate
    /// shares, plus a space when there is only one (unless it is a folder or wants a value).
    /// Empty when Tab can add nothing (the caller may list the candidates instead).
    pub fn insertion(&self, word_len: usize) -> String {
        let mut insert = self.common_prefix().get(word_len..).unwrap_or("").to_string();
        if let [one] = self.candidates.as_slice() {
            if !one.ends_with('/') && !one.ends_with('=') {
                insert.push(' ');
            }
        }
        insert
    }

    /// The longest text every candidate starts with.
    pub fn common_prefix(&self) -> String {
        let Some(first) = self.candidates.first() else {
            return String::new();
        };
        let mut len = first.len();
        for c in &self.candidates[1..] {
            len = first
                .char_indices()
                .zip(c.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, a), _)| i + a.len_utf8())
                .min(len);
        }
        first[..len].to_string()
    }
}

/// `-o` values kubectl knows.
const OUTPUT_FORMATS: &[&str] = &[
    "custom-columns=",
    "go-template=",
    "go-template-file=",
    "json",
    "jsonpath=",
    "name",
    "wide",
    "yaml",
];

/// Verbs whose first argument is a pod (not a resource type).
const POD_VERBS: &[&str] = &["exec", "logs", "log", "port-forward", "attach"];

/// Verbs whose arguments are `TYPE [NAME…]` or `TYPE/NAME`.
const TYPED_VERBS: &[&str] = &[
    "get", "describe", "delete", "edit", "label", "annotate", "patch", "expose", "scale", "wait",
];

/// Complete the word that ends at `cursor` (a byte offset) in `line`.
pub fn complete(line: &str, cursor: usize, src: &dyn Source) -> Completion {
    let before = &line[..cursor.min(line.len())];
    // Only the last simple command counts: after `|`, `;`, `&&`, `||` or `$(`.
    let cmd_start = ["|", ";", "&", "$(", "("]
        .iter()
        .filter_map(|sep| before.rfind(sep).map(|i| i + sep.len()))
        .max()
        .unwrap_or(0);
    let segment = &before[cmd_start..];
    let word_start = segment.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let word = &segment[word_start..];
    let words: Vec<&str> = segment[..word_start].split_whitespace().collect();
    let start = cmd_start + word_start;
    let candidates = match words.first() {
        None => src.commands(),
        Some(&"kubectl" | &"k") => kubectl_words(&words[1..], word, src),
        Some(_) => files(word, src),
    };
    finish(start, word, candidates)
}

fn finish(start: usize, word: &str, candidates: Vec<String>) -> Completion {
    let mut candidates: Vec<String> = candidates.into_iter().filter(|c| c.starts_with(word)).collect();
    candidates.sort();
    candidates.dedup();
    Completion { start, candidates }
}

/// Files under the folder part of `word`, offered with that folder in front.
fn files(word: &str, src: &dyn Source) -> Vec<String> {
    let dir = word.rfind('/').map_or("", |i| &word[..=i]);
    src.files(dir).into_iter().map(|f| format!("{dir}{f}")).collect()
}

/// The flags of a verb, long form, plus kubectl's global ones.
fn flag_words(verb: Option<&str>) -> Vec<String> {
    let own = verb
        .and_then(|v| VERBS.iter().find(|x| x.name == v || x.aliases.contains(&v)))
        .map_or(&[][..], |v| v.flags);
    GLOBAL.iter().chain(own).map(|f| format!("--{}", f.long)).collect()
}

/// Flags that take a value (long and short forms), so the word after them is that value.
fn takes_value(flag: &str, verb: Option<&str>) -> bool {
    let own = verb
        .and_then(|v| VERBS.iter().find(|x| x.name == v || x.aliases.contains(&v)))
        .map_or(&[][..], |v| v.flags);
    let name = flag.trim_start_matches('-');
    !flag.contains('=')
        && GLOBAL
            .iter()
            .chain(own)
            .any(|f| f.takes_value && (f.long == name || flag.len() == 2 && f.short == name.chars().next()))
}

fn type_words() -> Vec<String> {
    let mut v: Vec<String> = KINDS
        .iter()
        .flat_map(|k| std::iter::once(k.plural.to_string()).chain(k.short_names.iter().map(|s| s.to_string())))
        .collect();
    v.push("all".into());
    v
}

fn kubectl_words(words: &[&str], word: &str, src: &dyn Source) -> Vec<String> {
    // Walk the words: note the namespace, skip flags and their values, collect positionals.
    let mut namespace = "default".to_string();
    let mut positionals: Vec<&str> = Vec::new();
    let mut pending_flag: Option<&str> = None;
    for w in words {
        if let Some(flag) = pending_flag.take() {
            if flag == "-n" || flag == "--namespace" {
                namespace = w.to_string();
            }
            continue;
        }
        if let Some(ns) = w.strip_prefix("--namespace=").or(w.strip_prefix("-n=")) {
            namespace = ns.to_string();
        } else if *w == "--" {
            break;
        } else if w.starts_with('-') {
            if takes_value(w, positionals.first().copied()) {
                pending_flag = Some(w);
            }
        } else {
            positionals.push(w);
        }
    }
    let verb = positionals.first().copied();
    if let Some(flag) = pending_flag {
        return flag_value(flag, word, &namespace, src);
    }
    if let Some(rest) = word.strip_prefix("--").and(word.split_once('=')) {
        // `--output=ya` → complete the value after `=`.
        let (flag, _) = rest;
        return flag_value(flag, &word[flag.len() + 1..], &namespace, src)
            .into_iter()
            .map(|v| format!("{flag}={v}"))
            .collect();
    }
    if word.starts_with('-') {
        return flag_words(verb);
    }
    let Some(verb) = verb else {
        return VERBS.iter().map(|v| v.name.to_string()).collect();
    };
    let args = &positionals[1..];
    if POD_VERBS.contains(&verb) {
        return if args.is_empty() {
            src.names(Kind::Pod, &namespace)
        } else {
            Vec::new()
        };
    }
    match verb {
        "rollout" => match args {
            [] => ["history", "pause", "restart", "resume", "status", "undo"]
                .map(String::from)
                .to_vec(),
            [_] => typed_names(Kind::Deployment, "deployment/", &namespace, src),
            _ => Vec::new(),
        },
        "create" => match args {
            [] => ["configmap", "deployment", "namespace", "secret", "service"]
                .map(String::from)
                .to_vec(),
            ["service" | "svc"] => ["clusterip", "externalname", "loadbalancer", "nodeport"]
                .map(String::from)
                .to_vec(),
            ["secret"] => ["generic", "tls"].map(String::from).to_vec(),
            _ => Vec::new(),
        },
        v if TYPED_VERBS.contains(&v) => typed_args(args, word, &namespace, src),
        _ => Vec::new(),
    }
}

/// `TYPE NAME…` or `TYPE/NAME` arguments.
fn typed_args(args: &[&str], word: &str, namespace: &str, src: &dyn Source) -> Vec<String> {
    if let Some((ty, _)) = word.split_once('/') {
        return match Kind::resolve(ty) {
            Some(kind) => typed_names(kind, &format!("{ty}/"), namespace, src),
            None => Vec::new(),
        };
    }
    match args.first() {
        None => type_words(),
        // `get svc,deploy` or `get svc/web`: names do not follow.
        Some(ty) if ty.contains(',') || ty.contains('/') => Vec::new(),
        Some(ty) => match Kind::resolve(ty) {
            Some(kind) => src.names(kind, namespace),
            None => Vec::new(),
        },
    }
}

fn typed_names(kind: Kind, prefix: &str, namespace: &str, src: &dyn Source) -> Vec<String> {
    src.names(kind, namespace)
        .into_iter()
        .map(|n| format!("{prefix}{n}"))
        .collect()
}

fn flag_value(flag: &str, word: &str, namespace: &str, src: &dyn Source) -> Vec<String> {
    match flag.trim_start_matches('-') {
        "n" | "namespace" => src.names(Kind::Namespace, ""),
        "o" | "output" => OUTPUT_FORMATS.iter().map(|s| s.to_string()).collect(),
        "f" | "filename" => files(word, src),
        "c" | "container" => Vec::new(),
        "l" | "selector" => Vec::new(),
        _ => {
            let _ = namespace;
            Vec::new()
        }
    }
}

/// Completion from a live lab: the cluster's objects, the workspace's files, the shell's
/// builtins.
pub struct LabSource<'a> {
    pub cluster: &'a crate::runtime::Cluster,
    pub workspace: &'a crate::workspace::Workspace,
}

/// The line editor's [`Completer`](super::line_editor::Completer) for a lab: words from
/// `cluster` and `workspace` (what both `k8s-lab shell` and the TUI complete with).
pub fn lab_completer(
    cluster: crate::runtime::Cluster,
    workspace: crate::workspace::Workspace,
) -> super::line_editor::Completer {
    Box::new(move |line, cursor| {
        let src = LabSource {
            cluster: &cluster,
            workspace: &workspace,
        };
        complete(line, cursor, &src)
    })
}

impl Source for LabSource<'_> {
    fn names(&self, kind: Kind, namespace: &str) -> Vec<String> {
        let ns = kind.namespaced().then_some(namespace);
        self.cluster
            .list(kind, ns)
            .iter()
            .map(|o| o.name().to_string())
            .collect()
    }

    fn files(&self, dir: &str) -> Vec<String> {
        let Some(path) = self.workspace.resolve(if dir.is_empty() { "." } else { dir }) else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(path) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                if name.starts_with('.') {
                    return None;
                }
                Some(if e.path().is_dir() { format!("{name}/") } else { name })
            })
            .collect()
    }

    fn commands(&self) -> Vec<String> {
        super::builtins::TABLE.iter().map(|b| b.name.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;

    impl Source for Fixed {
        fn names(&self, kind: Kind, namespace: &str) -> Vec<String> {
            match (kind, namespace) {
                (Kind::Service, "default") => vec!["backend".into(), "frontend".into(), "kubernetes".into()],
                (Kind::Service, "kube-system") => vec!["kube-dns".into()],
                (Kind::Pod, "default") => vec!["backend-7d4f-abcde".into(), "frontend-5c6d-fghij".into()],
                (Kind::Deployment, "default") => vec!["backend".into(), "frontend".into()],
                (Kind::Namespace, _) => vec!["default".into(), "kube-system".into()],
                _ => Vec::new(),
            }
        }
        fn files(&self, dir: &str) -> Vec<String> {
            match dir {
                "" => vec!["frontend.yaml".into(), "conf/".into(), "backend.yaml".into()],
                "conf/" => vec!["nginx.conf".into()],
                _ => Vec::new(),
            }
        }
        fn commands(&self) -> Vec<String> {
            vec!["kubectl".into(), "curl".into(), "cat".into(), "clear".into()]
        }
    }

    fn cands(line: &str) -> Vec<String> {
        complete(line, line.len(), &Fixed).candidates
    }

    #[test]
    fn commands_verbs_and_types() {
        assert_eq!(cands("c"), ["cat", "clear", "curl"]);
        assert_eq!(cands("kubectl ge"), ["get"]);
        assert_eq!(cands("kubectl get se"), ["secrets", "services"]);
        assert_eq!(cands("kubectl get sv"), ["svc"]);
        assert_eq!(cands("kubectl rollout st"), ["status"]);
        assert_eq!(cands("kubectl create service n"), ["nodeport"]);
    }

    #[test]
    fn names_follow_the_type_and_the_namespace() {
        assert_eq!(cands("kubectl get svc "), ["backend", "frontend", "kubernetes"]);
        assert_eq!(cands("kubectl describe svc f"), ["frontend"]);
        assert_eq!(cands("kubectl get svc -n kube-system k"), ["kube-dns"]);
        assert_eq!(cands("kubectl --namespace=kube-system get svc "), ["kube-dns"]);
        assert_eq!(cands("kubectl delete deploy/b"), ["deploy/backend"]);
        assert_eq!(cands("kubectl rollout status deployment/f"), ["deployment/frontend"]);
        assert_eq!(cands("kubectl logs f"), ["frontend-5c6d-fghij"]);
        assert_eq!(cands("kubectl exec -it b"), ["backend-7d4f-abcde"]);
        assert_eq!(cands("kubectl get svc,deploy "), Vec::<String>::new());
    }

    #[test]
    fn flags_and_their_values() {
        assert_eq!(cands("kubectl get --show-l"), ["--show-labels"]);
        assert!(cands("kubectl get -").contains(&"--namespace".to_string()));
        assert_eq!(cands("kubectl get pods -o y"), ["yaml"]);
        assert_eq!(
            cands("kubectl get pods --output=j"),
            ["--output=json", "--output=jsonpath="]
        );
        assert_eq!(cands("kubectl get pods -n k"), ["kube-system"]);
        assert_eq!(cands("kubectl apply -f f"), ["frontend.yaml"]);
        assert_eq!(cands("kubectl apply -f conf/"), ["conf/nginx.conf"]);
    }

    #[test]
    fn other_commands_complete_files_and_pipes_start_afresh() {
        assert_eq!(cands("cat b"), ["backend.yaml"]);
        assert_eq!(cands("kubectl get pods | gr"), Vec::<String>::new());
        assert_eq!(cands("echo $(kubectl get svc fr"), ["frontend"]);
        let c = complete("kubectl get svc f", 17, &Fixed);
        assert_eq!(c.start, 16);
        let many = complete("kubectl get se", 14, &Fixed);
        assert_eq!(many.common_prefix(), "se");
        let c = complete("kubectl get po", 14, &Fixed);
        assert_eq!(c.common_prefix(), "po");
    }
}
