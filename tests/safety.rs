//! What a build may touch: never an input of the atlas, however the paths are spelled.

mod common;

use atlasgen::diag::Diagnostic;
use atlasgen::{BuildOptions, build};
use common::fixture_copy;
use std::path::{Path, PathBuf};

fn opts(root: &Path, output: impl Into<PathBuf>, _force: bool) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), output: output.into(), base_url: None }
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
