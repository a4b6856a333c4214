//! The model patched in place for a save that changed records but added, removed or renamed
//! none, which is what most saves under `serve` do: only the edited records are checked and
//! rendered again, and only the backlinks, order and narrative they touch are brought up to
//! date, instead of the whole atlas being built again.
//!
//! A patch is made in two steps: [`Plan`] works out, without changing anything, what the edit
//! makes (the records rebuilt, the narrative elsewhere rendered again, the links added and
//! dropped) and whether a patch may make it; only then does [`Atlas::apply`] change the model.
//! An edit refused leaves nothing to undo.
//!
//! A patched atlas is the atlas a build from the same files makes (`tests/it/live.rs` holds the
//! pages it renders to that). An edit whose outcome a patch cannot report exactly, because it
//! brings a problem or changes a warning, is left to a build, which reports them as usual.

use super::record::{Built, RecordEnv, Texts, edges};
use super::resolve::Edge;
use super::resolve::{Edited, Lost, check_refs, cite_label};
use super::{Atlas, Backlink, Change, Memo, Record, RecordKey, Translation};
use crate::validate::{Checked, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A record's links as the model holds them: its resolved references, the sources its texts
/// cite and the records its narrative links to, as backlinks; and whether it links nowhere.
fn links_of(atlas: &Atlas, r: &Record, memo: &Memo) -> (Vec<Edge>, bool) {
    let (refs, problems, _) = check_refs(&r.fields, &r.collection, &r.file, &atlas.config, atlas, &Lost::default());
    let texts = memo.texts(&r.key());
    let cited: Vec<String> = texts.iter().flatten().flat_map(|n| n.found.cited.iter().cloned()).collect();
    let linked: &[RecordKey] = texts.first().and_then(Option::as_ref).map_or(&[], |n| &n.found.linked);
    let quiet = refs.is_empty() && problems.is_empty() && cited.is_empty() && linked.is_empty();
    (edges(&refs, &cited, linked, r, &atlas.config), quiet)
}

/// What an edit makes of the model, worked out without changing it: everything
/// [`Atlas::apply`] needs.
struct Plan {
    /// The edited records, in the order of `built`.
    keys: Vec<RecordKey>,
    /// The edited records as they were.
    old: HashMap<RecordKey, Record>,
    /// The backlinks the edited records gave.
    old_links: HashMap<RecordKey, Vec<Edge>>,
    /// The edited records, built again.
    built: Vec<Built>,
    /// The backlinks they give now, in the order of `keys`.
    new_links: Vec<Vec<Edge>>,
    /// Other records' narrative rendered again: it names a retitled record or cites a
    /// relabelled source.
    again: Vec<(RecordKey, Texts)>,
    /// The sources' new citation labels, by id.
    labels: HashMap<String, String>,
    /// Whether some record has a new title (collections sorted by a reference to it move).
    retitled: bool,
    /// The edited translations.
    translated: Vec<Checked>,
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
        let plan = self.plan(edited, memo)?;
        Some(self.apply(plan, memo))
    }

    /// Works out what `edited` makes of the model, or `None` when a patch may not make it
    /// (see [`Atlas::patch`]). Changes nothing.
    fn plan(&self, edited: Vec<Checked>, memo: &Memo) -> Option<Plan> {
        if !memo.keeps() {
            return None;
        }
        let (translated, edited): (Vec<Checked>, Vec<Checked>) = edited.into_iter().partition(|c| c.raw.lang.is_some());
        let keys: Vec<RecordKey> =
            edited.iter().map(|c| RecordKey::new(c.raw.collection.clone(), c.raw.id.clone())).collect();
        let edited_keys: HashSet<RecordKey> = keys.iter().cloned().collect();
        if edited_keys.len() != keys.len() || keys.iter().any(|k| self.get(&k.collection, &k.id).is_none()) {
            return None;
        }
        for t in &translated {
            let lang = t.raw.lang.as_deref().unwrap_or_default();
            let key = RecordKey::new(t.raw.collection.clone(), t.raw.id.clone());
            if !self.translations.get(lang).is_some_and(|tr| tr.contains_key(&key)) {
                return None;
            }
            // A translation that no longer matches its record goes to a build, which reports it.
            let base = match edited.iter().find(|c| key.is(&c.raw.collection, &c.raw.id)) {
                Some(c) => &c.fields,
                None => &self.get(&key.collection, &key.id).expect("checked").fields,
            };
            if !super::misaligned(t, base).is_empty() {
                return None;
            }
        }
        // The edited records as they were, and the links they gave.
        let old: HashMap<RecordKey, Record> =
            keys.iter().map(|k| (k.clone(), self.get(&k.collection, &k.id).cloned().expect("checked"))).collect();
        let mut old_links: HashMap<RecordKey, Vec<Edge>> = HashMap::new();
        let mut old_quiet: HashMap<RecordKey, bool> = HashMap::new();
        for k in &keys {
            let (links, quiet) = links_of(self, &old[k], memo);
            old_links.insert(k.clone(), links);
            old_quiet.insert(k.clone(), quiet);
        }
        let old_headings: HashMap<RecordKey, Vec<String>> =
            keys.iter().map(|k| (k.clone(), headings(memo, k))).collect();

        // Titles and citation labels first: the edited records' narrative, and the narrative
        // that links to them, read them.
        let citations = self.config.citations();
        let mut view = Edited { atlas: self, titles: HashMap::new(), labels: HashMap::new() };
        for (c, key) in edited.iter().zip(&keys) {
            let spec = self.config.collection(&key.collection).expect("a known collection");
            let title = match c.fields.get(&spec.title_field.value) {
                Some(Value::Str(s)) => s.clone(),
                _ => key.id.clone(),
            };
            if key.collection == citations {
                let label = cite_label(c, &title, &self.config);
                if self.cite_labels.get(&key.id) != Some(&label) {
                    view.labels.insert(key.id.clone(), label);
                }
            }
            if old[key].title != title {
                view.titles.insert(key.clone(), title);
            }
        }

        // The edited records, checked and rendered against the atlas as the edit has it; then
        // the narrative elsewhere that names a retitled record or cites a relabelled source.
        let multilingual = self.config.languages().len() > 1;
        let lost = Lost::default();
        let env = RecordEnv { config: &self.config, titles: &view, resolve: &view, memo, multilingual, lost: &lost };
        let built: Vec<Built> = edited.into_iter().map(|c| env.build(c)).collect();
        let askers = if view.titles.is_empty() && view.labels.is_empty() {
            Vec::new()
        } else {
            let renamed: HashSet<RecordKey> = view.titles.keys().cloned().collect();
            let relabelled: HashSet<String> = view.labels.keys().cloned().collect();
            memo.askers(&renamed, &relabelled)
        };
        let again: Vec<(RecordKey, Texts)> = askers
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
                            memo.render(&k, slot, text, &view, inline)
                        })
                    })
                    .collect();
                (k, texts)
            })
            .collect();
        let problems = built.iter().any(|b| !b.problems.is_empty())
            || again.iter().any(|(_, texts)| texts.iter().flatten().any(|n| !n.found.problems.is_empty()));
        if problems {
            return None;
        }

        // Section links must still land on a heading: the edited records' own, and those of
        // other records into an edited record whose headings changed.
        let new_headings: HashMap<&RecordKey, &Vec<String>> =
            built.iter().zip(&keys).map(|(b, k)| (k, &b.anchors.own)).collect();
        let heading_ids = |k: &RecordKey| -> Vec<String> {
            match new_headings.get(k) {
                Some(h) => (*h).clone(),
                None => headings(memo, k),
            }
        };
        let lost_section = built
            .iter()
            .any(|b| b.anchors.wanted.iter().any(|w| !heading_ids(&w.target).contains(&w.anchor)))
            || keys.iter().filter(|k| old_headings[*k] != heading_ids(k)).any(|k| {
                let now = heading_ids(k);
                memo.wanting(k).into_iter().any(|(from, a)| !edited_keys.contains(from) && !now.iter().any(|h| h == a))
            });
        if lost_section {
            return None;
        }

        // Orphan warnings stay as they were: no record may become an orphan, or stop being one.
        let new_links: Vec<Vec<Edge>> = built.iter().map(|b| b.edges(&self.config)).collect();
        let linked_after = |target: &RecordKey| -> bool {
            new_links.iter().flatten().any(|e| e.target == *target)
                || self.backlinks.get(target).is_some_and(|list| list.iter().any(|b| !edited_keys.contains(&b.from)))
        };
        let orphan_before = |k: &RecordKey, quiet: bool| quiet && !self.backlinks.contains_key(k);
        let orphan_after = |k: &RecordKey, quiet: bool| quiet && !linked_after(k);
        let others: HashSet<&RecordKey> = old_links
            .values()
            .chain(&new_links)
            .flatten()
            .map(|e| &e.target)
            .filter(|t| !edited_keys.contains(*t))
            .collect();
        let orphaned =
            built.iter().zip(&keys).any(|(b, k)| orphan_before(k, old_quiet[k]) != orphan_after(k, b.quiet()))
                || others.into_iter().any(|t| {
                    let quiet = self.get(&t.collection, &t.id).is_some_and(|r| links_of(self, r, memo).1);
                    orphan_before(t, quiet) != orphan_after(t, quiet)
                });
        if orphaned {
            return None;
        }
        let retitled = !view.titles.is_empty();
        Some(Plan { keys, old, old_links, built, new_links, again, labels: view.labels, retitled, translated })
    }

    /// Makes the edit a [`Plan`] worked out: records, narrative, backlinks, translations and
    /// order follow it. Returns what changed, for the renderer.
    fn apply(&mut self, plan: Plan, memo: &mut Memo) -> Change {
        let Plan { keys, old, old_links, built, new_links, again, labels, retitled, translated } = plan;
        self.cite_labels.extend(labels);
        let mut old_again: HashMap<RecordKey, Record> = HashMap::new();
        for (k, texts) in again {
            let r = self.get_mut(&k).expect("an asker is a record");
            old_again.insert(k.clone(), r.clone());
            if let Some(Some(body)) = texts.first() {
                r.body_html = Some(Arc::clone(&body.html));
            }
            memo.set(k, texts);
        }
        let mut touched: HashSet<RecordKey> = HashSet::new();
        for (k, links) in &old_links {
            for Edge { target, .. } in links {
                if let Some(list) = self.backlinks.get_mut(target) {
                    list.retain(|b| b.from != *k);
                    if list.is_empty() {
                        self.backlinks.remove(target);
                    }
                }
                touched.insert(target.clone());
            }
        }
        for (k, links) in keys.iter().zip(new_links) {
            for Edge { target, kind } in links {
                // Repeats go when the touched lists are sorted, below.
                touched.insert(target.clone());
                self.backlinks.entry(target).or_default().push(Backlink { kind, from: k.clone() });
            }
        }
        for (mut b, k) in built.into_iter().zip(&keys) {
            if let Some((key, texts)) = b.texts.take() {
                memo.set(key, texts);
            }
            *self.get_mut(k).expect("checked") = b.record;
        }
        for t in translated {
            let lang = t.raw.lang.clone().unwrap_or_default();
            let key = RecordKey::new(t.raw.collection.clone(), t.raw.id.clone());
            let tr = Translation { file: t.raw.file, pos: t.raw.pos, fields: t.fields, body: t.raw.body };
            self.translations.entry(lang).or_default().insert(key, tr);
        }
        // The order of the edited records' collections before they move: pages link to the
        // previous and next record.
        let before: HashMap<String, Vec<String>> = keys
            .iter()
            .map(|k| &k.collection)
            .collect::<HashSet<_>>()
            .into_iter()
            .chain(if retitled { Some(self.collections.keys()) } else { None }.into_iter().flatten())
            .map(|c| (c.clone(), self.collections[c].iter().map(|r| r.id.clone()).collect()))
            .collect();
        let reordered = self.reorder(&keys, retitled);
        self.sort_backlinks(touched.iter());

        // What changed, for the renderer.
        let mut change = Change { reordered, ..Change::default() };
        for k in &keys {
            let now = self.get(&k.collection, &k.id).expect("checked");
            if !old[k].reads_like(now) {
                change.changed.push(k.clone());
                change.neighbours.extend(old_links[k].iter().map(|e| e.target.clone()));
                change.neighbours.extend(links_of(self, now, memo).0.into_iter().map(|e| e.target));
                change.old.insert(k.clone(), old[k].clone());
            } else if self.config.repository.is_some() && old[k].pos != now.pos {
                change.moved.push(k.clone());
            }
        }
        for (k, was) in old_again {
            let now = self.get(&k.collection, &k.id).expect("an asker is a record");
            if !was.reads_like(now) {
                change.changed.push(k.clone());
                change.neighbours.extend(links_of(self, now, memo).0.into_iter().map(|e| e.target));
                change.old.insert(k, was);
            }
        }
        for k in &change.changed {
            let linking = self.backlinks.get(k).into_iter().flatten();
            change.neighbours.extend(linking.map(|b| b.from.clone()));
        }
        change.add_order_neighbours(self, &before);
        change
    }

    fn get_mut(&mut self, key: &RecordKey) -> Option<&mut Record> {
        let i = *self.index.get(&key.collection)?.get(&key.id)?;
        self.collections.get_mut(&key.collection)?.get_mut(i)
    }
}

/// The heading ids of a record's narrative, as last rendered.
fn headings(memo: &Memo, key: &RecordKey) -> Vec<String> {
    memo.texts(key).first().and_then(Option::as_ref).map(|n| n.found.anchors.clone()).unwrap_or_default()
}
