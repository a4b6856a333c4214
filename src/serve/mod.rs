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

mod watcher;

use crate::diag::{Diagnostics, Renderer};
use crate::live::{Live, Touched};
use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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

/// The address pages are built for and printed: the bound one, or loopback when bound to every
/// interface; IPv6 in brackets (`http://[::1]:1111/`).
fn site_url(bind: IpAddr, port: u16) -> String {
    let shown = match bind {
        IpAddr::V4(a) if a.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(a) if a.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        a => a,
    };
    format!("http://{}/", SocketAddr::new(shown, port))
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

/// Refuses requests for a host name that is not this machine's (403), as Vite and
/// webpack-dev-server do: a page of another site that gets its own name to resolve to
/// 127.0.0.1 (DNS rebinding) would otherwise read the drafts as a same-origin page.
async fn check_host(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).or(request.uri().host());
    if host.is_some_and(|h| allowed_host(h, state.bind)) {
        return next.run(request).await;
    }
    (StatusCode::FORBIDDEN, "atlasgen serve answers only for localhost and the address it listens on\n").into_response()
}

/// Whether a `Host` header names this server: `localhost` (and `*.localhost`), a loopback
/// address, the bound address, or, bound to every interface, any address literal (a
/// rebinding attack needs a name, not an address).
pub fn allowed_host(host: &str, bind: IpAddr) -> bool {
    // Without the port: `name:1111`, `[::1]:1111`, `::1`.
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else if host.matches(':').count() == 1 {
        host.split(':').next().unwrap_or("")
    } else {
        host
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bind || bind.is_unspecified(),
        Err(_) => false,
    }
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
        let site = state.site.read().expect("lock");
        let found = site.get(&key).cloned();
        let folder = found.is_none() && site.contains(&format!("{key}/index.html"));
        (found, folder, site.generated.get("404.html").cloned())
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

/// The path with its `%XX` escapes decoded; `None` when one is malformed (`%zz`, a lone `%`)
/// or the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let malformed = s
        .match_indices('%')
        .any(|(i, _)| !s.get(i + 1..i + 3).is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())));
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|c| c.into_owned())
}

/// The content type of a file atlasgen writes, by extension: a table of the dozen kinds it
/// writes, with the charset browsers need for text (what a general guesser leaves out).
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

    #[test]
    fn only_this_machine_s_names_are_answered() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for ok in
            ["localhost:1111", "LOCALHOST", "atlas.localhost:1111", "127.0.0.1:1111", "127.0.0.2", "[::1]:1111", "::1"]
        {
            assert!(allowed_host(ok, loopback), "{ok}");
        }
        for bad in ["evil.example:1111", "evil.example", "localhost.evil.example", "192.168.1.5:1111", "", "[::2]:1"] {
            assert!(!allowed_host(bad, loopback), "{bad}");
        }
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(allowed_host("192.168.1.5:1111", lan));
        assert!(!allowed_host("10.0.0.1", lan));
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(allowed_host("10.0.0.1:1111", any) && !allowed_host("rebind.example:1111", any));
    }

    #[test]
    fn addresses_are_printed_as_urls() {
        assert_eq!(site_url("::1".parse().unwrap(), 1111), "http://[::1]:1111/");
        assert_eq!(site_url("::".parse().unwrap(), 80), "http://[::1]:80/");
        assert_eq!(site_url("0.0.0.0".parse().unwrap(), 1111), "http://127.0.0.1:1111/");
        assert_eq!(site_url("127.0.0.1".parse().unwrap(), 1111), "http://127.0.0.1:1111/");
    }
}
