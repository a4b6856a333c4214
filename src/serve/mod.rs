//! `atlasgen serve`: builds into memory, serves on loopback, rebuilds on every save and
//! reloads open pages.
//!
//! The site lives in memory only, so the output folder is never touched. A save that breaks
//! the atlas keeps the last good site online; the diagnostics go to the terminal and to an
//! overlay in every open page, and the next good save clears them. Pages learn about new
//! builds by long polling `/__atlasgen/wait`, which needs no extra protocol and no library
//! in the page.

mod watcher;

use crate::diag::Renderer;
use crate::live::{Live, Touched};
use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
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

/// The site as served: every file by its path, `index.html` included.
type Files = HashMap<String, Arc<Vec<u8>>>;

/// What open pages are told after each build.
#[derive(Debug, Clone, serde::Serialize)]
struct Status {
    /// Increases with every build, good or bad.
    version: u64,
    /// Rendered diagnostics of a failed build; `None` when the site is current.
    errors: Option<String>,
}

struct AppState {
    files: RwLock<Files>,
    status: watch::Sender<Status>,
}

/// The atlas in memory, and how `serve` was asked to report.
struct Session {
    live: Live,
    root: PathBuf,
    timings: bool,
}

impl Session {
    /// Renders the whole atlas into memory.
    fn start(root: &Path, base_url: &str, timings: bool) -> Result<(Session, Files), String> {
        let mut t = crate::timings::Timings::default();
        let (live, built) =
            Live::start(root, Some(base_url), &mut t).map_err(|d| Renderer::new(root).render_all(&d))?;
        report(root, &built.diagnostics)?;
        let mut files: Files = HashMap::new();
        apply(&mut files, built.files);
        add_static(root, &mut files);
        Ok((Session { live, root: root.to_path_buf(), timings }, files))
    }

    /// Brings the served files up to date after a change: only the pages a content edit
    /// touched are rendered again; templates and configuration render everything. On error
    /// the files are left as they were. Returns whether the rebuild was partial.
    ///
    /// `changed` lists the content files the watcher saw change (`None` if it lost track).
    fn rebuild(
        &mut self,
        files: &RwLock<Files>,
        kind: ChangeKind,
        changed: Option<&[PathBuf]>,
    ) -> Result<bool, String> {
        let mut t = crate::timings::Timings::default();
        let touched = if kind == ChangeKind::Layout { Touched::Layout } else { Touched::Content };
        let built = self.live.edit(touched, changed, &mut t).map_err(|d| Renderer::new(&self.root).render_all(&d))?;
        report(&self.root, &built.diagnostics)?;
        if self.timings {
            eprint!("{}", t.report());
        }
        if built.partial {
            let mut files = files.write().expect("lock");
            for gone in &built.removed {
                files.remove(gone);
            }
            apply(&mut files, built.files);
            return Ok(true);
        }
        let mut next: Files = HashMap::new();
        apply(&mut next, built.files);
        add_static(&self.root, &mut next);
        *files.write().expect("lock") = next;
        Ok(false)
    }

    /// The search index, open data and sitemap after a partial rebuild.
    fn refresh_shared(&mut self, files: &RwLock<Files>) {
        let (out, diags) = self.live.refresh_shared();
        if !diags.is_empty() {
            eprint!("{}", Renderer::new(&self.root).render_all(&diags));
        }
        let mut files = files.write().expect("lock");
        // A new search index replaces the old one whole: its files are named by their content.
        let bundle = format!("{}/", crate::render::search::BUNDLE_DIR);
        if out.iter().any(|f| f.path.starts_with(&bundle)) {
            files.retain(|p, _| !p.starts_with(&bundle));
        }
        apply(&mut files, out);
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

/// Reads `static/` into the served files, as a build copies it (see [`crate::statics`]).
fn add_static(root: &Path, files: &mut Files) {
    let (statics, problems) = crate::statics::list(root);
    let mut diags = crate::diag::Diagnostics::new();
    diags.extend(problems);
    for f in &statics {
        match crate::statics::read(root, f) {
            Ok(bytes) => {
                files.insert(f.path.clone(), Arc::new(bytes));
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        eprint!("{}", Renderer::new(root).render_all(&diags));
    }
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
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e} (pick another --port)", opts.bind, opts.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let host = if opts.bind.is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
    let base_url = format!("http://{host}:{}/", addr.port());
    // Watch events carry absolute paths; classify them against an absolute root.
    let root = std::fs::canonicalize(&opts.root).map_err(|e| format!("cannot open {}: {e}", opts.root.display()))?;

    let start = Instant::now();
    let (session, files, errors) = match Session::start(&root, &base_url, opts.timings) {
        Ok((s, f)) => (Some(s), f, None),
        Err(e) => {
            eprint!("{e}");
            (None, HashMap::new(), Some(e))
        }
    };
    eprintln!("built in {} ms; serving {} on {base_url} (Ctrl-C to stop)", start.elapsed().as_millis(), root.display());
    let (tx, _) = watch::channel(Status { version: 1, errors });
    let state = Arc::new(AppState { files: RwLock::new(files), status: tx });

    let _watcher = watch_and_rebuild(root, base_url, opts.timings, session, Arc::clone(&state))?;
    let app = Router::new()
        .route(LIVE_PATH, get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS) }))
        .route("/__atlasgen/wait", get(wait))
        .fallback(get(file))
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
        // The content files saved; if the watcher lost events, every file gets a look.
        let saved = (!save.lost).then_some(save.content.as_slice());
        let start = Instant::now();
        let static_only = save.kinds.iter().all(|k| *k == ChangeKind::Static) && !save.lost;
        let kind = if save.kinds.contains(&ChangeKind::Layout) { ChangeKind::Layout } else { ChangeKind::Content };
        let outcome = if static_only && state.status.borrow().errors.is_none() {
            // Only static files changed: read them again into the current site.
            add_static(&root, &mut state.files.write().expect("lock"));
            Ok(false)
        } else {
            match session.as_mut() {
                Some(s) => s.rebuild(&state.files, kind, saved),
                None => Session::start(&root, &base_url, timings).map(|(s, f)| {
                    session = Some(s);
                    *state.files.write().expect("lock") = f;
                    false
                }),
            }
        };
        let version = state.status.borrow().version + 1;
        match outcome {
            Ok(partial) => {
                let how = if partial { "the pages it touched" } else { "everything" };
                eprintln!("rebuilt {how} in {} ms", start.elapsed().as_millis());
                state.status.send_replace(Status { version, errors: None });
                // Search and open data follow once the edited pages are out.
                if partial && let Some(s) = session.as_mut() {
                    s.refresh_shared(&state.files);
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

#[derive(serde::Deserialize)]
struct WaitQuery {
    since: Option<u64>,
}

/// Answers at once if the status is newer than `since`, else when it changes (or after 25 s,
/// so proxies and browsers do not time the request out).
async fn wait(State(state): State<Arc<AppState>>, Query(q): Query<WaitQuery>) -> Response {
    let mut rx = state.status.subscribe();
    let since = q.since.unwrap_or(0);
    if rx.borrow().version <= since {
        let _ = tokio::time::timeout(Duration::from_secs(25), rx.changed()).await;
    }
    let status = rx.borrow().clone();
    let body = serde_json::to_string(&status).unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// Serves a file of the in-memory site. The path is decoded and normalised first; anything
/// that climbs (`..`, encoded or not) is refused rather than resolved.
async fn file(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    let Some(key) = site_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    let (found, folder, missing) = {
        let files = state.files.read().expect("lock");
        let found = files.get(&key).cloned();
        let folder = found.is_none() && files.contains_key(&format!("{key}/index.html"));
        (found, folder, files.get("404.html").cloned())
    };
    if folder {
        // `/gates` to `/gates/`, so the page's relative URLs resolve as they will when hosted.
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        r.headers_mut().insert(
            header::LOCATION,
            HeaderValue::from_str(&format!("/{key}/")).unwrap_or(HeaderValue::from_static("/")),
        );
        return r;
    }
    let (status, bytes, name) = match (found, missing) {
        (Some(b), _) => (StatusCode::OK, b, key.as_str()),
        (None, Some(b)) => (StatusCode::NOT_FOUND, b, "404.html"),
        (None, None) => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    let mut r = Response::new(Body::from(bytes.as_ref().clone()));
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(name)));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `/gates/x/` to `gates/x/index.html`; `None` for paths that try to leave the site.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    if decoded.contains('\0') || decoded.contains('\\') || decoded.len() > 2048 {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    Some(if decoded.ends_with('/') || joined.is_empty() {
        if joined.is_empty() { "index.html".into() } else { format!("{joined}/index.html") }
    } else {
        joined
    })
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/gates/x/").as_deref(), Some("gates/x/index.html"));
        assert_eq!(site_path("/assets/a.css").as_deref(), Some("assets/a.css"));
        assert_eq!(site_path("/M%C3%B3ng").as_deref(), Some("Móng"));
        for bad in ["/../etc/passwd", "/%2e%2e/etc/passwd", "/a/%2E%2E/%2e%2e/x", "/a\\..\\b", "/%00", "/%zz"] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        assert_eq!(site_path(&format!("/{}", "a".repeat(5000))), None);
    }
}
