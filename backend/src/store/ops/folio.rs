//! Bills: postings on a stay's bill, and invoices numbered without gaps within a year. Every
//! posting writes its audit entry in the same transaction.

use hotel_shared::AuditAction;
use hotel_shared::folio::{
    Bill, BillLine, ChargeInput, Invoice, InvoiceRecipient, LineKind, PaymentInput, PaymentMethod,
    RevenueCategory,
};
use hotel_shared::{Booking, Date};
use jiff::Timestamp;

use super::extras::extra;
use super::invoices::invoice_of;
use super::{Actor, audit, booking_by_id};
use crate::domain::DomainError;
use crate::domain::folio::{self, NewPosting, Posting, invoice_number};
use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

async fn postings<T: Tx>(tx: &mut T, booking_id: i64) -> StoreResult<Vec<Posting>> {
    tx.query(
        "SELECT p.id, p.kind, p.description, p.quantity, p.amount, p.method, p.posted_on, \
         p.actor, p.tax_rate_id, COALESCE(p.category, e.category, 'other') AS category, \
         p.words_json \
         FROM postings p LEFT JOIN extras e ON e.id = p.extra_id \
         WHERE p.booking_id = $1 ORDER BY p.id",
        params![booking_id],
    )
    .await?
    .iter()
    .map(|r| {
        let kind = r.text("kind")?;
        Ok(Posting {
            id: r.int("id")?,
            date: r.date("posted_on")?,
            kind: LineKind::parse(&kind)
                .ok_or_else(|| StoreError::Database(format!("unknown posting kind {kind:?}")))?,
            description: r.text("description")?,
            quantity: r.u32("quantity")?,
            amount: r.int("amount")?,
            method: r
                .opt_text("method")?
                .as_deref()
                .and_then(PaymentMethod::parse),
            by: r.text("actor")?,
            tax_rate_id: r.opt_int("tax_rate_id")?,
            // A posting keeps the category it was posted with; one posted before categories
            // were kept takes its extra's.
            category: RevenueCategory::parse(&r.text("category")?).unwrap_or_default(),
            // Unreadable parts (written by a later version) leave the line in its words.
            words: r
                .opt_text("words_json")?
                .and_then(|json| serde_json::from_str(&json).ok()),
        })
    })
    .collect()
}

/// Who an invoice of `booking` is issued to, one line each: the company and its address when
/// `to` names one; else the guest (as the desk keeps them: the account's name, or its
/// username, without a profile) at the address `to` gives or their profile's.
async fn recipient_of<T: Tx>(
    tx: &mut T,
    booking: i64,
    to: Option<&InvoiceRecipient>,
) -> StoreResult<String> {
    let row = query_opt(
        tx,
        "SELECT COALESCE(g.full_name, u.full_name, u.username) AS name, \
         COALESCE(g.address, '') AS address FROM bookings b JOIN users u ON u.id = b.user_id \
         LEFT JOIN guest_profiles g ON g.user_id = u.id WHERE b.id = $1",
        params![booking],
    )
    .await?
    .ok_or(DomainError::BookingNotFound(booking))?;
    let (guest, on_profile) = (row.text("name")?, row.text("address")?);
    let name = to.and_then(|t| t.company.clone()).unwrap_or(guest);
    let address = to.and_then(|t| t.address.clone()).unwrap_or(on_profile);
    Ok(if address.trim().is_empty() {
        name
    } else {
        format!("{name}\n{address}")
    })
}

/// An issued invoice states the bill for good: a change to the stay that would make its
/// charges differ from the invoice (a move to a dearer room, nights released by an early
/// check-out) is refused until the invoice is reversed by a cancellation invoice
/// (`POST …/invoice/cancel`). A change that leaves the charges as they were (a move on the
/// house, a check-out on the invoiced day) goes ahead.
pub(crate) async fn keep_invoice_true<T: Tx>(tx: &mut T, after: &Booking) -> StoreResult<()> {
    let Some((invoice, _)) = invoice_of(tx, after.id).await? else {
        return Ok(());
    };
    let bill = bill_of(tx, after).await?;
    if bill.charges != invoice.total {
        return Err(DomainError::InvoicedBillWouldChange {
            id: after.id,
            invoice: invoice.number,
        }
        .into());
    }
    Ok(())
}

/// The bill of `booking` as it stands.
pub(crate) async fn bill_of<T: Tx>(tx: &mut T, booking: &Booking) -> StoreResult<Bill> {
    let held = query_opt(
        tx,
        "SELECT COUNT(*) AS held FROM room_nights WHERE booking_id = $1",
        params![booking.id],
    )
    .await?
    .map(|r| r.u32("held"))
    .transpose()?
    .unwrap_or(0);
    let lines = postings(tx, booking.id).await?;
    let invoice = invoice_of(tx, booking.id).await?.map(|(i, _)| i);
    let taxes = super::taxes::tax_book(tx, booking).await?;
    Ok(folio::bill(booking, held, &lines, invoice, &taxes))
}

/// A booking's bill.
pub struct ReadBill {
    pub id: i64,
}

impl Op for ReadBill {
    type Out = Bill;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Bill> {
        let booking = booking_by_id(tx, self.id).await?.booking;
        bill_of(tx, &booking).await
    }
}

/// Writes `line` on the bill of `booking_id`, with its audit entry.
pub(crate) async fn post<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    booking_id: i64,
    today: Date,
    line: &NewPosting,
) -> StoreResult<()> {
    let words = line
        .words
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Database(e.to_string()))?;
    let id = tx
        .insert_id(
            "INSERT INTO postings (booking_id, kind, description, quantity, amount, method, \
             extra_id, posted_on, posted_at, actor, tax_rate_id, category, words_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            params![
                booking_id,
                line.kind.as_str(),
                &line.description,
                line.quantity,
                line.amount,
                line.method.map(|m| m.as_str().to_string()),
                line.extra_id,
                today,
                Timestamp::now().to_string(),
                &actor.0,
                line.tax_rate_id,
                line.category.map(RevenueCategory::as_str),
                words
            ],
        )
        .await?;
    let record = BillLine {
        id,
        date: today,
        kind: line.kind,
        description: line.description.clone(),
        quantity: line.quantity,
        amount: line.amount,
        method: line.method,
        by: Some(actor.0.clone()),
        tax: None,
        category: line.category,
        words: line.words.clone(),
    };
    audit(
        tx,
        actor,
        match line.kind {
            LineKind::Room => AuditAction::FolioRoom,
            LineKind::Charge => AuditAction::FolioCharge,
            LineKind::Discount => AuditAction::FolioDiscount,
            LineKind::Payment => AuditAction::FolioPayment,
            LineKind::Refund => AuditAction::FolioRefund,
            LineKind::Note => AuditAction::FolioNote,
        },
        "booking",
        booking_id,
        None::<&BillLine>,
        Some(&record),
    )
    .await
}

/// Charges a cancellation or no-show fee (`fee`: `cancellation` or `no_show`) on the bill of
/// `booking_id`, with its audit entry `folio.fee`.
pub(crate) async fn post_fee<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    booking_id: i64,
    today: Date,
    fee: &str,
    description: String,
    amount: i64,
) -> StoreResult<()> {
    let id = tx
        .insert_id(
            "INSERT INTO postings (booking_id, kind, description, quantity, amount, posted_on, \
             posted_at, actor, fee, category) VALUES ($1, 'charge', $2, 1, $3, $4, $5, $6, $7, \
             'lodging')",
            params![
                booking_id,
                &description,
                amount,
                today,
                Timestamp::now().to_string(),
                &actor.0,
                fee
            ],
        )
        .await?;
    let record = BillLine {
        id,
        date: today,
        kind: LineKind::Charge,
        description,
        quantity: 1,
        amount,
        method: None,
        by: Some(actor.0.clone()),
        tax: None,
        category: Some(RevenueCategory::Lodging),
        words: None,
    };
    audit(
        tx,
        actor,
        AuditAction::FolioFee,
        "booking",
        booking_id,
        None::<&BillLine>,
        Some(&record),
    )
    .await
}

/// An extra, a charge or a discount on a stay's bill.
pub struct PostCharge {
    pub actor: Actor,
    pub id: i64,
    pub input: ChargeInput,
    pub today: Date,
}

impl Op for PostCharge {
    type Out = Bill;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Bill> {
        let booking = booking_by_id(tx, self.id).await?.booking;
        let before = bill_of(tx, &booking).await?;
        let mut extra = match self.input.extra_id {
            Some(id) => Some(extra(tx, id).await?),
            None => None,
        };
        super::taxes::check_tax_rate(tx, self.input.tax_rate_id.map(Some)).await?;
        let mut input = self.input.clone();
        if let Some(pricing) = super::taxes::net_pricing(tx).await? {
            // Entered before VAT: the guest pays each unit with the VAT of its rate today.
            let rate = input
                .tax_rate_id
                .or(extra.as_ref().and_then(|e| e.tax_rate_id));
            input.unit_amount = input
                .unit_amount
                .map(|unit| pricing.gross(rate, self.today, unit));
            if let Some(e) = extra.as_mut() {
                e.price = pricing.gross(rate, self.today, e.price);
            }
        }
        let line = folio::charge(&before, &input, extra.as_ref())?;
        post(tx, &self.actor, self.id, self.today, &line).await?;
        bill_of(tx, &booking).await
    }
}

/// A payment or a refund on a stay's bill.
pub struct PostPayment {
    pub actor: Actor,
    pub id: i64,
    pub input: PaymentInput,
    pub today: Date,
}

impl Op for PostPayment {
    type Out = Bill;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Bill> {
        let booking = booking_by_id(tx, self.id).await?.booking;
        let before = bill_of(tx, &booking).await?;
        let line = folio::payment(&before, &self.input)?;
        post(tx, &self.actor, self.id, self.today, &line).await?;
        bill_of(tx, &booking).await
    }
}

/// The invoice of a stay, if issued.
pub struct FindInvoice {
    pub id: i64,
}

impl Op for FindInvoice {
    type Out = Option<IssuedInvoice>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<IssuedInvoice>> {
        booking_by_id(tx, self.id).await?;
        Ok(invoice_of(tx, self.id)
            .await?
            .map(|(invoice, lines_json)| IssuedInvoice {
                invoice,
                lines_json,
                new: false,
            }))
    }
}

/// The invoice as issued: its number and the bill's lines then.
pub struct IssuedInvoice {
    pub invoice: Invoice,
    pub lines_json: String,
    /// Whether this call issued it (else it was issued before).
    pub new: bool,
}

/// Issues the invoice of a stay (once: again, it is the same invoice), with the next number
/// of the year. The number is the year's highest plus one, in the transaction that writes it:
/// a transaction that fails leaves no gap, and two at once cannot share one (on PostgreSQL the
/// unique pair makes the second run again).
pub struct IssueInvoice {
    pub actor: Actor,
    pub id: i64,
    pub today: Date,
    /// Whom it is made out to, if not the guest at their address (checked by
    /// `domain::folio::invoice_recipient`).
    pub to: Option<InvoiceRecipient>,
}

impl Op for IssueInvoice {
    type Out = IssuedInvoice;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<IssuedInvoice> {
        let booking = booking_by_id(tx, self.id).await?.booking;
        issue(tx, &self.actor, &booking, self.today, self.to.as_ref()).await
    }
}

/// The invoice of `booking`: the one issued before, or a new one with the year's next number.
pub(crate) async fn issue<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    booking: &Booking,
    today: Date,
    to: Option<&InvoiceRecipient>,
) -> StoreResult<IssuedInvoice> {
    if let Some((invoice, lines_json)) = invoice_of(tx, booking.id).await? {
        return Ok(IssuedInvoice {
            invoice,
            lines_json,
            new: false,
        });
    }
    folio::may_invoice(booking)?;
    let bill = bill_of(tx, booking).await?;
    let year = today.year();
    let next = super::invoices::next_number(tx, year).await?;
    let lines_json =
        serde_json::to_string(&bill.lines).map_err(|e| StoreError::Database(e.to_string()))?;
    let recipient = recipient_of(tx, booking.id, to).await?;
    let recipient_vat_id = to.and_then(|t| t.vat_id.clone());
    let supplier = crate::domain::hotel::supplier(&super::hotel::hotel_details(tx).await?);
    let supplier_json =
        serde_json::to_string(&supplier).map_err(|e| StoreError::Database(e.to_string()))?;
    let row = tx.insert_id(
        "INSERT INTO invoices (booking_id, year, number, issued_on, total, lines_json, recipient, \
         recipient_vat_id, supplier_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![
            booking.id,
            i64::from(year),
            next,
            today,
            bill.charges,
            &lines_json,
            &recipient,
            recipient_vat_id.clone(),
            &supplier_json
        ],
    )
    .await?;
    let invoice = Invoice {
        number: invoice_number(year, next),
        year,
        sequence: next,
        issued_on: today,
        total: bill.charges,
        recipient: Some(recipient),
        recipient_vat_id,
        supplier: Some(supplier),
        cancels: None,
        cancelled_by: None,
    };
    audit(
        tx,
        actor,
        AuditAction::InvoiceIssue,
        "booking",
        booking.id,
        None::<&Invoice>,
        Some(&invoice),
    )
    .await?;
    // The guest gets it by mail (when they have an address), with the PDF.
    super::mail::enqueue_invoice(tx, booking, row).await?;
    Ok(IssuedInvoice {
        invoice,
        lines_json,
        new: true,
    })
}
