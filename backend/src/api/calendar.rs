//! `GET /calendar.ics`: bookings as a calendar feed, from 30 days ago to a year ahead. Staff
//! get every stay; a guest gets their own.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::identity::SignedIn;
use crate::domain::accounts::Role;
use crate::domain::calendar::ics;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::ops::reads::{BookingFilter, FeedBookings};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(calendar))
}

/// Stays in a feed at most; a hotel's year fits many times over.
const FEED_LIMIT: u32 = 20_000;
/// The feed's window: stays with a night from this many days ago …
const FEED_DAYS_BACK: i64 = 30;
/// … to this many days ahead.
const FEED_DAYS_AHEAD: i64 = 366;

/// Bookings as iCalendar all-day events (check-in day to departure day), cancelled ones
/// marked `STATUS:CANCELLED` so subscribed tools drop them: stays with a night between 30
/// days ago and a year ahead.
#[utoipa::path(get, path = "/calendar.ics", tag = "bookings",
    responses(
        (status = 200, description = "text/calendar", content_type = "text/calendar", body = String),
        (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn calendar(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> AppResult<Response> {
    // A window, not all of history: a year of a busy hotel's past would be megabytes that
    // calendar apps fetch again every few hours.
    let today = state.clock.today();
    let (from, to) = (
        today.checked_add_days(-FEED_DAYS_BACK),
        today.checked_add_days(FEED_DAYS_AHEAD),
    );
    let filter = match user.role {
        Role::Staff => BookingFilter {
            from,
            to,
            limit: FEED_LIMIT,
            ..BookingFilter::default()
        },
        // A housekeeper's own account holds only their own stays, like a guest's.
        Role::Guest | Role::Housekeeper | Role::Unknown => BookingFilter {
            user_id: Some(user.id),
            from,
            to,
            limit: FEED_LIMIT,
            ..BookingFilter::default()
        },
    };
    let host = state.calendar_host();
    // Every calendar of the staff polls the same feed: written once per change of the hotel.
    let staff = user.role == Role::Staff;
    let generation = state.store.changes().current();
    let key = (today, host.clone());
    if staff && let Some(feed) = state.feed_cache.get(generation, &key) {
        return Ok(answer(feed));
    }
    let bookings = state.store.run(FeedBookings(filter)).await?;
    let stamp = ics_stamp();
    let name = match user.role {
        Role::Staff => "Hotel bookings".to_string(),
        Role::Guest | Role::Housekeeper | Role::Unknown => {
            format!("Hotel stays of {}", user.username)
        }
    };
    // A year of stays is megabytes of text: written off the async workers too.
    let feed = tokio::task::spawn_blocking(move || ics(&bookings, &name, &host, &stamp))
        .await
        .map_err(|e| AppError::Internal(format!("writing the calendar failed: {e}")))?;
    let feed = bytes::Bytes::from(feed);
    if staff {
        state.feed_cache.put(generation, key, feed.clone());
    }
    Ok(answer(feed))
}

fn answer(feed: bytes::Bytes) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            // Stays and names: no copy anywhere.
            (header::CACHE_CONTROL, "no-store"),
        ],
        feed,
    )
        .into_response()
}

/// Now, as an iCalendar `DTSTAMP`.
pub(super) fn ics_stamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}
