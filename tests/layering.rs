//! The crate's layers import one way — `ui → lessons → shell → kubectl → runtime → io` (with
//! `workspace`, like `io`, a leaf) — and only the runtime touches the object store: everything
//! else goes through the API layer (`runtime::api`), so kubectl, lessons, the TUI and an HTTP
//! front end all get the same answers. These tests read the source, so a wrong import fails
//! here rather than in review.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module and its layer; a module may use modules of lower layers only.
const LAYERS: &[(&str, u8)] = &[
    ("io", 0),
    ("workspace", 0),
    ("runtime", 1),
    ("kubectl", 2),
    ("shell", 3),
    ("lessons", 4),
    ("ui", 5),
    ("app", 6),
    ("cli", 7),
];

/// Modules that must reach the cluster only through the API layer.
const API_CLIENTS: &[&str] = &["kubectl", "shell", "lessons", "ui", "app", "cli"];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file under `src`: `kubectl/get.rs` → `[kubectl, get]`,
/// `io/mod.rs` → `[io]`, `cli_tests.rs` → `[cli_tests]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The top-level module a file belongs to (`cli_tests.rs` is `cli`'s); `None` for the crate
/// root files.
fn owner(path: &[String]) -> Option<String> {
    let first = path.first()?;
    if first == "lib" || first == "main" {
        return None;
    }
    Some(first.strip_suffix("_tests").unwrap_or(first).to_string())
}

/// The code of a file without its comment lines (docs mention other layers freely).
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file's code names: `crate::x…`, each name of `crate::{x, y::z}`, and
/// `super::…` chains that climb out of the file's own top module.
fn referenced(code: &str, path: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut i = 0;
    while let Some(at) = code[i..].find("crate::") {
        let start = i + at;
        let before = start.checked_sub(1).map(|j| bytes[j]);
        i = start + "crate::".len();
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue; // `k8s_crate::` and the like
        }
        let rest = &code[i..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(ident(item.trim()));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(ch);
                }
            }
            out.insert(ident(item.trim()));
        } else {
            out.insert(ident(rest));
        }
    }
    // `super::` chains: climbing as many levels as the file is deep reaches the crate root.
    let mut j = 0;
    while let Some(at) = code[j..].find("super::") {
        let start = j + at;
        let mut n = 0;
        let mut k = start;
        while code[k..].starts_with("super::") {
            n += 1;
            k += "super::".len();
        }
        j = k;
        if n >= path.len() {
            out.insert(ident(&code[k..]));
        }
    }
    out.retain(|m| layer(m).is_some());
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every import that goes against the layers, as `file: a → b`.
fn layering_violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in files {
        let path = module_path(src, &f);
        let Some(me) = owner(&path) else { continue };
        let Some(my_layer) = layer(&me) else {
            bad.push(format!("{}: top-level module {me} has no layer in LAYERS", f.display()));
            continue;
        };
        let text = std::fs::read_to_string(&f).unwrap();
        for target in referenced(&code(&text), &path) {
            if target != me && layer(&target).is_some_and(|l| l >= my_layer) {
                bad.push(format!("{}: {me} → {target}", f.strip_prefix(src).unwrap().display()));
            }
        }
    }
    bad
}

/// Every place outside the runtime that names the object store.
fn store_uses(src: &Path) -> Vec<String> {
    const NAMES: &[&str] = &[".store()", "runtime::store", "runtime::Store", "runtime::{Store"];
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in files {
        let path = module_path(src, &f);
        let Some(me) = owner(&path) else { continue };
        if !API_CLIENTS.contains(&me.as_str()) {
            continue;
        }
        let text = code(&std::fs::read_to_string(&f).unwrap());
        for (n, line) in text.lines().enumerate() {
            if NAMES.iter().any(|name| line.contains(name)) || line.contains(", Store") && line.contains("runtime::") {
                bad.push(format!(
                    "{}:{}: {}",
                    f.strip_prefix(src).unwrap().display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    bad
}

#[test]
fn layers_import_one_way() {
    let bad = layering_violations(&std::env::var_os("K8S_LAB_LAYERING_SRC").map_or_else(src, PathBuf::from));
    assert!(bad.is_empty(), "imports against the layers:\n{}", bad.join("\n"));
}

#[test]
fn only_the_runtime_touches_the_store() {
    let bad = store_uses(&std::env::var_os("K8S_LAB_LAYERING_SRC").map_or_else(src, PathBuf::from));
    assert!(
        bad.is_empty(),
        "the store named outside the runtime (use the API in runtime::api):\n{}",
        bad.join("\n")
    );
}

/// The checks themselves catch what they are for: a fake tree with one wrong import of each
/// kind fails both.
#[test]
fn the_checks_catch_a_wrong_import_and_a_store_use() {
    let dir = std::env::temp_dir().join(format!("k8s-lab-layering-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("runtime/net")).unwrap();
    std::fs::create_dir_all(dir.join("kubectl")).unwrap();
    std::fs::create_dir_all(dir.join("io")).unwrap();
    std::fs::write(dir.join("lib.rs"), "pub mod runtime;\n").unwrap();
    std::fs::write(dir.join("io/mod.rs"), "// crate::ui is named in a comment only\n").unwrap();
    std::fs::write(
        dir.join("runtime/net/probe.rs"),
        "use crate::{io::Output, shell::io::Chunk};\n",
    )
    .unwrap();
    std::fs::write(dir.join("runtime/mod.rs"), "use super::super::kubectl::x;\n").unwrap();
    std::fs::write(
        dir.join("kubectl/scale.rs"),
        "use crate::runtime::Kind;\nfn f(c: &Cluster) { c.store().remove(&k); }\n",
    )
    .unwrap();
    let layering = layering_violations(&dir);
    assert_eq!(
        layering,
        [
            "runtime/mod.rs: runtime → kubectl",
            "runtime/net/probe.rs: runtime → shell"
        ],
        "{layering:?}"
    );
    let stores = store_uses(&dir);
    assert_eq!(stores.len(), 1, "{stores:?}");
    assert!(stores[0].starts_with("kubectl/scale.rs:2:"), "{stores:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
