//! Watching the atlas's sources, and gathering each save's file events into one change.
//!
//! A save comes as a few events well under a millisecond apart: a write and a close, or a
//! temporary file written and renamed over the old one. A batch is handed on the moment every
//! file written in it has been closed or renamed into place, so a rebuild starts without
//! waiting out a fixed delay; where a file stays open, or the platform reports no closes, it is
//! handed on [`SETTLE`] after its first event. Reads (the build itself opens every file) and
//! editors' temporary files (hidden, backups, files the atlas does not read) neither start
//! nor finish a batch.

use crate::content::CONTENT_DIR;
use crate::output::STATIC_DIR;
use crate::render::templates::TEMPLATES_DIR;
use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{RecursiveMode, Watcher};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
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
    match first {
        STATIC_DIR => Some(ChangeKind::Static),
        // Content is records and pages (`.md`, `.yaml`) and the folders holding them; an
        // editor's temporary file beside them is not.
        CONTENT_DIR => {
            let ext = path.extension().and_then(|e| e.to_str());
            (matches!(ext, Some("md" | "yaml" | "yml")) || path.is_dir()).then_some(ChangeKind::Content)
        }
        TEMPLATES_DIR | crate::config::CONFIG_FILE | crate::i18n::I18N_DIR => Some(ChangeKind::Layout),
        _ => None,
    }
}

/// One save: what it touched.
#[derive(Debug, Default)]
pub struct Save {
    pub kinds: Vec<ChangeKind>,
    /// The content files it changed.
    pub content: Vec<PathBuf>,
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

/// Watches `content/`, `templates/`, `static/`, `i18n/` and `atlas.yaml` under `root` and calls
/// `on_save` with each save, on a thread of its own. Watching stops when the returned value is
/// dropped.
pub fn watch(root: PathBuf, mut on_save: impl FnMut(Save) + Send + 'static) -> Result<impl Drop, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| e.to_string())?;
    for sub in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, crate::i18n::I18N_DIR] {
        let p = root.join(sub);
        if p.is_dir() {
            watcher.watch(&p, RecursiveMode::Recursive).map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
        }
    }
    let config = root.join(crate::config::CONFIG_FILE);
    watcher
        .watch(&config, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", config.display()))?;
    std::thread::spawn(move || {
        while let Some(save) = next_save(&root, &rx) {
            on_save(save);
        }
    });
    Ok(watcher)
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
}
