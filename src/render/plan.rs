//! The site plan: every page of one language listed once, with its route, the templates that
//! may render it and what it shows. The full build renders every page of the plan; `serve`
//! renders the pages an edit touched ([`SitePlan::affected_by`]); the sitemap lists the
//! plan's public pages. A new kind of page is a new [`PageKind`]: its route, templates and
//! dependencies are given here, its template context in [`super::context`], and nowhere else.

use super::data;
use super::impact::{FacetPage, Impact};
use super::meta;
use super::state::EditionState;
use super::views::CollectionView;
use crate::model::{Atlas, Page, Record};
use crate::urls::{Route, Urls, facet_slug};

/// What a page is, and so what it shows.
#[derive(Clone, Copy)]
pub(super) enum PageKind<'a> {
    /// The home page: an overview of every collection.
    Home,
    /// A collection's index; `c` is its position in the configuration (and in the edition
    /// state's collection views).
    Collection {
        c: usize,
    },
    /// A record's own page.
    Record {
        c: usize,
        record: &'a Record,
    },
    /// The list of a facet's values.
    FacetIndex {
        c: usize,
        facet: usize,
    },
    /// The records with one value of a facet.
    Facet {
        c: usize,
        facet: usize,
        value: usize,
    },
    /// A plain page of `content/pages/`.
    Page(&'a Page),
    Search,
    /// The open data page: made once the data files are (it lists their sizes).
    Data,
    NotFound,
    /// A dated collection's Atom feed.
    Feed {
        c: usize,
    },
}

/// One page of the plan.
#[derive(Clone, Copy)]
pub(super) struct PlannedPage<'a> {
    pub(super) kind: PageKind<'a>,
    /// The collection's view, for the kinds that belong to one.
    pub(super) collection: Option<&'a CollectionView>,
}

impl PlannedPage<'_> {
    /// Where the page goes, relative to its language's folder.
    pub(super) fn route(&self) -> Route {
        let name = || self.collection.map(|c| c.name.as_str()).unwrap_or_default();
        let facet = |f: usize| &self.collection.expect("a facet page has a collection").facets[f];
        match self.kind {
            PageKind::Home => Urls::home(),
            PageKind::Collection { .. } => Urls::collection(name()),
            PageKind::Record { record, .. } => Urls::record(&record.collection, &record.id),
            PageKind::FacetIndex { facet: f, .. } => Urls::facet_index(name(), &facet(f).field),
            PageKind::Facet { facet: f, value, .. } => {
                let facet = facet(f);
                Urls::facet(name(), &facet.field, &facet.values[value].key)
            }
            PageKind::Page(p) => Urls::page(&p.id),
            PageKind::Search => Urls::page("search"),
            PageKind::Data => Urls::page(data::DATA_DIR),
            PageKind::NotFound => Route("404.html".into()),
            PageKind::Feed { .. } => meta::feed_route(name()),
        }
    }

    /// The templates that may render the page, the atlas's most specific first.
    pub(super) fn templates(&self) -> Vec<String> {
        let name = self.collection.map(|c| c.name.as_str()).unwrap_or_default();
        let pair = |file: &str| vec![format!("{name}/{file}"), file.to_string()];
        match self.kind {
            PageKind::Home => vec!["index.html".into()],
            PageKind::Collection { .. } => pair("collection.html"),
            PageKind::Record { .. } => pair("record.html"),
            PageKind::FacetIndex { .. } => pair("facet_index.html"),
            PageKind::Facet { .. } => pair("facet.html"),
            PageKind::Page(p) => vec![format!("pages/{}.html", p.id), "page.html".into()],
            PageKind::Search => vec!["search.html".into()],
            PageKind::Data => vec!["data.html".into()],
            PageKind::NotFound => vec!["404.html".into()],
            PageKind::Feed { .. } => pair("feed.xml"),
        }
    }

    /// Whether the sitemap lists the page.
    pub(super) fn public(&self) -> bool {
        !matches!(self.kind, PageKind::NotFound | PageKind::Feed { .. })
    }

    /// Whether the page is the one answering a missing address: the default language's waits
    /// for the other languages' (see [`super::render_root_not_found`]).
    pub(super) fn not_found(&self) -> bool {
        matches!(self.kind, PageKind::NotFound)
    }

    /// Whether the page waits for the open data files (which it describes).
    pub(super) fn after_data(&self) -> bool {
        matches!(self.kind, PageKind::Data)
    }
}

/// Every page of one language, in the order the sitemap lists them: the home page, then each
/// collection's index, records and facet pages, the plain pages, search, 404, feeds and open data.
pub(super) struct SitePlan<'a> {
    pages: Vec<PlannedPage<'a>>,
}

impl<'a> SitePlan<'a> {
    /// The plan of an edition whose collection views are `collections` (in configuration order).
    pub(super) fn new(atlas: &'a Atlas, collections: &'a [CollectionView]) -> SitePlan<'a> {
        let page = |kind, collection| PlannedPage { kind, collection };
        let mut pages = vec![page(PageKind::Home, None)];
        for (c, (records, view)) in atlas.collections.values().zip(collections).enumerate() {
            pages.push(page(PageKind::Collection { c }, Some(view)));
            pages.extend(records.iter().map(|record| page(PageKind::Record { c, record }, Some(view))));
            for (facet, f) in view.facets.iter().enumerate() {
                pages.push(page(PageKind::FacetIndex { c, facet }, Some(view)));
                pages.extend((0..f.values.len()).map(|value| page(PageKind::Facet { c, facet, value }, Some(view))));
            }
        }
        pages.extend(atlas.pages.iter().map(|p| page(PageKind::Page(p), None)));
        if atlas.config.search {
            pages.push(page(PageKind::Search, None));
        }
        pages.push(page(PageKind::NotFound, None));
        for (c, view) in collections.iter().enumerate() {
            if atlas.config.collection(&view.name).is_some_and(|s| s.timeline.is_some()) {
                pages.push(page(PageKind::Feed { c }, Some(view)));
            }
        }
        pages.push(page(PageKind::Data, None));
        SitePlan { pages }
    }

    /// Every page.
    pub(super) fn all(&self) -> impl Iterator<Item = &PlannedPage<'a>> {
        self.pages.iter()
    }

    /// The routes the sitemap lists.
    pub(super) fn public_routes(&self) -> Vec<Route> {
        self.pages.iter().filter(|p| p.public()).map(PlannedPage::route).collect()
    }

    /// The pages an edit touched: the affected records' pages and those of the records whose
    /// mini-map shows a change, pages whose templates read an affected record, the indexes,
    /// facet pages and feeds that list one, the home page and the plain pages (whose
    /// navigation may name what changed). Search, 404 and open data are not: the first two
    /// show no record, and `serve` brings open data up to date after the edited pages.
    pub(super) fn affected_by(&self, impact: &Impact, st: &EditionState) -> Vec<PlannedPage<'a>> {
        // Only when a page read an affected record through `get_record` is its route looked up.
        let reads_affected = st.deps.values().any(|d| d.iter().any(|k| impact.affected.contains(k)));
        let listed = |p: &PlannedPage| p.collection.is_some_and(|c| impact.collections.contains(&c.name));
        self.pages
            .iter()
            .filter(|p| match p.kind {
                PageKind::Home | PageKind::Page(_) => true,
                PageKind::Collection { .. } | PageKind::FacetIndex { .. } | PageKind::Feed { .. } => listed(p),
                PageKind::Record { record, .. } => {
                    let key = record.key();
                    impact.affected.contains(&key)
                        || impact.redraw.contains(&key)
                        || reads_affected
                            && st
                                .deps
                                .get(&p.route().file())
                                .is_some_and(|d| d.iter().any(|k| impact.affected.contains(k)))
                }
                PageKind::Facet { facet, value, .. } => {
                    let view = p.collection.expect("a facet page has a collection");
                    let f = &view.facets[facet];
                    impact.facet_values.contains(&FacetPage {
                        collection: view.name.clone(),
                        field: f.field.clone(),
                        value: facet_slug(&f.values[value].key).into_owned(),
                    })
                }
                PageKind::Search | PageKind::NotFound | PageKind::Data => false,
            })
            .copied()
            .collect()
    }
}
