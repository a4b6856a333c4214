//! An atlas kept in memory between edits, as `serve` keeps it: the last good model in every
//! language, what its render left for the next one, and the content files as last read.
//!
//! Each edit costs only the work it needs. A save of records that adds, removes and renames
//! none is patched into the model in place ([`crate::model::Atlas::patch`]); any other content
//! edit builds the model again; either way only the pages the edit touched are rendered again.
//! Templates, translations of the interface and the configuration render everything.

use crate::diag::Diagnostics;
use crate::model::Change;
use crate::output::{Collect, OutputFile};
use crate::render::{self, Edition, RenderState};
use crate::timings::Timings;
use crate::{LoadCache, load};
use std::path::{Path, PathBuf};

/// What an edit touched, so each kind does only the work it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touched {
    /// Records and pages: the pages that show what changed are rendered again.
    Content,
    /// Templates, interface strings or the configuration: every page is rendered again.
    Layout,
}

/// The atlas in memory; see the module's documentation.
pub struct Live {
    root: PathBuf,
    base_url: Option<String>,
    editions: Vec<Edition>,
    state: RenderState,
    cache: LoadCache,
    /// The warnings of the last good build. A patched edit leaves them as they were (see
    /// [`crate::model::Atlas::patch`]), so it reports them again.
    warnings: Diagnostics,
    /// Whether the model or the render state may be ahead of the site last rendered (an edit's
    /// pages failed after it was patched in, or halfway through a partial render): the next
    /// edit builds and renders everything.
    stale: bool,
    /// Whether the last edit failed: the files it read hold problems that the next edit must
    /// report again whatever files it names, so it looks at every file.
    failed: bool,
}

/// The files an edit rendered, and its warnings.
pub struct Rebuilt {
    pub files: Vec<OutputFile>,
    /// Pages of a partial edit that are no more (paths relative to the output folder).
    pub removed: Vec<String>,
    /// Only the pages the edit touched (the search index, open data and sitemap follow with
    /// [`Live::refresh_shared`]); else the whole site.
    pub partial: bool,
    /// Whether the model was patched in place rather than built again.
    pub patched: bool,
    pub diagnostics: Diagnostics,
}

impl Live {
    /// Builds and renders the whole atlas in memory.
    pub fn start(root: &Path, base_url: Option<&str>, t: &mut Timings) -> Result<(Live, Rebuilt), Diagnostics> {
        let mut cache = LoadCache::keeping();
        let (editions, mut diags) = load(root, base_url, t, &mut cache)?;
        let (files, state) = render_all(&editions, root, &mut diags, t);
        if diags.has_errors() {
            return Err(diags);
        }
        let live = Live {
            root: root.to_path_buf(),
            base_url: base_url.map(str::to_string),
            editions,
            state,
            cache,
            warnings: diags.clone(),
            stale: false,
            failed: false,
        };
        Ok((live, Rebuilt { files, removed: Vec::new(), partial: false, patched: false, diagnostics: diags }))
    }

    /// Brings the site up to date after an edit. `changed` lists the content files a watcher
    /// saw change (`None` if it lost track, or does not know). On error the session is left as
    /// it was, but for an edit whose pages failed in a partial render: then the next edit
    /// renders everything.
    pub fn edit(
        &mut self,
        touched: Touched,
        changed: Option<&[PathBuf]>,
        t: &mut Timings,
    ) -> Result<Rebuilt, Diagnostics> {
        let changed = if self.failed { None } else { changed };
        let done = self.edit_as_told(touched, changed, t);
        self.failed = done.is_err();
        done
    }

    /// [`Live::edit`], reading the files `changed` names.
    fn edit_as_told(
        &mut self,
        touched: Touched,
        changed: Option<&[PathBuf]>,
        t: &mut Timings,
    ) -> Result<Rebuilt, Diagnostics> {
        self.cache.changed(changed);
        if touched == Touched::Content && !self.stale {
            let config = &self.editions[0].atlas.config;
            if let Some(edited) = t.stage("load content", || self.cache.read_edit(&self.root, config)) {
                if let Some(done) = self.patch(edited, t) {
                    return done;
                }
                // The files are read; the build below reads none again.
                self.cache.changed(changed);
            }
        }
        let (editions, mut diags) = load(&self.root, self.base_url.as_deref(), t, &mut self.cache)?;
        if touched == Touched::Content && !self.stale {
            let mut state = std::mem::replace(&mut self.state, RenderState::empty());
            let changes = render::changes_between(&editions, &self.editions);
            let partial = changes.and_then(|c| render::update(&editions, &c, &mut state, &self.root, &mut diags, t));
            match partial {
                Some(p) if !diags.has_errors() => {
                    self.keep(editions, state, &diags);
                    let (files, removed) = (p.files, p.removed);
                    return Ok(Rebuilt { files, removed, partial: true, patched: false, diagnostics: diags });
                }
                // The state may hold half an update: the next edit renders everything.
                Some(_) => {
                    self.stale = true;
                    return Err(diags);
                }
                None => self.state = state,
            }
        }
        let (files, state) = render_all(&editions, &self.root, &mut diags, t);
        if diags.has_errors() {
            return Err(diags);
        }
        self.keep(editions, state, &diags);
        Ok(Rebuilt { files, removed: Vec::new(), partial: false, patched: false, diagnostics: diags })
    }

    /// Patches `edited` into the model and renders what it touched; `None` when the model
    /// cannot take it as a patch (and is left as it was), or took it but its pages cannot be
    /// drawn partially (the session is then stale, and the caller renders everything).
    fn patch(
        &mut self,
        edited: Vec<crate::validate::Checked>,
        t: &mut Timings,
    ) -> Option<Result<Rebuilt, Diagnostics>> {
        let (default, others) = self.editions.split_first_mut()?;
        let change = t.stage("model", || default.atlas.patch(edited, &mut self.cache.narrative))?;
        let mut diags = Diagnostics::new();
        let mut changes = vec![change];
        t.stage("localize", || {
            for ed in others.iter_mut() {
                let atlas = default.atlas.localize(&ed.locale.language, &mut diags);
                changes.push(Change::between(&atlas, &ed.atlas).expect("a patch keeps every record and page"));
                ed.atlas = atlas;
            }
        });
        // From here on the model is ahead of the site until the pages are drawn.
        self.stale = true;
        if diags.has_errors() {
            return Some(Err(diags));
        }
        let partial = render::update(&self.editions, &changes, &mut self.state, &self.root, &mut diags, t)?;
        if diags.has_errors() {
            return Some(Err(diags));
        }
        self.stale = false;
        Some(Ok(Rebuilt {
            files: partial.files,
            removed: partial.removed,
            partial: true,
            patched: true,
            diagnostics: self.warnings.clone(),
        }))
    }

    fn keep(&mut self, editions: Vec<Edition>, state: RenderState, diags: &Diagnostics) {
        self.editions = editions;
        self.state = state;
        self.warnings = diags.clone();
        self.stale = false;
    }

    /// The search index, open data (and its page) and sitemap, after a partial edit.
    pub fn refresh_shared(&mut self) -> (Vec<OutputFile>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let files = render::refresh_shared(&self.editions, &mut self.state, &self.root, &mut diags);
        (files, diags)
    }
}

/// Every file of the site, in memory, and what the next edit reuses.
fn render_all(
    editions: &[Edition],
    root: &Path,
    diags: &mut Diagnostics,
    t: &mut Timings,
) -> (Vec<OutputFile>, RenderState) {
    let collected = Collect::default();
    let state = render::render(editions, root, diags, t, &collected);
    (collected.into_files(), state)
}
