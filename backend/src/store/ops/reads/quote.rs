//! What a stay would cost on each plan, and why a plan is not offered.

use hotel_shared::staff::{NotOffered, QuoteOption};

use hotel_shared::Date;
use hotel_shared::taxes::CityTax;

use crate::domain::rates::{Deadline, deadline, night_prices, stay_terms_by};
use crate::domain::taxes::city_tax;
use crate::store::StoreResult;
use crate::store::ops::rate_book::cached_rate_book;
use crate::store::ops::taxes::city_tax_rule;
use crate::store::ops::unavailable;
use crate::store::sql::{Op, Tx};

/// What a stay costs in each room type that sleeps `guests` on each of its plans, and how
/// many rooms of each type are free; the offers the restrictions close, and why.
pub struct Quote {
    pub from: Date,
    pub to: Date,
    pub guests: u32,
    pub today: Date,
    pub now: jiff::Timestamp,
    pub tz: jiff::tz::TimeZone,
    /// Hidden plans too, and no restrictions (the desk).
    pub all_plans: bool,
    /// Ages of the children among `guests` (for the city tax's exemption).
    pub child_ages: Vec<u32>,
}

impl Op for Quote {
    type Out = (String, Vec<QuoteOption>, Vec<NotOffered>);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let catalog = tx.catalog().await?;
        let taken = unavailable(tx, self.from, self.to).await?;
        // Free rooms as (type, number): what sellable_rooms finds, without naming each room.
        let free: Vec<(i64, u32)> = catalog
            .in_hotel()
            .filter(|r| !r.out_of_service && r.capacity >= self.guests && !taken.contains(r.number))
            .filter_map(|r| Some((r.type_id?, r.number)))
            .collect();
        let types = catalog
            .types
            .iter()
            .filter(|t| !t.retired && t.capacity >= self.guests);
        let book = cached_rate_book(tx, self.today, self.from, self.to).await?;
        let currency = tx.currency().to_string();
        let city_tax_rule = city_tax_rule(tx).await?;
        let taxed_guests = match &city_tax_rule {
            Some(CityTax {
                exempt_under_age: Some(age),
                ..
            }) => {
                let exempt = self.child_ages.iter().filter(|a| *a < age).count();
                self.guests
                    .saturating_sub(u32::try_from(exempt).unwrap_or(u32::MAX))
            }
            _ => self.guests,
        };
        // Names of the extras plans include, read only where a plan includes any.
        let extra_names: std::collections::HashMap<i64, String> =
            if catalog.plans.iter().any(|p| !p.includes.is_empty()) {
                tx.query("SELECT id, name FROM extras", Vec::new())
                    .await?
                    .iter()
                    .map(|r| Ok((r.int("id")?, r.text("name")?)))
                    .collect::<StoreResult<_>>()?
            } else {
                std::collections::HashMap::new()
            };
        let mut options = Vec::new();
        let mut not_offered = Vec::new();
        // Plans mostly share their terms: each distinct deadline is worked out once.
        let mut deadlines: Vec<(hotel_shared::rates::Terms, Option<Deadline>)> = Vec::new();
        for t in types {
            let id = t.id;
            let rooms: Vec<u32> = free
                .iter()
                .filter(|(t, _)| *t == id)
                .map(|(_, n)| *n)
                .collect();
            let available = u32::try_from(rooms.len()).unwrap_or(u32::MAX);
            let (mut rooms, mut first) = (rooms, true);
            let rate = t.rate;
            for plan in catalog.plans_of(id).filter(|p| p.visible || self.all_plans) {
                let rates = book.of(plan);
                if !self.all_plans
                    && let Some(why) = rates.refusal(self.from, self.to, self.today)
                {
                    not_offered.push(NotOffered {
                        room_type_id: id,
                        rate_plan_id: plan.id,
                        code: why.code().to_string(),
                        message: why.message(),
                    });
                    continue;
                }
                let prices = catalog.guest_prices(
                    plan,
                    self.guests,
                    self.from,
                    rates.prices(rate, self.from, self.to),
                );
                let known = deadlines.iter().find(|(t, _)| {
                    t.refundable == plan.terms.refundable
                        && t.free_until_days == plan.terms.free_until_days
                        && t.free_until_time == plan.terms.free_until_time
                });
                let deadline = match known {
                    Some((_, d)) => d.clone(),
                    None => {
                        let d = deadline(&plan.terms, self.from, &self.tz, self.now);
                        deadlines.push((plan.terms.clone(), d.clone()));
                        d
                    }
                };
                options.push(QuoteOption {
                    room_type_id: id,
                    room_type: t.name.clone(),
                    description: t.description.clone(),
                    capacity: t.capacity,
                    rate_plan_id: plan.id,
                    rate_plan: plan.name.clone(),
                    base: plan.base,
                    rate: prices.first().copied().unwrap_or(rate),
                    total: prices.iter().sum(),
                    nights: night_prices(self.from, &prices),
                    currency: currency.clone(),
                    terms: stay_terms_by(&plan.terms, &prices, deadline, &currency),
                    available,
                    // The type's free rooms once, on its first offer: the same for every plan.
                    rooms: if first {
                        std::mem::take(&mut rooms)
                    } else {
                        Vec::new()
                    },
                    city_tax: city_tax_rule
                        .as_ref()
                        .map_or(0, |rule| city_tax(rule, taxed_guests, &prices)),
                    city_tax_included: city_tax_rule.as_ref().is_some_and(|r| r.included),
                    vat_included: true,
                    included: plan
                        .includes
                        .iter()
                        .filter_map(|i| extra_names.get(&i.extra_id).map(String::as_str))
                        .collect::<Vec<_>>()
                        .join(", "),
                });
                first = false;
            }
        }
        Ok((currency, options, not_offered))
    }
}
