//! Content files as last read and checked, so that `serve` reads again only the files a save
//! changed (by size and modification time), and their narrative as last rendered (see
//! [`Memo`]). The configuration is read every time; a change to it empties the cache.

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, RawPage};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Memo;
use crate::validate::{self, Checked};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A file's size and modification time.
type Stamp = (SystemTime, u64);

/// What the content files held when last read. A default cache keeps nothing: a one-off build
/// reads every file once; [`LoadCache::keeping`] makes one that remembers between calls.
#[derive(Default)]
pub struct LoadCache {
    keep: bool,
    config: Option<Stamp>,
    files: HashMap<PathBuf, Loaded>,
    /// The content files found by the last walk of `content/`, and what it reported.
    found: Vec<(PathBuf, content::FileKind)>,
    found_diagnostics: Vec<Diagnostic>,
    /// The files a watcher says changed since the last read; `None` when nobody said.
    changed: Option<HashSet<PathBuf>>,
    /// The files [`LoadCache::read_edit`] read again for an edit it could not take: the
    /// [`LoadCache::read`] that follows does not read them a second time.
    just_read: HashSet<PathBuf>,
    /// The narrative the last model rendered.
    pub(crate) narrative: Memo,
}

/// One content file, read and checked.
struct Loaded {
    kind: content::FileKind,
    stamp: Option<Stamp>,
    records: Vec<Checked>,
    page: Option<RawPage>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads and checks one content file.
fn load(root: &Path, path: &Path, kind: &content::FileKind, stamp: Option<Stamp>, config: &Config) -> Loaded {
    let loaded = content::load_file(root, path, kind, config);
    let mut d = Diagnostics::new();
    d.extend(loaded.diagnostics);
    let records = validate::check(loaded.records, config, &mut d);
    Loaded { kind: kind.clone(), stamp, records, page: loaded.page, diagnostics: d.into_vec() }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

impl LoadCache {
    /// A cache that remembers files between calls.
    pub fn keeping() -> LoadCache {
        LoadCache { keep: true, narrative: Memo::keeping(), ..LoadCache::default() }
    }

    /// Tells the cache which content files changed since the last read (`serve`'s watcher
    /// knows). When they are all files it already holds, the next read neither walks
    /// `content/` nor looks at any other file; a file that came or went, or a watcher that
    /// lost track (`None`), brings back the full walk.
    pub fn changed(&mut self, paths: Option<&[PathBuf]>) {
        // Before the first read there is nothing to compare with.
        self.changed = paths.filter(|_| !self.files.is_empty()).map(|p| p.iter().cloned().collect());
    }

    /// The records of the files a watcher named (see [`LoadCache::changed`]), read again, for
    /// [`crate::model::Atlas::patch`]: `Some` only when each is a file the cache holds, holding
    /// records and no page, and holds again the same records (by collection, id and language)
    /// without a problem. Else `None`, and the next [`LoadCache::read`] reads as it always
    /// does, without reading again the files read here.
    pub fn read_edit(&mut self, root: &Path, config: &Config) -> Option<Vec<Checked>> {
        let named = self.changed.as_ref()?;
        if !self.keep || self.config != stamp(&root.join(CONFIG_FILE)) {
            return None;
        }
        let mut paths: Vec<&PathBuf> = named.iter().collect();
        paths.sort();
        let mut fresh: Vec<(PathBuf, Loaded)> = Vec::with_capacity(paths.len());
        // Read again even when size and time are the same: two saves of the same size within
        // one tick of the file system's clock have the same stamp, and the watcher saw both.
        for path in paths {
            let now = stamp(path)?;
            let old = self.files.get(path)?;
            fresh.push((path.clone(), load(root, path, &old.kind, Some(now), config)));
        }
        fn keys(l: &Loaded) -> Vec<(&str, &str, Option<&str>)> {
            let mut k: Vec<_> = l
                .records
                .iter()
                .map(|c| (c.raw.collection.as_str(), c.raw.id.as_str(), c.raw.lang.as_deref()))
                .collect();
            k.sort();
            k
        }
        let patchable = fresh.iter().all(|(path, new)| {
            let old = &self.files[path];
            new.diagnostics.is_empty()
                && old.diagnostics.is_empty()
                && new.page.is_none()
                && old.page.is_none()
                && !new.records.is_empty()
                && keys(new) == keys(old)
        });
        let edited: Vec<Checked> = fresh.iter().flat_map(|(_, l)| l.records.iter().cloned()).collect();
        self.just_read = fresh.iter().map(|(p, _)| p.clone()).collect();
        self.files.extend(fresh);
        if !patchable {
            return None;
        }
        self.changed = None;
        self.just_read.clear();
        Some(edited)
    }

    /// Every content file's checked records and pages, in file order; files unchanged since
    /// the last call are not read again.
    pub fn read(&mut self, root: &Path, config: &Config, diags: &mut Diagnostics) -> (Vec<Checked>, Vec<RawPage>) {
        if !self.keep {
            let c = content::load(root, config, diags);
            return (validate::check(c.records, config, diags), c.pages);
        }
        let changed = self.changed.take();
        let config_stamp = stamp(&root.join(CONFIG_FILE));
        if self.config != config_stamp {
            self.files.clear();
            self.narrative.clear();
            self.config = config_stamp;
        }
        // Files the cache holds that still exist: nothing else needs a look.
        let known = changed.filter(|c| c.iter().all(|p| self.files.contains_key(p) && p.is_file()));
        if known.is_none() {
            let mut walk = Diagnostics::new();
            self.found = content::discover(root, config, &mut walk);
            self.found_diagnostics = walk.into_vec();
        }
        diags.extend(self.found_diagnostics.iter().cloned());
        let fresh: Vec<(PathBuf, Loaded)> = self
            .found
            .par_iter()
            .filter(|(path, _)| known.as_ref().is_none_or(|k| k.contains(path)))
            .filter_map(|(path, kind)| {
                let now = stamp(path);
                // Files a watcher named are read again whatever their stamp says (see above).
                let named = known.as_ref().is_some_and(|k| k.contains(path)) && !self.just_read.contains(path);
                let same = !named && now.is_some() && self.files.get(path).is_some_and(|c| c.stamp == now);
                (!same).then(|| (path.clone(), load(root, path, kind, now, config)))
            })
            .collect();
        if known.is_none() {
            let present: HashSet<&PathBuf> = self.found.iter().map(|(p, _)| p).collect();
            self.files.retain(|p, _| present.contains(p));
        }
        self.files.extend(fresh);
        self.just_read.clear();
        let (mut records, mut pages) = (Vec::new(), Vec::new());
        for (path, _) in &self.found {
            if let Some(c) = self.files.get(path) {
                records.extend(c.records.iter().cloned());
                pages.extend(c.page.iter().cloned());
                diags.extend(c.diagnostics.iter().cloned());
            }
        }
        (records, pages)
    }
}
