//! The values written as mappings of their own: a point (`{lat, lon}`), an image
//! (`{src, alt, …}`) and a citation (`{ref, loc, cites, note}`). Each has its own keys, its own
//! mistakes and its own help, so they are kept apart from the walk over a record's fields.

use super::checker::Checker;
use super::value::{Citation, Geo, Picture, Value};
use crate::config::FieldSpec;
use crate::diag::{Diagnostic, Pos, did_you_mean};
use crate::yaml::{Key, Node, NodeValue};

/// The keys of a citation written as a mapping: the source (`ref`), a locator, further works
/// it cites and a note.
const CITATION_KEYS: [&str; 4] = ["ref", "loc", "cites", "note"];

impl Checker<'_> {
    pub(super) fn geo(&mut self, name: &str, entries: Vec<(Key, Node)>, pos: Pos) -> Option<Geo> {
        let (mut lat, mut lon) = (None, None);
        let mut ok = true;
        for (k, v) in entries {
            let n = match v.value {
                NodeValue::Int(i) => Some(i as f64),
                NodeValue::Float(f) if f.is_finite() => Some(f),
                _ => None,
            };
            let slot = match k.name.as_str() {
                "lat" => &mut lat,
                "lon" => &mut lon,
                other => {
                    let help = did_you_mean(other, ["lat", "lon"])
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "a point has `lat` and `lon`".into());
                    self.error(k.pos, format!("unknown key `{other}` in the point `{name}`"), help);
                    ok = false;
                    continue;
                }
            };
            let (range, word) = if k.name == "lat" { (90.0, "latitude") } else { (180.0, "longitude") };
            match n {
                Some(x) if (-range..=range).contains(&x) => *slot = Some(x),
                Some(x) => {
                    self.error(
                        v.pos,
                        format!("{word} {x} is out of range in `{name}`"),
                        format!("{word} must lie between -{range} and {range} (decimal degrees, WGS84)"),
                    );
                    ok = false;
                }
                None => {
                    self.error(
                        v.pos,
                        format!("{word} of `{name}` must be a number"),
                        "write decimal degrees, e.g. 21.533".into(),
                    );
                    ok = false;
                }
            }
        }
        match (lat, lon) {
            (Some(lat), Some(lon)) if ok => {
                if let Some(b) = self.config.bounds
                    && !b.contains(lat, lon)
                {
                    self.diags.push(
                        Diagnostic::warning(self.file, pos, format!("the point `{name}` ({lat}, {lon}) lies outside the atlas's bounds"))
                            .with_help(format!(
                                "the atlas covers latitudes {} to {} and longitudes {} to {}; check for swapped or mistyped coordinates, or widen `bounds` in atlas.yaml",
                                b.south, b.north, b.west, b.east
                            )),
                    );
                }
                Some(Geo { lat, lon })
            }
            _ if !ok => None,
            _ => {
                self.error(
                    pos,
                    format!("the point `{name}` needs both `lat` and `lon`"),
                    "write {lat: 21.533, lon: 107.967}".into(),
                );
                None
            }
        }
    }

    /// An image is `{src, alt, caption, credit, decorative}`: alt text is required unless it
    /// is marked decorative, and the file must exist under `static/` and be a picture.
    pub(super) fn image(&mut self, name: &str, entries: Vec<(Key, Node)>, pos: Pos) -> Option<Value> {
        let src_pos = entries.iter().find(|(k, _)| k.name == "src").map_or(pos, |(_, v)| v.pos);
        let mut parts = self.mapping(&FieldSpec::image_parts(), entries, pos, &format!("the image `{name}`"));
        let text = |v: Option<Value>| match v {
            Some(Value::Text(t, at)) if !t.trim().is_empty() => Some((t, at)),
            _ => None,
        };
        let (caption, credit) = (text(parts.shift_remove("caption")), text(parts.shift_remove("credit")));
        let decorative = matches!(parts.get("decorative"), Some(Value::Bool(true)));
        let alt = match parts.shift_remove("alt") {
            Some(Value::Str(a)) => a.trim().to_string(),
            _ => String::new(),
        };
        let mut ok = true;
        if alt.is_empty() && !decorative {
            self.error(
                pos,
                format!("the image `{name}` has no alt text"),
                "add alt: \"…\" saying what it shows, for readers who cannot see it; or decorative: true if it adds nothing the text does not say".into(),
            );
            ok = false;
        } else if !alt.is_empty() && decorative {
            self.error(
                pos,
                format!("the image `{name}` is marked decorative but has alt text"),
                "a decorative image is shown with an empty alt text: remove `alt`, or `decorative: true`".into(),
            );
            ok = false;
        }
        let Some(Value::Str(src)) = parts.shift_remove("src") else { return None };
        let static_dir = self.config.root.join(crate::layout::STATIC_DIR);
        let image = match crate::images::load(&static_dir, &src) {
            Ok(p) => std::sync::Arc::clone(&p.image),
            Err(why) => {
                self.error(
                    src_pos,
                    why,
                    "images are read from static/: /images/photo.jpg is static/images/photo.jpg".into(),
                );
                return None;
            }
        };
        ok.then(|| Value::Image(Box::new(Picture { src, pos: src_pos, alt, caption, credit, image })))
    }

    /// A citation is `{ref, loc, cites, note}`, or just the source id.
    pub(super) fn citation(&mut self, name: &str, node: Node) -> Option<Citation> {
        let pos = node.pos;
        let entries = match node.value {
            NodeValue::Str(s) => {
                return self.reference(name, s, self.config.citations().to_string(), pos).map(|source| Citation {
                    source,
                    loc: None,
                    cites: vec![],
                    note: None,
                });
            }
            NodeValue::Map(e) => e,
            _ => unreachable!("only maps and strings reach here"),
        };
        let (mut source, mut loc, mut cites, mut note) = (None, None, vec![], None);
        for (k, v) in entries {
            let vpos = v.pos;
            match (k.name.as_str(), v.value) {
                ("ref", NodeValue::Str(s)) => {
                    source = self.reference(name, s, self.config.citations().to_string(), vpos)
                }
                ("loc", NodeValue::Str(s)) => loc = Some(s),
                ("loc", NodeValue::Int(i)) => loc = Some(i.to_string()),
                ("note", NodeValue::Str(s)) => note = Some(s),
                ("cites", NodeValue::Seq(items)) => {
                    for it in items {
                        match it.value {
                            NodeValue::Str(s) => {
                                cites.extend(self.reference(name, s, self.config.citations().to_string(), it.pos))
                            }
                            other => self.error(
                                it.pos,
                                format!("`cites` lists source ids, found {}", other.describe()),
                                "write cites: [source-id, other-id]".into(),
                            ),
                        }
                    }
                }
                (k2 @ ("ref" | "loc" | "note" | "cites"), other) => self.error(
                    vpos,
                    format!("`{k2}` of a citation in `{name}` has the wrong type: found {}", other.describe()),
                    "a citation is {ref: source-id, loc: \"§3\", cites: [id], note: \"…\"}".into(),
                ),
                (other, _) => {
                    let help = did_you_mean(other, CITATION_KEYS)
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "a citation has ref, loc, cites and note".into());
                    self.error(k.pos, format!("unknown key `{other}` in a citation"), help);
                }
            }
        }
        match source {
            Some(source) => Some(Citation { source, loc, cites, note }),
            None => {
                self.error(pos, format!("a citation in `{name}` has no `ref`"), "add ref: <source id>".into());
                None
            }
        }
    }
}
