//! The atlas in its other languages: the default language's model with each record's
//! translation laid over it, and narrative rendered again with links into that language.

use super::{Atlas, Page};
use crate::config::Language;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown;
use crate::validate::Value;
use rayon::prelude::*;
use std::collections::HashMap;

impl Atlas {
    /// The atlas in another of its languages: URLs under the language's prefix, translated
    /// fields and narrative where a translation exists, the default language's elsewhere (with
    /// `untranslated` set). Problems in the translations' narrative are reported.
    pub fn localize(&self, language: &Language, diags: &mut Diagnostics) -> Atlas {
        let none = HashMap::new();
        let tr = self.translations.get(&language.code).unwrap_or(&none);
        let mut collections = self.collections.clone();
        for r in collections.values_mut().flatten() {
            let key = r.key();
            let spec = self.config.collection(&r.collection).expect("known collection");
            // A name kept in a field of its own for this language titles the record.
            let named = spec.title_fields.get(&language.code).and_then(|f| match r.fields.get(&f.value) {
                Some(Value::Str(s)) if !s.trim().is_empty() => Some(s.clone()),
                _ => None,
            });
            if let Some(name) = &named {
                r.title = name.clone();
            }
            match tr.get(&key) {
                Some(t) => {
                    // The page's source is the translation (its "Edit this page" opens it).
                    r.file = t.file.clone();
                    r.pos = t.pos;
                    r.canonical = Some(std::sync::Arc::clone(&r.fields));
                    let fields = std::sync::Arc::make_mut(&mut r.fields);
                    for (k, v) in t.fields.iter() {
                        let merged = match fields.get(k) {
                            Some(base) => base.overlaid(v),
                            None => v.clone(),
                        };
                        fields.insert(k.clone(), merged);
                    }
                    if let Some(Value::Str(s)) = t.fields.get(&spec.title_field.value) {
                        r.title = s.clone();
                    }
                }
                // Only a record with text to translate can lack a translation.
                None => r.untranslated = r.has_text_to_translate(spec),
            }
        }
        let pages_tr = self.page_translations.get(&language.code);
        let pages = self
            .pages
            .iter()
            .map(|p| match pages_tr.and_then(|t| t.get(&p.id)) {
                Some(t) => Page {
                    id: p.id.clone(),
                    file: t.file.clone(),
                    title: t.title.clone(),
                    description: t.description.clone(),
                    html: String::new(),
                    md: t.body.clone(),
                    images: Vec::new(),
                    untranslated: false,
                },
                None => Page { untranslated: true, html: String::new(), ..p.clone() },
            })
            .collect();
        let mut atlas = Atlas {
            config: self.config.clone(),
            urls: self.urls.localized(&language.prefix),
            collections,
            pages,
            backlinks: self.backlinks.clone(),
            cite_labels: self.cite_labels.clone(),
            updated: std::sync::Arc::clone(&self.updated),
            index: self.index.clone(),
            language: language.clone(),
            translations: HashMap::new(),
            page_translations: HashMap::new(),
            lost: self.lost.clone(),
        };
        // Narrative again, with links into this language's pages. Only a translation's own
        // problems are new; the default narrative's were reported when it was first rendered.
        let (bodies, page_html) = {
            let resolve = atlas.resolver();
            let bodies: Vec<Vec<(Option<Translated>, Vec<Diagnostic>)>> = atlas
                .collections
                .values()
                .map(|rs| {
                    rs.par_iter()
                        .map(|r| {
                            let key = r.key();
                            let (body, file) = match tr.get(&key) {
                                Some(t) if t.body.as_ref().is_some_and(|b| !b.text.trim().is_empty()) => {
                                    (t.body.as_ref(), Some(&t.file))
                                }
                                _ => (r.body_md.as_ref(), None),
                            };
                            let Some(b) = body else { return (None, vec![]) };
                            let out = markdown::render(&b.text, &resolve, false);
                            let problems = match file {
                                Some(f) => crate::source::diagnostics(f, &b.text, b.line, &out.problems),
                                None => vec![],
                            };
                            (Some((out.html, out.images)), problems)
                        })
                        .collect()
                })
                .collect();
            let page_html: Vec<(String, Vec<String>, Vec<Diagnostic>)> = atlas
                .pages
                .iter()
                .map(|p| {
                    let out = markdown::render(&p.md.text, &resolve, false);
                    let problems = if p.untranslated {
                        vec![]
                    } else {
                        crate::source::diagnostics(&p.file, &p.md.text, p.md.line, &out.problems)
                    };
                    (out.html, out.images, problems)
                })
                .collect();
            (bodies, page_html)
        };
        for (rs, bodies) in atlas.collections.values_mut().zip(bodies) {
            for (r, (html, problems)) in rs.iter_mut().zip(bodies) {
                if let Some((html, images)) = html {
                    r.body_html = Some(html.into());
                    r.images.extend(images);
                }
                diags.extend(problems);
            }
        }
        for (p, (html, images, problems)) in atlas.pages.iter_mut().zip(page_html) {
            p.html = html;
            p.images = images;
            diags.extend(problems);
        }
        atlas
    }
}

/// A record's narrative rendered in another language: its HTML and the images it shows.
type Translated = (String, Vec<String>);
