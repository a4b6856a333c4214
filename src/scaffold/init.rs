//! `init`: a whole new atlas, written from the template files beside this module (included
//! into the binary, so an installed atlasgen needs nothing else) and filled in with the
//! repository a fresh clone came from (see [`super::remote`]).

use super::refusal::{Refusal, usage};
use super::remote::git_remote;
use std::fmt::Write as _;
use std::path::Path;

/// The files of a new atlas, relative to its folder. `__…__` marks what [`init`] fills in.
const INIT_FILES: &[(&str, &str)] = &[
    ("atlas.yaml", include_str!("atlas.yaml")),
    ("content/places/greenwich-meridian.md", include_str!("greenwich-meridian.md")),
    ("content/sources.yaml", include_str!("sources.yaml")),
    ("content/about.md", include_str!("about.md")),
    ("templates/record.html", include_str!("record.html")),
    ("static/images/marker.svg", include_str!("marker.svg")),
    // Made by tools/map-data/extract.mjs from the `map.extract` options of scaffold/atlas.yaml.
    ("data/basemap.geojson", include_str!("basemap.geojson")),
    (".gitignore", include_str!("gitignore")),
    (".github/workflows/pages.yml", include_str!("pages.yml")),
    (".github/workflows/check.yml", include_str!("check.yml")),
    (README, include_str!("README.md")),
];

/// The editors' guide; written as [`GUIDE_BESIDE_README`] when the folder has a README.
const README: &str = "README.md";
const GUIDE_BESIDE_README: &str = "EDITING.md";

/// The GitHub action that installs this version of atlasgen: this repository at its tag.
pub fn action_ref() -> String {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    let slug = repo.strip_prefix("https://github.com/").unwrap_or(repo);
    format!("{slug}@v{}", env!("CARGO_PKG_VERSION"))
}

/// What a fresh clone may already hold: `init` leaves these alone.
fn may_be_there(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    name == ".git" || ["README", "LICENSE", "LICENCE", "COPYING"].iter().any(|p| upper.starts_with(p))
}

/// Creates a new atlas in `dir`: an empty or new folder, or a fresh clone holding only
/// `.git`, a README or a LICENSE. Nothing is overwritten: if any file `init` writes is
/// already there, or anything else is, nothing is written and the files are listed.
/// Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<String>, Refusal> {
    let present: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
        Err(e) => {
            return usage(format!("cannot read {}: {e}", dir.display()), "choose a folder you can write to".into());
        }
    };
    let guide = if dir.join(README).exists() { GUIDE_BESIDE_README } else { README };
    let files: Vec<(&str, &str)> =
        INIT_FILES.iter().map(|&(rel, text)| (if rel == README { guide } else { rel }, text)).collect();
    let mut clashes: Vec<String> =
        files.iter().filter(|(rel, _)| dir.join(rel).exists()).map(|(r, _)| r.to_string()).collect();
    let mut others: Vec<String> = present
        .iter()
        .filter(|n| !may_be_there(n) && !clashes.iter().any(|c| c == *n || c.starts_with(&format!("{n}/"))))
        .cloned()
        .collect();
    if !clashes.is_empty() || !others.is_empty() {
        clashes.sort();
        others.sort();
        let mut message = String::new();
        if !clashes.is_empty() {
            let _ = write!(message, "these files would be overwritten: {}", clashes.join(", "));
        }
        if !others.is_empty() {
            let sep = if message.is_empty() { "" } else { "; " };
            let _ = write!(message, "{sep}the folder holds more than a fresh clone would: {}", others.join(", "));
        }
        return usage(
            message,
            "atlasgen init never overwrites a file: start in an empty folder, or in a fresh clone holding only .git, \
             README or LICENSE files"
                .into(),
        );
    }
    let repo = git_remote(dir);
    let branch = repo.as_ref().map(|r| r.branch.clone()).unwrap_or_else(|| "main".into());
    let base_url = repo.as_ref().map(|r| r.pages_url()).unwrap_or_else(|| "https://example.github.io/my-atlas/".into());
    let repository = match &repo {
        Some(r) => format!(
            "# Where the atlas's files are kept: each page links to its own file (\"Edit this page\").\n\
             repository: {{url: {}, branch: {}}}\n",
            r.url, r.branch
        ),
        None => "# Where the atlas's files are kept: uncomment, with your repository, to give each page an\n\
                 # \"Edit this page\" link to its own file.\n\
                 # repository: {url: https://github.com/<owner>/<repo>, branch: main}\n"
            .into(),
    };
    let fill = |text: &str| {
        text.replace("__BASE_URL__", &base_url)
            .replace("__REPOSITORY__\n", &repository)
            .replace("__BRANCH__", &branch)
            .replace("__ACTION__", &action_ref())
            .replace("__VERSION__", env!("CARGO_PKG_VERSION"))
            .replace("__HOMEPAGE__", env!("CARGO_PKG_REPOSITORY"))
            .replace("__GUIDE__", guide)
    };
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let res = path.parent().map(std::fs::create_dir_all).unwrap_or(Ok(())).and_then(|_| {
            use std::io::Write;
            // create_new: a file that appeared since the look above is not overwritten.
            let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
            f.write_all(fill(text).as_bytes())
        });
        if let Err(e) = res {
            return usage(format!("cannot write {rel}: {e}"), format!("written before it: {}", written.join(", ")));
        }
        written.push(rel.to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_action_is_pinned_to_this_version() {
        assert!(action_ref().ends_with(&format!("@v{}", env!("CARGO_PKG_VERSION"))), "{}", action_ref());
        assert!(!action_ref().contains("https://"));
    }
}
