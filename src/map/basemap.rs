//! The base map (`map.basemap`): countries, borders, provinces, water and towns, read from the
//! GeoJSON that `tools/map-data/extract.mjs` makes. Its own file because it knows nothing of
//! records: only the ground they are drawn on.

use crate::diag::{Diagnostic, Pos};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use std::path::Path;

/// A feature's names: the source's own (`name`) and one per language (`name:vi`).
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub name: String,
    /// (BCP 47 tag, name), as the base map gives them.
    pub by_language: Vec<(String, String)>,
}

impl Names {
    /// The name in `language` (a BCP 47 tag): the same tag, else the same primary language
    /// (`zh` finds `name:zh-Hans`), else the source's own name.
    pub fn get(&self, language: &str) -> &str {
        self.own(language).unwrap_or(&self.name)
    }

    /// The name the base map gives for `language` itself (the same tag, else the same primary
    /// language), without falling back to the source's own.
    pub fn own(&self, language: &str) -> Option<&str> {
        let primary = |t: &str| t.split('-').next().unwrap_or(t).to_ascii_lowercase();
        self.by_language
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(language))
            .or_else(|| self.by_language.iter().find(|(t, _)| primary(t) == primary(language)))
            .map(|(_, n)| n.as_str())
    }

    fn read(f: &geojson::Feature) -> Names {
        let name = f.property("name").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let by_language = f
            .properties
            .iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.strip_prefix("name:")?.to_string(), v.as_str()?.to_string())))
            .collect();
        Names { name, by_language }
    }
}

/// The ground under the atlas's own features: countries, borders and context layers.
#[derive(Debug, Clone, Default)]
pub struct Basemap {
    pub countries: Vec<Country>,
    /// The land border the atlas is about, emphasised.
    pub borders: Vec<LineString<f64>>,
    /// The countries on either side of it (ISO 3166-1 alpha-2), drawn lighter than the rest.
    pub border_countries: Vec<String>,
    /// Other land boundaries of the countries drawn.
    pub boundaries: Vec<LineString<f64>>,
    pub coast: Vec<LineString<f64>>,
    /// First-level divisions (provinces): their names and label points.
    pub admin1: Vec<Admin1>,
    /// The lines between first-level divisions.
    pub admin1_lines: Vec<LineString<f64>>,
    /// Lakes with their rank (1 largest … 4).
    pub lakes: Vec<(u8, MultiPolygon<f64>)>,
    /// Rivers with their rank (1 largest … 4), named or not, one entry per rank.
    pub rivers: Vec<(u8, Vec<LineString<f64>>)>,
    /// The rivers the base map names (a `river` feature with a `name`), to be labelled; their
    /// lines are drawn with the rest of `rivers`.
    pub named_rivers: Vec<River>,
    /// Cities and towns, most important first.
    pub cities: Vec<City>,
    /// Credit line to print with every map.
    pub attribution: String,
    /// West, south, east, north.
    pub bbox: [f64; 4],
}

/// One country's outline, lon/lat.
#[derive(Debug, Clone)]
pub struct Country {
    pub iso: String,
    pub names: Names,
    pub shape: MultiPolygon<f64>,
}

/// A first-level division: its names and where its name goes.
#[derive(Debug, Clone)]
pub struct Admin1 {
    pub names: Names,
    pub country: String,
    /// Lon/lat of its label point.
    pub label: Option<(f64, f64)>,
}

/// A named river: its names and its lines (lon/lat).
#[derive(Debug, Clone)]
pub struct River {
    pub names: Names,
    pub lines: Vec<LineString<f64>>,
}

/// A city or town.
#[derive(Debug, Clone)]
pub struct City {
    pub names: Names,
    pub lon: f64,
    pub lat: f64,
    /// 1 (capitals, ≥ 5 M people) … 9 (≥ 10 000).
    pub rank: u8,
    pub capital: bool,
}

impl Basemap {
    /// Reads the GeoJSON named by `map.basemap` in the configuration. Kinds it does not know
    /// are left out, so the format can grow.
    pub fn load(root: &Path, rel: &Path) -> Result<Basemap, Diagnostic> {
        let file = rel.to_string_lossy().replace('\\', "/");
        let bad = |m: String| {
            Diagnostic::error(&file, Pos::FILE, m).with_help(
                "map.basemap must be a GeoJSON FeatureCollection as tools/map-data/extract.mjs makes it (README: Base maps)",
            )
        };
        let bytes = match crate::input::read(root, &root.join(rel), crate::input::MAX_DATA_BYTES) {
            Ok(b) => b,
            Err(crate::input::Refused::Io(e)) => return Err(bad(format!("cannot read the base map: {e}"))),
            Err(refused) => return Err(refused.diagnostic(&file)),
        };
        let text = String::from_utf8(bytes).map_err(|_| bad("the base map is not valid UTF-8".into()))?;
        let fc: geojson::FeatureCollection =
            serde_json::from_str(&text).map_err(|e| bad(format!("invalid GeoJSON at line {}: {e}", e.line())))?;
        let mut b = Basemap::default();
        for f in &fc.features {
            let Some(g) = &f.geometry else { continue };
            let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let rank = || f.property("rank").and_then(|v| v.as_u64()).unwrap_or(9).min(9) as u8;
            match prop("kind").as_str() {
                "country" => {
                    b.countries.push(Country { iso: prop("iso"), names: Names::read(f), shape: polygons(&g.value) })
                }
                "border" => {
                    b.borders.extend(lines(&g.value));
                    let sides = f.property("countries").and_then(|v| v.as_array()).into_iter().flatten();
                    b.border_countries.extend(sides.filter_map(|c| c.as_str()).map(str::to_string));
                }
                "boundary" => b.boundaries.extend(lines(&g.value)),
                "coast" => b.coast.extend(lines(&g.value)),
                "admin1-line" => b.admin1_lines.extend(lines(&g.value)),
                "admin1" => {
                    let label = f.property("label").and_then(|v| v.as_array()).and_then(|a| match a.as_slice() {
                        [x, y] => Some((x.as_f64()?, y.as_f64()?)),
                        _ => None,
                    });
                    b.admin1.push(Admin1 { names: Names::read(f), country: prop("country"), label })
                }
                "lake" => b.lakes.push((rank(), polygons(&g.value))),
                "river" => {
                    // The extraction writes a named river apart from the unnamed lines of its
                    // rank; drawn, they are one path per rank as before.
                    let (rank, lines) = (rank(), lines(&g.value));
                    let names = Names::read(f);
                    if !names.name.is_empty() {
                        // A river named on lines of two ranks is one river to label.
                        match b.named_rivers.iter_mut().find(|r| r.names.name == names.name) {
                            Some(r) => r.lines.extend(lines.iter().cloned()),
                            None => b.named_rivers.push(River { names, lines: lines.clone() }),
                        }
                    }
                    match b.rivers.iter_mut().find(|(r, _)| *r == rank) {
                        Some((_, all)) => all.extend(lines),
                        None => b.rivers.push((rank, lines)),
                    }
                }
                "city" => {
                    if let geojson::GeometryValue::Point { coordinates: p } = &g.value
                        && p.len() >= 2
                    {
                        b.cities.push(City {
                            names: Names::read(f),
                            lon: p[0],
                            lat: p[1],
                            rank: rank(),
                            capital: f.property("capital").is_some_and(|v| !v.is_null()),
                        });
                    }
                }
                _ => {}
            }
        }
        b.cities.sort_by_key(|c| c.rank);
        b.bbox = match fc.bbox.as_deref() {
            Some([w, s, e, n]) => [*w, *s, *e, *n],
            _ => return Err(bad("the base map has no bbox [west, south, east, north]".into())),
        };
        b.attribution = fc
            .foreign_members
            .as_ref()
            .and_then(|m| m.get("attribution"))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        Ok(b)
    }
}

fn line(points: &[geojson::Position]) -> LineString<f64> {
    LineString(points.iter().map(|p| Coord { x: p[0], y: p[1] }).collect())
}

fn lines(g: &geojson::GeometryValue) -> Vec<LineString<f64>> {
    match g {
        geojson::GeometryValue::LineString { coordinates } => vec![line(coordinates)],
        geojson::GeometryValue::MultiLineString { coordinates } => coordinates.iter().map(|l| line(l)).collect(),
        _ => vec![],
    }
}

fn polygon(rings: &[Vec<geojson::Position>]) -> Polygon<f64> {
    let mut rings = rings.iter().map(|r| line(r));
    let outer = rings.next().unwrap_or_else(|| LineString(vec![]));
    Polygon::new(outer, rings.collect())
}

fn polygons(g: &geojson::GeometryValue) -> MultiPolygon<f64> {
    match g {
        geojson::GeometryValue::Polygon { coordinates } => MultiPolygon(vec![polygon(coordinates)]),
        geojson::GeometryValue::MultiPolygon { coordinates } => {
            MultiPolygon(coordinates.iter().map(|p| polygon(p)).collect())
        }
        _ => MultiPolygon(vec![]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fall_back_from_tag_to_language_to_the_source() {
        let n = Names {
            name: "Dongxing".into(),
            by_language: vec![("zh-Hans".into(), "东兴".into()), ("vi".into(), "Đông Hưng".into())],
        };
        assert_eq!(n.get("zh-Hans"), "东兴");
        assert_eq!(n.get("zh"), "东兴");
        assert_eq!(n.get("vi"), "Đông Hưng");
        assert_eq!(n.get("de"), "Dongxing");
    }

    #[test]
    fn named_rivers_are_drawn_with_their_rank_and_kept_with_their_names() {
        let dir = tempfile::tempdir().unwrap();
        let line = |y: f64| format!("{{\"type\":\"MultiLineString\",\"coordinates\":[[[0,{y}],[1,{y}]]]}}");
        let named = r#""name":"Red River","name:vi":"Sông Hồng","name:zh-Hans":"红河""#;
        let text = format!(
            r#"{{"type":"FeatureCollection","bbox":[0,0,1,1],"features":[
            {{"type":"Feature","properties":{{"kind":"river","rank":2}},"geometry":{}}},
            {{"type":"Feature","properties":{{"kind":"river","rank":2,{named}}},"geometry":{}}},
            {{"type":"Feature","properties":{{"kind":"river","rank":3,{named}}},"geometry":{}}}]}}"#,
            line(0.0),
            line(1.0),
            line(0.5)
        );
        std::fs::write(dir.path().join("b.geojson"), text).unwrap();
        let b = Basemap::load(dir.path(), Path::new("b.geojson")).unwrap();
        // Drawn as before: one entry per rank, the named line among its rank's.
        assert_eq!(b.rivers.iter().map(|(r, l)| (*r, l.len())).collect::<Vec<_>>(), [(2, 2), (3, 1)]);
        // Labelled as one river, named in each language.
        assert_eq!(b.named_rivers.len(), 1);
        let red = &b.named_rivers[0];
        assert_eq!((red.names.get("vi"), red.names.get("zh"), red.names.get("en")), ("Sông Hồng", "红河", "Red River"));
        assert_eq!(red.lines.len(), 2);
    }
}
