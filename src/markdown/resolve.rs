//! What Markdown rendering is given (a [`Resolve`] of the atlas's records, pages, sources and
//! images) and gives back ([`Rendered`]).

use crate::ids::RecordKey;
use crate::source::Problem;

/// What the renderer needs to know about the rest of the atlas.
pub trait Resolve {
    /// URL and title of a record, or `None` if there is no such record.
    fn record(&self, collection: &str, id: &str) -> Option<(String, String)>;
    /// URL of a collection index or a plain page named by a one-segment `@/name` link.
    fn named(&self, name: &str) -> Option<String>;
    /// URL and short label of a cited source.
    fn source(&self, id: &str) -> Option<(String, String)>;
    /// Prefix for site-absolute paths (`/` or `/sub/`): the site root in every language, so
    /// `/images/x.png` in a translation is the same file.
    fn base_path(&self) -> &str;
    /// The image a narrative image's path names, with its copies (see [`crate::images::load`]),
    /// or why there is none: no such file under `static/`, an address elsewhere, not an image.
    fn image(&self, src: &str) -> Result<std::sync::Arc<crate::images::Image>, String>;
    /// Where citable sources live, for hints (`content/sources.yaml`).
    fn sources_hint(&self) -> String {
        "the bibliography".into()
    }
}

/// The result of rendering: HTML, what it cites and links, and what was wrong.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Source ids cited, in order of first citation.
    pub cited: Vec<String>,
    /// Records linked.
    pub linked: Vec<RecordKey>,
    /// Links into a record's sections, checked once every record's headings are known.
    pub anchors_wanted: Vec<SectionLink>,
    /// The ids given to this text's headings.
    pub anchors: Vec<String>,
    /// The images it shows, as paths under `static/`, whose copies the site must hold.
    pub images: Vec<String>,
    /// What is wrong in the text, at byte offsets of it.
    pub problems: Vec<Problem>,
}

/// A link into a section of a record (`[text](@/gates/mong-cai#trade)`).
#[derive(Debug, Clone, PartialEq)]
pub struct SectionLink {
    pub target: RecordKey,
    /// The heading id after `#`.
    pub anchor: String,
    /// Where the link starts in the text, in bytes.
    pub offset: usize,
}

/// The alt text that marks a narrative image decorative (`![-](/images/rule.png)`): it is
/// shown with an empty alt, so screen readers pass over it. An empty alt is an error, so an
/// image is never left undescribed by accident.
pub const DECORATIVE_ALT: &str = "-";
