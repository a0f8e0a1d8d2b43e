//! The front desk: finding stays, the day's board, walk-ins, and each stay's next step.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::folio::CheckOutInput;
use hotel_shared::housekeeping::CheckInInput;
use hotel_shared::staff::{BookingAction, BookingList, FrontDesk, MoveInput, WalkInInput};
use hotel_shared::{BookResponse, Booking, BookingStatus, ErrorBody};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use super::changes::{__path_change_booking, change_booking};
use super::list_limit;
use crate::api::identity::StaffMember;
use crate::api::paging::{stay_cursor, stays_page};
use crate::domain::accounts::{check_username, normalize_username};
use crate::domain::bookings::{self, Requester};
use crate::domain::folio::invoice_recipient;
use crate::domain::guests::check_guest;
use crate::domain::messages;
use crate::domain::rooms::{check_guests, check_room_number};
use crate::domain::stay::Stay;
use crate::error::{AppError, AppResult};
use crate::extract::{BookingId, JsonObject, QueryOf, query_date, query_number, typed};
use crate::state::AppState;
use crate::store::ops::bookings::{BookingRequest, ChannelSale};
use crate::store::ops::cancel::{Cancel, CancellationQuote};
use crate::store::ops::channels::CalendarConflicts;
use crate::store::ops::desk::{CheckIn, DeskCheckOut, DeskDay, NoShow};
use crate::store::ops::desk::{CheckInOverrides, WalkIn, WalkInGuest};
use crate::store::ops::housekeeping::DirtyRooms;
use crate::store::ops::moves::Move;
use crate::store::ops::reads::{BookingById, BookingFilter, SearchBookings};
use crate::store::{MoveOutcome, MoveTarget};
use hotel_shared::rates::CancellationPreview;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search, walk_in))
        .routes(routes!(front_desk))
        .routes(routes!(check_in))
        .routes(routes!(check_out))
        .routes(routes!(move_booking))
        .routes(routes!(cancel))
        .routes(routes!(cancellation))
        .routes(routes!(booking, change_booking))
        .routes(routes!(no_show))
}

/// What the staff search bookings by; every parameter narrows the result.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of the guest's username, any case
    guest: Option<String>,
    /// Room number
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1_000_000)]
    room: Option<String>,
    /// Stays with a night on or after this day (YYYY-MM-DD)
    #[param(format = Date)]
    from: Option<String>,
    /// Stays with a night before this day (YYYY-MM-DD)
    #[param(format = Date)]
    to: Option<String>,
    /// booked, checked_in, checked_out, cancelled or no_show
    #[param(pattern = r"^\s*(booked|checked_in|checked_out|cancelled|no_show)?\s*$")]
    status: Option<String>,
    /// The booking reference the guest quotes (any case, dashes and spaces ignored)
    reference: Option<String>,
    /// Bookings sold through this booking site or program (`channel` of the booking)
    channel: Option<String>,
    /// That site's reference for the booking
    external_reference: Option<String>,
    /// Only bookings changed at or after this moment (RFC 3339, e.g.
    /// `2026-07-01T12:00:00Z`): made, moved, checked in or out, cancelled
    #[param(format = DateTime)]
    updated_since: Option<String>,
    /// At most this many (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// `next_cursor` of the page before
    cursor: Option<String>,
}

impl SearchQuery {
    fn filter(&self) -> AppResult<BookingFilter> {
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(BookingStatus::parse(s).ok_or_else(|| {
                AppError::bad_request(
                    "status must be booked, checked_in, checked_out, cancelled or no_show.",
                )
            })?),
        };
        Ok(BookingFilter {
            guest: self
                .guest
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_string),
            user_id: None,
            room: query_number::<u32>(self.room.as_deref(), "room")?
                .map(|room| check_room_number(room).map_err(AppError::BadRequest))
                .transpose()?,
            from: query_date(self.from.as_deref(), "from")?,
            to: query_date(self.to.as_deref(), "to")?,
            status,
            reference: self
                .reference
                .as_deref()
                .map(bookings::normalize_reference)
                .filter(|r| !r.is_empty()),
            channel: self
                .channel
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            external_reference: self
                .external_reference
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
            updated_since: self
                .updated_since
                .as_deref()
                .map(|t| {
                    t.trim()
                        .parse::<jiff::Timestamp>()
                        .map(|t| t.as_millisecond())
                        .map_err(|_| {
                            AppError::bad_request(
                                "updated_since: a moment as RFC 3339, e.g. 2026-07-01T12:00:00Z.",
                            )
                        })
                })
                .transpose()?,
            active: false,
            after: stay_cursor(self.cursor.as_deref())?,
            limit: list_limit(query_number(self.limit.as_deref(), "limit")?)?,
        })
    }
}

/// All bookings by arrival day, narrowed by guest (part of the username or name), booking
/// reference, room, dates and status; a page at a time (`next_cursor` continues).
#[utoipa::path(get, path = "/staff/bookings", tag = "staff",
    params(SearchQuery),
    responses(
        (status = 200, body = BookingList),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn search(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<SearchQuery>,
) -> AppResult<Json<BookingList>> {
    let filter = query.filter()?;
    let limit = filter.limit;
    let found = state
        .store
        .run(SearchBookings(BookingFilter {
            limit: limit + 1,
            ..filter
        }))
        .await?;
    let (bookings, next_cursor) = stays_page(found, limit);
    Ok(Json(BookingList {
        bookings,
        next_cursor,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// The day (YYYY-MM-DD); today by default
    #[param(format = Date)]
    date: Option<String>,
}

/// Today's arrivals, departures and in-house guests (or another day's, with `date`).
#[utoipa::path(get, path = "/staff/front-desk", tag = "staff",
    params(DayQuery),
    responses(
        (status = 200, body = FrontDesk),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn front_desk(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<DayQuery>,
) -> AppResult<Json<FrontDesk>> {
    let day = query_date(query.date.as_deref(), "date")?.unwrap_or_else(|| state.clock.today());
    let (around, checked_in) = state.store.run(DeskDay { day }).await?;
    let dirty = state.store.run(DirtyRooms).await?;
    let mut board = bookings::front_desk(day, around, checked_in, &dirty);
    board.calendar_conflicts = state
        .store
        .run(CalendarConflicts {
            today: state.clock.today(),
        })
        .await?;
    Ok(Json(board))
}

/// Books at the desk for a walk-in or telephone guest: a guest profile (`guest_id`, see
/// `/staff/guests`) or a username. A particular `room_number` may be given; otherwise the
/// lowest free room (of `room_type_id`) is taken. `check_in_now` hands over the key at once.
/// The rates calendar's restrictions hold as for guests unless `override_restrictions`.
#[utoipa::path(post, path = "/staff/bookings", tag = "staff", request_body = WalkInInput,
    responses(
        (status = 201, body = BookResponse),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "Unknown room type or guest", body = ErrorBody),
        (status = 409, description = "No room free, or the room asked for is taken or out of service; the room is not clean for `check_in_now`; the rates calendar closes the stay (`closed`, `stop_sell`, `min_stay`, …, with `restriction`) unless `override_restrictions`", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn walk_in(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input: WalkInInput = typed(body)?;
    let guest = match (input.guest_id, input.guest.trim(), input.new_guest) {
        (Some(id), "", None) => WalkInGuest::Profile(id),
        (None, "", None) => {
            return Err(AppError::bad_request(
                "guest_id (a guest profile), new_guest (a new one) or guest (a username) is required.",
            ));
        }
        (None, name, None) => {
            let name = normalize_username(name);
            check_username(&name).map_err(AppError::BadRequest)?;
            WalkInGuest::Username(name)
        }
        (None, "", Some(new_guest)) => WalkInGuest::New {
            input: check_guest(new_guest).map_err(AppError::BadRequest)?,
            tail: crate::domain::bookings::new_reference()
                .map_err(AppError::Internal)?
                .to_lowercase(),
        },
        _ => {
            return Err(AppError::bad_request(
                "Give one of guest_id, new_guest and guest.",
            ));
        }
    };
    let today = state.clock.today();
    let stay = Stay::requested(input.check_in, input.check_out, today)
        .map_err(|e| AppError::BadRequest(e.message()))?;
    if input.check_in_now && stay.check_in != today {
        return Err(AppError::bad_request(
            "check_in_now is for a stay that begins today.",
        ));
    }
    let guests = check_guests(input.guests.map(i64::from)).map_err(AppError::BadRequest)?;
    let sale = ChannelSale::new(
        input.channel.clone(),
        input.external_reference.clone(),
        input.nightly_price,
    )
    .map_err(AppError::BadRequest)?;
    let bookings = state
        .store
        .run(WalkIn {
            actor: staff.actor(),
            guest,
            request: BookingRequest {
                rooms: 1,
                stay,
                guests,
                room_type: input.room_type_id,
                room: input.room_number,
                rate_plan: input.rate_plan_id,
                by_guest: false,
                override_restrictions: input.override_restrictions,
                today,
                send_confirmation: input.send_confirmation,
                sale,
            },
            check_in_now: input.check_in_now.then_some(today),
        })
        .await?;
    metrics::counter!(crate::metrics::BOOKINGS, "by" => "desk").increment(bookings.len() as u64);
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

/// Hands over the key: the stay must have begun (arrival day or later) and not be over. A
/// room still dirty is refused (`room_not_clean`) unless `override_housekeeping` says the guest
/// takes it as it is; a room whose departing guest has not checked out is refused
/// (`room_not_vacated`, naming them) unless `override_occupied`.
#[utoipa::path(post, path = "/staff/bookings/{id}/check-in", tag = "staff",
    request_body(content = Option<CheckInInput>, description = "May be left out"),
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingAction),
        (status = 400, description = "A body that is not `CheckInInput`", body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Already checked in, not yet arrived, cancelled or over; room not clean; a guest due out of the room has not checked out", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn check_in(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<BookingAction>> {
    let input: CheckInInput = typed(body)?;
    let booking = state
        .store
        .run(CheckIn {
            actor: staff.actor(),
            id,
            today: state.clock.today(),
            overrides: CheckInOverrides {
                housekeeping: input.override_housekeeping,
                occupied: input.override_occupied,
            },
            city_tax_exempt: input.city_tax_exempt,
        })
        .await?;
    Ok(Json(BookingAction {
        message: format!(
            "Checked in {}: room {}, {} to {}.",
            name_of(&booking),
            booking.room_number,
            booking.check_in,
            booking.check_out
        ),
        booking,
        fee: None,
    }))
}

/// Ends a stay: nights from today on are released for sale (a guest leaving early is noted
/// on the bill) and the room turns dirty. A bill with money still owed is refused
/// (`balance_open`) unless `leave_balance_open` lets the guest go.
#[utoipa::path(post, path = "/staff/bookings/{id}/check-out", tag = "staff",
    request_body(content = Option<CheckOutInput>, description = "May be left out"),
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingAction),
        (status = 400, description = "A body that is not `CheckOutInput`, or an invoice recipient that is incomplete", body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Not begun, cancelled or already checked out; balance open", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn check_out(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<BookingAction>> {
    let input: CheckOutInput = typed(body)?;
    let booking = state
        .store
        .run(DeskCheckOut {
            actor: staff.actor(),
            id,
            today: state.clock.today(),
            leave_balance_open: input.leave_balance_open,
            invoice_to: match input.invoice_to {
                Some(to) => invoice_recipient(to).map_err(AppError::BadRequest)?,
                None => None,
            },
        })
        .await?;
    Ok(Json(BookingAction {
        message: format!(
            "Checked out {} from room {}.",
            name_of(&booking),
            booking.room_number
        ),
        booking,
        fee: None,
    }))
}

/// Moves a stay (from tonight on, if it has begun) to another room free for its nights. Into
/// another room type the nights from the move on cost that type's rate, unless
/// `complimentary` keeps the booked one (written to the audit log as such).
#[utoipa::path(post, path = "/staff/bookings/{id}/move", tag = "staff", request_body = MoveInput,
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingAction),
        (status = 400, description = "Bad room, or too small for the party", body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Room taken or out of service; stay over", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn move_booking(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<BookingAction>> {
    let input: MoveInput = typed(body)?;
    let outcome = state
        .store
        .run(Move {
            actor: staff.actor(),
            by: Requester::Desk,
            target: MoveTarget::Booking(id),
            new_room: input.room_number,
            today: state.clock.today(),
            complimentary: input.complimentary,
        })
        .await?;
    Ok(Json(match outcome {
        MoveOutcome::Moved { released, booking } => BookingAction {
            message: format!(
                "Moved booking {id} from room {released} to room {}.",
                booking.room_number
            ),
            booking,
            fee: None,
        },
        MoveOutcome::AlreadyHeld { booking } => BookingAction {
            message: format!("Booking {id} is already in room {}.", booking.room_number),
            booking,
            fee: None,
        },
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CancelOptions {
    /// true: let the guest off the cancellation fee (audited)
    #[param(value_type = Option<bool>)]
    waive_fee: Option<String>,
}

/// Cancels a stay not checked in (also a no-show whose first night has passed), charging the
/// fee its terms ask for now unless `waive_fee=true`.
#[utoipa::path(post, path = "/staff/bookings/{id}/cancel", tag = "staff",
    params(("id" = i64, Path, description = "Booking id"), CancelOptions),
    responses(
        (status = 200, body = BookingAction),
        (status = 400, description = "waive_fee is not true or false", body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Checked in, over or already cancelled", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
    QueryOf(options): QueryOf<CancelOptions>,
) -> AppResult<Json<BookingAction>> {
    let waive_fee = match options.waive_fee.as_deref().map(str::trim) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(AppError::bad_request("waive_fee must be true or false.")),
    };
    let (booking, fee) = state
        .store
        .run(Cancel {
            actor: staff.actor(),
            by: Requester::Desk,
            id,
            at: state.cancel_time(waive_fee),
        })
        .await?;
    metrics::counter!(crate::metrics::CANCELLATIONS, "by" => "desk").increment(1);
    Ok(Json(BookingAction {
        message: messages::cancelled(&booking),
        booking,
        fee: Some(fee),
    }))
}

/// One booking by id, as `GET /staff/bookings` lists it, whatever its status.
#[utoipa::path(get, path = "/staff/bookings/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Booking id")),
    responses((status = 200, body = Booking), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn booking(
    State(state): State<AppState>,
    _staff: StaffMember,
    BookingId(id): BookingId,
) -> AppResult<Json<Booking>> {
    Ok(Json(state.store.run(BookingById(id)).await?))
}

/// What cancelling the stay now would cost under its terms.
#[utoipa::path(get, path = "/staff/bookings/{id}/cancellation", tag = "staff",
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = CancellationPreview),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Checked in, over or already cancelled", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn cancellation(
    State(state): State<AppState>,
    _staff: StaffMember,
    BookingId(id): BookingId,
) -> AppResult<Json<CancellationPreview>> {
    Ok(Json(
        state
            .store
            .run(CancellationQuote {
                by: Requester::Desk,
                id,
                at: state.cancel_time(false),
            })
            .await?,
    ))
}

/// Notes a guest who never came (from the arrival day on): the nights from today on are
/// released, the stay is listed as a no-show, and its plan's no-show fee is charged on its
/// bill in place of the nights (stays booked before plans keep the nights already passed).
#[utoipa::path(post, path = "/staff/bookings/{id}/no-show", tag = "staff",
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingAction),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Not due yet, checked in, or over", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn no_show(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
) -> AppResult<Json<BookingAction>> {
    let (booking, fee) = state
        .store
        .run(NoShow {
            actor: staff.actor(),
            id,
            today: state.clock.today(),
        })
        .await?;
    metrics::counter!(crate::metrics::NO_SHOWS).increment(1);
    Ok(Json(BookingAction {
        message: format!(
            "Noted {} as a no-show: room {} is free again from tonight.",
            name_of(&booking),
            booking.room_number
        ),
        booking,
        fee: Some(fee),
    }))
}

/// How the desk's messages name a guest: their name when the hotel knows it.
fn name_of(b: &hotel_shared::Booking) -> &str {
    b.guest_name.as_deref().unwrap_or(&b.guest)
}
