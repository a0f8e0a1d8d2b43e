//! Webhooks, staff's half: addresses the hotel posts its events to (added, listed, removed,
//! resumed), and each one's delivery log. Delivery is the worker's (`crate::webhooks`).

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::webhooks::{DeliveryLog, ResumeInput, Webhook, WebhookInput, WebhookList};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use crate::api::identity::StaffMember;
use crate::api::paging::{IdPageQuery, id_page};
use crate::channels::fetch::feed_address;
use crate::domain::webhooks::check;
use crate::error::{AppError, AppResult};
use crate::extract::{JsonObject, QueryOf, WebhookId, typed};
use crate::state::AppState;
use crate::store::ops::webhooks::{
    AddWebhook, Deliveries, GetWebhook, ListWebhooks, RemoveWebhook, ResumeWebhook,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(webhooks, add_webhook))
        .routes(routes!(webhook, remove_webhook))
        .routes(routes!(resume_webhook))
        .routes(routes!(deliveries))
}

/// Every webhook by id, with how its deliveries stand: `active`, `retrying` (the event that
/// failed is tried again, later ones wait) or `paused` (after a day of failures).
#[utoipa::path(get, path = "/staff/webhooks", tag = "integrations",
    params(IdPageQuery),
    responses((status = 200, body = WebhookList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn webhooks(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<WebhookList>> {
    let limit = query.limit()?;
    let found = state
        .store
        .run(ListWebhooks {
            after: query.after()?.unwrap_or(0),
            limit: limit + 1,
        })
        .await?;
    let (webhooks, next_cursor) = id_page(found, limit, |w| w.id);
    Ok(Json(WebhookList {
        webhooks,
        next_cursor,
    }))
}

/// Adds an address the hotel posts its events to, from the next event on: each event the
/// webhook names (or all, `["*"]`) as one `POST` of the event as `GET /events` gives it,
/// signed with `Hotel-Signature: t=TIMESTAMP,v1=HMAC-SHA256(secret, "TIMESTAMP.BODY")` in hex,
/// with `Hotel-Event-Id` (the event's id, the same on every try: a receiver ignores one it has
/// seen) and `Hotel-Event-Type`. A 2xx answer within `--webhook-timeout-secs` takes it;
/// anything else is tried again after `--webhook-retry-secs`, doubling up to an hour, later
/// events waiting so that they arrive in order. After a day of failures the webhook is paused.
#[utoipa::path(post, path = "/staff/webhooks", tag = "integrations",
    request_body = WebhookInput,
    responses((status = 201, body = Webhook), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_webhook(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input: WebhookInput = typed(body)?;
    if input.url.len() > 2000 {
        return Err(AppError::bad_request(
            "url is longer than 2,000 characters.",
        ));
    }
    let url =
        feed_address(&input.url).map_err(|why| AppError::BadRequest(format!("url: {why}.")))?;
    let events: Vec<String> = input.events.into_iter().map(|e| e.0).collect();
    check(&events, &input.secret).map_err(AppError::BadRequest)?;
    let hook = state
        .store
        .run(AddWebhook {
            actor: staff.actor(),
            url: url.to_string(),
            events,
            secret: input.secret,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(hook)).into_response())
}

/// One webhook.
#[utoipa::path(get, path = "/staff/webhooks/{id}", tag = "integrations",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 200, body = Webhook), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn webhook(
    State(state): State<AppState>,
    _staff: StaffMember,
    WebhookId(id): WebhookId,
) -> AppResult<Json<Webhook>> {
    Ok(Json(state.store.run(GetWebhook(id)).await?))
}

/// Stops posting to the address; answers the webhook as it stood.
#[utoipa::path(delete, path = "/staff/webhooks/{id}", tag = "integrations",
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 200, body = Webhook), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn remove_webhook(
    State(state): State<AppState>,
    staff: StaffMember,
    WebhookId(id): WebhookId,
) -> AppResult<Json<Webhook>> {
    Ok(Json(
        state
            .store
            .run(RemoveWebhook {
                actor: staff.actor(),
                id,
            })
            .await?,
    ))
}

/// Sets a paused or retrying webhook going again at once; with `from_event`, every event it
/// wants from that id on is delivered again (for a receiver that lost them; events are kept
/// 30 days).
#[utoipa::path(post, path = "/staff/webhooks/{id}/resume", tag = "integrations",
    params(("id" = i64, Path, description = "Webhook id")),
    request_body(content = Option<ResumeInput>, description = "May be left out"),
    responses(
        (status = 200, body = Webhook), (status = 400, body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn resume_webhook(
    State(state): State<AppState>,
    staff: StaffMember,
    WebhookId(id): WebhookId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Webhook>> {
    let input: ResumeInput = typed(body)?;
    if input.from_event.is_some_and(|e| e < 1) {
        return Err(AppError::bad_request(
            "from_event is an event id, 1 or more.",
        ));
    }
    Ok(Json(
        state
            .store
            .run(ResumeWebhook {
                actor: staff.actor(),
                id,
                from_event: input.from_event,
            })
            .await?,
    ))
}

/// The webhook's tries, newest first (kept 30 days): the event, the try's number, the
/// receiver's status, why it failed, how long it took.
#[utoipa::path(get, path = "/staff/webhooks/{id}/deliveries", tag = "integrations",
    params(("id" = i64, Path, description = "Webhook id"), IdPageQuery),
    responses(
        (status = 200, body = DeliveryLog), (status = 400, body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn deliveries(
    State(state): State<AppState>,
    _staff: StaffMember,
    WebhookId(id): WebhookId,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<DeliveryLog>> {
    let limit = query.limit()?;
    let found = state
        .store
        .run(Deliveries {
            webhook_id: id,
            before: query.after()?,
            limit: limit + 1,
        })
        .await?;
    let (deliveries, next_cursor) = id_page(found, limit, |d| d.id);
    Ok(Json(DeliveryLog {
        deliveries,
        next_cursor,
    }))
}
