//! The original protocol's bookings (`/book`, `/query`, `/update`, `/checkout`) and the
//! session-era extras (`GET /bookings`, `DELETE /bookings/{id}`).

use crate::api::json::Json;
use axum::extract::State;
use hotel_shared::ErrorCode;
use hotel_shared::{
    AuthRequest, BookRequest, BookResponse, CancelResponse, CheckoutResponse, ErrorBody,
    QueryResponse, UpdateRequest, UpdateResponse, rates::CancellationPreview,
};
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::identity::{Identity, SignedIn, Unknown, authenticate, count_request};
use crate::api::paging::{PageQuery, list_limit, stay_cursor, stays_page};
use crate::domain::accounts::{Role, User};
use crate::domain::bookings::fee_now;
use crate::domain::bookings::{Requester, may_cancel};
use crate::domain::limits::{GuestLimits, RateLimit, client_subject};
use crate::domain::messages;
use crate::domain::rooms::check_guests;
use crate::domain::rooms::in_acquired_order;
use crate::domain::stay::{Stay, parse_date};
use crate::error::{AppError, AppResult};
use crate::extract::{BookingId, Caller, JsonObject, QueryOf, integer, query_number};
use crate::state::AppState;
use crate::store::ops::Actor;
use crate::store::ops::bookings::ChannelSale;
use crate::store::ops::bookings::{
    ActiveBookings, AddressBudget, Book, BookingRequest, GuestCheckout,
};
use crate::store::ops::cancel::{Cancel, CancellationQuote};
use crate::store::ops::moves::Move;
use crate::store::ops::reads::{BookingFilter, SearchBookings};
use crate::store::ops::reservations::CancelReservation;
use crate::store::{MoveOutcome, MoveTarget};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(book))
        .routes(routes!(query))
        .routes(routes!(update))
        .routes(routes!(checkout))
        .routes(routes!(list))
        .routes(routes!(cancel))
        .routes(routes!(cancellation))
}

const BOOK_REQUIRED: &str = "username, password, and num_rooms required.";
const UPDATE_REQUIRED: &str = "username, password, and new_room required.";
const CREDENTIALS_REQUIRED: &str = "username and password required.";

/// Signs in whoever the request names, or answers with the endpoint's "required" message.
async fn caller_user(
    state: &AppState,
    body: &Map<String, Value>,
    caller: &Caller,
    required: &str,
    unknown: Unknown,
) -> AppResult<User> {
    let identity = Identity::of(body, caller).ok_or_else(|| AppError::bad_request(required))?;
    authenticate(state, identity, caller, unknown).await
}

/// `guests` of a booking request: 1 when absent.
fn guests_field(body: &Map<String, Value>) -> AppResult<u32> {
    // A value that is not a whole number gets the same sentence as one out of range.
    let asked = integer(body, "guests").unwrap_or(Some(0));
    check_guests(asked).map_err(AppError::BadRequest)
}

pub fn optional_date(
    body: &Map<String, Value>,
    key: &'static str,
) -> AppResult<Option<hotel_shared::Date>> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_date(key, s)
            .map(Some)
            .map_err(|e| AppError::BadRequest(e.message())),
        Some(_) => Err(AppError::BadRequest(
            crate::domain::stay::StayError::Unparseable(key).message(),
        )),
    }
}

/// Books the lowest-numbered free rooms that sleep `guests`, all or nothing, at today's
/// rates. An unknown username is registered with the given password, as the original
/// server did.
#[utoipa::path(post, path = "/book", tag = "bookings", request_body = BookRequest,
    responses(
        (status = 200, body = BookResponse),
        (status = 400, description = "username, password, and num_rooms required. / bad dates", body = ErrorBody),
        (status = 401, description = "Invalid password.", body = ErrorBody),
        (status = 404, description = "Room type not found.", body = ErrorBody),
        (status = 409, description = "No rooms available. (or fewer than asked; `available` says how many), or a limit of the hotel: `booking_too_large` (room-nights in one booking), `guest_limit_reached` (room-nights one guest holds)", body = ErrorBody),
        (status = 429, description = "Too many bookings a minute from this address or account (`too_many_bookings`), too many new accounts (`too_many_signups`) or failed sign-ins; `Retry-After` says when", body = ErrorBody),
        (status = 503, description = "Password checks are busy (`busy`); `Retry-After` says when", body = ErrorBody)),
    security((), ("bearer" = []), ("cookie" = [])))]
pub async fn book(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<BookResponse>> {
    let rooms = match integer(&body, "num_rooms") {
        Ok(Some(n)) if n > 0 => u32::try_from(n).unwrap_or(u32::MAX),
        _ => return Err(AppError::bad_request(BOOK_REQUIRED)),
    };
    if Identity::of(&body, &caller).is_none() {
        return Err(AppError::bad_request(BOOK_REQUIRED));
    }
    let today = state.clock.today();
    let stay = Stay::requested(
        optional_date(&body, "check_in")?,
        optional_date(&body, "check_out")?,
        today,
    )
    .map_err(|e| AppError::BadRequest(e.message()))?;
    let guests = guests_field(&body)?;
    let room_type = integer(&body, "room_type_id")
        .map_err(|()| AppError::bad_request("room_type_id must be integer."))?;
    let rate_plan = integer(&body, "rate_plan_id")
        .map_err(|()| AppError::bad_request("rate_plan_id must be integer."))?;
    let user = caller_user(&state, &body, &caller, BOOK_REQUIRED, Unknown::Register).await?;
    // Staff book for guests at the desk, so their bookings are not limited.
    let limits = if user.role == Role::Staff {
        GuestLimits::OFF
    } else {
        let rate = state.bookings_per_minute;
        count_request(
            &state,
            &[
                (
                    RateLimit::bookings_per_minute_by_address(rate),
                    client_subject(caller.ip),
                ),
                (
                    RateLimit::bookings_per_minute_by_account(rate),
                    user.id.to_string(),
                ),
            ],
            (ErrorCode::TooManyBookings, "Too many bookings in a minute."),
        )
        .await?;
        state.guest_limits
    };
    let bookings = state
        .store
        .run(Book {
            limits,
            address: (user.role != Role::Staff).then(|| AddressBudget {
                subject: client_subject(caller.ip),
                share_percent: state.address_share,
                now: jiff::Timestamp::now().as_second(),
            }),
            actor: Actor(user.username.clone()),
            user_id: user.id,
            guest: user.username.clone(),
            request: BookingRequest {
                sale: ChannelSale::default(),
                rooms,
                stay,
                guests,
                room_type,
                room: None,
                rate_plan,
                by_guest: user.role != Role::Staff,
                // The desk overrides at /staff/bookings, where it says so.
                override_restrictions: false,
                today,
                send_confirmation: true,
            },
        })
        .await?;
    metrics::counter!(crate::metrics::BOOKINGS, "by" => crate::metrics::by(user.role == Role::Staff))
        .increment(bookings.len() as u64);
    let rooms: Vec<u32> = bookings.iter().map(|b| b.room_number).collect();
    Ok(Json(BookResponse {
        message: messages::booked(&rooms),
        rooms,
        bookings,
    }))
}

async fn current_bookings(state: &AppState, user: &User) -> AppResult<QueryResponse> {
    let bookings = state
        .store
        .run(ActiveBookings {
            user_id: user.id,
            today: state.clock.today(),
        })
        .await?;
    let rooms = in_acquired_order(bookings.iter().map(|b| b.room_number));
    Ok(QueryResponse {
        message: messages::query(&rooms),
        rooms,
        bookings,
        next_cursor: None,
    })
}

/// The guest's current and upcoming stays.
#[utoipa::path(post, path = "/query", tag = "bookings", request_body = Option<AuthRequest>,
    responses(
        (status = 200, body = QueryResponse),
        (status = 400, description = "username and password required.", body = ErrorBody),
        (status = 401, description = "Invalid password.", body = ErrorBody),
        (status = 404, description = "User not found.", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins from this address (`too_many_sign_in_attempts`); `Retry-After` says when", body = ErrorBody)),
    security((), ("bearer" = []), ("cookie" = [])))]
pub async fn query(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<QueryResponse>> {
    let user = caller_user(
        &state,
        &body,
        &caller,
        CREDENTIALS_REQUIRED,
        Unknown::Refuse,
    )
    .await?;
    Ok(Json(current_bookings(&state, &user).await?))
}

/// The signed-in guest's current and upcoming stays (session only), by arrival day, a page
/// at a time: `next_cursor` continues. `rooms` and `message` describe the page.
#[utoipa::path(get, path = "/bookings", tag = "bookings",
    params(PageQuery),
    responses(
        (status = 200, body = QueryResponse),
        (status = 400, description = "Bad limit or cursor", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    QueryOf(query): QueryOf<PageQuery>,
) -> AppResult<Json<QueryResponse>> {
    let limit = list_limit(query_number(query.limit.as_deref(), "limit")?)?;
    let found = state
        .store
        .run(SearchBookings(BookingFilter {
            user_id: Some(user.id),
            from: Some(state.clock.today()),
            active: true,
            after: stay_cursor(query.cursor.as_deref())?,
            limit: limit + 1,
            ..BookingFilter::default()
        }))
        .await?;
    let (mut bookings, next_cursor) = stays_page(found, limit);
    // What cancelling each would cost now, so the guest is told before confirming.
    let at = state.cancel_time(false);
    for b in &mut bookings {
        if may_cancel(b, user.id, Requester::Guest(user.id), at.today).is_ok() {
            b.cancel_fee = Some(fee_now(b, &at));
        }
    }
    let rooms: Vec<u32> = bookings.iter().map(|b| b.room_number).collect();
    Ok(Json(QueryResponse {
        message: messages::query(&rooms),
        rooms,
        bookings,
        next_cursor,
    }))
}

/// Moves a stay (the guest's first, or `booking_id`) to another room free for its dates.
#[utoipa::path(put, path = "/update", tag = "bookings", request_body = UpdateRequest,
    responses(
        (status = 200, description = "Moved, or `You already have room N.`", body = UpdateResponse),
        (status = 400, description = "new_room must be integer. / Invalid room number. / You have no booking to update.", body = ErrorBody),
        (status = 401, description = "Invalid password.", body = ErrorBody),
        (status = 404, description = "User not found. / Booking not found.", body = ErrorBody),
        (status = 409, description = "Room N is already occupied.", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins from this address (`too_many_sign_in_attempts`); `Retry-After` says when", body = ErrorBody)),
    security((), ("bearer" = []), ("cookie" = [])))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<UpdateResponse>> {
    let new_room = match integer(&body, "new_room") {
        Ok(Some(n)) => n,
        Ok(None) => return Err(AppError::bad_request(UPDATE_REQUIRED)),
        Err(()) => return Err(AppError::bad_request("new_room must be integer.")),
    };
    let target = match integer(&body, "booking_id") {
        Ok(Some(id)) => MoveTarget::Booking(id),
        Ok(None) => MoveTarget::FirstAcquired,
        Err(()) => return Err(AppError::bad_request("booking_id must be integer.")),
    };
    let user = caller_user(&state, &body, &caller, UPDATE_REQUIRED, Unknown::Refuse).await?;
    let new_room =
        u32::try_from(new_room).map_err(|_| AppError::bad_request("Invalid room number."))?;
    let outcome = state
        .store
        .run(Move {
            actor: Actor(user.username.clone()),
            by: Requester::Guest(user.id),
            target,
            new_room,
            today: state.clock.today(),
            complimentary: false,
        })
        .await?;
    Ok(Json(match outcome {
        MoveOutcome::Moved { released, booking } => UpdateResponse {
            message: messages::updated(released, booking.room_number),
            released: Some(released),
            booking,
        },
        MoveOutcome::AlreadyHeld { booking } => UpdateResponse {
            message: messages::already_have(new_room),
            released: None,
            booking,
        },
    }))
}

/// Ends the guest's stays in progress and releases their rooms from tonight on.
#[utoipa::path(delete, path = "/checkout", tag = "bookings", request_body = Option<AuthRequest>,
    responses(
        (status = 200, body = CheckoutResponse),
        (status = 400, description = "You have no booked rooms.", body = ErrorBody),
        (status = 401, description = "Invalid password.", body = ErrorBody),
        (status = 404, description = "User not found.", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins from this address (`too_many_sign_in_attempts`); `Retry-After` says when", body = ErrorBody)),
    security((), ("bearer" = []), ("cookie" = [])))]
pub async fn checkout(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<CheckoutResponse>> {
    let user = caller_user(
        &state,
        &body,
        &caller,
        CREDENTIALS_REQUIRED,
        Unknown::Refuse,
    )
    .await?;
    let bookings = state
        .store
        .run(GuestCheckout {
            actor: Actor(user.username.clone()),
            user_id: user.id,
            today: state.clock.today(),
        })
        .await?;
    let released: Vec<u32> = in_acquired_order(bookings.iter().map(|b| b.room_number));
    Ok(Json(CheckoutResponse {
        message: messages::checked_out(&released),
        released,
        bookings,
    }))
}

/// `DELETE /bookings/{id}` options.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CancelQuery {
    /// `true`: every room booked together with this one (one booking reference), all or none.
    #[param(value_type = Option<bool>)]
    all: Option<String>,
}

/// Cancels one of the guest's stays that has not begun, or with `all=true` the whole booking.
#[utoipa::path(delete, path = "/bookings/{id}", tag = "bookings", request_body = Option<AuthRequest>,
    params(("id" = i64, Path, description = "Booking id"), CancelQuery),
    responses(
        (status = 200, body = CancelResponse),
        (status = 400, description = "A body that is not a JSON object", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such booking of this guest", body = ErrorBody),
        (status = 409, description = "Already cancelled, checked out or begun", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins from this address (`too_many_sign_in_attempts`); `Retry-After` says when", body = ErrorBody)),
    security((), ("bearer" = []), ("cookie" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    BookingId(id): BookingId,
    QueryOf(options): QueryOf<CancelQuery>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<CancelResponse>> {
    let all = match options.all.as_deref().map(str::trim) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(AppError::bad_request("all must be true or false.")),
    };
    let user = caller_user(
        &state,
        &body,
        &caller,
        CREDENTIALS_REQUIRED,
        Unknown::Refuse,
    )
    .await?;
    let (actor, by, at) = (
        Actor(user.username.clone()),
        Requester::Guest(user.id),
        state.cancel_time(false),
    );
    let (bookings, fee) = if all {
        state
            .store
            .run(CancelReservation { actor, by, id, at })
            .await?
    } else {
        let (booking, fee) = state.store.run(Cancel { actor, by, id, at }).await?;
        (vec![booking], fee)
    };
    metrics::counter!(crate::metrics::CANCELLATIONS, "by" => "guest")
        .increment(bookings.len() as u64);
    let booking = bookings
        .iter()
        .find(|b| b.id == id)
        .or(bookings.first())
        .cloned()
        .ok_or_else(|| AppError::Internal("a cancellation returned no booking".into()))?;
    Ok(Json(CancelResponse {
        message: messages::cancelled(&booking),
        booking,
        bookings,
        fee,
    }))
}

/// What cancelling one's own booking now would cost: free until the deadline of the terms
/// it was booked on, the fee after.
#[utoipa::path(get, path = "/bookings/{id}/cancellation", tag = "bookings",
    params(("id" = i64, Path, description = "Booking id (one room)")),
    responses(
        (status = 200, body = CancellationPreview),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such booking of yours", body = ErrorBody),
        (status = 409, description = "Begun, over or already cancelled", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn cancellation(
    State(state): State<AppState>,
    BookingId(id): BookingId,
    SignedIn(user): SignedIn,
) -> AppResult<Json<CancellationPreview>> {
    Ok(Json(
        state
            .store
            .run(CancellationQuote {
                by: Requester::Guest(user.id),
                id,
                at: state.cancel_time(false),
            })
            .await?,
    ))
}
