//! Reading `atlas.yaml`: the file, its YAML, the checks of [`Config::check`], and the
//! languages filled in from it.

use super::schema::CollectionSpec;
use super::site::{Language, default_prefix};
use super::{CONFIG_FILE, Config, pos};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::input::{Refused, Unreadable};
use std::path::{Path, PathBuf};

impl Config {
    /// Reads and checks `atlas.yaml` under `root`. All problems found are returned together.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let mut diags = Diagnostics::new();
        let text = match crate::input::read_utf8(root, &path, crate::input::MAX_TEXT_BYTES) {
            Ok(text) => text,
            Err(Unreadable::NotUtf8(pos)) => {
                diags.push(
                    Diagnostic::error(CONFIG_FILE, pos, "the configuration is not valid UTF-8")
                        .with_help("save the file as UTF-8"),
                );
                return Err(diags);
            }
            Err(Unreadable::Refused(Refused::Io(e))) => {
                diags.push(
                    Diagnostic::error(CONFIG_FILE, Pos::FILE, format!("cannot read the configuration: {e}")).with_help(
                        format!("run atlasgen in an atlas folder (one with {CONFIG_FILE}), or pass --root DIR"),
                    ),
                );
                return Err(diags);
            }
            Err(Unreadable::Refused(refused)) => {
                diags.push(refused.diagnostic(CONFIG_FILE));
                return Err(diags);
            }
        };
        let text = text.as_str();
        let mut config: Config = match serde_saphyr::from_str_with_options(text, crate::yaml::options()) {
            Ok(c) => c,
            Err(e) => {
                let at = e.location().map(|l| pos(&l)).unwrap_or(Pos::FILE);
                let msg = e.without_snippet().to_string();
                let msg = msg.lines().next().unwrap_or("").to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                diags.push(
                    Diagnostic::error(CONFIG_FILE, at, format!("invalid configuration: {msg}"))
                        .with_help("see the configuration section of the README for the keys atlas.yaml accepts"),
                );
                return Err(diags);
            }
        };
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        // Control characters written as escapes ("\x01") reach titles and feeds.
        if let Err(d) = crate::yaml::parse(text, CONFIG_FILE) {
            diags.push(d);
        }
        config.root = root.to_path_buf();
        config.check(&mut diags);
        if diags.has_errors() { Err(diags) } else { Ok(config) }
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map(|(_, r)| r).unwrap_or(&self.base_url);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".into(),
        }
    }

    /// The languages of the site, the default first with no prefix.
    pub fn languages(&self) -> Vec<Language> {
        let default = self.languages.iter().map(|l| &l.value).find(|l| l.code == self.language);
        let mut out = vec![Language {
            code: self.language.clone(),
            name: default.map(|l| l.name.clone()).unwrap_or_else(|| self.language.clone()),
            locale: default
                .and_then(|l| l.locale.clone())
                .or_else(|| self.locale.clone())
                .unwrap_or_else(|| self.language.clone()),
            prefix: String::new(),
        }];
        out.extend(self.languages.iter().map(|l| &l.value).filter(|l| l.code != self.language).map(|l| Language {
            code: l.code.clone(),
            name: l.name.clone(),
            locale: l.locale.clone().unwrap_or_else(|| l.code.clone()),
            prefix: format!("{}/", l.prefix.clone().unwrap_or_else(|| default_prefix(&l.code))),
        }));
        out
    }

    /// Whether `code` is one of the other languages, the ones translations are written in.
    pub fn is_translation_language(&self, code: &str) -> bool {
        code != self.language && self.languages.iter().any(|l| l.value.code == code)
    }

    /// The files the configuration names, relative to the atlas folder (the base map): inputs
    /// of the build as much as `content/` is.
    pub fn named_files(&self) -> Vec<PathBuf> {
        self.map.basemap.iter().cloned().collect()
    }

    /// The collection that citations point into.
    pub fn citations(&self) -> &str {
        &self.citations.value
    }

    /// The collection that records where the sources disagree, if the atlas has one.
    pub fn discrepancies(&self) -> Option<&str> {
        self.discrepancies.as_ref().map(|d| d.value.as_str())
    }

    pub fn collection(&self, name: &str) -> Option<&CollectionSpec> {
        self.collections.get(name).map(|c| &c.value)
    }
}
