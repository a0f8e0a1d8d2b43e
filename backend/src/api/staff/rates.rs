//! Prices as the hotel sets them: rate plans per room type and the rates calendar (a price and
//! restrictions per night). Every change is audited.

use crate::api::json::Json;
use crate::domain::bookings::why_unavailable;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::rates::{
    CalendarChange, CalendarChanged, CalendarChanges, RateCalendar, RatePlan, RatePlanInput,
    RatePlanList,
};
use hotel_shared::staff::QuoteResponse;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{StaffOnly, list_limit};
use crate::api::identity::StaffMember;
use crate::api::paging::{id_cursor, page};
use crate::api::rooms::StayQuery;
use crate::domain::rates::{check_calendar_change, check_plan};
use crate::domain::stay::days_between;
use crate::error::{AppError, AppResult};
use crate::extract::{JsonObject, QueryOf, RatePlanId, query_date, query_number, typed};
use crate::state::AppState;
use crate::store::ops::rates::{
    CreatePlan, ListPlans, ReadCalendar, ReadPlan, RetirePlan, SetCalendar, UpdatePlan,
};
use crate::store::ops::reads::{Quote, TypeNights};
use hotel_shared::Date;
use hotel_shared::rates::Availability;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plans, create_plan))
        .routes(routes!(plan, update_plan, retire_plan))
        .routes(routes!(calendar, set_calendar))
        .routes(routes!(desk_quote))
        .routes(routes!(availability))
}

/// The most nights the rates calendar shows at once: a year and a day, so that a channel
/// manager reads a year of prices in one request per type, or one for the hotel.
pub const MAX_CALENDAR_NIGHTS: i64 = 366;

/// The most changes one `PUT /staff/rate-calendar` takes.
const MAX_CHANGES: usize = 100;

/// What `PUT /staff/rate-calendar` takes: one change, or `{"changes": [...]}`.
#[derive(utoipa::ToSchema)]
// Only described: the handler reads the body by whether it has `changes`, so that a single
// change's faults are named as they always were.
#[allow(dead_code)]
#[serde(untagged)]
enum CalendarRequest {
    One(CalendarChange),
    Many(CalendarChanges),
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// Only this room type's plans
    #[param(value_type = Option<i64>)]
    room_type_id: Option<String>,
    /// Plans per page, 1 to 1000; 200 by default
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// `next_cursor` of the previous page
    cursor: Option<String>,
}

/// Every rate plan, retired ones too, by id, a page at a time.
#[utoipa::path(get, path = "/staff/rate-plans", tag = "rates",
    params(PlanQuery),
    responses((status = 200, body = RatePlanList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn plans(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<PlanQuery>,
) -> AppResult<Json<RatePlanList>> {
    let limit = list_limit(query_number(query.limit.as_deref(), "limit")?)?;
    let after = id_cursor(query.cursor.as_deref())?;
    let room_type = query_number(query.room_type_id.as_deref(), "room_type_id")?;
    let found = state
        .store
        .run(ListPlans {
            after,
            limit: limit + 1,
            room_type,
        })
        .await?;
    let (plans, next_cursor) = page(found, limit, |p| vec![p.id.to_string()]);
    Ok(Json(RatePlanList { plans, next_cursor }))
}

/// A new plan of a room type, derived from its base plan by `derived_percent` or
/// `derived_amount` (minor units a night), with its own cancellation terms.
#[utoipa::path(post, path = "/staff/rate-plans", tag = "rates", request_body = RatePlanInput,
    responses(
        (status = 201, body = RatePlan),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "No such room type, or an included extra or tax rate", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_plan(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input = check_plan(typed(body)?).map_err(AppError::BadRequest)?;
    let plan = state
        .store
        .run(CreatePlan {
            actor: staff.actor(),
            input,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(plan)).into_response())
}

/// One plan.
#[utoipa::path(get, path = "/staff/rate-plans/{id}", tag = "rates",
    params(("id" = i64, Path, description = "Rate plan id")),
    responses((status = 200, body = RatePlan), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn plan(
    State(state): State<AppState>,
    _staff: StaffMember,
    RatePlanId(id): RatePlanId,
) -> AppResult<Json<RatePlan>> {
    Ok(Json(state.store.run(ReadPlan { id }).await?))
}

/// Changes a plan's name, derivation, visibility or terms; bookings already made keep theirs.
/// A base plan keeps no derivation and stays visible.
#[utoipa::path(put, path = "/staff/rate-plans/{id}", tag = "rates", request_body = RatePlanInput,
    params(("id" = i64, Path, description = "Rate plan id")),
    responses(
        (status = 200, body = RatePlan),
        (status = 400, body = ErrorBody), StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "Name taken, another type, or a base plan given a derivation", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update_plan(
    State(state): State<AppState>,
    staff: StaffMember,
    RatePlanId(id): RatePlanId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<RatePlan>> {
    let input = check_plan(typed(body)?).map_err(AppError::BadRequest)?;
    Ok(Json(
        state
            .store
            .run(UpdatePlan {
                actor: staff.actor(),
                id,
                input,
            })
            .await?,
    ))
}

/// Takes a plan off sale; bookings made on it keep it. A base plan cannot be retired.
#[utoipa::path(delete, path = "/staff/rate-plans/{id}", tag = "rates",
    params(("id" = i64, Path, description = "Rate plan id")),
    responses(
        (status = 200, body = RatePlan), StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "A base plan", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retire_plan(
    State(state): State<AppState>,
    staff: StaffMember,
    RatePlanId(id): RatePlanId,
) -> AppResult<Json<RatePlan>> {
    Ok(Json(
        state
            .store
            .run(RetirePlan {
                actor: staff.actor(),
                id,
            })
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// First night (YYYY-MM-DD); today by default
    #[param(format = Date)]
    from: Option<String>,
    /// The morning after the last night (YYYY-MM-DD); 30 nights after `from` by default, at
    /// most 366
    #[param(format = Date)]
    to: Option<String>,
    /// Only this room type
    #[param(value_type = Option<i64>)]
    room_type_id: Option<String>,
}

/// The rates calendar: each plan of each room type on sale, each night's price and
/// restrictions.
#[utoipa::path(get, path = "/staff/rate-calendar", tag = "rates",
    params(CalendarQuery),
    responses(
        (status = 200, body = RateCalendar), (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "No such room type", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn calendar(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<CalendarQuery>,
) -> AppResult<Json<RateCalendar>> {
    let (from, to) = calendar_range(&state, &query)?;
    let room_type = query_number(query.room_type_id.as_deref(), "room_type_id")?;
    Ok(Json(
        state
            .store
            .run(ReadCalendar {
                from,
                to,
                room_type,
            })
            .await?,
    ))
}

/// Sets the price and restrictions of the nights `from` up to `to` (exclusive), on the chosen
/// `weekdays` only when given. A price (`amount`, or `adjust_percent` of what each night costs
/// now) is the type's base plan's; derived plans follow it. Restrictions hold for every plan
/// of the type, or for `rate_plan_id` alone. A field left out stays as it is; `null` clears it.
/// `{"changes": [...]}` makes up to 100 such changes, of any types and plans, in one
/// transaction: in order (a later one sees the earlier ones), all or none; the answer counts
/// every change's nights.
#[utoipa::path(put, path = "/staff/rate-calendar", tag = "rates", request_body = CalendarRequest,
    responses(
        (status = 200, body = CalendarChanged),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "No such room type or plan", body = ErrorBody),
        (status = 409, description = "The plan is of another room type", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_calendar(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Json<CalendarChanged>> {
    let changes = if body.contains_key("changes") {
        typed::<CalendarChanges>(body)?.changes
    } else {
        vec![typed::<CalendarChange>(body)?]
    };
    if changes.is_empty() || changes.len() > MAX_CHANGES {
        return Err(AppError::BadRequest(format!(
            "changes: 1 to {MAX_CHANGES} changes."
        )));
    }
    for (n, change) in changes.iter().enumerate() {
        check_calendar_change(change).map_err(|why| match changes.len() {
            1 => AppError::BadRequest(why),
            _ => AppError::BadRequest(format!("changes[{n}]: {why}")),
        })?;
    }
    Ok(Json(
        state
            .store
            .run(SetCalendar {
                actor: staff.actor(),
                changes,
            })
            .await?,
    ))
}

/// What each room type has left to sell, night by night, for up to 366 nights: rooms free
/// (neither held by a stay nor out of service) and why a night cannot be sold (`sold_out`,
/// or `closed` by the rates calendar). With the rates calendar, a channel manager reads a
/// year of availability, rates and restrictions in two requests.
#[utoipa::path(get, path = "/staff/availability", tag = "rates",
    params(CalendarQuery),
    responses(
        (status = 200, body = Availability), (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "No such room type", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn availability(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<CalendarQuery>,
) -> AppResult<Json<Availability>> {
    let (from, to) = calendar_range(&state, &query)?;
    let room_type = query_number(query.room_type_id.as_deref(), "room_type_id")?;
    Ok(Json(
        state
            .store
            .run(TypeNights {
                from,
                to,
                room_type,
            })
            .await?,
    ))
}

/// The nights a calendar query asks for: `from` (today) up to `to` (30 nights on), at most
/// `MAX_CALENDAR_NIGHTS`.
fn calendar_range(state: &AppState, query: &CalendarQuery) -> AppResult<(Date, Date)> {
    let from = query_date(query.from.as_deref(), "from")?.unwrap_or_else(|| state.clock.today());
    let to = match query_date(query.to.as_deref(), "to")? {
        Some(to) => to,
        None => from
            .checked_add_days(30)
            .ok_or_else(|| AppError::bad_request("from is too far ahead."))?,
    };
    let nights = days_between(from, to);
    if !(1..=MAX_CALENDAR_NIGHTS).contains(&nights) {
        return Err(AppError::BadRequest(format!(
            "to must be 1 to {MAX_CALENDAR_NIGHTS} days after from."
        )));
    }
    Ok((from, to))
}

/// The desk's quote: every plan, hidden ones too, with no restriction applied (the desk may
/// sell any night).
#[utoipa::path(get, path = "/staff/quote", tag = "rates",
    params(StayQuery),
    responses((status = 200, body = QuoteResponse), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn desk_quote(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<StayQuery>,
) -> AppResult<Json<QuoteResponse>> {
    let stay = query.stay(&state)?;
    let guests = query.guests()?;
    let (currency, options, _) = state
        .store
        .run(Quote {
            from: stay.check_in,
            to: stay.check_out,
            guests,
            today: state.clock.today(),
            now: jiff::Timestamp::now(),
            tz: state.clock.zone().clone(),
            all_plans: true,
            child_ages: Vec::new(),
        })
        .await?;
    // The desk is held to no limit of size or restriction: only rooms and beds count.
    let unavailable = why_unavailable(Ok(0), &options, 0, 1);
    Ok(Json(QuoteResponse {
        check_in: stay.check_in,
        check_out: stay.check_out,
        nights: stay.nights(),
        guests,
        currency,
        options,
        rooms: 1,
        unavailable,
        not_offered: Vec::new(),
    }))
}
