//! Guests as people: profiles the desk finds, adds (with duplicate detection) and keeps, a
//! guest's stays on one page, and what the law gives a guest over their data: all of it in
//! one document, and erased.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::guests::{Guest, GuestInput, GuestList, GuestRecord};
use hotel_shared::privacy::{GuestErased, GuestExport};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{StaffOnly, list_limit};
use crate::api::identity::StaffMember;
use crate::api::paging::{name_cursor, page};
use crate::domain::guests::check_guest;
use crate::error::{AppError, AppResult};
use crate::extract::{GuestId, JsonObject, QueryOf, query_number, typed};
use crate::state::AppState;
use crate::store::ops::guests::{AddGuest, GuestHistory, SearchGuests, UpdateGuest};
use crate::store::ops::privacy::{EraseGuest, ExportGuest};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search, add))
        .routes(routes!(record, update))
        .routes(routes!(export))
        .routes(routes!(erase))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuestQuery {
    /// Part of the name or e-mail address, or of the telephone number's digits
    q: Option<String>,
    /// At most this many (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// `next_cursor` of the page before
    cursor: Option<String>,
}

/// Guest profiles by name, narrowed by `q`; a page at a time.
#[utoipa::path(get, path = "/staff/guests", tag = "guests",
    params(GuestQuery),
    responses((status = 200, body = GuestList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn search(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<GuestQuery>,
) -> AppResult<Json<GuestList>> {
    let limit = list_limit(query_number(query.limit.as_deref(), "limit")?)?;
    let after = name_cursor(query.cursor.as_deref())?;
    let found = state
        .store
        .run(SearchGuests {
            q: query.q,
            after,
            limit: limit + 1,
        })
        .await?;
    let (guests, next_cursor) = page(found, limit, |g| {
        vec![g.full_name.to_lowercase(), g.id.to_string()]
    });
    Ok(Json(GuestList {
        guests,
        next_cursor,
    }))
}

/// Adds a guest profile (a walk-in, a telephone booking). One that looks like a guest the
/// hotel knows (same e-mail address, telephone number or name) is refused with
/// `possible_duplicate`, naming them, unless `allow_duplicate`.
#[utoipa::path(post, path = "/staff/guests", tag = "guests", request_body = GuestInput,
    responses(
        (status = 201, body = Guest),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 409, description = "Looks like a guest the hotel knows", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input = check_guest(typed(body)?).map_err(AppError::BadRequest)?;
    let tail = crate::domain::bookings::new_reference()
        .map_err(AppError::Internal)?
        .to_lowercase();
    let guest = state
        .store
        .run(AddGuest {
            actor: staff.actor(),
            input,
            tail,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(guest)).into_response())
}

/// A guest's profile and their latest stays, newest first.
#[utoipa::path(get, path = "/staff/guests/{id}", tag = "guests",
    params(("id" = i64, Path, description = "Guest id")),
    responses((status = 200, body = GuestRecord), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn record(
    State(state): State<AppState>,
    _staff: StaffMember,
    GuestId(id): GuestId,
) -> AppResult<Json<GuestRecord>> {
    Ok(Json(state.store.run(GuestHistory { id }).await?))
}

/// Changes a guest's profile (written to the audit log).
#[utoipa::path(put, path = "/staff/guests/{id}", tag = "guests", request_body = GuestInput,
    params(("id" = i64, Path, description = "Guest id")),
    responses(
        (status = 200, body = Guest),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn update(
    State(state): State<AppState>,
    staff: StaffMember,
    GuestId(id): GuestId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Guest>> {
    let input = check_guest(typed(body)?).map_err(AppError::BadRequest)?;
    Ok(Json(
        state
            .store
            .run(UpdateGuest {
                actor: staff.actor(),
                id,
                input,
            })
            .await?,
    ))
}

/// Everything the hotel keeps about a guest, as one JSON document to hand them: profile,
/// account, stays, bills and invoices, and the audit log's entries about them. The export is
/// itself audited (`guest.export`).
#[utoipa::path(get, path = "/staff/guests/{id}/export", tag = "guests",
    params(("id" = i64, Path, description = "Guest id")),
    responses((status = 200, body = GuestExport), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn export(
    State(state): State<AppState>,
    staff: StaffMember,
    GuestId(id): GuestId,
) -> AppResult<Response> {
    let export = state
        .store
        .run(ExportGuest {
            actor: staff.actor(),
            guest_id: id,
        })
        .await?;
    Ok(crate::api::json::attachment(
        Json(export),
        &format!("guest-{id}.json"),
    ))
}

/// Erases a guest on their request: the profile and account keep a placeholder name and
/// nothing else, the account's sessions end, and their name, contact details and identity
/// document are taken out of the audit log and the bills. Stays, amounts and dates stay, and
/// an issued invoice keeps the name and address it was issued to, as the law asks (the answer
/// lists them). Refused (409) for a guest in house (`guest_in_house`), with a stay to come
/// (`guest_has_stays_ahead`), with a bill not settled (`balance_open`), or for a staff
/// account (`not_a_guest`). Audited as `guest.erase`, without the erased data. Afterwards the
/// database is rewritten so nothing erased can be read back from its files.
#[utoipa::path(post, path = "/staff/guests/{id}/erase", tag = "guests",
    params(("id" = i64, Path, description = "Guest id")),
    responses(
        (status = 200, body = GuestErased), StaffOnly,
        (status = 404, body = ErrorBody),
        (status = 409, description = "In house, a stay to come, a bill not settled, or a staff account", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn erase(
    State(state): State<AppState>,
    staff: StaffMember,
    GuestId(id): GuestId,
) -> AppResult<Json<GuestErased>> {
    let erasure = state
        .store
        .run(EraseGuest {
            actor: staff.actor(),
            guest_id: id,
            today: state.clock.today(),
        })
        .await?;
    // Nor may a password this server checked a moment ago sign in to the erased account.
    state.auth.forget_passwords_of(erasure.user_id);
    for digest in &erasure.ended_sessions {
        state.auth.forget_session(digest);
    }
    state.store.compact().await?;
    Ok(Json(erasure.erased))
}
