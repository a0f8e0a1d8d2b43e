//! Correcting an issued invoice: a cancellation invoice (Stornorechnung) reverses it, and the
//! guest is mailed it as they were the invoice.

use hotel_shared::AuditAction;
use hotel_shared::Date;
use hotel_shared::folio::{BillLine, Invoice, InvoiceDocument};

use super::invoices::{current_invoice, next_number, reverse};
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::folio::invoice_number;
use crate::store::sql::{Op, Tx, params};
use crate::store::{StoreError, StoreResult};

/// Reverses a stay's current invoice with a cancellation invoice (Stornorechnung): the
/// year's next number, every charge of the original negated, the same recipient and
/// supplier. The original is marked cancelled and stays as issued; the bill takes charges
/// again, and the next invoice issued is a new one with its own number.
pub struct CancelInvoice {
    pub actor: Actor,
    pub id: i64,
    pub today: Date,
}

impl Op for CancelInvoice {
    type Out = InvoiceDocument;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<InvoiceDocument> {
        let booking = super::booking_by_id(tx, self.id).await?.booking;
        let original = current_invoice(tx, self.id)
            .await?
            .ok_or(DomainError::NoInvoiceToCancel(self.id))?;
        let lines: Vec<BillLine> = serde_json::from_str(&original.lines_json)
            .map_err(|e| StoreError::Database(format!("stored invoice lines: {e}")))?;
        let reversed = reverse(&lines);
        let lines_json =
            serde_json::to_string(&reversed).map_err(|e| StoreError::Database(e.to_string()))?;
        let year = self.today.year();
        let next = next_number(tx, year).await?;
        let from = &original.invoice;
        let supplier_json = from
            .supplier
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Database(e.to_string()))?;
        tx.execute(
            "UPDATE invoices SET cancelled = 1 WHERE id = $1",
            params![original.id],
        )
        .await?;
        let row = tx
            .insert_id(
                "INSERT INTO invoices (booking_id, year, number, issued_on, total, lines_json, \
             recipient, recipient_vat_id, supplier_json, cancels) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                params![
                    self.id,
                    i64::from(year),
                    next,
                    self.today,
                    -from.total,
                    &lines_json,
                    from.recipient.clone(),
                    from.recipient_vat_id.clone(),
                    supplier_json,
                    original.id
                ],
            )
            .await?;
        let cancellation = Invoice {
            number: invoice_number(year, next),
            year,
            sequence: next,
            issued_on: self.today,
            total: -from.total,
            recipient: from.recipient.clone(),
            recipient_vat_id: from.recipient_vat_id.clone(),
            supplier: from.supplier.clone(),
            cancels: Some(from.number.clone()),
            cancelled_by: None,
        };
        audit(
            tx,
            &self.actor,
            AuditAction::InvoiceCancel,
            "booking",
            self.id,
            Some(from),
            Some(&cancellation),
        )
        .await?;
        // The guest gets the cancellation invoice too, as they got the invoice.
        super::mail::enqueue_invoice(tx, &booking, row).await?;
        Ok(InvoiceDocument {
            invoice: cancellation,
            totals_by_rate: hotel_shared::folio::tax_totals(&reversed),
            lines: reversed,
        })
    }
}
