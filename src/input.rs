//! Reading the atlas's inputs, and only them: every file atlasgen reads from an atlas goes
//! through here, so that what it publishes (or prints in a diagnostic) never comes from
//! outside the atlas folder.
//!
//! - A symbolic link is followed only when it lands inside the atlas folder; a link out of it
//!   (`templates/404.html` to `/etc/passwd`, `static/` to a folder of credentials) is refused.
//! - Only plain files are read: a device (`/dev/zero`), a FIFO (which would block the build)
//!   or a socket is refused. Files are opened without blocking and checked on the open handle.
//! - The size limit is checked on what is read, not on what the file system says, which a
//!   device or a growing file would get round.

use crate::diag::{Diagnostic, Pos};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest content file, template, translation table or configuration read. Larger files
/// are refused, which bounds a build's time and memory; a list that big should be split over
/// several files.
pub const MAX_TEXT_BYTES: u64 = 32 * 1024 * 1024;

/// The largest data file read (the base map).
pub const MAX_DATA_BYTES: u64 = 256 * 1024 * 1024;

/// Why an input was not read.
#[derive(Debug)]
pub enum Refused {
    /// A link that leads out of the atlas folder.
    Outside,
    /// Not a plain file: what it is ("a FIFO", "a device", "a folder").
    Special(&'static str),
    /// More than the limit, in bytes.
    TooLarge(u64),
    Io(std::io::Error),
}

impl Refused {
    /// A diagnostic for the file `rel` (relative to the atlas folder), with what to do.
    pub fn diagnostic(self, rel: &str) -> Diagnostic {
        match self {
            Refused::Outside => Diagnostic::error(rel, Pos::FILE, "this is a link to a file outside the atlas folder")
                .with_help(
                    "atlasgen reads and publishes only files inside the atlas folder: copy the file in, or remove the link",
                ),
            Refused::Special(what) => Diagnostic::error(rel, Pos::FILE, format!("this is {what}, not a file"))
                .with_help("the atlas's folders hold plain files: remove it, or move it out of the atlas"),
            Refused::TooLarge(limit) => {
                Diagnostic::error(rel, Pos::FILE, format!("the file is larger than {} MiB", limit / 1048576)).with_help(
                    "split it: records can be spread over several .yaml files or one .md file each under content/<collection>/",
                )
            }
            Refused::Io(e) => Diagnostic::error(rel, Pos::FILE, format!("cannot read file: {e}"))
                .with_help("check that the file exists and is readable"),
        }
    }
}

/// The atlas folder's real path, or the path as given when it cannot be resolved.
pub fn real_root(root: &Path) -> PathBuf {
    fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// The real path of `path` when it lies inside the atlas folder `real_root` (see
/// [`real_root`]).
pub fn inside(real_root: &Path, path: &Path) -> Result<PathBuf, Refused> {
    let real = fs::canonicalize(path).map_err(Refused::Io)?;
    if real.starts_with(real_root) { Ok(real) } else { Err(Refused::Outside) }
}

/// Opens `path`, which must lie inside the atlas folder `root` and be a plain file.
pub fn open(root: &Path, path: &Path) -> Result<fs::File, Refused> {
    let real = inside(&real_root(root), path)?;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    // Without blocking: opening a FIFO would otherwise wait for a writer forever.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options.open(&real).map_err(Refused::Io)?;
    let kind = file.metadata().map_err(Refused::Io)?.file_type();
    if !kind.is_file() {
        return Err(Refused::Special(describe(kind)));
    }
    Ok(file)
}

/// Reads `path` whole, refusing more than `limit` bytes (see [`open`] for what else is
/// refused).
pub fn read(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    let file = open(root, path)?;
    let hint = file.metadata().map(|m| m.len()).unwrap_or(0).min(limit);
    let mut bytes = Vec::with_capacity(hint as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge(limit));
    }
    Ok(bytes)
}

/// Why a text file was not read.
#[derive(Debug)]
pub enum Unreadable {
    Refused(Refused),
    /// Not UTF-8: where the first byte that is not is.
    NotUtf8(Pos),
}

/// Reads `path` as UTF-8 text (see [`read`]), a leading byte-order mark dropped.
pub fn read_utf8(root: &Path, path: &Path, limit: u64) -> Result<String, Unreadable> {
    let bytes = read(root, path, limit).map_err(Unreadable::Refused)?;
    let text = String::from_utf8(bytes)
        .map_err(|e| Unreadable::NotUtf8(crate::source::utf8_error_pos(e.as_bytes(), e.utf8_error())))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// [`read`] with `rel`, the path shown in diagnostics.
pub fn read_or_report(root: &Path, path: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    read(root, path, limit).map_err(|r| r.diagnostic(rel))
}

/// What a file that is not plain is, in words.
pub fn describe(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a link"
    } else if kind.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// The files under `dir` (a folder of the atlas), for loaders that take every file in it:
/// links inside the atlas are followed, links out of it and special files are reported
/// rather than listed. Each entry is (path, path relative to `dir`); `dir` itself missing is
/// no files.
pub fn walk(root: &Path, dir: &Path, max_depth: usize) -> (Vec<walkdir::DirEntry>, Vec<(PathBuf, Refused)>) {
    let real_root = real_root(root);
    let mut found = Vec::new();
    let mut refused = Vec::new();
    if fs::symlink_metadata(dir).is_err() {
        return (found, refused);
    }
    if let Err(r) = inside(&real_root, dir) {
        refused.push((dir.to_path_buf(), r));
        return (found, refused);
    }
    let mut it = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().max_depth(max_depth).into_iter();
    while let Some(entry) = it.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
                refused.push((path, Refused::Io(e.into())));
                continue;
            }
        };
        if entry.path_is_symlink()
            && let Err(r) = inside(&real_root, entry.path())
        {
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            refused.push((entry.into_path(), r));
            continue;
        }
        let kind = entry.file_type();
        if !kind.is_file() && !kind.is_dir() {
            refused.push((entry.path().to_path_buf(), Refused::Special(describe(kind))));
            continue;
        }
        found.push(entry);
    }
    (found, refused)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_atlas_and_special_files_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("atlas");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::write(tmp.path().join("secret.txt"), "outside").unwrap();
        fs::write(root.join("content/a.md"), "inside").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("content/out.md")).unwrap();
        std::os::unix::fs::symlink(root.join("content/a.md"), root.join("content/in.md")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("content/zero.md")).unwrap();
        assert_eq!(read(&root, &root.join("content/a.md"), 100).unwrap(), b"inside");
        assert_eq!(read(&root, &root.join("content/in.md"), 100).unwrap(), b"inside");
        assert!(matches!(read(&root, &root.join("content/out.md"), 100), Err(Refused::Outside)));
        assert!(matches!(read(&root, &root.join("content/zero.md"), 100), Err(Refused::Outside)));
        assert!(matches!(read(&root, Path::new("/dev/zero"), 100), Err(Refused::Outside)));
        assert!(matches!(read(&root, &root.join("content/a.md"), 3), Err(Refused::TooLarge(3))));
        let fifo = root.join("content/x.md");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(matches!(read(&root, &fifo, 100), Err(Refused::Special(_))));
        let (files, refused) = walk(&root, &root.join("content"), 3);
        let names: Vec<String> = files.iter().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["content", "a.md", "in.md"]);
        assert_eq!(refused.len(), 3, "{refused:?}");
    }
}
