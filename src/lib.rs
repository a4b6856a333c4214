//! atlasgen builds a static atlas — places, routes and dated events — from YAML records and
//! Markdown narrative, through user-editable templates, into a site for any static host.
//!
//! The pipeline runs one way: [`config`] and [`content`] load, [`validate`] checks records
//! against their schemas, [`model`] resolves references and backlinks, [`render`] produces the
//! pages in memory, and [`output`] swaps them into place. Every stage reports problems as
//! [`diag::Diagnostic`]s and keeps going, so one run shows them all.

pub mod cache;
pub mod cldr;
pub mod config;
pub mod content;
pub mod coverage;
pub mod date;
pub mod diag;
pub mod github;
pub mod history;
pub mod i18n;
pub mod ids;
pub mod images;
pub mod input;
pub mod layout;
pub mod links;
pub mod live;
pub mod map;
pub mod markdown;
pub mod model;
pub mod output;
pub mod placeholders;
pub mod render;
pub mod scaffold;
pub mod schema_json;
#[cfg(feature = "serve")]
pub mod serve;
pub mod statics;
pub mod timings;
pub mod urls;
pub mod validate;
pub mod yaml;

pub use cache::LoadCache;
use diag::Diagnostics;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What `build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The atlas folder (with `atlas.yaml`).
    pub root: PathBuf,
    /// Where the site goes; relative paths are taken from `root`.
    pub output: PathBuf,
    /// Overrides `base_url` of the configuration (for previews and Pages deployments).
    pub base_url: Option<String>,
    /// Replace an existing output that is not a site atlasgen wrote (a folder without its
    /// marker, or a file), deleting what is in it. Without it such an output is refused.
    pub force: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Records per collection, in configuration order.
    pub counts: Vec<(String, usize)>,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    /// Time per stage.
    pub timings: timings::Timings,
}

/// Loads, checks and models the atlas in each of its languages, the default first, timing
/// each stage; errors in any stage are returned together. `cache` keeps the content files
/// read, so that a later call with it reads only those that changed (as `serve` does); a
/// one-off load passes a fresh one.
pub fn load(
    root: &Path,
    base_url: Option<&str>,
    t: &mut timings::Timings,
    cache: &mut LoadCache,
) -> Result<(Vec<render::Edition>, Diagnostics), Diagnostics> {
    // The git history is read beside the loading: it is only wanted once the model is built.
    let root_dir = root.to_path_buf();
    let history = std::thread::spawn(move || history::last_changed(&root_dir));
    let mut config = t.stage("load config", || config::Config::load(root))?;
    if let Some(url) = base_url {
        if let Err(why) = config::check_base_url(url) {
            return Err(one(diag::Diagnostic::error("--base-url", diag::Pos::FILE, format!("--base-url {why}"))
                .with_help("pass the address the site is served from, e.g. https://example.github.io/atlas/")));
        }
        config.base_url = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
    }
    let mut diags = Diagnostics::new();
    let (checked, pages) = t.stage("load content", || cache.read(root, &config, &mut diags));
    let urls = urls::Urls::new(&config.base_url, &config.base_path());
    let locales = t.stage("translations", || i18n::load(root, &config, &mut diags));
    render::templates::check_files(root, &mut diags);
    let mut atlas =
        t.stage("model", || model::Atlas::build_with(config, urls, checked, pages, &mut diags, &mut cache.narrative));
    atlas.updated = Arc::new(history.join().unwrap_or_default());
    let mut editions = Vec::with_capacity(locales.len());
    t.stage("localize", || {
        for locale in locales.iter().skip(1) {
            editions.push(render::Edition {
                atlas: atlas.localize(&locale.language, &mut diags),
                locale: Arc::clone(locale),
            });
        }
    });
    editions.insert(0, render::Edition { atlas, locale: Arc::clone(&locales[0]) });
    if diags.has_errors() { Err(diags) } else { Ok((editions, diags)) }
}

/// A site rendered in memory and checked, ready to be written.
pub struct Rendered {
    /// The atlas in each language, the default first.
    pub editions: Vec<render::Edition>,
    pub files: Vec<output::OutputFile>,
    /// Warnings (a rendered site has no errors).
    pub diagnostics: Diagnostics,
    pub timings: timings::Timings,
}

impl Rendered {
    /// How far each further language is translated (see [`coverage`]).
    pub fn coverage(&self) -> Vec<coverage::Coverage> {
        let locales: Vec<Arc<i18n::Locale>> = self.editions.iter().map(|e| Arc::clone(&e.locale)).collect();
        coverage::coverage(&self.editions[0].atlas, &locales)
    }
}

/// Runs every check of a build, templates included, without writing anything.
pub fn check(root: &Path, base_url: Option<&str>) -> Result<Rendered, Diagnostics> {
    let mut timings = timings::Timings::default();
    let (editions, mut diagnostics) = load(root, base_url, &mut timings, &mut LoadCache::default())?;
    let (statics, problems) = statics::list(root);
    diagnostics.extend(problems);
    let collected = output::Collect::default();
    render::render(&editions, root, &mut diagnostics, &mut timings, &collected);
    let files = collected.into_files();
    let generated: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    diagnostics.extend(statics::clashes(statics.iter().map(|f| f.path.as_str()), |p| generated.contains(p)));
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok(Rendered { editions, files, diagnostics, timings }) }
}

fn one(d: diag::Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::new();
    ds.push(d);
    ds
}

/// Builds the site. Pages are written into a staging folder as they are rendered, and the
/// staging folder replaces the output only when every check passed and every file is there.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let output = if opts.output.is_absolute() { opts.output.clone() } else { opts.root.join(&opts.output) };
    // The files the configuration names are inputs too; a configuration that does not load
    // fails the build below, before anything is written.
    let named = config::Config::load(&opts.root).map(|c| c.named_files()).unwrap_or_default();
    let output = output::check_output(&opts.root, &output, &named).map_err(one)?;
    let mut timings = timings::Timings::default();
    let (editions, mut diags) = load(&opts.root, opts.base_url.as_deref(), &mut timings, &mut LoadCache::default())?;
    let (statics, mut problems) = statics::list(&opts.root);
    // The marker is written before the static files are copied: a static one would replace it.
    problems.extend(statics::clashes(statics.iter().map(|f| f.path.as_str()), |_| false));
    if !problems.is_empty() {
        diags.extend(problems);
        return Err(diags);
    }
    let staging = output::Staging::new(&opts.root, &output, opts.force, &statics).map_err(one)?;
    let counter = output::Counting { inner: &staging, pages: Default::default() };
    let state = render::render(&editions, &opts.root, &mut diags, &mut timings, &counter);
    let pages = counter.pages.load(std::sync::atomic::Ordering::Relaxed);
    diags.extend(staging.clashes());
    if diags.has_errors() {
        return Err(diags); // the staging folder is removed when dropped
    }
    let written = timings.stage("write", || staging.finish()).map_err(one)?;
    let counts = editions[0].atlas.collections.iter().map(|(k, v)| (k.clone(), v.len())).collect();
    // Freeing the models and views of a large atlas piece by piece takes longer than a
    // process's exit takes to return their memory: another thread frees them, so the
    // caller (often about to exit) does not wait for it.
    std::thread::spawn(move || drop((editions, state)));
    Ok(BuildReport { counts, pages, files: written, elapsed: start.elapsed(), diagnostics: diags, timings })
}
