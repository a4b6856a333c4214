//! A collection's facets: each value a field takes, with the records that have it and a page
//! of its own. Values are keyed by what makes their URL (`urls::facet_slug`), so keys that
//! differ only in case or accents are one value. A full render reads every record; after an
//! edit that moved no record, the previous values are brought up to date for the edited ones.

use super::views::{CollectionView, FacetValueView, FacetView, ValueView, Views};
use crate::config::TypeName;
use crate::model::Record;
use crate::urls::{Route, Urls, facet_slug};
use crate::validate::Value;
use std::borrow::Cow;
use std::collections::HashMap;

impl<'a> Views<'a> {
    /// A facet's values, with counts, in the order [`Views::order_facet`] gives.
    pub fn facet(&self, collection: &str, field: &str) -> FacetView {
        let mut values: Vec<FacetValueView> = Vec::new();
        // Most values carry their keys, borrowed here from the records; only a value seen for
        // the first time, or one of another kind, needs its view (for the text it shows).
        let mut seen: HashMap<Cow<'a, str>, usize> = HashMap::new();
        for (i, r) in self.atlas.collections[collection].iter().enumerate() {
            for (key, text) in self.facet_keys(collection, field, r) {
                let id = match &key {
                    Cow::Borrowed(k) => facet_slug(k),
                    Cow::Owned(k) => Cow::Owned(facet_slug(k).into_owned()),
                };
                if let Some(&at) = seen.get(id.as_ref()) {
                    values[at].count += 1;
                    values[at].members.push(i);
                    continue;
                }
                let text = text.unwrap_or_else(|| self.facet_text(collection, field, r, &key));
                seen.insert(id, values.len());
                values.push(FacetValueView {
                    url: self.atlas.urls.url(&Urls::facet(collection, field, &key)),
                    key: key.into_owned(),
                    text,
                    count: 1,
                    members: vec![i],
                });
            }
        }
        self.order_facet(collection, field, &mut values);
        self.facet_view(collection, field, values)
    }

    /// `prev` brought up to date for the records at `positions` (ascending), which an edit
    /// changed without moving any record of the collection: they leave the values they had
    /// and join the ones they have; the values whose members changed take their text again.
    pub(super) fn facet_patched(&self, collection: &str, prev: &FacetView, positions: &[usize]) -> FacetView {
        let records = &self.atlas.collections[collection];
        let field = prev.field.as_str();
        let mut values = prev.values.clone();
        let mut touched: Vec<String> = Vec::new();
        for v in &mut values {
            let before = v.members.len();
            v.members.retain(|m| positions.binary_search(m).is_err());
            if v.members.len() != before {
                touched.push(facet_slug(&v.key).into_owned());
            }
        }
        for &i in positions {
            for (key, _) in self.facet_keys(collection, field, &records[i]) {
                let id = facet_slug(&key);
                match values.iter_mut().find(|v| facet_slug(&v.key) == id) {
                    Some(v) => {
                        let at = v.members.partition_point(|&m| m <= i);
                        v.members.insert(at, i);
                    }
                    None => values.push(FacetValueView {
                        url: self.atlas.urls.url(&Urls::facet(collection, field, &key)),
                        key: key.to_string(),
                        text: String::new(),
                        count: 0,
                        members: vec![i],
                    }),
                }
                touched.push(id.into_owned());
            }
        }
        values.retain(|v| !v.members.is_empty());
        for v in &mut values {
            v.count = v.members.len();
            if touched.iter().any(|t| *t == facet_slug(&v.key)) {
                // The first record to show a value gives its key and text.
                let first = &records[v.members[0]];
                let id = facet_slug(&v.key).into_owned();
                if let Some((key, _)) =
                    self.facet_keys(collection, field, first).into_iter().find(|(k, _)| facet_slug(k) == id)
                {
                    v.key = key.into_owned();
                }
                v.text = self.facet_text(collection, field, first, &v.key);
            }
        }
        self.order_facet(collection, field, &mut values);
        self.facet_view(collection, field, values)
    }

    /// A record's keys of a facet, each with its text when making the key gave it.
    fn facet_keys(&self, collection: &str, field: &str, r: &'a Record) -> Vec<(Cow<'a, str>, Option<String>)> {
        let fields = r.canonical.as_ref().unwrap_or(&r.fields);
        let Some(v) = fields.get(field).filter(|_| self.spec(collection).field(field).is_some()) else {
            return Vec::new();
        };
        match plain_facet_keys(v) {
            Some(keys) => keys.into_iter().map(|k| (Cow::Borrowed(k), None)).collect(),
            None => {
                facet_values(self, collection, field, r).into_iter().map(|(k, t)| (Cow::Owned(k), Some(t))).collect()
            }
        }
    }

    /// The text a facet value shows, as record `r` (its first) has it.
    fn facet_text(&self, collection: &str, field: &str, r: &Record, key: &str) -> String {
        let all = facet_values(self, collection, field, r);
        all.into_iter().find(|(k, _)| k == key).map(|(_, t)| t).unwrap_or_else(|| key.to_string())
    }

    /// Orders a facet's values: an enum's in the schema's order, which is meaningful
    /// (international before bilateral), others by their keys; values that tie keep the order
    /// the sorted records first show them in.
    fn order_facet(&self, collection: &str, field: &str, values: &mut [FacetValueView]) {
        let records = &self.atlas.collections[collection];
        let first_seen = |v: &FacetValueView| {
            let first = v.members[0];
            let id = facet_slug(&v.key);
            let within =
                self.facet_keys(collection, field, &records[first]).iter().position(|(k, _)| facet_slug(k) == id);
            (first, within)
        };
        let spec = self.spec(collection).field(field);
        match spec.filter(|f| f.ty == TypeName::Enum) {
            Some(f) => values.sort_by_cached_key(|v| {
                (f.values.iter().position(|e| *e == v.key).unwrap_or(usize::MAX), String::new(), first_seen(v))
            }),
            None => values.sort_by_cached_key(|v| (0, crate::ids::slug(&v.key), first_seen(v))),
        }
    }

    fn facet_view(&self, collection: &str, field: &str, values: Vec<FacetValueView>) -> FacetView {
        let spec = self.spec(collection);
        FacetView {
            field: field.into(),
            label: spec.field(field).map(|f| self.locale.t(&f.label_for(field))).unwrap_or_default(),
            url: self.atlas.urls.url(&Urls::facet_index(collection, field)),
            values,
        }
    }
}

/// The facet keys of a value that holds them as they are (text, enum values, references, and
/// lists of these); `None` for other kinds, whose keys come from their views.
fn plain_facet_keys(v: &Value) -> Option<Vec<&str>> {
    fn plain(v: &Value) -> Option<&str> {
        match v {
            Value::Str(s) | Value::Enum(s) => Some(s),
            Value::Ref(r) => Some(&r.id),
            _ => None,
        }
    }
    match v {
        Value::List(items) => items.iter().map(plain).collect(),
        one => plain(one).map(|k| vec![k]),
    }
}

/// The facet values of a record's field as (key, display text). The key makes the facet's
/// URL and is the same in every language: it is read off the default language's value (an
/// enum's value, a reference's id, a bool's yes or no, a date's ISO form, else the text), and
/// the text off the value in the page's language.
pub fn facet_values(views: &Views, collection: &str, field: &str, r: &Record) -> Vec<(String, String)> {
    let Some(v) = r.fields.get(field) else {
        return vec![];
    };
    let canonical = r.canonical.as_ref().and_then(|c| c.get(field)).unwrap_or(v);
    let spec = views.atlas.config.collection(collection).and_then(|c| c.field(field));
    let Some(spec) = spec else { return vec![] };
    let texts: Vec<String> = match views.value(collection, field, spec, v, false) {
        ValueView::List { items, .. } => items.iter().map(|i| i.text().to_string()).collect(),
        other => vec![other.text().to_string()],
    };
    let keys: Vec<String> = match canonical {
        Value::List(items) => items.iter().map(facet_key).collect(),
        one => vec![facet_key(one)],
    };
    keys.into_iter().zip(texts).collect()
}

/// The language-independent key of one value of a facet.
fn facet_key(v: &Value) -> String {
    match v {
        Value::Str(s) | Value::Enum(s) | Value::Url(s) | Value::Text(s, _) => s.clone(),
        Value::Ref(r) => r.id.clone(),
        Value::Bool(b) => (if *b { "yes" } else { "no" }).into(),
        Value::Int(i) => i.to_string(),
        Value::Num(n) => n.to_string(),
        Value::Date(d) => d.iso(),
        Value::Period(p) => p.iso(),
        Value::Geo(g) => format!("{},{}", g.lat, g.lon),
        Value::Citation(c) => c.source.id.clone(),
        Value::Image(p) => p.image.path.clone(),
        Value::List(_) | Value::Object(_) => String::new(),
    }
}

/// The facet pages of `old` that `new` has no more.
pub(super) fn vanished(old: &CollectionView, new: &CollectionView) -> Vec<Route> {
    let mut gone = Vec::new();
    for f in &old.facets {
        let now = new.facets.iter().find(|n| n.field == f.field);
        for v in &f.values {
            let id = facet_slug(&v.key);
            if !now.is_some_and(|n| n.values.iter().any(|w| facet_slug(&w.key) == id)) {
                gone.push(Urls::facet(&old.name, &f.field, &v.key));
            }
        }
    }
    gone
}
