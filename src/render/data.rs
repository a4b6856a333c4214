//! Open data: the atlas's records as files others can use without scraping pages.
//!
//! - `data/atlas.json`: every record, references resolved to `{collection, id, title, url}`;
//! - `data/<collection>.csv`: one row per record, one column per field (RFC 4180);
//! - `data/<collection>.geojson`: points, or routes as LineStrings (RFC 7946, lon/lat);
//! - `data/<collection>.ics`: dated collections as all-day events (RFC 5545);
//! - `datapackage.json`: a Frictionless Data Package describing all of them.
//!
//! Everything is derived from the schema, so a new collection gets its files too.

use super::OutputFile;
use crate::config::{CollectionSpec, FieldSpec, TypeName};
use crate::date::{Date, Precision};
use crate::map::Features;
use crate::model::{Atlas, Record};
use crate::urls::Urls;
use crate::validate::{RefTo, Value};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value as Json, json};

/// Folder of the data files in the site.
pub const DATA_DIR: &str = "data";

/// A file of the data package, for `datapackage.json` and the data page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DataFile {
    pub name: String,
    pub path: String,
    pub url: String,
    pub title: String,
    pub format: String,
    pub mediatype: String,
    pub records: usize,
    pub bytes: usize,
    /// The title as a translatable text and the collection it names, for the data page in
    /// other languages.
    #[serde(skip)]
    pub what: &'static str,
    #[serde(skip)]
    pub subject: String,
}

impl DataFile {
    /// The file's title in a language.
    pub fn title_in(&self, locale: &crate::i18n::Locale) -> String {
        locale.tf(self.what, &[("collection", &locale.t(&self.subject))])
    }
}

/// All data files, and the list that describes them.
pub fn export(atlas: &Atlas, features: Option<&Features>) -> (Vec<OutputFile>, Vec<DataFile>) {
    let mut files = Vec::new();
    let mut described = Vec::new();
    let mut add = |name: String,
                   path: String,
                   (what, subject): (&'static str, &str),
                   format: &str,
                   mediatype: &str,
                   records: usize,
                   bytes: Vec<u8>| {
        described.push(DataFile {
            name,
            url: atlas.urls.asset(&path),
            path: path.clone(),
            title: what.replace("{collection}", subject),
            format: format.into(),
            mediatype: mediatype.into(),
            records,
            bytes: bytes.len(),
            what,
            subject: subject.to_string(),
        });
        files.push(OutputFile { path, bytes });
    };

    let total: usize = atlas.collections.values().map(Vec::len).sum();
    let json_all = serde_json::to_vec_pretty(&AtlasJson(atlas)).expect("the atlas serializes");
    add(
        "atlas".into(),
        format!("{DATA_DIR}/atlas.json"),
        ("Every record, with references resolved", ""),
        "json",
        "application/json",
        total,
        json_all,
    );

    for (name, records) in &atlas.collections {
        let spec = atlas.config.collection(name).expect("configured");
        add(
            name.clone(),
            format!("{DATA_DIR}/{name}.csv"),
            ("{collection} (one row per record)", &spec.title),
            "csv",
            "text/csv",
            records.len(),
            csv(atlas, spec, records).into_bytes(),
        );
    }
    if let Some(features) = features {
        for (name, spec) in atlas.config.collections.iter().map(|(n, c)| (n, &c.value)) {
            let fc = geojson(atlas, name, spec, features);
            if fc.features.is_empty() {
                continue;
            }
            let n = fc.features.len();
            add(
                format!("{name}-geojson"),
                format!("{DATA_DIR}/{name}.geojson"),
                ("{collection} on the map", &spec.title),
                "geojson",
                "application/geo+json",
                n,
                serde_json::to_vec(&fc).expect("GeoJSON serializes"),
            );
        }
    }
    for (name, spec) in atlas.config.collections.iter().map(|(n, c)| (n, &c.value)) {
        if let Some(tl) = &spec.timeline {
            let records = &atlas.collections[name];
            let (text, n) = ics(atlas, name, &tl.date.value, records);
            add(
                format!("{name}-ics"),
                format!("{DATA_DIR}/{name}.ics"),
                ("{collection} as a calendar", &spec.title),
                "ics",
                "text/calendar",
                n,
                text.into_bytes(),
            );
        }
    }
    let package = datapackage(atlas, &described);
    files.push(OutputFile {
        path: "datapackage.json".into(),
        bytes: serde_json::to_vec_pretty(&package).expect("JSON serializes"),
    });
    (files, described)
}

/// `data/atlas.json`, serialized straight from the model: no tree of JSON values for the
/// whole atlas is built (at 10,000 records it would outweigh the file). Keys of every object
/// are in sorted order, as `serde_json::Map` keeps them.
struct AtlasJson<'a>(&'a Atlas);

impl Serialize for AtlasJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let atlas = self.0;
        let mut collections: Vec<(&String, &Vec<Record>)> = atlas.collections.iter().collect();
        collections.sort_by_key(|(name, _)| *name);
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry(
            "collections",
            &Sorted(collections.into_iter().map(|(name, records)| (name.as_str(), Records(atlas, records)))),
        )?;
        m.serialize_entry("description", &atlas.config.description)?;
        m.serialize_entry("title", &atlas.config.title)?;
        m.serialize_entry("url", &atlas.config.base_url)?;
        m.end()
    }
}

/// A map of already sorted entries, serialized as they come.
struct Sorted<I>(I);

impl<I, K, V> Serialize for Sorted<I>
where
    I: Iterator<Item = (K, V)> + Clone,
    K: Serialize,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.clone())
    }
}

struct Records<'a>(&'a Atlas, &'a [Record]);

impl Serialize for Records<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|r| RecordJson(self.0, r)))
    }
}

/// A record: `id`, `title`, `url` and its fields (a field of the same name wins).
struct RecordJson<'a>(&'a Atlas, &'a Record);

impl Serialize for RecordJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (atlas, r) = (self.0, self.1);
        let url = Value::Str(atlas.urls.absolute(&Urls::record(&r.collection, &r.id)));
        let (id, title) = (Value::Str(r.id.clone()), Value::Str(r.title.clone()));
        let mut entries: std::collections::BTreeMap<&str, &Value> =
            [("id", &id), ("title", &title), ("url", &url)].into_iter().collect();
        entries.extend(r.fields.iter().map(|(k, v)| (k.as_str(), v)));
        s.collect_map(entries.into_iter().map(|(k, v)| (k, ValueJson(atlas, v))))
    }
}

/// A field value as JSON, references resolved to `{collection, id, title, url}`.
struct ValueJson<'a>(&'a Atlas, &'a Value);

/// A reference as JSON: `{collection, id, title, url}`.
struct LinkJson<'a>(&'a Atlas, &'a RefTo);

impl Serialize for LinkJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (atlas, r) = (self.0, self.1);
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("collection", &r.collection)?;
        m.serialize_entry("id", &r.id)?;
        m.serialize_entry("title", atlas.get(&r.collection, &r.id).map(|t| t.title.as_str()).unwrap_or_default())?;
        m.serialize_entry("url", &atlas.urls.absolute(&Urls::record(&r.collection, &r.id)))?;
        m.end()
    }
}

impl Serialize for ValueJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let atlas = self.0;
        match self.1 {
            Value::Str(v) | Value::Text(v, _) | Value::Url(v) | Value::Enum(v) => s.serialize_str(v),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Num(n) => s.serialize_f64(*n),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Date(d) => s.serialize_str(&d.iso()),
            Value::Period(p) => s.serialize_str(&p.iso()),
            Value::Geo(g) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("lat", &g.lat)?;
                m.serialize_entry("lon", &g.lon)?;
                m.end()
            }
            Value::Ref(r) => LinkJson(atlas, r).serialize(s),
            // The original's absolute URL, with the texts shown beside it.
            Value::Image(p) => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("alt", &p.alt)?;
                if let Some((c, _)) = &p.caption {
                    m.serialize_entry("caption", c)?;
                }
                if let Some((c, _)) = &p.credit {
                    m.serialize_entry("credit", c)?;
                }
                m.serialize_entry("url", &atlas.urls.absolute_file(&p.image.path))?;
                m.end()
            }
            // Keys in sorted order, like every object of the file.
            Value::Citation(c) => {
                let mut m = s.serialize_map(None)?;
                if !c.cites.is_empty() {
                    let cites: Vec<LinkJson> = c.cites.iter().map(|r| LinkJson(atlas, r)).collect();
                    m.serialize_entry("cites", &cites)?;
                }
                if let Some(l) = &c.loc {
                    m.serialize_entry("loc", l)?;
                }
                if let Some(n) = &c.note {
                    m.serialize_entry("note", n)?;
                }
                m.serialize_entry("source", &LinkJson(atlas, &c.source))?;
                m.end()
            }
            Value::List(items) => s.collect_seq(items.iter().map(|i| ValueJson(atlas, i))),
            Value::Object(map) => {
                let sorted: std::collections::BTreeMap<&str, &Value> =
                    map.iter().map(|(k, v)| (k.as_str(), v)).collect();
                s.collect_map(sorted.into_iter().map(|(k, v)| (k, ValueJson(atlas, v))))
            }
        }
    }
}

/// A value as one CSV cell: text as is, lists joined with "; ", references by id, images by
/// their absolute URL.
fn cell(v: &Value, urls: &Urls) -> String {
    match v {
        Value::Image(p) => urls.absolute_file(&p.image.path),
        Value::Str(s) | Value::Text(s, _) | Value::Url(s) | Value::Enum(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Num(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.iso(),
        Value::Period(p) => p.iso(),
        Value::Geo(g) => format!("{},{}", g.lat, g.lon),
        Value::Ref(r) => r.id.clone(),
        Value::Citation(c) => match &c.loc {
            Some(l) => format!("{} ({l})", c.source.id),
            None => c.source.id.clone(),
        },
        Value::List(items) => items.iter().map(|i| cell(i, urls)).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map.iter().map(|(k, v)| format!("{k}: {}", cell(v, urls))).collect::<Vec<_>>().join(", "),
    }
}

/// RFC 4180 quoting: fields with commas, quotes or line breaks are quoted, quotes doubled.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// A text cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return: "CSV injection") gets a leading `'`, which spreadsheets read as
/// "this is text" and do not show. Numbers are written as they are.
fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { quote(&format!("'{s}")) } else { quote(s) }
}

/// The CSV columns of a collection: id, title, url, then each field (a point as lat and lon).
pub fn csv_columns(spec: &CollectionSpec) -> Vec<(String, &'static str, String)> {
    let mut cols = vec![
        ("id".to_string(), "string", "Identifier of the record".to_string()),
        ("title".to_string(), "string", "Title of the record".to_string()),
        ("url".to_string(), "string", "Page of the record".to_string()),
    ];
    for (name, f) in &spec.fields {
        if f.value.ty == TypeName::Geo {
            cols.push((format!("{name}_lat"), "number", format!("Latitude of {name} (WGS84)")));
            cols.push((format!("{name}_lon"), "number", format!("Longitude of {name} (WGS84)")));
        } else if name != "title" && name != "id" && name != "url" {
            cols.push((name.clone(), frictionless_type(&f.value), f.value.description.clone()));
        }
    }
    cols
}

/// The Table Schema type of a field's cells. Dates are text: their precision varies
/// (1887, 1957-11, 1999-12-30), which no single Table Schema date type allows.
fn frictionless_type(f: &FieldSpec) -> &'static str {
    match f.ty {
        TypeName::Integer => "integer",
        TypeName::Number => "number",
        TypeName::Bool => "boolean",
        _ => "string",
    }
}

fn csv(atlas: &Atlas, spec: &CollectionSpec, records: &[Record]) -> String {
    let cols = csv_columns(spec);
    let mut out = cols.iter().map(|c| quote(&c.0)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for r in records {
        let mut row =
            vec![quote(&r.id), text_cell(&r.title), quote(&atlas.urls.absolute(&Urls::record(&r.collection, &r.id)))];
        for (name, f) in &spec.fields {
            let v = r.fields.get(name);
            if f.value.ty == TypeName::Geo {
                let (lat, lon) = match v {
                    Some(Value::Geo(g)) => (g.lat.to_string(), g.lon.to_string()),
                    _ => (String::new(), String::new()),
                };
                row.push(lat);
                row.push(lon);
            } else if name != "title" && name != "id" && name != "url" {
                let text = v.map(|v| cell(v, &atlas.urls)).unwrap_or_default();
                row.push(match v {
                    Some(Value::Int(_) | Value::Num(_)) => quote(&text),
                    _ => text_cell(&text),
                });
            }
        }
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Plain properties of a feature: id, title, url and every scalar field.
fn properties(atlas: &Atlas, r: &Record) -> geojson::JsonObject {
    let mut m = geojson::JsonObject::new();
    m.insert("id".into(), json!(r.id));
    m.insert("title".into(), json!(r.title));
    m.insert("url".into(), json!(atlas.urls.absolute(&Urls::record(&r.collection, &r.id))));
    for (k, v) in r.fields.iter() {
        if !matches!(v, Value::Geo(_) | Value::Citation(_) | Value::Object(_)) {
            m.insert(k.clone(), json!(cell(v, &atlas.urls)));
        }
    }
    m
}

fn geojson(atlas: &Atlas, name: &str, _spec: &CollectionSpec, features: &Features) -> geojson::FeatureCollection {
    let mut out = Vec::new();
    // A point borrowed from another record (`map.near`) is no position of the record's own.
    for m in features.markers.iter().filter(|m| m.collection == name && m.near.is_none()) {
        let Some(r) = atlas.get(name, &m.id) else { continue };
        out.push(geojson::Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_point([m.lon, m.lat]))),
            id: Some(geojson::feature::Id::String(m.id.clone())),
            properties: Some(properties(atlas, r)),
            foreign_members: None,
        });
    }
    for route in features.routes.iter().filter(|x| x.collection == name) {
        let Some(r) = atlas.get(name, &route.id) else { continue };
        let line: Vec<[f64; 2]> = route.points.iter().map(|&(lon, lat)| [lon, lat]).collect();
        out.push(geojson::Feature {
            bbox: None,
            geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_line_string(line))),
            id: Some(geojson::feature::Id::String(route.id.clone())),
            properties: Some(properties(atlas, r)),
            foreign_members: None,
        });
    }
    geojson::FeatureCollection { bbox: None, features: out, foreign_members: None }
}

/// The day after the end of a date at its precision: 1999 ends before 2000-01-01.
fn day_after(d: &Date) -> (i32, u32, u32) {
    match d.precision() {
        Precision::Year => (d.year + 1, 1, 1),
        Precision::Month => {
            let m = u32::from(d.month.unwrap_or(1));
            if m == 12 { (d.year + 1, 1, 1) } else { (d.year, m + 1, 1) }
        }
        Precision::Day => {
            let (y, m, day) = (d.year, u32::from(d.month.unwrap_or(1)), u32::from(d.day.unwrap_or(1)));
            let last = match Date::parse(&format!("{y:04}-{m:02}-{:02}", day + 1)) {
                Ok(_) => return (y, m, day + 1),
                Err(_) => m == 12,
            };
            if last { (y + 1, 1, 1) } else { (y, m + 1, 1) }
        }
    }
}

fn ics_date((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}{m:02}{d:02}")
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil((y, m, d): (i32, u32, u32)) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let (m, d) = (i64::from(m), i64::from(d));
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// RFC 5545 text: backslash, semicolon, comma and newline escaped; control characters, which
/// a calendar's text may not hold, left out (a tab is kept).
fn ics_text(s: &str) -> String {
    s.chars()
        .filter(|c| *c == '\t' || *c == '\n' || !c.is_control())
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, on character boundaries.
fn ics_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn ics(atlas: &Atlas, name: &str, field: &str, records: &[Record]) -> (String, usize) {
    let host =
        atlas.config.base_url.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("atlas").to_string();
    let mut out = String::new();
    ics_line(&mut out, "BEGIN:VCALENDAR");
    ics_line(&mut out, "VERSION:2.0");
    ics_line(&mut out, &format!("PRODID:-//atlasgen//{}//EN", ics_text(&atlas.config.title)));
    ics_line(&mut out, "CALSCALE:GREGORIAN");
    ics_line(&mut out, &format!("X-WR-CALNAME:{}", ics_text(&atlas.config.title)));
    let mut n = 0;
    for r in records {
        let Some(period) = r.period(field) else { continue };
        let start =
            (period.start.year, u32::from(period.start.month.unwrap_or(1)), u32::from(period.start.day.unwrap_or(1)));
        let end = day_after(period.end.as_ref().unwrap_or(&period.start));
        // DTSTAMP must be a UTC date-time; the record's start keeps the file reproducible.
        let stamp = format!("{}T000000Z", ics_date(start));
        ics_line(&mut out, "BEGIN:VEVENT");
        ics_line(&mut out, &format!("UID:{}.{}@{}", r.id, name, host));
        ics_line(&mut out, &format!("DTSTAMP:{stamp}"));
        ics_line(&mut out, &format!("DTSTART;VALUE=DATE:{}", ics_date(start)));
        if end.0 <= 9999 {
            ics_line(&mut out, &format!("DTEND;VALUE=DATE:{}", ics_date(end)));
        } else {
            // The day after 31 December 9999 has no four-digit year: the length says it.
            ics_line(&mut out, &format!("DURATION:P{}D", days_from_civil(end) - days_from_civil(start)));
        }
        ics_line(&mut out, &format!("SUMMARY:{}", ics_text(&r.title)));
        let text = r.first_text();
        let mut description = format!("Date as the sources give it: {}.", period.display());
        if let Some(t) = text {
            description = format!("{t}\n{description}");
        }
        ics_line(&mut out, &format!("DESCRIPTION:{}", ics_text(&description)));
        ics_line(&mut out, &format!("URL:{}", atlas.urls.absolute(&Urls::record(name, &r.id))));
        ics_line(&mut out, "END:VEVENT");
        n += 1;
    }
    ics_line(&mut out, "END:VCALENDAR");
    (out, n)
}

fn datapackage(atlas: &Atlas, files: &[DataFile]) -> Json {
    let resources: Vec<Json> = files
        .iter()
        .map(|f| {
            let mut r = json!({
                "name": f.name,
                "path": f.path,
                "title": f.title,
                "format": f.format,
                "mediatype": f.mediatype,
                "encoding": "utf-8",
                "bytes": f.bytes,
            });
            if f.format == "csv"
                && let Some(spec) = atlas.config.collection(&f.name)
            {
                let fields: Vec<Json> = csv_columns(spec)
                    .into_iter()
                    .map(|(name, ty, description)| json!({ "name": name, "type": ty, "description": description }))
                    .collect();
                r["profile"] = json!("tabular-data-resource");
                r["schema"] = json!({ "fields": fields, "primaryKey": ["id"] });
                r["dialect"] = json!({ "delimiter": ",", "lineTerminator": "\r\n", "header": true });
            }
            r
        })
        .collect();
    let name = crate::ids::slug(&atlas.config.title);
    let mut package = json!({
        "profile": "data-package",
        "name": if name.is_empty() { "atlas".to_string() } else { name },
        "title": atlas.config.title,
        "description": atlas.config.description,
        "homepage": atlas.config.base_url,
        "resources": resources,
    });
    if let Some(l) = &atlas.config.licence {
        package["licenses"] = json!([{ "name": l.id.as_deref().unwrap_or(&l.name), "path": l.url, "title": l.name }]);
    }
    package
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting_follows_rfc_4180() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a, b"), "\"a, b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_text_never_starts_a_formula() {
        for (text, cell) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("Móng Cái", "Móng Cái"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(text_cell(text), cell, "{text:?}");
        }
    }

    #[test]
    fn calendar_ends_after_the_date_at_its_precision() {
        assert_eq!(day_after(&Date::parse("1999").unwrap()), (2000, 1, 1));
        assert_eq!(day_after(&Date::parse("1957-12").unwrap()), (1958, 1, 1));
        assert_eq!(day_after(&Date::parse("1999-12-31").unwrap()), (2000, 1, 1));
        assert_eq!(day_after(&Date::parse("2024-02-28").unwrap()), (2024, 2, 29));
    }

    #[test]
    fn calendars_hold_any_date_and_text_an_atlas_accepts() {
        assert_eq!(days_from_civil((1970, 1, 1)), 0);
        assert_eq!(days_from_civil((2000, 3, 1)) - days_from_civil((2000, 2, 28)), 2);
        assert_eq!(days_from_civil((10000, 1, 1)) - days_from_civil((9999, 12, 31)), 1);
        assert_eq!(day_after(&Date::parse("9999-12-31").unwrap()), (10000, 1, 1));
        assert_eq!(ics_text("a\u{1}b\u{7f}c\u{9b};\td\n"), "abc\\;\td\\n");
    }

    #[test]
    fn calendar_lines_fold_at_75_octets() {
        let mut out = String::new();
        ics_line(&mut out, &format!("SUMMARY:{}", "Móng Cái ".repeat(20)));
        assert!(out.split("\r\n").all(|l| l.len() <= 75), "{out}");
        assert!(out.contains("\r\n "));
    }
}
