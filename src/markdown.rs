//! Markdown narrative to HTML, with the atlas's two extensions:
//! citations `[@source-id]` / `[@source-id, locator]` and record links `[text](@/collection/id)`.
//!
//! Raw HTML in narrative is not passed through: it is shown as text. Narrative is written by
//! many editors and published as is, so the policy is the simple safe one; layout belongs in
//! templates. For the same reason a heading's attribute block may set only an id and classes
//! (`## Trade {#trade .wide}`); anything else in it is shown as text, and links to
//! `javascript:`, `vbscript:` and `data:` URLs are refused. Site-absolute links
//! (`/images/x.png`) get the base path.

use crate::ids::{RecordKey, slug};
use pulldown_cmark::{Alignment, BrokenLink, CowStr, Event, Options, Parser, Tag, TagEnd, html};

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

/// A problem in narrative text, at a byte offset of the Markdown source.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub help: String,
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

/// A narrative image being read: where it starts, its path and title, its alt text so far.
struct ImageRead {
    offset: usize,
    src: String,
    title: String,
    alt: String,
}

const CITE_PREFIX: &str = "atlasgen-cite:";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a block of narrative. With `inline`, a single paragraph is returned without `<p>`.
pub fn render(md: &str, resolve: &dyn Resolve, inline: bool) -> Rendered {
    let mut out = Rendered::default();
    let mut callback = |link: BrokenLink<'_>| {
        let label = link.reference.trim();
        label.starts_with('@').then(|| (CowStr::from(format!("{CITE_PREFIX}{label}")), CowStr::from("")))
    };
    let parser = Parser::new_with_broken_link_callback(md, options(), Some(&mut callback)).into_offset_iter();
    let mut events: Vec<Event> = Vec::new();
    let mut in_cite = false;
    // A heading being read: its attributes other than an id and classes, to be shown as text,
    // and its events.
    let mut heading: Option<(Option<String>, Vec<Event>)> = None;
    let mut ids = HeadingIds::default();
    let mut table = TableCells::default();
    let mut image: Option<ImageRead> = None;
    // Where in `events` each image's picture sits, with its figure: an image alone in its
    // paragraph becomes the figure.
    let mut figures: Vec<(usize, String)> = Vec::new();

    for (event, range) in parser {
        if image.is_some() {
            match event {
                Event::End(TagEnd::Image) => {
                    let img = image.take().expect("an image is being read");
                    let (picture, figure) = image_html(img, resolve, &mut out);
                    if heading.is_none()
                        && let Some(f) = figure
                    {
                        figures.push((events.len(), f));
                    }
                    match &mut heading {
                        Some((_, buf)) => buf.push(Event::InlineHtml(picture.into())),
                        None => events.push(Event::InlineHtml(picture.into())),
                    }
                }
                Event::Text(t) | Event::Code(t) => image.as_mut().expect("reading").alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => image.as_mut().expect("reading").alt.push(' '),
                _ => {}
            }
            continue;
        }
        if in_cite {
            if matches!(event, Event::End(TagEnd::Link)) {
                in_cite = false;
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with(CITE_PREFIX) => {
                in_cite = true;
                Event::Html(cite_html(&dest_url[CITE_PREFIX.len()..], range.start, resolve, &mut out).into())
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = rewrite_dest(&dest_url, range.start, resolve, &mut out);
                Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id })
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                image = Some(ImageRead {
                    offset: range.start,
                    src: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                });
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            e => table.map(e),
        };
        // Headings get an id from their text, so sections can be linked.
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { level, id, classes, attrs })) => {
                let explicit = id.map(|i| i.to_string());
                heading = Some((
                    attributes_as_text(&attrs),
                    vec![Event::Start(Tag::Heading {
                        level,
                        id: explicit.map(CowStr::from),
                        classes,
                        attrs: Vec::new(),
                    })],
                ));
            }
            (Some((shown, buf)), Event::End(TagEnd::Heading(level))) => {
                let mut buf = std::mem::take(buf);
                let shown = shown.take();
                heading = None;
                let text: String = buf
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                if let Event::Start(Tag::Heading { id, .. }) = &mut buf[0] {
                    let base = id.as_ref().map(|i| i.to_string()).unwrap_or_else(|| slug(&text));
                    *id = Some(ids.unique(base).into());
                }
                events.extend(buf);
                events.extend(shown.map(|s| Event::Text(s.into())));
                events.push(Event::End(TagEnd::Heading(level)));
            }
            (Some((_, buf)), e) => buf.push(e),
            (None, e) => events.push(e),
        }
    }
    // A paragraph holding only an image is its figure.
    let mut dropped = vec![false; events.len()];
    for (i, figure) in figures {
        if i > 0
            && matches!(events[i - 1], Event::Start(Tag::Paragraph))
            && matches!(events.get(i + 1), Some(Event::End(TagEnd::Paragraph)))
        {
            events[i] = Event::Html(format!("{figure}\n").into());
            (dropped[i - 1], dropped[i + 1]) = (true, true);
        }
    }
    let mut n = 0;
    events.retain(|_| {
        n += 1;
        !dropped[n - 1]
    });
    if inline {
        let paragraphs = events.iter().filter(|e| matches!(e, Event::Start(Tag::Paragraph))).count();
        if paragraphs == 1 && matches!(events.first(), Some(Event::Start(Tag::Paragraph))) {
            events.retain(|e| !matches!(e, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)));
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out.anchors = ids.given;
    out
}

/// A narrative image as an inline `<picture>` and, when it has a file to show, as the
/// `<figure>` it becomes alone in its paragraph (its title is the caption, Markdown like
/// any inline text). Its alt text is required unless it is [`DECORATIVE_ALT`]; the file must
/// be under `static/`. A problem leaves the image out, with a link to its path in its place.
fn image_html(img: ImageRead, resolve: &dyn Resolve, out: &mut Rendered) -> (String, Option<String>) {
    let ImageRead { offset, src, title, alt } = img;
    let alt = alt.trim();
    let mut ok = true;
    if alt.is_empty() {
        out.problems.push(Problem {
            offset,
            message: format!("the image {src} has no alt text"),
            help: format!(
                "write what it shows between the brackets, ![Stone bridge over the gorge]({src}), for readers who cannot see it; or ![{DECORATIVE_ALT}]({src}) if it adds nothing the text does not say"
            ),
        });
        ok = false;
    }
    let alt = if alt == DECORATIVE_ALT { "" } else { alt };
    let shown = match resolve.image(&src) {
        Ok(image) if ok => image,
        Ok(_) => return (String::new(), None),
        Err(why) => {
            out.problems.push(Problem {
                offset,
                message: why,
                help: "narrative images are files under static/: ![alt](/images/photo.jpg \"caption\") shows static/images/photo.jpg".into(),
            });
            return (String::new(), None);
        }
    };
    if !out.images.contains(&shown.path) {
        out.images.push(shown.path.clone());
    }
    let base = resolve.base_path();
    let caption = (!title.trim().is_empty()).then(|| {
        let c = render(&title, resolve, true);
        for id in c.cited {
            if !out.cited.contains(&id) {
                out.cited.push(id);
            }
        }
        out.linked.extend(c.linked);
        out.problems.extend(c.problems.into_iter().map(|p| Problem { offset, ..p }));
        c.html
    });
    (shown.picture_html(base, alt), Some(crate::images::figure_html(&shown, base, alt, caption.as_deref(), None)))
}

/// The ids given to a text's headings, each unique: a repeated one gets `-2`, `-3`… In time
/// linear in the number of headings, however many repeat: each base remembers the last
/// number it tried, and a number is passed over only when an id of that exact form is taken,
/// which each id can cause once.
#[derive(Default)]
struct HeadingIds {
    given: Vec<String>,
    taken: std::collections::HashSet<String>,
    /// The last number tried for each base.
    next: std::collections::HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, base: String) -> String {
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
struct TableCells {
    alignments: Vec<Alignment>,
    head: bool,
    column: usize,
}

impl TableCells {
    fn map<'a>(&mut self, e: Event<'a>) -> Event<'a> {
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
fn attributes_as_text(attrs: &[(CowStr, Option<CowStr>)]) -> Option<String> {
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

/// `[@a, §3; @b]` to `<cite>` links, noting each cited id. A part without `@` adds a further
/// locator to the source before it: `[@a, §1; §3]`.
fn cite_html(label: &str, offset: usize, resolve: &dyn Resolve, out: &mut Rendered) -> String {
    let mut cites: Vec<(String, Vec<String>)> = Vec::new();
    for one in label.split(';').map(str::trim) {
        match (one.strip_prefix('@'), cites.last_mut()) {
            (Some(rest), _) => {
                let (id, loc) = match rest.split_once(',') {
                    Some((id, loc)) => (id.trim(), vec![loc.trim().to_string()]),
                    None => (rest.trim(), vec![]),
                };
                cites.push((id.to_string(), loc));
            }
            (None, Some((_, locs))) => locs.push(one.to_string()),
            (None, None) => out.problems.push(Problem {
                offset,
                message: format!("citation \"{one}\" does not start with @"),
                help: "write [@source-id] or [@source-id, locator]".into(),
            }),
        }
    }
    let mut parts = Vec::new();
    for (id, locs) in cites {
        let locator_html = if locs.is_empty() { String::new() } else { format!(", {}", escape(&locs.join("; "))) };
        match resolve.source(&id) {
            Some((url, short)) => {
                if !out.cited.contains(&id) {
                    out.cited.push(id.clone());
                }
                parts.push(format!("<a href=\"{}\">{}</a>{locator_html}", escape(&url), escape(&short)));
            }
            None => {
                out.problems.push(Problem {
                    offset,
                    message: format!("citation of unknown source `{id}`"),
                    help: format!("cite the id of a record in {}", resolve.sources_hint()),
                });
                parts.push(format!("{}{locator_html}", escape(&id)));
            }
        }
    }
    format!("<cite class=\"cite\">({})</cite>", parts.join("; "))
}

/// Schemes that run code when a link is followed, or carry a document of their own (`data:`,
/// where an SVG or HTML document can hold script); narrative may not use them.
fn is_script_url(dest: &str) -> bool {
    let d: String =
        dest.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    d.starts_with("javascript:") || d.starts_with("vbscript:") || d.starts_with("data:")
}

/// `@/collection/id#anchor` to the record's URL; `/path` to the base path; script URLs are
/// refused; others unchanged.
fn rewrite_dest(dest: &str, offset: usize, resolve: &dyn Resolve, out: &mut Rendered) -> String {
    if is_script_url(dest) {
        out.problems.push(Problem {
            offset,
            message: "links to javascript:, vbscript: or data: URLs are not allowed in narrative".into(),
            help: "link to a page (https://…) or a record (@/collection/id), and put images in static/; scripts belong in templates".into(),
        });
        return "#".into();
    }
    if let Some(target) = dest.strip_prefix("@/") {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, format!("#{a}")),
            None => (target, String::new()),
        };
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let url = match segments.as_slice() {
            [collection, id] => resolve.record(collection, id).map(|(url, _)| {
                let target = RecordKey::new(*collection, *id);
                if let Some(a) = anchor.strip_prefix('#') {
                    out.anchors_wanted.push(SectionLink { target: target.clone(), anchor: a.to_string(), offset });
                }
                out.linked.push(target);
                url
            }),
            [name] => resolve.named(name),
            _ => None,
        };
        return match url {
            Some(u) => format!("{u}{anchor}"),
            None => {
                out.problems.push(Problem {
                    offset,
                    message: format!("link to `@/{path}`, which does not exist"),
                    help: "link a record as @/<collection>/<id>, a collection as @/<collection>, a page as @/<page>"
                        .into(),
                });
                "#".into()
            }
        };
    }
    if dest.starts_with('/') && !dest.starts_with("//") {
        return format!("{}{}", resolve.base_path(), dest.trim_start_matches('/'));
    }
    dest.to_string()
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_to(&mut out, s); // writing to a String cannot fail
    out
}

/// [`escape`], written to `out`: runs of plain text are copied whole (the five specials are
/// ASCII, so a byte scan finds them), which matters when it escapes every value of every page.
pub fn escape_to(out: &mut (impl std::fmt::Write + ?Sized), s: &str) -> std::fmt::Result {
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&s[plain..i])?;
        out.write_str(entity)?;
        plain = i + 1;
    }
    out.write_str(&s[plain..])
}

/// Line and column (1-based) of a byte offset, given the file line where `text` starts.
pub fn position(text: &str, offset: usize, first_line: usize) -> crate::diag::Pos {
    Positions::new(text, first_line).at(offset)
}

/// Lines and columns of many offsets in one text (every problem and section link of a
/// narrative), in time linear in the text and the offsets: the line starts are found once,
/// and a column is counted on from the last one asked for when it is further along the same
/// line.
pub struct Positions<'a> {
    text: &'a str,
    first_line: usize,
    /// Byte offset of each line's start, made on the first question.
    lines: Vec<usize>,
    /// The last answer: its byte offset, line index and column.
    last: Option<(usize, usize, usize)>,
}

impl<'a> Positions<'a> {
    /// Positions in `text`, whose first line is line `first_line` of its file.
    pub fn new(text: &'a str, first_line: usize) -> Positions<'a> {
        Positions { text, first_line, lines: Vec::new(), last: None }
    }

    /// The file line and column of byte `offset` of the text.
    pub fn at(&mut self, offset: usize) -> crate::diag::Pos {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if self.lines.is_empty() {
            self.lines = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        }
        let line = self.lines.partition_point(|&start| start <= offset) - 1;
        let col = match self.last {
            Some((at, l, col)) if l == line && at <= offset => col + text[at..offset].chars().count(),
            _ => text[self.lines[line]..offset].chars().count() + 1,
        };
        self.last = Some((offset, line, col));
        crate::diag::Pos::new(self.first_line + line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Resolve for Fake {
        fn record(&self, c: &str, id: &str) -> Option<(String, String)> {
            (c == "gates" && id == "a").then(|| ("/sub/gates/a/".into(), "A".into()))
        }
        fn named(&self, name: &str) -> Option<String> {
            (name == "about").then(|| "/sub/about/".into())
        }
        fn source(&self, id: &str) -> Option<(String, String)> {
            (id == "chu-2024").then(|| ("/sub/sources/chu-2024/".into(), "Chu & Duong 2024".into()))
        }
        fn base_path(&self) -> &str {
            "/sub/"
        }
        /// `/img/m.png` is a 600×300 PNG; no other image exists.
        fn image(&self, src: &str) -> Result<std::sync::Arc<crate::images::Image>, String> {
            let rel = crate::images::relative_path(src)?;
            if rel != "img/m.png" {
                return Err(format!("the image static/{rel} does not exist"));
            }
            let img = image::DynamicImage::ImageRgb8(image::RgbImage::new(600, 300));
            let mut png = std::io::Cursor::new(Vec::new());
            img.write_to(&mut png, image::ImageFormat::Png).unwrap();
            Ok(crate::images::process(&rel, png.get_ref()).unwrap().image)
        }
    }

    #[test]
    fn citations_become_links() {
        let r = render("Fact [@chu-2024, §4].", &Fake, false);
        assert_eq!(
            r.html,
            "<p>Fact <cite class=\"cite\">(<a href=\"/sub/sources/chu-2024/\">Chu &amp; Duong 2024</a>, §4)</cite>.</p>\n"
        );
        assert_eq!(r.cited, vec!["chu-2024"]);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn several_locators_for_one_source() {
        let r = render("[@chu-2024, §1; §3]", &Fake, true);
        assert_eq!(
            r.html,
            "<cite class=\"cite\">(<a href=\"/sub/sources/chu-2024/\">Chu &amp; Duong 2024</a>, §1; §3)</cite>"
        );
    }

    #[test]
    fn unknown_citation_and_link_are_problems() {
        let md = "One.\n\nSee [@nobody] and [x](@/gates/zz).";
        let r = render(md, &Fake, false);
        assert_eq!(r.problems.len(), 2);
        assert_eq!(position(md, r.problems[0].offset, 10), crate::diag::Pos::new(12, 5));
    }

    #[test]
    fn record_links_and_base_path() {
        let r = render("[A](@/gates/a#x) [m](/img/m.png) [p](@/about)", &Fake, true);
        assert_eq!(
            r.html,
            "<a href=\"/sub/gates/a/#x\">A</a> <a href=\"/sub/img/m.png\">m</a> <a href=\"/sub/about/\">p</a>"
        );
        assert_eq!(r.linked, vec![RecordKey::new("gates", "a")]);
    }

    #[test]
    fn an_image_alone_is_a_figure_and_inline_one_a_picture() {
        let r =
            render("![A *dark* field](/img/m.png \"Dusk [@chu-2024]\")\n\nSee ![m](/img/m.png) here.", &Fake, false);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let (figure, para) = r.html.split_once("</figure>").expect("a figure");
        assert!(figure.starts_with("<figure class=\"figure\"><picture><source type=\"image/webp\""), "{}", r.html);
        assert!(figure.contains("alt=\"A dark field\" width=\"600\" height=\"300\" loading=\"lazy\""), "{}", r.html);
        assert!(figure.contains("srcset=\"/sub/assets/img/m-"), "{}", r.html);
        assert!(figure.contains("<figcaption>Dusk <cite class=\"cite\">"), "{}", r.html);
        assert!(para.trim_start().starts_with("<p>See <picture>") && !para.contains("<figure"), "{}", r.html);
        assert_eq!(r.cited, ["chu-2024"]);
        assert_eq!(r.images, ["img/m.png"]);
    }

    #[test]
    fn narrative_images_need_alt_text_and_a_file() {
        let md =
            "Intro.\n\n![](/img/m.png)\n\n![x](/img/gone.png)\n\n![y](https://example.org/a.png)\n\n![-](/img/m.png)";
        let r = render(md, &Fake, false);
        let found: Vec<(usize, &str)> =
            r.problems.iter().map(|p| (position(md, p.offset, 1).line, p.message.as_str())).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0], (3, "the image /img/m.png has no alt text"));
        assert_eq!(found[1], (5, "the image static/img/gone.png does not exist"));
        assert!(found[2].0 == 7 && found[2].1.contains("not a file of the atlas"), "{found:?}");
        assert!(r.html.contains("alt=\"\" width=\"600\""), "decorative: {}", r.html);
    }

    #[test]
    fn script_urls_are_refused() {
        for md in [
            "[x](javascript:alert(1))",
            "<JavaScript:alert(1)>",
            "[x][r]\n\n[r]: vbscript:x",
            "[x]( data:text/html,<b>)",
            "[x](data:image/svg+xml,<svg/onload=alert(1)>)",
            "![i](DATA:image/png;base64,AAAA)",
        ] {
            let r = render(md, &Fake, true);
            let html = r.html.to_lowercase();
            assert!(
                !html.contains("href=\"javascript")
                    && !html.contains("href=\"vbscript")
                    && !html.contains("href=\"data"),
                "{md}: {}",
                r.html
            );
            assert_eq!(r.problems.len(), 1, "{md}");
        }
    }

    #[test]
    fn heading_attributes_set_only_an_id_and_classes() {
        let md =
            "## Notes {tabindex=0 autofocus onfocus=alert(1)}\n\n## More {#more .wide style=color:red onclick=x}\n";
        let r = render(md, &Fake, false);
        let tags: Vec<&str> = r.html.split('<').filter(|t| t.starts_with("h2")).collect();
        for tag in &tags {
            let attrs = tag.split('>').next().unwrap();
            for bad in ["onfocus", "onclick", "autofocus", "tabindex", "style"] {
                assert!(!attrs.contains(bad), "{bad} in <{attrs}>: {}", r.html);
            }
        }
        // What is not an id or a class is shown as text, as raw HTML is.
        assert!(r.html.contains("<h2 id=\"notes\">Notes {tabindex=0 autofocus onfocus=alert(1)}</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"more\" class=\"wide\">More {style=color:red onclick=x}</h2>"), "{}", r.html);
        assert_eq!(r.anchors, ["notes", "more"]);
    }

    #[test]
    fn repeated_headings_get_numbered_ids_in_linear_time() {
        let r = render("## A\n## A {#a-2}\n## A\n## B\n## A-3\n## A\n## \n## ?\n", &Fake, false);
        assert_eq!(r.anchors, ["a", "a-2", "a-3", "b", "a-3-2", "a-4", "section", "section-2"]);
        // 40,000 of the same heading (a 240 kB narrative) took minutes when each counted up
        // from 1; linear, it takes milliseconds.
        let md = "## A\n\nx\n\n".repeat(40_000);
        let start = std::time::Instant::now();
        let r = render(&md, &Fake, false);
        assert_eq!(r.anchors.len(), 40_000);
        assert_eq!(r.anchors.last().map(String::as_str), Some("a-40000"));
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    #[test]
    fn positions_of_many_offsets_in_linear_time() {
        let text = "ab\nMóng Cái x\n\nlast";
        for (offset, (line, col)) in
            [(0, (10, 1)), (3, (11, 1)), (8, (11, 5)), (14, (11, 10)), (16, (12, 1)), (17, (13, 1))]
        {
            assert_eq!(position(text, offset, 10), crate::diag::Pos::new(line, col), "{offset}");
        }
        // One line of 200,000 broken links: a column for each, counted on from the last.
        let line = "[x](@/gates/zz) ".repeat(200_000);
        let start = std::time::Instant::now();
        let mut p = Positions::new(&line, 1);
        let cols: Vec<usize> = (0..200_000).map(|i| p.at(i * 16).column).collect();
        assert_eq!(cols[199_999], 199_999 * 16 + 1);
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
    }

    #[test]
    fn aligned_table_columns_get_classes_not_styles() {
        let r = render("| a | b | c |\n|:--|:-:|---|\n| 1 | 2 | 3 |\n", &Fake, false);
        assert!(!r.html.contains("style"), "{}", r.html);
        assert!(
            r.html.contains("<th class=\"align-left\">a</th><th class=\"align-center\">b</th><th>c</th>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td class=\"align-left\">1</td><td class=\"align-center\">2</td><td>3</td>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_is_text_and_headings_get_ids() {
        let r = render("## Crossings\n\n<script>x</script>\n\n## Crossings\n", &Fake, false);
        assert!(r.html.contains("<h2 id=\"crossings\">Crossings</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"crossings-2\">"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
        assert!(!r.html.contains("<script>"));
    }
}
