//! Writing the site: into a fresh folder beside the output, swapped in only when complete.
//!
//! A build that fails or is killed halfway leaves the previous site as it was. atlasgen only
//! ever replaces a folder it wrote: each site holds a marker file ([`SITE_MARKER`]), and an
//! existing output without one is refused unless the user passes `--force`. The output may
//! not be, contain or lie inside any of the atlas's inputs, compared as real paths (symbolic
//! links resolved), and one build at a time writes into an output.
//!
//! One file (~430 lines): the guard, the staging folder, the swap and the lock are one
//! protocol, read best in order; `sink.rs` holds what renders write into.

use crate::diag::{Diagnostic, Pos};
use crate::layout::{INPUTS, SITE_MARKER, SITE_MARKER_LINE, VCS_DIRS};
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use crate::layout::STATIC_DIR;

mod sink;
pub use sink::{Collect, Counting, OutputFile, Sink};

/// Refuses output folders that would overwrite the atlas itself: the atlas folder or one that
/// holds it, any of its inputs ([`INPUTS`], and `named`, the files its configuration names,
/// relative to the root) or a folder inside one, and its version control. Paths are compared as
/// the file system resolves them, so a symbolic link on either side changes nothing.
/// Returns the output's real path, which the build then writes to.
pub fn check_output(root: &Path, output: &Path, named: &[PathBuf]) -> Result<PathBuf, Diagnostic> {
    let real_root = resolve(root);
    let out = resolve(output);
    let refuse = |what: &str| {
        Err(Diagnostic::error(
            output.display().to_string(),
            Pos::FILE,
            format!("refusing to write the site into {what}"),
        )
        .with_help("choose an output folder of its own, such as site/ (--output site)"))
    };
    if out == real_root || real_root.starts_with(&out) {
        return refuse("the atlas folder or one that contains it");
    }
    let inputs = INPUTS.iter().map(|s| (PathBuf::from(s), *s));
    let named = named.iter().map(|p| (p.clone(), "file that atlas.yaml names"));
    let vcs = VCS_DIRS.iter().map(|s| (PathBuf::from(s), "version control"));
    for (rel, what) in inputs.chain(vcs).chain(named) {
        // Both where the input is named and where it really is (it may be a link).
        let lexical = normalize(&real_root.join(&rel));
        let real = fs::canonicalize(root.join(&rel)).ok();
        for p in std::iter::once(lexical).chain(real) {
            if out == p || p.starts_with(&out) || out.starts_with(&p) {
                let name = rel.to_string_lossy().replace('\\', "/");
                return if what.ends_with("names") || what == "version control" {
                    refuse(&format!("the atlas's {name} ({what})"))
                } else {
                    refuse(&format!("the atlas's {name}"))
                };
            }
        }
    }
    Ok(out)
}

/// The real path of `p`, which may not exist yet: its longest existing part resolved by the
/// file system (symbolic links, `..` after a link), the rest appended as written.
fn resolve(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    let mut real = PathBuf::new();
    let mut rest: Vec<Component> = Vec::new();
    for c in abs.components() {
        if !rest.is_empty() {
            rest.push(c);
            continue;
        }
        match c {
            Component::Prefix(_) | Component::RootDir => real.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => match fs::canonicalize(real.join(name)) {
                Ok(r) => real = r,
                Err(_) => rest.push(c),
            },
        }
    }
    normalize(&rest.iter().fold(real, |p, c| p.join(c)))
}

/// Lexically resolves `.` and `..`, for the part of a path that does not exist yet.
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

/// The marker's text: the line atlasgen knows its sites by, the version that wrote it, and a
/// word for whoever opens it.
fn marker_text() -> String {
    format!(
        "{SITE_MARKER_LINE}\nversion: {}\nThis folder is a site written by atlasgen. Its next build replaces the whole folder: keep no files of your own here.\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// Whether `dir` is a site atlasgen wrote: it holds the marker, a plain file whose first line
/// is [`SITE_MARKER_LINE`].
fn is_site(dir: &Path) -> bool {
    let marker = dir.join(SITE_MARKER);
    fs::symlink_metadata(&marker).is_ok_and(|m| m.file_type().is_file())
        && fs::read(&marker).is_ok_and(|b| b.split(|&c| c == b'\n').next() == Some(SITE_MARKER_LINE.as_bytes()))
}

/// Whether an existing output may be replaced: a site atlasgen wrote, an empty folder, or
/// anything when forced.
fn may_replace(output: &Path, force: bool) -> Result<(), Diagnostic> {
    let Ok(meta) = fs::symlink_metadata(output) else { return Ok(()) };
    let empty = meta.is_dir() && fs::read_dir(output).is_ok_and(|mut d| d.next().is_none());
    if force || empty || (meta.is_dir() && is_site(output)) {
        return Ok(());
    }
    let what = if meta.is_dir() {
        format!("it is a folder atlasgen did not write (it has no {SITE_MARKER} file)")
    } else {
        "it is a file, not a site atlasgen wrote".to_string()
    };
    Err(Diagnostic::error(output.display().to_string(), Pos::FILE, format!("refusing to replace the output: {what}"))
        .with_help(format!(
            "choose another --output; or, if everything in it may go, pass --force, which deletes it and writes the site in its place (a site built by an atlasgen older than {SITE_MARKER} needs --force once)"
        )))
}

/// Locks an output against other builds for as long as the returned file is open.
fn lock(parent: &Path, name: &str, output: &Path) -> Result<fs::File, Diagnostic> {
    let path = parent.join(format!(".{name}.lock"));
    let file =
        fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| io_error(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Diagnostic::error(
            output.display().to_string(),
            Pos::FILE,
            "the output is busy: another atlasgen build is writing it",
        )
        .with_help("wait for that build to finish, then build again")),
        Err(fs::TryLockError::Error(e)) => Err(io_error(&path, e)),
    }
}

/// Removes what killed builds of this output left beside it: staging folders
/// (`.<name>.building-<pid>`) and previous sites set aside (`.<name>.old-<pid>`) whose process
/// is gone. Only folders that hold the marker (or nothing) are removed; the caller holds the
/// output's lock, so no build of it is under way.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(file) = file.to_str() else { continue };
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else { continue };
        let Some(pid) = rest.strip_prefix("building-").or_else(|| rest.strip_prefix("old-")) else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        let path = e.path();
        let ours = e.file_type().is_ok_and(|t| t.is_dir())
            && (is_site(&path) || fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none()));
        if ours && pid != std::process::id() && !alive(pid) {
            remove_tree(&path);
        }
    }
}

/// Whether a process of that id is running.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: kill with signal 0 sends nothing; it only asks whether the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Whether a process of that id is running: without a way to ask, the lock is the guard.
#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    false
}

/// Swaps two existing paths in one step, where the platform can: there is no moment with
/// neither in place. `Ok(false)` where it cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths, relative to the working directory.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        // Old kernels and file systems without the flag: the caller renames twice.
        Some(libc::ENOSYS | libc::EINVAL | libc::ENOTSUP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// A site being written: files go into a fresh folder beside the output as they are
/// rendered, and [`Staging::finish`] swaps it in only when every file is there. Dropped
/// unfinished (a failed build), it is removed and the output is left as it was.
pub struct Staging {
    output: PathBuf,
    /// Held until the staging folder is swapped in or thrown away.
    _lock: fs::File,
    /// Whether there is a previous site to link unchanged pages from: a first build saves a
    /// look for each of its files.
    previous: bool,
    dir: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
    error: Mutex<Option<Diagnostic>>,
    /// The paths of the static files copied in, and the generated files that have one of
    /// them (see [`crate::statics::clashes`]).
    statics: HashSet<String>,
    clashes: Mutex<Vec<String>>,
    count: AtomicUsize,
    done: bool,
}

fn io_error(p: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(p.display().to_string(), Pos::FILE, format!("cannot write: {e}"))
}

impl Staging {
    /// Opens the staging folder and copies the files of `static/` into it. `output` is the
    /// real path [`check_output`] returned; unless `force`, an existing output must be a site
    /// atlasgen wrote (or an empty folder).
    pub fn new(
        root: &Path,
        output: &Path,
        force: bool,
        statics: &[crate::statics::StaticFile],
    ) -> Result<Staging, Diagnostic> {
        let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "site".into());
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        let lock = lock(parent, &name, output)?;
        may_replace(output, force)?;
        clean_leftovers(parent, &name);
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        if fs::symlink_metadata(&dir).is_ok() {
            remove_tree(&dir);
        }
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        // First of all, so that a killed build's leftovers are known for atlasgen's own.
        let marker = dir.join(SITE_MARKER);
        if let Err(e) = fs::write(&marker, marker_text()) {
            remove_tree(&dir);
            return Err(io_error(&marker, e));
        }
        let mut staging = Staging {
            output: output.to_path_buf(),
            _lock: lock,
            previous: output.is_dir(),
            dir,
            made: Mutex::default(),
            error: Mutex::default(),
            statics: statics.iter().map(|f| f.path.clone()).collect(),
            clashes: Mutex::default(),
            count: AtomicUsize::new(0),
            done: false,
        };
        match copy_static(root, statics, &staging.dir) {
            Ok(n) => staging.count = AtomicUsize::new(n),
            Err(e) => {
                staging.abort();
                return Err(e);
            }
        }
        Ok(staging)
    }

    /// Writes one file; the first failure is kept for [`Staging::finish`] to report.
    pub fn put(&self, f: &OutputFile) {
        if let Err(e) = self.write(f) {
            self.error.lock().expect("lock").get_or_insert(e);
        }
    }

    fn write(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        if self.statics.contains(&f.path) {
            self.clashes.lock().expect("lock").push(f.path.clone());
            return Ok(());
        }
        let target = self.dir.join(&f.path);
        if f.path.split('/').any(|s| s == ".." || s == ".") || !target.starts_with(&self.dir) {
            return Err(Diagnostic::error(&f.path, Pos::FILE, "output path escapes the site folder"));
        }
        if let Some(parent) = target.parent()
            && !self.made.lock().expect("lock").contains(parent)
        {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
            self.made.lock().expect("lock").insert(parent.to_path_buf());
        }
        // A page that did not change is linked from the previous site instead of written
        // again: a link is cheaper than a write, and the bytes are the same.
        let previous = self.output.join(&f.path);
        if !(self.previous && unchanged(&previous, &f.bytes) && fs::hard_link(&previous, &target).is_ok()) {
            fs::write(&target, &f.bytes).map_err(|e| io_error(&target, e))?;
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// The generated files that have the path of a static file: the build must fail.
    pub fn clashes(&self) -> Vec<Diagnostic> {
        let mut paths = std::mem::take(&mut *self.clashes.lock().expect("lock"));
        paths.sort_unstable();
        paths.dedup();
        paths.iter().map(|p| crate::statics::clash(p)).collect()
    }

    /// Swaps the new site in, unless a write failed. Returns the number of files.
    pub fn finish(mut self) -> Result<usize, Diagnostic> {
        if let Some(e) = self.error.lock().expect("lock").take() {
            return Err(e);
        }
        let output = self.output.clone();
        let count = self.count.load(Ordering::Relaxed);
        // The new site and the old one trade places in one step; the old one, now under the
        // staging folder's name, goes.
        if fs::symlink_metadata(&output).is_ok() && exchange(&self.dir, &output).map_err(|e| io_error(&output, e))? {
            self.done = true;
            remove_tree(&self.dir);
            return Ok(count);
        }
        // Elsewhere: the old site moves aside, the new one takes its name, then the old one goes.
        let name = output.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "site".into());
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let moved = fs::symlink_metadata(&output).is_ok();
        if moved {
            fs::rename(&output, &old).map_err(|e| io_error(&output, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &output) {
            if moved {
                let _ = fs::rename(&old, &output);
            }
            return Err(io_error(&output, e));
        }
        self.done = true;
        if moved {
            remove_tree(&old);
        }
        Ok(count)
    }

    /// Throws the staging folder away.
    pub fn abort(&mut self) {
        if !self.done {
            remove_tree(&self.dir);
            self.done = true;
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.abort();
    }
}

/// Whether `path` holds exactly `bytes` (sizes are compared before contents).
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
    }
}

/// Removes a folder we made (or a file `--force` replaces), files in parallel, then the
/// folders. Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) {
    if fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
        let _ = fs::remove_file(dir);
        return;
    }
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

/// Copies the files of `static/` into the site being staged.
fn copy_static(root: &Path, files: &[crate::statics::StaticFile], to: &Path) -> Result<usize, Diagnostic> {
    for f in files {
        let target = to.join(&f.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        crate::statics::copy(root, f, &target)?;
    }
    Ok(files.len())
}
