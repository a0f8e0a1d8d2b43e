//! The front desk and the back office: every endpoint here needs a staff session
//! (401 without one, 403 for a guest).

use std::collections::HashMap;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use hotel_shared::staff::{
    AuditLog, BlockInput, BookingAction, BookingList, FrontDesk, MoveInput, Report, Room,
    RoomBlock, RoomInput, RoomType, RoomTypeInput, WalkInInput,
};
use hotel_shared::{BookResponse, BookingStatus, Date, ErrorBody, paths};

use super::identity::staff_member;
use super::rooms::{Params, date_param, query_params};
use crate::domain::accounts::check_username;
use crate::domain::messages;
use crate::domain::report;
use crate::domain::rooms::{check_guests, check_room, check_room_number, check_room_type};
use crate::domain::stay::{MAX_DAYS_AHEAD, Stay};
use crate::error::{AppError, AppResult};
use crate::extract::{Caller, JsonObject, path_number, typed};
use crate::state::AppState;
use crate::store::ops::Actor;
use crate::store::ops::bookings::{Cancel, CheckIn, CheckOut, Move, Request, WalkIn};
use crate::store::ops::reads::{
    AuditTrail, BookingFilter, ListBlocks, ListRoomTypes, ListRooms, ReportData, SearchBookings,
};
use crate::store::ops::rooms::{
    AddBlock, CreateRoom, CreateRoomType, RemoveBlock, RetireRoom, RetireRoomType, UpdateRoom,
    UpdateRoomType,
};
use crate::store::{MoveOutcome, MoveTarget};

pub fn router() -> Router<AppState> {
    use paths::staff as p;
    Router::new()
        .route(p::BOOKINGS, get(search).post(walk_in))
        .route(p::FRONT_DESK, get(front_desk))
        .route("/staff/bookings/{id}/check-in", post(check_in))
        .route("/staff/bookings/{id}/check-out", post(check_out))
        .route("/staff/bookings/{id}/move", post(move_booking))
        .route("/staff/bookings/{id}/cancel", post(cancel))
        .route(p::ROOM_TYPES, get(room_types).post(create_room_type))
        .route(
            "/staff/room-types/{id}",
            put(update_room_type).delete(retire_room_type),
        )
        .route(p::ROOMS, get(rooms).post(create_room))
        .route(
            "/staff/rooms/{number}",
            put(update_room).delete(retire_room),
        )
        .route(p::BLOCKS, get(blocks).post(add_block))
        .route("/staff/blocks/{id}", delete(remove_block))
        .route(p::REPORT, get(report))
        .route(p::AUDIT, get(audit))
}

/// The longest stretch a report covers.
const MAX_REPORT_DAYS: i64 = 366;
const DEFAULT_LIST: u32 = 200;
const MAX_LIST: u32 = 1000;

fn actor(user: &crate::domain::accounts::User) -> Actor {
    Actor(user.username.clone())
}

fn number_param<T: std::str::FromStr>(
    params: &HashMap<String, String>,
    key: &str,
) -> AppResult<Option<T>> {
    params
        .get(key)
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            v.trim()
                .parse()
                .map_err(|_| AppError::BadRequest(format!("{key} must be a whole number.")))
        })
        .transpose()
}

fn limit_param(params: &HashMap<String, String>) -> AppResult<u32> {
    Ok(number_param::<u32>(params, "limit")?
        .unwrap_or(DEFAULT_LIST)
        .clamp(1, MAX_LIST))
}

/// All bookings, narrowed by guest (part of the username), room, dates and status.
#[utoipa::path(get, path = "/staff/bookings", tag = "staff",
    params(
        ("guest" = Option<String>, Query, description = "Part of the guest's username, any case"),
        ("room" = Option<u32>, Query, description = "Room number"),
        ("from" = Option<String>, Query, description = "Stays with a night on or after this day"),
        ("to" = Option<String>, Query, description = "Stays with a night before this day"),
        ("status" = Option<String>, Query, description = "booked, checked_in, checked_out or cancelled"),
        ("limit" = Option<u32>, Query, description = "At most this many (200 by default, 1000 at most)")),
    responses(
        (status = 200, body = BookingList),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> AppResult<Json<BookingList>> {
    staff_member(&state, &caller).await?;
    let params = query_params(params)?;
    let status = match params.get("status").map(|s| s.trim()) {
        None | Some("") => None,
        Some(s) => Some(BookingStatus::parse(s).ok_or_else(|| {
            AppError::bad_request("status must be booked, checked_in, checked_out or cancelled.")
        })?),
    };
    let filter = BookingFilter {
        guest: params
            .get("guest")
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty()),
        user_id: None,
        room: number_param(&params, "room")?,
        from: date_param(&params, "from")?,
        to: date_param(&params, "to")?,
        status,
        limit: limit_param(&params)?,
    };
    let bookings = state.store.run(SearchBookings(filter)).await?;
    Ok(Json(BookingList { bookings }))
}

/// Today's arrivals, departures and in-house guests (or another day's, with `date`).
#[utoipa::path(get, path = "/staff/front-desk", tag = "staff",
    params(("date" = Option<String>, Query, description = "The day (YYYY-MM-DD); today by default")),
    responses(
        (status = 200, body = FrontDesk),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn front_desk(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> AppResult<Json<FrontDesk>> {
    staff_member(&state, &caller).await?;
    let params = query_params(params)?;
    let date = date_param(&params, "date")?.unwrap_or_else(|| state.clock.today());
    let around = state
        .store
        .run(SearchBookings(BookingFilter {
            from: date.checked_add_days(-1),
            to: date.checked_add_days(1),
            limit: MAX_LIST * 10,
            ..BookingFilter::default()
        }))
        .await?;
    let in_house = state
        .store
        .run(SearchBookings(BookingFilter {
            status: Some(BookingStatus::CheckedIn),
            limit: MAX_LIST * 10,
            ..BookingFilter::default()
        }))
        .await?;
    let arrivals = around
        .iter()
        .filter(|b| b.check_in == date && b.status == BookingStatus::Booked)
        .cloned()
        .collect();
    let departures = around
        .into_iter()
        .filter(|b| {
            b.check_out == date
                && matches!(b.status, BookingStatus::Booked | BookingStatus::CheckedIn)
        })
        .collect();
    Ok(Json(FrontDesk {
        date,
        arrivals,
        departures,
        in_house,
    }))
}

/// Books at the desk for a walk-in or telephone guest, named by username. A particular
/// `room_number` may be given; otherwise the lowest free room (of `room_type_id`) is taken.
#[utoipa::path(post, path = "/staff/bookings", tag = "staff", request_body = WalkInInput,
    responses(
        (status = 201, body = BookResponse),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "Unknown room type", body = ErrorBody),
        (status = 409, description = "No room free, or the room asked for is taken or out of service", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn walk_in(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let user = staff_member(&state, &caller).await?;
    let input: WalkInInput = typed(body)?;
    let guest = crate::domain::accounts::normalize_username(&input.guest).to_string();
    check_username(&guest).map_err(AppError::BadRequest)?;
    let stay = Stay::requested(input.check_in, input.check_out, state.clock.today())
        .map_err(|e| AppError::BadRequest(e.message()))?;
    let guests = check_guests(input.guests.map(i64::from)).map_err(AppError::BadRequest)?;
    let bookings = state
        .store
        .run(WalkIn {
            actor: actor(&user),
            guest,
            request: Request {
                rooms: 1,
                stay,
                guests,
                room_type: input.room_type_id,
                room: input.room_number,
            },
        })
        .await?;
    let rooms: Vec<u32> = bookings.iter().map(|b| b.room_number).collect();
    Ok((
        StatusCode::CREATED,
        Json(BookResponse {
            message: messages::booked(&rooms),
            rooms,
            bookings,
        }),
    )
        .into_response())
}

/// Hands over the key: the stay must have begun (arrival day or later) and not be over.
#[utoipa::path(post, path = "/staff/bookings/{id}/check-in", tag = "staff",
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingAction),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already checked in, not yet arrived, cancelled or over", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn check_in(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    caller: Caller,
) -> AppResult<Json<BookingAction>> {
    let user = staff_member(&state, &caller).await?;
    let id = path_number(id, "Booking")?;
    let booking = state
        .store
        .run(CheckIn {
            actor: actor(&user),
            id,
            today: state.clock.today(),
        })
        .await?;
    Ok(Json(BookingAction {
        message: format!(
            "Checked in {}: room {}, {} to {}.",
            booking.guest, booking.room_number, booking.check_in, booking.check_out
        ),
        booking,
    }))
}

/// Ends a stay: nights from today on are released for sale.
#[utoipa::path(post, path = "/staff/bookings/{id}/check-out", tag = "staff",
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingAction),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not begun, cancelled or already checked out", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn check_out(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    caller: Caller,
) -> AppResult<Json<BookingAction>> {
    let user = staff_member(&state, &caller).await?;
    let id = path_number(id, "Booking")?;
    let booking = state
        .store
        .run(CheckOut {
            actor: actor(&user),
            id,
            today: state.clock.today(),
        })
        .await?;
    Ok(Json(BookingAction {
        message: format!(
            "Checked out {} from room {}.",
            booking.guest, booking.room_number
        ),
        booking,
    }))
}

/// Moves a stay (from tonight on, if it has begun) to another room free for its nights.
#[utoipa::path(post, path = "/staff/bookings/{id}/move", tag = "staff", request_body = MoveInput,
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingAction),
        (status = 400, description = "Bad room, or too small for the party", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Room taken or out of service; stay over", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn move_booking(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<BookingAction>> {
    let user = staff_member(&state, &caller).await?;
    let id = path_number(id, "Booking")?;
    let input: MoveInput = typed(body)?;
    let outcome = state
        .store
        .run(Move {
            actor: actor(&user),
            owner: None,
            target: MoveTarget::Booking(id),
            new_room: input.room_number,
            today: state.clock.today(),
        })
        .await?;
    Ok(Json(match outcome {
        MoveOutcome::Moved { released, booking } => BookingAction {
            message: format!(
                "Moved booking {id} from room {released} to room {}.",
                booking.room_number
            ),
            booking,
        },
        MoveOutcome::AlreadyHeld { booking } => BookingAction {
            message: format!("Booking {id} is already in room {}.", booking.room_number),
            booking,
        },
    }))
}

/// Cancels a stay not checked in (also a no-show whose first night has passed).
#[utoipa::path(post, path = "/staff/bookings/{id}/cancel", tag = "staff",
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingAction),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Checked in, over or already cancelled", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    caller: Caller,
) -> AppResult<Json<BookingAction>> {
    let user = staff_member(&state, &caller).await?;
    let id = path_number(id, "Booking")?;
    let booking = state
        .store
        .run(Cancel {
            actor: actor(&user),
            owner: None,
            id,
            today: state.clock.today(),
        })
        .await?;
    Ok(Json(BookingAction {
        message: format!(
            "Cancelled booking {}: room {}, {} to {}.",
            booking.id, booking.room_number, booking.check_in, booking.check_out
        ),
        booking,
    }))
}

/// Every room type, sold ones first.
#[utoipa::path(get, path = "/staff/room-types", tag = "staff",
    responses((status = 200, body = Vec<RoomType>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn room_types(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<Json<Vec<RoomType>>> {
    staff_member(&state, &caller).await?;
    Ok(Json(state.store.run(ListRoomTypes).await?))
}

/// A new room type. Rates are integers in minor units (cents).
#[utoipa::path(post, path = "/staff/room-types", tag = "staff", request_body = RoomTypeInput,
    responses(
        (status = 201, body = RoomType),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_room_type(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let user = staff_member(&state, &caller).await?;
    let input = check_room_type(typed(body)?).map_err(AppError::BadRequest)?;
    let created = state
        .store
        .run(CreateRoomType {
            actor: actor(&user),
            input,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Renames or reprices a room type. Bookings already made keep the rate they were made at.
#[utoipa::path(put, path = "/staff/room-types/{id}", tag = "staff", request_body = RoomTypeInput,
    params(("id" = i64, Path, description = "Room type id")),
    responses(
        (status = 200, body = RoomType),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Name taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_room_type(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<RoomType>> {
    let user = staff_member(&state, &caller).await?;
    let id = path_number(id, "Room type")?;
    let input = check_room_type(typed(body)?).map_err(AppError::BadRequest)?;
    Ok(Json(
        state
            .store
            .run(UpdateRoomType {
                actor: actor(&user),
                id,
                input,
            })
            .await?,
    ))
}

/// Stops selling a room type; its rooms must have another type first.
#[utoipa::path(delete, path = "/staff/room-types/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Room type id")),
    responses(
        (status = 200, body = RoomType),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Rooms still have this type", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retire_room_type(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    caller: Caller,
) -> AppResult<Json<RoomType>> {
    let user = staff_member(&state, &caller).await?;
    let id = path_number(id, "Room type")?;
    Ok(Json(
        state
            .store
            .run(RetireRoomType {
                actor: actor(&user),
                id,
            })
            .await?,
    ))
}

/// Every room, with its type, floor and service state.
#[utoipa::path(get, path = "/staff/rooms", tag = "staff",
    responses((status = 200, body = Vec<Room>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn rooms(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<Room>>> {
    staff_member(&state, &caller).await?;
    Ok(Json(state.store.run(ListRooms).await?))
}

/// A new room (`number` in the body).
#[utoipa::path(post, path = "/staff/rooms", tag = "staff", request_body = RoomInput,
    responses(
        (status = 201, body = Room),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "Unknown room type", body = ErrorBody),
        (status = 409, description = "Number taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_room(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let user = staff_member(&state, &caller).await?;
    let input = check_room(typed(body)?).map_err(AppError::BadRequest)?;
    let number = input
        .number
        .ok_or_else(|| AppError::bad_request("number is required."))
        .and_then(|n| check_room_number(n).map_err(AppError::BadRequest))?;
    let created = state
        .store
        .run(CreateRoom {
            actor: actor(&user),
            number,
            input,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Changes a room's type or floor, or takes it out of service until further notice
/// (`out_of_service`: the reason) or back into service (`null`).
#[utoipa::path(put, path = "/staff/rooms/{number}", tag = "staff", request_body = RoomInput,
    params(("number" = u32, Path, description = "Room number")),
    responses(
        (status = 200, body = Room),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_room(
    State(state): State<AppState>,
    number: Result<Path<String>, PathRejection>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Room>> {
    let user = staff_member(&state, &caller).await?;
    let number = path_number(number, "Room")?;
    let input = check_room(typed(body)?).map_err(AppError::BadRequest)?;
    Ok(Json(
        state
            .store
            .run(UpdateRoom {
                actor: actor(&user),
                number,
                input,
            })
            .await?,
    ))
}

/// Takes a room out of the hotel for good; it must have no stays to come.
#[utoipa::path(delete, path = "/staff/rooms/{number}", tag = "staff",
    params(("number" = u32, Path, description = "Room number")),
    responses(
        (status = 200, body = Room),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Stays to come", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retire_room(
    State(state): State<AppState>,
    number: Result<Path<String>, PathRejection>,
    caller: Caller,
) -> AppResult<Json<Room>> {
    let user = staff_member(&state, &caller).await?;
    let number = path_number(number, "Room")?;
    Ok(Json(
        state
            .store
            .run(RetireRoom {
                actor: actor(&user),
                number,
                today: state.clock.today(),
            })
            .await?,
    ))
}

/// Out-of-service ranges that have not ended.
#[utoipa::path(get, path = "/staff/blocks", tag = "staff",
    responses((status = 200, body = Vec<RoomBlock>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn blocks(
    State(state): State<AppState>,
    caller: Caller,
) -> AppResult<Json<Vec<RoomBlock>>> {
    staff_member(&state, &caller).await?;
    Ok(Json(
        state
            .store
            .run(ListBlocks {
                since: state.clock.today(),
            })
            .await?,
    ))
}

/// Takes a room out of service for nights `from` up to, not including, `to`. Nights already
/// sold in it must be moved first.
#[utoipa::path(post, path = "/staff/blocks", tag = "staff", request_body = BlockInput,
    responses(
        (status = 201, body = RoomBlock),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Stays on those nights", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_block(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let user = staff_member(&state, &caller).await?;
    let mut input: BlockInput = typed(body)?;
    input.reason = input.reason.trim().to_string();
    if input.reason.is_empty() || input.reason.chars().count() > 200 {
        return Err(AppError::bad_request("reason must be 1 to 200 characters."));
    }
    let today = state.clock.today();
    if input.to <= input.from {
        return Err(AppError::bad_request("to must be after from."));
    }
    if input.to <= today {
        return Err(AppError::bad_request("The range is already over."));
    }
    if input.from.days_until(input.to) > i64::from(MAX_DAYS_AHEAD) + 1 {
        return Err(AppError::BadRequest(format!(
            "A range can be at most {} nights.",
            MAX_DAYS_AHEAD + 1
        )));
    }
    let block = state
        .store
        .run(AddBlock {
            actor: actor(&user),
            input,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(block)).into_response())
}

/// Puts the room back into service for those nights.
#[utoipa::path(delete, path = "/staff/blocks/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Out-of-service range id")),
    responses(
        (status = 200, body = RoomBlock),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn remove_block(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    caller: Caller,
) -> AppResult<Json<RoomBlock>> {
    let user = staff_member(&state, &caller).await?;
    let id = path_number(id, "Out-of-service range")?;
    Ok(Json(
        state
            .store
            .run(RemoveBlock {
                actor: actor(&user),
                id,
            })
            .await?,
    ))
}

/// Occupancy, rooms sold, revenue, ADR and RevPAR for nights `from` up to, not including,
/// `to`, with one entry per night.
#[utoipa::path(get, path = "/staff/report", tag = "staff",
    params(
        ("from" = String, Query, description = "First night (YYYY-MM-DD)"),
        ("to" = String, Query, description = "Day after the last night (YYYY-MM-DD)")),
    responses(
        (status = 200, body = Report),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> AppResult<Json<Report>> {
    staff_member(&state, &caller).await?;
    let params = query_params(params)?;
    let (Some(from), Some(to)) = (date_param(&params, "from")?, date_param(&params, "to")?) else {
        return Err(AppError::bad_request("from and to are required."));
    };
    check_range(from, to)?;
    let facts = state.store.run(ReportData { from, to }).await?;
    Ok(Json(report::build(from, to, &facts)))
}

fn check_range(from: Date, to: Date) -> AppResult<()> {
    if to <= from {
        return Err(AppError::bad_request("to must be after from."));
    }
    if from.days_until(to) > MAX_REPORT_DAYS {
        return Err(AppError::BadRequest(format!(
            "A report covers at most {MAX_REPORT_DAYS} nights."
        )));
    }
    Ok(())
}

/// Every change to bookings, rooms, rates and roles, newest first. Read-only, for everyone.
#[utoipa::path(get, path = "/staff/audit", tag = "staff",
    params(
        ("before" = Option<i64>, Query, description = "Entries older than this id (for paging)"),
        ("limit" = Option<u32>, Query, description = "At most this many (200 by default, 1000 at most)")),
    responses(
        (status = 200, body = AuditLog),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> AppResult<Json<AuditLog>> {
    staff_member(&state, &caller).await?;
    let params = query_params(params)?;
    let entries = state
        .store
        .run(AuditTrail {
            before: number_param(&params, "before")?,
            limit: limit_param(&params)?,
        })
        .await?;
    Ok(Json(AuditLog { entries }))
}
