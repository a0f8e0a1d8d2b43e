//! `GET /events`: every audited change in the order it was committed, for an integrator to
//! read once from the start and then follow, or to catch up after being away. A page goes on
//! from the `next_after` of the one before; positions are given in commit order on both
//! engines and across instances (`store::ops::events`), so no event is skipped or repeated.

use axum::extract::State;
use axum::http::StatusCode;
use hotel_shared::events::event_type;
use hotel_shared::{AuditAction, ErrorBody, ErrorCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::identity::{StaffMember, StaffOnly};
use crate::api::json::Json;
use crate::api::paging::list_limit;
use crate::error::{AppError, AppResult};
use crate::extract::{QueryOf, query_number};
use crate::state::AppState;
use crate::store::ops::events::EventsAfter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Events after this position: `next_after` of the page before; 0 or none for the oldest
    /// kept
    #[param(value_type = Option<i64>, minimum = 0)]
    after: Option<String>,
    /// At most this many (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// A page of the feed.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventFeed {
    /// In commit order.
    pub events: Vec<FeedEvent>,
    /// The position to go on from (`after`): the last event's, or the one asked for when
    /// there was nothing new.
    pub next_after: i64,
    /// Whether more events follow at once (read again without waiting).
    pub more: bool,
}

/// One committed change.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeedEvent {
    /// The event's position, its stable id: a receiver that has seen it ignores it again.
    pub id: i64,
    /// `booking.created`, `booking.changed`, `booking.cancelled`, `booking.checked_in`,
    /// `booking.checked_out`, `booking.no_show`, `room.changed`, `rates.changed`, or the
    /// audit action for other changes.
    #[serde(rename = "type")]
    pub kind: String,
    /// The audit log's word for exactly what happened.
    pub action: AuditAction,
    /// RFC 3339 time of the change.
    pub at: String,
    /// What it happened to (`booking`, `room`, `room_type`, `rate_plan`, …) and its id.
    pub entity: String,
    pub entity_id: String,
    /// The object after the change (before it, for a removal).
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
}

impl From<hotel_shared::events::Event> for FeedEvent {
    fn from(e: hotel_shared::events::Event) -> FeedEvent {
        FeedEvent {
            id: e.position,
            kind: event_type(e.action).to_owned(),
            action: e.action,
            at: e.at,
            entity: e.entity,
            entity_id: e.entity_id,
            data: e.data.and_then(|d| serde_json::from_str(&d).ok()),
        }
    }
}

/// The feed of changes, oldest first, from a position on. Answers 410 `events_forgotten`
/// when the events right after `after` are no longer kept (30 days): read again from 0.
#[utoipa::path(get, path = "/events", tag = "integrations",
    params(EventsQuery),
    responses(
        (status = 200, body = EventFeed),
        (status = 400, body = ErrorBody),
        (status = 410, description = "Events after that position are no longer kept", body = ErrorBody),
        StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn events(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<EventsQuery>,
) -> AppResult<Json<EventFeed>> {
    let after: i64 = query_number(query.after.as_deref(), "after")?.unwrap_or(0);
    if after < 0 {
        return Err(AppError::bad_request("after must be 0 or more."));
    }
    let limit = list_limit(query_number(query.limit.as_deref(), "limit")?)?;
    let mut found = state
        .store
        .run(EventsAfter {
            after,
            limit: limit + 1,
        })
        .await?;
    if after > 0
        && found
            .first()
            .is_some_and(|e| e.position > after.saturating_add(1))
    {
        return Err(AppError::Refused {
            status: StatusCode::GONE,
            code: ErrorCode::EventsForgotten,
            message: format!(
                "The events after position {after} are no longer kept; read the feed again from \
                 the start."
            ),
        });
    }
    let more = found.len() > limit as usize;
    found.truncate(limit as usize);
    let next_after = found.last().map_or(after, |e| e.position);
    let events = found.into_iter().map(FeedEvent::from).collect();
    Ok(Json(EventFeed {
        events,
        next_after,
        more,
    }))
}
