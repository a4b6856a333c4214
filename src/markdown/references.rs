//! The atlas's extensions to Markdown and the checks on what a text links to: citations
//! `[@source-id, locator]`, record links `[text](@/collection/id#anchor)`, site-absolute paths
//! given the base path, and script URLs refused.

use super::resolve::{Rendered, Resolve, SectionLink};
use crate::html::escape;
use crate::ids::RecordKey;
use crate::source::Problem;

/// The link destination a citation is given while it is parsed, for the event loop to find.
pub(super) const CITE_PREFIX: &str = "atlasgen-cite:";

/// `[@a, §3; @b]` to `<cite>` links, noting each cited id. A part without `@` adds a further
/// locator to the source before it: `[@a, §1; §3]`.
pub(super) fn cite_html(label: &str, offset: usize, resolve: &dyn Resolve, out: &mut Rendered) -> String {
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
pub(super) fn rewrite_dest(dest: &str, offset: usize, resolve: &dyn Resolve, out: &mut Rendered) -> String {
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
