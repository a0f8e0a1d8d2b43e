//! Issued invoices as they are kept: read by the bill (`folio.rs`), and by the mail worker for
//! the PDF the guest is sent after check-out.

use std::collections::HashMap;

use hotel_shared::Date;
use hotel_shared::folio::{
    BillLine, Invoice, InvoiceDocument, LineKind, LineTax, PaymentMethod, RevenueCategory,
};

use crate::domain::DomainError;
use crate::domain::accounting::IssuedLines;
use crate::domain::folio::invoice_number;
use crate::domain::revenue::Taken;
use crate::store::sql::{Op, SqlRow, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

/// What every read of an invoice selects: the row, and the numbers of the invoice it
/// cancels and of the one that cancelled it.
const SELECT: &str = "SELECT i.id, i.booking_id, i.year, i.number, i.issued_on, i.total, \
     i.lines_json, i.recipient, i.recipient_vat_id, i.supplier_json, \
     o.year AS cancels_year, o.number AS cancels_number, \
     c.year AS cancelled_year, c.number AS cancelled_number \
     FROM invoices i LEFT JOIN invoices o ON o.id = i.cancels \
     LEFT JOIN invoices c ON c.cancels = i.id";

/// An invoice as kept: its row id, its booking, the invoice, and its lines as JSON.
pub(super) struct Kept {
    pub id: i64,
    pub booking_id: i64,
    pub invoice: Invoice,
    pub lines_json: String,
}

fn kept(r: &SqlRow) -> StoreResult<Kept> {
    let number_of = |year: Option<i64>, number: Option<i64>| {
        Some(invoice_number(
            i32::try_from(year?).unwrap_or_default(),
            number?,
        ))
    };
    let year = i32::try_from(r.int("year")?).unwrap_or_default();
    let sequence = r.int("number")?;
    Ok(Kept {
        id: r.int("id")?,
        booking_id: r.int("booking_id")?,
        invoice: Invoice {
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
            cancels: number_of(r.opt_int("cancels_year")?, r.opt_int("cancels_number")?),
            cancelled_by: number_of(r.opt_int("cancelled_year")?, r.opt_int("cancelled_number")?),
        },
        lines_json: r.text("lines_json")?,
    })
}

/// The booking's current invoice (issued, neither a cancellation nor cancelled), if any.
pub(super) async fn current_invoice<T: Tx>(
    tx: &mut T,
    booking_id: i64,
) -> StoreResult<Option<Kept>> {
    query_opt(
        tx,
        &format!("{SELECT} WHERE i.booking_id = $1 AND i.cancels IS NULL AND i.cancelled = 0"),
        params![booking_id],
    )
    .await?
    .map(|r| kept(&r))
    .transpose()
}

/// The current invoice of a booking, with its lines as JSON.
pub(super) async fn invoice_of<T: Tx>(
    tx: &mut T,
    booking_id: i64,
) -> StoreResult<Option<(Invoice, String)>> {
    Ok(current_invoice(tx, booking_id)
        .await?
        .map(|k| (k.invoice, k.lines_json)))
}

/// An invoice's lines read back, with its totals per rate.
pub fn document(invoice: Invoice, lines_json: &str) -> StoreResult<InvoiceDocument> {
    let lines: Vec<BillLine> = serde_json::from_str(lines_json)
        .map_err(|e| StoreError::Database(format!("stored invoice lines: {e}")))?;
    Ok(InvoiceDocument {
        invoice,
        totals_by_rate: hotel_shared::folio::tax_totals(&lines),
        lines,
    })
}

/// The current invoice of a booking as issued, its lines read back.
pub(super) async fn invoice_document<T: Tx>(
    tx: &mut T,
    booking_id: i64,
) -> StoreResult<Option<InvoiceDocument>> {
    invoice_of(tx, booking_id)
        .await?
        .map(|(invoice, lines_json)| document(invoice, &lines_json))
        .transpose()
}

/// Invoice row `id` as issued, its lines read back: what an invoice's mail attaches, the one
/// its transaction issued even if a later one has replaced it since.
pub(super) async fn document_by_row<T: Tx>(
    tx: &mut T,
    id: i64,
) -> StoreResult<Option<InvoiceDocument>> {
    query_opt(tx, &format!("{SELECT} WHERE i.id = $1"), params![id])
        .await?
        .map(|r| {
            let k = kept(&r)?;
            document(k.invoice, &k.lines_json)
        })
        .transpose()
}

/// Every invoice of a booking (cancelled ones and cancellations too), in the order issued,
/// after row `after`, at most `limit`.
pub struct BookingInvoices {
    pub id: i64,
    pub after: i64,
    pub limit: u32,
}

impl Op for BookingInvoices {
    /// Row id and document.
    type Out = Vec<(i64, InvoiceDocument)>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        super::booking_by_id(tx, self.id).await?;
        let rows = tx
            .query(
                &format!("{SELECT} WHERE i.booking_id = $1 AND i.id > $2 ORDER BY i.id LIMIT $3"),
                params![self.id, self.after, self.limit],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let k = kept(r)?;
                Ok((k.id, document(k.invoice, &k.lines_json)?))
            })
            .collect()
    }
}

/// The year's next invoice number: its highest plus one, read in the transaction that
/// writes it, so a transaction that fails leaves no gap.
pub(super) async fn next_number<T: Tx>(tx: &mut T, year: i32) -> StoreResult<i64> {
    Ok(query_opt(
        tx,
        "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM invoices WHERE year = $1",
        params![i64::from(year)],
    )
    .await?
    .map(|r| r.int("next"))
    .transpose()?
    .unwrap_or(1))
}

/// The lines of a cancellation invoice: each charge, discount and room line of the original
/// with its amount, net, tax and gross negated; payments are not reversed by it.
pub fn reverse(lines: &[BillLine]) -> Vec<BillLine> {
    lines
        .iter()
        .filter(|l| {
            matches!(
                l.kind,
                LineKind::Room | LineKind::Charge | LineKind::Discount
            )
        })
        .map(|l| BillLine {
            amount: -l.amount,
            tax: l.tax.as_ref().map(|t| LineTax {
                net: -t.net,
                tax: -t.tax,
                gross: -t.gross,
                ..t.clone()
            }),
            ..l.clone()
        })
        .collect()
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
                &format!(
                    "{SELECT} WHERE i.issued_on >= $1 AND i.issued_on < $2 \
                     ORDER BY i.year, i.number"
                ),
                params![self.from, self.to],
            )
            .await?;
        // The stays' references and their postings' categories, read once for the range.
        let in_range = "SELECT booking_id FROM invoices WHERE issued_on >= $1 AND issued_on < $2";
        let references: HashMap<i64, String> = tx
            .query(
                &format!("SELECT id, reference FROM bookings WHERE id IN ({in_range})"),
                params![self.from, self.to],
            )
            .await?
            .iter()
            .map(|r| Ok((r.int("id")?, r.text("reference")?)))
            .collect::<StoreResult<_>>()?;
        // A posting keeps the category it was posted with; one posted before categories were
        // kept takes its extra's.
        let mut categories: HashMap<i64, Vec<(i64, RevenueCategory)>> = HashMap::new();
        for r in tx
            .query(
                &format!(
                    "SELECT p.booking_id, p.id, COALESCE(p.category, e.category, 'other') AS category \
                     FROM postings p LEFT JOIN extras e ON e.id = p.extra_id \
                     WHERE p.booking_id IN ({in_range})"
                ),
                params![self.from, self.to],
            )
            .await?
        {
            categories.entry(r.int("booking_id")?).or_default().push((
                r.int("id")?,
                RevenueCategory::parse(&r.text("category")?).unwrap_or_default(),
            ));
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let k = kept(&row)?;
            let booking = k.booking_id;
            let document = document(k.invoice, &k.lines_json)?;
            let reference = references.get(&booking).cloned().unwrap_or_default();
            let categories = categories.get(&booking).cloned().unwrap_or_default();
            out.push(IssuedLines {
                invoice: document.invoice,
                reference,
                currency: currency.clone(),
                lines: document.lines,
                categories,
            });
        }
        Ok(out)
    }
}

/// What the revenue report of days `from..to` reads: the invoices issued then, and the
/// payments (positive) and refunds (negative) posted then.
pub struct RevenueFacts {
    pub from: Date,
    pub to: Date,
}

impl Op for RevenueFacts {
    type Out = (Vec<IssuedLines>, Vec<Taken>);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let issued = IssuedInRange {
            from: self.from,
            to: self.to,
        }
        .run(tx)
        .await?;
        let mut taken = Vec::new();
        for row in tx
            .query(
                "SELECT posted_on, kind, method, amount FROM postings \
                 WHERE kind IN ('payment', 'refund') AND posted_on >= $1 AND posted_on < $2 \
                 ORDER BY id",
                params![self.from, self.to],
            )
            .await?
        {
            let Some(method) = row
                .opt_text("method")?
                .as_deref()
                .and_then(PaymentMethod::parse)
            else {
                continue;
            };
            let amount = row.int("amount")?;
            taken.push(Taken {
                date: row.date("posted_on")?,
                method,
                amount: if row.text("kind")? == "refund" {
                    -amount
                } else {
                    amount
                },
            });
        }
        Ok((issued, taken))
    }
}

/// What the PDF of one of a booking's invoices needs: the invoice as issued, the booking, the
/// hotel, and the language its guest reads.
pub struct SheetFacts {
    pub document: InvoiceDocument,
    pub booking: hotel_shared::Booking,
    pub hotel: hotel_shared::staff::HotelDetails,
    pub language: hotel_shared::Language,
}

/// Booking `id`'s invoice numbered `number` (year and sequence), or its current one.
pub struct InvoiceSheet {
    pub id: i64,
    pub number: Option<(i32, i64)>,
}

impl Op for InvoiceSheet {
    type Out = SheetFacts;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<SheetFacts> {
        let booking = super::booking_by_id(tx, self.id).await?.booking;
        let kept = match self.number {
            None => current_invoice(tx, self.id).await?,
            Some((year, number)) => query_opt(
                tx,
                &format!("{SELECT} WHERE i.booking_id = $1 AND i.year = $2 AND i.number = $3"),
                params![self.id, i64::from(year), number],
            )
            .await?
            .map(|r| kept(&r))
            .transpose()?,
        }
        .ok_or(DomainError::InvoiceNotFound(self.id))?;
        let language = query_opt(
            tx,
            "SELECT u.language FROM bookings b JOIN users u ON u.id = b.user_id WHERE b.id = $1",
            params![self.id],
        )
        .await?
        .map(|r| r.text("language"))
        .transpose()?
        .and_then(|l| hotel_shared::Language::parse(&l))
        .unwrap_or_default();
        Ok(SheetFacts {
            document: document(kept.invoice, &kept.lines_json)?,
            booking,
            hotel: super::hotel::hotel_details(tx).await?,
            language,
        })
    }
}
