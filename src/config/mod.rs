//! The atlas configuration (`atlas.yaml`): site metadata and the collections with their schemas.
//!
//! Collections, fields and references are data here, not Rust types, so an editor can add a
//! collection without recompiling. The file is deserialized with unknown keys refused, then
//! `check` verifies what serde cannot: that names point at things that exist.

use crate::diag::{Diagnostic, Diagnostics, Pos};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::{Path, PathBuf};

mod check;

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
    #[serde(default = "yes")]
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

/// The repository holding the atlas, for "Edit this page" links.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Repository {
    /// The repository's web address, e.g. `https://github.com/<owner>/<repo>`.
    pub url: String,
    /// The branch edits go to.
    #[serde(default = "default_branch")]
    pub branch: String,
    /// The atlas's folder inside the repository, when it is not the repository's root (`atlas`).
    #[serde(default)]
    pub folder: String,
    /// The address of a file's editor, with `{url}`, `{branch}` and `{path}` (the file's path
    /// from the repository's root) filled in. The default is GitHub's,
    /// `{url}/edit/{branch}/{path}`; GitLab's is `{url}/-/edit/{branch}/{path}`, Gitea's and
    /// Forgejo's `{url}/_edit/{branch}/{path}`.
    pub edit_url: Option<String>,
}

/// The browser editor's settings (`cms:`). Its forms come from the collections' schemas and
/// its commits go to `repository`'s branch; see [`crate::render::cms`].
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CmsSpec {
    /// Whether the site publishes the editor at `/admin/` (`cms: {enabled: false}` keeps the
    /// settings and turns it off).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The forge's API the editor talks to. By default it is read from `repository.url`:
    /// github.com is `github`, gitlab.com `gitlab`, codeberg.org and gitea.com `gitea`; a
    /// self-hosted forge must say which it is.
    pub backend: Option<CmsBackend>,
    /// The API's address on a self-hosted forge (default: the one each forge serves at its
    /// own host, e.g. `https://git.example.org/api/v1` for Gitea).
    pub api_root: Option<String>,
}

/// The forges the browser editor can commit to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CmsBackend {
    Github,
    Gitlab,
    Gitea,
}

impl Config {
    /// The browser editor's settings when it is turned on.
    pub fn cms(&self) -> Option<&CmsSpec> {
        self.cms.as_ref().map(|c| &c.value).filter(|c| c.enabled)
    }
}

/// Where the browser editor commits: the forge, the repository's path on it, and the API's
/// address when it is not the forge's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsTarget {
    pub backend: CmsBackend,
    /// `owner/repo` (on GitLab, `group/subgroup/project`).
    pub repo: String,
    pub api_root: Option<String>,
}

impl CmsSpec {
    /// Reads the forge and the repository's path from `repository.url`, or says why it
    /// cannot.
    pub fn target(&self, repository: &Repository) -> Result<CmsTarget, String> {
        let url = repository.url.trim_end_matches('/');
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let path = path.strip_suffix(".git").unwrap_or(path);
        let host = host.to_ascii_lowercase();
        let known = match host.as_str() {
            "github.com" => Some(CmsBackend::Github),
            "gitlab.com" => Some(CmsBackend::Gitlab),
            "codeberg.org" | "gitea.com" => Some(CmsBackend::Gitea),
            _ => None,
        };
        let Some(backend) = self.backend.or(known) else {
            return Err(format!(
                "cannot tell which forge {} is: the editor commits through GitHub's, GitLab's or Gitea's API",
                repository.url
            ));
        };
        let segments: Vec<&str> = path.split('/').collect();
        let nested_ok = backend == CmsBackend::Gitlab;
        if segments.len() < 2 || segments.iter().any(|s| s.is_empty()) || (segments.len() > 2 && !nested_ok) {
            return Err(format!(
                "repository.url {} does not end in the repository's owner and name (https://{host}/<owner>/<repo>)",
                repository.url
            ));
        }
        let api_root = self.api_root.clone().or_else(|| match (backend, host.as_str()) {
            (CmsBackend::Github, "github.com")
            | (CmsBackend::Gitlab, "gitlab.com")
            | (CmsBackend::Gitea, "gitea.com") => None,
            (CmsBackend::Github, _) => Some(format!("https://{host}/api/v3")),
            (CmsBackend::Gitlab, _) => Some(format!("https://{host}/api/v4")),
            (CmsBackend::Gitea, _) => Some(format!("https://{host}/api/v1")),
        });
        Ok(CmsTarget { backend, repo: segments.join("/"), api_root })
    }
}

fn default_branch() -> String {
    "main".into()
}

impl Repository {
    /// The address that edits `file` (a path from the atlas folder), at `line` when the file
    /// holds several records.
    pub fn edit_link(&self, file: &str, line: Option<usize>) -> String {
        let folder = self.folder.trim_matches('/');
        let path = if folder.is_empty() { file.to_string() } else { format!("{folder}/{file}") };
        let pattern = self.edit_url.as_deref().unwrap_or("{url}/edit/{branch}/{path}");
        let mut link = pattern
            .replace("{url}", self.url.trim_end_matches('/'))
            .replace("{branch}", &self.branch)
            .replace("{path}", &encode_path(&path));
        if let Some(n) = line {
            link.push_str(&format!("#L{n}"));
        }
        link
    }
}

/// A file path in a URL: what a path segment may not hold as it is, percent-encoded.
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `zh-Hans` → `zh`: the primary subtag, lowercase.
fn default_prefix(code: &str) -> String {
    code.split('-').next().unwrap_or(code).to_ascii_lowercase()
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

/// The licence the atlas is published under.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// What readers see: "CC BY 4.0".
    pub name: String,
    /// The licence's canonical page.
    pub url: String,
    /// Its SPDX identifier (`CC-BY-4.0`), for `datapackage.json`; defaults to `name`.
    pub id: Option<String>,
}

/// One language of a multilingual atlas.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageSpec {
    /// BCP 47 tag (`vi`, `zh-Hans`); translation files end in `.<code>.md`.
    pub code: String,
    /// The language's name in itself, for the language switcher ("Tiếng Việt").
    pub name: String,
    /// URL prefix; defaults to the tag's first part (`zh-Hans` → `zh`). The default language
    /// has none.
    pub prefix: Option<String>,
    /// The CLDR locale dates, numbers and plurals follow, when it differs from the code
    /// (`en-GB` for "30 December 1999" where `en` writes "December 30, 1999").
    pub locale: Option<String>,
}

/// A language the site is published in, as the rest of atlasgen sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub code: String,
    pub name: String,
    /// The CLDR locale of its dates, numbers and plurals (the code unless configured).
    pub locale: String,
    /// Folder of the language's pages, `""` for the default language, else `"vi/"`.
    pub prefix: String,
}

/// Site-wide map settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteMap {
    /// GeoJSON with `kind: country` polygons and `kind: border` lines; no maps without it.
    pub basemap: Option<PathBuf>,
    /// The area the home page's overview shows; without it, the overview frames what it
    /// draws (within the base map's `bbox`).
    pub overview: Option<Bounds>,
    /// The options of the base-map extraction (`tools/map-data/extract.mjs --atlas
    /// atlas.yaml`): atlasgen only checks their names, the extraction checks their values.
    #[schemars(with = "Option<IndexMap<String, serde_json::Value>>")]
    pub extract: Option<Spanned<IndexMap<String, serde_json::Value>>>,
}

/// The options `tools/map-data/extract.mjs` reads from `map.extract` (its `KNOWN_KEYS`).
pub const EXTRACT_OPTIONS: [&str; 15] = [
    "box",
    "margin",
    "countries",
    "border",
    "layers",
    "admin1",
    "languages",
    "min_population",
    "river_level",
    "lake_area",
    "tolerance",
    "precision",
    "coast_resolution",
    "names",
    "output",
];

/// A latitude/longitude box, in decimal degrees.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Bounds {
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }
}

/// What the home page shows besides the overview.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HomeConfig {
    /// The newest records of a dated collection ("latest events").
    pub latest: Option<LatestSpec>,
    /// Records flagged by a boolean field ("key figures").
    pub figures: Option<FeaturedSpec>,
}

/// The newest `count` records of `collection`, by the date in `field`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LatestSpec {
    #[schemars(with = "String")]
    pub collection: Spanned<String>,
    pub field: String,
    #[serde(default = "default_latest_count")]
    pub count: usize,
}

fn default_latest_count() -> usize {
    5
}

/// Records of `collection` whose boolean `field` is true, each shown as its `value` and
/// `unit` (fields of the collection) beside its title.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeaturedSpec {
    #[schemars(with = "String")]
    pub collection: Spanned<String>,
    pub field: String,
    /// The field shown as the figure (default: the collection's field `value`, if it has one).
    pub value: Option<String>,
    /// The field shown after it (default: the collection's field `unit`, if it has one).
    pub unit: Option<String>,
}

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

/// One collection: how its records look and how they are listed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionSpec {
    /// Plural title ("Border gates").
    pub title: String,
    /// Singular noun ("Border gate").
    pub singular: String,
    #[serde(default)]
    pub description: String,
    /// The string field that titles a record.
    #[schemars(with = "String")]
    pub title_field: Spanned<String>,
    /// A `string` or `text` field that sums a record up in a line, shown under its title; a
    /// collection without one is summed up by its narrative's first sentence.
    #[schemars(with = "Option<String>")]
    pub summary: Option<Spanned<String>>,
    /// The fields that matter most (a status, an opening date, a length): shown first, in
    /// the box beside the lead of a record's page, and the index columns kept on narrow
    /// screens. Defaults to the `columns`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub key_facts: Vec<Spanned<String>>,
    /// Fields that carry a record's name in another language, by language code
    /// (`{zh-Hans: name_hans}`): a record that has one and whose translation gives no title
    /// is titled by it in that language (in its links, maps and lists too).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, String>")]
    pub title_fields: IndexMap<String, Spanned<String>>,
    /// Fields shown as columns of the index table, after the title.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub columns: Vec<Spanned<String>>,
    /// Fields the index is sorted by, in order of priority.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sort: Vec<Spanned<String>>,
    /// Fields that get a page per value ("gates by status").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub facets: Vec<Spanned<String>>,
    /// The schema: each field's type, whether it is required, and what it means.
    #[schemars(with = "IndexMap<String, FieldSpec>")]
    pub fields: IndexMap<String, Spanned<FieldSpec>>,
    /// Show the collection's index as a timeline, and its records on the pages they name.
    pub timeline: Option<TimelineSpec>,
    /// How records are drawn on maps. Without it, the first `geo` field is the point; routes
    /// are drawn only through the field `map.route` names.
    #[serde(default)]
    pub map: MapSpec,
}

/// A dated collection shown as a timeline.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineSpec {
    /// The `date` or `daterange` field that places a record in time.
    #[schemars(with = "String")]
    pub date: Spanned<String>,
    /// An enum field readers can filter by (`kind`).
    #[schemars(with = "Option<String>")]
    pub filter: Option<Spanned<String>>,
    /// Named periods, oldest first; each runs from its `start` year to the next era's.
    #[serde(default)]
    pub eras: Vec<Era>,
    /// Further fields shown with each entry (`actors`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub show: Vec<Spanned<String>>,
}

/// A named period of a timeline.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Era {
    pub title: String,
    /// First year of the era.
    pub start: i32,
}

/// Map settings of a collection; every key is optional.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MapSpec {
    /// The `geo` field giving each record's point.
    pub point: Option<String>,
    /// A list of references to mapped records, drawn as a line through their points.
    pub route: Option<String>,
    /// An enum field whose value sets the marker's colour (or the line's colour); or one
    /// colour for the whole layer, written `"#rrggbb"`.
    pub colour: Option<String>,
    /// Colours of the `colour` field's values (`{international: "#d55e00"}`); values left out
    /// take the next colour of the default, colour-blind-safe palette.
    #[serde(default)]
    pub colours: IndexMap<String, String>,
    /// An enum field whose value sets the marker's shape (or the line's dash pattern).
    pub shape: Option<String>,
    /// Shapes of the `shape` field's values: for markers `circle`, `square`, `diamond`,
    /// `triangle`; for lines `solid`, `dashed`, `dotted`, `dash-dot`, `band` (wide and pale,
    /// for a corridor rather than a line). Values left out take
    /// them in that order.
    #[serde(default)]
    pub shapes: IndexMap<String, String>,
    /// An enum field saying what the point marks, and the values that mean "exactly here";
    /// other values are drawn hollow and said to be approximate.
    pub precision: Option<String>,
    #[serde(default)]
    pub exact: Vec<String>,
    /// A text field saying which place an approximate point marks ("the town centre"), added
    /// to the page's note that the point is approximate.
    pub note: Option<String>,
    /// Reference fields (a `ref`, or a list of them) that place a record without a point of
    /// its own, tried in order: the first record they name that is on the map gives an
    /// approximate (hollow) marker, said to be approximate in the legend and its tooltip.
    #[serde(default)]
    pub near: Vec<String>,
    /// Whether the collection appears on overview maps (it always appears on record maps).
    #[serde(default = "yes")]
    pub overview: bool,
    /// Whether markers get text labels on overview maps.
    #[serde(default)]
    pub labels: bool,
}

fn yes() -> bool {
    true
}

/// Marker shapes a `shapes` block may name, in the order values take them by default.
pub const MARKER_SHAPES: [&str; 4] = ["circle", "square", "diamond", "triangle"];
/// Line patterns a `shapes` block may name for routes, in the order values take them.
pub const LINE_SHAPES: [&str; 5] = ["solid", "dashed", "dotted", "dash-dot", "band"];

impl MapSpec {
    /// The enum field that colours the layer, unless `colour` is one colour for all of it.
    pub fn colour_field(&self) -> Option<&str> {
        self.colour.as_deref().filter(|c| !c.starts_with('#'))
    }

    /// The layer's one colour, when `colour` is written `"#rrggbb"`.
    pub fn fixed_colour(&self) -> Option<&str> {
        self.colour.as_deref().filter(|c| c.starts_with('#'))
    }
}

/// Whether `s` is a CSS hex colour atlasgen accepts: `#rgb` or `#rrggbb`.
pub fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|h| (h.len() == 3 || h.len() == 6) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

impl Default for MapSpec {
    /// A collection without a `map` block is mapped from its schema and shown on overviews.
    fn default() -> Self {
        MapSpec {
            point: None,
            route: None,
            colour: None,
            shape: None,
            colours: IndexMap::new(),
            shapes: IndexMap::new(),
            precision: None,
            exact: vec![],
            note: None,
            near: vec![],
            overview: true,
            labels: false,
        }
    }
}

/// The type names a schema may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TypeName {
    String,
    Text,
    Integer,
    Number,
    Bool,
    Url,
    Enum,
    Date,
    Daterange,
    Geo,
    /// A picture of the atlas's `static/`: `{src, alt, caption, credit}`.
    Image,
    Ref,
    Citation,
    List,
    Object,
}

/// One field of a schema.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(rename = "type")]
    pub ty: TypeName,
    #[serde(default)]
    pub required: bool,
    /// One line saying what the field holds; shown by `new` and in error hints.
    #[serde(default)]
    pub description: String,
    /// Heading shown on pages; defaults to the field name in sentence case.
    pub label: Option<String>,
    /// Allowed values of an `enum`, in their order (facets and sorting follow it), each with
    /// the label readers see: `[road, rail]` or `{bez: Border economic zone, …}`.
    #[serde(default)]
    #[schemars(with = "EnumValuesWritten")]
    pub values: EnumValues,
    /// Target collection of a `ref`.
    #[schemars(with = "Option<String>")]
    pub collection: Option<Spanned<String>>,
    /// Language of the field's text when it differs from the site's (`zh-Hans`, `vi`), so
    /// browsers pick the right fonts and screen readers the right voice.
    pub lang: Option<String>,
    /// Heading of the backlink list on the target's page ("Corridors through this gate").
    pub inverse: Option<String>,
    /// Whether a translation file may give its own value. Unset, every `string` and `text`
    /// field is translatable (in lists and objects too) unless it sets `lang` (its text is
    /// already in a fixed language); `false` keeps quotations and bibliographic data as
    /// printed. Other types always come from the default-language record.
    pub translatable: Option<bool>,
    /// The field holds other names of the record (in another script, as the sources spell
    /// it): search ranks a match here as it ranks a match in the title. A `string` field, or
    /// a `list` of them, of the record itself.
    #[serde(default)]
    pub alias: bool,
    /// Item type of a `list`.
    #[schemars(with = "Option<Box<FieldSpec>>")]
    pub item: Option<Box<Spanned<FieldSpec>>>,
    /// Fields of an `object`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, FieldSpec>")]
    pub fields: IndexMap<String, Spanned<FieldSpec>>,
}

impl FieldSpec {
    /// The heading for this field: its label, or the name in sentence case.
    pub fn label_for(&self, name: &str) -> String {
        self.label.clone().unwrap_or_else(|| {
            let words = name.replace('_', " ");
            let mut c = words.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
    }
}

/// The values of an `enum` field in schema order, with their labels: written as a list of
/// codes (`[road, rail]`, labelled by the code with `-` read as a space) or a mapping of
/// code to label (`{bez: Border economic zone}`). Labels are English keys of the
/// translation tables, so every language, the default included, can give its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnumValues {
    codes: Vec<String>,
    labels: Vec<Option<String>>,
}

impl EnumValues {
    /// The label of `code`, in the default language before translation.
    pub fn label(&self, code: &str) -> String {
        match self.codes.iter().position(|c| c == code).and_then(|i| self.labels[i].clone()) {
            Some(l) => l,
            None => code.replace('-', " "),
        }
    }
}

impl std::ops::Deref for EnumValues {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.codes
    }
}

/// How `values:` may be written, for the JSON Schema of atlas.yaml.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum EnumValuesWritten {
    /// The codes, each labelled by itself (`-` read as a space).
    Codes(Vec<String>),
    /// Each code with the label readers see.
    Labelled(IndexMap<String, String>),
}

impl<'de> Deserialize<'de> for EnumValues {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Codes(Vec<String>),
            Labelled(IndexMap<String, String>),
        }
        Ok(match Written::deserialize(d)? {
            Written::Codes(codes) => EnumValues { labels: vec![None; codes.len()], codes },
            Written::Labelled(map) => {
                let (codes, labels) = map.into_iter().map(|(c, l)| (c, Some(l))).unzip();
                EnumValues { codes, labels }
            }
        })
    }
}

impl FieldSpec {
    /// What a translation may give for this field: the field restricted to its translatable
    /// text, every part optional, or `None` when it holds none. Lists keep their items' shape
    /// (a list of objects is translated item by item, in the same order); objects keep only
    /// their translatable fields.
    pub fn translation(&self) -> Option<FieldSpec> {
        if self.translatable == Some(false) {
            return None;
        }
        let mut spec = match self.ty {
            TypeName::String | TypeName::Text if self.lang.is_none() || self.translatable == Some(true) => self.clone(),
            TypeName::List => {
                let item = self.item.as_ref()?;
                let inner = item.value.translation()?;
                FieldSpec { item: Some(Box::new(Spanned { value: inner, ..(**item).clone() })), ..self.clone() }
            }
            TypeName::Image if self.lang.is_none() || self.translatable == Some(true) => {
                // Its texts, as an object: `{alt, caption, credit}`.
                let mut fields = FieldSpec::image_parts();
                fields.retain(|n, _| ["alt", "caption", "credit"].contains(&n.as_str()));
                FieldSpec { ty: TypeName::Object, fields, ..self.clone() }
            }
            TypeName::Object => {
                let fields: IndexMap<String, Spanned<FieldSpec>> = self
                    .fields
                    .iter()
                    .filter_map(|(n, f)| f.value.translation().map(|t| (n.clone(), Spanned { value: t, ..f.clone() })))
                    .collect();
                if fields.is_empty() {
                    return None;
                }
                FieldSpec { fields, ..self.clone() }
            }
            _ => return None,
        };
        spec.required = false;
        Some(spec)
    }
}

impl FieldSpec {
    /// A field of `ty` with nothing else set.
    fn plain(ty: TypeName, required: bool, description: &str) -> FieldSpec {
        FieldSpec {
            ty,
            required,
            description: description.into(),
            label: None,
            values: EnumValues::default(),
            collection: None,
            lang: None,
            inverse: None,
            translatable: None,
            alias: false,
            item: None,
            fields: IndexMap::new(),
        }
    }

    /// The parts of an `image` value, as the fields of an object: the file, its alternative
    /// text, a caption and a credit (inline Markdown), and whether it is decorative (shown
    /// with an empty alt text, which is otherwise an error).
    pub fn image_parts() -> IndexMap<String, Spanned<FieldSpec>> {
        let unknown = serde_saphyr::Location::UNKNOWN;
        [
            ("src", TypeName::String, true, "The picture's path under static/, e.g. /images/photo.jpg"),
            ("alt", TypeName::String, false, "What the picture shows, for readers who cannot see it"),
            ("caption", TypeName::Text, false, "Shown under the picture"),
            ("credit", TypeName::Text, false, "Author and licence, e.g. \"Photo: A. Author, CC BY 4.0\""),
            ("decorative", TypeName::Bool, false, "true if it adds nothing the text does not say (no alt text)"),
        ]
        .into_iter()
        .map(|(n, ty, req, d)| (n.to_string(), Spanned::new(FieldSpec::plain(ty, req, d), unknown, unknown)))
        .collect()
    }
}

impl CollectionSpec {
    /// The fields a translation of a record may give (see [`FieldSpec::translation`]).
    pub fn translatable_fields(&self) -> IndexMap<String, Spanned<FieldSpec>> {
        self.fields
            .iter()
            .filter_map(|(n, f)| f.value.translation().map(|t| (n.clone(), Spanned { value: t, ..f.clone() })))
            .collect()
    }

    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.get(name).map(|s| &s.value)
    }

    /// The key facts: `key_facts`, or the index columns when it is not set.
    pub fn key_fields(&self) -> &[Spanned<String>] {
        if self.key_facts.is_empty() { &self.columns } else { &self.key_facts }
    }
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

impl Config {
    /// Reads and checks `atlas.yaml` under `root`. All problems found are returned together.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let mut diags = Diagnostics::new();
        let text = match crate::input::read(root, &path, crate::input::MAX_TEXT_BYTES) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            crate::content::utf8_error_pos(e.as_bytes(), e.utf8_error()),
                            "the configuration is not valid UTF-8",
                        )
                        .with_help("save the file as UTF-8"),
                    );
                    return Err(diags);
                }
            },
            Err(crate::input::Refused::Io(e)) => {
                diags.push(
                    Diagnostic::error(CONFIG_FILE, Pos::FILE, format!("cannot read the configuration: {e}")).with_help(
                        format!("run atlasgen in an atlas folder (one with {CONFIG_FILE}), or pass --root DIR"),
                    ),
                );
                return Err(diags);
            }
            Err(refused) => {
                diags.push(refused.diagnostic(CONFIG_FILE));
                return Err(diags);
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut config: Config = match serde_saphyr::from_str_with_options(text, crate::yaml::options()) {
            Ok(c) => c,
            Err(e) => {
                let at = e.location().map(|l| pos(&l)).unwrap_or(Pos::FILE);
                let msg = e.without_snippet().to_string();
                let msg = msg.lines().next().unwrap_or("").to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                diags.push(
                    Diagnostic::error(CONFIG_FILE, at, format!("invalid configuration: {msg}"))
                        .with_help("see the configuration section of the README for the keys atlas.yaml accepts"),
                );
                return Err(diags);
            }
        };
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        // Control characters written as escapes ("\x01") reach titles and feeds.
        if let Err(d) = crate::yaml::parse(text, CONFIG_FILE) {
            diags.push(d);
        }
        config.root = root.to_path_buf();
        config.check(&mut diags);
        if diags.has_errors() { Err(diags) } else { Ok(config) }
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map(|(_, r)| r).unwrap_or(&self.base_url);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".into(),
        }
    }

    /// The languages of the site, the default first with no prefix.
    pub fn languages(&self) -> Vec<Language> {
        let default = self.languages.iter().map(|l| &l.value).find(|l| l.code == self.language);
        let mut out = vec![Language {
            code: self.language.clone(),
            name: default.map(|l| l.name.clone()).unwrap_or_else(|| self.language.clone()),
            locale: default
                .and_then(|l| l.locale.clone())
                .or_else(|| self.locale.clone())
                .unwrap_or_else(|| self.language.clone()),
            prefix: String::new(),
        }];
        out.extend(self.languages.iter().map(|l| &l.value).filter(|l| l.code != self.language).map(|l| Language {
            code: l.code.clone(),
            name: l.name.clone(),
            locale: l.locale.clone().unwrap_or_else(|| l.code.clone()),
            prefix: format!("{}/", l.prefix.clone().unwrap_or_else(|| default_prefix(&l.code))),
        }));
        out
    }

    /// Whether `code` is one of the other languages, the ones translations are written in.
    pub fn is_translation_language(&self, code: &str) -> bool {
        code != self.language && self.languages.iter().any(|l| l.value.code == code)
    }

    /// The files the configuration names, relative to the atlas folder (the base map): inputs
    /// of the build as much as `content/` is.
    pub fn named_files(&self) -> Vec<PathBuf> {
        self.map.basemap.iter().cloned().collect()
    }

    /// The collection that citations point into.
    pub fn citations(&self) -> &str {
        &self.citations.value
    }

    /// The collection that records where the sources disagree, if the atlas has one.
    pub fn discrepancies(&self) -> Option<&str> {
        self.discrepancies.as_ref().map(|d| d.value.as_str())
    }

    pub fn collection(&self, name: &str) -> Option<&CollectionSpec> {
        self.collections.get(name).map(|c| &c.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
