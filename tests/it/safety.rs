//! What a build may touch: atlasgen replaces only a folder it wrote (one holding its marker
//! file), never an input of the atlas however the paths are spelled, one build at a time, and
//! cleans up after builds that were killed.

use crate::common;

use atlasgen::diag::Diagnostic;
use atlasgen::layout::SITE_MARKER;
use atlasgen::{BuildOptions, build};
use common::fixture_copy;
use std::path::{Path, PathBuf};

fn opts(root: &Path, output: impl Into<PathBuf>, force: bool) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), output: output.into(), base_url: None, force }
}

/// The build's error, which must be the only one.
fn refused(o: &BuildOptions) -> Diagnostic {
    let mut e = build(o).map(|_| ()).expect_err("the build is refused").into_vec();
    assert_eq!(e.len(), 1, "{e:#?}");
    e.remove(0)
}

/// A folder of someone's files.
fn user_folder(dir: &Path) {
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::write(dir.join("notes/todo.txt"), "keep me").unwrap();
    std::fs::write(dir.join("index.html"), "my own page").unwrap();
}

#[test]
fn a_folder_atlasgen_did_not_write_is_refused_unless_forced() {
    let dir = fixture_copy("small");
    let docs = dir.path().join("docs");
    user_folder(&docs);
    let e = refused(&opts(dir.path(), "docs", false));
    assert!(e.message.contains("refusing to replace the output"), "{e:?}");
    assert!(e.message.contains(SITE_MARKER), "the message names the marker: {e:?}");
    let help = e.help.unwrap_or_default();
    assert!(help.contains("--force") && help.contains("deletes"), "the help says what --force does: {help}");
    assert_eq!(std::fs::read_to_string(docs.join("notes/todo.txt")).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(docs.join("index.html")).unwrap(), "my own page");

    // Forced, the folder is replaced by the site.
    build(&opts(dir.path(), "docs", true)).expect("a forced build replaces the folder");
    assert!(!docs.join("notes").exists());
    assert!(docs.join(SITE_MARKER).is_file() && docs.join("towns/mong-cai/index.html").is_file());
    // From then on it is atlasgen's: no --force needed.
    build(&opts(dir.path(), "docs", false)).expect("atlasgen's own site is rebuilt");
}

#[test]
fn a_file_is_refused_unless_forced() {
    let dir = fixture_copy("small");
    std::fs::write(dir.path().join("README.md"), "# My atlas\n").unwrap();
    let e = refused(&opts(dir.path(), "README.md", false));
    assert!(e.message.contains("it is a file"), "{e:?}");
    assert_eq!(std::fs::read_to_string(dir.path().join("README.md")).unwrap(), "# My atlas\n");
}

#[test]
fn its_own_site_and_an_empty_folder_are_replaced() {
    let dir = fixture_copy("small");
    build(&opts(dir.path(), "site", false)).unwrap();
    let marker = std::fs::read_to_string(dir.path().join("site").join(SITE_MARKER)).unwrap();
    assert!(marker.starts_with("atlasgen site\nversion: "), "{marker}");
    build(&opts(dir.path(), "site", false)).expect("a rebuild replaces atlasgen's own site");
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    build(&opts(dir.path(), "empty", false)).expect("an empty folder holds nothing to lose");
    // The swap leaves nothing beside the site but its lock.
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site.") || n.starts_with(".empty."))
        .collect();
    assert_eq!(beside.iter().filter(|n| !n.ends_with(".lock")).count(), 0, "{beside:?}");
}

#[test]
fn version_control_is_never_an_output() {
    let dir = fixture_copy("small");
    std::fs::create_dir_all(dir.path().join(".git/objects")).unwrap();
    std::fs::write(dir.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    for out in [".git", ".git/objects"] {
        let e = refused(&opts(dir.path(), out, true));
        assert!(e.message.starts_with("refusing to write the site into"), "{out}: {e:?}");
    }
    assert!(dir.path().join(".git/HEAD").is_file());
}

/// Every input, however the output is spelled: through `..`, absolutely, or as the real folder
/// behind a symbolic link. `--force` changes none of it.
#[cfg(unix)]
#[test]
fn the_guard_compares_real_paths_and_covers_every_input() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("parent");
    let atlas = parent.join("atlas");
    std::fs::create_dir_all(&parent).unwrap();
    common::copy_dir(&common::fixture("small"), &atlas, &[]);
    user_folder(&parent.join("sibling"));
    // The root given through a link: the real parent must still be refused.
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&atlas, &link).unwrap();
    for out in [parent.clone(), parent.join("atlas/..").join("."), tmp.path().to_path_buf()] {
        let e = refused(&opts(&link, &out, true));
        assert!(e.message.contains("the atlas folder or one that contains it"), "{}: {e:?}", out.display());
    }
    assert!(parent.join("sibling/notes/todo.txt").is_file() && atlas.join("atlas.yaml").is_file());

    // Translation tables, the base map and its folder, and a base map named elsewhere.
    std::fs::create_dir_all(atlas.join("i18n")).unwrap();
    std::fs::write(atlas.join("i18n/vi.yaml"), "{}\n").unwrap();
    std::fs::create_dir_all(atlas.join("maps")).unwrap();
    std::fs::copy(atlas.join("data/basemap.geojson"), atlas.join("maps/base.geojson")).unwrap();
    let config = std::fs::read_to_string(atlas.join("atlas.yaml")).unwrap();
    std::fs::write(atlas.join("atlas.yaml"), config.replace("data/basemap.geojson", "maps/base.geojson")).unwrap();
    for out in [
        "i18n",
        "data",
        "data/basemap.geojson",
        "maps",
        "maps/base.geojson",
        "content/towns",
        "templates/x",
        "static",
        "atlas.yaml",
        "./content/../i18n",
    ] {
        let e = refused(&opts(&link, out, true));
        assert!(e.message.starts_with("refusing to write the site into the atlas's"), "{out}: {e:?}");
    }
    // An input that is a link: its real folder is an input too.
    user_folder(&tmp.path().join("assets"));
    std::os::unix::fs::symlink(tmp.path().join("assets"), atlas.join("static")).unwrap();
    let e = refused(&opts(&link, tmp.path().join("assets"), true));
    assert!(e.message.contains("static"), "{e:?}");
    assert!(atlas.join("i18n/vi.yaml").is_file() && atlas.join("maps/base.geojson").is_file());
    assert!(tmp.path().join("assets/notes/todo.txt").is_file());
}

/// A process id no process has.
#[cfg(target_os = "linux")]
fn dead_pid() -> u32 {
    (1_000_000..4_000_000).rev().step_by(7919).find(|p| !Path::new(&format!("/proc/{p}")).exists()).unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn leftovers_of_killed_builds_are_cleaned() {
    let dir = fixture_copy("small");
    build(&opts(dir.path(), "site", false)).unwrap();
    let pid = dead_pid();
    let marker = std::fs::read(dir.path().join("site").join(SITE_MARKER)).unwrap();
    let staged = dir.path().join(format!(".site.building-{pid}"));
    let old = dir.path().join(format!(".site.old-{pid}"));
    for d in [&staged, &old] {
        std::fs::create_dir_all(d.join("towns")).unwrap();
        std::fs::write(d.join(SITE_MARKER), &marker).unwrap();
        std::fs::write(d.join("towns/index.html"), "half a site").unwrap();
    }
    // Named like a leftover but without the marker: not atlasgen's, so kept.
    let foreign = dir.path().join(format!(".site.old-{}", pid + 1));
    user_folder(&foreign);
    build(&opts(dir.path(), "site", false)).unwrap();
    assert!(!staged.exists() && !old.exists(), "the leftovers of a killed build are removed");
    assert!(foreign.join("notes/todo.txt").is_file(), "a folder without the marker is kept");
}

#[test]
fn a_build_under_way_makes_the_output_busy() {
    let dir = fixture_copy("small");
    build(&opts(dir.path(), "site", false)).unwrap();
    let lock = std::fs::OpenOptions::new().write(true).open(dir.path().join(".site.lock")).unwrap();
    lock.lock().unwrap();
    let e = refused(&opts(dir.path(), "site", false));
    assert!(e.message.contains("busy"), "{e:?}");
    drop(lock);
    build(&opts(dir.path(), "site", false)).expect("the lock is released");
}

/// Builds into one output at once: each one finishes or says the output is busy, and the
/// output is a whole site at the end ("Directory not empty" was a failed swap).
#[test]
fn concurrent_builds_into_one_output_do_not_trip_over_each_other() {
    let dir = fixture_copy("small");
    let root = dir.path().to_path_buf();
    let outcomes: Vec<Result<(), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let root = root.clone();
                s.spawn(move || {
                    (0..3)
                        .map(|_| {
                            build(&opts(&root, "site", false)).map(|_| ()).map_err(|d| format!("{:?}", d.into_vec()))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for o in &outcomes {
        if let Err(e) = o {
            assert!(e.contains("busy"), "{e}");
        }
    }
    assert!(outcomes.iter().any(Result::is_ok));
    assert!(dir.path().join("site/towns/mong-cai/index.html").is_file());
    assert!(dir.path().join("site").join(SITE_MARKER).is_file());
}

/// An atlas beside a secret: a file and a folder outside the atlas that links inside it lead to.
#[cfg(unix)]
struct Beside {
    tmp: tempfile::TempDir,
}

#[cfg(unix)]
const SECRET: &str = "root:x:0:0:secret line:/root:/bin/bash";

#[cfg(unix)]
impl Beside {
    fn new() -> Beside {
        let tmp = tempfile::tempdir().unwrap();
        common::copy_dir(&common::fixture("small"), &tmp.path().join("atlas"), &[]);
        std::fs::write(tmp.path().join("secret.txt"), format!("{SECRET}\n{SECRET}\n")).unwrap();
        std::fs::create_dir_all(tmp.path().join("credentials")).unwrap();
        std::fs::write(tmp.path().join("credentials/token.txt"), SECRET).unwrap();
        Beside { tmp }
    }
    fn root(&self) -> PathBuf {
        self.tmp.path().join("atlas")
    }
    /// Links `rel` (in the atlas) to `target`.
    fn link(&self, rel: &str, target: &Path) {
        let at = self.root().join(rel);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&at);
        std::os::unix::fs::symlink(target, at).unwrap();
    }
    fn secret(&self) -> PathBuf {
        self.tmp.path().join("secret.txt")
    }
    /// Checks and builds: both fail, with an error at `rel` saying the link leaves the atlas;
    /// nothing is written, and no diagnostic, as printed, quotes the secret.
    fn refused(&self, rel: &str) {
        let root = self.root();
        let diags = atlasgen::check(&root, None).map(|_| ()).expect_err("the check fails");
        let printed = atlasgen::report::Renderer::new(&root).render_all(&diags);
        assert!(
            diags.sorted().iter().any(|d| d.file == rel && d.message.contains("outside the atlas folder")),
            "{rel}: {printed}"
        );
        assert!(!printed.contains("secret line"), "a line of the outside file is printed:\n{printed}");
        let built = build(&opts(&root, "site", false)).map(|_| ()).expect_err("the build fails");
        assert!(!Renderer::new(&root).render_all(&built).contains("secret line"));
        assert!(!root.join("site").exists(), "{rel}: a site was written");
    }
}

#[cfg(unix)]
use atlasgen::report::Renderer;

#[cfg(unix)]
#[test]
fn links_out_of_the_atlas_are_refused_and_never_quoted() {
    let b = Beside::new();
    b.link("templates/404.html", &b.secret());
    b.refused("templates/404.html");

    let b = Beside::new();
    b.link("content/towns/stolen.md", &b.secret());
    b.refused("content/towns/stolen.md");

    let b = Beside::new();
    b.link("content/roads/stolen.yaml", &b.secret());
    b.refused("content/roads/stolen.yaml");

    let b = Beside::new();
    b.link("static", &b.tmp.path().join("credentials"));
    b.refused("static");

    let b = Beside::new();
    b.link("static/keys/token.txt", &b.tmp.path().join("credentials/token.txt"));
    b.refused("static/keys/token.txt");

    let b = Beside::new();
    std::fs::write(b.tmp.path().join("vi.yaml"), format!("\"{SECRET}\": x\n")).unwrap();
    let config = std::fs::read_to_string(b.root().join("atlas.yaml")).unwrap();
    std::fs::write(
        b.root().join("atlas.yaml"),
        format!("{config}languages:\n  - {{code: en, name: English}}\n  - {{code: vi, name: Tiếng Việt}}\n"),
    )
    .unwrap();
    b.link("i18n/vi.yaml", &b.tmp.path().join("vi.yaml"));
    b.refused("i18n/vi.yaml");

    let b = Beside::new();
    std::fs::copy(b.root().join("data/basemap.geojson"), b.tmp.path().join("base.geojson")).unwrap();
    b.link("data/basemap.geojson", &b.tmp.path().join("base.geojson"));
    b.refused("data/basemap.geojson");
}

/// Links that stay inside the atlas are followed: a shared image, a folder of records.
#[cfg(unix)]
#[test]
fn links_inside_the_atlas_are_followed() {
    let b = Beside::new();
    let root = b.root();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(root.join("shared/logo.svg"), "<svg/>").unwrap();
    b.link("static/images/logo.svg", &root.join("shared/logo.svg"));
    std::fs::rename(root.join("content/towns"), root.join("shared/towns")).unwrap();
    b.link("content/towns", &root.join("shared/towns"));
    build(&opts(&root, "site", false)).expect("links inside the atlas are fine");
    assert_eq!(std::fs::read_to_string(root.join("site/images/logo.svg")).unwrap(), "<svg/>");
    assert!(root.join("site/towns/mong-cai/index.html").is_file());
}

/// A device or a FIFO under a content name: refused at once, never read until memory runs out
/// or waited on forever.
#[cfg(target_os = "linux")]
#[test]
fn special_files_are_refused_without_reading_them() {
    let dir = fixture_copy("small");
    let root = dir.path();
    let fifo = root.join("content/towns/x.md");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/dev/zero", root.join("content/towns/zero.md")).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let r = root.to_path_buf();
    std::thread::spawn(move || tx.send(atlasgen::check(&r, None).map(|_| ()).map_err(|d| d.sorted())));
    let diags = rx.recv_timeout(std::time::Duration::from_secs(30)).expect("the check finishes").unwrap_err();
    let at = |f: &str| diags.iter().find(|d| d.file == f).unwrap_or_else(|| panic!("{f}: {diags:#?}"));
    assert!(at("content/towns/x.md").message.contains("FIFO"), "{diags:#?}");
    assert!(at("content/towns/zero.md").message.contains("outside the atlas"), "{diags:#?}");
}

/// A static file with the path of a generated one: an error in `check` and `build` alike (and
/// in `serve`, see tests/e2e/dev-server.test.js), never one silently replacing the other.
#[test]
fn a_static_file_may_not_replace_a_generated_one() {
    for path in ["robots.txt", "404.html", "assets/atlasgen.css", "towns/index.html", SITE_MARKER] {
        let dir = fixture_copy("small");
        let file = dir.path().join("static").join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "mine").unwrap();
        let expected = format!("static/{path}");
        let checked = atlasgen::check(dir.path(), None).map(|_| ()).expect_err(path).sorted();
        assert!(
            checked.iter().any(|d| d.file == expected && d.message.contains("has the path of a file atlasgen writes")),
            "{path}: {checked:#?}"
        );
        let built = build(&opts(dir.path(), "site", false)).map(|_| ()).expect_err(path).sorted();
        assert!(built.iter().any(|d| d.file == expected), "check and build agree: {built:#?}");
        assert!(!dir.path().join("site").exists());
    }
    // Anything else is copied as it is.
    let dir = fixture_copy("small");
    std::fs::create_dir_all(dir.path().join("static/assets")).unwrap();
    std::fs::write(dir.path().join("static/assets/mine.css"), "body{}").unwrap();
    build(&opts(dir.path(), "site", false)).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("site/assets/mine.css")).unwrap(), "body{}");
}
