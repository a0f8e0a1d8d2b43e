//! An invoice as a PDF for the desk to print or hand over: the same document, from the same
//! source, as the one mailed after check-out, in the guest's language or the one asked for.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use hotel_shared::{ErrorBody, Language};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use crate::api::identity::StaffMember;
use crate::domain::folio::parse_invoice_number;
use crate::error::{AppError, AppResult};
use crate::extract::{BookingId, QueryOf};
use crate::mail::invoice_pdf::InvoiceSheet;
use crate::state::AppState;
use crate::store::ops::invoices::InvoiceSheet as ReadSheet;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(invoice_pdf))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    /// The invoice's number as printed (`2026-0007`): a cancelled one or a cancellation
    /// invoice; the current invoice when absent
    #[param(pattern = "^[0-9]{4}-[0-9]{1,9}$")]
    number: Option<String>,
    /// `en` or `de`; the guest's language when absent
    #[param(pattern = "^(en|de)$")]
    language: Option<String>,
}

/// One of the stay's invoices as an A4 PDF: every legal field (the hotel's legal name,
/// address, tax number and VAT id; the recipient and their VAT id; number and date; each
/// line's service date, quantity, net, rate, tax and gross; totals per rate; payments and
/// the balance), nothing of the desk's screen.
#[utoipa::path(get, path = "/staff/bookings/{id}/invoice.pdf", tag = "bills",
    params(("id" = i64, Path, description = "Booking id"), SheetQuery),
    responses(
        (status = 200, description = "application/pdf", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 404, description = "No such booking, or no such invoice of it", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    _staff: StaffMember,
    BookingId(id): BookingId,
    QueryOf(query): QueryOf<SheetQuery>,
) -> AppResult<Response> {
    let number = query
        .number
        .as_deref()
        .map(|n| {
            parse_invoice_number(n)
                .ok_or_else(|| AppError::bad_request("number must be written like 2026-0007."))
        })
        .transpose()?;
    let language = query
        .language
        .as_deref()
        .map(|l| {
            Language::parse(l).ok_or_else(|| AppError::bad_request("language must be en or de."))
        })
        .transpose()?;
    let facts = state.store.run(ReadSheet { id, number }).await?;
    let document = &facts.document;
    let pdf = InvoiceSheet {
        language: language.unwrap_or(facts.language),
        hotel: &facts.hotel,
        invoice: &document.invoice,
        lines: &document.lines,
        reference: &facts.booking.reference,
        stay: Some((facts.booking.check_in, facts.booking.check_out)),
        currency: &facts.booking.currency,
    }
    .render();
    let name = format!(
        "inline; filename=\"invoice-{}.pdf\"",
        document.invoice.number
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        pdf,
    )
        .into_response())
}
