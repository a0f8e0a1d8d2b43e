//! Which tax rate and percent a line of a bill carries: the rate its room type, extra or
//! posting names, at the percent of the line's day.

use std::collections::HashMap;

use hotel_shared::Date;
use hotel_shared::folio::{LineTax, RevenueCategory};
use hotel_shared::taxes::{
    BasisPoints, CityTax, CityTaxKind, basis_points, percent, split_gross, tax_on_net,
};

/// One rate: its name and its percents, each from a day on, earliest first.
#[derive(Debug, Clone, Default)]
pub struct RateHistory {
    pub name: String,
    pub percents: Vec<(Date, BasisPoints)>,
}

/// The hotel's rates, the rate of the room a bill's nights are in, and what the night's
/// price includes on the stay's rate plan.
#[derive(Debug, Clone, Default)]
pub struct TaxBook {
    pub rates: HashMap<i64, RateHistory>,
    pub room_rate: Option<i64>,
    pub includes: Vec<NightPart>,
    /// The hotel enters its prices before VAT (`includes` hold those prices).
    pub net_prices: bool,
}

/// An item a night's price includes (breakfast), split out of the night on the bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NightPart {
    pub name: String,
    /// Minor units a night, per person when `per_person`.
    pub price: i64,
    pub per_person: bool,
    pub tax_rate_id: Option<i64>,
    pub category: RevenueCategory,
}

/// How much of a night at `price` for `guests` each included item takes, in the plan's
/// order: its value, as far as the price still reaches (the room keeps the rest).
pub fn night_parts(includes: &[NightPart], guests: u32, price: i64) -> Vec<i64> {
    let mut left = price.max(0);
    includes
        .iter()
        .map(|part| {
            let units = if part.per_person {
                i64::from(guests.max(1))
            } else {
                1
            };
            let take = part.price.saturating_mul(units).min(left);
            left -= take;
            take
        })
        .collect()
}

/// The name and percent of rate `id` on `day` among `rates`: none before its first percent.
fn rate_on(rates: &HashMap<i64, RateHistory>, id: i64, day: Date) -> Option<(&str, BasisPoints)> {
    let rate = rates.get(&id)?;
    let (_, points) = rate.percents.iter().rev().find(|(from, _)| *from <= day)?;
    Some((&rate.name, *points))
}

/// `net` at rate `id` on `day` with its VAT added (`tax_on_net`, halves away from zero); the
/// net as it is without a rate, or before the rate's first percent.
fn with_vat(rates: &HashMap<i64, RateHistory>, id: Option<i64>, day: Date, net: i64) -> i64 {
    match id.and_then(|id| rate_on(rates, id, day)) {
        Some((_, points)) => net.saturating_add(tax_on_net(net, points)),
        None => net,
    }
}

/// Prices the hotel enters before VAT (`PriceBasis::Net`): what a guest pays for them.
#[derive(Debug, Clone, Default)]
pub struct NetPricing {
    pub rates: HashMap<i64, RateHistory>,
}

impl NetPricing {
    /// What a guest pays for `net` at rate `id` on `day`.
    pub fn gross(&self, id: Option<i64>, day: Date, net: i64) -> i64 {
        with_vat(&self.rates, id, day, net)
    }

    /// The nights from `check_in` at `net` prices, as `guests` pay them: the room's part of each
    /// night with the VAT of `room_rate`, each item the night includes with its own, per unit
    /// (per guest for an item per guest), so that every unit's net on the invoice is the
    /// price the hotel entered.
    pub fn nights(
        &self,
        room_rate: Option<i64>,
        includes: &[NightPart],
        guests: u32,
        check_in: Date,
        net: &[i64],
    ) -> Vec<i64> {
        std::iter::successors(Some(check_in), |d| d.checked_add_days(1))
            .zip(net)
            .map(|(day, &price)| {
                let parts = night_parts(includes, guests, price);
                let room = price - parts.iter().sum::<i64>();
                let items: i64 = includes
                    .iter()
                    .zip(parts)
                    .map(|(part, take)| {
                        let units = part_units(part, guests, take);
                        self.gross(part.tax_rate_id, day, take / units)
                            .saturating_mul(units)
                    })
                    .sum();
                self.gross(room_rate, day, room).saturating_add(items)
            })
            .collect()
    }
}

/// In how many units an included item's `take` of a night is: per guest when it takes its
/// whole price for each, else one.
pub fn part_units(part: &NightPart, guests: u32, take: i64) -> i64 {
    let people = i64::from(guests.max(1));
    if part.per_person && take == part.price.saturating_mul(people) {
        people
    } else {
        1
    }
}

impl TaxBook {
    /// The name and percent of rate `id` on `day`: none before its first percent.
    pub fn on(&self, id: i64, day: Date) -> Option<(&str, BasisPoints)> {
        rate_on(&self.rates, id, day)
    }

    /// What the nights include on `day`, at the prices guests pay for them.
    pub fn includes_on(&self, day: Date) -> Vec<NightPart> {
        let mut parts = self.includes.clone();
        if self.net_prices {
            for part in &mut parts {
                part.price = with_vat(&self.rates, part.tax_rate_id, day, part.price);
            }
        }
        parts
    }

    /// The tax in `amount` (gross, signed as on the bill) of `quantity` units at rate `id` on
    /// `day`. With prices entered before VAT each unit was charged its net plus its VAT, so the
    /// line is split per unit: its net is then the quantity times the net the hotel entered.
    pub fn line_tax(
        &self,
        id: Option<i64>,
        day: Date,
        amount: i64,
        quantity: u32,
    ) -> Option<LineTax> {
        let (name, points) = self.on(id?, day)?;
        let units = i64::from(quantity.max(1));
        let (net, tax) = if self.net_prices && units > 1 && amount % units == 0 {
            let (net, tax) = split_gross(amount / units, points);
            (net * units, tax * units)
        } else {
            split_gross(amount, points)
        };
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
            includes: Vec::new(),
            net_prices: false,
        };
        assert_eq!(book.on(1, day("2025-12-31")), None);
        assert_eq!(book.on(1, day("2026-12-31")), Some(("Lodging", 700)));
        assert_eq!(book.on(1, day("2027-01-01")), Some(("Lodging", 1_900)));
        let tax = book.line_tax(Some(1), day("2026-06-01"), 10_700, 1);
        assert_eq!(tax.map(|t| (t.net, t.tax)), Some((10_000, 700)));
        assert_eq!(book.line_tax(None, day("2026-06-01"), 10_700, 1), None);
    }

    #[test]
    fn a_net_price_with_its_vat_splits_back_into_that_net() {
        // Why an invoice of net prices shows each unit's net exactly as the hotel entered it.
        for points in [0, 250, 700, 770, 1_000, 1_900, 2_000, 2_500, 10_000] {
            for net in (0..20_000).chain([99_999_999]) {
                let gross = net + tax_on_net(net, points);
                assert_eq!(split_gross(gross, points).0, net, "{net} at {points}");
            }
        }
    }

    #[test]
    fn included_items_take_their_value_while_the_night_price_reaches() {
        let breakfast = NightPart {
            name: "Breakfast".into(),
            price: 1_500,
            per_person: true,
            tax_rate_id: Some(2),
            category: RevenueCategory::FoodAndBeverage,
        };
        let parking = NightPart {
            name: "Parking".into(),
            price: 1_200,
            per_person: false,
            ..breakfast.clone()
        };
        let both = [breakfast, parking];
        assert_eq!(night_parts(&both, 2, 12_000), vec![3_000, 1_200]);
        // A night cheaper than what it includes leaves the room nothing, never less.
        assert_eq!(night_parts(&both, 2, 3_500), vec![3_000, 500]);
        assert_eq!(night_parts(&both, 3, 0), vec![0, 0]);
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
