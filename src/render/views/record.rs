//! A record as its page shows it: fields and values in schema order, backlinks grouped by
//! relation, the lead-first layout, caveats, readings and the last change.

use super::*;
use crate::config::{CollectionSpec, FieldSpec, TypeName};
use crate::html::escape;
use crate::markdown;
use crate::model::{BacklinkKind, Record, RecordKey};
use crate::urls::Urls;
use crate::validate::Value;
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};

impl Views<'_> {
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
                // Locators are keyed in the language tables like the atlas's labels ("Table 1":
                // "Bảng 1"); one without a translation is shown as written.
                let loc = c.loc.as_deref().map(|l| self.locale.t(l));
                let text = match &loc {
                    Some(l) => format!("{label}, {l}"),
                    None => label.clone(),
                };
                ValueView::Citation(Box::new(CitationView {
                    text,
                    label,
                    source,
                    loc,
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
                    note: c
                        .note
                        .as_ref()
                        .map(|n| markdown::render(&self.locale.t(n), &self.atlas.resolver(), true).html),
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
}
