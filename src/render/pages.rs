//! The pages of one language and their template contexts: the home page, collection indexes,
//! record pages, facet pages, plain pages, search, open data, 404, and the sitemap.

use super::incremental::{EditionState, Plan};
use super::maps::Maps;
use super::views::{self, Views};
use super::{Edition, Key, data, meta, svgmap, timeline};
use crate::i18n::Locale;
use crate::markdown::escape;
use crate::model::{Atlas, Record};
use crate::urls::{Route, Urls, facet_slug};
use minijinja::context;
use minijinja::value::Serde;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One page to render: where it goes, which templates may render it, and its context.
pub(super) struct Job<'a> {
    pub(super) route: Route,
    pub(super) templates: Vec<String>,
    pub(super) context: Context<'a>,
}

/// A page's template context: made when the page is listed, or for a record's page (most
/// pages of an atlas) only as it renders, so the contexts of every page are never held at once.
pub(super) enum Context<'a> {
    Ready(minijinja::Value),
    Record { record: &'a Record, description: String, collection: minijinja::Value },
}

/// What record pages' contexts are made from.
pub(super) struct Scope<'a> {
    pub(super) views: &'a Views<'a>,
    pub(super) st: &'a EditionState,
    /// Each record's mini-map.
    pub(super) maps: &'a HashMap<Key, svgmap::MapView>,
}

impl Context<'_> {
    pub(super) fn make(&self, route: &Route, scope: &Scope) -> minijinja::Value {
        match self {
            Context::Ready(v) => v.clone(),
            Context::Record { record: r, description, collection } => {
                let (views, key) = (scope.views, r.key());
                let atlas = views.atlas;
                let view = scope.st.views[&key].clone();
                // The record in a line describes its page; a record with nothing to sum it up
                // is described by what it is.
                let summary = view.get_attr("summary").ok().and_then(|s| s.as_str().map(str::to_string));
                let description = summary.as_deref().unwrap_or(description);
                context! {
                    page => Serde(meta(atlas, route, &r.title, description, &r.collection)),
                    collection => collection.clone(),
                    record => view,
                    map => Serde(scope.maps.get(&key)),
                    timeline => Serde(timeline::record_timeline(views, r)),
                    jsonld => meta::record(atlas, views.locale, r, description),
                }
            }
        }
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

/// The data page's job.
pub(super) fn data_job(atlas: &Atlas, locale: &Locale, described: &[data::DataFile]) -> Job<'static> {
    let route = Urls::page(data::DATA_DIR);
    let described: Vec<data::DataFile> =
        described.iter().map(|d| data::DataFile { title: d.title_in(locale), ..d.clone() }).collect();
    let description = locale.tf(
        "The records of the {atlas} as JSON, CSV, GeoJSON and iCalendar files",
        &[("atlas", &locale.t(&atlas.config.title))],
    );
    Job {
        context: Context::Ready(minijinja::context! {
            page => Serde(meta(atlas, &route, &locale.t("Open data"), &description, "data")),
            files => Serde(&described),
            jsonld => meta::dataset(atlas, &described),
            package => atlas.urls.asset("datapackage.json"),
        }),
        templates: vec!["data.html".into()],
        route,
    }
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

/// The pages of one language with their contexts: all of them, or those a plan names.
pub(super) fn jobs<'a>(
    atlas: &'a Atlas,
    views: &Views,
    st: &EditionState,
    maps: &Maps,
    plan: Option<&Plan>,
) -> Vec<Job<'a>> {
    let locale = views.locale;
    let mut jobs = Vec::new();
    let record_views = &st.views;
    let wanted_record = |key: &Key, route: &Route| {
        plan.is_none_or(|p| {
            p.affected.contains(key)
                || p.redraw.contains(key)
                || st.deps.get(&route.file()).is_some_and(|d| d.iter().any(|k| p.affected.contains(k)))
        })
    };
    // A partial render whose pages read no affected record through `get_record` draws only
    // the affected and redrawn records: their ids are enough to pass over the others.
    let only: Option<HashSet<(&str, &str)>> = plan
        .filter(|p| !st.deps.values().any(|d| d.iter().any(|k| p.affected.contains(k))))
        .map(|p| p.affected.iter().chain(&p.redraw).map(|k| (k.0.as_str(), k.1.as_str())).collect());

    // Home: an overview of each collection, the newest dated records and the featured figures.
    // Each collection's view (with its facets' values and counts) serves the home page and
    // the collection's own pages.
    let collections = &st.collections;
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
            rs.into_iter().take(l.count).map(|r| record_views[&r.key()].clone()).collect()
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
                .map(|r| record_views[&r.key()].clone())
                .collect()
        })
        .unwrap_or_default();
    let figure_fields = atlas.config.home.figures.as_ref().map(|f| f.shown(&atlas.config)).unwrap_or_default();
    let home = Urls::home();
    jobs.push(Job {
        context: Context::Ready(context! { page => Serde(meta(atlas, &home, &locale.t(&atlas.config.title), &locale.t(&atlas.config.description), "home")), collections => Serde(collections), latest => latest, latest_field => atlas.config.home.latest.as_ref().map(|l| l.field.clone()), figures => featured, figure_value => figure_fields.0, figure_unit => figure_fields.1, map => Serde(&maps.overview), pages => Serde(atlas.pages.iter().map(|p| context!{ title => &p.title, url => atlas.urls.url(&Urls::page(&p.id)), description => &p.description }).collect::<Vec<_>>()) }),
        route: home,
        templates: vec!["index.html".into()],
    });

    for ((name, records), cview) in atlas.collections.iter().zip(collections) {
        let listed = plan.is_none_or(|p| p.collections.contains(name));
        // Shared parts of many pages are turned into template values once; cloning a value
        // only bumps a reference count.
        let cview_v = minijinja::Value::from(Serde(cview));
        let by_id = st.rows.get(name);
        let rows: Vec<minijinja::Value> =
            records.iter().filter_map(|r| by_id.and_then(|rows| rows.get(&r.id)).cloned()).collect();
        let route = Urls::collection(name);
        if listed {
            jobs.push(Job {
            context: Context::Ready(context! { page => Serde(meta(atlas, &route, &cview.title, &cview.description, name)), collection => cview_v.clone(), rows => rows.clone(), map => Serde(maps.mapped.contains(name).then_some(&maps.overview)), timeline => Serde(timeline::collection_timeline(views, name)) }),
            templates: vec![format!("{name}/collection.html"), "collection.html".into()],
            route,
        });
        }
        let record_templates = vec![format!("{name}/record.html"), "record.html".into()];
        let record_jobs: Vec<Job> = records
            .par_iter()
            .filter_map(|r| {
                if only.as_ref().is_some_and(|o| !o.contains(&(name.as_str(), r.id.as_str()))) {
                    return None;
                }
                let route = Urls::record(name, &r.id);
                if !wanted_record(&r.key(), &route) {
                    return None;
                }
                Some(Job {
                    context: Context::Record {
                        record: r,
                        description: format!("{}: {}", cview.singular, r.title),
                        collection: cview_v.clone(),
                    },
                    templates: record_templates.clone(),
                    route,
                })
            })
            .collect();
        jobs.extend(record_jobs);
        for facet in &cview.facets {
            let route = Urls::facet_index(name, &facet.field);
            let title = locale.tf("{collection}: {field}", &[("collection", &cview.title), ("field", &facet.label)]);
            let wanted_value = |key: &str| {
                plan.is_none_or(|p| {
                    p.facet_values.contains(&(name.clone(), facet.field.clone(), facet_slug(key).into_owned()))
                })
            };
            if !listed && !facet.values.iter().any(|v| wanted_value(&v.key)) {
                continue;
            }
            if listed {
                jobs.push(Job {
                context: Context::Ready(context! { page => Serde(meta(atlas, &route, &title, &cview.description, name)), collection => cview_v.clone(), facet => Serde(facet) }),
                templates: vec![format!("{name}/facet_index.html"), "facet_index.html".into()],
                route,
            });
            }
            for value in facet.values.iter().filter(|v| wanted_value(&v.key)) {
                let route = Urls::facet(name, &facet.field, &value.key);
                let title = format!("{} — {}: {}", cview.title, facet.label, value.text);
                jobs.push(Job {
                    context: Context::Ready(context! { page => Serde(meta(atlas, &route, &title, &cview.description, name)), collection => cview_v.clone(), facet => Serde(facet), value => Serde(value), rows => value.members.iter().filter_map(|&i| rows.get(i).cloned()).collect::<Vec<_>>() }),
                    templates: vec![format!("{name}/facet.html"), "facet.html".into()],
                    route,
                });
            }
        }
    }

    for p in &atlas.pages {
        let route = Urls::page(&p.id);
        jobs.push(Job {
            context: Context::Ready(context! { page => Serde(meta(atlas, &route, &p.title, &p.description, &p.id)), content => Serde(&p.html), untranslated => p.untranslated, edit_url => views.edit_url(&p.file, crate::diag::Pos::FILE) }),
            templates: vec![format!("pages/{}.html", p.id), "page.html".into()],
            route,
        });
    }
    if atlas.config.search && plan.is_none() {
        let route = Urls::page("search");
        jobs.push(Job {
            context: Context::Ready(context! { page => Serde(meta(atlas, &route, &locale.t("Search"), &locale.tf("Search the {atlas}", &[("atlas", &locale.t(&atlas.config.title))]), "search")) }),
            templates: vec!["search.html".into()],
            route,
        });
    }
    let not_found = Route("404.html".into());
    if plan.is_none() {
        jobs.push(Job {
            context: Context::Ready(
                context! { page => Serde(meta(atlas, &not_found, &locale.t("Page not found"), "", "not-found")) },
            ),
            route: not_found,
            templates: vec!["404.html".into()],
        });
    }
    jobs
}

/// The pages of a language a sitemap lists, in the order they are listed: the home page, then
/// each collection's index, records and facet pages, the plain pages, search and open data.
pub(super) fn public_routes(atlas: &Atlas, collections: &[views::CollectionView]) -> Vec<Route> {
    let mut routes = vec![Urls::home()];
    for ((name, records), cview) in atlas.collections.iter().zip(collections) {
        routes.push(Urls::collection(name));
        routes.extend(records.iter().map(|r| Urls::record(name, &r.id)));
        for facet in &cview.facets {
            routes.push(Urls::facet_index(name, &facet.field));
            routes.extend(facet.values.iter().map(|v| Urls::facet(name, &facet.field, &v.key)));
        }
    }
    routes.extend(atlas.pages.iter().map(|p| Urls::page(&p.id)));
    if atlas.config.search {
        routes.push(Urls::page("search"));
    }
    routes.push(Urls::page(data::DATA_DIR));
    routes
}

/// The sitemap protocol's XML, every URL absolute; a multilingual site lists each page in
/// every language, each with its alternates (`xhtml:link`), as search engines ask.
pub(super) fn sitemap(editions: &[Edition], routes: &[Route]) -> String {
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
