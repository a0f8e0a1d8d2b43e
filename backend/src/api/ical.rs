//! `GET /ical/{secret}.ics`: a room's or a room type's calendar for booking sites to import,
//! at an address only the hotel hands out. It lists every night that cannot be sold (stays,
//! ranges out of service, stays imported from other sites; for a type, the nights none of its
//! rooms is free) as all-day events called "Not available": no guest's data, no cancelled
//! stay. Events are named on the configured site's host (`--public-url`), never the
//! request's.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use sha2::{Digest, Sha256};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::channels::export;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ops::published::{FindPublished, Published, RoomCalendar, TypeCalendar};
use crate::store::ops::reads::ListRoomTypes;

/// Days back a published calendar starts: stays in progress show whole.
pub const DAYS_BACK: i64 = 30;
/// Days ahead it reaches: two years, as far as booking sites sell.
pub const DAYS_AHEAD: i64 = 731;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(calendar))
}

/// The path of a published calendar with this secret part.
pub fn path(secret: &str) -> String {
    format!("/ical/{secret}.ics")
}

/// A calendar booking sites import (iCalendar). Its address comes from `ical_url` of
/// `GET /staff/rooms` or `GET /staff/room-types`. Answers `304` to an `If-None-Match` with
/// the `ETag` it gave when nothing changed.
#[utoipa::path(get, path = "/ical/{file}", tag = "integrations",
    params(("file" = String, Path, description = "The secret part of the address and `.ics`")),
    responses(
        (status = 200, description = "text/calendar", content_type = "text/calendar", body = String),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 404, body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let not_found = || AppError::NotFound("No calendar at this address.".into());
    let secret = file.strip_suffix(".ics").ok_or_else(not_found)?;
    if secret.len() != 32 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let what = state
        .store
        .run(FindPublished {
            secret: secret.to_ascii_lowercase(),
        })
        .await?
        .ok_or_else(not_found)?;
    let today = state.clock.today();
    let from = today.checked_add_days(-DAYS_BACK).unwrap_or(today);
    let to = today.checked_add_days(DAYS_AHEAD).unwrap_or(today);
    let (name, ranges) = match what {
        Published::Room(room) => (
            format!("Room {room}"),
            state.store.run(RoomCalendar { room, from, to }).await?,
        ),
        Published::RoomType(type_id) => {
            let name = state
                .store
                .run(ListRoomTypes)
                .await?
                .into_iter()
                .find(|t| t.id == type_id)
                .map_or_else(|| format!("Room type {type_id}"), |t| t.name);
            (
                name,
                state.store.run(TypeCalendar { type_id, from, to }).await?,
            )
        }
    };
    // The stamp is the day's start, so an unchanged calendar is the same text all day and
    // its ETag holds.
    let stamp = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() / 86_400 * 86_400)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let text = export(&name, &ranges, &state.calendar_host(), stamp);
    let tag = format!(
        "\"{}\"",
        hex::encode(&Sha256::digest(text.as_bytes())[..16])
    );
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    let common = [
        (header::ETAG, tag),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((
        common,
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        text,
    )
        .into_response())
}
