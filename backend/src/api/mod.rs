//! HTTP: one module per resource, each with its own `router()`, merged here with the
//! behaviour every endpoint shares (JSON errors, limits, timeouts, request log).
//!
//! Each endpoint is declared once, by its `#[utoipa::path]` attribute: `routes!` takes the
//! path and method from there for both the router and the OpenAPI document, so the two
//! cannot disagree.

mod accounts;
mod bookings;
mod calendar;
pub(crate) mod events;
mod guard;
mod hotel;
pub mod ical;
mod idempotency;
mod identity;
pub(crate) mod json;
mod openapi;
mod paging;
mod reservations;
mod resets;
mod rooms;
mod staff;
mod verification;

use hotel_shared::ErrorCode;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hotel_shared::{ErrorBody, HealthResponse};
use json::Json;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ops::reads::RoomCount;

/// How long an `Idempotency-Key` and its answer are kept.
pub const KEYS_KEPT: std::time::Duration = idempotency::KEPT;

/// Every endpoint, with its description.
pub fn endpoints() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(rooms::router())
        .merge(bookings::router())
        .merge(reservations::router())
        .merge(hotel::router())
        .merge(accounts::router())
        .merge(resets::router())
        .merge(verification::router())
        .merge(staff::router())
        .merge(calendar::router())
        .merge(ical::router())
        .merge(events::router())
        .routes(routes!(health))
        .routes(routes!(metrics))
        .routes(routes!(openapi::document))
}

pub fn router(state: AppState) -> Router {
    let body_limit = state.body_limit;
    let (endpoints, _) = endpoints().split_for_parts();
    let router = endpoints
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal("a handler panicked".into()).into_response()
        }));
    crate::metrics::recorder();
    // Every layer costs on every request; the request log is only wired in when it is on.
    let router = if tracing::enabled!(target: "hotel_backend::request", tracing::Level::INFO) {
        router.layer(middleware::from_fn_with_state(state.clone(), log_request))
    } else {
        router
    };
    router.with_state(state)
}

/// Paths that are not API endpoints: the web app's files and pages, or the JSON 404.
async fn not_found(State(state): State<AppState>, request: Request) -> Response {
    match &state.web_app {
        Some(app) if crate::web::may_serve(request.method()) => app.serve(request).await,
        _ => AppError::NotFound("Endpoint not found.".into()).into_response(),
    }
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// Liveness and readiness: 200 only when the database answers within a second and its last
/// writes landed. A load balancer stops sending guests to an instance that answers 503.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, body = HealthResponse), (status = 503, body = ErrorBody)))]
pub async fn health(State(state): State<AppState>) -> AppResult<Json<HealthResponse>> {
    if let Some(problem) = state.store.problem() {
        tracing::error!("health: {problem}");
        return Err(AppError::Unavailable {
            code: ErrorCode::DatabaseFailing,
            message:
                "The hotel's database cannot take changes right now; the server's log says why."
                    .into(),
        });
    }
    let rooms = tokio::time::timeout(HEALTH_DEADLINE, state.store.run(RoomCount))
        .await
        .map_err(|_| AppError::Unavailable {
            code: ErrorCode::DatabaseSlow,
            message: "The hotel's database did not answer within a second.".into(),
        })??;
    Ok(Json(HealthResponse {
        status: "ok".into(),
        currency: state.store.currency().to_string(),
        rooms,
        today: state.clock.today(),
        timezone: state.clock.name().to_string(),
        backups: state.backups.as_ref().map(crate::backup::Schedule::health),
    }))
}

/// Prometheus' text format: requests by route and status with their latency, bookings,
/// cancellations, the SQLite writer's batches and queue, the PostgreSQL pool, sessions and the
/// password-hashing queue. Staff only on this port; `--metrics-listen` serves it to a scraper
/// on an address of its own without signing in.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses(
        (status = 200, description = "Prometheus text exposition format", content_type = "text/plain", body = String),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody)))]
pub async fn metrics(_staff: identity::StaffMember, State(state): State<AppState>) -> Response {
    exposition(&state).await
}

/// The metrics with the present's gauges read first: here and on `--metrics-listen`.
pub async fn exposition(state: &AppState) -> Response {
    use crate::metrics::{HASHES, HASHING_WAITING, SESSIONS};
    use axum::http::{HeaderValue, header};
    if crate::metrics::recorder().is_none() {
        return AppError::Unavailable {
            code: ErrorCode::MetricsOff,
            message: "Metrics are off in this server.".into(),
        }
        .into_response();
    }
    state.store.read_gauges();
    metrics::gauge!(HASHING_WAITING).set(state.auth.hashing_waiting() as f64);
    metrics::counter!(HASHES).absolute(state.auth.hashes_performed());
    let now = jiff::Timestamp::now().as_second();
    match state
        .store
        .run(crate::store::ops::reads::LiveSessions { now })
        .await
    {
        Ok(live) => metrics::gauge!(SESSIONS).set(live as f64),
        Err(e) => tracing::warn!("metrics: cannot count the sessions: {e:?}"),
    }
    match state.store.run(crate::store::ops::mail::QueueDepth).await {
        Ok((queued, oldest)) => {
            metrics::gauge!(crate::metrics::MAIL_QUEUED).set(queued as f64);
            let age = oldest.map_or(0, |at| (now - at).max(0));
            metrics::gauge!(crate::metrics::MAIL_OLDEST_SECONDS).set(age as f64);
        }
        Err(e) => tracing::warn!("metrics: cannot read the mail queue: {e:?}"),
    }
    let mut response = crate::metrics::render().unwrap_or_default().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// A health check that waits longer than this tells the balancer nothing it can use.
const HEALTH_DEADLINE: std::time::Duration = std::time::Duration::from_secs(1);

/// One line per request with its fields (in JSON with `--log-format json`): method, route
/// (the pattern, never the path: a path may carry a secret), status, duration, client address
/// (behind `--trusted-proxy`, the forwarded one) and the request id (`guard::request_id`).
async fn log_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    use axum::extract::{ConnectInfo, MatchedPath};
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", |m| m.as_str())
        .to_owned();
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), |c| {
            c.0.ip()
        });
    let client = crate::client::client(peer, request.headers(), &state.trusted_proxies);
    let response = next.run(request).await;
    let request_id = response
        .headers()
        .get(guard::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info!(
        target: "hotel_backend::request",
        method = %method,
        route,
        status = response.status().as_u16(),
        duration_ms = (started.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
        client = %client.ip,
        request_id,
        "request"
    );
    response
}
