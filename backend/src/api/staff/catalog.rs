//! What the hotel sells: room types and their rates, rooms, and out-of-service ranges.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::staff::{
    BlockInput, BlockList, Room, RoomBlock, RoomInput, RoomList, RoomType, RoomTypeInput,
    RoomTypeList,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use crate::api::ical;
use crate::api::identity::StaffMember;
use crate::api::paging::{IdPageQuery, page_by_id};
use crate::domain::rooms::{check_block, check_room, check_room_number, check_room_type};
use crate::error::{AppError, AppResult};
use crate::extract::{BlockId, JsonObject, QueryOf, RoomNumber, RoomTypeId, typed};
use crate::state::AppState;
use crate::store::ops::published::{ExportSecrets, Published};
use crate::store::ops::reads::{ListBlocks, ListRoomTypes, ListRooms};
use crate::store::ops::restore::{RestoreRoom, RestoreRoomType};
use crate::store::ops::rooms::{
    AddBlock, CreateRoom, CreateRoomType, RemoveBlock, RetireRoom, RetireRoomType, UpdateRoom,
    UpdateRoomType,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(room_types, create_room_type))
        .routes(routes!(update_room_type, retire_room_type))
        .routes(routes!(rooms, create_room))
        .routes(routes!(update_room, retire_room))
        .routes(routes!(blocks, add_block))
        .routes(routes!(remove_block))
        .routes(routes!(restore_room_type))
        .routes(routes!(restore_room))
}

fn created<T: serde::Serialize>(value: T) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

/// Every room type by id, each with its calendar's address for booking sites.
#[utoipa::path(get, path = "/staff/room-types", tag = "staff",
    params(IdPageQuery),
    responses((status = 200, body = RoomTypeList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn room_types(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<RoomTypeList>> {
    let (mut types, next_cursor) =
        page_by_id(state.store.run(ListRoomTypes).await?, &query, |t| t.id)?;
    let secrets = state.store.run(ExportSecrets).await?;
    for t in &mut types {
        t.ical_url = secrets
            .get(&Published::RoomType(t.id))
            .map(|secret| format!("{}{}", state.public_url, ical::path(secret)));
    }
    Ok(Json(RoomTypeList {
        room_types: types,
        next_cursor,
    }))
}

/// A new room type. Rates are integers in minor units (cents).
#[utoipa::path(post, path = "/staff/room-types", tag = "staff", request_body = RoomTypeInput,
    responses(
        (status = 201, body = RoomType),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "No such tax rate", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_room_type(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input = check_room_type(typed(body)?).map_err(AppError::BadRequest)?;
    let actor = staff.actor();
    Ok(created(
        state.store.run(CreateRoomType { actor, input }).await?,
    ))
}

/// Renames or reprices a room type. Bookings already made keep the rate they were made at.
#[utoipa::path(put, path = "/staff/room-types/{id}", tag = "staff", request_body = RoomTypeInput,
    params(("id" = i64, Path, description = "Room type id")),
    responses(
        (status = 200, body = RoomType),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, body = ErrorBody), (status = 409, description = "Name taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_room_type(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomTypeId(id): RoomTypeId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<RoomType>> {
    let input = check_room_type(typed(body)?).map_err(AppError::BadRequest)?;
    let actor = staff.actor();
    Ok(Json(
        state.store.run(UpdateRoomType { actor, id, input }).await?,
    ))
}

/// Stops selling a room type; its rooms must have another type first.
#[utoipa::path(delete, path = "/staff/room-types/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Room type id")),
    responses(
        (status = 200, body = RoomType),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Rooms still have this type", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retire_room_type(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomTypeId(id): RoomTypeId,
) -> AppResult<Json<RoomType>> {
    let actor = staff.actor();
    Ok(Json(state.store.run(RetireRoomType { actor, id }).await?))
}

/// Every room by number, with its type, floor and service state, and its calendar's address for booking
/// sites.
#[utoipa::path(get, path = "/staff/rooms", tag = "staff",
    params(IdPageQuery),
    responses((status = 200, body = RoomList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn rooms(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<RoomList>> {
    let (mut rooms, next_cursor) = page_by_id(state.store.run(ListRooms).await?, &query, |r| {
        i64::from(r.number)
    })?;
    let secrets = state.store.run(ExportSecrets).await?;
    for room in &mut rooms {
        room.ical_url = secrets
            .get(&Published::Room(room.number))
            .map(|secret| format!("{}{}", state.public_url, ical::path(secret)));
    }
    Ok(Json(RoomList { rooms, next_cursor }))
}

/// A new room (`number` in the body).
#[utoipa::path(post, path = "/staff/rooms", tag = "staff", request_body = RoomInput,
    responses(
        (status = 201, body = Room),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "Unknown room type", body = ErrorBody),
        (status = 409, description = "Number taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_room(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input = check_room(typed(body)?).map_err(AppError::BadRequest)?;
    let number = input
        .number
        .ok_or_else(|| AppError::bad_request("number is required."))
        .and_then(|n| check_room_number(n).map_err(AppError::BadRequest))?;
    let actor = staff.actor();
    Ok(created(
        state
            .store
            .run(CreateRoom {
                actor,
                number,
                input,
            })
            .await?,
    ))
}

/// Changes a room's type or floor, or takes it out of service until further notice
/// (`out_of_service`: the reason) or back into service (`null`).
#[utoipa::path(put, path = "/staff/rooms/{number}", tag = "staff", request_body = RoomInput,
    params(("number" = u32, Path, description = "Room number")),
    responses(
        (status = 200, body = Room),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, body = ErrorBody),
        (status = 409, description = "Out of service while stays hold the room from tonight on (`room_has_stays`): move them first", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_room(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomNumber(number): RoomNumber,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Room>> {
    let input = check_room(typed(body)?).map_err(AppError::BadRequest)?;
    // The path names the room; a body may repeat its number, not change it.
    if input.number.is_some_and(|n| n != number) {
        return Err(AppError::bad_request(
            "A room's number cannot change; leave number out or give the same one.",
        ));
    }
    let actor = staff.actor();
    Ok(Json(
        state
            .store
            .run(UpdateRoom {
                actor,
                number,
                input,
                today: state.clock.today(),
            })
            .await?,
    ))
}

/// Takes a room out of the hotel for good; it must have no stays to come.
#[utoipa::path(delete, path = "/staff/rooms/{number}", tag = "staff",
    params(("number" = u32, Path, description = "Room number")),
    responses(
        (status = 200, body = Room),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Stays to come", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retire_room(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomNumber(number): RoomNumber,
) -> AppResult<Json<Room>> {
    let actor = staff.actor();
    let today = state.clock.today();
    Ok(Json(
        state
            .store
            .run(RetireRoom {
                actor,
                number,
                today,
            })
            .await?,
    ))
}

/// Out-of-service ranges that have not ended, by id, those imported from booking sites' calendars
/// with their `feed_id`.
#[utoipa::path(get, path = "/staff/blocks", tag = "staff",
    params(IdPageQuery),
    responses((status = 200, body = BlockList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn blocks(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<BlockList>> {
    let since = state.clock.today();
    let (blocks, next_cursor) =
        page_by_id(state.store.run(ListBlocks { since }).await?, &query, |b| {
            b.id
        })?;
    Ok(Json(BlockList {
        blocks,
        next_cursor,
    }))
}

/// Takes a room out of service for nights `from` up to, not including, `to`. Nights already
/// sold in it must be moved first.
#[utoipa::path(post, path = "/staff/blocks", tag = "staff", request_body = BlockInput,
    responses(
        (status = 201, body = RoomBlock),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, body = ErrorBody), (status = 409, description = "Stays on those nights", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_block(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input = check_block(typed(body)?, state.clock.today()).map_err(AppError::BadRequest)?;
    let actor = staff.actor();
    Ok(created(state.store.run(AddBlock { actor, input }).await?))
}

/// Puts the room back into service for those nights.
#[utoipa::path(delete, path = "/staff/blocks/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Out-of-service range id")),
    responses(
        (status = 200, body = RoomBlock),
        StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn remove_block(
    State(state): State<AppState>,
    staff: StaffMember,
    BlockId(id): BlockId,
) -> AppResult<Json<RoomBlock>> {
    let actor = staff.actor();
    Ok(Json(state.store.run(RemoveBlock { actor, id }).await?))
}

/// Sells a retired room type again.
#[utoipa::path(post, path = "/staff/room-types/{id}/restore", tag = "staff",
    params(("id" = i64, Path, description = "Room type id")),
    responses((status = 200, body = RoomType), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn restore_room_type(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomTypeId(id): RoomTypeId,
) -> AppResult<Json<RoomType>> {
    let actor = staff.actor();
    Ok(Json(state.store.run(RestoreRoomType { actor, id }).await?))
}

/// Brings a retired room back into the hotel (its type must be on sale).
#[utoipa::path(post, path = "/staff/rooms/{number}/restore", tag = "staff",
    params(("number" = u32, Path, description = "Room number")),
    responses(
        (status = 200, body = Room),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Its type is retired", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn restore_room(
    State(state): State<AppState>,
    staff: StaffMember,
    RoomNumber(number): RoomNumber,
) -> AppResult<Json<Room>> {
    let actor = staff.actor();
    Ok(Json(state.store.run(RestoreRoom { actor, number }).await?))
}
