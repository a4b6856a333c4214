//! The checks of the site-wide settings that name other things: the languages (codes,
//! prefixes, the default among them) and the browser editor (its repository and folder).
//! Apart from the collections' checks because they read no schema.

use crate::config::site::default_prefix;
use crate::config::{CONFIG_FILE, Config, is_valid_id, pos};
use crate::diag::{Diagnostic, Diagnostics, Pos};

impl Config {
    /// Language codes and prefixes are unique, prefixes are plain folder names that cannot
    /// collide with a collection's folder, and the default language is listed.
    pub(super) fn check_languages(&self, diags: &mut Diagnostics) {
        if self.languages.is_empty() {
            return;
        }
        let err = |p: Pos, m: String, h: &str| Diagnostic::error(CONFIG_FILE, p, m).with_help(h.to_string());
        if !self.languages.iter().any(|l| l.value.code == self.language) {
            diags.push(err(
                pos(&self.languages[0].referenced),
                format!("the default language `{}` is not among `languages`", self.language),
                "list every language, the default (`language:`) included, with its code and name",
            ));
        }
        let mut codes = std::collections::HashSet::new();
        let mut prefixes = std::collections::HashSet::new();
        for (l, lang) in self.languages.iter().zip(self.languages.iter().map(|l| &l.value)) {
            let at = pos(&l.referenced);
            let code_ok = !lang.code.is_empty()
                && lang.code.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
            if !code_ok {
                diags.push(err(
                    at,
                    format!("`{}` is not a language tag", lang.code),
                    "use a BCP 47 tag such as `en`, `vi` or `zh-Hans`",
                ));
            }
            if !codes.insert(lang.code.clone()) {
                diags.push(err(at, format!("language `{}` is listed twice", lang.code), "list each language once"));
            }
            if lang.code == self.language {
                continue;
            }
            let prefix = lang.prefix.clone().unwrap_or_else(|| default_prefix(&lang.code));
            if !is_valid_id(&prefix) {
                diags.push(err(
                    at,
                    format!("prefix `{prefix}` of language `{}` is not a valid folder name", lang.code),
                    "use lowercase a-z, 0-9 and -, e.g. `prefix: zh`",
                ));
            } else if self.collections.contains_key(&prefix) || crate::urls::RESERVED.contains(&prefix.as_str()) {
                diags.push(err(
                    at,
                    format!("prefix `{prefix}` of language `{}` is also a folder of the site", lang.code),
                    "choose another `prefix:` for this language",
                ));
            }
            if !prefixes.insert(prefix.clone()) {
                diags.push(err(
                    at,
                    format!("two languages share the prefix `{prefix}`"),
                    "give each language its own `prefix:`",
                ));
            }
        }
    }

    /// The browser editor needs a repository it can commit to, and `/admin/`, where it is
    /// published, must be free.
    pub(super) fn check_cms(&self, diags: &mut Diagnostics) {
        let Some(spanned) = self.cms.as_ref().filter(|c| c.value.enabled) else { return };
        let at = pos(&spanned.referenced);
        let err = |m: String, h: &str| Diagnostic::error(CONFIG_FILE, at, m).with_help(h.to_string());
        match &self.repository {
            None => diags.push(err(
                "`cms` needs `repository`: the editor commits to it".into(),
                "add `repository: {url: https://github.com/<owner>/<repo>, branch: main}`",
            )),
            Some(r) => {
                if let Err(why) = spanned.value.target(&r.value) {
                    diags.push(err(
                        why,
                        "name the forge with `cms: {backend: github}` (or gitlab, gitea), or fix repository.url",
                    ));
                }
            }
        }
        let folder = crate::render::cms::FOLDER;
        if self.collections.contains_key(folder) {
            diags.push(err(
                format!("the collection `{folder}` would share /{folder}/ with the editor"),
                "rename the collection, or turn the editor off with `cms: {enabled: false}`",
            ));
        }
        for l in self.languages().iter().filter(|l| l.prefix.trim_end_matches('/') == folder) {
            diags.push(err(
                format!("language `{}` would share /{folder}/ with the editor", l.code),
                "give the language another `prefix:`",
            ));
        }
    }
}
