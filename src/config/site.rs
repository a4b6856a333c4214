//! Site-wide settings of `atlas.yaml` other than the collections: the repository and the
//! browser editor, the languages, the licence, and what the home page shows.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// The repository holding the atlas, for "Edit this page" links.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Repository {
    /// The repository's web address, e.g. `https://github.com/<owner>/<repo>`.
    pub url: String,
    /// The branch edits go to.
    #[serde(default = "default_branch")]
    pub branch: String,
    /// The atlas's folder inside the repository, when it is not the repository's root (`atlas`).
    #[serde(default)]
    pub folder: String,
    /// The address of a file's editor, with `{url}`, `{branch}` and `{path}` (the file's path
    /// from the repository's root) filled in. The default is GitHub's,
    /// `{url}/edit/{branch}/{path}`; GitLab's is `{url}/-/edit/{branch}/{path}`, Gitea's and
    /// Forgejo's `{url}/_edit/{branch}/{path}`.
    pub edit_url: Option<String>,
}

/// The browser editor's settings (`cms:`). Its forms come from the collections' schemas and
/// its commits go to `repository`'s branch; see [`crate::render::cms`].
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CmsSpec {
    /// Whether the site publishes the editor at `/admin/` (`cms: {enabled: false}` keeps the
    /// settings and turns it off).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The forge's API the editor talks to. By default it is read from `repository.url`:
    /// github.com is `github`, gitlab.com `gitlab`, codeberg.org and gitea.com `gitea`; a
    /// self-hosted forge must say which it is.
    pub backend: Option<CmsBackend>,
    /// The API's address on a self-hosted forge (default: the one each forge serves at its
    /// own host, e.g. `https://git.example.org/api/v1` for Gitea).
    pub api_root: Option<String>,
}

/// The forges the browser editor can commit to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CmsBackend {
    Github,
    Gitlab,
    Gitea,
}

/// Where the browser editor commits: the forge, the repository's path on it, and the API's
/// address when it is not the forge's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsTarget {
    pub backend: CmsBackend,
    /// `owner/repo` (on GitLab, `group/subgroup/project`).
    pub repo: String,
    pub api_root: Option<String>,
}

impl CmsSpec {
    /// Reads the forge and the repository's path from `repository.url`, or says why it
    /// cannot.
    pub fn target(&self, repository: &Repository) -> Result<CmsTarget, String> {
        let url = repository.url.trim_end_matches('/');
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let path = path.strip_suffix(".git").unwrap_or(path);
        let host = host.to_ascii_lowercase();
        let known = match host.as_str() {
            "github.com" => Some(CmsBackend::Github),
            "gitlab.com" => Some(CmsBackend::Gitlab),
            "codeberg.org" | "gitea.com" => Some(CmsBackend::Gitea),
            _ => None,
        };
        let Some(backend) = self.backend.or(known) else {
            return Err(format!(
                "cannot tell which forge {} is: the editor commits through GitHub's, GitLab's or Gitea's API",
                repository.url
            ));
        };
        let segments: Vec<&str> = path.split('/').collect();
        let nested_ok = backend == CmsBackend::Gitlab;
        if segments.len() < 2 || segments.iter().any(|s| s.is_empty()) || (segments.len() > 2 && !nested_ok) {
            return Err(format!(
                "repository.url {} does not end in the repository's owner and name (https://{host}/<owner>/<repo>)",
                repository.url
            ));
        }
        let api_root = self.api_root.clone().or_else(|| match (backend, host.as_str()) {
            (CmsBackend::Github, "github.com")
            | (CmsBackend::Gitlab, "gitlab.com")
            | (CmsBackend::Gitea, "gitea.com") => None,
            (CmsBackend::Github, _) => Some(format!("https://{host}/api/v3")),
            (CmsBackend::Gitlab, _) => Some(format!("https://{host}/api/v4")),
            (CmsBackend::Gitea, _) => Some(format!("https://{host}/api/v1")),
        });
        Ok(CmsTarget { backend, repo: segments.join("/"), api_root })
    }
}

fn default_branch() -> String {
    "main".into()
}

impl Repository {
    /// The address that edits `file` (a path from the atlas folder), at `line` when the file
    /// holds several records.
    pub fn edit_link(&self, file: &str, line: Option<usize>) -> String {
        let folder = self.folder.trim_matches('/');
        let path = if folder.is_empty() { file.to_string() } else { format!("{folder}/{file}") };
        let pattern = self.edit_url.as_deref().unwrap_or("{url}/edit/{branch}/{path}");
        let mut link = pattern
            .replace("{url}", self.url.trim_end_matches('/'))
            .replace("{branch}", &self.branch)
            .replace("{path}", &encode_path(&path));
        if let Some(n) = line {
            link.push_str(&format!("#L{n}"));
        }
        link
    }
}

/// A file path in a URL: what a path segment may not hold as it is, percent-encoded.
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `zh-Hans` → `zh`: the primary subtag, lowercase.
pub(super) fn default_prefix(code: &str) -> String {
    code.split('-').next().unwrap_or(code).to_ascii_lowercase()
}

/// The licence the atlas is published under.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// What readers see: "CC BY 4.0".
    pub name: String,
    /// The licence's canonical page.
    pub url: String,
    /// Its SPDX identifier (`CC-BY-4.0`), for `datapackage.json`; defaults to `name`.
    pub id: Option<String>,
}

/// One language of a multilingual atlas.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageSpec {
    /// BCP 47 tag (`vi`, `zh-Hans`); translation files end in `.<code>.md`.
    pub code: String,
    /// The language's name in itself, for the language switcher ("Tiếng Việt").
    pub name: String,
    /// URL prefix; defaults to the tag's first part (`zh-Hans` → `zh`). The default language
    /// has none.
    pub prefix: Option<String>,
    /// The CLDR locale dates, numbers and plurals follow, when it differs from the code
    /// (`en-GB` for "30 December 1999" where `en` writes "December 30, 1999").
    pub locale: Option<String>,
}

/// A language the site is published in, as the rest of atlasgen sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub code: String,
    pub name: String,
    /// The CLDR locale of its dates, numbers and plurals (the code unless configured).
    pub locale: String,
    /// Folder of the language's pages, `""` for the default language, else `"vi/"`.
    pub prefix: String,
}

/// What the home page shows besides the overview.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HomeConfig {
    /// The newest records of a dated collection ("latest events").
    pub latest: Option<LatestSpec>,
    /// Records flagged by a boolean field ("key figures").
    pub figures: Option<FeaturedSpec>,
}

/// The newest `count` records of `collection`, by the date in `field`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LatestSpec {
    #[schemars(with = "String")]
    pub collection: Spanned<String>,
    pub field: String,
    #[serde(default = "default_latest_count")]
    pub count: usize,
}

fn default_latest_count() -> usize {
    5
}

/// Records of `collection` whose boolean `field` is true, each shown as its `value` and
/// `unit` (fields of the collection) beside its title.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeaturedSpec {
    #[schemars(with = "String")]
    pub collection: Spanned<String>,
    pub field: String,
    /// The field shown as the figure (default: the collection's field `value`, if it has one).
    pub value: Option<String>,
    /// The field shown after it (default: the collection's field `unit`, if it has one).
    pub unit: Option<String>,
}

/// serde's default for a switch that is on unless the configuration turns it off.
pub(super) fn yes() -> bool {
    true
}
