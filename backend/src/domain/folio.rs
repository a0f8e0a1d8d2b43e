//! A stay's bill: its lines, its totals, and what may be posted on it. Payments are recorded,
//! not charged: the card terminal or the bank moved the money. A card gateway would take the
//! money where `api/staff/folio.rs` records a payment, and record it only once it succeeded.

use hotel_shared::folio::{
    Bill, BillLine, ChargeInput, Extra, Invoice, InvoiceRecipient, LineKind, LineWords,
    PaymentInput, RevenueCategory,
};
use hotel_shared::{Booking, BookingStatus, Date, money};

use super::DomainError;
use super::taxes::{TaxBook, night_parts, part_units};

/// The largest single line, minor units (a million in a two-decimal currency).
pub const MAX_AMOUNT: i64 = 100_000_000;

/// A line the desk posted, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Posting {
    pub id: i64,
    pub date: Date,
    pub kind: LineKind,
    pub description: String,
    pub quantity: u32,
    /// The whole line, never negative; `kind` gives its direction.
    pub amount: i64,
    pub method: Option<hotel_shared::folio::PaymentMethod>,
    pub by: String,
    /// The tax rate the line was posted at.
    pub tax_rate_id: Option<i64>,
    pub category: RevenueCategory,
    pub words: Option<LineWords>,
}

/// What a posting does to the balance.
fn signed(kind: LineKind, amount: i64) -> i64 {
    match kind {
        LineKind::Room | LineKind::Charge | LineKind::Refund => amount,
        LineKind::Discount | LineKind::Payment => -amount,
        LineKind::Note => 0,
    }
}

/// The bill of `booking`: its room nights first, then every posting in order. `held` is how
/// many nights the stay still holds: none after a cancellation, or after a guest left on the
/// arrival day (every night was released, so none is charged; the desk may post a day use).
pub fn bill(
    booking: &Booking,
    held: u32,
    postings: &[Posting],
    invoice: Option<Invoice>,
    taxes: &TaxBook,
) -> Bill {
    let mut lines = Vec::with_capacity(postings.len() + 2);
    // A no-show booked on terms pays its no-show fee (posted), not its nights.
    let fee_instead = booking.status == BookingStatus::NoShow && booking.terms.is_some();
    if booking.status != BookingStatus::Cancelled && booking.nights > 0 && held > 0 && !fee_instead
    {
        // A no-show keeps only the nights that passed before it was noted.
        let nights = held.min(booking.nights) as usize;
        let charged = &booking.night_prices[..nights.min(booking.night_prices.len())];
        // One line per run of nights at the same price and tax percents; a night's included
        // items (breakfast) each get a line of their own at their rate.
        let percent_on =
            |rate: Option<i64>, day: Date| rate.and_then(|r| taxes.on(r, day)).map(|t| t.1);
        let key = |n: &hotel_shared::rates::NightPrice| {
            let items: Vec<_> = taxes
                .includes
                .iter()
                .map(|p| percent_on(p.tax_rate_id, n.date))
                .collect();
            (n.amount, percent_on(taxes.room_rate, n.date), items)
        };
        let mut start = 0;
        while start < charged.len() {
            let first = &charged[start];
            let price = first.amount;
            let run_key = key(first);
            let run = charged[start..]
                .iter()
                .take_while(|n| key(n) == run_key)
                .count();
            let count = u32::try_from(run).unwrap_or(u32::MAX);
            let includes = taxes.includes_on(first.date);
            let parts = night_parts(&includes, booking.guests, price);
            let room = price - parts.iter().sum::<i64>();
            let amount = room.saturating_mul(i64::from(count));
            lines.push(BillLine {
                id: 0,
                date: first.date,
                kind: LineKind::Room,
                description: format!(
                    "Room {} ({}), {} {} × {}",
                    booking.room_number,
                    booking.room_type,
                    count,
                    if count == 1 { "night" } else { "nights" },
                    money::format(room, &booking.currency)
                ),
                quantity: count,
                amount,
                method: None,
                by: None,
                tax: taxes.line_tax(taxes.room_rate, first.date, amount, count),
                category: Some(RevenueCategory::Lodging),
                words: Some(LineWords::Nights {
                    room: booking.room_number,
                    room_type: booking.room_type.clone(),
                    count,
                    price: room,
                }),
            });
            for (part, take) in includes.iter().zip(parts) {
                if take == 0 {
                    continue;
                }
                let units = u32::try_from(part_units(part, booking.guests, take)).unwrap_or(1);
                let quantity = count.saturating_mul(units);
                let amount = take.saturating_mul(i64::from(count));
                lines.push(BillLine {
                    id: 0,
                    date: first.date,
                    kind: LineKind::Room,
                    description: format!(
                        "{} (included), {} × {}",
                        part.name,
                        quantity,
                        money::format(take / i64::from(units), &booking.currency)
                    ),
                    quantity,
                    amount,
                    method: None,
                    by: None,
                    tax: taxes.line_tax(part.tax_rate_id, first.date, amount, quantity),
                    category: Some(part.category),
                    words: Some(LineWords::Included {
                        name: part.name.clone(),
                        count: quantity,
                        price: take / i64::from(units),
                    }),
                });
            }
            start += run;
        }
        let priced: i64 = booking.night_prices.iter().map(|n| n.amount).sum();
        let earlier = booking.total - priced;
        if earlier != 0 && nights == booking.night_prices.len() {
            lines.push(BillLine {
                id: 0,
                date: booking.check_in,
                kind: LineKind::Room,
                description: "Nights before a move, at the rate of the room then".into(),
                quantity: 1,
                amount: earlier,
                method: None,
                by: None,
                tax: taxes.line_tax(taxes.room_rate, booking.check_in, earlier, 1),
                category: Some(RevenueCategory::Lodging),
                words: Some(LineWords::EarlierNights),
            });
        }
    }
    lines.extend(postings.iter().map(|p| {
        let amount = signed(p.kind, p.amount);
        BillLine {
            id: p.id,
            date: p.date,
            kind: p.kind,
            description: p.description.clone(),
            quantity: p.quantity,
            amount,
            method: p.method,
            by: Some(p.by.clone()),
            tax: matches!(p.kind, LineKind::Charge | LineKind::Discount)
                .then(|| taxes.line_tax(p.tax_rate_id, p.date, amount, p.quantity))
                .flatten(),
            category: matches!(p.kind, LineKind::Charge | LineKind::Discount).then_some(p.category),
            words: p.words.clone(),
        }
    }));
    let charges: i64 = lines
        .iter()
        .filter(|l| {
            matches!(
                l.kind,
                LineKind::Room | LineKind::Charge | LineKind::Discount
            )
        })
        .map(|l| l.amount)
        .sum();
    let paid: i64 = -lines
        .iter()
        .filter(|l| matches!(l.kind, LineKind::Payment | LineKind::Refund))
        .map(|l| l.amount)
        .sum::<i64>();
    Bill {
        booking: booking.clone(),
        totals_by_rate: hotel_shared::folio::tax_totals(&lines),
        lines,
        charges,
        paid,
        balance: charges - paid,
        currency: booking.currency.clone(),
        invoice,
    }
}

/// A line to post, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPosting {
    pub kind: LineKind,
    pub description: String,
    pub quantity: u32,
    pub amount: i64,
    pub extra_id: Option<i64>,
    pub method: Option<hotel_shared::folio::PaymentMethod>,
    pub tax_rate_id: Option<i64>,
    /// What its revenue is; none for payments and notes.
    pub category: Option<RevenueCategory>,
    /// Its parts, for a line check-in words itself (the city tax).
    pub words: Option<LineWords>,
}

/// A charge (an extra of the list, or the clerk's own words and price) or a discount on
/// `bill`; refused once the invoice is out, or on a cancelled stay.
pub fn charge(
    bill: &Bill,
    input: &ChargeInput,
    extra: Option<&Extra>,
) -> Result<NewPosting, DomainError> {
    let id = bill.booking.id;
    if bill.invoice.is_some() {
        return Err(DomainError::InvoiceIssued(id));
    }
    if bill.booking.status == BookingStatus::Cancelled {
        return Err(DomainError::BookingNotActive(id));
    }
    let bad = |m: &str| DomainError::BadPosting(m.to_string());
    let description = input
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 200)
    {
        return Err(bad("description must be at most 200 characters."));
    }
    if description
        .as_ref()
        .is_some_and(|d| d.chars().any(char::is_control))
    {
        return Err(bad("description is one line on the bill."));
    }
    let category = match (extra, input.category) {
        (_, Some(RevenueCategory::CityTax)) => {
            return Err(bad(
                "category city_tax is check-in's: a charge is lodging, food_and_beverage or other.",
            ));
        }
        (extra, chosen) => Some(chosen.or(extra.map(|e| e.category)).unwrap_or_default()),
    };
    let (description, unit, default_quantity, extra_id, extra_tax) = match (extra, input.discount) {
        (Some(_), true) => return Err(bad("a discount is in words and an amount, not an extra.")),
        (Some(e), false) => {
            if e.retired {
                return Err(DomainError::ExtraNotFound(e.id));
            }
            let per_stay = if e.per_person_night {
                bill.booking
                    .guests
                    .saturating_mul(bill.booking.nights)
                    .max(1)
            } else {
                1
            };
            (
                description.unwrap_or_else(|| e.name.clone()),
                input.unit_amount.unwrap_or(e.price),
                per_stay,
                Some(e.id),
                e.tax_rate_id,
            )
        }
        (None, _) => (
            description.ok_or_else(|| bad("description is required without an extra."))?,
            input
                .unit_amount
                .ok_or_else(|| bad("unit_amount is required without an extra."))?,
            1,
            None,
            None,
        ),
    };
    let quantity = input.quantity.unwrap_or(default_quantity);
    if !(1..=1000).contains(&quantity) {
        return Err(bad("quantity must be from 1 to 1000."));
    }
    // An extra may be free (its price 0); an amount the clerk types is at least one unit.
    let typed_nothing = input.unit_amount.is_some_and(|u| u < 1);
    if typed_nothing || !(0..=MAX_AMOUNT).contains(&unit) || (unit == 0 && extra_id.is_none()) {
        return Err(bad("unit_amount must be from 1 to 100000000 minor units."));
    }
    let amount = unit
        .checked_mul(i64::from(quantity))
        .filter(|a| *a <= MAX_AMOUNT)
        .ok_or_else(|| bad("the line comes to more than 100000000 minor units."))?;
    if input.discount && amount > bill.charges {
        return Err(bad(
            "a discount cannot be larger than what the bill charges.",
        ));
    }
    Ok(NewPosting {
        kind: if input.discount {
            LineKind::Discount
        } else {
            LineKind::Charge
        },
        description,
        quantity,
        amount,
        extra_id,
        method: None,
        tax_rate_id: input.tax_rate_id.or(extra_tax),
        category,
        words: None,
    })
}

/// A payment or a refund on `bill`; a refund gives back at most what was paid.
pub fn payment(bill: &Bill, input: &PaymentInput) -> Result<NewPosting, DomainError> {
    if !(1..=MAX_AMOUNT).contains(&input.amount) {
        return Err(DomainError::BadPosting(
            "amount must be from 1 to 100000000 minor units.".into(),
        ));
    }
    if input.refund && input.amount > bill.paid {
        return Err(DomainError::RefundTooLarge {
            paid: money::format(bill.paid, &bill.currency),
        });
    }
    let (kind, words) = if input.refund {
        (LineKind::Refund, "Refund")
    } else {
        (LineKind::Payment, "Payment")
    };
    Ok(NewPosting {
        kind,
        description: format!("{words}, {}", input.method.label().to_lowercase()),
        quantity: 1,
        amount: input.amount,
        extra_id: None,
        method: Some(input.method),
        tax_rate_id: None,
        category: None,
        words: None,
    })
}

/// An invoice is for a stay that has begun (checked in or out).
pub fn may_invoice(booking: &Booking) -> Result<(), DomainError> {
    match booking.status {
        BookingStatus::CheckedIn | BookingStatus::CheckedOut => Ok(()),
        _ => Err(DomainError::NotInvoiceable(booking.id)),
    }
}

/// Whom an invoice is made out to, cleaned up (none when nothing is given); the error says
/// what is wrong.
pub fn invoice_recipient(mut to: InvoiceRecipient) -> Result<Option<InvoiceRecipient>, String> {
    // A field left out is none; one given blank is a mistake, said so.
    for (field, what) in [
        (&mut to.company, "company"),
        (&mut to.address, "address"),
        (&mut to.vat_id, "vat_id"),
    ] {
        if let Some(text) = field {
            *text = text.trim().to_string();
            if text.is_empty() {
                return Err(format!("{what} must not be blank: leave it out instead."));
            }
        }
    }
    let longest = [(&to.company, 200, "company"), (&to.address, 300, "address")];
    for (field, most, what) in longest {
        if field.as_ref().is_some_and(|t| t.chars().count() > most) {
            return Err(format!("{what} must be at most {most} characters."));
        }
    }
    if to.company.is_some() && to.address.is_none() {
        return Err("An invoice to a company needs the company's address.".into());
    }
    if let Some(vat_id) = &mut to.vat_id {
        if to.company.is_none() {
            return Err("A VAT id belongs to a company: give its name too.".into());
        }
        *vat_id = vat_id.replace(' ', "").to_ascii_uppercase();
        if !super::hotel::is_vat_id(vat_id) {
            return Err("vat_id must be two letters of the country, then 2 to 13 letters or digits, like DE123456789.".into());
        }
    }
    Ok((to != InvoiceRecipient::default()).then_some(to))
}

/// How the invoice number is printed: year and sequence, `2026-0007`.
pub fn invoice_number(year: i32, sequence: i64) -> String {
    format!("{year}-{sequence:04}")
}

/// An invoice number as printed (`2026-0007`) read back into its year and sequence.
pub fn parse_invoice_number(text: &str) -> Option<(i32, i64)> {
    let (year, sequence) = text.trim().split_once('-')?;
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !all_digits(year) || !all_digits(sequence) {
        return None;
    }
    Some((year.parse().ok()?, sequence.parse().ok()?))
}

#[cfg(test)]
#[path = "folio_tests.rs"]
pub(crate) mod tests;
