//! Typed views handed to templates. Every template context is built here, from the model,
//! so templates see one consistent shape: a record's `fields` (present values, schema order),
//! its `data` (every schema field, `none` when absent, so strict templates can test them),
//! `backlinks` grouped under their headings, and values tagged by `kind`.

use crate::config::{CollectionSpec, FieldSpec, TypeName};
use crate::html::escape;
use crate::i18n::Locale;
use crate::markdown;
use crate::model::{Atlas, BacklinkKind, Record, RecordKey};
use crate::urls::Urls;
use crate::validate::Value;
use indexmap::IndexMap;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
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
    pub base_path: String,
    pub base_url: String,
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

/// Builds views from the model.
pub struct Views<'a> {
    pub atlas: &'a Atlas,
    /// The language of the views' text; the atlas is already in that language.
    pub locale: &'a Locale,
}

impl<'a> Views<'a> {
    pub fn site(&self) -> SiteView {
        let a = self.atlas;
        let l = self.locale;
        let default = a.config.languages().remove(0);
        let mut nav: Vec<NavItem> = a
            .config
            .collections
            .iter()
            .map(|(k, c)| NavItem { key: k.clone(), title: l.t(&c.value.title), url: a.urls.url(&Urls::collection(k)) })
            .collect();
        nav.extend(a.pages.iter().map(|p| NavItem {
            key: p.id.clone(),
            title: p.title.clone(),
            url: a.urls.url(&Urls::page(&p.id)),
        }));
        SiteView {
            title: l.t(&a.config.title),
            description: l.t(&a.config.description),
            language: l.language.code.clone(),
            language_name: l.language.name.clone(),
            default_language: default.code,
            default_language_name: default.name,
            base_path: a.urls.base_path().to_string(),
            base_url: a.config.base_url.clone(),
            nav,
            generator: format!("atlasgen {}", env!("CARGO_PKG_VERSION")),
            search: a.config.search.then(|| a.urls.url(&Urls::page("search"))),
            feeds: a
                .config
                .collections
                .iter()
                .filter(|(_, c)| c.value.timeline.is_some())
                .map(|(k, c)| NavItem {
                    key: k.clone(),
                    title: format!("{}: {}", l.t(&a.config.title), l.t(&c.value.title)),
                    url: a.urls.url(&super::meta::feed_route(k)),
                })
                .collect(),
            data: a.urls.url(&Urls::page(super::data::DATA_DIR)),
            bibliography: a.urls.url(&Urls::collection(a.config.citations())),
            licence: a.config.licence.as_ref().map(|lc| NavItem {
                key: lc.id.clone().unwrap_or_else(|| lc.name.clone()),
                title: lc.name.clone(),
                url: lc.url.clone(),
            }),
        }
    }

    pub fn link(&self, r: &Record) -> LinkView {
        LinkView {
            collection: r.collection.clone(),
            id: r.id.clone(),
            title: r.title.clone(),
            url: self.atlas.urls.url(&Urls::record(&r.collection, &r.id)),
        }
    }

    fn link_to(&self, collection: &str, id: &str) -> LinkView {
        match self.atlas.get(collection, id) {
            Some(r) => self.link(r),
            None => LinkView { collection: collection.into(), id: id.into(), title: id.into(), url: String::new() },
        }
    }

    pub(super) fn spec(&self, collection: &str) -> &'a CollectionSpec {
        self.atlas.config.collection(collection).expect("known collection")
    }

    pub fn record(&self, r: &Record) -> RecordView {
        let spec = self.spec(&r.collection);
        let fields = self.fields(&r.collection, &spec.fields, &r.fields, true);
        let absent = spec.fields.keys().filter(|name| !r.fields.contains_key(*name)).cloned().collect();
        let records = &self.atlas.collections[&r.collection];
        let at = self.atlas.position(&r.collection, &r.id);
        let neighbour = |i: Option<usize>| i.and_then(|i| records.get(i)).map(|n| self.link(n));
        RecordView {
            id: r.id.clone(),
            collection: r.collection.clone(),
            title: r.title.clone(),
            url: self.atlas.urls.url(&Urls::record(&r.collection, &r.id)),
            file: r.file.clone(),
            layout: self.layout(spec, r, &fields),
            caveats: self.caveats(spec, r),
            readings: self.readings(r),
            prev: neighbour(at.and_then(|i| i.checked_sub(1))),
            next: neighbour(at.map(|i| i + 1)),
            updated: self.updated(r),
            fields,
            absent,
            body_html: r.body_html.clone(),
            backlinks: self.backlinks(r),
            untranslated: r.untranslated,
            edit_url: self.edit_url(&r.file, r.pos),
        }
    }

    /// The records that link to `r`, grouped under their headings (the schema's `inverse`
    /// labels, then "Mentioned in" and "Cited by"), each once: a record that both references
    /// `r` and mentions it in its narrative is listed under the reference's heading only.
    /// Records of a dated collection that are on `r`'s timeline are left to the timeline.
    fn backlinks(&self, r: &Record) -> Vec<BacklinkGroup> {
        let Some(list) = self.atlas.backlinks.get(&r.key()) else { return Vec::new() };
        let on_timeline = |b: &crate::model::Backlink| {
            let from = &b.from;
            self.atlas.config.collection(&from.collection).and_then(|c| c.timeline.as_ref()).is_some_and(|t| {
                self.atlas.get(&from.collection, &from.id).is_some_and(|rec| rec.period(&t.date.value).is_some())
            })
        };
        // The heading each linking record is listed under: its first specific one.
        let mut chosen: HashMap<&RecordKey, &BacklinkKind> = HashMap::new();
        for b in list {
            match chosen.get(&b.from) {
                Some(k) if !k.is_generic() || b.kind.is_generic() => {}
                _ => {
                    chosen.insert(&b.from, &b.kind);
                }
            }
        }
        let mut groups: Vec<BacklinkGroup> = Vec::new();
        let mut listed: HashSet<&RecordKey> = HashSet::new();
        for b in list {
            if chosen.get(&b.from) != Some(&&b.kind) || !listed.insert(&b.from) || on_timeline(b) {
                continue;
            }
            let link = self.link_to(&b.from.collection, &b.from.id);
            let label = match &b.kind {
                BacklinkKind::Of { collection, field } => self.locale.tf(
                    "{collection}: {field}",
                    &[("collection", &self.locale.t(collection)), ("field", &self.locale.t(field))],
                ),
                kind => self.locale.t(&kind.heading()),
            };
            match groups.iter_mut().find(|g| g.label == label) {
                Some(g) => g.items.push(link),
                None => groups.push(BacklinkGroup { label, items: vec![link] }),
            }
        }
        groups
    }

    /// Where each of a record's fields goes on its page.
    fn layout(&self, spec: &CollectionSpec, r: &Record, fields: &[FieldView]) -> Layout {
        let at = |name: &str| fields.iter().position(|f| f.name == name).map(|i| i as u32);
        let summary = spec.summary.as_ref().and_then(|f| at(&f.value));
        let infobox: Vec<u32> = spec
            .key_fields()
            .iter()
            .filter(|k| k.value != spec.title_field.value)
            .filter_map(|k| at(&k.value))
            .collect();
        let discrepancies = self.atlas.config.discrepancies();
        let published = at("published").filter(|_| discrepancies == Some(r.collection.as_str()));
        let mut layout = Layout { summary, infobox, published, ..Layout::default() };
        for (i, f) in fields.iter().enumerate() {
            let i = i as u32;
            let fspec = &spec.fields[&f.name].value;
            let item = fspec.item.as_ref().map(|s| &s.value);
            let of_type = |ty: TypeName| fspec.ty == ty || item.is_some_and(|s| s.ty == ty);
            if of_type(TypeName::Citation) {
                layout.citations.push(i);
                continue;
            }
            let names_discrepancies = of_type(TypeName::Ref)
                && discrepancies
                    .is_some_and(|d| item.unwrap_or(fspec).collection.as_ref().is_some_and(|c| c.value == d));
            if f.name == spec.title_field.value
                || Some(i) == layout.summary
                || layout.infobox.contains(&i)
                || names_discrepancies
                || (discrepancies == Some(r.collection.as_str())
                    && ["readings", "published"].contains(&f.name.as_str()))
            {
                continue;
            }
            // A list of dated items: the dated ones are on the record's timeline.
            match r.fields.get(&f.name) {
                Some(Value::List(items)) if item.is_some_and(|s| s.ty == TypeName::Object) => {
                    let dated = |v: &Value| matches!(v, Value::Object(m) if m.values().any(|x| x.period().is_some()));
                    let n = items.iter().filter(|v| dated(v)).count();
                    if n < items.len() {
                        layout.details.push((i, n > 0));
                    }
                }
                _ => layout.details.push((i, false)),
            }
        }
        layout
    }

    /// The caveats of a record's page: the discrepancies it names (each with what the atlas
    /// publishes), a point that marks only somewhere near (the collection's `map.precision`
    /// not among its `exact` values) or no point at all, and a missing translation.
    fn caveats(&self, spec: &CollectionSpec, r: &Record) -> Vec<Caveat> {
        let l = self.locale;
        let mut out = Vec::new();
        if r.untranslated {
            let default = self.atlas.config.languages().remove(0);
            out.push(Caveat {
                kind: "untranslated",
                html: escape(&l.tf(
                    "This record has not been translated into {language} yet; its text is shown in {default}.",
                    &[("language", &l.language.name), ("default", &l.t(&default.name))],
                )),
                lang: None,
            });
        }
        if let Some(d) = self.atlas.config.discrepancies() {
            let mut named = HashSet::new();
            for target in
                crate::links::refs_of(&r.fields, &self.atlas.config, &r.collection).into_iter().map(|f| f.target)
            {
                if target.collection != d || !named.insert(target.id.as_str()) {
                    continue;
                }
                let Some(issue) = self.atlas.get(&target.collection, &target.id) else { continue };
                let link = self.link(issue);
                let mut html = format!("<a href=\"{}\">{}</a>", escape(&link.url), escape(&link.title));
                let dspec = self.spec(d);
                if let (Some(v), Some(fspec)) = (issue.fields.get("published"), dspec.field("published")) {
                    html.push_str(". ");
                    match self.value(d, "published", fspec, v, false) {
                        ValueView::Text { html: h, .. } => html.push_str(&h),
                        other => html.push_str(&escape(other.text())),
                    }
                }
                let lang = (issue.untranslated && !r.untranslated).then(|| self.atlas.config.language.clone());
                out.push(Caveat { kind: "discrepancy", html, lang });
            }
        }
        let map = &spec.map;
        let point = map
            .point
            .clone()
            .or_else(|| spec.fields.iter().find(|(_, f)| f.value.ty == TypeName::Geo).map(|(name, _)| name.clone()));
        if let Some(point) = point {
            let precision = map.precision.as_ref().and_then(|p| match r.fields.get(p) {
                Some(Value::Enum(v)) => Some((p, v)),
                _ => None,
            });
            if !r.fields.contains_key(&point) {
                out.push(Caveat {
                    kind: "unmapped",
                    html: escape(&l.t("This record has no coordinates, so it is not on the maps.")),
                    lang: None,
                });
            } else if let Some((field, v)) = precision.filter(|(_, v)| !map.exact.contains(v)) {
                let what = spec.field(field).map(|f| l.t(&f.values.label(v))).unwrap_or_else(|| v.clone());
                let mut html = escape(&l.tf("The map point marks the {what}, not the exact site.", &[("what", &what)]));
                if let Some(note) = map.note.as_ref().and_then(|n| Some((n, r.fields.get(n)?))) {
                    let fspec = spec.field(note.0).expect("checked by the configuration");
                    html.push(' ');
                    match self.value(&r.collection, note.0, fspec, note.1, false) {
                        ValueView::Text { html: h, .. } => html.push_str(&h),
                        other => html.push_str(&escape(other.text())),
                    }
                }
                out.push(Caveat { kind: "approximate", html, lang: None });
            }
        }
        out
    }

    /// A discrepancy's readings, each with its source.
    fn readings(&self, r: &Record) -> Vec<ReadingView> {
        let Some(d) = self.atlas.config.discrepancies().filter(|d| *d == r.collection) else { return Vec::new() };
        let (Some(Value::List(items)), Some(fspec)) = (r.fields.get("readings"), self.spec(d).field("readings")) else {
            return Vec::new();
        };
        let Some(item) = fspec.item.as_ref() else { return Vec::new() };
        items
            .iter()
            .filter_map(|it| {
                let Value::Object(m) = it else { return None };
                let source =
                    match self.value(d, "readings", &item.value.fields.get("source")?.value, m.get("source")?, false) {
                        ValueView::Citation(c) => c,
                        _ => return None,
                    };
                let html =
                    match self.value(d, "readings", &item.value.fields.get("reading")?.value, m.get("reading")?, false)
                    {
                        ValueView::Text { html, .. } => html,
                        other => escape(other.text()),
                    };
                Some(ReadingView { source, html, adopted: matches!(m.get("adopted"), Some(Value::Bool(true))) })
            })
            .collect()
    }

    /// When the record's file last changed (in another language, the later of it and its
    /// translation's file).
    fn updated(&self, r: &Record) -> Option<DateView> {
        let dates = &self.atlas.updated;
        if dates.is_empty() {
            return None;
        }
        let mut d = dates.get(&r.file).copied();
        if !r.untranslated && self.atlas.language.code != self.atlas.config.language {
            let t = dates.get(&crate::history::translation_file(&r.file, &self.atlas.language.code)).copied();
            d = d.max(t);
        }
        d.map(|d| DateView { iso: d.iso(), text: self.locale.date(&d) })
    }

    /// "Edit this page": the file's editor, at the record's line when the file is a list.
    pub fn edit_url(&self, file: &str, at: crate::diag::Pos) -> Option<String> {
        let repo = &self.atlas.config.repository.as_ref()?.value;
        let listed = file.ends_with(".yaml") || file.ends_with(".yml");
        Some(repo.edit_link(file, (listed && at.line > 0).then_some(at.line)))
    }

    fn fields(
        &self,
        collection: &str,
        specs: &IndexMap<String, serde_saphyr::Spanned<FieldSpec>>,
        values: &IndexMap<String, Value>,
        top: bool,
    ) -> Vec<FieldView> {
        specs
            .iter()
            .filter_map(|(name, spec)| {
                let v = values.get(name)?;
                Some(FieldView {
                    name: name.clone(),
                    label: self.locale.t(&spec.value.label_for(name)),
                    lang: spec.value.lang.clone(),
                    value: self.value(collection, name, &spec.value, v, top),
                })
            })
            .collect()
    }

    /// A value as a view; `top` says the field is a record's own field (facets apply).
    pub fn value(&self, collection: &str, name: &str, spec: &FieldSpec, v: &Value, top: bool) -> ValueView {
        let facet = top && self.spec(collection).facets.iter().any(|f| f.value == name);
        match v {
            Value::Str(s) => ValueView::String { text: s.clone() },
            Value::Text(md, _) => {
                let html = markdown::render(md, &self.atlas.resolver(), true).html;
                ValueView::Text { text: md.clone(), html }
            }
            Value::Int(i) => ValueView::Number { text: self.locale.integer(*i), value: *i as f64 },
            Value::Num(n) => ValueView::Number { text: self.locale.number(*n), value: *n },
            Value::Bool(b) => ValueView::Bool { value: *b, text: self.locale.t(if *b { "yes" } else { "no" }) },
            Value::Url(u) => ValueView::Url { href: u.clone(), text: u.clone() },
            Value::Enum(e) => ValueView::Enum {
                rank: spec.values.iter().position(|c| c == e).unwrap_or(0),
                value: e.clone(),
                text: self.locale.t(&spec.values.label(e)),
                url: facet.then(|| self.atlas.urls.url(&Urls::facet(collection, name, e))),
            },
            Value::Date(d) => ValueView::Date { iso: d.iso(), text: self.locale.date(d), precision: d.precision() },
            Value::Period(p) => ValueView::Period(Box::new(PeriodView {
                iso: p.iso(),
                text: self.locale.period(p),
                start: p.start.iso(),
                end: p.end.map(|e| e.iso()),
            })),
            Value::Image(p) => {
                let resolve = self.atlas.resolver();
                let text = |md: &Option<(String, crate::diag::Pos)>| {
                    md.as_ref().map(|(t, _)| markdown::render(t, &resolve, true).html)
                };
                let html = crate::images::figure_html(
                    &p.image,
                    self.atlas.urls.root_path(),
                    &p.alt,
                    text(&p.caption).as_deref(),
                    text(&p.credit).as_deref(),
                );
                ValueView::Text { text: p.alt.clone(), html }
            }
            Value::Geo(g) => ValueView::Geo { lat: g.lat, lon: g.lon, text: self.locale.point(g.lat, g.lon) },
            Value::Ref(r) => {
                let link = self.link_to(&r.collection, &r.id);
                ValueView::Ref { text: link.title.clone(), link: Box::new(link) }
            }
            Value::Citation(c) => {
                let source = self.link_to(&c.source.collection, &c.source.id);
                let label = self.atlas.cite_labels.get(&c.source.id).cloned().unwrap_or_else(|| source.title.clone());
                let text = match &c.loc {
                    Some(l) => format!("{label}, {l}"),
                    None => label.clone(),
                };
                ValueView::Citation(Box::new(CitationView {
                    text,
                    label,
                    source,
                    loc: c.loc.clone(),
                    cites: c
                        .cites
                        .iter()
                        .map(|r| {
                            let mut l = self.link_to(&r.collection, &r.id);
                            if let Some(lbl) = self.atlas.cite_labels.get(&r.id) {
                                l.title = lbl.clone();
                            }
                            l
                        })
                        .collect(),
                    note: c.note.as_ref().map(|n| markdown::render(n, &self.atlas.resolver(), true).html),
                }))
            }
            Value::List(items) => {
                let item_spec = spec.item.as_ref().map(|s| &s.value).unwrap_or(spec);
                let items: Vec<ValueView> =
                    items.iter().map(|i| self.value(collection, name, item_spec, i, top)).collect();
                ValueView::List { text: self.locale.list(&items.iter().map(|i| i.text()).collect::<Vec<_>>()), items }
            }
            Value::Object(map) => {
                let fields = self.fields(collection, &spec.fields, map, false);
                ValueView::Object {
                    text: fields.iter().map(|f| f.value.text().to_string()).collect::<Vec<_>>().join("; "),
                    fields,
                }
            }
        }
    }

    pub fn collection(&self, name: &str) -> CollectionView {
        self.collection_with(name, |field| self.facet(name, field))
    }

    /// A collection's view after an edit that changed the records at `positions` (ascending)
    /// but moved no record of it: `prev`, its view before, with its facets brought up to date
    /// for those records only.
    pub fn collection_patched(&self, name: &str, prev: &CollectionView, positions: &[usize]) -> CollectionView {
        self.collection_with(name, |field| match prev.facets.iter().find(|f| f.field == field) {
            Some(f) => self.facet_patched(name, f, positions),
            None => self.facet(name, field),
        })
    }

    fn collection_with(&self, name: &str, mut facet: impl FnMut(&str) -> FacetView) -> CollectionView {
        let spec = self.spec(name);
        let records = &self.atlas.collections[name];
        CollectionView {
            name: name.into(),
            title: self.locale.t(&spec.title),
            singular: self.locale.t(&spec.singular),
            description: self.locale.t(&spec.description),
            url: self.atlas.urls.url(&Urls::collection(name)),
            count: records.len(),
            columns: {
                let key: Vec<&str> = spec
                    .key_fields()
                    .iter()
                    .map(|k| k.value.as_str())
                    .filter(|k| spec.columns.iter().any(|c| c.value == *k))
                    .take(3)
                    .collect();
                spec.columns
                    .iter()
                    .map(|c| {
                        let f = spec.field(&c.value);
                        ColumnView {
                            name: c.value.clone(),
                            label: f.map(|f| self.locale.t(&f.label_for(&c.value))).unwrap_or_default(),
                            lang: f.and_then(|f| f.lang.clone()),
                            key: key.contains(&c.value.as_str()),
                        }
                    })
                    .collect()
            },
            title_field: spec.title_field.value.clone(),
            facets: spec.facets.iter().map(|f| facet(&f.value)).collect(),
            sort: spec.sort.iter().map(|s| s.value.clone()).collect(),
        }
    }
}
