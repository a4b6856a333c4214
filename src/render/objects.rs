//! Record views as template objects. A record's view is built once per language and shared
//! by its own page, every index row that lists it and `get_record`; a template value is made
//! of a part only when a page reads it, so the views of ten thousand records cost their typed
//! size, not ten thousand trees of template values.

#[cfg(doc)]
use super::views::LinkView;
use super::views::{FieldView, RecordView};
use minijinja::Value as TemplateValue;
use minijinja::value::{Enumerator, Object, ObjectRepr, Serde};
use std::sync::{Arc, OnceLock};

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
///
/// A row is read on every page that lists its record (an index, facet pages) and kept between
/// the renders of `serve`, so its link and cells are made once, when first read.
#[derive(Debug)]
pub struct Row {
    record: Arc<RecordView>,
    /// The collection's columns.
    columns: Arc<[String]>,
    link: OnceLock<TemplateValue>,
    cells: OnceLock<TemplateValue>,
}

impl Row {
    pub fn new(record: Arc<RecordView>, columns: Arc<[String]>) -> Row {
        Row { record, columns, link: OnceLock::new(), cells: OnceLock::new() }
    }
}

impl Object for Row {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        Some(match key.as_str()? {
            "link" => self.link.get_or_init(|| TemplateValue::from_object(Link(Arc::clone(&self.record)))).clone(),
            "cells" => self.cells.get_or_init(|| TemplateValue::from_object(Cells::new(self))).clone(),
            "data" => TemplateValue::from_object(Data(Arc::clone(&self.record))),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["link", "cells", "data"])
    }
}

/// A row's link to its record: `collection`, `id`, `title` and `url`, as a [`LinkView`] has
/// them, read off the record's view when a template asks (an index of ten thousand rows asks
/// for twenty thousand).
#[derive(Debug)]
struct Link(Arc<RecordView>);

impl Object for Link {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let r = &self.0;
        Some(TemplateValue::from(match key.as_str()? {
            "collection" => r.collection.as_str(),
            "id" => r.id.as_str(),
            "title" => r.title.as_str(),
            "url" => r.url.as_str(),
            _ => return None,
        }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // The fields of a `LinkView`, in its order.
        Enumerator::Str(&["collection", "id", "title", "url"])
    }
}

/// A row's cells, one per column of its collection (`none` where the record has no value);
/// each is made when a template first reads it.
#[derive(Debug)]
struct Cells {
    record: Arc<RecordView>,
    columns: Arc<[String]>,
    values: Vec<OnceLock<TemplateValue>>,
}

impl Cells {
    fn new(row: &Row) -> Cells {
        let values = row.columns.iter().map(|_| OnceLock::new()).collect();
        Cells { record: Arc::clone(&row.record), columns: Arc::clone(&row.columns), values }
    }
}

impl Object for Cells {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let i = key.as_usize()?;
        let column = self.columns.get(i)?;
        let value = self.values[i].get_or_init(|| {
            self.record.field(column).map(|f| TemplateValue::from(Serde(&f.value))).unwrap_or(TemplateValue::from(()))
        });
        Some(value.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.columns.len())
    }
}
