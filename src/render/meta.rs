//! Machine-readable descriptions of pages: schema.org JSON-LD for records and the data page,
//! and the context of each dated collection's Atom feed (RFC 4287; the template `feed.xml`).
//!
//! The schema.org type follows the schema: a record with a point is a `Place`, a record of a
//! collection with a timeline is an `Event`, anything else a `Thing`; nothing here names a
//! collection of the shipped atlas.

use super::data::DataFile;
use crate::date::Period;
use crate::i18n::Locale;
use crate::model::{Atlas, Record};
use crate::urls::{Route, Urls};
use crate::validate::Value;
use serde::Serialize;
use serde_json::{Value as Json, json};

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` become `\u003c`,
/// `\u003e` and `\u0026`, so no text from a record can end the script or open a comment in it.
fn script_safe(v: &Json) -> String {
    let json = v.to_string();
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// The JSON-LD of a record page; `description` is the record in a line.
pub fn record(atlas: &Atlas, locale: &Locale, r: &Record, description: &str) -> String {
    let spec = atlas.config.collection(&r.collection).expect("known collection");
    let url = atlas.urls.absolute(&Urls::record(&r.collection, &r.id));
    let point = r.fields.values().find_map(|v| match v {
        Value::Geo(g) => Some(*g),
        _ => None,
    });
    let mut doc = if let Some(tl) = &spec.timeline
        && let Some(p) = r.period(&tl.date.value)
    {
        let mut e = json!({ "@type": "Event", "startDate": p.start.iso() });
        if let Some(end) = p.end {
            e["endDate"] = json!(end.iso());
        }
        // Events of the past, not held at a venue: the record's subject places, by name.
        let places: Vec<Json> = crate::links::refs_of(&r.fields, &atlas.config, &r.collection)
            .into_iter()
            .filter(|f| f.target.collection != atlas.config.citations())
            .filter_map(|f| atlas.get(&f.target.collection, &f.target.id))
            .filter(|t| t.fields.values().any(|v| matches!(v, Value::Geo(_))))
            .map(|t| json!({ "@type": "Place", "name": t.title, "url": atlas.urls.absolute(&Urls::record(&t.collection, &t.id)) }))
            .collect();
        if !places.is_empty() {
            e["location"] = Json::Array(places);
        }
        e
    } else if let Some(g) = point {
        json!({ "@type": "Place", "geo": { "@type": "GeoCoordinates", "latitude": g.lat, "longitude": g.lon } })
    } else {
        json!({ "@type": "Thing" })
    };
    doc["@context"] = json!("https://schema.org");
    doc["name"] = json!(r.title);
    doc["url"] = json!(url);
    doc["description"] = json!(description);
    if let Some(l) = &atlas.config.licence {
        doc["license"] = json!(l.url);
    }
    doc["inLanguage"] = json!(locale.language.code);
    doc["isPartOf"] =
        json!({ "@type": "WebSite", "name": locale.t(&atlas.config.title), "url": atlas.urls.absolute(&Urls::home()) });
    script_safe(&doc)
}

/// The JSON-LD of the data page: a Dataset with one distribution per file.
pub fn dataset(atlas: &Atlas, files: &[DataFile]) -> String {
    let distribution: Vec<Json> = files
        .iter()
        .map(|f| {
            json!({
                "@type": "DataDownload",
                "name": f.path,
                "description": f.title,
                "encodingFormat": f.mediatype,
                "contentUrl": format!("{}{}", atlas.config.base_url, f.path),
            })
        })
        .collect();
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": atlas.config.title,
        "description": atlas.config.description,
        "url": atlas.urls.absolute(&Urls::page(super::data::DATA_DIR)),
        "isAccessibleForFree": true,
        "distribution": distribution,
    });
    if let Some(l) = &atlas.config.licence {
        doc["license"] = json!(l.url);
    }
    script_safe(&doc)
}

/// Where a collection's feed goes.
pub fn feed_route(collection: &str) -> Route {
    Route(format!("{collection}/feed.xml"))
}

/// RFC 3339 timestamp of a date's start (midnight UTC); unknown month or day count as the first.
fn timestamp(p: &Period) -> String {
    let d = p.start;
    format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}

/// One entry of an Atom feed.
#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    updated: String,
    category: Option<String>,
    summary: String,
}

/// An Atom feed: what `feed.xml` renders.
#[derive(Serialize)]
struct Feed {
    language: String,
    site: String,
    title: String,
    subtitle: String,
    url: String,
    page: String,
    updated: String,
    generator_version: &'static str,
    entries: Vec<FeedEntry>,
}

/// The template context of a dated collection's Atom feed (`feed.xml`), newest first. Its
/// `updated` is the newest entry's date, not the build time, so an unchanged atlas builds an
/// unchanged feed.
pub(super) fn feed_context(atlas: &Atlas, locale: &Locale, collection: &str) -> minijinja::Value {
    let spec = atlas.config.collection(collection).expect("the plan lists feeds of configured collections");
    let tl = spec.timeline.as_ref().expect("the plan lists feeds of dated collections");
    let mut dated: Vec<(&Record, Period)> =
        atlas.collections[collection].iter().filter_map(|r| r.period(&tl.date.value).map(|p| (r, p))).collect();
    dated.sort_by_key(|e| std::cmp::Reverse(e.1));
    let entries = dated
        .iter()
        .map(|(r, p)| {
            let summary = r.first_text().map(|t| format!("{t} ")).unwrap_or_default();
            let when = locale.tf("(Date as the sources give it: {date}.)", &[("date", &locale.period(p))]);
            FeedEntry {
                title: r.title.clone(),
                url: atlas.urls.absolute(&Urls::record(collection, &r.id)),
                updated: timestamp(p),
                category: tl.filter.as_ref().and_then(|f| match r.fields.get(&f.value) {
                    Some(Value::Enum(k)) => Some(k.clone()),
                    _ => None,
                }),
                summary: format!("{summary}{when}"),
            }
        })
        .collect();
    let feed = Feed {
        language: locale.language.code.clone(),
        site: locale.t(&atlas.config.title),
        title: locale.t(&spec.title),
        subtitle: locale.t(&spec.description),
        url: atlas.urls.absolute(&feed_route(collection)),
        page: atlas.urls.absolute(&Urls::collection(collection)),
        updated: dated.first().map(|(_, p)| timestamp(p)).unwrap_or_else(|| "1970-01-01T00:00:00Z".into()),
        generator_version: env!("CARGO_PKG_VERSION"),
        entries,
    };
    minijinja::context! { feed => minijinja::value::Serde(feed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let out = script_safe(&json!({"a": "</script><!--<script>x & y"}));
        assert_eq!(out, r#"{"a":"\u003c/script\u003e\u003c!--\u003cscript\u003ex \u0026 y"}"#);
        let back: Json = serde_json::from_str(&out).unwrap();
        assert_eq!(back["a"], "</script><!--<script>x & y", "still the same JSON");
    }

    #[test]
    fn timestamps_start_at_the_date() {
        assert_eq!(timestamp(&Period::parse("1887").unwrap()), "1887-01-01T00:00:00Z");
        assert_eq!(timestamp(&Period::parse("1977-10/1978-06").unwrap()), "1977-10-01T00:00:00Z");
    }
}
