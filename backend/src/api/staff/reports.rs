//! The back office: figures for a range of nights, and the audit log.

use axum::Json;
use axum::extract::State;
use hotel_shared::ErrorBody;
use hotel_shared::staff::{AuditLog, Report};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use super::list_limit;
use crate::api::identity::StaffMember;
use crate::domain::report;
use crate::error::{AppError, AppResult};
use crate::extract::{QueryOf, query_date, query_number};
use crate::state::AppState;
use crate::store::ops::reads::{AuditTrail, ReportData};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report))
        .routes(routes!(audit))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First night (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    from: Option<String>,
    /// Day after the last night (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    to: Option<String>,
}

/// Occupancy, rooms sold, revenue, ADR and RevPAR for nights `from` up to, not including,
/// `to`, with one entry per night.
#[utoipa::path(get, path = "/staff/report", tag = "staff",
    params(RangeQuery),
    responses(
        (status = 200, body = Report),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn report(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<RangeQuery>,
) -> AppResult<Json<Report>> {
    let from = query_date(query.from.as_deref(), "from")?;
    let to = query_date(query.to.as_deref(), "to")?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::bad_request("from and to are required."));
    };
    report::check_range(from, to).map_err(AppError::BadRequest)?;
    let facts = state.store.run(ReportData { from, to }).await?;
    Ok(Json(report::build(from, to, &facts)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Entries older than this id (for paging)
    #[param(value_type = Option<i64>)]
    before: Option<String>,
    /// At most this many (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// Every change to bookings, rooms, rates and roles, newest first. Read-only, for everyone.
#[utoipa::path(get, path = "/staff/audit", tag = "staff",
    params(PageQuery),
    responses(
        (status = 200, body = AuditLog),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<PageQuery>,
) -> AppResult<Json<AuditLog>> {
    let entries = state
        .store
        .run(AuditTrail {
            before: query_number(query.before.as_deref(), "before")?,
            limit: list_limit(query_number(query.limit.as_deref(), "limit")?)?,
        })
        .await?;
    Ok(Json(AuditLog { entries }))
}
