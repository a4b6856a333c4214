//! The atlas's `static/` folder: the files copied into the site as they are. `build` and
//! `serve` list and read them here, the same way, so a preview shows what a build publishes.
//!
//! A static file may not have the path of a file atlasgen generates (`robots.txt`,
//! `404.html`, `assets/atlasgen.css`, a page): that is an error in `check`, `build` and `serve`
//! alike ([`clashes`]), rather than one silently replacing the other.

use crate::diag::Diagnostic;
use crate::input;
use crate::layout::STATIC_DIR;
use std::path::{Path, PathBuf};

/// A file of `static/`.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Its path in the site, with `/` separators (`images/logo.png`).
    pub path: String,
    /// Where it is read from.
    pub source: PathBuf,
}

/// Every file of `static/` under `root`, in a stable order, and the problems: links out of the
/// atlas and special files are errors (see [`crate::input`]). No `static/` is no files.
pub fn list(root: &Path) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let dir = root.join(STATIC_DIR);
    let (entries, refused) = input::walk(root, &dir, usize::MAX);
    let files = entries
        .into_iter()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&dir).ok()?.to_string_lossy().replace('\\', "/");
            Some(StaticFile { path: rel, source: e.into_path() })
        })
        .collect();
    let problems = refused.into_iter().map(|(p, why)| why.diagnostic(&crate::content::relative(root, &p))).collect();
    (files, problems)
}

/// The problems of static files (by their paths in the site) that have the path of a file
/// atlasgen generates, in path order. The marker of a site ([`crate::layout::SITE_MARKER`]) is
/// generated too.
pub fn clashes<'a>(statics: impl IntoIterator<Item = &'a str>, generated: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut paths: Vec<&str> =
        statics.into_iter().filter(|p| *p == crate::layout::SITE_MARKER || generated(p)).collect();
    paths.sort_unstable();
    paths.dedup();
    paths.into_iter().map(clash).collect()
}

/// The problem of the static file at `path` (in the site) that has the path of a generated one.
pub fn clash(path: &str) -> Diagnostic {
    Diagnostic::error(
        format!("{STATIC_DIR}/{path}"),
        crate::diag::Pos::FILE,
        format!("this static file has the path of a file atlasgen writes (/{path})"),
    )
    .with_help(
        "rename or move it: static files may not replace generated ones (for a stylesheet of your own, give it another name and link it from templates/base.html)",
    )
}

/// The bytes of a static file, for `serve`, which holds the site in memory.
pub fn read(root: &Path, f: &StaticFile) -> Result<Vec<u8>, Diagnostic> {
    input::read_or_report(root, &f.source, &format!("{STATIC_DIR}/{}", f.path), input::MAX_DATA_BYTES)
}

/// Copies a static file to `to`, for `build`.
pub fn copy(root: &Path, f: &StaticFile, to: &Path) -> Result<(), Diagnostic> {
    let rel = format!("{STATIC_DIR}/{}", f.path);
    let mut from = input::open(root, &f.source).map_err(|r| r.diagnostic(&rel))?;
    let mut out = std::fs::File::create(to)
        .map_err(|e| Diagnostic::error(&rel, crate::diag::Pos::FILE, format!("cannot copy: {e}")))?;
    std::io::copy(&mut from, &mut out)
        .map_err(|e| Diagnostic::error(&rel, crate::diag::Pos::FILE, format!("cannot copy: {e}")))?;
    Ok(())
}
