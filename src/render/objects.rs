//! Record views as template objects. A record's view is built once per language and shared
//! by its own page, every index row that lists it and `get_record`; a template value is made
//! of a part only when a page reads it, so the views of ten thousand records cost their typed
//! size, not ten thousand trees of template values.

use super::views::{FieldView, LinkView, RecordView};
use minijinja::Value as TemplateValue;
use minijinja::value::{Enumerator, Object, Serde};
use std::sync::Arc;

impl RecordView {
    const KEYS: &'static [&'static str] =
        &["id", "collection", "title", "url", "file", "fields", "data", "body_html", "backlinks", "untranslated"];

    /// The view as a template value.
    pub fn value(self: &Arc<Self>) -> TemplateValue {
        TemplateValue::from_dyn_object(Arc::clone(self))
    }

    fn field(&self, name: &str) -> Option<&FieldView> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn link(&self) -> LinkView {
        LinkView {
            collection: self.collection.clone(),
            id: self.id.clone(),
            title: self.title.clone(),
            url: self.url.clone(),
        }
    }
}

impl Object for RecordView {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        Some(match key.as_str()? {
            "id" => TemplateValue::from(self.id.as_str()),
            "collection" => TemplateValue::from(self.collection.as_str()),
            "title" => TemplateValue::from(self.title.as_str()),
            "url" => TemplateValue::from(self.url.as_str()),
            "file" => TemplateValue::from(self.file.as_str()),
            "fields" => TemplateValue::from(Serde(&self.fields)),
            "data" => TemplateValue::from_object(Data(Arc::clone(self))),
            "body_html" => self.body_html.as_deref().map(TemplateValue::from).unwrap_or(TemplateValue::from(())),
            "backlinks" => TemplateValue::from(Serde(&self.backlinks)),
            "untranslated" => TemplateValue::from(self.untranslated),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(Self::KEYS)
    }
}

/// A record's `data`: every schema field by name, `none` when the record leaves it out, so
/// strict templates can test any field.
#[derive(Debug)]
struct Data(Arc<RecordView>);

impl Object for Data {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let name = key.as_str()?;
        match self.0.field(name) {
            Some(f) => Some(TemplateValue::from(Serde(&f.value))),
            None => self.0.absent.iter().any(|a| a == name).then(|| TemplateValue::from(())),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let names: Vec<TemplateValue> = self
            .0
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(self.0.absent.iter().map(String::as_str))
            .map(TemplateValue::from)
            .collect();
        Enumerator::Values(names)
    }
}

/// A row of an index table: the record's `link`, one of its `cells` per column (`none` where
/// the record has no value), and its `data`. Shares the record's view.
#[derive(Debug)]
pub struct Row {
    pub record: Arc<RecordView>,
    /// The collection's columns.
    pub columns: Arc<[String]>,
}

impl Object for Row {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        Some(match key.as_str()? {
            "link" => TemplateValue::from(Serde(self.record.link())),
            "cells" => self
                .columns
                .iter()
                .map(|c| {
                    self.record
                        .field(c)
                        .map(|f| TemplateValue::from(Serde(&f.value)))
                        .unwrap_or(TemplateValue::from(()))
                })
                .collect(),
            "data" => TemplateValue::from_object(Data(Arc::clone(&self.record))),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["link", "cells", "data"])
    }
}
