//! The GitHub repository a fresh clone came from, read from its `.git` folder, so that `init`
//! can link the new atlas to its own repository and Pages address. Apart from `init` because
//! it reads git's files, not the atlas's.

use std::path::Path;

/// A GitHub repository a fresh clone came from.
#[derive(Debug, PartialEq)]
pub(super) struct Remote {
    owner: String,
    name: String,
    /// `https://github.com/<owner>/<name>`.
    pub(super) url: String,
    pub(super) branch: String,
}

impl Remote {
    /// The address GitHub Pages serves the repository's site from.
    pub(super) fn pages_url(&self) -> String {
        let owner = self.owner.to_ascii_lowercase();
        if self.name.eq_ignore_ascii_case(&format!("{owner}.github.io")) {
            format!("https://{owner}.github.io/")
        } else {
            format!("https://{owner}.github.io/{}/", self.name)
        }
    }
}

/// The GitHub repository of `origin` in `dir/.git`, with the branch checked out, so a fresh
/// clone's atlas links to its own repository and Pages address from the start.
pub(super) fn git_remote(dir: &Path) -> Option<Remote> {
    let git = dir.join(".git");
    let config = std::fs::read_to_string(git.join("config")).ok()?;
    let branch = std::fs::read_to_string(git.join("HEAD"))
        .ok()
        .and_then(|h| h.trim().strip_prefix("ref: refs/heads/").map(str::to_string))
        .unwrap_or_else(|| "main".into());
    parse_remote(&config, &branch)
}

fn parse_remote(config: &str, branch: &str) -> Option<Remote> {
    let mut in_origin = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line.replace(' ', "") == "[remote\"origin\"]";
            continue;
        }
        let Some(url) = line.strip_prefix("url").map(str::trim_start).and_then(|r| r.strip_prefix('=')) else {
            continue;
        };
        if !in_origin {
            continue;
        }
        let url = url.trim();
        let path = ["https://github.com/", "http://github.com/", "ssh://git@github.com/", "git@github.com:"]
            .iter()
            .find_map(|p| url.strip_prefix(p))?;
        let path = path.trim_end_matches('/').trim_end_matches(".git");
        let (owner, name) = path.split_once('/')?;
        let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !ok(owner) || !ok(name) {
            return None;
        }
        return Some(Remote {
            owner: owner.into(),
            name: name.into(),
            url: format!("https://github.com/{owner}/{name}"),
            branch: branch.into(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_of_a_github_repository_is_recognised() {
        let config = "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:Someone/field-notes.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n";
        let r = parse_remote(config, "trunk").unwrap();
        assert_eq!(r.url, "https://github.com/Someone/field-notes");
        assert_eq!(r.pages_url(), "https://someone.github.io/field-notes/");
        assert_eq!(r.branch, "trunk");
        let user_site =
            parse_remote("[remote \"origin\"]\nurl = https://github.com/someone/someone.github.io\n", "main");
        assert_eq!(user_site.unwrap().pages_url(), "https://someone.github.io/");
        assert_eq!(parse_remote("[remote \"origin\"]\nurl = https://gitlab.com/a/b.git\n", "main"), None);
        assert_eq!(parse_remote("[remote \"upstream\"]\nurl = https://github.com/a/b\n", "main"), None);
    }
}
