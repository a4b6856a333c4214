//! The files every language shares, made after the pages: open data, the search index, the
//! sitemap, `robots.txt`, the browser editor, image copies and atlasgen's own assets.

use super::plan::SitePlan;
use super::state::{EditionState, RenderState};
use super::{Edition, OutputFile, RecordKey, cms, data, search, templates};
use crate::diag::{Diagnostic, Diagnostics};
use minijinja::value::Serde;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// What search indexes in every language: records in their collections' order (so the index
/// does not depend on hashing), then plain pages.
pub(super) fn search_entries(editions: &[Edition], states: &[EditionState]) -> Vec<search::Entry> {
    // Each record's title and other names in every language (the titles first), so each
    // language's entry names the others: a reader of the Chinese pages who types the
    // Vietnamese name, or of the French pages who types the German one, finds the record.
    let mut titles: HashMap<&RecordKey, Vec<&str>> = HashMap::new();
    for st in states {
        for (key, e) in &st.entries {
            titles.entry(key).or_default().push(&e.title);
        }
    }
    for st in states {
        for (key, e) in &st.entries {
            titles.entry(key).or_default().extend(e.names.iter().map(String::as_str));
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
pub(super) fn open_data(
    editions: &[Edition],
    grounds: Option<&super::Grounds>,
) -> (Vec<OutputFile>, Vec<data::DataFile>) {
    let default = &editions[0].atlas;
    let features = grounds.map(|_| crate::map::features(default, &crate::map::layers(&default.config)));
    data::export(default, features.as_ref())
}

/// One URL of the sitemap, with its alternates in every language (none when there is one).
#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    alternates: Vec<SitemapAlternate>,
}

#[derive(Serialize)]
struct SitemapAlternate {
    code: String,
    href: String,
}

/// The sitemap protocol's XML (template `sitemap.xml`), every URL absolute; a multilingual
/// site lists each page in every language, each with its alternates (`xhtml:link`), as
/// search engines ask.
fn sitemap(editions: &[Edition], state: &RenderState, root: &Path) -> Result<OutputFile, Diagnostic> {
    let default = &editions[0];
    let routes = SitePlan::new(&default.atlas, &state.editions[0].collections).public_routes();
    let multilingual = editions.len() > 1;
    let mut urls = Vec::with_capacity(routes.len() * editions.len());
    for r in &routes {
        for ed in editions {
            let alternates = if multilingual {
                editions
                    .iter()
                    .map(|alt| SitemapAlternate {
                        code: alt.locale.language.code.clone(),
                        href: alt.atlas.urls.absolute(r),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            urls.push(SitemapUrl { loc: ed.atlas.urls.absolute(r), alternates });
        }
    }
    let env = templates::environment(root, default.atlas.urls.root_path(), std::sync::Arc::clone(&default.locale));
    let page = "sitemap.xml";
    let xml = templates::pick(&env, &[page.to_string()])
        .and_then(|t| t.render(minijinja::context! { multilingual, urls => Serde(urls) }))
        .map_err(|e| templates::diagnostic(root, &e, page))?;
    Ok(OutputFile { path: page.into(), bytes: xml.into_bytes() })
}

/// The search index (when the atlas has search), sitemap and assets: one set for all languages.
pub(super) fn files(
    editions: &[Edition],
    state: &RenderState,
    root: &Path,
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
    match sitemap(editions, state, root) {
        Ok(f) => files.push(f),
        Err(d) => diags.push(d),
    }
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
    let static_dir = atlas.config.root.join(crate::layout::STATIC_DIR);
    let mut files = Vec::new();
    for p in paths {
        match crate::images::load(&static_dir, p) {
            Ok(done) => files.extend(
                done.files.iter().map(|(path, bytes)| OutputFile { path: path.clone(), bytes: bytes.to_vec() }),
            ),
            Err(why) => diags.push(Diagnostic::error(crate::layout::STATIC_DIR, crate::diag::Pos::FILE, why)),
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
