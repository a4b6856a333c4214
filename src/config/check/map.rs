//! The checks of the maps' settings: a collection's colours, shapes and `near` fields, and
//! the base-map extraction's options. Apart because they check values against lists that
//! belong to the map (the shapes atlasgen draws, the extraction's options), not to a schema.

use crate::config::{
    CONFIG_FILE, CollectionSpec, Config, EXTRACT_OPTIONS, LINE_SHAPES, MARKER_SHAPES, TypeName, is_hex_colour, pos,
};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};

impl Config {
    /// A collection's map colours, shapes and `near` fields: every value they name is one of
    /// its field's values, every colour a hex colour, every shape one atlasgen draws, and
    /// every `near` field a reference to a collection on the map.
    pub(super) fn check_map_style(&self, name: &str, coll: &CollectionSpec, at: Pos, diags: &mut Diagnostics) {
        let err = |m: String, h: String| Diagnostic::error(CONFIG_FILE, at, m).with_help(h);
        let m = &coll.map;
        if let Some(c) = m.fixed_colour()
            && !is_hex_colour(c)
        {
            diags.push(err(
                format!("map.colour of `{name}` is not a colour: `{c}`"),
                "write a hex colour such as \"#0072b2\", or name an enum field".into(),
            ));
        }
        let values_of = |field: Option<&str>| field.and_then(|f| coll.field(f)).map(|f| f.values.to_vec());
        let mut check_values = |key: &str, field: Option<&str>, map: &indexmap::IndexMap<String, String>| {
            if map.is_empty() {
                return;
            }
            let Some(values) = values_of(field) else {
                diags.push(err(
                    format!("map.{key}s of `{name}` needs map.{key} to name an enum field"),
                    format!("set map.{key} to the enum field whose values these are"),
                ));
                return;
            };
            for v in map.keys() {
                if !values.contains(v) {
                    diags.push(err(
                        format!("map.{key}s of `{name}`: `{v}` is not a value of `{}`", field.unwrap_or_default()),
                        did_you_mean(v, values.iter().map(String::as_str))
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| format!("values are: {}", values.join(", "))),
                    ));
                }
            }
        };
        check_values("colour", m.colour_field(), &m.colours);
        check_values("shape", m.shape.as_deref(), &m.shapes);
        for (v, c) in &m.colours {
            if !is_hex_colour(c) {
                diags.push(err(
                    format!("map.colours of `{name}`: `{c}` (for `{v}`) is not a colour"),
                    "write a hex colour such as \"#0072b2\"".into(),
                ));
            }
        }
        let shapes: &[&str] = if m.route.is_some() { &LINE_SHAPES } else { &MARKER_SHAPES };
        for (v, s) in &m.shapes {
            if !shapes.contains(&s.as_str()) {
                diags.push(err(
                    format!("map.shapes of `{name}`: `{s}` (for `{v}`) is not a shape atlasgen draws"),
                    format!("shapes are: {}", shapes.join(", ")),
                ));
            }
        }
        let mapped = |c: &str| {
            self.collection(c).is_some_and(|s| {
                s.map.point.is_some() || s.map.route.is_some() || s.fields.values().any(|f| f.value.ty == TypeName::Geo)
            })
        };
        for f in &m.near {
            let target = coll.field(f).and_then(|spec| match spec.ty {
                TypeName::Ref => spec.collection.as_ref().map(|c| c.value.clone()),
                TypeName::List => spec
                    .item
                    .as_ref()
                    .filter(|i| i.value.ty == TypeName::Ref)
                    .and_then(|i| i.value.collection.as_ref().map(|c| c.value.clone())),
                _ => None,
            });
            match target {
                Some(t) if mapped(&t) => {}
                Some(t) => diags.push(err(
                    format!("map.near of `{name}`: `{f}` refers to `{t}`, which is not on the map"),
                    "name a reference to a collection with a geo field or a route".into(),
                )),
                None => diags.push(err(
                    format!("map.near of `{name}` must name a reference field (or a list of them), not `{f}`"),
                    format!("fields of `{name}` are: {}", coll.fields.keys().cloned().collect::<Vec<_>>().join(", ")),
                )),
            }
        }
    }

    /// `map.extract` holds the base-map extraction's options; a misspelt one would be
    /// ignored by atlasgen and refused by the extraction, so it is reported here.
    pub(super) fn check_extract(&self, diags: &mut Diagnostics) {
        let Some(extract) = &self.map.extract else { return };
        for key in extract.value.keys() {
            if !EXTRACT_OPTIONS.contains(&key.as_str()) {
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        pos(&extract.referenced),
                        format!("map.extract: unknown option `{key}`"),
                    )
                    .with_help(
                        did_you_mean(key, EXTRACT_OPTIONS.iter().copied())
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| format!("options are: {}", EXTRACT_OPTIONS.join(", "))),
                    ),
                );
            }
        }
    }
}
