//! How narrative's headings and tables become HTML: unique heading ids, heading attributes
//! other than an id and classes shown as text, table alignment as classes.

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};

/// The ids given to a text's headings, each unique: a repeated one gets `-2`, `-3`… In time
/// linear in the number of headings, however many repeat: each base remembers the last
/// number it tried, and a number is passed over only when an id of that exact form is taken,
/// which each id can cause once.
#[derive(Default)]
pub(super) struct HeadingIds {
    pub(super) given: Vec<String>,
    taken: std::collections::HashSet<String>,
    /// The last number tried for each base.
    next: std::collections::HashMap<String, usize>,
}

impl HeadingIds {
    pub(super) fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() { "section".to_string() } else { base };
        let mut unique = base.clone();
        if self.taken.contains(&unique) {
            let n = self.next.entry(base.clone()).or_insert(1);
            loop {
                *n += 1;
                unique = format!("{base}-{n}");
                if !self.taken.contains(&unique) {
                    break;
                }
            }
        }
        self.taken.insert(unique.clone());
        self.given.push(unique.clone());
        unique
    }
}

/// Table cells with a column alignment (`|:--|`) get a class (`align-center`) instead of the
/// `style` attribute pulldown-cmark would write: narrative never carries styles.
#[derive(Default)]
pub(super) struct TableCells {
    alignments: Vec<Alignment>,
    head: bool,
    column: usize,
}

impl TableCells {
    pub(super) fn map<'a>(&mut self, e: Event<'a>) -> Event<'a> {
        let tag = if self.head { "th" } else { "td" };
        let class = |a: Option<&Alignment>| match a {
            Some(Alignment::Left) => Some("align-left"),
            Some(Alignment::Center) => Some("align-center"),
            Some(Alignment::Right) => Some("align-right"),
            _ => None,
        };
        match e {
            Event::Start(Tag::Table(alignments)) => {
                let plain = vec![Alignment::None; alignments.len()];
                self.alignments = alignments;
                Event::Start(Tag::Table(plain))
            }
            Event::Start(Tag::TableHead) => {
                (self.head, self.column) = (true, 0);
                e
            }
            Event::End(TagEnd::TableHead) => {
                self.head = false;
                e
            }
            Event::Start(Tag::TableRow) => {
                self.column = 0;
                e
            }
            Event::Start(Tag::TableCell) => match class(self.alignments.get(self.column)) {
                Some(c) => Event::Html(format!("<{tag} class=\"{c}\">").into()),
                None => e,
            },
            Event::End(TagEnd::TableCell) => {
                let aligned = class(self.alignments.get(self.column)).is_some();
                self.column += 1;
                if aligned { Event::Html(format!("</{tag}>").into()) } else { e }
            }
            e => e,
        }
    }
}

/// Heading attributes other than `#id` and `.class` as the text an editor wrote
/// (` {key=value key}`), or `None` when there are none. They are shown, not applied: an
/// attribute block could otherwise add event handlers (`{onfocus=…}`) or styles to a page,
/// and narrative may not carry script or layout, as with raw HTML.
pub(super) fn attributes_as_text(attrs: &[(CowStr, Option<CowStr>)]) -> Option<String> {
    if attrs.is_empty() {
        return None;
    }
    let parts: Vec<String> = attrs
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.to_string(),
        })
        .collect();
    Some(format!(" {{{}}}", parts.join(" ")))
}
