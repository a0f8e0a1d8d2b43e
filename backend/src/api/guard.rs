//! What every request passes before its handler, and every answer gets after it: a declared
//! body over the limit is refused before the client sends it, a cookie-signed request from
//! another site is refused, the handler gets its time limit, and answers are marked so that
//! browsers neither sniff nor cache them.

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

use crate::error::AppError;
use crate::extract::{bearer_token, session_cookie};
use crate::state::AppState;

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let over_tls = request.extensions().get::<crate::tls::OverTls>().is_some();
    let request_id = request_id(request.headers());
    // With the request log on, every line logged while the request is handled names it. The
    // span is not made otherwise: keeping one per request cost the reads a fifth of their rate.
    let mut response = if tracing::enabled!(target: "hotel_backend::request", tracing::Level::INFO)
    {
        let span = tracing::info_span!("request", id = %request_id);
        tracing::Instrument::instrument(checked(state, request, next), span).await
    } else {
        checked(state, request, next).await
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    if over_tls {
        // Served over HTTPS: browsers are to come back only that way for a year.
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    crate::metrics::count_request(
        route.as_ref(),
        &method,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

async fn checked(state: AppState, request: Request, next: Next) -> Response {
    // Answering now, before the body is read, means a client that sent `Expect:
    // 100-continue` is never told to go on and send it.
    let limit = if super::hotel::is_photo_upload(&request) {
        super::hotel::PHOTO_LIMIT
    } else {
        state.body_limit
    };
    if declared_length(request.headers()).is_some_and(|length| length > limit as u64) {
        return AppError::PayloadTooLarge.into_response();
    }
    if let Err(refusal) = check_cookie_request(&request, &state) {
        return refusal.into_response();
    }
    // Held until the answer: the body, read or being read, is in memory until then.
    let Ok(_body_memory) = reserve_body_memory(&state, &request, limit) else {
        return AppError::Overloaded.into_response();
    };
    let mut response = match tokio::time::timeout(state.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::Timeout.into_response(),
    };
    let headers = response.headers_mut();
    // Answers carry bookings, names and sessions: nobody keeps a copy. The web app's files
    // set their own caching.
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    response
}

/// Takes the request body's size from the memory every body on its way in shares: the
/// declared length, or the route's limit for a body of unknown length. A request without
/// a body takes nothing.
fn reserve_body_memory(
    state: &AppState,
    request: &Request,
    limit: usize,
) -> Result<Option<tokio::sync::OwnedSemaphorePermit>, ()> {
    let hint = axum::body::HttpBody::size_hint(request.body());
    let size = hint.upper().unwrap_or(limit as u64).min(limit as u64);
    if size == 0 {
        return Ok(None);
    }
    state.body_memory.reserve(size).map(Some).ok_or(())
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The browser sends the session cookie with requests another page makes, so a request that
/// changes something and is signed by the cookie alone must come from the app's own pages
/// and be JSON (which a form on another site cannot send). Bearer tokens and passwords in
/// the body are not sent by browsers on their own, so those requests are not checked.
fn check_cookie_request(request: &Request, state: &AppState) -> Result<(), AppError> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(());
    }
    let headers = request.headers();
    if bearer_token(headers).is_some() || session_cookie(headers).is_none() {
        return Ok(());
    }
    if !from_same_origin(request, state) {
        return Err(AppError::CrossSite);
    }
    // A photo is sent as itself; no form of another site can send an image type either.
    if has_body(headers) && !is_json(headers) && !super::hotel::is_photo_upload(request) {
        return Err(AppError::JsonRequired);
    }
    Ok(())
}

/// `Sec-Fetch-Site` where the browser sends it; otherwise `Origin` against `Host`. A request
/// with neither did not come from a browser page (browsers send `Origin` with every unsafe
/// request), so it has no page to be forged by.
fn from_same_origin(request: &Request, state: &AppState) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let Some(authority) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false; // "null": a sandboxed or opaque page
    };
    let matches = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|host| host.trim().eq_ignore_ascii_case(authority))
    };
    if matches(header::HOST) {
        return true;
    }
    // Behind a trusted proxy the page's host is the one the proxy was asked for.
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    peer.is_some_and(|peer| crate::client::is_trusted(peer, &state.trusted_proxies))
        && matches(header::HeaderName::from_static("x-forwarded-host"))
}

fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING) || declared_length(headers).unwrap_or(0) > 0
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// The header that names a request in the logs of every hop.
pub const REQUEST_ID: &str = "x-request-id";

/// The request's id: the client's or proxy's own `X-Request-Id` when it is short and plain
/// enough to log as it is, else one made here. It goes back in the answer's `X-Request-Id`.
pub fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| well_formed_request_id(id))
        .map_or_else(new_request_id, str::to_owned)
}

fn well_formed_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// This process's start in hex, then a count: unique across restarts and cheap per request.
fn new_request_id() -> String {
    use std::sync::LazyLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PROCESS: LazyLock<u64> = LazyLock::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as u64)
    });
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{:x}-{}", *PROCESS, NEXT.fetch_add(1, Ordering::Relaxed))
}
