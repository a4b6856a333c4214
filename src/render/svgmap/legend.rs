//! A map's legend, made from what the map draws: each entry once, grouped, entries of a
//! group with the same swatch merged.

use super::{Draw, Ground, LegendItem};
use crate::map::Basemap;

/// Legend entries by group (0 ground, 1 marker colours, 2 shapes, 3 precision, 4 line
/// colours, 5 line patterns, 6 notes, 7 places), each once; entries of a group with the
/// same swatch are merged ("dotted: proposed, unknown").
#[derive(Default)]
pub(super) struct Legend(Vec<((usize, usize), String, Vec<String>)>);

impl Legend {
    /// An entry of `group`, at `order` within it (a value's place in its enum).
    pub(super) fn add(&mut self, group: usize, order: usize, inner: String, label: String) {
        if self.0.iter().any(|(_, _, ls)| ls.contains(&label)) {
            return;
        }
        match self.0.iter_mut().find(|(g, s, _)| g.0 == group && *s == inner && !inner.is_empty()) {
            Some((_, _, ls)) => ls.push(label),
            None => self.0.push(((group, order), inner, vec![label])),
        }
    }

    /// The ground's entries: borders, boundaries, provinces and rivers, when the map shows them.
    pub(super) fn add_ground(&mut self, base: &Basemap, ground: &Ground, l: &crate::i18n::Locale) {
        if !base.borders.is_empty() {
            self.add(
                0,
                0,
                "<path class=\"border-band\" d=\"M1 8L23 8\"/><path class=\"border\" d=\"M1 8L23 8\"/>".into(),
                l.t("land border"),
            );
        }
        let [rivers, _, provinces, boundaries] = ground.has;
        if boundaries {
            self.add(0, 1, "<path class=\"boundary\" d=\"M1 8L23 8\"/>".into(), l.t("other international boundary"));
        }
        if provinces {
            self.add(0, 2, "<path class=\"admin1-line\" d=\"M1 8L23 8\"/>".into(), l.t("province boundary"));
        }
        if rivers {
            self.add(0, 3, "<path class=\"river river-2\" d=\"M1 10C7 4 15 14 23 6\"/>".into(), l.t("river"));
        }
    }

    pub(super) fn finish(mut self) -> Vec<LegendItem> {
        self.0.sort_by_key(|(g, _, _)| *g);
        self.0
            .into_iter()
            .map(|(_, inner, labels)| LegendItem {
                swatch: if inner.is_empty() { String::new() } else { swatch(&inner) },
                label: labels.join(", "),
            })
            .collect()
    }
}

fn swatch(inner: &str) -> String {
    format!("<svg class=\"swatch\" viewBox=\"0 0 24 16\" width=\"24\" height=\"16\" aria-hidden=\"true\">{inner}</svg>")
}

/// A collection's singular name in the map's language, for its legend entry.
pub(super) fn singular(opts: &Draw, collection: &str) -> String {
    opts.locale.t(opts.config.collection(collection).map_or(collection, |c| c.singular.as_str()))
}
