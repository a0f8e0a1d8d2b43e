//! Housekeeping: the rooms to clean for housekeepers (and the desk), and each room's state.
//! A housekeeper reaches nothing else: no guest's name, no amount.

use crate::api::json::Json;
use axum::extract::State;
use hotel_shared::ErrorBody;
use hotel_shared::housekeeping::{ConditionInput, HousekeepingList, HousekeepingRoom};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::list_limit;
use crate::api::identity::RoomsCrew;
use crate::api::paging::{id_cursor, page};
use crate::error::{AppError, AppResult};
use crate::extract::{JsonObject, QueryOf, RoomNumber, query_number, typed};
use crate::state::AppState;
use crate::store::ops::housekeeping::{ListHousekeeping, SetCondition};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(set_condition))
}

/// How a caller who does not look after the rooms is refused.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
enum RoomsCrewOnly {
    /// Not signed in, or the session ended.
    #[response(status = 401)]
    NotSignedIn(ErrorBody),
    /// Signed in as a guest.
    #[response(status = 403)]
    NotCrew(ErrorBody),
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// At most this many rooms (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// `next_cursor` of the page before
    cursor: Option<String>,
}

/// The rooms in the hotel by number: clean, dirty or inspected, out of order or not, and who
/// sleeps there around today (without saying who). For housekeepers and staff.
#[utoipa::path(get, path = "/housekeeping", tag = "housekeeping",
    params(ListQuery),
    responses(
        (status = 200, body = HousekeepingList),
        (status = 400, body = ErrorBody), RoomsCrewOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _crew: RoomsCrew,
    QueryOf(query): QueryOf<ListQuery>,
) -> AppResult<Json<HousekeepingList>> {
    let limit = list_limit(query_number(query.limit.as_deref(), "limit")?)?;
    let after = id_cursor(query.cursor.as_deref())?
        .map(|n| {
            u32::try_from(n).map_err(|_| AppError::bad_request("cursor is not one this list gave."))
        })
        .transpose()?
        .unwrap_or(0);
    let today = state.clock.today();
    let found = state
        .store
        .run(ListHousekeeping {
            today,
            after,
            limit: limit + 1,
        })
        .await?;
    let (rooms, next_cursor) = page(found, limit, |r| vec![r.number.to_string()]);
    Ok(Json(HousekeepingList {
        date: today,
        rooms,
        next_cursor,
    }))
}

/// Marks a room clean, dirty or inspected (written to the audit log).
#[utoipa::path(put, path = "/housekeeping/{number}", tag = "housekeeping",
    request_body = ConditionInput,
    params(("number" = u32, Path, description = "Room number")),
    responses(
        (status = 200, body = HousekeepingRoom),
        (status = 400, body = ErrorBody), RoomsCrewOnly,
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_condition(
    State(state): State<AppState>,
    crew: RoomsCrew,
    RoomNumber(number): RoomNumber,
    JsonObject(body): JsonObject,
) -> AppResult<Json<HousekeepingRoom>> {
    let input: ConditionInput = typed(body)?;
    Ok(Json(
        state
            .store
            .run(SetCondition {
                actor: crew.actor(),
                number,
                condition: input.condition,
                today: state.clock.today(),
            })
            .await?,
    ))
}
