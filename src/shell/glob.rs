//! Filename globbing (`*.yaml`, `run-?.yaml`, `[ab]*`) over the learner's workspace, as sh does
//! it: only unquoted `*`, `?` and `[…]` are special, matches come back sorted, a dot file is only
//! matched by a pattern that starts with `.`, and a pattern that matches nothing stays as typed
//! (so `jsonpath={.items[*].metadata.name}` typed without quotes still reaches kubectl intact).

use std::path::Path;

/// A pattern character: literal (quoted or escaped) or possibly special.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatChar {
    Lit(char),
    Special(char),
}

/// True if the pattern has an unquoted `*`, `?` or `[`.
pub fn has_magic(pat: &[PatChar]) -> bool {
    pat.iter().any(|c| matches!(c, PatChar::Special('*' | '?' | '[')))
}

/// Does `name` match the pattern (one path component)?
pub fn matches(pat: &[PatChar], name: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    match_at(pat, &name)
}

fn match_at(pat: &[PatChar], name: &[char]) -> bool {
    // Iterative matcher with single-star backtracking (linear in practice).
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = match pat.get(p) {
            Some(PatChar::Special('*')) => {
                star = Some((p, n));
                p += 1;
                continue;
            }
            Some(PatChar::Special('?')) => Some(1),
            Some(PatChar::Special('[')) => match bracket(&pat[p..], name[n]) {
                Some((true, len)) => {
                    p += len - 1;
                    Some(1)
                }
                Some((false, _)) => None,
                // No closing `]`: the `[` is an ordinary character.
                None => (name[n] == '[').then_some(1),
            },
            Some(PatChar::Lit(c)) | Some(PatChar::Special(c)) => (name[n] == *c).then_some(1),
            None => None,
        };
        match step {
            Some(_) => {
                p += 1;
                n += 1;
            }
            None => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pat[p..].iter().all(|c| *c == PatChar::Special('*'))
}

/// Match `c` against the bracket expression at the start of `pat`. Returns whether it matched
/// and the expression's length, or `None` if the bracket is not closed.
fn bracket(pat: &[PatChar], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pat.get(i), Some(PatChar::Special('!' | '^')));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let ch = match pat.get(i)? {
            PatChar::Special(']') if !first => break,
            PatChar::Lit(x) | PatChar::Special(x) => *x,
        };
        first = false;
        let is_range = matches!(pat.get(i + 1), Some(PatChar::Special('-') | PatChar::Lit('-')))
            && !matches!(pat.get(i + 2), Some(PatChar::Special(']')) | None);
        if is_range {
            let hi = match pat.get(i + 2)? {
                PatChar::Lit(x) | PatChar::Special(x) => *x,
            };
            if ch <= c && c <= hi {
                matched = true;
            }
            i += 3;
        } else {
            if ch == c {
                matched = true;
            }
            i += 1;
        }
    }
    Some((matched != negate, i + 1))
}

/// Expand a pattern against the workspace: `root` is the workspace folder, `cwd` the shell's
/// current directory inside it (`/` or `/sub`). Returns the matching paths as the learner
/// would type them, sorted; empty when nothing matches.
pub fn expand(pat: &[PatChar], root: &Path, cwd: &str) -> Vec<String> {
    let absolute = pat.first() == Some(&PatChar::Lit('/')) || pat.first() == Some(&PatChar::Special('/'));
    let components: Vec<&[PatChar]> = pat
        .split(|c| matches!(c, PatChar::Lit('/') | PatChar::Special('/')))
        .filter(|c| !c.is_empty())
        .collect();
    // (path as shown, real directory)
    let start_dir = if absolute {
        root.to_path_buf()
    } else {
        let mut d = root.to_path_buf();
        for part in cwd.split('/').filter(|p| !p.is_empty()) {
            d.push(part);
        }
        d
    };
    let mut found: Vec<(String, std::path::PathBuf)> =
        vec![(if absolute { "/".into() } else { String::new() }, start_dir)];
    for (i, comp) in components.iter().enumerate() {
        let last = i + 1 == components.len();
        let mut next = Vec::new();
        for (shown, dir) in &found {
            let join = |name: &str| {
                if shown.is_empty() || shown.ends_with('/') {
                    format!("{shown}{name}")
                } else {
                    format!("{shown}/{name}")
                }
            };
            if !has_magic(comp) {
                let name: String = comp
                    .iter()
                    .map(|c| match c {
                        PatChar::Lit(x) | PatChar::Special(x) => *x,
                    })
                    .collect();
                if name == ".." || name == "." {
                    // Keep it simple: `..` inside a glob is not followed.
                    continue;
                }
                let p = dir.join(&name);
                if p.exists() {
                    next.push((join(&name), p));
                }
                continue;
            }
            let Ok(rd) = std::fs::read_dir(dir) else { continue };
            let dot_ok = matches!(comp.first(), Some(PatChar::Lit('.') | PatChar::Special('.')));
            let mut names: Vec<String> = rd
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            for name in names {
                if (name.starts_with('.') && !dot_ok) || !matches(comp, &name) {
                    continue;
                }
                let p = dir.join(&name);
                if !last && !p.is_dir() {
                    continue;
                }
                next.push((join(&name), p));
            }
        }
        found = next;
        if found.is_empty() {
            break;
        }
    }
    let mut out: Vec<String> = found.into_iter().map(|(s, _)| s).collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Vec<PatChar> {
        s.chars().map(PatChar::Special).collect()
    }

    #[test]
    fn matching() {
        assert!(matches(&pat("*.yaml"), "run-my-nginx.yaml"));
        assert!(!matches(&pat("*.yaml"), "default.conf"));
        assert!(matches(&pat("a?c"), "abc"));
        assert!(matches(&pat("[ab]*"), "bx"));
        assert!(!matches(&pat("[!ab]*"), "bx"));
        assert!(matches(&pat("[a-c]x"), "bx"));
        assert!(matches(&pat("*"), ""));
        assert!(matches(&pat("a*b*c"), "aXbYbZc"));
        assert!(!matches(&pat("a*b*c"), "aXbYbZ"));
        assert!(matches(&pat("[x"), "[x"));
        assert!(matches(&pat("[]]"), "]"));
        let quoted = [PatChar::Lit('*'), PatChar::Special('*')];
        assert!(matches(&quoted, "*abc"));
        assert!(!matches(&quoted, "abc"));
        assert!(!has_magic(&[PatChar::Lit('*')]));
    }

    #[test]
    fn expanding_in_a_folder() {
        let dir = std::env::temp_dir().join(format!("k8s-lab-glob-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tmp")).unwrap();
        for f in ["b.yaml", "a.yaml", ".hidden.yaml", "c.conf", "tmp/x.key"] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        assert_eq!(expand(&pat("*.yaml"), &dir, "/"), vec!["a.yaml", "b.yaml"]);
        assert_eq!(expand(&pat(".*.yaml"), &dir, "/"), vec![".hidden.yaml"]);
        assert_eq!(expand(&pat("/tmp/*.key"), &dir, "/"), vec!["/tmp/x.key"]);
        assert_eq!(expand(&pat("*/x.*"), &dir, "/"), vec!["tmp/x.key"]);
        assert_eq!(expand(&pat("*.key"), &dir, "/tmp"), vec!["x.key"]);
        assert!(expand(&pat("{.items[*].metadata.name}"), &dir, "/").is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
