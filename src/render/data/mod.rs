//! Open data: the atlas's records as files others can use without scraping pages.
//!
//! - `data/atlas.json`: every record, references resolved to `{collection, id, title, url}`;
//! - `data/<collection>.csv`: one row per record, one column per field (RFC 4180);
//! - `data/<collection>.geojson`: points, or routes as LineStrings (RFC 7946, lon/lat);
//! - `data/<collection>.ics`: dated collections as all-day events (RFC 5545);
//! - `datapackage.json`: a Frictionless Data Package describing all of them.
//!
//! Everything is derived from the schema, so a new collection gets its files too.

mod csv;
mod geojson;
mod ics;
mod json;

use super::OutputFile;
use crate::map::Features;
use crate::model::Atlas;
use csv::csv;
pub use csv::csv_columns;
use geojson::geojson;
use ics::ics;
use json::AtlasJson;
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

/// `datapackage.json`: a Frictionless Data Package describing every data file.
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
