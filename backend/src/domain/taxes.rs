//! Which tax rate and percent a line of a bill carries: the rate its room type, extra or
//! posting names, at the percent of the line's day.

use std::collections::HashMap;

use hotel_shared::Date;
use hotel_shared::folio::LineTax;
use hotel_shared::taxes::{BasisPoints, percent, split_gross};

/// One rate: its name and its percents, each from a day on, earliest first.
#[derive(Debug, Clone, Default)]
pub struct RateHistory {
    pub name: String,
    pub percents: Vec<(Date, BasisPoints)>,
}

/// The hotel's rates, and the rate of the room a bill's nights are in.
#[derive(Debug, Clone, Default)]
pub struct TaxBook {
    pub rates: HashMap<i64, RateHistory>,
    pub room_rate: Option<i64>,
}

impl TaxBook {
    /// The name and percent of rate `id` on `day`: none before its first percent.
    pub fn on(&self, id: i64, day: Date) -> Option<(&str, BasisPoints)> {
        let rate = self.rates.get(&id)?;
        let (_, points) = rate.percents.iter().rev().find(|(from, _)| *from <= day)?;
        Some((&rate.name, *points))
    }

    /// The tax in `amount` (gross, signed as on the bill) at rate `id` on `day`.
    pub fn line_tax(&self, id: Option<i64>, day: Date, amount: i64) -> Option<LineTax> {
        let (name, points) = self.on(id?, day)?;
        let (net, tax) = split_gross(amount, points);
        Some(LineTax {
            tax_rate: percent(points),
            tax_rate_name: name.to_string(),
            net,
            tax,
            gross: amount,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_takes_the_percent_of_its_day() {
        let day = |s: &str| s.parse::<Date>().unwrap_or_else(|_| panic!("{s}"));
        let book = TaxBook {
            rates: HashMap::from([(
                1,
                RateHistory {
                    name: "Lodging".into(),
                    percents: vec![(day("2026-01-01"), 700), (day("2027-01-01"), 1_900)],
                },
            )]),
            room_rate: Some(1),
        };
        assert_eq!(book.on(1, day("2025-12-31")), None);
        assert_eq!(book.on(1, day("2026-12-31")), Some(("Lodging", 700)));
        assert_eq!(book.on(1, day("2027-01-01")), Some(("Lodging", 1_900)));
        let tax = book.line_tax(Some(1), day("2026-06-01"), 10_700);
        assert_eq!(tax.map(|t| (t.net, t.tax)), Some((10_000, 700)));
        assert_eq!(book.line_tax(None, day("2026-06-01"), 10_700), None);
    }
}
