//! An index row as a template object: the record's link and the cells of its collection's
//! columns, made once, when first read.

use super::*;
use crate::render::views::{LinkView, RecordView, ValueView};
use minijinja::Value as TemplateValue;
use minijinja::value::{Enumerator, Object, ObjectRepr};
use std::sync::{Arc, OnceLock};
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
            "link" => {
                self.link.get_or_init(|| TemplateValue::from_object(Link::Record(Arc::clone(&self.record)))).clone()
            }
            "cells" => self.cells.get_or_init(|| TemplateValue::from_object(Cells::new(self))).clone(),
            "data" => TemplateValue::from_object(Data(Arc::clone(&self.record))),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["link", "cells", "data"])
    }
}

/// A link: `collection`, `id`, `title` and `url`, as a [`LinkView`] has them, read off a
/// record's view when a template asks (an index of ten thousand rows asks for twenty
/// thousand): a row's link to its record, or a link a value holds.
#[derive(Debug)]
pub(super) enum Link {
    Record(Arc<RecordView>),
    Value(FieldValue, Which),
}

impl Object for Link {
    fn get_value(self: &Arc<Self>, key: &TemplateValue) -> Option<TemplateValue> {
        let (collection, id, title, url) = match &**self {
            Link::Record(r) => (&r.collection, &r.id, &r.title, &r.url),
            Link::Value(v, which) => {
                let l: &LinkView = match (v.view(), which) {
                    (ValueView::Ref { link, .. }, Which::Ref) => link,
                    (ValueView::Citation(c), Which::Source) => &c.source,
                    (ValueView::Citation(c), Which::Cite(i)) => &c.cites[*i],
                    _ => unreachable!("a link of the value's kind"),
                };
                (&l.collection, &l.id, &l.title, &l.url)
            }
        };
        Some(TemplateValue::from(match key.as_str()? {
            "collection" => collection.as_str(),
            "id" => id.as_str(),
            "title" => title.as_str(),
            "url" => url.as_str(),
            _ => return None,
        }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        // In the order of a map made from a `LinkView`: by key.
        Enumerator::Str(&["collection", "id", "title", "url"])
    }
}

/// A row's cells, one per column of its collection (`none` where the record has no value);
/// each is made when a template first reads it.
#[derive(Debug)]
pub(super) struct Cells {
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
            self.record
                .field(column)
                .map(|f| FieldValue::value(&self.record, vec![f as u32]))
                .unwrap_or(TemplateValue::from(()))
        });
        Some(value.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.columns.len())
    }
}
