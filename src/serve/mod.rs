//! `atlasgen serve`: builds into memory, serves on loopback, rebuilds on every save and
//! reloads open pages.
//!
//! The site lives in memory only, so the output folder is never touched. A save that breaks
//! the atlas keeps the last good site online; the diagnostics go to the terminal and to an
//! overlay in every open page, and the next good save clears them. Pages learn about new
//! builds by long polling `/__atlasgen/wait`, which needs no extra protocol and no library
//! in the page. Static files follow the rules of a build ([`crate::statics`]): they are read
//! the same way, and one with the path of a generated file is an error. Requests are answered
//! only for the names of this machine (`localhost`, the bound address), so a web page cannot
//! read the drafts through a name of its own that resolves here (DNS rebinding).

mod http;
mod watcher;

pub use http::{allowed_host, site_path};
use http::{check_host, file, site_url, wait};

use crate::diag::Diagnostics;
use crate::live::{Live, Touched};
use crate::report::Renderer;
use axum::Router;
use axum::http::header;
use axum::middleware;
use axum::routing::get;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Instant;
use tokio::sync::watch;
use watcher::ChangeKind;

/// What `serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Print the time each stage of every rebuild took.
    pub timings: bool,
}

/// Files by their path in the site, `index.html` included.
type Files = HashMap<String, Arc<Vec<u8>>>;

/// The site as served: the pages and other files atlasgen generates, and the files of
/// `static/`, kept apart so that each follows its own changes.
#[derive(Default)]
struct Site {
    generated: Files,
    statics: Files,
}

impl Site {
    fn get(&self, path: &str) -> Option<&Arc<Vec<u8>>> {
        self.generated.get(path).or_else(|| self.statics.get(path))
    }

    fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// Static files with the path of a generated one: an error, as in a build.
    fn clashes(&self) -> Diagnostics {
        let mut d = Diagnostics::new();
        d.extend(crate::statics::clashes(self.statics.keys().map(String::as_str), |p| self.generated.contains_key(p)));
        d
    }
}

/// What open pages are told after each build.
#[derive(Debug, Clone, serde::Serialize)]
struct Status {
    /// Increases with every build, good or bad.
    version: u64,
    /// Rendered diagnostics of a failed build; `None` when the site is current.
    errors: Option<String>,
}

struct AppState {
    site: RwLock<Site>,
    status: watch::Sender<Status>,
    /// The host names requests may carry (see [`allowed_host`]).
    bind: IpAddr,
}

/// The atlas in memory, and how `serve` was asked to report.
struct Session {
    live: Live,
    root: PathBuf,
    timings: bool,
}

impl Session {
    /// Renders the whole atlas into memory, and reads `static/`.
    fn start(root: &Path, base_url: &str, timings: bool) -> Result<(Session, Site), String> {
        let mut t = crate::timings::Timings::default();
        let (live, built) =
            Live::start(root, Some(base_url), &mut t).map_err(|d| Renderer::new(root).render_all(&d))?;
        report(root, &built.diagnostics)?;
        let mut site = Site::default();
        apply(&mut site.generated, built.files);
        site.statics = read_statics(root, &site.statics, None).map_err(|d| Renderer::new(root).render_all(&d))?;
        report(root, &site.clashes())?;
        Ok((Session { live, root: root.to_path_buf(), timings }, site))
    }

    /// Brings the served files up to date after a change: only the pages a content edit
    /// touched are rendered again; templates and configuration render everything. On error
    /// the files are left as they were. Returns whether the rebuild was partial.
    ///
    /// `changed` lists the content files the watcher saw change (`None` if it lost track).
    fn rebuild(&mut self, site: &RwLock<Site>, kind: ChangeKind, changed: Option<&[PathBuf]>) -> Result<bool, String> {
        let mut t = crate::timings::Timings::default();
        let touched = if kind == ChangeKind::Layout { Touched::Layout } else { Touched::Content };
        let built = self.live.edit(touched, changed, &mut t).map_err(|d| Renderer::new(&self.root).render_all(&d))?;
        report(&self.root, &built.diagnostics)?;
        if self.timings {
            eprint!("{}", t.report());
        }
        let mut site = site.write().expect("lock");
        if built.partial {
            for gone in &built.removed {
                site.generated.remove(gone);
            }
            apply(&mut site.generated, built.files);
        } else {
            let mut next: Files = HashMap::new();
            apply(&mut next, built.files);
            site.generated = next;
        }
        Ok(built.partial)
    }

    /// The search index, open data and sitemap after a partial rebuild.
    fn refresh_shared(&mut self, site: &RwLock<Site>) {
        let (out, diags) = self.live.refresh_shared();
        if !diags.is_empty() {
            eprint!("{}", Renderer::new(&self.root).render_all(&diags));
        }
        let mut site = site.write().expect("lock");
        // A new search index replaces the old one whole: its files are named by their content.
        let bundle = format!("{}/", crate::render::search::BUNDLE_DIR);
        if out.iter().any(|f| f.path.starts_with(&bundle)) {
            site.generated.retain(|p, _| !p.starts_with(&bundle));
        }
        apply(&mut site.generated, out);
    }
}

/// Errors fail the build; warnings are printed and the build goes on.
fn report(root: &Path, diags: &crate::diag::Diagnostics) -> Result<(), String> {
    if diags.has_errors() {
        return Err(Renderer::new(root).render_all(diags));
    }
    if !diags.is_empty() {
        eprint!("{}", Renderer::new(root).render_all(diags));
    }
    Ok(())
}

/// Puts rendered files into the served set, with the live-reload script in every page.
fn apply(files: &mut Files, out: Vec<crate::render::OutputFile>) {
    for f in out {
        let bytes = if f.path.ends_with(".html") { inject(f.bytes) } else { f.bytes };
        files.insert(f.path, Arc::new(bytes));
    }
}

/// The files of `static/` as a build copies them (see [`crate::statics`]): all of them, with
/// the bytes of `before` kept for those a watcher did not see change (`changed`; `None` reads
/// every file). Files no longer there are left out.
fn read_statics(root: &Path, before: &Files, changed: Option<&[PathBuf]>) -> Result<Files, Diagnostics> {
    let (list, problems) = crate::statics::list(root);
    let mut diags = Diagnostics::new();
    diags.extend(problems);
    let mut files = Files::new();
    for f in &list {
        let unchanged = changed.is_some_and(|c| !c.contains(&f.source));
        match before.get(&f.path) {
            Some(bytes) if unchanged => {
                files.insert(f.path.clone(), Arc::clone(bytes));
            }
            _ => match crate::statics::read(root, f) {
                Ok(bytes) => {
                    files.insert(f.path.clone(), Arc::new(bytes));
                }
                Err(d) => diags.push(d),
            },
        }
    }
    if diags.has_errors() { Err(diags) } else { Ok(files) }
}

const LIVE_PATH: &str = "/__atlasgen/live.js";
const LIVE_JS: &str = include_str!("../render/defaults/live.js");

fn inject(html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_PATH}\" defer></script>\n</body>");
    match String::from_utf8(html) {
        Ok(s) if s.contains("</body>") => s.replacen("</body>", &tag, 1).into_bytes(),
        Ok(s) => s.into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// Serves until interrupted. Returns an error message if the server cannot start.
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(run(opts))
}

async fn run(opts: ServeOptions) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port)).await.map_err(|e| {
        format!("cannot listen on {}: {e} (pick another --port)", SocketAddr::new(opts.bind, opts.port))
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base_url = site_url(opts.bind, addr.port());
    // Watch events carry absolute paths; classify them against an absolute root.
    let root = std::fs::canonicalize(&opts.root).map_err(|e| format!("cannot open {}: {e}", opts.root.display()))?;

    let start = Instant::now();
    let (session, site, errors) = match Session::start(&root, &base_url, opts.timings) {
        Ok((s, site)) => (Some(s), site, None),
        Err(e) => {
            eprint!("{e}");
            (None, Site::default(), Some(e))
        }
    };
    eprintln!("built in {} ms; serving {} on {base_url} (Ctrl-C to stop)", start.elapsed().as_millis(), root.display());
    let (tx, _) = watch::channel(Status { version: 1, errors });
    let state = Arc::new(AppState { site: RwLock::new(site), status: tx, bind: opts.bind });

    let _watcher = watch_and_rebuild(root, base_url, opts.timings, session, Arc::clone(&state))?;
    let app = Router::new()
        .route(LIVE_PATH, get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS) }))
        .route("/__atlasgen/wait", get(wait))
        .fallback(get(file))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), check_host))
        .with_state(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

/// Watches the atlas's sources; each save triggers one rebuild.
fn watch_and_rebuild(
    root: PathBuf,
    base_url: String,
    timings: bool,
    mut session: Option<Session>,
    state: Arc<AppState>,
) -> Result<impl Drop, String> {
    let watched = root.clone();
    watcher::watch(watched, move |save| {
        // The files saved; if the watcher lost events, every file gets a look (and so it does
        // after a failed edit: see `Live::edit`).
        let had_errors = state.status.borrow().errors.is_some();
        // A saved picture may be one that fields or narrative show: its copies and the pages
        // naming them are made again (the model re-renders only the narrative that names it).
        let pictures = save.statics.iter().any(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["jpg", "jpeg", "png", "webp"].contains(&e.to_ascii_lowercase().as_str()))
        });
        let saved = (!save.lost && !pictures).then_some(save.content.as_slice());
        let statics = save.lost || save.kinds.contains(&ChangeKind::Static);
        let rebuild = save.lost || pictures || save.kinds.iter().any(|k| *k != ChangeKind::Static);
        let start = Instant::now();
        let kind = if save.kinds.contains(&ChangeKind::Layout) { ChangeKind::Layout } else { ChangeKind::Content };
        let mut partial = false;
        let mut outcome: Result<(), String> = Ok(());
        if rebuild || had_errors {
            outcome = match session.as_mut() {
                Some(s) => s.rebuild(&state.site, kind, saved).map(|p| partial = p),
                None => Session::start(&root, &base_url, timings).map(|(s, site)| {
                    session = Some(s);
                    *state.site.write().expect("lock") = site;
                }),
            };
        }
        // Static files, both ways: added, changed and removed ones.
        if outcome.is_ok() && statics && session.is_some() {
            let changed = (!save.lost).then_some(save.statics.as_slice());
            let before = std::mem::take(&mut state.site.write().expect("lock").statics);
            outcome = match read_statics(&root, &before, changed) {
                Ok(files) => {
                    state.site.write().expect("lock").statics = files;
                    Ok(())
                }
                Err(d) => {
                    state.site.write().expect("lock").statics = before;
                    Err(Renderer::new(&root).render_all(&d))
                }
            };
        }
        // What a build would refuse, the preview reports.
        if outcome.is_ok() {
            let clashes = state.site.read().expect("lock").clashes();
            outcome = report(&root, &clashes);
        }
        let version = state.status.borrow().version + 1;
        match outcome {
            Ok(()) => {
                let how = if partial { "the pages it touched" } else { "everything" };
                eprintln!("rebuilt {how} in {} ms", start.elapsed().as_millis());
                state.status.send_replace(Status { version, errors: None });
                // Search and open data follow once the edited pages are out.
                if partial && let Some(s) = session.as_mut() {
                    s.refresh_shared(&state.site);
                }
            }
            Err(e) => {
                eprint!("{e}");
                eprintln!("still serving the last good build; fix the problems above and save again");
                state.status.send_replace(Status { version, errors: Some(e) });
            }
        }
    })
}
