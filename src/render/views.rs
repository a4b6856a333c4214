//! Typed views handed to templates. Every template context is built here, from the model,
//! so templates see one consistent shape: a record's `fields` (present values, schema order),
//! its `data` (every schema field, `none` when absent, so strict templates can test them),
//! `backlinks` grouped under their headings, and values tagged by `kind`.

use crate::config::{CollectionSpec, FieldSpec};
use crate::i18n::Locale;
use crate::markdown;
use crate::model::{Atlas, Record};
use crate::urls::Urls;
use crate::validate::Value;
use indexmap::IndexMap;
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
    /// An enum value; `url` is its facet page when the field is a facet.
    Enum {
        value: String,
        text: String,
        url: Option<String>,
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
/// `data`, `body_html`, `backlinks`, `untranslated` and `edit_url`.
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
    pub backlinks: Vec<BacklinkGroup>,
    /// Shown in the default language for want of a translation.
    pub untranslated: bool,
    /// The address that edits the record's file, when the atlas names its repository.
    pub edit_url: Option<String>,
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
}

/// A column of an index table.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    pub name: String,
    pub label: String,
    pub lang: Option<String>,
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
        let mut backlinks: Vec<BacklinkGroup> = Vec::new();
        for b in self.atlas.backlinks.get(&r.key()).into_iter().flatten() {
            let link = self.link_to(&b.collection, &b.id);
            let label = self.locale.t(&b.label);
            match backlinks.iter_mut().find(|g| g.label == label) {
                Some(g) => g.items.push(link),
                None => backlinks.push(BacklinkGroup { label, items: vec![link] }),
            }
        }
        RecordView {
            id: r.id.clone(),
            collection: r.collection.clone(),
            title: r.title.clone(),
            url: self.atlas.urls.url(&Urls::record(&r.collection, &r.id)),
            file: r.file.clone(),
            fields,
            absent,
            body_html: r.body_html.clone(),
            backlinks,
            untranslated: r.untranslated,
            edit_url: self.edit_url(&r.file, r.pos),
        }
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
            columns: spec
                .columns
                .iter()
                .map(|c| {
                    let f = spec.field(&c.value);
                    ColumnView {
                        name: c.value.clone(),
                        label: f.map(|f| self.locale.t(&f.label_for(&c.value))).unwrap_or_default(),
                        lang: f.and_then(|f| f.lang.clone()),
                    }
                })
                .collect(),
            title_field: spec.title_field.value.clone(),
            facets: spec.facets.iter().map(|f| facet(&f.value)).collect(),
        }
    }
}
