//! Markdown narrative to HTML, with the atlas's two extensions:
//! citations `[@source-id]` / `[@source-id, locator]` and record links `[text](@/collection/id)`.
//!
//! Raw HTML in narrative is not passed through: it is shown as text. Narrative is written by
//! many editors and published as is, so the policy is the simple safe one; layout belongs in
//! templates. For the same reason a heading's attribute block may set only an id and classes
//! (`## Trade {#trade .wide}`); anything else in it is shown as text, and links to
//! `javascript:`, `vbscript:` and `data:` URLs are refused. Site-absolute links
//! (`/images/x.png`) get the base path.

//!
//! `resolve.rs` holds what rendering is given and gives back, `references.rs` the atlas's
//! extensions (citations, record links) and link checks, `markup.rs` the rules for heading ids,
//! heading attributes and table alignment. This file is the one pass over the parser's events,
//! which is why it is a little over 400 lines.

mod markup;
mod references;
mod resolve;

pub use resolve::{DECORATIVE_ALT, Rendered, Resolve, SectionLink};

use crate::ids::slug;
use crate::source::Problem;
use markup::{HeadingIds, TableCells, attributes_as_text};
use pulldown_cmark::{BrokenLink, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use references::{CITE_PREFIX, cite_html, rewrite_dest};

/// A narrative image being read: where it starts, its path and title, its alt text so far.
struct ImageRead {
    offset: usize,
    src: String,
    title: String,
    alt: String,
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RecordKey;
    use crate::source::position;

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
