//! Rendering the model into the files of the site, in memory. Writing is `output`'s job, so a
//! render that fails leaves the disk untouched.

pub mod cms;
pub mod data;
mod facets;
mod incremental;
mod labels;
mod maps;
pub mod meta;
mod objects;
mod pages;
mod palette;
pub mod search;
mod sink;
pub mod svgmap;
pub mod templates;
mod tenths;
pub mod timeline;
pub mod views;

use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::Locale;
use crate::model::Atlas;
use crate::urls::Urls;
use minijinja::context;
use minijinja::value::Serde;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use views::Views;

use incremental::{EditionState, Plan};
pub use incremental::{Partial, RenderState, refresh_shared, update, update_with};
use maps::{Grounds, Maps, load_basemap};
use pages::{Job, Scope, data_job, jobs, sitemap};
pub use sink::{Collect, Counting, Sink};

/// A file of the site: path relative to the output folder, and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Each record's view as a template value, by (collection, id).
type RecordValues = HashMap<(String, String), minijinja::Value>;

/// The atlas in one of its languages.
pub struct Edition {
    pub atlas: Atlas,
    pub locale: Arc<Locale>,
}

/// A page in every language, for language switchers, `hreflang` links and the sitemap.
#[derive(Serialize)]
struct Alternate {
    code: String,
    name: String,
    url: String,
    absolute: String,
}

/// Renders every page of the atlas in each of its languages (the default first, at the
/// root; the others under their prefix), and the files shared by all: open data, the search
/// index, the sitemap and the assets. Template errors are collected, one per template and line.
pub fn render(
    editions: &[Edition],
    root: &Path,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> Vec<OutputFile> {
    render_keeping_state(editions, root, diags, t).0
}

/// [`render`], also returning what a later [`update`] reuses.
pub fn render_keeping_state(
    editions: &[Edition],
    root: &Path,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> (Vec<OutputFile>, RenderState) {
    let sink = Collect::default();
    let state = render_into(editions, root, diags, t, &sink);
    (sink.into_files(), state)
}

/// [`render`], handing each file to `sink` as soon as it is made.
pub fn render_into(
    editions: &[Edition],
    root: &Path,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
    sink: &dyn Sink,
) -> RenderState {
    let default = &editions[0].atlas;
    let basemap = t.stage("base map", || load_basemap(default, root, diags));
    let grounds = t.stage("map grounds", || basemap.map(|b| Grounds::new(default, Arc::new(b))));
    let mut state = RenderState { editions: Vec::new(), grounds, described: Vec::new() };
    let prepared: Vec<EditionState> =
        editions.iter().map(|ed| prepare_edition(ed, None, EditionState::default(), t)).collect();
    // Open data and Pagefind's index are each written by one thread: they are made beside the
    // rendering of the pages, which keeps both cores busy.
    let grounds = state.grounds.as_ref();
    let (searched, (data_files, described)) = std::thread::scope(|scope| {
        let exporting = scope.spawn(|| {
            let mut timed = crate::timings::Timings::default();
            let data = timed.stage("open data", || shared_data(editions, grounds));
            (data, timed)
        });
        let indexing = default.config.search.then(|| {
            let entries = search_entries(editions, &prepared);
            scope.spawn(move || search::index(entries))
        });
        for (ed, st) in editions.iter().zip(prepared) {
            state.editions.push(render_edition(ed, &Pass { editions, root, grounds, sink }, None, st, diags, t));
        }
        let (data, timed) = exporting.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        t.extend(timed);
        let searched =
            indexing.map(|h| t.stage("search index", || h.join().unwrap_or_else(|_| Err(search::stopped()))));
        (searched, data)
    });
    data_files.into_par_iter().for_each(|f| sink.put(f));
    state.described = described;
    data_pages(editions, &state, root, diags).into_par_iter().for_each(|f| sink.put(f));
    shared_files(editions, &state, searched, diags).into_par_iter().for_each(|f| sink.put(f));
    state
}

/// The open data page in each language, which lists the data files with their sizes.
fn data_pages(editions: &[Edition], state: &RenderState, root: &Path, diags: &mut Diagnostics) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for (ed, st) in editions.iter().zip(&state.editions) {
        let env = environment(ed, root, st);
        let views = Views { atlas: &ed.atlas, locale: &ed.locale };
        let site = minijinja::Value::from(Serde(views.site()));
        let job = data_job(&ed.atlas, &ed.locale, &state.described);
        let scope = Scope { views: &views, st, maps: &st.maps };
        match render_job(&env, &site, editions, &job, &scope, root) {
            Ok(f) => {
                files.push(OutputFile { path: format!("{}{}", ed.locale.language.prefix, f.path), bytes: f.bytes })
            }
            Err(d) => diags.push(d),
        }
    }
    files
}

/// What search indexes in every language: records in their collections' order (so the index
/// does not depend on hashing), then plain pages.
fn search_entries(editions: &[Edition], states: &[EditionState]) -> Vec<search::Entry> {
    // Each record's title in every language, so each language's entry names the others.
    let mut titles: HashMap<&Key, Vec<&str>> = HashMap::new();
    for st in states {
        for (key, e) in &st.entries {
            titles.entry(key).or_default().push(&e.title);
        }
    }
    let mut entries = Vec::new();
    for (ed, st) in editions.iter().zip(states) {
        entries.extend(ed.atlas.records().filter_map(|r| {
            let key = r.key();
            let mut e = st.entries.get(&key)?.clone();
            search::add_titles(&mut e, titles.get(&key).into_iter().flatten().copied());
            Some(e)
        }));
        entries.extend(st.page_entries.iter().cloned());
    }
    entries
}

/// The open data files of the default language and their descriptions.
fn shared_data(editions: &[Edition], grounds: Option<&Grounds>) -> (Vec<OutputFile>, Vec<data::DataFile>) {
    let default = &editions[0].atlas;
    let features = grounds.map(|_| crate::map::features(default, &crate::map::layers(&default.config)));
    data::export(default, features.as_ref())
}

/// The search index (when the atlas has search), sitemap and assets: one set for all languages.
fn shared_files(
    editions: &[Edition],
    state: &RenderState,
    searched: Option<Result<Vec<OutputFile>, Diagnostic>>,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let default = &editions[0].atlas;
    let mut files = Vec::new();
    match searched {
        Some(Ok(bundle)) => files.extend(bundle),
        Some(Err(d)) => diags.push(d),
        None => {}
    }
    let public = pages::public_routes(default, &state.editions[0].collections);
    files.push(OutputFile { path: "sitemap.xml".into(), bytes: sitemap(editions, &public).into_bytes() });
    files.push(OutputFile { path: "robots.txt".into(), bytes: robots(&default.config).into_bytes() });
    files.extend(cms::files(default));
    files.push(OutputFile { path: ".nojekyll".into(), bytes: Vec::new() });
    files.extend(image_copies(editions, diags));
    files.push(OutputFile { path: "assets/atlasgen.css".into(), bytes: templates::BUILTIN_CSS.as_bytes().to_vec() });
    files.push(OutputFile { path: "assets/atlasgen.js".into(), bytes: templates::BUILTIN_JS.as_bytes().to_vec() });
    files.push(OutputFile { path: "assets/favicon.svg".into(), bytes: templates::BUILTIN_ICON.as_bytes().to_vec() });
    for (name, bytes) in templates::BUILTIN_FONTS {
        files.push(OutputFile { path: format!("assets/fonts/{name}"), bytes: bytes.to_vec() });
    }
    if state.grounds.is_some() {
        for (path, text) in [
            ("assets/atlasgen-map.js", templates::MAP_JS),
            ("assets/panzoom.min.js", templates::PANZOOM_JS),
            ("assets/panzoom.LICENSE.txt", templates::PANZOOM_LICENSE),
        ] {
            files.push(OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() });
        }
    }
    if default.config.search {
        files.push(OutputFile {
            path: "assets/atlasgen-search.js".into(),
            bytes: templates::BUILTIN_SEARCH_JS.as_bytes().to_vec(),
        });
    }
    files
}

/// The responsive copies of every image the records' fields and the narrative of every
/// language show (made once, and kept: see [`crate::images`]), each file once.
fn image_copies(editions: &[Edition], diags: &mut Diagnostics) -> Vec<OutputFile> {
    let atlas = &editions[0].atlas;
    fn walk<'a>(v: &'a crate::validate::Value, out: &mut Vec<&'a str>) {
        use crate::validate::Value;
        match v {
            Value::Image(p) => out.push(&p.image.path),
            Value::List(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(m) => m.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut paths = Vec::new();
    for r in atlas.records() {
        r.fields.values().for_each(|v| walk(v, &mut paths));
    }
    for ed in editions {
        paths.extend(ed.atlas.records().flat_map(|r| r.images.iter().map(String::as_str)));
        paths.extend(ed.atlas.pages.iter().flat_map(|p| p.images.iter().map(String::as_str)));
    }
    paths.sort_unstable();
    paths.dedup();
    let static_dir = atlas.config.root.join(crate::output::STATIC_DIR);
    let mut files = Vec::new();
    for p in paths {
        match crate::images::load(&static_dir, p) {
            Ok(done) => files.extend(
                done.files.iter().map(|(path, bytes)| OutputFile { path: path.clone(), bytes: bytes.to_vec() }),
            ),
            Err(why) => diags.push(Diagnostic::error(crate::output::STATIC_DIR, crate::diag::Pos::FILE, why)),
        }
    }
    files
}

/// `robots.txt`: everything may be crawled but the browser editor.
fn robots(config: &crate::config::Config) -> String {
    let editor = match config.cms() {
        Some(_) => format!("Disallow: {}{}/\n", config.base_path(), cms::FOLDER),
        None => String::new(),
    };
    format!("User-agent: *\nAllow: /\n{editor}\nSitemap: {}sitemap.xml\n", config.base_url)
}

/// Key of a record: (collection, id).
type Key = (String, String);

thread_local! {
    /// The records a page reads through `get_record` while it renders.
    static READS: std::cell::RefCell<Vec<Key>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The template environment of one language, with `get_record` over its record views.
fn environment(ed: &Edition, root: &Path, st: &EditionState) -> minijinja::Environment<'static> {
    let mut env = templates::environment(root, ed.atlas.urls.root_path(), Arc::clone(&ed.locale));
    let lookup = Arc::clone(&st.views);
    env.add_function("get_record", move |collection: &str, id: &str| {
        let key = (collection.to_string(), id.to_string());
        let found = lookup.get(&key).cloned();
        READS.with(|r| r.borrow_mut().push(key));
        found.ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("get_record(\"{collection}\", \"{id}\"): no such record"),
            )
        })
    });
    env
}

/// Renders one page; the records it read through `get_record` are left in `READS`.
fn render_job(
    env: &minijinja::Environment<'static>,
    site: &minijinja::Value,
    editions: &[Edition],
    job: &Job,
    scope: &Scope,
    root: &Path,
) -> Result<OutputFile, Diagnostic> {
    let page = job.route.file();
    READS.with(|r| r.borrow_mut().clear());
    let tpl = templates::pick(env, &job.templates).map_err(|e| templates::diagnostic(root, &e, &page))?;
    let alternates: Vec<Alternate> = if editions.len() > 1 {
        editions
            .iter()
            .map(|e| Alternate {
                code: e.locale.language.code.clone(),
                name: e.locale.language.name.clone(),
                url: e.atlas.urls.url(&job.route),
                absolute: e.atlas.urls.absolute(&job.route),
            })
            .collect()
    } else {
        vec![]
    };
    let ctx = context! { site => site.clone(), alternates => Serde(alternates), ..job.context.make(&job.route, scope) };
    let html = tpl.render(ctx).map_err(|e| templates::diagnostic(root, &e, &page))?;
    Ok(OutputFile { path: page, bytes: html.into_bytes() })
}

/// What every language of one render shares.
struct Pass<'a> {
    editions: &'a [Edition],
    root: &'a Path,
    grounds: Option<&'a Grounds>,
    sink: &'a dyn Sink,
}

/// Each record's view, index row and search entry in one language, and the plain pages' search
/// entries, into `st`: all of them into a fresh state, or with a `plan` those of the records an
/// edit affected into the state the previous render left.
fn prepare_edition(
    ed: &Edition,
    plan: Option<&Plan>,
    mut st: EditionState,
    t: &mut crate::timings::Timings,
) -> EditionState {
    let atlas = &ed.atlas;
    let locale = &*ed.locale;
    let views = Views { atlas, locale };
    let search = atlas.config.search;
    // Each record's view is built once: its own page and every `get_record()` call share it.
    t.stage("record views", || {
        let todo: Vec<&crate::model::Record> = match plan {
            Some(p) => p.affected.iter().filter_map(|k| atlas.get(&k.0, &k.1)).collect(),
            None => atlas.records().collect(),
        };
        let columns: HashMap<&str, Arc<[String]>> = atlas
            .config
            .collections
            .iter()
            .map(|(name, c)| (name.as_str(), c.value.columns.iter().map(|c| c.value.clone()).collect()))
            .collect();
        let built: Vec<_> = todo
            .par_iter()
            .map(|r| {
                let view = Arc::new(views.record(r));
                let entry = search.then(|| search::entry(&views, r, &view));
                let row = objects::Row::new(Arc::clone(&view), Arc::clone(&columns[r.collection.as_str()]));
                (r.key(), view.value(), minijinja::Value::from_object(row), entry)
            })
            .collect();
        // Filled in place: the previous render's template environments, which shared the map,
        // are gone.
        let record_views = Arc::make_mut(&mut st.views);
        for (key, view, row, entry) in built {
            record_views.insert(key.clone(), view);
            st.rows.entry(key.0.clone()).or_default().insert(key.1.clone(), row);
            if let Some(e) = entry {
                st.entries.insert(key, e);
            }
        }
    });
    // Each collection's view (facet values and counts over every record) serves the home page,
    // the collection's own pages and the sitemap; an edit makes again those of the collections
    // it touched.
    t.stage("collection views", || {
        let fresh: Vec<(usize, views::CollectionView)> = atlas
            .collections
            .keys()
            .enumerate()
            .filter(|(i, name)| plan.is_none_or(|p| p.collections.contains(*name)) || *i >= st.collections.len())
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(i, name)| {
                let view = match (plan, st.collections.get(i)) {
                    // Records edited in place: the facets follow them.
                    (Some(p), Some(prev)) if !p.reordered.contains(name) => {
                        let mut positions: Vec<usize> = p
                            .affected
                            .iter()
                            .filter(|k| k.0 == *name)
                            .filter_map(|k| atlas.position(&k.0, &k.1))
                            .collect();
                        positions.sort_unstable();
                        views.collection_patched(name, prev, &positions)
                    }
                    _ => views.collection(name),
                };
                (i, view)
            })
            .collect();
        for (i, view) in fresh {
            if i < st.collections.len() {
                let gone = facets::vanished(&st.collections[i], &view);
                st.vanished.extend(gone);
                st.collections[i] = view;
            } else {
                st.collections.push(view);
            }
        }
    });
    if search {
        st.page_entries = atlas
            .pages
            .iter()
            .map(|p| search::Entry {
                url: format!("/{}{}", locale.language.prefix, Urls::page(&p.id).0),
                title: p.title.clone(),
                content: search::page_text(&p.title, &p.html, &locale.language.code),
                language: locale.language.code.to_lowercase(),
                filter: locale.t("Pages"),
                filter_name: locale.t("Collection"),
                kind: locale.t("Page"),
                names: Vec::new(),
                titles: Vec::new(),
            })
            .collect();
    }
    st
}

/// The pages of one language, handed to the pass's sink under the language's folder: all of
/// them, or with a `plan` only those an edit touched.
fn render_edition(
    ed: &Edition,
    pass: &Pass,
    plan: Option<&Plan>,
    mut st: EditionState,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> EditionState {
    let Pass { editions, root, grounds, sink } = *pass;
    let prefix = &ed.locale.language.prefix;
    let put = |f: OutputFile| sink.put(OutputFile { path: format!("{prefix}{}", f.path), bytes: f.bytes });
    let atlas = &ed.atlas;
    let locale = &*ed.locale;
    let views = Views { atlas, locale };
    let env = environment(ed, root, &st);
    let site = minijinja::Value::from(Serde(views.site()));
    let (prev_maps, prev_overviews) = (std::mem::take(&mut st.maps), std::mem::take(&mut st.overviews));
    let maps = t.stage("maps", || Maps::new(atlas, locale, grounds, plan, prev_maps, prev_overviews));
    let jobs = t.stage("page contexts", || jobs(atlas, &views, &st, &maps, plan));
    // Pages go to the sink as they are rendered; only what they read is kept.
    let scope = Scope { views: &views, st: &st, maps: &maps.records };
    let results: Vec<(Result<String, Diagnostic>, Vec<Key>)> = t.stage("render pages", || {
        jobs.par_iter()
            .map(|job| {
                let out = render_job(&env, &site, editions, job, &scope, root).map(|f| {
                    let path = f.path.clone();
                    put(f);
                    path
                });
                (out, READS.with(|r| std::mem::take(&mut *r.borrow_mut())))
            })
            .collect()
    });
    let mut seen = HashSet::new();
    for (r, reads) in results {
        match r {
            Ok(path) => {
                if reads.is_empty() {
                    st.deps.remove(&path);
                } else {
                    st.deps.insert(path, reads);
                }
            }
            Err(d) => {
                if seen.insert((
                    d.file.clone(),
                    d.line,
                    d.message.split(" while rendering ").next().map(str::to_string),
                    d.message.split(": ").last().map(str::to_string),
                )) {
                    diags.push(d);
                }
            }
        }
    }
    for name in atlas.collections.keys() {
        if plan.is_some_and(|p| !p.collections.contains(name)) {
            continue;
        }
        if let Some(feed) = meta::atom(atlas, locale, name) {
            put(OutputFile { path: meta::feed_route(name).0, bytes: feed.into_bytes() });
        }
    }
    st.maps = maps.records;
    st.overviews = maps.overviews;
    st
}
