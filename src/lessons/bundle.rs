//! The lessons shipped inside the binary.
//!
//! `build.rs` walks `lessons/` and generates a table of `include_bytes!` entries, so an installed
//! `k8s-lab` finds its lessons without any data files and from any working directory. Lesson
//! files read from disk and bundled ones go through the same loader; this module only answers
//! "what are the bytes of `lessons/<path>`".

include!(concat!(env!("OUT_DIR"), "/bundled_lessons.rs"));

/// The bytes of a bundled file, by its path relative to `lessons/` (`lesson5/backend-service.yaml`).
pub fn file(path: &str) -> Option<&'static [u8]> {
    FILES.binary_search_by(|(p, _)| (*p).cmp(path)).ok().map(|i| FILES[i].1)
}

/// Bundled files under a folder (relative to `lessons/`), with paths relative to that folder.
pub fn files_under(dir: &str) -> Vec<(&'static str, &'static [u8])> {
    let prefix = format!("{}/", dir.trim_end_matches('/'));
    FILES
        .iter()
        .filter_map(|(p, b)| p.strip_prefix(prefix.as_str()).map(|rest| (rest, *b)))
        .collect()
}

/// The bundled lesson files: `*.yaml` at the top of `lessons/`.
pub fn lesson_files() -> Vec<(&'static str, &'static [u8])> {
    FILES
        .iter()
        .filter(|(p, _)| !p.contains('/') && (p.ends_with(".yaml") || p.ends_with(".yml")))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_has_lesson5() {
        assert!(
            FILES.windows(2).all(|w| w[0].0 < w[1].0),
            "binary_search needs a sorted table"
        );
        assert!(lesson_files().iter().any(|(p, _)| *p == "lesson5.yaml"));
        let svc = std::str::from_utf8(file("lesson5/backend-service.yaml").unwrap()).unwrap();
        assert!(svc.contains("name: hello"));
        assert!(files_under("lesson5").iter().any(|(p, _)| *p == "frontend-nginx.conf"));
        assert!(file("nope.yaml").is_none());
    }
}
