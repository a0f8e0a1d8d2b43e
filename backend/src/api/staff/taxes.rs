//! The hotel's tax rates (VAT): what invoices split each line by. Set up by staff; a rate
//! changed by law gets a new percent from the day the law says.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::taxes::{
    BasisPoints, CityTax, PriceBasisSetting, TaxPercentInput, TaxRate, TaxRateInput, TaxRateList,
    basis_points,
};
use hotel_shared::{ErrorBody, MessageResponse};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use crate::api::identity::StaffMember;
use crate::api::json::Json;
use crate::api::paging::{IdPageQuery, id_page};
use crate::domain::taxes::check_city_tax;
use crate::error::{AppError, AppResult};
use crate::extract::{JsonObject, QueryOf, TaxRateId, typed};
use crate::state::AppState;
use crate::store::ops::taxes::{
    CreateTaxRate, GetCityTax, GetPriceBasis, GetTaxRate, ListTaxRates, SetCityTax, SetPriceBasis,
    SetTaxPercent,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tax_rates, add_tax_rate))
        .routes(routes!(tax_rate))
        .routes(routes!(set_percent))
        .routes(routes!(city_tax, set_city_tax, remove_city_tax))
        .routes(routes!(price_basis, set_price_basis))
}

fn points(percent: f64) -> AppResult<BasisPoints> {
    basis_points(percent).ok_or_else(|| {
        AppError::bad_request(
            "percent must be from 0 to 100, with at most two decimals (7, 19, 7.7).",
        )
    })
}

/// Every tax rate, by id: its name, the percent of today and every percent it has had or
/// will have, each from its day on.
#[utoipa::path(get, path = "/staff/tax-rates", tag = "bills",
    params(IdPageQuery),
    responses((status = 200, body = TaxRateList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn tax_rates(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<TaxRateList>> {
    let limit = query.limit()?;
    let found = state
        .store
        .run(ListTaxRates {
            after: query.after()?.unwrap_or(0),
            limit: limit + 1,
            today: state.clock.today(),
        })
        .await?;
    let (tax_rates, next_cursor) = id_page(found, limit, |r| r.id);
    Ok(Json(TaxRateList {
        tax_rates,
        next_cursor,
    }))
}

/// Adds a tax rate ("Lodging", 7, from a day on). Prices stay as guests pay them; invoices
/// show each line's net and tax at its rate.
#[utoipa::path(post, path = "/staff/tax-rates", tag = "bills", request_body = TaxRateInput,
    responses(
        (status = 201, body = TaxRate),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 409, description = "A rate has this name already (`tax_rate_exists`)", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_tax_rate(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input: TaxRateInput = typed(body)?;
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err(AppError::bad_request("name must be 1 to 40 characters."));
    }
    let rate = state
        .store
        .run(CreateTaxRate {
            actor: staff.actor(),
            name,
            points: points(input.percent)?,
            valid_from: input.valid_from,
            today: state.clock.today(),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(rate)).into_response())
}

/// One tax rate.
#[utoipa::path(get, path = "/staff/tax-rates/{id}", tag = "bills",
    params(("id" = i64, Path, description = "Tax rate id")),
    responses((status = 200, body = TaxRate), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn tax_rate(
    State(state): State<AppState>,
    _staff: StaffMember,
    TaxRateId(id): TaxRateId,
) -> AppResult<Json<TaxRate>> {
    Ok(Json(
        state
            .store
            .run(GetTaxRate {
                id,
                today: state.clock.today(),
            })
            .await?,
    ))
}

/// Gives a rate a new percent from a day on, as a change in the law does; lines of earlier
/// days keep the percent of their day. A percent for a day the rate already has replaces it.
#[utoipa::path(post, path = "/staff/tax-rates/{id}/percents", tag = "bills",
    request_body = TaxPercentInput,
    params(("id" = i64, Path, description = "Tax rate id")),
    responses(
        (status = 200, body = TaxRate),
        (status = 400, body = ErrorBody), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_percent(
    State(state): State<AppState>,
    staff: StaffMember,
    TaxRateId(id): TaxRateId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<TaxRate>> {
    let input: TaxPercentInput = typed(body)?;
    Ok(Json(
        state
            .store
            .run(SetTaxPercent {
                actor: staff.actor(),
                id,
                points: points(input.percent)?,
                valid_from: input.valid_from,
                today: state.clock.today(),
            })
            .await?,
    ))
}

/// The city tax the hotel collects; 404 when it collects none.
#[utoipa::path(get, path = "/staff/city-tax", tag = "bills",
    responses((status = 200, body = CityTax), StaffOnly,
        (status = 404, description = "The hotel collects no city tax", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn city_tax(
    State(state): State<AppState>,
    _staff: StaffMember,
) -> AppResult<Json<CityTax>> {
    state
        .store
        .run(GetCityTax)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound("The hotel collects no city tax.".into()))
}

/// Sets the city tax: per guest and night (`amount`) or a percent of the room price, children
/// under `exempt_under_age` free (the desk says how many at check-in), at most `max_nights`.
/// Quotes show it from now on; check-in posts it on the bill. `included`: the room prices
/// hold it already (the bill then shows it split out of the room).
#[utoipa::path(put, path = "/staff/city-tax", tag = "bills", request_body = CityTax,
    responses((status = 200, body = CityTax), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_city_tax(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Json<CityTax>> {
    let rule = check_city_tax(typed(body)?).map_err(AppError::BadRequest)?;
    state
        .store
        .run(SetCityTax {
            actor: staff.actor(),
            rule: Some(rule.clone()),
        })
        .await?;
    Ok(Json(rule))
}

/// Stops collecting a city tax; bills it was posted on keep it.
#[utoipa::path(delete, path = "/staff/city-tax", tag = "bills",
    responses((status = 200, body = MessageResponse), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn remove_city_tax(
    State(state): State<AppState>,
    staff: StaffMember,
) -> AppResult<Json<MessageResponse>> {
    state
        .store
        .run(SetCityTax {
            actor: staff.actor(),
            rule: None,
        })
        .await?;
    Ok(Json(MessageResponse {
        message: "The hotel collects no city tax from now on.".into(),
    }))
}

/// Whether the prices the hotel enters are what guests pay (`gross`) or before VAT (`net`).
#[utoipa::path(get, path = "/staff/price-basis", tag = "bills",
    responses((status = 200, body = PriceBasisSetting), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn price_basis(
    State(state): State<AppState>,
    _staff: StaffMember,
) -> AppResult<Json<PriceBasisSetting>> {
    Ok(Json(state.store.run(GetPriceBasis).await?))
}

/// Sets whether the prices the hotel enters (room rates, the rates calendar, extras, the
/// amounts typed on a bill) include VAT. With `net`, guests pay each price plus the VAT of its
/// rate on its day, rounded per night or item; quotes, bookings and bills show what they pay,
/// and invoices each unit's net as entered. Prices keep their figures when switched; bookings
/// keep what they were booked at.
#[utoipa::path(put, path = "/staff/price-basis", tag = "bills", request_body = PriceBasisSetting,
    responses((status = 200, body = PriceBasisSetting), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_price_basis(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Json<PriceBasisSetting>> {
    let setting: PriceBasisSetting = typed(body)?;
    Ok(Json(
        state
            .store
            .run(SetPriceBasis {
                actor: staff.actor(),
                basis: setting.basis,
            })
            .await?,
    ))
}
