//! Which tax rate and percent a line of a bill carries: the rate its room type, extra or
//! posting names, at the percent of the line's day.

use std::collections::HashMap;

use hotel_shared::Date;
use hotel_shared::folio::{LineKind, LineTax, RevenueCategory};
use hotel_shared::taxes::{
    BasisPoints, CityTax, CityTaxKind, basis_points, percent, split_gross, tax_on_net,
};

use super::DomainError;
use super::folio::NewPosting;

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

/// The city tax rule as the desk sent it, checked; the error says what is wrong.
pub fn check_city_tax(rule: CityTax) -> Result<CityTax, String> {
    match (rule.kind, rule.amount, rule.percent) {
        (CityTaxKind::PerPersonNight, Some(amount), None) => {
            if !(1..=100_000).contains(&amount) {
                return Err(
                    "amount must be from 1 to 100000 minor units per guest and night.".into(),
                );
            }
        }
        (CityTaxKind::Percent, None, Some(p)) => {
            if basis_points(p).is_none_or(|points| points == 0) {
                return Err(
                    "percent must be above 0 and at most 100, with at most two decimals.".into(),
                );
            }
        }
        (CityTaxKind::PerPersonNight, _, _) => {
            return Err("A city tax per guest and night takes an amount, not a percent.".into());
        }
        (CityTaxKind::Percent, _, _) => {
            return Err("A city tax in percent takes a percent, not an amount.".into());
        }
    }
    if rule
        .exempt_under_age
        .is_some_and(|a| !(1..=18).contains(&a))
    {
        return Err("exempt_under_age must be from 1 to 18.".into());
    }
    if rule.max_nights.is_some_and(|n| !(1..=365).contains(&n)) {
        return Err("max_nights must be from 1 to 365.".into());
    }
    Ok(rule)
}

/// The city tax of a stay: per guest and night, `amount × guests × nights`; in percent, the
/// percent of the nights' prices added up, rounded to the minor unit, halves away from zero.
/// Only the first `max_nights` nights count; `guests` are those not exempt.
pub fn city_tax(rule: &CityTax, guests: u32, night_prices: &[i64]) -> i64 {
    let nights = rule.max_nights.map_or(night_prices.len(), |most| {
        night_prices
            .len()
            .min(usize::try_from(most).unwrap_or(usize::MAX))
    });
    match rule.kind {
        CityTaxKind::PerPersonNight => {
            let count = i64::from(guests) * i64::try_from(nights).unwrap_or(0);
            rule.amount.unwrap_or(0).saturating_mul(count)
        }
        CityTaxKind::Percent => {
            let base: i64 = night_prices.iter().take(nights).sum();
            tax_on_net(base, rule.percent.and_then(basis_points).unwrap_or(0))
        }
    }
}

/// What check-in posts on a bill for the city tax of a stay of `guests` (`exempt` of them
/// children below the rule's age) and its nights' prices: the tax, no VAT on it; when the
/// room prices include it, a discount on the room (at the room's VAT rate) of the same
/// amount, so the bill's total stays the price booked and VAT is on the room's part only.
pub fn city_tax_postings(
    rule: &CityTax,
    guests: u32,
    exempt: u32,
    night_prices: &[i64],
    room_rate: Option<i64>,
) -> Result<Vec<NewPosting>, DomainError> {
    if exempt > guests {
        return Err(DomainError::BadChange(format!(
            "{exempt} children exempt from the city tax, but the stay is for {guests} guests."
        )));
    }
    if exempt > 0 && rule.exempt_under_age.is_none() {
        return Err(DomainError::BadChange(
            "The hotel's city tax exempts no children: set exempt_under_age first.".into(),
        ));
    }
    let taxed = guests - exempt;
    let amount = city_tax(rule, taxed, night_prices);
    if amount <= 0 {
        return Ok(Vec::new());
    }
    let counted = rule.max_nights.map_or(night_prices.len(), |most| {
        night_prices
            .len()
            .min(usize::try_from(most).unwrap_or(usize::MAX))
    });
    let nights = u32::try_from(counted).unwrap_or(u32::MAX);
    let (description, quantity) = match rule.kind {
        CityTaxKind::PerPersonNight => (
            format!(
                "City tax, {taxed} {} × {nights} {}",
                if taxed == 1 { "guest" } else { "guests" },
                if nights == 1 { "night" } else { "nights" }
            ),
            taxed.saturating_mul(nights).max(1),
        ),
        CityTaxKind::Percent => (
            format!(
                "City tax, {} % of {nights} nights",
                rule.percent.unwrap_or(0.0)
            ),
            1,
        ),
    };
    let tax = NewPosting {
        kind: LineKind::Charge,
        description,
        quantity,
        amount,
        extra_id: None,
        method: None,
        tax_rate_id: None,
        category: Some(RevenueCategory::CityTax),
    };
    let mut lines = vec![tax];
    if rule.included {
        lines.push(NewPosting {
            kind: LineKind::Discount,
            description: "City tax included in the room price".into(),
            quantity: 1,
            amount,
            extra_id: None,
            method: None,
            tax_rate_id: room_rate,
            category: Some(RevenueCategory::Lodging),
        });
    }
    Ok(lines)
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

    fn per_guest(amount: i64) -> CityTax {
        CityTax {
            kind: CityTaxKind::PerPersonNight,
            amount: Some(amount),
            percent: None,
            exempt_under_age: Some(14),
            max_nights: None,
            included: false,
        }
    }

    #[test]
    fn city_tax_counts_guests_not_exempt_and_nights_up_to_the_cap() {
        // Two adults and a child of 9, three nights at 2.50 each: the child pays none.
        let rule = per_guest(250);
        let lines = city_tax_postings(&rule, 3, 1, &[9_500; 3], Some(1)).unwrap_or_default();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].amount, 1_500);
        assert_eq!(lines[0].description, "City tax, 2 guests × 3 nights");
        assert_eq!(lines[0].tax_rate_id, None);
        // A cap of two nights.
        let capped = CityTax {
            max_nights: Some(2),
            ..rule.clone()
        };
        assert_eq!(city_tax(&capped, 2, &[9_500; 3]), 1_000);
        // More exempt than guests, or children where none are exempt: refused.
        assert!(city_tax_postings(&rule, 2, 3, &[9_500; 3], None).is_err());
        let no_children = CityTax {
            exempt_under_age: None,
            ..rule
        };
        assert!(city_tax_postings(&no_children, 2, 1, &[9_500; 3], None).is_err());
    }

    #[test]
    fn city_tax_in_percent_rounds_once_per_stay_and_included_discounts_the_room() {
        let rule = CityTax {
            kind: CityTaxKind::Percent,
            amount: None,
            percent: Some(5.0),
            exempt_under_age: None,
            max_nights: None,
            included: true,
        };
        // 5 % of 99.99 is 4.9995: 5.00, halves away from zero.
        assert_eq!(city_tax(&rule, 2, &[9_999]), 500);
        assert_eq!(city_tax(&rule, 2, &[9_500, 9_500, 9_500]), 1_425);
        let lines =
            city_tax_postings(&rule, 2, 0, &[9_500, 9_500, 9_500], Some(7)).unwrap_or_default();
        let kinds: Vec<(LineKind, i64, Option<i64>)> = lines
            .iter()
            .map(|l| (l.kind, l.amount, l.tax_rate_id))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (LineKind::Charge, 1_425, None),
                (LineKind::Discount, 1_425, Some(7))
            ]
        );
    }

    #[test]
    fn a_city_tax_rule_takes_what_its_kind_needs() {
        assert!(check_city_tax(per_guest(250)).is_ok());
        assert!(check_city_tax(per_guest(0)).is_err());
        let both = CityTax {
            percent: Some(5.0),
            ..per_guest(250)
        };
        assert!(check_city_tax(both).is_err());
        let old = CityTax {
            exempt_under_age: Some(30),
            ..per_guest(250)
        };
        assert!(check_city_tax(old).is_err());
    }
}
