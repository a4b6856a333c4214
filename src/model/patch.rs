//! The model patched in place for a save that changed records but added, removed or renamed
//! none, which is what most saves under `serve` do: only the edited records are checked and
//! rendered again, and only the backlinks, order and narrative they touch are brought up to
//! date, instead of the whole atlas being built again.
//!
//! A patched atlas is the atlas a build from the same files makes (`tests/live.rs` holds the
//! pages it renders to that). An edit whose outcome a patch cannot report exactly, because it
//! brings a problem or changes a warning, is left to a build, which reports them as usual.

use super::record::{Built, RecordEnv, edges};
use super::resolve::{AtlasResolve, check_refs, cite_label};
use super::{Atlas, Backlink, Change, Key, Memo, Record, Translation};
use crate::config::TypeName;
use crate::order::{reposition, sort_records};
use crate::validate::{Checked, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A record's links as the model holds them: its resolved references, the sources its texts
/// cite and the records its narrative links to, as backlinks (target, label).
fn links_of(atlas: &Atlas, r: &Record, memo: &Memo) -> (Vec<(Key, String)>, bool) {
    let (refs, problems) = check_refs(&r.fields, &r.collection, &r.file, &atlas.config, atlas);
    let texts = memo.texts(&r.key());
    let cited: Vec<String> = texts.iter().flatten().flat_map(|n| n.found.cited.iter().cloned()).collect();
    let linked: &[(String, String)] = texts.first().and_then(Option::as_ref).map_or(&[], |n| &n.found.linked);
    let quiet = refs.is_empty() && problems.is_empty() && cited.is_empty() && linked.is_empty();
    (edges(&refs, &cited, linked, r, &atlas.config), quiet)
}

impl Atlas {
    /// Applies an edit to the model in place. `edited` holds every record (and translation)
    /// of the files a save changed, checked, without problems; together they must be the
    /// records those files held before, by collection and id. `memo` must be the keeping memo
    /// the model was built or last patched with.
    ///
    /// Returns what changed, or `None`, leaving the atlas and the memo as they were, when the
    /// edit added, removed or renamed a record, would bring a problem (a dangling reference or
    /// section link) or would change the model's warnings (a record becomes an orphan, or
    /// stops being one): a build reports those. A patched model's warnings are the ones it
    /// had.
    pub fn patch(&mut self, edited: Vec<Checked>, memo: &mut Memo) -> Option<Change> {
        if !memo.keeps() {
            return None;
        }
        let (translated, edited): (Vec<Checked>, Vec<Checked>) = edited.into_iter().partition(|c| c.raw.lang.is_some());
        let keys: Vec<Key> = edited.iter().map(|c| (c.raw.collection.clone(), c.raw.id.clone())).collect();
        let edited_keys: HashSet<Key> = keys.iter().cloned().collect();
        if edited_keys.len() != keys.len() || keys.iter().any(|k| self.get(&k.0, &k.1).is_none()) {
            return None;
        }
        for t in &translated {
            let lang = t.raw.lang.as_deref().unwrap_or_default();
            let key = (t.raw.collection.clone(), t.raw.id.clone());
            if !self.translations.get(lang).is_some_and(|tr| tr.contains_key(&key)) {
                return None;
            }
            // A translation that no longer matches its record goes to a build, which reports it.
            let base = match edited.iter().find(|c| c.raw.collection == key.0 && c.raw.id == key.1) {
                Some(c) => &c.fields,
                None => &self.get(&key.0, &key.1).expect("checked").fields,
            };
            if !super::misaligned(t, base).is_empty() {
                return None;
            }
        }
        // The edited records as they were, and the links they gave.
        let old: HashMap<Key, Record> =
            keys.iter().map(|k| (k.clone(), self.get(&k.0, &k.1).cloned().expect("checked"))).collect();
        let mut old_links: HashMap<Key, Vec<(Key, String)>> = HashMap::new();
        let mut old_quiet: HashMap<Key, bool> = HashMap::new();
        for k in &keys {
            let (links, quiet) = links_of(self, &old[k], memo);
            old_links.insert(k.clone(), links);
            old_quiet.insert(k.clone(), quiet);
        }
        let old_headings: HashMap<Key, Vec<String>> = keys.iter().map(|k| (k.clone(), headings(memo, k))).collect();

        // Titles and citation labels first: the edited records' narrative, and the narrative
        // that links to them, read them.
        let citations = self.config.citations().to_string();
        let mut titles_were: Vec<(Key, String)> = Vec::new();
        let mut labels_were: Vec<(String, Option<String>)> = Vec::new();
        for (c, key) in edited.iter().zip(&keys) {
            let spec = self.config.collection(&key.0).expect("a known collection");
            let title = match c.fields.get(&spec.title_field.value) {
                Some(Value::Str(s)) => s.clone(),
                _ => key.1.clone(),
            };
            if key.0 == citations {
                let label = cite_label(c, &title);
                if self.cite_labels.get(&key.1) != Some(&label) {
                    labels_were.push((key.1.clone(), self.cite_labels.insert(key.1.clone(), label)));
                }
            }
            let r = self.get_mut(key).expect("checked");
            if r.title != title {
                titles_were.push((key.clone(), std::mem::replace(&mut r.title, title)));
            }
        }
        let undo = |atlas: &mut Atlas, titles_were: Vec<(Key, String)>, labels_were: Vec<(String, Option<String>)>| {
            for (k, t) in titles_were {
                atlas.get_mut(&k).expect("checked").title = t;
            }
            for (id, label) in labels_were {
                match label {
                    Some(l) => atlas.cite_labels.insert(id, l),
                    None => atlas.cite_labels.remove(&id),
                };
            }
        };

        // The edited records, checked and rendered against the atlas as it now reads; then the
        // narrative elsewhere that names a retitled record or cites a relabelled source.
        let multilingual = self.config.languages().len() > 1;
        let (built, again) = {
            let resolve = AtlasResolve(self);
            let env = RecordEnv { config: &self.config, titles: self, resolve: &resolve, memo, multilingual };
            let built: Vec<Built> = edited.into_iter().map(|c| env.build(c)).collect();
            let renamed: HashSet<Key> = titles_were.iter().map(|(k, _)| k.clone()).collect();
            let relabelled: HashSet<String> = labels_were.iter().map(|(id, _)| id.clone()).collect();
            let askers = if renamed.is_empty() && relabelled.is_empty() {
                Vec::new()
            } else {
                memo.askers(&renamed, &relabelled)
            };
            let again: Vec<(Key, Vec<Option<Arc<super::memo::Narrative>>>)> = askers
                .into_iter()
                .filter(|k| !edited_keys.contains(k))
                .map(|k| {
                    let texts = memo
                        .texts(&k)
                        .iter()
                        .enumerate()
                        .map(|(slot, n)| {
                            n.as_ref().map(|n| {
                                let (text, inline) = n.source();
                                memo.render(&k, slot, text, &resolve, inline)
                            })
                        })
                        .collect();
                    (k, texts)
                })
                .collect();
            (built, again)
        };
        let problems = built.iter().any(|b| !b.problems.is_empty())
            || again.iter().any(|(_, texts)| texts.iter().flatten().any(|n| !n.found.problems.is_empty()));

        // Section links must still land on a heading: the edited records' own, and those of
        // other records into an edited record whose headings changed.
        let new_headings: HashMap<&Key, &Vec<String>> =
            built.iter().zip(&keys).map(|(b, k)| (k, &b.anchors.own)).collect();
        let heading_ids = |k: &Key| -> Vec<String> {
            match new_headings.get(k) {
                Some(h) => (*h).clone(),
                None => headings(memo, k),
            }
        };
        let lost_section = built
            .iter()
            .any(|b| b.anchors.wanted.iter().any(|(c, i, a, _)| !heading_ids(&(c.clone(), i.clone())).contains(a)))
            || keys.iter().filter(|k| old_headings[*k] != heading_ids(k)).any(|k| {
                let now = heading_ids(k);
                memo.wanting(k).into_iter().any(|(from, a)| !edited_keys.contains(from) && !now.iter().any(|h| h == a))
            });

        // Orphan warnings stay as they were: no record may become an orphan, or stop being one.
        let new_links: HashMap<&Key, Vec<(Key, String)>> =
            built.iter().zip(&keys).map(|(b, k)| (k, b.edges(&self.config))).collect();
        let linked_after = |target: &Key| -> bool {
            new_links.values().flatten().any(|(t, _)| t == target)
                || self.backlinks.get(target).is_some_and(|list| {
                    list.iter().any(|b| !edited_keys.contains(&(b.collection.clone(), b.id.clone())))
                })
        };
        let orphan_before = |k: &Key, quiet: bool| quiet && !self.backlinks.contains_key(k);
        let orphan_after = |k: &Key, quiet: bool| quiet && !linked_after(k);
        let others: HashSet<&Key> = old_links
            .values()
            .chain(new_links.values())
            .flatten()
            .map(|(t, _)| t)
            .filter(|t| !edited_keys.contains(*t))
            .collect();
        let orphaned =
            built.iter().zip(&keys).any(|(b, k)| orphan_before(k, old_quiet[k]) != orphan_after(k, b.quiet()))
                || others.into_iter().any(|t| {
                    let quiet = self.get(&t.0, &t.1).is_some_and(|r| links_of(self, r, memo).1);
                    orphan_before(t, quiet) != orphan_after(t, quiet)
                });
        if problems || lost_section || orphaned {
            undo(self, titles_were, labels_were);
            return None;
        }

        // The edit holds: records, narrative, backlinks, translations and order follow it.
        let mut old_again: HashMap<Key, Record> = HashMap::new();
        for (k, texts) in again {
            let r = self.get_mut(&k).expect("an asker is a record");
            old_again.insert(k.clone(), r.clone());
            if let Some(Some(body)) = texts.first() {
                r.body_html = Some(Arc::clone(&body.html));
            }
            memo.set(k, texts);
        }
        let mut touched: HashSet<Key> = HashSet::new();
        for (k, links) in &old_links {
            for (target, _) in links {
                if let Some(list) = self.backlinks.get_mut(target) {
                    list.retain(|b| b.collection != k.0 || b.id != k.1);
                    if list.is_empty() {
                        self.backlinks.remove(target);
                    }
                }
                touched.insert(target.clone());
            }
        }
        for (k, links) in &new_links {
            for (target, label) in links {
                let list = self.backlinks.entry(target.clone()).or_default();
                let b = Backlink { label: label.clone(), collection: k.0.clone(), id: k.1.clone() };
                if !list.contains(&b) {
                    list.push(b);
                }
                touched.insert(target.clone());
            }
        }
        drop(new_links);
        for (mut b, k) in built.into_iter().zip(&keys) {
            if let Some((key, texts)) = b.texts.take() {
                memo.set(key, texts);
            }
            *self.get_mut(k).expect("checked") = b.record;
        }
        for t in translated {
            let lang = t.raw.lang.clone().unwrap_or_default();
            let key = (t.raw.collection.clone(), t.raw.id.clone());
            let tr = Translation { file: t.raw.file, pos: t.raw.pos, fields: t.fields, body: t.raw.body };
            self.translations.entry(lang).or_default().insert(key, tr);
        }
        // The order of the edited records' collections before they move: pages link to the
        // previous and next record.
        let before: HashMap<String, Vec<String>> = keys
            .iter()
            .map(|k| &k.0)
            .collect::<HashSet<_>>()
            .into_iter()
            .chain(if titles_were.is_empty() { None } else { Some(self.collections.keys()) }.into_iter().flatten())
            .map(|c| (c.clone(), self.collections[c].iter().map(|r| r.id.clone()).collect()))
            .collect();
        let reordered = self.reorder(&keys, !titles_were.is_empty());
        self.sort_backlinks(touched.iter());

        // What changed, for the renderer.
        let mut change = Change { reordered, ..Change::default() };
        for k in &keys {
            let now = self.get(&k.0, &k.1).expect("checked");
            if !old[k].reads_like(now) {
                change.changed.push(k.clone());
                change.neighbours.extend(old_links[k].iter().map(|(t, _)| t.clone()));
                change.neighbours.extend(links_of(self, now, memo).0.into_iter().map(|(t, _)| t));
                change.old.insert(k.clone(), old[k].clone());
            } else if self.config.repository.is_some() && old[k].pos != now.pos {
                change.moved.push(k.clone());
            }
        }
        for (k, was) in old_again {
            let now = self.get(&k.0, &k.1).expect("an asker is a record");
            if !was.reads_like(now) {
                change.changed.push(k.clone());
                change.neighbours.extend(links_of(self, now, memo).0.into_iter().map(|(t, _)| t));
                change.old.insert(k, was);
            }
        }
        for k in &change.changed {
            let linking = self.backlinks.get(k).into_iter().flatten();
            change.neighbours.extend(linking.map(|b| (b.collection.clone(), b.id.clone())));
        }
        change.add_order_neighbours(self, &before);
        Some(change)
    }

    fn get_mut(&mut self, key: &Key) -> Option<&mut Record> {
        let i = *self.index.get(&key.0)?.get(&key.1)?;
        self.collections.get_mut(&key.0)?.get_mut(i)
    }

    /// Puts the edited records where their collections' order wants them now. One edited
    /// record of a collection moves to its place; where several were edited (a YAML list
    /// saved), or a new title moves whatever sorts by a reference to it, the collection is
    /// sorted again.
    /// Returns the collections whose order changed.
    fn reorder(&mut self, keys: &[Key], retitled: bool) -> HashSet<String> {
        let config = &self.config;
        let by_ref = |name: &str| {
            let spec = config.collection(name).expect("a known collection");
            spec.sort.iter().any(|s| {
                spec.field(&s.value).is_some_and(|f| {
                    f.ty == TypeName::Ref || f.item.as_ref().is_some_and(|i| i.value.ty == TypeName::Ref)
                })
            })
        };
        let edited_in = |name: &str| keys.iter().filter(|k| k.0 == name).count();
        let resorted: Vec<String> =
            config.collections.keys().filter(|c| edited_in(c) > 1 || (retitled && by_ref(c))).cloned().collect();
        // Titles for the sorts by reference, taken before anything moves.
        let titles: HashMap<Key, String> =
            if config.collections.keys().any(|c| edited_in(c) > 0 && by_ref(c)) || !resorted.is_empty() {
                self.records().map(|r| (r.key(), r.title.clone())).collect()
            } else {
                HashMap::new()
            };
        let mut reordered: Vec<String> = Vec::new();
        let mut moved: HashSet<String> = HashSet::new();
        for k in keys.iter().filter(|k| !resorted.contains(&k.0)) {
            let spec = config.collection(&k.0).expect("a known collection");
            let at = self.index[&k.0][&k.1];
            let to = reposition(self.collections.get_mut(&k.0).expect("a known collection"), at, spec, &titles);
            if to != at {
                moved.insert(k.0.clone());
                let ids = self.index.get_mut(&k.0).expect("a known collection");
                for (i, r) in self.collections[&k.0].iter().enumerate().take(at.max(to) + 1).skip(at.min(to)) {
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
            let lists: Vec<Key> = self
                .backlinks
                .iter()
                .filter(|(_, list)| list.iter().any(|b| reordered.contains(&b.collection)))
                .map(|(k, _)| k.clone())
                .collect();
            self.sort_backlinks(lists.iter());
        }
        moved.extend(reordered);
        moved
    }
}

/// The heading ids of a record's narrative, as last rendered.
fn headings(memo: &Memo, key: &Key) -> Vec<String> {
    memo.texts(key).first().and_then(Option::as_ref).map(|n| n.found.anchors.clone()).unwrap_or_default()
}
