//! Lesson files: any text, loaded as `k8s-lab lint` and `start` load an instructor's file, must
//! load or give a located error — in both languages — and never panic, recurse without bound
//! or read outside the lesson folder. The folder holds one real file to name (`files/app.yaml`)
//! and a symlink that leaves it (`files/out`, to `/etc`), so paths in the input meet both.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use k8s_lab::lessons::{self, Lang};
use libfuzzer_sys::fuzz_target;

fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("k8s-lab-fuzz-lesson-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("files")).unwrap();
        std::fs::write(
            dir.join("files/app.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n",
        )
        .unwrap();
        let _ = std::os::unix::fs::symlink("/etc", dir.join("files/out"));
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let path = folder().join("lesson.yaml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    match lessons::load_path(&path) {
        Ok(lesson) => {
            let _ = lesson.lint_result();
            let _ = lesson.cluster_config();
            for step in lesson.steps() {
                let _ = lesson.hints(step, Lang::Ko, usize::MAX);
            }
        }
        Err(e) => {
            let _ = e.to_string();
            let _ = e.localized(Lang::Ko);
        }
    }
});
