//! Watching the atlas's sources, and gathering each save's file events into one change.
//!
//! A save comes as a few events well under a millisecond apart: a write and a close, or a
//! temporary file written and renamed over the old one. A batch is handed on the moment every
//! file written in it has been closed or renamed into place, so a rebuild starts without
//! waiting out a fixed delay; where a file stays open, or the platform reports no closes, it is
//! handed on [`SETTLE`] after its first event. Reads (the build itself opens every file) and
//! editors' temporary files (hidden, backups, files the atlas does not read) neither start
//! nor finish a batch.

use crate::layout::{CONFIG_FILE, CONTENT_DIR, DATA_DIR, I18N_DIR, STATIC_DIR, TEMPLATES_DIR};
use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{RecursiveMode, Watcher};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a batch waits, at most, for the files written in it to be closed.
pub const SETTLE: Duration = Duration::from_millis(10);

/// What a change touches, so each kind does only the work it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A file of `static/`: copied as is, no rendering.
    Static,
    /// Records and pages: the pages that show what changed are rendered again.
    Content,
    /// Templates or the configuration: every page is rendered again.
    Layout,
}

/// Classifies a changed path under `root`; `None` for files the atlas does not use.
pub fn classify(root: &Path, path: &Path) -> Option<ChangeKind> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let hidden =
        rel.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.') || s.ends_with('~')));
    if hidden {
        return None;
    }
    // An input folder itself, made, removed or renamed: whatever it held may have changed.
    if rel.components().count() == 1 && FOLDERS.contains(&first) {
        return Some(if first == STATIC_DIR {
            ChangeKind::Static
        } else if first == CONTENT_DIR {
            ChangeKind::Content
        } else {
            ChangeKind::Layout
        });
    }
    match first {
        STATIC_DIR => Some(ChangeKind::Static),
        // Content is records and pages (`.md`, `.yaml`) and the folders holding them; an
        // editor's temporary file beside them is not.
        CONTENT_DIR => {
            let ext = path.extension().and_then(|e| e.to_str());
            (matches!(ext, Some("md" | "yaml" | "yml")) || path.is_dir()).then_some(ChangeKind::Content)
        }
        TEMPLATES_DIR | CONFIG_FILE | I18N_DIR | DATA_DIR => Some(ChangeKind::Layout),
        _ => None,
    }
}

/// One save: what it touched.
#[derive(Debug, Default)]
pub struct Save {
    pub kinds: Vec<ChangeKind>,
    /// The content files it changed.
    pub content: Vec<PathBuf>,
    /// The files of `static/` it changed (added, written or removed).
    pub statics: Vec<PathBuf>,
    /// Input folders made, removed or renamed: they are watched again.
    pub folders: Vec<PathBuf>,
    /// The watcher lost events: every file needs a look.
    pub lost: bool,
}

/// The events of a save being gathered.
#[derive(Default)]
struct Batch {
    save: Save,
    /// Files written and not yet closed.
    open: HashSet<PathBuf>,
}

impl Batch {
    /// Takes in one event; returns whether it concerns the atlas.
    fn add(&mut self, root: &Path, event: notify::Result<notify::Event>) -> bool {
        let event = match event {
            Ok(e) => e,
            Err(_) => {
                self.save.lost = true;
                return true;
            }
        };
        if event.need_rescan() {
            self.save.lost = true;
        }
        let writing =
            matches!(event.kind, EventKind::Create(CreateKind::File) | EventKind::Modify(ModifyKind::Data(_)));
        let closed = matches!(event.kind, EventKind::Access(AccessKind::Close(AccessMode::Write)));
        if matches!(event.kind, EventKind::Access(_)) && !closed {
            return false;
        }
        // A rename's paths are its source then its target: only the target is left written.
        let renamed_from =
            matches!(event.kind, EventKind::Modify(ModifyKind::Name(RenameMode::Both))).then(|| event.paths.first());
        let mut relevant = self.save.lost;
        for path in &event.paths {
            let Some(kind) = classify(root, path) else { continue };
            relevant = true;
            let folder =
                path.parent() == Some(root) && path.file_name().is_some_and(|n| FOLDERS.iter().any(|f| n == *f));
            if folder && !closed && !self.save.folders.contains(path) {
                // What it holds is not known from events: everything is read again.
                self.save.folders.push(path.clone());
                self.save.lost = true;
            }
            if closed {
                self.open.remove(path);
                continue;
            }
            if writing {
                self.open.insert(path.clone());
            } else if renamed_from != Some(Some(path)) {
                self.open.remove(path);
            }
            self.save.kinds.push(kind);
            if kind == ChangeKind::Content && !self.save.content.contains(path) {
                self.save.content.push(path.clone());
            }
            if kind == ChangeKind::Static && !self.save.statics.contains(path) {
                self.save.statics.push(path.clone());
            }
        }
        relevant
    }

    /// Whether the save is whole: something changed, and every file written is closed.
    fn whole(&self) -> bool {
        (!self.save.kinds.is_empty() || self.save.lost) && self.open.is_empty()
    }
}

/// Gathers the next save from `events`; `None` when the watcher is gone.
fn next_save(root: &Path, events: &Receiver<notify::Result<notify::Event>>) -> Option<Save> {
    loop {
        let mut batch = Batch::default();
        // Nothing happens until the atlas's files change.
        while !batch.add(root, events.recv().ok()?) {}
        let deadline = Instant::now() + SETTLE;
        loop {
            // Events already waiting belong to this save too.
            while let Ok(e) = events.try_recv() {
                batch.add(root, e);
            }
            if batch.whole() {
                break;
            }
            match events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(e) => {
                    batch.add(root, e);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        // Files closed without a change in between do not make a save.
        if !batch.save.kinds.is_empty() || batch.save.lost {
            return Some(batch.save);
        }
    }
}

/// The folders watched whole: every input folder of the atlas.
const FOLDERS: [&str; 5] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, I18N_DIR, DATA_DIR];

/// The watcher, and which input folders it watches, by the identity (device, inode) each had
/// when its watch was set: a folder removed and made again, or renamed over, is a new one.
struct Watches {
    watcher: notify::RecommendedWatcher,
    armed: HashMap<PathBuf, (u64, u64)>,
}

impl Watches {
    /// Watches every input folder that exists and is not watched as it is now, and again those
    /// a save made, removed or renamed (`touched`: a new folder may get the inode of the one it
    /// replaces). Returns whether one was (re)armed: what it holds may have changed before its
    /// watch was set.
    fn arm(&mut self, root: &Path, touched: &[PathBuf]) -> bool {
        let mut armed_one = false;
        for sub in FOLDERS {
            let dir = root.join(sub);
            let Some(id) = identity(&dir) else {
                if self.armed.remove(&dir).is_some() {
                    let _ = self.watcher.unwatch(&dir);
                }
                continue;
            };
            if self.armed.get(&dir) == Some(&id) && !touched.contains(&dir) {
                continue;
            }
            let _ = self.watcher.unwatch(&dir);
            if self.watcher.watch(&dir, RecursiveMode::Recursive).is_ok() {
                self.armed.insert(dir, id);
                armed_one = true;
            }
        }
        armed_one
    }
}

/// A folder's device and inode (`None` when it is not a folder).
fn identity(dir: &Path) -> Option<(u64, u64)> {
    let m = std::fs::metadata(dir).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        Some((0, 0))
    }
}

/// Watches the atlas under `root` and calls `on_save` with each save, on a thread of its own:
/// the root itself (not recursively), for `atlas.yaml` and for input folders that appear or
/// are replaced, and each input folder (`content/`, `templates/`, `static/`, `i18n/`, `data/`)
/// whole. Folders are watched, never single files, so a file saved by renaming a new one over
/// it (sed -i, vim, JetBrains, gedit, emacs) is seen at every save; a folder made after the
/// start, or removed and made again (a branch switch), is watched again at once, and the
/// save that brought it reads everything again. Watching stops when the returned value is
/// dropped.
pub fn watch(root: PathBuf, mut on_save: impl FnMut(Save) + Send + 'static) -> Result<impl Drop, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| e.to_string())?;
    watcher.watch(&root, RecursiveMode::NonRecursive).map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let mut watches = Watches { watcher, armed: HashMap::new() };
    watches.arm(&root, &[]);
    let watches = Arc::new(Mutex::new(watches));
    // The thread holds the watcher weakly: dropping the returned value drops it, which ends
    // the stream of events, and the thread with it.
    let weak = Arc::downgrade(&watches);
    std::thread::spawn(move || {
        while let Some(mut save) = next_save(&root, &rx) {
            let Some(watches) = weak.upgrade() else { break };
            if watches.lock().expect("lock").arm(&root, &save.folders) {
                save.lost = true;
            }
            drop(watches);
            on_save(save);
        }
    });
    Ok(Stop(watches))
}

/// Stops watching when dropped.
struct Stop(#[allow(dead_code)] Arc<Mutex<Watches>>);

impl Drop for Stop {
    fn drop(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, RemoveKind};

    fn event(kind: EventKind, paths: &[&str]) -> notify::Result<notify::Event> {
        Ok(paths.iter().fold(notify::Event::new(kind), |e, p| e.add_path(PathBuf::from(p))))
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));

    #[test]
    fn changes_are_sorted_by_kind() {
        let root = Path::new("/atlas");
        assert_eq!(classify(root, Path::new("/atlas/static/img/a.png")), Some(ChangeKind::Static));
        assert_eq!(classify(root, Path::new("/atlas/content/gates/a.md")), Some(ChangeKind::Content));
        assert_eq!(classify(root, Path::new("/atlas/content/events.yaml")), Some(ChangeKind::Content));
        assert_eq!(classify(root, Path::new("/atlas/templates/record.html")), Some(ChangeKind::Layout));
        assert_eq!(classify(root, Path::new("/atlas/atlas.yaml")), Some(ChangeKind::Layout));
        assert_eq!(classify(root, Path::new("/atlas/i18n/vi.yaml")), Some(ChangeKind::Layout));
        assert_eq!(classify(root, Path::new("/atlas/content/gates/.a.md.swp")), None);
        assert_eq!(classify(root, Path::new("/atlas/content/gates/a.md~")), None);
        assert_eq!(classify(root, Path::new("/atlas/content/gates/sedX4a9Qz")), None);
        assert_eq!(classify(root, Path::new("/atlas/site/index.html")), None);
    }

    #[test]
    fn a_save_is_whole_once_its_files_are_closed_or_renamed_into_place() {
        let root = Path::new("/atlas");
        let md = "/atlas/content/gates/a.md";
        // Written in place: whole at the close.
        let mut b = Batch::default();
        assert!(!b.add(root, event(EventKind::Access(AccessKind::Open(AccessMode::Any)), &[md])));
        assert!(b.add(root, event(WRITE, &[md])));
        assert!(!b.whole());
        b.add(root, event(CLOSE, &[md]));
        assert!(b.whole());
        assert_eq!(b.save.content, [PathBuf::from(md)]);

        // Written beside and renamed over it: the temporary file neither starts nor finishes
        // the save; the rename does.
        let tmp = "/atlas/content/gates/sedX4a9Qz";
        let mut b = Batch::default();
        assert!(!b.add(root, event(EventKind::Create(CreateKind::File), &[tmp])));
        assert!(!b.add(root, event(CLOSE, &[tmp])));
        assert!(!b.whole());
        assert!(b.add(root, event(EventKind::Modify(ModifyKind::Name(RenameMode::Both)), &[tmp, md])));
        assert!(b.whole());
        assert_eq!(b.save.content, [PathBuf::from(md)]);

        // A removed file, and a lost watch.
        let mut b = Batch::default();
        b.add(root, event(EventKind::Remove(RemoveKind::File), &[md]));
        assert!(b.whole() && b.save.kinds == [ChangeKind::Content]);
        let mut b = Batch::default();
        b.add(root, Err(notify::Error::generic("queue overflow")));
        assert!(b.whole() && b.save.lost);
    }

    /// The real watcher on a real folder: saves by rename, folders removed and made again, and
    /// a `static/` made after the start are all seen, every time.
    #[test]
    fn folders_are_watched_through_renames_and_recreation() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        std::fs::create_dir_all(root.join("content/gates")).unwrap();
        std::fs::write(root.join("atlas.yaml"), "title: A\n").unwrap();
        std::fs::write(root.join("content/gates/a.md"), "---\n---\n").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let _stop = watch(root.clone(), move |s| {
            let _ = tx.send(s);
        })
        .unwrap();
        let next = |what: &str| -> Save {
            let s = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| panic!("no save seen: {what}"));
            // A save's stragglers (a close after the rename) may come as a save of their own.
            while rx.recv_timeout(Duration::from_millis(200)).is_ok() {}
            s
        };
        // atlas.yaml saved by writing a temporary file and renaming it over, twice.
        for n in 0..2 {
            std::fs::write(root.join("atlas.yaml.tmp"), format!("title: B{n}\n")).unwrap();
            std::fs::rename(root.join("atlas.yaml.tmp"), root.join("atlas.yaml")).unwrap();
            let s = next(&format!("atlas.yaml renamed over, save {n}"));
            assert!(s.kinds.contains(&ChangeKind::Layout), "{s:?}");
        }
        // content/ removed and made again (a branch switch): a save, and the new folder is
        // watched from then on.
        std::fs::remove_dir_all(root.join("content")).unwrap();
        let _ = next("content removed");
        std::fs::create_dir_all(root.join("content/gates")).unwrap();
        std::fs::write(root.join("content/gates/b.md"), "---\n---\n").unwrap();
        let s = next("content made again");
        assert!(s.lost && s.kinds.contains(&ChangeKind::Content), "everything is read again: {s:?}");
        std::fs::write(root.join("content/gates/b.md"), "---\nx: 1\n---\n").unwrap();
        let s = next("a file of the new content folder");
        assert_eq!(s.content, [root.join("content/gates/b.md")]);
        // static/ made after the start: its files are seen, added and removed.
        std::fs::create_dir_all(root.join("static")).unwrap();
        let s = next("static made");
        assert!(s.kinds.contains(&ChangeKind::Static), "{s:?}");
        std::fs::write(root.join("static/logo.svg"), "<svg/>").unwrap();
        let s = next("a static file added");
        assert_eq!(s.statics, [root.join("static/logo.svg")]);
        std::fs::remove_file(root.join("static/logo.svg")).unwrap();
        let s = next("a static file removed");
        assert_eq!(s.statics, [root.join("static/logo.svg")]);
    }
}
