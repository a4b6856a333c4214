//! The default order of a collection's records: by its `sort` fields, missing values last, then
//! by title and id, so the same atlas always lists the same way.

use crate::content::slug;
use crate::model::{Key, Record};
use crate::validate::Value;
use rayon::prelude::*;
use std::collections::HashMap;

/// A value reduced to something comparable, for sorting index tables.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum SortKey {
    Num(f64),
    Date(crate::date::Period),
    Text(String),
}

fn sort_key(v: &Value, titles: &HashMap<Key, String>) -> Option<SortKey> {
    Some(match v {
        Value::Int(i) => SortKey::Num(*i as f64),
        Value::Num(n) => SortKey::Num(*n),
        Value::Date(d) => SortKey::Date(crate::date::Period { start: *d, end: None }),
        Value::Period(p) => SortKey::Date(*p),
        Value::Bool(b) => SortKey::Num(if *b { 0.0 } else { 1.0 }),
        Value::Ref(r) => SortKey::Text(slug(titles.get(&(r.collection.clone(), r.id.clone())).unwrap_or(&r.id))),
        Value::List(items) => return items.first().and_then(|i| sort_key(i, titles)),
        Value::Str(s) | Value::Text(s, _) | Value::Url(s) | Value::Enum(s) => SortKey::Text(slug(s)),
        Value::Geo(_) | Value::Citation(_) | Value::Object(_) => return None,
    })
}

/// Sorts by the collection's `sort` fields (missing values last), then title, then id.
pub fn sort_records(records: &mut Vec<Record>, spec: &crate::config::CollectionSpec, titles: &HashMap<Key, String>) {
    let keys: Vec<String> = spec.sort.iter().map(|s| s.value.clone()).collect();
    let cached: Vec<OrdKeys> = records
        .par_iter()
        .map(|r| OrdKeys(keys.iter().map(|k| r.fields.get(k).and_then(|v| sort_key(v, titles))).collect()))
        .collect();
    // Titles break ties only, so each is folded when first needed, and most never are.
    let folded: Vec<std::sync::OnceLock<String>> = records.iter().map(|_| std::sync::OnceLock::new()).collect();
    let title = |i: usize| folded[i].get_or_init(|| slug(&records[i].title));
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.par_sort_by(|&a, &b| {
        cached[a].cmp(&cached[b]).then_with(|| title(a).cmp(title(b))).then_with(|| records[a].id.cmp(&records[b].id))
    });
    let mut taken: Vec<Option<Record>> = records.drain(..).map(Some).collect();
    records.extend(order.into_iter().filter_map(|i| taken[i].take()));
    // `OrdKeys` gives the sort a total order over the partial keys.
    #[derive(PartialEq)]
    struct OrdKeys(Vec<Option<SortKey>>);
    impl Eq for OrdKeys {}
    impl PartialOrd for OrdKeys {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for OrdKeys {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0
                .iter()
                .zip(&other.0)
                .map(|(a, b)| cmp_key_static(a, b))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        }
    }
    fn cmp_key_static(a: &Option<SortKey>, b: &Option<SortKey>) -> std::cmp::Ordering {
        match (a, b) {
            (Some(x), Some(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    }
}
