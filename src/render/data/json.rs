//! `data/atlas.json`: every record, references resolved to `{collection, id, title, url}`,
//! written straight from the model by serde (no tree of JSON values in between).

use crate::model::{Atlas, Record};
use crate::urls::Urls;
use crate::validate::{RefTo, Value};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// `data/atlas.json`, serialized straight from the model: no tree of JSON values for the
/// whole atlas is built (at 10,000 records it would outweigh the file). Keys of every object
/// are in sorted order, as `serde_json::Map` keeps them.
pub(super) struct AtlasJson<'a>(pub(super) &'a Atlas);

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
