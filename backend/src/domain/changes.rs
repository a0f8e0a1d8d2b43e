//! A change of a booking's dates, party, room type or plan, and how its nights are priced
//! again.

use hotel_shared::Date;
use hotel_shared::rates::NightPrice;

/// What a change of a booking asks for; `None` keeps what was booked.
#[derive(Debug, Clone, Default)]
pub struct BookingChange {
    pub check_in: Option<Date>,
    pub check_out: Option<Date>,
    pub guests: Option<u32>,
    pub room_type: Option<i64>,
    pub rate_plan: Option<i64>,
    /// Every night at this price (minor units), as agreed with a booking site.
    pub nightly_price: Option<i64>,
    pub override_restrictions: bool,
}

impl BookingChange {
    /// Whether the change asks for anything at all.
    pub fn is_empty(&self) -> bool {
        self.check_in.is_none()
            && self.check_out.is_none()
            && self.guests.is_none()
            && self.room_type.is_none()
            && self.rate_plan.is_none()
            && self.nightly_price.is_none()
    }
}

/// The night prices of a changed stay `check_in..check_out`: a night the booking already
/// held keeps its booked price while the room type and plan stay the same (a guest who adds
/// a night does not see the others change); every other night costs `fresh` (the plan's
/// price of that night today, one per night of the new stay).
pub fn changed_prices(
    booked: &[NightPrice],
    same_terms: bool,
    check_in: Date,
    check_out: Date,
    fresh: &[i64],
) -> Vec<i64> {
    check_in
        .nights_until(check_out)
        .zip(fresh)
        .map(|(night, fresh)| {
            booked
                .iter()
                .find(|n| same_terms && n.date == night)
                .map_or(*fresh, |n| n.amount)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rates::night_prices;

    #[test]
    fn kept_nights_keep_their_price_and_new_ones_cost_todays() {
        let d = |n: i64| {
            Date::new(2027, 3, 1)
                .and_then(|d| d.checked_add_days(n))
                .unwrap_or_else(|| panic!("day {n}"))
        };
        let before = night_prices(d(0), &[100, 110, 120]);
        // One night later, one night longer: the two shared nights keep theirs.
        assert_eq!(
            changed_prices(&before, true, d(1), d(4), &[900, 900, 900]),
            vec![110, 120, 900]
        );
        // Another type or plan: every night at today's price.
        assert_eq!(
            changed_prices(&before, false, d(1), d(4), &[900, 901, 902]),
            vec![900, 901, 902]
        );
    }
}
