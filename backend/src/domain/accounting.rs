//! The accountant's export: every line of every invoice issued in a range of days, one CSV
//! row each, with its net, rate, tax, gross and revenue category.

use hotel_shared::folio::{BillLine, Invoice, LineKind, RevenueCategory};

/// An issued invoice as the export reads it.
pub struct IssuedLines {
    pub invoice: Invoice,
    pub reference: String,
    pub currency: String,
    pub lines: Vec<BillLine>,
    /// The category of each posted line, by posting id (room nights are lodging).
    pub categories: Vec<(i64, RevenueCategory)>,
}

/// What a line's revenue is: the category it carries; for lines issued before lines carried
/// one, lodging for room nights and the posting's for charges and discounts. None for
/// payments, refunds and notes, which are not revenue.
pub fn line_category(
    line: &BillLine,
    posted: &[(i64, RevenueCategory)],
) -> Option<RevenueCategory> {
    match line.kind {
        LineKind::Payment | LineKind::Refund | LineKind::Note => None,
        _ if line.category.is_some() => line.category,
        LineKind::Room => Some(RevenueCategory::Lodging),
        LineKind::Charge | LineKind::Discount => Some(
            posted
                .iter()
                .find(|(id, _)| *id == line.id)
                .map_or(RevenueCategory::Other, |(_, c)| *c),
        ),
    }
}

/// Minor units as the accountant's spreadsheet reads them: `1234.50`, `-10.00`.
fn decimal(minor: i64, currency: &str) -> String {
    let written = hotel_shared::money::format(minor, currency);
    written
        .split_once(' ')
        .map_or(written.clone(), |(_, v)| v.to_string())
}

/// The CSV: a header, then a row per room, charge and discount line (payments are not
/// revenue and are left out), invoices in the order of their numbers.
pub fn invoices_csv(invoices: &[IssuedLines]) -> Result<String, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "invoice_number",
        "issued_on",
        "booking_reference",
        "recipient",
        "recipient_vat_id",
        "service_date",
        "description",
        "quantity",
        "category",
        "tax_rate",
        "net",
        "tax",
        "gross",
        "currency",
    ];
    out.write_record(header).map_err(|e| e.to_string())?;
    for issued in invoices {
        let recipient = issued
            .invoice
            .recipient
            .as_deref()
            .map(|r| r.lines().next().unwrap_or_default())
            .unwrap_or_default();
        for line in &issued.lines {
            let Some(category) = line_category(line, &issued.categories) else {
                continue;
            };
            let money = |minor: i64| decimal(minor, &issued.currency);
            let (rate, net, tax) = match &line.tax {
                Some(t) => (t.tax_rate.to_string(), money(t.net), money(t.tax)),
                None => (String::new(), money(line.amount), money(0)),
            };
            out.write_record([
                issued.invoice.number.as_str(),
                &issued.invoice.issued_on.to_string(),
                &issued.reference,
                recipient,
                issued
                    .invoice
                    .recipient_vat_id
                    .as_deref()
                    .unwrap_or_default(),
                &line.date.to_string(),
                &line.description,
                &line.quantity.to_string(),
                category.as_str(),
                &rate,
                &net,
                &tax,
                &money(line.amount),
                &issued.currency,
            ])
            .map_err(|e| e.to_string())?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_their_sign_and_two_decimals() {
        assert_eq!(decimal(123_450, "EUR"), "1234.50");
        assert_eq!(decimal(-1_000, "EUR"), "-10.00");
        assert_eq!(decimal(0, "EUR"), "0.00");
    }
}
