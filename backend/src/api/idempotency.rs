//! `Idempotency-Key` on every request that may change data (POST, PUT, PATCH, DELETE): the
//! same key with the same request gets the first answer, status and body, without the work
//! being done again; with another request, 422 `idempotency_key_reused`. A request that
//! arrives while the first is still at work waits for its answer (or gets 409
//! `idempotency_key_in_progress` to try again). Keys belong to the caller (the credential the
//! request carries) and are kept 24 hours.
//!
//! The key is claimed in the transaction of the request's first audited change
//! (`store::ops::idempotency`), so a change and its claim commit together, on every engine
//! and instance. A request that changed nothing (refused, or only read) leaves the key free.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorCode;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::extract::{bearer_token, session_cookie};
use crate::state::AppState;
use crate::store::ops::idempotency::{Answer, FindKey, PendingKey, REQUEST, SaveAnswer, StoredKey};

pub const HEADER: &str = "idempotency-key";
/// Set on an answer that repeats the one kept for its key.
pub const REPLAYED: &str = "idempotent-replayed";
/// Keys are kept this long.
pub const KEPT: Duration = Duration::from_secs(24 * 3600);
const MAX_KEY_LEN: usize = 255;
/// Answers larger than this are not kept (none of the API's changes answer that much).
const MAX_ANSWER: usize = 1 << 20;

pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) {
        return next.run(request).await;
    }
    let Some(raw) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let key = match parse_key(raw) {
        Ok(key) => key,
        Err(refusal) => return refusal.into_response(),
    };
    let limit = if super::hotel::is_photo_upload(&request) {
        super::hotel::PHOTO_LIMIT
    } else {
        state.body_limit
    };
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, limit).await {
        Ok(body) => body,
        Err(e) => return body_failure(&e).into_response(),
    };
    let scope = scope_of(&parts.headers);
    let fingerprint = fingerprint_of(&parts.method, &parts.uri, &body);
    match state.store.run(find(&scope, &key)).await {
        Ok(Some(stored)) => {
            return settle(&state, stored, &scope, &key, &fingerprint, Instant::now()).await;
        }
        Ok(None) => {}
        Err(e) => return AppError::from(e).into_response(),
    }
    let started = Instant::now();
    let pending = PendingKey::new(scope.clone(), key.clone(), fingerprint.clone());
    let request = Request::from_parts(parts, Body::from(body));
    let response = REQUEST.scope(Arc::clone(&pending), next.run(request)).await;
    if pending.lost_race() {
        return wait_for_answer(&state, &scope, &key, &fingerprint, started).await;
    }
    if !pending.committed() {
        return response;
    }
    keep(&state, scope, key, response).await
}

/// Printable ASCII, 1 to 255 characters: a UUID, a ULID or any token a client makes.
fn parse_key(raw: &HeaderValue) -> Result<String, AppError> {
    raw.to_str()
        .ok()
        .map(str::trim)
        .filter(|key| {
            (1..=MAX_KEY_LEN).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
        })
        .map(str::to_owned)
        .ok_or_else(|| AppError::Refused {
            status: StatusCode::BAD_REQUEST,
            code: ErrorCode::IdempotencyKeyInvalid,
            message: "Idempotency-Key must be 1 to 255 printable ASCII characters without \
                      spaces, such as a UUID."
                .into(),
        })
}

fn body_failure(error: &axum::Error) -> AppError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<http_body_util::LengthLimitError>() {
            return AppError::PayloadTooLarge;
        }
        cause = e.source();
    }
    if crate::server::is_stalled_body(error) {
        AppError::BodyStalled
    } else {
        AppError::bad_request("Could not read the request body.")
    }
}

/// Whose key it is: the digest of the bearer token or the session cookie (never the
/// credential itself), or everyone's for a request without one (the original `/book`
/// carries its password in the body, which the fingerprint covers).
fn scope_of(headers: &HeaderMap) -> String {
    let credential = bearer_token(headers)
        .map(|token| format!("bearer {token}"))
        .or_else(|| session_cookie(headers).map(|cookie| format!("cookie {cookie}")));
    match credential {
        Some(credential) => hex::encode(Sha256::digest(credential.as_bytes())),
        None => "anonymous".into(),
    }
}

fn fingerprint_of(method: &Method, uri: &axum::http::Uri, body: &Bytes) -> String {
    let mut digest = Sha256::new();
    digest.update(method.as_str().as_bytes());
    digest.update(b" ");
    digest.update(
        uri.path_and_query()
            .map_or(uri.path(), |p| p.as_str())
            .as_bytes(),
    );
    digest.update(b"\n");
    digest.update(body);
    hex::encode(digest.finalize())
}

fn find(scope: &str, key: &str) -> FindKey {
    FindKey {
        scope: scope.to_owned(),
        key: key.to_owned(),
    }
}

/// The answer for a request whose key was claimed already.
async fn settle(
    state: &AppState,
    stored: StoredKey,
    scope: &str,
    key: &str,
    fingerprint: &str,
    started: Instant,
) -> Response {
    if stored.fingerprint != fingerprint {
        return reused().into_response();
    }
    match stored.answer {
        Some(answer) => replay(answer),
        None => wait_for_answer(state, scope, key, fingerprint, started).await,
    }
}

/// Waits for the request that holds the key to keep its answer, within this request's own
/// time; 409 to try again when it does not come by then.
async fn wait_for_answer(
    state: &AppState,
    scope: &str,
    key: &str,
    fingerprint: &str,
    started: Instant,
) -> Response {
    let deadline = started
        + state
            .request_timeout
            .saturating_sub(Duration::from_millis(500));
    let mut pause = Duration::from_millis(5);
    loop {
        match state.store.run(find(scope, key)).await {
            Ok(Some(stored)) if stored.fingerprint != fingerprint => {
                return reused().into_response();
            }
            Ok(Some(StoredKey {
                answer: Some(answer),
                ..
            })) => return replay(answer),
            Ok(_) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
        if Instant::now() + pause > deadline {
            return crate::error::AppError::from(crate::store::StoreError::KeyTaken)
                .into_response();
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

fn reused() -> AppError {
    AppError::Refused {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: ErrorCode::IdempotencyKeyReused,
        message: "This Idempotency-Key was used for another request; use a new key for a new \
                  request."
            .into(),
    }
}

fn replay(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    match answer
        .content_type
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        Some(content_type) => headers.insert(header::CONTENT_TYPE, content_type),
        None => headers.remove(header::CONTENT_TYPE),
    };
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// Keeps the answer of the request that made the change, then gives it.
async fn keep(state: &AppState, scope: String, key: String, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_ANSWER).await {
        Ok(body) => body,
        Err(e) => {
            tracing::warn!("the answer to a request with an Idempotency-Key was lost: {e}");
            return AppError::Internal("the answer could not be read".into()).into_response();
        }
    };
    match std::str::from_utf8(&body) {
        Ok(text) => {
            let answer = Answer {
                status: parts.status.as_u16(),
                content_type: parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                body: text.to_owned(),
            };
            // Kept in the next commit, not awaited: the change and its claim are committed
            // already, and waiting for a second commit would double every keyed change's
            // time. A retry that comes first waits for it (`wait_for_answer`). Should the
            // server die in between, a retry is told the request is in progress until the
            // key is forgotten, never that it may do the work again.
            let store = state.store.clone();
            tokio::spawn(async move {
                if let Err(e) = store.run(SaveAnswer { scope, key, answer }).await {
                    tracing::warn!("could not keep the answer for an Idempotency-Key: {e:?}");
                }
            });
        }
        Err(_) => tracing::warn!("an answer that is not text is not kept for its key"),
    }
    Response::from_parts(parts, Body::from(body))
}
