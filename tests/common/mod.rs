//! Helpers shared by the integration tests: fixture atlases copied into temporary folders.

use std::path::{Path, PathBuf};

/// A fixture atlas under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Copies `from` into `to`, leaving out the files of `from`'s top level named in `skip`.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if e.depth() == 1 && skip.iter().any(|s| rel == Path::new(s)) {
            continue;
        }
        let target = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of a fixture atlas in a temporary folder (removed when dropped).
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path(), &[]);
    dir
}

/// A fresh copy of fixture `base` with fixture `over` laid on top (its files win).
#[allow(dead_code)]
pub fn fixture_overlay(base: &str, over: &str) -> tempfile::TempDir {
    let dir = fixture_copy(base);
    copy_dir(&fixture(over), dir.path(), &[]);
    dir
}
