//! The back office: figures for a range of nights, and the audit log.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::staff::{AuditLog, Report};
use hotel_shared::taxes::{RevenuePeriod, RevenueReport};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use super::list_limit;
use crate::api::identity::StaffMember;
use crate::api::paging::{id_cursor, page};
use crate::domain::clock::HotelClock;
use crate::domain::{accounting, report, revenue as revenue_report};
use crate::error::{AppError, AppResult};
use crate::extract::{QueryOf, query_date, query_number};
use crate::state::AppState;
use crate::store::ops::audit::{AuditFilter, AuditTrail};
use crate::store::ops::invoices::{IssuedInRange, RevenueFacts};
use crate::store::ops::reads::ReportData;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report))
        .routes(routes!(report_csv))
        .routes(routes!(invoices_csv))
        .routes(routes!(revenue))
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

/// The same report as a CSV file, one line per night, for a spreadsheet.
#[utoipa::path(get, path = "/staff/report.csv", tag = "staff",
    params(RangeQuery),
    responses(
        (status = 200, description = "text/csv", content_type = "text/csv", body = String),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn report_csv(
    State(state): State<AppState>,
    staff: StaffMember,
    query: QueryOf<RangeQuery>,
) -> AppResult<Response> {
    let (from, to) = (
        query_date(query.0.from.as_deref(), "from")?,
        query_date(query.0.to.as_deref(), "to")?,
    );
    let Json(r) = report(State(state), staff, query).await?;
    let name = format!(
        "attachment; filename=\"report-{}-{}.csv\"",
        from.map(|d| d.to_string()).unwrap_or_default(),
        to.map(|d| d.to_string()).unwrap_or_default()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        report::csv(&r),
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IssuedQuery {
    /// First day of issue (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    from: Option<String>,
    /// Day after the last day of issue (YYYY-MM-DD): a month is `from=2026-12-01&to=2027-01-01`
    #[param(format = Date, required = true)]
    to: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevenueQuery {
    /// First day (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    from: Option<String>,
    /// Day after the last day (YYYY-MM-DD)
    #[param(format = Date, required = true)]
    to: Option<String>,
    /// `day` (the default) or `month`
    #[param(pattern = "^(day|month)$")]
    by: Option<String>,
}

/// Revenue as the accountant books it, for days `from` up to, not including, `to` (at most
/// 366 days), per day or per calendar month: the invoices issued then (cancellation invoices
/// count negative) per tax rate and per category (`lodging`, `food_and_beverage`, `other`,
/// `city_tax`), the payments less refunds posted then per method, and the city tax invoiced.
#[utoipa::path(get, path = "/staff/revenue", tag = "bills",
    params(RevenueQuery),
    responses(
        (status = 200, body = RevenueReport),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn revenue(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<RevenueQuery>,
) -> AppResult<Json<RevenueReport>> {
    let from = query_date(query.from.as_deref(), "from")?;
    let to = query_date(query.to.as_deref(), "to")?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::bad_request("from and to are required."));
    };
    report::check_range(from, to).map_err(AppError::BadRequest)?;
    let by = match query.by.as_deref() {
        None | Some("day") => RevenuePeriod::Day,
        Some("month") => RevenuePeriod::Month,
        Some(_) => return Err(AppError::bad_request("by must be day or month.")),
    };
    let (issued, taken) = state.store.run(RevenueFacts { from, to }).await?;
    let currency = state.store.currency().to_string();
    Ok(Json(revenue_report::build(
        from, to, by, &currency, &issued, &taken,
    )))
}

/// For the accountant: every line of every invoice issued on days `from` up to, not
/// including, `to` (at most 366 days), one CSV row each: the invoice's number and
/// date, the booking, the recipient (and their VAT id), the line's service date,
/// description, quantity, revenue category (`lodging`, `food_and_beverage`, `other`,
/// `city_tax`), tax rate (percent, empty when the line has none), net, tax and gross in the
/// currency's units with a point (`1234.50`). Payments are not revenue and are left out.
#[utoipa::path(get, path = "/staff/invoices.csv", tag = "bills",
    params(IssuedQuery),
    responses(
        (status = 200, description = "text/csv", content_type = "text/csv", body = String),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn invoices_csv(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IssuedQuery>,
) -> AppResult<Response> {
    let from = query_date(query.from.as_deref(), "from")?;
    let to = query_date(query.to.as_deref(), "to")?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::bad_request("from and to are required."));
    };
    report::check_range(from, to).map_err(AppError::BadRequest)?;
    let issued = state.store.run(IssuedInRange { from, to }).await?;
    let body = accounting::invoices_csv(&issued).map_err(AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"invoices-{from}-{to}.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// An action (`booking.check_in`) or a kind of action (`booking`, `room`, `user`, …)
    #[param(pattern = r"^[a-z_.]{0,64}$")]
    action: Option<String>,
    /// Username of whoever made the change
    actor: Option<String>,
    /// Changes to this booking (its id)
    #[param(value_type = Option<i64>)]
    booking: Option<String>,
    /// Changes on or after this day of the hotel (YYYY-MM-DD)
    #[param(format = Date)]
    from: Option<String>,
    /// Changes before this day of the hotel (YYYY-MM-DD)
    #[param(format = Date)]
    to: Option<String>,
    /// At most this many (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// `next_cursor` of the page before
    cursor: Option<String>,
    /// Entries older than this id (the older way to page; `cursor` does the same)
    #[param(value_type = Option<i64>)]
    before: Option<String>,
}

impl AuditQuery {
    fn filter(&self, clock: &HotelClock) -> AppResult<AuditFilter> {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let action = text(&self.action);
        if action.as_deref().is_some_and(|a| {
            a.len() > 64
                || !a
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
        }) {
            return Err(AppError::bad_request(
                "action must be an action such as booking.check_in, or a kind such as booking.",
            ));
        }
        let booking: Option<i64> = query_number(self.booking.as_deref(), "booking")?;
        let day = |raw: &Option<String>, name| -> AppResult<Option<String>> {
            query_date(raw.as_deref(), name)?
                .map(|d| {
                    clock
                        .day_starts(d)
                        .ok_or_else(|| AppError::BadRequest(format!("{name} is out of range.")))
                })
                .transpose()
        };
        let before = match (
            id_cursor(self.cursor.as_deref())?,
            query_number(self.before.as_deref(), "before")?,
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(AuditFilter {
            before,
            action,
            actor: text(&self.actor),
            entity: booking.map(|id| ("booking".to_string(), id.to_string())),
            since: day(&self.from, "from")?,
            until: day(&self.to, "to")?,
            limit: list_limit(query_number(self.limit.as_deref(), "limit")?)?,
        })
    }
}

/// Every change to bookings, rooms, rates, housekeeping and roles, newest first, narrowed by
/// action, who made it, booking and days; a page at a time (`next_cursor` continues to older
/// entries). Read-only, for everyone.
#[utoipa::path(get, path = "/staff/audit", tag = "staff",
    params(AuditQuery),
    responses(
        (status = 200, body = AuditLog),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<AuditQuery>,
) -> AppResult<Json<AuditLog>> {
    let filter = query.filter(&state.clock)?;
    let limit = filter.limit;
    let found = state
        .store
        .run(AuditTrail(AuditFilter {
            limit: limit + 1,
            ..filter
        }))
        .await?;
    let (entries, next_cursor) = page(found, limit, |e| vec![e.id.to_string()]);
    Ok(Json(AuditLog {
        entries,
        next_cursor,
    }))
}
