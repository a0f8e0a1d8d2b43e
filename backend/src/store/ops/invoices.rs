//! Issued invoices as they are kept: read by the bill (`folio.rs`), and by the mail worker for
//! the PDF the guest is sent after check-out.

use hotel_shared::Date;
use hotel_shared::folio::{Invoice, InvoiceDocument, RevenueCategory};

use crate::domain::accounting::IssuedLines;
use crate::domain::folio::invoice_number;
use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

/// The invoice of a booking, if issued, with its lines as JSON.
pub(super) async fn invoice_of<T: Tx>(
    tx: &mut T,
    booking_id: i64,
) -> StoreResult<Option<(Invoice, String)>> {
    query_opt(
        tx,
        "SELECT year, number, issued_on, total, lines_json, recipient, recipient_vat_id, \
         supplier_json FROM invoices WHERE booking_id = $1",
        params![booking_id],
    )
    .await?
    .map(|r| {
        let year = i32::try_from(r.int("year")?).unwrap_or_default();
        let sequence = r.int("number")?;
        Ok((
            Invoice {
                number: invoice_number(year, sequence),
                year,
                sequence,
                issued_on: r.date("issued_on")?,
                total: r.int("total")?,
                recipient: r.opt_text("recipient")?,
                recipient_vat_id: r.opt_text("recipient_vat_id")?,
                supplier: r
                    .opt_text("supplier_json")?
                    .map(|json| serde_json::from_str(&json))
                    .transpose()
                    .map_err(|e| StoreError::Database(format!("stored supplier: {e}")))?,
            },
            r.text("lines_json")?,
        ))
    })
    .transpose()
}

/// The invoice of a booking as issued, its lines read back.
pub(super) async fn invoice_document<T: Tx>(
    tx: &mut T,
    booking_id: i64,
) -> StoreResult<Option<InvoiceDocument>> {
    invoice_of(tx, booking_id)
        .await?
        .map(|(invoice, lines_json)| {
            let lines: Vec<hotel_shared::folio::BillLine> = serde_json::from_str(&lines_json)
                .map_err(|e| StoreError::Database(format!("stored invoice lines: {e}")))?;
            Ok(InvoiceDocument {
                invoice,
                totals_by_rate: hotel_shared::folio::tax_totals(&lines),
                lines,
            })
        })
        .transpose()
}

/// Every invoice issued on days `from` up to, not including, `to`, in the order of their
/// numbers, with its lines as issued and the revenue category of each posted line.
pub struct IssuedInRange {
    pub from: Date,
    pub to: Date,
}

impl Op for IssuedInRange {
    type Out = Vec<IssuedLines>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<IssuedLines>> {
        let currency = tx.currency().to_string();
        let rows = tx
            .query(
                "SELECT i.booking_id, b.reference FROM invoices i \
                 JOIN bookings b ON b.id = i.booking_id \
                 WHERE i.issued_on >= $1 AND i.issued_on < $2 ORDER BY i.year, i.number",
                params![self.from, self.to],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let booking = row.int("booking_id")?;
            let Some(document) = invoice_document(tx, booking).await? else {
                continue;
            };
            // A posting keeps the category it was posted with; one posted before categories
            // were kept takes its extra's.
            let categories = tx
                .query(
                    "SELECT p.id, COALESCE(p.category, e.category, 'other') AS category \
                     FROM postings p LEFT JOIN extras e ON e.id = p.extra_id \
                     WHERE p.booking_id = $1",
                    params![booking],
                )
                .await?
                .iter()
                .map(|r| {
                    Ok((
                        r.int("id")?,
                        RevenueCategory::parse(&r.text("category")?).unwrap_or_default(),
                    ))
                })
                .collect::<StoreResult<Vec<_>>>()?;
            out.push(IssuedLines {
                invoice: document.invoice,
                reference: row.text("reference")?,
                currency: currency.clone(),
                lines: document.lines,
                categories,
            });
        }
        Ok(out)
    }
}
