//! A collection's schema in `atlas.yaml`: its fields and their types, its timeline, and what
//! its pages and lists show. Fields are data here, not Rust types, so an editor can add one
//! without recompiling.

use super::map::MapSpec;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// One collection: how its records look and how they are listed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionSpec {
    /// Plural title ("Border gates").
    pub title: String,
    /// Singular noun ("Border gate").
    pub singular: String,
    #[serde(default)]
    pub description: String,
    /// The string field that titles a record.
    #[schemars(with = "String")]
    pub title_field: Spanned<String>,
    /// A `string` or `text` field that sums a record up in a line, shown under its title; a
    /// collection without one is summed up by its narrative's first sentence.
    #[schemars(with = "Option<String>")]
    pub summary: Option<Spanned<String>>,
    /// The fields that matter most (a status, an opening date, a length): shown first, in
    /// the box beside the lead of a record's page, and the index columns kept on narrow
    /// screens. Defaults to the `columns`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub key_facts: Vec<Spanned<String>>,
    /// Fields that carry a record's name in another language, by language code
    /// (`{zh-Hans: name_hans}`): a record that has one and whose translation gives no title
    /// is titled by it in that language (in its links, maps and lists too).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, String>")]
    pub title_fields: IndexMap<String, Spanned<String>>,
    /// Fields shown as columns of the index table, after the title.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub columns: Vec<Spanned<String>>,
    /// Fields the index is sorted by, in order of priority.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub sort: Vec<Spanned<String>>,
    /// Fields that get a page per value ("gates by status").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub facets: Vec<Spanned<String>>,
    /// The schema: each field's type, whether it is required, and what it means.
    #[schemars(with = "IndexMap<String, FieldSpec>")]
    pub fields: IndexMap<String, Spanned<FieldSpec>>,
    /// Show the collection's index as a timeline, and its records on the pages they name.
    pub timeline: Option<TimelineSpec>,
    /// How records are drawn on maps. Without it, the first `geo` field is the point; routes
    /// are drawn only through the field `map.route` names.
    #[serde(default)]
    pub map: MapSpec,
}

/// A dated collection shown as a timeline.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineSpec {
    /// The `date` or `daterange` field that places a record in time.
    #[schemars(with = "String")]
    pub date: Spanned<String>,
    /// An enum field readers can filter by (`kind`).
    #[schemars(with = "Option<String>")]
    pub filter: Option<Spanned<String>>,
    /// Named periods, oldest first; each runs from its `start` year to the next era's.
    #[serde(default)]
    pub eras: Vec<Era>,
    /// Further fields shown with each entry (`actors`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub show: Vec<Spanned<String>>,
}

/// A named period of a timeline.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Era {
    pub title: String,
    /// First year of the era.
    pub start: i32,
}

/// The type names a schema may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TypeName {
    String,
    Text,
    Integer,
    Number,
    Bool,
    Url,
    Enum,
    Date,
    Daterange,
    Geo,
    /// A picture of the atlas's `static/`: `{src, alt, caption, credit}`.
    Image,
    Ref,
    Citation,
    List,
    Object,
}

/// One field of a schema.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    #[serde(rename = "type")]
    pub ty: TypeName,
    #[serde(default)]
    pub required: bool,
    /// One line saying what the field holds; shown by `new` and in error hints.
    #[serde(default)]
    pub description: String,
    /// Heading shown on pages; defaults to the field name in sentence case.
    pub label: Option<String>,
    /// Allowed values of an `enum`, in their order (facets and sorting follow it), each with
    /// the label readers see: `[road, rail]` or `{bez: Border economic zone, …}`.
    #[serde(default)]
    #[schemars(with = "EnumValuesWritten")]
    pub values: EnumValues,
    /// Target collection of a `ref`.
    #[schemars(with = "Option<String>")]
    pub collection: Option<Spanned<String>>,
    /// Language of the field's text when it differs from the site's (`zh-Hans`, `vi`), so
    /// browsers pick the right fonts and screen readers the right voice.
    pub lang: Option<String>,
    /// Heading of the backlink list on the target's page ("Corridors through this gate").
    pub inverse: Option<String>,
    /// Whether a translation file may give its own value. Unset, every `string` and `text`
    /// field is translatable (in lists and objects too) unless it sets `lang` (its text is
    /// already in a fixed language); `false` keeps quotations and bibliographic data as
    /// printed. Other types always come from the default-language record.
    pub translatable: Option<bool>,
    /// The field holds other names of the record (in another script, as the sources spell
    /// it): search ranks a match here as it ranks a match in the title. A `string` field, or
    /// a `list` of them, of the record itself.
    #[serde(default)]
    pub alias: bool,
    /// Item type of a `list`.
    #[schemars(with = "Option<Box<FieldSpec>>")]
    pub item: Option<Box<Spanned<FieldSpec>>>,
    /// Fields of an `object`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, FieldSpec>")]
    pub fields: IndexMap<String, Spanned<FieldSpec>>,
}

impl FieldSpec {
    /// The heading for this field: its label, or the name in sentence case.
    pub fn label_for(&self, name: &str) -> String {
        self.label.clone().unwrap_or_else(|| {
            let words = name.replace('_', " ");
            let mut c = words.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
    }
}

/// The values of an `enum` field in schema order, with their labels: written as a list of
/// codes (`[road, rail]`, labelled by the code with `-` read as a space) or a mapping of
/// code to label (`{bez: Border economic zone}`). Labels are English keys of the
/// translation tables, so every language, the default included, can give its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnumValues {
    codes: Vec<String>,
    labels: Vec<Option<String>>,
}

impl EnumValues {
    /// The label of `code`, in the default language before translation.
    pub fn label(&self, code: &str) -> String {
        match self.codes.iter().position(|c| c == code).and_then(|i| self.labels[i].clone()) {
            Some(l) => l,
            None => code.replace('-', " "),
        }
    }
}

impl std::ops::Deref for EnumValues {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.codes
    }
}

/// How `values:` may be written, for the JSON Schema of atlas.yaml.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum EnumValuesWritten {
    /// The codes, each labelled by itself (`-` read as a space).
    Codes(Vec<String>),
    /// Each code with the label readers see.
    Labelled(IndexMap<String, String>),
}

impl<'de> Deserialize<'de> for EnumValues {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Codes(Vec<String>),
            Labelled(IndexMap<String, String>),
        }
        Ok(match Written::deserialize(d)? {
            Written::Codes(codes) => EnumValues { labels: vec![None; codes.len()], codes },
            Written::Labelled(map) => {
                let (codes, labels) = map.into_iter().map(|(c, l)| (c, Some(l))).unzip();
                EnumValues { codes, labels }
            }
        })
    }
}

impl FieldSpec {
    /// What a translation may give for this field: the field restricted to its translatable
    /// text, every part optional, or `None` when it holds none. Lists keep their items' shape
    /// (a list of objects is translated item by item, in the same order); objects keep only
    /// their translatable fields.
    pub fn translation(&self) -> Option<FieldSpec> {
        if self.translatable == Some(false) {
            return None;
        }
        let mut spec = match self.ty {
            TypeName::String | TypeName::Text if self.lang.is_none() || self.translatable == Some(true) => self.clone(),
            TypeName::List => {
                let item = self.item.as_ref()?;
                let inner = item.value.translation()?;
                FieldSpec { item: Some(Box::new(Spanned { value: inner, ..(**item).clone() })), ..self.clone() }
            }
            TypeName::Image if self.lang.is_none() || self.translatable == Some(true) => {
                // Its texts, as an object: `{alt, caption, credit}`.
                let mut fields = FieldSpec::image_parts();
                fields.retain(|n, _| ["alt", "caption", "credit"].contains(&n.as_str()));
                FieldSpec { ty: TypeName::Object, fields, ..self.clone() }
            }
            TypeName::Object => {
                let fields: IndexMap<String, Spanned<FieldSpec>> = self
                    .fields
                    .iter()
                    .filter_map(|(n, f)| f.value.translation().map(|t| (n.clone(), Spanned { value: t, ..f.clone() })))
                    .collect();
                if fields.is_empty() {
                    return None;
                }
                FieldSpec { fields, ..self.clone() }
            }
            _ => return None,
        };
        spec.required = false;
        Some(spec)
    }
}

impl FieldSpec {
    /// A field of `ty` with nothing else set.
    fn plain(ty: TypeName, required: bool, description: &str) -> FieldSpec {
        FieldSpec {
            ty,
            required,
            description: description.into(),
            label: None,
            values: EnumValues::default(),
            collection: None,
            lang: None,
            inverse: None,
            translatable: None,
            alias: false,
            item: None,
            fields: IndexMap::new(),
        }
    }

    /// The parts of an `image` value, as the fields of an object: the file, its alternative
    /// text, a caption and a credit (inline Markdown), and whether it is decorative (shown
    /// with an empty alt text, which is otherwise an error).
    pub fn image_parts() -> IndexMap<String, Spanned<FieldSpec>> {
        let unknown = serde_saphyr::Location::UNKNOWN;
        [
            ("src", TypeName::String, true, "The picture's path under static/, e.g. /images/photo.jpg"),
            ("alt", TypeName::String, false, "What the picture shows, for readers who cannot see it"),
            ("caption", TypeName::Text, false, "Shown under the picture"),
            ("credit", TypeName::Text, false, "Author and licence, e.g. \"Photo: A. Author, CC BY 4.0\""),
            ("decorative", TypeName::Bool, false, "true if it adds nothing the text does not say (no alt text)"),
        ]
        .into_iter()
        .map(|(n, ty, req, d)| (n.to_string(), Spanned::new(FieldSpec::plain(ty, req, d), unknown, unknown)))
        .collect()
    }
}

impl CollectionSpec {
    /// The fields a translation of a record may give (see [`FieldSpec::translation`]).
    pub fn translatable_fields(&self) -> IndexMap<String, Spanned<FieldSpec>> {
        self.fields
            .iter()
            .filter_map(|(n, f)| f.value.translation().map(|t| (n.clone(), Spanned { value: t, ..f.clone() })))
            .collect()
    }

    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.get(name).map(|s| &s.value)
    }

    /// The key facts: `key_facts`, or the index columns when it is not set.
    pub fn key_fields(&self) -> &[Spanned<String>] {
        if self.key_facts.is_empty() { &self.columns } else { &self.key_facts }
    }
}
