//! The atlas folder's layout: where each input lives and what marks a site atlasgen wrote,
//! named once. Loaders read from here, `serve` watches these folders, and the output guard
//! ([`crate::output::check_output`]) refuses to write over any of them.

/// The configuration, at the atlas root.
pub const CONFIG_FILE: &str = "atlas.yaml";
/// Records and plain pages.
pub const CONTENT_DIR: &str = "content";
/// The atlas's templates; any it leaves out come from atlasgen's built-ins.
pub const TEMPLATES_DIR: &str = "templates";
/// Files copied into the site as they are.
pub const STATIC_DIR: &str = "static";
/// Translation tables of the interface, `i18n/<code>.yaml`.
pub const I18N_DIR: &str = "i18n";
/// Data files the configuration names, such as the base map (`data/basemap.geojson`).
pub const DATA_DIR: &str = "data";

/// Every input of an atlas, relative to its root. Files the configuration names elsewhere
/// (see [`crate::config::Config::named_files`]) are inputs too.
pub const INPUTS: &[&str] = &[CONFIG_FILE, CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, I18N_DIR, DATA_DIR];

/// The atlas's version control, which no output may replace either.
pub const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn", ".jj"];

/// The file inside every site atlasgen writes. A build replaces an existing output folder only
/// when it holds this file (or is empty): whatever else is there is the user's, and is kept.
pub const SITE_MARKER: &str = ".atlasgen-site";

/// The first line of [`SITE_MARKER`], by which atlasgen knows a site of its own.
pub const SITE_MARKER_LINE: &str = "atlasgen site";
