//! Rendering the model into the files of the site, in memory. Writing is `output`'s job, so a
//! render that fails leaves the disk untouched.
//!
//! One pass, for the full build and for `serve` alike: each language's state is made
//! ([`state`]), its maps drawn ([`maps`]), its pages listed ([`plan`]) and the chosen ones
//! rendered through their templates ([`render_pages`], with contexts from [`context`]); the
//! files all languages share (open data, the search index, the sitemap, assets) follow
//! ([`shared`]). A full render chooses every page; an edit chooses the pages it touched
//! ([`incremental`]).

pub mod cms;
mod context;
pub mod data;
mod facets;
mod impact;
mod incremental;
/// Public so the tests can measure the labels a map writes as its placement measured them.
pub mod labels;
mod maps;
pub mod meta;
mod objects;
mod palette;
mod plan;
pub mod search;
mod shared;
mod state;
pub mod svgmap;
pub mod templates;
mod tenths;
pub mod timeline;
pub mod views;

use crate::diag::Diagnostics;
use crate::i18n::Locale;
use crate::model::Atlas;
pub use crate::output::{Collect, Counting, OutputFile, Sink};
use minijinja::context;
use minijinja::value::Serde;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use views::Views;

pub use incremental::{Partial, changes_between, refresh_shared, update};
use maps::{Grounds, Maps, Redraw, load_basemap};
use plan::{PlannedPage, SitePlan};
use state::EditionState;
pub use state::RenderState;

use crate::model::RecordKey;

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
    /// The language as Open Graph names it (`zh_CN`), for `og:locale:alternate`.
    og_locale: String,
    url: String,
    absolute: String,
}

/// Renders every page of the atlas in each of its languages (the default first, at the root;
/// the others under their prefix), and the files shared by all, handing each file to `sink`
/// as soon as it is made. Template errors are collected, one per template and line. Returns
/// what a later [`update`] reuses.
pub fn render(
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
    let mut prepared: Vec<EditionState> = editions.iter().map(|ed| EditionState::new(ed, t)).collect();
    // Open data and Pagefind's index are each written by one thread: they are made beside the
    // rendering of the pages, which keeps both cores busy.
    let grounds = state.grounds.as_ref();
    let (searched, (data_files, described)) = std::thread::scope(|scope| {
        let exporting = scope.spawn(|| {
            let mut timed = crate::timings::Timings::default();
            let data = timed.stage("open data", || shared::open_data(editions, grounds));
            (data, timed)
        });
        let indexing = default.config.search.then(|| {
            let entries = shared::search_entries(editions, &prepared);
            scope.spawn(move || search::index(entries))
        });
        let pass = Pass { editions, root, sink };
        // The default language's 404 page carries the others': it is made once they can be.
        let root_waits = editions.len() > 1;
        for (i, (ed, st)) in editions.iter().zip(&mut prepared).enumerate() {
            let maps = t.stage("maps", || Maps::new(&ed.atlas, &ed.locale, grounds, &Redraw::ALL, Maps::default()));
            st.set_maps(maps);
            let plan = SitePlan::new(&ed.atlas, &st.collections);
            let later = |p: &PlannedPage| p.after_data() || root_waits && i == 0 && p.not_found();
            let pages: Vec<PlannedPage> = plan.all().filter(|p| !later(p)).copied().collect();
            let reads = render_pages(ed, &pass, &pages, st, &[], diags, t);
            drop(plan);
            st.record_reads(reads);
        }
        if root_waits {
            t.stage("render pages", || render_root_not_found(&pass, &prepared, diags));
        }
        let (data, timed) = exporting.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        t.extend(timed);
        let searched =
            indexing.map(|h| t.stage("search index", || h.join().unwrap_or_else(|_| Err(search::stopped()))));
        (searched, data)
    });
    state.editions = prepared;
    data_files.into_par_iter().for_each(|f| sink.put(f));
    state.described = described;
    render_after_data(editions, &state, root, sink, diags);
    shared::files(editions, &state, root, searched, diags).into_par_iter().for_each(|f| sink.put(f));
    state
}

/// The pages of every language that describe the open data files (made after them).
fn render_after_data(editions: &[Edition], state: &RenderState, root: &Path, sink: &dyn Sink, diags: &mut Diagnostics) {
    let pass = Pass { editions, root, sink };
    let mut t = crate::timings::Timings::default();
    for (ed, st) in editions.iter().zip(&state.editions) {
        let plan = SitePlan::new(&ed.atlas, &st.collections);
        let pages: Vec<PlannedPage> = plan.all().filter(|p| p.after_data()).copied().collect();
        render_pages(ed, &pass, &pages, st, &state.described, diags, &mut t);
    }
}

/// The root 404 page, which GitHub Pages serves for every missing address (it serves no other
/// 404.html): the default language's, carrying each other language's 404 page (see
/// [`context::Translation`]) for the addresses under that language's folder. The other
/// languages' pages are rendered again for it (each is written by its own language's pass);
/// one that fails is left out, its own pass having reported the error.
fn render_root_not_found(pass: &Pass, states: &[EditionState], diags: &mut Diagnostics) {
    let alone = |ed: &Edition, st: &EditionState, translations: &[context::Translation]| {
        let plan = SitePlan::new(&ed.atlas, &st.collections);
        let page = plan.all().find(|p| p.not_found()).copied()?;
        let views = Views { atlas: &ed.atlas, locale: &ed.locale };
        let env = environment(ed, pass.root, st);
        let site = minijinja::Value::from(Serde(views.site()));
        let scope = context::Scope::new(&views, st, &[]).with_translations(translations);
        let route = page.route();
        let file = format!("{}{}", ed.locale.language.prefix, route.file());
        Some(match render_page(&env, &site, pass.editions, &page, &route, &scope) {
            Ok((html, _)) => Ok((html, file)),
            Err(e) => Err((e, file)),
        })
    };
    let translations: Vec<context::Translation> = pass
        .editions
        .iter()
        .zip(states)
        .skip(1)
        .filter_map(|(ed, st)| {
            let (html, _) = alone(ed, st, &[])?.ok()?;
            context::Translation::new(&ed.locale.language.code, &ed.atlas.urls.url(&crate::urls::Urls::home()), &html)
        })
        .collect();
    match alone(&pass.editions[0], &states[0], &translations) {
        Some(Ok((html, path))) => pass.sink.put(OutputFile { path, bytes: html.into_bytes() }),
        Some(Err((e, page))) => diags.push(templates::diagnostic(pass.root, &e, &page)),
        None => {}
    }
}

/// What every language of one render shares.
struct Pass<'a> {
    editions: &'a [Edition],
    root: &'a Path,
    sink: &'a dyn Sink,
}

/// A rendered page's output path and the records it read through `get_record`.
type PageReads = (String, Vec<RecordKey>);

/// A page that failed: its template's error, and the page's path.
type Failed = (minijinja::Error, String);

/// The records a page read through `get_record` while it rendered: kept in the render's own
/// state, so each page's reads are its own whatever thread renders it.
#[derive(Default)]
struct Reads(Vec<RecordKey>);

/// The template environment of one language, with `get_record` over its record views.
fn environment(ed: &Edition, root: &Path, st: &EditionState) -> minijinja::Environment<'static> {
    let mut env = templates::environment(root, ed.atlas.urls.root_path(), Arc::clone(&ed.locale));
    let lookup = Arc::clone(&st.views);
    env.add_function("get_record", move |state: &mut minijinja::State, collection: &str, id: &str| {
        let key = RecordKey::new(collection, id);
        let found = lookup.get(&key).cloned();
        state.get_or_insert_extension_with(Reads::default).0.push(key);
        found.ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("get_record(\"{collection}\", \"{id}\"): no such record"),
            )
        })
    });
    env
}

/// Renders `pages` of one language and hands them to the pass's sink under the language's
/// folder; returns the records each page read through `get_record`, by output path.
fn render_pages(
    ed: &Edition,
    pass: &Pass,
    pages: &[PlannedPage],
    st: &EditionState,
    described: &[data::DataFile],
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> Vec<PageReads> {
    let Pass { editions, root, sink } = *pass;
    let prefix = &ed.locale.language.prefix;
    let views = Views { atlas: &ed.atlas, locale: &ed.locale };
    let env = environment(ed, root, st);
    let site = minijinja::Value::from(Serde(views.site()));
    let scope = context::Scope::new(&views, st, described);
    // Pages go to the sink as they are rendered; only what they read is kept.
    let results: Vec<Result<PageReads, Failed>> = t.stage("render pages", || {
        pages
            .par_iter()
            .map(|page| {
                let route = page.route();
                let (html, reads) =
                    render_page(&env, &site, editions, page, &route, &scope).map_err(|e| (e, route.file()))?;
                let path = route.file();
                sink.put(OutputFile { path: format!("{prefix}{path}"), bytes: html.into_bytes() });
                Ok((path, reads))
            })
            .collect()
    });
    let mut seen = HashSet::new();
    let mut reads = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(read) => reads.push(read),
            // One diagnostic per template, line and error, however many pages it failed.
            Err((e, page)) => {
                if seen.insert((e.name().map(str::to_string), e.line(), e.kind(), e.detail().map(str::to_string))) {
                    diags.push(templates::diagnostic(root, &e, &page));
                }
            }
        }
    }
    reads
}

/// Renders one page; returns its text and the records it read through `get_record`.
fn render_page(
    env: &minijinja::Environment<'static>,
    site: &minijinja::Value,
    editions: &[Edition],
    page: &PlannedPage,
    route: &crate::urls::Route,
    scope: &context::Scope,
) -> Result<(String, Vec<RecordKey>), minijinja::Error> {
    let tpl = templates::pick(env, &page.templates())?;
    let alternates: Vec<Alternate> = if editions.len() > 1 {
        editions
            .iter()
            .map(|e| Alternate {
                code: e.locale.language.code.clone(),
                name: e.locale.language.name.clone(),
                og_locale: crate::cldr::og_locale(&e.locale.language.locale),
                url: e.atlas.urls.url(route),
                absolute: e.atlas.urls.absolute(route),
            })
            .collect()
    } else {
        vec![]
    };
    let ctx = context! { site => site.clone(), alternates => Serde(alternates), ..context::make(page, route, scope) };
    let mut done = tpl.render_captured(ctx)?;
    let reads = done.with_state_mut(|s| s.get_extension_mut::<Reads>().map(|r| std::mem::take(&mut r.0)));
    Ok((done.into_output(), reads.unwrap_or_default()))
}
