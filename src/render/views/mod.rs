//! Typed views handed to templates. Every template context is built here, from the model,
//! so templates see one consistent shape: a record's `fields` (present values, schema order),
//! its `data` (every schema field, `none` when absent, so strict templates can test them),
//! `backlinks` grouped under their headings, and values tagged by `kind`.
//!
//! `types.rs` holds the views' shapes (what templates see), `record.rs` how a record becomes
//! one (its fields, values, backlinks, layout and caveats), this file the site, links and
//! collections.

mod record;
mod types;

pub use types::*;

use crate::config::CollectionSpec;
use crate::i18n::Locale;
use crate::model::{Atlas, Record};
use crate::urls::Urls;

/// Builds views from the model.
pub struct Views<'a> {
    pub atlas: &'a Atlas,
    /// The language of the views' text; the atlas is already in that language.
    pub locale: &'a Locale,
}

impl<'a> Views<'a> {
    pub fn site(&self) -> SiteView {
        let a = self.atlas;
        let l = self.locale;
        let default = a.config.languages().remove(0);
        let mut nav: Vec<NavItem> = a
            .config
            .collections
            .iter()
            .map(|(k, c)| NavItem { key: k.clone(), title: l.t(&c.value.title), url: a.urls.url(&Urls::collection(k)) })
            .collect();
        nav.extend(a.pages.iter().map(|p| NavItem {
            key: p.id.clone(),
            title: p.title.clone(),
            url: a.urls.url(&Urls::page(&p.id)),
        }));
        // The open data page last: it is a section readers look for by name, not only in the
        // footer. Its key is the data page's `page.section` (its folder's name, which no
        // collection or page may take), so the link is marked current there.
        let data = a.urls.url(&Urls::page(super::data::DATA_DIR));
        nav.push(NavItem { key: super::data::DATA_DIR.into(), title: l.t("Open data"), url: data.clone() });
        SiteView {
            title: l.t(&a.config.title),
            description: l.t(&a.config.description),
            language: l.language.code.clone(),
            language_name: l.language.name.clone(),
            default_language: default.code,
            default_language_name: default.name,
            og_locale: crate::cldr::og_locale(&l.language.locale),
            base_path: a.urls.base_path().to_string(),
            base_url: a.config.base_url.clone(),
            languages: a
                .config
                .languages()
                .into_iter()
                .map(|lang| {
                    let urls = a.urls.localized(&lang.prefix);
                    LanguageView {
                        url: urls.url(&Urls::home()),
                        search: a.config.search.then(|| urls.url(&Urls::page("search"))),
                        code: lang.code,
                        name: lang.name,
                    }
                })
                .collect(),
            nav,
            generator: format!("atlasgen {}", env!("CARGO_PKG_VERSION")),
            search: a.config.search.then(|| a.urls.url(&Urls::page("search"))),
            feeds: a
                .config
                .collections
                .iter()
                .filter(|(_, c)| c.value.timeline.is_some())
                .map(|(k, c)| NavItem {
                    key: k.clone(),
                    title: format!("{}: {}", l.t(&a.config.title), l.t(&c.value.title)),
                    url: a.urls.url(&super::meta::feed_route(k)),
                })
                .collect(),
            data,
            bibliography: a.urls.url(&Urls::collection(a.config.citations())),
            licence: a.config.licence.as_ref().map(|lc| NavItem {
                key: lc.id.clone().unwrap_or_else(|| lc.name.clone()),
                title: lc.name.clone(),
                url: lc.url.clone(),
            }),
        }
    }

    pub fn link(&self, r: &Record) -> LinkView {
        LinkView {
            collection: r.collection.clone(),
            id: r.id.clone(),
            title: r.title.clone(),
            url: self.atlas.urls.url(&Urls::record(&r.collection, &r.id)),
        }
    }

    fn link_to(&self, collection: &str, id: &str) -> LinkView {
        match self.atlas.get(collection, id) {
            Some(r) => self.link(r),
            None => LinkView { collection: collection.into(), id: id.into(), title: id.into(), url: String::new() },
        }
    }

    pub(super) fn spec(&self, collection: &str) -> &'a CollectionSpec {
        self.atlas.config.collection(collection).expect("known collection")
    }

    pub fn collection(&self, name: &str) -> CollectionView {
        self.collection_with(name, |field| self.facet(name, field))
    }

    /// A collection's view after an edit that changed the records at `positions` (ascending)
    /// but moved no record of it: `prev`, its view before, with its facets brought up to date
    /// for those records only.
    pub fn collection_patched(&self, name: &str, prev: &CollectionView, positions: &[usize]) -> CollectionView {
        self.collection_with(name, |field| match prev.facets.iter().find(|f| f.field == field) {
            Some(f) => self.facet_patched(name, f, positions),
            None => self.facet(name, field),
        })
    }

    fn collection_with(&self, name: &str, mut facet: impl FnMut(&str) -> FacetView) -> CollectionView {
        let spec = self.spec(name);
        let records = &self.atlas.collections[name];
        CollectionView {
            name: name.into(),
            title: self.locale.t(&spec.title),
            singular: self.locale.t(&spec.singular),
            description: self.locale.t(&spec.description),
            url: self.atlas.urls.url(&Urls::collection(name)),
            count: records.len(),
            columns: {
                let key: Vec<&str> = spec
                    .key_fields()
                    .iter()
                    .map(|k| k.value.as_str())
                    .filter(|k| spec.columns.iter().any(|c| c.value == *k))
                    .take(3)
                    .collect();
                spec.columns
                    .iter()
                    .map(|c| {
                        let f = spec.field(&c.value);
                        ColumnView {
                            name: c.value.clone(),
                            label: f.map(|f| self.locale.t(&f.label_for(&c.value))).unwrap_or_default(),
                            lang: f.and_then(|f| f.lang.clone()),
                            key: key.contains(&c.value.as_str()),
                        }
                    })
                    .collect()
            },
            title_field: spec.title_field.value.clone(),
            facets: spec.facets.iter().map(|f| facet(&f.value)).collect(),
            sort: spec.sort.iter().map(|s| s.value.clone()).collect(),
        }
    }
}
