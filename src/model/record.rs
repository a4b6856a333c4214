//! One record as a build of the model makes it: its references checked, its narrative
//! rendered (or taken from the memo), and what it gives the rest of the atlas: backlinks,
//! section links to check, whether it links anywhere. A build makes every record this way; a
//! patch makes the edited ones.

use super::resolve::{Edge, Lost, Titles, check_refs};
use super::{BacklinkKind, Memo, Record, RecordKey};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::links::texts_of;
use crate::markdown::Resolve;
use crate::validate::Checked;

/// What a record's narrative says about links: its own heading ids, the sections of other
/// records it links to, and the records it mentions.
#[derive(Debug, Default)]
pub(super) struct Anchors {
    pub(super) own: Vec<String>,
    pub(super) wanted: Vec<SectionWanted>,
    pub(super) linked: Vec<RecordKey>,
}

/// A link into a section of a record, checked once every record's headings are known.
#[derive(Debug, Clone)]
pub(super) struct SectionWanted {
    /// The file of the record that links.
    pub(super) file: String,
    pub(super) target: RecordKey,
    /// The heading id it names.
    pub(super) anchor: String,
    /// Where the link is, in the linking record's file.
    pub(super) pos: crate::diag::Pos,
}

/// A record's narrative as a keeping memo holds it, by text slot.
pub(super) type Texts = Vec<Option<std::sync::Arc<super::memo::Narrative>>>;

/// One record as the parallel stage of [`Atlas::build_with`] leaves it.
pub(super) struct Built {
    pub(super) record: Record,
    /// Whether its fields hold any reference, resolved or not.
    pub(super) points: bool,
    /// Its resolved references, as backlinks to add.
    pub(super) refs: Vec<Edge>,
    /// The sources its Markdown cites.
    pub(super) cited: Vec<String>,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) anchors: Anchors,
    /// Its narrative, for a keeping memo.
    pub(super) texts: Option<(RecordKey, Texts)>,
}

/// What building one record needs: the atlas's titles and a resolver for its narrative
/// (those of the atlas being built, or of the atlas being patched).
pub(super) struct RecordEnv<'a> {
    pub(super) config: &'a Config,
    pub(super) titles: &'a dyn Titles,
    pub(super) resolve: &'a (dyn Resolve + Sync),
    pub(super) memo: &'a Memo,
    pub(super) multilingual: bool,
    /// What files that could not be read took (see [`Lost`]).
    pub(super) lost: &'a Lost,
}

impl RecordEnv<'_> {
    /// Checks a record's references and renders its narrative (or takes it from the memo).
    pub(super) fn build(&self, c: Checked) -> Built {
        let RecordEnv { config, titles, resolve, memo, multilingual, lost } = *self;
        // Every reference must land on a record of the right collection.
        let (refs, mut problems, unchecked) =
            check_refs(&c.fields, &c.raw.collection, &c.raw.file, config, titles, lost);
        // A dangling reference still points somewhere: the error says where.
        let points = !refs.is_empty() || !problems.is_empty() || unchecked > 0;
        let mut cited = Vec::new();
        let mut anchors = Anchors::default();
        let key = RecordKey::new(c.raw.collection.clone(), c.raw.id.clone());
        let mut texts = Vec::new();
        let mut images = Vec::new();
        let body_html = c.raw.body.as_ref().map(|b| {
            let n = memo.render(&key, 0, &b.text, resolve, false);
            let r = &n.found;
            anchors.own = r.anchors.clone();
            anchors.linked = r.linked.clone();
            let mut at = crate::source::Positions::new(&b.text, b.line);
            anchors.wanted = r
                .anchors_wanted
                .iter()
                .map(|w| SectionWanted {
                    file: c.raw.file.clone(),
                    target: w.target.clone(),
                    anchor: w.anchor.clone(),
                    pos: at.at(w.offset),
                })
                .collect();
            problems.extend(crate::source::diagnostics(&c.raw.file, &b.text, b.line, &r.problems));
            cited.extend(r.cited.iter().cloned());
            images.extend(r.images.iter().cloned());
            let html = std::sync::Arc::clone(&n.html);
            texts.push(Some(n));
            html
        });
        if body_html.is_none() {
            texts.push(None);
        }
        for (i, (field, text, at)) in texts_of(&c.fields).into_iter().enumerate() {
            let n = memo.render(&key, i + 1, text, resolve, true);
            for p in &n.found.problems {
                problems.push(
                    Diagnostic::error(&c.raw.file, at, format!("in `{field}`: {}", p.message)).with_help(&p.help),
                );
            }
            cited.extend(n.found.cited.iter().cloned());
            images.extend(n.found.images.iter().cloned());
            texts.push(Some(n));
        }
        let title = titles.title(&key.collection, &key.id).unwrap_or(&key.id).to_string();
        let texts = if memo.keeps() { Some((key.clone(), texts)) } else { None };
        let record = Record {
            collection: key.collection,
            id: key.id,
            file: c.raw.file,
            pos: c.raw.pos,
            title,
            fields: c.fields,
            body_html,
            body_md: if multilingual { c.raw.body } else { None },
            images,
            canonical: None,
            untranslated: false,
        };
        Built { record, points, refs, cited, problems, anchors, texts }
    }
}

impl Built {
    /// The backlinks this record gives, in the order a build adds them.
    pub(super) fn edges(&self, config: &Config) -> Vec<Edge> {
        edges(&self.refs, &self.cited, &self.anchors.linked, &self.record, config)
    }

    /// Whether the record links nowhere: an orphan unless something links to it.
    pub(super) fn quiet(&self) -> bool {
        !self.points && self.cited.is_empty() && self.anchors.linked.is_empty()
    }
}

/// The backlinks a record with these references, citations and narrative links gives: its
/// fields' references, then the sources it cites, then the records its narrative mentions
/// (not itself).
pub(super) fn edges(
    refs: &[Edge],
    cited: &[String],
    linked: &[RecordKey],
    from: &Record,
    config: &Config,
) -> Vec<Edge> {
    let mut out: Vec<Edge> = refs.to_vec();
    out.extend(
        cited
            .iter()
            .map(|id| Edge { target: RecordKey::new(config.citations(), id.clone()), kind: BacklinkKind::Cited }),
    );
    out.extend(
        linked
            .iter()
            .filter(|k| !k.is(&from.collection, &from.id))
            .map(|k| Edge { target: k.clone(), kind: BacklinkKind::Mentioned }),
    );
    out
}
