//! Machine-readable descriptions of pages: schema.org JSON-LD for records and the data page,
//! and an Atom feed (RFC 4287) per dated collection.
//!
//! The schema.org type follows the schema: a record with a point is a `Place`, a record of a
//! collection with a timeline is an `Event`, anything else a `Thing`; nothing here names a
//! collection of the shipped atlas.

use super::data::DataFile;
use crate::date::Period;
use crate::i18n::Locale;
use crate::markdown::escape;
use crate::model::{Atlas, Record};
use crate::urls::{Route, Urls};
use crate::validate::Value;
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
            .filter(|(_, _, t)| t.collection != atlas.config.citations())
            .filter_map(|(_, _, t)| atlas.get(&t.collection, &t.id))
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

/// The Atom feed of a dated collection, newest first. Its `updated` is the newest entry's
/// date, not the build time, so an unchanged atlas builds an unchanged feed.
pub fn atom(atlas: &Atlas, locale: &Locale, collection: &str) -> Option<String> {
    let spec = atlas.config.collection(collection)?;
    let tl = spec.timeline.as_ref()?;
    let mut entries: Vec<(&Record, Period)> =
        atlas.collections[collection].iter().filter_map(|r| r.period(&tl.date.value).map(|p| (r, p))).collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.1));
    let self_url = atlas.urls.absolute(&feed_route(collection));
    let page_url = atlas.urls.absolute(&Urls::collection(collection));
    let updated = entries.first().map(|(_, p)| timestamp(p)).unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&locale.language.code)
    );
    let site_title = locale.t(&atlas.config.title);
    out.push_str(&format!("  <title>{}: {}</title>\n", escape(&site_title), escape(&locale.t(&spec.title))));
    out.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(&locale.t(&spec.description))));
    out.push_str(&format!("  <id>{}</id>\n", escape(&self_url)));
    out.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", escape(&self_url)));
    out.push_str(&format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&page_url)));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!("  <author><name>{}</name></author>\n", escape(&site_title)));
    out.push_str(&format!("  <generator version=\"{}\">atlasgen</generator>\n", env!("CARGO_PKG_VERSION")));
    for (r, p) in entries {
        let url = atlas.urls.absolute(&Urls::record(collection, &r.id));
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", escape(&r.title)));
        out.push_str(&format!("    <id>{}</id>\n", escape(&url)));
        out.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&url)));
        out.push_str(&format!("    <updated>{}</updated>\n", timestamp(&p)));
        if let Some(f) = &tl.filter
            && let Some(Value::Enum(k)) = r.fields.get(&f.value)
        {
            out.push_str(&format!("    <category term=\"{}\"/>\n", escape(k)));
        }
        let summary = r.first_text().map(|t| format!("{t} ")).unwrap_or_default();
        let dated = locale.tf("(Date as the sources give it: {date}.)", &[("date", &locale.period(&p))]);
        out.push_str(&format!("    <summary>{}{}</summary>\n", escape(&summary), escape(&dated)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    Some(out)
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
