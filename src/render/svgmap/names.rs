//! Map labels: the names of markers, countries, towns, rivers and provinces placed level by level
//! where they overlap nothing (on the board of `labels.rs`), and written once each with the
//! levels they show at.

use super::geometry::inside_polygon;
use super::ground::Ground;
use super::legend::Legend;
use super::markers::Placed;
use super::rivers;
use super::{Draw, View, push_level_classes};
use crate::html::escape;
use crate::map::{Basemap, Marker};
use crate::render::labels::{self, Board, Font, LEVELS, Rect};
use crate::render::tenths::push_tenths;

/// A label placed at some level: where, what and how.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Label<'a> {
    class: &'static str,
    text: &'a str,
    ax: f64,
    ay: f64,
    dx: f64,
    dy: f64,
    size: f64,
    /// A city's dot, drawn at the anchor with the label.
    dot: Option<&'static str>,
}

impl<'a> Label<'a> {
    /// A name written centred on its point, with no dot (country and province names).
    fn centred(class: &'static str, text: &'a str, (ax, ay): (f64, f64), size: f64) -> Self {
        Label { class, text, ax, ay, dx: 0.0, dy: 0.0, size, dot: None }
    }
}

const REC_FONT: Font = Font { size: 12.0, bold: false, spacing: 0.0, upper: false };
const FOCUS_FONT: Font = Font { size: 13.5, bold: true, spacing: 0.0, upper: false };
const COUNTRY_FONT: Font = Font { size: 13.0, bold: false, spacing: 0.14, upper: true };
const CITY_FONT: Font = Font { size: 11.0, bold: false, spacing: 0.0, upper: false };
const BIG_CITY_FONT: Font = Font { size: 12.5, bold: true, spacing: 0.0, upper: false };
const ADMIN_FONT: Font = Font { size: 10.5, bold: false, spacing: 0.08, upper: false };
const RIVER_FONT: Font = Font { size: 11.0, bold: false, spacing: 0.02, upper: false };

/// A label's box around its centre, with room for its halo.
fn label_box(text: &str, font: &Font) -> (f64, f64) {
    (text_half_width(text, font), font.size * 0.62 + 1.5)
}

fn text_half_width(text: &str, font: &Font) -> f64 {
    labels::text_width(text, font) / 2.0 + 2.5
}

/// The highest city rank shown at each level (1 most important).
const CITY_RANKS: [u8; 6] = [2, 4, 5, 6, 8, 9];

/// A city or town that may be named, measured.
struct Town<'b> {
    x: f64,
    y: f64,
    name: &'b str,
    rank: u8,
    big: bool,
    capital: bool,
    hw: f64,
    hh: f64,
}

/// What may be named on a map, measured once for every level: the markers' labels (in the
/// order they are placed, most important first), country, town and province names.
pub(super) struct Names<'a> {
    order: Vec<usize>,
    /// Each labelled marker's names, the one to try first first: a pair's whole title
    /// ("Móng Cái – Dongxing"), then its first side where the whole does not fit.
    markers: Vec<Vec<(String, Font, f64, f64)>>,
    countries: Vec<(String, f64, f64)>,
    towns: Vec<Town<'a>>,
    provinces: Vec<(f64, f64, &'a str, f64, f64)>,
    /// The named rivers in view (by their index in the ground), their names and boxes.
    rivers: Vec<(usize, &'a str, f64, f64)>,
}

impl<'a> Names<'a> {
    pub(super) fn new(base: &'a Basemap, ground: &Ground, placed: &[Placed], view: &View, opts: &Draw<'a>) -> Self {
        let lang = opts.locale.language.code.as_str();
        // Labels, level by level, most important first.
        let mut order: Vec<usize> = (0..placed.len()).collect();
        order.sort_by_key(|&i| {
            let p = &placed[i];
            (!p.focus, !p.m.exact, p.m.colour.as_ref().map_or(usize::MAX, |c| c.0), p.m.title.clone())
        });
        let labelled = |p: &Placed| p.focus || opts.labelled.contains(&p.m.collection);
        // What may be named, measured once for every level.
        let marker_texts: Vec<Vec<(String, Font, f64, f64)>> = placed
            .iter()
            .map(|p| {
                if !labelled(p) {
                    return Vec::new();
                }
                let font = if p.focus { FOCUS_FONT } else { REC_FONT };
                let short = short_label(&p.m.title);
                let whole = (short != p.m.title).then(|| p.m.title.clone());
                whole
                    .into_iter()
                    .chain([short])
                    .map(|text| {
                        let (hw, hh) = label_box(&text, &font);
                        (text, font, hw, hh)
                    })
                    .collect()
            })
            .collect();
        let country_texts: Vec<(String, f64, f64)> = ground
            .countries
            .iter()
            .map(|cp| {
                // Written as named and set in capitals by the style sheet (`upper` measures it so),
                // so screen readers and search read a word, not letters.
                let name = base.countries[cp.country].names.get(lang).to_string();
                let (hw, hh) = label_box(&name, &COUNTRY_FONT);
                (name, hw, hh)
            })
            .collect();
        let towns: Vec<Town> = ground
            .cities
            .iter()
            .map(|&ci| (&base.cities[ci], opts.town_names.get(&ci).map(String::as_str)))
            .filter(|(c, _)| !c.names.get(lang).is_empty() && !placed.iter().any(|p| same_place(p.m, c)))
            .map(|(c, own)| {
                let (x, y) = view.project(c.lon, c.lat);
                let big = c.rank <= 2 || c.capital;
                let name = own.unwrap_or_else(|| c.names.get(lang));
                let (hw, hh) = label_box(name, if big { &BIG_CITY_FONT } else { &CITY_FONT });
                Town { x, y, name, rank: c.rank, big, capital: c.capital, hw, hh }
            })
            .collect();
        let provinces: Vec<(f64, f64, &str, f64, f64)> = ground
            .admin1
            .iter()
            .filter_map(|&ai| {
                let a = &base.admin1[ai];
                let (lon, lat) = a.label?;
                let (x, y) = view.project(lon, lat);
                let name = a.names.get(lang);
                let (hw, hh) = label_box(name, &ADMIN_FONT);
                Some((x, y, name, hw, hh))
            })
            .collect();
        let rivers = ground
            .rivers
            .iter()
            .enumerate()
            .map(|(i, r)| (i, base.named_rivers[r.river].names.get(lang)))
            .filter(|(_, name)| !name.is_empty())
            .map(|(i, name)| {
                let (hw, hh) = label_box(name, &RIVER_FONT);
                (i, name, hw, hh)
            })
            .collect();
        Names { order, markers: marker_texts, countries: country_texts, towns, provinces, rivers }
    }

    /// The labels placed at each level (none below `first`), around the markers and clear of
    /// `obstacles` (the overlays), most important first.
    pub(super) fn place(
        &self,
        ground: &Ground,
        placed: &[Placed],
        view: &View,
        obstacles: &[Rect],
        first: usize,
    ) -> Vec<Vec<Label<'_>>> {
        let (order, marker_texts, country_texts, towns, provinces) =
            (&self.order, &self.markers, &self.countries, &self.towns, &self.provinces);
        let mut chosen: std::collections::HashMap<usize, usize> = Default::default();
        let mut river_spots: Vec<Vec<usize>> = vec![Vec::new(); self.rivers.len()];
        let mut levels: Vec<Vec<Label>> = vec![Vec::new(); first];
        for level in first..LEVELS.len() {
            let mut board = Board::new(level, view.width, view.height);
            let (k0, _) = board.zooms();
            // The overlays are hidden on narrow maps, whose layout is level 0.
            if level > 0 {
                for o in obstacles {
                    board.add(*o);
                }
            }
            for p in placed {
                let (ox, oy) = p.at[level];
                board.add(Rect { ax: p.x, ay: p.y, dx: ox, dy: oy, hw: p.r + 2.0, hh: p.r + 2.0 });
            }
            let mut out: Vec<Label> = Vec::new();
            for &i in order {
                let p = &placed[i];
                let (ax, ay) = (p.x, p.y);
                let (ox, oy) = p.at[level];
                let class = if p.focus {
                    "rec focus"
                } else if p.m.exact {
                    "rec"
                } else {
                    "rec approx"
                };
                // The focus may take its name farther out when its surroundings are crowded.
                let gaps: &[f64] = if p.focus { &[2.0, 12.0, 24.0, 40.0] } else { &[2.0] };
                'names: for (text, font, hw, hh) in &marker_texts[i] {
                    let (hw, hh) = (*hw, *hh);
                    let mut spots: Vec<(usize, (f64, f64))> = gaps
                        .iter()
                        .flat_map(|g| labels::around(p.r + 1.0, hw * 2.0, hh * 2.0, *g))
                        .enumerate()
                        .collect();
                    // A spread marker's label goes outwards; a label keeps its side from the
                    // level below.
                    if ox != 0.0 || oy != 0.0 {
                        let outwards = |s: &(usize, (f64, f64))| {
                            let (x, y) = s.1;
                            -(x * ox + y * oy) / (x * x + y * y).sqrt().max(1e-9)
                        };
                        spots.sort_by(|a, b| outwards(a).total_cmp(&outwards(b)));
                    }
                    if let Some(&prev) = chosen.get(&i)
                        && let Some(pos) = spots.iter().position(|s| s.0 == prev)
                    {
                        let s = spots.remove(pos);
                        spots.insert(0, s);
                    }
                    for (si, (dx, dy)) in spots {
                        let r = Rect { ax, ay, dx: ox + dx, dy: oy + dy, hw, hh };
                        if board.try_add(&[r]) {
                            chosen.insert(i, si);
                            out.push(Label {
                                class,
                                text,
                                ax,
                                ay,
                                dx: ox + dx,
                                dy: oy + dy,
                                size: font.size,
                                dot: None,
                            });
                            break 'names;
                        }
                    }
                }
            }
            // Country names, inside their countries.
            for (cp, (name, hw, hh)) in ground.countries.iter().zip(country_texts) {
                let (hw, hh) = (*hw, *hh);
                for &(x, y, part) in &cp.spots {
                    let r = Rect { ax: x, ay: y, dx: 0.0, dy: 0.0, hw, hh };
                    if !(board.inside(&r) && board.free(&r)) {
                        continue;
                    }
                    let corners =
                        [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh), (0.0, -hh), (0.0, hh), (-hw, 0.0), (hw, 0.0)];
                    let rings = &cp.parts[part];
                    if corners.iter().all(|&(cx, cy)| inside_polygon(rings, (x + cx / k0, y + cy / k0))) {
                        board.add(r);
                        out.push(Label::centred("country-name", name, (x, y), COUNTRY_FONT.size));
                        break;
                    }
                }
            }
            // Cities and towns, by rank: the dot and its name together, or neither.
            for t in towns.iter().take_while(|t| t.rank <= CITY_RANKS.get(level).copied().unwrap_or(u8::MAX)) {
                let dot_r = if t.big { 3.5 } else { 2.5 };
                let dot = Rect { ax: t.x, ay: t.y, dx: 0.0, dy: 0.0, hw: dot_r + 1.0, hh: dot_r + 1.0 };
                for (dx, dy) in labels::around(dot_r, t.hw * 2.0, t.hh * 2.0, 1.5) {
                    if board.try_add(&[dot, Rect { ax: t.x, ay: t.y, dx, dy, hw: t.hw, hh: t.hh }]) {
                        out.push(Label {
                            class: if t.big { "city big" } else { "city" },
                            text: t.name,
                            ax: t.x,
                            ay: t.y,
                            dx,
                            dy,
                            size: if t.big { BIG_CITY_FONT.size } else { CITY_FONT.size },
                            dot: Some(if t.capital {
                                "capital"
                            } else if t.big {
                                "big"
                            } else {
                                "town"
                            }),
                        });
                        break;
                    }
                }
            }
            // River names, beside their rivers where nothing else is: after the towns, so a
            // river's name never takes a town's place.
            for ((gi, name, hw, hh), kept) in self.rivers.iter().zip(&mut river_spots) {
                for (ax, ay, dx, dy) in rivers::place(&mut board, &ground.rivers, *gi, (*hw, *hh), kept) {
                    let size = RIVER_FONT.size;
                    out.push(Label { class: "river-name", text: name, ax, ay, dx, dy, size, dot: None });
                }
            }
            // Province names, where there is room.
            if level >= 1 {
                for &(x, y, name, hw, hh) in provinces {
                    if board.try_add(&[Rect { ax: x, ay: y, dx: 0.0, dy: 0.0, hw, hh }]) {
                        out.push(Label::centred("admin1-name", name, (x, y), ADMIN_FONT.size));
                    }
                }
            }
            levels.push(out);
        }
        levels
    }
}

/// Writes the labels, each once with every level it shows at, adding the legend's entry for
/// city dots.
pub(super) fn write_labels(svg: &mut String, levels: &[Vec<Label>], legend: &mut Legend, l: &crate::i18n::Locale) {
    // Labels: each drawn once, with every level it shows at.
    let mut merged: Vec<(&Label, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<(&str, &str, [u64; 4]), usize> = Default::default();
    for (lv, out) in levels.iter().enumerate() {
        for label in out {
            let key = (label.class, label.text, [label.ax, label.ay, label.dx, label.dy].map(f64::to_bits));
            match index.get(&key) {
                Some(&i) => merged[i].1.push(lv),
                None => {
                    index.insert(key, merged.len());
                    merged.push((label, vec![lv]));
                }
            }
        }
    }
    // Written piece by piece, numbers by `push_tenths`: a site's maps write some hundred
    // thousand labels, and the formatting machinery was half of what that cost.
    svg.push_str("<g class=\"labels\" aria-hidden=\"true\">");
    for (label, lvs) in &merged {
        svg.push_str("<g class=\"lod");
        push_level_classes(svg, lvs);
        svg.push_str("\" transform=\"translate(");
        push_tenths(svg, label.ax);
        svg.push(' ');
        push_tenths(svg, label.ay);
        svg.push_str(")\"><g class=\"ss\">");
        if let Some(dot) = label.dot {
            svg.push_str("<circle class=\"city-dot ");
            svg.push_str(dot);
            svg.push_str(if dot == "town" { "\" r=\"2.5\"/>" } else { "\" r=\"3.5\"/>" });
        }
        svg.push_str("<text class=\"");
        svg.push_str(label.class);
        svg.push_str("\" x=\"");
        push_tenths(svg, label.dx);
        svg.push_str("\" y=\"");
        push_tenths(svg, label.dy + label.size * 0.36);
        svg.push_str("\">");
        svg.push_str(&escape(label.text));
        svg.push_str("</text></g></g>");
    }
    if merged.iter().any(|(label, _)| label.dot.is_some()) {
        legend.add(7, 0, "<circle class=\"city-dot town\" cx=\"12\" cy=\"8\" r=\"3\"/>".into(), l.t("city or town"));
    }
    svg.push_str("</g>");
}

/// Whether a base-map city is the place a marker stands for (Lạng Sơn the city, and the
/// atlas's record "Lạng Sơn city"; Dongxing, and the pair "Móng Cái – Dongxing"): then only
/// the marker is drawn.
fn same_place(m: &Marker, c: &crate::map::City) -> bool {
    if (m.lon - c.lon).abs() > 0.12 || (m.lat - c.lat).abs() > 0.12 {
        return false;
    }
    let sides: Vec<String> = m.title.split(['–', '—']).map(fold).collect();
    std::iter::once(c.names.name.as_str())
        .chain(c.names.by_language.iter().map(|(_, n)| n.as_str()))
        .map(fold)
        .any(|n| !n.is_empty() && sides.iter().any(|side| side.starts_with(&n)))
}

/// A name as names are compared: its slug's letters and digits ("Hà Nội" and "Hanoi" are
/// both `hanoi`).
pub(in crate::render) fn fold(name: &str) -> String {
    crate::ids::slug(name).replace('-', "")
}

/// A marker's label: the first side of a pair written "Móng Cái – Dongxing" (labels stay
/// short on a crowded border), keeping what the title says in brackets ("Lào Cai (rail)").
fn short_label(title: &str) -> String {
    let first = title.split([' ', '\u{a0}']).collect::<Vec<_>>().join(" ");
    let cut = ["–", "—"]
        .iter()
        .filter_map(|sep| {
            let spaced = format!(" {sep} ");
            first.find(&spaced).or_else(|| first.find(sep).filter(|_| !first.is_ascii()))
        })
        .min();
    let Some(cut) = cut else { return title.to_string() };
    let head = first[..cut].trim_end();
    let bracket = ["(", "（"].iter().filter_map(|b| first.rfind(b)).max().filter(|&b| b > cut);
    match bracket {
        Some(b) => format!("{head}{}{}", if first[b..].starts_with('(') { " " } else { "" }, &first[b..]),
        None => head.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_keep_one_side_of_a_pair_and_its_brackets() {
        assert_eq!(short_label("Móng Cái – Dongxing"), "Móng Cái");
        assert_eq!(short_label("Lào Cai – Hekou (rail)"), "Lào Cai (rail)");
        assert_eq!(short_label("老街—河口（铁路）"), "老街（铁路）");
        assert_eq!(short_label("Gotthard-Basistunnel"), "Gotthard-Basistunnel");
    }
}
