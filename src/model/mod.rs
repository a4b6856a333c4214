//! The atlas as a whole: records indexed by collection and id, references resolved, backlinks
//! and citations computed, narrative rendered. Built once from checked records; read-only after.

use crate::config::Config;
use crate::config::Language;
use crate::content::{Body, RawPage};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};

use crate::markdown::{self, Resolve};
use crate::order::sort_records;
use crate::urls::{Urls, facet_dir};
use crate::validate::{Checked, Fields, Value};
use indexmap::IndexMap;
use rayon::prelude::*;
use std::collections::HashMap;

mod change;
mod localize;
mod memo;
mod patch;
mod record;
mod resolve;

pub use change::Change;
pub use memo::Memo;
use record::{Built, RecordEnv};
pub use resolve::Titles;
use resolve::{AtlasResolve, Lookup, Lost, cite_label};

/// A record ready for rendering.
#[derive(Debug, Clone)]
pub struct Record {
    pub collection: String,
    pub id: String,
    /// Source file, relative to the atlas root, and where in it the record starts.
    pub file: String,
    pub pos: crate::diag::Pos,
    pub title: String,
    pub fields: Fields,
    /// In another language, the default language's fields of a translated record: facets key
    /// on them, so a value's page has the same URL in every language.
    pub canonical: Option<Fields>,
    /// The narrative as HTML (records from YAML lists have none); shared with the record's
    /// views rather than copied into them.
    pub body_html: Option<std::sync::Arc<str>>,
    /// The narrative's Markdown, kept only when other languages render it again.
    pub body_md: Option<Body>,
    /// The images its narrative shows (body and Markdown fields), as paths under `static/`.
    pub images: Vec<String>,
    /// Shown in another language than its own because it has no translation into this one.
    pub untranslated: bool,
}

impl Record {
    /// The record's key in maps of records: (collection, id).
    pub fn key(&self) -> (String, String) {
        (self.collection.clone(), self.id.clone())
    }
}

/// A record's translation into one language: the translatable fields it gives and its
/// narrative.
#[derive(Debug, Clone)]
pub struct Translation {
    pub file: String,
    /// Where in its file the translation starts (an item of a translated list).
    pub pos: crate::diag::Pos,
    pub fields: Fields,
    pub body: Option<Body>,
}

/// A plain page ready for rendering.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub file: String,
    pub title: String,
    pub description: String,
    pub html: String,
    pub md: Body,
    /// The images its narrative shows, as paths under `static/`.
    pub images: Vec<String>,
    /// Shown in the default language because it has no translation into this one.
    pub untranslated: bool,
}

/// A record that points at another, grouped on the target's page under `label`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backlink {
    pub label: String,
    pub collection: String,
    pub id: String,
}

/// Key of a record across the atlas.
pub type Key = (String, String);

/// Everything the renderer reads.
#[derive(Debug)]
pub struct Atlas {
    pub config: Config,
    pub urls: Urls,
    /// Records per collection, in the collection's sort order; every configured collection
    /// is present, possibly empty.
    pub collections: IndexMap<String, Vec<Record>>,
    pub pages: Vec<Page>,
    /// Who points at each record, in a stable order.
    pub backlinks: HashMap<Key, Vec<Backlink>>,
    /// Short labels of sources for citations ("Chu & Duong 2024").
    pub cite_labels: HashMap<String, String>,
    /// When each content file last changed, from the atlas's git history (see
    /// [`crate::history`]); empty outside a git checkout.
    pub updated: std::sync::Arc<HashMap<String, crate::date::Date>>,
    /// Where each record stands in its collection, by collection then id: looked up with
    /// borrowed names, so `get` allocates nothing.
    index: HashMap<String, HashMap<String, usize>>,
    /// The language of this atlas's text; see [`Atlas::localize`] for the others.
    pub language: Language,
    /// Record translations per language code.
    translations: HashMap<String, HashMap<Key, Translation>>,
    /// Page translations per language code, by page id.
    page_translations: HashMap<String, HashMap<String, RawPage>>,
    /// What files that could not be read took with them (see [`resolve::Lost`]).
    lost: Lost,
}

impl Record {
    /// The date or span in `field`, a single date counting as a span of itself.
    pub fn period(&self, field: &str) -> Option<crate::date::Period> {
        self.fields.get(field)?.period()
    }

    /// The first Markdown text field, in schema order: the record's summary where it has one.
    /// Whether a translation would give this record anything: narrative, or text in a field
    /// its schema lets a translation give.
    pub fn has_text_to_translate(&self, spec: &crate::config::CollectionSpec) -> bool {
        self.body_md.as_ref().is_some_and(|b| !b.text.trim().is_empty())
            || spec
                .fields
                .iter()
                .any(|(n, f)| f.value.translation().is_some() && self.fields.get(n).is_some_and(Value::has_text))
    }

    pub fn first_text(&self) -> Option<&str> {
        self.fields.values().find_map(|v| match v {
            Value::Text(t, _) => Some(t.as_str()),
            _ => None,
        })
    }
}

impl Atlas {
    /// Builds the model, reporting duplicate ids, dangling references and narrative problems.
    pub fn build(
        config: Config,
        urls: Urls,
        checked: Vec<Checked>,
        raw_pages: Vec<RawPage>,
        diags: &mut Diagnostics,
    ) -> Atlas {
        Atlas::build_with(config, urls, checked, raw_pages, diags, &mut Memo::default())
    }

    /// [`Atlas::build`], reusing the narrative `memo` holds where it still holds, and leaving
    /// in it this build's narrative.
    pub fn build_with(
        config: Config,
        urls: Urls,
        checked: Vec<Checked>,
        raw_pages: Vec<RawPage>,
        diags: &mut Diagnostics,
        memo: &mut Memo,
    ) -> Atlas {
        let (translated, checked): (Vec<Checked>, Vec<Checked>) =
            checked.into_iter().partition(|c| c.raw.lang.is_some());
        let (translated_pages, raw_pages): (Vec<RawPage>, Vec<RawPage>) =
            raw_pages.into_iter().partition(|p| p.lang.is_some());
        let multilingual = config.languages().len() > 1;
        // Index: one record per (collection, id); a second one is an error naming the first.
        let mut titles: HashMap<Key, String> = HashMap::with_capacity(checked.len());
        let mut kept: Vec<Checked> = Vec::with_capacity(checked.len());
        for c in checked {
            let key = (c.raw.collection.clone(), c.raw.id.clone());
            if titles.contains_key(&key) {
                let first = kept.iter().find(|k| k.raw.collection == key.0 && k.raw.id == key.1).map(|k| &k.raw.file);
                diags.push(
                    Diagnostic::error(&c.raw.file, c.raw.pos, format!("duplicate id `{}` in `{}`", key.1, key.0))
                        .with_help(format!(
                            "`{}` is already defined in {}; ids must be unique within a collection",
                            key.1,
                            first.map_or("", String::as_str)
                        )),
                );
                continue;
            }
            let spec = config.collection(&key.0).expect("content only loads known collections");
            if spec.facets.iter().any(|f| facet_dir(&f.value) == key.1) {
                diags.push(
                    Diagnostic::error(
                        &c.raw.file,
                        c.raw.pos,
                        format!("id `{}` clashes with the facet pages of `{}`", key.1, key.0),
                    )
                    .with_help("rename the record: ids starting with by- are used for facet pages"),
                );
                continue;
            }
            let title = match c.fields.get(&spec.title_field.value) {
                Some(Value::Str(s)) => s.clone(),
                _ => c.raw.id.clone(),
            };
            titles.insert(key, title);
            kept.push(c);
        }
        let page_ids: Vec<&str> = raw_pages.iter().map(|p| p.id.as_str()).collect();
        let prefixes: Vec<String> =
            config.languages().into_iter().skip(1).map(|l| l.prefix.trim_end_matches('/').to_string()).collect();
        for p in &raw_pages {
            // `search` and `data` are atlasgen's own pages; each further language has its folder.
            let reserved = crate::urls::RESERVED.contains(&p.id.as_str()) || prefixes.contains(&p.id);
            if reserved || config.collections.contains_key(&p.id) || page_ids.iter().filter(|&&i| i == p.id).count() > 1
            {
                diags.push(
                    Diagnostic::error(
                        &p.file,
                        crate::diag::Pos::FILE,
                        format!("the page `{}` has the same URL as a collection, another page, a language's folder or one of atlasgen's own (search, data, assets, pagefind)", p.id),
                    )
                    .with_help("rename the file"),
                );
            }
        }

        let cite_labels: HashMap<String, String> = kept
            .iter()
            .filter(|c| c.raw.collection == config.citations())
            .map(|c| (c.raw.id.clone(), cite_label(c, titles.title(&c.raw.collection, &c.raw.id).unwrap_or(&c.raw.id))))
            .collect();

        let lost = Lost::from(diags, &config);
        let lookup = Lookup {
            titles: &titles,
            cite_labels: &cite_labels,
            config: &config,
            urls: &urls,
            pages: &raw_pages,
            lost: &lost,
        };
        let env = RecordEnv { config: &config, titles: &titles, resolve: &lookup, memo, multilingual, lost: &lost };
        // Per record, in parallel: references checked, narrative rendered once; references,
        // citations and record links feed backlinks.
        let mut rendered: Vec<Built> = kept.into_par_iter().map(|c| env.build(c)).collect();
        memo.replace(rendered.iter_mut().filter_map(|b| b.texts.take()));
        let pages: Vec<Page> = raw_pages
            .iter()
            .map(|p| {
                let r = markdown::render(&p.body.text, &lookup, false);
                diags.extend(crate::source::diagnostics(&p.file, &p.body.text, p.body.line, &r.problems));
                Page {
                    id: p.id.clone(),
                    file: p.file.clone(),
                    title: p.title.clone(),
                    description: p.description.clone(),
                    html: r.html,
                    md: p.body.clone(),
                    images: r.images,
                    untranslated: false,
                }
            })
            .collect();

        let mut collections: IndexMap<String, Vec<Record>> =
            config.collections.keys().map(|k| (k.clone(), Vec::new())).collect();
        // Repeats (a record naming another twice) go when the lists are sorted: looking for
        // one on every addition took time quadratic in the records naming one target.
        let mut backlinks: HashMap<Key, Vec<Backlink>> = HashMap::new();
        let mut add = |target: Key, label: String, from: &Record| {
            let b = Backlink { label, collection: from.collection.clone(), id: from.id.clone() };
            backlinks.entry(target).or_default().push(b);
        };
        // Headings are kept only for the records some link wants a section of.
        let sections_wanted: std::collections::HashSet<Key> =
            rendered.iter().flat_map(|b| b.anchors.wanted.iter().map(|(c, i, _, _)| (c.clone(), i.clone()))).collect();
        let mut headings: HashMap<Key, Vec<String>> = HashMap::new();
        let mut wanted: Vec<(String, Key, String, crate::diag::Pos)> = Vec::new();
        // Records that link nowhere: orphans unless something links to them.
        let mut quiet: Vec<(String, crate::diag::Pos, Key)> = Vec::new();
        for built in rendered {
            if built.quiet() {
                quiet.push((built.record.file.clone(), built.record.pos, built.record.key()));
            }
            for (target, label) in built.edges(&config) {
                add(target, label, &built.record);
            }
            let Built { record, problems, anchors, .. } = built;
            diags.extend(problems);
            wanted.extend(anchors.wanted.into_iter().map(|(c, i, a, p)| (record.file.clone(), (c, i), a, p)));
            if !sections_wanted.is_empty() && sections_wanted.contains(&record.key()) {
                headings.insert(record.key(), anchors.own);
            }
            collections.get_mut(&record.collection).expect("a configured collection").push(record);
        }
        // Links into a record's sections must name one of its headings.
        for (file, target, anchor, pos) in wanted {
            if !titles.contains_key(&target) && lost.covers(&target.0) {
                continue; // the record may be in a file that could not be read
            }
            let ids = headings.get(&target).map(Vec::as_slice).unwrap_or(&[]);
            if !ids.contains(&anchor) {
                let help = match did_you_mean(&anchor, ids.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `#{s}`?"),
                    None if ids.is_empty() => {
                        format!("`{}` has no headings to link to; link the record without #", target.1)
                    }
                    None => format!(
                        "headings of `{}`: {}",
                        target.1,
                        ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")
                    ),
                };
                diags.push(
                    Diagnostic::error(file, pos, format!("`{}/{}` has no section `#{anchor}`", target.0, target.1))
                        .with_help(help),
                );
            }
        }
        // A record that links nowhere and that nothing links to is probably forgotten; while a
        // file is lost, what links to a record is not known.
        for (file, pos, key) in quiet.into_iter().filter(|_| lost.is_empty()) {
            if !backlinks.contains_key(&key) {
                diags.push(
                    Diagnostic::warning(
                        file,
                        pos,
                        format!("`{}` in `{}` is an orphan: it links to no record and none links to it", key.1, key.0),
                    )
                    .with_help("reference it from a related record, cite a source in it, or remove it"),
                );
            }
        }
        for (name, records) in collections.iter_mut() {
            sort_records(records, config.collection(name).expect("known"), &titles);
        }
        let index: HashMap<String, HashMap<String, usize>> = collections
            .iter()
            .map(|(name, rs)| (name.clone(), rs.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect()))
            .collect();
        let position = |collection: &str, id: &str| index.get(collection).and_then(|ids| ids.get(id)).copied();
        // Translations: each must translate a record or page that exists.
        let mut translations: HashMap<String, HashMap<Key, Translation>> = HashMap::new();
        for c in translated {
            let key = (c.raw.collection.clone(), c.raw.id.clone());
            let lang = c.raw.lang.clone().unwrap_or_default();
            let Some(at) = position(&key.0, &key.1) else {
                if lost.covers(&key.0) {
                    continue; // the record may be in a file that could not be read
                }
                let ids = titles.keys().filter(|k| k.0 == key.0).map(|k| k.1.as_str());
                let listed = c.raw.body.is_none();
                let help = match did_you_mean(&key.1, ids) {
                    Some(s) if listed => format!("did you mean `{s}`?"),
                    Some(s) => format!("did you mean `{s}.{lang}.md`?"),
                    None if listed => format!("give the id of a record of `{}`", key.0),
                    None => format!(
                        "add content/{}/{}.md first, or rename this file after the record it translates",
                        key.0, key.1
                    ),
                };
                diags.push(
                    Diagnostic::error(
                        &c.raw.file,
                        if listed { c.raw.pos } else { crate::diag::Pos::FILE },
                        format!("this `{lang}` translation has no record `{}` in `{}` to translate", key.1, key.0),
                    )
                    .with_help(help),
                );
                continue;
            };
            diags.extend(misaligned(&c, &collections[&key.0][at].fields));
            let t = Translation { file: c.raw.file, pos: c.raw.pos, fields: c.fields, body: c.raw.body };
            translations.entry(lang).or_default().insert(key, t);
        }
        let mut page_translations: HashMap<String, HashMap<String, RawPage>> = HashMap::new();
        for p in translated_pages {
            let lang = p.lang.clone().unwrap_or_default();
            if !page_ids.contains(&p.id.as_str()) {
                diags.push(
                    Diagnostic::error(
                        &p.file,
                        crate::diag::Pos::FILE,
                        format!("this `{lang}` translation has no page `{}` to translate", p.id),
                    )
                    .with_help(format!(
                        "add content/{}.md first, or rename this file after the page it translates",
                        p.id
                    )),
                );
                continue;
            }
            page_translations.entry(lang).or_default().insert(p.id.clone(), p);
        }
        let language = config.languages().remove(0);
        let mut atlas = Atlas {
            config,
            urls,
            collections,
            pages,
            backlinks,
            cite_labels,
            updated: Default::default(),
            index,
            language,
            translations,
            page_translations,
            lost,
        };
        let lists: Vec<Key> = atlas.backlinks.keys().cloned().collect();
        atlas.sort_backlinks(lists.iter());
        atlas
    }

    /// Puts the backlink lists of `targets` in order: grouped by collection (configuration
    /// order), then heading; within a group they follow the linking collection's own order
    /// (events by date, and so on). A backlink given twice (by two references of one record)
    /// is kept once.
    fn sort_backlinks<'a>(&mut self, targets: impl Iterator<Item = &'a Key>) {
        let Atlas { config, index, backlinks, .. } = self;
        let position = |collection: &str, id: &str| index.get(collection).and_then(|ids| ids.get(id)).copied();
        let group_order: HashMap<&str, usize> =
            config.collections.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let wanted: std::collections::HashSet<&Key> = targets.collect();
        backlinks.par_iter_mut().filter(|(k, _)| wanted.contains(k)).for_each(|(_, list)| {
            // Stable, and equal backlinks have equal keys: repeats end up side by side.
            list.sort_by_cached_key(|b| {
                (group_order.get(b.collection.as_str()).copied(), b.label.clone(), position(&b.collection, &b.id))
            });
            list.dedup();
        });
    }

    pub fn get(&self, collection: &str, id: &str) -> Option<&Record> {
        self.collections.get(collection)?.get(self.position(collection, id)?)
    }

    /// Where a record stands in its collection's order.
    /// A record's translation into `language`, if it has one.
    pub fn translation(&self, language: &str, collection: &str, id: &str) -> Option<&Translation> {
        self.translations.get(language)?.get(&(collection.to_string(), id.to_string()))
    }

    /// Whether a plain page has a translation into `language`.
    pub fn page_translated(&self, language: &str, id: &str) -> bool {
        self.page_translations.get(language).is_some_and(|t| t.contains_key(id))
    }

    pub fn position(&self, collection: &str, id: &str) -> Option<usize> {
        self.index.get(collection)?.get(id).copied()
    }

    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.collections.values().flatten()
    }

    /// A resolver over this atlas, for rendering Markdown in text fields.
    pub fn resolver(&self) -> impl Resolve + '_ {
        AtlasResolve(self)
    }
}

/// What a translation gives that its record does not match: a field the record lacks (it
/// would show in one language only), or a list of objects whose items differ in number (they
/// are laid over the record's items in order, so a missing or extra item would shift them).
pub(crate) fn misaligned(t: &Checked, record: &Fields) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, value) in t.fields.iter() {
        let pos = || t.keys.iter().find(|(k, _)| k == name).map_or(crate::diag::Pos::FILE, |(_, p)| *p);
        if !record.contains_key(name) {
            out.push(
                Diagnostic::error(&t.raw.file, pos(), format!("this translation gives `{name}`, which the record does not have"))
                    .with_help("a translation only translates what the record gives; remove it here, or add it to the record first"),
            );
            continue;
        }
        let (Value::List(items), Some(Value::List(base))) = (value, record.get(name)) else { continue };
        if !items.iter().any(|v| matches!(v, Value::Object(_))) || items.len() == base.len() {
            continue;
        }
        out.push(
            Diagnostic::error(
                &t.raw.file,
                pos(),
                format!(
                    "this translation of `{name}` has {} items, but the record has {}",
                    items.len(),
                    base.len()
                ),
            )
            .with_help("give one item per item of the record, in the same order; write `{}` for an item with nothing to translate"),
        );
    }
    out
}
