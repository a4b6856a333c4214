//! What an edit changed in a model: the records that read differently, as they were, and
//! their neighbours. A patch knows it ([`crate::model::Atlas::patch`]); otherwise two builds
//! are compared. Partial renders are planned from it.

use super::{Atlas, Record, RecordKey};
use crate::validate::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What an edit changed in a model: what a partial render needs to know which pages to draw
/// again.
#[derive(Debug, Default)]
pub struct Change {
    /// Records that read differently after the edit (fields, title or narrative).
    pub changed: Vec<RecordKey>,
    /// Those records as they were before it.
    pub old: HashMap<RecordKey, Record>,
    /// Records a changed one links to, or that link to it, before or after the edit.
    pub neighbours: HashSet<RecordKey>,
    /// Collections whose records the edit put in another order.
    pub reordered: HashSet<String>,
    /// Whether a plain page reads differently.
    pub pages: bool,
    /// Whether a plain page has another title: the navigation of every page names it.
    pub page_titles: bool,
    /// Records that read the same but now begin on another line of their file (a record
    /// before them in a YAML list grew or shrank): their pages' "Edit this page" links name
    /// the line, so when the atlas has them, those pages are drawn again.
    pub moved: Vec<RecordKey>,
}

impl Record {
    /// Whether the record reads the same as `other`: the same title, narrative and field
    /// values. Fields and narrative a save did not touch are shared with the previous model
    /// (see [`crate::LoadCache`]), so most comparisons end at the pointers; where they were
    /// read again, the values are compared but not where they stand in the file, which moves
    /// when an earlier record of a YAML list grows or shrinks.
    pub fn reads_like(&self, other: &Record) -> bool {
        let html = match (&self.body_html, &other.body_html) {
            (Some(x), Some(y)) => Arc::ptr_eq(x, y) || x == y,
            (x, y) => x == y,
        };
        let fields = Arc::ptr_eq(&self.fields, &other.fields)
            || (self.fields.len() == other.fields.len()
                && self.fields.iter().zip(other.fields.iter()).all(|((ka, a), (kb, b))| ka == kb && a.same_as(b)));
        self.title == other.title && fields && html && self.untranslated == other.untranslated
    }
}

impl Change {
    /// What differs between two models of an atlas; `None` when records or pages came or went
    /// (every page must be drawn again).
    pub fn between(new: &Atlas, old: &Atlas) -> Option<Change> {
        let same_ids = new.collections.len() == old.collections.len()
            && new.collections.iter().all(|(c, rs)| {
                old.collections.get(c).is_some_and(|o| o.len() == rs.len())
                    && rs.iter().all(|r| old.get(c, &r.id).is_some())
            })
            && new.pages.iter().map(|p| &p.id).eq(old.pages.iter().map(|p| &p.id));
        if !same_ids {
            return None;
        }
        let changed: Vec<RecordKey> = new
            .records()
            .filter(|r| old.get(&r.collection, &r.id).is_none_or(|o| !o.reads_like(r)))
            .map(Record::key)
            .collect();
        // Neighbours, before and after: what links to a changed record, and what it links to
        // (its references, citations and Markdown links are all backlinks of their targets).
        let edited: HashSet<&RecordKey> = changed.iter().collect();
        let mut neighbours = HashSet::new();
        for atlas in [new, old] {
            for (target, list) in &atlas.backlinks {
                if edited.contains(target) {
                    neighbours.extend(list.iter().map(|b| b.from.clone()));
                }
                if list.iter().any(|b| edited.contains(&b.from)) {
                    neighbours.insert(target.clone());
                }
            }
        }
        let reordered = new
            .collections
            .iter()
            .filter(|(c, rs)| rs.iter().map(|r| &r.id).ne(old.collections[*c].iter().map(|r| &r.id)))
            .map(|(c, _)| c.clone())
            .collect();
        let pages = new.pages.iter().zip(&old.pages).any(|(a, b)| {
            a.title != b.title || a.description != b.description || a.html != b.html || a.untranslated != b.untranslated
        });
        let page_titles = new.pages.iter().zip(&old.pages).any(|(a, b)| a.title != b.title);
        let touched: HashSet<&String> = changed.iter().map(|k| &k.collection).chain(&reordered).collect();
        let before: HashMap<String, Vec<String>> = touched
            .into_iter()
            .map(|c| (c.clone(), old.collections[c].iter().map(|r| r.id.clone()).collect()))
            .collect();
        let moved = match new.config.repository {
            Some(_) => new
                .records()
                .filter(|r| old.get(&r.collection, &r.id).is_some_and(|o| o.reads_like(r) && o.pos != r.pos))
                .map(Record::key)
                .collect(),
            None => vec![],
        };
        let old = changed.iter().filter_map(|k| Some((k.clone(), old.get(&k.collection, &k.id)?.clone()))).collect();
        let mut change = Change { changed, old, neighbours, reordered, pages, page_titles, moved };
        change.add_order_neighbours(new, &before);
        Some(change)
    }

    /// Adds the records whose links to the previous and next record of their collection the
    /// change alters: those beside a changed record, before and after (its title shows in
    /// their links), and, in a collection whose order changed, every record whose previous or
    /// next record is another one now. `before` holds the ids of the changed records'
    /// collections (and the reordered ones) in their order before the change.
    pub(super) fn add_order_neighbours(&mut self, atlas: &Atlas, before: &HashMap<String, Vec<String>>) {
        let beside = |ids: &[String], i: usize| {
            [i.checked_sub(1).and_then(|j| ids.get(j)), ids.get(i + 1)]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
        };
        let mut add = Vec::new();
        for k in &self.changed {
            if let Some(i) = atlas.position(&k.collection, &k.id) {
                let now: Vec<String> = [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|j| atlas.collections[&k.collection].get(j).map(|r| r.id.clone()))
                    .collect();
                add.extend(now.into_iter().map(|id| RecordKey::new(k.collection.clone(), id)));
            }
            if let Some(ids) = before.get(&k.collection)
                && let Some(i) = ids.iter().position(|id| *id == k.id)
            {
                add.extend(beside(ids, i).into_iter().map(|id| RecordKey::new(k.collection.clone(), id)));
            }
        }
        for c in &self.reordered {
            let (Some(ids), Some(records)) = (before.get(c), atlas.collections.get(c)) else { continue };
            let was: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
            for (i, r) in records.iter().enumerate() {
                let prev_now = i.checked_sub(1).map(|j| records[j].id.as_str());
                let next_now = records.get(i + 1).map(|n| n.id.as_str());
                let at = was.get(r.id.as_str()).copied();
                let prev_was = at.and_then(|j| j.checked_sub(1)).map(|j| ids[j].as_str());
                let next_was = at.and_then(|j| ids.get(j + 1)).map(String::as_str);
                if prev_now != prev_was || next_now != next_was {
                    add.push(RecordKey::new(c.clone(), r.id.clone()));
                }
            }
        }
        let changed: HashSet<&RecordKey> = self.changed.iter().collect();
        self.neighbours.extend(add.into_iter().filter(|k| !changed.contains(k)));
    }

    /// Whether the edit changed nothing a page shows.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && !self.pages && self.moved.is_empty()
    }

    /// Every record whose pages an edit may have changed: the changed ones and their
    /// neighbours, and those that moved.
    pub fn affected(&self) -> HashSet<RecordKey> {
        self.changed.iter().chain(&self.neighbours).chain(&self.moved).cloned().collect()
    }
}

impl Value {
    /// Whether two values are the same, wherever each stands in its file.
    pub fn same_as(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Text(a, _), Value::Text(b, _)) => a == b,
            (Value::Ref(a), Value::Ref(b)) => a.collection == b.collection && a.id == b.id,
            (Value::Citation(a), Value::Citation(b)) => {
                let refs = |x: &crate::validate::RefTo, y: &crate::validate::RefTo| {
                    x.collection == y.collection && x.id == y.id
                };
                refs(&a.source, &b.source)
                    && a.loc == b.loc
                    && a.note == b.note
                    && a.cites.len() == b.cites.len()
                    && a.cites.iter().zip(&b.cites).all(|(x, y)| refs(x, y))
            }
            (Value::List(a), Value::List(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y)),
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|((ka, x), (kb, y))| ka == kb && x.same_as(y))
            }
            (a, b) => a == b,
        }
    }
}
