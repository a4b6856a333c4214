//! Timelines: a dated collection grouped by era and year, and each record's own history (the
//! dated records that name it, plus the dated entries of its own lists, such as a gate's status
//! history). Dates keep their precision, spans read "October 1977 – June 1978", and entries of
//! the same date keep the collection's order.

use super::views::{LinkView, ValueView, Views};
use crate::config::{Era, TimelineSpec, TypeName};
use crate::date::Period;
use crate::ids::slug;
use crate::model::Record;
use crate::validate::Value;
use serde::Serialize;

/// One dated entry.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    #[serde(skip)]
    period: Period,
    /// ISO form and reading form of the date.
    pub iso: String,
    pub date: String,
    /// A single date known only to the year: the year heading already says it, so the
    /// timeline does not write it twice ("1887 | 1887").
    pub year_only: bool,
    pub title: String,
    /// The entry's own page, for records; none for a line of a record's history.
    pub url: Option<String>,
    /// Value of the filter field (`treaty`), and how it reads (`treaty`).
    pub kind: Option<String>,
    pub kind_text: Option<String>,
    /// Rendered summary (inline HTML), when the record has a text field.
    pub summary: Option<String>,
    /// Records the entry concerns (gates, corridors…), not its sources.
    pub links: Vec<LinkView>,
    /// Citations of a history line, as links.
    pub sources: Vec<LinkView>,
    /// The fields the timeline asks to show (`show`), as label and text.
    pub details: Vec<Detail>,
}

/// A labelled field of an entry ("Actors: Vietnam, China").
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    pub label: String,
    pub text: String,
}

/// A year of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Year {
    pub year: i32,
    pub entries: Vec<Entry>,
}

/// An era of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct EraView {
    pub id: String,
    pub title: String,
    /// "1887–1944", "2010–".
    pub span: String,
    pub count: usize,
    pub years: Vec<Year>,
}

/// A value readers can filter by, with how many entries have it.
#[derive(Debug, Clone, Serialize)]
pub struct FilterValue {
    pub value: String,
    pub text: String,
    pub count: usize,
}

/// A whole timeline, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    pub filter_label: Option<String>,
    pub filters: Vec<FilterValue>,
    pub eras: Vec<EraView>,
    pub count: usize,
    /// The time axis above a collection's timeline (none on a record's own timeline).
    pub axis: Option<Axis>,
}

/// A bar of the time axis: a year, decade or century, with how many entries fall in it.
#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    /// "1990s", "Thập niên 1990", "1990年代": what the tick under the bar says.
    pub label: String,
    /// The tick on a phone, where a bar is a few pixels wide: the bucket's first year ("1990"),
    /// the axis's title saying what a bar spans.
    pub short: String,
    /// What the bar's link is called: "1990s: 12 events".
    pub name: String,
    pub count: usize,
    /// The anchor of the bucket's first year on the list; none for an empty bucket.
    pub anchor: Option<String>,
    /// Height of the bar, in percent of the fullest bucket's (at least a sliver when not empty).
    pub height: u32,
}

/// Density of a timeline over time: one bucket per year, decade or century, chosen so that a
/// span fits in a few dozen bars (a 140-year span reads in 15 decades), each bar a link to its
/// first entry, so a reader reaches a decade in one move.
#[derive(Debug, Clone, Serialize)]
pub struct Axis {
    /// "Events by decade", in the page's language.
    pub title: String,
    pub buckets: Vec<Bucket>,
}

/// The anchor of a year on a collection's timeline (the template writes the same id).
fn year_anchor(year: i32) -> String {
    format!("year-{year}")
}

/// The time axis of sorted entries.
fn axis(locale: &crate::i18n::Locale, entries: &[Entry]) -> Option<Axis> {
    let first = entries.first()?.period.start.year;
    let last = entries.last()?.period.start.year;
    let span = last - first;
    let (step, title) = match span {
        ..=40 => (1, "Events by year"),
        41..=400 => (10, "Events by decade"),
        _ => (100, "Events by century"),
    };
    let start = first.div_euclid(step) * step;
    let mut buckets: Vec<(i32, usize, Option<i32>)> = Vec::new();
    let mut b = start;
    while b <= last {
        let in_bucket = entries.iter().filter(|e| e.period.start.year.div_euclid(step) * step == b);
        let years: Vec<i32> = in_bucket.map(|e| e.period.start.year).collect();
        buckets.push((b, years.len(), years.first().copied()));
        b += step;
    }
    let max = buckets.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let buckets = buckets
        .into_iter()
        .map(|(b, count, first_year)| {
            let year = b.to_string();
            // A century's tick is its first year, short enough for a phone; its name spans it.
            let (label, what) = match step {
                1 => (year.clone(), year),
                10 => {
                    let decade = locale.tf("{decade}s", &[("decade", &year)]);
                    (decade.clone(), decade)
                }
                _ => (year, format!("{b}–{}", b + step - 1)),
            };
            let name = locale.count("{what}: {count} events", count as i64).replace("{what}", &what);
            let height = if count == 0 { 0 } else { ((count * 100).div_ceil(max) as u32).max(4) };
            Bucket { label, short: b.to_string(), name, count, anchor: first_year.map(year_anchor), height }
        })
        .collect();
    Some(Axis { title: locale.t(title), buckets })
}

/// The entry for a record of a timeline collection.
pub fn record_entry(views: &Views, spec: &TimelineSpec, r: &Record) -> Option<Entry> {
    let period = r.period(&spec.date.value)?;
    let cspec = views.atlas.config.collection(&r.collection)?;
    let (kind, kind_text) = match spec.filter.as_ref().and_then(|f| r.fields.get(&f.value)) {
        Some(Value::Enum(v)) => {
            let label = spec.filter.as_ref().and_then(|f| cspec.field(&f.value)).map(|f| f.values.label(v));
            (Some(v.clone()), Some(views.locale.t(&label.unwrap_or_else(|| v.clone()))))
        }
        _ => (None, None),
    };
    let summary = cspec.fields.iter().find(|(_, f)| f.value.ty == TypeName::Text).and_then(|(name, f)| {
        match views.value(&r.collection, name, &f.value, r.fields.get(name)?, false) {
            ValueView::Text { html, .. } => Some(html),
            _ => None,
        }
    });
    let citations = views.atlas.config.citations();
    let mut links: Vec<LinkView> = Vec::new();
    for t in crate::links::refs_of(&r.fields, &views.atlas.config, &r.collection).into_iter().map(|f| f.target) {
        if t.collection != citations
            && !links.iter().any(|l| l.collection == t.collection && l.id == t.id)
            && let Some(target) = views.atlas.get(&t.collection, &t.id)
        {
            links.push(views.link(target));
        }
    }
    let details = spec
        .show
        .iter()
        .filter_map(|f| {
            let fspec = cspec.field(&f.value)?;
            let view = views.value(&r.collection, &f.value, fspec, r.fields.get(&f.value)?, false);
            Some(Detail { label: views.locale.t(&fspec.label_for(&f.value)), text: view.text().to_string() })
        })
        .collect();
    Some(Entry {
        period,
        iso: period.start.iso(),
        year_only: period.end.is_none() && period.start.precision() == crate::date::Precision::Year,
        date: views.locale.period(&period),
        title: r.title.clone(),
        url: Some(views.link(r).url),
        kind,
        kind_text,
        summary,
        links,
        sources: vec![],
        details,
    })
}

/// The dated lines of a record's own lists (a status history, milestones).
pub fn own_entries(views: &Views, r: &Record) -> Vec<Entry> {
    let Some(spec) = views.atlas.config.collection(&r.collection) else { return vec![] };
    let mut out = Vec::new();
    for (name, field) in &spec.fields {
        let Some(Value::List(items)) = r.fields.get(name) else { continue };
        let Some(item) = field.value.item.as_ref().filter(|i| i.value.ty == TypeName::Object) else { continue };
        for it in items {
            let Value::Object(map) = it else { continue };
            let Some(period) = map.values().find_map(Value::period) else { continue };
            let mut words = Vec::new();
            let mut sources = Vec::new();
            for (k, v) in map {
                let Some(fspec) = item.value.fields.get(k) else { continue };
                match views.value(&r.collection, k, &fspec.value, v, false) {
                    ValueView::Date { .. } | ValueView::Period(_) => {}
                    ValueView::List { items, .. } if items.iter().all(|i| matches!(i, ValueView::Citation(_))) => {
                        for i in items {
                            if let ValueView::Citation(c) = i {
                                let c = *c;
                                sources.push(LinkView { title: c.label, ..c.source });
                            }
                        }
                    }
                    other => words.push(other.text().to_string()),
                }
            }
            out.push(Entry {
                period,
                iso: period.start.iso(),
                year_only: period.end.is_none() && period.start.precision() == crate::date::Precision::Year,
                date: views.locale.period(&period),
                title: match words.as_slice() {
                    [label, rest @ ..] if !rest.is_empty() => views.locale.labelled(label, &views.locale.list(rest)),
                    _ => words.join(""),
                },
                url: None,
                kind: None,
                kind_text: Some(views.locale.t(&field.value.label_for(name))),
                summary: None,
                links: vec![],
                sources,
                details: vec![],
            });
        }
    }
    out
}

/// Sorts entries by date, keeping the given order among equal dates.
fn sort(entries: &mut [Entry]) {
    entries.sort_by_key(|e| e.period);
}

/// Groups entries into eras and years. Without eras, one era holds everything.
pub fn group(
    locale: &crate::i18n::Locale,
    mut entries: Vec<Entry>,
    eras: &[Era],
    filter_label: Option<String>,
    filter_values: &crate::config::EnumValues,
) -> TimelineView {
    sort(&mut entries);
    let count = entries.len();
    let mut filters: Vec<FilterValue> = filter_values
        .iter()
        .map(|v| FilterValue {
            value: v.clone(),
            text: locale.t(&filter_values.label(v)),
            count: entries.iter().filter(|e| e.kind.as_deref() == Some(v)).count(),
        })
        .collect();
    filters.retain(|f| f.count > 0);
    let era_of = |year: i32| eras.iter().rposition(|e| e.start <= year);
    let mut out: Vec<EraView> = Vec::new();
    for e in entries {
        let year = e.period.start.year;
        let i = era_of(year);
        let (id, title, span) = match i {
            Some(i) => {
                let era = &eras[i];
                let end = eras.get(i + 1).map(|n| (n.start - 1).to_string()).unwrap_or_default();
                // The anchor comes from the default language's title: the same in every language.
                (slug(&era.title), locale.t(&era.title), format!("{}–{end}", era.start))
            }
            None if eras.is_empty() => ("all".into(), locale.t("All dates"), String::new()),
            None => ("earlier".into(), locale.t("Earlier"), format!("–{}", eras[0].start - 1)),
        };
        if out.last().is_none_or(|l| l.id != id) {
            out.push(EraView { id, title, span, count: 0, years: vec![] });
        }
        let era = out.last_mut().expect("just pushed");
        era.count += 1;
        if era.years.last().is_none_or(|y| y.year != year) {
            era.years.push(Year { year, entries: vec![] });
        }
        era.years.last_mut().expect("just pushed").entries.push(e);
    }
    TimelineView { filter_label, filters, eras: out, count, axis: None }
}

/// The timeline of a whole collection.
pub fn collection_timeline(views: &Views, collection: &str) -> Option<TimelineView> {
    let cspec = views.atlas.config.collection(collection)?;
    let spec = cspec.timeline.as_ref()?;
    let entries: Vec<Entry> =
        views.atlas.collections[collection].iter().filter_map(|r| record_entry(views, spec, r)).collect();
    let (label, values) = match &spec.filter {
        Some(f) => (
            cspec.field(&f.value).map(|s| views.locale.t(&s.label_for(&f.value))),
            cspec.field(&f.value).map(|s| s.values.clone()).unwrap_or_default(),
        ),
        None => (None, Default::default()),
    };
    let mut tl = group(views.locale, entries, &spec.eras, label, &values);
    let sorted: Vec<Entry> = tl.eras.iter().flat_map(|e| &e.years).flat_map(|y| y.entries.iter().cloned()).collect();
    tl.axis = axis(views.locale, &sorted);
    Some(tl)
}

/// A record's own timeline: dated records that link to it, and its own dated history. A line
/// of its history dated as a record that links to it is the same happening told twice (a
/// gate's status changing on the day of the agreement that changed it): it is told once, as
/// that record's entry, with the line's words added to it.
pub fn record_timeline(views: &Views, r: &Record) -> Option<TimelineView> {
    let own = own_entries(views, r);
    let mut entries = Vec::new();
    if let Some(backlinks) = views.atlas.backlinks.get(&r.key()) {
        // A record linked more than once (under several headings) is one entry.
        let mut listed = std::collections::HashSet::new();
        for b in backlinks {
            let Some(spec) = views.atlas.config.collection(&b.from.collection).and_then(|c| c.timeline.as_ref()) else {
                continue;
            };
            if !listed.insert(&b.from) {
                continue;
            }
            if let Some(e) =
                views.atlas.get(&b.from.collection, &b.from.id).and_then(|rec| record_entry(views, spec, rec))
            {
                entries.push(e);
            }
        }
    }
    for line in own {
        match entries.iter_mut().find(|e| e.url.is_some() && e.period == line.period) {
            Some(e) => e.details.push(Detail {
                label: line.kind_text.unwrap_or_default(),
                text: super::search::plain_text(&line.title),
            }),
            None => entries.push(line),
        }
    }
    (!entries.is_empty()).then(|| group(views.locale, entries, &[], None, &Default::default()))
}
