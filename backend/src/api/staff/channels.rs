//! Calendar sync with the booking sites, staff's half: the feeds each room imports (attached,
//! synced on demand, removed, with their log), and new addresses for the calendars the hotel
//! publishes.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::channels::{CalendarAddress, Feed, FeedInput, FeedList, FeedSynced, SyncLog};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use crate::api::identity::StaffMember;
use crate::api::paging::{IdPageQuery, id_page};
use crate::channels::fetch::feed_address;
use crate::error::{AppError, AppResult};
use crate::extract::{FeedId, JsonObject, QueryOf, RoomNumber, RoomTypeId, typed};
use crate::state::AppState;
use crate::store::ops::channels::{AddFeed, GetFeed, ListFeeds, RemoveFeed, SyncHistory};
use crate::store::ops::published::{Published, ReplaceAddress};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(feeds))
        .routes(routes!(add_feed))
        .routes(routes!(feed, remove_feed))
        .routes(routes!(sync_feed))
        .routes(routes!(sync_log))
        .routes(routes!(new_room_address))
        .routes(routes!(new_type_address))
}

/// Every booking site calendar the rooms import, by id: each with its last sync, its status
/// and error, how many stays it blocks, and the stays that clash with the hotel's own.
#[utoipa::path(get, path = "/staff/feeds", tag = "integrations",
    params(IdPageQuery),
    responses((status = 200, body = FeedList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn feeds(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<FeedList>> {
    let limit = query.limit()?;
    let found = state
        .store
        .run(ListFeeds {
            after: query.after()?.unwrap_or(0),
            limit: limit + 1,
            today: state.clock.today(),
        })
        .await?;
    let (feeds, next_cursor) = id_page(found, limit, |f| f.id);
    Ok(Json(FeedList { feeds, next_cursor }))
}

/// Has the room import a booking site's calendar (its iCal export address): each event
/// becomes nights the room is not sold, synced every `--ical-sync-minutes` (15) from now on.
/// The first sync happens within a minute, or at once with `POST /staff/feeds/{id}/sync`.
#[utoipa::path(post, path = "/staff/rooms/{number}/feeds", tag = "integrations",
    request_body = FeedInput,
    params(("number" = u32, Path, description = "Room number")),
    responses(
        (status = 201, body = Feed),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, body = ErrorBody),
        (status = 409, description = "The room imports this address already", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_feed(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomNumber(room): RoomNumber,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input: FeedInput = typed(body)?;
    if input.url.len() > 2000 {
        return Err(AppError::bad_request(
            "url is longer than 2,000 characters.",
        ));
    }
    let url =
        feed_address(&input.url).map_err(|why| AppError::BadRequest(format!("url: {why}.")))?;
    let feed = state
        .store
        .run(AddFeed {
            actor: staff.actor(),
            room,
            url: url.to_string(),
            today: state.clock.today(),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(feed)).into_response())
}

/// One feed, as `GET /staff/feeds` lists it.
#[utoipa::path(get, path = "/staff/feeds/{id}", tag = "integrations",
    params(("id" = i64, Path, description = "Feed id")),
    responses((status = 200, body = Feed), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn feed(
    State(state): State<AppState>,
    _staff: StaffMember,
    FeedId(id): FeedId,
) -> AppResult<Json<Feed>> {
    let today = state.clock.today();
    Ok(Json(state.store.run(GetFeed { id, today }).await?))
}

/// Stops the room importing the feed; the nights its stays held can be sold again. Answers
/// the feed as it stood.
#[utoipa::path(delete, path = "/staff/feeds/{id}", tag = "integrations",
    params(("id" = i64, Path, description = "Feed id")),
    responses((status = 200, body = Feed), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn remove_feed(
    State(state): State<AppState>,
    staff: StaffMember,
    FeedId(id): FeedId,
) -> AppResult<Json<Feed>> {
    let today = state.clock.today();
    let feed = state.store.run(GetFeed { id, today }).await?;
    state
        .store
        .run(RemoveFeed {
            actor: staff.actor(),
            id,
        })
        .await?;
    Ok(Json(feed))
}

/// Syncs the feed now and answers when done: the feed as it then stands and what the sync
/// did. A feed that fails (unreachable, an error, not iCalendar, over 2 MB, slower than
/// `--ical-timeout-secs`) keeps the stays of its last good sync and says why.
#[utoipa::path(post, path = "/staff/feeds/{id}/sync", tag = "integrations",
    params(("id" = i64, Path, description = "Feed id")),
    responses((status = 200, body = FeedSynced), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn sync_feed(
    State(state): State<AppState>,
    _staff: StaffMember,
    FeedId(id): FeedId,
) -> AppResult<Json<FeedSynced>> {
    // The fetch keeps within the request's own time limit, leaving time to write.
    let limit = state
        .ical_sync
        .1
        .min(
            state
                .request_timeout
                .saturating_sub(std::time::Duration::from_secs(2)),
        )
        .max(std::time::Duration::from_secs(1));
    let sync = crate::channels::sync(&state.store, &state.clock, id, limit).await?;
    let today = state.clock.today();
    let feed = state.store.run(GetFeed { id, today }).await?;
    Ok(Json(FeedSynced { feed, sync }))
}

/// The feed's syncs, newest first (kept 30 days); `cursor` goes on with older ones.
#[utoipa::path(get, path = "/staff/feeds/{id}/log", tag = "integrations",
    params(("id" = i64, Path, description = "Feed id"), IdPageQuery),
    responses(
        (status = 200, body = SyncLog), (status = 400, body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn sync_log(
    State(state): State<AppState>,
    _staff: StaffMember,
    FeedId(id): FeedId,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<SyncLog>> {
    let limit = query.limit()?;
    let found = state
        .store
        .run(SyncHistory {
            feed_id: id,
            before: query.after()?,
            limit: limit + 1,
        })
        .await?;
    let (entries, next_cursor) = id_page(found, limit, |e| e.id);
    Ok(Json(SyncLog {
        entries,
        next_cursor,
    }))
}

/// Gives the room's calendar a new address, for when the old one reached someone it should
/// not have; booking sites reading the old one get 404 until given the new.
#[utoipa::path(post, path = "/staff/rooms/{number}/ical-address", tag = "integrations",
    params(("number" = u32, Path, description = "Room number")),
    responses((status = 200, body = CalendarAddress), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn new_room_address(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomNumber(room): RoomNumber,
) -> AppResult<Json<CalendarAddress>> {
    new_address(&state, staff, Published::Room(room)).await
}

/// Gives the room type's calendar a new address, as for a room.
#[utoipa::path(post, path = "/staff/room-types/{id}/ical-address", tag = "integrations",
    params(("id" = i64, Path, description = "Room type id")),
    responses((status = 200, body = CalendarAddress), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn new_type_address(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomTypeId(id): RoomTypeId,
) -> AppResult<Json<CalendarAddress>> {
    new_address(&state, staff, Published::RoomType(id)).await
}

async fn new_address(
    state: &AppState,
    staff: StaffMember,
    what: Published,
) -> AppResult<Json<CalendarAddress>> {
    let secret = state
        .store
        .run(ReplaceAddress {
            actor: staff.actor(),
            what,
        })
        .await?;
    Ok(Json(CalendarAddress {
        ical_url: format!("{}{}", state.public_url, crate::api::ical::path(&secret)),
    }))
}
