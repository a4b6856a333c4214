//! Writing the site: into a fresh folder beside the output, swapped in only when complete.
//!
//! A build that fails or is killed halfway leaves the previous site as it was. Only the output
//! folder is ever replaced, and it may not be (or contain) the atlas's own sources.

use crate::diag::{Diagnostic, Pos};
use crate::render::OutputFile;
use rayon::prelude::*;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Where `static/` files come from.
pub const STATIC_DIR: &str = "static";

/// Refuses output folders that would overwrite the atlas itself.
pub fn check_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        if p.is_absolute() { normalize(p) } else { normalize(&std::env::current_dir().unwrap_or_default().join(p)) }
    };
    let (root, out) = (abs(root), abs(output));
    let refuse = |what: &str| {
        Err(Diagnostic::error(
            output.display().to_string(),
            Pos::FILE,
            format!("refusing to write the site into {what}"),
        )
        .with_help("choose an output folder of its own, such as site/"))
    };
    if out == root || root.starts_with(&out) {
        return refuse("the atlas folder or one that contains it");
    }
    for sub in
        [crate::content::CONTENT_DIR, crate::render::templates::TEMPLATES_DIR, STATIC_DIR, crate::config::CONFIG_FILE]
    {
        let p = root.join(sub);
        if out == p || p.starts_with(&out) || out.starts_with(&p) {
            return refuse(&format!("the atlas's {sub}"));
        }
    }
    Ok(())
}

/// Lexically resolves `.` and `..` (the output may not exist yet, so no canonicalize).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `files` and a copy of `static/` to `output`, atomically replacing what was there.
pub fn write_site(root: &Path, output: &Path, files: &[OutputFile]) -> Result<usize, Diagnostic> {
    let io = |p: &Path, e: std::io::Error| {
        Diagnostic::error(p.display().to_string(), Pos::FILE, format!("cannot write: {e}"))
    };
    let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "site".into());
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| io(&staging, e))?;
    }
    let result = (|| {
        fs::create_dir_all(&staging).map_err(|e| io(&staging, e))?;
        let count = copy_static(&root.join(STATIC_DIR), &staging)?;
        for f in files {
            if f.path.split('/').any(|s| s == ".." || s == ".") || !staging.join(&f.path).starts_with(&staging) {
                return Err(Diagnostic::error(&f.path, Pos::FILE, "output path escapes the site folder"));
            }
        }
        // Folders first, once each; then the files, in parallel.
        let dirs: std::collections::BTreeSet<&str> =
            files.iter().filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d)).collect();
        for d in dirs {
            let dir = staging.join(d);
            fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        }
        files.par_iter().try_for_each(|f| {
            let target = staging.join(&f.path);
            // A page that did not change is linked from the previous site instead of written
            // again: a link is cheaper than a write, and the bytes are the same.
            let previous = output.join(&f.path);
            if unchanged(&previous, &f.bytes) && fs::hard_link(&previous, &target).is_ok() {
                return Ok(());
            }
            fs::write(&target, &f.bytes).map_err(|e| io(&target, e))
        })?;
        Ok(count + files.len())
    })();
    let count = match result {
        Ok(c) => c,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Swap: the old site moves aside, the new one takes its name, then the old one goes.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if output.exists() {
        fs::rename(output, &old).map_err(|e| io(output, e))?;
    }
    if let Err(e) = fs::rename(&staging, output) {
        if old.exists() {
            let _ = fs::rename(&old, output);
        }
        return Err(io(output, e));
    }
    if old.exists() {
        remove_tree(&old);
    }
    Ok(count)
}

/// Whether `path` holds exactly `bytes` (sizes are compared before contents).
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
    }
}

/// Removes a folder we made, files in parallel, then the folders.
fn remove_tree(dir: &Path) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    let _ = fs::remove_dir_all(dir);
}

/// Copies `static/` verbatim; symlinks are not followed out of it.
fn copy_static(from: &Path, to: &Path) -> Result<usize, Diagnostic> {
    if !from.is_dir() {
        return Ok(0);
    }
    let mut n = 0;
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry =
            entry.map_err(|e| Diagnostic::error(STATIC_DIR, Pos::FILE, format!("cannot read static files: {e}")))?;
        let rel = entry.path().strip_prefix(from).expect("walk stays under its root");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)
                .map_err(|e| Diagnostic::error(target.display().to_string(), Pos::FILE, e.to_string()))?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target).map_err(|e| {
                Diagnostic::error(format!("{STATIC_DIR}/{}", rel.display()), Pos::FILE, format!("cannot copy: {e}"))
            })?;
            n += 1;
        }
    }
    Ok(n)
}
