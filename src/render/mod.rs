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
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use views::Views;

/// A file of the site: path relative to the output folder, and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
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
    let default = &editions[0].atlas;
    let basemap = t.stage("base map", || load_basemap(default, root, diags));
    let grounds = t.stage("map grounds", || basemap.as_ref().map(|b| Grounds::new(default, b)));
    let features = basemap.as_ref().map(|_| crate::map::features(default, &crate::map::layers(&default.config)));
    let (data_files, described) = t.stage("open data", || data::export(default, features.as_ref()));
    let mut files = Vec::new();
    let mut public: Vec<Route> = Vec::new();
    let mut entries = Vec::new();
    for ed in editions {
        let (pages, routes, found) = render_edition(ed, editions, root, grounds.as_ref(), &described, diags, t);
        if ed.locale.language.prefix.is_empty() {
            public = routes;
        }
        entries.extend(found);
        let prefix = &ed.locale.language.prefix;
        files.extend(pages.into_iter().map(|f| OutputFile { path: format!("{prefix}{}", f.path), bytes: f.bytes }));
    }
    files.extend(data_files);
    if default.config.search {
        match t.stage("search index", || search::index(entries)) {
            Ok(bundle) => files.extend(bundle),
            Err(d) => diags.push(d),
        }
    }
    files.push(OutputFile { path: "sitemap.xml".into(), bytes: sitemap(editions, &public).into_bytes() });
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

/// The base map, when the atlas has one; a broken one is reported and maps are left out.
fn load_basemap(atlas: &Atlas, root: &Path, diags: &mut Diagnostics) -> Option<crate::map::Basemap> {
    let rel = atlas.config.map.basemap.as_ref()?;
    crate::map::Basemap::load(root, rel).map_err(|d| diags.push(d)).ok()
}

/// The pages of one language, paths relative to the language's folder, and the routes of
/// its public pages.
fn render_edition(
    ed: &Edition,
    editions: &[Edition],
    root: &Path,
    grounds: Option<&Grounds>,
    described: &[data::DataFile],
    diags: &mut Diagnostics,
    t: &mut crate::timings::Timings,
) -> (Vec<OutputFile>, Vec<Route>, Vec<search::Entry>) {
    let atlas = &ed.atlas;
    let locale = &*ed.locale;
    let views = Views { atlas, locale };
    // Each record's view is built once: its own page and every `record()` call share it.
    let search = atlas.config.search;
    let (records, entries): (RecordValues, Vec<Option<search::Entry>>) = t.stage("record views", || {
        atlas
            .records()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|r| {
                let view = views.record(r);
                let entry = search.then(|| search_entry(&views, r, &view));
                (((r.collection.clone(), r.id.clone()), minijinja::Value::from(Serde(view))), entry)
            })
            .unzip()
    });
    let mut entries: Vec<search::Entry> = entries.into_iter().flatten().collect();
    if search {
        entries.extend(atlas.pages.iter().map(|p| search::Entry {
            url: format!("/{}{}", locale.language.prefix, Urls::page(&p.id).0),
            title: p.title.clone(),
            content: format!("{} {}", p.title, search::plain_text(&p.html)),
            language: locale.language.code.to_lowercase(),
            filter: locale.t("Pages"),
        }));
    }
    let records = Arc::new(records);
    let mut env = templates::environment(root, atlas.urls.root_path(), Arc::clone(&ed.locale));
    let lookup = Arc::clone(&records);
    env.add_function("get_record", move |collection: &str, id: &str| {
        lookup.get(&(collection.to_string(), id.to_string())).cloned().ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("get_record(\"{collection}\", \"{id}\"): no such record"),
            )
        })
    });
    let site = minijinja::Value::from(Serde(views.site()));
    let maps = t.stage("maps", || Maps::new(atlas, locale, grounds));
    let mut jobs = t.stage("page contexts", || jobs(atlas, &views, &records, &maps));
    let route = Urls::page(data::DATA_DIR);
    let described: Vec<data::DataFile> =
        described.iter().map(|d| data::DataFile { title: d.title_in(locale), ..d.clone() }).collect();
    let description = locale.tf(
        "The records of the {atlas} as JSON, CSV, GeoJSON and iCalendar files",
        &[("atlas", &locale.t(&atlas.config.title))],
    );
    jobs.push(Job {
        context: minijinja::context! {
            page => Serde(meta(atlas, &route, &locale.t("Open data"), &description, "data")),
            files => Serde(&described),
            jsonld => meta::dataset(atlas, &described),
            package => atlas.urls.asset("datapackage.json"),
        },
        templates: vec!["data.html".into()],
        route,
        public: true,
    });
    let results: Vec<Result<OutputFile, Diagnostic>> = t.stage("render pages", || {
        jobs.par_iter()
            .map(|job| {
                let page = job.route.file();
                let tpl = templates::pick(&env, &job.templates).map_err(|e| templates::diagnostic(root, &e, &page))?;
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
            })
            .collect()
    });
    let mut files = Vec::with_capacity(results.len() + 5);
    let mut seen = std::collections::HashSet::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
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
        if let Some(feed) = meta::atom(atlas, locale, name) {
            files.push(OutputFile { path: meta::feed_route(name).0, bytes: feed.into_bytes() });
        }
    }
    let public = jobs.into_iter().filter(|j| j.public).map(|j| j.route).collect();
    (files, public, entries)
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
struct Grounds<'b> {
    base: &'b crate::map::Basemap,
    overview: (svgmap::View, svgmap::Ground),
    records: HashMap<(String, String), (svgmap::View, svgmap::Ground)>,
}

impl<'b> Grounds<'b> {
    fn new(atlas: &Atlas, base: &'b crate::map::Basemap) -> Grounds<'b> {
        let features = crate::map::features(atlas, &crate::map::layers(&atlas.config));
        let bbox = atlas.config.map.overview.map(|b| [b.west, b.south, b.east, b.north]).unwrap_or(base.bbox);
        let view = svgmap::View::fit(bbox, 960.0);
        let prepared = svgmap::prepare(base);
        let overview = (view, svgmap::ground(&prepared, &view));
        let records = atlas
            .records()
            .collect::<Vec<_>>()
            .par_iter()
            .filter_map(|r| {
                let focus = crate::map::focus_of(atlas, &features, r);
                if focus.is_empty() {
                    return None;
                }
                let view = svgmap::View::around(&focus, 1.6, 480.0, 4.0 / 3.0);
                Some(((r.collection.clone(), r.id.clone()), (view, svgmap::ground(&prepared, &view))))
            })
            .collect();
        Grounds { base, overview, records }
    }
}

impl Maps {
    fn new(atlas: &Atlas, locale: &Locale, grounds: Option<&Grounds>) -> Maps {
        let none = Maps { overview: None, records: HashMap::new(), mapped: vec![] };
        let Some(grounds) = grounds else { return none };
        let base = grounds.base;
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
        let overview = svgmap::draw(
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
        );
        let records = atlas
            .records()
            .collect::<Vec<_>>()
            .par_iter()
            .filter_map(|r| {
                let (view, ground) = grounds.records.get(&(r.collection.clone(), r.id.clone()))?;
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
                Some(((r.collection.clone(), r.id.clone()), drawn))
            })
            .collect();
        Maps { overview: Some(overview), records, mapped }
    }
}

fn jobs(
    atlas: &Atlas,
    views: &Views,
    record_views: &HashMap<(String, String), minijinja::Value>,
    maps: &Maps,
) -> Vec<Job> {
    let locale = views.locale;
    let mut jobs = Vec::new();

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
        let cview = views.collection(name);
        // Shared parts of many pages are turned into template values once; cloning a value
        // only bumps a reference count.
        let cview_v = minijinja::Value::from(Serde(&cview));
        let rows: Vec<minijinja::Value> =
            records.par_iter().map(|r| minijinja::Value::from(Serde(views.row(r)))).collect();
        let route = Urls::collection(name);
        jobs.push(Job {
            context: context! { page => Serde(meta(atlas, &route, &cview.title, &cview.description, name)), collection => cview_v.clone(), rows => rows.clone(), map => Serde(maps.mapped.contains(name).then_some(&maps.overview)), timeline => Serde(timeline::collection_timeline(views, name)) },
            templates: vec![format!("{name}/collection.html"), "collection.html".into()],
            route,
            public: true,
        });
        let record_templates = vec![format!("{name}/record.html"), "record.html".into()];
        let record_jobs: Vec<Job> = records
            .par_iter()
            .map(|r| {
                let route = Urls::record(name, &r.id);
                let key = (r.collection.clone(), r.id.clone());
                let description = format!("{}: {}", cview.singular, r.title);
                let jsonld = meta::record(atlas, locale, r);
                Job {
                    context: context! { page => Serde(meta(atlas, &route, &r.title, &description, name)), collection => cview_v.clone(), record => record_views[&key].clone(), map => Serde(maps.records.get(&key)), timeline => Serde(timeline::record_timeline(views, r)), jsonld => jsonld },
                    templates: record_templates.clone(),
                    route,
                    public: true,
                }
            })
            .collect();
        jobs.extend(record_jobs);
        for facet in &cview.facets {
            let route = Urls::facet_index(name, &facet.field);
            let title = locale
                .tf("{collection} by {field}", &[("collection", &cview.title), ("field", &facet.label.to_lowercase())]);
            jobs.push(Job {
                context: context! { page => Serde(meta(atlas, &route, &title, &cview.description, name)), collection => cview_v.clone(), facet => Serde(facet) },
                templates: vec![format!("{name}/facet_index.html"), "facet_index.html".into()],
                route,
                public: true,
            });
            // Which rows hold each value, in one pass over the records.
            let mut members: HashMap<String, Vec<minijinja::Value>> = HashMap::new();
            for (r, row) in records.iter().zip(&rows) {
                for (key, _) in views::facet_values(views, name, &facet.field, r) {
                    members.entry(key).or_default().push(row.clone());
                }
            }
            for value in &facet.values {
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
    if atlas.config.search {
        let route = Urls::page("search");
        jobs.push(Job {
            context: context! { page => Serde(meta(atlas, &route, &locale.t("Search"), &locale.tf("Search the {atlas}", &[("atlas", &locale.t(&atlas.config.title))]), "search")) },
            templates: vec!["search.html".into()],
            route,
            public: true,
        });
    }
    let not_found = Route("404.html".into());
    jobs.push(Job {
        context: context! { page => Serde(meta(atlas, &not_found, &locale.t("Page not found"), "", "")) },
        route: not_found,
        templates: vec!["404.html".into()],
        public: false,
    });
    jobs
}

/// The sitemap protocol's XML, every URL absolute.
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
