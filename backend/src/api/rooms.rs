//! What is free and what it costs: `GET /rooms`, `/availability`, `/occupancy`, `/quote`.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hotel_shared::staff::QuoteResponse;
use hotel_shared::{AvailabilityResponse, ErrorBody, OccupancyResponse, RoomNights, RoomsResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::identity::StaffMember;
use super::identity::StaffOnly;
use crate::domain::bookings::why_unavailable;
use crate::domain::rooms::check_guests;
use crate::domain::stay::Stay;
use crate::error::{AppError, AppResult};
use crate::extract::{QueryOf, query_date};
use crate::state::AppState;
use crate::store::ops::reads::{FreeRooms, Occupancy, Quote, RoomsOn};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rooms))
        .routes(routes!(availability))
        .routes(routes!(occupancy))
        .routes(routes!(quote))
}

/// A stay and a party size, as `/availability` and `/quote` are asked.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StayQuery {
    /// First night (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    check_in: Option<String>,
    /// Departure day (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    check_out: Option<String>,
    /// People per room; 1 by default
    #[param(value_type = Option<u32>)]
    guests: Option<String>,
}

impl StayQuery {
    /// The stay named by `check_in` and `check_out`, both required.
    pub(crate) fn stay(&self, state: &AppState) -> AppResult<Stay> {
        let (Some(check_in), Some(check_out)) = (
            query_date(self.check_in.as_deref(), "check_in")?,
            query_date(self.check_out.as_deref(), "check_out")?,
        ) else {
            return Err(AppError::bad_request(
                "check_in and check_out are required.",
            ));
        };
        Stay::validate(check_in, check_out, state.clock.today())
            .map_err(|e| AppError::BadRequest(e.message()))
    }

    /// `guests`: 1 when absent.
    pub(crate) fn guests(&self) -> AppResult<u32> {
        // Text that is not a whole number gets the same sentence as a number out of range.
        let asked = self
            .guests
            .as_deref()
            .map(|raw| raw.trim().parse::<i64>().unwrap_or(0));
        check_guests(asked).map_err(AppError::BadRequest)
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NightQuery {
    /// Night to report (YYYY-MM-DD); tonight by default
    #[param(format = Date)]
    date: Option<String>,
}

/// Every room and whether a stay covers the night.
#[utoipa::path(get, path = "/rooms", tag = "rooms",
    params(NightQuery),
    responses(
        (status = 200, body = RoomsResponse),
        (status = 400, description = "Bad date", body = ErrorBody)))]
pub async fn rooms(
    State(state): State<AppState>,
    QueryOf(query): QueryOf<NightQuery>,
) -> AppResult<Response> {
    let night = query_date(query.date.as_deref(), "date")?.unwrap_or_else(|| state.clock.today());
    // The answer only changes when a write commits, so it is served from memory in between.
    let generation = state.store.changes().current();
    let body = match state.rooms_cache.get(generation, &night) {
        Some(body) => body,
        None => {
            let rooms = state.store.run(RoomsOn { night }).await?;
            let free = rooms
                .iter()
                .filter(|r| !r.is_occupied && !r.out_of_service)
                .count() as u32;
            let answer = RoomsResponse {
                total: rooms.len() as u32,
                free,
                rooms,
                date: night,
            };
            let body = Bytes::from(
                serde_json::to_vec(&answer).map_err(|e| AppError::Internal(e.to_string()))?,
            );
            state.rooms_cache.put(generation, night, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Rooms free for every night of a stay, in service and big enough for `guests`.
#[utoipa::path(get, path = "/availability", tag = "rooms",
    params(StayQuery),
    responses(
        (status = 200, body = AvailabilityResponse),
        (status = 400, description = "Missing or bad dates", body = ErrorBody)))]
pub async fn availability(
    State(state): State<AppState>,
    QueryOf(query): QueryOf<StayQuery>,
) -> AppResult<crate::api::json::Json<AvailabilityResponse>> {
    let stay = query.stay(&state)?;
    let guests = query.guests()?;
    let rooms = state
        .store
        .run(FreeRooms {
            from: stay.check_in,
            to: stay.check_out,
            guests,
        })
        .await?;
    Ok(crate::api::json::Json(AvailabilityResponse {
        check_in: stay.check_in,
        check_out: stay.check_out,
        nights: stay.nights(),
        available: rooms.len() as u32,
        rooms,
        guests,
    }))
}

/// `/quote`: a stay, the people per room, and how many rooms.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteQuery {
    /// First night (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    check_in: Option<String>,
    /// Departure day (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    check_out: Option<String>,
    /// People per room; 1 by default
    #[param(value_type = Option<u32>)]
    guests: Option<String>,
    /// Rooms wanted, each for `guests` people; 1 by default
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    rooms: Option<String>,
    /// Ages of the children among `guests`, comma-separated (`4,9`): those below the city
    /// tax's exempt age pay none of it
    #[param(value_type = Option<String>, pattern = r"^[0-9]{1,2}(,[0-9]{1,2}){0,19}$")]
    child_ages: Option<String>,
}

/// `4,9`: the ages of children among `guests` guests, each 0 to 17.
fn child_ages(raw: Option<&str>, guests: u32) -> AppResult<Vec<u32>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    let ages: Option<Vec<u32>> = raw
        .split(',')
        .map(|a| a.trim().parse::<u32>().ok().filter(|a| *a < 18))
        .collect();
    let ages = ages.ok_or_else(|| {
        AppError::bad_request("child_ages must be ages from 0 to 17, separated by commas.")
    })?;
    if ages.len() >= usize::try_from(guests).unwrap_or(usize::MAX) {
        return Err(AppError::BadRequest(format!(
            "child_ages names {} children, but a party of {guests} has an adult too.",
            ages.len()
        )));
    }
    Ok(ages)
}

/// What a stay costs in every room type that sleeps `guests`, and how many rooms of each
/// are free (their numbers too). `unavailable` says why none can take the stay, when none
/// can. Prices are per room, in minor units of the hotel's currency.
#[utoipa::path(get, path = "/quote", tag = "rooms",
    params(QuoteQuery),
    responses(
        (status = 200, body = QuoteResponse),
        (status = 400, description = "Missing or bad dates or guests", body = ErrorBody)))]
pub async fn quote(
    State(state): State<AppState>,
    QueryOf(asked): QueryOf<QuoteQuery>,
) -> AppResult<Response> {
    let rooms = match asked.rooms.as_deref().map(str::trim) {
        None => 1,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| AppError::bad_request("rooms must be a whole number from 1 to 1000."))?,
    };
    let query = StayQuery {
        check_in: asked.check_in,
        check_out: asked.check_out,
        guests: asked.guests,
    };
    let stay = query.stay(&state)?;
    let guests = query.guests()?;
    let child_ages = child_ages(asked.child_ages.as_deref(), guests)?;
    let (currency, options, not_offered) = state
        .store
        .run(Quote {
            from: stay.check_in,
            to: stay.check_out,
            guests,
            today: state.clock.today(),
            now: jiff::Timestamp::now(),
            tz: state.clock.zone().clone(),
            all_plans: false,
            child_ages,
        })
        .await?;
    let unavailable = why_unavailable(
        state
            .guest_limits
            .booking_size(rooms, i64::from(stay.nights())),
        &options,
        not_offered.len(),
        rooms,
    );
    let answer = QuoteResponse {
        check_in: stay.check_in,
        check_out: stay.check_out,
        nights: stay.nights(),
        guests,
        currency,
        rooms,
        unavailable,
        not_offered,
        options,
    };
    // A month of nights for every plan is tens of kilobytes: sized once, not doubled into.
    let nights = answer.nights as usize;
    let mut body = Vec::with_capacity(1024 + answer.options.len() * (800 + 40 * nights));
    serde_json::to_writer(&mut body, &answer).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The longest stretch `/occupancy` draws at once.
pub const MAX_OCCUPANCY_DAYS: u32 = 62;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StretchQuery {
    /// First night (YYYY-MM-DD); today by default
    #[param(format = Date)]
    from: Option<String>,
    /// Number of nights, 1 to 62; 14 by default
    #[param(value_type = Option<u32>, minimum = 1, maximum = 62)]
    days: Option<String>,
}

/// Which rooms cannot be booked on each night of a stretch (held by a stay, or out of
/// service): rooms down, nights across. Staff only: room by room it tells who is away when.
#[utoipa::path(get, path = "/occupancy", tag = "rooms",
    params(StretchQuery),
    responses(
        (status = 200, body = OccupancyResponse),
        (status = 400, description = "Bad date or day count", body = ErrorBody),
        StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn occupancy(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<StretchQuery>,
) -> AppResult<crate::api::json::Json<OccupancyResponse>> {
    let from = query_date(query.from.as_deref(), "from")?.unwrap_or_else(|| state.clock.today());
    let days = match query.days.as_deref() {
        None => 14,
        Some(raw) => raw
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=MAX_OCCUPANCY_DAYS).contains(d))
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "days must be a whole number from 1 to {MAX_OCCUPANCY_DAYS}."
                ))
            })?,
    };
    let to = from
        .checked_add_days(i64::from(days))
        .ok_or_else(|| AppError::bad_request("from is too far in the future."))?;
    let (rooms, held) = state.store.run(Occupancy { from, to }).await?;
    let mut grid: Vec<RoomNights> = rooms
        .iter()
        .map(|&room_number| RoomNights {
            room_number,
            taken: vec![false; days as usize],
        })
        .collect();
    for (room, night) in held {
        let offset = crate::domain::stay::days_between(from, night);
        if let (Ok(i), Ok(offset)) = (rooms.binary_search(&room), usize::try_from(offset))
            && let Some(cell) = grid[i].taken.get_mut(offset)
        {
            *cell = true;
        }
    }
    Ok(crate::api::json::Json(OccupancyResponse {
        from,
        days,
        rooms: grid,
    }))
}
