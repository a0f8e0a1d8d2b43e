//! Revenue as the accountant books it: the invoices issued, per tax rate and per category,
//! the payments taken per method and the city tax collected, per day or per month.

use hotel_shared::Date;
use hotel_shared::folio::{BillLine, PaymentMethod, RevenueCategory, tax_totals};
use hotel_shared::taxes::{
    CategoryTotal, MethodTotal, RevenueFigures, RevenuePeriod, RevenueReport,
};

use super::accounting::{IssuedLines, line_category};

/// A payment (positive) or refund (negative) posted on `date`.
pub struct Taken {
    pub date: Date,
    pub method: PaymentMethod,
    pub amount: i64,
}

fn period_of(day: Date, by: RevenuePeriod) -> String {
    match by {
        RevenuePeriod::Day => day.to_string(),
        RevenuePeriod::Month => format!("{:04}-{:02}", day.year(), day.month()),
    }
}

/// The report for days `from..to` (checked by the caller), every period of it in order.
pub fn build(
    from: Date,
    to: Date,
    by: RevenuePeriod,
    currency: &str,
    invoices: &[IssuedLines],
    taken: &[Taken],
) -> RevenueReport {
    let mut keys: Vec<String> = Vec::new();
    for day in from.nights_until(to) {
        let key = period_of(day, by);
        if keys.last() != Some(&key) {
            keys.push(key);
        }
    }
    let at = |day: Date| keys.iter().position(|k| *k == period_of(day, by));
    let mut lines: Vec<Vec<(BillLine, RevenueCategory)>> = vec![Vec::new(); keys.len()];
    let mut payments: Vec<Vec<&Taken>> = vec![Vec::new(); keys.len()];
    for issued in invoices {
        let Some(i) = at(issued.invoice.issued_on) else {
            continue;
        };
        for line in &issued.lines {
            if let Some(category) = line_category(line, &issued.categories) {
                lines[i].push((line.clone(), category));
            }
        }
    }
    for t in taken {
        if let Some(i) = at(t.date) {
            payments[i].push(t);
        }
    }
    let all_lines: Vec<_> = lines.iter().flatten().cloned().collect();
    let all_taken: Vec<&Taken> = payments.iter().flatten().copied().collect();
    RevenueReport {
        from,
        to,
        by,
        currency: currency.to_string(),
        total: figures("total".into(), &all_lines, &all_taken),
        periods: keys
            .into_iter()
            .zip(lines.iter().zip(&payments))
            .map(|(key, (lines, taken))| figures(key, lines, taken))
            .collect(),
    }
}

/// The figures of one period from its invoice lines and payments.
fn figures(
    period: String,
    lines: &[(BillLine, RevenueCategory)],
    taken: &[&Taken],
) -> RevenueFigures {
    let bill_lines: Vec<BillLine> = lines.iter().map(|(l, _)| l.clone()).collect();
    let mut by_category: Vec<CategoryTotal> = Vec::new();
    for (line, category) in lines {
        let (net, tax) = line
            .tax
            .as_ref()
            .map_or((line.amount, 0), |t| (t.net, t.tax));
        match by_category.iter_mut().find(|c| c.category == *category) {
            Some(c) => {
                c.net += net;
                c.tax += tax;
                c.gross += line.amount;
            }
            None => by_category.push(CategoryTotal {
                category: *category,
                net,
                tax,
                gross: line.amount,
            }),
        }
    }
    by_category.sort_by_key(|c| c.category as u8);
    let payments = PaymentMethod::ALL
        .iter()
        .filter_map(|&method| {
            let of: Vec<i64> = taken
                .iter()
                .filter(|t| t.method == method)
                .map(|t| t.amount)
                .collect();
            (!of.is_empty()).then(|| MethodTotal {
                method,
                amount: of.iter().sum(),
            })
        })
        .collect();
    RevenueFigures {
        period,
        by_tax_rate: tax_totals(&bill_lines),
        city_tax: by_category
            .iter()
            .filter(|c| c.category == RevenueCategory::CityTax)
            .map(|c| c.gross)
            .sum(),
        by_category,
        payments,
    }
}
