//! Rendering the model into the files of the site, in memory. Writing is `output`'s job, so a
//! render that fails leaves the disk untouched.

pub mod data;
pub mod meta;
pub mod search;
pub mod svgmap;
pub mod templates;
pub mod timeline;
pub mod views;

use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::Locale;
use crate::markdown::escape;
use crate::model::Atlas;
use crate::urls::{Route, Urls};
use minijinja::context;
use minijinja::value::Serde;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use views::Views;

/// A file of the site: path relative to the output folder, and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go: a list in memory, or straight into the staging folder of a
/// build, so pages do not pile up in memory before they are written.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile);
}

/// A sink that keeps the files in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) {
        self.0.lock().expect("lock").push(file);
    }
}

impl Collect {
    pub fn into_files(self) -> Vec<OutputFile> {
        self.0.into_inner().expect("lock")
    }
}

impl Sink for crate::output::Staging {
    fn put(&self, file: OutputFile) {
        crate::output::Staging::put(self, &file);
    }
}

/// A sink that counts the HTML pages passing through to another.
pub struct Counting<'a> {
    pub inner: &'a dyn Sink,
    pub pages: std::sync::atomic::AtomicUsize,
}

impl Sink for Counting<'_> {
    fn put(&self, file: OutputFile) {
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        self.inner.put(file);
    }
}

/// Each record's view as a template value, by (collection, id).
type RecordValues = HashMap<(String, String), minijinja::Value>;

/// One page to render: where it goes, which templates may render it, and its context.
struct Job {
    route: Route,
    templates: Vec<String>,
    context: minijinja::Value,
    /// Listed in the sitemap.
    public: bool,
}

/// The page title and description each template receives as `page`.
#[derive(Serialize)]
struct PageMeta {
    title: String,
    description: String,
    url: String,
    canonical: String,
    /// Navigation key of the section the page belongs to.
    section: String,
}

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
    let mut state = RenderState { editions: Vec::new(), grounds, described: Vec::new(), public: Vec::new() };
    let (data_files, described) = t.stage("open data", || shared_data(editions, state.grounds.as_ref()));
    state.described = described;
    data_files.into_par_iter().for_each(|f| sink.put(f));
    for ed in editions {
        let out = render_edition(ed, &Pass { editions, root, state: &state, sink }, None, diags, t);
        if ed.locale.language.prefix.is_empty() {
            state.public = out.public;
        }
        state.editions.push(out.state);
    }
    shared_files(editions, &state, diags, t).into_par_iter().for_each(|f| sink.put(f));
    state
}

/// The open data files of the default language and their descriptions.
fn shared_data(editions: &[Edition], grounds: Option<&Grounds>) -> (Vec<OutputFile>, Vec<data::DataFile>) {
    let default = &editions[0].atlas;
    let features = grounds.map(|_| crate::map::features(default, &crate::map::layers(&default.config)));
    data::export(default, features.as_ref())
}

/// The search index, sitemap and assets: one set for all languages.
fn shared_files(
    editions: &[Edition],
    state: &RenderState,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> Vec<OutputFile> {
    let default = &editions[0].atlas;
    let mut files = Vec::new();
    if default.config.search {
        let mut entries: Vec<search::Entry> = Vec::new();
        for (ed, st) in editions.iter().zip(&state.editions) {
            // Records in their collections' order, so the index does not depend on hashing.
            entries.extend(
                ed.atlas.records().filter_map(|r| st.entries.get(&(r.collection.clone(), r.id.clone())).cloned()),
            );
            entries.extend(st.page_entries.iter().cloned());
        }
        match t.stage("search index", || search::index(entries)) {
            Ok(bundle) => files.extend(bundle),
            Err(d) => diags.push(d),
        }
    }
    files.push(OutputFile { path: "sitemap.xml".into(), bytes: sitemap(editions, &state.public).into_bytes() });
    files.push(OutputFile {
        path: "robots.txt".into(),
        bytes: format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", default.config.base_url).into_bytes(),
    });
    files.push(OutputFile { path: ".nojekyll".into(), bytes: Vec::new() });
    files.push(OutputFile { path: "assets/atlasgen.css".into(), bytes: templates::BUILTIN_CSS.as_bytes().to_vec() });
    files.push(OutputFile { path: "assets/atlasgen.js".into(), bytes: templates::BUILTIN_JS.as_bytes().to_vec() });
    files.push(OutputFile { path: "assets/favicon.svg".into(), bytes: templates::BUILTIN_ICON.as_bytes().to_vec() });
    if default.config.search {
        files.push(OutputFile {
            path: "assets/atlasgen-search.js".into(),
            bytes: templates::BUILTIN_SEARCH_JS.as_bytes().to_vec(),
        });
    }
    files
}

/// What a render leaves for the next one to reuse: `serve` keeps it between saves.
pub struct RenderState {
    editions: Vec<EditionState>,
    grounds: Option<Grounds>,
    described: Vec<data::DataFile>,
    public: Vec<Route>,
}

impl RenderState {
    /// A state with nothing to reuse: the next [`update`] falls back to a full render.
    pub fn empty() -> RenderState {
        RenderState { editions: Vec::new(), grounds: None, described: Vec::new(), public: Vec::new() }
    }
}

/// One language's share of [`RenderState`].
#[derive(Default)]
struct EditionState {
    views: RecordValues,
    rows: RecordValues,
    entries: HashMap<Key, search::Entry>,
    page_entries: Vec<search::Entry>,
    maps: HashMap<Key, svgmap::MapView>,
    overview: Option<svgmap::MapView>,
    /// The records each page read through `get_record`, by output path.
    deps: HashMap<String, Vec<Key>>,
}

/// Key of a record: (collection, id).
type Key = (String, String);

/// What an edit changed in one language, and so what must be drawn again.
struct Plan<'a> {
    prev: &'a EditionState,
    /// Records whose view is built again: the edited ones and their neighbours.
    affected: HashSet<Key>,
    /// Records whose mini-map shows something that changed.
    redraw: HashSet<Key>,
    overview: bool,
    /// Collections whose index lists an affected record.
    collections: HashSet<String>,
    /// Facet pages (collection, field, value key) that list an affected record.
    facet_values: HashSet<(String, String, String)>,
}

/// What rendering one language leaves.
struct EditionOutput {
    public: Vec<Route>,
    state: EditionState,
}

/// Renders again only what an edit touched: the edited records' pages, the pages of the
/// records they link to or that link to them, the index and facet pages that list them, maps
/// that show them, pages whose templates read them, and the home page. Returns the files that
/// were rendered again, or `None` when the edit needs a full render (records added or
/// removed). The search index and open data are left as they were; [`refresh_shared`] brings
/// them up to date.
pub fn update(
    editions: &[Edition],
    previous: &[Edition],
    state: &mut RenderState,
    root: &Path,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> Option<Vec<OutputFile>> {
    if editions.len() != previous.len() || state.editions.len() != editions.len() {
        return None;
    }
    let mut plans = Vec::with_capacity(editions.len());
    for ((new, old), prev) in editions.iter().zip(previous).zip(&state.editions) {
        plans.push(t.stage("plan", || plan(&new.atlas, &old.atlas, &new.locale, prev, state.grounds.as_ref()))?);
    }
    // Records that moved get a new view of their surroundings.
    if let Some(g) = state.grounds.as_mut() {
        let moved: HashSet<Key> = plans.iter().flat_map(|p| p.affected.iter().cloned()).collect();
        g.refresh(&editions[0].atlas, &moved);
    }
    let sink = Collect::default();
    let mut states = Vec::with_capacity(editions.len());
    for (ed, plan) in editions.iter().zip(&plans) {
        let pass = Pass { editions, root, state, sink: &sink };
        states.push(render_edition(ed, &pass, Some(plan), diags, t).state);
    }
    drop(plans);
    state.editions = states;
    Some(sink.into_files())
}

/// The search index, open data (and its page) and sitemap, from the current state: what
/// [`update`] leaves stale, for `serve` to bring up to date once the edited pages are out.
pub fn refresh_shared(
    editions: &[Edition],
    state: &mut RenderState,
    root: &Path,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut t = crate::timings::Timings::default();
    let (mut files, described) = shared_data(editions, state.grounds.as_ref());
    state.described = described;
    for (ed, st) in editions.iter().zip(&state.editions) {
        let env = environment(ed, root, st);
        let site = minijinja::Value::from(Serde(Views { atlas: &ed.atlas, locale: &ed.locale }.site()));
        let job = data_job(&ed.atlas, &ed.locale, &state.described);
        match render_job(&env, &site, editions, &job, root) {
            Ok(f) => {
                files.push(OutputFile { path: format!("{}{}", ed.locale.language.prefix, f.path), bytes: f.bytes })
            }
            Err(d) => diags.push(d),
        }
    }
    files.extend(shared_files(editions, state, diags, &mut t));
    files
}

/// Works out what an edit touched in one language, or `None` if records came or went.
fn plan<'a>(
    new: &Atlas,
    old: &Atlas,
    locale: &Locale,
    prev: &'a EditionState,
    grounds: Option<&Grounds>,
) -> Option<Plan<'a>> {
    let ids = |a: &Atlas| -> Vec<(String, Vec<String>)> {
        a.collections.iter().map(|(c, rs)| (c.clone(), rs.iter().map(|r| r.id.clone()).collect())).collect()
    };
    let mut new_ids = ids(new);
    let mut old_ids = ids(old);
    for (_, v) in new_ids.iter_mut().chain(old_ids.iter_mut()) {
        v.sort();
    }
    if new_ids != old_ids || new.pages.iter().map(|p| &p.id).ne(old.pages.iter().map(|p| &p.id)) {
        return None;
    }
    let changed: Vec<Key> = new
        .records()
        .filter(|r| old.get(&r.collection, &r.id).is_none_or(|o| !same(o, r)))
        .map(|r| (r.collection.clone(), r.id.clone()))
        .collect();
    // Neighbours: what an edited record links to, and what links to it, before and after.
    let mut affected: HashSet<Key> = changed.iter().cloned().collect();
    for atlas in [new, old] {
        for k in &changed {
            if let Some(r) = atlas.get(&k.0, &k.1) {
                for (_, _, to) in crate::links::refs_of(&r.fields, &atlas.config, &r.collection) {
                    affected.insert((to.collection.clone(), to.id.clone()));
                }
            }
            for b in atlas.backlinks.get(k).into_iter().flatten() {
                affected.insert((b.collection.clone(), b.id.clone()));
            }
        }
        // Targets of Markdown links from an edited record ("Mentioned in" on their pages).
        for (target, list) in &atlas.backlinks {
            if list.iter().any(|b| changed.iter().any(|k| k.0 == b.collection && k.1 == b.id)) {
                affected.insert(target.clone());
            }
        }
    }
    let collections: HashSet<String> = affected.iter().map(|k| k.0.clone()).collect();
    let mut facet_values = HashSet::new();
    for atlas in [new, old] {
        let views = Views { atlas, locale };
        for k in &affected {
            let (Some(r), Some(spec)) = (atlas.get(&k.0, &k.1), atlas.config.collection(&k.0)) else { continue };
            for f in &spec.facets {
                for (key, _) in views::facet_values(&views, &k.0, &f.value, r) {
                    facet_values.insert((k.0.clone(), f.value.clone(), key));
                }
            }
        }
    }
    let (mut redraw, mut overview) = (HashSet::new(), false);
    if let Some(g) = grounds {
        let mut points: Vec<(f64, f64)> = Vec::new();
        for atlas in [new, old] {
            let features = crate::map::features(atlas, &crate::map::layers(&atlas.config));
            for m in features.markers.iter().filter(|m| affected.contains(&(m.collection.clone(), m.id.clone()))) {
                points.push((m.lon, m.lat));
            }
            for r in features.routes.iter().filter(|r| affected.contains(&(r.collection.clone(), r.id.clone()))) {
                points.extend(r.points.iter().copied());
            }
        }
        let shows = |view: &svgmap::View| points.iter().any(|&(lon, lat)| view.shows(lon, lat));
        redraw = g
            .records
            .iter()
            .filter(|(k, (view, _))| affected.contains(*k) || shows(view))
            .map(|(k, _)| k.clone())
            .collect();
        overview = shows(&g.overview.0);
    }
    Some(Plan { prev, affected, redraw, overview, collections, facet_values })
}

/// Whether a record reads the same as before.
fn same(a: &crate::model::Record, b: &crate::model::Record) -> bool {
    a.title == b.title && a.fields == b.fields && a.body_html == b.body_html && a.untranslated == b.untranslated
}

/// The base map, when the atlas has one; a broken one is reported and maps are left out.
fn load_basemap(atlas: &Atlas, root: &Path, diags: &mut Diagnostics) -> Option<crate::map::Basemap> {
    let rel = atlas.config.map.basemap.as_ref()?;
    crate::map::Basemap::load(root, rel).map_err(|d| diags.push(d)).ok()
}

thread_local! {
    /// The records a page reads through `get_record` while it renders.
    static READS: std::cell::RefCell<Vec<Key>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The template environment of one language, with `get_record` over its record views.
fn environment(ed: &Edition, root: &Path, st: &EditionState) -> minijinja::Environment<'static> {
    let mut env = templates::environment(root, ed.atlas.urls.root_path(), Arc::clone(&ed.locale));
    let lookup = Arc::new(st.views.clone());
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

/// The data page's job.
fn data_job(atlas: &Atlas, locale: &Locale, described: &[data::DataFile]) -> Job {
    let route = Urls::page(data::DATA_DIR);
    let described: Vec<data::DataFile> =
        described.iter().map(|d| data::DataFile { title: d.title_in(locale), ..d.clone() }).collect();
    let description = locale.tf(
        "The records of the {atlas} as JSON, CSV, GeoJSON and iCalendar files",
        &[("atlas", &locale.t(&atlas.config.title))],
    );
    Job {
        context: minijinja::context! {
            page => Serde(meta(atlas, &route, &locale.t("Open data"), &description, "data")),
            files => Serde(&described),
            jsonld => meta::dataset(atlas, &described),
            package => atlas.urls.asset("datapackage.json"),
        },
        templates: vec!["data.html".into()],
        route,
        public: true,
    }
}

/// Renders one page; the records it read through `get_record` are left in `READS`.
fn render_job(
    env: &minijinja::Environment<'static>,
    site: &minijinja::Value,
    editions: &[Edition],
    job: &Job,
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
    let ctx = context! { site => site.clone(), alternates => Serde(alternates), ..job.context.clone() };
    let html = tpl.render(ctx).map_err(|e| templates::diagnostic(root, &e, &page))?;
    Ok(OutputFile { path: page, bytes: html.into_bytes() })
}

/// What every language of one render shares.
struct Pass<'a> {
    editions: &'a [Edition],
    root: &'a Path,
    state: &'a RenderState,
    sink: &'a dyn Sink,
}

/// The pages of one language, handed to the pass's sink under the language's folder: all of
/// them, or with a `plan` only those an edit touched.
fn render_edition(
    ed: &Edition,
    pass: &Pass,
    plan: Option<&Plan>,
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> EditionOutput {
    let Pass { editions, root, state, sink } = *pass;
    let prefix = &ed.locale.language.prefix;
    let put = |f: OutputFile| sink.put(OutputFile { path: format!("{prefix}{}", f.path), bytes: f.bytes });
    let atlas = &ed.atlas;
    let locale = &*ed.locale;
    let views = Views { atlas, locale };
    let search = atlas.config.search;
    let mut st = EditionState::default();
    // Each record's view is built once: its own page and every `get_record()` call share it.
    t.stage("record views", || {
        let todo: Vec<&crate::model::Record> = match plan {
            Some(p) => {
                st.views = p.prev.views.clone();
                st.rows = p.prev.rows.clone();
                st.entries = p.prev.entries.clone();
                atlas.records().filter(|r| p.affected.contains(&(r.collection.clone(), r.id.clone()))).collect()
            }
            None => atlas.records().collect(),
        };
        let built: Vec<_> = todo
            .par_iter()
            .map(|r| {
                let view = views.record(r);
                let entry = search.then(|| search_entry(&views, r, &view));
                let row = minijinja::Value::from(Serde(views.row(r)));
                ((r.collection.clone(), r.id.clone()), minijinja::Value::from(Serde(view)), row, entry)
            })
            .collect();
        for (key, view, row, entry) in built {
            st.views.insert(key.clone(), view);
            st.rows.insert(key.clone(), row);
            if let Some(e) = entry {
                st.entries.insert(key, e);
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
                content: format!("{} {}", p.title, search::plain_text(&p.html)),
                language: locale.language.code.to_lowercase(),
                filter: locale.t("Pages"),
                filter_name: locale.t("Collection"),
            })
            .collect();
    }
    let env = environment(ed, root, &st);
    let site = minijinja::Value::from(Serde(views.site()));
    let maps = t.stage("maps", || Maps::new(atlas, locale, state.grounds.as_ref(), plan));
    let mut jobs = t.stage("page contexts", || jobs(atlas, &views, &st, &maps, plan));
    if plan.is_none() {
        jobs.push(data_job(atlas, locale, &state.described));
    }
    // Pages go to the sink as they are rendered; only what they read is kept.
    let results: Vec<(Result<String, Diagnostic>, Vec<Key>)> = t.stage("render pages", || {
        jobs.par_iter()
            .map(|job| {
                let out = render_job(&env, &site, editions, job, root).map(|f| {
                    let path = f.path.clone();
                    put(f);
                    path
                });
                (out, READS.with(|r| std::mem::take(&mut *r.borrow_mut())))
            })
            .collect()
    });
    st.deps = plan.map(|p| p.prev.deps.clone()).unwrap_or_default();
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
    st.overview = maps.overview;
    let public = jobs.into_iter().filter(|j| j.public).map(|j| j.route).collect();
    EditionOutput { public, state: st }
}

/// What search knows of a record: its title (also folded to ASCII), its field values and its
/// narrative, as plain text.
fn search_entry(views: &Views, r: &crate::model::Record, view: &views::RecordView) -> search::Entry {
    let mut content = format!("{} {}", r.title, search::fold(&r.title));
    for f in &view.fields {
        content.push(' ');
        match &f.value {
            views::ValueView::Text { html, .. } => content.push_str(&search::plain_text(html)),
            other => content.push_str(other.text()),
        }
    }
    if let Some(html) = &r.body_html {
        content.push(' ');
        content.push_str(&search::plain_text(html));
    }
    let collection = views.atlas.config.collection(&r.collection).map(|c| c.title.as_str()).unwrap_or_default();
    search::Entry {
        url: format!("/{}{}", views.locale.language.prefix, Urls::record(&r.collection, &r.id).0),
        title: r.title.clone(),
        content,
        language: views.locale.language.code.to_lowercase(),
        filter: views.locale.t(collection),
        filter_name: views.locale.t("Collection"),
    }
}

fn meta(atlas: &Atlas, route: &Route, title: &str, description: &str, section: &str) -> PageMeta {
    PageMeta {
        title: title.into(),
        description: description.into(),
        url: atlas.urls.url(route),
        canonical: atlas.urls.absolute(route),
        section: section.into(),
    }
}

/// Every page of the site, with its context.
/// The maps of the site: one overview, and a mini-map per record that has a place on it.
struct Maps {
    overview: Option<svgmap::MapView>,
    records: HashMap<(String, String), svgmap::MapView>,
    /// Collections drawn on the overview.
    mapped: Vec<String>,
}

/// Where each map of the site looks, and the ground under it: the same in every language,
/// so worked out once.
struct Grounds {
    base: Arc<crate::map::Basemap>,
    prepared: svgmap::Prepared,
    overview: (svgmap::View, svgmap::Ground),
    records: HashMap<Key, (svgmap::View, svgmap::Ground)>,
}

impl Grounds {
    fn new(atlas: &Atlas, base: Arc<crate::map::Basemap>) -> Grounds {
        let bbox = atlas.config.map.overview.map(|b| [b.west, b.south, b.east, b.north]).unwrap_or(base.bbox);
        let view = svgmap::View::fit(bbox, 960.0);
        let prepared = svgmap::prepare(&base);
        let overview = (view, svgmap::ground(&prepared, &view));
        let mut g = Grounds { base, prepared, overview, records: HashMap::new() };
        g.refresh(atlas, &atlas.records().map(|r| (r.collection.clone(), r.id.clone())).collect());
        g
    }

    /// Works out the views of the records in `keys` (again).
    fn refresh(&mut self, atlas: &Atlas, keys: &HashSet<Key>) {
        let features = crate::map::features(atlas, &crate::map::layers(&atlas.config));
        let prepared = &self.prepared;
        let fresh: Vec<(Key, Option<(svgmap::View, svgmap::Ground)>)> = keys
            .par_iter()
            .map(|k| {
                let focus =
                    atlas.get(&k.0, &k.1).map(|r| crate::map::focus_of(atlas, &features, r)).unwrap_or_default();
                if focus.is_empty() {
                    return (k.clone(), None);
                }
                let view = svgmap::View::around(&focus, 1.6, 480.0, 4.0 / 3.0);
                (k.clone(), Some((view, svgmap::ground(prepared, &view))))
            })
            .collect();
        for (k, g) in fresh {
            match g {
                Some(g) => self.records.insert(k, g),
                None => self.records.remove(&k),
            };
        }
    }
}

impl Maps {
    /// The maps of one language; with a plan, only those that show something that changed
    /// are drawn again.
    fn new(atlas: &Atlas, locale: &Locale, grounds: Option<&Grounds>, plan: Option<&Plan>) -> Maps {
        let none = Maps { overview: None, records: HashMap::new(), mapped: vec![] };
        let Some(grounds) = grounds else { return none };
        let base = &*grounds.base;
        let layers = crate::map::layers(&atlas.config);
        let features = crate::map::features(atlas, &layers);
        let mapped: Vec<String> = layers.iter().filter(|l| l.overview).map(|l| l.collection.clone()).collect();
        let description = locale.tf(
            "{what} drawn over the countries of the region; every marker and line links to its page, and the same items are listed below the map.",
            &[(
                "what",
                &mapped
                    .iter()
                    .filter_map(|c| atlas.config.collection(c))
                    .map(|c| locale.t(&c.title))
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
        );
        let draw_overview = plan.is_none_or(|p| p.overview || p.prev.overview.is_none());
        let overview = draw_overview.then(|| {
            svgmap::draw(
                base,
                &grounds.overview.1,
                &features,
                &grounds.overview.0,
                &svgmap::Draw {
                    id: "map-overview",
                    title: &locale.tf("Map of the {atlas}", &[("atlas", &locale.t(&atlas.config.title))]),
                    description: &description,
                    focus: None,
                    only: Some(&mapped),
                    labels: true,
                    locale,
                },
            )
        });
        let overview = overview.or_else(|| plan.and_then(|p| p.prev.overview.clone()));
        let mut kept = plan.map(|p| p.prev.maps.clone()).unwrap_or_default();
        let records: Vec<(Key, Option<svgmap::MapView>)> = atlas
            .records()
            .filter(|r| plan.is_none_or(|p| p.redraw.contains(&(r.collection.clone(), r.id.clone()))))
            .collect::<Vec<_>>()
            .par_iter()
            .map(|r| {
                let key = (r.collection.clone(), r.id.clone());
                let Some((view, ground)) = grounds.records.get(&key) else { return (key, None) };
                let title = locale.tf("Map of {record}", &[("record", &r.title)]);
                let description = locale.tf(
                    "{record} and its surroundings; nearby records are shown faded and link to their pages.",
                    &[("record", &r.title)],
                );
                let drawn = svgmap::draw(
                    base,
                    ground,
                    &features,
                    view,
                    &svgmap::Draw {
                        id: "map-record",
                        title: &title,
                        description: &description,
                        focus: Some((&r.collection, &r.id)),
                        only: None,
                        labels: true,
                        locale,
                    },
                );
                (key, Some(drawn))
            })
            .collect();
        for (k, m) in records {
            match m {
                Some(m) => kept.insert(k, m),
                None => kept.remove(&k),
            };
        }
        Maps { overview, records: kept, mapped }
    }
}

/// The pages of one language with their contexts: all of them, or those a plan names.
fn jobs(atlas: &Atlas, views: &Views, st: &EditionState, maps: &Maps, plan: Option<&Plan>) -> Vec<Job> {
    let locale = views.locale;
    let mut jobs = Vec::new();
    let record_views = &st.views;
    let wanted_record = |key: &Key, route: &Route| {
        plan.is_none_or(|p| {
            p.affected.contains(key)
                || p.redraw.contains(key)
                || p.prev.deps.get(&route.file()).is_some_and(|d| d.iter().any(|k| p.affected.contains(k)))
        })
    };

    // Home: an overview of each collection, the newest dated records and the featured figures.
    let collections: Vec<_> = atlas.collections.keys().map(|c| views.collection(c)).collect();
    let latest: Vec<_> = atlas
        .config
        .home
        .latest
        .as_ref()
        .map(|l| {
            let mut rs: Vec<_> = atlas
                .collections
                .get(&l.collection.value)
                .into_iter()
                .flatten()
                .filter(|r| r.fields.contains_key(&l.field))
                .collect();
            rs.sort_by_key(|r| std::cmp::Reverse(r.period(&l.field)));
            rs.into_iter().take(l.count).map(|r| views.record(r)).collect()
        })
        .unwrap_or_default();
    let featured: Vec<_> = atlas
        .config
        .home
        .figures
        .as_ref()
        .map(|f| {
            atlas
                .collections
                .get(&f.collection.value)
                .into_iter()
                .flatten()
                .filter(|r| matches!(r.fields.get(&f.field), Some(crate::validate::Value::Bool(true))))
                .map(|r| views.record(r))
                .collect()
        })
        .unwrap_or_default();
    let home = Urls::home();
    jobs.push(Job {
        context: context! { page => Serde(meta(atlas, &home, &locale.t(&atlas.config.title), &locale.t(&atlas.config.description), "home")), collections => Serde(&collections), latest => Serde(latest), figures => Serde(featured), map => Serde(&maps.overview), pages => Serde(atlas.pages.iter().map(|p| context!{ title => &p.title, url => atlas.urls.url(&Urls::page(&p.id)), description => &p.description }).collect::<Vec<_>>()) },
        route: home,
        templates: vec!["index.html".into()],
        public: true,
    });

    for (name, records) in &atlas.collections {
        let listed = plan.is_none_or(|p| p.collections.contains(name));
        let cview = views.collection(name);
        // Shared parts of many pages are turned into template values once; cloning a value
        // only bumps a reference count.
        let cview_v = minijinja::Value::from(Serde(&cview));
        let rows: Vec<minijinja::Value> =
            records.iter().filter_map(|r| st.rows.get(&(r.collection.clone(), r.id.clone())).cloned()).collect();
        let route = Urls::collection(name);
        if listed {
            jobs.push(Job {
            context: context! { page => Serde(meta(atlas, &route, &cview.title, &cview.description, name)), collection => cview_v.clone(), rows => rows.clone(), map => Serde(maps.mapped.contains(name).then_some(&maps.overview)), timeline => Serde(timeline::collection_timeline(views, name)) },
            templates: vec![format!("{name}/collection.html"), "collection.html".into()],
            route,
            public: true,
        });
        }
        let record_templates = vec![format!("{name}/record.html"), "record.html".into()];
        let record_jobs: Vec<Job> = records
            .par_iter()
            .filter_map(|r| {
                let route = Urls::record(name, &r.id);
                let key = (r.collection.clone(), r.id.clone());
                if !wanted_record(&key, &route) {
                    return None;
                }
                let description = format!("{}: {}", cview.singular, r.title);
                let jsonld = meta::record(atlas, locale, r);
                Some(Job {
                    context: context! { page => Serde(meta(atlas, &route, &r.title, &description, name)), collection => cview_v.clone(), record => record_views[&key].clone(), map => Serde(maps.records.get(&key)), timeline => Serde(timeline::record_timeline(views, r)), jsonld => jsonld },
                    templates: record_templates.clone(),
                    route,
                    public: true,
                })
            })
            .collect();
        jobs.extend(record_jobs);
        for facet in &cview.facets {
            let route = Urls::facet_index(name, &facet.field);
            let title = locale
                .tf("{collection} by {field}", &[("collection", &cview.title), ("field", &facet.label.to_lowercase())]);
            let wanted_value = |key: &str| {
                plan.is_none_or(|p| p.facet_values.contains(&(name.clone(), facet.field.clone(), key.to_string())))
            };
            if !listed && !facet.values.iter().any(|v| wanted_value(&v.key)) {
                continue;
            }
            if listed {
                jobs.push(Job {
                context: context! { page => Serde(meta(atlas, &route, &title, &cview.description, name)), collection => cview_v.clone(), facet => Serde(facet) },
                templates: vec![format!("{name}/facet_index.html"), "facet_index.html".into()],
                route,
                public: true,
            });
            }
            // Which rows hold each value, in one pass over the records.
            let mut members: HashMap<String, Vec<minijinja::Value>> = HashMap::new();
            for (r, row) in records.iter().zip(&rows) {
                for (key, _) in views::facet_values(views, name, &facet.field, r) {
                    members.entry(key).or_default().push(row.clone());
                }
            }
            for value in facet.values.iter().filter(|v| wanted_value(&v.key)) {
                let route = Urls::facet(name, &facet.field, &value.key);
                let title = format!("{} — {}: {}", cview.title, facet.label, value.text);
                jobs.push(Job {
                    context: context! { page => Serde(meta(atlas, &route, &title, &cview.description, name)), collection => cview_v.clone(), facet => Serde(facet), value => Serde(value), rows => members.remove(&value.key).unwrap_or_default() },
                    templates: vec![format!("{name}/facet.html"), "facet.html".into()],
                    route,
                    public: true,
                });
            }
        }
    }

    for p in &atlas.pages {
        let route = Urls::page(&p.id);
        jobs.push(Job {
            context: context! { page => Serde(meta(atlas, &route, &p.title, &p.description, &p.id)), content => Serde(&p.html), untranslated => p.untranslated },
            templates: vec![format!("pages/{}.html", p.id), "page.html".into()],
            route,
            public: true,
        });
    }
    if atlas.config.search && plan.is_none() {
        let route = Urls::page("search");
        jobs.push(Job {
            context: context! { page => Serde(meta(atlas, &route, &locale.t("Search"), &locale.tf("Search the {atlas}", &[("atlas", &locale.t(&atlas.config.title))]), "search")) },
            templates: vec!["search.html".into()],
            route,
            public: true,
        });
    }
    let not_found = Route("404.html".into());
    if plan.is_none() {
        jobs.push(Job {
            context: context! { page => Serde(meta(atlas, &not_found, &locale.t("Page not found"), "", "")) },
            route: not_found,
            templates: vec!["404.html".into()],
            public: false,
        });
    }
    jobs
}

/// The sitemap protocol's XML, every URL absolute; a multilingual site lists each page in
/// every language, each with its alternates (`xhtml:link`), as search engines ask.
fn sitemap(editions: &[Edition], routes: &[Route]) -> String {
    let multilingual = editions.len() > 1;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    out.push_str(if multilingual { " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n" } else { ">\n" });
    for r in routes {
        for ed in editions {
            out.push_str(&format!("  <url><loc>{}</loc>", escape(&ed.atlas.urls.absolute(r))));
            if multilingual {
                for alt in editions {
                    out.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        escape(&alt.locale.language.code),
                        escape(&alt.atlas.urls.absolute(r))
                    ));
                }
            }
            out.push_str("</url>\n");
        }
    }
    out.push_str("</urlset>\n");
    out
}
