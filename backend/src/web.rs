//! The built web app, served on the API's own port.
//!
//! The files are those of `frontend/dist` built into the binary (so the one file
//! `hotel-server` is the whole hotel), or, with `--static-dir`, those of a folder read as they
//! are now (development). Assets are compressed on the fly and cached for a
//! year when their names carry a content hash (a new build gets new names). A browser
//! navigating to a page of the app gets `index.html`, never cached, so a new build is picked
//! up at once. Anything else that is not an API path stays the JSON 404 of the protocol.
//!
//! The front desk is a separate build in `desk/` of the same directory, so guests never
//! download it: pages under `/desk` get `desk/index.html`, whose assets live under `/desk/`.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotel_shared::paths::PAGES;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::error::AppError;

/// The web app as built when this binary was: embedded in release builds; in debug builds
/// rust-embed reads the same folder at run time, so a rebuilt app shows without rebuilding the
/// server. Empty when the server was built before the app.
#[derive(rust_embed::Embed)]
#[folder = "../frontend/dist"]
#[allow_missing = true]
struct Built;

#[derive(Clone)]
pub enum WebApp {
    Folder(PathBuf),
    Embedded,
}

impl WebApp {
    /// The app in `static_dir` when one is given, else the one built into the binary unless
    /// `api_only`; `None` when there is no built app there (the API works without it).
    pub fn open(static_dir: Option<&std::path::Path>, api_only: bool) -> Option<WebApp> {
        match static_dir {
            Some(dir) => dir
                .join("index.html")
                .is_file()
                .then(|| WebApp::Folder(dir.to_path_buf())),
            None if api_only => None,
            None => Built::get("index.html")
                .is_some()
                .then_some(WebApp::Embedded),
        }
    }

    /// Where the app comes from, for the start-up line.
    pub fn origin(&self) -> String {
        match self {
            WebApp::Folder(dir) => dir.display().to_string(),
            WebApp::Embedded => "built in".into(),
        }
    }

    pub async fn serve(&self, request: Request) -> Response {
        let path = request.uri().path().to_string();
        let last = path.rsplit('/').next().unwrap_or("");
        if last.contains('.') && last != "index.html" {
            return self.asset(request, last.to_string()).await;
        }
        let wants_html = request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        if PAGES.contains(&path.as_str()) || path == "/index.html" || wants_html {
            let desk = path == "/desk" || path.starts_with("/desk/");
            return self.index(desk).await;
        }
        not_found()
    }

    /// The guest portal's page, for an address the API also answers (a booking's).
    pub async fn page(&self) -> Response {
        self.index(false).await
    }

    async fn asset(&self, request: Request, name: String) -> Response {
        let response = match self {
            WebApp::Folder(dir) => {
                let service = tower::ServiceBuilder::new()
                    .layer(CompressionLayer::new())
                    .service(ServeDir::new(dir));
                let Ok(response) = service.oneshot(request).await;
                response.map(Body::new)
            }
            WebApp::Embedded => {
                let Some(file) = embedded(request.uri().path()) else {
                    return not_found();
                };
                let kind = HeaderValue::from_str(file.metadata.mimetype())
                    .unwrap_or(HeaderValue::from_static("application/octet-stream"));
                let service = tower::ServiceBuilder::new()
                    .layer(CompressionLayer::new())
                    .service(tower::service_fn(move |_: Request| {
                        let body = Body::from(file.data.clone());
                        let response =
                            ([(header::CONTENT_TYPE, kind.clone())], body).into_response();
                        async move { Ok::<_, std::convert::Infallible>(response) }
                    }));
                let Ok(response) = service.oneshot(request).await;
                response.map(Body::new)
            }
        };
        if response.status() == StatusCode::NOT_FOUND {
            return not_found();
        }
        let mut response = response;
        let cache = if is_fingerprinted(&name) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        response
    }

    async fn index(&self, desk: bool) -> Response {
        let html = match self {
            WebApp::Folder(dir) => {
                let desk_page = dir.join("desk").join("index.html");
                let page = if desk && desk_page.is_file() {
                    desk_page
                } else {
                    dir.join("index.html")
                };
                // Read per request: a rebuilt app is served without restarting the server.
                tokio::fs::read(page).await.ok()
            }
            WebApp::Embedded => desk
                .then(|| Built::get("desk/index.html"))
                .flatten()
                .or_else(|| Built::get("index.html"))
                .map(|file| file.data.into_owned()),
        };
        match html {
            Some(html) => {
                let policy = content_security_policy(&html);
                let mut response = (StatusCode::OK, html).into_response();
                let headers = response.headers_mut();
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                headers.insert(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                );
                headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
                headers.insert(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                );
                if let Ok(policy) = HeaderValue::from_str(&policy) {
                    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
                }
                response
            }
            None => not_found(),
        }
    }
}

/// The built-in file at a request's path. Only plain names below the app's folder are looked
/// up: in debug builds the lookup reads the disk.
fn embedded(path: &str) -> Option<rust_embed::EmbeddedFile> {
    let relative = path.strip_prefix('/')?;
    let plain = relative
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
    plain.then(|| Built::get(relative)).flatten()
}

/// Only the app's own files run: its scripts, its styles and its WebAssembly, plus the
/// start-up script trunk writes into the page, allowed by its hash. No other site may frame
/// the page, receive its forms or be fetched from it.
fn content_security_policy(html: &[u8]) -> String {
    let inline: String = inline_scripts(html)
        .map(|script| {
            use base64::Engine as _;
            use sha2::Digest as _;
            let digest = sha2::Sha256::digest(script);
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{inline}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of every `<script>` element without a `src`, exactly as the browser hashes it.
fn inline_scripts(html: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = find(rest, b"<script")?;
            let open_end = start + find(&rest[start..], b">")? + 1;
            let tag = &rest[start..open_end];
            let close = open_end + find(&rest[open_end..], b"</script>")?;
            let body = &rest[open_end..close];
            rest = &rest[close..];
            if find(tag, b" src=").is_none() {
                return Some(body);
            }
        }
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn not_found() -> Response {
    AppError::NotFound("Endpoint not found.".into()).into_response()
}

/// trunk names built files `name-<hex content hash>[_bg].ext` (the hash may drop leading
/// zeros, so its length varies a little).
fn is_fingerprinted(file: &str) -> bool {
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// GET and HEAD may fetch the app; other methods on unknown paths are unknown endpoints.
pub fn may_serve(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = b"<head><script type=\"module\">init();</script>\
            <script src=\"/a.js\"></script><script>b()</script></head>";
        let scripts: Vec<&[u8]> = inline_scripts(html).collect();
        assert_eq!(scripts, vec![&b"init();"[..], &b"b()"[..]]);
        let policy = content_security_policy(html);
        assert_eq!(policy.matches("'sha256-").count(), 2);
        assert!(policy.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn built_in_files_are_looked_up_only_below_the_app() {
        assert_eq!(
            embedded("/index.html").is_some(),
            Built::get("index.html").is_some()
        );
        for outside in [
            "/../Cargo.toml",
            "/./index.html",
            "//index.html",
            "/desk/../../x",
        ] {
            assert!(embedded(outside).is_none(), "{outside}");
        }
    }

    #[test]
    fn fingerprints_are_recognised() {
        assert!(is_fingerprinted("hotel-frontend-5e0a2b1c9f3d7e21.js"));
        assert!(is_fingerprinted("hotel-frontend-5e0a2b1c9f3d7e21_bg.wasm"));
        assert!(is_fingerprinted("style-0123456789abcdef.css"));
        assert!(is_fingerprinted("hotel-frontend-13c0fa021c5eb13_bg.wasm"));
        assert!(!is_fingerprinted("favicon.ico"));
        assert!(!is_fingerprinted("hotel-frontend.js"));
    }
}
