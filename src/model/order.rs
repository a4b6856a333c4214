//! The default order of a collection's records: by its `sort` fields, missing values last, then
//! by title and id, so the same atlas always lists the same way. Part of the model: a build
//! sorts every collection with it, a patch moves the edited records with it.

use super::{Atlas, Record, RecordKey, Titles};
use crate::config::TypeName;
use crate::ids::slug;
use crate::validate::Value;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// A value reduced to something comparable, for sorting index tables.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum SortKey {
    Num(f64),
    Date(crate::date::Period),
    Text(String),
}

/// `field` is the value's schema: an enum sorts by where its value stands in the schema's
/// list (a status by rank), not by its code.
fn sort_key(v: &Value, field: Option<&crate::config::FieldSpec>, titles: &dyn Titles) -> Option<SortKey> {
    Some(match v {
        Value::Enum(s) if field.is_some_and(|f| f.values.contains(s)) => {
            SortKey::Num(field.and_then(|f| f.values.iter().position(|c| c == s)).unwrap_or(0) as f64)
        }
        Value::Int(i) => SortKey::Num(*i as f64),
        Value::Num(n) => SortKey::Num(*n),
        Value::Date(d) => SortKey::Date(crate::date::Period { start: *d, end: None }),
        Value::Period(p) => SortKey::Date(*p),
        Value::Bool(b) => SortKey::Num(if *b { 0.0 } else { 1.0 }),
        Value::Ref(r) => SortKey::Text(slug(titles.title(&r.collection, &r.id).unwrap_or(&r.id))),
        Value::List(items) => {
            let item = field.and_then(|f| f.item.as_ref()).map(|i| &i.value);
            return items.first().and_then(|i| sort_key(i, item, titles));
        }
        Value::Str(s) | Value::Text(s, _) | Value::Url(s) | Value::Enum(s) => SortKey::Text(slug(s)),
        Value::Geo(_) | Value::Image(_) | Value::Citation(_) | Value::Object(_) => return None,
    })
}

/// A record's values of the `sort` fields, comparable.
fn ord_keys(r: &Record, spec: &crate::config::CollectionSpec, titles: &dyn Titles) -> OrdKeys {
    OrdKeys(
        spec.sort
            .iter()
            .map(|k| r.fields.get(&k.value).and_then(|v| sort_key(v, spec.field(&k.value), titles)))
            .collect(),
    )
}

/// Sorts by the collection's `sort` fields (missing values last), then title, then id.
pub(super) fn sort_records(records: &mut Vec<Record>, spec: &crate::config::CollectionSpec, titles: &dyn Titles) {
    let cached: Vec<OrdKeys> = records.par_iter().map(|r| ord_keys(r, spec, titles)).collect();
    // Titles break ties only, so each is folded when first needed, and most never are.
    let folded: Vec<std::sync::OnceLock<String>> = records.iter().map(|_| std::sync::OnceLock::new()).collect();
    let title = |i: usize| folded[i].get_or_init(|| slug(&records[i].title));
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.par_sort_by(|&a, &b| {
        cached[a].cmp(&cached[b]).then_with(|| title(a).cmp(title(b))).then_with(|| records[a].id.cmp(&records[b].id))
    });
    let mut taken: Vec<Option<Record>> = records.drain(..).map(Some).collect();
    records.extend(order.into_iter().filter_map(|i| taken[i].take()));
}

/// Moves the record at `at` to where the collection's order puts it, the others keeping
/// theirs (a patched record whose title or sort fields changed); returns its new position.
/// The rest must be in order, as [`sort_records`] leaves them.
pub(super) fn reposition(
    records: &mut Vec<Record>,
    at: usize,
    spec: &crate::config::CollectionSpec,
    titles: &dyn Titles,
) -> usize {
    let before = |a: &Record, b: &Record| {
        ord_keys(a, spec, titles)
            .cmp(&ord_keys(b, spec, titles))
            .then_with(|| slug(&a.title).cmp(&slug(&b.title)))
            .then_with(|| a.id.cmp(&b.id))
            == Ordering::Less
    };
    let in_place = (at == 0 || before(&records[at - 1], &records[at]))
        && (at + 1 == records.len() || before(&records[at], &records[at + 1]));
    if in_place {
        return at;
    }
    let r = records.remove(at);
    let to = records.partition_point(|x| before(x, &r));
    records.insert(to, r);
    to
}

impl Atlas {
    /// Puts the edited records where their collections' order wants them now. One edited
    /// record of a collection moves to its place; where several were edited (a YAML list
    /// saved), or a new title moves whatever sorts by a reference to it, the collection is
    /// sorted again.
    /// Returns the collections whose order changed.
    pub(super) fn reorder(&mut self, keys: &[RecordKey], retitled: bool) -> HashSet<String> {
        let config = &self.config;
        let by_ref = |name: &str| {
            let spec = config.collection(name).expect("a known collection");
            spec.sort.iter().any(|s| {
                spec.field(&s.value).is_some_and(|f| {
                    f.ty == TypeName::Ref || f.item.as_ref().is_some_and(|i| i.value.ty == TypeName::Ref)
                })
            })
        };
        let edited_in = |name: &str| keys.iter().filter(|k| k.collection == name).count();
        let resorted: Vec<String> =
            config.collections.keys().filter(|c| edited_in(c) > 1 || (retitled && by_ref(c))).cloned().collect();
        // Titles for the sorts by reference, taken before anything moves.
        let titles: HashMap<RecordKey, String> =
            if config.collections.keys().any(|c| edited_in(c) > 0 && by_ref(c)) || !resorted.is_empty() {
                self.records().map(|r| (r.key(), r.title.clone())).collect()
            } else {
                HashMap::new()
            };
        let mut reordered: Vec<String> = Vec::new();
        let mut moved: HashSet<String> = HashSet::new();
        for k in keys.iter().filter(|k| !resorted.contains(&k.collection)) {
            let spec = config.collection(&k.collection).expect("a known collection");
            let at = self.index[&k.collection][&k.id];
            let to =
                reposition(self.collections.get_mut(&k.collection).expect("a known collection"), at, spec, &titles);
            if to != at {
                moved.insert(k.collection.clone());
                let ids = self.index.get_mut(&k.collection).expect("a known collection");
                for (i, r) in self.collections[&k.collection].iter().enumerate().take(at.max(to) + 1).skip(at.min(to)) {
                    *ids.get_mut(&r.id).expect("the same ids") = i;
                }
            }
        }
        for name in &resorted {
            let spec = config.collection(name).expect("a known collection");
            let records = self.collections.get_mut(name).expect("a known collection");
            let before: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
            sort_records(records, spec, &titles);
            if records.iter().map(|r| &r.id).ne(before.iter()) {
                let ids = self.index.get_mut(name).expect("a known collection");
                for (i, r) in records.iter().enumerate() {
                    *ids.get_mut(&r.id).expect("the same ids") = i;
                }
                reordered.push(name.clone());
            }
        }
        if !reordered.is_empty() {
            // Backlinks follow the order of the linking collection.
            let lists: Vec<RecordKey> = self
                .backlinks
                .iter()
                .filter(|(_, list)| list.iter().any(|b| reordered.contains(&b.from.collection)))
                .map(|(k, _)| k.clone())
                .collect();
            self.sort_backlinks(lists.iter());
        }
        moved.extend(reordered);
        moved
    }
}

// `OrdKeys` gives the sort a total order over the partial keys.
#[derive(PartialEq)]
struct OrdKeys(Vec<Option<SortKey>>);
impl Eq for OrdKeys {}
impl PartialOrd for OrdKeys {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrdKeys {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.iter().zip(&other.0).map(|(a, b)| cmp_key_static(a, b)).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
    }
}
fn cmp_key_static(a: &Option<SortKey>, b: &Option<SortKey>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}
