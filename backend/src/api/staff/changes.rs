//! Changing a booking's dates, party, room type or plan: what an integration (a booking
//! site's modification) and the desk (a guest on the telephone) do without losing the
//! booking's reference.

use axum::extract::State;
use hotel_shared::staff::{BookingChangeInput, BookingChanged};
use hotel_shared::words::money;
use hotel_shared::{ErrorBody, Language};

use super::StaffOnly;
use crate::api::identity::StaffMember;
use crate::api::json::Json;
use crate::domain::changes::BookingChange;
use crate::domain::rooms::check_guests;
use crate::error::{AppError, AppResult};
use crate::extract::{BookingId, JsonObject, typed};
use crate::state::AppState;
use crate::store::ops::bookings::ChannelSale;
use crate::store::ops::changes::ChangeBooking;

/// Changes a booking's dates, party, room type or rate plan in one step; it keeps its id
/// and reference. It stays in its room when that room is free for the new stay (and of the
/// type asked for), otherwise takes the lowest free room of the type. Nights it already
/// held keep their booked price while its type and plan stay the same; other nights cost
/// the plan's price of today, or `nightly_price` for every night. New dates or terms are
/// held to the rates calendar's restrictions unless `override_restrictions`. A stay checked
/// in may change its departure and party only. The guest is sent the change by e-mail.
#[utoipa::path(patch, path = "/staff/bookings/{id}", tag = "staff", request_body = BookingChangeInput,
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 200, body = BookingChanged),
        (status = 400, description = "Nothing to change, dates outside the booking window, a party out of range", body = ErrorBody),
        StaffOnly,
        (status = 404, description = "Unknown booking, room type or rate plan", body = ErrorBody),
        (status = 409, description = "No room of the type free for the new stay (`no_rooms_available`); the rates calendar closes it (`closed`, `min_stay`, …); the stay is over or cancelled (`booking_not_active`); a stay checked in asked for another arrival, type or plan (`booking_already_started`), or its room is taken on the added nights (`room_occupied`)", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change_booking(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<BookingChanged>> {
    let input: BookingChangeInput = typed(body)?;
    let guests = input
        .guests
        .map(|g| check_guests(Some(i64::from(g))))
        .transpose()
        .map_err(AppError::BadRequest)?;
    let nightly_price = ChannelSale::new(None, None, input.nightly_price)
        .map_err(AppError::BadRequest)?
        .nightly_price;
    let change = BookingChange {
        check_in: input.check_in,
        check_out: input.check_out,
        guests,
        room_type: input.room_type_id,
        rate_plan: input.rate_plan_id,
        nightly_price,
        override_restrictions: input.override_restrictions,
    };
    if change.is_empty() {
        return Err(AppError::bad_request(
            "Give what to change: check_in, check_out, guests, room_type_id, rate_plan_id or nightly_price.",
        ));
    }
    let outcome = state
        .store
        .run(ChangeBooking {
            actor: staff.actor(),
            id,
            change,
            today: state.clock.today(),
        })
        .await?;
    let (before, booking) = (outcome.before, outcome.after);
    let cost = |minor| money(Language::En, minor, &booking.currency);
    Ok(Json(BookingChanged {
        message: format!(
            "Changed booking {}: room {}, {} to {}, {} {}; {} (was {}).",
            booking.reference,
            booking.room_number,
            booking.check_in,
            booking.check_out,
            booking.guests,
            if booking.guests == 1 {
                "guest"
            } else {
                "guests"
            },
            cost(booking.total),
            cost(before.total),
        ),
        previous_total: before.total,
        difference: booking.total - before.total,
        booking,
    }))
}
