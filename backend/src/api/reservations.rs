//! A booking by its reference: `GET /bookings/{reference}` (the confirmation page's data, or
//! the page itself for a browser) and `GET /bookings/{reference}/calendar.ics`.

use crate::api::json::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use hotel_shared::{Booking, BookingStatus, ErrorBody, Reservation};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::identity::SignedIn;
use crate::domain::accounts::{Role, User};
use crate::domain::bookings::amounts;
use crate::domain::bookings::normalize_reference;
use crate::domain::calendar::ics;
use crate::domain::rates::stay_terms;
use crate::domain::taxes::city_tax;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ops::reservations::ReservationRooms;
use crate::store::ops::taxes::GetCityTax;
use hotel_shared::rates::StayTerms;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reservation))
        .routes(routes!(reservation_calendar))
}

/// The rooms of the booking `reference` that `user` may see: a guest only their own, staff
/// any. Unknown and someone else's answer the same 404.
async fn rooms_of(state: &AppState, user: &User, reference: &str) -> AppResult<Vec<Booking>> {
    let reference = normalize_reference(reference);
    let owner = (user.role != Role::Staff).then_some(user.id);
    let rooms = if reference.is_empty() || reference.len() > 16 {
        Vec::new()
    } else {
        state
            .store
            .run(ReservationRooms { reference, owner })
            .await?
    };
    if rooms.is_empty() {
        return Err(AppError::NotFound("There is no such booking.".into()));
    }
    Ok(rooms)
}

/// One booking as the guest knows it: every room booked together, the total and until when
/// it can be cancelled free of charge. A browser asking for a page gets the web app, which
/// shows the same as a confirmation page.
#[utoipa::path(get, path = "/bookings/{id}", tag = "bookings",
    params(("id" = String, Path, description = "The booking reference, e.g. `K7M4QX2P`")),
    responses(
        (status = 200, body = Reservation),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such booking of this guest", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn reservation(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    user: Result<SignedIn, AppError>,
) -> AppResult<Response> {
    let wants_page = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_page && let Some(app) = &state.web_app {
        return Ok(app.page().await);
    }
    let SignedIn(user) = user?;
    let rooms = rooms_of(&state, &user, &reference).await?;
    let today = state.clock.today();
    let live = rooms
        .iter()
        .filter(|b| b.status != BookingStatus::Cancelled);
    let total = live.clone().map(|b| b.total).sum();
    let upcoming: Vec<&hotel_shared::Booking> = rooms
        .iter()
        .filter(|b| b.status == BookingStatus::Booked && b.check_in >= today)
        .collect();
    let tz = state.clock.zone();
    let now = jiff::Timestamp::now();
    let currency = state.store.currency().to_string();
    // Rooms booked together share their plan's terms; their fees add up.
    let terms = upcoming.iter().try_fold(None::<StayTerms>, |sum, b| {
        let t = b.terms.as_ref()?;
        let one = stay_terms(t, &amounts(b), b.check_in, tz, now, &currency);
        Some(Some(match sum {
            None => one,
            Some(s) => StayTerms {
                fee: s.fee + one.fee,
                no_show_fee: s.no_show_fee + one.no_show_fee,
                ..s
            },
        }))
    });
    let terms = terms.flatten();
    // The deadline is absent once it has passed.
    let free_cancellation_until = match &terms {
        Some(t) => t
            .free_until_local
            .as_deref()
            .and_then(|local| local.get(..10))
            .and_then(|day| day.parse().ok()),
        None => upcoming.iter().map(|b| b.check_in).min(),
    };
    let rule = state.store.run(GetCityTax).await?;
    let city_tax = rule.as_ref().map_or(0, |rule| {
        upcoming
            .iter()
            .map(|b| city_tax(rule, b.guests, &amounts(b)))
            .sum()
    });
    Ok(Json(Reservation {
        city_tax,
        city_tax_included: rule.is_some_and(|r| r.included),
        reference: rooms
            .first()
            .map(|b| b.reference.clone())
            .unwrap_or_default(),
        currency: state.store.currency().to_string(),
        total,
        free_cancellation_until,
        terms,
        bookings: rooms,
    })
    .into_response())
}

/// The booking as an iCalendar file, one all-day event per room: "add to calendar".
#[utoipa::path(get, path = "/bookings/{id}/calendar.ics", tag = "bookings",
    params(("id" = String, Path, description = "The booking reference")),
    responses(
        (status = 200, description = "text/calendar", content_type = "text/calendar", body = String),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn reservation_calendar(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    SignedIn(user): SignedIn,
) -> AppResult<Response> {
    let rooms = rooms_of(&state, &user, &reference).await?;
    let host = state.calendar_host();
    let stamp = super::calendar::ics_stamp();
    let name = format!("Hotel booking {}", normalize_reference(&reference));
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"booking.ics\"",
            ),
        ],
        ics(&rooms, &name, &host, &stamp),
    )
        .into_response())
}
