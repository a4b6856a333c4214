//! Each page kind's template context, made as the page renders, so the contexts of every page
//! are never held at once. What many pages share (a collection's view and index rows) is
//! turned into template values once, in [`Scope::new`]; cloning a value only bumps a count.

use super::plan::{PageKind, PlannedPage};
use super::state::EditionState;
use super::views::Views;
use super::{data, meta, timeline};
use crate::model::{Atlas, Record};
use crate::urls::{Route, Urls};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

/// What the pages of one language are made from.
pub(super) struct Scope<'a> {
    pub(super) views: &'a Views<'a>,
    /// The language's state, with its record views and maps.
    pub(super) st: &'a EditionState,
    /// The open data files, with their sizes (for the open data page).
    pub(super) described: &'a [data::DataFile],
    /// Each collection's view and index rows as template values, in configuration order.
    shared: Vec<(Value, Vec<Value>)>,
    /// The other languages' 404 pages, which the root one carries (empty for every other page).
    translations: &'a [Translation],
}

impl<'a> Scope<'a> {
    pub(super) fn new(views: &'a Views<'a>, st: &'a EditionState, described: &'a [data::DataFile]) -> Scope<'a> {
        let shared = views
            .atlas
            .collections
            .iter()
            .zip(&st.collections)
            .map(|((name, records), cview)| {
                let by_id = st.rows.get(name);
                let rows = records.iter().filter_map(|r| by_id.and_then(|rows| rows.get(&r.id)).cloned()).collect();
                (Value::from(Serde(cview)), rows)
            })
            .collect();
        Scope { views, st, described, shared, translations: &[] }
    }

    /// The scope of the root 404 page, which carries the other languages' 404 pages.
    pub(super) fn with_translations(self, translations: &'a [Translation]) -> Scope<'a> {
        Scope { translations, ..self }
    }
}

/// Another language's 404 page, as the root one carries it (the template's `translations`):
/// GitHub Pages answers every missing address with the root 404.html, so an address under
/// `/zh/` gets the default language's page, which shows the Chinese one instead (atlasgen.js
/// swaps its body in). The page is the language's own 404 page, rendered through the same
/// templates, so every string of it (header, navigation, footer) is that language's.
#[derive(Serialize)]
pub(super) struct Translation {
    /// The language's code (`zh-Hans`) and its home, the folder its addresses start with.
    code: String,
    home: String,
    /// The page's `<title>` and what its `<body>` holds, as rendered (HTML, already escaped).
    title: String,
    body: String,
}

impl Translation {
    /// The 404 page `html` of the language `code` whose home is `home`; `None` when the page
    /// has no `<body>` element to take (a base template that leaves the tag out).
    pub(super) fn new(code: &str, home: &str, html: &str) -> Option<Translation> {
        let inner = |open: &str, close: &str| {
            let start = html.find(open)?;
            let start = start + html[start..].find('>')? + 1;
            let end = html.rfind(close)?;
            (start <= end).then(|| html[start..end].to_string())
        };
        Some(Translation {
            code: code.to_string(),
            home: home.to_string(),
            title: inner("<title", "</title>").unwrap_or_default(),
            body: inner("<body", "</body>")?,
        })
    }
}

/// The page title and description each template receives as `page`.
#[derive(Serialize)]
pub(super) struct PageMeta {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) url: String,
    pub(super) canonical: String,
    /// Navigation key of the section the page belongs to.
    pub(super) section: String,
}

/// The `page` value of a template: title, description, URLs and navigation section.
pub(super) fn meta(atlas: &Atlas, route: &Route, title: &str, description: &str, section: &str) -> PageMeta {
    PageMeta {
        title: title.into(),
        description: description.into(),
        url: atlas.urls.url(route),
        canonical: atlas.urls.absolute(route),
        section: section.into(),
    }
}

/// The template context of a page of the plan.
pub(super) fn make(page: &PlannedPage, route: &Route, scope: &Scope) -> Value {
    let views = scope.views;
    let (atlas, locale) = (views.atlas, views.locale);
    match page.kind {
        PageKind::Home => home(route, scope),
        PageKind::Collection { c } => {
            let cview = &scope.st.collections[c];
            let (cview_v, rows) = &scope.shared[c];
            context! { page => Serde(meta(atlas, route, &cview.title, &cview.description, &cview.name)), collection => cview_v.clone(), rows => rows.clone(), map => Serde(scope.st.overviews.indexes.get(&cview.name)), timeline => Serde(timeline::collection_timeline(views, &cview.name)) }
        }
        PageKind::Record { c, record } => record_context(record, c, route, scope),
        PageKind::FacetIndex { c, facet } => {
            let cview = &scope.st.collections[c];
            let facet = &cview.facets[facet];
            let title = locale.tf("{collection}: {field}", &[("collection", &cview.title), ("field", &facet.label)]);
            context! { page => Serde(meta(atlas, route, &title, &cview.description, &cview.name)), collection => scope.shared[c].0.clone(), facet => Serde(facet) }
        }
        PageKind::Facet { c, facet, value } => {
            let cview = &scope.st.collections[c];
            let (cview_v, rows) = &scope.shared[c];
            let facet = &cview.facets[facet];
            let value = &facet.values[value];
            let title = format!("{} — {}: {}", cview.title, facet.label, value.text);
            context! { page => Serde(meta(atlas, route, &title, &cview.description, &cview.name)), collection => cview_v.clone(), facet => Serde(facet), value => Serde(value), rows => value.members.iter().filter_map(|&i| rows.get(i).cloned()).collect::<Vec<_>>() }
        }
        PageKind::Page(p) => {
            context! { page => Serde(meta(atlas, route, &p.title, &p.description, &p.id)), content => Serde(&p.html), untranslated => p.untranslated, edit_url => views.edit_url(&p.file, crate::diag::Pos::FILE) }
        }
        PageKind::Search => {
            context! { page => Serde(meta(atlas, route, &locale.t("Search"), &locale.tf("Search the {atlas}", &[("atlas", &locale.t(&atlas.config.title))]), "search")) }
        }
        PageKind::Data => data_context(route, scope),
        PageKind::NotFound => {
            context! { page => Serde(meta(atlas, route, &locale.t("Page not found"), "", "not-found")), translations => Serde(scope.translations) }
        }
        PageKind::Feed { c } => meta::feed_context(atlas, locale, &scope.st.collections[c].name),
    }
}

/// The home page: an overview of each collection, the newest dated records and the featured
/// figures.
fn home(route: &Route, scope: &Scope) -> Value {
    let views = scope.views;
    let (atlas, locale) = (views.atlas, views.locale);
    let record_views = &scope.st.views;
    let home = &atlas.config.home;
    let latest: Vec<_> = home
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
            rs.into_iter().take(l.count).map(|r| record_views[&r.key()].clone()).collect()
        })
        .unwrap_or_default();
    let featured: Vec<_> = home
        .figures
        .as_ref()
        .map(|f| {
            atlas
                .collections
                .get(&f.collection.value)
                .into_iter()
                .flatten()
                .filter(|r| matches!(r.fields.get(&f.field), Some(crate::validate::Value::Bool(true))))
                .map(|r| record_views[&r.key()].clone())
                .collect()
        })
        .unwrap_or_default();
    let figure_fields = home.figures.as_ref().map(|f| f.shown(&atlas.config)).unwrap_or_default();
    let pages: Vec<_> = atlas
        .pages
        .iter()
        .map(|p| context! { title => &p.title, url => atlas.urls.url(&Urls::page(&p.id)), description => &p.description })
        .collect();
    context! { page => Serde(meta(atlas, route, &locale.t(&atlas.config.title), &locale.t(&atlas.config.description), "home")), collections => Serde(&scope.st.collections), latest => latest, latest_field => home.latest.as_ref().map(|l| l.field.clone()), figures => featured, figure_value => figure_fields.0, figure_unit => figure_fields.1, map => Serde(&scope.st.overviews.home), pages => Serde(pages) }
}

/// A record's page: its view, mini-map, timeline and JSON-LD.
fn record_context(r: &Record, c: usize, route: &Route, scope: &Scope) -> Value {
    let (views, key) = (scope.views, r.key());
    let atlas = views.atlas;
    let view = scope.st.views[&key].clone();
    // The record in a line describes its page; a record with nothing to sum it up is described
    // by what it is.
    let summary = view.get_attr("summary").ok().and_then(|s| s.as_str().map(str::to_string));
    let description = summary.unwrap_or_else(|| format!("{}: {}", scope.st.collections[c].singular, r.title));
    context! {
        page => Serde(meta(atlas, route, &r.title, &description, &r.collection)),
        collection => scope.shared[c].0.clone(),
        record => view,
        map => Serde(scope.st.maps.get(&key)),
        timeline => Serde(timeline::record_timeline(views, r)),
        jsonld => meta::record(atlas, views.locale, r, &description),
    }
}

/// The open data page, which lists the data files with their sizes.
fn data_context(route: &Route, scope: &Scope) -> Value {
    let (atlas, locale) = (scope.views.atlas, scope.views.locale);
    let described: Vec<data::DataFile> =
        scope.described.iter().map(|d| data::DataFile { title: d.title_in(locale), ..d.clone() }).collect();
    let description = locale.tf(
        "The records of the {atlas} as JSON, CSV, GeoJSON and iCalendar files",
        &[("atlas", &locale.t(&atlas.config.title))],
    );
    context! {
        page => Serde(meta(atlas, route, &locale.t("Open data"), &description, data::DATA_DIR)),
        files => Serde(&described),
        jsonld => meta::dataset(atlas, &described),
        package => atlas.urls.asset("datapackage.json"),
    }
}
