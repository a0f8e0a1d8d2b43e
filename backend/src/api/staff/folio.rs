//! Bills: the hotel's extras, and each stay's bill with its charges, payments and invoice.
//! Payments are recorded here, not charged: a card gateway would take the money before
//! `PostPayment` runs and record only what it took.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::folio::{
    Bill, ChargeInput, Extra, ExtraInput, ExtraList, InvoiceDocument, InvoiceList,
    InvoiceRecipient, PaymentInput,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use crate::api::identity::StaffMember;
use crate::api::paging::{IdPageQuery, id_page, page_by_id};
use crate::domain::folio::invoice_recipient;
use crate::error::{AppError, AppResult};
use crate::extract::{BookingId, ExtraId, JsonObject, QueryOf, typed};
use crate::state::AppState;
use crate::store::ops::corrections::CancelInvoice;
use crate::store::ops::extras::{ListExtras, RetireExtra, SaveExtra};
use crate::store::ops::folio::{
    FindInvoice, IssueInvoice, IssuedInvoice, PostCharge, PostPayment, ReadBill,
};
use crate::store::ops::invoices::BookingInvoices;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(extras, add_extra))
        .routes(routes!(change_extra, retire_extra))
        .routes(routes!(restore_extra))
        .routes(routes!(bill))
        .routes(routes!(charge))
        .routes(routes!(pay))
        .routes(routes!(invoice, issue_invoice))
        .routes(routes!(cancel_invoice))
        .routes(routes!(invoices))
}

fn checked(input: ExtraInput) -> AppResult<ExtraInput> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AppError::bad_request("name must be 1 to 64 characters."));
    }
    if !(0..=100_000_000).contains(&input.price) {
        return Err(AppError::bad_request(
            "price must be from 0 to 100000000 minor units.",
        ));
    }
    Ok(input)
}

/// The extras the desk can post on a bill (breakfast, parking, minibar, city tax, …).
#[utoipa::path(get, path = "/staff/extras", tag = "bills",
    params(IdPageQuery),
    responses((status = 200, body = ExtraList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn extras(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<ExtraList>> {
    let (extras, next_cursor) = page_by_id(state.store.run(ListExtras).await?, &query, |e| e.id)?;
    Ok(Json(ExtraList {
        extras,
        next_cursor,
    }))
}

/// Adds an extra to the list.
#[utoipa::path(post, path = "/staff/extras", tag = "bills", request_body = ExtraInput,
    responses(
        (status = 201, body = Extra),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "No such tax rate", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_extra(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input = checked(typed(body)?)?;
    let extra = state
        .store
        .run(SaveExtra {
            actor: staff.actor(),
            id: None,
            input,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(extra)).into_response())
}

/// Changes an extra's name, price or kind; what was posted keeps its old price.
#[utoipa::path(put, path = "/staff/extras/{id}", tag = "bills", request_body = ExtraInput,
    params(("id" = i64, Path, description = "Extra id")),
    responses(
        (status = 200, body = Extra),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change_extra(
    State(state): State<AppState>,
    staff: StaffMember,
    ExtraId(id): ExtraId,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Extra>> {
    let input = checked(typed(body)?)?;
    Ok(Json(
        state
            .store
            .run(SaveExtra {
                actor: staff.actor(),
                id: Some(id),
                input,
            })
            .await?,
    ))
}

/// Takes an extra off the list; bills keep what was posted.
#[utoipa::path(delete, path = "/staff/extras/{id}", tag = "bills",
    params(("id" = i64, Path, description = "Extra id")),
    responses((status = 200, body = Extra), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn retire_extra(
    State(state): State<AppState>,
    staff: StaffMember,
    ExtraId(id): ExtraId,
) -> AppResult<Json<Extra>> {
    set_retired(&state, &staff, id, true).await
}

/// Puts a retired extra back on the list.
#[utoipa::path(post, path = "/staff/extras/{id}/restore", tag = "bills",
    params(("id" = i64, Path, description = "Extra id")),
    responses((status = 200, body = Extra), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn restore_extra(
    State(state): State<AppState>,
    staff: StaffMember,
    ExtraId(id): ExtraId,
) -> AppResult<Json<Extra>> {
    set_retired(&state, &staff, id, false).await
}

async fn set_retired(
    state: &AppState,
    staff: &StaffMember,
    id: i64,
    retired: bool,
) -> AppResult<Json<Extra>> {
    Ok(Json(
        state
            .store
            .run(RetireExtra {
                actor: staff.actor(),
                id,
                retired,
            })
            .await?,
    ))
}

/// A stay's bill: room nights at the booked rate, what the desk posted, payments, the balance
/// and the invoice once issued.
#[utoipa::path(get, path = "/staff/bookings/{id}/bill", tag = "bills",
    params(("id" = i64, Path, description = "Booking id")),
    responses((status = 200, body = Bill), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn bill(
    State(state): State<AppState>,
    _staff: StaffMember,
    BookingId(id): BookingId,
) -> AppResult<Json<Bill>> {
    Ok(Json(state.store.run(ReadBill { id }).await?))
}

/// Posts an extra of the list, a charge or a discount on a stay's bill (written to the audit
/// log); the bill as it now stands.
#[utoipa::path(post, path = "/staff/bookings/{id}/charges", tag = "bills", request_body = ChargeInput,
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 201, body = Bill),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "No such booking or extra", body = ErrorBody),
        (status = 409, description = "Invoice issued, or the stay was cancelled", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn charge(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input: ChargeInput = typed(body)?;
    let bill = state
        .store
        .run(PostCharge {
            actor: staff.actor(),
            id,
            input,
            today: state.clock.today(),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(bill)).into_response())
}

/// Records a payment (cash, card terminal, bank transfer) or, with `refund`, money given
/// back; the bill as it now stands.
#[utoipa::path(post, path = "/staff/bookings/{id}/payments", tag = "bills", request_body = PaymentInput,
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 201, body = Bill),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, body = ErrorBody),
        (status = 409, description = "A refund larger than what was paid", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn pay(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input: PaymentInput = typed(body)?;
    let bill = state
        .store
        .run(PostPayment {
            actor: staff.actor(),
            id,
            input,
            today: state.clock.today(),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(bill)).into_response())
}

fn document(issued: IssuedInvoice) -> AppResult<InvoiceDocument> {
    Ok(crate::store::ops::invoices::document(
        issued.invoice,
        &issued.lines_json,
    )?)
}

/// Issues the stay's invoice with the year's next number (201), or gives the one issued
/// before (200). From then on nothing more is charged on the bill; payments still land. It
/// is made out to the guest at their profile's address, or to whom the body names (a
/// company with its address and VAT id for a business stay).
#[utoipa::path(post, path = "/staff/bookings/{id}/invoice", tag = "bills",
    request_body(content = Option<InvoiceRecipient>, description = "May be left out"),
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 201, description = "Issued now", body = InvoiceDocument),
        (status = 200, description = "Issued before", body = InvoiceDocument),
        (status = 400, description = "An incomplete recipient", body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 409, description = "The stay has not begun", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn issue_invoice(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let to = invoice_recipient(typed(body)?).map_err(AppError::BadRequest)?;
    let issued = state
        .store
        .run(IssueInvoice {
            actor: staff.actor(),
            id,
            today: state.clock.today(),
            to,
        })
        .await?;
    let status = if issued.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(document(issued)?)).into_response())
}

/// The stay's invoice as issued; 404 before it is.
#[utoipa::path(get, path = "/staff/bookings/{id}/invoice", tag = "bills",
    params(("id" = i64, Path, description = "Booking id")),
    responses((status = 200, body = InvoiceDocument), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn invoice(
    State(state): State<AppState>,
    _staff: StaffMember,
    BookingId(id): BookingId,
) -> AppResult<Json<InvoiceDocument>> {
    let issued = state
        .store
        .run(FindInvoice { id })
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Booking {id} has no invoice yet.")))?;
    Ok(Json(document(issued)?))
}

/// Reverses the stay's invoice with a cancellation invoice (Stornorechnung): the year's next
/// number, the original's charges negated, its recipient. The original stays as issued,
/// marked cancelled; the bill takes charges again, and the next `POST …/invoice` issues a new
/// invoice with its own number.
#[utoipa::path(post, path = "/staff/bookings/{id}/invoice/cancel", tag = "bills",
    params(("id" = i64, Path, description = "Booking id")),
    responses(
        (status = 201, description = "The cancellation invoice", body = InvoiceDocument),
        StaffOnly,
        (status = 404, description = "No such booking, or no invoice to cancel", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn cancel_invoice(
    State(state): State<AppState>,
    staff: StaffMember,
    BookingId(id): BookingId,
) -> AppResult<Response> {
    let cancellation = state
        .store
        .run(CancelInvoice {
            actor: staff.actor(),
            id,
            today: state.clock.today(),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(cancellation)).into_response())
}

/// Every invoice of the stay as issued, in order: cancelled ones (`cancelled_by`),
/// cancellation invoices (`cancels`) and the current one.
#[utoipa::path(get, path = "/staff/bookings/{id}/invoices", tag = "bills",
    params(("id" = i64, Path, description = "Booking id"), IdPageQuery),
    responses((status = 200, body = InvoiceList), (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn invoices(
    State(state): State<AppState>,
    _staff: StaffMember,
    BookingId(id): BookingId,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<InvoiceList>> {
    let limit = query.limit()?;
    let found = state
        .store
        .run(BookingInvoices {
            id,
            after: query.after()?.unwrap_or(0),
            limit: limit + 1,
        })
        .await?;
    let (page, next_cursor) = id_page(found, limit, |(row, _)| *row);
    Ok(Json(InvoiceList {
        invoices: page.into_iter().map(|(_, d)| d).collect(),
        next_cursor,
    }))
}
