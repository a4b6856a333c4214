//! The views' shapes: what a template sees of the site, a record, a value and a collection.

use serde::Serialize;
use std::sync::Arc;

/// Site-wide values every template gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// The page's language (`vi`), its name ("Tiếng Việt"), and the default language's.
    pub language: String,
    pub language_name: String,
    pub default_language: String,
    pub default_language_name: String,
    /// The page's language as Open Graph names it, `language_TERRITORY` (`vi_VN`).
    pub og_locale: String,
    pub base_path: String,
    pub base_url: String,
    /// Every language of the site, the default first (one, for a site in one language): what a
    /// page served at any address (the 404 page) needs to tell which language an address is in.
    pub languages: Vec<LanguageView>,
    pub nav: Vec<NavItem>,
    pub generator: String,
    /// URL of the search page, when the atlas has search.
    pub search: Option<String>,
    /// Atom feeds of the dated collections.
    pub feeds: Vec<NavItem>,
    /// URL of the open data page.
    pub data: String,
    /// URL of the collection citations point into.
    pub bibliography: String,
    /// The licence of the atlas's text and data: `name` and `url`.
    pub licence: Option<NavItem>,
}

/// A language of the site: its `code` and `name`, the URL of its home page (`/sub/zh/`, the
/// folder all its pages are under) and of its search page.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageView {
    pub code: String,
    pub name: String,
    pub url: String,
    pub search: Option<String>,
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub key: String,
    pub title: String,
    pub url: String,
}

/// A link to a record.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub collection: String,
    pub id: String,
    pub title: String,
    pub url: String,
}

/// A field value, tagged with its `kind` so templates can dispatch on it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ValueView {
    String {
        text: String,
    },
    /// Rendered inline Markdown (already escaped and safe).
    Text {
        html: String,
        text: String,
    },
    Number {
        text: String,
        value: f64,
    },
    Bool {
        value: bool,
        text: String,
    },
    Url {
        href: String,
        text: String,
    },
    /// An enum value; `url` is its facet page when the field is a facet, `rank` where it
    /// stands among the schema's values (what tables sort it by).
    Enum {
        value: String,
        text: String,
        url: Option<String>,
        rank: usize,
    },
    Date {
        iso: String,
        text: String,
        precision: crate::date::Precision,
    },
    Period(Box<PeriodView>),
    Geo {
        lat: f64,
        lon: f64,
        text: String,
    },
    Ref {
        text: String,
        link: Box<LinkView>,
    },
    Citation(Box<CitationView>),
    List {
        text: String,
        items: Vec<ValueView>,
    },
    Object {
        text: String,
        fields: Vec<FieldView>,
    },
}

// The larger kinds are boxed: a value view is as big as its largest kind, and every field of
// every record has one.

/// A date range: `iso` ("1999/2000"), `text`, and its `start` and `end` (ISO).
#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    pub iso: String,
    pub text: String,
    pub start: String,
    pub end: Option<String>,
}

/// A citation: `label` is the short form ("Chu & Duong 2024"); `source.title` the full title.
#[derive(Debug, Clone, Serialize)]
pub struct CitationView {
    pub label: String,
    pub text: String,
    pub source: LinkView,
    pub loc: Option<String>,
    pub cites: Vec<LinkView>,
    pub note: Option<String>,
}

impl ValueView {
    /// Plain text of the value, for table cells, titles and attributes.
    pub fn text(&self) -> &str {
        match self {
            ValueView::String { text }
            | ValueView::Text { text, .. }
            | ValueView::Number { text, .. }
            | ValueView::Bool { text, .. }
            | ValueView::Url { text, .. }
            | ValueView::Enum { text, .. }
            | ValueView::Date { text, .. }
            | ValueView::Geo { text, .. }
            | ValueView::Ref { text, .. }
            | ValueView::List { text, .. }
            | ValueView::Object { text, .. } => text,
            ValueView::Period(p) => &p.text,
            ValueView::Citation(c) => &c.text,
        }
    }
}

/// A named, labelled value.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub name: String,
    pub label: String,
    /// Language of the value, when the schema gives one.
    pub lang: Option<String>,
    pub value: ValueView,
}

/// Records pointing at this one, under one heading.
#[derive(Debug, Clone, Serialize)]
pub struct BacklinkGroup {
    pub label: String,
    pub items: Vec<LinkView>,
}

/// A record as templates see it: `id`, `collection`, `title`, `url`, `file`, `fields`,
/// `data`, `body_html`, `backlinks` and `untranslated`, and what its own page is laid out
/// from (see `objects` for how each reads): `summary`, `standfirst`, `lead_html` and
/// `rest_html`, `infobox`, `details` and `citations`, `caveats`, `prev` and `next`,
/// `updated`, `readings`, `published` and `edit_url`.
///
/// A record's view is built once per language and handed to templates as an object (see
/// `objects`) shared by its own page, every index row and `get_record`.
#[derive(Debug, Clone)]
pub struct RecordView {
    pub id: String,
    pub collection: String,
    pub title: String,
    pub url: String,
    pub file: String,
    /// The values the record gives, in schema order.
    pub fields: Vec<FieldView>,
    /// The schema fields the record leaves out: `none` in `data`.
    pub absent: Vec<String>,
    pub body_html: Option<Arc<str>>,
    /// The records that link to this one, each once, under the heading of its closest
    /// relation; the dated records its timeline shows are left to the timeline.
    pub backlinks: Vec<BacklinkGroup>,
    /// Shown in the default language for want of a translation.
    pub untranslated: bool,
    /// Where the record's fields go on its page, as positions in `fields`.
    pub layout: Layout,
    /// What a reader should know before trusting the page: where the sources disagree, an
    /// approximate or missing point, a missing translation.
    pub caveats: Vec<Caveat>,
    /// The records before and after this one in its collection's order.
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    /// The last change to the record's file (and its translation's), from git.
    pub updated: Option<DateView>,
    /// A record of the discrepancy collection: what each source says, and what the atlas
    /// publishes.
    pub readings: Vec<ReadingView>,
    /// The address that edits the record's file, when the atlas names its repository.
    pub edit_url: Option<String>,
}

/// Where a record's fields go on its page, as positions in its `fields`.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The field that sums the record up in a line, when its collection names one.
    pub summary: Option<u32>,
    /// The key facts, for the box beside the lead.
    pub infobox: Vec<u32>,
    /// Everything else a reader reads as a field, in schema order; `true` marks a list of
    /// dated items whose dated ones are on the record's timeline (only the others are left).
    pub details: Vec<(u32, bool)>,
    /// The fields that cite sources.
    pub citations: Vec<u32>,
    /// What the atlas publishes, for a record of the discrepancy collection.
    pub published: Option<u32>,
}

/// A date as a page shows it: ISO form and reading form.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

/// One caveat of a record's page.
#[derive(Debug, Clone, Serialize)]
pub struct Caveat {
    /// `discrepancy`, `approximate`, `unmapped` or `untranslated`.
    pub kind: &'static str,
    /// The caveat in full (inline HTML, safe).
    pub html: String,
    /// Language of the text, when it is not the page's (an untranslated discrepancy).
    pub lang: Option<String>,
}

/// One reading of a discrepancy: what a source says, and whether the atlas follows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReadingView {
    pub source: Box<CitationView>,
    /// The reading (inline HTML, safe).
    pub html: String,
    pub adopted: bool,
}

/// A collection as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct CollectionView {
    pub name: String,
    /// The field shown as each record's title (left out of field lists).
    pub title_field: String,
    pub title: String,
    pub singular: String,
    pub description: String,
    pub url: String,
    pub count: usize,
    pub columns: Vec<ColumnView>,
    pub facets: Vec<FacetView>,
    /// The fields the records are sorted by, in order of priority.
    pub sort: Vec<String>,
}

/// A column of an index table; `key` columns (the first three of the collection's key
/// facts) are the ones kept on narrow screens.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    pub name: String,
    pub label: String,
    pub lang: Option<String>,
    pub key: bool,
}

/// A facet: a field with a page per value.
#[derive(Debug, Clone, Serialize)]
pub struct FacetView {
    pub field: String,
    pub label: String,
    pub url: String,
    pub values: Vec<FacetValueView>,
}

/// One value of a facet and how many records have it.
#[derive(Debug, Clone, Serialize)]
pub struct FacetValueView {
    /// What the value's URL is made from: the same in every language.
    pub key: String,
    pub text: String,
    pub url: String,
    pub count: usize,
    /// The records that have it, by position in their collection: the facet page's rows.
    #[serde(skip)]
    pub members: Vec<usize>,
}
