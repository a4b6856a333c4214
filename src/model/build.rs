//! How the model is made from checked records: a fixed sequence of passes, each a function
//! that takes what the earlier ones made and hands on what the later ones need, so data flows
//! one way and each check lives in the pass that first knows enough to make it.
//!
//! split languages → index (titles) → page ids → citation labels → records (parallel) →
//! pages → gather (collections, backlinks, headings) → section links → orphans → sort →
//! translations → backlink order.
//!
//! Its length is the passes, kept together so the sequence reads in one file; each pass is a
//! function of its own.

use super::order::sort_records;
use super::record::{Built, RecordEnv, SectionWanted};
use super::resolve::Edge;
use super::resolve::{Lookup, Lost, Titles, cite_label};
use super::{Atlas, Backlink, Memo, Page, Record, RecordKey, Translation, misaligned};
use crate::config::Config;
use crate::content::RawPage;
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::markdown;
use crate::urls::{Urls, facet_dir};
use crate::validate::{Checked, Value};
use indexmap::IndexMap;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

impl Atlas {
    /// Builds the model, reporting duplicate ids, dangling references and narrative problems;
    /// reuses the narrative `memo` holds where it still holds, and leaves in it this build's
    /// narrative.
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
        let (kept, titles) = index_records(checked, &config, diags);
        check_page_ids(&raw_pages, &config, diags);
        let cite_labels = citation_labels(&kept, &titles, &config);
        let lost = Lost::from(diags, &config);
        let lookup = Lookup {
            titles: &titles,
            cite_labels: &cite_labels,
            config: &config,
            urls: &urls,
            pages: &raw_pages,
            lost: &lost,
        };
        let multilingual = config.languages().len() > 1;
        let env = RecordEnv { config: &config, titles: &titles, resolve: &lookup, memo, multilingual, lost: &lost };
        let mut built = build_records(kept, &env);
        memo.replace(built.iter_mut().filter_map(|b| b.texts.take()));
        let pages = render_pages(&raw_pages, &lookup, diags);
        let gathered = gather(built, &config, diags);
        check_section_links(gathered.wanted, &gathered.headings, &titles, &lost, diags);
        warn_orphans(gathered.quiet, &gathered.backlinks, &lost, diags);
        let mut collections = gathered.collections;
        for (name, records) in collections.iter_mut() {
            sort_records(records, config.collection(name).expect("known"), &titles);
        }
        let index = position_index(&collections);
        let translations = attach_translations(translated, &collections, &index, &titles, &lost, diags);
        let page_translations = attach_page_translations(translated_pages, &raw_pages, diags);
        let language = config.languages().remove(0);
        let mut atlas = Atlas {
            config,
            urls,
            collections,
            pages,
            backlinks: gathered.backlinks,
            cite_labels,
            updated: Default::default(),
            index,
            language,
            translations,
            page_translations,
            lost,
        };
        let lists: Vec<RecordKey> = atlas.backlinks.keys().cloned().collect();
        atlas.sort_backlinks(lists.iter());
        atlas
    }
}

/// One record per (collection, id): a second one is an error naming the first, and so is an
/// id that would take the URL of the collection's facet pages. Returns the records kept and
/// their titles, which every later pass resolves names against.
fn index_records(
    checked: Vec<Checked>,
    config: &Config,
    diags: &mut Diagnostics,
) -> (Vec<Checked>, HashMap<RecordKey, String>) {
    let mut titles: HashMap<RecordKey, String> = HashMap::with_capacity(checked.len());
    let mut kept: Vec<Checked> = Vec::with_capacity(checked.len());
    for c in checked {
        let key = RecordKey::new(c.raw.collection.clone(), c.raw.id.clone());
        if titles.contains_key(&key) {
            let first = kept.iter().find(|k| key.is(&k.raw.collection, &k.raw.id)).map(|k| &k.raw.file);
            diags.push(
                Diagnostic::error(&c.raw.file, c.raw.pos, format!("duplicate id `{}` in `{}`", key.id, key.collection))
                    .with_help(format!(
                        "`{}` is already defined in {}; ids must be unique within a collection",
                        key.id,
                        first.map_or("", String::as_str)
                    )),
            );
            continue;
        }
        let spec = config.collection(&key.collection).expect("content only loads known collections");
        if spec.facets.iter().any(|f| facet_dir(&f.value) == key.id) {
            diags.push(
                Diagnostic::error(
                    &c.raw.file,
                    c.raw.pos,
                    format!("id `{}` clashes with the facet pages of `{}`", key.id, key.collection),
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
    (kept, titles)
}

/// A plain page's URL must be its own: not a collection's, another page's, a language's folder
/// or one of atlasgen's own (`search`, `data`, …).
fn check_page_ids(raw_pages: &[RawPage], config: &Config, diags: &mut Diagnostics) {
    let prefixes: Vec<String> =
        config.languages().into_iter().skip(1).map(|l| l.prefix.trim_end_matches('/').to_string()).collect();
    for p in raw_pages {
        let reserved = crate::urls::RESERVED.contains(&p.id.as_str()) || prefixes.contains(&p.id);
        let twice = raw_pages.iter().filter(|o| o.id == p.id).count() > 1;
        if reserved || config.collections.contains_key(&p.id) || twice {
            diags.push(
                Diagnostic::error(
                    &p.file,
                    Pos::FILE,
                    format!("the page `{}` has the same URL as a collection, another page, a language's folder or one of atlasgen's own (search, data, assets, pagefind)", p.id),
                )
                .with_help("rename the file"),
            );
        }
    }
}

/// The short label of every source ("Chu & Duong 2024"), by id: narrative citations show it,
/// so it must be known before any narrative is rendered.
fn citation_labels(kept: &[Checked], titles: &HashMap<RecordKey, String>, config: &Config) -> HashMap<String, String> {
    kept.iter()
        .filter(|c| c.raw.collection == config.citations())
        .map(|c| {
            (c.raw.id.clone(), cite_label(c, titles.title(&c.raw.collection, &c.raw.id).unwrap_or(&c.raw.id), config))
        })
        .collect()
}

/// Every record on its own, in parallel: references checked, narrative rendered once (or taken
/// from the memo). What each gives the rest of the atlas is gathered afterwards, in order.
fn build_records(kept: Vec<Checked>, env: &RecordEnv) -> Vec<Built> {
    kept.into_par_iter().map(|c| env.build(c)).collect()
}

/// The plain pages' narrative, rendered; its problems reported against the page's file.
fn render_pages(raw_pages: &[RawPage], lookup: &Lookup, diags: &mut Diagnostics) -> Vec<Page> {
    raw_pages
        .iter()
        .map(|p| {
            let r = markdown::render(&p.body.text, lookup, false);
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
        .collect()
}

/// What the built records give the atlas, gathered in record order.
struct Gathered {
    /// The records, by collection (configuration order), not yet sorted.
    collections: IndexMap<String, Vec<Record>>,
    /// Who points at each record, unsorted and with repeats.
    backlinks: HashMap<RecordKey, Vec<Backlink>>,
    /// The heading ids of the records some section link points into.
    headings: HashMap<RecordKey, Vec<String>>,
    /// Section links to check.
    wanted: Vec<SectionWanted>,
    /// Records that link nowhere: orphans unless something links to them.
    quiet: Vec<Quiet>,
}

/// A record that links nowhere, and where it is.
struct Quiet {
    key: RecordKey,
    file: String,
    pos: Pos,
}

/// Puts each built record in its collection and its links into its targets' backlinks,
/// keeping what the checks after need: headings, section links, records that link nowhere.
/// The records' own problems are reported here, in record order.
fn gather(built: Vec<Built>, config: &Config, diags: &mut Diagnostics) -> Gathered {
    let mut collections: IndexMap<String, Vec<Record>> =
        config.collections.keys().map(|k| (k.clone(), Vec::new())).collect();
    // Repeats (a record naming another twice) go when the lists are sorted: looking for one
    // on every addition took time quadratic in the records naming one target.
    let mut backlinks: HashMap<RecordKey, Vec<Backlink>> = HashMap::new();
    // Headings are kept only for the records some link wants a section of.
    let sections_wanted: HashSet<RecordKey> =
        built.iter().flat_map(|b| b.anchors.wanted.iter().map(|w| w.target.clone())).collect();
    let mut headings: HashMap<RecordKey, Vec<String>> = HashMap::new();
    let mut wanted: Vec<SectionWanted> = Vec::new();
    let mut quiet: Vec<Quiet> = Vec::new();
    for b in built {
        if b.quiet() {
            quiet.push(Quiet { key: b.record.key(), file: b.record.file.clone(), pos: b.record.pos });
        }
        let from = b.record.key();
        for Edge { target, kind } in b.edges(config) {
            backlinks.entry(target).or_default().push(Backlink { kind, from: from.clone() });
        }
        let Built { record, problems, anchors, .. } = b;
        diags.extend(problems);
        wanted.extend(anchors.wanted);
        if !sections_wanted.is_empty() && sections_wanted.contains(&from) {
            headings.insert(from, anchors.own);
        }
        collections.get_mut(&record.collection).expect("a configured collection").push(record);
    }
    Gathered { collections, backlinks, headings, wanted, quiet }
}

/// Links into a record's sections must name one of its headings: known only once every
/// record's narrative is rendered.
fn check_section_links(
    wanted: Vec<SectionWanted>,
    headings: &HashMap<RecordKey, Vec<String>>,
    titles: &HashMap<RecordKey, String>,
    lost: &Lost,
    diags: &mut Diagnostics,
) {
    for SectionWanted { file, target, anchor, pos } in wanted {
        if !titles.contains_key(&target) && lost.covers(&target.collection) {
            continue; // the record may be in a file that could not be read
        }
        let ids = headings.get(&target).map(Vec::as_slice).unwrap_or(&[]);
        if !ids.contains(&anchor) {
            let help = match did_you_mean(&anchor, ids.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `#{s}`?"),
                None if ids.is_empty() => {
                    format!("`{}` has no headings to link to; link the record without #", target.id)
                }
                None => format!(
                    "headings of `{}`: {}",
                    target.id,
                    ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")
                ),
            };
            diags.push(Diagnostic::error(file, pos, format!("`{target}` has no section `#{anchor}`")).with_help(help));
        }
    }
}

/// A record that links nowhere and that nothing links to is probably forgotten: known only
/// once every backlink is. While a file is lost, what links to a record is not known.
fn warn_orphans(
    quiet: Vec<Quiet>,
    backlinks: &HashMap<RecordKey, Vec<Backlink>>,
    lost: &Lost,
    diags: &mut Diagnostics,
) {
    for Quiet { key, file, pos } in quiet.into_iter().filter(|_| lost.is_empty()) {
        if !backlinks.contains_key(&key) {
            diags.push(
                Diagnostic::warning(
                    file,
                    pos,
                    format!(
                        "`{}` in `{}` is an orphan: it links to no record and none links to it",
                        key.id, key.collection
                    ),
                )
                .with_help("reference it from a related record, cite a source in it, or remove it"),
            );
        }
    }
}

/// Where each record stands in its sorted collection, by collection then id.
fn position_index(collections: &IndexMap<String, Vec<Record>>) -> HashMap<String, HashMap<String, usize>> {
    collections
        .iter()
        .map(|(name, rs)| (name.clone(), rs.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect()))
        .collect()
}

/// Record translations by language: each must translate a record that exists, and give only
/// what that record has.
fn attach_translations(
    translated: Vec<Checked>,
    collections: &IndexMap<String, Vec<Record>>,
    index: &HashMap<String, HashMap<String, usize>>,
    titles: &HashMap<RecordKey, String>,
    lost: &Lost,
    diags: &mut Diagnostics,
) -> HashMap<String, HashMap<RecordKey, Translation>> {
    let mut translations: HashMap<String, HashMap<RecordKey, Translation>> = HashMap::new();
    for c in translated {
        let key = RecordKey::new(c.raw.collection.clone(), c.raw.id.clone());
        let lang = c.raw.lang.clone().unwrap_or_default();
        let Some(at) = index.get(&key.collection).and_then(|ids| ids.get(&key.id)).copied() else {
            if lost.covers(&key.collection) {
                continue; // the record may be in a file that could not be read
            }
            let ids = titles.keys().filter(|k| k.collection == key.collection).map(|k| k.id.as_str());
            let listed = c.raw.body.is_none();
            let help = match did_you_mean(&key.id, ids) {
                Some(s) if listed => format!("did you mean `{s}`?"),
                Some(s) => format!("did you mean `{s}.{lang}.md`?"),
                None if listed => format!("give the id of a record of `{}`", key.collection),
                None => format!(
                    "add content/{}/{}.md first, or rename this file after the record it translates",
                    key.collection, key.id
                ),
            };
            diags.push(
                Diagnostic::error(
                    &c.raw.file,
                    if listed { c.raw.pos } else { Pos::FILE },
                    format!(
                        "this `{lang}` translation has no record `{}` in `{}` to translate",
                        key.id, key.collection
                    ),
                )
                .with_help(help),
            );
            continue;
        };
        diags.extend(misaligned(&c, &collections[&key.collection][at].fields));
        let t = Translation { file: c.raw.file, pos: c.raw.pos, fields: c.fields, body: c.raw.body };
        translations.entry(lang).or_default().insert(key, t);
    }
    translations
}

/// Page translations by language, then page id: each must translate a page that exists.
fn attach_page_translations(
    translated_pages: Vec<RawPage>,
    raw_pages: &[RawPage],
    diags: &mut Diagnostics,
) -> HashMap<String, HashMap<String, RawPage>> {
    let mut page_translations: HashMap<String, HashMap<String, RawPage>> = HashMap::new();
    for p in translated_pages {
        let lang = p.lang.clone().unwrap_or_default();
        if !raw_pages.iter().any(|o| o.id == p.id) {
            diags.push(
                Diagnostic::error(
                    &p.file,
                    Pos::FILE,
                    format!("this `{lang}` translation has no page `{}` to translate", p.id),
                )
                .with_help(format!("add content/{}.md first, or rename this file after the page it translates", p.id)),
            );
            continue;
        }
        page_translations.entry(lang).or_default().insert(p.id.clone(), p);
    }
    page_translations
}

#[cfg(test)]
mod tests {
    use crate::config::CONFIG_FILE;

    /// The citation labels of an atlas whose sources are `sources` (a YAML list), with the
    /// `citation_label` setting `setting` (empty: the defaults).
    fn labels(setting: &str, sources: &str) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        let atlas = format!(
            "title: T\nbase_url: https://x.org/\n{setting}collections:\n  works:\n    title: Works\n    singular: Work\n    title_field: title\n    fields:\n      title: {{type: string, required: true}}\n      authors: {{type: list, item: {{type: string}}}}\n      creators: {{type: list, item: {{type: string}}}}\n      year: {{type: integer}}\n      issued: {{type: integer}}\n      date: {{type: date}}\n"
        );
        std::fs::write(dir.path().join(CONFIG_FILE), atlas.replace("title: T\n", "title: T\ncitations: works\n"))
            .unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/works.yaml"), sources).unwrap();
        let (editions, _) =
            crate::load(dir.path(), None, &mut crate::timings::Timings::default(), &mut crate::LoadCache::default())
                .unwrap_or_else(|d| panic!("{d:?}"));
        let mut out: Vec<(String, String)> =
            editions[0].atlas.cite_labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        out.sort();
        out
    }

    const WORKS: &str = "- id: a\n  title: Alpha\n  authors: [\"Chu, T.\", \"Duong, V.\"]\n  creators: [\"Le, A.\"]\n  year: 2024\n  issued: 1999\n- id: b\n  title: Beta\n  date: 2010-05-01\n  creators: [\"Le, A.\", \"Tran, B.\", \"Pham, C.\"]\n";

    #[test]
    fn citation_labels_read_authors_and_year_by_default() {
        assert_eq!(
            labels("", WORKS),
            [("a".to_string(), "Chu & Duong 2024".to_string()), ("b".to_string(), "Beta 2010".to_string())]
        );
    }

    #[test]
    fn citation_labels_read_the_fields_the_configuration_names() {
        assert_eq!(
            labels("citation_label: {authors: creators, year: issued}\n", WORKS),
            [("a".to_string(), "Le 1999".to_string()), ("b".to_string(), "Le et al. 2010".to_string())]
        );
    }
}
