//! What `serve` answers over HTTP: files of the in-memory site by their decoded, normalised
//! path (never one that climbs out), the long poll that tells pages of a new build, and a
//! refusal for host names that are not this machine's.

use super::AppState;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// The address pages are built for and printed: the bound one, or loopback when bound to every
/// interface; IPv6 in brackets (`http://[::1]:1111/`).
pub(super) fn site_url(bind: IpAddr, port: u16) -> String {
    let shown = match bind {
        IpAddr::V4(a) if a.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(a) if a.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        a => a,
    };
    format!("http://{}/", SocketAddr::new(shown, port))
}

/// Refuses requests for a host name that is not this machine's (403), as Vite and
/// webpack-dev-server do: a page of another site that gets its own name to resolve to
/// 127.0.0.1 (DNS rebinding) would otherwise read the drafts as a same-origin page.
pub(super) async fn check_host(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
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

#[derive(serde::Deserialize)]
pub(super) struct WaitQuery {
    pub(super) since: Option<u64>,
}

/// Answers at once if the status is newer than `since`, else when it changes (or after 25 s,
/// so proxies and browsers do not time the request out).
pub(super) async fn wait(State(state): State<Arc<AppState>>, Query(q): Query<WaitQuery>) -> Response {
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
pub(super) async fn file(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
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
