//! What is free and what it costs: `GET /rooms`, `/availability`, `/occupancy`, `/quote`.

use std::collections::HashMap;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use hotel_shared::Date;
use hotel_shared::staff::QuoteResponse;
use hotel_shared::{
    AvailabilityResponse, ErrorBody, OccupancyResponse, RoomNights, RoomsResponse, paths,
};

use crate::domain::rooms::check_guests;
use crate::domain::stay::{Stay, parse_date};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ops::reads::{FreeRooms, Occupancy, Quote, RoomsOn};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::ROOMS, get(rooms))
        .route(paths::AVAILABILITY, get(availability))
        .route(paths::OCCUPANCY, get(occupancy))
        .route(paths::QUOTE, get(quote))
}

pub type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

pub fn query_params(params: Params) -> AppResult<HashMap<String, String>> {
    params
        .map(|Query(p)| p)
        .map_err(|_| AppError::bad_request("The query string could not be read."))
}

/// `guests` of a query string: 1 when absent.
fn guests_param(params: &HashMap<String, String>) -> AppResult<u32> {
    // Text that is not a whole number gets the same sentence as a number out of range.
    let asked = params
        .get("guests")
        .map(|raw| raw.trim().parse::<i64>().unwrap_or(0));
    check_guests(asked).map_err(AppError::BadRequest)
}

/// The stay named by `check_in` and `check_out`, both required.
fn stay_params(state: &AppState, params: &HashMap<String, String>) -> AppResult<Stay> {
    let (Some(check_in), Some(check_out)) = (
        date_param(params, "check_in")?,
        date_param(params, "check_out")?,
    ) else {
        return Err(AppError::bad_request(
            "check_in and check_out are required.",
        ));
    };
    Stay::validate(check_in, check_out, state.clock.today())
        .map_err(|e| AppError::BadRequest(e.message()))
}

pub fn date_param(params: &HashMap<String, String>, key: &'static str) -> AppResult<Option<Date>> {
    params
        .get(key)
        .map(|raw| parse_date(key, raw).map_err(|e| AppError::BadRequest(e.message())))
        .transpose()
}

/// Every room and whether a stay covers the night.
#[utoipa::path(get, path = "/rooms", tag = "rooms",
    params(("date" = Option<String>, Query, description = "Night to report (YYYY-MM-DD); tonight by default")),
    responses(
        (status = 200, body = RoomsResponse),
        (status = 400, description = "Bad date", body = ErrorBody)))]
pub async fn rooms(State(state): State<AppState>, params: Params) -> AppResult<Response> {
    let params = query_params(params)?;
    let night = date_param(&params, "date")?.unwrap_or_else(|| state.clock.today());
    // The answer only changes when a write commits, so it is served from memory in between.
    let generation = state.store.changes().current();
    let body = match state.rooms_cache.get(generation, night) {
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
    params(
        ("check_in" = String, Query, description = "First night (YYYY-MM-DD)"),
        ("check_out" = String, Query, description = "Departure day (YYYY-MM-DD)"),
        ("guests" = Option<u32>, Query, description = "People per room; 1 by default")),
    responses(
        (status = 200, body = AvailabilityResponse),
        (status = 400, description = "Missing or bad dates", body = ErrorBody)))]
pub async fn availability(
    State(state): State<AppState>,
    params: Params,
) -> AppResult<axum::Json<AvailabilityResponse>> {
    let params = query_params(params)?;
    let stay = stay_params(&state, &params)?;
    let guests = guests_param(&params)?;
    let rooms = state
        .store
        .run(FreeRooms {
            from: stay.check_in,
            to: stay.check_out,
            guests,
        })
        .await?;
    Ok(axum::Json(AvailabilityResponse {
        check_in: stay.check_in,
        check_out: stay.check_out,
        nights: stay.nights(),
        available: rooms.len() as u32,
        rooms,
        guests,
    }))
}

/// What a stay costs in every room type that sleeps `guests`, and how many rooms of each
/// are free. Prices are per room, in minor units of the hotel's currency.
#[utoipa::path(get, path = "/quote", tag = "rooms",
    params(
        ("check_in" = String, Query, description = "First night (YYYY-MM-DD)"),
        ("check_out" = String, Query, description = "Departure day (YYYY-MM-DD)"),
        ("guests" = Option<u32>, Query, description = "People per room; 1 by default")),
    responses(
        (status = 200, body = QuoteResponse),
        (status = 400, description = "Missing or bad dates or guests", body = ErrorBody)))]
pub async fn quote(
    State(state): State<AppState>,
    params: Params,
) -> AppResult<axum::Json<QuoteResponse>> {
    let params = query_params(params)?;
    let stay = stay_params(&state, &params)?;
    let guests = guests_param(&params)?;
    let (currency, options) = state
        .store
        .run(Quote {
            from: stay.check_in,
            to: stay.check_out,
            guests,
            nights: stay.nights(),
        })
        .await?;
    Ok(axum::Json(QuoteResponse {
        check_in: stay.check_in,
        check_out: stay.check_out,
        nights: stay.nights(),
        guests,
        currency,
        options,
    }))
}

/// The longest stretch `/occupancy` draws at once.
pub const MAX_OCCUPANCY_DAYS: u32 = 62;

/// Which rooms cannot be booked on each night of a stretch (held by a stay, or out of
/// service): rooms down, nights across.
#[utoipa::path(get, path = "/occupancy", tag = "rooms",
    params(
        ("from" = Option<String>, Query, description = "First night (YYYY-MM-DD); today by default"),
        ("days" = Option<u32>, Query, description = "Number of nights, 1 to 62; 14 by default")),
    responses(
        (status = 200, body = OccupancyResponse),
        (status = 400, description = "Bad date or day count", body = ErrorBody)))]
pub async fn occupancy(
    State(state): State<AppState>,
    params: Params,
) -> AppResult<axum::Json<OccupancyResponse>> {
    let params = query_params(params)?;
    let from = date_param(&params, "from")?.unwrap_or_else(|| state.clock.today());
    let days = match params.get("days") {
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
    Ok(axum::Json(OccupancyResponse {
        from,
        days,
        rooms: grid,
    }))
}
