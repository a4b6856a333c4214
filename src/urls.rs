//! The one place that turns atlas things into URLs and output paths.
//!
//! Every internal link is built here, prefixed with the path of `base_url`, so a site built for
//! `https://user.github.io/vn-cn-atlas/` links to `/vn-cn-atlas/gates/` and works under that
//! sub-path, while the same atlas built for `https://atlas.example/` links to `/gates/`.

use crate::ids::slug;
use std::borrow::Cow;

/// Builds URLs under the site's base path.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/sub/path/`, plus the language prefix (`/sub/path/vi/`).
    base_path: String,
    /// `https://host/sub/path/`, plus the language prefix.
    base_url: String,
    /// The site's own base path: assets are shared by every language.
    root_path: String,
}

/// A page's location: `path` is relative to the site root, `""` for the home page,
/// otherwise ending in `/` (a folder with `index.html`) or naming a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Route(pub String);

impl Route {
    /// The file to write, relative to the output folder.
    pub fn file(&self) -> String {
        if self.0.is_empty() || self.0.ends_with('/') { format!("{}index.html", self.0) } else { self.0.clone() }
    }
}

/// The folders atlasgen's own pages and files take at the root of a site: the stylesheet and
/// script, open data, the search index and page. A collection, a plain page or a language
/// prefix of the same name would share its URL, so none may take one.
pub const RESERVED: &[&str] = &["assets", "data", "pagefind", "search"];

/// The folder name of a facet's pages: `/gates/by-status/`.
pub fn facet_dir(field: &str) -> String {
    format!("by-{}", field.replace('_', "-"))
}

impl Urls {
    pub fn new(base_url: &str, base_path: &str) -> Self {
        Urls { base_path: base_path.to_string(), base_url: base_url.to_string(), root_path: base_path.to_string() }
    }

    /// The URLs of a language's pages, under its prefix (`vi/`); assets stay at the root.
    pub fn localized(&self, prefix: &str) -> Urls {
        Urls {
            base_path: format!("{}{prefix}", self.root_path),
            base_url: format!("{}{prefix}", self.base_url.strip_suffix(self.prefix()).unwrap_or(&self.base_url)),
            root_path: self.root_path.clone(),
        }
    }

    /// The language prefix these URLs carry, `""` for the default language.
    fn prefix(&self) -> &str {
        &self.base_path[self.root_path.len()..]
    }

    pub fn home() -> Route {
        Route(String::new())
    }

    pub fn collection(collection: &str) -> Route {
        Route(format!("{collection}/"))
    }

    pub fn record(collection: &str, id: &str) -> Route {
        Route(format!("{collection}/{id}/"))
    }

    pub fn facet_index(collection: &str, field: &str) -> Route {
        Route(format!("{collection}/{}/", facet_dir(field)))
    }

    pub fn facet(collection: &str, field: &str, value: &str) -> Route {
        Route(format!("{collection}/{}/{}/", facet_dir(field), facet_slug(value)))
    }

    pub fn page(id: &str) -> Route {
        Route(format!("{id}/"))
    }

    /// Root-relative URL of a route, with the base path: `/vn-cn-atlas/gates/`.
    pub fn url(&self, route: &Route) -> String {
        format!("{}{}", self.base_path, route.0)
    }

    /// Root-relative URL of a file in the site (`assets/atlas.css`).
    pub fn asset(&self, path: &str) -> String {
        format!("{}{}", self.root_path, path.trim_start_matches('/'))
    }

    /// Absolute URL of a file at the site's root, shared by every language (an image).
    pub fn absolute_file(&self, path: &str) -> String {
        let root = self.base_url.strip_suffix(self.prefix()).unwrap_or(&self.base_url);
        format!("{root}{}", path.trim_start_matches('/'))
    }

    /// Absolute URL, for canonical links and the sitemap.
    pub fn absolute(&self, route: &Route) -> String {
        format!("{}{}", self.base_url, route.0)
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The site's base path, without any language prefix.
    pub fn root_path(&self) -> &str {
        &self.root_path
    }
}

/// The part of a facet value's URL its key makes: its slug (`none` for a key with no letters or
/// digits). Keys with the same slug ("Rice", "rice") share a page, so they are one value.
pub fn facet_slug(key: &str) -> Cow<'_, str> {
    let plain = !key.is_empty()
        && !key.starts_with('-')
        && !key.ends_with('-')
        && !key.contains("--")
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain {
        return Cow::Borrowed(key);
    }
    let s = slug(key);
    Cow::Owned(if s.is_empty() { "none".into() } else { s })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_path_prefixes_every_url() {
        let u = Urls::new("https://x.github.io/vn-cn-atlas/", "/vn-cn-atlas/");
        assert_eq!(u.url(&Urls::record("gates", "mong-cai-dongxing")), "/vn-cn-atlas/gates/mong-cai-dongxing/");
        assert_eq!(u.url(&Urls::home()), "/vn-cn-atlas/");
        assert_eq!(u.asset("/assets/a.css"), "/vn-cn-atlas/assets/a.css");
        assert_eq!(u.absolute(&Urls::collection("gates")), "https://x.github.io/vn-cn-atlas/gates/");
        assert_eq!(Urls::facet("gates", "vn_province", "Quảng Ninh").0, "gates/by-vn-province/quang-ninh/");
        assert_eq!(Urls::home().file(), "index.html");
        let vi = u.localized("vi/");
        assert_eq!(vi.url(&Urls::collection("gates")), "/vn-cn-atlas/vi/gates/");
        assert_eq!(vi.absolute(&Urls::home()), "https://x.github.io/vn-cn-atlas/vi/");
        assert_eq!(vi.asset("assets/a.css"), "/vn-cn-atlas/assets/a.css");
        assert_eq!(vi.localized("zh/").url(&Urls::home()), "/vn-cn-atlas/zh/");
    }

    #[test]
    fn facet_slugs_are_the_slugs_of_keys() {
        for key in ["rice", "Rice", "fruit-export", "a--b", "-x", "x-", "Quảng Ninh", "", "??", "2024"] {
            let expected = match slug(key).as_str() {
                "" => "none".to_string(),
                s => s.to_string(),
            };
            assert_eq!(facet_slug(key), expected, "{key}");
        }
        assert!(matches!(facet_slug("fruit-export"), Cow::Borrowed(_)), "a key that is a slug is not copied");
    }
}
