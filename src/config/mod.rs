//! The atlas configuration (`atlas.yaml`): site metadata and the collections with their schemas.
//!
//! Collections, fields and references are data here, not Rust types, so an editor can add a
//! collection without recompiling. The file is deserialized with unknown keys refused, then
//! `check` verifies what serde cannot: that names point at things that exist.
//!
//! This file holds the top of the file ([`Config`]); `site.rs` the site-wide settings,
//! `map.rs` the maps', `schema.rs` the collections' schemas, `load.rs` the reading and
//! `check.rs` the checks.

use crate::diag::Pos;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::{Path, PathBuf};

mod check;
mod load;
mod map;
mod schema;
mod site;

pub use map::{Bounds, EXTRACT_OPTIONS, LINE_SHAPES, MARKER_SHAPES, MapSpec, SiteMap, is_hex_colour};
pub use schema::{CollectionSpec, EnumValues, Era, FieldSpec, TimelineSpec, TypeName};
pub use site::{
    CmsBackend, CmsSpec, CmsTarget, FeaturedSpec, HomeConfig, Language, LanguageSpec, LatestSpec, Licence, Repository,
};

pub use crate::layout::CONFIG_FILE;

/// Site-wide settings and the collections.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and in every page title.
    pub title: String,
    /// The atlas folder the configuration was read from (images are files of its `static/`).
    #[serde(skip)]
    #[schemars(skip)]
    pub root: PathBuf,
    /// One or two sentences for the home page and search engines.
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is served from; may carry a sub-path (`https://x.github.io/atlas/`).
    pub base_url: String,
    /// BCP 47 language of the content (`en`): the default language when there are several.
    #[serde(default = "default_language")]
    pub language: String,
    /// The CLDR locale of the default language's dates and numbers when it differs from
    /// `language` (`en-GB`); in a multilingual atlas the language's own `locale:` wins.
    pub locale: Option<String>,
    /// The languages the site is published in, the default first. Each other language gets
    /// its own URL prefix (`/vi/…`), interface strings from `i18n/<code>.yaml`, and record
    /// translations in sibling files (`mong-cai.vi.md`). Empty: one language, `language`.
    #[serde(default)]
    #[schemars(with = "Vec<LanguageSpec>")]
    pub languages: Vec<Spanned<LanguageSpec>>,
    /// The collection that `citation` fields and `[@id]` citations point into.
    #[serde(default = "default_citations")]
    #[schemars(with = "String")]
    pub citations: Spanned<String>,
    /// The fields of the `citations` collection a citation's short label ("Chu & Duong 2024")
    /// is made from; a source without authors is cited by its title.
    #[serde(default)]
    pub citation_label: CitationLabel,
    /// The collection that records where the sources disagree. A record that references one
    /// of its records says so in the caveat note at the top of its page; its own records lay
    /// their `readings` side by side and say what the atlas `published`.
    #[schemars(with = "Option<String>")]
    pub discrepancies: Option<Spanned<String>>,
    /// The licence of the atlas's text and data: shown in every page's footer (as
    /// `rel="license"`) and given in `datapackage.json`.
    pub licence: Option<Licence>,
    /// What the home page highlights.
    #[serde(default)]
    pub home: HomeConfig,
    /// Build a full-text search index (Pagefind) and a search page.
    #[serde(default = "site::yes")]
    pub search: bool,
    /// The area the atlas covers; points outside it are reported as likely typos.
    pub bounds: Option<Bounds>,
    /// The base map: countries and borders as GeoJSON, relative to the atlas folder.
    #[serde(default)]
    pub map: SiteMap,
    /// Where the atlas's files are kept: every record and page then links to its file's
    /// editor ("Edit this page").
    #[schemars(with = "Option<Repository>")]
    pub repository: Option<Spanned<Repository>>,
    /// An editor for the browser at `/admin/` (Sveltia CMS), its forms made from the
    /// collections' schemas; it commits to `repository`. `cms: {}` turns it on.
    #[schemars(with = "Option<CmsSpec>")]
    pub cms: Option<Spanned<CmsSpec>>,
    /// The collections, in the order they appear in navigation.
    #[schemars(with = "IndexMap<String, CollectionSpec>")]
    pub collections: IndexMap<String, Spanned<CollectionSpec>>,
}

impl Config {
    /// The browser editor's settings when it is turned on.
    pub fn cms(&self) -> Option<&CmsSpec> {
        self.cms.as_ref().map(|c| &c.value).filter(|c| c.enabled)
    }
}

fn default_language() -> String {
    "en".into()
}

/// Which fields of a source its citation label reads (`citation_label:` in atlas.yaml).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CitationLabel {
    /// A list of names, "Family, Given" or an organisation: the label names the first one or
    /// two by family name ("Chu & Duong", "Chu et al.").
    pub authors: String,
    /// The year of publication, a number.
    pub year: String,
    /// A date whose year is used when the source gives no `year`.
    pub date: String,
}

impl Default for CitationLabel {
    fn default() -> CitationLabel {
        CitationLabel { authors: "authors".into(), year: "year".into(), date: "date".into() }
    }
}

fn default_citations() -> Spanned<String> {
    Spanned::new("sources".into(), serde_saphyr::Location::UNKNOWN, serde_saphyr::Location::UNKNOWN)
}

fn pos(s: &serde_saphyr::Location) -> Pos {
    Pos::new(s.line() as usize, s.column() as usize)
}

/// Checks that `url` is an absolute http(s) URL with a host, as `base_url` must be: without
/// one, canonical links, feeds and the sitemap would point nowhere. The error says why.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        None => Err(format!("\"{url}\" is not an absolute http(s) URL: it must start with https:// or http://")),
        Some("") => Err(format!("\"{url}\" names no host after its scheme")),
        Some(h) if h.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Err(format!("\"{url}\" has a space in its host"))
        }
        Some(_) if url.contains(['?', '#']) => Err(format!("\"{url}\" has a query or fragment; a base URL may not")),
        Some(_) => Ok(()),
    }
}

/// The atlas folder for a command run without `--root`: the nearest folder, from `start`
/// upward, that holds `atlas.yaml` (as git finds its repository from a subfolder).
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|d| d.join(CONFIG_FILE).is_file()).map(Path::to_path_buf)
}

pub use crate::ids::{MAX_ID_LEN, is_valid_id};

impl FeaturedSpec {
    /// The fields shown as each figure's value and unit, those the collection has.
    pub fn shown(&self, config: &Config) -> (Option<String>, Option<String>) {
        let has = |f: &str| config.collection(&self.collection.value).is_some_and(|c| c.fields.contains_key(f));
        let pick = |given: &Option<String>, default: &str| match given {
            Some(f) => Some(f.clone()),
            None => has(default).then(|| default.to_string()),
        };
        (pick(&self.value, "value"), pick(&self.unit, "unit"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;

    fn load(text: &str) -> Result<Config, Diagnostics> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        Config::load(dir.path())
    }

    const MINIMAL: &str = "title: T\nbase_url: https://x.org/sub\ncollections:\n  sources:\n    title: S\n    singular: S\n    title_field: title\n    fields:\n      title: {type: string, required: true}\n";

    #[test]
    fn base_path_comes_from_base_url() {
        let c = load(MINIMAL).unwrap();
        assert_eq!(c.base_url, "https://x.org/sub/");
        assert_eq!(c.base_path(), "/sub/");
    }

    #[test]
    fn unknown_key_is_reported_with_line() {
        let e = load(&MINIMAL.replace("title: T\n", "title: T\ntitel: x\n")).unwrap_err().into_vec();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("titel"), "{}", e[0].message);
    }

    #[test]
    fn dangling_names_are_all_reported() {
        let text = MINIMAL.replace(
            "    fields:\n",
            "    columns: [titel]\n    fields:\n      other: {type: ref, collection: sorces}\n",
        );
        let e = load(&text).unwrap_err().into_vec();
        assert_eq!(e.len(), 2, "{e:#?}");
        assert!(e.iter().any(|d| d.help.as_deref() == Some("did you mean `title`?")));
        assert!(e.iter().any(|d| d.help.as_deref() == Some("did you mean `sources`?")));
    }
}
